//! A loopback HTTP server that emulates the eSMS.vn, CareSoft and InterITS endpoints exactly as
//! their documentation pages describe them, for nhantin's tests (Rust in-process; Python,
//! Kotlin and C against a separate process) and for `nhantin demo`.
//!
//! # Why it exists and what it is not
//!
//! The emulator is the ground truth of the test suites: it parses requests from the documented
//! wire formats **on its own** (it does not depend on `nhantin-core`, so a mistake in the
//! encoder cannot hide behind the same mistake in a shared decoder), refuses anything a real
//! server would drop or misread (misspelled members, wrong content types, wrong phone formats),
//! and records every message it *accepted*, so a test can assert "sent exactly once". It also
//! injects the failures that make "exactly once" hard: resets before and after processing,
//! 5xx and 429 answers, garbled and oversized bodies, delays.
//!
//! It is not a model of the providers' undocumented behaviour; where the documentation is
//! silent, each module says which choice it made and why.
//!
//! # Layout
//!
//! One server, four path prefixes, so base URLs never collide:
//!
//! | Provider | Base URL | Client appends |
//! |---|---|---|
//! | eSMS | `http://127.0.0.1:PORT/esms/MainService.svc/json/` ([`Emulator::esms_base_url`]) | the operation name |
//! | eSMS status host (`https://status-sms.esms.vn/`) | `http://127.0.0.1:PORT/esms-status/` ([`Emulator::esms_status_base_url`]) | `ZaloCallback/GetCallback` |
//! | CareSoft | `http://127.0.0.1:PORT/caresoft` | `/{domain}/api/v1/sms`, `/{domain}/api/v1/zalo/zns` |
//! | InterITS | `http://127.0.0.1:PORT/interits` | `/api/vendor/v1/sms/send-message`, `/api/vendor/v1/zalo/send-zns`, `/api/vendor/v1/zalo/message-detail` |
//!
//! plus the control API under `/_emulator/`, which mirrors the Rust methods of [`Emulator`] for
//! tests in other languages.
//!
//! eSMS operations: SMS and Viber `SendMultipleMessage_V4/`, `SendMultipleSMSBrandname`,
//! `SendMultipleMessage_V4_get`, `SendMultipleMessage_V4_post_json/`,
//! `SendMultipleSMSBrandname_json/`, `Send_Multiple_Sms_OTT/`; ZNS `SendZaloMessage_V6/`,
//! `SendZaloMessage_V6/zalo_uid/`, `SendZaloMessage_V6/hash_phone/`, `SendZaloMessage_V5_post/`,
//! `SendZaloMessage_V4_post_json/` (journey with `"IsJourney":true` + `OrderId`), bulk
//! `Send_zns_bulk_v4_post_json/`; Zalo first, SMS as fallback `MultiChannelMessage/`;
//! eSMS-generated codes `SendMessageAutoGenCode_V5` (POST, ZNS then SMS),
//! `SendMessageAutoGenCode_V4_get` (GET, SMS) and `CheckCodeGen_V4_get` (GET); queries
//! `GetBalance_json`, `GetSendStatus`, `GetSmsReceiverStatus_get`, `GetSmsSentData_V2`; Zalo
//! queries `GetTemplate/` (`SmsType` 24/25), `GetZnsTemplateInfo` (GET), `ZNS/GetListZOA/`,
//! `ZNS/GetQuota/`, `QueryZnsStatus/`, `GetZaloMessageStatus`, and
//! `GetListBrandname/{ApiKey}/{SecretKey}` (GET). One trailing slash is optional on every name.
//! On the status host: `ZaloCallback/GetCallback` (POST).
//!
//! # Zalo fixtures (ZNS)
//!
//! [`EmulatorConfig::default`] holds, beside the demo eSMS account (`DEMO_ESMS_API_KEY` /
//! `DEMO_ESMS_SECRET_KEY`, balance 10 000 000 VND), three OAs of that account
//! ([`ZaloConfig`]):
//!
//! | `OAID` | State | Templates (`TempID`: parameters in order, with their `Limit`) |
//! |---|---|---|
//! | `1234567890123456789` ([`DEMO_ZALO_OA_ID`]) | active, SendingMode 3 not allowed, daily quota 500 | `301122`: `customer_name` (30), `order_code` (20); `205644` (OTP): `otp` (10); `301199` (journey): `order_code` (20), `delivery_time` (30) |
//! | `9876543210987654321` ([`DEMO_ZALO_MODE3_OA_ID`]) | active, SendingMode 3 allowed | `301122` |
//! | `1111111111111111111` ([`DEMO_ZALO_INACTIVE_OA_ID`]) | inactive (799) | as the first |
//!
//! Every template costs 220 VND per delivered ZNS (a failed or sandbox one is free). Any other
//! `OAID` is 204, any other `TempID` 789. `GetTemplate/` lists the templates with numeric
//! `TempId`, `Limit` and `ParamLevel` (every parameter `type_text`) and an HTML `TempContent`
//! (`301122`: `<p>Chao {{customer_name}}, don hang {{order_code}} da duoc xac nhan.</p>`);
//! `GetZnsTemplateInfo` says `TemplateTag` `"OTP"` and `Timeout` 15000 for `205644`,
//! `"TRANSACTION"` and 7200000 for the other two ([`ZnsTemplate::tag`],
//! [`ZnsTemplate::timeout_ms`]). `ZNS/GetListZOA/` lists the two active OAs with their names
//! (`NhanTin Demo OA`, `NhanTin Demo OA (mode 3)`); the inactive one (`NhanTin Inactive OA`) is
//! left out. Each OA's daily quota is 500 ([`ZaloOa::daily_quota`]): every ZNS eSMS accepts for
//! it outside sandbox (single, bulk item, multi-channel or generated-code ZNS leg, delivered or
//! not) lowers `ZNS/GetQuota/`'s `RemainingQuota` by one until the next midnight, Vietnam time,
//! of emulator time ([`Emulator::advance_clock`]). A ZNS beyond it is still accepted (100:
//! eSMS's table has no code for it) and then fails, Zalo's "Out of quota" (−115) in its report
//! and status, and a multi-channel send falls back to its SMS leg; `SendingMode` 3 (an OA
//! allowed it) goes beyond the quota and is delivered.
//! `GetListBrandname` lists the account's brandnames (`NHANTIN`, `Baotrixemay`) each under
//! `Type` 1, 2 and 23, since the emulator accepts each for advertising, customer care and
//! Viber. Every valid mobile has Zalo except `0909000118`
//! ([`DEMO_PHONE_WITHOUT_ZALO`], reports fail with −118 "Zalo account not existed") and
//! `0909000114` ([`DEMO_PHONE_ZALO_INACTIVE`], −114); both lists also take Zalo user ids. A
//! `HashPhone` must be the lowercase hex SHA-256 of `84` + the nine digits of `0912345678`,
//! `0901888484`, `0987654321` or one of the two phones above (`84912345678` →
//! `25cc2f7574420a2d46c9f2d6cf94cdbb242ef7d479afe92ed6e8eb33a7493093`); anything else is 115.
//! The CareSoft demo tenant has one ZNS script, `366` ([`DEMO_CARESOFT_ZNS_TEMPLATE_ID`]);
//! InterITS accepts any well-formed `oa_id`/`template_id`. See `src/zalo.rs` for the order of
//! the eSMS checks and their codes.
//!
//! The multi-channel code sends (`SendMessageAutoGenCode_V5`) know one `MultiChannelTempId`,
//! `40017` ([`DEMO_MULTICHANNEL_TEMPLATE_ID`], [`MultiChannelTemplate`]): the OTP template
//! `205644` of the demo OA, falling back to an SMS from brandname `NHANTIN` reading
//! `"{OTP} la ma xac thuc NhanTin cua ban"` ([`DEMO_MULTICHANNEL_SMS_CONTENT`]); any other id
//! is 789. See `src/multichannel.rs` and `src/otp.rs` for their checks and codes.
//!
//! # Multi-channel sends and generated codes
//!
//! `MultiChannelMessage/` takes `ApiKey`, `SecretKey`, `Phone`, `Channels` (exactly
//! `["zalo","sms"]`) and `Data`: `[ZNS leg, SMS leg]`, the ZNS leg checked as a V4 ZNS
//! (positional `Params`; 791/204/799/789/790), the SMS leg as a customer-care SMS (`SmsType`
//! `"2"` only, else 118; unregistered `Brandname` 104); any member outside the pages' tables is
//! `{"error":"Invalid request"}`, and so is a `Sandbox` that differs between the legs. Each
//! leg's `RequestId` is checked (124) against the account's 24-hour register, and the same id
//! on both legs is 124 too. The ZNS is tried first; when Zalo cannot deliver it
//! ([`DEMO_PHONE_WITHOUT_ZALO`] −118, [`DEMO_PHONE_ZALO_INACTIVE`] −114) the emulator sends the
//! SMS leg itself. Reports: the ZNS leg's (TypeId 25, form 1) to `Data[0].CallbackUrl`, then,
//! only after a fallback, the SMS leg's (TypeId 2) to `Data[1].CallbackUrl`; both end with
//! `switchsmsid` = the *other* leg's own id (empty on a delivered ZNS's report). A delivered
//! ZNS costs the template's price and sends no SMS; a fallback costs the SMS price only.
//! Sandbox (`"1"` on both legs) is accepted, recorded, never sent, charged or reported.
//!
//! SMSIDs (setting [`MultiChannelIds`], the pages leave it open): the answer carries a parent
//! id of the whole send (`"parent"`, the default) or the ZNS leg's own id (`"zns_leg"`); the
//! reports carry the answered id (`"returned"`, the default, both legs under the one handle) or
//! each leg's own id (`"leg"`). The SMS status queries find the send by any of its three ids;
//! `QueryZnsStatus/` and `ZaloCallback/GetCallback` by the answered or the ZNS leg's id only.
//!
//! `SendMessageAutoGenCode_V5` (`ApiKey`, `SecretKey`, `Phone`, `MultiChannelTempId`, `TypeId`,
//! `TimeAlive`?) generates a six-digit code and sends it the same way, with no report (it has
//! no `CallbackUrl`); `TypeId` `"1"` only generates (recorded, checkable, nothing sent or
//! charged). `SendMessageAutoGenCode_V4_get` (`Phone`, `ApiKey`, `SecretKey`, `Brandname`,
//! `Type=2`, `message` with `{OTP}` exactly once, `TimeAlive`? 2–10 default 5,
//! `NumCharOfCode`? 4–10 default 6, `IsNumber`? `1` digits, default upper-case letters and
//! digits) sends it by customer-care SMS. Neither takes `RequestId`, `CallbackUrl` or
//! `Sandbox`. `CheckCodeGen_V4_get?ApiKey&SecretKey&Phone&Code` answers
//! `{"CodeResult":"100","CountRegenerate":0,"ErrorMessage":"<Phone>, Content: Success!"}` the
//! first time the phone's latest code is checked while alive (`TimeAlive` minutes of emulator
//! time: [`Emulator::advance_clock`] ages codes), and
//! `{"CodeResult":"117","CountRegenerate":0,"ErrorMessage":"<Phone>, Content: <Code> Code Invalid"}`
//! for a used, expired, replaced or wrong code (171 with [`CheckCodeInvalid::Code171`]).
//!
//! # Bulk ZNS
//!
//! `Send_zns_bulk_v4_post_json/` (`ApiKey`, `SecretKey`, `OAID`, `TempID`, `Data`: up to 500
//! `{Phone, RequestId?, Params}`, and `campaignid`, `Sandbox`, `SendDate`, `CallbackUrl`,
//! `SendingMode`) checks the request as a single send (101, 791, 204, 799, 789; 687 over 500
//! items; 110 for a missing `Data`, `Phone` or `Params`; 801/802; 103 for the whole list) and
//! each item as a single send would (790 parameters, 108 phone, 124 `RequestId` within 24 h),
//! then answers
//! `{"CodeResult":"100","Message":"Sucess","TotalFail":M,"TotalSuccess":N,"detail":[…]}` with
//! one entry per item, in order: `{"CodeResult":"100","Phone":…,"SMSID":…}` or
//! `{"CodeResult":"108","Phone":…,"ErrorMessage":"The phone number … is not valid."}`.
//! **`Phone` is the phone as sent**, where both pages' samples show the placeholder
//! `"{Phone}"`. Each accepted item is its own send: its own record (`endpoint`
//! `"Send_zns_bulk_v4_post_json"`), SMSID, Zalo outcome, charge, quota count and report, so
//! the status queries and reports work per item. The setting `esms_zns_bulk_detail`
//! ([`ZnsBulkDetail`]) makes the answer list fewer entries than items, as the English sample
//! does. See `src/bulk.rs`.
//!
//! # Zalo queries
//!
//! See `src/zalo_query.rs` and `src/esms_status.rs` for each operation's checks, codes and
//! answer. In short: `QueryZnsStatus/` (by SMSID, `SmsType` 24/25) answers `Data` with
//! `ErrorInfo` null and `FinalStatus` `"0"` until the ZNS's report is due, then `"0"`/`"1"`
//! (delivered, `ZaloMsgId` set) or Zalo's code (`"-118"`, `"-114"`)/`"1"`; 851 without
//! `SmsId`, 854 for an unknown, sandbox, journey or SMS id. `GetZaloMessageStatus` (by Zalo
//! message id) answers `status` 0 until then, 1 with `delivery_time` after, −1 for an id it
//! does not know; 851 without `MessageId`. `ZaloCallback/GetCallback` answers
//! `{"Code":100,"Message":"Success","Data_callback":[…]}` with a row per known ZNS SMSID among
//! the first 200 of `ListRefid` whose send had a `CallbackUrl`. The pages show no error body
//! for `GetZnsTemplateInfo` and `GetCallback`; the emulator keeps each one's envelope with a
//! null payload (`{"Data":null,"Error":101,"Message":"Authorize Failed"}`,
//! `{"Code":101,"Message":"Authorize Failed","Data_callback":null}`).
//!
//! **The Zalo message id.** Every ZNS that Zalo takes (not sandbox, recipient with an active
//! Zalo account) owns one id, 20 lowercase hex digits, fixed at acceptance: the record's
//! `zns.delivery.zalo_msg_id` ([`ZnsDetails::zalo_msg_id`]), the report's `partnerids`,
//! `QueryZnsStatus/`'s `ZaloMsgId`, `GetCallback`'s `Partnerids`, and the `MessageId` that
//! `GetZaloMessageStatus` knows. A ZNS Zalo refuses (−118, −114) has none: its report's
//! `partnerids` and its `ZaloMsgId`/`Partnerids` are empty.
//!
//! # ZNS delivery reports
//!
//! ZNS delivery reports go by GET to the send's `CallbackUrl` like SMS reports, `TypeId=25`
//! (27 for a journey), `RequestId=` empty, `SendStatus=5`, success `SendSuccess=1` with the
//! template's price and `partnerids` a 20-hex Zalo message id, failure `SendFailed=1`,
//! `TotalPrice=0.0000`, `TotalSent=0`, `partnerids=` empty; `error_info` is form 1 (a JSON
//! string, braces raw) for phone and hash sends, form 3 (the object, braces raw) with
//! `telcoid=9` and the user id as `phonenumber` for `zalo_uid`, form 2 (encoded twice, with a
//! `____dd/MM/yyyy HH:mm:ss` suffix, no `telcoid`, no `tempid`) for journeys. Sandbox ZNS get
//! no report.
//!
//! # Control API (for tests that run the emulator as a process)
//!
//! | Method | Path | Body | Answer |
//! |---|---|---|---|
//! | GET | `/_emulator/health` | | `{"ok":true}` |
//! | GET | `/_emulator/messages` | | JSON array of [`AcceptedMessage`] |
//! | GET | `/_emulator/delivery-reports` | | JSON array of [`DeliveryAttempt`] |
//! | POST | `/_emulator/faults` | see below | `{"queued":true}` |
//! | POST | `/_emulator/reset` | | `{"reset":true}` (same as [`Emulator::reset`]) |
//! | POST | `/_emulator/advance-clock` | `{"secs":900}` | `{"advanced_secs":900}` |
//! | GET | `/_emulator/settings` | | every setting, e.g. `{"interits_dedup_request_id":false,…}` |
//! | POST | `/_emulator/settings` | `{"interits_dedup_request_id":true}` | every setting |
//!
//! Settings are run-time switches of behaviour the providers do not document; `POST` changes
//! the members it names and answers all current values, always as
//! `{"interits_dedup_request_id":false,"esms_multichannel_returned_sms_id":"parent","esms_multichannel_report_sms_id":"returned","esms_check_code_invalid":"117","esms_zns_bulk_detail":"all"}`
//! (these values are the defaults), and a reset restores the configured ones.
//! `interits_dedup_request_id` (same as [`Emulator::set_interits_dedup_request_id`]): when
//! `true`, an InterITS send that repeats a `requestId` of the same `API-KEY` gets the first
//! answer again and is not recorded; when `false`, it is a new message with a new
//! `referentId`. `esms_multichannel_returned_sms_id` (`"parent"` | `"zns_leg"`) and
//! `esms_multichannel_report_sms_id` (`"returned"` | `"leg"`): the SMSIDs of multi-channel
//! sends ([`MultiChannelIds`], [`Emulator::set_esms_multichannel_ids`]).
//! `esms_check_code_invalid` (`"117"` | `"171"`, [`Emulator::set_esms_check_code_invalid`]):
//! the `CodeResult` of a failed code check. `esms_zns_bulk_detail` (`"all"` |
//! `"successes_only"` | `"omit_last"`, [`Emulator::set_esms_zns_bulk_detail`]): which `detail`
//! entries a bulk ZNS answer lists — every item's, only the accepted items' (and no
//! `TotalFail`), or every item's but the last.
//!
//! A fault body is `{"fault":KIND, …, "times":N, "path":"substring"}`; `times` defaults to 1 and
//! `path` to every path. Kinds (see [`Fault`] for what each does): `{"fault":"delay","millis":500}`,
//! `{"fault":"reset_before_read"}`, `{"fault":"reset_after_accept"}`,
//! `{"fault":"status","status":503}` (400..=599), `{"fault":"too_many_requests","retry_after_secs":2}`,
//! `{"fault":"malformed_json"}`, `{"fault":"html_page"}`, `{"fault":"oversized_body","bytes":10485760}`.
//! Malformed control requests get 400 `{"error":"…"}`. Records are serialized with snake_case
//! member names; `endpoint` is the provider's operation name (`"Send_Multiple_Sms_OTT"`,
//! `"SendZaloMessage_V6"`, `"SendZaloMessage_V6/zalo_uid"`, `"SendZaloMessage_V6/hash_phone"`,
//! `"SendZaloMessage_V5_post"`, `"SendZaloMessage_V4_post_json"`,
//! `"Send_zns_bulk_v4_post_json"`, `"MultiChannelMessage"`,
//! `"SendMessageAutoGenCode_V5"`, `"SendMessageAutoGenCode_V4_get"`, `"caresoft_sms"`,
//! `"caresoft_zns"`, `"interits_send_message"`, `"interits_send_zns"`), `created_at_unix_ms` is
//! the acceptance time on the real wall clock, and enums are tagged objects, e.g.
//! `"kind":{"provider":"esms","sms_type":"viber"}`,
//! `"reference":{"kind":"esms_sms_id","sms_id":"…","portal_sms_id":30000001}`,
//! `"outcome":{"kind":"answered","status":200}`.
//!
//! A ZNS record ([`ZnsDetails`]) has `recipients` `[phone]`, `[ZaloUid]` or `[HashPhone]` as
//! sent, `text` `null`, `kind` `{"provider":"esms","sms_type":"zalo_customer_care"}` (TypeId
//! 25), `…"zalo_journey"}` (27), `{"provider":"care_soft_zns","template_id":366}` or
//! `{"provider":"inter_its_zns","template_id":301122}`, `request_id` the eSMS `RequestId` or the
//! InterITS `tracking_id`, and
//! `"zns":{"oa_id":"…"|null,"template_id":"301122","params":[{"name":"customer_name","value":"…"},…],
//! "recipient":{"kind":"phone","phone":"…"}|{"kind":"zalo_uid","zalo_uid":"…"}|{"kind":"hash_phone","hash_phone":"…","phone":"…"},
//! "journey_order_id":"…"|null,"sending_mode":"1"|"3"|null,
//! "delivery":{"status":"delivered","zalo_msg_id":"…"}|{"status":"failed","zalo_error":-118}|{"status":"not_sent"},
//! "price":220}` (`"zns":null` on SMS and Viber records). eSMS `params` are in the template's
//! order (positional ones named by position), CareSoft and InterITS ones by name. The InterITS
//! ZNS `reference` is `{"kind":"inter_its_zns","referent_id":"…","msg_id":"…","id":"…"}`.
//!
//! A multi-channel send (`MultiChannelMessage`, `SendMessageAutoGenCode_V5`) is **one** record
//! ([`MultiChannelDetails`]): `kind` `zalo_customer_care`, `zns` the ZNS leg as above (`null`
//! for a generate-only code), `text`/`sender`/`unicode` the SMS leg's (sent or not),
//! `request_id`/`callback_url`/`campaign_id` the ZNS leg's, `reference.sms_id` the answered id,
//! and
//! `"multichannel":{"template_id":"40017"|null,"legs_sent":[]|["zns"]|["zns","sms"],
//! "zns_leg":{"sms_id":"…","report_sms_id":"…","request_id":…,"callback_url":…},
//! "sms_leg":{"sms_id":"…","report_sms_id":"…","content":"…","brandname":"…","unicode":"off"|"on"|null,"request_id":…,"callback_url":…,"delivered":true|false|null},
//! "price":470}` — `legs_sent` says which legs went out, `sms_id` is each leg's own id (what
//! `switchsmsid` carries), `report_sms_id` the `SMSID` its reports carry, `delivered` is
//! `null` when the SMS leg was not sent. Every record has `"multichannel":null` otherwise.
//!
//! **The generated code** (never in a real answer) is the emulator's test-only view in the
//! record of the send: `"generated_code":{"code":"482913","time_alive_minutes":5,"digits_only":true}`
//! ([`GeneratedCode`]) on `SendMessageAutoGenCode_V5` and `SendMessageAutoGenCode_V4_get`
//! records, `null` on every other record. In Rust:
//! `emulator.messages()[i].generated_code.as_ref().unwrap().code`; from another language:
//! `GET /_emulator/messages`, `[i].generated_code.code`.
//!
//! # Threads
//!
//! One accept thread, one thread per connection and one delivery-report thread. Every blocking
//! call wakes at least every 50 ms to look at the shutdown flag, so dropping the [`Emulator`]
//! joins them all promptly and closes the listening socket; nothing outlives it.
//!
//! # Example
//!
//! ```
//! use nhantin_emulator::{Emulator, EmulatorConfig};
//!
//! let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
//! let base = emulator.esms_base_url(); // http://127.0.0.1:PORT/esms/MainService.svc/json/
//! assert!(base.ends_with("/esms/MainService.svc/json/"));
//! // http://127.0.0.1:PORT/esms-status/ (ZaloCallback/GetCallback lives there)
//! assert!(emulator.esms_status_base_url().ends_with("/esms-status/"));
//! assert!(emulator.messages().is_empty());
//! drop(emulator); // threads joined, port closed
//! ```

mod bulk;
mod caresoft;
mod config;
mod control;
mod dlr;
mod esms;
mod esms_status;
mod faults;
mod http;
mod interits;
mod multichannel;
mod otp;
mod records;
mod server;
mod shared;
mod wire;
mod xml;
mod zalo;
mod zalo_query;

use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use crate::caresoft::LOCKOUT_MESSAGE as CARESOFT_LOCKOUT_MESSAGE;
pub use crate::config::{
    CareSoftConfig, CareSoftTenant, CheckCodeInvalid, EmulatorConfig, EsmsAccount, EsmsConfig,
    InterItsConfig, InterItsKey, MultiChannelIds, MultiChannelReportId, MultiChannelReturnedId,
    MultiChannelTemplate, RateLimit, ZaloConfig, ZaloOa, ZnsBulkDetail, ZnsParamSpec, ZnsTemplate,
    DEMO_CARESOFT_DOMAIN, DEMO_CARESOFT_TOKEN, DEMO_CARESOFT_ZNS_TEMPLATE_ID, DEMO_ESMS_API_KEY,
    DEMO_ESMS_SECRET_KEY, DEMO_INTERITS_KEY, DEMO_MULTICHANNEL_SMS_CONTENT,
    DEMO_MULTICHANNEL_TEMPLATE_ID, DEMO_PHONE_WITHOUT_ZALO, DEMO_PHONE_ZALO_INACTIVE,
    DEMO_ZALO_INACTIVE_OA_ID, DEMO_ZALO_MODE3_OA_ID, DEMO_ZALO_OA_ID, DEMO_ZNS_JOURNEY_TEMPLATE_ID,
    DEMO_ZNS_OTP_TEMPLATE_ID, DEMO_ZNS_TEMPLATE_ID,
};
pub use crate::faults::Fault;
pub use crate::records::{
    AcceptedMessage, DeliveryAttempt, DeliveryOutcome, Endpoint, EsmsSentRow, EsmsSmsType,
    GeneratedCode, InterItsType, Leg, MessageKind, MultiChannelDetails, Provider, Reference,
    RefusalReason, SmsLeg, UnicodeFlag, ViberParts, ZnsDelivery, ZnsDetails, ZnsLeg, ZnsParam,
    ZnsRecipient,
};

use crate::server::ConnHandles;
use crate::shared::Shared;

/// A running emulator. Dropping it (or calling [`Emulator::shutdown`]) stops every thread it
/// started and closes the listening socket, so the port is free again afterwards.
pub struct Emulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    acceptor: Option<JoinHandle<()>>,
    dlr_worker: Option<JoinHandle<()>>,
    conns: ConnHandles,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .finish()
    }
}

impl Emulator {
    /// Binds `127.0.0.1:config.port` (0 = any free port) and starts serving.
    ///
    /// Only the loopback interface is ever bound: the emulator accepts demo credentials and
    /// must not be reachable from the network.
    pub fn start(config: EmulatorConfig) -> std::io::Result<Emulator> {
        let listener = TcpListener::bind(("127.0.0.1", config.port))?;
        let addr = listener.local_addr()?;
        let (tx, rx) = mpsc::channel();
        let shared = Arc::new(Shared::new(config, tx));
        let dlr_worker = dlr::spawn_worker(Arc::clone(&shared), rx)?;
        let conns: ConnHandles = Arc::new(Mutex::new(Vec::new()));
        let mut emulator = Emulator {
            shared: Arc::clone(&shared),
            addr,
            acceptor: None,
            dlr_worker: Some(dlr_worker),
            conns: Arc::clone(&conns),
        };
        // If this fails, dropping `emulator` stops the delivery-report worker.
        emulator.acceptor = Some(server::spawn_acceptor(listener, shared, conns)?);
        Ok(emulator)
    }

    /// The bound address (always 127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// eSMS base: `http://127.0.0.1:PORT/esms/MainService.svc/json/` (ends with `/`; clients
    /// append the operation name, e.g. `SendMultipleMessage_V4_post_json/`).
    pub fn esms_base_url(&self) -> String {
        format!("{}{}", self.base_url(), esms::PREFIX)
    }

    /// Base of eSMS's second host (`https://status-sms.esms.vn/` in production):
    /// `http://127.0.0.1:PORT/esms-status/` (ends with `/`; clients append
    /// `ZaloCallback/GetCallback`).
    pub fn esms_status_base_url(&self) -> String {
        format!("{}{}", self.base_url(), esms_status::PREFIX)
    }

    /// CareSoft base: `http://127.0.0.1:PORT/caresoft` (clients append `/{domain}/api/v1/sms`).
    pub fn caresoft_base_url(&self) -> String {
        format!("{}/caresoft", self.base_url())
    }

    /// InterITS base: `http://127.0.0.1:PORT/interits` (clients append
    /// `/api/vendor/v1/sms/send-message`).
    pub fn interits_base_url(&self) -> String {
        format!("{}/interits", self.base_url())
    }

    /// Every message accepted since start or the last [`Emulator::reset`], in order.
    pub fn messages(&self) -> Vec<AcceptedMessage> {
        self.shared.lock().messages.clone()
    }

    /// The rows eSMS `GetSmsSentData_V2` draws from: one per recipient of every accepted eSMS
    /// message, every account and type, ordered by creation time.
    pub fn esms_sent_rows(&self) -> Vec<EsmsSentRow> {
        esms::sent_rows(&self.shared)
    }

    /// Every delivery-report attempt so far, in order.
    pub fn delivery_reports(&self) -> Vec<DeliveryAttempt> {
        self.shared.lock().reports.clone()
    }

    /// Waits until at least `count` delivery-report attempts are recorded or `timeout` passes,
    /// then returns what is recorded. Reports are sent from a background thread, so tests need
    /// a way to wait for them that is not a fixed sleep.
    pub fn wait_for_delivery_reports(
        &self,
        count: usize,
        timeout: Duration,
    ) -> Vec<DeliveryAttempt> {
        let now = Instant::now();
        let deadline = now.checked_add(timeout);
        loop {
            let reports = self.delivery_reports();
            if reports.len() >= count || deadline.is_some_and(|d| Instant::now() >= d) {
                return reports;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Queues `fault` for the next `times` requests whose path contains `path_filter` (every
    /// request when `None`). Control requests (`/_emulator/…`) are never affected.
    pub fn inject(&self, fault: Fault, times: u32, path_filter: Option<&str>) {
        self.shared.lock().faults.push(fault, times, path_filter);
    }

    /// Switches InterITS de-duplication by `requestId` (see
    /// [`InterItsConfig::dedup_request_id`]) until the next [`Emulator::reset`], which restores
    /// the configured value.
    pub fn set_interits_dedup_request_id(&self, on: bool) {
        self.shared.lock().interits.dedup_request_id = on;
    }

    /// Switches which SMSIDs eSMS multi-channel sends answer and report with (see
    /// [`EsmsConfig::multichannel`]) until the next [`Emulator::reset`], which restores the
    /// configured value.
    pub fn set_esms_multichannel_ids(&self, ids: MultiChannelIds) {
        self.shared.lock().esms.multichannel = ids;
    }

    /// Switches the `CodeResult` of a failed `CheckCodeGen_V4_get` (see
    /// [`EsmsConfig::check_code_invalid`]) until the next [`Emulator::reset`].
    pub fn set_esms_check_code_invalid(&self, answer: CheckCodeInvalid) {
        self.shared.lock().esms.check_code_invalid = answer;
    }

    /// Switches which `detail` entries a bulk ZNS answer lists (see
    /// [`EsmsConfig::zns_bulk_detail`]) until the next [`Emulator::reset`].
    pub fn set_esms_zns_bulk_detail(&self, listing: ZnsBulkDetail) {
        self.shared.lock().esms.zns_bulk_detail = listing;
    }

    /// Forgets everything that happened: accepted messages, delivery reports (and reports not
    /// yet sent), seen request ids, generated codes, queued faults, balances, CareSoft rate
    /// windows and lock-outs, clock advances and settings changed at run time.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Moves emulator time forward (CareSoft lock-outs, the 24-hour RequestId block, the
    /// 7-day status window and the life of eSMS-generated codes run on it) without waiting.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    /// Stops serving and joins every thread. Same as dropping.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if self.shared.shutdown.swap(true, Ordering::SeqCst) {
            return;
        }
        // Hang up the delivery-report queue so the worker wakes and exits.
        self.shared
            .dlr
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(acceptor) = self.acceptor.take() {
            server::wake_acceptor(self.addr);
            let _ = acceptor.join();
        }
        let conns: Vec<JoinHandle<()>> = self
            .conns
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain(..)
            .collect();
        for conn in conns {
            let _ = conn.join();
        }
        if let Some(worker) = self.dlr_worker.take() {
            let _ = worker.join();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Not part of the API: the entry point of the fuzz target `fuzz/fuzz_targets/emulator_request.rs`
/// (the request parser is crate-private, and the fuzz crate is outside this workspace).
///
/// Frames `bytes` the way a connection is framed — a request head (`http::parse_head`), then
/// its `Content-Length` body, then the next head — and routes each complete request against a
/// fresh emulator state built from [`EmulatorConfig::default`], with no socket and no thread.
/// Returns each answer's status; a framing refusal is the last one, since it ends a connection.
/// Injected faults are not applied (they are the server loop's, not the parser's).
#[doc(hidden)]
pub fn fuzz_requests(bytes: &[u8]) -> Vec<u16> {
    let config = EmulatorConfig::default();
    let max_body = config.max_request_bytes;
    let (tx, _rx) = mpsc::channel();
    let shared = Shared::new(config, tx);
    let mut statuses = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (head, used) = match http::parse_head(rest, max_body) {
            Ok(Some(parsed)) => parsed,
            Ok(None) => break,
            Err(framing) => {
                statuses.push(framing.response().status);
                break;
            }
        };
        let Some(body) = rest[used..].get(..head.content_length) else {
            break;
        };
        rest = &rest[used + head.content_length..];
        let request = http::Request {
            head,
            body: body.to_vec(),
        };
        let response = server::route(&shared, &request);
        let _ = response.head_bytes(request.head.keep_alive);
        statuses.push(response.status);
    }
    statuses
}
