//! eSMS.vn (`MainService.svc/json/…`): the six send operations, balance, the two status
//! queries and the time-window query `GetSmsSentData_V2`, parsed from the documented wire formats
//! (digest §1.3–§1.5, §2.1–§2.7, §5.1, §8 C–F; Zalo digest §3.7).
//!
//! Every answer is HTTP 200 with a JSON body, as the documentation shows. The checks run in
//! this order, and the first failure answers:
//!
//! 1. framing: `Content-Type` (`text/plain` for XML, `application/json` for JSON), well-formed
//!    body, required members present with the right JSON types, no misspelled member, formats of
//!    `SendDate`, `CallbackUrl`, `RequestId` (≤ 50 chars), Viber content shape →
//!    `{"error":"Invalid request"}`;
//! 2. credentials → 101;
//! 3. `RequestId` already seen on the account within 24 h → 124. The id is registered *here*,
//!    before the business checks, so a request refused later (say with 104) still uses it up.
//!    The documentation does not say which way eSMS does it and digest D-C6 warns that a 124
//!    does not prove the first attempt was accepted; the emulator takes the stricter reading so
//!    clients are tested against it;
//! 4. `SmsType` not served by this operation → 118;
//! 5. brandname: required and absent → Invalid request, present on fixed-number (8) → Invalid
//!    request, not registered → 104;
//! 6. a phone not in national `0` + 9 digits form → 108;
//! 7. advertising below 30 recipients → 107; above 5000 → 120;
//! 8. balance below price × recipients (sandbox is free) → 103;
//! 9. accepted: 100 with a fresh 32-hex-digit `SMSID`, recorded, delivery reports scheduled.
//!
//! Codes 103, 108, 118 and 120 have no documented body; their `ErrorMessage` texts are the
//! emulator's own, built in the documented shape.
//!
//! `GetSmsSentData_V2` answers from the records, one row per recipient of every accepted eSMS
//! send of the account (sandbox ones included, priced 0 and not delivered), filtered on
//! `SmsType` and on the creation time; see [`sent_data`] for the choices the pages leave open.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use crate::config::{EsmsAccount, EsmsConfig};
use crate::dlr::{self, DlrJob};
use crate::http::{parse_query, Method, Request, Response, CT_ESMS_JSON};
use crate::records::{
    AcceptedMessage, Endpoint, EsmsSentRow, EsmsSmsType, MessageKind, Provider, Reference,
    UnicodeFlag, ViberParts,
};
use crate::shared::Shared;
use crate::wire::{
    esms_local_to_unix_secs, is_esms_send_date, is_http_url, is_national_phone, misspelled_member,
    Fields, Invalid,
};
use crate::xml;

/// Path prefix of the eSMS base URL.
pub(crate) const PREFIX: &str = "/esms/MainService.svc/json/";

/// How long a RequestId blocks repeats (page 003: "có hiệu lực chặn trong 24h").
const REQUEST_ID_BLOCK: Duration = Duration::from_secs(24 * 60 * 60);
/// Status queries only see the last 7 days (digest §2.6, §2.7).
const STATUS_WINDOW: Duration = Duration::from_secs(7 * 24 * 60 * 60);
/// Longest RequestId (page 003: "Độ dài tối đa 50 ký tự").
const MAX_REQUEST_ID_CHARS: usize = 50;

/// eSMS state behind the shared lock.
#[derive(Debug, Default)]
pub(crate) struct EsmsState {
    /// Remaining balance per `ApiKey`.
    balances: HashMap<String, u64>,
    /// (`ApiKey`, `RequestId`) → when first seen, in emulator time.
    request_ids: HashMap<(String, String), Instant>,
    /// `SMSID` → when accepted, in emulator time (status queries see 7 days).
    accepted_at: HashMap<String, Instant>,
}

impl EsmsState {
    pub fn new(config: &EsmsConfig) -> Self {
        EsmsState {
            balances: config
                .accounts
                .iter()
                .map(|a| (a.api_key.clone(), a.balance))
                .collect(),
            ..EsmsState::default()
        }
    }
}

/// The operations, by their path segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    XmlCustomerCare,
    XmlAdvertising,
    Get,
    PostJson,
    AdvertisingJson,
    Viber,
    GetBalance,
    GetSendStatus,
    GetReceiverStatus,
    GetSentData,
}

impl Op {
    /// Operation names are matched exactly (case-sensitive). WCF itself matches URI templates
    /// case-insensitively, but the client should use the documented spelling, and the emulator
    /// is where that is checked.
    fn from_name(name: &str) -> Option<Op> {
        Some(match name {
            "SendMultipleMessage_V4" => Op::XmlCustomerCare,
            "SendMultipleSMSBrandname" => Op::XmlAdvertising,
            "SendMultipleMessage_V4_get" => Op::Get,
            "SendMultipleMessage_V4_post_json" => Op::PostJson,
            "SendMultipleSMSBrandname_json" => Op::AdvertisingJson,
            "Send_Multiple_Sms_OTT" => Op::Viber,
            "GetBalance_json" => Op::GetBalance,
            "GetSendStatus" => Op::GetSendStatus,
            "GetSmsReceiverStatus_get" => Op::GetReceiverStatus,
            "GetSmsSentData_V2" => Op::GetSentData,
            _ => return None,
        })
    }

    fn method(self) -> Method {
        match self {
            Op::Get | Op::GetSendStatus | Op::GetReceiverStatus => Method::Get,
            _ => Method::Post,
        }
    }

    /// The send endpoint and the SmsTypes it serves (digest D-D1/D-D2: XML customer care on
    /// `SendMultipleMessage_V4/`, XML advertising on `SendMultipleSMSBrandname`; §2.4: the GET
    /// operation also carries SmsType 2 with a Brandname).
    fn send_rules(self) -> Option<(Endpoint, &'static [EsmsSmsType])> {
        use EsmsSmsType::*;
        Some(match self {
            Op::XmlCustomerCare => (Endpoint::EsmsXmlCustomerCare, &[CustomerCare]),
            Op::XmlAdvertising => (Endpoint::EsmsXmlAdvertising, &[Advertising]),
            Op::Get => (Endpoint::EsmsGet, &[FixedNumber, CustomerCare]),
            Op::PostJson => (Endpoint::EsmsPostJson, &[CustomerCare, FixedNumber]),
            Op::AdvertisingJson => (Endpoint::EsmsAdvertisingJson, &[Advertising]),
            Op::Viber => (Endpoint::EsmsViber, &[Viber]),
            Op::GetBalance | Op::GetSendStatus | Op::GetReceiverStatus | Op::GetSentData => {
                return None
            }
        })
    }
}

/// Handles a request whose path starts with [`PREFIX`]; `rest` is the path after it.
pub(crate) fn handle(shared: &Shared, req: &Request, rest: &str) -> Response {
    // Tolerate one trailing slash on every operation: the docs write some with one
    // (`SendMultipleMessage_V4/`) and some without, and WCF accepts both.
    let name = rest.strip_suffix('/').unwrap_or(rest);
    let Some(op) = Op::from_name(name) else {
        return Response::text(404, "Endpoint not found.");
    };
    if req.head.method != op.method() {
        return Response::text(405, "Method not allowed.")
            .with_header("Allow", op.method().to_string());
    }
    if let Some((endpoint, types)) = op.send_rules() {
        let numeric = shared.config.esms.accept_numeric_codes;
        let parsed = match op {
            Op::XmlCustomerCare | Op::XmlAdvertising => parse_xml(req, endpoint),
            Op::Get => parse_get(req),
            Op::PostJson => parse_post_json(req, numeric),
            Op::AdvertisingJson => parse_advertising_json(req, numeric),
            _ => parse_viber(req, numeric),
        };
        return match parsed {
            Ok(send) => accept(shared, send, types).into_response(),
            Err(invalid) => Answer::Invalid(invalid).into_response(),
        };
    }
    match op {
        Op::GetBalance => balance(shared, req),
        Op::GetSendStatus => send_status(shared, req),
        Op::GetSentData => sent_data(shared, req),
        _ => receiver_status(shared, req),
    }
}

// ---------------------------------------------------------------------------------------------
// Answers

/// eSMS result codes the emulator produces (digest §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Code {
    AuthorizeFailed,
    BalanceTooLow,
    BrandnameUnknown,
    TooFewRecipients,
    PhoneInvalid,
    TypeUnsupported,
    TooManyRecipients,
    DuplicateRequestId,
}

impl Code {
    fn wire(self) -> &'static str {
        match self {
            Code::AuthorizeFailed => "101",
            Code::BalanceTooLow => "103",
            Code::BrandnameUnknown => "104",
            Code::TooFewRecipients => "107",
            Code::PhoneInvalid => "108",
            Code::TypeUnsupported => "118",
            Code::TooManyRecipients => "120",
            Code::DuplicateRequestId => "124",
        }
    }

    /// Byte-exact texts for the documented codes (101, 104, 107, 124); the rest are the
    /// emulator's own wording of the error table.
    fn message(self) -> &'static str {
        match self {
            Code::AuthorizeFailed => "Authorize Failed",
            Code::BalanceTooLow => "Balance not enough to send message",
            Code::BrandnameUnknown => "Brand name code is not exist",
            Code::TooFewRecipients => "Each request has at least 30 numbers to be approved",
            Code::PhoneInvalid => "Phone number is invalid",
            Code::TypeUnsupported => "SmsType is not supported",
            Code::TooManyRecipients => "Phone list exceeds the limit",
            Code::DuplicateRequestId => "Request exist 1",
        }
    }
}

/// Outcome of a send.
#[derive(Debug)]
enum Answer {
    Accepted { sms_id: String },
    Rejected(Code),
    Invalid(Invalid),
}

/// `{"CodeResult":…,"CountRegenerate":0,"SMSID"|"ErrorMessage":…}` in the documented order.
#[derive(Serialize)]
struct SendBody<'a> {
    #[serde(rename = "CodeResult")]
    code_result: &'a str,
    #[serde(rename = "CountRegenerate")]
    count_regenerate: u32,
    #[serde(rename = "SMSID", skip_serializing_if = "Option::is_none")]
    sms_id: Option<&'a str>,
    #[serde(rename = "ErrorMessage", skip_serializing_if = "Option::is_none")]
    error_message: Option<&'a str>,
}

impl Answer {
    fn into_response(self) -> Response {
        match self {
            Answer::Accepted { sms_id } => esms_json(&SendBody {
                code_result: "100",
                count_regenerate: 0,
                sms_id: Some(&sms_id),
                error_message: None,
            }),
            Answer::Rejected(code) => esms_json(&SendBody {
                code_result: code.wire(),
                count_regenerate: 0,
                sms_id: None,
                error_message: Some(code.message()),
            }),
            Answer::Invalid(invalid) => invalid_request(invalid),
        }
    }
}

fn esms_json<T: Serialize>(body: &T) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    Response::new(200, CT_ESMS_JSON, bytes)
}

/// `{"error":"Invalid request"}` (page 003, tab "99"), with the rule that fired in a header.
fn invalid_request(invalid: Invalid) -> Response {
    log::debug!("eSMS Invalid request: {}", invalid.0);
    Response::new(200, CT_ESMS_JSON, r#"{"error":"Invalid request"}"#)
        .with_header("X-Emulator-Reason", header_safe(&invalid.0))
}

/// Makes a reason safe for a header value: printable ASCII only, at most 200 bytes.
pub(crate) fn header_safe(text: &str) -> String {
    text.chars()
        .map(|c| if (' '..='~').contains(&c) { c } else { '?' })
        .take(200)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Parsing the six send formats

/// A send request in endpoint-neutral form.
#[derive(Debug)]
struct SendRequest {
    endpoint: Endpoint,
    api_key: String,
    secret_key: String,
    sms_type: String,
    brandname: Option<String>,
    phones: Vec<String>,
    content: Option<String>,
    unicode: Option<UnicodeFlag>,
    sandbox: bool,
    request_id: Option<String>,
    send_date: Option<String>,
    callback_url: Option<String>,
    campaign_id: Option<String>,
    viber: Option<ViberParts>,
}

/// XML element names of `<RQST>` (page 002; `REQUESTID` from its markdown version, D-D5).
const XML_FIELDS: &[&str] = &[
    "APIKEY",
    "SECRETKEY",
    "CONTENT",
    "SMSTYPE",
    "BRANDNAME",
    "REQUESTID",
    "SENDDATE",
    "CALLBACKURL",
    "CONTACTS",
];
/// Query parameters of `SendMultipleMessage_V4_get` (page 003, plus `Sandbox` and `Brandname`
/// from the customer-care GET variant, §2.4).
const GET_PARAMS: &[&str] = &[
    "Phone",
    "Content",
    "ApiKey",
    "SecretKey",
    "IsUnicode",
    "SmsType",
    "CallbackUrl",
    "RequestId",
    "SendDate",
    "Sandbox",
    "Brandname",
];
/// Undocumented parameters of the WCF template that a server would bind; accepted and ignored.
const GET_TEMPLATE_EXTRAS: &[&str] = &[
    "Email",
    "IsFlash",
    "Priority",
    "TrackLink",
    "GetNetwork",
    "CallbackShorten",
    "Tag",
];
/// Members of `SendMultipleMessage_V4_post_json` (§2.1).
const POST_JSON_MEMBERS: &[&str] = &[
    "ApiKey",
    "SecretKey",
    "Phone",
    "Content",
    "Brandname",
    "SmsType",
    "IsUnicode",
    "Sandbox",
    "RequestId",
    "SendDate",
    "campaignid",
    "CallbackUrl",
];
/// Other members of the same WCF data contract; accepted and ignored.
const POST_JSON_CONTRACT_EXTRAS: &[&str] = &[
    "AOID",
    "DataMultiChannel",
    "IsJourney",
    "OAID",
    "OrderId",
    "Params",
    "PartnerSource",
    "RefId",
    "Tag",
    "TempID",
    "clienttime",
];
/// Members of `SendMultipleSMSBrandname_json` (§2.2; `RequestId` and `IsUnicode` as on every
/// other send operation, D-C6).
const ADVERTISING_JSON_MEMBERS: &[&str] = &[
    "ApiKey",
    "SecretKey",
    "Brandname",
    "Content",
    "Phones",
    "SmsType",
    "SendDate",
    "CallbackUrl",
    "Sandbox",
    "RequestId",
    "IsUnicode",
];
/// Members of `Send_Multiple_Sms_OTT` (page 004's curl spelling, D-F2; `RequestId` from the
/// current page).
const VIBER_MEMBERS: &[&str] = &[
    "ApiKey",
    "SecretKey",
    "Brandname",
    "SmsType",
    "Phones",
    "Content",
    "OttImgUrl",
    "OttUrl",
    "OttLabel",
    "IsSandBox",
    "CallbackUrl",
    "RequestId",
];

/// Every documented eSMS member name: a name that folds onto one of these but is not allowed
/// on the endpoint at hand is a misspelling or belongs to a sibling endpoint.
fn family() -> Vec<&'static str> {
    [
        XML_FIELDS,
        GET_PARAMS,
        POST_JSON_MEMBERS,
        ADVERTISING_JSON_MEMBERS,
        VIBER_MEMBERS,
    ]
    .concat()
}

fn check_vocabulary<'a>(
    names: impl IntoIterator<Item = &'a str>,
    allowed: &[&[&str]],
) -> Result<(), Invalid> {
    let allowed = allowed.concat();
    match misspelled_member(names, &allowed, &family()) {
        Some(name) => Err(Invalid(format!(
            "member {name:?} is not part of this operation (misspelled, or from another operation)"
        ))),
        None => Ok(()),
    }
}

fn require_media_type(req: &Request, wanted: &str) -> Result<(), Invalid> {
    match req.head.media_type() {
        Some(m) if m == wanted => Ok(()),
        Some(m) => Err(Invalid(format!("Content-Type {m:?}, expected {wanted}"))),
        None => Err(Invalid(format!("no Content-Type, expected {wanted}"))),
    }
}

fn non_empty(name: &str, value: String) -> Result<String, Invalid> {
    if value.is_empty() {
        Err(Invalid(format!("{name} is empty")))
    } else {
        Ok(value)
    }
}

fn flag(name: &str, value: Option<String>) -> Result<bool, Invalid> {
    match value.as_deref() {
        None | Some("0") => Ok(false),
        Some("1") => Ok(true),
        Some(other) => Err(Invalid(format!(
            "{name} must be \"0\" or \"1\", got {other:?}"
        ))),
    }
}

fn unicode(name: &str, value: Option<String>) -> Result<Option<UnicodeFlag>, Invalid> {
    match value.as_deref() {
        None => Ok(None),
        Some("0") => Ok(Some(UnicodeFlag::Off)),
        Some("1") => Ok(Some(UnicodeFlag::On)),
        Some(other) => Err(Invalid(format!(
            "{name} must be \"0\" or \"1\", got {other:?}"
        ))),
    }
}

/// Checks shared by every send format, on the optional members.
fn check_common(send: &SendRequest) -> Result<(), Invalid> {
    if let Some(id) = &send.request_id {
        if id.chars().count() > MAX_REQUEST_ID_CHARS {
            return Err(Invalid::new("RequestId longer than 50 characters"));
        }
    }
    if let Some(date) = &send.send_date {
        if !is_esms_send_date(date) {
            return Err(Invalid(format!(
                "SendDate {date:?} is not YYYY-MM-DD HH:MM:SS"
            )));
        }
    }
    if let Some(url) = &send.callback_url {
        if !is_http_url(url) {
            return Err(Invalid(format!(
                "CallbackUrl {url:?} is not an http(s) URL"
            )));
        }
    }
    Ok(())
}

fn parse_xml(req: &Request, endpoint: Endpoint) -> Result<SendRequest, Invalid> {
    // Page 002 says "application/text/plain", which is not a media type; its curl sends
    // text/plain (D-D3).
    require_media_type(req, "text/plain")?;
    let text = std::str::from_utf8(&req.body).map_err(|_| Invalid::new("body is not UTF-8"))?;
    let root = xml::parse(text)?;
    if root.name != "RQST" {
        return Err(Invalid(format!(
            "root element {:?}, expected RQST",
            root.name
        )));
    }
    if !root.text.trim().is_empty() {
        return Err(Invalid::new("text directly inside RQST"));
    }
    check_vocabulary(root.children.iter().map(|c| c.name.as_str()), &[XML_FIELDS])?;

    let mut fields: HashMap<&str, String> = HashMap::new();
    let mut phones: Option<Vec<String>> = None;
    for child in &root.children {
        if !XML_FIELDS.contains(&child.name.as_str()) {
            continue;
        }
        if child.name == "CONTACTS" {
            if phones.is_some() {
                return Err(Invalid::new("CONTACTS twice"));
            }
            phones = Some(contacts(child)?);
            continue;
        }
        if !child.children.is_empty() {
            return Err(Invalid(format!("{} must hold text only", child.name)));
        }
        if fields
            .insert(child.name.as_str(), child.text.clone())
            .is_some()
        {
            return Err(Invalid(format!("{} twice", child.name)));
        }
    }
    let required = |name: &str| -> Result<String, Invalid> {
        fields
            .get(name)
            .cloned()
            .ok_or_else(|| Invalid(format!("{name} is required")))
    };
    let optional = |name: &str| fields.get(name).filter(|v| !v.is_empty()).cloned();
    let send = SendRequest {
        endpoint,
        api_key: required("APIKEY")?,
        secret_key: required("SECRETKEY")?,
        sms_type: non_empty("SMSTYPE", required("SMSTYPE")?)?,
        brandname: optional("BRANDNAME"),
        phones: phones.ok_or_else(|| Invalid::new("CONTACTS is required"))?,
        content: Some(non_empty("CONTENT", required("CONTENT")?)?),
        unicode: None,
        sandbox: false,
        request_id: optional("REQUESTID"),
        send_date: optional("SENDDATE"),
        callback_url: optional("CALLBACKURL"),
        campaign_id: None,
        viber: None,
    };
    if send.phones.is_empty() {
        return Err(Invalid::new("CONTACTS holds no CUSTOMER"));
    }
    check_common(&send)?;
    Ok(send)
}

/// `<CONTACTS><CUSTOMER><PHONE>…</PHONE></CUSTOMER>…</CONTACTS>`, strictly.
fn contacts(node: &xml::Element) -> Result<Vec<String>, Invalid> {
    if !node.text.trim().is_empty() {
        return Err(Invalid::new("text directly inside CONTACTS"));
    }
    node.children
        .iter()
        .map(|customer| {
            if customer.name != "CUSTOMER" {
                return Err(Invalid(format!(
                    "{:?} inside CONTACTS, expected CUSTOMER",
                    customer.name
                )));
            }
            match customer.children.as_slice() {
                [phone] if phone.name == "PHONE" && phone.children.is_empty() => {
                    if customer.text.trim().is_empty() {
                        Ok(phone.text.clone())
                    } else {
                        Err(Invalid::new("text directly inside CUSTOMER"))
                    }
                }
                _ => Err(Invalid::new("each CUSTOMER must hold exactly one PHONE")),
            }
        })
        .collect()
}

fn parse_get(req: &Request) -> Result<SendRequest, Invalid> {
    let pairs = parse_query(req.head.query.as_deref().unwrap_or_default())
        .map_err(|e| Invalid(format!("query string: {e:?}")))?;
    // Query binding in WCF is probably case-insensitive, but the template's spelling is the
    // one to send (D-C9, D-E1): `SandBox`/`Unicode`/`phone` are refused here.
    check_vocabulary(
        pairs.iter().map(|(n, _)| n.as_str()),
        &[GET_PARAMS, GET_TEMPLATE_EXTRAS],
    )?;
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let required = |name: &str| get(name).ok_or_else(|| Invalid(format!("{name} is required")));
    let optional = |name: &str| get(name).filter(|v| !v.is_empty());
    let send = SendRequest {
        endpoint: Endpoint::EsmsGet,
        api_key: required("ApiKey")?,
        secret_key: required("SecretKey")?,
        sms_type: non_empty("SmsType", required("SmsType")?)?,
        brandname: optional("Brandname"),
        phones: vec![required("Phone")?],
        content: Some(non_empty("Content", required("Content")?)?),
        unicode: unicode("IsUnicode", optional("IsUnicode"))?,
        sandbox: flag("Sandbox", optional("Sandbox"))?,
        request_id: optional("RequestId"),
        send_date: optional("SendDate"),
        callback_url: optional("CallbackUrl"),
        campaign_id: None,
        viber: None,
    };
    check_common(&send)?;
    Ok(send)
}

fn parse_post_json(req: &Request, numeric: bool) -> Result<SendRequest, Invalid> {
    require_media_type(req, "application/json")?;
    let map = Fields::parse(&req.body)?;
    let f = Fields::new(&map).numeric_codes(numeric);
    check_vocabulary(f.names(), &[POST_JSON_MEMBERS, POST_JSON_CONTRACT_EXTRAS])?;
    let send = SendRequest {
        endpoint: Endpoint::EsmsPostJson,
        api_key: f.required_str("ApiKey")?,
        secret_key: f.required_str("SecretKey")?,
        sms_type: f
            .code("SmsType")?
            .ok_or_else(|| Invalid::new("SmsType is required"))?,
        brandname: f.optional_str("Brandname")?,
        phones: vec![f.required_str("Phone")?],
        content: Some(non_empty("Content", f.required_str("Content")?)?),
        unicode: unicode("IsUnicode", f.code("IsUnicode")?)?,
        sandbox: flag("Sandbox", f.code("Sandbox")?)?,
        request_id: f.optional_str("RequestId")?,
        send_date: f.optional_str("SendDate")?,
        callback_url: f.optional_str("CallbackUrl")?,
        campaign_id: f.optional_str("campaignid")?,
        viber: None,
    };
    check_common(&send)?;
    Ok(send)
}

fn parse_advertising_json(req: &Request, numeric: bool) -> Result<SendRequest, Invalid> {
    require_media_type(req, "application/json")?;
    let map = Fields::parse(&req.body)?;
    let f = Fields::new(&map).numeric_codes(numeric);
    check_vocabulary(f.names(), &[ADVERTISING_JSON_MEMBERS])?;
    let send = SendRequest {
        endpoint: Endpoint::EsmsAdvertisingJson,
        api_key: f.required_str("ApiKey")?,
        secret_key: f.required_str("SecretKey")?,
        sms_type: f
            .code("SmsType")?
            .ok_or_else(|| Invalid::new("SmsType is required"))?,
        brandname: f.optional_str("Brandname")?,
        phones: f.string_array("Phones")?,
        content: Some(non_empty("Content", f.required_str("Content")?)?),
        unicode: unicode("IsUnicode", f.code("IsUnicode")?)?,
        sandbox: flag("Sandbox", f.code("Sandbox")?)?,
        request_id: f.optional_str("RequestId")?,
        send_date: f.optional_str("SendDate")?,
        callback_url: f.optional_str("CallbackUrl")?,
        campaign_id: None,
        viber: None,
    };
    check_common(&send)?;
    Ok(send)
}

fn parse_viber(req: &Request, numeric: bool) -> Result<SendRequest, Invalid> {
    require_media_type(req, "application/json")?;
    let map = Fields::parse(&req.body)?;
    let f = Fields::new(&map).numeric_codes(numeric);
    check_vocabulary(f.names(), &[VIBER_MEMBERS])?;
    let content = f.optional_str("Content")?;
    let image_url = f.optional_str("OttImgUrl")?;
    let button_url = f.optional_str("OttUrl")?;
    let button_label = f.optional_str("OttLabel")?;
    // The four shapes of page 004's note (D-F3); anything else (a button without a label, an
    // image with text but no button, …) is a client bug.
    let shape_ok = matches!(
        (
            content.is_some(),
            image_url.is_some(),
            button_url.is_some(),
            button_label.is_some()
        ),
        (true, true, true, true)
            | (true, false, true, true)
            | (false, true, false, false)
            | (true, false, false, false)
    );
    if !shape_ok {
        return Err(Invalid::new(
            "Viber content must be text+image+button, text+button, image only or text only",
        ));
    }
    if let Some(img) = &image_url {
        if !img.to_ascii_lowercase().starts_with("https://") || !is_http_url(img) {
            return Err(Invalid::new("OttImgUrl must be an https URL"));
        }
    }
    if let Some(url) = &button_url {
        if !is_http_url(url) {
            return Err(Invalid::new("OttUrl must be an http(s) URL"));
        }
    }
    let phones = f.string_array("Phones")?;
    if phones.is_empty() {
        return Err(Invalid::new("Phones is empty"));
    }
    let send = SendRequest {
        endpoint: Endpoint::EsmsViber,
        api_key: f.required_str("ApiKey")?,
        secret_key: f.required_str("SecretKey")?,
        sms_type: f
            .code("SmsType")?
            .ok_or_else(|| Invalid::new("SmsType is required"))?,
        brandname: f.optional_str("Brandname")?,
        phones,
        content,
        unicode: None,
        sandbox: flag("IsSandBox", f.code("IsSandBox")?)?,
        request_id: f.optional_str("RequestId")?,
        send_date: None,
        callback_url: f.optional_str("CallbackUrl")?,
        campaign_id: None,
        viber: Some(ViberParts {
            image_url,
            button_url,
            button_label,
        }),
    };
    check_common(&send)?;
    Ok(send)
}

// ---------------------------------------------------------------------------------------------
// Accepting

fn find_account<'a>(
    config: &'a EsmsConfig,
    api_key: &str,
    secret_key: &str,
) -> Option<&'a EsmsAccount> {
    config
        .accounts
        .iter()
        .find(|a| a.api_key == api_key && a.secret_key == secret_key)
}

fn accept(shared: &Shared, send: SendRequest, types: &[EsmsSmsType]) -> Answer {
    let config = &shared.config.esms;
    let Some(account) = find_account(config, &send.api_key, &send.secret_key) else {
        return Answer::Rejected(Code::AuthorizeFailed);
    };
    let now = shared.clock.now();
    let mut state = shared.lock();

    if let Some(id) = &send.request_id {
        let key = (account.api_key.clone(), id.clone());
        match state.esms.request_ids.get(&key) {
            Some(seen) if now.saturating_duration_since(*seen) < REQUEST_ID_BLOCK => {
                return Answer::Rejected(Code::DuplicateRequestId);
            }
            _ => {
                state.esms.request_ids.insert(key, now);
            }
        }
    }

    let Some(sms_type) = EsmsSmsType::from_code(&send.sms_type).filter(|t| types.contains(t))
    else {
        return Answer::Rejected(Code::TypeUnsupported);
    };

    match (sms_type, &send.brandname) {
        // Fixed-number messages go out from eSMS's long number (D-E3): a brandname here means
        // the client mixed up the message kinds.
        (EsmsSmsType::FixedNumber, Some(_)) => {
            return Answer::Invalid(Invalid::new("Brandname given for SmsType 8"));
        }
        (EsmsSmsType::FixedNumber, None) => {}
        (_, None) => return Answer::Invalid(Invalid::new("Brandname is required")),
        (_, Some(brand)) if !account.brandnames.contains(brand) => {
            return Answer::Rejected(Code::BrandnameUnknown);
        }
        (_, Some(_)) => {}
    }

    if !send.phones.iter().all(|p| is_national_phone(p)) {
        return Answer::Rejected(Code::PhoneInvalid);
    }
    if sms_type == EsmsSmsType::Advertising && send.phones.len() < config.min_advertising_recipients
    {
        return Answer::Rejected(Code::TooFewRecipients);
    }
    if send.phones.len() > config.max_recipients {
        return Answer::Rejected(Code::TooManyRecipients);
    }

    let price = if send.sandbox {
        0
    } else {
        config
            .price_per_recipient
            .saturating_mul(send.phones.len() as u64)
    };
    let balance = state
        .esms
        .balances
        .entry(account.api_key.clone())
        .or_default();
    if *balance < price {
        return Answer::Rejected(Code::BalanceTooLow);
    }
    *balance -= price;

    let sms_id = shared.ids.hex32();
    state.esms.accepted_at.insert(sms_id.clone(), now);
    let portal_sms_id = shared.ids.serial();
    let epoch = state.epoch;
    state.record(AcceptedMessage {
        seq: 0,
        created_at_unix_ms: 0,
        provider: Provider::Esms,
        endpoint: send.endpoint,
        account: account.api_key.clone(),
        recipients: send.phones.clone(),
        text: send.content,
        sender: send.brandname,
        kind: MessageKind::Esms { sms_type },
        unicode: send.unicode,
        sandbox: send.sandbox,
        schedule: send.send_date,
        request_id: send.request_id.clone(),
        callback_url: send.callback_url.clone(),
        campaign_id: send.campaign_id,
        attached_ticket_id: None,
        viber: send.viber,
        reference: Reference::EsmsSmsId {
            sms_id: sms_id.clone(),
            portal_sms_id,
        },
    });
    drop(state);

    if let Some(callback) = &send.callback_url {
        if !send.sandbox || shared.config.sandbox_delivery_reports {
            let now = Instant::now();
            let due = now
                .checked_add(shared.config.delivery_report_delay)
                .unwrap_or(now);
            let reports = dlr::esms_reports(&dlr::ReportInput {
                sms_id: &sms_id,
                sms_type,
                phones: &send.phones,
                request_id: send.request_id.as_deref(),
                price_per_recipient: config.price_per_recipient,
                undeliverable: &config.undeliverable_phones,
            });
            for (phone, query) in reports {
                shared.schedule_report(DlrJob {
                    epoch,
                    due,
                    sms_id: sms_id.clone(),
                    phone,
                    url: dlr::append_query(callback, &query),
                });
            }
        }
    }
    Answer::Accepted { sms_id }
}

// ---------------------------------------------------------------------------------------------
// Balance and status

fn balance(shared: &Shared, req: &Request) -> Response {
    let parsed = (|| {
        require_media_type(req, "application/json")?;
        let map = Fields::parse(&req.body)?;
        let f = Fields::new(&map);
        check_vocabulary(f.names(), &[&["ApiKey", "SecretKey"]])?;
        Ok::<_, Invalid>((f.required_str("ApiKey")?, f.required_str("SecretKey")?))
    })();
    let (api_key, secret_key) = match parsed {
        Ok(keys) => keys,
        Err(invalid) => return invalid_request(invalid),
    };
    let Some(account) = find_account(&shared.config.esms, &api_key, &secret_key) else {
        return Response::new(
            200,
            CT_ESMS_JSON,
            r#"{"Balance":0,"CodeResponse":"101","ErrorMessage":"Authorize Failed"}"#,
        );
    };
    let balance = shared
        .lock()
        .esms
        .balances
        .get(&account.api_key)
        .copied()
        .unwrap_or_default();
    Response::new(
        200,
        CT_ESMS_JSON,
        format!(
            r#"{{"Balance":{balance},"CodeResponse":"100","UserID":{}}}"#,
            account.user_id
        ),
    )
}

/// Parses the `ApiKey`, `SecretKey`, `RefId` query of the status operations.
fn status_query(req: &Request) -> Result<(String, String, String), Invalid> {
    let pairs = parse_query(req.head.query.as_deref().unwrap_or_default())
        .map_err(|e| Invalid(format!("query string: {e:?}")))?;
    let allowed: &[&str] = &["ApiKey", "SecretKey", "RefId", "Email"];
    if let Some(name) = misspelled_member(pairs.iter().map(|(n, _)| n.as_str()), allowed, &[]) {
        return Err(Invalid(format!("query parameter {name:?} is misspelled")));
    }
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| Invalid(format!("{name} is required")))
    };
    Ok((get("ApiKey")?, get("SecretKey")?, get("RefId")?))
}

/// The message with this SMSID sent by this account within the status window.
fn lookup(shared: &Shared, api_key: &str, sms_id: &str) -> Option<AcceptedMessage> {
    let now = shared.clock.now();
    let state = shared.lock();
    let at = state.esms.accepted_at.get(sms_id)?;
    if now.saturating_duration_since(*at) > STATUS_WINDOW {
        return None;
    }
    state
        .messages
        .iter()
        .find(|m| {
            m.provider == Provider::Esms
                && m.account == api_key
                && matches!(&m.reference, Reference::EsmsSmsId { sms_id: id, .. } if id == sms_id)
        })
        .cloned()
}

fn delivered(shared: &Shared, message: &AcceptedMessage, phone: &str) -> bool {
    !message.sandbox
        && !shared
            .config
            .esms
            .undeliverable_phones
            .iter()
            .any(|p| p == phone)
}

/// `GetSendStatus` (§2.6): `{"CodeResponse":"100","SMSID":…,"SendFailed":…,"SendStatus":5,…}`.
/// `TotalPrice` is written with four decimals (`850.0000`) as in the documentation, which a
/// JSON serializer would not do, hence the hand-built body.
fn send_status(shared: &Shared, req: &Request) -> Response {
    let (api_key, secret_key, ref_id) = match status_query(req) {
        Ok(q) => q,
        Err(invalid) => return invalid_request(invalid),
    };
    let sms_id_json = serde_json::to_string(&ref_id).unwrap_or_default();
    if find_account(&shared.config.esms, &api_key, &secret_key).is_none() {
        return Response::new(
            200,
            CT_ESMS_JSON,
            format!(r#"{{"CodeResponse":"101","SMSID":{sms_id_json}}}"#),
        );
    }
    let Some(message) = lookup(shared, &api_key, &ref_id) else {
        // 105 "message id not found" has no documented body; the 101 shape is reused.
        return Response::new(
            200,
            CT_ESMS_JSON,
            format!(r#"{{"CodeResponse":"105","SMSID":{sms_id_json}}}"#),
        );
    };
    let total = message.recipients.len();
    let success = message
        .recipients
        .iter()
        .filter(|p| delivered(shared, &message, p))
        .count();
    let (sent, failed) = if message.sandbox {
        (0, 0)
    } else {
        (total, total - success)
    };
    let price = if message.sandbox {
        0
    } else {
        shared
            .config
            .esms
            .price_per_recipient
            .saturating_mul(total as u64)
    };
    Response::new(
        200,
        CT_ESMS_JSON,
        format!(
            r#"{{"CodeResponse":"100","SMSID":{sms_id_json},"SendFailed":{failed},"SendStatus":5,"SendSuccess":{success},"TotalPrice":{price}.0000,"TotalReceiver":{total},"TotalSent":{sent}}}"#
        ),
    )
}

#[derive(Serialize)]
struct Receiver<'a> {
    #[serde(rename = "IsSent")]
    is_sent: bool,
    #[serde(rename = "NetworkName")]
    network_name: &'static str,
    #[serde(rename = "Phone")]
    phone: &'a str,
    #[serde(rename = "Retry")]
    retry: u32,
    #[serde(rename = "SentResult")]
    sent_result: bool,
}

#[derive(Serialize)]
struct ReceiverStatus<'a> {
    #[serde(rename = "CodeResult")]
    code_result: &'static str,
    #[serde(rename = "ReceiverList")]
    receiver_list: Vec<Receiver<'a>>,
}

/// `GetSmsReceiverStatus_get` (§2.7): one entry per recipient with real JSON booleans.
fn receiver_status(shared: &Shared, req: &Request) -> Response {
    let (api_key, secret_key, ref_id) = match status_query(req) {
        Ok(q) => q,
        Err(invalid) => return invalid_request(invalid),
    };
    if find_account(&shared.config.esms, &api_key, &secret_key).is_none() {
        return Response::new(
            200,
            CT_ESMS_JSON,
            r#"{"CodeResult":"101","ErrorMessage":"Authorize Failed"}"#,
        );
    }
    let Some(message) = lookup(shared, &api_key, &ref_id) else {
        // Undocumented body for 105; the 101 shape with the error table's meaning.
        return Response::new(
            200,
            CT_ESMS_JSON,
            r#"{"CodeResult":"105","ErrorMessage":"SMSID is not exist"}"#,
        );
    };
    let receiver_list = message
        .recipients
        .iter()
        .map(|phone| Receiver {
            is_sent: !message.sandbox,
            network_name: telco(phone).map_or("Unknown", |t| t.1),
            phone,
            retry: 0,
            sent_result: delivered(shared, &message, phone),
        })
        .collect();
    esms_json(&ReceiverStatus {
        code_result: "100",
        receiver_list,
    })
}

// ---------------------------------------------------------------------------------------------
// GetSmsSentData_V2

/// Members of `GetSmsSentData_V2` (both pages' tables and curls agree on the names).
const SENT_DATA_MEMBERS: &[&str] = &[
    "ApiKey",
    "SecretKey",
    "SmsType",
    "From",
    "To",
    "Page",
    "PageSize",
];
/// `SmsType` values the pages list for the query (26 only on the English page). The Zalo ones
/// are valid to ask for and simply find nothing, since the emulator sends no Zalo messages.
const SENT_DATA_TYPES: &[&str] = &["1", "2", "8", "23", "24", "25", "26"];
/// Largest `PageSize` (both pages: at most 500).
const MAX_PAGE_SIZE: u64 = 500;

/// Every recipient of every accepted eSMS message as a `GetSmsSentData_V2` row, ordered by
/// creation time (ties in acceptance order).
pub(crate) fn sent_rows(shared: &Shared) -> Vec<EsmsSentRow> {
    let messages = shared.lock().messages.clone();
    let mut rows: Vec<EsmsSentRow> = messages
        .iter()
        .filter(|m| m.provider == Provider::Esms)
        .flat_map(|m| {
            let (
                MessageKind::Esms { sms_type },
                Reference::EsmsSmsId {
                    sms_id,
                    portal_sms_id,
                },
            ) = (&m.kind, &m.reference)
            else {
                return Vec::new();
            };
            m.recipients
                .iter()
                .map(|phone| EsmsSentRow {
                    account: m.account.clone(),
                    phone: phone.clone(),
                    content: m.text.clone(),
                    reference_id: sms_id.clone(),
                    sms_id: *portal_sms_id,
                    sms_type: *sms_type,
                    campaign: m.campaign_id.clone(),
                    sell_price: if m.sandbox {
                        0
                    } else {
                        shared.config.esms.price_per_recipient
                    },
                    send_result: u8::from(delivered(shared, m, phone)),
                    send_status: 5,
                    created_at_unix_ms: m.created_at_unix_ms,
                })
                .collect()
        })
        .collect();
    rows.sort_by_key(|r| r.created_at_unix_ms);
    rows
}

/// A validated `GetSmsSentData_V2` body.
struct SentDataQuery {
    api_key: String,
    secret_key: String,
    sms_type: String,
    /// Inclusive window in whole Unix seconds.
    from: i64,
    to: i64,
    page: u64,
    page_size: u64,
}

/// `Page`/`PageSize`: the tables type them "string", the Vietnamese sample and the English curl
/// send bare numbers, so both are taken, as a non-negative integer either way.
fn count(f: &Fields<'_>, name: &str) -> Result<u64, Invalid> {
    match f.get(name) {
        Some(Value::Number(n)) => n
            .as_u64()
            .ok_or_else(|| Invalid(format!("{name} must be a non-negative integer"))),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s
            .parse()
            .map_err(|_| Invalid(format!("{name} is too large"))),
        None | Some(Value::Null) => Err(Invalid(format!("{name} is required"))),
        Some(_) => Err(Invalid(format!(
            "{name} must be an integer or a string of digits"
        ))),
    }
}

fn window_bound(f: &Fields<'_>, name: &str) -> Result<i64, Invalid> {
    let text = f.required_str(name)?;
    esms_local_to_unix_secs(&text)
        .ok_or_else(|| Invalid(format!("{name} {text:?} is not yyyy-MM-dd HH:mm:ss")))
}

fn parse_sent_data(req: &Request, numeric: bool) -> Result<SentDataQuery, Invalid> {
    require_media_type(req, "application/json")?;
    let map = Fields::parse(&req.body)?;
    let f = Fields::new(&map).numeric_codes(numeric);
    check_vocabulary(f.names(), &[SENT_DATA_MEMBERS])?;
    let api_key = f.required_str("ApiKey")?;
    let secret_key = f.required_str("SecretKey")?;
    let sms_type = f
        .code("SmsType")?
        .ok_or_else(|| Invalid::new("SmsType is required"))?;
    if !SENT_DATA_TYPES.contains(&sms_type.as_str()) {
        return Err(Invalid(format!(
            "SmsType {sms_type:?} is not one of {SENT_DATA_TYPES:?}"
        )));
    }
    let from = window_bound(&f, "From")?;
    let to = window_bound(&f, "To")?;
    if from > to {
        return Err(Invalid::new("From is after To"));
    }
    let page = count(&f, "Page")?;
    if page == 0 {
        return Err(Invalid::new("Page starts at 1"));
    }
    let page_size = count(&f, "PageSize")?;
    if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
        return Err(Invalid(format!(
            "PageSize must be 1..={MAX_PAGE_SIZE}, got {page_size}"
        )));
    }
    Ok(SentDataQuery {
        api_key,
        secret_key,
        sms_type,
        from,
        to,
        page,
        page_size,
    })
}

/// One `SentData` entry; members in the documented (alphabetical, as WCF writes them) order.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SentDataItem<'a> {
    campaign: Option<&'a str>,
    content: Option<&'a str>,
    phone: &'a str,
    reference_id: &'a str,
    sell_price: f64,
    send_result: u8,
    send_status: u8,
    sent_time: String,
    sms_id: u64,
    sms_type: u8,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SentDataBody<'a> {
    code_result: &'static str,
    count_total: usize,
    sent_data: Vec<SentDataItem<'a>>,
}

/// `GetSmsSentData_V2` (Zalo digest §3.7, D-Z36, D-Z37). Where the pages are silent:
/// - `From`/`To` are Vietnam time and both inclusive to the second, so a window ending at
///   `…:59` and the next starting at `…:00` tile time without a gap or an overlap;
/// - the window is on the creation (acceptance) time, the real wall clock, which
///   `Emulator::advance_clock` does not move; no longest window is enforced;
/// - every recipient is a row, so the rows of one send share `ReferenceId` and `SmsId`;
/// - `Campaign` is `null` for a send without `campaignid`, `SentTime` is the creation time,
///   `SendStatus` is 5 (done) and `SendResult` follows the same delivery rule as the other
///   status queries;
/// - `CountTotal` counts the whole window; a page past the end has an empty `SentData`;
/// - 101 uses the text of these pages' sample, with its final period.
fn sent_data(shared: &Shared, req: &Request) -> Response {
    let query = match parse_sent_data(req, shared.config.esms.accept_numeric_codes) {
        Ok(q) => q,
        Err(invalid) => return invalid_request(invalid),
    };
    let Some(account) = find_account(&shared.config.esms, &query.api_key, &query.secret_key) else {
        return Response::new(
            200,
            CT_ESMS_JSON,
            r#"{"CodeResult":"101","ErrorMessage":"Authorize Failed."}"#,
        );
    };
    let rows: Vec<EsmsSentRow> = sent_rows(shared)
        .into_iter()
        .filter(|r| {
            let created = i64::try_from(r.created_at_unix_ms / 1000).unwrap_or(i64::MAX);
            r.account == account.api_key
                && r.sms_type.code().to_string() == query.sms_type
                && (query.from..=query.to).contains(&created)
        })
        .collect();
    let skip = (query.page - 1).saturating_mul(query.page_size);
    let sent_data = rows
        .iter()
        .skip(usize::try_from(skip).unwrap_or(usize::MAX))
        .take(usize::try_from(query.page_size).unwrap_or(usize::MAX))
        .map(|r| SentDataItem {
            campaign: r.campaign.as_deref(),
            content: r.content.as_deref(),
            phone: &r.phone,
            reference_id: &r.reference_id,
            sell_price: r.sell_price as f64,
            send_result: r.send_result,
            send_status: r.send_status,
            sent_time: format!("/Date({}+0700)/", r.created_at_unix_ms),
            sms_id: r.sms_id,
            sms_type: r.sms_type.code(),
        })
        .collect();
    esms_json(&SentDataBody {
        code_result: "100",
        count_total: rows.len(),
        sent_data,
    })
}

/// Original network of a national number by prefix (digest §6.2): eSMS `telcoid` and
/// `NetworkName`. Portability means the real answer can differ; the emulator has no such data.
pub(crate) fn telco(phone: &str) -> Option<(u8, &'static str)> {
    let prefix = phone.get(..3)?;
    Some(match prefix {
        "086" | "096" | "097" | "098" | "032" | "033" | "034" | "035" | "036" | "037" | "038"
        | "039" => (1, "Viettel"),
        "089" | "090" | "093" | "070" | "076" | "077" | "078" | "079" => (2, "Mobifone"),
        "088" | "091" | "094" | "081" | "082" | "083" | "084" | "085" => (3, "Vinaphone"),
        "092" | "052" | "056" | "058" => (4, "Vietnamobile"),
        "099" | "059" => (5, "Gmobile"),
        "087" => (6, "Itel"),
        "055" => (7, "Reddi"),
        _ => return None,
    })
}
