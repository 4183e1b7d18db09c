//! eSMS queries around ZNS (Zalo digest §3.1–§3.6, §3.8, D-Z32–D-Z34, D-Z38, D-Z39): the OA's
//! templates, one template's details, the account's OAs, an OA's daily quota, a ZNS's status
//! by SMSID and by Zalo message id, and the account's brandnames (which the multi-channel and
//! OTP sends need).
//!
//! | Operation | Method | Request | Success body |
//! |---|---|---|---|
//! | `GetTemplate/` | POST | `ApiKey, SecretKey, OAId, SmsType` (`"24"`/`"25"`) | `{"CodeResult":"100","ErrorMessage":"success","ZNSTemplates":[{"TempContent","TempId","TempName","ZNSTempDetail":[{"Limit","Param","ParamLevel","RequireType"}]}]}` |
//! | `GetZnsTemplateInfo` | GET | `?TemplateId&ApiKey&SecretKey&OAId` | `{"Data":{…},"Error":0,"Message":"Success"}` |
//! | `ZNS/GetListZOA/` | POST | `ApiKey, SecretKey` | `{"CodeResult":"100","ErrorMessage":"success","ZOAList":[{"OAID","OAName"}]}` |
//! | `ZNS/GetQuota/` | POST | `ApiKey, SecretKey, OAID` | `{"CodeResult":"100","ErrorMessage":"success","DailyQuota":N,"RemainingQuota":M}` |
//! | `QueryZnsStatus/` | POST | `ApiKey, SecretKey, SmsId, SmsType` | `{"CodeResult":"100","Data":{"ErrorInfo",…,"ZaloMsgId"}}` |
//! | `GetZaloMessageStatus` | POST | `ApiKey, SecretKey, OAID, MessageId` | `{"CodeResult":"100","Data":{"delivery_time","message","status"},"ErrorMessage":"success. "}` |
//! | `GetListBrandname/{ApiKey}/{SecretKey}` | GET | the two path segments | `{"CodeResponse":"100","ListBrandName":[{"Brandname","Type"}]}` |
//!
//! Numbers are JSON numbers wherever the samples show numbers (`TempId`, `Limit`,
//! `ParamLevel`, `TemplateId`, `Timeout`, `MaxLength`, the quotas, the counts, `TotalPrice`,
//! `status`, `Type`), although the tables type most of them "string" (D-Z38).
//!
//! # Shared rules
//!
//! - Framing → `{"error":"Invalid request"}`, as for the sends: a JSON body with
//!   `Content-Type: application/json` and **no member outside the page's table** (each of
//!   these pages lists its members in full), every member a JSON string, `ApiKey` and
//!   `SecretKey` present; for the GET operations no query parameter outside the page's list.
//! - Then credentials → 101, then the operation's own checks, each listed on its function.
//! - Errors are `{"CodeResult":code,"ErrorMessage":text}` (the 101 samples of `GetTemplate/`,
//!   `ZNS/GetQuota/` and `GetListBrandname`, whose success bodies use `CodeResponse`); the 101
//!   of `ZNS/GetListZOA/` ends with a period, as its sample does. `GetZnsTemplateInfo` has its
//!   own envelope, so its errors keep it: `{"Data":null,"Error":code,"Message":text}` (the pages
//!   show no error body for it; this keeps the envelope a client already decodes).
//! - An `OAID`/`OAId` is resolved as by the sends: 204 unknown, 799 inactive or of another
//!   account (`zalo::resolve_oa`); absent or empty → 791.
//!
//! # When a ZNS's outcome is known
//!
//! A ZNS's Zalo outcome is decided when eSMS accepts it, but the status queries keep it to
//! themselves until its delivery report is due (`EmulatorConfig::delivery_report_delay` of
//! emulator time after acceptance, so `Emulator::advance_clock` ends the wait), so that a
//! query never knows more than the report: before, `QueryZnsStatus/` says pending
//! (`ErrorInfo` null, `FinalStatus` `"0"`) and `GetZaloMessageStatus` says pushed but not on
//! the phone yet (`status` 0).

use std::time::Instant;

use serde::Serialize;
use serde_json::Value;

use crate::dlr::DELIVERED_TO_PHONE;
use crate::esms::{
    self, esms_json, find_account, invalid_request, query_error, require_media_type, Code,
};
use crate::http::{Request, Response, CT_ESMS_JSON};
use crate::multichannel::only_members;
use crate::otp::strict_query;
use crate::records::{AcceptedMessage, MessageKind, Provider, Reference, ZnsDelivery};
use crate::shared::Shared;
use crate::wire::{Fields, Invalid};
use crate::zalo;

/// A query operation's JSON body, checked as framing: no member outside the page's table,
/// every member a JSON string, `ApiKey` and `SecretKey` present.
struct QueryBody {
    api_key: String,
    secret_key: String,
    /// The other members of the table; `None` when absent, `null` or empty.
    others: Vec<(&'static str, Option<String>)>,
}

impl QueryBody {
    fn parse(req: &Request, members: &[&'static str], what: &str) -> Result<Self, Invalid> {
        require_media_type(req, "application/json")?;
        let map = Fields::parse(&req.body)?;
        only_members(&map, members, what)?;
        let f = Fields::new(&map);
        let others = members
            .iter()
            .filter(|name| !matches!(**name, "ApiKey" | "SecretKey"))
            .map(|name| Ok((*name, f.optional_str(name)?)))
            .collect::<Result<_, Invalid>>()?;
        Ok(QueryBody {
            api_key: f.required_str("ApiKey")?,
            secret_key: f.required_str("SecretKey")?,
            others,
        })
    }

    fn get(&self, name: &str) -> Option<String> {
        self.others
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.clone())
    }
}

/// A template id as the answers write it: a JSON number when it is one (every sample), the
/// configured text otherwise, so that an id with a leading zero is not silently changed.
fn id_value(id: &str) -> Value {
    match id.parse::<u64>() {
        Ok(n) if n.to_string() == id => Value::from(n),
        _ => Value::String(id.to_owned()),
    }
}

/// Whether the Zalo outcome of a ZNS accepted at `accepted_at` (emulator time) is out: its
/// delivery report is due, `EmulatorConfig::delivery_report_delay` after acceptance. The one
/// rule of every status query (eSMS here, InterITS `message-detail`).
pub(crate) fn report_due(shared: &Shared, accepted_at: Instant) -> bool {
    shared.clock.now().saturating_duration_since(accepted_at) >= shared.config.delivery_report_delay
}

/// When the report of a message recorded at `created_at_unix_ms` was due, in Unix
/// milliseconds on the real wall clock (what the queries give as its delivery time).
pub(crate) fn report_due_unix_ms(shared: &Shared, created_at_unix_ms: u64) -> u64 {
    let delay = u64::try_from(shared.config.delivery_report_delay.as_millis()).unwrap_or(0);
    created_at_unix_ms.saturating_add(delay)
}

/// Whether the Zalo outcome of the ZNS eSMS accepted as `sms_id` is out ([`report_due`]).
pub(crate) fn outcome_known(shared: &Shared, sms_id: &str) -> bool {
    let accepted_at = shared.lock().esms.accepted_at.get(sms_id).copied();
    accepted_at.is_some_and(|at| report_due(shared, at))
}

fn reference_id(message: &AcceptedMessage) -> &str {
    match &message.reference {
        Reference::EsmsSmsId { sms_id, .. } => sms_id,
        _ => "",
    }
}

// ---------------------------------------------------------------------------------------------
// GetTemplate/ with SmsType 24/25

const TEMPLATES_MEMBERS: &[&str] = &["ApiKey", "SecretKey", "OAId", "SmsType"];

#[derive(Serialize)]
struct TemplateParam<'a> {
    #[serde(rename = "Limit")]
    limit: usize,
    #[serde(rename = "Param")]
    param: &'a str,
    #[serde(rename = "ParamLevel")]
    param_level: usize,
    #[serde(rename = "RequireType")]
    require_type: &'a str,
}

#[derive(Serialize)]
struct TemplateEntry<'a> {
    #[serde(rename = "TempContent")]
    temp_content: &'a str,
    #[serde(rename = "TempId")]
    temp_id: Value,
    #[serde(rename = "TempName")]
    temp_name: &'a str,
    #[serde(rename = "ZNSTempDetail")]
    detail: Vec<TemplateParam<'a>>,
}

#[derive(Serialize)]
struct TemplatesBody<'a> {
    #[serde(rename = "CodeResult")]
    code_result: &'a str,
    #[serde(rename = "ErrorMessage")]
    error_message: &'a str,
    #[serde(rename = "ZNSTemplates")]
    templates: Vec<TemplateEntry<'a>>,
}

/// `POST GetTemplate/` with `SmsType` 24 or 25 (§3.1). After 101: `SmsType` other than
/// `"24"`/`"25"` → 118 (the customer-care form, `SmsType` `"2"` with a `Brandname`, is not
/// served: the emulator has no SMS templates, and `Brandname` is not a member of this form);
/// then the OA (791, 204, 799). Both types list every template of the OA, journey ones
/// included, in configured order: the emulator's templates are not split into priority and
/// normal ones (its ZNS all report TypeId 25), and nothing says the lists differ. Every
/// parameter is `type_text`, the only kind the emulator checks values against (by `Limit`).
pub(crate) fn templates(shared: &Shared, req: &Request) -> Response {
    let body = match QueryBody::parse(req, TEMPLATES_MEMBERS, "GetTemplate (SmsType 24/25)") {
        Ok(body) => body,
        Err(invalid) => return invalid_request(invalid),
    };
    let sms_type = body.get("SmsType").unwrap_or_default();
    let config = &shared.config;
    let Some(account) = find_account(&config.esms, &body.api_key, &body.secret_key) else {
        return query_error(Code::AuthorizeFailed);
    };
    if sms_type != "24" && sms_type != "25" {
        return query_error(Code::TypeUnsupported);
    }
    let Some(oa_id) = body.get("OAId") else {
        return query_error(Code::OaOrTemplateMissing);
    };
    let oa = match zalo::resolve_oa(&config.zalo, account, &oa_id) {
        Ok(oa) => oa,
        Err(code) => return query_error(code),
    };
    let templates = oa
        .templates
        .iter()
        .map(|t| TemplateEntry {
            temp_content: &t.content,
            temp_id: id_value(&t.template_id),
            temp_name: &t.name,
            detail: t
                .params
                .iter()
                .enumerate()
                .map(|(i, p)| TemplateParam {
                    limit: p.limit,
                    param: &p.name,
                    param_level: i + 1,
                    require_type: "type_text",
                })
                .collect(),
        })
        .collect();
    esms_json(&TemplatesBody {
        code_result: "100",
        error_message: "success",
        templates,
    })
}

// ---------------------------------------------------------------------------------------------
// GetZnsTemplateInfo

const TEMPLATE_INFO_PARAMS: &[&str] = &["TemplateId", "ApiKey", "SecretKey", "OAId"];

#[derive(Serialize)]
struct InfoParam<'a> {
    #[serde(rename = "AcceptNull")]
    accept_null: bool,
    #[serde(rename = "MaxLength")]
    max_length: usize,
    #[serde(rename = "MinLength")]
    min_length: usize,
    #[serde(rename = "Name")]
    name: &'a str,
    #[serde(rename = "Require")]
    require: bool,
    #[serde(rename = "Type")]
    kind: &'a str,
}

/// `Data`, members in the samples' (alphabetical) order; the English sample's quota members
/// and the Vietnamese one's `Reason` and `ListButtons` together.
#[derive(Serialize)]
struct InfoData<'a> {
    #[serde(rename = "ApplyTemplateQuota")]
    apply_template_quota: bool,
    #[serde(rename = "ListButtons")]
    list_buttons: Vec<Value>,
    #[serde(rename = "ListParams")]
    list_params: Vec<InfoParam<'a>>,
    #[serde(rename = "PreviewUrl")]
    preview_url: String,
    #[serde(rename = "Reason")]
    reason: &'a str,
    #[serde(rename = "Status")]
    status: &'a str,
    #[serde(rename = "TemplateDailyQuota")]
    template_daily_quota: Option<u32>,
    #[serde(rename = "TemplateId")]
    template_id: Value,
    #[serde(rename = "TemplateName")]
    template_name: &'a str,
    #[serde(rename = "TemplateQuality")]
    template_quality: &'a str,
    #[serde(rename = "TemplateRemainingQuota")]
    template_remaining_quota: Option<u32>,
    #[serde(rename = "TemplateTag")]
    template_tag: &'a str,
    #[serde(rename = "Timeout")]
    timeout: u64,
}

#[derive(Serialize)]
struct InfoBody<'a> {
    #[serde(rename = "Data")]
    data: Option<InfoData<'a>>,
    #[serde(rename = "Error")]
    error: u32,
    #[serde(rename = "Message")]
    message: &'a str,
}

fn info_error(code: Code) -> Response {
    esms_json(&InfoBody {
        data: None,
        error: code.number(),
        message: code.message(),
    })
}

/// `GET GetZnsTemplateInfo` (§3.2). After 101: `TemplateId` or `OAId` absent or empty → 791,
/// the OA → 204/799, a template not configured for it → 789, each as
/// `{"Data":null,"Error":<code as a number>,"Message":…}`. The emulator's choices where the
/// pages only show a sample: `Status` `"ENABLE"` with its own `Reason` text; `TemplateQuality`
/// `"UNDEFINED"` (the English sample; the Vietnamese one has the string `"null"`); no template
/// quota (`ApplyTemplateQuota` false, both quotas null: the pages reserve them for special
/// test templates); no buttons; each parameter `Type` `"STRING"`, `MinLength` 0, `MaxLength`
/// its `Limit`, `Require` true and `AcceptNull` false (an empty value is 790); `PreviewUrl` an
/// address under the reserved `.invalid` domain, since there is no preview to show.
pub(crate) fn template_info(shared: &Shared, req: &Request) -> Response {
    let pairs = match strict_query(req, TEMPLATE_INFO_PARAMS) {
        Ok(pairs) => pairs,
        Err(invalid) => return invalid_request(invalid),
    };
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let (Some(api_key), Some(secret_key)) = (get("ApiKey"), get("SecretKey")) else {
        return invalid_request(Invalid::new("ApiKey and SecretKey are required"));
    };
    let config = &shared.config;
    let Some(account) = find_account(&config.esms, &api_key, &secret_key) else {
        return info_error(Code::AuthorizeFailed);
    };
    let non_empty = |v: Option<String>| v.filter(|v| !v.is_empty());
    let (oa, template) = match zalo::resolve_oa_template(
        &config.zalo,
        account,
        non_empty(get("OAId")).as_deref(),
        non_empty(get("TemplateId")).as_deref(),
    ) {
        Ok(resolved) => resolved,
        Err(code) => return info_error(code),
    };
    esms_json(&InfoBody {
        data: Some(InfoData {
            apply_template_quota: false,
            list_buttons: Vec::new(),
            list_params: template
                .params
                .iter()
                .map(|p| InfoParam {
                    accept_null: false,
                    max_length: p.limit,
                    min_length: 0,
                    name: &p.name,
                    require: true,
                    kind: "STRING",
                })
                .collect(),
            preview_url: format!(
                "https://zns-preview.invalid/{}/{}",
                oa.oa_id, template.template_id
            ),
            reason: "Approved by Zalo",
            status: "ENABLE",
            template_daily_quota: None,
            template_id: id_value(&template.template_id),
            template_name: &template.name,
            template_quality: "UNDEFINED",
            template_remaining_quota: None,
            template_tag: &template.tag,
            timeout: template.timeout_ms,
        }),
        error: 0,
        message: "Success",
    })
}

// ---------------------------------------------------------------------------------------------
// ZNS/GetListZOA/ and ZNS/GetQuota/

#[derive(Serialize)]
struct OaEntry<'a> {
    #[serde(rename = "OAID")]
    oa_id: &'a str,
    #[serde(rename = "OAName")]
    oa_name: &'a str,
}

#[derive(Serialize)]
struct OaListBody<'a> {
    #[serde(rename = "CodeResult")]
    code_result: &'a str,
    #[serde(rename = "ErrorMessage")]
    error_message: &'a str,
    #[serde(rename = "ZOAList")]
    list: Vec<OaEntry<'a>>,
}

/// `POST ZNS/GetListZOA/` (§3.3): the account's **active** OAs in configured order (the
/// Vietnamese table says the list holds the account's active OAs, so an inactive OA is left
/// out); 101 is `"Authorize Failed."` with its period, as in both samples.
pub(crate) fn oa_list(shared: &Shared, req: &Request) -> Response {
    let body = match QueryBody::parse(req, &["ApiKey", "SecretKey"], "ZNS/GetListZOA") {
        Ok(body) => body,
        Err(invalid) => return invalid_request(invalid),
    };
    let config = &shared.config;
    let Some(account) = find_account(&config.esms, &body.api_key, &body.secret_key) else {
        return Response::new(
            200,
            CT_ESMS_JSON,
            r#"{"CodeResult":"101","ErrorMessage":"Authorize Failed."}"#,
        );
    };
    let list = config
        .zalo
        .oas
        .iter()
        .filter(|oa| oa.active && oa.esms_account == account.api_key)
        .map(|oa| OaEntry {
            oa_id: &oa.oa_id,
            oa_name: &oa.name,
        })
        .collect();
    esms_json(&OaListBody {
        code_result: "100",
        error_message: "success",
        list,
    })
}

#[derive(Serialize)]
struct QuotaBody<'a> {
    #[serde(rename = "CodeResult")]
    code_result: &'a str,
    #[serde(rename = "ErrorMessage")]
    error_message: &'a str,
    #[serde(rename = "DailyQuota")]
    daily_quota: u32,
    #[serde(rename = "RemainingQuota")]
    remaining_quota: u32,
}

/// `POST ZNS/GetQuota/` (§3.4): after 101, the OA (791, 204, 799); `DailyQuota` the OA's
/// configured `ZaloOa::daily_quota`, `RemainingQuota` that minus the ZNS accepted for it today
/// (never below 0; see `zalo::quota_day`).
pub(crate) fn quota(shared: &Shared, req: &Request) -> Response {
    let body = match QueryBody::parse(req, &["ApiKey", "SecretKey", "OAID"], "ZNS/GetQuota") {
        Ok(body) => body,
        Err(invalid) => return invalid_request(invalid),
    };
    let config = &shared.config;
    let Some(account) = find_account(&config.esms, &body.api_key, &body.secret_key) else {
        return query_error(Code::AuthorizeFailed);
    };
    let Some(oa_id) = body.get("OAID") else {
        return query_error(Code::OaOrTemplateMissing);
    };
    let oa = match zalo::resolve_oa(&config.zalo, account, &oa_id) {
        Ok(oa) => oa,
        Err(code) => return query_error(code),
    };
    let used = zalo::quota_used(shared, &shared.lock(), &oa.oa_id);
    esms_json(&QuotaBody {
        code_result: "100",
        error_message: "success",
        daily_quota: oa.daily_quota,
        remaining_quota: oa.daily_quota.saturating_sub(used),
    })
}

// ---------------------------------------------------------------------------------------------
// QueryZnsStatus/

#[derive(Serialize)]
struct ZnsStatusData<'a> {
    #[serde(rename = "ErrorInfo")]
    error_info: Option<String>,
    #[serde(rename = "FinalStatus")]
    final_status: &'a str,
    #[serde(rename = "SMSID")]
    sms_id: &'a str,
    #[serde(rename = "SendFailed")]
    send_failed: u32,
    #[serde(rename = "SendStatus")]
    send_status: u32,
    #[serde(rename = "SendSuccess")]
    send_success: u32,
    #[serde(rename = "TotalPrice")]
    total_price: f64,
    #[serde(rename = "TotalReceiver")]
    total_receiver: u32,
    #[serde(rename = "TotalSent")]
    total_sent: u32,
    #[serde(rename = "ZaloMsgId")]
    zalo_msg_id: &'a str,
}

#[derive(Serialize)]
struct ZnsStatusBody<'a> {
    #[serde(rename = "CodeResult")]
    code_result: &'a str,
    #[serde(rename = "Data")]
    data: ZnsStatusData<'a>,
}

/// `POST QueryZnsStatus/` (§3.5, D-Z34). After 101: `SmsId` absent or empty → 851; `SmsType`
/// other than `"24"`/`"25"` → 118; then 854 unless `SmsId` is an SMSID this account's ZNS was
/// answered with (or the ZNS leg's own id of a multi-channel send) within the 7-day status
/// window, of the type asked for (all the emulator's ZNS are 25, so 24 finds nothing; journey
/// ZNS are 27, which this API does not serve), and not sandbox (a sandbox send has no data,
/// §9.4). `Data`, members in the sample's order:
///
/// - pending (see the module doc): `ErrorInfo` null, `FinalStatus` `"0"`, `SendStatus` 2, the
///   counts and `TotalPrice` 0, `ZaloMsgId` `""`;
/// - delivered: `ErrorInfo` `"0"`, `FinalStatus` `"1"`, `SendStatus` 5, `SendSuccess` 1,
///   `TotalSent` 1, `TotalPrice` the template's price, `ZaloMsgId` the record's Zalo message id;
/// - failed: `ErrorInfo` Zalo's code as text (`"-118"`, `"-114"`), `FinalStatus` `"1"`,
///   `SendStatus` 5, `SendFailed` 1, `TotalSent` 0 and `TotalPrice` 0 (as the failure report
///   says), `ZaloMsgId` `""` (Zalo created no message).
///
/// `TotalReceiver` is 1 and `SMSID` the id asked about, always.
pub(crate) fn zns_status(shared: &Shared, req: &Request) -> Response {
    let body = match QueryBody::parse(
        req,
        &["ApiKey", "SecretKey", "SmsId", "SmsType"],
        "QueryZnsStatus",
    ) {
        Ok(body) => body,
        Err(invalid) => return invalid_request(invalid),
    };
    let Some(account) = find_account(&shared.config.esms, &body.api_key, &body.secret_key) else {
        return query_error(Code::AuthorizeFailed);
    };
    let Some(sms_id) = body.get("SmsId") else {
        return query_error(Code::IdMissing);
    };
    let sms_type = body.get("SmsType").unwrap_or_default();
    if sms_type != "24" && sms_type != "25" {
        return query_error(Code::TypeUnsupported);
    }
    let found = esms::lookup(shared, &account.api_key, &sms_id).filter(|m| {
        let of_type =
            matches!(m.kind, MessageKind::Esms { sms_type: t } if t.code().to_string() == sms_type);
        let sms_leg = m
            .multichannel
            .as_ref()
            .is_some_and(|mc| mc.sms_leg.sms_id == sms_id);
        of_type && !sms_leg && !m.sandbox
    });
    let Some(zns) = found.and_then(|m| m.zns) else {
        return query_error(Code::NoData);
    };
    let pending = ZnsStatusData {
        error_info: None,
        final_status: "0",
        sms_id: &sms_id,
        send_failed: 0,
        send_status: 2,
        send_success: 0,
        total_price: 0.0,
        total_receiver: 1,
        total_sent: 0,
        zalo_msg_id: "",
    };
    let data = match &zns.delivery {
        _ if !outcome_known(shared, &sms_id) => pending,
        ZnsDelivery::Delivered { zalo_msg_id } => ZnsStatusData {
            error_info: Some("0".to_owned()),
            final_status: "1",
            send_status: 5,
            send_success: 1,
            total_price: zns.price as f64,
            total_sent: 1,
            zalo_msg_id,
            ..pending
        },
        ZnsDelivery::Failed { zalo_error } => ZnsStatusData {
            error_info: Some(zalo_error.to_string()),
            final_status: "1",
            send_status: 5,
            send_failed: 1,
            ..pending
        },
        ZnsDelivery::NotSent => return query_error(Code::NoData),
    };
    esms_json(&ZnsStatusBody {
        code_result: "100",
        data,
    })
}

// ---------------------------------------------------------------------------------------------
// GetZaloMessageStatus

#[derive(Serialize)]
struct MessageStatusData<'a> {
    delivery_time: Option<String>,
    message: &'a str,
    status: i32,
}

#[derive(Serialize)]
struct MessageStatusBody<'a> {
    #[serde(rename = "CodeResult")]
    code_result: &'a str,
    #[serde(rename = "Data")]
    data: MessageStatusData<'a>,
    #[serde(rename = "ErrorMessage")]
    error_message: &'a str,
}

/// `POST GetZaloMessageStatus` (§3.6, D-Z33). After 101: `MessageId` absent or empty → 851;
/// the OA (791, 204, 799); then `Data` for the delivered ZNS of this account and OA whose Zalo
/// message id (`partnerids`) is `MessageId`:
///
/// - on the phone: `status` 1, the sample's `message`, `delivery_time` the Unix milliseconds
///   (as a string) at which its report was due, on the real wall clock;
/// - before that (see the module doc): `status` 0, `delivery_time` null;
/// - any other id, including one of another OA (a Zalo message id belongs to its OA): `status`
///   −1, `delivery_time` null.
///
/// The `message` texts of 0 and −1 are the emulator's wording of the table. `ErrorMessage` is
/// `"success. "`, trailing space included, as in both samples.
pub(crate) fn zalo_message_status(shared: &Shared, req: &Request) -> Response {
    let body = match QueryBody::parse(
        req,
        &["ApiKey", "SecretKey", "OAID", "MessageId"],
        "GetZaloMessageStatus",
    ) {
        Ok(body) => body,
        Err(invalid) => return invalid_request(invalid),
    };
    let config = &shared.config;
    let Some(account) = find_account(&config.esms, &body.api_key, &body.secret_key) else {
        return query_error(Code::AuthorizeFailed);
    };
    let Some(message_id) = body.get("MessageId") else {
        return query_error(Code::IdMissing);
    };
    let Some(oa_id) = body.get("OAID") else {
        return query_error(Code::OaOrTemplateMissing);
    };
    let oa = match zalo::resolve_oa(&config.zalo, account, &oa_id) {
        Ok(oa) => oa,
        Err(code) => return query_error(code),
    };
    let found = shared
        .lock()
        .messages
        .iter()
        .find(|m| {
            m.provider == Provider::Esms
                && m.account == account.api_key
                && m.zns.as_ref().is_some_and(|z| {
                    z.oa_id.as_deref() == Some(oa.oa_id.as_str())
                        && z.zalo_msg_id() == Some(message_id.as_str())
                })
        })
        .cloned();
    let data = match found {
        Some(m) if outcome_known(shared, reference_id(&m)) => MessageStatusData {
            delivery_time: Some(report_due_unix_ms(shared, m.created_at_unix_ms).to_string()),
            message: DELIVERED_TO_PHONE,
            status: 1,
        },
        Some(_) => MessageStatusData {
            delivery_time: None,
            message: "The message reached Zalo but not yet the user's phone",
            status: 0,
        },
        None => MessageStatusData {
            delivery_time: None,
            message: "No such message",
            status: -1,
        },
    };
    esms_json(&MessageStatusBody {
        code_result: "100",
        data,
        error_message: "success. ",
    })
}

// ---------------------------------------------------------------------------------------------
// GetListBrandname/{ApiKey}/{SecretKey}

#[derive(Serialize)]
struct BrandnameEntry<'a> {
    #[serde(rename = "Brandname")]
    brandname: &'a str,
    #[serde(rename = "Type")]
    kind: u8,
}

#[derive(Serialize)]
struct BrandnamesBody<'a> {
    #[serde(rename = "CodeResponse")]
    code_response: &'a str,
    #[serde(rename = "ListBrandName")]
    list: Vec<BrandnameEntry<'a>>,
}

/// The brandname types of the list: advertising, customer care, Viber.
const BRANDNAME_TYPES: [u8; 3] = [1, 2, 23];

/// `GET GetListBrandname/{ApiKey}/{SecretKey}` (§3.8, D-Z39); `secrets` is the path after
/// `GetListBrandname/` (one trailing slash already stripped). Exactly two non-empty segments,
/// each percent-decoded on its own (so a key holding `/` arrives as `%2F` and stays one
/// segment), else 404 as for any path the service does not have; a segment that does not
/// decode to UTF-8 → Invalid request. 101 uses `CodeResult` where the success body has
/// `CodeResponse`, as the samples show. The account's brandnames are listed in configured
/// order, each under types 1, 2 and 23, since the emulator accepts every registered brandname
/// for all three (see `EsmsAccount::brandnames`).
pub(crate) fn brandnames(shared: &Shared, secrets: &str) -> Response {
    let segments: Vec<&str> = secrets.split('/').collect();
    let [api_key, secret_key] = segments.as_slice() else {
        return Response::text(404, "Endpoint not found.");
    };
    if api_key.is_empty() || secret_key.is_empty() {
        return Response::text(404, "Endpoint not found.");
    }
    let decode = |segment: &str| {
        percent_encoding::percent_decode_str(segment)
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|_| Invalid::new("a path segment is not UTF-8 once percent-decoded"))
    };
    let (api_key, secret_key) = match (decode(api_key), decode(secret_key)) {
        (Ok(k), Ok(s)) => (k, s),
        (Err(invalid), _) | (_, Err(invalid)) => return invalid_request(invalid),
    };
    let Some(account) = find_account(&shared.config.esms, &api_key, &secret_key) else {
        return query_error(Code::AuthorizeFailed);
    };
    let list = account
        .brandnames
        .iter()
        .flat_map(|b| {
            BRANDNAME_TYPES
                .iter()
                .map(move |&kind| BrandnameEntry { brandname: b, kind })
        })
        .collect();
    esms_json(&BrandnamesBody {
        code_response: "100",
        list,
    })
}
