//! `nhantin lookup --provider esms LOOKUP [flags]`: one eSMS lookup around ZNS
//! ([`nhantin_core::esms::EsmsLookup`]), sent by the transport (`Client::lookup`, read-only, so resent freely) and
//! printed in words, or with `--json` as core's JSON form of the answer.

use nhantin_core::esms::{EsmsLookupAnswer, EsmsSmsType, ZaloDelivery, ZnsState};
use nhantin_core::Timestamp;
use nhantin_transport::Client;
use serde_json::json;

use crate::args::LookupArgs;
use crate::{error_json, print_json, Failure};

pub fn run(a: LookupArgs) -> Result<(), Failure> {
    let lookup = a.to_lookup().map_err(Failure::invalid)?;
    let account = a.account.to_input().map_err(Failure::invalid)?.validate()?;
    let client = Client::new(account, a.connection.config())?;
    match client.lookup(&lookup) {
        Ok(answer) if a.json => {
            print_json(&serde_json::to_value(&answer).expect("answers serialize"));
            Ok(())
        }
        Ok(answer) => {
            for line in describe(&answer) {
                println!("{line}");
            }
            Ok(())
        }
        Err(e) => {
            if a.json {
                print_json(&json!({"error": error_json(&e)}));
            }
            Err(e.into())
        }
    }
}

/// A value serialized by core, as its JSON text (`"sent"`, `"customer_care"`).
pub(crate) fn name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

fn or_dash(value: &Option<impl std::fmt::Display>) -> String {
    value
        .as_ref()
        .map_or_else(|| "-".to_owned(), ToString::to_string)
}

/// The answer in words, one line each; every value the answer has, none it lacks invented.
pub fn describe(answer: &EsmsLookupAnswer) -> Vec<String> {
    let mut lines = Vec::new();
    match answer {
        EsmsLookupAnswer::ZnsTemplates { templates } => {
            lines.push(format!("{} template(s)", templates.len()));
            for t in templates {
                let params: Vec<String> = t
                    .params
                    .iter()
                    .map(|p| {
                        let mut rules = Vec::new();
                        if let Some(max) = p.max_length {
                            rules.push(format!("at most {max}"));
                        }
                        if let Some(kind) = &p.kind {
                            rules.push(kind.clone());
                        }
                        if rules.is_empty() {
                            p.name.clone()
                        } else {
                            format!("{} ({})", p.name, rules.join(", "))
                        }
                    })
                    .collect();
                lines.push(format!(
                    "  {} {:?}: {}",
                    t.id,
                    t.name.as_deref().unwrap_or(""),
                    if params.is_empty() {
                        "no parameters".to_owned()
                    } else {
                        params.join(", ")
                    }
                ));
            }
        }
        EsmsLookupAnswer::ZnsTemplateInfo { info } => {
            lines.push(format!(
                "template {} {:?}: status {}, tag {}, quality {}, timeout {}",
                info.id,
                info.name.as_deref().unwrap_or(""),
                or_dash(&info.status),
                or_dash(&info.tag),
                or_dash(&info.quality),
                or_dash(&info.timeout)
            ));
            if let Some(reason) = &info.reason {
                lines.push(format!("  reason: {reason}"));
            }
            for p in &info.params {
                let mut rules = vec![or_dash(&p.kind)];
                match (p.min_length, p.max_length) {
                    (Some(min), Some(max)) => rules.push(format!("{min} to {max} characters")),
                    (None, Some(max)) => rules.push(format!("at most {max} characters")),
                    (Some(min), None) => rules.push(format!("at least {min} characters")),
                    (None, None) => {}
                }
                if let Some(required) = p.required {
                    rules.push(if required { "required" } else { "optional" }.to_owned());
                }
                if let Some(null) = p.accepts_null {
                    rules.push(if null { "may be empty" } else { "not empty" }.to_owned());
                }
                lines.push(format!("  param {}: {}", p.name, rules.join(", ")));
            }
            for b in &info.buttons {
                lines.push(format!(
                    "  button {:?} (type {}): {}",
                    b.title.as_deref().unwrap_or(""),
                    or_dash(&b.kind),
                    or_dash(&b.content)
                ));
            }
            if info.applies_template_quota == Some(true) {
                lines.push(format!(
                    "  template quota: {} of {} remaining today",
                    or_dash(&info.remaining_quota),
                    or_dash(&info.daily_quota)
                ));
            }
            if let Some(url) = &info.preview_url {
                lines.push(format!("  preview: {url}"));
            }
        }
        EsmsLookupAnswer::ZaloOas { oas } => {
            lines.push(format!("{} OA(s)", oas.len()));
            for oa in oas {
                lines.push(format!(
                    "  {} {:?}",
                    oa.id,
                    oa.name.as_deref().unwrap_or("")
                ));
            }
        }
        EsmsLookupAnswer::ZnsQuota { quota } => {
            lines.push(format!(
                "remaining {} of the daily {}",
                or_dash(&quota.remaining),
                or_dash(&quota.daily)
            ));
        }
        EsmsLookupAnswer::ZnsStatus { status } => {
            let state = match status.state {
                ZnsState::Pending => "pending: not sent to Zalo yet".to_owned(),
                ZnsState::Sent => "sent: Zalo took it".to_owned(),
                ZnsState::Failed => {
                    format!("failed: Zalo error {}", or_dash(&status.zalo_error))
                }
            };
            let finality = match status.is_final {
                Some(true) => "; final",
                Some(false) => "; may still change",
                None => "",
            };
            lines.push(format!(
                "SMSID {}: {state}{finality}",
                or_dash(&status.sms_id)
            ));
            if let Some(id) = &status.zalo_message_id {
                lines.push(format!(
                    "  Zalo message id {id} (`nhantin lookup zalo-message-status --message-id {id}`)"
                ));
            }
            lines.push(format!(
                "  SendStatus {}, {} delivered, {} failed, {} VND",
                or_dash(&status.send_status),
                or_dash(&status.send_success),
                or_dash(&status.send_failed),
                or_dash(&status.total_price)
            ));
        }
        EsmsLookupAnswer::ZaloMessageStatus { status } => {
            let when = status
                .delivery_time_ms
                .map(|ms| format!(" at {}", Timestamp::from_unix_millis(ms).to_rfc3339_utc()))
                .unwrap_or_default();
            let what = match status.delivery {
                ZaloDelivery::NotFound => "not found: Zalo has no such message".to_owned(),
                ZaloDelivery::Pushed => "pushed to Zalo, not on the phone yet".to_owned(),
                ZaloDelivery::Delivered => format!("delivered to the phone{when}"),
                ZaloDelivery::Undocumented => {
                    format!("status {} (undocumented)", or_dash(&status.status))
                }
            };
            lines.push(match &status.message {
                Some(m) => format!("{what}; Zalo says {m:?}"),
                None => what,
            });
        }
        EsmsLookupAnswer::Brandnames { brandnames } => {
            lines.push(format!("{} brandname(s)", brandnames.len()));
            for b in brandnames {
                lines.push(match b.sms_type.map(|n| (n, EsmsSmsType::from_code(n))) {
                    Some((n, EsmsSmsType::Other(_))) => format!("  {} (type {n})", b.name),
                    Some((n, kind)) => {
                        format!("  {} (type {n}, {})", b.name, name(&kind).replace('_', " "))
                    }
                    None => format!("  {}", b.name),
                });
            }
        }
    }
    lines
}
