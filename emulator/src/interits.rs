//! InterITS CPaaS `POST /api/vendor/v1/sms/send-message` (page 001, digest §1.2, §5.3, §8 B),
//! `POST /api/vendor/v1/zalo/send-zns` (Zalo digest §6.1–§6.2, §8 F, §9.10) and
//! `POST /api/vendor/v1/zalo/message-detail` (Zalo digest §6.4, D-Z50–D-Z54).
//!
//! InterITS documents no business error codes, only HTTP statuses, so the error bodies follow
//! the envelope of its earlier revision (`{code, message, errors{…}}`):
//! - `API-KEY` missing or unknown → 401 `{"code":401,"message":"Unauthorized"}`;
//! - anything wrong with the body → 400 `{"code":400,"message":"Bad Request","errors":{…}}`,
//!   one entry per offending member;
//! - success → 200 `{"code":0,"data":{"token":…},"message":"success","referentId":…}`;
//! - an unknown path under the base → 404 `{"code":404,"message":"Not Found"}`.
//!
//! Types follow the example generated from the server schema (D-B4): `useUnicode` and `type`
//! are JSON *numbers* 0, 1 or 2; the string `"0"` is refused, since the emulator cannot know
//! the server coerces it and the client has no reason to send it.
//!
//! `destinations` accepts the national `0` + 9 digits form and the `84` + 9 digits form: the
//! expected format is undocumented (D-B7) and a client may be configured for either.
//!
//! Repeated `requestId`: no InterITS page says the server de-duplicates on it, so by default the
//! emulator does not either. A request that repeats a `requestId` is a new message: recorded a
//! second time and answered with a fresh `referentId` and token, which is what a real second
//! SMS would cost. A client that resends after a lost answer therefore shows up as two records,
//! and tests can see it. For tests that want the opposite world, de-duplication can be switched
//! on (`InterItsConfig::dedup_request_id`, `Emulator::set_interits_dedup_request_id`, or
//! `POST /_emulator/settings`): a repeated non-empty `requestId` from the same `API-KEY` then
//! gets the first answer again (same `referentId` and token) and nothing is recorded. The first
//! answer per `requestId` is remembered in both modes, so switching it on mid-test also covers
//! ids sent before the switch.
//!
//! `send-zns` takes `{oa_id, phone, template_data, template_id, tracking_id}`. Every member is
//! "Required: false" on the page, which cannot be meant (a ZNS needs all four of the first);
//! the emulator requires `oa_id` (a string of digits), `phone` (the same two forms as
//! `destinations`), `template_data` (an object of JSON strings, the values every example
//! gives) and `template_id` (a JSON *number*, as the table and the example agree; a string is
//! refused), and takes `tracking_id` (a string) as optional. The OA and template are not looked
//! up: InterITS documents no error for an unknown one, so anything well-formed is accepted.
//! `tracking_id` is not de-duplicated (no page says it is, digest D-Z49): a repeat is a second
//! ZNS. The answer follows the page's sample with real values instead of its type names and
//! without its doubled brace: `{"code":0,"data":{…},"message":"success","referentId":…}`,
//! `data` holding the sample's members that the emulator can fill (`created_at`,
//! `delivery_status` `"unknown"`, `error_code` 0, `error_message` "", `id` and `msg_id` as
//! strings, `oa_id`, `phone`, `status` `"Z"`, `template_data`, `template_id`, `tracking_id`
//! (`null` when not sent), `type` `"template"`), alphabetical as in the sample. The message is
//! recorded with the Zalo outcome decided as for eSMS; InterITS sends no report (D-Z54), so
//! `message-detail` is the only way to learn it.
//!
//! # `message-detail`
//!
//! Headers as for `send-zns` (the same 401 for a missing or unknown `API-KEY`). The body is
//! `{"msg_id": string, "oa_id": string}` and nothing else: both members are required non-empty
//! JSON strings (the page's table types `msg_id` "object", its example sends a string; D-Z53),
//! and any other member is refused. Bad bodies are the 400 above, e.g.
//! `{"code":400,"message":"Bad Request","errors":{"oa_id":"is required"}}`.
//!
//! The message looked up is the `send-zns` record of the same `API-KEY` whose `msg_id` (the one
//! `send-zns` answered, Reference `InterItsZns::msg_id`) and `oa_id` are the query's. None →
//! 404 `{"code":404,"message":"Not Found","errors":{"msg_id":"no ZNS with this msg_id and
//! oa_id was sent with this API-KEY"}}`: the page has no business code, only the HTTP list, whose
//! 404 is "the requested resource does not exist"; the body keeps the error envelope of the
//! other InterITS errors, with `errors` telling it apart from an unknown path.
//!
//! Found → 200 `{"code":0,"data":{…},"message":"success","referentId":<fresh uuid>}`, `data`
//! holding those of the page's members the emulator can fill, alphabetical as in the sample:
//! `campaign_id` null (`send-zns` has no campaign), `charged`, `created_at` (the `created_at`
//! `send-zns` answered), `delivery_status`, `delivery_time`, `error_code`, `error_message`,
//! `id`, `is_charged`, `msg_id`, `oa_id`, `phone`, `sent_time` (= `created_at`: the emulator
//! hands the ZNS to Zalo at once), `status` `"Z"`, `template_data`, `template_id` (a number),
//! `tracking_id` (null when not sent), `type` `"template"`. The Zalo outcome stays hidden until
//! the report would be due, by the same rule as eSMS's `QueryZnsStatus/` and
//! `GetZaloMessageStatus` (`zalo_query::report_due`: `delivery_report_delay` of emulator time
//! after acceptance, so `Emulator::advance_clock` ends the wait):
//!
//! | Zalo outcome | `delivery_status` | `delivery_time` | `error_code` | `error_message` | `charged`, `is_charged` |
//! |---|---|---|---|---|---|
//! | not due yet (either outcome) | `"unknown"` | null | 0 | `""` | false |
//! | delivered | `"received"` | RFC 3339 UTC of when the report was due (wall clock) | 0 | `""` | true |
//! | failed | `"unknown"` (the page's enum has no failure) | null | Zalo's code (−118 no Zalo account, −114 inactive) | Zalo's text (`"Zalo account not existed"`) | false |
//!
//! `charged` is not described anywhere (the journey page's description of it is filler), so it
//! repeats `is_charged`. The page's members the emulator has nothing for (`fee_main`,
//! `fee_token`, `feedback`, `journey_id`, `note`, `rate`, `shop_id`, `submit_time`, `timeout`,
//! `updated_at`, `user_id`, `zl_user_id`, `enable_sms_on_zns_failure`, `sms`) are left out
//! rather than filled with invented values.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use serde::Serialize;
use serde_json::Value;

use crate::config::{InterItsConfig, InterItsKey};
use crate::http::{Method, Request, Response};
use crate::records::{
    AcceptedMessage, Endpoint, InterItsType, MessageKind, Provider, Reference, UnicodeFlag,
    ZnsDelivery, ZnsDetails, ZnsParam, ZnsRecipient,
};
use crate::shared::Shared;
use crate::wire::{is_national_phone, is_rfc3339_utc, misspelled_member, rfc3339_utc, Fields};

/// Path of the send operation (the InterITS base URL is `/interits`).
pub(crate) const SEND_PATH: &str = "/interits/api/vendor/v1/sms/send-message";
/// Path of the ZNS send operation.
pub(crate) const ZNS_PATH: &str = "/interits/api/vendor/v1/zalo/send-zns";
/// Path of the ZNS status operation.
pub(crate) const DETAIL_PATH: &str = "/interits/api/vendor/v1/zalo/message-detail";
/// Path prefix of the InterITS base URL.
pub(crate) const PREFIX: &str = "/interits/";

const MEMBERS: &[&str] = &[
    "destinations",
    "from",
    "text",
    "scheduled",
    "requestId",
    "useUnicode",
    "type",
    "ext",
];

/// InterITS state behind the shared lock.
#[derive(Debug, Default)]
pub(crate) struct InterItsState {
    /// Whether a repeated `requestId` replays the first answer; starts from the config and can
    /// be switched at run time, and a reset puts the configured value back.
    pub dedup_request_id: bool,
    /// (`API-KEY`, `requestId`) → (`referentId`, token) of the first answer.
    answers: HashMap<(String, String), (String, String)>,
    /// ITS `id` of each accepted ZNS → when it was accepted, in emulator time (when its Zalo
    /// outcome becomes known to `message-detail`).
    zns_accepted_at: HashMap<String, Instant>,
}

impl InterItsState {
    pub fn new(config: &InterItsConfig) -> Self {
        InterItsState {
            dedup_request_id: config.dedup_request_id,
            answers: HashMap::new(),
            zns_accepted_at: HashMap::new(),
        }
    }
}

#[derive(Serialize)]
struct ErrorBody {
    code: u16,
    message: &'static str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    errors: BTreeMap<String, String>,
}

fn error(status: u16, message: &'static str, errors: BTreeMap<String, String>) -> Response {
    let body = serde_json::to_vec(&ErrorBody {
        code: status,
        message,
        errors,
    })
    .unwrap_or_default();
    Response::json(status, body)
}

#[derive(Serialize)]
struct Data<'a> {
    token: &'a str,
}

#[derive(Serialize)]
struct OkBody<'a> {
    code: u8,
    data: Data<'a>,
    message: &'static str,
    #[serde(rename = "referentId")]
    referent_id: &'a str,
}

fn success(referent_id: &str, token: &str) -> Response {
    let body = serde_json::to_vec(&OkBody {
        code: 0,
        data: Data { token },
        message: "success",
        referent_id,
    })
    .unwrap_or_default();
    Response::json(200, body)
}

#[derive(Clone, Copy)]
enum Op {
    SendMessage,
    SendZns,
    MessageDetail,
}

/// Handles a request whose path starts with [`PREFIX`].
pub(crate) fn handle(shared: &Shared, req: &Request) -> Response {
    let op = match req.head.path.as_str() {
        SEND_PATH => Op::SendMessage,
        ZNS_PATH => Op::SendZns,
        DETAIL_PATH => Op::MessageDetail,
        _ => return error(404, "Not Found", BTreeMap::new()),
    };
    if req.head.method != Method::Post {
        return error(405, "Method Not Allowed", BTreeMap::new()).with_header("Allow", "POST");
    }
    let key = req
        .head
        .header("api-key")
        .and_then(|k| shared.config.interits.keys.iter().find(|c| c.api_key == k));
    let Some(key) = key else {
        return Response::json(401, r#"{"code":401,"message":"Unauthorized"}"#);
    };
    match op {
        Op::SendMessage => {}
        Op::SendZns => {
            return match validate_zns(req) {
                Ok(send) => accept_zns(shared, key, send),
                Err(errors) => error(400, "Bad Request", errors),
            };
        }
        Op::MessageDetail => {
            return match validate_detail(req) {
                Ok(query) => message_detail(shared, key, &query),
                Err(errors) => error(400, "Bad Request", errors),
            };
        }
    }
    let send = match validate(req, key) {
        Ok(send) => send,
        Err(errors) => return error(400, "Bad Request", errors),
    };
    accept(shared, key, send)
}

struct Send {
    destinations: Vec<String>,
    from: String,
    text: String,
    scheduled: Option<String>,
    request_id: Option<String>,
    unicode: UnicodeFlag,
    message_type: InterItsType,
}

fn small_enum(value: Option<&Value>) -> Result<u8, &'static str> {
    match value {
        Some(Value::Number(n)) => match n.as_u64() {
            Some(v @ 0..=2) => Ok(v as u8),
            _ => Err("must be 0, 1 or 2"),
        },
        None | Some(Value::Null) => Err("is required"),
        Some(_) => Err("must be a number (0, 1 or 2)"),
    }
}

fn validate(req: &Request, key: &InterItsKey) -> Result<Send, BTreeMap<String, String>> {
    let mut errors = BTreeMap::new();
    let mut fail = |field: &str, why: &str| {
        errors.insert(field.to_owned(), why.to_owned());
    };
    if req.head.media_type().as_deref() != Some("application/json") {
        fail("Content-Type", "must be application/json");
        return Err(errors);
    }
    let map = match Fields::parse(&req.body) {
        Ok(map) => map,
        Err(invalid) => {
            fail("body", &invalid.0);
            return Err(errors);
        }
    };
    if let Some(name) = misspelled_member(map.keys().map(String::as_str), MEMBERS, &[]) {
        fail(name, "unknown member (misspelled?)");
    }
    let f = Fields::new(&map);

    let destinations = match f.string_array("destinations") {
        Ok(list) if list.is_empty() => {
            fail("destinations", "must not be empty");
            Vec::new()
        }
        Ok(list) => {
            if let Some(bad) = list.iter().find(|p| !is_destination(p)) {
                fail(
                    "destinations",
                    &format!(
                        "{bad:?} is not a Vietnamese mobile number (0xxxxxxxxx or 84xxxxxxxxx)"
                    ),
                );
            }
            list
        }
        Err(invalid) => {
            fail("destinations", &invalid.0);
            Vec::new()
        }
    };
    let from = match f.get("from") {
        Some(Value::String(s)) if key.brandnames.contains(s) => s.clone(),
        Some(Value::String(s)) if !s.is_empty() => {
            fail("from", "brandname is not registered for this API-KEY");
            String::new()
        }
        _ => {
            fail("from", "is required");
            String::new()
        }
    };
    let text = match f.get("text") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => {
            fail("text", "is required");
            String::new()
        }
    };
    let scheduled = match f.optional_str("scheduled") {
        Ok(Some(s)) if !is_rfc3339_utc(&s) => {
            fail(
                "scheduled",
                "must be RFC 3339 in UTC, e.g. 2024-12-20T03:33:44.757Z",
            );
            None
        }
        Ok(s) => s,
        Err(invalid) => {
            fail("scheduled", &invalid.0);
            None
        }
    };
    let request_id = f.optional_str("requestId").unwrap_or_else(|invalid| {
        fail("requestId", &invalid.0);
        None
    });
    let unicode = match small_enum(f.get("useUnicode")) {
        Ok(0) => UnicodeFlag::Off,
        Ok(1) => UnicodeFlag::On,
        Ok(_) => UnicodeFlag::AutoConvert,
        Err(why) => {
            fail("useUnicode", why);
            UnicodeFlag::Off
        }
    };
    let message_type = match small_enum(f.get("type")) {
        Ok(0) => InterItsType::Consulting,
        Ok(1) => InterItsType::Advertising,
        Ok(_) => InterItsType::Otp,
        Err(why) => {
            fail("type", why);
            InterItsType::Consulting
        }
    };
    match f.get("ext") {
        None | Some(Value::Null) | Some(Value::Object(_)) => {}
        Some(_) => fail("ext", "must be an object"),
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Send {
        destinations,
        from,
        text,
        scheduled,
        request_id,
        unicode,
        message_type,
    })
}

/// A validated `send-zns` body.
struct ZnsSend {
    oa_id: String,
    phone: String,
    template_data: Vec<(String, String)>,
    template_id: u64,
    tracking_id: Option<String>,
}

const ZNS_MEMBERS: &[&str] = &[
    "oa_id",
    "phone",
    "template_data",
    "template_id",
    "tracking_id",
];

fn validate_zns(req: &Request) -> Result<ZnsSend, BTreeMap<String, String>> {
    let mut errors = BTreeMap::new();
    let mut fail = |field: &str, why: &str| {
        errors.insert(field.to_owned(), why.to_owned());
    };
    if req.head.media_type().as_deref() != Some("application/json") {
        fail("Content-Type", "must be application/json");
        return Err(errors);
    }
    let map = match Fields::parse(&req.body) {
        Ok(map) => map,
        Err(invalid) => {
            fail("body", &invalid.0);
            return Err(errors);
        }
    };
    if let Some(name) = misspelled_member(map.keys().map(String::as_str), ZNS_MEMBERS, &[]) {
        fail(name, "unknown member (misspelled?)");
    }
    let oa_id = match map.get("oa_id") {
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.clone()
        }
        None | Some(Value::Null) => {
            fail("oa_id", "is required");
            String::new()
        }
        Some(_) => {
            fail("oa_id", "must be the OA id as a string of digits");
            String::new()
        }
    };
    let phone = match map.get("phone") {
        Some(Value::String(s)) if is_destination(s) => s.clone(),
        None | Some(Value::Null) => {
            fail("phone", "is required");
            String::new()
        }
        Some(_) => {
            fail(
                "phone",
                "is not a Vietnamese mobile number (0xxxxxxxxx or 84xxxxxxxxx)",
            );
            String::new()
        }
    };
    let template_data = match map.get("template_data") {
        Some(Value::Object(members)) => crate::zalo::string_members(members, "template_data")
            .unwrap_or_else(|invalid| {
                fail("template_data", &invalid.0);
                Vec::new()
            }),
        None | Some(Value::Null) => {
            fail("template_data", "is required");
            Vec::new()
        }
        Some(_) => {
            fail("template_data", "must be an object");
            Vec::new()
        }
    };
    let template_id = match map.get("template_id") {
        Some(Value::Number(n)) if n.as_u64().is_some_and(|id| id > 0) => {
            n.as_u64().unwrap_or_default()
        }
        None | Some(Value::Null) => {
            fail("template_id", "is required");
            0
        }
        Some(_) => {
            fail("template_id", "must be a positive integer JSON number");
            0
        }
    };
    let tracking_id = Fields::new(&map)
        .optional_str("tracking_id")
        .unwrap_or_else(|invalid| {
            fail("tracking_id", &invalid.0);
            None
        });
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ZnsSend {
        oa_id,
        phone,
        template_data,
        template_id,
        tracking_id,
    })
}

#[derive(Serialize)]
struct ZnsData<'a> {
    created_at: String,
    delivery_status: &'static str,
    error_code: i32,
    error_message: &'static str,
    id: String,
    msg_id: &'a str,
    oa_id: &'a str,
    phone: &'a str,
    status: &'static str,
    template_data: BTreeMap<&'a str, &'a str>,
    template_id: u64,
    tracking_id: Option<&'a str>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct ZnsOkBody<'a> {
    code: u8,
    data: ZnsData<'a>,
    message: &'static str,
    #[serde(rename = "referentId")]
    referent_id: &'a str,
}

fn accept_zns(shared: &Shared, key: &InterItsKey, send: ZnsSend) -> Response {
    let referent_id = shared.ids.uuid();
    let id = shared.ids.serial().to_string();
    // The Zalo lists hold national numbers; an `84…` phone is looked up in that form.
    let national = match send.phone.strip_prefix("84") {
        Some(rest) if send.phone.len() == 11 => format!("0{rest}"),
        _ => send.phone.clone(),
    };
    let outcome = crate::zalo::zalo_outcome(&shared.config.zalo, &national);
    let delivery = crate::zalo::delivery(shared, outcome, false);
    // The Zalo message id when Zalo took it; a fresh id of the same shape otherwise, since
    // InterITS answers before Zalo decides.
    let msg_id = match &delivery {
        ZnsDelivery::Delivered { zalo_msg_id } => zalo_msg_id.clone(),
        ZnsDelivery::Failed { .. } | ZnsDelivery::NotSent => crate::zalo::zalo_msg_id(shared),
    };
    let template_data: BTreeMap<String, String> = send.template_data.iter().cloned().collect();
    let data_phone = send.phone.clone();
    let data_oa_id = send.oa_id.clone();
    let tracking_id = send.tracking_id.clone();
    let mut state = shared.lock();
    state.record(AcceptedMessage {
        seq: 0,
        created_at_unix_ms: 0,
        provider: Provider::InterIts,
        endpoint: Endpoint::InterItsSendZns,
        account: key.api_key.clone(),
        recipients: vec![send.phone.clone()],
        text: None,
        sender: None,
        kind: MessageKind::InterItsZns {
            template_id: send.template_id,
        },
        unicode: None,
        sandbox: false,
        schedule: None,
        request_id: send.tracking_id,
        callback_url: None,
        campaign_id: None,
        attached_ticket_id: None,
        viber: None,
        zns: Some(ZnsDetails {
            oa_id: Some(send.oa_id),
            template_id: send.template_id.to_string(),
            params: send
                .template_data
                .into_iter()
                .map(|(name, value)| ZnsParam { name, value })
                .collect(),
            recipient: ZnsRecipient::Phone { phone: send.phone },
            journey_order_id: None,
            sending_mode: None,
            delivery,
            price: 0,
        }),
        multichannel: None,
        generated_code: None,
        reference: Reference::InterItsZns {
            referent_id: referent_id.clone(),
            msg_id: msg_id.clone(),
            id: id.clone(),
        },
    });
    // The answer's `created_at` is the record's, so that `message-detail` repeats it.
    let created_at_unix_ms = state
        .messages
        .last()
        .map(|m| m.created_at_unix_ms)
        .unwrap_or_default();
    state
        .interits
        .zns_accepted_at
        .insert(id.clone(), shared.clock.now());
    drop(state);
    let body = serde_json::to_vec(&ZnsOkBody {
        code: 0,
        data: ZnsData {
            created_at: rfc3339_utc(created_at_unix_ms),
            delivery_status: "unknown",
            error_code: 0,
            error_message: "",
            id,
            msg_id: &msg_id,
            oa_id: &data_oa_id,
            phone: &data_phone,
            status: "Z",
            template_data: template_data
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
            template_id: send.template_id,
            tracking_id: tracking_id.as_deref(),
            kind: "template",
        },
        message: "success",
        referent_id: &referent_id,
    })
    .unwrap_or_default();
    Response::json(200, body)
}

/// A validated `message-detail` body.
struct DetailQuery {
    msg_id: String,
    oa_id: String,
}

const DETAIL_MEMBERS: &[&str] = &["msg_id", "oa_id"];

/// `{msg_id, oa_id}`, both required non-empty JSON strings (the page types `msg_id` "object"
/// but its example sends a string, digest D-Z53), and nothing else: the page lists the whole
/// body, so any other member is refused.
fn validate_detail(req: &Request) -> Result<DetailQuery, BTreeMap<String, String>> {
    let mut errors = BTreeMap::new();
    let mut fail = |field: &str, why: &str| {
        errors.insert(field.to_owned(), why.to_owned());
    };
    if req.head.media_type().as_deref() != Some("application/json") {
        fail("Content-Type", "must be application/json");
        return Err(errors);
    }
    let map = match Fields::parse(&req.body) {
        Ok(map) => map,
        Err(invalid) => {
            fail("body", &invalid.0);
            return Err(errors);
        }
    };
    for name in map.keys().filter(|k| !DETAIL_MEMBERS.contains(&k.as_str())) {
        if misspelled_member([name.as_str()], DETAIL_MEMBERS, &[]).is_some() {
            fail(name, "unknown member (misspelled?)");
        } else {
            fail(name, "unknown member");
        }
    }
    let mut string = |name: &str| match map.get(name) {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        None | Some(Value::Null) => {
            fail(name, "is required");
            String::new()
        }
        Some(Value::String(_)) => {
            fail(name, "must not be empty");
            String::new()
        }
        Some(_) => {
            fail(name, "must be a JSON string");
            String::new()
        }
    };
    let msg_id = string("msg_id");
    let oa_id = string("oa_id");
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(DetailQuery { msg_id, oa_id })
}

#[derive(Serialize)]
struct DetailData<'a> {
    campaign_id: Option<&'a str>,
    charged: bool,
    created_at: String,
    delivery_status: &'static str,
    delivery_time: Option<String>,
    error_code: i32,
    error_message: &'static str,
    id: &'a str,
    is_charged: bool,
    msg_id: &'a str,
    oa_id: &'a str,
    phone: &'a str,
    sent_time: String,
    status: &'static str,
    template_data: BTreeMap<&'a str, &'a str>,
    template_id: u64,
    tracking_id: Option<&'a str>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct DetailBody<'a> {
    code: u8,
    data: DetailData<'a>,
    message: &'static str,
    #[serde(rename = "referentId")]
    referent_id: &'a str,
}

/// `message-detail`: the ZNS this `API-KEY` sent with `send-zns` whose `msg_id` and `oa_id`
/// are the query's; see the module doc for the answers.
fn message_detail(shared: &Shared, key: &InterItsKey, query: &DetailQuery) -> Response {
    let (found, accepted_at) = {
        let state = shared.lock();
        let found = state
            .messages
            .iter()
            .find(|m| {
                m.provider == Provider::InterIts
                    && m.endpoint == Endpoint::InterItsSendZns
                    && m.account == key.api_key
                    && matches!(&m.reference, Reference::InterItsZns { msg_id, .. } if *msg_id == query.msg_id)
                    && m.zns
                        .as_ref()
                        .is_some_and(|z| z.oa_id.as_deref() == Some(query.oa_id.as_str()))
            })
            .cloned();
        let accepted_at = found.as_ref().and_then(|m| match &m.reference {
            Reference::InterItsZns { id, .. } => state.interits.zns_accepted_at.get(id).copied(),
            _ => None,
        });
        (found, accepted_at)
    };
    let found = found.as_ref().and_then(|m| match (&m.reference, &m.zns) {
        (Reference::InterItsZns { msg_id, id, .. }, Some(zns)) => Some((m, zns, msg_id, id)),
        _ => None,
    });
    let Some((m, zns, msg_id, id)) = found else {
        let mut errors = BTreeMap::new();
        errors.insert(
            "msg_id".to_owned(),
            "no ZNS with this msg_id and oa_id was sent with this API-KEY".to_owned(),
        );
        return error(404, "Not Found", errors);
    };
    let known = accepted_at.is_some_and(|at| crate::zalo_query::report_due(shared, at));
    let (delivery_status, delivery_time, error_code, error_message, charged) = match &zns.delivery {
        ZnsDelivery::Delivered { .. } if known => (
            "received",
            Some(rfc3339_utc(crate::zalo_query::report_due_unix_ms(
                shared,
                m.created_at_unix_ms,
            ))),
            0,
            "",
            true,
        ),
        ZnsDelivery::Failed { zalo_error } if known => (
            "unknown",
            None,
            *zalo_error,
            crate::dlr::zalo_error_message(*zalo_error),
            false,
        ),
        _ => ("unknown", None, 0, "", false),
    };
    let phone = match &zns.recipient {
        ZnsRecipient::Phone { phone } => phone.as_str(),
        ZnsRecipient::ZaloUid { zalo_uid } => zalo_uid.as_str(),
        ZnsRecipient::HashPhone { phone, .. } => phone.as_str(),
    };
    let template_id = match m.kind {
        MessageKind::InterItsZns { template_id } => template_id,
        _ => zns.template_id.parse().unwrap_or_default(),
    };
    let created_at = rfc3339_utc(m.created_at_unix_ms);
    let referent_id = shared.ids.uuid();
    let body = serde_json::to_vec(&DetailBody {
        code: 0,
        data: DetailData {
            campaign_id: None,
            charged,
            sent_time: created_at.clone(),
            created_at,
            delivery_status,
            delivery_time,
            error_code,
            error_message,
            id,
            is_charged: charged,
            msg_id,
            oa_id: &query.oa_id,
            phone,
            status: "Z",
            template_data: zns
                .params
                .iter()
                .map(|p| (p.name.as_str(), p.value.as_str()))
                .collect(),
            template_id,
            tracking_id: m.request_id.as_deref(),
            kind: "template",
        },
        message: "success",
        referent_id: &referent_id,
    })
    .unwrap_or_default();
    Response::json(200, body)
}

fn is_destination(phone: &str) -> bool {
    is_national_phone(phone)
        || (phone.len() == 11
            && phone.starts_with("84")
            && phone.bytes().all(|b| b.is_ascii_digit()))
}

fn accept(shared: &Shared, key: &InterItsKey, send: Send) -> Response {
    let mut state = shared.lock();
    let dedup_key = send
        .request_id
        .as_ref()
        .map(|id| (key.api_key.clone(), id.clone()));
    if state.interits.dedup_request_id {
        if let Some((referent_id, token)) = dedup_key
            .as_ref()
            .and_then(|k| state.interits.answers.get(k))
        {
            return success(referent_id, token);
        }
    }
    let referent_id = shared.ids.uuid();
    let token = shared.ids.hex32();
    if let Some(k) = dedup_key {
        state
            .interits
            .answers
            .entry(k)
            .or_insert_with(|| (referent_id.clone(), token.clone()));
    }
    state.record(AcceptedMessage {
        seq: 0,
        created_at_unix_ms: 0,
        provider: Provider::InterIts,
        endpoint: Endpoint::InterItsSendMessage,
        account: key.api_key.clone(),
        recipients: send.destinations,
        text: Some(send.text),
        sender: Some(send.from),
        kind: MessageKind::InterIts {
            message_type: send.message_type,
        },
        unicode: Some(send.unicode),
        sandbox: false,
        schedule: send.scheduled,
        request_id: send.request_id,
        callback_url: None,
        campaign_id: None,
        attached_ticket_id: None,
        viber: None,
        zns: None,
        multichannel: None,
        generated_code: None,
        reference: Reference::InterIts {
            referent_id: referent_id.clone(),
            token: token.clone(),
        },
    });
    success(&referent_id, &token)
}
