//! Campaigns on disk: the journal file, and the loop that sends a plan's rows through a
//! [`Client`] so that a rerun after a crash never sends a row twice.
//!
//! Every decision is core's ([`nhantin_core::campaign`]): the row ids, the journal records and
//! what a rerun does with each row. This module adds the file and the order of events:
//!
//! 1. [`JournalFile::open`] takes an exclusive lock on the journal (one run per journal at a
//!    time), reads it, drops a torn last line, checks it belongs to this campaign and account,
//!    and writes the header to a new one.
//! 2. [`run`] decides each row from its records; for a row it sends, it appends an `attempt`
//!    record and flushes it to disk (`fdatasync`) *before* the request leaves, and appends the
//!    `outcome` record after. An outcome is flushed, together with the next row's attempt,
//!    before the next send: one flush per row, and no send ever follows an unflushed outcome.
//! 3. With [`CampaignOptions::reconcile`], eSMS rows still unknown or "already submitted" after
//!    the sends are looked up in eSMS's records; those found sent are recorded as accepted.
//!
//! ```no_run
//! use nhantin_core::campaign::{self, CampaignId, Table, TextSource, Template};
//! # fn example(client: &nhantin_transport::Client, table: &Table, base: &nhantin_core::Message) -> Result<(), Box<dyn std::error::Error>> {
//! let id = CampaignId::new("tet-2026")?;
//! let text = TextSource::Template(Template::parse("Chào {name}, mã của bạn là {code}")?);
//! let plan = campaign::plan(client.account(), &id, base, &text, table, client.now())?;
//! assert!(plan.invalid.is_empty());
//! let mut journal = nhantin_transport::campaign::JournalFile::open("tet-2026.journal".as_ref(), &id, client.account(), client.now())?;
//! let options = nhantin_transport::campaign::CampaignOptions::default();
//! let report = nhantin_transport::campaign::run(client, &plan.rows, &mut journal, &options, |_| {});
//! println!("{} accepted", report.count(nhantin_transport::SendClass::Accepted));
//! # Ok(()) }
//! ```

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use nhantin_core::campaign::{
    self, Accepted, Attempt, CampaignHeader, CampaignId, Journal, JournalError, JournalRecord,
    Outcome, Refused, Row, RowDecision, Unsettled,
};
use nhantin_core::esms::{ReconcilePolicy, ReconcileVerdict};
use nhantin_core::{Account, PhoneNumber, Provider, RequestId};

use crate::{Client, Error, Resend, SendClass, SendError, SendOutcome, UnknownOutcome};

/// Why a campaign could not start, or stopped. Nothing is sent after any of these.
#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    /// The journal file could not be opened, read, locked or written.
    #[error("journal {}: {message}", .path.display())]
    Io {
        /// The journal.
        path: PathBuf,
        /// What failed.
        message: String,
    },
    /// Another run holds the journal's lock.
    #[error("journal {} is in use by another run (one run per journal at a time)", .path.display())]
    Locked {
        /// The journal.
        path: PathBuf,
    },
    /// A line of the journal is not a record (other than a torn last line).
    #[error("journal {}: {source}", .path.display())]
    Unreadable {
        /// The journal.
        path: PathBuf,
        /// The line and what is wrong with it.
        source: JournalError,
    },
    /// The journal belongs to another campaign, provider or account, or a newer format.
    #[error("journal {}: {source}", .path.display())]
    Mismatch {
        /// The journal.
        path: PathBuf,
        /// Why it does not fit (an invalid-input error on `journal`).
        source: nhantin_core::Error,
    },
}

/// An open, locked journal. The lock is released when it is dropped (or the process dies).
#[derive(Debug)]
pub struct JournalFile {
    file: File,
    path: PathBuf,
    journal: Journal,
    /// Lines written but not yet flushed to disk.
    pending: String,
    torn_dropped: usize,
    created: bool,
}

impl JournalFile {
    /// Opens the journal at `path` for `campaign` on `account`, creating it (with its header,
    /// flushed, and the directory entry flushed too) when it does not exist or is empty.
    pub fn open(
        path: &Path,
        campaign: &CampaignId,
        account: &Account,
        now: nhantin_core::Timestamp,
    ) -> Result<JournalFile, CampaignError> {
        let io = |what: &str, e: std::io::Error| CampaignError::Io {
            path: path.to_owned(),
            message: format!("{what}: {e}"),
        };
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| io("cannot open", e))?;
        lock(&file).map_err(|e| match e.kind() {
            std::io::ErrorKind::WouldBlock => CampaignError::Locked {
                path: path.to_owned(),
            },
            _ => io("cannot lock", e),
        })?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| io("cannot read", e))?;
        let mut journal = Journal::parse(&bytes).map_err(|source| CampaignError::Unreadable {
            path: path.to_owned(),
            source,
        })?;
        let torn_dropped = journal.torn_len;
        if torn_dropped > 0 {
            // The next record must start on a line of its own.
            file.set_len(journal.complete_len as u64)
                .and_then(|()| file.sync_data())
                .map_err(|e| io("cannot drop the torn last line", e))?;
        }
        let mut created = false;
        match &journal.header {
            Some(header) => {
                header
                    .check(campaign, account)
                    .map_err(|source| CampaignError::Mismatch {
                        path: path.to_owned(),
                        source,
                    })?
            }
            None => {
                let header = JournalRecord::Campaign(CampaignHeader::new(campaign, account, now));
                file.write_all(format!("{}\n", header.to_line()).as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(|e| io("cannot write the header", e))?;
                sync_parent(path).map_err(|e| io("cannot flush its directory", e))?;
                journal.push(header);
                created = true;
            }
        }
        Ok(JournalFile {
            file,
            path: path.to_owned(),
            journal,
            pending: String::new(),
            torn_dropped,
            created,
        })
    }

    /// What the journal holds (every record appended so far included).
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Bytes of a torn last line dropped on opening (a crash in mid-write), 0 if none.
    pub fn torn_dropped(&self) -> usize {
        self.torn_dropped
    }

    /// Whether [`JournalFile::open`] created it.
    pub fn created(&self) -> bool {
        self.created
    }

    /// Adds a record, to be written by the next [`JournalFile::flush`].
    pub fn queue(&mut self, record: JournalRecord) {
        self.pending.push_str(&record.to_line());
        self.pending.push('\n');
        self.journal.push(record);
    }

    /// Writes the queued records and flushes them to disk.
    pub fn flush(&mut self) -> Result<(), CampaignError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.file
            .write_all(self.pending.as_bytes())
            .and_then(|()| self.file.sync_data())
            .map_err(|e| CampaignError::Io {
                path: self.path.clone(),
                message: format!("cannot append: {e}"),
            })?;
        self.pending.clear();
        Ok(())
    }

    /// [`JournalFile::queue`] and [`JournalFile::flush`].
    pub fn append(&mut self, record: JournalRecord) -> Result<(), CampaignError> {
        self.queue(record);
        self.flush()
    }
}

#[cfg(unix)]
fn lock(file: &File) -> std::io::Result<()> {
    rustix::fs::flock(file, rustix::fs::FlockOperation::NonBlockingLockExclusive)
        .map_err(std::io::Error::from)
}

/// No advisory lock off Unix: one run per journal is then the caller's to ensure.
#[cfg(not(unix))]
fn lock(_file: &File) -> std::io::Result<()> {
    Ok(())
}

/// Makes a new file's directory entry durable (on Unix; elsewhere a no-op).
fn sync_parent(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        File::open(parent)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// What became of one row in this run.
#[derive(Debug, Clone, PartialEq)]
pub enum RowResult {
    /// Sent (or resent, with its recorded id) in this run, and how that ended.
    Sent {
        /// Whether it was a resend of an attempt that may have arrived earlier.
        resent: bool,
        /// The outcome.
        result: Result<SendOutcome, SendError>,
    },
    /// Accepted in an earlier run; not sent.
    Skipped(Accepted),
    /// May have been sent in an earlier run, and no send can settle it; not sent.
    Unsettled(Unsettled),
    /// Refused by the provider in an earlier run; not sent again.
    Refused(Refused),
    /// Not reached: the run stopped before it (see [`CampaignReport::stopped`]).
    NotReached,
}

impl RowResult {
    /// Its class: accepted for skipped rows, already submitted or outcome unknown for unsettled
    /// ones, rejected for refused ones, not sent for rows not reached.
    pub fn class(&self) -> SendClass {
        match self {
            RowResult::Sent { result, .. } => match result {
                Ok(o) => o.class(),
                Err(e) => e.class(),
            },
            RowResult::Skipped(_) => SendClass::Accepted,
            RowResult::Unsettled(Unsettled::AlreadySubmitted { .. }) => SendClass::AlreadySubmitted,
            RowResult::Unsettled(_) => SendClass::OutcomeUnknown,
            RowResult::Refused(_) => SendClass::Rejected,
            RowResult::NotReached => SendClass::NotSent,
        }
    }
}

/// One row's report.
#[derive(Debug, Clone, PartialEq)]
pub struct RowReport {
    /// Its line in the file.
    pub line: u64,
    /// Its recipient.
    pub phone: PhoneNumber,
    /// Its request id and journal key.
    pub key: RequestId,
    /// What became of it.
    pub result: RowResult,
    /// What the provider's records said of it, when its outcome was unknown and it was looked
    /// up (see [`CampaignOptions::reconcile`]).
    pub reconciled: Option<ReconcileVerdict>,
    /// Why looking it up failed, if it did (nothing is concluded from a failed look-up).
    pub reconcile_error: Option<String>,
}

impl RowReport {
    /// How the row stands: accepted when the provider's records show it sent, otherwise the
    /// class of its result.
    pub fn class(&self) -> SendClass {
        match self.reconciled {
            Some(ReconcileVerdict::Sent { .. }) => SendClass::Accepted,
            _ => self.result.class(),
        }
    }
}

/// How a run goes about it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CampaignOptions {
    /// After the sends, look up every eSMS row whose outcome is still unknown or "already
    /// submitted" in eSMS's records ([`Client::reconcile_with`]) and record the ones found sent
    /// as accepted. The look-up waits until its window has closed ([`ReconcilePolicy::margin_ms`]
    /// after the row's last attempt). `None`: no look-ups; other providers have no records to
    /// read.
    pub reconcile: Option<ReconcilePolicy>,
}

/// What a run did, row by row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CampaignReport {
    /// Every row of the plan, in order.
    pub rows: Vec<RowReport>,
    /// Rows the journal has records of that are not in the plan (removed from the file since);
    /// they are left alone.
    pub journal_only: usize,
    /// Why the run stopped before the end (the journal could not be written), if it did.
    pub stopped: Option<String>,
}

impl CampaignReport {
    /// How many rows stand in `class` ([`RowReport::class`]).
    pub fn count(&self, class: SendClass) -> usize {
        self.rows.iter().filter(|r| r.class() == class).count()
    }
}

/// How far a run is, passed to the progress callback after every row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Rows dealt with so far.
    pub done: usize,
    /// Rows in the plan.
    pub total: usize,
    /// Sends made in this run.
    pub sent: usize,
    /// Rows accepted, in this run or before.
    pub accepted: usize,
    /// Rows whose outcome is unknown (including already submitted and unsettled ones).
    pub unknown: usize,
    /// Rows that failed with nothing sent (refused, rate limited, no connection).
    pub failed: usize,
    /// Rows about to be looked up in the provider's records (set once, after the sends).
    pub reconciling: usize,
}

/// Sends every row of `rows` that the journal says to send, appending to `journal` as it goes;
/// `progress` is called after every row. The journal must have been opened for the same
/// campaign and account as `client`'s (see [`JournalFile::open`]).
///
/// A journal write that fails stops the run before the next send; the report says so in
/// [`CampaignReport::stopped`], and the rows not reached are [`RowResult::NotReached`].
pub fn run(
    client: &Client,
    rows: &[Row],
    journal: &mut JournalFile,
    options: &CampaignOptions,
    mut progress: impl FnMut(&Progress),
) -> CampaignReport {
    let provider = client.account().provider();
    let mut report = CampaignReport {
        rows: Vec::with_capacity(rows.len()),
        journal_only: 0,
        stopped: None,
    };
    {
        let planned: std::collections::BTreeSet<&str> =
            rows.iter().map(|r| r.key.as_str()).collect();
        report.journal_only = journal
            .journal()
            .keys()
            .filter(|k| !planned.contains(k))
            .count();
    }
    let mut tally = Progress {
        total: rows.len(),
        ..Progress::default()
    };
    for row in rows {
        let result = if report.stopped.is_some() {
            RowResult::NotReached
        } else {
            let decision = campaign::decide(
                provider,
                &row.key,
                &row.digest,
                journal.journal().row(row.key.as_str()),
                client.now(),
            );
            let resend = match decision {
                RowDecision::Send => Ok(None),
                RowDecision::Resend(r) => Ok(Some(r)),
                RowDecision::Skip(a) => Err(RowResult::Skipped(a)),
                RowDecision::Unsettled(u) => Err(RowResult::Unsettled(u)),
                RowDecision::Refused(r) => Err(RowResult::Refused(r)),
            };
            match resend {
                Err(not_sent) => {
                    // Not a send: the last outcome goes to disk now rather than at the next send.
                    if let Err(e) = journal.flush() {
                        report.stopped = Some(e.to_string());
                    }
                    not_sent
                }
                Ok(resend) => {
                    journal.queue(JournalRecord::Attempt(Attempt::new(
                        row,
                        client.now(),
                        resend.is_some(),
                    )));
                    match journal.flush() {
                        Err(e) => {
                            report.stopped = Some(e.to_string());
                            RowResult::NotReached
                        }
                        Ok(()) => {
                            let result = match &resend {
                                None => client.send(&row.message),
                                Some(r) => client.resend(&row.message, r),
                            }
                            .map_err(|e| match e {
                                Error::Send(e) => e,
                                Error::Config { message } => {
                                    SendError::from(nhantin_core::Error::InvalidInput {
                                        field: "client".into(),
                                        reason: message,
                                    })
                                }
                            });
                            tally.sent += 1;
                            journal.queue(JournalRecord::Outcome(Outcome::of(
                                &row.key,
                                client.now(),
                                &result,
                            )));
                            RowResult::Sent {
                                resent: resend.is_some(),
                                result,
                            }
                        }
                    }
                }
            }
        };
        tally.done += 1;
        match result.class() {
            SendClass::Accepted => tally.accepted += 1,
            SendClass::AlreadySubmitted | SendClass::OutcomeUnknown => tally.unknown += 1,
            _ if matches!(result, RowResult::NotReached) => {}
            _ => tally.failed += 1,
        }
        report.rows.push(RowReport {
            line: row.line,
            phone: row.phone.clone(),
            key: row.key.clone(),
            result,
            reconciled: None,
            reconcile_error: None,
        });
        progress(&tally);
    }
    if report.stopped.is_none() {
        if let Err(e) = journal.flush() {
            report.stopped = Some(e.to_string());
        }
    }
    if let (None, Some(policy), Provider::Esms) = (&report.stopped, &options.reconcile, provider) {
        reconcile(
            client,
            rows,
            journal,
            policy,
            &mut report,
            &mut tally,
            &mut progress,
        );
    }
    report
}

/// Looks up the rows whose outcome is unknown (or already submitted) in eSMS's records and
/// records those found sent as accepted. A row whose message changed since it may have been
/// sent is not looked up: its earlier text is not known.
fn reconcile(
    client: &Client,
    rows: &[Row],
    journal: &mut JournalFile,
    policy: &ReconcilePolicy,
    report: &mut CampaignReport,
    tally: &mut Progress,
    progress: &mut impl FnMut(&Progress),
) {
    let pending: Vec<usize> = report
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            matches!(
                r.result.class(),
                SendClass::OutcomeUnknown | SendClass::AlreadySubmitted
            ) && !matches!(
                r.result,
                RowResult::Unsettled(Unsettled::MessageChanged { .. })
            )
        })
        .map(|(i, _)| i)
        .collect();
    if pending.is_empty() {
        return;
    }
    tally.reconciling = pending.len();
    progress(tally);
    for i in pending {
        let row = &rows[i];
        let Some((first_sent_at, last_sent_at)) =
            campaign::sent_span(journal.journal().row(row.key.as_str()))
        else {
            continue;
        };
        let unknown = UnknownOutcome {
            provider: Provider::Esms,
            request_id: row.message.request_id.clone(),
            attempts: 0,
            cause: String::new(),
            first_sent_at,
            last_sent_at,
            resend: Resend::NotSafe,
        };
        let verdict = match client.reconcile_with(&row.message, &unknown, policy) {
            Ok(verdicts) => verdicts
                .into_iter()
                .find(|(phone, _)| *phone == row.phone)
                .map(|(_, v)| v),
            Err(e) => {
                report.rows[i].reconcile_error = Some(e.to_string());
                continue;
            }
        };
        if let Some(ReconcileVerdict::Sent { sms_id, .. }) = &verdict {
            let detail = serde_json::to_value(&verdict).unwrap_or_default();
            let record = Outcome::reconciled(&row.key, client.now(), sms_id.as_str(), detail);
            if let Err(e) = journal.append(JournalRecord::Outcome(record)) {
                report.stopped = Some(e.to_string());
                return;
            }
            tally.accepted += 1;
            tally.unknown = tally.unknown.saturating_sub(1);
        }
        report.rows[i].reconciled = verdict;
        tally.reconciling -= 1;
        progress(tally);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nhantin_core::campaign::{CampaignId, Journal};
    use nhantin_core::{AccountInput, PhoneNumber, Timestamp};

    fn account() -> Account {
        AccountInput::from_json(r#"{"provider":"esms","api_key":"K","secret_key":"S"}"#)
            .unwrap()
            .validate()
            .unwrap()
    }

    fn path(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("nhantin-journal-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("journal.jsonl");
        let _ = std::fs::remove_file(&path);
        path
    }

    fn id() -> CampaignId {
        CampaignId::new("unit").unwrap()
    }

    fn attempt(n: u64) -> JournalRecord {
        let phone = PhoneNumber::parse("p", "0912345678").unwrap();
        JournalRecord::Attempt(Attempt {
            row: campaign::row_request_id(&id(), &phone).to_string(),
            at: Timestamp::from_unix_millis(1_800_000_000_000),
            request_id: None,
            dedup: true,
            message: "d".into(),
            resend: false,
            line: Some(n),
        })
    }

    #[test]
    fn one_run_at_a_time() {
        let p = path("lock");
        let now = Timestamp::from_unix_millis(0);
        let first = JournalFile::open(&p, &id(), &account(), now).unwrap();
        assert!(first.created());
        assert!(matches!(
            JournalFile::open(&p, &id(), &account(), now),
            Err(CampaignError::Locked { .. })
        ));
        drop(first);
        let again = JournalFile::open(&p, &id(), &account(), now).unwrap();
        assert!(!again.created());
        drop(again);
        let other = CampaignId::new("other").unwrap();
        assert!(matches!(
            JournalFile::open(&p, &other, &account(), now),
            Err(CampaignError::Mismatch { .. })
        ));
    }

    #[test]
    fn a_torn_tail_is_cut_before_the_next_record() {
        let p = path("torn");
        let now = Timestamp::from_unix_millis(0);
        let mut j = JournalFile::open(&p, &id(), &account(), now).unwrap();
        j.append(attempt(2)).unwrap();
        drop(j);
        let whole = std::fs::read(&p).unwrap();
        let half = attempt(3).to_line();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&p)
            .unwrap()
            .write_all(&half.as_bytes()[..half.len() / 2])
            .unwrap();
        let mut j = JournalFile::open(&p, &id(), &account(), now).unwrap();
        assert_eq!(j.torn_dropped(), half.len() / 2);
        assert_eq!(std::fs::read(&p).unwrap(), whole);
        assert_eq!(j.journal().records, 2);
        j.append(attempt(4)).unwrap();
        drop(j);
        let read = Journal::parse(&std::fs::read(&p).unwrap()).unwrap();
        assert_eq!((read.records, read.torn_len), (3, 0));
        let _ = std::fs::remove_dir_all(p.parent().unwrap());
    }
}
