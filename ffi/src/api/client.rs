//! The `Client` object: one per provider account, thread-safe, sharing one connection pool.

use std::sync::Arc;
use std::time::Duration;

use nhantin_core as core;

use super::error::{NhantinError, UnknownSend};
use super::types::*;

/// Sends messages for one provider account. Safe to share between threads; create one per
/// account and keep it (it holds the connection pool).
#[derive(uniffi::Object)]
pub struct Client {
    inner: nhantin_transport::Client,
}

/// The async twins of the blocking methods: Python coroutines, Kotlin `suspend` functions,
/// Swift `async`. The work runs on nhantin's bounded pool (16 threads; more calls wait their
/// turn). **Cancelling** an await does not stop a send that has started: it may still be
/// delivered. A call cancelled while it still waits for a thread is never started. The caller
/// cannot tell which happened, so a cancelled send is an unknown outcome. Give the message its
/// `request_id` before the call (or use `request_id_generate`).
/// After a cancellation, sending the same message with the same id cannot send it twice where
/// the provider de-duplicates (eSMS; InterITS with confirmed de-duplication): `send` then ends
/// `Rejected` with reason `DuplicateRequestId` (the first one reached the provider), and `resend`
/// with a `SafeResend` of that id ends `AlreadySubmitted`.
#[uniffi::export]
impl Client {
    /// `send`, awaited.
    pub async fn send_async(&self, message: MessageInput) -> Result<SendResult, NhantinError> {
        let _entry = crate::quiet::enter();
        let inner = self.inner.clone();
        let work = crate::pool::run(move || -> Result<SendResult, NhantinError> {
            Ok(inner.send(&self::message(message)?)?.into())
        });
        drop(_entry);
        work.await
    }

    /// `send_bulk`, awaited.
    pub async fn send_bulk_async(
        &self,
        message: MessageInput,
    ) -> Result<Vec<BatchResult>, NhantinError> {
        let _entry = crate::quiet::enter();
        let inner = self.inner.clone();
        let work = crate::pool::run(move || -> Result<Vec<BatchResult>, NhantinError> {
            Ok(inner
                .send_bulk(&self::message(message)?)?
                .into_iter()
                .map(Into::into)
                .collect())
        });
        drop(_entry);
        work.await
    }

    /// `esms_lookup`, awaited.
    pub async fn esms_lookup_async(
        &self,
        lookup: EsmsLookup,
    ) -> Result<EsmsLookupAnswer, NhantinError> {
        let _entry = crate::quiet::enter();
        let inner = self.inner.clone();
        let work = crate::pool::run(move || -> Result<EsmsLookupAnswer, NhantinError> {
            Ok(inner.lookup(&lookup)?)
        });
        drop(_entry);
        work.await
    }

    /// `check_generated_otp`, awaited.
    pub async fn check_generated_otp_async(
        &self,
        phone: String,
        code: String,
    ) -> Result<CodeCheck, NhantinError> {
        let _entry = crate::quiet::enter();
        let inner = self.inner.clone();
        let work = crate::pool::run(move || -> Result<CodeCheck, NhantinError> {
            let phone = core::PhoneNumber::parse("phone", &phone)?;
            Ok(inner.check_generated_otp(&phone, &code)?)
        });
        drop(_entry);
        work.await
    }
}

pub(crate) fn account(account: Account) -> Result<core::Account, NhantinError> {
    Ok(core::AccountInput::from(account).validate()?)
}

pub(crate) fn message(message: core::MessageInput) -> Result<core::Message, NhantinError> {
    Ok(message.validate()?)
}

#[uniffi::export]
impl Client {
    /// Validates the account and builds the client. Plain-http base URLs are refused unless
    /// `options.allow_insecure_http` is set.
    #[uniffi::constructor]
    pub fn new(account: Account, options: ClientOptions) -> Result<Arc<Self>, NhantinError> {
        let _entry = crate::quiet::enter();
        let config = nhantin_transport::ClientConfig {
            connect_timeout: Duration::from_millis(options.connect_timeout_ms),
            request_timeout: Duration::from_millis(options.request_timeout_ms),
            max_attempts: options.max_attempts,
            total_deadline: Duration::from_millis(options.total_deadline_ms),
            allow_insecure_http: options.allow_insecure_http,
            proxy: options.proxy.as_ref().map(|p| p.value()),
            ..nhantin_transport::ClientConfig::default()
        };
        let inner = nhantin_transport::Client::new(self::account(account)?, config)?;
        Ok(Arc::new(Client { inner }))
    }

    /// Sends one message; retries only where a resend cannot duplicate it.
    pub fn send(&self, message: MessageInput) -> Result<SendResult, NhantinError> {
        let _entry = crate::quiet::enter();
        Ok(self.inner.send(&self::message(message)?)?.into())
    }

    /// Resends a message whose send failed with `OutcomeUnknown`, with the `resend` that error
    /// carried: the same request id, so the provider de-duplicates and the message cannot arrive
    /// twice. Refused (nothing sent) once the window has closed or when the message names
    /// another id.
    pub fn resend(
        &self,
        message: MessageInput,
        resend: SafeResend,
    ) -> Result<SendResult, NhantinError> {
        let _entry = crate::quiet::enter();
        Ok(self
            .inner
            .resend(&self::message(message)?, &resend.into_core()?)?
            .into())
    }

    /// Sends an advertising message to any number of recipients in batches of at most 5000
    /// whose ids name their recipients; every batch is reported with its class, and a failed
    /// batch does not stop the others. A rerun of the same message reproduces every batch id.
    pub fn send_bulk(&self, message: MessageInput) -> Result<Vec<BatchResult>, NhantinError> {
        let _entry = crate::quiet::enter();
        Ok(self
            .inner
            .send_bulk(&self::message(message)?)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Asks eSMS whether a send that ended in `OutcomeUnknown` got through: `unknown` is that
    /// error's `unknown`, `message` the same message. Reads eSMS's records of the window around
    /// the attempts and answers per recipient, in the message's order. Waits until `margin_ms`
    /// (default 5 minutes) after the last attempt, so that a late filing is not missed.
    pub fn reconcile(
        &self,
        message: MessageInput,
        unknown: UnknownSend,
        margin_ms: Option<i64>,
    ) -> Result<Vec<RecipientVerdict>, NhantinError> {
        let _entry = crate::quiet::enter();
        let message = self::message(message)?;
        let mut policy = core::esms::ReconcilePolicy::default();
        if let Some(ms) = margin_ms {
            policy.margin_ms = ms.max(0);
        }
        let verdicts = self
            .inner
            .reconcile_with(&message, &unknown.into_core()?, &policy)?;
        Ok(verdicts
            .into_iter()
            .map(|(phone, verdict)| {
                let recipient = message
                    .recipients
                    .iter()
                    .position(|p| *p == phone)
                    .unwrap_or(0) as u64;
                match verdict {
                    core::esms::ReconcileVerdict::Sent {
                        sms_id,
                        status,
                        result,
                    } => RecipientVerdict {
                        recipient,
                        verdict: Verdict::Sent,
                        sms_id: Some(sms_id.as_str().to_owned()),
                        status: status.map(|s| json_name(&s)),
                        result: result.map(|r| json_name(&r)),
                        candidates: Vec::new(),
                    },
                    core::esms::ReconcileVerdict::NotFound => RecipientVerdict {
                        recipient,
                        verdict: Verdict::NotFound,
                        sms_id: None,
                        status: None,
                        result: None,
                        candidates: Vec::new(),
                    },
                    core::esms::ReconcileVerdict::Ambiguous { candidates } => RecipientVerdict {
                        recipient,
                        verdict: Verdict::Ambiguous,
                        sms_id: None,
                        status: None,
                        result: None,
                        candidates: candidates
                            .into_iter()
                            .map(|row| row.reference_id.as_str().to_owned())
                            .collect(),
                    },
                }
            })
            .collect())
    }

    /// Whether `code` is the one eSMS generated and sent to `phone` (after a `GeneratedOtp`
    /// send). Checking may use the code up: an attempt that may have arrived is not repeated,
    /// and that is `OutcomeUnknown`.
    pub fn check_generated_otp(
        &self,
        phone: String,
        code: String,
    ) -> Result<CodeCheck, NhantinError> {
        let _entry = crate::quiet::enter();
        let phone = core::PhoneNumber::parse("phone", &phone)?;
        Ok(self.inner.check_generated_otp(&phone, &code)?)
    }

    /// An eSMS lookup around ZNS: templates, a template's details, OAs, quota, a ZNS's Zalo
    /// status, brandnames. Read-only, so resent freely.
    pub fn esms_lookup(&self, lookup: EsmsLookup) -> Result<EsmsLookupAnswer, NhantinError> {
        let _entry = crate::quiet::enter();
        Ok(self.inner.lookup(&lookup)?)
    }

    /// InterITS: what it knows of a ZNS sent through `oa_id`, by the reference its send
    /// returned (InterITS pushes no ZNS delivery report: poll this). Read-only.
    pub fn interits_zns_message(
        &self,
        oa_id: String,
        msg_id: String,
    ) -> Result<InterItsZnsMessage, NhantinError> {
        let _entry = crate::quiet::enter();
        Ok(self.inner.interits_zns_message(&oa_id, &msg_id)?)
    }

    /// The eSMS account balance.
    pub fn balance(&self) -> Result<Balance, NhantinError> {
        let _entry = crate::quiet::enter();
        let b = self.inner.balance()?;
        Ok(Balance {
            balance: b.balance,
            user_id: b.user_id,
        })
    }

    /// The status of an eSMS message (last 7 days).
    pub fn send_status(&self, sms_id: String) -> Result<SendStatusReport, NhantinError> {
        let _entry = crate::quiet::enter();
        Ok(self
            .inner
            .send_status(&core::esms::SmsId::new(sms_id)?)?
            .into())
    }

    /// Per-recipient results of an eSMS message (last 7 days).
    pub fn receiver_status(&self, sms_id: String) -> Result<Vec<ReceiverStatus>, NhantinError> {
        let _entry = crate::quiet::enter();
        Ok(self
            .inner
            .receiver_status(&core::esms::SmsId::new(sms_id)?)?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

/// What eSMS's records say about one recipient of an unknown-outcome send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Verdict {
    /// eSMS filed it: do not send it again; follow it by `sms_id`.
    Sent,
    /// Nothing in the whole window: it did not get through; a resend (with the same id while its
    /// window is open) is safe.
    NotFound,
    /// More than one candidate (the same text sent to the phone more than once): never resend on
    /// this answer.
    Ambiguous,
}

/// One recipient's reconciliation.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RecipientVerdict {
    /// The recipient's index in the message.
    pub recipient: u64,
    /// What eSMS's records say.
    pub verdict: Verdict,
    /// For `Sent`: the SMSID.
    pub sms_id: Option<String>,
    /// For `Sent`: `SendStatus` in core's snake_case names.
    pub status: Option<String>,
    /// For `Sent`: `SendResult` in core's snake_case names.
    pub result: Option<String>,
    /// For `Ambiguous`: the candidates' SMSIDs.
    pub candidates: Vec<String>,
}

fn json_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}
