//! eSMS bulk personalised ZNS (Zalo digest §2.6, D-Z14, D-Z15, §9.3):
//! `POST Send_zns_bulk_v4_post_json/`, one template of one OA sent to up to 500 phones, each
//! `Data` item with its own positional `Params` and `RequestId`.
//!
//! # Checks, in order (the first request-level failure answers)
//!
//! 1. framing → `{"error":"Invalid request"}`: `Content-Type: application/json`; a JSON object
//!    with no member outside `ApiKey, SecretKey, campaignid, OAID, TempID, Sandbox, SendDate,
//!    CallbackUrl, SendingMode, Data` (the Vietnamese table lists them all; the English one
//!    leaves out `campaignid` and `Sandbox`, which both curls send); `Data` a JSON array of
//!    objects with no member outside `Phone, RequestId, Params`; every scalar a JSON string,
//!    `Params` an array of strings; the top-level members checked as on the single sends
//!    (`Sandbox`, `SendingMode`, `campaignid`, `SendDate`, `CallbackUrl`, see `zalo.rs`) and
//!    each item's `RequestId` at most 50 characters. A value of the wrong JSON type is a body
//!    the server cannot bind, hence Invalid request; a member that is missing is not, hence
//!    110 below;
//! 2. credentials → 101;
//! 3. `Data` absent or empty → 110 (the table's "request data incorrect", which it scopes to
//!    this API);
//! 4. more than 500 items → 687;
//! 5. an item without `Phone` or without `Params` → 110;
//! 6. the OA and template exactly as a single send (`zalo.rs` steps 3–5): 791, 204, 799, 789;
//!    a journey template → 790 (journey ZNS go through `SendZaloMessage_V4_post_json/` with
//!    `IsJourney`);
//! 7. `SendingMode` 3 with a `SendDate` → 801, on an OA not whitelisted → 802. These are about
//!    the whole request, so they are answered before any item is looked at and no
//!    `RequestId` is used up;
//! 8. each item, as a single send would check it (`zalo.rs` steps 6–7): its `Params` against
//!    the template → 790 for that item; its `Phone` not national `0` + 9 digits → 108 for
//!    that item;
//! 9. balance below the template's price × the items that passed step 8 (sandbox is free) →
//!    103 for the whole request, nothing sent;
//! 10. each remaining item's `RequestId` already used by the account within 24 h (SMS and ZNS
//!     sends share the register; an earlier item of the same request counts) → 124 for that
//!     item;
//! 11. every other item is accepted exactly like a single ZNS to a phone: its own SMSID, its
//!     own record (`endpoint` `"Send_zns_bulk_v4_post_json"`, `request_id` the item's,
//!     `callback_url`/`campaign_id`/`schedule`/`sandbox` the request's), its own Zalo outcome
//!     (a phone without Zalo is accepted and its report fails, as a single send's would), its
//!     own charge, quota count and delivery report (TypeId 25, `error_info` form 1) to the
//!     request's `CallbackUrl`.
//!
//! Request-level refusals use the single-send envelope (`{"CodeResult":…,"CountRegenerate":0,
//! "ErrorMessage":…}`), as the pages' 101 and 789 samples do.
//!
//! # The answer
//!
//! `{"CodeResult":"100","Message":"Sucess","TotalFail":M,"TotalSuccess":N,"detail":[…]}`,
//! the Vietnamese sample's members in its order (the misspelt `Sucess` is the pages' own;
//! the totals are JSON numbers as in both samples), with one `detail` entry per item in item
//! order: `{"CodeResult":"100","Phone":…,"SMSID":…}` or
//! `{"CodeResult":"108"|"790"|"124","Phone":…,"ErrorMessage":…}`. The 108 text follows the
//! sample's pattern with the item's phone in it; the others are `esms::Code`'s texts.
//!
//! `Phone` is the item's phone **as sent**, where both samples show the literal placeholder
//! `"{Phone}"`: a placeholder tells a client nothing, the real server plausibly fills it in,
//! and echoing the phone lets a client cross-check the entry it matched by index (D-Z15).
//!
//! Which entries are listed is the setting [`crate::ZnsBulkDetail`] (`all` by default; the
//! English sample has fewer entries than items).

use serde::Serialize;
use serde_json::Value;

use crate::config::ZnsBulkDetail;
use crate::esms::{esms_json, find_account, invalid_request, require_media_type, Answer, Code};
use crate::http::{Request, Response};
use crate::multichannel::only_members;
use crate::records::{Endpoint, ZnsParam, ZnsRecipient};
use crate::shared::Shared;
use crate::wire::{is_national_phone, Fields, Invalid};
use crate::zalo::{self, Params, ZnsCommit};

/// Top-level members (the Vietnamese table; both curls).
const MEMBERS: &[&str] = &[
    "ApiKey",
    "SecretKey",
    "campaignid",
    "OAID",
    "TempID",
    "Sandbox",
    "SendDate",
    "CallbackUrl",
    "SendingMode",
    "Data",
];
/// Members of one `Data` item.
const ITEM_MEMBERS: &[&str] = &["Phone", "RequestId", "Params"];
/// Most items in one request (both pages; 687 beyond).
const MAX_ITEMS: usize = 500;

/// Handles `POST Send_zns_bulk_v4_post_json/` (the method is already checked).
pub(crate) fn handle(shared: &Shared, req: &Request) -> Response {
    match parse(req) {
        Ok(send) => accept(shared, send),
        Err(invalid) => invalid_request(invalid),
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing

struct Item {
    /// `None` when absent (110); may be empty (108).
    phone: Option<String>,
    request_id: Option<String>,
    /// `None` when absent (110).
    params: Option<Vec<String>>,
}

struct BulkSend {
    api_key: String,
    secret_key: String,
    oa_id: Option<String>,
    temp_id: Option<String>,
    /// `None` when `Data` is absent or `null`.
    items: Option<Vec<Item>>,
    send_date: Option<String>,
    campaign_id: Option<String>,
    callback_url: Option<String>,
    sandbox: bool,
    sending_mode: Option<String>,
}

fn parse(req: &Request) -> Result<BulkSend, Invalid> {
    require_media_type(req, "application/json")?;
    let map = Fields::parse(&req.body)?;
    only_members(&map, MEMBERS, "Send_zns_bulk_v4_post_json")?;
    let f = Fields::new(&map);
    let items = match f.get("Data") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| parse_item(i, item))
                .collect::<Result<Vec<Item>, Invalid>>()?,
        ),
        Some(_) => return Err(Invalid::new("Data must be a JSON array")),
    };
    Ok(BulkSend {
        api_key: f.required_str("ApiKey")?,
        secret_key: f.required_str("SecretKey")?,
        oa_id: f.optional_str("OAID")?,
        temp_id: f.optional_str("TempID")?,
        items,
        sandbox: zalo::parse_sandbox(&f)?,
        sending_mode: zalo::parse_sending_mode(&f)?,
        campaign_id: zalo::parse_campaign_id(&f)?,
        send_date: zalo::parse_send_date(&f)?,
        callback_url: zalo::parse_callback_url(&f)?,
    })
}

fn parse_item(index: usize, item: &Value) -> Result<Item, Invalid> {
    let in_item = |invalid: Invalid| Invalid(format!("Data[{index}]: {}", invalid.0));
    let Value::Object(map) = item else {
        return Err(in_item(Invalid::new("not a JSON object")));
    };
    only_members(map, ITEM_MEMBERS, "a Send_zns_bulk_v4_post_json item").map_err(in_item)?;
    let f = Fields::new(map);
    let phone = match f.get("Phone") {
        None | Some(Value::Null) => None,
        Some(Value::String(phone)) => Some(phone.clone()),
        Some(_) => return Err(in_item(Invalid::new("Phone must be a JSON string"))),
    };
    let params = match f.get("Params") {
        None | Some(Value::Null) => None,
        Some(_) => Some(f.string_array("Params").map_err(in_item)?),
    };
    Ok(Item {
        phone,
        request_id: zalo::parse_request_id(&f).map_err(in_item)?,
        params,
    })
}

// ---------------------------------------------------------------------------------------------
// Accepting

/// What became of one item.
enum Outcome {
    Accepted(String),
    Refused(Code),
}

/// One `detail` entry, members in the samples' order.
#[derive(Serialize)]
struct Entry<'a> {
    #[serde(rename = "CodeResult")]
    code_result: &'a str,
    #[serde(rename = "Phone")]
    phone: &'a str,
    #[serde(rename = "SMSID", skip_serializing_if = "Option::is_none")]
    sms_id: Option<&'a str>,
    #[serde(rename = "ErrorMessage", skip_serializing_if = "Option::is_none")]
    error_message: Option<String>,
}

#[derive(Serialize)]
struct BulkBody<'a> {
    #[serde(rename = "CodeResult")]
    code_result: &'a str,
    #[serde(rename = "Message")]
    message: &'a str,
    #[serde(rename = "TotalFail", skip_serializing_if = "Option::is_none")]
    total_fail: Option<usize>,
    #[serde(rename = "TotalSuccess")]
    total_success: usize,
    detail: Vec<Entry<'a>>,
}

fn rejected(code: Code) -> Response {
    Answer::Rejected(code).into_response()
}

fn accept(shared: &Shared, send: BulkSend) -> Response {
    let config = &shared.config;
    let Some(account) = find_account(&config.esms, &send.api_key, &send.secret_key) else {
        return rejected(Code::AuthorizeFailed);
    };
    let items = match send.items {
        Some(items) if !items.is_empty() => items,
        _ => return rejected(Code::RequestDataIncorrect),
    };
    if items.len() > MAX_ITEMS {
        return rejected(Code::TooManyItems);
    }
    if items
        .iter()
        .any(|item| item.phone.is_none() || item.params.is_none())
    {
        return rejected(Code::RequestDataIncorrect);
    }
    let (oa, template) = match zalo::resolve_oa_template(
        &config.zalo,
        account,
        send.oa_id.as_deref(),
        send.temp_id.as_deref(),
    ) {
        Ok(resolved) => resolved,
        Err(code) => return rejected(code),
    };
    if template.journey {
        return rejected(Code::TemplateMismatch);
    }
    if send.sending_mode.as_deref() == Some("3") {
        if send.send_date.is_some() {
            return rejected(Code::Mode3Scheduled);
        }
        if !oa.sending_mode3_allowed {
            return rejected(Code::Mode3NotAllowed);
        }
    }

    // Step 8: what a single send would refuse before touching any state.
    let checked: Vec<Result<Vec<ZnsParam>, Code>> = items
        .iter()
        .map(|item| {
            let params = zalo::check_params(
                template,
                Params::Positional(item.params.clone().unwrap_or_default()),
            )?;
            if item.phone.as_deref().is_some_and(is_national_phone) {
                Ok(params)
            } else {
                Err(Code::PhoneInvalid)
            }
        })
        .collect();
    let passing = checked.iter().filter(|c| c.is_ok()).count() as u64;
    let price = if send.sandbox {
        0
    } else {
        template.price.saturating_mul(passing)
    };

    let now = shared.clock.now();
    let mut state = shared.lock();
    let balance = state
        .esms
        .balances
        .get(&account.api_key)
        .copied()
        .unwrap_or_default();
    if balance < price {
        return rejected(Code::BalanceTooLow);
    }
    let mut outcomes = Vec::with_capacity(items.len());
    let mut jobs = Vec::new();
    for (item, checked) in items.iter().zip(checked) {
        let params = match checked {
            Ok(params) => params,
            Err(code) => {
                outcomes.push(Outcome::Refused(code));
                continue;
            }
        };
        if let Some(id) = &item.request_id {
            if !state.esms.claim_request_id(&account.api_key, id, now) {
                outcomes.push(Outcome::Refused(Code::DuplicateRequestId));
                continue;
            }
        }
        let phone = item.phone.clone().unwrap_or_default();
        let (sms_id, job) = zalo::commit(
            shared,
            &mut state,
            ZnsCommit {
                endpoint: Endpoint::EsmsZnsBulk,
                account,
                oa,
                template,
                params,
                recipient: ZnsRecipient::Phone {
                    phone: phone.clone(),
                },
                zalo_key: phone,
                journey_order_id: None,
                sending_mode: send.sending_mode.clone(),
                sandbox: send.sandbox,
                schedule: send.send_date.clone(),
                request_id: item.request_id.clone(),
                callback_url: send.callback_url.clone(),
                campaign_id: send.campaign_id.clone(),
            },
            now,
        );
        outcomes.push(Outcome::Accepted(sms_id));
        jobs.extend(job);
    }
    let listing = state.esms.zns_bulk_detail;
    drop(state);
    for job in jobs {
        shared.schedule_report(job);
    }
    answer(&items, &outcomes, listing)
}

fn answer(items: &[Item], outcomes: &[Outcome], listing: ZnsBulkDetail) -> Response {
    let total_success = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Accepted(_)))
        .count();
    let total_fail = outcomes.len() - total_success;
    let mut detail: Vec<Entry<'_>> = items
        .iter()
        .zip(outcomes)
        .filter(|(_, outcome)| {
            listing != ZnsBulkDetail::SuccessesOnly || matches!(outcome, Outcome::Accepted(_))
        })
        .map(|(item, outcome)| {
            let phone = item.phone.as_deref().unwrap_or_default();
            match outcome {
                Outcome::Accepted(sms_id) => Entry {
                    code_result: "100",
                    phone,
                    sms_id: Some(sms_id),
                    error_message: None,
                },
                Outcome::Refused(code) => Entry {
                    code_result: code.wire(),
                    phone,
                    sms_id: None,
                    error_message: Some(match code {
                        Code::PhoneInvalid => format!("The phone number {phone} is not valid."),
                        other => other.message().to_owned(),
                    }),
                },
            }
        })
        .collect();
    if listing == ZnsBulkDetail::OmitLast {
        detail.pop();
    }
    esms_json(&BulkBody {
        code_result: "100",
        message: "Sucess",
        total_fail: (listing != ZnsBulkDetail::SuccessesOnly).then_some(total_fail),
        total_success,
        detail,
    })
}
