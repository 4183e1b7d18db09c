//! eSMS queries: balance, status of one SMSID, its recipients (PROVIDERS.md §2.5–2.7).

use super::*;
use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse, Idempotency, Method};
use crate::wire;

impl EsmsAccount {
    /// Encodes `GetBalance_json`.
    pub fn encode_balance(&self) -> HttpRequest {
        let body = KeysBody {
            api_key: self.api_key.expose(),
            secret_key: self.secret_key.expose(),
        };
        self.json_request(EsmsEndpoint::GetBalance, &body, Idempotency::ReadOnly)
    }

    /// Encodes `GetSendStatus` for one SMSID.
    pub fn encode_send_status(&self, sms_id: &SmsId) -> HttpRequest {
        let query = wire::query_string(&[
            ("RefId", sms_id.as_str()),
            ("ApiKey", self.api_key.expose()),
            ("SecretKey", self.secret_key.expose()),
        ]);
        self.request(
            Method::Get,
            EsmsEndpoint::GetSendStatus,
            Some(query),
            Idempotency::ReadOnly,
        )
    }

    /// Encodes `GetSmsReceiverStatus_get` for one SMSID.
    pub fn encode_receiver_status(&self, sms_id: &SmsId) -> HttpRequest {
        let query = wire::query_string(&[
            ("ApiKey", self.api_key.expose()),
            ("SecretKey", self.secret_key.expose()),
            ("RefId", sms_id.as_str()),
        ]);
        self.request(
            Method::Get,
            EsmsEndpoint::GetReceiverStatus,
            Some(query),
            Idempotency::ReadOnly,
        )
    }
}

/// An eSMS message id (`SMSID`): opaque, its shape varies (D-C4), so only non-empty printable
/// ASCII up to 100 characters is checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct SmsId(String);

impl SmsId {
    /// Checks the id before it goes into a URL.
    pub fn new(value: impl Into<String>) -> Result<Self> {
        let value = value.into();
        if value.is_empty() || value.len() > 100 || !value.chars().all(|c| c.is_ascii_graphic()) {
            return Err(Error::invalid(
                "sms_id",
                "must be 1 to 100 printable ASCII characters",
            ));
        }
        Ok(SmsId(value))
    }

    /// The id as eSMS wrote it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The account balance (`GetBalance_json`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Balance {
    /// The balance, in the account's currency (VND, not stated by eSMS).
    pub balance: f64,
    /// eSMS's user id.
    pub user_id: Option<i64>,
}

/// Progress of a sent request (`SendStatus`, §3.3). 5 is a batch state, not per-recipient
/// success: read `send_success`/`send_failed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EsmsSendStatus {
    /// 1: awaiting approval.
    PendingApproval,
    /// 2: waiting to send.
    Waiting,
    /// 4: rejected.
    Rejected,
    /// 5: processing finished (sent to the operator).
    Finished,
    /// 7: sent to the telco, waiting for its report.
    SentToTelco,
    /// Any other value, kept.
    Other(i64),
}

impl EsmsSendStatus {
    pub(super) fn from_code(code: i64) -> Self {
        match code {
            1 => EsmsSendStatus::PendingApproval,
            2 => EsmsSendStatus::Waiting,
            4 => EsmsSendStatus::Rejected,
            5 => EsmsSendStatus::Finished,
            7 => EsmsSendStatus::SentToTelco,
            n => EsmsSendStatus::Other(n),
        }
    }
}

/// `GetSendStatus`'s answer.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SendStatusReport {
    /// The message id asked about.
    pub sms_id: Option<String>,
    /// Batch progress.
    pub status: Option<EsmsSendStatus>,
    /// Recipients delivered.
    pub send_success: Option<i64>,
    /// Recipients failed.
    pub send_failed: Option<i64>,
    /// Recipients in the request.
    pub total_receivers: Option<i64>,
    /// Messages sent.
    pub total_sent: Option<i64>,
    /// Total price.
    pub total_price: Option<f64>,
}

/// One row of `GetSmsReceiverStatus_get`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReceiverStatus {
    /// The recipient as eSMS wrote it.
    pub phone: String,
    /// Handed to the network.
    pub is_sent: Option<bool>,
    /// Delivered (true) or failed (false).
    pub sent_result: Option<bool>,
    /// Retries eSMS made.
    pub retry: Option<i64>,
    /// The network's name.
    pub network_name: Option<String>,
}

/// Decodes `GetBalance_json`.
pub fn decode_balance(response: &HttpResponse) -> Result<Balance> {
    let map = decode_common(response, "CodeResponse")?;
    let balance = wire::scalar_f64(map.get("Balance")).ok_or_else(|| unexpected(response))?;
    Ok(Balance {
        balance,
        user_id: wire::scalar_i64(map.get("UserID")),
    })
}

/// Decodes `GetSendStatus`.
pub fn decode_send_status(response: &HttpResponse) -> Result<SendStatusReport> {
    let map = decode_common(response, "CodeResponse")?;
    Ok(SendStatusReport {
        sms_id: wire::scalar_text(map.get("SMSID")),
        status: wire::scalar_i64(map.get("SendStatus")).map(EsmsSendStatus::from_code),
        send_success: wire::scalar_i64(map.get("SendSuccess")),
        send_failed: wire::scalar_i64(map.get("SendFailed")),
        total_receivers: wire::scalar_i64(map.get("TotalReceiver")),
        total_sent: wire::scalar_i64(map.get("TotalSent")),
        total_price: wire::scalar_f64(map.get("TotalPrice")),
    })
}

/// Decodes `GetSmsReceiverStatus_get`.
pub fn decode_receiver_status(response: &HttpResponse) -> Result<Vec<ReceiverStatus>> {
    let map = decode_common(response, "CodeResult")?;
    let Some(serde_json::Value::Array(rows)) = map.get("ReceiverList") else {
        return Ok(Vec::new());
    };
    Ok(rows
        .iter()
        .filter_map(|row| row.as_object())
        .map(|row| ReceiverStatus {
            phone: wire::scalar_text(row.get("Phone")).unwrap_or_default(),
            is_sent: wire::scalar_bool(row.get("IsSent")),
            sent_result: wire::scalar_bool(row.get("SentResult")),
            retry: wire::scalar_i64(row.get("Retry")),
            network_name: wire::scalar_text(row.get("NetworkName")),
        })
        .collect())
}
