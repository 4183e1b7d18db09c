//! eSMS.vn (ViHAT): every endpoint nhantin uses, in the order endpoints → encode → decode →
//! error table → callbacks.
//!
//! Wire facts and the choices made where the pages disagree are in `shared/providers/PROVIDERS.md`
//! (§1.3–1.5, §2, §3, §4.1, §5.1, §8 C–F); the decision letters (D-C6, …) are cited where used.
//!
//! Two parts live in files of their own and are re-exported here: the time-window query
//! `GetSmsSentData_V2` (`esms_sent.rs`, same order: endpoint → encode → decode) and the
//! reconciliation of unknown outcomes that reads it (`esms_reconcile.rs`).

use serde::Serialize;

use crate::error::{Error, Provider, Rejection, Result};
use crate::http::{HttpRequest, HttpResponse, Idempotency, Method};
use crate::ids::{BaseUrl, Secret};
use crate::message::{Message, MessageKind, ViberContent};
use crate::phone::{Carrier, PhoneFormat};
use crate::receipt::Receipt;
use crate::text::{self, UnicodePolicy};
use crate::time::Timestamp;
use crate::wire;

#[path = "esms_sent.rs"]
mod sent;
pub use sent::{
    decode_sent_data, parse_sent_time, DeliveryResult, SentDataPage, SentDataQuery, SentRow,
    SENT_DATA_MAX_PAGE_SIZE,
};

#[path = "esms_reconcile.rs"]
mod reconcile;
pub use reconcile::{
    ReconcilePolicy, ReconcileStep, ReconcileVerdict, Reconciliation, SentWindow,
    RECONCILE_MARGIN_MS, RECONCILE_MAX_PAGES_PER_WINDOW, RECONCILE_MAX_WINDOW_MS,
};

// ---------------------------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------------------------

/// The documented production base (D-C2: always https).
pub const DEFAULT_BASE_URL: &str = "https://rest.esms.vn/MainService.svc/json";

/// Advertising (SmsType 1) needs at least this many recipients per request (code 107).
pub const ADVERTISING_MIN_RECIPIENTS: usize = 30;
/// The most recipients one request may carry (advertising: documented; XML customer care and
/// Viber: the same cap, conservatively, D-D1 and D-F6). Larger lists are split by the caller.
pub const MAX_RECIPIENTS_PER_REQUEST: usize = 5000;

/// The eSMS operations nhantin encodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EsmsEndpoint {
    /// `POST SendMultipleMessage_V4_post_json/`: one SMS to one phone, SmsType 2 or 8 (recommended).
    SendJson,
    /// `POST SendMultipleSMSBrandname_json/`: advertising, 30..=5000 phones.
    SendAdvertisingJson,
    /// `POST SendMultipleMessage_V4/`: XML in `text/plain`, SmsType 2, many phones (D-D2).
    SendXml,
    /// `POST SendMultipleSMSBrandname`: XML in `text/plain`, SmsType 1 advertising.
    SendAdvertisingXml,
    /// `GET SendMultipleMessage_V4_get`: fixed number, SmsType 8, secrets in the URL (D-C8).
    SendFixedNumberGet,
    /// `POST Send_Multiple_Sms_OTT/`: Viber, SmsType 23 (D-F1).
    SendViber,
    /// `POST GetBalance_json`.
    GetBalance,
    /// `GET GetSendStatus`: status of one SMSID (last 7 days).
    GetSendStatus,
    /// `GET GetSmsReceiverStatus_get`: per-recipient result of one SMSID (last 7 days).
    GetReceiverStatus,
    /// `POST GetSmsSentData_V2`: every message created in a time window, one row per recipient.
    GetSentData,
}

impl EsmsEndpoint {
    /// The path below the base URL, exactly as documented (trailing slashes included).
    pub fn path(self) -> &'static str {
        match self {
            EsmsEndpoint::SendJson => "SendMultipleMessage_V4_post_json/",
            EsmsEndpoint::SendAdvertisingJson => "SendMultipleSMSBrandname_json/",
            EsmsEndpoint::SendXml => "SendMultipleMessage_V4/",
            EsmsEndpoint::SendAdvertisingXml => "SendMultipleSMSBrandname",
            EsmsEndpoint::SendFixedNumberGet => "SendMultipleMessage_V4_get",
            EsmsEndpoint::SendViber => "Send_Multiple_Sms_OTT/",
            EsmsEndpoint::GetBalance => "GetBalance_json",
            EsmsEndpoint::GetSendStatus => "GetSendStatus",
            EsmsEndpoint::GetReceiverStatus => "GetSmsReceiverStatus_get",
            EsmsEndpoint::GetSentData => "GetSmsSentData_V2",
        }
    }
}

/// eSMS message types (`SmsType` in requests, `TypeId` in callbacks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EsmsSmsType {
    /// 1: advertising brandname.
    Advertising,
    /// 2: customer care / OTP brandname.
    CustomerCare,
    /// 8: fixed number, no brandname.
    FixedNumber,
    /// 23: Viber.
    Viber,
    /// 24: Zalo ZNS priority.
    ZnsPriority,
    /// 25: Zalo ZNS normal.
    ZnsNormal,
    /// 26: Zalo follower / consulting.
    ZaloFollower,
    /// Any other value, kept.
    Other(i64),
}

impl EsmsSmsType {
    /// The wire number.
    pub fn code(self) -> i64 {
        match self {
            EsmsSmsType::Advertising => 1,
            EsmsSmsType::CustomerCare => 2,
            EsmsSmsType::FixedNumber => 8,
            EsmsSmsType::Viber => 23,
            EsmsSmsType::ZnsPriority => 24,
            EsmsSmsType::ZnsNormal => 25,
            EsmsSmsType::ZaloFollower => 26,
            EsmsSmsType::Other(n) => n,
        }
    }

    /// The type for a wire number.
    pub fn from_code(code: i64) -> Self {
        match code {
            1 => EsmsSmsType::Advertising,
            2 => EsmsSmsType::CustomerCare,
            8 => EsmsSmsType::FixedNumber,
            23 => EsmsSmsType::Viber,
            24 => EsmsSmsType::ZnsPriority,
            25 => EsmsSmsType::ZnsNormal,
            26 => EsmsSmsType::ZaloFollower,
            n => EsmsSmsType::Other(n),
        }
    }
}

/// Which body style to send SMS with. JSON is the default: it is the recommended path and keeps
/// the keys out of URLs (D-C8).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum EsmsFormat {
    /// JSON POST (`SendMultipleMessage_V4_post_json/`, `SendMultipleSMSBrandname_json/`).
    #[default]
    Json,
    /// XML in `text/plain` (`SendMultipleMessage_V4/`, `SendMultipleSMSBrandname`): many
    /// customer-care recipients in one request.
    Xml,
    /// Query string (`SendMultipleMessage_V4_get`): fixed-number only.
    Get,
}

/// Options only eSMS has.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EsmsOptions {
    /// Body style; see [`EsmsFormat`].
    pub format: EsmsFormat,
    /// `campaignid` (JSON SMS only): a campaign name shown in eSMS reports.
    pub campaign_id: Option<String>,
}

/// An eSMS account: the key pair every request carries, and where the API lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EsmsAccount {
    /// `ApiKey`.
    pub api_key: Secret,
    /// `SecretKey`.
    pub secret_key: Secret,
    /// Defaults to [`DEFAULT_BASE_URL`].
    pub base_url: BaseUrl,
}

impl EsmsAccount {
    /// An account on the production base URL.
    pub fn new(api_key: Secret, secret_key: Secret) -> Self {
        EsmsAccount {
            api_key,
            secret_key,
            base_url: BaseUrl::new(DEFAULT_BASE_URL).expect("the default base URL is valid"),
        }
    }

    /// Which endpoint a message goes to, or why no endpoint can carry it.
    pub fn endpoint_for(&self, msg: &Message) -> Result<EsmsEndpoint> {
        let format = msg.esms.format;
        let refuse = |what: &str| {
            Err(Error::invalid(
                "esms.format",
                format!("{what} cannot be sent as {format:?}"),
            ))
        };
        match (msg.kind, format) {
            (MessageKind::Otp | MessageKind::CustomerCare, EsmsFormat::Json) => {
                Ok(EsmsEndpoint::SendJson)
            }
            (MessageKind::Otp | MessageKind::CustomerCare, EsmsFormat::Xml) => {
                Ok(EsmsEndpoint::SendXml)
            }
            (MessageKind::Advertising, EsmsFormat::Json) => Ok(EsmsEndpoint::SendAdvertisingJson),
            (MessageKind::Advertising, EsmsFormat::Xml) => Ok(EsmsEndpoint::SendAdvertisingXml),
            (MessageKind::FixedNumber, EsmsFormat::Json) => Ok(EsmsEndpoint::SendJson),
            (MessageKind::FixedNumber, EsmsFormat::Get) => Ok(EsmsEndpoint::SendFixedNumberGet),
            (MessageKind::Viber, EsmsFormat::Json) => Ok(EsmsEndpoint::SendViber),
            (MessageKind::Otp | MessageKind::CustomerCare, EsmsFormat::Get) => {
                refuse("customer care (use json or xml)")
            }
            (MessageKind::Advertising, EsmsFormat::Get) => refuse("advertising (use json or xml)"),
            (MessageKind::FixedNumber, EsmsFormat::Xml) => {
                refuse("fixed-number SMS (use json or get)")
            }
            (MessageKind::Viber, _) => refuse("Viber (it has one JSON endpoint)"),
        }
    }

    fn request(
        &self,
        method: Method,
        endpoint: EsmsEndpoint,
        query: Option<String>,
        idempotency: Idempotency,
    ) -> HttpRequest {
        let mut url = self.base_url.join(endpoint.path());
        if let Some(query) = query {
            url.push('?');
            url.push_str(&query);
        }
        HttpRequest::new(method, url, idempotency)
            .secret(self.api_key.expose())
            .secret(self.secret_key.expose())
    }

    // -----------------------------------------------------------------------------------------
    // Encode
    // -----------------------------------------------------------------------------------------

    /// Encodes a send. Requires a request id (D-C6: eSMS deduplicates by it, which is what
    /// makes a transport resend safe).
    pub fn encode_send(&self, msg: &Message, now: Timestamp) -> Result<HttpRequest> {
        msg.check_common(now)?;
        let endpoint = self.endpoint_for(msg)?;
        let request_id = msg.required_request_id("eSMS")?;
        Message::refuse_if(
            "caresoft.ticket_id",
            &msg.caresoft.ticket_id,
            "is a CareSoft option; eSMS has no tickets",
        )?;
        if msg.interits != Default::default() {
            return Err(Error::invalid(
                "interits",
                "InterITS options are set on a message sent through eSMS",
            ));
        }
        if msg.esms.campaign_id.is_some() && endpoint != EsmsEndpoint::SendJson {
            return Err(Error::invalid(
                "esms.campaign_id",
                "only SendMultipleMessage_V4_post_json carries campaignid",
            ));
        }
        if let Some(campaign) = &msg.esms.campaign_id {
            if campaign.is_empty()
                || campaign.chars().count() > 100
                || campaign.chars().any(char::is_control)
            {
                return Err(Error::invalid(
                    "esms.campaign_id",
                    "must be 1 to 100 characters without control characters",
                ));
            }
        }
        check_recipient_count(msg, endpoint)?;
        match msg.kind {
            MessageKind::FixedNumber => Message::refuse_if(
                "sender",
                &msg.sender,
                "fixed-number SMS is sent from eSMS's number, without a brandname (D-E3)",
            )?,
            _ => {
                if msg.sender.is_none() {
                    return Err(Error::invalid(
                        "sender",
                        "a registered brandname is required for this eSMS message type",
                    ));
                }
            }
        }
        let prepared = if msg.kind == MessageKind::Viber {
            // Viber is not SMS: text travels as Unicode natively, so only the caller's local
            // policies (strip, reject) apply and there is no flag to send.
            if msg.unicode == UnicodePolicy::Force {
                return Err(Error::invalid(
                    "unicode",
                    "Viber has no unicode flag; use auto",
                ));
            }
            if msg.text.is_empty() {
                text::PreparedText {
                    text: String::new(),
                    unicode: false,
                }
            } else {
                text::prepare("text", &msg.text, msg.unicode)?
            }
        } else {
            text::prepare("text", &msg.text, msg.unicode)?
        };
        let flag_carried = matches!(
            endpoint,
            EsmsEndpoint::SendJson | EsmsEndpoint::SendFixedNumberGet | EsmsEndpoint::SendViber
        );
        if prepared.unicode && !flag_carried {
            return Err(Error::invalid(
                "unicode",
                format!("{} has no IsUnicode field; the text needs Unicode: use unicode policy strip, or the json format for customer care", endpoint.path()),
            ));
        }
        let send_date = msg.schedule.map(Timestamp::to_vietnam_local);
        let sandbox_flag = if msg.sandbox { "1" } else { "0" };
        let unicode_flag = if prepared.unicode { "1" } else { "0" };
        let sms_type = sms_type_for(msg.kind).code().to_string();
        let phones: Vec<String> = msg
            .recipients
            .iter()
            .map(|p| p.format(PhoneFormat::National))
            .collect();
        let callback = msg.callback_url.as_ref().map(|u| u.as_str());
        let brandname = msg.sender.as_ref().map(|b| b.as_str());
        let idempotency = Idempotency::KeyedBy(request_id.clone());

        match endpoint {
            EsmsEndpoint::SendJson => {
                let body = SendJsonBody {
                    api_key: self.api_key.expose(),
                    secret_key: self.secret_key.expose(),
                    phone: &phones[0],
                    content: &prepared.text,
                    brandname,
                    sms_type: &sms_type,
                    is_unicode: unicode_flag,
                    sandbox: sandbox_flag,
                    request_id: request_id.as_str(),
                    send_date: send_date.as_deref(),
                    campaign_id: msg.esms.campaign_id.as_deref(),
                    callback_url: callback,
                };
                Ok(self.json_request(endpoint, &body, idempotency))
            }
            EsmsEndpoint::SendAdvertisingJson => {
                let body = AdvertisingJsonBody {
                    api_key: self.api_key.expose(),
                    secret_key: self.secret_key.expose(),
                    brandname: brandname.unwrap_or_default(),
                    content: &prepared.text,
                    phones: &phones,
                    sms_type: &sms_type,
                    sandbox: sandbox_flag,
                    request_id: request_id.as_str(),
                    send_date: send_date.as_deref(),
                    callback_url: callback,
                };
                Ok(self.json_request(endpoint, &body, idempotency))
            }
            EsmsEndpoint::SendViber => {
                let content = ViberContent::from_parts(
                    &prepared.text,
                    msg.viber_image.as_ref(),
                    msg.viber_button.as_ref(),
                )?;
                let (text, image, button) = match &content {
                    ViberContent::Text(t) => (Some(t.as_str()), None, None),
                    ViberContent::TextButton { text, button } => {
                        (Some(text.as_str()), None, Some(button))
                    }
                    ViberContent::TextImageButton {
                        text,
                        image,
                        button,
                    } => (Some(text.as_str()), Some(image.as_str()), Some(button)),
                    ViberContent::Image(image) => (None, Some(image.as_str()), None),
                };
                if let Some(button) = button {
                    if button.label.trim().is_empty() || button.label.chars().count() > 30 {
                        return Err(Error::invalid(
                            "viber.button_label",
                            "must be 1 to 30 characters",
                        ));
                    }
                }
                let body = ViberBody {
                    api_key: self.api_key.expose(),
                    secret_key: self.secret_key.expose(),
                    brandname: brandname.unwrap_or_default(),
                    sms_type: &sms_type,
                    phones: &phones,
                    content: text,
                    ott_img_url: image,
                    ott_url: button.map(|b| b.url.as_str()),
                    ott_label: button.map(|b| b.label.as_str()),
                    is_sandbox: sandbox_flag,
                    request_id: request_id.as_str(),
                    callback_url: callback,
                };
                Ok(self.json_request(endpoint, &body, idempotency))
            }
            EsmsEndpoint::SendXml | EsmsEndpoint::SendAdvertisingXml => {
                if msg.sandbox {
                    return Err(Error::invalid(
                        "sandbox",
                        "the XML endpoints have no sandbox element; use the json format",
                    ));
                }
                let mut xml = String::from("<RQST>");
                let mut element = |name: &str, value: &str| {
                    xml.push_str(&format!("<{name}>{}</{name}>", wire::xml_escape(value)));
                };
                element("APIKEY", self.api_key.expose());
                element("SECRETKEY", self.secret_key.expose());
                element("CONTENT", &prepared.text);
                element("SMSTYPE", &sms_type);
                element("BRANDNAME", brandname.unwrap_or_default());
                element("REQUESTID", request_id.as_str());
                if let Some(date) = &send_date {
                    element("SENDDATE", date);
                }
                if let Some(url) = callback {
                    element("CALLBACKURL", url);
                }
                xml.push_str("<CONTACTS>");
                for phone in &phones {
                    xml.push_str(&format!(
                        "<CUSTOMER><PHONE>{}</PHONE></CUSTOMER>",
                        wire::xml_escape(phone)
                    ));
                }
                xml.push_str("</CONTACTS></RQST>");
                // D-D3: exactly `text/plain`; the page's "application/text/plain" is no media type.
                Ok(self
                    .request(Method::Post, endpoint, None, idempotency)
                    .header("Content-Type", "text/plain")
                    .body(xml.into_bytes()))
            }
            EsmsEndpoint::SendFixedNumberGet => {
                let mut pairs: Vec<(&str, &str)> = vec![
                    ("Phone", &phones[0]),
                    ("Content", &prepared.text),
                    ("ApiKey", self.api_key.expose()),
                    ("SecretKey", self.secret_key.expose()),
                    ("IsUnicode", unicode_flag), // D-E1: the table's `Unicode` is not in the server template
                    ("SmsType", &sms_type),
                ];
                if let Some(url) = callback {
                    pairs.push(("CallbackUrl", url));
                }
                pairs.push(("RequestId", request_id.as_str()));
                if let Some(date) = &send_date {
                    pairs.push(("SendDate", date));
                }
                if msg.sandbox {
                    pairs.push(("Sandbox", "1")); // D-C9: the template's spelling
                }
                Ok(self.request(
                    Method::Get,
                    endpoint,
                    Some(wire::query_string(&pairs)),
                    idempotency,
                ))
            }
            EsmsEndpoint::GetBalance
            | EsmsEndpoint::GetSendStatus
            | EsmsEndpoint::GetReceiverStatus
            | EsmsEndpoint::GetSentData => {
                unreachable!("endpoint_for only returns send endpoints")
            }
        }
    }

    fn json_request<T: Serialize>(
        &self,
        endpoint: EsmsEndpoint,
        body: &T,
        idempotency: Idempotency,
    ) -> HttpRequest {
        let body = serde_json::to_vec(body)
            .expect("request bodies are plain strings and always serialize");
        self.request(Method::Post, endpoint, None, idempotency)
            .header("Content-Type", "application/json")
            .body(body)
    }

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

fn sms_type_for(kind: MessageKind) -> EsmsSmsType {
    match kind {
        MessageKind::Otp | MessageKind::CustomerCare => EsmsSmsType::CustomerCare,
        MessageKind::Advertising => EsmsSmsType::Advertising,
        MessageKind::FixedNumber => EsmsSmsType::FixedNumber,
        MessageKind::Viber => EsmsSmsType::Viber,
    }
}

fn check_recipient_count(msg: &Message, endpoint: EsmsEndpoint) -> Result<()> {
    let n = msg.recipients.len();
    match endpoint {
        EsmsEndpoint::SendJson | EsmsEndpoint::SendFixedNumberGet if n > 1 => Err(Error::invalid(
            "recipients",
            format!("{} carries one phone and {n} were given; use the xml format for customer care, or one message per phone", endpoint.path()),
        )),
        EsmsEndpoint::SendAdvertisingJson | EsmsEndpoint::SendAdvertisingXml if n < ADVERTISING_MIN_RECIPIENTS => Err(Error::invalid(
            "recipients",
            format!("advertising needs at least {ADVERTISING_MIN_RECIPIENTS} recipients per request (eSMS code 107); {n} were given"),
        )),
        _ if n > MAX_RECIPIENTS_PER_REQUEST => Err(Error::invalid(
            "recipients",
            format!("{n} recipients; one request carries at most {MAX_RECIPIENTS_PER_REQUEST}: split the list"),
        )),
        _ => Ok(()),
    }
}

// Wire structs: field order is the order of the documented examples; `None` fields are left
// out rather than sent empty.

#[derive(Serialize)]
struct SendJsonBody<'a> {
    #[serde(rename = "ApiKey")]
    api_key: &'a str,
    #[serde(rename = "SecretKey")]
    secret_key: &'a str,
    #[serde(rename = "Phone")]
    phone: &'a str,
    #[serde(rename = "Content")]
    content: &'a str,
    #[serde(rename = "Brandname", skip_serializing_if = "Option::is_none")]
    brandname: Option<&'a str>,
    #[serde(rename = "SmsType")]
    sms_type: &'a str,
    #[serde(rename = "IsUnicode")]
    is_unicode: &'a str,
    #[serde(rename = "Sandbox")]
    sandbox: &'a str,
    #[serde(rename = "RequestId")]
    request_id: &'a str,
    #[serde(rename = "SendDate", skip_serializing_if = "Option::is_none")]
    send_date: Option<&'a str>,
    #[serde(rename = "campaignid", skip_serializing_if = "Option::is_none")]
    campaign_id: Option<&'a str>,
    #[serde(rename = "CallbackUrl", skip_serializing_if = "Option::is_none")]
    callback_url: Option<&'a str>,
}

#[derive(Serialize)]
struct AdvertisingJsonBody<'a> {
    #[serde(rename = "ApiKey")]
    api_key: &'a str,
    #[serde(rename = "SecretKey")]
    secret_key: &'a str,
    #[serde(rename = "Brandname")]
    brandname: &'a str,
    #[serde(rename = "Content")]
    content: &'a str,
    #[serde(rename = "Phones")]
    phones: &'a [String],
    #[serde(rename = "SmsType")]
    sms_type: &'a str,
    #[serde(rename = "Sandbox")]
    sandbox: &'a str,
    #[serde(rename = "RequestId")]
    request_id: &'a str,
    #[serde(rename = "SendDate", skip_serializing_if = "Option::is_none")]
    send_date: Option<&'a str>,
    #[serde(rename = "CallbackUrl", skip_serializing_if = "Option::is_none")]
    callback_url: Option<&'a str>,
}

/// D-F2: the curl's `Ott…` spelling (WCF JSON member names are case-sensitive).
#[derive(Serialize)]
struct ViberBody<'a> {
    #[serde(rename = "ApiKey")]
    api_key: &'a str,
    #[serde(rename = "SecretKey")]
    secret_key: &'a str,
    #[serde(rename = "Brandname")]
    brandname: &'a str,
    #[serde(rename = "SmsType")]
    sms_type: &'a str,
    #[serde(rename = "Phones")]
    phones: &'a [String],
    #[serde(rename = "Content", skip_serializing_if = "Option::is_none")]
    content: Option<&'a str>,
    #[serde(rename = "OttImgUrl", skip_serializing_if = "Option::is_none")]
    ott_img_url: Option<&'a str>,
    #[serde(rename = "OttUrl", skip_serializing_if = "Option::is_none")]
    ott_url: Option<&'a str>,
    #[serde(rename = "OttLabel", skip_serializing_if = "Option::is_none")]
    ott_label: Option<&'a str>,
    #[serde(rename = "IsSandBox")]
    is_sandbox: &'a str,
    #[serde(rename = "RequestId")]
    request_id: &'a str,
    #[serde(rename = "CallbackUrl", skip_serializing_if = "Option::is_none")]
    callback_url: Option<&'a str>,
}

#[derive(Serialize)]
struct KeysBody<'a> {
    #[serde(rename = "ApiKey")]
    api_key: &'a str,
    #[serde(rename = "SecretKey")]
    secret_key: &'a str,
}

// ---------------------------------------------------------------------------------------------
// Decode
// ---------------------------------------------------------------------------------------------

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
    fn from_code(code: i64) -> Self {
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

/// Decodes any eSMS send answer (every send endpoint answers the same shape).
pub fn decode_send(response: &HttpResponse) -> Result<Receipt> {
    let map = decode_common(response, "CodeResult")?;
    let sms_id = wire::scalar_text(map.get("SMSID")).filter(|s| !s.trim().is_empty());
    match sms_id {
        Some(sms_id) => Ok(Receipt::esms(sms_id)),
        // "100" without an id leaves us unable to track the message: not a success we can trust.
        None => Err(unexpected(response)),
    }
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

/// Status, then body: a JSON object whose code (under `code_key`, or the other spelling, D-C3)
/// is "100" is returned for the caller to read; everything else becomes the right error.
fn decode_common(
    response: &HttpResponse,
    code_key: &str,
) -> Result<serde_json::Map<String, serde_json::Value>> {
    if response.status == 429 {
        return Err(Error::RateLimited {
            provider: Provider::Esms,
            retry_after_secs: response.retry_after_secs(),
            lockout: false,
            message: wire::snippet(&response.body),
        });
    }
    let map = wire::json_object(&response.body);
    let code = map.as_ref().and_then(|m| {
        wire::scalar_text(m.get(code_key))
            .or_else(|| wire::scalar_text(m.get(other_code_key(code_key))))
    });
    match (map, code) {
        (Some(map), Some(code)) => {
            let code = code.trim().to_owned();
            if code == "100" {
                return Ok(map);
            }
            let message = wire::scalar_text(map.get("ErrorMessage")).unwrap_or_default();
            Err(error_for_code(&code, message))
        }
        // D-E4: `{"error":"Invalid request"}` has no code; it is not code 99.
        (Some(map), None) if map.contains_key("error") && response.status < 500 => {
            Err(Error::Rejected {
                provider: Provider::Esms,
                reason: Rejection::InvalidRequest,
                code: None,
                message: wire::scalar_text(map.get("error")).unwrap_or_default(),
            })
        }
        _ if response.status >= 500 => Err(Error::ProviderUnavailable {
            provider: Provider::Esms,
            status: response.status,
            snippet: wire::snippet(&response.body),
        }),
        _ => Err(unexpected(response)),
    }
}

fn other_code_key(key: &str) -> &'static str {
    if key == "CodeResult" {
        "CodeResponse"
    } else {
        "CodeResult"
    }
}

fn unexpected(response: &HttpResponse) -> Error {
    Error::UnexpectedResponse {
        provider: Provider::Esms,
        status: response.status,
        snippet: wire::snippet(&response.body),
    }
}

// ---------------------------------------------------------------------------------------------
// Error table (§5.1)
// ---------------------------------------------------------------------------------------------

/// Every documented `CodeResult`/`CodeResponse` other than 100, with its meaning.
pub const ERROR_TABLE: &[(&str, Rejection, &str)] = &[
    ("99", Rejection::PhoneBlocked, "phone number blocked"),
    ("101", Rejection::Unauthorized, "wrong ApiKey or SecretKey"),
    (
        "102",
        Rejection::NoPriceList,
        "no price list for the account",
    ),
    ("103", Rejection::InsufficientBalance, "balance too low"),
    (
        "104",
        Rejection::UnknownBrandname,
        "brandname not registered",
    ),
    ("105", Rejection::NotFound, "message id not found"),
    (
        "106",
        Rejection::RecordingNotFound,
        "recording file does not exist",
    ),
    (
        "107",
        Rejection::TooFewRecipients,
        "advertising needs at least 30 numbers",
    ),
    (
        "108",
        Rejection::InvalidPhone,
        "phone number format invalid",
    ),
    ("110", Rejection::InvalidData, "request data incorrect"),
    ("115", Rejection::InvalidHashedPhone, "hashed phone invalid"),
    (
        "118",
        Rejection::UnsupportedMessageType,
        "message type not supported",
    ),
    (
        "120",
        Rejection::TooManyRecipients,
        "phone list exceeds the limit",
    ),
    (
        "124",
        Rejection::DuplicateRequestId,
        "RequestId already used within 24 hours",
    ),
    (
        "140",
        Rejection::IpNotWhitelisted,
        "caller IP not whitelisted",
    ),
    (
        "146",
        Rejection::TemplateMismatch,
        "content does not match a registered template",
    ),
    (
        "171",
        Rejection::InvalidCode,
        "code used, expired or invalid",
    ),
    (
        "177",
        Rejection::NetworkNotRegistered,
        "brandname has no route to this network",
    ),
    (
        "199",
        Rejection::AlreadyProcessing,
        "request already exists and is processing",
    ),
    ("204", Rejection::UnknownOaid, "Zalo OA id does not exist"),
    ("210", Rejection::InvalidPayload, "payload not as specified"),
    ("300", Rejection::MissingMessageType, "message type missing"),
    (
        "301",
        Rejection::UnsupportedService,
        "service code not supported",
    ),
];

/// The typed error for a non-100 code; unknown codes keep code and message (§5.1: third-party
/// tables disagree, so nothing is guessed).
pub fn error_for_code(code: &str, message: String) -> Error {
    let (reason, description) = ERROR_TABLE
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, reason, description)| (*reason, *description))
        .unwrap_or((Rejection::Other, "undocumented eSMS code"));
    let message = if message.trim().is_empty() {
        description.to_owned()
    } else {
        message
    };
    Error::Rejected {
        provider: Provider::Esms,
        reason,
        code: Some(code.to_owned()),
        message,
    }
}

// ---------------------------------------------------------------------------------------------
// Callbacks (§4.1)
// ---------------------------------------------------------------------------------------------

/// A Zalo error carried in a delivery report's `error_info`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ZaloError {
    /// Zalo's code (negative).
    pub code: Option<i64>,
    /// Zalo's message.
    pub message: Option<String>,
}

/// One eSMS delivery report, decoded from the callback's query string. Every field is optional
/// and lenient: a report is never dropped for a malformed field; parameters nhantin does not
/// know are kept in `extra`, and so are known ones whose value could not be read.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct DeliveryReport {
    /// `SMSID`: the id the send returned.
    pub sms_id: Option<String>,
    /// `RequestId`: the caller's id (empty in every sample, so empty becomes `None`).
    pub request_id: Option<String>,
    /// `SendStatus`.
    pub send_status: Option<EsmsSendStatus>,
    /// `TypeId`.
    pub sms_type: Option<EsmsSmsType>,
    /// `telcoid`: the recipient's real network.
    pub telco: Option<Carrier>,
    /// `phonenumber` (for TypeId 26 a Zalo user id, so kept as text).
    pub phone: Option<String>,
    /// `SendSuccess`.
    pub send_success: Option<i64>,
    /// `SendFailed`.
    pub send_failed: Option<i64>,
    /// `TotalReceiver`.
    pub total_receivers: Option<i64>,
    /// `TotalSent`.
    pub total_sent: Option<i64>,
    /// `TotalPrice` (`Totalprice` in the table).
    pub total_price: Option<f64>,
    /// `partnerids`: Zalo message id.
    pub partner_ids: Option<String>,
    /// `error_info`: a JSON string that contains JSON, decoded twice.
    pub error_info: Option<ZaloError>,
    /// `oaid`.
    pub oaid: Option<String>,
    /// `tempid`.
    pub template_id: Option<String>,
    /// `switchsmsid`.
    pub switch_sms_id: Option<String>,
    /// Every other parameter, in order, and known ones that could not be read.
    pub extra: Vec<(String, String)>,
}

/// Decodes a callback from its query string (with or without `?`) or from the whole URL.
/// Names are matched case-insensitively (`TotalPrice`/`Totalprice`).
pub fn parse_delivery_report(query_or_url: &str) -> DeliveryReport {
    let query = match query_or_url.split_once('?') {
        Some((_, q)) => q,
        None if query_or_url.contains("://") => "",
        None => query_or_url,
    };
    let query = query.split('#').next().unwrap_or("");
    let mut report = DeliveryReport::default();
    for (name, value) in wire::parse_query(query) {
        let text = || (!value.trim().is_empty()).then(|| value.clone());
        let int = || wire::parse_lenient_i64(&value);
        let parsed = match name.to_ascii_lowercase().as_str() {
            "smsid" => set(&mut report.sms_id, text()),
            "requestid" => set(&mut report.request_id, text()).or(Some(())),
            "sendstatus" => set(
                &mut report.send_status,
                int().map(EsmsSendStatus::from_code),
            ),
            "typeid" => set(&mut report.sms_type, int().map(EsmsSmsType::from_code)),
            "telcoid" => set(
                &mut report.telco,
                int().and_then(Carrier::from_esms_telco_id),
            ),
            "phonenumber" => set(&mut report.phone, text()).or(Some(())),
            "sendsuccess" => set(&mut report.send_success, int()),
            "sendfailed" => set(&mut report.send_failed, int()),
            "totalreceiver" => set(&mut report.total_receivers, int()),
            "totalsent" => set(&mut report.total_sent, int()),
            "totalprice" => set(&mut report.total_price, value.trim().parse().ok()),
            "partnerids" => set(&mut report.partner_ids, text()).or(Some(())),
            "error_info" => set(&mut report.error_info, decode_error_info(&value)),
            "oaid" => set(&mut report.oaid, text()).or(Some(())),
            "tempid" => set(&mut report.template_id, text()).or(Some(())),
            "switchsmsid" => set(&mut report.switch_sms_id, text()).or(Some(())),
            _ => None,
        };
        if parsed.is_none() && !(value.is_empty() && is_known(&name)) {
            report.extra.push((name, value));
        }
    }
    report
}

fn set<T>(slot: &mut Option<T>, value: Option<T>) -> Option<()> {
    let value = value?;
    *slot = Some(value);
    Some(())
}

fn is_known(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "smsid"
            | "sendstatus"
            | "typeid"
            | "telcoid"
            | "sendsuccess"
            | "sendfailed"
            | "totalreceiver"
            | "totalsent"
            | "totalprice"
            | "error_info"
    )
}

/// `error_info` is `"{\"error\":-114,…}"`: a JSON string whose content is JSON. Plain JSON
/// objects are accepted too, in case eSMS ever stops double-encoding.
fn decode_error_info(value: &str) -> Option<ZaloError> {
    let first: serde_json::Value = serde_json::from_str(value.trim()).ok()?;
    let object = match first {
        serde_json::Value::String(inner) => {
            serde_json::from_str::<serde_json::Value>(&inner).ok()?
        }
        other => other,
    };
    let map = object.as_object()?;
    Some(ZaloError {
        code: wire::scalar_i64(map.get("error").or_else(|| map.get("code"))),
        message: wire::scalar_text(map.get("message")),
    })
}
