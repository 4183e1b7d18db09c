//! What the emulator remembers: accepted messages and delivery-report attempts.
//!
//! These records are the ground truth of tests ("was it sent, and only once?"), in Rust through
//! `Emulator::messages()` and in other languages through `GET /_emulator/messages`, so they are
//! typed here and serialized with stable snake_case names.

use serde::Serialize;

/// Which provider an accepted message went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// eSMS.vn (ViHAT).
    Esms,
    /// CareSoft.
    CareSoft,
    /// InterITS CPaaS.
    InterIts,
}

/// The operation that accepted a message; serialized as the provider's own operation name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Endpoint {
    /// eSMS `POST SendMultipleMessage_V4/`, XML body, customer care (SMSTYPE 2).
    #[serde(rename = "SendMultipleMessage_V4")]
    EsmsXmlCustomerCare,
    /// eSMS `POST SendMultipleSMSBrandname`, XML body, advertising (SMSTYPE 1).
    #[serde(rename = "SendMultipleSMSBrandname")]
    EsmsXmlAdvertising,
    /// eSMS `GET SendMultipleMessage_V4_get`, query string (SmsType 8, or 2 with a Brandname).
    #[serde(rename = "SendMultipleMessage_V4_get")]
    EsmsGet,
    /// eSMS `POST SendMultipleMessage_V4_post_json/`, one phone, SmsType 2 or 8.
    #[serde(rename = "SendMultipleMessage_V4_post_json")]
    EsmsPostJson,
    /// eSMS `POST SendMultipleSMSBrandname_json/`, advertising JSON (SmsType 1).
    #[serde(rename = "SendMultipleSMSBrandname_json")]
    EsmsAdvertisingJson,
    /// eSMS `POST Send_Multiple_Sms_OTT/`, Viber (SmsType 23).
    #[serde(rename = "Send_Multiple_Sms_OTT")]
    EsmsViber,
    /// CareSoft `POST /{domain}/api/v1/sms`.
    #[serde(rename = "caresoft_sms")]
    CareSoftSms,
    /// InterITS `POST /api/vendor/v1/sms/send-message`.
    #[serde(rename = "interits_send_message")]
    InterItsSendMessage,
}

/// eSMS message types the emulator accepts (digest §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EsmsSmsType {
    /// 1: advertising brandname SMS, 30..=5000 recipients.
    Advertising,
    /// 2: customer care / OTP brandname SMS.
    CustomerCare,
    /// 8: fixed-number cheap SMS, no brandname.
    FixedNumber,
    /// 23: Viber OTT.
    Viber,
}

impl EsmsSmsType {
    /// The wire value (`SmsType`, `TypeId`).
    pub fn code(self) -> u8 {
        match self {
            EsmsSmsType::Advertising => 1,
            EsmsSmsType::CustomerCare => 2,
            EsmsSmsType::FixedNumber => 8,
            EsmsSmsType::Viber => 23,
        }
    }

    /// Parses a wire value; `None` for any type this emulator does not model (answer 118).
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "1" => Some(EsmsSmsType::Advertising),
            "2" => Some(EsmsSmsType::CustomerCare),
            "8" => Some(EsmsSmsType::FixedNumber),
            "23" => Some(EsmsSmsType::Viber),
            _ => None,
        }
    }
}

/// InterITS `type` (digest §3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InterItsType {
    /// 0: "Tư vấn", consulting / customer care.
    Consulting,
    /// 1: advertising.
    Advertising,
    /// 2: OTP.
    Otp,
}

/// The kind of message, in the accepting provider's own terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "provider", rename_all = "snake_case")]
pub enum MessageKind {
    /// eSMS `SmsType`.
    Esms {
        /// The type.
        sms_type: EsmsSmsType,
    },
    /// CareSoft SMS through an integrated brandname service.
    CareSoft {
        /// `sms.service_id`.
        service_id: u64,
    },
    /// InterITS `type`.
    InterIts {
        /// The type.
        message_type: InterItsType,
    },
}

/// The unicode flag as sent (eSMS `IsUnicode` 0/1, InterITS `useUnicode` 0/1/2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnicodeFlag {
    /// 0: content sent without diacritics.
    Off,
    /// 1: Unicode content.
    On,
    /// 2 (InterITS only): the provider strips diacritics itself.
    AutoConvert,
}

/// Viber extras of an eSMS OTT message (which of the four allowed shapes it had).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ViberParts {
    /// `OttImgUrl`.
    pub image_url: Option<String>,
    /// `OttUrl`.
    pub button_url: Option<String>,
    /// `OttLabel`.
    pub button_label: Option<String>,
}

/// The handle the provider answered with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reference {
    /// eSMS `SMSID`.
    EsmsSmsId {
        /// The 32-hex-digit id (`ReferenceId` in `GetSmsSentData_V2`).
        sms_id: String,
        /// The numeric id of the message in the eSMS portal (`SmsId` in `GetSmsSentData_V2`);
        /// the send answer never shows it.
        portal_sms_id: u64,
    },
    /// CareSoft ticket.
    CareSoftTicket {
        /// `ticket.ticket_id`.
        ticket_id: u64,
        /// `ticket.ticket_no`.
        ticket_no: u64,
    },
    /// InterITS `referentId` and `data.token`.
    InterIts {
        /// `referentId`.
        referent_id: String,
        /// `data.token`.
        token: String,
    },
}

/// One message the emulator accepted (answered with success). Rejected requests are never
/// recorded, so the length of this list is the number of messages "really" sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AcceptedMessage {
    /// 1-based order of acceptance since start or the last reset.
    pub seq: u64,
    /// When it was accepted, in milliseconds since the Unix epoch on the real wall clock (not
    /// moved by `Emulator::advance_clock`). eSMS `GetSmsSentData_V2` filters on it.
    pub created_at_unix_ms: u64,
    /// Provider.
    pub provider: Provider,
    /// Operation that accepted it.
    pub endpoint: Endpoint,
    /// Who sent it: the eSMS `ApiKey`, the CareSoft domain or the InterITS `API-KEY`.
    pub account: String,
    /// Recipients exactly as sent.
    pub recipients: Vec<String>,
    /// Text (`None` only for an image-only Viber message).
    pub text: Option<String>,
    /// Brandname / `from`; `None` for eSMS fixed-number messages and CareSoft.
    pub sender: Option<String>,
    /// Message type.
    pub kind: MessageKind,
    /// Unicode flag, when the request carried one.
    pub unicode: Option<UnicodeFlag>,
    /// Sandbox/test flag (eSMS `Sandbox`/`IsSandBox` = "1").
    pub sandbox: bool,
    /// Schedule exactly as sent (eSMS `SendDate`, InterITS `scheduled`).
    pub schedule: Option<String>,
    /// Idempotency key (eSMS `RequestId`, InterITS `requestId`).
    pub request_id: Option<String>,
    /// eSMS `CallbackUrl`.
    pub callback_url: Option<String>,
    /// eSMS `campaignid` (post_json only).
    pub campaign_id: Option<String>,
    /// CareSoft `sms.ticket_id` when the SMS was attached to an existing ticket.
    pub attached_ticket_id: Option<u64>,
    /// Viber parts, for `Send_Multiple_Sms_OTT`.
    pub viber: Option<ViberParts>,
    /// What the emulator answered.
    pub reference: Reference,
}

/// One attempt to deliver an eSMS delivery report to a `CallbackUrl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveryAttempt {
    /// The `SMSID` the report is about.
    pub sms_id: String,
    /// `phonenumber` of a per-recipient report; `None` for the advertising aggregate.
    pub phone: Option<String>,
    /// Full URL requested (the callback URL plus the report's query parameters).
    pub url: String,
    /// What happened.
    pub outcome: DeliveryOutcome,
}

/// Result of one delivery-report attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DeliveryOutcome {
    /// The receiver answered with this HTTP status.
    Answered {
        /// HTTP status code.
        status: u16,
    },
    /// Connecting, writing or reading failed (the text is the I/O error).
    Failed {
        /// Error text.
        error: String,
    },
    /// The emulator refused to call the URL at all; nothing was sent.
    Refused {
        /// Why.
        reason: RefusalReason,
    },
}

/// Why a delivery report was not sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum RefusalReason {
    /// The emulator only calls loopback hosts (127.0.0.0/8, localhost, \[::1\]) so that a test can
    /// never make it reach the network.
    NotLoopback {
        /// The host that was refused.
        host: String,
    },
    /// Only plain `http://` is spoken by the emulator's tiny client.
    UnsupportedScheme {
        /// The scheme that was refused.
        scheme: String,
    },
    /// The URL could not be parsed.
    MalformedUrl,
}

/// One row of eSMS `GetSmsSentData_V2`: one recipient of one accepted eSMS message, exactly as
/// the emulator answers it (`Emulator::esms_sent_rows` lists them all).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EsmsSentRow {
    /// The `ApiKey` that sent it (the query only shows an account its own rows).
    pub account: String,
    /// `Phone`: the recipient as sent.
    pub phone: String,
    /// `Content` (`None` for an image-only Viber message).
    pub content: Option<String>,
    /// `ReferenceId`: the `SMSID` the send answered with; shared by every recipient of a send.
    pub reference_id: String,
    /// `SmsId`: the numeric portal id of the send; shared by every recipient of a send.
    pub sms_id: u64,
    /// `SmsType`.
    pub sms_type: EsmsSmsType,
    /// `Campaign`: the send's `campaignid`, if it had one.
    pub campaign: Option<String>,
    /// `SellPrice` in VND (0 for sandbox messages, which are not charged).
    pub sell_price: u64,
    /// `SendResult`: 1 delivered, 0 failed (undeliverable phones and sandbox messages).
    pub send_result: u8,
    /// `SendStatus`: always 5, "finished", as `GetSendStatus` answers.
    pub send_status: u8,
    /// Creation time, milliseconds since the Unix epoch (`SentTime`, and what `From`/`To`
    /// filter on).
    pub created_at_unix_ms: u64,
}
