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
    /// eSMS `POST SendZaloMessage_V6/`, one ZNS to a phone, `TempData` an object.
    #[serde(rename = "SendZaloMessage_V6")]
    EsmsZnsV6,
    /// eSMS `POST SendZaloMessage_V6/zalo_uid/`, one ZNS to a Zalo user id.
    #[serde(rename = "SendZaloMessage_V6/zalo_uid")]
    EsmsZnsV6Uid,
    /// eSMS `POST SendZaloMessage_V6/hash_phone/`, one ZNS to a SHA-256 phone hash.
    #[serde(rename = "SendZaloMessage_V6/hash_phone")]
    EsmsZnsV6HashPhone,
    /// eSMS `POST SendZaloMessage_V5_post/`, one ZNS, `TempData` a `{key, value}` list.
    #[serde(rename = "SendZaloMessage_V5_post")]
    EsmsZnsV5,
    /// eSMS `POST SendZaloMessage_V4_post_json/`, one ZNS with positional `Params` (a journey
    /// ZNS with `"IsJourney":true`).
    #[serde(rename = "SendZaloMessage_V4_post_json")]
    EsmsZnsV4,
    /// eSMS `POST Send_zns_bulk_v4_post_json/`: one record per accepted `Data` item.
    #[serde(rename = "Send_zns_bulk_v4_post_json")]
    EsmsZnsBulk,
    /// eSMS `POST MultiChannelMessage/`: a ZNS, and the SMS leg when Zalo cannot deliver it.
    #[serde(rename = "MultiChannelMessage")]
    EsmsMultiChannel,
    /// eSMS `POST SendMessageAutoGenCode_V5`: an eSMS-generated code by ZNS, SMS as fallback.
    #[serde(rename = "SendMessageAutoGenCode_V5")]
    EsmsAutoGenCodeV5,
    /// eSMS `GET SendMessageAutoGenCode_V4_get`: an eSMS-generated code by customer-care SMS.
    #[serde(rename = "SendMessageAutoGenCode_V4_get")]
    EsmsAutoGenCodeV4Get,
    /// CareSoft `POST /{domain}/api/v1/sms`.
    #[serde(rename = "caresoft_sms")]
    CareSoftSms,
    /// CareSoft `POST /{domain}/api/v1/zalo/zns`.
    #[serde(rename = "caresoft_zns")]
    CareSoftZns,
    /// InterITS `POST /api/vendor/v1/sms/send-message`.
    #[serde(rename = "interits_send_message")]
    InterItsSendMessage,
    /// InterITS `POST /api/vendor/v1/zalo/send-zns`.
    #[serde(rename = "interits_send_zns")]
    InterItsSendZns,
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
    /// 25: ZNS through an OA template (the `TypeId` of its delivery reports; eSMS calls it
    /// "normal" or customer-care ZNS).
    ZaloCustomerCare,
    /// 27: journey ZNS (`"IsJourney":true`); in no `TypeId` table, but in the journey report
    /// sample.
    ZaloJourney,
}

impl EsmsSmsType {
    /// The wire value (`SmsType`, `TypeId`).
    pub fn code(self) -> u8 {
        match self {
            EsmsSmsType::Advertising => 1,
            EsmsSmsType::CustomerCare => 2,
            EsmsSmsType::FixedNumber => 8,
            EsmsSmsType::Viber => 23,
            EsmsSmsType::ZaloCustomerCare => 25,
            EsmsSmsType::ZaloJourney => 27,
        }
    }

    /// Parses a wire value; `None` for any type this emulator does not model (answer 118).
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "1" => Some(EsmsSmsType::Advertising),
            "2" => Some(EsmsSmsType::CustomerCare),
            "8" => Some(EsmsSmsType::FixedNumber),
            "23" => Some(EsmsSmsType::Viber),
            "25" => Some(EsmsSmsType::ZaloCustomerCare),
            "27" => Some(EsmsSmsType::ZaloJourney),
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
    /// A CareSoft ZNS (serialized `{"provider":"care_soft_zns","template_id":366}`).
    CareSoftZns {
        /// `zns.template_id`: the CareSoft script id.
        template_id: u64,
    },
    /// An InterITS ZNS (serialized `{"provider":"inter_its_zns","template_id":301122}`).
    InterItsZns {
        /// `template_id`.
        template_id: u64,
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
    /// InterITS ZNS answer: `referentId`, `data.msg_id`, `data.id`.
    InterItsZns {
        /// `referentId`.
        referent_id: String,
        /// `data.msg_id` (the Zalo message id).
        msg_id: String,
        /// `data.id` (InterITS's own message id, a decimal string).
        id: String,
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
    /// Text: `None` for an image-only Viber message and for ZNS; the SMS leg's content (sent
    /// or not) for a multi-channel send; the message with the code in it for
    /// `SendMessageAutoGenCode_V4_get`.
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
    /// Idempotency key (eSMS `RequestId`, InterITS `requestId`; for an InterITS ZNS its
    /// `tracking_id`, the caller's own tag, which InterITS does not de-duplicate on).
    pub request_id: Option<String>,
    /// eSMS `CallbackUrl`.
    pub callback_url: Option<String>,
    /// eSMS `campaignid` (post_json only).
    pub campaign_id: Option<String>,
    /// CareSoft `sms.ticket_id` when the SMS was attached to an existing ticket.
    pub attached_ticket_id: Option<u64>,
    /// Viber parts, for `Send_Multiple_Sms_OTT`.
    pub viber: Option<ViberParts>,
    /// ZNS details (OA, template, parameters, recipient form, simulated Zalo outcome), for
    /// the ZNS operations of every provider and the ZNS leg of the eSMS multi-channel sends;
    /// `null` for SMS and Viber (and for a generate-only `SendMessageAutoGenCode_V5`).
    pub zns: Option<ZnsDetails>,
    /// The legs of an eSMS multi-channel send (`MultiChannelMessage/`,
    /// `SendMessageAutoGenCode_V5`): which were sent, their ids, the SMS leg; `null` otherwise.
    pub multichannel: Option<MultiChannelDetails>,
    /// The code eSMS generated (`SendMessageAutoGenCode_V5`, `SendMessageAutoGenCode_V4_get`),
    /// which the real answer never shows: the emulator's test-only view, so a test can check
    /// it with `CheckCodeGen_V4_get`. `null` for every other send.
    pub generated_code: Option<GeneratedCode>,
    /// What the emulator answered.
    pub reference: Reference,
}

/// What a ZNS send carried, and what the emulator decided Zalo does with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZnsDetails {
    /// eSMS `OAID` or InterITS `oa_id`; `None` for CareSoft, whose script implies the OA.
    pub oa_id: Option<String>,
    /// eSMS `TempID` as sent; InterITS `template_id` and CareSoft `zns.template_id` in decimal.
    pub template_id: String,
    /// Parameters. eSMS: in the template's registered order, positional `Params` (V4) named
    /// after the template's parameters by position. CareSoft and InterITS: ordered by name
    /// (their JSON objects carry no order); none for a CareSoft ZNS without `zns.params`.
    pub params: Vec<ZnsParam>,
    /// How the recipient was addressed.
    pub recipient: ZnsRecipient,
    /// eSMS `OrderId` of a journey ZNS (`"IsJourney":true`).
    pub journey_order_id: Option<String>,
    /// eSMS `SendingMode` as sent (`"1"` or `"3"`), `None` when absent.
    pub sending_mode: Option<String>,
    /// The simulated Zalo outcome.
    pub delivery: ZnsDelivery,
    /// VND charged (0 for a failed or sandbox ZNS, and for CareSoft and InterITS, which do not
    /// report a price).
    pub price: u64,
}

/// The legs of a multi-channel send: Zalo first, SMS only when Zalo could not deliver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MultiChannelDetails {
    /// `MultiChannelTempId` for `SendMessageAutoGenCode_V5`, `None` for `MultiChannelMessage/`.
    pub template_id: Option<String>,
    /// The legs actually sent, in order: `[]` (sandbox, or a generate-only code), `["zns"]`
    /// (Zalo delivered), `["zns","sms"]` (Zalo failed, the SMS leg went out).
    pub legs_sent: Vec<Leg>,
    /// The ZNS leg (its template, parameters and Zalo outcome are in the record's `zns`).
    pub zns_leg: ZnsLeg,
    /// The SMS leg, sent or not.
    pub sms_leg: SmsLeg,
    /// VND charged for the whole send: the template's price when Zalo delivered, the SMS price
    /// when the SMS leg went out (the failed ZNS is free), 0 for sandbox and generate-only.
    pub price: u64,
}

/// One channel of a multi-channel send (serialized `"zns"` / `"sms"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Leg {
    /// `Data[0]`, Zalo.
    Zns,
    /// `Data[1]`, the customer-care SMS.
    Sms,
}

/// The ZNS leg's ids and options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZnsLeg {
    /// The leg's own SMSID (the `switchsmsid` of the SMS leg's report).
    pub sms_id: String,
    /// The `SMSID` its delivery report carries (see `MultiChannelIds`).
    pub report_sms_id: String,
    /// `Data[0].RequestId`.
    pub request_id: Option<String>,
    /// `Data[0].CallbackUrl`.
    pub callback_url: Option<String>,
}

/// The SMS leg (`Data[1]`, or the `MultiChannelTempId`'s SMS template).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SmsLeg {
    /// The leg's own SMSID (the `switchsmsid` of the ZNS leg's failure report).
    pub sms_id: String,
    /// The `SMSID` its delivery report carries (see `MultiChannelIds`).
    pub report_sms_id: String,
    /// The content, as sent or as it would have been sent (a generated code filled in).
    pub content: String,
    /// The brandname.
    pub brandname: String,
    /// `Data[1].IsUnicode`, when given.
    pub unicode: Option<UnicodeFlag>,
    /// `Data[1].RequestId`.
    pub request_id: Option<String>,
    /// `Data[1].CallbackUrl`.
    pub callback_url: Option<String>,
    /// `None` when the leg was not sent; otherwise whether the SMS was delivered (false for a
    /// phone in `EsmsConfig::undeliverable_phones`).
    pub delivered: Option<bool>,
}

/// A code eSMS generated and `CheckCodeGen_V4_get` accepts once while it is alive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GeneratedCode {
    /// The code, as sent to the phone.
    pub code: String,
    /// How long it stays valid, in minutes of emulator time (`TimeAlive`, default 5).
    pub time_alive_minutes: u32,
    /// Digits only (`IsNumber=1`, and always on `SendMessageAutoGenCode_V5`), or upper-case
    /// letters and digits.
    pub digits_only: bool,
}

/// One template parameter value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZnsParam {
    /// The template variable name.
    pub name: String,
    /// The value as sent.
    pub value: String,
}

/// The ZNS recipient, in the form the request used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ZnsRecipient {
    /// A phone number (eSMS `Phone`, InterITS `phone`, CareSoft `zns.phone`).
    Phone {
        /// As sent.
        phone: String,
    },
    /// eSMS `ZaloUid`.
    ZaloUid {
        /// As sent.
        zalo_uid: String,
    },
    /// eSMS `HashPhone`.
    HashPhone {
        /// As sent.
        hash_phone: String,
        /// The directory phone (national form) the hash was resolved to.
        phone: String,
    },
}

impl ZnsDetails {
    /// The Zalo message id, when Zalo took the message (see [`ZnsDelivery::Delivered`]).
    pub fn zalo_msg_id(&self) -> Option<&str> {
        match &self.delivery {
            ZnsDelivery::Delivered { zalo_msg_id } => Some(zalo_msg_id),
            ZnsDelivery::Failed { .. } | ZnsDelivery::NotSent => None,
        }
    }
}

/// What Zalo did with a ZNS, as the emulator decided it from the recipient's Zalo state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ZnsDelivery {
    /// Delivered. `zalo_msg_id` is fixed when eSMS accepts the send and never changes: it is
    /// the `partnerids` of the delivery report, `ZaloMsgId` of `QueryZnsStatus/`, `Partnerids`
    /// of `ZaloCallback/GetCallback` and the `MessageId` `GetZaloMessageStatus` knows.
    Delivered {
        /// 20 lowercase hex digits, the shape of the pages' samples.
        zalo_msg_id: String,
    },
    /// Refused by Zalo with this error (−118: no Zalo account, −114: user inactive). Zalo
    /// created no message, so there is no Zalo message id (the failure sample's `partnerids`
    /// is empty).
    Failed {
        /// The Zalo error code (`error_info.error`).
        zalo_error: i32,
    },
    /// A sandbox send: validated only, never sent.
    NotSent,
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
