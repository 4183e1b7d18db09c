//! # Campaigns: one message per row, and reruns that never send twice
//!
//! A campaign is a table of rows (a phone and the fields its text is filled from) sent one
//! message per row, with a journal that lets a crashed run be rerun safely. This module is the
//! pure part of that; `nhantin-transport` (`nhantin_transport::campaign`) reads and appends the
//! journal file and drives the sends, and `nhantin send --csv … --journal …` is its command.
//!
//! ## Ids that survive edits
//!
//! Every row's request id is [`row_request_id`]: `<campaign>-<16 hex digits of SHA-256 over the
//! row's phone in E.164>`. It depends on the campaign id and the *normalised* phone only, not
//! on the row's position: inserting, removing or reordering rows leaves every other row's id as
//! it was, and `0912 345 678` and `+84912345678` are the same row. Two rows with the same phone
//! are refused, as two recipients of one message are. The id is also the row's key in the
//! journal (CareSoft takes no request id: there it is only the key).
//!
//! ## The journal
//!
//! JSON lines, appended and flushed to disk before the next send ([`JournalRecord`]): a
//! `campaign` header, then per row an `attempt` record written *before* the request is sent and
//! an `outcome` record after. A crash between the two leaves an attempt without an outcome,
//! which a rerun reads as "may have been sent". A torn last line (a crash in mid-write) is
//! ignored by [`Journal::parse`]: it was not flushed, so nothing was sent after it.
//!
//! ## The rerun decision
//!
//! [`decide`] reads a row's records and the caller's clock and answers one [`RowDecision`]:
//! skip what was accepted; send what never left; resend what may have left only with its own
//! id and only while the provider still remembers the id ([`SafeResend::is_open_at`]); and
//! name, rather than guess, what cannot be settled by sending ([`Unsettled`]).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Provider, Result};
use crate::http::Idempotency;
use crate::ids::RequestId;
use crate::message::Message;
use crate::phone::{PhoneFormat, PhoneNumber};
use crate::providers::Account;
use crate::send::{
    Resend, SafeResend, SendClass, SendError, SendOutcome, ESMS_REQUEST_ID_MEMORY_MS,
    RESEND_WINDOW_MARGIN_MS,
};
use crate::time::Timestamp;

/// Hex digits of the phone digest in a row's request id: 64 bits.
pub const ROW_HASH_LEN: usize = 16;

/// The longest campaign id: a row id `<campaign>-<16 hex>` must fit eSMS's 50 characters.
pub const CAMPAIGN_ID_MAX_LEN: usize = RequestId::MAX_LEN - 1 - ROW_HASH_LEN;

/// The journal format written by this version (the `version` of the `campaign` header).
pub const JOURNAL_VERSION: u32 = 1;

// ---------------------------------------------------------------------------------------------
// Ids

/// A campaign's id: 1 to 33 characters of `A-Z a-z 0-9 . _ -`. Every row's request id starts
/// with it, so it must stay the same across reruns of the same campaign, and differ between
/// campaigns (eSMS refuses a request id it saw in the last 24 hours).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct CampaignId(String);

impl CampaignId {
    /// Checks length and alphabet.
    pub fn new(value: impl Into<String>) -> Result<Self> {
        let value = value.into();
        if value.is_empty() {
            return Err(Error::invalid("campaign", "is empty"));
        }
        if value.len() > CAMPAIGN_ID_MAX_LEN {
            return Err(Error::invalid(
                "campaign",
                format!(
                    "has {} characters; at most {CAMPAIGN_ID_MAX_LEN} (row ids append -<{ROW_HASH_LEN} hex digits> within eSMS's {})",
                    value.chars().count(),
                    RequestId::MAX_LEN
                ),
            ));
        }
        if let Some(bad) = value
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        {
            return Err(Error::invalid(
                "campaign",
                format!("contains {bad:?}; use letters, digits, '.', '_' and '-'"),
            ));
        }
        Ok(CampaignId(value))
    }

    /// The id as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CampaignId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The request id (and journal key) of the row sent to `phone`: `<campaign>-<16 hex digits of
/// SHA-256 over the phone in E.164>`. The same phone, however written, always gets the same id
/// within a campaign; the row's position plays no part.
pub fn row_request_id(campaign: &CampaignId, phone: &PhoneNumber) -> RequestId {
    let digest = Sha256::digest(phone.format(PhoneFormat::E164).as_bytes());
    RequestId::new(format!("{}-{}", campaign.0, hex(&digest, ROW_HASH_LEN)))
        .expect("at most 50 printable ASCII characters")
}

/// A short, stable fingerprint of the account a journal was written for: the provider and the
/// key its de-duplication is scoped to (eSMS and InterITS: the API key; CareSoft: the tenant
/// and service). A rerun under another account would find none of its request ids remembered.
pub fn account_fingerprint(account: &Account) -> String {
    let identity = match account {
        Account::Esms(a) => a.api_key.expose().to_owned(),
        Account::CareSoft(a) => format!("{}\n{}", a.domain.as_str(), a.service_id),
        Account::InterIts(a) => a.api_key.expose().to_owned(),
    };
    digest_parts(&[account.provider().as_str(), &identity])
}

/// A fingerprint of what a row's recipient would receive: the content (text, sender, unicode
/// policy, Viber parts), recipients, schedule and sandbox (not the request id, callback URL or
/// provider options other than InterITS's server-side conversion, which changes the text). A row that may have been sent is resent only if this is unchanged: a
/// resend must be the same message.
pub fn message_digest(message: &Message) -> String {
    let recipients: Vec<String> = message.recipients.iter().map(|p| p.national()).collect();
    let schedule = message
        .schedule
        .map(|t| t.unix_millis().to_string())
        .unwrap_or_default();
    let server_side_conversion = matches!(
        &message.options,
        crate::message::ProviderOptions::InterIts(o) if o.server_side_conversion
    );
    let mut parts = message.content.fingerprint_parts();
    parts.extend([
        recipients.join(","),
        schedule,
        if message.sandbox { "sandbox" } else { "" }.to_owned(),
        if server_side_conversion {
            "server_side_conversion"
        } else {
            ""
        }
        .to_owned(),
    ]);
    digest_parts(&parts.iter().map(String::as_str).collect::<Vec<_>>())
}

fn digest_parts(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for part in parts {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex(&h.finalize(), ROW_HASH_LEN)
}

fn hex(bytes: &[u8], digits: usize) -> String {
    bytes
        .iter()
        .take(digits / 2)
        .map(|b| format!("{b:02x}"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Templates

/// A message text with `{column}` placeholders, filled from each row. `{{` and `}}` stand for
/// literal braces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Column(String),
}

impl Template {
    /// Parses the placeholders; an unclosed `{`, a stray `}` or an empty `{}` is invalid input
    /// on `text`.
    pub fn parse(text: &str) -> Result<Template> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|(_, c)| *c) == Some('{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek().map(|(_, c)| *c) == Some('}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some((_, '}')) => break,
                            Some((_, '{')) | None => {
                                return Err(Error::invalid("text", format!("the `{{` at byte {at} is not closed; write `{{{{` for a literal brace")))
                            }
                            Some((_, c)) => name.push(c),
                        }
                    }
                    let name = name.trim();
                    if name.is_empty() {
                        return Err(Error::invalid(
                            "text",
                            format!("the placeholder at byte {at} names no column"),
                        ));
                    }
                    if !literal.is_empty() {
                        parts.push(Part::Literal(std::mem::take(&mut literal)));
                    }
                    parts.push(Part::Column(name.to_owned()));
                }
                '}' => {
                    return Err(Error::invalid(
                        "text",
                        format!(
                        "the `}}` at byte {at} closes nothing; write `}}}}` for a literal brace"
                    ),
                    ))
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Ok(Template { parts })
    }

    /// The columns it names, in order of first use.
    pub fn columns(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for part in &self.parts {
            if let Part::Column(name) = part {
                if !seen.contains(&name.as_str()) {
                    seen.push(name);
                }
            }
        }
        seen
    }

    /// Fills the placeholders; `value` answers a column's value in the row. A column without a
    /// value, or with an empty one, is an error naming the column: a text with a hole in it is
    /// not sent.
    pub fn render<'a>(
        &self,
        value: impl Fn(&str) -> Option<&'a str>,
    ) -> std::result::Result<String, String> {
        let mut text = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(s) => text.push_str(s),
                Part::Column(name) => match value(name) {
                    Some(v) if !v.trim().is_empty() => text.push_str(v),
                    Some(_) => return Err(format!("column `{name}` is empty on this row")),
                    None => return Err(format!("column `{name}` is missing on this row")),
                },
            }
        }
        Ok(text)
    }
}

// ---------------------------------------------------------------------------------------------
// Planning

/// A table as read from a CSV file: a header and rows of the same width.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// Column names, in order.
    pub headers: Vec<String>,
    /// The rows.
    pub rows: Vec<TableRow>,
}

/// One row of a [`Table`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// Where the row starts in the file (1-based; the header is line 1), for error messages.
    pub line: u64,
    /// Its values, one per header column.
    pub values: Vec<String>,
}

/// Where each row's text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextSource {
    /// One text for every row, placeholders filled from the row's columns.
    Template(Template),
    /// The row's `text` column, verbatim.
    Column,
}

/// The column every table must have.
pub const PHONE_COLUMN: &str = "phone";
/// The column a row's text is read from when no template is given.
pub const TEXT_COLUMN: &str = "text";

/// A row, validated and ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Where it is in the file.
    pub line: u64,
    /// Its recipient.
    pub phone: PhoneNumber,
    /// Its request id ([`row_request_id`]) and journal key.
    pub key: RequestId,
    /// The message: one recipient, the row's text, the key as request id where the provider
    /// takes one.
    pub message: Message,
    /// [`message_digest`] of the message.
    pub digest: String,
    /// Whether the provider de-duplicates its request by the id ([`Idempotency::KeyedBy`]), so
    /// that a send that may have arrived can be resent safely.
    pub dedup: bool,
}

/// A row that cannot be sent, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidRow {
    /// Where it is in the file.
    pub line: u64,
    /// Its phone and row key, when the phone is valid and on no earlier line (the row is
    /// then known, just not sendable as it is).
    pub row: Option<(PhoneNumber, RequestId)>,
    /// What is wrong (an [`Error::InvalidInput`]).
    pub error: Error,
}

impl fmt::Display for InvalidRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.error)
    }
}

/// The rows of a campaign: every row checked (and encoded once) before the first is sent.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    /// The rows that can be sent, in file order.
    pub rows: Vec<Row>,
    /// The rows that cannot, in file order.
    pub invalid: Vec<InvalidRow>,
}

/// Checks every row of `table` and builds its message from `base` (kind, sender, schedule and
/// options; no recipients, text or request id) and `text`. A table-level problem (no `phone`
/// column, a placeholder naming no column, a request id on `base`) is an error; a row-level one
/// (a bad phone, an empty placeholder, a text the endpoint refuses, a phone listed on an earlier
/// line) makes that row an [`InvalidRow`]. Each row's request is encoded at `now`, so whatever
/// the provider's encoder would refuse is found here, before anything is sent.
pub fn plan(
    account: &Account,
    campaign: &CampaignId,
    base: &Message,
    text: &TextSource,
    table: &Table,
    now: Timestamp,
) -> Result<Plan> {
    if base.request_id.is_some() {
        return Err(Error::invalid(
            "request_id",
            "a campaign derives each row's request id from the campaign id and the phone; give --campaign instead",
        ));
    }
    if !base.recipients.is_empty() {
        return Err(Error::invalid(
            "recipients",
            "a campaign's recipients are its rows' phones",
        ));
    }
    if account.splits(base) {
        return Err(Error::invalid("kind", "eSMS advertising goes out in lists of 30 to 5000 recipients, not one row at a time: send the list with --to (batches are split and their ids repeat on rerun)"));
    }
    let column = |name: &str| table.headers.iter().position(|h| h == name);
    for (i, h) in table.headers.iter().enumerate() {
        if table.headers[..i].contains(h) {
            return Err(Error::invalid(
                "csv",
                format!("the header names column `{h}` twice"),
            ));
        }
    }
    let phone_at = column(PHONE_COLUMN).ok_or_else(|| {
        Error::invalid(
            "csv",
            format!(
                "the header has no `{PHONE_COLUMN}` column (columns: {})",
                table.headers.join(", ")
            ),
        )
    })?;
    let text_at = match text {
        TextSource::Template(t) => {
            if let Some(missing) = t.columns().into_iter().find(|c| column(c).is_none()) {
                return Err(Error::invalid(
                    "text",
                    format!(
                        "the placeholder {{{missing}}} names no column (columns: {})",
                        table.headers.join(", ")
                    ),
                ));
            }
            None
        }
        TextSource::Column => Some(column(TEXT_COLUMN).ok_or_else(|| {
            Error::invalid(
                "text",
                format!("give --text (or --text-file), or a `{TEXT_COLUMN}` column in the CSV"),
            )
        })?),
    };

    let mut planned = Plan::default();
    // Phone → first line it is on; row id → phone (a 64-bit digest collision is refused too).
    let mut seen: BTreeMap<PhoneNumber, u64> = BTreeMap::new();
    let mut ids: BTreeMap<RequestId, PhoneNumber> = BTreeMap::new();
    for row in &table.rows {
        let invalid = |field: &str, reason: String| InvalidRow {
            line: row.line,
            row: None,
            error: Error::invalid(field, reason),
        };
        if row.values.len() != table.headers.len() {
            planned.invalid.push(invalid(
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
                planned.invalid.push(InvalidRow {
                    line: row.line,
                    row: None,
                    error,
                });
                continue;
            }
        };
        if let Some(first) = seen.get(&phone) {
            planned.invalid.push(invalid(
                PHONE_COLUMN,
                format!(
                    "{} is the same number as on line {first}; it would receive the message twice",
                    phone.masked()
                ),
            ));
            continue;
        }
        seen.insert(phone.clone(), row.line);
        let key = row_request_id(campaign, &phone);
        if let Some(other) = ids.get(&key) {
            planned.invalid.push(invalid(
                PHONE_COLUMN,
                format!(
                    "{} and {} share the request id {key}; send one of them in another campaign",
                    phone.masked(),
                    other.masked()
                ),
            ));
            continue;
        }
        ids.insert(key.clone(), phone.clone());
        let body = match (text, text_at) {
            (_, Some(at)) => Ok(row.values[at].clone()),
            (TextSource::Template(t), None) => {
                t.render(|name| column(name).and_then(|i| row.values.get(i).map(String::as_str)))
            }
            (TextSource::Column, None) => unreachable!("the text column was looked up"),
        };
        let body = match body {
            Ok(b) => b,
            Err(reason) => {
                planned.invalid.push(InvalidRow {
                    row: Some((phone, key)),
                    ..invalid("text", reason)
                });
                continue;
            }
        };
        let mut message = base.clone();
        message.recipients = vec![phone.clone()];
        message.content = match base.content.with_text(body) {
            Ok(content) => content,
            Err(e) => {
                planned.invalid.push(InvalidRow {
                    row: Some((phone, key)),
                    ..invalid("text", e.to_string())
                });
                continue;
            }
        };
        if account.wants_request_id(&message) {
            message.request_id = Some(key.clone());
        }
        match account.encode_send(&message, now) {
            Ok(request) => planned.rows.push(Row {
                line: row.line,
                dedup: matches!(request.idempotency, Idempotency::KeyedBy(_)),
                digest: message_digest(&message),
                phone,
                key,
                message,
            }),
            Err(error) => planned.invalid.push(InvalidRow {
                line: row.line,
                row: Some((phone, key)),
                error,
            }),
        }
    }
    Ok(planned)
}

impl Plan {
    /// Takes out of [`Plan::invalid`] the rows that `journal` shows accepted: they will not be
    /// sent again, so what is wrong with them now (a schedule that has passed since, a text
    /// edited since) does not matter. Returns them with their acceptance, in file order.
    pub fn settle_invalid(&mut self, journal: &Journal) -> Vec<(InvalidRow, Accepted)> {
        let mut settled = Vec::new();
        let mut still = Vec::new();
        for invalid in std::mem::take(&mut self.invalid) {
            let accepted = invalid
                .row
                .as_ref()
                .and_then(|(_, key)| accepted_in(journal.row(key.as_str())));
            match accepted {
                Some(a) => settled.push((invalid, a)),
                None => still.push(invalid),
            }
        }
        self.invalid = still;
        settled
    }
}

// ---------------------------------------------------------------------------------------------
// Journal records

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "snake_case")]
pub enum JournalRecord {
    /// The first line: which campaign, provider and account the journal belongs to.
    Campaign(CampaignHeader),
    /// Written (and flushed) before a row's request is sent.
    Attempt(Attempt),
    /// Written after the send ended, whichever way.
    Outcome(Outcome),
}

impl JournalRecord {
    /// The row key it is about (`None` for the header).
    pub fn row(&self) -> Option<&str> {
        match self {
            JournalRecord::Campaign(_) => None,
            JournalRecord::Attempt(a) => Some(&a.row),
            JournalRecord::Outcome(o) => Some(&o.row),
        }
    }

    /// The JSON line, without its newline.
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("records serialize")
    }
}

/// The journal's first line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignHeader {
    /// [`JOURNAL_VERSION`] when written.
    pub version: u32,
    /// The campaign id.
    pub campaign: String,
    /// The provider.
    pub provider: Provider,
    /// [`account_fingerprint`] of the account.
    pub account: String,
    /// When the journal was started.
    pub created_at: Timestamp,
}

impl CampaignHeader {
    /// The header of a new journal.
    pub fn new(campaign: &CampaignId, account: &Account, now: Timestamp) -> Self {
        CampaignHeader {
            version: JOURNAL_VERSION,
            campaign: campaign.0.clone(),
            provider: account.provider(),
            account: account_fingerprint(account),
            created_at: now,
        }
    }

    /// Refuses a journal written by a newer format, for another campaign, provider or account:
    /// its records would not mean what this run would read them to mean.
    pub fn check(&self, campaign: &CampaignId, account: &Account) -> Result<()> {
        if self.version > JOURNAL_VERSION {
            return Err(Error::invalid("journal", format!("has format version {}; this nhantin reads up to {JOURNAL_VERSION}: use a newer nhantin", self.version)));
        }
        if self.campaign != campaign.0 {
            return Err(Error::invalid("journal", format!("belongs to campaign {:?}, not {:?}: rerun with --campaign {} or use another journal file", self.campaign, campaign.0, self.campaign)));
        }
        if self.provider != account.provider() {
            return Err(Error::invalid(
                "journal",
                format!(
                    "was written for {}, not {}",
                    self.provider,
                    account.provider()
                ),
            ));
        }
        if self.account != account_fingerprint(account) {
            return Err(Error::invalid("journal", format!("was written for another {} account (or its key changed): that account's memory of the request ids does not cover this one, so rows that may have been sent could be sent twice", self.provider)));
        }
        Ok(())
    }
}

/// A send about to be made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    /// The row key ([`row_request_id`]).
    pub row: String,
    /// The caller's clock just before sending.
    pub at: Timestamp,
    /// The request id sent (`None` where the provider takes none: CareSoft).
    pub request_id: Option<String>,
    /// Whether the provider de-duplicates by that id.
    pub dedup: bool,
    /// [`message_digest`] of what was sent.
    pub message: String,
    /// Whether it resends an earlier attempt that may have arrived.
    #[serde(default)]
    pub resend: bool,
    /// The row's line in the file at the time (for people reading the journal; ids never
    /// depend on it).
    #[serde(default)]
    pub line: Option<u64>,
}

impl Attempt {
    /// The record for sending `row` at `at`.
    pub fn new(row: &Row, at: Timestamp, resend: bool) -> Self {
        Attempt {
            row: row.key.as_str().to_owned(),
            at,
            request_id: row.message.request_id.as_ref().map(|id| id.to_string()),
            dedup: row.dedup,
            message: row.digest.clone(),
            resend,
            line: Some(row.line),
        }
    }
}

/// How a row's send ended, in core's one classification (the names of [`SendClass`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// Accepted by the provider.
    Accepted,
    /// A resend was answered "request id already used": not sent again; acceptance unknown.
    AlreadySubmitted,
    /// Refused before sending; nothing was sent.
    InvalidInput,
    /// Refused by the provider; nothing was sent.
    Rejected,
    /// Throttled or locked out; nothing was sent.
    RateLimited,
    /// No connection; nothing was sent.
    NotSent,
    /// May have been sent.
    OutcomeUnknown,
}

impl From<SendClass> for RowStatus {
    fn from(class: SendClass) -> Self {
        match class {
            SendClass::Accepted => RowStatus::Accepted,
            SendClass::AlreadySubmitted => RowStatus::AlreadySubmitted,
            SendClass::InvalidInput => RowStatus::InvalidInput,
            SendClass::Rejected => RowStatus::Rejected,
            SendClass::RateLimited => RowStatus::RateLimited,
            SendClass::NotSent => RowStatus::NotSent,
            SendClass::OutcomeUnknown => RowStatus::OutcomeUnknown,
        }
    }
}

impl RowStatus {
    /// The class it stands for.
    pub fn class(self) -> SendClass {
        match self {
            RowStatus::Accepted => SendClass::Accepted,
            RowStatus::AlreadySubmitted => SendClass::AlreadySubmitted,
            RowStatus::InvalidInput => SendClass::InvalidInput,
            RowStatus::Rejected => SendClass::Rejected,
            RowStatus::RateLimited => SendClass::RateLimited,
            RowStatus::NotSent => SendClass::NotSent,
            RowStatus::OutcomeUnknown => SendClass::OutcomeUnknown,
        }
    }
}

/// How a send ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The row key.
    pub row: String,
    /// The caller's clock when it ended.
    pub at: Timestamp,
    /// Its class.
    pub status: RowStatus,
    /// Attempts the send made.
    #[serde(default)]
    pub attempts: u32,
    /// Accepted: the provider's reference (eSMS `SMSID`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Accepted: found in the provider's records after an unknown outcome, not answered by a
    /// send ([`Outcome::reconciled`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reconciled: bool,
    /// Unknown: the first attempt that may have arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_sent_at: Option<Timestamp>,
    /// Unknown: whether a resend with the same id cannot deliver twice.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub resend_safe: bool,
    /// Unknown: until when that holds (`None`: no window stated, or no safe resend).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resend_until: Option<Timestamp>,
    /// Not accepted: what happened, in nhantin's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The whole outcome or error in the JSON form `nhantin send --json` prints (for a
    /// reconciliation, the verdict); for people and scripts, never read back.
    #[serde(default)]
    pub detail: serde_json::Value,
}

impl Outcome {
    /// The record of `result`, the end of the send of the row keyed `row`.
    pub fn of(
        row: &RequestId,
        at: Timestamp,
        result: &std::result::Result<SendOutcome, SendError>,
    ) -> Self {
        let mut outcome = Outcome {
            row: row.as_str().to_owned(),
            at,
            status: RowStatus::OutcomeUnknown,
            attempts: 0,
            reference: None,
            reconciled: false,
            first_sent_at: None,
            resend_safe: false,
            resend_until: None,
            error: None,
            detail: serde_json::Value::Null,
        };
        match result {
            Ok(o) => {
                outcome.status = o.class().into();
                outcome.attempts = o.attempts();
                if let SendOutcome::Accepted { receipt, .. } = o {
                    outcome.reference = receipt.reference.clone();
                }
                outcome.detail = serde_json::to_value(o).unwrap_or_default();
            }
            Err(e) => {
                outcome.status = e.class().into();
                outcome.attempts = e.attempts();
                outcome.error = Some(e.to_string());
                if let SendError::OutcomeUnknown(u) = e {
                    outcome.first_sent_at = Some(u.first_sent_at);
                    if let Resend::SameId(r) = &u.resend {
                        outcome.resend_safe = true;
                        outcome.first_sent_at = Some(r.first_sent_at);
                        outcome.resend_until = r.until;
                    }
                }
                outcome.detail = serde_json::to_value(e).unwrap_or_default();
            }
        }
        outcome
    }

    /// The record of a row found accepted in the provider's records (eSMS `GetSmsSentData_V2`)
    /// after its send ended unknown or already submitted: `reference` is the id the provider
    /// filed it under, `detail` the verdict.
    pub fn reconciled(
        row: &RequestId,
        at: Timestamp,
        reference: &str,
        detail: serde_json::Value,
    ) -> Self {
        Outcome {
            row: row.as_str().to_owned(),
            at,
            status: RowStatus::Accepted,
            attempts: 0,
            reference: Some(reference.to_owned()),
            reconciled: true,
            first_sent_at: None,
            resend_safe: false,
            resend_until: None,
            error: None,
            detail,
        }
    }
}

/// The span in which the row's attempts that may have arrived were made: from the earliest such
/// attempt to the row's latest record. `None` when no attempt may have arrived. A query of the
/// provider's records for the row (widened at both ends for clock disagreement and the time an
/// attempt takes) looks in this span.
pub fn sent_span(records: &[JournalRecord]) -> Option<(Timestamp, Timestamp)> {
    let mut first: Option<Timestamp> = None;
    let mut last: Option<Timestamp> = None;
    let mut open: Option<Timestamp> = None;
    let mut note = |at: Timestamp| first = Some(first.map_or(at, |f| f.min(at)));
    for record in records {
        match record {
            JournalRecord::Campaign(_) => {}
            JournalRecord::Attempt(a) => {
                if let Some(prev) = open.replace(a.at) {
                    note(prev);
                }
                last = Some(last.map_or(a.at, |l| l.max(a.at)));
            }
            JournalRecord::Outcome(o) => {
                let attempt = open.take();
                if o.status == RowStatus::OutcomeUnknown {
                    note(o.first_sent_at.or(attempt).unwrap_or(o.at));
                }
                last = Some(last.map_or(o.at, |l| l.max(o.at)));
            }
        }
    }
    if let Some(a) = open {
        note(a);
    }
    Some((first?, last?))
}

// ---------------------------------------------------------------------------------------------
// Reading a journal

/// A journal as read back: its header and each row's records in the order written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Journal {
    /// The `campaign` line; `None` for an empty journal (or one whose only line was torn).
    pub header: Option<CampaignHeader>,
    rows: BTreeMap<String, Vec<JournalRecord>>,
    /// Bytes of complete lines: appending continues here, after dropping a torn tail.
    pub complete_len: usize,
    /// Bytes of a torn last line (no newline: a crash in mid-write), ignored.
    pub torn_len: usize,
    /// Records read, the header included.
    pub records: usize,
}

/// A journal line that is not a record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("journal line {line}: {reason}")]
pub struct JournalError {
    /// The 1-based line.
    pub line: usize,
    /// What is wrong with it.
    pub reason: String,
}

impl Journal {
    /// Reads a journal's bytes. A last line without its newline is a write a crash cut short:
    /// it was never flushed, so nothing was sent after it, and it is ignored ([`Journal::torn_len`]
    /// says how long it is). Any other line that is not a record is an error: a journal that
    /// cannot be read whole cannot say what was sent.
    pub fn parse(bytes: &[u8]) -> std::result::Result<Journal, JournalError> {
        let complete_len = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let mut journal = Journal {
            complete_len,
            torn_len: bytes.len() - complete_len,
            ..Journal::default()
        };
        for (i, line) in bytes[..complete_len].split(|b| *b == b'\n').enumerate() {
            let n = i + 1;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let record: JournalRecord = serde_json::from_slice(line).map_err(|e| JournalError {
                line: n,
                reason: format!("not a journal record ({e})"),
            })?;
            journal.push_checked(record, n)?;
        }
        Ok(journal)
    }

    fn push_checked(
        &mut self,
        record: JournalRecord,
        line: usize,
    ) -> std::result::Result<(), JournalError> {
        match (&self.header, record) {
            (None, JournalRecord::Campaign(h)) => {
                self.header = Some(h);
                self.records += 1;
            }
            (Some(_), JournalRecord::Campaign(_)) => {
                return Err(JournalError {
                    line,
                    reason: "a second campaign header".into(),
                })
            }
            (None, _) => {
                return Err(JournalError {
                    line,
                    reason: "a row record before the campaign header".into(),
                })
            }
            (Some(_), record) => self.push(record),
        }
        Ok(())
    }

    /// Adds a record just appended to the file (the header is set with [`Journal::parse`] or
    /// directly).
    pub fn push(&mut self, record: JournalRecord) {
        self.records += 1;
        match record {
            JournalRecord::Campaign(h) => self.header = Some(h),
            record => {
                let row = record.row().unwrap_or_default().to_owned();
                self.rows.entry(row).or_default().push(record);
            }
        }
    }

    /// A row's records, oldest first.
    pub fn row(&self, key: &str) -> &[JournalRecord] {
        self.rows.get(key).map_or(&[], Vec::as_slice)
    }

    /// The keys of every row with a record.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.rows.keys().map(String::as_str)
    }
}

// ---------------------------------------------------------------------------------------------
// Deciding

/// What a rerun does with a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowDecision {
    /// Nothing of it may have reached the provider: send it (with its own id).
    Send,
    /// Accepted before: never send it again.
    Skip(Accepted),
    /// It may have been sent, and the provider de-duplicates by its id and still remembers it:
    /// resend with exactly this id ([`SafeResend::is_open_at`] held at the decision).
    Resend(SafeResend),
    /// It may have been sent and no send can settle it.
    Unsettled(Unsettled),
    /// The provider refused it; it is not sent again (its id may be used up).
    Refused(Refused),
}

/// An earlier acceptance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// When it was recorded.
    pub at: Timestamp,
    /// The provider's reference.
    pub reference: Option<String>,
    /// Whether it was found in the provider's records rather than answered to a send.
    pub reconciled: bool,
}

/// An earlier refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// When it was recorded.
    pub at: Timestamp,
    /// What the provider said.
    pub error: String,
}

/// Why a row that may have been sent cannot be settled by sending it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsettled {
    /// A resend was answered "request id already used": the message was not sent again, but
    /// whether the earlier attempt was accepted is unknown. Check the delivery report or the
    /// provider's records.
    AlreadySubmitted {
        /// The id both attempts carried.
        request_id: String,
        /// When that answer came.
        at: Timestamp,
    },
    /// The provider has no idempotency key (CareSoft), or its de-duplication is not confirmed
    /// (InterITS without `dedup_confirmed`): a resend could be a second message.
    NoSafeResend {
        /// The first attempt that may have arrived.
        first_sent_at: Timestamp,
    },
    /// The provider may have forgotten the id (eSMS remembers it for 24 hours; nhantin stops
    /// [`RESEND_WINDOW_MARGIN_MS`] earlier): a resend could be a second message.
    WindowClosed(SafeResend),
    /// The row's message is not the one that may have been sent (its text or options changed):
    /// a resend would not be the same message.
    MessageChanged {
        /// The first attempt that may have arrived.
        first_sent_at: Timestamp,
    },
}

impl fmt::Display for Unsettled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unsettled::AlreadySubmitted { request_id, .. } => write!(f, "already submitted with request id {request_id}: not sent again; whether the earlier attempt was accepted is unknown: check the delivery report"),
            Unsettled::NoSafeResend { first_sent_at } => write!(f, "may have been sent at {first_sent_at}, and the provider has no de-duplication to make a resend safe: check before sending it again"),
            Unsettled::WindowClosed(r) => write!(f, "may have been sent at {}, and the provider may have forgotten request id {} since {}: a resend could be a second message", r.first_sent_at, r.request_id, r.until.map(|u| u.to_string()).unwrap_or_default()),
            Unsettled::MessageChanged { first_sent_at } => write!(f, "may have been sent at {first_sent_at} with another text or options: a resend would not be the same message"),
        }
    }
}

/// The row's first recorded acceptance, if any.
pub fn accepted_in(records: &[JournalRecord]) -> Option<Accepted> {
    records.iter().find_map(|r| match r {
        JournalRecord::Outcome(o) if o.status == RowStatus::Accepted => Some(Accepted {
            at: o.at,
            reference: o.reference.clone(),
            reconciled: o.reconciled,
        }),
        _ => None,
    })
}

/// Until when a provider remembers a request id first sent at `first_sent_at`, less nhantin's
/// margin: the same rule as [`crate::send::SendMachine`] (eSMS: 24 hours; InterITS: no window
/// stated).
pub fn resend_until(provider: Provider, first_sent_at: Timestamp) -> Option<Timestamp> {
    match provider {
        Provider::Esms => Some(
            first_sent_at
                .saturating_add_millis(ESMS_REQUEST_ID_MEMORY_MS - RESEND_WINDOW_MARGIN_MS),
        ),
        Provider::CareSoft | Provider::InterIts => None,
    }
}

/// Decides what to do with the row keyed `key` whose message now has digest `digest`, from its
/// journal records (oldest first) and the caller's clock.
///
/// - Any `accepted` outcome: [`RowDecision::Skip`] (acceptance is final).
/// - An `already_submitted` outcome: [`Unsettled::AlreadySubmitted`].
/// - An attempt without an outcome (a crash after it was flushed) or an `outcome_unknown`: the
///   row may have been sent, from the earliest such attempt. Then: [`Unsettled::MessageChanged`]
///   if the message differs; [`Unsettled::NoSafeResend`] unless every such attempt carried an id
///   the provider de-duplicates by; [`RowDecision::Resend`] while [`resend_until`] (from the
///   earliest attempt) is ahead of `now`, [`Unsettled::WindowClosed`] after.
/// - A `rejected` outcome: [`RowDecision::Refused`].
/// - Otherwise (no records, or only sends that provably did nothing: invalid input, rate
///   limited, not sent): [`RowDecision::Send`].
pub fn decide(
    provider: Provider,
    key: &RequestId,
    digest: &str,
    records: &[JournalRecord],
    now: Timestamp,
) -> RowDecision {
    struct MaybeSent {
        first: Timestamp,
        dedup: bool,
        same_message: bool,
    }
    let mut maybe: Option<MaybeSent> = None;
    let mut note = |at: Timestamp, dedup: bool, message: Option<&str>| {
        let same = message.is_none_or(|m| m == digest);
        let m = maybe.get_or_insert(MaybeSent {
            first: at,
            dedup,
            same_message: same,
        });
        m.first = m.first.min(at);
        m.dedup &= dedup;
        m.same_message &= same;
    };
    if let Some(a) = accepted_in(records) {
        return RowDecision::Skip(a);
    }
    let mut already = None;
    let mut refused = None;
    let mut open: Option<&Attempt> = None;
    for record in records {
        match record {
            JournalRecord::Campaign(_) => {}
            JournalRecord::Attempt(a) => {
                if let Some(prev) = open.replace(a) {
                    note(prev.at, prev.dedup, Some(&prev.message));
                }
            }
            JournalRecord::Outcome(o) => {
                let attempt = open.take();
                let (sent_at, dedup, message) = match attempt {
                    Some(a) => (a.at, a.dedup, Some(a.message.as_str())),
                    None => (o.at, o.resend_safe, None),
                };
                match o.status {
                    RowStatus::Accepted => {}
                    RowStatus::AlreadySubmitted => {
                        already = Some(Unsettled::AlreadySubmitted {
                            request_id: key.to_string(),
                            at: o.at,
                        });
                    }
                    RowStatus::OutcomeUnknown => {
                        note(
                            o.first_sent_at.unwrap_or(sent_at),
                            dedup && o.resend_safe,
                            message,
                        );
                    }
                    RowStatus::Rejected => {
                        refused = Some(Refused {
                            at: o.at,
                            error: o.error.clone().unwrap_or_default(),
                        });
                    }
                    RowStatus::InvalidInput | RowStatus::RateLimited | RowStatus::NotSent => {}
                }
            }
        }
    }
    if let Some(a) = open {
        note(a.at, a.dedup, Some(&a.message));
    }
    if let Some(u) = already {
        return RowDecision::Unsettled(u);
    }
    if let Some(m) = maybe {
        if !m.same_message {
            return RowDecision::Unsettled(Unsettled::MessageChanged {
                first_sent_at: m.first,
            });
        }
        if !m.dedup {
            return RowDecision::Unsettled(Unsettled::NoSafeResend {
                first_sent_at: m.first,
            });
        }
        let resend = SafeResend {
            request_id: key.clone(),
            first_sent_at: m.first,
            until: resend_until(provider, m.first),
        };
        return if resend.is_open_at(now) {
            RowDecision::Resend(resend)
        } else {
            RowDecision::Unsettled(Unsettled::WindowClosed(resend))
        };
    }
    match refused {
        Some(r) => RowDecision::Refused(r),
        None => RowDecision::Send,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{AccountInput, MessageInput};
    use crate::message::{Content, SmsPurpose};
    use crate::receipt::Receipt;
    use crate::send::UnknownOutcome;

    const T0: i64 = 1_800_000_000_000;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_unix_millis(T0 + ms)
    }

    fn esms() -> Account {
        AccountInput::from_json(r#"{"provider":"esms","api_key":"K","secret_key":"S"}"#)
            .unwrap()
            .validate()
            .unwrap()
    }

    fn caresoft() -> Account {
        AccountInput::from_json(
            r#"{"provider":"caresoft","domain":"demo","api_token":"T","service_id":12}"#,
        )
        .unwrap()
        .validate()
        .unwrap()
    }

    fn base() -> Message {
        MessageInput::from_json(
            r#"{"content":{"sms":{"purpose":"otp","text":"","sender":"NHANTIN"}}}"#,
        )
        .unwrap()
        .validate()
        .unwrap()
    }

    fn campaign() -> CampaignId {
        CampaignId::new("tet-2026").unwrap()
    }

    fn phone(s: &str) -> PhoneNumber {
        PhoneNumber::parse("phone", s).unwrap()
    }

    fn table(headers: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            headers: headers.iter().map(|s| s.to_string()).collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| TableRow {
                    line: i as u64 + 2,
                    values: r.iter().map(|s| s.to_string()).collect(),
                })
                .collect(),
        }
    }

    fn template(text: &str) -> TextSource {
        TextSource::Template(Template::parse(text).unwrap())
    }

    fn key() -> RequestId {
        row_request_id(&campaign(), &phone("0912345678"))
    }

    fn attempt(ms: i64, dedup: bool, digest: &str) -> JournalRecord {
        JournalRecord::Attempt(Attempt {
            row: key().to_string(),
            at: at(ms),
            request_id: Some(key().to_string()),
            dedup,
            message: digest.into(),
            resend: false,
            line: Some(2),
        })
    }

    fn outcome(ms: i64, result: std::result::Result<SendOutcome, SendError>) -> JournalRecord {
        JournalRecord::Outcome(Outcome::of(&key(), at(ms), &result))
    }

    fn accepted() -> std::result::Result<SendOutcome, SendError> {
        Ok(SendOutcome::Accepted {
            receipt: Receipt::esms("SMS-1".into()),
            request_id: Some(key()),
            attempts: 1,
        })
    }

    fn unknown(first_ms: i64, safe: bool) -> std::result::Result<SendOutcome, SendError> {
        let first_sent_at = at(first_ms);
        Err(SendError::OutcomeUnknown(Box::new(UnknownOutcome {
            provider: Provider::Esms,
            request_id: Some(key()),
            attempts: 4,
            cause: "timed out".into(),
            first_sent_at,
            last_sent_at: at(first_ms + 5_000),
            resend: if safe {
                Resend::SameId(SafeResend {
                    request_id: key(),
                    first_sent_at,
                    until: resend_until(Provider::Esms, first_sent_at),
                })
            } else {
                Resend::NotSafe
            },
        })))
    }

    const WINDOW: i64 = ESMS_REQUEST_ID_MEMORY_MS - RESEND_WINDOW_MARGIN_MS;

    fn decide_esms(records: &[JournalRecord], now_ms: i64) -> RowDecision {
        decide(Provider::Esms, &key(), "d1", records, at(now_ms))
    }

    #[test]
    fn row_ids_are_the_campaign_and_a_digest_of_the_normalised_phone() {
        let id = key();
        assert_eq!(id.as_str().len(), "tet-2026-".len() + ROW_HASH_LEN);
        assert!(id.as_str().starts_with("tet-2026-"), "{id}");
        assert!(id.as_str()["tet-2026-".len()..]
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        for written in ["+84 912 345 678", "84912345678", "(091) 234.56-78"] {
            assert_eq!(row_request_id(&campaign(), &phone(written)), id);
        }
        assert_ne!(row_request_id(&campaign(), &phone("0912345679")), id);
        let other = CampaignId::new("tet-2027").unwrap();
        assert_eq!(
            row_request_id(&other, &phone("0912345678")).as_str()[9..],
            id.as_str()[9..]
        );
        // The longest campaign id still fits eSMS's 50 characters.
        let long = CampaignId::new("c".repeat(CAMPAIGN_ID_MAX_LEN)).unwrap();
        assert_eq!(
            row_request_id(&long, &phone("0912345678")).as_str().len(),
            RequestId::MAX_LEN
        );
    }

    #[test]
    fn campaign_ids_are_checked() {
        assert!(CampaignId::new("").is_err());
        assert!(CampaignId::new("c".repeat(CAMPAIGN_ID_MAX_LEN + 1)).is_err());
        assert!(CampaignId::new("tết").is_err());
        assert!(CampaignId::new("a b").is_err());
        assert_eq!(CampaignId::new("A.b_c-9").unwrap().as_str(), "A.b_c-9");
    }

    #[test]
    fn inserting_a_row_changes_no_other_rows_id() {
        let text = template("Chào {name}");
        let before = table(
            &["phone", "name"],
            &[
                &["0912345678", "An"],
                &["0987654321", "Bình"],
                &["0356789012", "Chi"],
            ],
        );
        let after = table(
            &["phone", "name"],
            &[
                &["0912345678", "An"],
                &["0701234567", "Dũng"],
                &["+84 98 765 4321", "Bình"],
                &["0356789012", "Chi"],
            ],
        );
        let ids = |t: &Table| -> BTreeMap<String, String> {
            let p = plan(&esms(), &campaign(), &base(), &text, t, at(0)).unwrap();
            assert!(p.invalid.is_empty(), "{:?}", p.invalid);
            p.rows
                .iter()
                .map(|r| (r.phone.national(), r.key.to_string()))
                .collect()
        };
        let (before, after) = (ids(&before), ids(&after));
        assert_eq!(after.len(), 4);
        for (phone, id) in &before {
            assert_eq!(after.get(phone), Some(id), "{phone}");
        }
    }

    #[test]
    fn plan_fills_templates_and_reports_bad_rows_by_line() {
        let t = table(
            &["phone", "name", "code"],
            &[
                &["0912345678", "An", "111"],
                &["01662345678", "Bình", "222"],
                &["0987654321", "", "333"],
                &["+84912345678", "An again", "444"],
                &["0356789012", "Chi"],
                &["0701234567", "Dũng", "555"],
            ],
        );
        let p = plan(
            &esms(),
            &campaign(),
            &base(),
            &template("{name}: mã {code} {{ok}}"),
            &t,
            at(0),
        )
        .unwrap();
        let lines: Vec<u64> = p.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 7]);
        assert_eq!(p.rows[0].message.content.texts(), ["An: mã 111 {ok}"]);
        assert_eq!(p.rows[0].message.request_id.as_ref(), Some(&p.rows[0].key));
        assert!(p.rows[0].dedup);
        let invalid: Vec<(u64, String)> = p
            .invalid
            .iter()
            .map(|r| (r.line, r.error.to_string()))
            .collect();
        assert_eq!(invalid.len(), 4, "{invalid:?}");
        assert!(invalid[0].0 == 3 && invalid[0].1.contains("036****678"));
        assert!(invalid[1].0 == 4 && invalid[1].1.contains("column `name` is empty"));
        assert!(invalid[2].0 == 5 && invalid[2].1.contains("same number as on line 2"));
        assert!(invalid[3].0 == 6 && invalid[3].1.contains("has 2 fields"));
        assert!(p.invalid[0]
            .to_string()
            .starts_with("line 3: invalid phone"));
    }

    #[test]
    fn plan_refuses_table_level_mistakes() {
        let t = table(&["Phone", "name"], &[&["0912345678", "An"]]);
        let e = plan(&esms(), &campaign(), &base(), &template("x"), &t, at(0)).unwrap_err();
        assert!(e.to_string().contains("no `phone` column"), "{e}");
        let t = table(&["phone", "name"], &[&["0912345678", "An"]]);
        let e = plan(&esms(), &campaign(), &base(), &template("{nam}"), &t, at(0)).unwrap_err();
        assert!(e.to_string().contains("{nam} names no column"), "{e}");
        let e = plan(
            &esms(),
            &campaign(),
            &base(),
            &TextSource::Column,
            &t,
            at(0),
        )
        .unwrap_err();
        assert!(e.to_string().contains("`text` column"), "{e}");
        let with_id = base().with_request_id(RequestId::new("x").unwrap());
        assert!(plan(&esms(), &campaign(), &with_id, &template("x"), &t, at(0)).is_err());
        let t = table(&["phone", "text"], &[&["0912345678", "Xin chào"]]);
        let p = plan(
            &esms(),
            &campaign(),
            &base(),
            &TextSource::Column,
            &t,
            at(0),
        )
        .unwrap();
        assert_eq!(p.rows[0].message.content.texts(), ["Xin chào"]);
    }

    #[test]
    fn rows_accepted_before_are_not_rechecked() {
        // Scheduled for 10 s after 0; rerun at 20 s, when the schedule has passed.
        let mut b = base();
        b.schedule = Some(at(10_000));
        let t = table(&["phone"], &[&["0912345678"], &["0987654321"], &["0356"]]);
        let mut p = plan(&esms(), &campaign(), &b, &template("x"), &t, at(20_000)).unwrap();
        assert_eq!(p.invalid.len(), 3);
        assert_eq!(p.invalid[0].row.as_ref().map(|(_, k)| k), Some(&key()));
        assert_eq!(p.invalid[2].row, None);
        let mut journal = Journal::default();
        journal.push(JournalRecord::Campaign(CampaignHeader::new(
            &campaign(),
            &esms(),
            at(0),
        )));
        journal.push(attempt(1, true, "d1"));
        journal.push(outcome(2, accepted()));
        let settled = p.settle_invalid(&journal);
        assert_eq!(settled.len(), 1);
        assert_eq!(
            (settled[0].0.line, settled[0].1.reference.as_deref()),
            (2, Some("SMS-1"))
        );
        assert_eq!(p.invalid.iter().map(|r| r.line).collect::<Vec<_>>(), [3, 4]);
    }

    #[test]
    fn caresoft_rows_carry_no_id_and_no_dedup() {
        let mut b = base();
        if let Content::Sms(sms) = &mut b.content {
            sms.sender = None;
            sms.purpose = SmsPurpose::CustomerCare;
        }
        let t = table(&["phone"], &[&["0912345678"]]);
        let p = plan(&caresoft(), &campaign(), &b, &template("Cảm ơn"), &t, at(0)).unwrap();
        assert_eq!(p.rows[0].message.request_id, None);
        assert!(!p.rows[0].dedup);
        assert_eq!(p.rows[0].key, key());
    }

    #[test]
    fn templates_parse_escapes_and_refuse_holes() {
        let t = Template::parse("{{a}} {x}-{ y }{x}").unwrap();
        assert_eq!(t.columns(), ["x", "y"]);
        let v = |c: &str| match c {
            "x" => Some("1"),
            "y" => Some("2"),
            _ => None,
        };
        assert_eq!(t.render(v).unwrap(), "{a} 1-21");
        for bad in ["{", "a}", "{}", "{a{b}}", "x {  }"] {
            assert!(Template::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Template::parse("{z}").unwrap().render(v).unwrap_err(),
            "column `z` is missing on this row"
        );
    }

    #[test]
    fn no_records_is_a_first_send() {
        assert_eq!(decide_esms(&[], 0), RowDecision::Send);
    }

    #[test]
    fn accepted_is_skipped_whatever_follows() {
        let skip = RowDecision::Skip(Accepted {
            at: at(10),
            reference: Some("SMS-1".into()),
            reconciled: false,
        });
        assert_eq!(
            decide_esms(&[attempt(0, true, "d1"), outcome(10, accepted())], 20),
            skip
        );
        // Even with the message changed since, or a later crash record: acceptance is final.
        let records = [
            attempt(0, true, "d0"),
            outcome(10, accepted()),
            attempt(30, true, "d1"),
        ];
        assert_eq!(decide_esms(&records, 40), skip);
    }

    #[test]
    fn a_crash_after_the_attempt_is_resent_with_its_id_only_while_safe() {
        let records = [attempt(0, true, "d1")];
        let resend = SafeResend {
            request_id: key(),
            first_sent_at: at(0),
            until: Some(at(WINDOW)),
        };
        assert_eq!(
            decide_esms(&records, 1_000),
            RowDecision::Resend(resend.clone())
        );
        assert_eq!(
            decide_esms(&records, WINDOW - 1),
            RowDecision::Resend(resend.clone())
        );
        assert_eq!(
            decide_esms(&records, WINDOW),
            RowDecision::Unsettled(Unsettled::WindowClosed(resend))
        );
    }

    #[test]
    fn the_window_counts_from_the_first_attempt_that_may_have_arrived() {
        // Crash, rerun crashes again an hour later, then a resend that timed out.
        let records = [
            attempt(0, true, "d1"),
            attempt(3_600_000, true, "d1"),
            outcome(3_700_000, unknown(3_600_000, true)),
        ];
        assert_eq!(
            decide_esms(&records, 7_200_000),
            RowDecision::Resend(SafeResend {
                request_id: key(),
                first_sent_at: at(0),
                until: Some(at(WINDOW)),
            })
        );
    }

    #[test]
    fn unknown_outcomes_follow_their_resend_guidance() {
        let records = [attempt(0, true, "d1"), outcome(5_000, unknown(0, true))];
        assert_eq!(
            decide_esms(&records, 10_000),
            RowDecision::Resend(SafeResend {
                request_id: key(),
                first_sent_at: at(0),
                until: Some(at(WINDOW)),
            })
        );
        let records = [attempt(0, true, "d1"), outcome(5_000, unknown(0, false))];
        assert_eq!(
            decide_esms(&records, 10_000),
            RowDecision::Unsettled(Unsettled::NoSafeResend {
                first_sent_at: at(0)
            })
        );
    }

    #[test]
    fn without_dedup_a_crash_is_never_resent() {
        let records = [attempt(0, false, "d1")];
        assert_eq!(
            decide(Provider::CareSoft, &key(), "d1", &records, at(1)),
            RowDecision::Unsettled(Unsettled::NoSafeResend {
                first_sent_at: at(0)
            })
        );
        // InterITS with confirmed de-duplication has no stated window.
        let records = [attempt(0, true, "d1")];
        assert_eq!(
            decide(
                Provider::InterIts,
                &key(),
                "d1",
                &records,
                at(365 * 86_400_000)
            ),
            RowDecision::Resend(SafeResend {
                request_id: key(),
                first_sent_at: at(0),
                until: None,
            })
        );
    }

    #[test]
    fn a_changed_message_is_not_resent() {
        let records = [attempt(0, true, "d0")];
        assert_eq!(
            decide_esms(&records, 1),
            RowDecision::Unsettled(Unsettled::MessageChanged {
                first_sent_at: at(0)
            })
        );
    }

    #[test]
    fn already_submitted_is_unsettled_until_an_acceptance_is_recorded() {
        let already = || {
            outcome(
                20,
                Ok(SendOutcome::AlreadySubmitted {
                    request_id: key(),
                    attempts: 1,
                }),
            )
        };
        let records = [attempt(0, true, "d1"), attempt(10, true, "d1"), already()];
        assert_eq!(
            decide_esms(&records, 30),
            RowDecision::Unsettled(Unsettled::AlreadySubmitted {
                request_id: key().to_string(),
                at: at(20),
            })
        );
        assert_eq!(sent_span(&records), Some((at(0), at(20))));
        let found = JournalRecord::Outcome(Outcome::reconciled(
            &key(),
            at(40),
            "SMS-9",
            serde_json::json!({"verdict": "sent"}),
        ));
        let reconciled = [
            attempt(0, true, "d1"),
            attempt(10, true, "d1"),
            already(),
            found,
        ];
        assert_eq!(
            decide_esms(&reconciled, 50),
            RowDecision::Skip(Accepted {
                at: at(40),
                reference: Some("SMS-9".into()),
                reconciled: true,
            })
        );
    }

    #[test]
    fn the_sent_span_runs_from_the_first_attempt_that_may_have_arrived() {
        assert_eq!(sent_span(&[]), None);
        // Sends that provably did nothing, or were answered, leave nothing to look for.
        assert_eq!(
            sent_span(&[attempt(0, true, "d1"), outcome(10, accepted())]),
            None
        );
        let records = [
            attempt(0, true, "d1"),
            outcome(10, accepted()),
            attempt(100, true, "d1"),
            attempt(200, true, "d1"),
            outcome(300, unknown(200, true)),
        ];
        assert_eq!(sent_span(&records), Some((at(100), at(300))));
    }

    #[test]
    fn sends_that_did_nothing_are_sent_again_and_refusals_are_not() {
        let not_sent = Err(SendError::NotSent {
            provider: Provider::Esms,
            cause: "connection refused".into(),
            attempts: 4,
        });
        let records = [attempt(0, true, "d1"), outcome(10, not_sent.clone())];
        assert_eq!(decide_esms(&records, 20), RowDecision::Send);
        // …unless an earlier attempt may have arrived.
        let records = [
            attempt(0, true, "d1"),
            attempt(5, true, "d1"),
            outcome(10, not_sent),
        ];
        assert!(
            matches!(decide_esms(&records, 20), RowDecision::Resend(r) if r.first_sent_at == at(0))
        );
        let rejected: std::result::Result<SendOutcome, SendError> = Err(SendError::Refused {
            error: Error::Rejected {
                provider: Provider::Esms,
                reason: crate::Rejection::Other,
                code: Some("103".into()),
                message: "Balance not enough".into(),
            },
            attempts: 1,
        });
        let records = [attempt(0, true, "d1"), outcome(10, rejected.clone())];
        let RowDecision::Refused(r) = decide_esms(&records, 20) else {
            panic!("{:?}", decide_esms(&records, 20))
        };
        assert_eq!(r.at, at(10));
        assert!(r.error.contains("Balance not enough"), "{}", r.error);
    }

    #[test]
    fn outcome_records_keep_the_resend_window() {
        let JournalRecord::Outcome(o) = outcome(5_000, unknown(0, true)) else {
            unreachable!()
        };
        assert_eq!(
            (
                o.status,
                o.attempts,
                o.first_sent_at,
                o.resend_safe,
                o.resend_until
            ),
            (
                RowStatus::OutcomeUnknown,
                4,
                Some(at(0)),
                true,
                Some(at(WINDOW))
            )
        );
        assert_eq!(o.detail["kind"], "outcome_unknown");
        let JournalRecord::Outcome(o) = outcome(5, accepted()) else {
            unreachable!()
        };
        assert_eq!(
            (o.status, o.reference.as_deref()),
            (RowStatus::Accepted, Some("SMS-1"))
        );
    }

    fn header() -> JournalRecord {
        JournalRecord::Campaign(CampaignHeader::new(&campaign(), &esms(), at(0)))
    }

    fn lines(records: &[JournalRecord]) -> String {
        records.iter().map(|r| r.to_line() + "\n").collect()
    }

    #[test]
    fn a_journal_reads_back_what_was_written() {
        let records = [header(), attempt(1, true, "d1"), outcome(2, accepted())];
        let text = lines(&records);
        let j = Journal::parse(text.as_bytes()).unwrap();
        assert_eq!(
            j.header.as_ref(),
            Some(match &records[0] {
                JournalRecord::Campaign(h) => h,
                _ => unreachable!(),
            })
        );
        assert_eq!(j.row(key().as_str()), &records[1..]);
        assert_eq!((j.complete_len, j.torn_len, j.records), (text.len(), 0, 3));
        assert!(j.row("other").is_empty());
        assert!(
            text.lines().all(|l| !l.contains("0912345678")),
            "no phone numbers in the journal:\n{text}"
        );
    }

    #[test]
    fn a_torn_last_line_is_ignored() {
        let whole = lines(&[header(), attempt(1, true, "d1")]);
        let torn_outcome = outcome(2, accepted()).to_line();
        for cut in [1, torn_outcome.len() / 2, torn_outcome.len()] {
            let text = format!("{whole}{}", &torn_outcome[..cut]);
            let j = Journal::parse(text.as_bytes()).unwrap();
            assert_eq!((j.complete_len, j.torn_len), (whole.len(), cut));
            // The attempt stands alone: the row may have been sent.
            assert!(matches!(
                decide_esms(j.row(key().as_str()), 10),
                RowDecision::Resend(_)
            ));
        }
        // Only a torn header: a new journal.
        let h = header().to_line();
        let j = Journal::parse(&h.as_bytes()[..10]).unwrap();
        assert_eq!((j.header, j.complete_len, j.torn_len), (None, 0, 10));
        // A bad line that is not the last is an error naming it.
        let text = format!(
            "{whole}{{\"record\":\"outcome\"\n{}\n",
            outcome(2, accepted()).to_line()
        );
        assert_eq!(Journal::parse(text.as_bytes()).unwrap_err().line, 3);
        let text = lines(&[attempt(1, true, "d1")]);
        assert!(Journal::parse(text.as_bytes())
            .unwrap_err()
            .reason
            .contains("before the campaign header"));
    }

    #[test]
    fn headers_bind_a_journal_to_its_campaign_and_account() {
        let h = CampaignHeader::new(&campaign(), &esms(), at(0));
        assert!(h.check(&campaign(), &esms()).is_ok());
        assert!(h
            .check(&CampaignId::new("other").unwrap(), &esms())
            .is_err());
        assert!(h.check(&campaign(), &caresoft()).is_err());
        let other_key =
            AccountInput::from_json(r#"{"provider":"esms","api_key":"K2","secret_key":"S"}"#)
                .unwrap()
                .validate()
                .unwrap();
        assert!(h
            .check(&campaign(), &other_key)
            .unwrap_err()
            .to_string()
            .contains("another esms account"));
        assert_eq!(h.account.len(), ROW_HASH_LEN);
        let newer = CampaignHeader {
            version: JOURNAL_VERSION + 1,
            ..h
        };
        assert!(newer.check(&campaign(), &esms()).is_err());
    }
}
