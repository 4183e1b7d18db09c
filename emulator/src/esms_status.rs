//! eSMS's second host, `https://status-sms.esms.vn/` (Zalo digest §3.9, D-Z35), served under
//! the path prefix `/esms-status/`: `POST ZaloCallback/GetCallback`, the callback data of ZNS
//! sends pulled by SMSID, for a receiver that missed the pushed reports.
//!
//! Body `{"ApiKey","SecretKey","ListRefid":[SMSID,…],"OAId"}`. Checks, in order:
//!
//! 1. framing → `{"error":"Invalid request"}` (eSMS's generic refusal; the pages show no error
//!    body for this host): `Content-Type: application/json`, no member outside the four,
//!    `ApiKey`/`SecretKey`/`OAId` JSON strings, `ListRefid` a JSON **array** of strings. The
//!    English table types `ListRefid` "string"; the Vietnamese one says array, and both
//!    samples send one, so a string is refused (D-Z35);
//! 2. credentials → 101;
//! 3. `ListRefid` absent → 851 (the table's "SMSID missing"; an empty array is a valid
//!    question with an empty answer);
//! 4. `OAId` absent or empty → 791, unknown → 204, inactive or of another account → 799, as
//!    on the sends.
//!
//! Errors keep this host's envelope with a null payload: `{"Code":101,"Message":"Authorize
//! Failed","Data_callback":null}` (`Code` a JSON number, as in the sample; the texts are
//! `esms::Code`'s).
//!
//! The answer is `{"Code":100,"Message":"Success","Data_callback":[…]}` with one row per
//! distinct id among the **first 200** of `ListRefid` (the rest are dropped without a word, as
//! the pages say) that is a ZNS SMSID of this account and OA (single, bulk item, or a
//! multi-channel send's answered or ZNS-leg id) accepted within the 7-day status window, not
//! sandbox, and sent **with a `CallbackUrl`** (the pages: without one there is no callback
//! data). Any other id is silently absent. Rows keep the order of `ListRefid`.
//!
//! Row members in the sample's order, numbers as JSON numbers: `SMSID` the id asked about;
//! `SendStatus` 5 with the counts once the ZNS's report is due, before that 2 ("in process")
//! with zero counts and `Partnerids`/`ErrorInfo` null; `TotalPrice` the price charged;
//! `TotalReceiver` 1; `TotalSent` 1 — also on a failure, as in this page's failure sample,
//! where the pushed failure report says 0 (§4.4); `RequestId` null, as in the sample and as the
//! pushed reports leave it empty; `TypeId` 25 (27 for a journey); `Telcoid` from the phone's
//! prefix (9 for a Zalo user id, as the reports; null for a hashed phone or an unknown prefix);
//! `PhoneNumber` what the report's `phonenumber` carries (phone, user id or hash); the send's
//! `CallbackUrl`; `Partnerids` the Zalo message id, `""` on a failure; `ErrorInfo` the Zalo
//! result as JSON text, `{"error":0,"message":"Success"}` or `{"error":-118,"message":…}`
//! (without the .NET tail of the sample, which comes from an OA token problem the emulator
//! does not model); `OAId`; `ZnsTempId`.

use serde::Serialize;
use serde_json::Value;

use crate::dlr::zalo_error_message;
use crate::esms::{self, esms_json, find_account, invalid_request, require_media_type, Code};
use crate::http::{Method, Request, Response};
use crate::multichannel::only_members;
use crate::records::{AcceptedMessage, MessageKind, ZnsDelivery, ZnsRecipient};
use crate::shared::Shared;
use crate::wire::{Fields, Invalid};
use crate::zalo;
use crate::zalo_query::outcome_known;

/// Path prefix of the status host's base URL.
pub(crate) const PREFIX: &str = "/esms-status/";

const MEMBERS: &[&str] = &["ApiKey", "SecretKey", "ListRefid", "OAId"];
/// Ids looked at per call (both pages).
const MAX_IDS: usize = 200;

/// Handles a request whose path starts with [`PREFIX`]; `rest` is the path after it.
pub(crate) fn handle(shared: &Shared, req: &Request, rest: &str) -> Response {
    let name = rest.strip_suffix('/').unwrap_or(rest);
    if name != "ZaloCallback/GetCallback" {
        return Response::text(404, "Not Found");
    }
    if req.head.method != Method::Post {
        return Response::text(405, "Method not allowed.").with_header("Allow", "POST");
    }
    match parse(req) {
        Ok(query) => answer(shared, query),
        Err(invalid) => invalid_request(invalid),
    }
}

struct CallbackQuery {
    api_key: String,
    secret_key: String,
    /// `None` when absent.
    ids: Option<Vec<String>>,
    oa_id: Option<String>,
}

fn parse(req: &Request) -> Result<CallbackQuery, Invalid> {
    require_media_type(req, "application/json")?;
    let map = Fields::parse(&req.body)?;
    only_members(&map, MEMBERS, "ZaloCallback/GetCallback")?;
    let f = Fields::new(&map);
    let ids = match f.get("ListRefid") {
        None | Some(Value::Null) => None,
        Some(_) => Some(f.string_array("ListRefid")?),
    };
    Ok(CallbackQuery {
        api_key: f.required_str("ApiKey")?,
        secret_key: f.required_str("SecretKey")?,
        ids,
        oa_id: f.optional_str("OAId")?,
    })
}

#[derive(Serialize)]
struct Row<'a> {
    #[serde(rename = "SMSID")]
    sms_id: &'a str,
    #[serde(rename = "SendFailed")]
    send_failed: u32,
    #[serde(rename = "SendSuccess")]
    send_success: u32,
    #[serde(rename = "SendStatus")]
    send_status: u32,
    #[serde(rename = "TotalPrice")]
    total_price: f64,
    #[serde(rename = "TotalReceiver")]
    total_receiver: u32,
    #[serde(rename = "TotalSent")]
    total_sent: u32,
    #[serde(rename = "RequestId")]
    request_id: Option<&'a str>,
    #[serde(rename = "TypeId")]
    type_id: u8,
    #[serde(rename = "Telcoid")]
    telco_id: Option<u8>,
    #[serde(rename = "PhoneNumber")]
    phone_number: &'a str,
    #[serde(rename = "CallbackUrl")]
    callback_url: &'a str,
    #[serde(rename = "Partnerids")]
    partner_ids: Option<&'a str>,
    #[serde(rename = "ErrorInfo")]
    error_info: Option<String>,
    #[serde(rename = "OAId")]
    oa_id: &'a str,
    #[serde(rename = "ZnsTempId")]
    zns_temp_id: &'a str,
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "Code")]
    code: u32,
    #[serde(rename = "Message")]
    message: &'a str,
    #[serde(rename = "Data_callback")]
    data_callback: Option<Vec<Row<'a>>>,
}

fn error(code: Code) -> Response {
    esms_json(&Body {
        code: code.number(),
        message: code.message(),
        data_callback: None,
    })
}

fn answer(shared: &Shared, query: CallbackQuery) -> Response {
    let config = &shared.config;
    let Some(account) = find_account(&config.esms, &query.api_key, &query.secret_key) else {
        return error(Code::AuthorizeFailed);
    };
    let Some(ids) = query.ids else {
        return error(Code::IdMissing);
    };
    let Some(oa_id) = query.oa_id else {
        return error(Code::OaOrTemplateMissing);
    };
    let oa = match zalo::resolve_oa(&config.zalo, account, &oa_id) {
        Ok(oa) => oa,
        Err(code) => return error(code),
    };
    let mut seen: Vec<&str> = Vec::new();
    let mut found: Vec<(&str, AcceptedMessage)> = Vec::new();
    for id in ids.iter().take(MAX_IDS) {
        if seen.contains(&id.as_str()) {
            continue;
        }
        seen.push(id);
        let message = esms::lookup(shared, &account.api_key, id).filter(|m| {
            let sms_leg = m
                .multichannel
                .as_ref()
                .is_some_and(|mc| mc.sms_leg.sms_id == *id);
            !sms_leg
                && !m.sandbox
                && m.callback_url.is_some()
                && m.zns
                    .as_ref()
                    .is_some_and(|z| z.oa_id.as_deref() == Some(oa.oa_id.as_str()))
        });
        if let Some(message) = message {
            found.push((id, message));
        }
    }
    let rows = found
        .iter()
        .filter_map(|(id, m)| row(shared, id, m))
        .collect();
    esms_json(&Body {
        code: 100,
        message: "Success",
        data_callback: Some(rows),
    })
}

fn row<'a>(shared: &Shared, id: &'a str, m: &'a AcceptedMessage) -> Option<Row<'a>> {
    let zns = m.zns.as_ref()?;
    let type_id = match m.kind {
        MessageKind::Esms { sms_type } => sms_type.code(),
        _ => return None,
    };
    let (phone_number, telco_id) = match &zns.recipient {
        ZnsRecipient::Phone { phone } => (phone.as_str(), esms::telco(phone).map(|t| t.0)),
        ZnsRecipient::ZaloUid { zalo_uid } => (zalo_uid.as_str(), Some(9)),
        ZnsRecipient::HashPhone { hash_phone, .. } => (hash_phone.as_str(), None),
    };
    let pending = Row {
        sms_id: id,
        send_failed: 0,
        send_success: 0,
        send_status: 2,
        total_price: 0.0,
        total_receiver: 1,
        total_sent: 0,
        request_id: None,
        type_id,
        telco_id,
        phone_number,
        callback_url: m.callback_url.as_deref().unwrap_or_default(),
        partner_ids: None,
        error_info: None,
        oa_id: zns.oa_id.as_deref().unwrap_or_default(),
        zns_temp_id: &zns.template_id,
    };
    if !outcome_known(shared, id) {
        return Some(pending);
    }
    let result = |code: i32, text: &str| {
        format!(
            r#"{{"error":{code},"message":{}}}"#,
            Value::String(text.to_owned())
        )
    };
    Some(match &zns.delivery {
        ZnsDelivery::Delivered { zalo_msg_id } => Row {
            send_success: 1,
            send_status: 5,
            total_price: zns.price as f64,
            total_sent: 1,
            partner_ids: Some(zalo_msg_id),
            error_info: Some(result(0, "Success")),
            ..pending
        },
        ZnsDelivery::Failed { zalo_error } => Row {
            send_failed: 1,
            send_status: 5,
            total_sent: 1,
            partner_ids: Some(""),
            error_info: Some(result(*zalo_error, zalo_error_message(*zalo_error))),
            ..pending
        },
        ZnsDelivery::NotSent => return None,
    })
}
