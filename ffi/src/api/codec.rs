//! The sans-IO functions (for callers with their own HTTP stack) and the helpers.

use nhantin_core as core;

use super::client::{account, message};
use super::error::NhantinError;
use super::types::*;

fn esms_account(a: Account) -> Result<core::esms::EsmsAccount, NhantinError> {
    match account(a)? {
        core::Account::Esms(a) => Ok(a),
        other => Err(core::Error::InvalidInput {
            field: "account".into(),
            reason: format!("{} has no such query; it is an eSMS API", other.provider()),
        }
        .into()),
    }
}

/// The exact request a send would make, validated against `now` (RFC 3339). eSMS and InterITS
/// need `message.request_id`: it is the idempotency key.
#[uniffi::export]
pub fn encode_send(
    account: Account,
    message: MessageInput,
    now: String,
) -> Result<HttpRequest, NhantinError> {
    let _entry = crate::quiet::enter();
    let now = core::Timestamp::parse_rfc3339("now", &now)?;
    Ok((&self::account(account)?.encode_send(&self::message(message)?, now)?).into())
}

/// The eSMS `CheckCodeGen_V4_get` request: is `code` the one eSMS generated and sent to
/// `phone`? Checking may use the code up: never resend it by yourself once it may have arrived.
#[uniffi::export]
pub fn encode_check_code(
    account: Account,
    phone: String,
    code: String,
) -> Result<HttpRequest, NhantinError> {
    let _entry = crate::quiet::enter();
    let phone = core::PhoneNumber::parse("phone", &phone)?;
    Ok((&esms_account(account)?.encode_check_code(&phone, &code)?).into())
}

/// Decodes `CheckCodeGen_V4_get`: `Valid`, or `Invalid` (used, expired or not this phone's).
#[uniffi::export]
pub fn decode_check_code(response: HttpResponse) -> Result<CodeCheck, NhantinError> {
    let _entry = crate::quiet::enter();
    // A check may use the code up (D-Z28): an answer that went missing is not safe to repeat,
    // whatever eSMS's other requests allow.
    core::esms::decode_check_code(&response.into())
        .map_err(|e| NhantinError::from_core(e, &core::Idempotency::NotIdempotent))
}

/// The eSMS `GetTemplate/` request for an OA's ZNS templates.
#[uniffi::export]
pub fn encode_zns_templates(
    account: Account,
    oa_id: String,
    kind: ZnsTemplateKind,
) -> Result<HttpRequest, NhantinError> {
    let _entry = crate::quiet::enter();
    let oa_id = core::OaId::new(oa_id)?;
    Ok((&esms_account(account)?.encode_zns_templates(&oa_id, kind)).into())
}

/// Decodes `GetTemplate/`.
#[uniffi::export]
pub fn decode_zns_templates(response: HttpResponse) -> Result<Vec<ZnsTemplate>, NhantinError> {
    let _entry = crate::quiet::enter();
    Ok(core::esms::decode_zns_templates(&response.into())?)
}

/// The request of an eSMS lookup (templates, a template's details, OAs, quota, Zalo status,
/// brandnames). Read-only.
#[uniffi::export]
pub fn encode_esms_lookup(
    account: Account,
    lookup: EsmsLookup,
) -> Result<HttpRequest, NhantinError> {
    let _entry = crate::quiet::enter();
    Ok((&esms_account(account)?.encode_lookup(&lookup)?).into())
}

/// Decodes the answer to an eSMS lookup.
#[uniffi::export]
pub fn decode_esms_lookup(
    lookup: EsmsLookup,
    response: HttpResponse,
) -> Result<EsmsLookupAnswer, NhantinError> {
    let _entry = crate::quiet::enter();
    Ok(core::esms::decode_lookup(&lookup, &response.into())?)
}

/// The InterITS `message-detail` request: what InterITS knows of a ZNS sent through `oa_id`,
/// by the reference its send returned. Read-only.
#[uniffi::export]
pub fn encode_interits_zns_message(
    account: Account,
    oa_id: String,
    msg_id: String,
) -> Result<HttpRequest, NhantinError> {
    let _entry = crate::quiet::enter();
    let account = super::client::account(account)?;
    Ok((&account.interits()?.encode_zns_message(&oa_id, &msg_id)?).into())
}

/// Decodes InterITS `message-detail`.
#[uniffi::export]
pub fn decode_interits_zns_message(
    response: HttpResponse,
) -> Result<InterItsZnsMessage, NhantinError> {
    let _entry = crate::quiet::enter();
    core::interits::decode_zns_message(&response.into())
        .map_err(|e| NhantinError::from_core(e, &core::Idempotency::ReadOnly))
}

/// Checks a ZNS message's parameters against a fetched template (names, count, lengths,
/// number and date types), as eSMS would before answering 790; gives them in the template's
/// order. The message must be a ZNS.
#[uniffi::export]
pub fn check_zns_params(
    template: ZnsTemplate,
    message: MessageInput,
) -> Result<Vec<ZnsParamInput>, NhantinError> {
    let _entry = crate::quiet::enter();
    let message = super::client::message(message)?;
    let core::Content::Zns(zns) = &message.content else {
        return Err(core::Error::InvalidInput {
            field: "content".into(),
            reason: "is not a ZNS".into(),
        }
        .into());
    };
    Ok(template
        .check(zns)?
        .into_iter()
        .map(|p| ZnsParamInput {
            name: p.name,
            value: p.value,
        })
        .collect())
}

/// Decodes the answer to a send.
#[uniffi::export]
pub fn decode_send(provider: Provider, response: HttpResponse) -> Result<Receipt, NhantinError> {
    let _entry = crate::quiet::enter();
    Ok(core::providers::decode_send(provider, &response.into())?.into())
}

/// The eSMS `GetBalance_json` request.
#[uniffi::export]
pub fn encode_balance(account: Account) -> Result<HttpRequest, NhantinError> {
    let _entry = crate::quiet::enter();
    Ok((&esms_account(account)?.encode_balance()).into())
}

/// Decodes `GetBalance_json`.
#[uniffi::export]
pub fn decode_balance(response: HttpResponse) -> Result<Balance, NhantinError> {
    let _entry = crate::quiet::enter();
    let b = core::esms::decode_balance(&response.into())
        .map_err(|e| NhantinError::from_core(e, &core::Idempotency::ReadOnly))?;
    Ok(Balance {
        balance: b.balance,
        user_id: b.user_id,
    })
}

/// The eSMS `GetSendStatus` request.
#[uniffi::export]
pub fn encode_send_status(account: Account, sms_id: String) -> Result<HttpRequest, NhantinError> {
    let _entry = crate::quiet::enter();
    Ok((&esms_account(account)?.encode_send_status(&core::esms::SmsId::new(sms_id)?)).into())
}

/// Decodes `GetSendStatus`.
#[uniffi::export]
pub fn decode_send_status(response: HttpResponse) -> Result<SendStatusReport, NhantinError> {
    let _entry = crate::quiet::enter();
    Ok(core::esms::decode_send_status(&response.into())
        .map_err(|e| NhantinError::from_core(e, &core::Idempotency::ReadOnly))?
        .into())
}

/// The eSMS `GetSmsReceiverStatus_get` request.
#[uniffi::export]
pub fn encode_receiver_status(
    account: Account,
    sms_id: String,
) -> Result<HttpRequest, NhantinError> {
    let _entry = crate::quiet::enter();
    Ok((&esms_account(account)?.encode_receiver_status(&core::esms::SmsId::new(sms_id)?)).into())
}

/// Decodes `GetSmsReceiverStatus_get`.
#[uniffi::export]
pub fn decode_receiver_status(response: HttpResponse) -> Result<Vec<ReceiverStatus>, NhantinError> {
    let _entry = crate::quiet::enter();
    let rows = core::esms::decode_receiver_status(&response.into())
        .map_err(|e| NhantinError::from_core(e, &core::Idempotency::ReadOnly))?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// `text` with what looks like a phone number masked as nhantin masks it in its logs and errors:
/// in every run of seven or more digits, all but the first three and the last three become `*`
/// (`0912345678` → `091****678`). The bindings' printing of records uses it, so the rule is one.
#[uniffi::export]
pub fn mask_phones(text: String) -> String {
    let _entry = crate::quiet::enter();
    core::wire::mask_phones(&text)
}

/// Decodes an eSMS delivery report from its callback URL or query string. Never fails: unknown
/// or unreadable parameters are kept in `extra`.
#[uniffi::export]
pub fn parse_delivery_report(query: String) -> DeliveryReport {
    let _entry = crate::quiet::enter();
    core::esms::parse_delivery_report(&query).into()
}

/// Decodes an InterITS callback body.
#[uniffi::export]
pub fn parse_interits_callback(body: Vec<u8>) -> Result<InterItsCallback, NhantinError> {
    let _entry = crate::quiet::enter();
    Ok(core::interits::parse_callback(&body)?.into())
}

/// Normalises a Vietnamese mobile number; legacy 11-digit numbers are refused with the new one.
#[uniffi::export]
pub fn normalize_phone(input: String) -> Result<PhoneInfo, NhantinError> {
    let _entry = crate::quiet::enter();
    let p = core::PhoneNumber::parse("phone", &input)?;
    Ok(PhoneInfo {
        national: p.national(),
        international: p.format(core::PhoneFormat::International),
        e164: p.format(core::PhoneFormat::E164),
        masked: p.masked(),
        carrier: p.carrier(),
    })
}

/// Encoding, length and segment count of a text.
#[uniffi::export]
pub fn analyze_text(text: String) -> TextAnalysis {
    let _entry = crate::quiet::enter();
    let a = core::analyze(&text);
    TextAnalysis {
        encoding: a.encoding,
        characters: a.characters as u64,
        units: a.units as u64,
        segments: a.segments as u64,
    }
}

/// Removes Vietnamese diacritics (every tone mark, đ/Đ).
#[uniffi::export]
pub fn strip_diacritics(text: String) -> String {
    let _entry = crate::quiet::enter();
    core::strip_diacritics(&text)
}

/// The library version (`0.1.0`).
#[uniffi::export]
pub fn version() -> String {
    let _entry = crate::quiet::enter();
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The window of a `GetSmsSentData_V2` query.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SentDataWindow {
    /// eSMS `SmsType`: 1, 2, 8, 23, 24, 25 or 26.
    pub sms_type: i64,
    /// From (ms since the Unix epoch); sent as Vietnam time to the second.
    pub from_ms: i64,
    /// To (ms since the Unix epoch); not before `from_ms`.
    pub to_ms: i64,
    /// Page, from 1.
    pub page: u32,
    /// Rows per page, 1 to 500.
    pub page_size: u32,
}

/// One row of `GetSmsSentData_V2`: one recipient of one message eSMS filed. Rows of one send
/// share `reference_id`; a row is identified by `(reference_id, phone)`.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SentRow {
    /// `ReferenceId`: the SMSID the send returned.
    pub reference_id: String,
    /// `Phone`, as eSMS wrote it.
    pub phone: String,
    /// `Content`.
    pub content: Option<String>,
    /// `Campaign`.
    pub campaign: Option<String>,
    /// `SellPrice`.
    pub sell_price: Option<f64>,
    /// `SendResult`: `success`, `failed`, `undetermined` or `other:<n>`.
    pub result: Option<String>,
    /// `SendStatus` in core's snake_case names.
    pub status: Option<String>,
    /// `SentTime` (ms since the Unix epoch).
    pub sent_time_ms: Option<i64>,
    /// `SmsId`: eSMS's portal id (not the send's id).
    pub portal_sms_id: Option<String>,
    /// `SmsType` in core's snake_case names.
    pub sms_type: Option<String>,
}

/// One page of `GetSmsSentData_V2`.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SentDataPage {
    /// `CountTotal`: rows in the whole window.
    pub count_total: Option<u64>,
    /// The rows, in eSMS's order.
    pub rows: Vec<SentRow>,
}

/// An enum's JSON name (core's serde form), for the string fields of [`SentRow`].
fn json_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// The eSMS `GetSmsSentData_V2` request (what eSMS sent in a window, for reconciliation).
#[uniffi::export]
pub fn encode_sent_data(
    account: Account,
    window: SentDataWindow,
) -> Result<HttpRequest, NhantinError> {
    let _entry = crate::quiet::enter();
    let query = core::esms::SentDataQuery {
        sms_type: core::esms::EsmsSmsType::from_code(window.sms_type),
        from: core::Timestamp::from_unix_millis(window.from_ms),
        to: core::Timestamp::from_unix_millis(window.to_ms),
        page: window.page,
        page_size: window.page_size,
    };
    Ok((&esms_account(account)?.encode_sent_data(&query)?).into())
}

/// Decodes `GetSmsSentData_V2`.
#[uniffi::export]
pub fn decode_sent_data(response: HttpResponse) -> Result<SentDataPage, NhantinError> {
    let _entry = crate::quiet::enter();
    let page = core::esms::decode_sent_data(&response.into())
        .map_err(|e| NhantinError::from_core(e, &core::Idempotency::ReadOnly))?;
    Ok(SentDataPage {
        count_total: page.count_total,
        rows: page
            .rows
            .into_iter()
            .map(|r| SentRow {
                reference_id: r.reference_id.as_str().to_owned(),
                phone: r.phone,
                content: r.content,
                campaign: r.campaign,
                sell_price: r.sell_price,
                result: r.result.as_ref().map(json_name),
                status: r.status.as_ref().map(json_name),
                sent_time_ms: r.sent_time.map(core::Timestamp::unix_millis),
                portal_sms_id: r.portal_sms_id,
                sms_type: r.sms_type.as_ref().map(json_name),
            })
            .collect(),
    })
}
