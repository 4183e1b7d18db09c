//! What the emulator knows about its tenants: accounts, keys, brandnames, Zalo OAs, ZNS
//! templates, the Zalo state of recipients, and limits.
//!
//! Everything is a plain struct with public fields so a test can build exactly the world it
//! needs (`EmulatorConfig { port: 0, ..Default::default() }`). The [`Default`] values are the
//! demo credentials that the `nhantin demo` command and the cross-language tests share; they
//! are not secrets, they only open doors of this loopback emulator.

use std::time::Duration;

/// Demo eSMS API key accepted by [`EmulatorConfig::default`].
pub const DEMO_ESMS_API_KEY: &str = "DEMO_ESMS_API_KEY";
/// Demo eSMS secret key accepted by [`EmulatorConfig::default`].
pub const DEMO_ESMS_SECRET_KEY: &str = "DEMO_ESMS_SECRET_KEY";
/// Demo CareSoft tenant domain (the first path segment) of [`EmulatorConfig::default`].
pub const DEMO_CARESOFT_DOMAIN: &str = "demo";
/// Demo CareSoft API token of [`EmulatorConfig::default`].
pub const DEMO_CARESOFT_TOKEN: &str = "DEMO_CARESOFT_TOKEN";
/// Demo InterITS `API-KEY` of [`EmulatorConfig::default`].
pub const DEMO_INTERITS_KEY: &str = "DEMO_INTERITS_KEY";
/// The demo Zalo OA of [`EmulatorConfig::default`]: active, owned by the demo eSMS account,
/// SendingMode 3 not allowed, with templates [`DEMO_ZNS_TEMPLATE_ID`], [`DEMO_ZNS_OTP_TEMPLATE_ID`]
/// and [`DEMO_ZNS_JOURNEY_TEMPLATE_ID`].
pub const DEMO_ZALO_OA_ID: &str = "1234567890123456789";
/// A second demo OA of the demo eSMS account, whitelisted for SendingMode 3 (template
/// [`DEMO_ZNS_TEMPLATE_ID`] only).
pub const DEMO_ZALO_MODE3_OA_ID: &str = "9876543210987654321";
/// A demo OA that exists on the demo eSMS account but is not active (code 799).
pub const DEMO_ZALO_INACTIVE_OA_ID: &str = "1111111111111111111";
/// Order-confirmation ZNS template: `customer_name` (limit 30), then `order_code` (limit 20).
pub const DEMO_ZNS_TEMPLATE_ID: &str = "301122";
/// OTP ZNS template: `otp` (limit 10), as in eSMS's template-list and sandbox samples.
pub const DEMO_ZNS_OTP_TEMPLATE_ID: &str = "205644";
/// Journey ZNS template: `order_code` (limit 20), then `delivery_time` (limit 30).
pub const DEMO_ZNS_JOURNEY_TEMPLATE_ID: &str = "301199";
/// A phone without a Zalo account in [`EmulatorConfig::default`]: its ZNS are accepted and
/// then fail with Zalo error −118.
pub const DEMO_PHONE_WITHOUT_ZALO: &str = "0909000118";
/// A phone whose Zalo user is inactive in [`EmulatorConfig::default`]: its ZNS fail with Zalo
/// error −114.
pub const DEMO_PHONE_ZALO_INACTIVE: &str = "0909000114";
/// The CareSoft ZNS script ("kịch bản") id of the demo tenant (CareSoft's own sample id).
pub const DEMO_CARESOFT_ZNS_TEMPLATE_ID: u64 = 366;
/// The demo `MultiChannelTempId` of [`EmulatorConfig::default`] (`SendMessageAutoGenCode_V5`):
/// the OTP ZNS template [`DEMO_ZNS_OTP_TEMPLATE_ID`] of [`DEMO_ZALO_OA_ID`], falling back to an
/// SMS from brandname `NHANTIN` with the content [`DEMO_MULTICHANNEL_SMS_CONTENT`].
pub const DEMO_MULTICHANNEL_TEMPLATE_ID: &str = "40017";
/// The SMS template of [`DEMO_MULTICHANNEL_TEMPLATE_ID`]; `{OTP}` is replaced by the code.
pub const DEMO_MULTICHANNEL_SMS_CONTENT: &str = "{OTP} la ma xac thuc NhanTin cua ban";

/// The whole emulated world. Build it with struct-update syntax from [`Default`].
#[derive(Debug, Clone, PartialEq)]
pub struct EmulatorConfig {
    /// TCP port to bind on 127.0.0.1; `0` (the default) lets the OS pick a free one, which is
    /// what tests want so that parallel test binaries never collide.
    pub port: u16,
    /// eSMS accounts and pricing.
    pub esms: EsmsConfig,
    /// CareSoft tenants and the rate-limit lock-out rule.
    pub caresoft: CareSoftConfig,
    /// InterITS API keys.
    pub interits: InterItsConfig,
    /// Zalo: OAs and ZNS templates (used by the eSMS ZNS operations) and the Zalo state of
    /// recipients (used by every provider's ZNS).
    pub zalo: ZaloConfig,
    /// How long after accepting an eSMS message its delivery report is sent. Short by default
    /// so tests stay fast, but not zero, so that the report arrives after the send's answer as
    /// it does in real life.
    pub delivery_report_delay: Duration,
    /// Connect/read timeout of the delivery-report GET client.
    pub delivery_report_timeout: Duration,
    /// Whether sandbox SMS and Viber sends (`Sandbox`/`IsSandBox` = "1") get delivery reports.
    /// eSMS says a sandbox message is validated but neither delivered nor charged, so the
    /// default is `false`. Sandbox ZNS never get one, whatever this says: there is no Zalo
    /// outcome to report for a message that was not sent (Zalo digest §9.4).
    pub sandbox_delivery_reports: bool,
    /// Largest request (head plus body) the server reads; larger bodies get 413 and a close.
    pub max_request_bytes: usize,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            port: 0,
            esms: EsmsConfig::default(),
            caresoft: CareSoftConfig::default(),
            interits: InterItsConfig::default(),
            zalo: ZaloConfig::default(),
            delivery_report_delay: Duration::from_millis(50),
            delivery_report_timeout: Duration::from_secs(2),
            sandbox_delivery_reports: false,
            max_request_bytes: 8 * 1024 * 1024,
        }
    }
}

/// eSMS side of the world.
#[derive(Debug, Clone, PartialEq)]
pub struct EsmsConfig {
    /// Accounts, matched on the exact (`ApiKey`, `SecretKey`) pair.
    pub accounts: Vec<EsmsAccount>,
    /// Price charged per recipient of a non-sandbox message, in VND. It feeds `TotalPrice` in
    /// delivery reports and status queries (the Viber callback sample shows `470.0000` for one
    /// recipient) and is debited from the account balance (code 103 when it does not suffice).
    pub price_per_recipient: u64,
    /// Largest recipient list accepted by the multi-recipient endpoints (code 120 above it).
    /// eSMS documents 5000 for advertising; the digest (D-D1, D-F6) applies it to every list.
    pub max_recipients: usize,
    /// Smallest recipient list for advertising (SmsType 1); code 107 below it.
    pub min_advertising_recipients: usize,
    /// Phones whose delivery fails: their reports say `SendSuccess=0, SendFailed=1` and
    /// `GetSmsReceiverStatus_get` reports `SentResult: false`. Lets tests see partial failure.
    pub undeliverable_phones: Vec<String>,
    /// Whether the JSON operations accept `SmsType`, `IsUnicode`, `Sandbox` and `IsSandBox` as
    /// JSON numbers as well as strings. Every eSMS example sends strings, but some tables type
    /// them "number", so the real server evidently takes both (digest D-C1, D-F4) and the
    /// default is `true`. A test that wants to prove its client sends the examples' strings
    /// sets it to `false`, and numbers then get `{"error":"Invalid request"}`.
    pub accept_numeric_codes: bool,
    /// Which SMSIDs a multi-channel send (`MultiChannelMessage/`, `SendMessageAutoGenCode_V5`)
    /// answers and reports with; the pages do not say (Zalo digest D-Z20, §9.6). Switchable at
    /// run time with `Emulator::set_esms_multichannel_ids` or `POST /_emulator/settings`.
    pub multichannel: MultiChannelIds,
    /// What `CheckCodeGen_V4_get` answers for a used, expired or wrong code (D-Z28). Switchable
    /// at run time with `Emulator::set_esms_check_code_invalid` or `POST /_emulator/settings`.
    pub check_code_invalid: CheckCodeInvalid,
    /// Which `detail` entries a bulk ZNS answer (`Send_zns_bulk_v4_post_json/`) lists: the two
    /// pages' samples disagree (D-Z15). Switchable at run time with
    /// `Emulator::set_esms_zns_bulk_detail` or `POST /_emulator/settings`.
    pub zns_bulk_detail: ZnsBulkDetail,
}

impl Default for EsmsConfig {
    fn default() -> Self {
        EsmsConfig {
            accounts: vec![EsmsAccount::default()],
            price_per_recipient: 470,
            max_recipients: 5000,
            min_advertising_recipients: 30,
            undeliverable_phones: Vec::new(),
            accept_numeric_codes: true,
            multichannel: MultiChannelIds::default(),
            check_code_invalid: CheckCodeInvalid::default(),
            zns_bulk_detail: ZnsBulkDetail::default(),
        }
    }
}

/// The SMSIDs of a multi-channel send. Every such send has three ids: the one the answer
/// carries, the ZNS leg's and the SMS leg's. Which of them a client ever sees is undocumented,
/// so both choices are switches; the `switchsmsid` of a report always holds the *other* leg's
/// own id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct MultiChannelIds {
    /// The `SMSID` of the send's answer.
    pub returned: MultiChannelReturnedId,
    /// The `SMSID` of the legs' delivery reports.
    pub reports: MultiChannelReportId,
}

/// Which id a multi-channel send answers with (serialized `"parent"` / `"zns_leg"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MultiChannelReturnedId {
    /// A parent id of the whole send, distinct from both legs' ids (the default).
    #[default]
    Parent,
    /// The ZNS leg's own id.
    ZnsLeg,
}

/// Which id the legs' delivery reports carry as `SMSID` (serialized `"returned"` / `"leg"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MultiChannelReportId {
    /// Both legs report under the id the send answered with (the default), so a client finds
    /// every report of the send by its handle and tells the legs apart by `TypeId`.
    #[default]
    Returned,
    /// Each leg reports under its own id: the ZNS report under the ZNS leg's, the SMS report
    /// under the SMS leg's. With [`MultiChannelReturnedId::Parent`] no report then carries the
    /// answered id.
    Leg,
}

/// The `CodeResult` of a failed `CheckCodeGen_V4_get` (serialized `"117"` / `"171"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum CheckCodeInvalid {
    /// 117, as the check-code response tabs of the Vietnamese pages show (the default).
    #[default]
    #[serde(rename = "117")]
    Code117,
    /// 171, the code both error tables give for a used, expired or foreign code.
    #[serde(rename = "171")]
    Code171,
}

impl CheckCodeInvalid {
    /// The wire `CodeResult`.
    pub fn code(self) -> &'static str {
        match self {
            CheckCodeInvalid::Code117 => "117",
            CheckCodeInvalid::Code171 => "171",
        }
    }
}

/// The `detail` list of a bulk ZNS answer (serialized `"all"` / `"successes_only"` /
/// `"omit_last"`). The Vietnamese sample lists one entry per `Data` item with `TotalFail`; the
/// English one lists two entries for a three-item request and has no `TotalFail`. A client
/// that matches entries to items by index must notice when the counts differ (D-Z15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZnsBulkDetail {
    /// One entry per item, in order, with `TotalFail` (the Vietnamese sample; the default).
    #[default]
    All,
    /// Only the accepted items' entries, and no `TotalFail`: one reading of the English
    /// sample, where the missing entry is a refused item.
    SuccessesOnly,
    /// Every entry but the last item's, whatever its outcome; the totals still count every
    /// item. The other reading of the English sample, and the harsher one: the item left
    /// without an entry may well have been sent.
    OmitLast,
}

/// One eSMS customer account.
#[derive(Debug, Clone, PartialEq)]
pub struct EsmsAccount {
    /// `ApiKey` / `APIKEY`.
    pub api_key: String,
    /// `SecretKey` / `SECRETKEY`.
    pub secret_key: String,
    /// Registered brandnames, matched exactly (code 104 otherwise). The emulator does not type
    /// them: each sends advertising, customer-care and Viber messages alike, which is how
    /// `GetListBrandname` lists them (once per type).
    pub brandnames: Vec<String>,
    /// Starting balance in VND; `reset()` restores it.
    pub balance: u64,
    /// `UserID` answered by `GetBalance_json`.
    pub user_id: u64,
}

impl Default for EsmsAccount {
    fn default() -> Self {
        EsmsAccount {
            api_key: DEMO_ESMS_API_KEY.to_owned(),
            secret_key: DEMO_ESMS_SECRET_KEY.to_owned(),
            brandnames: vec!["NHANTIN".to_owned(), "Baotrixemay".to_owned()],
            balance: 10_000_000,
            user_id: 9999,
        }
    }
}

/// CareSoft side of the world.
#[derive(Debug, Clone, PartialEq)]
pub struct CareSoftConfig {
    /// Tenants, matched on the exact domain path segment.
    pub tenants: Vec<CareSoftTenant>,
    /// CareSoft locks a domain out after *more than* this many consecutive 429 answers
    /// (documented: 20).
    pub lockout_after_consecutive_429: u32,
    /// How long the lock-out lasts, in emulator time (documented: 15 minutes). Tests end it
    /// early with `Emulator::reset` or `Emulator::advance_clock`.
    pub lockout: Duration,
}

impl Default for CareSoftConfig {
    fn default() -> Self {
        CareSoftConfig {
            tenants: vec![CareSoftTenant::default()],
            lockout_after_consecutive_429: 20,
            lockout: Duration::from_secs(15 * 60),
        }
    }
}

/// One CareSoft tenant ("domain").
#[derive(Debug, Clone, PartialEq)]
pub struct CareSoftTenant {
    /// The first path segment, e.g. `khachhang01`.
    pub domain: String,
    /// The bearer token of the domain.
    pub api_token: String,
    /// Ids of the SMS services integrated into the tenant; `service_id` must be one of them.
    pub service_ids: Vec<u64>,
    /// Requests allowed per window (documented: 15 per second).
    pub rate_limit: RateLimit,
    /// Ids of the ZNS scripts ("kịch bản", each bound to a Zalo-approved template) of the
    /// tenant; `zns.template_id` must be one of them.
    pub zns_template_ids: Vec<u64>,
}

impl Default for CareSoftTenant {
    fn default() -> Self {
        CareSoftTenant {
            domain: DEMO_CARESOFT_DOMAIN.to_owned(),
            api_token: DEMO_CARESOFT_TOKEN.to_owned(),
            service_ids: vec![12],
            rate_limit: RateLimit::default(),
            zns_template_ids: vec![DEMO_CARESOFT_ZNS_TEMPLATE_ID],
        }
    }
}

/// A fixed-window request budget, the way Laravel's throttle middleware counts (CareSoft's
/// "Too Many Attempts." is that middleware's stock message): the first request opens a window
/// of `per`, at most `max_requests` are served in it, and refused requests do not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests served per window.
    pub max_requests: u32,
    /// Window length.
    pub per: Duration,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            max_requests: 15,
            per: Duration::from_secs(1),
        }
    }
}

/// InterITS side of the world.
#[derive(Debug, Clone, PartialEq)]
pub struct InterItsConfig {
    /// Accepted `API-KEY`s.
    pub keys: Vec<InterItsKey>,
    /// Whether a repeated `requestId` from the same `API-KEY` is answered with the first answer
    /// and not recorded again. No InterITS page documents such de-duplication, so the default
    /// is `false`: a repeat is a second message, as a client must assume. Switchable at run time
    /// with `Emulator::set_interits_dedup_request_id` or `POST /_emulator/settings`.
    pub dedup_request_id: bool,
}

impl Default for InterItsConfig {
    fn default() -> Self {
        InterItsConfig {
            keys: vec![InterItsKey::default()],
            dedup_request_id: false,
        }
    }
}

/// One InterITS business key ("Key License").
#[derive(Debug, Clone, PartialEq)]
pub struct InterItsKey {
    /// The `API-KEY` header value.
    pub api_key: String,
    /// Brandnames the key may send `from`.
    pub brandnames: Vec<String>,
}

impl Default for InterItsKey {
    fn default() -> Self {
        InterItsKey {
            api_key: DEMO_INTERITS_KEY.to_owned(),
            brandnames: vec!["NHANTIN".to_owned()],
        }
    }
}

/// Zalo side of the world: Official Accounts with their ZNS templates, and who has Zalo.
#[derive(Debug, Clone, PartialEq)]
pub struct ZaloConfig {
    /// OAs known to eSMS (an `OAID` not listed here gets code 204).
    pub oas: Vec<ZaloOa>,
    /// Recipients without a Zalo account: national phones (`0` + 9 digits) or Zalo user ids,
    /// compared as sent. Their ZNS are accepted (the provider cannot know beforehand) and then
    /// fail in the delivery report with Zalo error −118. Every other valid recipient has Zalo.
    pub without_zalo: Vec<String>,
    /// Recipients whose Zalo user is inactive (or rejects the OA): their ZNS fail with −114.
    pub inactive: Vec<String>,
    /// National phones a `HashPhone` can be resolved to. SHA-256 cannot be inverted, so the
    /// emulator recognises a hash only when it is the hash of one of these phones, or of one
    /// in [`ZaloConfig::without_zalo`] or [`ZaloConfig::inactive`]; any other hash is code 115.
    pub hash_directory: Vec<String>,
    /// `MultiChannelTempId`s (OA + ZNS template + brandname + SMS template, bundled by eSMS's
    /// sales) for `SendMessageAutoGenCode_V5`; any other id is code 789.
    pub multichannel_templates: Vec<MultiChannelTemplate>,
}

impl Default for ZaloConfig {
    fn default() -> Self {
        ZaloConfig {
            oas: vec![
                ZaloOa::default(),
                ZaloOa {
                    oa_id: DEMO_ZALO_MODE3_OA_ID.to_owned(),
                    name: "NhanTin Demo OA (mode 3)".to_owned(),
                    sending_mode3_allowed: true,
                    templates: vec![ZnsTemplate::default()],
                    ..ZaloOa::default()
                },
                ZaloOa {
                    oa_id: DEMO_ZALO_INACTIVE_OA_ID.to_owned(),
                    name: "NhanTin Inactive OA".to_owned(),
                    active: false,
                    ..ZaloOa::default()
                },
            ],
            without_zalo: vec![DEMO_PHONE_WITHOUT_ZALO.to_owned()],
            inactive: vec![DEMO_PHONE_ZALO_INACTIVE.to_owned()],
            hash_directory: vec![
                "0912345678".to_owned(),
                "0901888484".to_owned(),
                "0987654321".to_owned(),
            ],
            multichannel_templates: vec![MultiChannelTemplate::default()],
        }
    }
}

/// One `MultiChannelTempId`: where `SendMessageAutoGenCode_V5` sends its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiChannelTemplate {
    /// `MultiChannelTempId` (a decimal string on the wire).
    pub id: String,
    /// The eSMS `ApiKey` it was configured for; another account using it gets code 789.
    pub esms_account: String,
    /// The OA of the ZNS leg (an OA of [`ZaloConfig::oas`], active, of the same account).
    pub oa_id: String,
    /// The ZNS template of that OA; every one of its parameters receives the code.
    pub zns_template_id: String,
    /// The customer-care brandname of the SMS leg.
    pub brandname: String,
    /// The SMS leg's content; every `{OTP}` is replaced by the code.
    pub sms_content: String,
}

impl Default for MultiChannelTemplate {
    fn default() -> Self {
        MultiChannelTemplate {
            id: DEMO_MULTICHANNEL_TEMPLATE_ID.to_owned(),
            esms_account: DEMO_ESMS_API_KEY.to_owned(),
            oa_id: DEMO_ZALO_OA_ID.to_owned(),
            zns_template_id: DEMO_ZNS_OTP_TEMPLATE_ID.to_owned(),
            brandname: "NHANTIN".to_owned(),
            sms_content: DEMO_MULTICHANNEL_SMS_CONTENT.to_owned(),
        }
    }
}

/// One Zalo Official Account registered with eSMS.
#[derive(Debug, Clone, PartialEq)]
pub struct ZaloOa {
    /// `OAID`: a decimal string (18–19 digits in eSMS's samples; never a JSON number).
    pub oa_id: String,
    /// Display name.
    pub name: String,
    /// The eSMS `ApiKey` the OA is attached to; another account using it gets code 799.
    pub esms_account: String,
    /// Whether the OA is active; an inactive OA gets code 799.
    pub active: bool,
    /// Whether the OA is whitelisted for `SendingMode` 3 (code 802 otherwise).
    pub sending_mode3_allowed: bool,
    /// Daily ZNS quota, as `ZNS/GetQuota/` answers it (`DailyQuota`). Every ZNS eSMS accepts
    /// for this OA outside sandbox (single, bulk item, multi-channel ZNS leg) lowers
    /// `RemainingQuota` by one until the next Vietnam-time midnight of emulator time. A send
    /// beyond it is still accepted (no eSMS page gives a send-time code for it, D-Z58) and
    /// fails at Zalo, "Out of quota" (−115) in its report, unless it asks for `SendingMode` 3.
    pub daily_quota: u32,
    /// Templates configured for this OA (code 789 for any other `TempID`).
    pub templates: Vec<ZnsTemplate>,
}

impl Default for ZaloOa {
    fn default() -> Self {
        ZaloOa {
            oa_id: DEMO_ZALO_OA_ID.to_owned(),
            name: "NhanTin Demo OA".to_owned(),
            esms_account: DEMO_ESMS_API_KEY.to_owned(),
            active: true,
            sending_mode3_allowed: false,
            daily_quota: 500,
            templates: vec![
                ZnsTemplate::default(),
                ZnsTemplate {
                    template_id: DEMO_ZNS_OTP_TEMPLATE_ID.to_owned(),
                    name: "Ma OTP".to_owned(),
                    content: "<p>{{otp}} la ma xac thuc NhanTin cua ban</p>".to_owned(),
                    params: vec![ZnsParamSpec::new("otp", 10)],
                    tag: "OTP".to_owned(),
                    timeout_ms: 15_000,
                    ..ZnsTemplate::default()
                },
                ZnsTemplate {
                    template_id: DEMO_ZNS_JOURNEY_TEMPLATE_ID.to_owned(),
                    name: "Hanh trinh don hang".to_owned(),
                    content: "<p>Don hang {{order_code}} se den luc {{delivery_time}}</p>"
                        .to_owned(),
                    journey: true,
                    params: vec![
                        ZnsParamSpec::new("order_code", 20),
                        ZnsParamSpec::new("delivery_time", 30),
                    ],
                    ..ZnsTemplate::default()
                },
            ],
        }
    }
}

/// One ZNS template of an OA.
#[derive(Debug, Clone, PartialEq)]
pub struct ZnsTemplate {
    /// `TempID` (a decimal string on the wire).
    pub template_id: String,
    /// Display name (`TempName`, `TemplateName`).
    pub name: String,
    /// `TempContent` of `GetTemplate/`: HTML with a `{{name}}` placeholder per parameter.
    pub content: String,
    /// Parameters in their registered order (`ParamLevel` 1, 2, …): the order of a positional
    /// `Params` array.
    pub params: Vec<ZnsParamSpec>,
    /// `TemplateTag` of `GetZnsTemplateInfo` (`"OTP"`, `"TRANSACTION"`, …; the two pages list
    /// different vocabularies, D-Z38).
    pub tag: String,
    /// `Timeout` of `GetZnsTemplateInfo`: how long Zalo keeps trying to reach the phone, in
    /// milliseconds [INFER: the pages give no unit; 15000 for an OTP template and 7200000 for a
    /// transaction one only make sense as ms].
    pub timeout_ms: u64,
    /// Whether Zalo registered it as a journey template (sent with `"IsJourney":true` only).
    pub journey: bool,
    /// Price of one delivered message in VND, debited from the eSMS balance and reported as
    /// `TotalPrice`. A failed ZNS is not charged (the failure samples say `0.0000`).
    pub price: u64,
}

impl Default for ZnsTemplate {
    fn default() -> Self {
        ZnsTemplate {
            template_id: DEMO_ZNS_TEMPLATE_ID.to_owned(),
            name: "Xac nhan don hang".to_owned(),
            content: "<p>Chao {{customer_name}}, don hang {{order_code}} da duoc xac nhan.</p>"
                .to_owned(),
            params: vec![
                ZnsParamSpec::new("customer_name", 30),
                ZnsParamSpec::new("order_code", 20),
            ],
            tag: "TRANSACTION".to_owned(),
            timeout_ms: 7_200_000,
            journey: false,
            price: 220,
        }
    }
}

/// One template parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZnsParamSpec {
    /// The variable name (`Param`), matched exactly.
    pub name: String,
    /// Longest value in characters (`Limit`).
    pub limit: usize,
}

impl ZnsParamSpec {
    /// A parameter named `name` of at most `limit` characters.
    pub fn new(name: &str, limit: usize) -> Self {
        ZnsParamSpec {
            name: name.to_owned(),
            limit,
        }
    }
}
