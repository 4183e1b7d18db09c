//! The control API under `/_emulator/`, for tests in other languages that run the emulator as
//! a separate process. Faults never apply to these paths.
//!
//! The routes, the fault kinds and the JSON shapes are documented on the crate (`lib.rs`),
//! which is what users of the process read.

use std::time::Duration;

use serde::Deserialize;

use crate::config::{
    CheckCodeInvalid, MultiChannelReportId, MultiChannelReturnedId, ZnsBulkDetail,
};
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
    esms_multichannel_returned_sms_id: Option<MultiChannelReturnedId>,
    esms_multichannel_report_sms_id: Option<MultiChannelReportId>,
    esms_check_code_invalid: Option<CheckCodeInvalid>,
    esms_zns_bulk_detail: Option<ZnsBulkDetail>,
}

/// A serde value as its JSON text (the enums above serialize to strings).
fn json_text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The current switches, as both settings routes answer them, members in a fixed order.
fn settings(shared: &Shared) -> Response {
    let state = shared.lock();
    let dedup = state.interits.dedup_request_id;
    let returned = json_text(&state.esms.multichannel.returned);
    let reports = json_text(&state.esms.multichannel.reports);
    let check = json_text(&state.esms.check_code_invalid);
    let bulk = json_text(&state.esms.zns_bulk_detail);
    drop(state);
    Response::json(
        200,
        format!(
            r#"{{"interits_dedup_request_id":{dedup},"esms_multichannel_returned_sms_id":{returned},"esms_multichannel_report_sms_id":{reports},"esms_check_code_invalid":{check},"esms_zns_bulk_detail":{bulk}}}"#
        ),
    )
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
            Ok(changes) => {
                let mut state = shared.lock();
                if let Some(on) = changes.interits_dedup_request_id {
                    state.interits.dedup_request_id = on;
                }
                if let Some(returned) = changes.esms_multichannel_returned_sms_id {
                    state.esms.multichannel.returned = returned;
                }
                if let Some(reports) = changes.esms_multichannel_report_sms_id {
                    state.esms.multichannel.reports = reports;
                }
                if let Some(code) = changes.esms_check_code_invalid {
                    state.esms.check_code_invalid = code;
                }
                if let Some(listing) = changes.esms_zns_bulk_detail {
                    state.esms.zns_bulk_detail = listing;
                }
                drop(state);
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
