//! `nhantin send --csv FILE --journal FILE --campaign ID`: one message per row, rerun-safe.
//!
//! The CSV is read here; every decision is core's (`nhantin_core::campaign`: row ids, the
//! checks, what a rerun does with each row) and the journal and sends are the transport's
//! (`nhantin_transport::campaign`).

use std::path::Path;
use std::time::{Duration, Instant};

use nhantin_core::campaign::{
    self, CampaignId, InvalidRow, Journal, Table, TableRow, Template, TextSource,
};
use nhantin_core::esms::{ReconcilePolicy, ReconcileVerdict};
use nhantin_transport::campaign::{
    CampaignOptions, CampaignReport, JournalFile, Progress, RowReport, RowResult,
};
use nhantin_transport::{CampaignError, Client, SendClass, SendOutcome};
use serde_json::{json, Value};

use crate::args::SendArgs;
use crate::{exit_code, print_json, Failure, EXIT_INVALID, EXIT_PARTIAL, EXIT_UNKNOWN};

/// Rows listed by name in the text summary and in the invalid-row error; the rest are counted.
const LISTED: usize = 50;

pub fn run(a: SendArgs) -> Result<(), Failure> {
    let csv_path = a.campaign.csv.clone().expect("dispatched on --csv");
    let (Some(journal_path), Some(id)) = (a.campaign.journal.clone(), a.campaign.campaign.clone())
    else {
        return Err(Failure::invalid(
            "a campaign (--csv) needs --journal FILE and --campaign ID (see `nhantin send --help`); nothing was sent",
        ));
    };
    let id = CampaignId::new(id)?;
    let account = a.account.to_input().map_err(Failure::invalid)?.validate()?;
    let mut input = a.message.to_input(&[]).map_err(Failure::invalid)?;
    let text = if a.message.has_text() {
        let template = match &mut input.content {
            nhantin_core::ContentInput::Sms { sms } => std::mem::take(&mut sms.text),
            nhantin_core::ContentInput::Viber { viber } => std::mem::take(&mut viber.text),
            nhantin_core::ContentInput::Zns { .. }
            | nhantin_core::ContentInput::ZnsBulk { .. }
            | nhantin_core::ContentInput::ZaloThenSms { .. }
            | nhantin_core::ContentInput::GeneratedOtp { .. } => {
                return Err(Failure::invalid(
                    "only SMS and Viber campaigns take their text from the rows",
                ))
            }
        };
        TextSource::Template(Template::parse(&template)?)
    } else {
        TextSource::Column
    };
    let base = input.validate()?;
    let table = read_csv(&csv_path)?;
    // An earlier run's journal, read (without its lock) to refuse a wrong --campaign or account
    // before anything else; the run itself reads it again under the lock.
    let earlier = match std::fs::read(&journal_path) {
        Ok(bytes) => Journal::parse(&bytes).ok(),
        Err(_) => None,
    };
    if let Some(header) = earlier.as_ref().and_then(|j| j.header.as_ref()) {
        header.check(&id, &account).map_err(|e| {
            Failure::invalid(format!(
                "journal {}: {e}; nothing was sent",
                journal_path.display()
            ))
        })?;
    }
    let mut plan = campaign::plan(&account, &id, &base, &text, &table, crate::now())?;
    // Rows accepted in an earlier run are not sent again, so they need not be valid now (a
    // schedule that has passed since, a cell emptied since).
    let settled = match &earlier {
        Some(journal) => plan.settle_invalid(journal),
        None => Vec::new(),
    };
    if !plan.invalid.is_empty() && !a.campaign.skip_invalid {
        return Err(Failure::invalid(format!(
            "{} of {} rows of {} are invalid; nothing was sent (fix them, or pass --skip-invalid to send the others):\n{}",
            plan.invalid.len(),
            table.rows.len(),
            csv_path.display(),
            list_invalid(&plan.invalid)
        )));
    }

    let client = Client::new(account, a.connection.config())?;
    let mut journal = JournalFile::open(&journal_path, &id, client.account(), client.now())
        .map_err(journal_failure)?;
    if journal.torn_dropped() > 0 {
        eprintln!(
            "nhantin: {}: dropped a torn last line ({} bytes) left by an interrupted run; nothing was sent after it",
            journal_path.display(),
            journal.torn_dropped()
        );
    }
    let options = CampaignOptions {
        reconcile: (!a.campaign.no_reconcile).then(|| ReconcilePolicy {
            margin_ms: i64::try_from(a.campaign.reconcile_margin_secs().saturating_mul(1000))
                .unwrap_or(i64::MAX),
            ..ReconcilePolicy::default()
        }),
    };
    let every = Duration::from_secs(a.campaign.progress_secs());
    let mut last = Instant::now();
    let mut announced = false;
    let mut report = nhantin_transport::campaign::run(
        &client,
        &plan.rows,
        &mut journal,
        &options,
        |p| {
            if p.reconciling > 0 && !announced {
                announced = true;
                eprintln!("nhantin: {id}: looking up {} row(s) whose outcome is unknown in eSMS's records (each waits until {} s after its last attempt)", p.reconciling, a.campaign.reconcile_margin_secs());
            } else if !every.is_zero() && last.elapsed() >= every && p.done < p.total {
                last = Instant::now();
                eprintln!("nhantin: {id}: {}", progress_line(p));
            }
        },
    );
    if !settled.is_empty() {
        report
            .rows
            .extend(settled.into_iter().filter_map(|(invalid, accepted)| {
                let (phone, key) = invalid.row?;
                Some(RowReport {
                    line: invalid.line,
                    phone,
                    key,
                    result: RowResult::Skipped(accepted),
                    reconciled: None,
                    reconcile_error: None,
                })
            }));
        report.rows.sort_by_key(|r| r.line);
    }

    if a.json {
        print_json(&report_json(&id, &journal_path, &report, &plan.invalid));
    } else {
        print_summary(&id, &journal_path, &report, &plan.invalid);
    }
    verdict(&report, &plan.invalid)
}

fn progress_line(p: &Progress) -> String {
    format!(
        "{}/{} rows done: {} accepted, {} unknown, {} failed ({} sent in this run)",
        p.done, p.total, p.accepted, p.unknown, p.failed, p.sent
    )
}

/// Reads the CSV into a table: a header row (names trimmed, a UTF-8 BOM dropped), values
/// trimmed, blank lines skipped, rows of another width kept for core to report by line.
pub(crate) fn read_csv(path: &Path) -> Result<Table, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::invalid(format!("reading {}: {e}", path.display())))?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let bad = |e: csv::Error| {
        let line = e
            .position()
            .map(|p| format!("line {}: ", p.line()))
            .unwrap_or_default();
        Failure::invalid(format!("{}: {line}{e}", path.display()))
    };
    let headers = reader
        .headers()
        .map_err(bad)?
        .iter()
        .map(str::to_owned)
        .collect();
    let mut table = Table {
        headers,
        rows: Vec::new(),
    };
    for record in reader.records() {
        let record = record.map_err(bad)?;
        table.rows.push(TableRow {
            line: record.position().map_or(0, |p| p.line()),
            values: record.iter().map(str::to_owned).collect(),
        });
    }
    if table.rows.is_empty() {
        return Err(Failure::invalid(format!(
            "{} has no rows under its header",
            path.display()
        )));
    }
    Ok(table)
}

pub(crate) fn list_invalid(invalid: &[InvalidRow]) -> String {
    let mut text: Vec<String> = invalid
        .iter()
        .take(LISTED)
        .map(|r| format!("  {r}"))
        .collect();
    if invalid.len() > LISTED {
        text.push(format!("  … and {} more", invalid.len() - LISTED));
    }
    text.join("\n")
}

fn journal_failure(e: CampaignError) -> Failure {
    Failure {
        code: match e {
            CampaignError::Io { .. } => 1,
            _ => EXIT_INVALID,
        },
        message: format!("{e}; nothing was sent"),
    }
}

/// What a row's report says, in a few words: the action taken and its result.
fn describe(row: &RowReport) -> (&'static str, String) {
    let (action, what) = describe_result(&row.result);
    match (&row.reconciled, &row.reconcile_error) {
        (Some(ReconcileVerdict::Sent { sms_id, .. }), _) => (action, format!("{what}; found in eSMS's records as sent (reference {}): recorded as accepted", sms_id.as_str())),
        (Some(ReconcileVerdict::NotFound), _) if row.result.class() == SendClass::AlreadySubmitted => (action, format!("{what}; eSMS's records show no such message: the earlier attempt was refused after its request id was registered, so the id is used up: send this row again in a new campaign")),
        (Some(ReconcileVerdict::NotFound), _) => (action, format!("{what}; eSMS's records show no such message yet: a rerun resends it with the same request id while that is safe")),
        (Some(ReconcileVerdict::Ambiguous { candidates }), _) => (action, format!("{what}; eSMS's records hold {} messages with this phone and text around then: which is this row's cannot be told", candidates.len())),
        (None, Some(e)) => (action, format!("{what}; looking it up in eSMS's records failed: {e}")),
        (None, None) => (action, what),
    }
}

fn describe_result(result: &RowResult) -> (&'static str, String) {
    match result {
        RowResult::Sent { resent, result } => (
            if *resent { "resent" } else { "sent" },
            match result {
                Ok(SendOutcome::Accepted { receipt, .. }) => format!(
                    "accepted: reference {}",
                    receipt.reference.as_deref().unwrap_or("-")
                ),
                Ok(SendOutcome::AlreadySubmitted { request_id, .. }) => format!("already submitted with request id {request_id}: not sent again; whether the earlier attempt was accepted is unknown: check the delivery report"),
                Err(e) => e.to_string(),
            },
        ),
        RowResult::Skipped(a) => (
            "skipped",
            format!(
                "accepted in an earlier run ({}, reference {}{})",
                a.at,
                a.reference.as_deref().unwrap_or("-"),
                if a.reconciled {
                    ", found in eSMS's records"
                } else {
                    ""
                }
            ),
        ),
        RowResult::Unsettled(u) => ("unsettled", u.to_string()),
        RowResult::Refused(r) => (
            "refused",
            format!(
                "refused in an earlier run ({}): {}; not sent again",
                r.at, r.error
            ),
        ),
        RowResult::NotReached => ("not_reached", "not reached: the run stopped".into()),
    }
}

pub(crate) const CLASSES: [SendClass; 7] = [
    SendClass::Accepted,
    SendClass::AlreadySubmitted,
    SendClass::OutcomeUnknown,
    SendClass::Rejected,
    SendClass::RateLimited,
    SendClass::NotSent,
    SendClass::InvalidInput,
];

pub(crate) fn class_name(class: SendClass) -> String {
    serde_json::to_value(class)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn count(report: &CampaignReport, invalid: &[InvalidRow], class: SendClass) -> usize {
    report.count(class)
        + if class == SendClass::InvalidInput {
            invalid.len()
        } else {
            0
        }
}

fn print_summary(id: &CampaignId, journal: &Path, report: &CampaignReport, invalid: &[InvalidRow]) {
    let total = report.rows.len() + invalid.len();
    let skipped = report
        .rows
        .iter()
        .filter(|r| matches!(r.result, RowResult::Skipped(_)))
        .count();
    let sent = report
        .rows
        .iter()
        .filter(|r| matches!(r.result, RowResult::Sent { .. }))
        .count();
    let found = report
        .rows
        .iter()
        .filter(|r| matches!(r.reconciled, Some(ReconcileVerdict::Sent { .. })))
        .count();
    let mut parts = Vec::new();
    for class in CLASSES {
        let n = count(report, invalid, class);
        if n > 0 || class == SendClass::Accepted {
            let name = class_name(class).replace('_', " ");
            parts.push(match class {
                SendClass::Accepted => {
                    let mut notes = Vec::new();
                    if skipped > 0 {
                        notes.push(format!("{skipped} in earlier runs"));
                    }
                    if found > 0 {
                        notes.push(format!("{found} found in eSMS's records"));
                    }
                    if notes.is_empty() {
                        format!("{n} accepted")
                    } else {
                        format!("{n} accepted ({})", notes.join(", "))
                    }
                }
                SendClass::InvalidInput => format!("{n} invalid (skipped)"),
                _ => format!("{n} {name}"),
            });
        }
    }
    println!(
        "campaign {id}: {total} rows: {}; {sent} sent in this run",
        parts.join(", ")
    );
    let mut listed = 0;
    let problems = report
        .rows
        .iter()
        .filter(|r| r.class() != SendClass::Accepted);
    for row in problems {
        listed += 1;
        if listed > LISTED {
            continue;
        }
        let (_, what) = describe(row);
        println!(
            "  line {} ({}, id {}): {what}",
            row.line,
            row.phone.masked(),
            row.key
        );
    }
    for row in invalid.iter().take(LISTED.saturating_sub(listed)) {
        println!("  {row} (skipped)");
    }
    let all = listed + invalid.len();
    if all > LISTED {
        println!("  … and {} more (--json lists every row)", all - LISTED);
    }
    if report.journal_only > 0 {
        println!(
            "  {} row(s) of the journal are no longer in the CSV; they were left alone",
            report.journal_only
        );
    }
    println!("journal: {}", journal.display());
}

fn report_json(
    id: &CampaignId,
    journal: &Path,
    report: &CampaignReport,
    invalid: &[InvalidRow],
) -> Value {
    let counts: serde_json::Map<String, Value> = CLASSES
        .iter()
        .map(|c| (class_name(*c), count(report, invalid, *c).into()))
        .collect();
    let rows: Vec<Value> = report
        .rows
        .iter()
        .map(|r| {
            let (action, message) = describe(r);
            let mut v = json!({
                "line": r.line, "phone": r.phone.masked(), "id": r.key,
                "class": r.class(), "action": action, "message": message,
            });
            if let Some(verdict) = &r.reconciled {
                v["reconciled"] = json!(verdict);
            }
            if let Some(e) = &r.reconcile_error {
                v["reconcile_error"] = json!(e);
            }
            match &r.result {
                RowResult::Sent { result: Ok(o), .. } => v["outcome"] = json!(o),
                RowResult::Sent { result: Err(e), .. } => v["error"] = json!(e),
                _ => {}
            }
            v
        })
        .collect();
    let invalid: Vec<Value> = invalid
        .iter()
        .map(|r| json!({"line": r.line, "error": r.error}))
        .collect();
    json!({
        "campaign": id.as_str(),
        "journal": journal.display().to_string(),
        "total": report.rows.len() + invalid.len(),
        "counts": counts,
        "sent": report.rows.iter().filter(|r| matches!(r.result, RowResult::Sent { .. })).count(),
        "skipped": report.rows.iter().filter(|r| matches!(r.result, RowResult::Skipped(_))).count(),
        "journal_only": report.journal_only,
        "stopped": report.stopped,
        "rows": rows,
        "invalid": invalid,
    })
}

/// The exit code: every row ended the same way → that way's code (0 when all were accepted);
/// otherwise 6 if any row's outcome is unknown, else 8. A run the journal stopped exits 1.
fn verdict(report: &CampaignReport, invalid: &[InvalidRow]) -> Result<(), Failure> {
    if let Some(why) = &report.stopped {
        return Err(Failure {
            code: 1,
            message: format!("the run stopped: {why}; rows after it were not sent; rerun once the journal can be written (a row sent just before is resent only with its own request id)"),
        });
    }
    let mut classes = report.rows.iter().map(|r| r.class()).collect::<Vec<_>>();
    classes.extend(invalid.iter().map(|_| SendClass::InvalidInput));
    let total = classes.len();
    let accepted = classes
        .iter()
        .filter(|c| **c == SendClass::Accepted)
        .count();
    let unknown = classes
        .iter()
        .filter(|c| matches!(c, SendClass::OutcomeUnknown | SendClass::AlreadySubmitted))
        .count();
    let code = match classes.as_slice() {
        [] => 0,
        [first, rest @ ..] if rest.iter().all(|c| c == first) => exit_code(*first),
        _ if classes.contains(&SendClass::OutcomeUnknown) => EXIT_UNKNOWN,
        _ => EXIT_PARTIAL,
    };
    let message = match code {
        0 => return Ok(()),
        EXIT_UNKNOWN => format!("{unknown} of {total} rows may have been sent and are not confirmed: rerun the same command to resend those it safely can (same request ids); the others need checking (delivery reports, the provider's records)"),
        EXIT_PARTIAL => format!("partial: {accepted} of {total} rows accepted; rerun the same command to continue (accepted rows are skipped, and no row is sent under a new id)"),
        _ => format!("no row was accepted: every row ended as {}", classes[0]),
    };
    Err(Failure { code, message })
}
