//! eSMS single ZNS sends (Zalo digest §2.0–§2.5, §2.7, §5, §9.3–§9.5, §9.7), and the Zalo
//! world every provider's ZNS shares: who has Zalo, and what Zalo does with a message.
//!
//! Five operations under the eSMS prefix, all `POST` with a JSON body:
//!
//! | Operation | Recipient | Parameters |
//! |---|---|---|
//! | `SendZaloMessage_V6/` | `Phone` | `TempData` object `{name: value}` |
//! | `SendZaloMessage_V6/zalo_uid/` | `ZaloUid` | `TempData` object |
//! | `SendZaloMessage_V6/hash_phone/` | `HashPhone` | `TempData` object |
//! | `SendZaloMessage_V5_post/` | `Phone` | `TempData` list of `{"key","value"}` |
//! | `SendZaloMessage_V4_post_json/` | `Phone` | `Params` positional list; journey with `"IsJourney":true` + `OrderId` |
//!
//! Checks, in this order; the first failure answers:
//!
//! 1. framing → `{"error":"Invalid request"}`: `Content-Type: application/json`, a JSON
//!    object, **no member outside the operation's table** (the ZNS pages each list their
//!    members; unlike the SMS handlers, which drop unknown members as WCF would, a ZNS request
//!    with any other member is refused, so a client cannot send the V6 body to V5 or a
//!    `SendingMode` to the UID operation unnoticed), every value a JSON string except
//!    `IsJourney`, a JSON boolean (the pages' examples; no ZNS table types a member
//!    "number", so numbers are not accepted as `accept_numeric_codes` lets the SMS handlers
//!    do), `TempData`/`Params` of the operation's shape, the required `ApiKey`, `SecretKey`
//!    and recipient member present, `Sandbox` `"0"`/`"1"`, `SendingMode` `"1"`/`"3"`,
//!    `RequestId` ≤ 50 characters, `campaignid` ≤ 254, `SendDate` `yyyy-MM-dd HH:mm:ss`,
//!    `CallbackUrl` http(s); a journey (`"IsJourney":true`) needs a non-empty `OrderId` and
//!    carries neither `SendDate` nor `SendingMode` (the journey pages list neither), and
//!    `OrderId` without `"IsJourney":true` is refused;
//! 2. credentials → 101;
//! 3. `OAID` or `TempID` absent or empty → 791. Both are checked before either is looked up,
//!    since 791 names the two together;
//! 4. `OAID` not known to eSMS → 204; known but inactive or attached to another account → 799;
//! 5. `TempID` not configured for that OA → 789;
//! 6. parameters → 790: a journey template without `"IsJourney":true` or the reverse; for
//!    named parameters a name missing, an unknown name or a name twice; for positional ones a
//!    count different from the template's; a value empty or longer than its `Limit`;
//! 7. recipient: `Phone` not national `0` + 9 digits, or `ZaloUid` not 1–32 ASCII digits → 108;
//!    `HashPhone` not the lowercase hex SHA-256 of the `84…` form of a phone the emulator
//!    knows (`ZaloConfig::hash_directory`, plus the phones without Zalo or inactive) → 115;
//! 8. balance below the template's price (sandbox is free) → 103;
//! 9. `RequestId` already used by the account within 24 h, SMS sends included → 124. It is
//!    registered here, so a request refused at step 10 uses it up;
//! 10. `SendingMode` 3 with a `SendDate` → 801; `SendingMode` 3 on an OA not whitelisted → 802;
//! 11. accepted → `{"CodeResult":"100","CountRegenerate":0,"SMSID":…}`, recorded, counted
//!     against the OA's daily quota (not in sandbox), and a report scheduled to the
//!     `CallbackUrl` unless it is a sandbox send. Bulk items (`bulk.rs`) are committed by the
//!     same code ([`commit`]), after the same checks ([`resolve_oa_template`],
//!     [`check_params`]).
//!
//! The order of steps 3–10 is the digest's (§9.3, itself an inference); eSMS documents no
//! order. Error texts are those of `esms::Code` (789 byte-exact, the others the emulator's).
//!
//! What Zalo does with an accepted ZNS is decided from the recipient: listed in
//! `ZaloConfig::without_zalo` → fails with −118, in `ZaloConfig::inactive` → −114, otherwise
//! delivered with a fresh 20-hex Zalo message id, which the record keeps and the report
//! (`partnerids`) and every Zalo query then show. The provider cannot know this at send time,
//! so such a ZNS is still answered 100 and recorded; only the report says it failed. A
//! delivered ZNS is charged the template's price; a failed one is not (its report says
//! `TotalPrice=0.0000`); a sandbox one is validated, recorded with `"sandbox":true` and
//! `"delivery":{"status":"not_sent"}`, not charged and not reported (§9.4).

use std::time::Instant;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::config::{EsmsAccount, ZaloConfig, ZaloOa, ZnsTemplate};
use crate::dlr::{self, DlrJob, ZnsReportInput, ZnsTarget};
use crate::esms::{
    find_account, invalid_request, require_media_type, Answer, Code, MAX_REQUEST_ID_CHARS,
};
use crate::http::{Request, Response};
use crate::records::{
    AcceptedMessage, Endpoint, EsmsSmsType, MessageKind, Provider, Reference, ZnsDelivery,
    ZnsDetails, ZnsParam, ZnsRecipient,
};
use crate::shared::{wall_clock_ms, Shared, State};
use crate::wire::{is_esms_send_date, is_http_url, is_national_phone, Fields, Invalid};

/// Longest `campaignid` (the Vietnamese tables: at most 254 characters).
const MAX_CAMPAIGN_CHARS: usize = 254;
/// Longest `ZaloUid` accepted. Zalo user ids in the samples have 15 to 19 digits; no page
/// bounds them, so the emulator takes up to 32 (digest D-Z10).
const MAX_UID_CHARS: usize = 32;

/// The five ZNS send operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ZnsOp {
    V6,
    V6Uid,
    V6Hash,
    V5,
    V4,
}

/// `SendZaloMessage_V6/` (the Vietnamese V6 page's table and curl).
const V6_MEMBERS: &[&str] = &[
    "ApiKey",
    "SecretKey",
    "OAID",
    "Phone",
    "TempData",
    "TempID",
    "SendDate",
    "campaignid",
    "RequestId",
    "Sandbox",
    "CallbackUrl",
    "SendingMode",
];
/// `SendZaloMessage_V6/zalo_uid/`: `ZaloUid` for `Phone`, and no `SendingMode` row.
const V6_UID_MEMBERS: &[&str] = &[
    "ApiKey",
    "SecretKey",
    "OAID",
    "ZaloUid",
    "TempData",
    "TempID",
    "SendDate",
    "campaignid",
    "RequestId",
    "Sandbox",
    "CallbackUrl",
];
/// `SendZaloMessage_V6/hash_phone/`: `HashPhone` for `Phone`.
const V6_HASH_MEMBERS: &[&str] = &[
    "ApiKey",
    "SecretKey",
    "OAID",
    "HashPhone",
    "TempData",
    "TempID",
    "SendDate",
    "campaignid",
    "RequestId",
    "Sandbox",
    "CallbackUrl",
    "SendingMode",
];
/// `SendZaloMessage_V5_post/` (both V5 pages; the English curl also sends `SendingMode`).
const V5_MEMBERS: &[&str] = V6_MEMBERS;
/// `SendZaloMessage_V4_post_json/`: the V4 table plus the journey page's `IsJourney`/`OrderId`.
const V4_MEMBERS: &[&str] = &[
    "ApiKey",
    "SecretKey",
    "Phone",
    "Params",
    "TempID",
    "OAID",
    "SendDate",
    "Sandbox",
    "RequestId",
    "campaignid",
    "CallbackUrl",
    "SendingMode",
    "IsJourney",
    "OrderId",
];

impl ZnsOp {
    /// Operation names, matched exactly (the caller has stripped one trailing slash).
    pub fn from_name(name: &str) -> Option<ZnsOp> {
        Some(match name {
            "SendZaloMessage_V6" => ZnsOp::V6,
            "SendZaloMessage_V6/zalo_uid" => ZnsOp::V6Uid,
            "SendZaloMessage_V6/hash_phone" => ZnsOp::V6Hash,
            "SendZaloMessage_V5_post" => ZnsOp::V5,
            "SendZaloMessage_V4_post_json" => ZnsOp::V4,
            _ => return None,
        })
    }

    fn endpoint(self) -> Endpoint {
        match self {
            ZnsOp::V6 => Endpoint::EsmsZnsV6,
            ZnsOp::V6Uid => Endpoint::EsmsZnsV6Uid,
            ZnsOp::V6Hash => Endpoint::EsmsZnsV6HashPhone,
            ZnsOp::V5 => Endpoint::EsmsZnsV5,
            ZnsOp::V4 => Endpoint::EsmsZnsV4,
        }
    }

    fn members(self) -> &'static [&'static str] {
        match self {
            ZnsOp::V6 => V6_MEMBERS,
            ZnsOp::V6Uid => V6_UID_MEMBERS,
            ZnsOp::V6Hash => V6_HASH_MEMBERS,
            ZnsOp::V5 => V5_MEMBERS,
            ZnsOp::V4 => V4_MEMBERS,
        }
    }
}

/// Handles one eSMS ZNS send (the method is already checked).
pub(crate) fn handle_esms(shared: &Shared, req: &Request, op: ZnsOp) -> Response {
    match parse(req, op) {
        Ok(send) => accept(shared, send).into_response(),
        Err(invalid) => invalid_request(invalid),
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing

enum Recipient {
    Phone(String),
    Uid(String),
    Hash(String),
}

pub(crate) enum Params {
    /// `TempData` (V5, V6), in the order received.
    Named(Vec<(String, String)>),
    /// `Params` (V4).
    Positional(Vec<String>),
}

struct ZnsSend {
    op: ZnsOp,
    api_key: String,
    secret_key: String,
    oa_id: Option<String>,
    temp_id: Option<String>,
    recipient: Recipient,
    params: Params,
    send_date: Option<String>,
    campaign_id: Option<String>,
    request_id: Option<String>,
    callback_url: Option<String>,
    sandbox: bool,
    sending_mode: Option<String>,
    /// `OrderId` of a journey ZNS; `Some` exactly when `"IsJourney":true`.
    order_id: Option<String>,
}

fn parse(req: &Request, op: ZnsOp) -> Result<ZnsSend, Invalid> {
    require_media_type(req, "application/json")?;
    let map = Fields::parse(&req.body)?;
    if let Some(name) = map.keys().find(|k| !op.members().contains(&k.as_str())) {
        return Err(Invalid(format!(
            "member {name:?} is not part of {}",
            endpoint_name(op)
        )));
    }
    let f = Fields::new(&map);
    let recipient = match op {
        ZnsOp::V6Uid => Recipient::Uid(f.required_str("ZaloUid")?),
        ZnsOp::V6Hash => Recipient::Hash(f.required_str("HashPhone")?),
        ZnsOp::V6 | ZnsOp::V5 | ZnsOp::V4 => Recipient::Phone(f.required_str("Phone")?),
    };
    let params = match op {
        ZnsOp::V6 | ZnsOp::V6Uid | ZnsOp::V6Hash => Params::Named(temp_data_object(&f)?),
        ZnsOp::V5 => Params::Named(temp_data_list(&f)?),
        ZnsOp::V4 => Params::Positional(f.string_array("Params")?),
    };
    let sandbox = parse_sandbox(&f)?;
    let sending_mode = parse_sending_mode(&f)?;
    let request_id = parse_request_id(&f)?;
    let campaign_id = parse_campaign_id(&f)?;
    let send_date = parse_send_date(&f)?;
    let callback_url = parse_callback_url(&f)?;
    let journey = match f.get("IsJourney") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(Invalid::new("IsJourney must be a JSON boolean")),
    };
    let order_id = f.optional_str("OrderId")?;
    let order_id = match (journey, order_id) {
        (true, Some(id)) => Some(id),
        (true, None) => return Err(Invalid::new("OrderId is required with IsJourney true")),
        (false, Some(_)) => return Err(Invalid::new("OrderId given without IsJourney true")),
        (false, None) => None,
    };
    if journey && (send_date.is_some() || sending_mode.is_some()) {
        return Err(Invalid::new(
            "a journey ZNS carries neither SendDate nor SendingMode",
        ));
    }
    Ok(ZnsSend {
        op,
        api_key: f.required_str("ApiKey")?,
        secret_key: f.required_str("SecretKey")?,
        oa_id: f.optional_str("OAID")?,
        temp_id: f.optional_str("TempID")?,
        recipient,
        params,
        send_date,
        campaign_id,
        request_id,
        callback_url,
        sandbox,
        sending_mode,
        order_id,
    })
}

// Members shared by the single and bulk ZNS bodies, each checked the same way wherever it
// appears.

/// `Sandbox`: `"0"` or `"1"`, absent meaning `"0"`.
pub(crate) fn parse_sandbox(f: &Fields<'_>) -> Result<bool, Invalid> {
    match f.optional_str("Sandbox")?.as_deref() {
        None | Some("0") => Ok(false),
        Some("1") => Ok(true),
        Some(other) => Err(Invalid(format!(
            "Sandbox must be \"0\" or \"1\", got {other:?}"
        ))),
    }
}

/// `SendingMode`: `"1"` or `"3"`.
pub(crate) fn parse_sending_mode(f: &Fields<'_>) -> Result<Option<String>, Invalid> {
    match f.optional_str("SendingMode")? {
        None => Ok(None),
        Some(mode) if mode == "1" || mode == "3" => Ok(Some(mode)),
        Some(other) => Err(Invalid(format!(
            "SendingMode must be \"1\" or \"3\", got {other:?}"
        ))),
    }
}

/// `RequestId`: at most 50 characters.
pub(crate) fn parse_request_id(f: &Fields<'_>) -> Result<Option<String>, Invalid> {
    let request_id = f.optional_str("RequestId")?;
    if request_id
        .as_ref()
        .is_some_and(|id| id.chars().count() > MAX_REQUEST_ID_CHARS)
    {
        return Err(Invalid::new("RequestId longer than 50 characters"));
    }
    Ok(request_id)
}

/// `campaignid`: at most 254 characters.
pub(crate) fn parse_campaign_id(f: &Fields<'_>) -> Result<Option<String>, Invalid> {
    let campaign_id = f.optional_str("campaignid")?;
    if campaign_id
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_CAMPAIGN_CHARS)
    {
        return Err(Invalid::new("campaignid longer than 254 characters"));
    }
    Ok(campaign_id)
}

/// `SendDate`: `yyyy-MM-dd HH:mm:ss`.
pub(crate) fn parse_send_date(f: &Fields<'_>) -> Result<Option<String>, Invalid> {
    let send_date = f.optional_str("SendDate")?;
    if let Some(date) = &send_date {
        if !is_esms_send_date(date) {
            return Err(Invalid(format!(
                "SendDate {date:?} is not YYYY-MM-DD HH:MM:SS"
            )));
        }
    }
    Ok(send_date)
}

/// `CallbackUrl`: an http(s) URL.
pub(crate) fn parse_callback_url(f: &Fields<'_>) -> Result<Option<String>, Invalid> {
    let callback_url = f.optional_str("CallbackUrl")?;
    if let Some(url) = &callback_url {
        if !is_http_url(url) {
            return Err(Invalid(format!(
                "CallbackUrl {url:?} is not an http(s) URL"
            )));
        }
    }
    Ok(callback_url)
}

fn endpoint_name(op: ZnsOp) -> &'static str {
    match op {
        ZnsOp::V6 => "SendZaloMessage_V6",
        ZnsOp::V6Uid => "SendZaloMessage_V6/zalo_uid",
        ZnsOp::V6Hash => "SendZaloMessage_V6/hash_phone",
        ZnsOp::V5 => "SendZaloMessage_V5_post",
        ZnsOp::V4 => "SendZaloMessage_V4_post_json",
    }
}

/// V6 `TempData`: a JSON object whose values are all JSON strings.
fn temp_data_object(f: &Fields<'_>) -> Result<Vec<(String, String)>, Invalid> {
    match f.get("TempData") {
        Some(Value::Object(members)) => string_members(members, "TempData"),
        None | Some(Value::Null) => Err(Invalid::new("TempData is required")),
        Some(_) => Err(Invalid::new("TempData must be a JSON object")),
    }
}

/// The members of a JSON object whose values must all be JSON strings.
pub(crate) fn string_members(
    members: &Map<String, Value>,
    what: &str,
) -> Result<Vec<(String, String)>, Invalid> {
    members
        .iter()
        .map(|(name, value)| match value {
            Value::String(s) => Ok((name.clone(), s.clone())),
            _ => Err(Invalid(format!("{what}.{name} must be a JSON string"))),
        })
        .collect()
}

/// V5 `TempData`: a JSON array of `{"key": string, "value": string}` objects, nothing else
/// (both V5 curls spell the members in lower case).
fn temp_data_list(f: &Fields<'_>) -> Result<Vec<(String, String)>, Invalid> {
    let items = match f.get("TempData") {
        Some(Value::Array(items)) => items,
        None | Some(Value::Null) => return Err(Invalid::new("TempData is required")),
        Some(_) => {
            return Err(Invalid::new(
                "TempData must be a JSON array of {\"key\",\"value\"} objects",
            ))
        }
    };
    items
        .iter()
        .map(|item| {
            let Value::Object(pair) = item else {
                return Err(Invalid::new("each TempData item must be a JSON object"));
            };
            if pair.len() != 2 {
                return Err(Invalid::new(
                    "each TempData item has exactly the members \"key\" and \"value\"",
                ));
            }
            match (pair.get("key"), pair.get("value")) {
                (Some(Value::String(k)), Some(Value::String(v))) => Ok((k.clone(), v.clone())),
                _ => Err(Invalid::new(
                    "each TempData item has a string \"key\" and a string \"value\"",
                )),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The Zalo world

/// What Zalo does with a ZNS to `recipient` (a national phone or a Zalo user id, as sent):
/// `Ok(())` delivered, `Err(code)` refused with that Zalo error.
pub(crate) fn zalo_outcome(config: &ZaloConfig, recipient: &str) -> Result<(), i32> {
    if config.without_zalo.iter().any(|p| p == recipient) {
        Err(-118)
    } else if config.inactive.iter().any(|p| p == recipient) {
        Err(-114)
    } else {
        Ok(())
    }
}

/// Zalo's error for a ZNS beyond its OA's daily quota: "Out of quota" in Zalo's own public
/// error table (a third-party source; no eSMS page gives a code for it, D-Z58). eSMS has
/// already accepted such a send (100), so the caller learns it from the failed report.
pub(crate) const ZALO_OUT_OF_QUOTA: i32 = -115;

/// How many ZNS `oa_id` has sent today (Vietnam time, emulator clock).
pub(crate) fn quota_used(shared: &Shared, state: &State, oa_id: &str) -> u32 {
    state
        .esms
        .zns_quota_used
        .get(&(oa_id.to_owned(), quota_day(shared)))
        .copied()
        .unwrap_or_default()
}

/// What Zalo does with an eSMS ZNS from `oa` to `recipient` now: [`ZALO_OUT_OF_QUOTA`] once
/// the OA's daily quota is used up, unless the send asks to go beyond it (`SendingMode` 3,
/// which only a whitelisted OA gets past validation with); otherwise [`zalo_outcome`].
pub(crate) fn esms_zalo_outcome(
    shared: &Shared,
    state: &State,
    oa: &ZaloOa,
    recipient: &str,
    sending_mode: Option<&str>,
) -> Result<(), i32> {
    if sending_mode != Some("3") && quota_used(shared, state, &oa.oa_id) >= oa.daily_quota {
        return Err(ZALO_OUT_OF_QUOTA);
    }
    zalo_outcome(&shared.config.zalo, recipient)
}

/// A fresh Zalo message id: 20 lowercase hex digits, the shape of the reports' `partnerids`.
pub(crate) fn zalo_msg_id(shared: &Shared) -> String {
    format!(
        "{:016x}{:04x}",
        shared.ids.next_u64(),
        shared.ids.next_u64() & 0xffff
    )
}

/// The record of what Zalo did, from [`zalo_outcome`].
pub(crate) fn delivery(shared: &Shared, outcome: Result<(), i32>, sandbox: bool) -> ZnsDelivery {
    match outcome {
        _ if sandbox => ZnsDelivery::NotSent,
        Ok(()) => ZnsDelivery::Delivered {
            zalo_msg_id: zalo_msg_id(shared),
        },
        Err(zalo_error) => ZnsDelivery::Failed { zalo_error },
    }
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The lowercase hex SHA-256 of the ASCII `84` + nine-digit form of a national phone: what
/// `HashPhone` must be (only the `84` form is supported; a hash of `0…` or `+84…` is a wrong
/// number).
pub(crate) fn hash_phone(national: &str) -> String {
    sha256_hex(&format!("84{}", &national[1..]))
}

/// The directory phone whose hash `hash` is. Uppercase hex is refused too: the page shows only
/// lowercase and says nothing of case, so the stricter reading is the one clients are tested
/// against.
fn resolve_hash(config: &ZaloConfig, hash: &str) -> Option<String> {
    if hash.len() != 64 || !hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    config
        .hash_directory
        .iter()
        .chain(&config.without_zalo)
        .chain(&config.inactive)
        .filter(|p| is_national_phone(p))
        .find(|p| hash_phone(p) == hash)
        .cloned()
}

/// A stable 17-digit Zalo user id for a phone (the length of `user_id` in the journey sample):
/// the same phone always gets the same id, as a real Zalo user would.
fn zalo_user_id(phone: &str) -> String {
    let digest = Sha256::digest(phone.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    let n = u64::from_be_bytes(first) % 90_000_000_000_000_000;
    (10_000_000_000_000_000 + n).to_string()
}

// ---------------------------------------------------------------------------------------------
// Accepting

/// Step 6 for one set of values: the values in the template's order, named; 790 when they do
/// not fit. Positional values are named after the template's parameters by position.
pub(crate) fn check_params(template: &ZnsTemplate, params: Params) -> Result<Vec<ZnsParam>, Code> {
    let values: Vec<String> = match params {
        Params::Positional(values) => {
            if values.len() != template.params.len() {
                return Err(Code::TemplateMismatch);
            }
            values
        }
        Params::Named(pairs) => {
            if pairs.len() != template.params.len() {
                return Err(Code::TemplateMismatch);
            }
            let mut ordered = Vec::with_capacity(pairs.len());
            for spec in &template.params {
                let mut matching = pairs.iter().filter(|(name, _)| *name == spec.name);
                let (Some((_, value)), None) = (matching.next(), matching.next()) else {
                    return Err(Code::TemplateMismatch);
                };
                ordered.push(value.clone());
            }
            ordered
        }
    };
    template
        .params
        .iter()
        .zip(values)
        .map(|(spec, value)| {
            let chars = value.chars().count();
            if chars > 0 && chars <= spec.limit {
                Ok(ZnsParam {
                    name: spec.name.clone(),
                    value,
                })
            } else {
                Err(Code::TemplateMismatch)
            }
        })
        .collect()
}

/// Step 4: an `OAID` the account may use; 204 when eSMS does not know it, 799 when it is
/// inactive or attached to another account. The Zalo queries that name an OA share it.
pub(crate) fn resolve_oa<'a>(
    config: &'a ZaloConfig,
    account: &EsmsAccount,
    oa_id: &str,
) -> Result<&'a ZaloOa, Code> {
    let oa = config
        .oas
        .iter()
        .find(|o| o.oa_id == oa_id)
        .ok_or(Code::OaUnknown)?;
    if !oa.active || oa.esms_account != account.api_key {
        return Err(Code::OaInactive);
    }
    Ok(oa)
}

/// Steps 3–5: the OA and the template of an eSMS ZNS (791, 204/799, 789).
pub(crate) fn resolve_oa_template<'a>(
    config: &'a ZaloConfig,
    account: &EsmsAccount,
    oa_id: Option<&str>,
    temp_id: Option<&str>,
) -> Result<(&'a ZaloOa, &'a ZnsTemplate), Code> {
    let (Some(oa_id), Some(temp_id)) = (oa_id, temp_id) else {
        return Err(Code::OaOrTemplateMissing);
    };
    let oa = resolve_oa(config, account, oa_id)?;
    let template = oa
        .templates
        .iter()
        .find(|t| t.template_id == temp_id)
        .ok_or(Code::TemplateNotConfigured)?;
    Ok((oa, template))
}

/// Steps 3–6: the OA and template of an eSMS ZNS (`journey`: sent with `"IsJourney":true`),
/// and its parameters checked against the template, in the template's order.
pub(crate) fn resolve_template<'a>(
    config: &'a ZaloConfig,
    account: &EsmsAccount,
    oa_id: Option<&str>,
    temp_id: Option<&str>,
    journey: bool,
    params: Params,
) -> Result<(&'a ZaloOa, &'a ZnsTemplate, Vec<ZnsParam>), Code> {
    let (oa, template) = resolve_oa_template(config, account, oa_id, temp_id)?;
    if template.journey != journey {
        return Err(Code::TemplateMismatch);
    }
    let params = check_params(template, params)?;
    Ok((oa, template, params))
}

/// Seconds east of UTC of Vietnam time (no daylight saving).
const VN_OFFSET_SECS: i64 = 7 * 3600;

/// The day a ZNS counts against its OA's daily quota: the Vietnam-time day of emulator time,
/// so that `Emulator::advance_clock` by a day gives the quota back as a real midnight would.
pub(crate) fn quota_day(shared: &Shared) -> i64 {
    let offset_ms = u64::try_from(shared.clock.offset().as_millis()).unwrap_or(u64::MAX);
    let ms = wall_clock_ms().saturating_add(offset_ms);
    let secs = i64::try_from(ms / 1000).unwrap_or(i64::MAX - VN_OFFSET_SECS) + VN_OFFSET_SECS;
    secs.div_euclid(86_400)
}

/// Counts one accepted, non-sandbox ZNS against `oa_id`'s quota of today.
pub(crate) fn count_quota(shared: &Shared, state: &mut State, oa_id: &str) {
    let used = state
        .esms
        .zns_quota_used
        .entry((oa_id.to_owned(), quota_day(shared)))
        .or_default();
    *used = used.saturating_add(1);
}

/// An eSMS ZNS that passed every check, ready to be committed.
pub(crate) struct ZnsCommit<'a> {
    pub endpoint: Endpoint,
    pub account: &'a EsmsAccount,
    pub oa: &'a ZaloOa,
    pub template: &'a ZnsTemplate,
    pub params: Vec<ZnsParam>,
    pub recipient: ZnsRecipient,
    /// The key of the recipient's Zalo state (the phone, or the Zalo user id).
    pub zalo_key: String,
    pub journey_order_id: Option<String>,
    pub sending_mode: Option<String>,
    pub sandbox: bool,
    pub schedule: Option<String>,
    pub request_id: Option<String>,
    pub callback_url: Option<String>,
    pub campaign_id: Option<String>,
}

/// Step 11 for one ZNS (single sends and each accepted bulk item), under the lock: decides
/// what Zalo does, charges, counts the quota, records, and builds the report to schedule once
/// the lock is released. Returns the new SMSID.
pub(crate) fn commit(
    shared: &Shared,
    state: &mut State,
    send: ZnsCommit<'_>,
    now: Instant,
) -> (String, Option<DlrJob>) {
    let outcome = esms_zalo_outcome(
        shared,
        state,
        send.oa,
        &send.zalo_key,
        send.sending_mode.as_deref(),
    );
    let delivery = delivery(shared, outcome, send.sandbox);
    let charged = match delivery {
        ZnsDelivery::Delivered { .. } => send.template.price,
        ZnsDelivery::Failed { .. } | ZnsDelivery::NotSent => 0,
    };
    if let Some(balance) = state.esms.balances.get_mut(&send.account.api_key) {
        *balance = balance.saturating_sub(charged);
    }
    // A ZNS Zalo refused for the quota did not use any of it.
    if !send.sandbox && outcome != Err(ZALO_OUT_OF_QUOTA) {
        count_quota(shared, state, &send.oa.oa_id);
    }
    let sms_id = shared.ids.hex32();
    state.esms.accepted_at.insert(sms_id.clone(), now);
    let portal_sms_id = shared.ids.serial();
    let epoch = state.epoch;
    let target = match &send.recipient {
        ZnsRecipient::Phone { phone } => phone.clone(),
        ZnsRecipient::ZaloUid { zalo_uid } => zalo_uid.clone(),
        ZnsRecipient::HashPhone { hash_phone, .. } => hash_phone.clone(),
    };
    let journey = send.journey_order_id.is_some();
    state.record(AcceptedMessage {
        seq: 0,
        created_at_unix_ms: 0,
        provider: Provider::Esms,
        endpoint: send.endpoint,
        account: send.account.api_key.clone(),
        recipients: vec![target.clone()],
        text: None,
        sender: None,
        kind: MessageKind::Esms {
            sms_type: if journey {
                EsmsSmsType::ZaloJourney
            } else {
                EsmsSmsType::ZaloCustomerCare
            },
        },
        unicode: None,
        sandbox: send.sandbox,
        schedule: send.schedule,
        request_id: send.request_id,
        callback_url: send.callback_url.clone(),
        campaign_id: send.campaign_id,
        attached_ticket_id: None,
        viber: None,
        zns: Some(ZnsDetails {
            oa_id: Some(send.oa.oa_id.clone()),
            template_id: send.template.template_id.clone(),
            params: send.params,
            recipient: send.recipient.clone(),
            journey_order_id: send.journey_order_id,
            sending_mode: send.sending_mode,
            delivery: delivery.clone(),
            price: charged,
        }),
        multichannel: None,
        generated_code: None,
        reference: Reference::EsmsSmsId {
            sms_id: sms_id.clone(),
            portal_sms_id,
        },
    });

    let outcome = match &delivery {
        ZnsDelivery::Delivered { zalo_msg_id } => Ok(zalo_msg_id.as_str()),
        ZnsDelivery::Failed { zalo_error } => Err(*zalo_error),
        ZnsDelivery::NotSent => return (sms_id, None),
    };
    let Some(callback) = &send.callback_url else {
        return (sms_id, None);
    };
    let due_in = shared.config.delivery_report_delay;
    let start = Instant::now();
    let logged_at = crate::wire::vn_report_time(
        wall_clock_ms().saturating_add(u64::try_from(due_in.as_millis()).unwrap_or(0)),
    );
    let recipient = &send.recipient;
    let user_id = match recipient {
        ZnsRecipient::ZaloUid { zalo_uid } => zalo_uid.clone(),
        ZnsRecipient::Phone { phone } | ZnsRecipient::HashPhone { phone, .. } => {
            zalo_user_id(phone)
        }
    };
    let query = dlr::zns_report(&ZnsReportInput {
        sms_id: &sms_id,
        target: match recipient {
            ZnsRecipient::Phone { phone } => ZnsTarget::Phone(phone),
            ZnsRecipient::ZaloUid { zalo_uid } => ZnsTarget::Uid(zalo_uid),
            ZnsRecipient::HashPhone { hash_phone, .. } => ZnsTarget::Hash(hash_phone),
        },
        journey,
        oa_id: &send.oa.oa_id,
        template_id: &send.template.template_id,
        outcome,
        price: send.template.price,
        zalo_user_id: &user_id,
        logged_at: &logged_at,
    });
    let job = DlrJob {
        epoch,
        due: start.checked_add(due_in).unwrap_or(start),
        sms_id: sms_id.clone(),
        phone: Some(target),
        url: dlr::append_encoded_query(callback, &query),
    };
    (sms_id, Some(job))
}

fn accept(shared: &Shared, send: ZnsSend) -> Answer {
    let config = &shared.config;
    let Some(account) = find_account(&config.esms, &send.api_key, &send.secret_key) else {
        return Answer::Rejected(Code::AuthorizeFailed);
    };
    let (oa, template, params) = match resolve_template(
        &config.zalo,
        account,
        send.oa_id.as_deref(),
        send.temp_id.as_deref(),
        send.order_id.is_some(),
        send.params,
    ) {
        Ok(resolved) => resolved,
        Err(code) => return Answer::Rejected(code),
    };
    // (record form, the key of the recipient's Zalo state)
    let (recipient, zalo_key) = match send.recipient {
        Recipient::Phone(phone) if is_national_phone(&phone) => (
            ZnsRecipient::Phone {
                phone: phone.clone(),
            },
            phone,
        ),
        Recipient::Uid(uid)
            if !uid.is_empty()
                && uid.len() <= MAX_UID_CHARS
                && uid.bytes().all(|b| b.is_ascii_digit()) =>
        {
            (
                ZnsRecipient::ZaloUid {
                    zalo_uid: uid.clone(),
                },
                uid,
            )
        }
        Recipient::Phone(_) | Recipient::Uid(_) => {
            return Answer::Rejected(Code::PhoneInvalid);
        }
        Recipient::Hash(hash) => match resolve_hash(&config.zalo, &hash) {
            Some(phone) => (
                ZnsRecipient::HashPhone {
                    hash_phone: hash,
                    phone: phone.clone(),
                },
                phone,
            ),
            None => return Answer::Rejected(Code::HashPhoneInvalid),
        },
    };
    let price = if send.sandbox { 0 } else { template.price };

    let now = shared.clock.now();
    let mut state = shared.lock();
    let balance = state
        .esms
        .balances
        .get(&account.api_key)
        .copied()
        .unwrap_or_default();
    if balance < price {
        return Answer::Rejected(Code::BalanceTooLow);
    }
    if let Some(id) = &send.request_id {
        if !state.esms.claim_request_id(&account.api_key, id, now) {
            return Answer::Rejected(Code::DuplicateRequestId);
        }
    }
    if send.sending_mode.as_deref() == Some("3") {
        if send.send_date.is_some() {
            return Answer::Rejected(Code::Mode3Scheduled);
        }
        if !oa.sending_mode3_allowed {
            return Answer::Rejected(Code::Mode3NotAllowed);
        }
    }
    let (sms_id, job) = commit(
        shared,
        &mut state,
        ZnsCommit {
            endpoint: send.op.endpoint(),
            account,
            oa,
            template,
            params,
            recipient,
            zalo_key,
            journey_order_id: send.order_id,
            sending_mode: send.sending_mode,
            sandbox: send.sandbox,
            schedule: send.send_date,
            request_id: send.request_id,
            callback_url: send.callback_url,
            campaign_id: send.campaign_id,
        },
        now,
    );
    drop(state);
    if let Some(job) = job {
        shared.schedule_report(job);
    }
    Answer::Accepted { sms_id }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_of_the_84_form() {
        assert_eq!(
            hash_phone("0912345678"),
            "25cc2f7574420a2d46c9f2d6cf94cdbb242ef7d479afe92ed6e8eb33a7493093"
        );
        let config = ZaloConfig::default();
        assert_eq!(
            resolve_hash(
                &config,
                "25cc2f7574420a2d46c9f2d6cf94cdbb242ef7d479afe92ed6e8eb33a7493093"
            )
            .as_deref(),
            Some("0912345678")
        );
        // The national form's hash, the uppercase form and junk are all refused.
        assert_eq!(resolve_hash(&config, &sha256_hex("0912345678")), None);
        assert_eq!(
            resolve_hash(
                &config,
                "25CC2F7574420A2D46C9F2D6CF94CDBB242EF7D479AFE92ED6E8EB33A7493093"
            ),
            None
        );
        assert_eq!(resolve_hash(&config, "25cc"), None);
    }

    #[test]
    fn user_ids_are_stable_17_digit_numbers() {
        let a = zalo_user_id("0912345678");
        assert_eq!(a.len(), 17);
        assert!(a.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(a, zalo_user_id("0912345678"));
        assert_ne!(a, zalo_user_id("0912345679"));
    }
}
