//! CareSoft `POST /{domain}/api/v1/sms` (page 000, digest §1.1, §5.2, §8 A) and
//! `POST /{domain}/api/v1/zalo/zns` (Zalo digest §7, D-Z55, D-Z56).
//!
//! Checks, in order (first failure answers):
//! 1. unknown path under the prefix → 404, wrong method → 405;
//! 2. unknown domain → 404 `{"code":"errors","message":"Domain not found"}` (the wording is the
//!    emulator's: CareSoft documents no body for it);
//! 3. domain locked out → 404 with the documented lock-out message, until the lock-out ends;
//! 4. rate limit (fixed window, default 15 per second, counted per domain *before*
//!    authentication, the way a throttle middleware in front of the controller counts) → 429
//!    `{"code":"errors","message":"Too Many Attempts."}` with `Retry-After`; more than 20 in a
//!    row lock the domain out for 15 minutes of emulator time. Any answer that is not a 429
//!    ends a run of 429s;
//! 5. `Authorization: Bearer <token>` missing or wrong → 401 `Unauthenticated.`;
//! 6. body (`Content-Type: application/json`, `{"sms":{…}}`, `service_id` integer or numeric
//!    string and one of the tenant's services, `content` 1..=1000 characters, `phone` national
//!    `0` + 9 digits, `ticket_id` optional integer or numeric string, no misspelled members)
//!    → 400 `{"code":"errors","message":"…"}` with Laravel-style messages (the real 400 body is
//!    undocumented);
//! 7. accepted → 200 with a ticket, recorded.
//!
//! The ZNS operation shares steps 1–5 (one rate window per domain for both) and takes
//! `{"zns":{phone, template_id, ticket_id?, params?}}`: `phone` as for SMS, `template_id` one of
//! the tenant's ZNS scripts (`CareSoftTenant::zns_template_ids`), `ticket_id` as for SMS,
//! `params` an object of strings when present. The page types `template_id` and `ticket_id`
//! "Int" and its sample sends numbers; a string of digits is accepted as well, for the same
//! reason as `service_id` (a Laravel `integer` rule takes both). The page is cut before its
//! answer, so the emulator answers as the SMS operation does (`{"code":"ok","ticket":{…}}`,
//! a new ticket unless `ticket_id` names one) and uses the same 400 body for a bad request.
//! The message is recorded with the Zalo outcome decided as for eSMS; no webhook is sent.

use std::collections::HashMap;
use std::time::Instant;

use serde::Serialize;
use serde_json::Value;

use crate::config::CareSoftTenant;
use crate::http::{Method, Request, Response};
use crate::records::{
    AcceptedMessage, Endpoint, MessageKind, Provider, Reference, ZnsDetails, ZnsParam, ZnsRecipient,
};
use crate::shared::Shared;
use crate::wire::{is_national_phone, misspelled_member, Fields};

/// Path prefix of the CareSoft base URL (clients append `/{domain}/api/v1/sms`).
pub(crate) const PREFIX: &str = "/caresoft/";

/// The documented lock-out message, byte for byte (stray space before the comma, trailing
/// space).
pub const LOCKOUT_MESSAGE: &str = "Domain incorrect too many times , retry after 15 minutes ";

const CONTENT_MAX_CHARS: usize = 1000;
/// Stand-in for "forever" when a configured duration overflows `Instant`.
const FAR_FUTURE: std::time::Duration = std::time::Duration::from_secs(100 * 365 * 24 * 3600);
const FIRST_TICKET_ID: u64 = 291_437;
const FIRST_TICKET_NO: u64 = 205_025;
const FIRST_REQUESTER_ID: u64 = 63_203_810;

/// CareSoft state behind the shared lock.
#[derive(Debug, Default)]
pub(crate) struct CareSoftState {
    domains: HashMap<String, DomainState>,
    /// Tickets created so far: ticket_id → ticket_no.
    tickets: HashMap<u64, u64>,
    tickets_created: u64,
    /// Customer ids, one per phone.
    requesters: HashMap<String, u64>,
}

#[derive(Debug, Default)]
struct DomainState {
    window_start: Option<Instant>,
    served_in_window: u32,
    consecutive_429: u32,
    locked_until: Option<Instant>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'static str,
    message: &'a str,
}

fn error(status: u16, message: &str) -> Response {
    let body = serde_json::to_vec(&ErrorBody {
        code: "errors",
        message,
    })
    .unwrap_or_default();
    Response::json(status, body)
}

#[derive(Serialize)]
struct Ticket {
    ticket_id: u64,
    ticket_no: u64,
    requester_id: u64,
    assignee_id: u64,
}

#[derive(Serialize)]
struct OkBody {
    code: &'static str,
    ticket: Ticket,
}

/// What the throttle decided.
enum Gate {
    Pass,
    LockedOut,
    TooMany { retry_after_secs: u64 },
}

/// Handles a request whose path starts with [`PREFIX`]; `rest` is the path after it.
pub(crate) fn handle(shared: &Shared, req: &Request, rest: &str) -> Response {
    let (domain, zns) = match rest.split_once('/') {
        Some((domain, "api/v1/sms")) => (domain, false),
        Some((domain, "api/v1/zalo/zns")) => (domain, true),
        _ => return error(404, "Not Found"),
    };
    if req.head.method != Method::Post {
        return error(405, "Method Not Allowed").with_header("Allow", "POST");
    }
    let Some(tenant) = shared
        .config
        .caresoft
        .tenants
        .iter()
        .find(|t| t.domain == domain)
    else {
        return error(404, "Domain not found");
    };

    match gate(shared, tenant) {
        Gate::Pass => {}
        Gate::LockedOut => return error(404, LOCKOUT_MESSAGE),
        Gate::TooMany { retry_after_secs } => {
            return error(429, "Too Many Attempts.")
                .with_header("Retry-After", retry_after_secs.to_string());
        }
    }

    if !authorized(req, tenant) {
        return error(401, "Unauthenticated.");
    }
    if zns {
        return match validate_zns(req, tenant) {
            Ok(zns) => accept_zns(shared, tenant, zns),
            Err(message) => error(400, &message),
        };
    }
    let sms = match validate(req, tenant) {
        Ok(sms) => sms,
        Err(message) => return error(400, &message),
    };
    accept(shared, tenant, sms)
}

/// Lock-out and rate limit, counted before authentication.
fn gate(shared: &Shared, tenant: &CareSoftTenant) -> Gate {
    let config = &shared.config.caresoft;
    let now = shared.clock.now();
    let mut state = shared.lock();
    let ds = state
        .caresoft
        .domains
        .entry(tenant.domain.clone())
        .or_default();
    if let Some(until) = ds.locked_until {
        if now < until {
            return Gate::LockedOut;
        }
        *ds = DomainState::default();
    }
    let limit = tenant.rate_limit;
    let window_open = ds
        .window_start
        .is_some_and(|start| now.saturating_duration_since(start) < limit.per);
    if !window_open {
        ds.window_start = Some(now);
        ds.served_in_window = 0;
    }
    if ds.served_in_window >= limit.max_requests {
        ds.consecutive_429 += 1;
        if ds.consecutive_429 > config.lockout_after_consecutive_429 {
            // A lock-out too long for `Instant` lasts "practically forever" (until a reset).
            ds.locked_until = now
                .checked_add(config.lockout)
                .or_else(|| now.checked_add(FAR_FUTURE));
        }
        let remaining = ds
            .window_start
            .map(|start| {
                limit
                    .per
                    .saturating_sub(now.saturating_duration_since(start))
            })
            .unwrap_or(limit.per);
        let secs = remaining.as_secs() + u64::from(remaining.subsec_nanos() > 0);
        return Gate::TooMany {
            retry_after_secs: secs.max(1),
        };
    }
    ds.served_in_window += 1;
    ds.consecutive_429 = 0;
    Gate::Pass
}

/// `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110 §11.1), the
/// token exact.
fn authorized(req: &Request, tenant: &CareSoftTenant) -> bool {
    let Some(value) = req.head.header("authorization") else {
        return false;
    };
    match value.split_once(' ') {
        Some((scheme, token)) => {
            scheme.eq_ignore_ascii_case("bearer") && token.trim() == tenant.api_token
        }
        None => false,
    }
}

/// A validated SMS.
struct Sms {
    service_id: u64,
    content: String,
    phone: String,
    ticket_id: Option<u64>,
}

/// An integer that the docs type INT but send as a string (`"12"`, D-A2): both are accepted,
/// as a Laravel `integer` rule accepts both.
fn integer(value: Option<&Value>, field: &str) -> Result<Option<u64>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("The {field} must be an integer.")),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s
            .parse()
            .map(Some)
            .map_err(|_| format!("The {field} must be an integer.")),
        Some(_) => Err(format!("The {field} must be an integer.")),
    }
}

fn validate(req: &Request, tenant: &CareSoftTenant) -> Result<Sms, String> {
    if req.head.media_type().as_deref() != Some("application/json") {
        return Err("The request body must be JSON (Content-Type: application/json).".into());
    }
    let top = Fields::parse(&req.body).map_err(|_| "The request body is not valid JSON.")?;
    if let Some(name) = misspelled_member(top.keys().map(String::as_str), &["sms"], &[]) {
        return Err(format!("Unknown field {name}; did you mean sms?"));
    }
    let Some(Value::Object(sms)) = top.get("sms") else {
        return Err("The sms field is required.".into());
    };
    let allowed = ["service_id", "content", "phone", "ticket_id"];
    if let Some(name) = misspelled_member(sms.keys().map(String::as_str), &allowed, &[]) {
        return Err(format!("Unknown field sms.{name}; check its spelling."));
    }
    let f = Fields::new(sms);

    let service_id = integer(f.get("service_id"), "sms.service_id")?
        .ok_or("The sms.service_id field is required.")?;
    if !tenant.service_ids.contains(&service_id) {
        return Err("The selected sms.service_id is invalid.".into());
    }
    let content = match f.get("content") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        None | Some(Value::Null) | Some(Value::String(_)) => {
            return Err("The sms.content field is required.".into());
        }
        Some(_) => return Err("The sms.content must be a string.".into()),
    };
    if content.chars().count() > CONTENT_MAX_CHARS {
        return Err("The sms.content may not be greater than 1000 characters.".into());
    }
    let phone = match f.get("phone") {
        Some(Value::String(s)) if is_national_phone(s) => s.clone(),
        None | Some(Value::Null) => return Err("The sms.phone field is required.".into()),
        Some(_) => return Err("The sms.phone format is invalid.".into()),
    };
    let ticket_id = integer(f.get("ticket_id"), "sms.ticket_id")?;
    Ok(Sms {
        service_id,
        content,
        phone,
        ticket_id,
    })
}

/// A validated ZNS.
struct Zns {
    phone: String,
    template_id: u64,
    ticket_id: Option<u64>,
    params: Vec<(String, String)>,
}

fn validate_zns(req: &Request, tenant: &CareSoftTenant) -> Result<Zns, String> {
    if req.head.media_type().as_deref() != Some("application/json") {
        return Err("The request body must be JSON (Content-Type: application/json).".into());
    }
    let top = Fields::parse(&req.body).map_err(|_| "The request body is not valid JSON.")?;
    if let Some(name) = misspelled_member(top.keys().map(String::as_str), &["zns"], &[]) {
        return Err(format!("Unknown field {name}; did you mean zns?"));
    }
    let Some(Value::Object(zns)) = top.get("zns") else {
        return Err("The zns field is required.".into());
    };
    let allowed = ["phone", "template_id", "ticket_id", "params"];
    if let Some(name) = misspelled_member(zns.keys().map(String::as_str), &allowed, &[]) {
        return Err(format!("Unknown field zns.{name}; check its spelling."));
    }
    let f = Fields::new(zns);
    let phone = match f.get("phone") {
        Some(Value::String(s)) if is_national_phone(s) => s.clone(),
        None | Some(Value::Null) => return Err("The zns.phone field is required.".into()),
        Some(_) => return Err("The zns.phone format is invalid.".into()),
    };
    let template_id = integer(f.get("template_id"), "zns.template_id")?
        .ok_or("The zns.template_id field is required.")?;
    if !tenant.zns_template_ids.contains(&template_id) {
        return Err("The selected zns.template_id is invalid.".into());
    }
    let ticket_id = integer(f.get("ticket_id"), "zns.ticket_id")?;
    let params = match f.get("params") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(members)) => members
            .iter()
            .map(|(name, value)| match value {
                Value::String(v) => Ok((name.clone(), v.clone())),
                _ => Err(format!("The zns.params.{name} must be a string.")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("The zns.params must be an object.".into()),
    };
    Ok(Zns {
        phone,
        template_id,
        ticket_id,
        params,
    })
}

fn accept_zns(shared: &Shared, tenant: &CareSoftTenant, zns: Zns) -> Response {
    let outcome = crate::zalo::zalo_outcome(&shared.config.zalo, &zns.phone);
    let delivery = crate::zalo::delivery(shared, outcome, false);
    let mut state = shared.lock();
    let ticket = ticket_for(&mut state.caresoft, zns.ticket_id, &zns.phone);
    state.record(AcceptedMessage {
        seq: 0,
        created_at_unix_ms: 0,
        provider: Provider::CareSoft,
        endpoint: Endpoint::CareSoftZns,
        account: tenant.domain.clone(),
        recipients: vec![zns.phone.clone()],
        text: None,
        sender: None,
        kind: MessageKind::CareSoftZns {
            template_id: zns.template_id,
        },
        unicode: None,
        sandbox: false,
        schedule: None,
        request_id: None,
        callback_url: None,
        campaign_id: None,
        attached_ticket_id: zns.ticket_id,
        viber: None,
        zns: Some(ZnsDetails {
            oa_id: None,
            template_id: zns.template_id.to_string(),
            params: zns
                .params
                .into_iter()
                .map(|(name, value)| ZnsParam { name, value })
                .collect(),
            recipient: ZnsRecipient::Phone { phone: zns.phone },
            journey_order_id: None,
            sending_mode: None,
            delivery,
            price: 0,
        }),
        multichannel: None,
        generated_code: None,
        reference: Reference::CareSoftTicket {
            ticket_id: ticket.ticket_id,
            ticket_no: ticket.ticket_no,
        },
    });
    ticket_answer(ticket)
}

/// The ticket a message goes into: the one named by `ticket_id` (numbered on first sight),
/// or a new one; and the customer id of the phone.
fn ticket_for(cs: &mut CareSoftState, ticket_id: Option<u64>, phone: &str) -> Ticket {
    let (ticket_id, ticket_no) = match ticket_id {
        Some(id) => {
            let next_no = FIRST_TICKET_NO + cs.tickets_created;
            let no = *cs.tickets.entry(id).or_insert(next_no);
            if no == next_no {
                cs.tickets_created += 1;
            }
            (id, no)
        }
        None => {
            let id = FIRST_TICKET_ID + cs.tickets_created;
            let no = FIRST_TICKET_NO + cs.tickets_created;
            cs.tickets_created += 1;
            cs.tickets.insert(id, no);
            (id, no)
        }
    };
    let next_requester = FIRST_REQUESTER_ID + cs.requesters.len() as u64;
    let requester_id = *cs
        .requesters
        .entry(phone.to_owned())
        .or_insert(next_requester);
    Ticket {
        ticket_id,
        ticket_no,
        requester_id,
        assignee_id: 1,
    }
}

fn ticket_answer(ticket: Ticket) -> Response {
    let body = serde_json::to_vec(&OkBody { code: "ok", ticket }).unwrap_or_default();
    Response::json(200, body)
}

fn accept(shared: &Shared, tenant: &CareSoftTenant, sms: Sms) -> Response {
    let mut state = shared.lock();
    let ticket = ticket_for(&mut state.caresoft, sms.ticket_id, &sms.phone);
    let (ticket_id, ticket_no) = (ticket.ticket_id, ticket.ticket_no);
    state.record(AcceptedMessage {
        seq: 0,
        created_at_unix_ms: 0,
        provider: Provider::CareSoft,
        endpoint: Endpoint::CareSoftSms,
        account: tenant.domain.clone(),
        recipients: vec![sms.phone],
        text: Some(sms.content),
        sender: None,
        kind: MessageKind::CareSoft {
            service_id: sms.service_id,
        },
        unicode: None,
        sandbox: false,
        schedule: None,
        request_id: None,
        callback_url: None,
        campaign_id: None,
        attached_ticket_id: sms.ticket_id,
        viber: None,
        zns: None,
        multichannel: None,
        generated_code: None,
        reference: Reference::CareSoftTicket {
            ticket_id,
            ticket_no,
        },
    });
    ticket_answer(ticket)
}
