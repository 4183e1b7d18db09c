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

use crate::error::{Error, Result};
use crate::http::{HttpRequest, Idempotency, Method};
use crate::ids::{BaseUrl, Secret};
use crate::message::{Content, Message, SmsPurpose};
use crate::phone::PhoneFormat;
use crate::time::Timestamp;

mod sent;
pub use sent::{
    decode_sent_data, parse_sent_time, DeliveryResult, SentDataPage, SentDataQuery, SentRow,
    SENT_DATA_MAX_PAGE_SIZE,
};

mod reconcile;
pub use reconcile::{
    ReconcilePolicy, ReconcileStep, ReconcileVerdict, Reconciliation, SentWindow,
    RECONCILE_MARGIN_MS, RECONCILE_MAX_PAGES_PER_WINDOW, RECONCILE_MAX_WINDOW_MS,
};

mod callback;
mod errors;
mod lookup;
mod multichannel;
mod query;
mod send;
mod zalo;
mod zalo_bulk;
mod zalo_query;

pub use callback::*;
pub use errors::{error_for_code, ERROR_TABLE};
pub use lookup::{
    decode_lookup, Brandname, EsmsLookup, EsmsLookupAnswer, ZaloDelivery, ZaloMessageStatus,
    ZaloOa, ZnsQuota, ZnsState, ZnsStatus, ZnsTemplateButton, ZnsTemplateInfo,
    ZnsTemplateInfoParam,
};
pub use multichannel::{
    decode_check_code, CodeCheck, MultiChannelLeg, MULTICHANNEL_REQUEST_ID_MAX_LEN,
    OTP_CODE_LENGTH, OTP_TIME_ALIVE_MINUTES,
};
pub use query::*;
pub use send::decode_send;
pub use zalo::{JOURNEY_ORDER_ID_MAX_CHARS, ZNS_CAMPAIGN_MAX_CHARS};
pub(crate) use zalo_bulk::base_id as zns_bulk_base_id;
pub use zalo_bulk::{decode_zns_bulk, zns_bulk_recipient_id, ZNS_BULK_REQUEST_ID_MAX_LEN};
pub use zalo_query::{decode_zns_templates, ZnsTemplate, ZnsTemplateKind, ZnsTemplateParam};

use errors::{decode_common, unexpected};
use send::{check_recipient_count, sms_type_for, KeysBody, Send};

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
    /// `POST SendZaloMessage_V6/`: one ZNS to a phone, `TempData` an object (D-Z1: the default).
    SendZnsV6,
    /// `POST SendZaloMessage_V6/zalo_uid/`: one ZNS to a Zalo user id.
    SendZnsV6ZaloUid,
    /// `POST SendZaloMessage_V6/hash_phone/`: one ZNS to a SHA-256-hashed phone.
    SendZnsV6HashPhone,
    /// `POST SendZaloMessage_V5_post/`: one ZNS, `TempData` a list of `{key, value}`.
    SendZnsV5,
    /// `POST SendZaloMessage_V4_post_json/`: one ZNS, positional `Params` (and journey ZNS).
    SendZnsV4,
    /// `POST Send_zns_bulk_v4_post_json/`: one template to up to 500 phones, each with its own
    /// values, answered per recipient.
    SendZnsBulk,
    /// `POST MultiChannelMessage/`: a ZNS, then an SMS if Zalo cannot deliver it.
    SendMultiChannel,
    /// `POST SendMessageAutoGenCode_V5`: an eSMS-generated code by ZNS, then SMS.
    SendGeneratedOtpZaloThenSms,
    /// `GET SendMessageAutoGenCode_V4_get`: an eSMS-generated code by SMS.
    SendGeneratedOtpSms,
    /// `GET CheckCodeGen_V4_get`: whether a generated code is the one sent.
    CheckGeneratedOtp,
    /// `POST GetTemplate/` with `SmsType` 24/25: the ZNS templates of an OA.
    GetZnsTemplates,
    /// `GET GetZnsTemplateInfo`: one template's details (keys in the query, D-C8).
    GetZnsTemplateInfo,
    /// `POST ZNS/GetListZOA/`: the OAs of the account.
    GetZaloOas,
    /// `POST ZNS/GetQuota/`: an OA's daily quota.
    GetZnsQuota,
    /// `POST QueryZnsStatus/`: Zalo's status of a ZNS by SMSID.
    GetZnsStatus,
    /// `POST GetZaloMessageStatus`: handset delivery by Zalo's message id (D-Z33: https, like
    /// every other path, although the page writes http).
    GetZaloMessageStatus,
    /// `GET GetListBrandname/{ApiKey}/{SecretKey}`: registered brandnames (keys in the path).
    GetBrandnames,
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
            // D-Z12: one slash, and each curl's own trailing slash.
            EsmsEndpoint::SendZnsV6 => "SendZaloMessage_V6/",
            EsmsEndpoint::SendZnsV6ZaloUid => "SendZaloMessage_V6/zalo_uid/",
            EsmsEndpoint::SendZnsV6HashPhone => "SendZaloMessage_V6/hash_phone/",
            EsmsEndpoint::SendZnsV5 => "SendZaloMessage_V5_post/",
            EsmsEndpoint::SendZnsV4 => "SendZaloMessage_V4_post_json/",
            EsmsEndpoint::SendZnsBulk => "Send_zns_bulk_v4_post_json/",
            EsmsEndpoint::SendMultiChannel => "MultiChannelMessage/",
            EsmsEndpoint::SendGeneratedOtpZaloThenSms => "SendMessageAutoGenCode_V5",
            EsmsEndpoint::SendGeneratedOtpSms => "SendMessageAutoGenCode_V4_get",
            EsmsEndpoint::CheckGeneratedOtp => "CheckCodeGen_V4_get",
            EsmsEndpoint::GetZnsTemplates => "GetTemplate/",
            EsmsEndpoint::GetZnsTemplateInfo => "GetZnsTemplateInfo",
            EsmsEndpoint::GetZaloOas => "ZNS/GetListZOA/",
            EsmsEndpoint::GetZnsQuota => "ZNS/GetQuota/",
            EsmsEndpoint::GetZnsStatus => "QueryZnsStatus/",
            EsmsEndpoint::GetZaloMessageStatus => "GetZaloMessageStatus",
            EsmsEndpoint::GetBrandnames => "GetListBrandname/",
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
    /// 27: journey ZNS (in reports only; D-Z42).
    ZnsJourney,
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
            EsmsSmsType::ZnsJourney => 27,
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
            27 => EsmsSmsType::ZnsJourney,
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

/// Which single-ZNS endpoint a ZNS to a phone goes to (D-Z1). V6 takes named parameters, so
/// their order cannot go wrong; V5 is the English pages' twin; V4 takes them by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EsmsZnsVersion {
    /// `SendZaloMessage_V4_post_json/`: positional `Params`.
    V4,
    /// `SendZaloMessage_V5_post/`: `TempData` as `{key, value}` pairs.
    V5,
    /// `SendZaloMessage_V6/`: `TempData` as an object (the default).
    V6,
}

/// Options only eSMS has.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EsmsOptions {
    /// Body style of SMS; see [`EsmsFormat`].
    pub format: EsmsFormat,
    /// `campaignid`: a campaign name shown in eSMS reports (JSON SMS and ZNS).
    pub campaign_id: Option<String>,
    /// The ZNS endpoint; V6 when unset (journey ZNS: V4).
    pub zns_version: Option<EsmsZnsVersion>,
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
        let format = msg.options.esms()?.format;
        let refuse = |what: &str| {
            Err(Error::invalid(
                "options.esms.format",
                format!("{what} cannot be sent as {format:?}"),
            ))
        };
        let sms = match &msg.content {
            Content::Sms(sms) => sms,
            Content::Viber(_) if format == EsmsFormat::Json => return Ok(EsmsEndpoint::SendViber),
            Content::Viber(_) => return refuse("Viber (it has one JSON endpoint)"),
            Content::Zns(_) if format != EsmsFormat::Json => {
                return refuse("ZNS (its endpoints are JSON only)")
            }
            Content::Zns(zns) => return zalo::endpoint_for(zns, &msg.options.esms()?),
            Content::ZnsBulk(_) if format != EsmsFormat::Json => {
                return refuse("bulk ZNS (its endpoint is JSON only)")
            }
            Content::ZnsBulk(_) => return Ok(EsmsEndpoint::SendZnsBulk),
            Content::ZaloThenSms(_) => return Ok(EsmsEndpoint::SendMultiChannel),
            Content::GeneratedOtp(otp) => {
                return Ok(match otp.channel {
                    crate::message::OtpChannel::ZaloThenSms { .. } => {
                        EsmsEndpoint::SendGeneratedOtpZaloThenSms
                    }
                    crate::message::OtpChannel::Sms { .. } => EsmsEndpoint::SendGeneratedOtpSms,
                })
            }
        };
        match (sms.purpose, format) {
            (SmsPurpose::Otp | SmsPurpose::CustomerCare, EsmsFormat::Json) => {
                Ok(EsmsEndpoint::SendJson)
            }
            (SmsPurpose::Otp | SmsPurpose::CustomerCare, EsmsFormat::Xml) => {
                Ok(EsmsEndpoint::SendXml)
            }
            (SmsPurpose::Advertising, EsmsFormat::Json) => Ok(EsmsEndpoint::SendAdvertisingJson),
            (SmsPurpose::Advertising, EsmsFormat::Xml) => Ok(EsmsEndpoint::SendAdvertisingXml),
            (SmsPurpose::FixedNumber, EsmsFormat::Json) => Ok(EsmsEndpoint::SendJson),
            (SmsPurpose::FixedNumber, EsmsFormat::Get) => Ok(EsmsEndpoint::SendFixedNumberGet),
            (SmsPurpose::Otp | SmsPurpose::CustomerCare, EsmsFormat::Get) => {
                refuse("customer care (use json or xml)")
            }
            (SmsPurpose::Advertising, EsmsFormat::Get) => refuse("advertising (use json or xml)"),
            (SmsPurpose::FixedNumber, EsmsFormat::Xml) => {
                refuse("fixed-number SMS (use json or get)")
            }
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
        let options = msg.options.esms()?;
        match &msg.content {
            Content::Zns(zns) => return zalo::encode(self, msg, zns, &options),
            Content::ZnsBulk(bulk) => return zalo_bulk::encode(self, msg, bulk, &options),
            Content::ZaloThenSms(both) => {
                return multichannel::encode_zalo_then_sms(self, msg, both, &options)
            }
            Content::GeneratedOtp(otp) => {
                return multichannel::encode_generated_otp(self, msg, otp, &options)
            }
            Content::Sms(_) | Content::Viber(_) => {}
        }
        let endpoint = self.endpoint_for(msg)?;
        let request_id = msg.required_request_id("eSMS")?;
        if options.campaign_id.is_some() && endpoint != EsmsEndpoint::SendJson {
            return Err(Error::invalid(
                "options.esms.campaign_id",
                "only SendMultipleMessage_V4_post_json carries campaignid",
            ));
        }
        if let Some(campaign) = &options.campaign_id {
            if campaign.is_empty()
                || campaign.chars().count() > 100
                || campaign.chars().any(char::is_control)
            {
                return Err(Error::invalid(
                    "options.esms.campaign_id",
                    "must be 1 to 100 characters without control characters",
                ));
            }
        }
        check_recipient_count(msg, endpoint)?;
        let send = Send {
            account: self,
            msg,
            endpoint,
            request_id,
            send_date: msg.schedule.map(Timestamp::to_vietnam_local),
            sandbox: if msg.sandbox { "1" } else { "0" },
            phones: msg
                .recipients
                .iter()
                .map(|p| p.format(PhoneFormat::National))
                .collect(),
            callback: msg.callback_url.as_ref().map(|u| u.as_str()),
            idempotency: Idempotency::KeyedBy(request_id.clone()),
        };
        match &msg.content {
            Content::Sms(sms) => send.sms(sms, &options),
            Content::Viber(viber) => send.viber(viber),
            Content::Zns(_)
            | Content::ZnsBulk(_)
            | Content::ZaloThenSms(_)
            | Content::GeneratedOtp(_) => {
                unreachable!("encoded above")
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
}
