//! eSMS lookups around ZNS, in one tagged value so that a new one is one variant, one encoder
//! arm and one decoder: the templates of an OA (`GetTemplate/`), one template's details
//! (`GetZnsTemplateInfo`), the OAs of the account (`ZNS/GetListZOA/`), an OA's daily quota
//! (`ZNS/GetQuota/`), the Zalo status of a sent ZNS by its SMSID (`QueryZnsStatus/`) or by
//! Zalo's message id (`GetZaloMessageStatus`), and the registered brandnames
//! (`GetListBrandname/{ApiKey}/{SecretKey}`). ZALO.md §3.1–§3.8, D-Z32–D-Z39. All read-only.
//!
//! Fields are plain text so the bindings take them as they are; each is checked when encoded.

use serde::Serialize;

use super::errors::{decode_common, unexpected};
use super::zalo_query::{decode_zns_templates, ZnsTemplate, ZnsTemplateKind};
use super::{EsmsAccount, EsmsEndpoint, SmsId};
use crate::error::{Error, Provider, Rejection, Result};
use crate::http::{HttpRequest, HttpResponse, Idempotency, Method};
use crate::wire;
use crate::zns::{OaId, ZnsTemplateId};

/// A lookup; [`EsmsAccount::encode_lookup`] makes its request, [`decode_lookup`] reads the answer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum EsmsLookup {
    /// The ZNS templates of an OA, with their parameters in order.
    ZnsTemplates {
        /// The OA.
        oa_id: String,
        /// Priority (24) or normal (25) templates.
        kind: ZnsTemplateKind,
    },
    /// One template's details: status, tag, quality, quotas, parameter rules, buttons.
    ZnsTemplateInfo {
        /// The OA.
        oa_id: String,
        /// The template.
        template_id: String,
    },
    /// The Zalo OAs attached to the account.
    ZaloOas,
    /// An OA's daily ZNS quota.
    ZnsQuota {
        /// The OA.
        oa_id: String,
    },
    /// What Zalo did with a ZNS, by the SMSID its send returned (D-Z34: the first choice).
    ZnsStatus {
        /// The SMSID.
        sms_id: String,
        /// The template kind it was sent as (24 or 25).
        kind: ZnsTemplateKind,
    },
    /// Whether a ZNS reached the handset, by Zalo's message id (a report's `partnerids`).
    ZaloMessageStatus {
        /// The OA.
        oa_id: String,
        /// Zalo's message id.
        message_id: String,
    },
    /// The brandnames registered on the account (a multi-channel or generated-code SMS needs one).
    Brandnames,
}

impl EsmsLookup {
    /// Reads the JSON form, `{"zns_quota": {"oa_id": "…"}}` or `"zalo_oas"`; any other shape
    /// is invalid input (field `lookup`).
    pub fn from_json(json: &str) -> Result<Self> {
        serde_json::from_str(json.trim_start_matches('\u{feff}'))
            .map_err(|e| Error::invalid("lookup", wire::json_error_reason(&e)))
    }
}

/// What a lookup found. The JSON form is one key, the lookup's, holding the value:
/// `{"zns_quota": {"daily": 500, "remaining": 498}}`, `{"zalo_oas": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EsmsLookupAnswer {
    /// [`EsmsLookup::ZnsTemplates`].
    ZnsTemplates {
        /// The templates.
        templates: Vec<ZnsTemplate>,
    },
    /// [`EsmsLookup::ZnsTemplateInfo`].
    ZnsTemplateInfo {
        /// The details.
        info: ZnsTemplateInfo,
    },
    /// [`EsmsLookup::ZaloOas`].
    ZaloOas {
        /// The OAs.
        oas: Vec<ZaloOa>,
    },
    /// [`EsmsLookup::ZnsQuota`].
    ZnsQuota {
        /// The quota.
        quota: ZnsQuota,
    },
    /// [`EsmsLookup::ZnsStatus`].
    ZnsStatus {
        /// The status.
        status: ZnsStatus,
    },
    /// [`EsmsLookup::ZaloMessageStatus`].
    ZaloMessageStatus {
        /// The status.
        status: ZaloMessageStatus,
    },
    /// [`EsmsLookup::Brandnames`].
    Brandnames {
        /// The brandnames.
        brandnames: Vec<Brandname>,
    },
}

impl serde::Serialize for EsmsLookupAnswer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(1))?;
        match self {
            EsmsLookupAnswer::ZnsTemplates { templates } => {
                m.serialize_entry("zns_templates", templates)?
            }
            EsmsLookupAnswer::ZnsTemplateInfo { info } => {
                m.serialize_entry("zns_template_info", info)?
            }
            EsmsLookupAnswer::ZaloOas { oas } => m.serialize_entry("zalo_oas", oas)?,
            EsmsLookupAnswer::ZnsQuota { quota } => m.serialize_entry("zns_quota", quota)?,
            EsmsLookupAnswer::ZnsStatus { status } => m.serialize_entry("zns_status", status)?,
            EsmsLookupAnswer::ZaloMessageStatus { status } => {
                m.serialize_entry("zalo_message_status", status)?
            }
            EsmsLookupAnswer::Brandnames { brandnames } => {
                m.serialize_entry("brandnames", brandnames)?
            }
        }
        m.end()
    }
}

/// One template's details (`GetZnsTemplateInfo`). Status, tag and quality are kept as eSMS
/// writes them: the pages list different sets (D-Z38).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ZnsTemplateInfo {
    /// `TemplateId`, as text.
    pub id: String,
    /// `TemplateName`.
    pub name: Option<String>,
    /// `Status`: `ENABLE`, `PENDING_REVIEW`, `REJECT`, `DISABLE`, `DELETE`, …
    pub status: Option<String>,
    /// `Reason` (why it was rejected or disabled).
    pub reason: Option<String>,
    /// `TemplateTag`: `OTP`, `TRANSACTION`, `CUSTOMER_CARE`, `PROMOTION`, …
    pub tag: Option<String>,
    /// `TemplateQuality` over the last 48 hours; `None` for JSON null and the string `"null"`.
    pub quality: Option<String>,
    /// `Timeout`, as eSMS gives it (the pages state no unit; milliseconds by the samples).
    pub timeout: Option<i64>,
    /// `PreviewUrl`.
    pub preview_url: Option<String>,
    /// `ApplyTemplateQuota`.
    pub applies_template_quota: Option<bool>,
    /// `TemplateDailyQuota` (only where the template quota applies).
    pub daily_quota: Option<i64>,
    /// `TemplateRemainingQuota`.
    pub remaining_quota: Option<i64>,
    /// `ListParams`, in eSMS's order.
    pub params: Vec<ZnsTemplateInfoParam>,
    /// `ListButtons`.
    pub buttons: Vec<ZnsTemplateButton>,
}

/// A parameter of [`ZnsTemplateInfo`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ZnsTemplateInfoParam {
    /// `Name`.
    pub name: String,
    /// `Type` (`STRING`, …).
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

/// A button of [`ZnsTemplateInfo`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ZnsTemplateButton {
    /// `Title`.
    pub title: Option<String>,
    /// `Content`: a URL or a phone number.
    pub content: Option<String>,
    /// `Type`, 1 to 8 (business page, call, OA page, Mini App, app download, product, other
    /// web, other app).
    pub kind: Option<i64>,
}

/// A Zalo OA attached to the account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ZaloOa {
    /// `OAID`.
    pub id: String,
    /// `OAName`.
    pub name: Option<String>,
}

/// An OA's daily ZNS quota.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ZnsQuota {
    /// `DailyQuota`.
    pub daily: Option<i64>,
    /// `RemainingQuota`.
    pub remaining: Option<i64>,
}

/// Where a ZNS is, by `QueryZnsStatus` (D-Z34).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZnsState {
    /// `ErrorInfo` null: not sent to Zalo yet.
    Pending,
    /// `ErrorInfo` `"0"`: Zalo took it.
    Sent,
    /// Any other `ErrorInfo`: Zalo's error code (`1001`: the user was not online in time).
    Failed,
}

/// The answer of `QueryZnsStatus`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ZnsStatus {
    /// `SMSID`.
    pub sms_id: Option<String>,
    /// From `ErrorInfo`.
    pub state: ZnsState,
    /// `ErrorInfo` when [`ZnsState::Failed`]: Zalo's code.
    pub zalo_error: Option<String>,
    /// `FinalStatus`: whether this state will not change.
    pub is_final: Option<bool>,
    /// `ZaloMsgId`: Zalo's id, for [`EsmsLookup::ZaloMessageStatus`].
    pub zalo_message_id: Option<String>,
    /// `SendStatus` (1 pending approval, 2 queued, 5 done).
    pub send_status: Option<i64>,
    /// `SendSuccess`.
    pub send_success: Option<i64>,
    /// `SendFailed`.
    pub send_failed: Option<i64>,
    /// `TotalPrice`, VND.
    pub total_price: Option<f64>,
}

impl Eq for ZnsStatus {}

/// Whether a ZNS reached the handset, by `GetZaloMessageStatus` (D-Z33).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZaloDelivery {
    /// `status` −1: Zalo has no such message.
    NotFound,
    /// `status` 0: pushed to Zalo, not yet on the phone.
    Pushed,
    /// `status` 1: on the phone.
    Delivered,
    /// A `status` the pages do not list (kept in `status`).
    Undocumented,
}

/// The answer of `GetZaloMessageStatus`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ZaloMessageStatus {
    /// From `status`.
    pub delivery: ZaloDelivery,
    /// `status`, as sent.
    pub status: Option<i64>,
    /// `message`: Zalo's words.
    pub message: Option<String>,
    /// `delivery_time`, ms since the Unix epoch (text or number on the wire).
    pub delivery_time_ms: Option<i64>,
}

/// A registered brandname.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Brandname {
    /// `Brandname`.
    pub name: String,
    /// `Type`: 1 advertising, 2 customer care, 23 Viber.
    pub sms_type: Option<i64>,
}

#[derive(Serialize)]
struct OaBody<'a> {
    #[serde(rename = "ApiKey")]
    api_key: &'a str,
    #[serde(rename = "SecretKey")]
    secret_key: &'a str,
    #[serde(rename = "OAID", skip_serializing_if = "Option::is_none")]
    oa_id: Option<&'a str>,
    #[serde(rename = "SmsId", skip_serializing_if = "Option::is_none")]
    sms_id: Option<&'a str>,
    #[serde(rename = "SmsType", skip_serializing_if = "Option::is_none")]
    sms_type: Option<&'a str>,
    #[serde(rename = "MessageId", skip_serializing_if = "Option::is_none")]
    message_id: Option<&'a str>,
}

fn sms_type(kind: ZnsTemplateKind) -> &'static str {
    match kind {
        ZnsTemplateKind::Priority => "24",
        ZnsTemplateKind::Normal => "25",
    }
}

/// Zalo's message ids are short hex; anything else is refused before it reaches a body.
fn zalo_message_id(value: &str) -> Result<&str> {
    if value.is_empty() || value.len() > 64 || !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::invalid(
            "message_id",
            "must be 1 to 64 letters and digits (Zalo's message id, a report's partnerids)",
        ));
    }
    Ok(value)
}

impl EsmsAccount {
    /// Encodes a lookup. Every lookup is read-only: resending it is always safe.
    pub fn encode_lookup(&self, lookup: &EsmsLookup) -> Result<HttpRequest> {
        fn keys<'a>(account: &'a EsmsAccount, oa_id: Option<&'a str>) -> OaBody<'a> {
            OaBody {
                api_key: account.api_key.expose(),
                secret_key: account.secret_key.expose(),
                oa_id,
                sms_id: None,
                sms_type: None,
                message_id: None,
            }
        }
        let oa = |id: &str| OaId::new(id).map_err(|e| e.prefixed_from("zns.oa_id", "oa_id"));
        Ok(match lookup {
            EsmsLookup::ZnsTemplates { oa_id, kind } => {
                self.encode_zns_templates(&oa(oa_id)?, *kind)
            }
            EsmsLookup::ZnsTemplateInfo { oa_id, template_id } => {
                let oa_id = oa(oa_id)?;
                let template_id = ZnsTemplateId::new(template_id.as_str())
                    .map_err(|e| e.prefixed_from("zns.template_id", "template_id"))?;
                // The page's order: TemplateId, ApiKey, SecretKey, OAId (D-Z6's casing).
                let query = wire::query_string(&[
                    ("TemplateId", template_id.as_str()),
                    ("ApiKey", self.api_key.expose()),
                    ("SecretKey", self.secret_key.expose()),
                    ("OAId", oa_id.as_str()),
                ]);
                self.request(
                    Method::Get,
                    EsmsEndpoint::GetZnsTemplateInfo,
                    Some(query),
                    Idempotency::ReadOnly,
                )
            }
            EsmsLookup::ZaloOas => self.json_request(
                EsmsEndpoint::GetZaloOas,
                &keys(self, None),
                Idempotency::ReadOnly,
            ),
            EsmsLookup::ZnsQuota { oa_id } => {
                let oa_id = oa(oa_id)?;
                self.json_request(
                    EsmsEndpoint::GetZnsQuota,
                    &keys(self, Some(oa_id.as_str())),
                    Idempotency::ReadOnly,
                )
            }
            EsmsLookup::ZnsStatus { sms_id, kind } => {
                let sms_id = SmsId::new(sms_id.as_str())?;
                let body = OaBody {
                    sms_id: Some(sms_id.as_str()),
                    sms_type: Some(sms_type(*kind)),
                    ..keys(self, None)
                };
                self.json_request(EsmsEndpoint::GetZnsStatus, &body, Idempotency::ReadOnly)
            }
            EsmsLookup::ZaloMessageStatus { oa_id, message_id } => {
                let oa_id = oa(oa_id)?;
                let body = OaBody {
                    message_id: Some(zalo_message_id(message_id)?),
                    ..keys(self, Some(oa_id.as_str()))
                };
                self.json_request(
                    EsmsEndpoint::GetZaloMessageStatus,
                    &body,
                    Idempotency::ReadOnly,
                )
            }
            EsmsLookup::Brandnames => {
                // D-Z39: the keys are path segments, each percent-encoded whole.
                let url = format!(
                    "{}{}/{}",
                    self.base_url.join(EsmsEndpoint::GetBrandnames.path()),
                    wire::query_encode(self.api_key.expose()),
                    wire::query_encode(self.secret_key.expose())
                );
                HttpRequest::new(Method::Get, url, Idempotency::ReadOnly)
                    .secret(self.api_key.expose())
                    .secret(self.secret_key.expose())
            }
        })
    }
}

/// Decodes the answer to `lookup`.
pub fn decode_lookup(lookup: &EsmsLookup, response: &HttpResponse) -> Result<EsmsLookupAnswer> {
    (lookup.decoder())(response)
}

impl EsmsLookup {
    /// The decoder of this lookup's answer, as a plain function (a query machine holds one).
    pub fn decoder(&self) -> fn(&HttpResponse) -> Result<EsmsLookupAnswer> {
        match self {
            EsmsLookup::ZnsTemplates { .. } => |r| {
                Ok(EsmsLookupAnswer::ZnsTemplates {
                    templates: decode_zns_templates(r)?,
                })
            },
            EsmsLookup::ZnsTemplateInfo { .. } => |r| {
                Ok(EsmsLookupAnswer::ZnsTemplateInfo {
                    info: decode_template_info(r)?,
                })
            },
            EsmsLookup::ZaloOas => decode_oas,
            EsmsLookup::ZnsQuota { .. } => decode_quota,
            EsmsLookup::ZnsStatus { .. } => decode_zns_status,
            EsmsLookup::ZaloMessageStatus { .. } => decode_message_status,
            EsmsLookup::Brandnames => decode_brandnames,
        }
    }
}

fn decode_oas(response: &HttpResponse) -> Result<EsmsLookupAnswer> {
    let map = decode_common(response, "CodeResult")?;
    let rows = wire::get_ci(&map, "ZOAList")
        .and_then(|v| v.as_array())
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let row = row.as_object().ok_or_else(|| unexpected(response))?;
        out.push(ZaloOa {
            id: wire::scalar_text(wire::get_ci(row, "OAID")).ok_or_else(|| unexpected(response))?,
            name: wire::scalar_text(wire::get_ci(row, "OAName")),
        });
    }
    Ok(EsmsLookupAnswer::ZaloOas { oas: out })
}

fn decode_quota(response: &HttpResponse) -> Result<EsmsLookupAnswer> {
    let map = decode_common(response, "CodeResult")?;
    Ok(EsmsLookupAnswer::ZnsQuota {
        quota: ZnsQuota {
            daily: wire::scalar_i64(wire::get_ci(&map, "DailyQuota")),
            remaining: wire::scalar_i64(wire::get_ci(&map, "RemainingQuota")),
        },
    })
}

fn decode_zns_status(response: &HttpResponse) -> Result<EsmsLookupAnswer> {
    let map = decode_common(response, "CodeResult")?;
    let data = wire::get_ci(&map, "Data")
        .and_then(|d| d.as_object())
        .ok_or_else(|| unexpected(response))?;
    let error_info = wire::scalar_text(wire::get_ci(data, "ErrorInfo"))
        .map(|e| e.trim().to_owned())
        .filter(|e| !e.is_empty() && !e.eq_ignore_ascii_case("null"));
    let (state, zalo_error) = match error_info {
        None => (ZnsState::Pending, None),
        Some(code) if code == "0" => (ZnsState::Sent, None),
        Some(code) => (ZnsState::Failed, Some(code)),
    };
    Ok(EsmsLookupAnswer::ZnsStatus {
        status: ZnsStatus {
            sms_id: wire::scalar_text(wire::get_ci(data, "SMSID")),
            state,
            zalo_error,
            is_final: wire::scalar_i64(wire::get_ci(data, "FinalStatus")).map(|f| f == 1),
            zalo_message_id: wire::scalar_text(wire::get_ci(data, "ZaloMsgId"))
                .filter(|s| !s.is_empty()),
            send_status: wire::scalar_i64(wire::get_ci(data, "SendStatus")),
            send_success: wire::scalar_i64(wire::get_ci(data, "SendSuccess")),
            send_failed: wire::scalar_i64(wire::get_ci(data, "SendFailed")),
            total_price: wire::scalar_f64(wire::get_ci(data, "TotalPrice")),
        },
    })
}

fn decode_message_status(response: &HttpResponse) -> Result<EsmsLookupAnswer> {
    let map = decode_common(response, "CodeResult")?;
    let data = wire::get_ci(&map, "Data")
        .and_then(|d| d.as_object())
        .ok_or_else(|| unexpected(response))?;
    let status = wire::scalar_i64(wire::get_ci(data, "status"));
    Ok(EsmsLookupAnswer::ZaloMessageStatus {
        status: ZaloMessageStatus {
            delivery: match status {
                Some(-1) => ZaloDelivery::NotFound,
                Some(0) => ZaloDelivery::Pushed,
                Some(1) => ZaloDelivery::Delivered,
                _ => ZaloDelivery::Undocumented,
            },
            status,
            message: wire::scalar_text(wire::get_ci(data, "message")),
            delivery_time_ms: wire::scalar_i64(wire::get_ci(data, "delivery_time")),
        },
    })
}

fn decode_brandnames(response: &HttpResponse) -> Result<EsmsLookupAnswer> {
    // D-Z39: success under `CodeResponse`, the 101 under `CodeResult`.
    let map = decode_common(response, "CodeResponse")?;
    let rows = wire::get_ci(&map, "ListBrandName")
        .and_then(|v| v.as_array())
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let row = row.as_object().ok_or_else(|| unexpected(response))?;
        out.push(Brandname {
            name: wire::scalar_text(wire::get_ci(row, "Brandname"))
                .ok_or_else(|| unexpected(response))?,
            sms_type: wire::scalar_i64(wire::get_ci(row, "Type")),
        });
    }
    Ok(EsmsLookupAnswer::Brandnames { brandnames: out })
}

/// `GetZnsTemplateInfo` has its own envelope: `{"Data":{…},"Error":0,"Message":"Success"}`.
fn decode_template_info(response: &HttpResponse) -> Result<ZnsTemplateInfo> {
    let Some(map) = wire::json_object(&response.body) else {
        return Err(decode_common(response, "CodeResult")
            .err()
            .unwrap_or_else(|| unexpected(response)));
    };
    match wire::scalar_i64(wire::get_ci(&map, "Error")) {
        Some(0) => {}
        Some(code) => {
            let code = code.to_string();
            let message = wire::provider_text(
                wire::scalar_text(wire::get_ci(&map, "Message")).unwrap_or_default(),
            );
            // No page lists this envelope's error codes; the send table's meaning is not theirs.
            return Err(Error::Rejected {
                provider: Provider::Esms,
                reason: Rejection::Other,
                code: Some(code),
                message,
            });
        }
        // A key failure may come back in the common envelope.
        None => {
            decode_common(response, "CodeResult")?;
            return Err(unexpected(response));
        }
    }
    let data = wire::get_ci(&map, "Data")
        .and_then(|d| d.as_object())
        .ok_or_else(|| unexpected(response))?;
    let text = |name: &str| {
        wire::scalar_text(wire::get_ci(data, name))
            .filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("null"))
    };
    let list = |name: &str| {
        wire::get_ci(data, name)
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|x| x.as_object()).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    Ok(ZnsTemplateInfo {
        id: text("TemplateId").ok_or_else(|| unexpected(response))?,
        name: text("TemplateName"),
        status: text("Status"),
        reason: text("Reason"),
        tag: text("TemplateTag"),
        quality: text("TemplateQuality"),
        timeout: wire::scalar_i64(wire::get_ci(data, "Timeout")),
        preview_url: text("PreviewUrl"),
        applies_template_quota: wire::scalar_bool(wire::get_ci(data, "ApplyTemplateQuota")),
        daily_quota: wire::scalar_i64(wire::get_ci(data, "TemplateDailyQuota")),
        remaining_quota: wire::scalar_i64(wire::get_ci(data, "TemplateRemainingQuota")),
        params: list("ListParams")
            .into_iter()
            .filter_map(|p| {
                Some(ZnsTemplateInfoParam {
                    name: wire::scalar_text(wire::get_ci(p, "Name"))?,
                    kind: wire::scalar_text(wire::get_ci(p, "Type")),
                    max_length: wire::scalar_i64(wire::get_ci(p, "MaxLength")),
                    min_length: wire::scalar_i64(wire::get_ci(p, "MinLength")),
                    required: wire::scalar_bool(wire::get_ci(p, "Require")),
                    accepts_null: wire::scalar_bool(wire::get_ci(p, "AcceptNull")),
                })
            })
            .collect(),
        buttons: list("ListButtons")
            .into_iter()
            .map(|b| ZnsTemplateButton {
                title: wire::scalar_text(wire::get_ci(b, "Title")),
                content: wire::scalar_text(wire::get_ci(b, "Content")),
                kind: wire::scalar_i64(wire::get_ci(b, "Type")),
            })
            .collect(),
    })
}
