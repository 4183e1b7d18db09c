//! eSMS personalised bulk ZNS (`Send_zns_bulk_v4_post_json/`, ZALO.md §2.6): one template from
//! one OA to up to 500 phones, each with its own positional values and its own `RequestId`,
//! answered per recipient (D-Z14, D-Z15).
//!
//! Every recipient's id is `<base>-<16 hex digits of SHA-256 over its E.164 number>` (the
//! campaign row id): it names the person, not the position, so a rerun of an edited or reordered
//! list is still de-duplicated per person. `base` is the message's request id (at most 33
//! characters) or `z-` and a digest of the content when it has none, so resending the same bulk
//! reproduces every id.

use serde::Serialize;

use super::errors::{decode_common, error_for_code, unexpected};
use super::{EsmsAccount, EsmsEndpoint, EsmsFormat, EsmsOptions};
use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse, Idempotency, RecipientKey};
use crate::ids::RequestId;
use crate::message::Message;
use crate::phone::{PhoneFormat, PhoneNumber};
use crate::receipt::{Receipt, RecipientReceipt, RecipientResult};
use crate::time::Timestamp;
use crate::wire;
use crate::zns::{check_params_in, ZnsBulk, ZNS_BULK_MAX_RECIPIENTS};

/// Hex digits of the phone digest in a recipient's id.
const RECIPIENT_HASH_LEN: usize = 16;
/// The longest base id: `<base>-<16 hex>` must fit eSMS's 50 characters.
pub const ZNS_BULK_REQUEST_ID_MAX_LEN: usize = RequestId::MAX_LEN - 1 - RECIPIENT_HASH_LEN;

/// The id a recipient of a bulk ZNS is sent with.
pub fn zns_bulk_recipient_id(base: &str, phone: &PhoneNumber) -> Result<RequestId> {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(phone.format(PhoneFormat::E164).as_bytes());
    let hex: String = digest
        .iter()
        .take(RECIPIENT_HASH_LEN / 2)
        .map(|b| format!("{b:02x}"))
        .collect();
    RequestId::new(format!("{base}-{hex}"))
}

/// The base of the recipients' ids of `msg` (see the module doc).
pub(crate) fn base_id(msg: &Message) -> Result<String> {
    match &msg.request_id {
        Some(id) if id.as_str().len() > ZNS_BULK_REQUEST_ID_MAX_LEN => Err(Error::invalid(
            "request_id",
            format!(
                "is {} characters; a bulk ZNS appends -<{RECIPIENT_HASH_LEN} hex digits> per recipient, so use at most {ZNS_BULK_REQUEST_ID_MAX_LEN}",
                id.as_str().len()
            ),
        )),
        Some(id) => Ok(id.as_str().to_owned()),
        None => Ok(format!("z-{}", crate::send::content_digest(msg))),
    }
}

pub(super) fn encode(
    account: &EsmsAccount,
    msg: &Message,
    bulk: &ZnsBulk,
    options: &EsmsOptions,
) -> Result<HttpRequest> {
    if options.format != EsmsFormat::Json {
        return Err(Error::invalid(
            "options.esms.format",
            "is the SMS body style; the ZNS endpoints are JSON only",
        ));
    }
    if options.zns_version.is_some() {
        return Err(Error::invalid(
            "options.esms.zns_version",
            "chooses a single-ZNS endpoint; a bulk ZNS has one endpoint",
        ));
    }
    let Some(oa_id) = &bulk.oa_id else {
        return Err(Error::invalid(
            "zns_bulk.oa_id",
            "eSMS needs the OA id (OAID) the template is registered for",
        ));
    };
    let n = msg.recipients.len();
    if n > ZNS_BULK_MAX_RECIPIENTS {
        return Err(Error::invalid(
            "recipients",
            format!("{n} were given and one bulk ZNS request carries at most {ZNS_BULK_MAX_RECIPIENTS} (eSMS code 687); send it with send_bulk (C: nhantin_client_send_bulk), which splits the list"),
        ));
    }
    if bulk.params.len() != n {
        return Err(Error::invalid(
            "zns_bulk.params",
            format!(
                "has {} lists for {n} recipients; give one list per recipient, in their order",
                bulk.params.len()
            ),
        ));
    }
    // One template: every list names the same parameters in the same order, since the endpoint
    // sends them by position only.
    let mut lists = Vec::with_capacity(n);
    for (i, params) in bulk.params.iter().enumerate() {
        let list = check_params_in(params.clone(), &format!("zns_bulk.params[{i}]"))?;
        if let Some(first) = lists.first() {
            let names = |l: &Vec<crate::zns::ZnsParam>| -> Vec<String> {
                l.iter().map(|p| p.name.clone()).collect()
            };
            if names(first) != names(&list) {
                return Err(Error::invalid(
                    format!("zns_bulk.params[{i}]"),
                    format!(
                        "names {:?}, and zns_bulk.params[0] names {:?}: one template takes the same parameters in the same order for everyone",
                        names(&list),
                        names(first)
                    ),
                ));
            }
        }
        lists.push(list);
    }
    super::zalo::check_campaign(options)?;
    if bulk.exceed_quota && msg.schedule.is_some() {
        return Err(Error::invalid(
            "zns_bulk.exceed_quota",
            "sending beyond the quota (SendingMode 3) cannot be scheduled",
        ));
    }
    let base = base_id(msg)?;
    let mut keys = Vec::with_capacity(n);
    for phone in &msg.recipients {
        keys.push(RecipientKey {
            phone: phone.format(PhoneFormat::National),
            request_id: zns_bulk_recipient_id(&base, phone)?,
        });
    }
    let items: Vec<Item> = keys
        .iter()
        .zip(&lists)
        .map(|(key, params)| Item {
            phone: &key.phone,
            request_id: key.request_id.as_str(),
            params: params.iter().map(|p| p.value.as_str()).collect(),
        })
        .collect();
    let body = BulkBody {
        api_key: account.api_key.expose(),
        secret_key: account.secret_key.expose(),
        campaign_id: options.campaign_id.as_deref(),
        oa_id: oa_id.as_str(),
        template_id: bulk.template_id.as_str(),
        // D-Z31: sent where a table lists it (the VI bulk table does), only when asked for.
        sandbox: msg.sandbox.then_some("1"),
        callback_url: msg.callback_url.as_ref().map(|u| u.as_str()),
        send_date: msg.schedule.map(Timestamp::to_vietnam_local),
        sending_mode: bulk.exceed_quota.then_some("3"),
        data: items,
    };
    // Every recipient carries its own id, which eSMS de-duplicates (D-Z29): a resend of these
    // exact bytes cannot send anyone twice. The base names the request as a whole.
    let idempotency = Idempotency::KeyedBy(RequestId::new(base)?);
    let mut request = account.json_request(EsmsEndpoint::SendZnsBulk, &body, idempotency);
    request.per_recipient = keys;
    Ok(request)
}

/// Field order follows the VI page's curl.
#[derive(Serialize)]
struct BulkBody<'a> {
    #[serde(rename = "ApiKey")]
    api_key: &'a str,
    #[serde(rename = "SecretKey")]
    secret_key: &'a str,
    #[serde(rename = "campaignid", skip_serializing_if = "Option::is_none")]
    campaign_id: Option<&'a str>,
    #[serde(rename = "OAID")]
    oa_id: &'a str,
    #[serde(rename = "TempID")]
    template_id: &'a str,
    #[serde(rename = "Sandbox", skip_serializing_if = "Option::is_none")]
    sandbox: Option<&'a str>,
    #[serde(rename = "CallbackUrl", skip_serializing_if = "Option::is_none")]
    callback_url: Option<&'a str>,
    #[serde(rename = "SendDate", skip_serializing_if = "Option::is_none")]
    send_date: Option<String>,
    #[serde(rename = "SendingMode", skip_serializing_if = "Option::is_none")]
    sending_mode: Option<&'a str>,
    #[serde(rename = "Data")]
    data: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Item<'a> {
    #[serde(rename = "Phone")]
    phone: &'a str,
    #[serde(rename = "RequestId")]
    request_id: &'a str,
    #[serde(rename = "Params")]
    params: Vec<&'a str>,
}

/// Decodes the answer to a bulk ZNS `request`. A top-level refusal (101, 687, 789, …) is the
/// request's error; a 100 gives a receipt with one [`RecipientReceipt`] per recipient.
///
/// D-Z15: results are matched to recipients by position and cross-checked by phone where the
/// result names one (the pages show the literal `{Phone}`, which is no phone). When the counts
/// differ or a phone disagrees, results are matched by phone alone, and a recipient no result
/// names is [`RecipientResult::Unknown`]: never assumed sent, never assumed refused.
/// `TotalSuccess`/`TotalFail` are not read: they only repeat what the results say.
pub fn decode_zns_bulk(request: &HttpRequest, response: &HttpResponse) -> Result<Receipt> {
    let map = decode_common(response, "CodeResult")?;
    let keys = &request.per_recipient;
    if keys.is_empty() {
        return Err(Error::invalid(
            "request",
            "is not a bulk ZNS request (its recipients are unknown)",
        ));
    }
    let details = map
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("detail"))
        .and_then(|(_, v)| v.as_array());
    let Some(details) = details else {
        // A 100 that names no recipient leaves every one of them unknown: not a success.
        return Err(unexpected(response));
    };
    let results: Vec<Detail> = details.iter().map(Detail::read).collect();
    let by_position = results.len() == keys.len()
        && results
            .iter()
            .zip(keys)
            .all(|(d, k)| d.phone.as_ref().is_none_or(|p| *p == k.phone));
    let recipients = keys
        .iter()
        .enumerate()
        .map(|(index, key)| {
            let found = if by_position {
                results.get(index)
            } else {
                let mut named = results
                    .iter()
                    .filter(|d| d.phone.as_deref() == Some(key.phone.as_str()));
                match (named.next(), named.next()) {
                    (Some(one), None) => Some(one),
                    _ => None,
                }
            };
            RecipientReceipt {
                index,
                request_id: Some(key.request_id.clone()),
                result: match found {
                    Some(detail) => detail.result(request),
                    None => RecipientResult::Unknown {
                        why: format!(
                            "the answer has {} results for {} recipients and none that is this recipient's",
                            results.len(),
                            keys.len()
                        ),
                    },
                },
            }
        })
        .collect();
    Ok(Receipt::esms_per_recipient(recipients))
}

/// One entry of `detail`.
struct Detail {
    code: Option<String>,
    sms_id: Option<String>,
    message: String,
    /// The phone it names, in national form, when it names a real one.
    phone: Option<String>,
}

impl Detail {
    fn read(value: &serde_json::Value) -> Detail {
        let get = |name: &str| {
            value.as_object().and_then(|o| {
                o.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v)
            })
        };
        Detail {
            code: wire::scalar_text(get("CodeResult")).map(|c| c.trim().to_owned()),
            sms_id: wire::scalar_text(get("SMSID")).filter(|s| !s.trim().is_empty()),
            message: wire::scalar_text(get("ErrorMessage")).unwrap_or_default(),
            phone: wire::scalar_text(get("Phone"))
                .and_then(|p| PhoneNumber::parse("phone", &p).ok())
                .map(|p| p.format(PhoneFormat::National)),
        }
    }

    fn result(&self, request: &HttpRequest) -> RecipientResult {
        match (self.code.as_deref(), &self.sms_id) {
            (Some("100"), Some(sms_id)) => RecipientResult::Accepted {
                sms_id: sms_id.clone(),
            },
            (Some("100"), None) | (None, _) => RecipientResult::Unknown {
                why: "its result has no code or no SMSID".to_owned(),
            },
            (Some(code), _) => {
                match error_for_code(code, request.redact_for_error(&self.message)) {
                    // Every recipient's id names the person and the bulk (its base), so "id
                    // already used" means a request with it reached eSMS before, the first
                    // attempt of a resend or a rerun of the same bulk: not sent again, and not
                    // to be read as "not sent" by a caller who would then use another channel.
                    Error::Rejected {
                        reason: crate::Rejection::DuplicateRequestId,
                        ..
                    } => RecipientResult::AlreadySubmitted,
                    Error::Rejected {
                        reason,
                        code,
                        message,
                        ..
                    } => RecipientResult::Refused {
                        reason,
                        code,
                        message,
                    },
                    Error::RateLimited { message, .. } => RecipientResult::Throttled { message },
                    other => RecipientResult::Unknown {
                        why: other.to_string(),
                    },
                }
            }
        }
    }
}
