//! Records and enums of the UniFFI interface, with their conversions to and from core.

use std::fmt;
use std::sync::Arc;

use nhantin_core as core;

use super::error::NhantinError;

/// A credential: an API key, a secret key or a token. It holds the value for the library and
/// has no way to give it back; printed, it shows `***` (Python `repr`/`str`, Kotlin
/// `toString`, Swift `description`, Rust `Debug`), so an `Account` can be logged whole.
#[derive(uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct Secret {
    value: String,
}

#[uniffi::export]
impl Secret {
    /// Holds `value` (read it from the environment or a vault, not from source code).
    #[uniffi::constructor]
    pub fn new(value: String) -> Arc<Self> {
        let _entry = crate::quiet::enter();
        Arc::new(Secret { value })
    }
}

impl Secret {
    /// The value, for core only: never returned across the boundary.
    pub(crate) fn value(&self) -> String {
        self.value.clone()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Two secrets are equal when they hold the same value (so two equal accounts compare equal in
/// Rust; the foreign languages compare secrets by identity).
impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for Secret {}

// ---- core's enums and input records, exposed as they are ----
//
// `#[uniffi::remote]` generates the foreign conversions for core's own types: the definitions
// below only restate them for UniFFI (a variant or field that differs from core's is a compile
// error), so nothing is converted by hand and the bindings' shapes are core's.

pub use core::esms::{
    Brandname, EsmsLookup, EsmsLookupAnswer, ZaloDelivery, ZaloMessageStatus, ZaloOa, ZnsQuota,
    ZnsState, ZnsStatus, ZnsTemplateButton, ZnsTemplateInfo, ZnsTemplateInfoParam,
};
pub use core::input::{
    CareSoftOptionsInput, ContentInput, EsmsOptionsInput, GeneratedOtpInput, InterItsOptionsInput,
    MessageInput, OptionsInput, OtpChannelInput, OtpMultiChannelInput, OtpSmsInput, SmsInput,
    ViberButtonInput, ViberInput, ZaloThenSmsInput, ZnsBulkInput, ZnsInput, ZnsParamInput,
};
pub use core::interits::{InterItsZnsMessage, ZnsDeliveryStatus};
pub use core::receipt::RecipientResult;
pub use core::UnicodePolicy;
pub use core::{
    esms::CodeCheck, esms::DeliveryVerdict, esms::EsmsFormat, esms::EsmsZnsVersion,
    esms::MultiChannelLeg, esms::ZnsTemplate, esms::ZnsTemplateKind, esms::ZnsTemplateParam,
    Carrier, Encoding, PhoneFormat, Provider, Rejection, SmsPurpose,
};

/// The providers nhantin speaks to.
#[uniffi::remote(Enum)]
pub enum Provider {
    /// eSMS.vn.
    Esms,
    /// CareSoft.
    CareSoft,
    /// InterITS CPaaS.
    InterIts,
}

/// What an SMS is for; it picks the endpoint and the provider's type code.
#[uniffi::remote(Enum)]
pub enum SmsPurpose {
    /// A one-time password.
    Otp,
    /// Customer care / transactional.
    CustomerCare,
    /// Advertising (eSMS: 30 to 5000 recipients per request).
    Advertising,
    /// eSMS fixed-number SMS without brandname.
    FixedNumber,
}

/// What to do with text outside GSM-7.
#[uniffi::remote(Enum)]
pub enum UnicodePolicy {
    /// Unicode exactly when the text needs it.
    Auto,
    /// Always flag the message as Unicode.
    Force,
    /// Remove Vietnamese diacritics first; refuse what still is not GSM-7.
    Strip,
    /// Refuse text that is not GSM-7.
    Reject,
}

/// eSMS body style.
#[uniffi::remote(Enum)]
pub enum EsmsFormat {
    /// JSON POST (recommended; keys stay out of URLs).
    Json,
    /// XML in text/plain: many customer-care recipients in one request.
    Xml,
    /// Query string: fixed-number only.
    Get,
}

/// Which ZNS templates to list.
#[uniffi::remote(Enum)]
pub enum ZnsTemplateKind {
    /// Zalo's priority templates (`SmsType` 24).
    Priority,
    /// Normal templates (`SmsType` 25).
    Normal,
}

/// A ZNS template of an OA, with the parameters it declares.
#[uniffi::remote(Record)]
pub struct ZnsTemplate {
    /// The template id.
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// Its HTML with `{{name}}` placeholders.
    pub content: Option<String>,
    /// The declared parameters, in the template's order.
    pub params: Vec<ZnsTemplateParam>,
}

/// One parameter a ZNS template declares.
#[uniffi::remote(Record)]
pub struct ZnsTemplateParam {
    /// The variable name.
    pub name: String,
    /// Its position (the order positional endpoints send values in).
    pub position: Option<i64>,
    /// The most characters its value may have.
    pub max_length: Option<i64>,
    /// `type_text`, `type_number`, `type_date`, `type_cta_url`, …
    pub kind: Option<String>,
}

/// The verdict of an eSMS code check.
#[uniffi::remote(Enum)]
pub enum CodeCheck {
    /// The code is the one sent to that phone, and still valid.
    Valid,
    /// Used, expired or not for this phone.
    Invalid,
}

/// Which eSMS endpoint a ZNS to a phone goes to.
#[uniffi::remote(Enum)]
pub enum EsmsZnsVersion {
    /// `SendZaloMessage_V4_post_json/`: positional parameters.
    V4,
    /// `SendZaloMessage_V5_post/`: `{key, value}` pairs.
    V5,
    /// `SendZaloMessage_V6/`: named parameters (the default).
    V6,
}

/// How a phone number is written.
#[uniffi::remote(Enum)]
pub enum PhoneFormat {
    /// `0912345678`.
    National,
    /// `84912345678`.
    International,
    /// `+84912345678`.
    E164,
}

/// The network that issued a number's prefix.
#[uniffi::remote(Enum)]
pub enum Carrier {
    /// Viettel.
    Viettel,
    /// MobiFone.
    Mobifone,
    /// Vinaphone.
    Vinaphone,
    /// Vietnamobile.
    Vietnamobile,
    /// Gmobile (Gtel).
    Gmobile,
    /// Itel.
    Itel,
    /// Reddi.
    Reddi,
    /// A valid prefix nhantin does not know yet.
    Unknown,
}

/// How a text travels over the air.
#[uniffi::remote(Enum)]
pub enum Encoding {
    /// 7-bit: 160 characters in one SMS, 153 per part.
    Gsm7,
    /// UTF-16: 70 characters in one SMS, 67 per part.
    Ucs2,
}

/// Why a provider refused a request.
#[uniffi::remote(Enum)]
pub enum Rejection {
    /// Wrong credentials.
    Unauthorized,
    /// Malformed in the provider's eyes.
    InvalidRequest,
    /// eSMS 124: the request id was used in the last 24 h.
    DuplicateRequestId,
    /// eSMS 99.
    PhoneBlocked,
    /// eSMS 102.
    NoPriceList,
    /// eSMS 103.
    InsufficientBalance,
    /// eSMS 104.
    UnknownBrandname,
    /// eSMS 105.
    NotFound,
    /// eSMS 106.
    RecordingNotFound,
    /// eSMS 107.
    TooFewRecipients,
    /// eSMS 108.
    InvalidPhone,
    /// eSMS 110.
    InvalidData,
    /// eSMS 115.
    InvalidHashedPhone,
    /// eSMS 118.
    UnsupportedMessageType,
    /// eSMS 120.
    TooManyRecipients,
    /// eSMS 140.
    IpNotWhitelisted,
    /// eSMS 146.
    TemplateMismatch,
    /// eSMS 171.
    InvalidCode,
    /// eSMS 177.
    NetworkNotRegistered,
    /// eSMS 199.
    AlreadyProcessing,
    /// eSMS 204.
    UnknownOaid,
    /// eSMS 210.
    InvalidPayload,
    /// eSMS 300.
    MissingMessageType,
    /// eSMS 301.
    UnsupportedService,
    /// eSMS 143.
    AccountLocked,
    /// eSMS 201.
    BlockedKeyword,
    /// eSMS 789.
    TemplateNotConfigured,
    /// eSMS 791.
    MissingOaOrTemplate,
    /// eSMS 799.
    OaNotActive,
    /// eSMS 801.
    QuotaModeScheduled,
    /// eSMS 802.
    QuotaModeNotAllowed,
    /// eSMS 851.
    MissingMessageId,
    /// CareSoft: the tenant does not exist.
    UnknownAccount,
    /// A code nhantin has no meaning for.
    Other,
}

/// One message to one or more recipients: the JSON form of `tests/vectors/README.md`, field for
/// field. `validate` happens when it is sent or encoded; a bad value is `InvalidInput` naming
/// the field.
#[uniffi::remote(Record)]
#[uniffi(name = "Message")]
pub struct MessageInput {
    /// Phone numbers in any accepted form (`0…`, `84…`, `+84…`, `0084…`, with spaces, dots, dashes).
    pub recipients: Vec<String>,
    /// What the message says.
    pub content: ContentInput,
    /// When to deliver, RFC 3339 (`2026-11-24T09:30:00+07:00`).
    #[uniffi(default)]
    pub schedule: Option<String>,
    /// The idempotency key; generated for eSMS and InterITS when absent.
    #[uniffi(default)]
    pub request_id: Option<String>,
    /// Where eSMS sends the delivery report.
    #[uniffi(default)]
    pub callback_url: Option<String>,
    /// eSMS test mode.
    #[uniffi(default)]
    pub sandbox: bool,
    /// The options of the account's provider.
    #[uniffi(default)]
    pub options: Option<OptionsInput>,
}

/// What a message says.
#[uniffi::remote(Enum)]
#[uniffi(name = "Content")]
pub enum ContentInput {
    /// An SMS.
    Sms {
        /// The SMS.
        sms: SmsInput,
    },
    /// A Viber message (eSMS).
    Viber {
        /// The Viber message.
        viber: ViberInput,
    },
    /// A Zalo ZNS template message.
    Zns {
        /// The ZNS.
        zns: ZnsInput,
    },
    /// eSMS: one ZNS template to every recipient, each with its own values (up to 500 per
    /// request; longer lists are split). The receipt says what became of each recipient.
    ZnsBulk {
        /// The template and the values.
        zns_bulk: ZnsBulkInput,
    },
    /// eSMS: a ZNS, then an SMS when Zalo cannot deliver it (one send; eSMS falls back).
    ZaloThenSms {
        /// The two legs.
        zalo_then_sms: ZaloThenSmsInput,
    },
    /// eSMS: a one-time code eSMS generates, sends and later checks.
    GeneratedOtp {
        /// How it is sent.
        generated_otp: GeneratedOtpInput,
    },
}

/// The two legs of a multi-channel send.
#[uniffi::remote(Record)]
#[uniffi(name = "ZaloThenSms")]
pub struct ZaloThenSmsInput {
    /// The ZNS leg (its parameters go by position).
    pub zns: ZnsInput,
    /// The SMS leg: customer care, with its brandname.
    pub sms: SmsInput,
}

/// A code eSMS generates and sends.
#[uniffi::remote(Record)]
#[uniffi(name = "GeneratedOtp")]
pub struct GeneratedOtpInput {
    /// How it travels.
    pub channel: OtpChannelInput,
    /// Minutes it stays valid, 2 to 10 (eSMS's default: 5).
    #[uniffi(default)]
    pub time_alive_minutes: Option<u32>,
}

/// How a generated code travels.
#[uniffi::remote(Enum)]
#[uniffi(name = "OtpChannel")]
pub enum OtpChannelInput {
    /// ZNS, then SMS with the same code, by the account's multi-channel template.
    ZaloThenSms {
        /// The template.
        zalo_then_sms: OtpMultiChannelInput,
    },
    /// SMS.
    Sms {
        /// The SMS.
        sms: OtpSmsInput,
    },
}

/// The multi-channel template of a generated code.
#[uniffi::remote(Record)]
#[uniffi(name = "OtpMultiChannel")]
pub struct OtpMultiChannelInput {
    /// `MultiChannelTempId`.
    pub template_id: String,
}

/// The SMS of a generated code.
#[uniffi::remote(Record)]
#[uniffi(name = "OtpSms")]
pub struct OtpSmsInput {
    /// Customer-care brandname.
    pub sender: String,
    /// The text with `{OTP}` exactly once.
    pub template: String,
    /// Characters of the code, 4 to 10.
    #[uniffi(default)]
    pub code_length: Option<u32>,
    /// Digits only.
    #[uniffi(default)]
    pub digits_only: Option<bool>,
}

/// A Zalo ZNS: a registered template and its parameter values.
#[uniffi::remote(Record)]
#[uniffi(name = "Zns")]
pub struct ZnsInput {
    /// The Official Account it is sent from (eSMS, InterITS; CareSoft's script binds it).
    #[uniffi(default)]
    pub oa_id: Option<String>,
    /// The template id (CareSoft: the script id), digits.
    pub template_id: String,
    /// The template's parameter values, in its order.
    #[uniffi(default)]
    pub params: Vec<ZnsParamInput>,
    /// eSMS: send to this Zalo user id instead of a phone (then no recipients).
    #[uniffi(default)]
    pub zalo_user_id: Option<String>,
    /// eSMS: send the recipient's phone as its SHA-256 hash.
    #[uniffi(default)]
    pub hash_phone: bool,
    /// eSMS journey ZNS: the order the journey follows.
    #[uniffi(default)]
    pub journey_order_id: Option<String>,
    /// eSMS: send beyond the OA's daily quota (SendingMode 3).
    #[uniffi(default)]
    pub exceed_quota: bool,
}

/// eSMS bulk ZNS: one template, one parameter list per recipient (in the message's order).
#[uniffi::remote(Record)]
#[uniffi(name = "ZnsBulk")]
pub struct ZnsBulkInput {
    /// The Official Account.
    #[uniffi(default)]
    pub oa_id: Option<String>,
    /// The template id, digits.
    pub template_id: String,
    /// One list per recipient; every list names the same parameters in the same order.
    pub params: Vec<Vec<ZnsParamInput>>,
    /// Send beyond the OA's daily quota (SendingMode 3).
    #[uniffi(default)]
    pub exceed_quota: bool,
}

/// One ZNS template parameter.
#[uniffi::remote(Record)]
#[uniffi(name = "ZnsParam")]
pub struct ZnsParamInput {
    /// The template variable name.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// An SMS.
#[uniffi::remote(Record)]
#[uniffi(name = "Sms")]
pub struct SmsInput {
    /// What it is for.
    pub purpose: SmsPurpose,
    /// The text.
    pub text: String,
    /// The registered brandname.
    #[uniffi(default)]
    pub sender: Option<String>,
    /// What to do with text outside GSM-7 (`Auto` when absent).
    #[uniffi(default)]
    pub unicode: Option<UnicodePolicy>,
}

/// A Viber message: text, image and button in one of the allowed layouts (text; text+button;
/// text+image+button; image).
#[uniffi::remote(Record)]
#[uniffi(name = "Viber")]
pub struct ViberInput {
    /// The text (empty for an image-only message).
    #[uniffi(default)]
    pub text: String,
    /// https image URL.
    #[uniffi(default)]
    pub image_url: Option<String>,
    /// Call-to-action button.
    #[uniffi(default)]
    pub button: Option<ViberButtonInput>,
    /// The Viber brandname.
    #[uniffi(default)]
    pub sender: Option<String>,
    /// `Auto`, `Strip` or `Reject` (`Auto` when absent).
    #[uniffi(default)]
    pub unicode: Option<UnicodePolicy>,
}

/// A Viber call-to-action button.
#[uniffi::remote(Record)]
#[uniffi(name = "ViberButton")]
pub struct ViberButtonInput {
    /// Caption, 1 to 30 characters.
    pub label: String,
    /// What it opens.
    pub url: String,
}

/// Options only one provider has.
#[uniffi::remote(Enum)]
#[uniffi(name = "ProviderOptions")]
pub enum OptionsInput {
    /// eSMS.
    Esms {
        /// The options.
        esms: EsmsOptionsInput,
    },
    /// CareSoft.
    CareSoft {
        /// The options.
        caresoft: CareSoftOptionsInput,
    },
    /// InterITS.
    InterIts {
        /// The options.
        interits: InterItsOptionsInput,
    },
}

/// eSMS options.
#[uniffi::remote(Record)]
#[uniffi(name = "EsmsOptions")]
pub struct EsmsOptionsInput {
    /// Body style (`Json` when absent).
    #[uniffi(default)]
    pub format: Option<EsmsFormat>,
    /// `campaignid` (JSON SMS and ZNS).
    #[uniffi(default)]
    pub campaign_id: Option<String>,
    /// The ZNS endpoint (`V6` when absent; journey ZNS: `V4`).
    #[uniffi(default)]
    pub zns_version: Option<EsmsZnsVersion>,
}

/// CareSoft options.
#[uniffi::remote(Record)]
#[uniffi(name = "CareSoftOptions")]
pub struct CareSoftOptionsInput {
    /// The ticket to attach the SMS to.
    #[uniffi(default)]
    pub ticket_id: Option<u64>,
}

/// InterITS options.
#[uniffi::remote(Record)]
#[uniffi(name = "InterItsOptions")]
pub struct InterItsOptionsInput {
    /// `useUnicode: 2`: InterITS converts Unicode text itself.
    #[uniffi(default)]
    pub server_side_conversion: bool,
    /// `ext`, as a JSON object text.
    #[uniffi(default)]
    pub ext: Option<String>,
}

/// A provider account. Its keys and token are [`Secret`]s: printing an account shows `***`
/// in their place.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Account {
    /// eSMS: the key pair every request carries.
    Esms {
        /// `ApiKey`.
        api_key: Arc<Secret>,
        /// `SecretKey`.
        secret_key: Arc<Secret>,
        /// Override the production base URL (an emulator, a staging host).
        #[uniffi(default)]
        base_url: Option<String>,
    },
    /// CareSoft: tenant, token and SMS service.
    CareSoft {
        /// Tenant slug.
        domain: String,
        /// API token.
        api_token: Arc<Secret>,
        /// SMS service id.
        service_id: u64,
        /// Override the production base URL.
        #[uniffi(default)]
        base_url: Option<String>,
    },
    /// InterITS: the API key.
    InterIts {
        /// `API-KEY`.
        api_key: Arc<Secret>,
        /// How destinations are written (national when absent).
        #[uniffi(default)]
        phone_format: Option<PhoneFormat>,
        /// Override the production base URL.
        #[uniffi(default)]
        base_url: Option<String>,
        /// Set only when InterITS confirmed it de-duplicates by `requestId`; otherwise a send that
        /// may have arrived is never resent (no InterITS page documents de-duplication).
        #[uniffi(default = false)]
        dedup_confirmed: bool,
    },
}

/// Client settings; every field has a safe default.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ClientOptions {
    /// Connect timeout, milliseconds.
    #[uniffi(default = 10000)]
    pub connect_timeout_ms: u64,
    /// Timeout per attempt, milliseconds.
    #[uniffi(default = 30000)]
    pub request_timeout_ms: u64,
    /// Attempts per request (1 disables retries).
    #[uniffi(default = 4)]
    pub max_attempts: u32,
    /// No retry starts after this many milliseconds.
    #[uniffi(default = 60000)]
    pub total_deadline_ms: u64,
    /// Permit plain http base URLs (only for the emulator).
    #[uniffi(default)]
    pub allow_insecure_http: bool,
    /// An explicit proxy URL; otherwise HTTPS_PROXY/NO_PROXY apply. A `Secret`: a proxy URL
    /// often carries a user name and password, and the options' repr must not show them.
    #[uniffi(default)]
    pub proxy: Option<Arc<Secret>>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        let d = nhantin_transport::ClientConfig::default();
        ClientOptions {
            connect_timeout_ms: d.connect_timeout.as_millis() as u64,
            request_timeout_ms: d.request_timeout.as_millis() as u64,
            max_attempts: d.max_attempts,
            total_deadline_ms: d.total_deadline.as_millis() as u64,
            allow_insecure_http: d.allow_insecure_http,
            proxy: d.proxy.map(Secret::new),
        }
    }
}

/// One HTTP header.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpHeader {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
}

/// A request to send exactly as it is (sans-IO encoding).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpRequest {
    /// `GET` or `POST`.
    pub method: String,
    /// Absolute URL, query already encoded.
    pub url: String,
    /// Headers in order.
    pub headers: Vec<HttpHeader>,
    /// Body bytes (UTF-8 text for every provider).
    pub body: Vec<u8>,
    /// The request id the provider deduplicates by; resend only this exact request.
    pub idempotency_key: Option<String>,
    /// False for CareSoft sends: never resend after the request may have arrived.
    pub idempotent: bool,
    /// The URL to log: keys masked, the message text replaced by `<text>`, phone numbers masked.
    pub redacted_url: String,
}

/// A provider's answer, for decoding.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// Headers as received.
    #[uniffi(default)]
    pub headers: Vec<HttpHeader>,
    /// Body bytes.
    pub body: Vec<u8>,
}

/// Proof that a provider accepted a send (not delivered yet).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Receipt {
    /// Who accepted it.
    pub provider: Provider,
    /// eSMS `SMSID`, InterITS `referentId`, CareSoft `ticket_id`.
    pub reference: Option<String>,
    /// CareSoft ticket id.
    pub ticket_id: Option<i64>,
    /// CareSoft ticket number.
    pub ticket_no: Option<i64>,
    /// CareSoft customer id.
    pub requester_id: Option<i64>,
    /// CareSoft agent id.
    pub assignee_id: Option<i64>,
    /// InterITS `data.token`.
    pub token: Option<String>,
    /// eSMS bulk ZNS: what became of each recipient, in the request's order (empty otherwise).
    /// An accepted request may have refused some or all of them.
    pub recipients: Vec<RecipientReceipt>,
}

/// An eSMS lookup around ZNS (read-only).
#[uniffi::remote(Enum)]
pub enum EsmsLookup {
    /// The ZNS templates of an OA, with their parameters in order.
    ZnsTemplates {
        /// The OA.
        oa_id: String,
        /// Priority (24) or normal (25).
        kind: ZnsTemplateKind,
    },
    /// One template's details.
    ZnsTemplateInfo {
        /// The OA.
        oa_id: String,
        /// The template.
        template_id: String,
    },
    /// The OAs of the account.
    ZaloOas,
    /// An OA's daily quota.
    ZnsQuota {
        /// The OA.
        oa_id: String,
    },
    /// Zalo's status of a ZNS by its SMSID.
    ZnsStatus {
        /// The SMSID.
        sms_id: String,
        /// The template kind it was sent as.
        kind: ZnsTemplateKind,
    },
    /// Handset delivery by Zalo's message id.
    ZaloMessageStatus {
        /// The OA.
        oa_id: String,
        /// Zalo's message id.
        message_id: String,
    },
    /// The registered brandnames.
    Brandnames,
}

/// What an eSMS lookup found.
#[uniffi::remote(Enum)]
pub enum EsmsLookupAnswer {
    /// Templates.
    ZnsTemplates {
        /// The templates.
        templates: Vec<ZnsTemplate>,
    },
    /// One template's details.
    ZnsTemplateInfo {
        /// The details.
        info: ZnsTemplateInfo,
    },
    /// OAs.
    ZaloOas {
        /// The OAs.
        oas: Vec<ZaloOa>,
    },
    /// A quota.
    ZnsQuota {
        /// The quota.
        quota: ZnsQuota,
    },
    /// A ZNS's status.
    ZnsStatus {
        /// The status.
        status: ZnsStatus,
    },
    /// Handset delivery.
    ZaloMessageStatus {
        /// The status.
        status: ZaloMessageStatus,
    },
    /// Brandnames.
    Brandnames {
        /// The brandnames.
        brandnames: Vec<Brandname>,
    },
}

/// One template's details (`GetZnsTemplateInfo`); status, tag and quality as eSMS writes them.
#[uniffi::remote(Record)]
pub struct ZnsTemplateInfo {
    /// `TemplateId`.
    pub id: String,
    /// `TemplateName`.
    pub name: Option<String>,
    /// `Status`: `ENABLE`, `PENDING_REVIEW`, `REJECT`, `DISABLE`, `DELETE`, …
    pub status: Option<String>,
    /// `Reason`.
    pub reason: Option<String>,
    /// `TemplateTag`.
    pub tag: Option<String>,
    /// `TemplateQuality`.
    pub quality: Option<String>,
    /// `Timeout` (no unit on the pages; milliseconds by the samples).
    pub timeout: Option<i64>,
    /// `PreviewUrl`.
    pub preview_url: Option<String>,
    /// `ApplyTemplateQuota`.
    pub applies_template_quota: Option<bool>,
    /// `TemplateDailyQuota`.
    pub daily_quota: Option<i64>,
    /// `TemplateRemainingQuota`.
    pub remaining_quota: Option<i64>,
    /// `ListParams`.
    pub params: Vec<ZnsTemplateInfoParam>,
    /// `ListButtons`.
    pub buttons: Vec<ZnsTemplateButton>,
}

/// A parameter of a template's details.
#[uniffi::remote(Record)]
pub struct ZnsTemplateInfoParam {
    /// `Name`.
    pub name: String,
    /// `Type`.
    pub kind: Option<String>,
    /// `MaxLength`.
    pub max_length: Option<i64>,
    /// `MinLength`.
    pub min_length: Option<i64>,
    /// `Require`.
    pub required: Option<bool>,
    /// `AcceptNull`.
    pub accepts_null: Option<bool>,
}

/// A button of a template's details.
#[uniffi::remote(Record)]
pub struct ZnsTemplateButton {
    /// `Title`.
    pub title: Option<String>,
    /// `Content`: a URL or a phone.
    pub content: Option<String>,
    /// `Type`, 1 to 8.
    pub kind: Option<i64>,
}

/// A Zalo OA of the account.
#[uniffi::remote(Record)]
pub struct ZaloOa {
    /// `OAID`.
    pub id: String,
    /// `OAName`.
    pub name: Option<String>,
}

/// An OA's daily ZNS quota.
#[uniffi::remote(Record)]
pub struct ZnsQuota {
    /// `DailyQuota`.
    pub daily: Option<i64>,
    /// `RemainingQuota`.
    pub remaining: Option<i64>,
}

/// Where a ZNS is (`QueryZnsStatus`).
#[uniffi::remote(Enum)]
pub enum ZnsState {
    /// Not sent to Zalo yet.
    Pending,
    /// Zalo took it.
    Sent,
    /// Zalo refused or could not deliver it (`zalo_error` says why).
    Failed,
}

/// `QueryZnsStatus`'s answer.
#[uniffi::remote(Record)]
pub struct ZnsStatus {
    /// `SMSID`.
    pub sms_id: Option<String>,
    /// From `ErrorInfo`.
    pub state: ZnsState,
    /// Zalo's error code when failed (`1001`: not online in time).
    pub zalo_error: Option<String>,
    /// `FinalStatus`.
    pub is_final: Option<bool>,
    /// `ZaloMsgId`.
    pub zalo_message_id: Option<String>,
    /// `SendStatus`.
    pub send_status: Option<i64>,
    /// `SendSuccess`.
    pub send_success: Option<i64>,
    /// `SendFailed`.
    pub send_failed: Option<i64>,
    /// `TotalPrice`, VND.
    pub total_price: Option<f64>,
}

/// Whether a ZNS reached the handset.
#[uniffi::remote(Enum)]
pub enum ZaloDelivery {
    /// Zalo has no such message.
    NotFound,
    /// Pushed, not yet on the phone.
    Pushed,
    /// On the phone.
    Delivered,
    /// A status the pages do not list.
    Undocumented,
}

/// `GetZaloMessageStatus`'s answer.
#[uniffi::remote(Record)]
pub struct ZaloMessageStatus {
    /// From `status`.
    pub delivery: ZaloDelivery,
    /// `status` as sent.
    pub status: Option<i64>,
    /// `message`.
    pub message: Option<String>,
    /// `delivery_time`, ms since the Unix epoch.
    pub delivery_time_ms: Option<i64>,
}

/// A registered brandname.
#[uniffi::remote(Record)]
pub struct Brandname {
    /// `Brandname`.
    pub name: String,
    /// `Type`: 1 advertising, 2 customer care, 23 Viber.
    pub sms_type: Option<i64>,
}

/// Whether an InterITS ZNS reached its reader.
#[uniffi::remote(Enum)]
pub enum ZnsDeliveryStatus {
    /// Not known yet.
    Unknown,
    /// On the phone.
    Received,
    /// Read.
    Seen,
    /// Another value (see `delivery_status_raw`).
    Undocumented,
}

/// What InterITS knows of one ZNS (`message-detail`).
#[uniffi::remote(Record)]
pub struct InterItsZnsMessage {
    /// `msg_id`: Zalo's id.
    pub msg_id: Option<String>,
    /// `id`: InterITS's id.
    pub id: Option<String>,
    /// `tracking_id`: the request id the send carried.
    pub tracking_id: Option<String>,
    /// From `delivery_status`.
    pub delivery: ZnsDeliveryStatus,
    /// `delivery_status` as sent.
    pub delivery_status_raw: Option<String>,
    /// `delivery_time`.
    pub delivery_time: Option<String>,
    /// `sent_time`.
    pub sent_time: Option<String>,
    /// `error_code`.
    pub error_code: Option<String>,
    /// `error_message`.
    pub error_message: Option<String>,
    /// `is_charged`.
    pub is_charged: Option<bool>,
    /// `template_id`.
    pub template_id: Option<String>,
    /// `type`: `template` or `journey`.
    pub kind: Option<String>,
    /// What happened: delivered, failed (Zalo's error code), pending, or ambiguous.
    pub verdict: DeliveryVerdict,
}

/// What became of one recipient of a bulk request.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RecipientReceipt {
    /// Its position in the request's recipients (a batch result adds its `first_recipient`).
    pub index: u32,
    /// The request id it was sent with.
    pub request_id: Option<String>,
    /// The provider's verdict.
    pub result: RecipientResult,
}

/// The provider's verdict for one recipient.
#[uniffi::remote(Enum)]
pub enum RecipientResult {
    /// Accepted under its own message id (not delivered yet).
    Accepted {
        /// eSMS `SMSID`.
        sms_id: String,
    },
    /// Refused: not sent; resending it unchanged fails again.
    Refused {
        /// What the refusal means.
        reason: Rejection,
        /// The provider's code.
        code: Option<String>,
        /// The provider's message.
        message: String,
    },
    /// **Not a success.** A resend found its request id already used: an earlier attempt
    /// reached the provider for it and it was not sent again; whether it was accepted is unknown.
    AlreadySubmitted,
    /// The provider was too fast for it and did not send it; resend it with the same id later.
    Throttled {
        /// The provider's message.
        message: String,
    },
    /// The answer does not say: it may have been sent. Settle it by its request id; resend only
    /// with that same id.
    Unknown {
        /// What the answer lacked.
        why: String,
    },
}

/// How a send ended with the provider's answer in hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SendStatus {
    /// Accepted now.
    Accepted,
    /// **Not a success.** A resend found the request id already used: an earlier attempt
    /// reached the provider, and the message was not sent again; whether that earlier attempt
    /// was accepted is unknown. There is no receipt: reconcile with the delivery report, the
    /// status query or `reconcile`, and never resend under a new id.
    AlreadySubmitted,
}

/// The one resend of an unknown outcome that cannot deliver the message twice: pass it to
/// `Client.resend` with the same message.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SafeResend {
    /// The request id the first send carried; the resend carries it too.
    pub request_id: String,
    /// When the first attempt that may have arrived was made (ms since the Unix epoch).
    pub first_sent_at_ms: i64,
    /// After this instant (ms since the Unix epoch) the provider may have forgotten the id and a
    /// resend could be a second message; absent where the provider states no window.
    pub until_ms: Option<i64>,
}

impl From<core::send::SafeResend> for SafeResend {
    fn from(r: core::send::SafeResend) -> Self {
        SafeResend {
            request_id: r.request_id.as_str().to_owned(),
            first_sent_at_ms: r.first_sent_at.unix_millis(),
            until_ms: r.until.map(core::Timestamp::unix_millis),
        }
    }
}

impl SafeResend {
    pub(crate) fn into_core(self) -> Result<core::send::SafeResend, core::Error> {
        Ok(core::send::SafeResend {
            request_id: core::RequestId::new(self.request_id)?,
            first_sent_at: core::Timestamp::from_unix_millis(self.first_sent_at_ms),
            until: self.until_ms.map(core::Timestamp::from_unix_millis),
        })
    }
}

/// The result of a send.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SendResult {
    /// Accepted or already submitted.
    pub status: SendStatus,
    /// The request id sent.
    pub request_id: Option<String>,
    /// Attempts made.
    pub attempts: u32,
    /// The receipt, when accepted.
    pub receipt: Option<Receipt>,
}

/// How a send ended, in core's one classification (batch results carry it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SendClass {
    /// Accepted.
    Accepted,
    /// Not sent again; whether the earlier attempt was accepted is unknown.
    AlreadySubmitted,
    /// Bad input; nothing sent.
    InvalidInput,
    /// The provider refused; nothing sent.
    Rejected,
    /// Throttled or locked out; nothing done.
    RateLimited,
    /// No connection; nothing sent. Safe to resend.
    NotSent,
    /// The message may have been sent.
    OutcomeUnknown,
}

impl From<core::send::SendClass> for SendClass {
    fn from(c: core::send::SendClass) -> Self {
        use core::send::SendClass as C;
        match c {
            C::Accepted => SendClass::Accepted,
            C::AlreadySubmitted => SendClass::AlreadySubmitted,
            C::InvalidInput => SendClass::InvalidInput,
            C::Rejected => SendClass::Rejected,
            C::RateLimited => SendClass::RateLimited,
            C::NotSent => SendClass::NotSent,
            C::OutcomeUnknown => SendClass::OutcomeUnknown,
        }
    }
}

/// One request of a bulk send.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BatchResult {
    /// Index of its first recipient in the message's list.
    pub first_recipient: u64,
    /// Recipients it carried.
    pub recipients: u64,
    /// Its own request id (absent for CareSoft, which has none).
    pub request_id: Option<String>,
    /// How it ended.
    pub send_class: SendClass,
    /// Its result when the provider answered (accepted or already submitted).
    pub result: Option<SendResult>,
    /// Its error when it failed.
    pub error: Option<NhantinError>,
}

/// An eSMS account balance.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Balance {
    /// The balance (VND).
    pub balance: f64,
    /// eSMS user id.
    pub user_id: Option<i64>,
}

/// `GetSendStatus`'s answer. `status` is eSMS's number: 1 pending approval, 2 waiting, 4
/// rejected, 5 finished, 7 sent to the telco.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SendStatusReport {
    /// The message id.
    pub sms_id: Option<String>,
    /// eSMS `SendStatus`.
    pub status: Option<i64>,
    /// Delivered.
    pub send_success: Option<i64>,
    /// Failed.
    pub send_failed: Option<i64>,
    /// Recipients.
    pub total_receivers: Option<i64>,
    /// Sent.
    pub total_sent: Option<i64>,
    /// Price.
    pub total_price: Option<f64>,
}

/// One recipient's result.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReceiverStatus {
    /// The phone.
    pub phone: String,
    /// Handed to the network.
    pub is_sent: Option<bool>,
    /// Delivered (true) or failed (false).
    pub sent_result: Option<bool>,
    /// Retries.
    pub retry: Option<i64>,
    /// Network name.
    pub network_name: Option<String>,
}

/// A key/value pair kept from a callback.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Parameter {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
}

/// An eSMS delivery report. Numbers are eSMS's: `send_status` (1, 2, 4, 5, 7), `sms_type`
/// (1, 2, 8, 23, 24, 25, 26), `telco_id` (1 Viettel … 7 Reddi).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct DeliveryReport {
    /// `SMSID`.
    pub sms_id: Option<String>,
    /// `RequestId`.
    pub request_id: Option<String>,
    /// `SendStatus`.
    pub send_status: Option<i64>,
    /// `TypeId`.
    pub sms_type: Option<i64>,
    /// The recipient's network, from `telcoid`.
    pub telco: Option<Carrier>,
    /// `phonenumber`.
    pub phone: Option<String>,
    /// `SendSuccess`.
    pub send_success: Option<i64>,
    /// `SendFailed`.
    pub send_failed: Option<i64>,
    /// `TotalReceiver`.
    pub total_receivers: Option<i64>,
    /// `TotalSent`.
    pub total_sent: Option<i64>,
    /// `TotalPrice`.
    pub total_price: Option<f64>,
    /// `partnerids`.
    pub partner_ids: Option<String>,
    /// What Zalo said, from `error_info` (ZNS reports).
    pub error_info: Option<ZaloError>,
    /// `oaid`.
    pub oaid: Option<String>,
    /// `tempid`.
    pub template_id: Option<String>,
    /// `switchsmsid`.
    pub switch_sms_id: Option<String>,
    /// The leg of a multi-channel send the report is about (from the `leg` mark nhantin puts
    /// on each leg's callback URL); absent for other sends.
    pub leg: Option<MultiChannelLeg>,
    /// What happened, decided from the counts and Zalo's code together.
    pub verdict: DeliveryVerdict,
    /// Every other parameter.
    pub extra: Vec<Parameter>,
}

/// What Zalo said about a ZNS, from a report's `error_info`, in whichever encoding eSMS used;
/// `raw` always holds the value as it came.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ZaloError {
    /// Zalo's code: 0 success, negative an error (−114, −118, −124, …).
    pub code: Option<i64>,
    /// Zalo's message.
    pub message: Option<String>,
    /// `data.message_id`.
    pub message_id: Option<String>,
    /// `data.user_id`.
    pub user_id: Option<String>,
    /// `data.status`: −1 no such message, 0 pushed to Zalo, 1 on the phone.
    pub status: Option<i64>,
    /// `data.delivery_time`, milliseconds since the Unix epoch.
    pub delivery_time_ms: Option<i64>,
    /// When eSMS logged it, RFC 3339.
    pub logged_at: Option<String>,
    /// Text after the JSON.
    pub trailing: Option<String>,
    /// The value as it came.
    pub raw: String,
}

/// The leg of an eSMS multi-channel send a delivery report is about.
#[uniffi::remote(Enum)]
pub enum MultiChannelLeg {
    /// The ZNS, tried first.
    Zns,
    /// The SMS, sent when Zalo could not deliver the ZNS.
    Sms,
}

/// What a delivery report says happened.
#[uniffi::remote(Enum)]
pub enum DeliveryVerdict {
    /// Every recipient got it.
    Delivered,
    /// Nobody got it.
    Failed,
    /// Some recipients got it, some did not.
    Partial,
    /// Not finished yet.
    Pending,
    /// Refused before sending.
    Rejected,
    /// The fields contradict each other or say too little.
    Ambiguous,
}

/// InterITS's callback body.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct InterItsCallback {
    /// `msisdn`.
    pub msisdn: Option<String>,
    /// `requestId`.
    pub request_id: Option<String>,
    /// `sendTime`.
    pub send_time: Option<String>,
    /// `responseTimeTelco`.
    pub response_time_telco: Option<String>,
    /// `status` (undocumented values).
    pub status: Option<i64>,
    /// `referentId`.
    pub referent_id: Option<String>,
    /// `retryCount`.
    pub retry_count: Option<i64>,
}

/// A normalised phone number.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PhoneInfo {
    /// `0912345678`.
    pub national: String,
    /// `84912345678`.
    pub international: String,
    /// `+84912345678`.
    pub e164: String,
    /// `091****678`, for logs.
    pub masked: String,
    /// The issuing network.
    pub carrier: Carrier,
}

/// Encoding and size of a text.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TextAnalysis {
    /// GSM-7 or UCS-2.
    pub encoding: Encoding,
    /// Characters.
    pub characters: u64,
    /// Septets or UTF-16 units.
    pub units: u64,
    /// Parts a carrier bills.
    pub segments: u64,
}

// ---- conversions (the only place the two type systems meet) ----

impl From<Account> for core::AccountInput {
    fn from(a: Account) -> Self {
        match a {
            Account::Esms {
                api_key,
                secret_key,
                base_url,
            } => core::AccountInput::Esms {
                api_key: api_key.value(),
                secret_key: secret_key.value(),
                base_url,
            },
            Account::CareSoft {
                domain,
                api_token,
                service_id,
                base_url,
            } => core::AccountInput::CareSoft {
                domain,
                api_token: api_token.value(),
                service_id,
                base_url,
            },
            Account::InterIts {
                api_key,
                phone_format,
                base_url,
                dedup_confirmed,
            } => core::AccountInput::InterIts {
                dedup_confirmed,
                api_key: api_key.value(),
                phone_format: phone_format.unwrap_or_default(),
                base_url,
            },
        }
    }
}

impl From<core::Receipt> for Receipt {
    fn from(r: core::Receipt) -> Self {
        let t = r.ticket.as_ref();
        Receipt {
            provider: r.provider,
            reference: r.reference.clone(),
            ticket_id: t.and_then(|t| t.ticket_id),
            ticket_no: t.and_then(|t| t.ticket_no),
            requester_id: t.and_then(|t| t.requester_id),
            assignee_id: t.and_then(|t| t.assignee_id),
            token: r.token,
            recipients: r
                .recipients
                .into_iter()
                .map(|x| RecipientReceipt {
                    index: u32::try_from(x.index).unwrap_or(u32::MAX),
                    request_id: x.request_id.map(|id| id.as_str().to_owned()),
                    result: x.result,
                })
                .collect(),
        }
    }
}

impl From<core::send::BatchResult> for BatchResult {
    fn from(b: core::send::BatchResult) -> Self {
        let (class, result, error) = match b.result {
            Ok(outcome) => (outcome.class().into(), Some(outcome.into()), None),
            Err(e) => (e.class().into(), None, Some(e.into())),
        };
        BatchResult {
            first_recipient: b.first_recipient as u64,
            recipients: b.recipients as u64,
            request_id: b.request_id.as_ref().map(|id| id.as_str().to_owned()),
            send_class: class,
            result,
            error,
        }
    }
}

impl From<nhantin_transport::SendOutcome> for SendResult {
    fn from(o: nhantin_transport::SendOutcome) -> Self {
        match o {
            nhantin_transport::SendOutcome::Accepted {
                receipt,
                request_id,
                attempts,
            } => SendResult {
                status: SendStatus::Accepted,
                request_id: request_id.map(|id| id.as_str().to_owned()),
                attempts,
                receipt: Some(receipt.into()),
            },
            nhantin_transport::SendOutcome::AlreadySubmitted {
                request_id,
                attempts,
            } => SendResult {
                status: SendStatus::AlreadySubmitted,
                request_id: Some(request_id.as_str().to_owned()),
                attempts,
                receipt: None,
            },
        }
    }
}

impl From<&core::HttpRequest> for HttpRequest {
    fn from(r: &core::HttpRequest) -> Self {
        HttpRequest {
            method: r.method.as_str().to_owned(),
            url: r.url.clone(),
            headers: r
                .headers
                .iter()
                .map(|(name, value)| HttpHeader {
                    name: name.clone(),
                    value: value.clone(),
                })
                .collect(),
            body: r.body.clone(),
            idempotency_key: match &r.idempotency {
                core::Idempotency::KeyedBy(id) => Some(id.as_str().to_owned()),
                _ => None,
            },
            idempotent: !matches!(r.idempotency, core::Idempotency::NotIdempotent),
            redacted_url: r.redact_for_error(&r.url),
        }
    }
}

impl From<HttpResponse> for core::HttpResponse {
    fn from(r: HttpResponse) -> Self {
        core::HttpResponse {
            status: r.status,
            headers: r.headers.into_iter().map(|h| (h.name, h.value)).collect(),
            body: r.body,
        }
    }
}

fn status_code(s: core::esms::EsmsSendStatus) -> i64 {
    use core::esms::EsmsSendStatus as S;
    match s {
        S::PendingApproval => 1,
        S::Waiting => 2,
        S::Rejected => 4,
        S::Finished => 5,
        S::SentToTelco => 7,
        S::Other(n) => n,
    }
}

impl From<core::esms::SendStatusReport> for SendStatusReport {
    fn from(s: core::esms::SendStatusReport) -> Self {
        SendStatusReport {
            sms_id: s.sms_id,
            status: s.status.map(status_code),
            send_success: s.send_success,
            send_failed: s.send_failed,
            total_receivers: s.total_receivers,
            total_sent: s.total_sent,
            total_price: s.total_price,
        }
    }
}

impl From<core::esms::ReceiverStatus> for ReceiverStatus {
    fn from(r: core::esms::ReceiverStatus) -> Self {
        ReceiverStatus {
            phone: r.phone,
            is_sent: r.is_sent,
            sent_result: r.sent_result,
            retry: r.retry,
            network_name: r.network_name,
        }
    }
}

impl From<core::esms::DeliveryReport> for DeliveryReport {
    fn from(r: core::esms::DeliveryReport) -> Self {
        DeliveryReport {
            sms_id: r.sms_id,
            request_id: r.request_id,
            send_status: r.send_status.map(status_code),
            sms_type: r.sms_type.map(|t| t.code()),
            telco: r.telco,
            phone: r.phone,
            send_success: r.send_success,
            send_failed: r.send_failed,
            total_receivers: r.total_receivers,
            total_sent: r.total_sent,
            total_price: r.total_price,
            partner_ids: r.partner_ids,
            error_info: r.error_info.map(|e| ZaloError {
                code: e.code,
                message: e.message,
                message_id: e.message_id,
                user_id: e.user_id,
                status: e.status,
                delivery_time_ms: e.delivery_time_ms,
                logged_at: e.logged_at.map(|t| t.to_rfc3339_utc()),
                trailing: e.trailing,
                raw: e.raw,
            }),
            verdict: r.verdict,
            oaid: r.oaid,
            template_id: r.template_id,
            switch_sms_id: r.switch_sms_id,
            leg: r.leg,
            extra: r
                .extra
                .into_iter()
                .map(|(name, value)| Parameter { name, value })
                .collect(),
        }
    }
}

impl From<core::interits::InterItsCallback> for InterItsCallback {
    fn from(c: core::interits::InterItsCallback) -> Self {
        InterItsCallback {
            msisdn: c.msisdn,
            request_id: c.request_id,
            send_time: c.send_time,
            response_time_telco: c.response_time_telco,
            status: c.status,
            referent_id: c.referent_id,
            retry_count: c.retry_count,
        }
    }
}
