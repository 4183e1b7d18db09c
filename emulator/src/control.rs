//! The control API under `/_emulator/`, for tests in other languages that run the emulator as
//! a separate process. Faults never apply to these paths.
//!
//! The routes, the fault kinds and the JSON shapes are documented on the crate (`lib.rs`),
//! which is what users of the process read.

use std::time::Duration;

use serde::Deserialize;

use crate::faults::FaultRequest;
use crate::http::{Method, Request, Response};
use crate::shared::Shared;

/// Path prefix of the control API.
pub(crate) const PREFIX: &str = "/_emulator/";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdvanceClock {
    secs: u64,
}

/// Run-time switches; a member left out keeps its current value.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    interits_dedup_request_id: Option<bool>,
}

/// The current switches, as both settings routes answer them.
fn settings(shared: &Shared) -> Response {
    let dedup = shared.lock().interits.dedup_request_id;
    Response::json(200, format!(r#"{{"interits_dedup_request_id":{dedup}}}"#))
}

fn bad(message: &str) -> Response {
    let body = serde_json::json!({ "error": message }).to_string();
    Response::json(400, body)
}

/// Handles a request whose path starts with [`PREFIX`]; `rest` is the path after it.
pub(crate) fn handle(shared: &Shared, req: &Request, rest: &str) -> Response {
    match (&req.head.method, rest) {
        (Method::Get, "health") => Response::json(200, r#"{"ok":true}"#),
        (Method::Get, "messages") => {
            let messages = shared.lock().messages.clone();
            Response::json(200, serde_json::to_vec(&messages).unwrap_or_default())
        }
        (Method::Get, "delivery-reports") => {
            let reports = shared.lock().reports.clone();
            Response::json(200, serde_json::to_vec(&reports).unwrap_or_default())
        }
        (Method::Post, "faults") => match serde_json::from_slice::<FaultRequest>(&req.body) {
            Ok(request) => match request.spec.into_fault() {
                Ok(fault) => {
                    shared
                        .lock()
                        .faults
                        .push(fault, request.times, request.path.as_deref());
                    Response::json(200, r#"{"queued":true}"#)
                }
                Err(why) => bad(why),
            },
            Err(e) => bad(&e.to_string()),
        },
        (Method::Post, "reset") => {
            shared.reset();
            Response::json(200, r#"{"reset":true}"#)
        }
        (Method::Post, "advance-clock") => {
            match serde_json::from_slice::<AdvanceClock>(&req.body) {
                Ok(AdvanceClock { secs }) => {
                    shared.clock.advance(Duration::from_secs(secs));
                    Response::json(200, format!(r#"{{"advanced_secs":{secs}}}"#))
                }
                Err(e) => bad(&e.to_string()),
            }
        }
        (Method::Get, "settings") => settings(shared),
        (Method::Post, "settings") => match serde_json::from_slice::<Settings>(&req.body) {
            Ok(Settings {
                interits_dedup_request_id,
            }) => {
                if let Some(on) = interits_dedup_request_id {
                    shared.lock().interits.dedup_request_id = on;
                }
                settings(shared)
            }
            Err(e) => bad(&e.to_string()),
        },
        (
            _,
            "health" | "messages" | "delivery-reports" | "faults" | "reset" | "advance-clock"
            | "settings",
        ) => Response::json(405, r#"{"error":"method not allowed"}"#),
        _ => Response::json(404, r#"{"error":"unknown control path"}"#),
    }
}
