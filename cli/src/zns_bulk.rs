//! `nhantin send --provider esms --kind zns-bulk --oa-id OA --template ID --csv FILE`: one
//! personalised bulk ZNS (`Content::ZnsBulk`) to every row, sent by `Client::send_bulk` (one
//! request per 500 rows), reported per recipient.
//!
//! The CSV is read as a campaign's is (`campaign::read_csv`): a `phone` column and one column
//! per template parameter, in the template's order, since eSMS takes the values by position.
//! Before anything is sent, the columns are checked against the template's parameters
//! (`GetTemplate/`, read-only) and every row's shape (its width, its phone, a phone on an
//! earlier line); the values are eSMS's to judge, per recipient (790).
//!
//! There is no journal: every recipient is sent with its own id,
//! `<base>-<digest of its phone>` (core's `zns_bulk_recipient_id`), which eSMS de-duplicates
//! for 24 hours, so rerunning the same command sends nobody twice.

use std::collections::BTreeMap;
use std::path::Path;

use nhantin_core::campaign::{InvalidRow, Table, PHONE_COLUMN};
use nhantin_core::esms::{
    zns_bulk_recipient_id, EsmsLookup, EsmsLookupAnswer, ZnsTemplate, ZnsTemplateKind,
};
use nhantin_core::input::ZnsParamInput;
use nhantin_core::receipt::RecipientResult;
use nhantin_core::send::{BatchResult, SendError};
use nhantin_core::zns::{check_params, ZnsParam};
use nhantin_core::{Error, PhoneNumber, Provider};
use nhantin_transport::{Client, SendClass, SendOutcome};
use serde_json::{json, Value};

use crate::args::SendArgs;
use crate::campaign::{class_name, list_invalid, read_csv, CLASSES};
use crate::{exit_code, print_json, Failure, EXIT_PARTIAL};

/// A CSV row that passed the checks.
struct Recipient {
    line: u64,
    phone: PhoneNumber,
    params: Vec<ZnsParamInput>,
}

pub fn run(a: SendArgs) -> Result<(), Failure> {
    let Some(csv_path) = a.campaign.csv.clone() else {
        return Err(Failure::invalid(
            "--kind zns-bulk takes its recipients and their parameter values from --csv FILE (a `phone` column, then one column per template parameter in the template's order), not from --to",
        ));
    };
    let refused = a.campaign.journal_only_flags();
    if !refused.is_empty() {
        return Err(Failure::invalid(format!(
            "{} {} for campaigns of one message per row; a bulk ZNS is one message, and what keeps a rerun from sending anyone twice is each recipient's own id (<--request-id>-<digest of its phone>), which eSMS remembers for 24 hours: rerun the same command instead; nothing was sent",
            refused.join(", "),
            if refused.len() == 1 { "is" } else { "are" }
        )));
    }
    let account = a.account.to_input().map_err(Failure::invalid)?.validate()?;
    if account.provider() != Provider::Esms {
        return Err(Failure::invalid(format!(
            "--kind zns-bulk is eSMS's Send_zns_bulk_v4_post_json/; {} has no bulk ZNS",
            account.provider()
        )));
    }
    let (Some(oa_id), Some(template_id)) = (&a.message.oa_id, &a.message.template) else {
        return Err(Failure::invalid(
            "--kind zns-bulk needs --oa-id (the OA the template is registered for) and --template",
        ));
    };
    let table = read_csv(&csv_path)?;
    let (columns, recipients) = read_rows(&table, &csv_path)?;
    let input = a
        .message
        .to_bulk_input(
            recipients.iter().map(|r| r.phone.national()).collect(),
            recipients.iter().map(|r| r.params.clone()).collect(),
        )
        .map_err(Failure::invalid)?;
    let message = input.validate()?;
    let client = Client::new(account, a.connection.config())?;
    check_columns(&client, oa_id, template_id, &columns, &csv_path)?;

    let batches = client.send_bulk(&message)?;
    let verdicts = verdicts(&batches, &recipients);
    let base = batches
        .first()
        .and_then(|b| b.request_id.as_ref())
        .map(|id| id.as_str().to_owned())
        .unwrap_or_default();
    let derived = a.message.request_id.is_none();
    if a.json {
        print_json(&report_json(
            oa_id,
            template_id,
            &base,
            derived,
            &batches,
            &recipients,
            &verdicts,
        ));
    } else {
        println!(
            "bulk ZNS of template {template_id} from OA {oa_id} to {} recipient(s), request id {base}{}",
            recipients.len(),
            if derived {
                " (derived from the content: an edited CSV gets new ids; pass --request-id to keep them)"
            } else {
                ""
            }
        );
        for (batch, result) in batches.iter().enumerate() {
            if let Err(e) = &result.result {
                let lines = &recipients[result.first_recipient..][..result.recipients];
                eprintln!(
                    "lines {}..{} (request {} of {}): {e}",
                    lines.first().map_or(0, |r| r.line),
                    lines.last().map_or(0, |r| r.line),
                    batch + 1,
                    batches.len()
                );
            }
        }
        for (r, v) in recipients.iter().zip(&verdicts) {
            println!(
                "  line {} ({}, id {}): {}",
                r.line,
                r.phone.masked(),
                v.request_id,
                describe(&v.verdict)
            );
        }
        println!("{} recipient(s): {}", recipients.len(), summary(&verdicts));
    }
    exit(&batches, &verdicts)
}

/// The CSV's parameter columns (every column but `phone`, in order) and its rows, each checked:
/// its width, its phone, a phone already on an earlier line, its values as parameters. Any bad
/// row stops the send with every bad line listed.
fn read_rows(table: &Table, path: &Path) -> Result<(Vec<String>, Vec<Recipient>), Failure> {
    let refuse =
        |why: String| Failure::invalid(format!("{}: {why}; nothing was sent", path.display()));
    for (i, h) in table.headers.iter().enumerate() {
        if h.is_empty() {
            return Err(refuse(format!(
                "column {} of the header has no name",
                i + 1
            )));
        }
        if table.headers[..i].contains(h) {
            return Err(refuse(format!("the header names column `{h}` twice")));
        }
    }
    let Some(phone_at) = table.headers.iter().position(|h| h == PHONE_COLUMN) else {
        return Err(refuse(format!(
            "the header has no `{PHONE_COLUMN}` column (columns: {})",
            table.headers.join(", ")
        )));
    };
    let columns: Vec<String> = table
        .headers
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != phone_at)
        .map(|(_, h)| h.clone())
        .collect();
    if columns.is_empty() {
        return Err(refuse(
            "the header has no parameter columns: after `phone`, one column per template parameter, named as the template names them".into(),
        ));
    }
    let mut recipients = Vec::with_capacity(table.rows.len());
    let mut invalid = Vec::new();
    let mut seen: BTreeMap<PhoneNumber, u64> = BTreeMap::new();
    for row in &table.rows {
        let bad = |field: &str, reason: String| InvalidRow {
            line: row.line,
            row: None,
            error: Error::InvalidInput {
                field: field.to_owned(),
                reason,
            },
        };
        if row.values.len() != table.headers.len() {
            invalid.push(bad(
                "csv",
                format!(
                    "has {} fields; the header has {}",
                    row.values.len(),
                    table.headers.len()
                ),
            ));
            continue;
        }
        let phone = match PhoneNumber::parse(PHONE_COLUMN, &row.values[phone_at]) {
            Ok(p) => p,
            Err(error) => {
                invalid.push(InvalidRow {
                    line: row.line,
                    row: None,
                    error,
                });
                continue;
            }
        };
        if let Some(first) = seen.get(&phone) {
            invalid.push(bad(
                PHONE_COLUMN,
                format!(
                    "{} is the same number as on line {first}; it would receive the message twice",
                    phone.masked()
                ),
            ));
            continue;
        }
        seen.insert(phone.clone(), row.line);
        let params: Vec<ZnsParamInput> = row
            .values
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != phone_at)
            .zip(&columns)
            .map(|((_, value), name)| ZnsParamInput {
                name: name.clone(),
                value: value.clone(),
            })
            .collect();
        let checked = check_params(
            params
                .iter()
                .map(|p| ZnsParam {
                    name: p.name.clone(),
                    value: p.value.clone(),
                })
                .collect(),
        );
        if let Err(error) = checked {
            invalid.push(InvalidRow {
                line: row.line,
                row: None,
                error,
            });
            continue;
        }
        recipients.push(Recipient {
            line: row.line,
            phone,
            params,
        });
    }
    if !invalid.is_empty() {
        return Err(Failure::invalid(format!(
            "{} of {} rows of {} are invalid; nothing was sent:\n{}",
            invalid.len(),
            table.rows.len(),
            path.display(),
            list_invalid(&invalid)
        )));
    }
    Ok((columns, recipients))
}

/// Checks the CSV's parameter columns against the template's parameters, names and order:
/// eSMS takes the values by position, so columns in another order would send each value in the
/// wrong place. The template is looked for among the OA's normal templates, then its priority
/// ones.
fn check_columns(
    client: &Client,
    oa_id: &str,
    template_id: &str,
    columns: &[String],
    path: &Path,
) -> Result<(), Failure> {
    let mut template: Option<ZnsTemplate> = None;
    for kind in [ZnsTemplateKind::Normal, ZnsTemplateKind::Priority] {
        let lookup = EsmsLookup::ZnsTemplates {
            oa_id: oa_id.to_owned(),
            kind,
        };
        match client.lookup(&lookup) {
            Ok(EsmsLookupAnswer::ZnsTemplates { templates }) => {
                template = templates.into_iter().find(|t| t.id == template_id);
            }
            Ok(_) => unreachable!("a templates lookup answers with templates"),
            Err(e) => {
                let failure = Failure::from(e);
                return Err(Failure {
                    message: format!(
                        "looking up template {template_id} to check the columns of {}: {}; nothing was sent",
                        path.display(),
                        failure.message
                    ),
                    ..failure
                });
            }
        }
        if template.is_some() {
            break;
        }
    }
    let Some(template) = template else {
        return Err(Failure::invalid(format!(
            "template {template_id} is not among the ZNS templates of OA {oa_id} (GetTemplate/, normal and priority); nothing was sent"
        )));
    };
    let names: Vec<&str> = template.params.iter().map(|p| p.name.as_str()).collect();
    if names != columns.iter().map(String::as_str).collect::<Vec<_>>() {
        return Err(Failure::invalid(format!(
            "the columns of {} after `phone` are {}; template {template_id} takes {}, in that order (eSMS takes the values by position); nothing was sent",
            path.display(),
            columns.join(", "),
            names.join(", ")
        )));
    }
    Ok(())
}

/// What became of one recipient.
enum Verdict<'a> {
    /// eSMS's answer for it.
    Recipient(&'a RecipientResult),
    /// Its request was answered "already submitted" as a whole.
    RequestAlreadySubmitted,
    /// Its request failed as a whole.
    Failed(&'a SendError),
    /// The receipt does not name it (never seen: core gives every recipient a result).
    Missing,
}

struct Settled<'a> {
    request_id: String,
    batch: usize,
    verdict: Verdict<'a>,
}

fn verdicts<'a>(batches: &'a [BatchResult], recipients: &[Recipient]) -> Vec<Settled<'a>> {
    let mut out = Vec::with_capacity(recipients.len());
    for (b, batch) in batches.iter().enumerate() {
        let base = batch.request_id.as_ref().map(|id| id.as_str());
        for i in 0..batch.recipients {
            let phone = &recipients[batch.first_recipient + i].phone;
            let own_id = || {
                base.and_then(|base| zns_bulk_recipient_id(base, phone).ok())
                    .map_or_else(|| "-".to_owned(), |id| id.to_string())
            };
            let (request_id, verdict) = match &batch.result {
                Ok(SendOutcome::Accepted { receipt, .. }) => {
                    match receipt.recipients.iter().find(|r| r.index == i) {
                        Some(r) => (
                            r.request_id
                                .as_ref()
                                .map_or_else(own_id, |id| id.to_string()),
                            Verdict::Recipient(&r.result),
                        ),
                        None => (own_id(), Verdict::Missing),
                    }
                }
                Ok(SendOutcome::AlreadySubmitted { .. }) => {
                    (own_id(), Verdict::RequestAlreadySubmitted)
                }
                Err(e) => (own_id(), Verdict::Failed(e)),
            };
            out.push(Settled {
                request_id,
                batch: b,
                verdict,
            });
        }
    }
    out
}

/// The class of a recipient's verdict, for the exit code: core's, for a recipient's result.
fn class(verdict: &Verdict) -> SendClass {
    match verdict {
        Verdict::Recipient(result) => result.class(),
        Verdict::RequestAlreadySubmitted => SendClass::AlreadySubmitted,
        Verdict::Missing => SendClass::OutcomeUnknown,
        Verdict::Failed(e) => e.class(),
    }
}

const ALREADY_SUBMITTED: &str = "already submitted: not sent again; whether the earlier attempt was accepted is unknown: check its delivery report";

fn describe(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Recipient(RecipientResult::Accepted { sms_id }) => {
            format!("accepted, SMSID {sms_id}")
        }
        Verdict::Recipient(RecipientResult::Refused {
            reason,
            code,
            message,
        }) => format!(
            "refused (eSMS {}, {}): {message}",
            code.as_deref().unwrap_or("-"),
            crate::lookup::name(reason)
        ),
        Verdict::Recipient(RecipientResult::AlreadySubmitted)
        | Verdict::RequestAlreadySubmitted => ALREADY_SUBMITTED.to_owned(),
        Verdict::Recipient(RecipientResult::Throttled { message }) => {
            format!("throttled, not sent: {message}")
        }
        Verdict::Recipient(RecipientResult::Unknown { why }) => {
            format!("unknown, it may have been sent: {why}")
        }
        Verdict::Missing => "unknown: the receipt does not name it".to_owned(),
        Verdict::Failed(e) => format!(
            "{}: its request failed (the error is on standard error)",
            class_name(e.class()).replace('_', " ")
        ),
    }
}

fn counts(verdicts: &[Settled]) -> Vec<(SendClass, usize)> {
    CLASSES
        .iter()
        .map(|c| {
            (
                *c,
                verdicts.iter().filter(|v| class(&v.verdict) == *c).count(),
            )
        })
        .collect()
}

fn summary(verdicts: &[Settled]) -> String {
    counts(verdicts)
        .into_iter()
        .filter(|(c, n)| *n > 0 || *c == SendClass::Accepted)
        .map(|(c, n)| format!("{n} {}", class_name(c).replace('_', " ")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn report_json(
    oa_id: &str,
    template_id: &str,
    base: &str,
    derived: bool,
    batches: &[BatchResult],
    recipients: &[Recipient],
    verdicts: &[Settled],
) -> Value {
    let counts: serde_json::Map<String, Value> = counts(verdicts)
        .into_iter()
        .map(|(c, n)| (class_name(c), n.into()))
        .collect();
    let rows: Vec<Value> = recipients
        .iter()
        .zip(verdicts)
        .map(|(r, v)| {
            let mut row = json!({
                "line": r.line, "phone": r.phone.masked(), "request_id": v.request_id,
                "class": class(&v.verdict), "batch": v.batch, "message": describe(&v.verdict),
            });
            if let Verdict::Recipient(result) = v.verdict {
                row["result"] = json!(result);
            }
            row
        })
        .collect();
    json!({
        "oa_id": oa_id, "template_id": template_id,
        "request_id": base, "request_id_derived": derived,
        "total": recipients.len(), "counts": counts,
        "recipients": rows, "batches": batches,
    })
}

/// 0 when every recipient was accepted, the one way they all ended otherwise, else 8.
fn exit(batches: &[BatchResult], verdicts: &[Settled]) -> Result<(), Failure> {
    let classes: Vec<SendClass> = verdicts.iter().map(|v| class(&v.verdict)).collect();
    let accepted = classes
        .iter()
        .filter(|c| **c == SendClass::Accepted)
        .count();
    let code = match classes.as_slice() {
        [] => 0,
        [first, rest @ ..] if rest.iter().all(|c| c == first) => exit_code(*first),
        _ => EXIT_PARTIAL,
    };
    let message = match code {
        0 => return Ok(()),
        EXIT_PARTIAL => format!(
            "partial: {accepted} of {} recipients accepted. Rerunning this same command sends nobody twice (every recipient's id repeats, and one sent before is answered 124: already submitted), so it settles those throttled or not sent; a refused one is refused again until its row is fixed: send fixed rows in a new CSV with a new --request-id",
            classes.len()
        ),
        _ => batches
            .iter()
            .find_map(|b| b.result.as_ref().err().map(|e| e.to_string()))
            .unwrap_or_else(|| {
                format!("no recipient was accepted: every one ended as {}", classes[0])
            }),
    };
    Err(Failure { code, message })
}
