//! InterITS CPaaS `POST /api/vendor/v1/sms/send-message` (page 001, digest §1.2, §5.3, §8 B).
//!
//! InterITS documents no business error codes, only HTTP statuses, so the error bodies follow
//! the envelope of its earlier revision (`{code, message, errors{…}}`):
//! - `API-KEY` missing or unknown → 401 `{"code":401,"message":"Unauthorized"}`;
//! - anything wrong with the body → 400 `{"code":400,"message":"Bad Request","errors":{…}}`,
//!   one entry per offending member;
//! - success → 200 `{"code":0,"data":{"token":…},"message":"success","referentId":…}`.
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

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::Value;

use crate::config::{InterItsConfig, InterItsKey};
use crate::http::{Method, Request, Response};
use crate::records::{
    AcceptedMessage, Endpoint, InterItsType, MessageKind, Provider, Reference, UnicodeFlag,
};
use crate::shared::Shared;
use crate::wire::{is_national_phone, is_rfc3339_utc, misspelled_member, Fields};

/// Path of the send operation (the InterITS base URL is `/interits`).
pub(crate) const SEND_PATH: &str = "/interits/api/vendor/v1/sms/send-message";
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
}

impl InterItsState {
    pub fn new(config: &InterItsConfig) -> Self {
        InterItsState {
            dedup_request_id: config.dedup_request_id,
            answers: HashMap::new(),
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

/// Handles a request whose path starts with [`PREFIX`].
pub(crate) fn handle(shared: &Shared, req: &Request) -> Response {
    if req.head.path != SEND_PATH {
        return error(404, "Not Found", BTreeMap::new());
    }
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
        reference: Reference::InterIts {
            referent_id: referent_id.clone(),
            token: token.clone(),
        },
    });
    success(&referent_id, &token)
}
