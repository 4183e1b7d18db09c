//! "Was this message sent?" for an eSMS send whose outcome is unknown, decided from what eSMS
//! filed (`GetSmsSentData_V2`, [`super::decode_sent_data`]). Pure values: the plan says which
//! windows and pages to ask for and when; the caller sends them and feeds the pages back.
//!
//! ```text
//! let mut plan = Reconciliation::for_unknown(&message, &unknown, &ReconcilePolicy::default())?;
//! loop {
//!     match plan.poll(now()) {
//!         ReconcileStep::Wait(until) => sleep_until(until),
//!         ReconcileStep::Query(q) => plan.on_page(&decode_sent_data(&http.send(&account.encode_sent_data(&q)?)?)?)?,
//!         ReconcileStep::Done(verdicts) => return verdicts,
//!     }
//! }
//! ```
//!
//! ## Why it decides the way it does
//!
//! - **Nothing in a row names the request id**, and the `SMSID` is what the lost answer would
//!   have carried, so a row can only be recognised by what it says: the same recipient (both
//!   numbers normalised, so `84…` and `0…` agree) and the same text, compared exactly.
//! - **The text compared is the text as sent.** [`Reconciliation::for_unknown`] applies the
//!   message's unicode policy exactly as the encoder did (a `strip` message is looked for without
//!   its diacritics); a caller using [`Reconciliation::new`] must pass the text as it went on the
//!   wire, diacritics stripped if they were. eSMS is not documented to rewrite the text it files;
//!   if it ever did, this would answer "not found" for a message that was sent, so the exact
//!   comparison is a documented assumption, not a fact.
//! - **Rows are keyed by `(ReferenceId, phone)`.** A send to many phones is one row per phone,
//!   all with the send's `ReferenceId`; the portal `SmsId` is shared too, even between sends
//!   (the page's own sample), so it identifies nothing (D-Z36). The same key seen twice (pages
//!   that shifted while being read, or windows that share a boundary second) is one row.
//! - **More than one match is never guessed away.** The same OTP text sent twice to one phone
//!   in the window gives two `ReferenceId`s and no way to tell which is this send:
//!   [`ReconcileVerdict::Ambiguous`] lists them. A caller that knows some of them as its own
//!   other, accepted sends names them with [`Reconciliation::excluding`]. A matching row whose
//!   text eSMS left out is a candidate too.
//! - **The window is the attempts, widened.** eSMS filters on the creation time (D-Z37), on its
//!   own clock, to the second, in Vietnam time. The message, if it exists, was created after the
//!   first attempt left and before the last one ended; [`ReconcilePolicy::margin_ms`] widens both
//!   ends for the two clocks' disagreement and for the time the last attempt (and eSMS) took.
//!   A wider window only adds candidates, which can make an answer ambiguous but never turns a
//!   sent message into "not found".
//! - **It waits for the window to close.** A timed-out attempt may still be filed after the
//!   caller gave up on it, so nothing is asked before the end of the window on the caller's
//!   clock: a "not found" before then could be a message still being filed.
//! - **Every page is read before anything is concluded** (D-Z37: pages from 1, until the rows
//!   read reach `CountTotal` or a page is empty), and windows longer than a day are split
//!   (D-Z37 [INFER]: no longest window is documented for V2; V1 allowed three days).

use std::collections::{BTreeMap, BTreeSet};

use super::sent::check_sms_type;
use super::{
    sms_type_for, DeliveryResult, EsmsSendStatus, EsmsSmsType, SentDataPage, SentDataQuery,
    SentRow, SmsId, SENT_DATA_MAX_PAGE_SIZE,
};
use crate::error::{Error, Provider, Result};
use crate::message::{Content, Message};
use crate::phone::PhoneNumber;
use crate::send::UnknownOutcome;
use crate::text;
use crate::time::Timestamp;

/// Default widening of the window at each end, and so the wait after the last attempt before
/// the answer is final: clock disagreement between caller and eSMS, plus the time the last
/// attempt and eSMS's filing may take (a 30 s request timeout fits many times over).
pub const RECONCILE_MARGIN_MS: i64 = 5 * 60 * 1000;

/// Longest window asked for in one query; a longer span is split into windows of this length
/// that share their boundary second: the pages do not say whether `To` is inclusive, so no
/// second is left out either way, and a row read twice is one row.
pub const RECONCILE_MAX_WINDOW_MS: i64 = 24 * 3600 * 1000;

/// Pages read from one window at most (500 000 rows at the largest page size). A window that
/// keeps having rows beyond this is not an answer nhantin trusts.
pub const RECONCILE_MAX_PAGES_PER_WINDOW: u32 = 1000;

/// Attempt spans longer than this are refused: no send machine produces one (a resend is
/// refused once eSMS's one-day memory of the id, [`crate::send::ESMS_REQUEST_ID_MEMORY_MS`], may
/// have lapsed), so it is a caller's mistake, and reading it would take dozens of windows.
const MAX_SPAN_MS: i64 = 31 * 24 * 3600 * 1000;

/// How a reconciliation reads eSMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReconcilePolicy {
    /// Widening of the window at each end, in ms; also how long after the last attempt the
    /// query waits. Default [`RECONCILE_MARGIN_MS`]. Shorter is only right where both clocks
    /// are known to agree (a test against the local emulator).
    pub margin_ms: i64,
    /// `PageSize`, 1 to 500. Default 500: fewest requests.
    pub page_size: u32,
}

impl Default for ReconcilePolicy {
    fn default() -> Self {
        ReconcilePolicy {
            margin_ms: RECONCILE_MARGIN_MS,
            page_size: SENT_DATA_MAX_PAGE_SIZE,
        }
    }
}

/// One creation-time window to read, bounds inclusive, whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentWindow {
    /// `From`.
    pub from: Timestamp,
    /// `To`.
    pub to: Timestamp,
}

/// What eSMS's records say about one recipient.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum ReconcileVerdict {
    /// eSMS filed exactly one message to this phone with this text in the window: the send got
    /// through (it was created; `status` and `result` say how far it got, and a rejected one is
    /// still this send). Do not send it again; follow it by `sms_id`. "This send" assumes the
    /// caller sent the same text to this phone in the window only this once, or named its other
    /// such sends with [`Reconciliation::excluding`].
    Sent {
        /// `ReferenceId`: the `SMSID` the lost answer carried.
        sms_id: SmsId,
        /// `SendStatus` when read.
        status: Option<EsmsSendStatus>,
        /// `SendResult` when read.
        result: Option<DeliveryResult>,
    },
    /// Nothing to this phone with this text in the whole window, every page read, after the
    /// window closed: the send did not get through to this phone. A resend is safe; made with
    /// the same request id while the id's window is open ([`crate::send::SafeResend`]) it is
    /// also safe against a filing eSMS has not shown yet.
    NotFound,
    /// More than one candidate (the same text sent to the phone more than once in the window), or
    /// one whose text eSMS did not give: which is this send cannot be told. Never resend on
    /// this answer; a caller that knows some candidates as its own other sends may rule them out.
    Ambiguous {
        /// The candidate rows, by `ReferenceId`.
        candidates: Vec<SentRow>,
    },
}

/// What the caller of a [`Reconciliation`] should do next.
#[derive(Debug, Clone, PartialEq)]
pub enum ReconcileStep {
    /// Poll again at this instant: the window has not closed yet.
    Wait(Timestamp),
    /// Encode this query ([`super::EsmsAccount::encode_sent_data`]), send it, decode the answer
    /// ([`super::decode_sent_data`]) and report it with [`Reconciliation::on_page`]. Polling
    /// again without reporting repeats it.
    Query(SentDataQuery),
    /// Every page is read: one verdict per recipient, in the order given.
    Done(Vec<(PhoneNumber, ReconcileVerdict)>),
}

/// The reconciliation of one unknown outcome: windows and pages to read, and the verdicts.
#[derive(Debug, Clone)]
pub struct Reconciliation {
    recipients: Vec<PhoneNumber>,
    wanted: BTreeSet<PhoneNumber>,
    content: String,
    sms_type: EsmsSmsType,
    windows: Vec<SentWindow>,
    not_before: Timestamp,
    page_size: u32,
    /// The window being read (`windows.len()` when done), its next page and rows read so far.
    window: usize,
    page: u32,
    fetched: u64,
    /// Rows that match a recipient, by (phone, `ReferenceId`).
    candidates: BTreeMap<(PhoneNumber, String), SentRow>,
    /// `ReferenceId`s the caller knows as other sends.
    excluded: BTreeSet<String>,
}

impl Reconciliation {
    /// Plans the reconciliation of a send of `content` (**the text as sent**: stripped of
    /// diacritics if the message was) as `sms_type` to `recipients`, whose attempts were made
    /// from `first_sent_at` to `last_sent_at` (from [`UnknownOutcome`]). For a split advertising
    /// send, pass the recipients of the one batch whose outcome is unknown.
    pub fn new(
        recipients: Vec<PhoneNumber>,
        content: impl Into<String>,
        sms_type: EsmsSmsType,
        first_sent_at: Timestamp,
        last_sent_at: Timestamp,
        policy: &ReconcilePolicy,
    ) -> Result<Self> {
        if recipients.is_empty() {
            return Err(Error::invalid("recipients", "is empty"));
        }
        let mut wanted = BTreeSet::new();
        for (i, phone) in recipients.iter().enumerate() {
            if !wanted.insert(phone.clone()) {
                return Err(Error::invalid(
                    format!("recipients[{i}]"),
                    format!("{} is listed twice", phone.masked()),
                ));
            }
        }
        check_sms_type(sms_type)?;
        if !(1..=SENT_DATA_MAX_PAGE_SIZE).contains(&policy.page_size) {
            return Err(Error::invalid(
                "page_size",
                format!("must be 1 to {SENT_DATA_MAX_PAGE_SIZE}"),
            ));
        }
        if !(0..=MAX_SPAN_MS).contains(&policy.margin_ms) {
            return Err(Error::invalid("margin_ms", "must be between 0 and 31 days"));
        }
        let (first, last) = (
            first_sent_at.min(last_sent_at),
            first_sent_at.max(last_sent_at),
        );
        if last.millis_since(first) > MAX_SPAN_MS {
            return Err(Error::invalid(
                "first_sent_at",
                format!("{first} is more than 31 days before the last attempt ({last})"),
            ));
        }
        // Whole seconds, rounded outwards: eSMS compares to the second.
        let from = floor_second(first.saturating_add_millis(-policy.margin_ms))
            .max(Timestamp::from_unix_millis(0));
        let to = ceil_second(last.saturating_add_millis(policy.margin_ms));
        let mut windows = Vec::new();
        let mut start = from;
        loop {
            let end = start.saturating_add_millis(RECONCILE_MAX_WINDOW_MS);
            if end >= to {
                windows.push(SentWindow { from: start, to });
                break;
            }
            windows.push(SentWindow {
                from: start,
                to: end,
            });
            start = end;
        }
        let plan = Reconciliation {
            recipients,
            wanted,
            content: content.into(),
            sms_type,
            windows,
            not_before: to,
            page_size: policy.page_size,
            window: 0,
            page: 1,
            fetched: 0,
            candidates: BTreeMap::new(),
            excluded: BTreeSet::new(),
        };
        // Every query it will make is one the encoder takes: refuse now, not halfway through.
        for w in &plan.windows {
            plan.query_for(w).check()?;
        }
        Ok(plan)
    }

    /// Plans the reconciliation of `message`, whose eSMS send ended in `unknown`. The text is
    /// looked for as the encoder sent it (the message's unicode policy applied), as the message
    /// kind's `SmsType`.
    pub fn for_unknown(
        message: &Message,
        unknown: &UnknownOutcome,
        policy: &ReconcilePolicy,
    ) -> Result<Self> {
        if unknown.provider != Provider::Esms {
            return Err(Error::invalid(
                "provider",
                format!(
                    "the unknown outcome is from {}; reconciliation reads eSMS's records",
                    unknown.provider
                ),
            ));
        }
        let sent =
            match &message.content {
                Content::Sms(sms) => text::prepare("sms.text", &sms.text, sms.unicode)?.text,
                Content::Viber(viber) => match viber.layout.text() {
                    Some(t) => text::prepare("viber.text", t, viber.unicode)?.text,
                    None => String::new(),
                },
                // The records list a ZNS under its template's rendered text, and a generated code
                // under a text with eSMS's code in it: a send knows neither, so there is nothing
                // to look for. A ZNS with an unknown outcome is resent with its request id while
                // eSMS still remembers it (the resend window); a generated code is not resent.
                Content::Zns(_)
                | Content::ZnsBulk(_)
                | Content::ZaloThenSms(_)
                | Content::GeneratedOtp(_) => return Err(Error::invalid(
                    "content",
                    "ZNS and generated-code sends cannot be reconciled from the sent-data records",
                )),
            };
        Self::new(
            message.recipients.clone(),
            sent,
            sms_type_for(&message.content),
            unknown.first_sent_at,
            unknown.last_sent_at,
            policy,
        )
    }

    /// Rules out rows of sends the caller knows are not this one: the `SMSID`s of its other,
    /// accepted sends of the same text to the same phones (an earlier OTP with the same text).
    /// Without this, such a send makes the answer ambiguous, or, if this send never arrived,
    /// is taken for it.
    pub fn excluding(mut self, known: impl IntoIterator<Item = SmsId>) -> Self {
        self.excluded
            .extend(known.into_iter().map(|id| id.as_str().to_owned()));
        self
    }

    /// The windows it reads, in order.
    pub fn windows(&self) -> &[SentWindow] {
        &self.windows
    }

    /// The earliest instant it queries: the end of the last window.
    pub fn not_before(&self) -> Timestamp {
        self.not_before
    }

    /// The text it looks for.
    pub fn content(&self) -> &str {
        &self.content
    }

    /// What to do next at `now`.
    pub fn poll(&self, now: Timestamp) -> ReconcileStep {
        match self.windows.get(self.window) {
            None => ReconcileStep::Done(self.verdicts()),
            Some(_) if now < self.not_before => ReconcileStep::Wait(self.not_before),
            Some(w) => ReconcileStep::Query(self.query_for(w)),
        }
    }

    /// Reports the decoded answer to the last [`ReconcileStep::Query`]. An error means the
    /// reconciliation cannot conclude (eSMS kept having rows past
    /// [`RECONCILE_MAX_PAGES_PER_WINDOW`] pages); nothing may be inferred from it.
    pub fn on_page(&mut self, page: &SentDataPage) -> Result<()> {
        if self.window >= self.windows.len() {
            return Ok(());
        }
        for row in &page.rows {
            // A row for a number that is no Vietnamese mobile (a Zalo user id) is not one of
            // ours: every recipient is a valid number.
            let Ok(phone) = PhoneNumber::parse("phone", &row.phone) else {
                continue;
            };
            if !self.wanted.contains(&phone) || self.excluded.contains(row.reference_id.as_str()) {
                continue;
            }
            if row.content.as_ref().is_some_and(|c| *c != self.content) {
                continue;
            }
            let key = (phone, row.reference_id.as_str().to_owned());
            // Of two copies of one row, keep the one that has the text.
            if self
                .candidates
                .get(&key)
                .is_none_or(|kept| kept.content.is_none())
            {
                self.candidates.insert(key, row.clone());
            }
        }
        let read = u64::try_from(page.rows.len()).unwrap_or(u64::MAX);
        self.fetched = self.fetched.saturating_add(read);
        if page.rows.is_empty() || page.count_total.is_some_and(|t| self.fetched >= t) {
            self.window += 1;
            self.page = 1;
            self.fetched = 0;
            return Ok(());
        }
        if self.page >= RECONCILE_MAX_PAGES_PER_WINDOW {
            return Err(Error::UnexpectedResponse {
                provider: Provider::Esms,
                status: 200,
                snippet: format!(
                    "GetSmsSentData_V2 still had rows after {} pages ({} of {} rows read)",
                    self.page,
                    self.fetched,
                    page.count_total
                        .map_or_else(|| "an unstated number of".to_owned(), |t| t.to_string())
                ),
            });
        }
        self.page += 1;
        Ok(())
    }

    fn query_for(&self, window: &SentWindow) -> SentDataQuery {
        SentDataQuery {
            sms_type: self.sms_type,
            from: window.from,
            to: window.to,
            page: self.page,
            page_size: self.page_size,
        }
    }

    fn verdicts(&self) -> Vec<(PhoneNumber, ReconcileVerdict)> {
        self.recipients
            .iter()
            .map(|phone| {
                let rows: Vec<&SentRow> = self
                    .candidates
                    .range((phone.clone(), String::new())..)
                    .take_while(|((p, _), _)| p == phone)
                    .map(|(_, row)| row)
                    .collect();
                let verdict = match rows.as_slice() {
                    [] => ReconcileVerdict::NotFound,
                    [row] if row.content.as_deref() == Some(self.content.as_str()) => {
                        ReconcileVerdict::Sent {
                            sms_id: row.reference_id.clone(),
                            status: row.status,
                            result: row.result,
                        }
                    }
                    _ => ReconcileVerdict::Ambiguous {
                        candidates: rows.into_iter().cloned().collect(),
                    },
                };
                (phone.clone(), verdict)
            })
            .collect()
    }
}

fn floor_second(t: Timestamp) -> Timestamp {
    Timestamp::from_unix_millis(t.unix_millis().div_euclid(1000).saturating_mul(1000))
}

fn ceil_second(t: Timestamp) -> Timestamp {
    let floor = floor_second(t);
    if floor == t {
        t
    } else {
        floor.saturating_add_millis(1000)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{decode_sent_data, EsmsAccount};
    use super::*;
    use crate::http::HttpResponse;
    use crate::ids::{RequestId, Secret};
    use crate::send::Resend;
    use crate::{MessageInput, UnicodePolicy};

    const OTP: &str = "Ma OTP 123456";
    const OURS: &str = "0912345678";

    fn at(rfc3339: &str) -> Timestamp {
        Timestamp::parse_rfc3339("t", rfc3339).unwrap()
    }

    fn phone(p: &str) -> PhoneNumber {
        PhoneNumber::parse("phone", p).unwrap()
    }

    fn account() -> EsmsAccount {
        EsmsAccount::new(
            Secret::new("api_key", "K").unwrap(),
            Secret::new("secret_key", "S").unwrap(),
        )
    }

    /// Attempts at 09:00:00.400 and 09:00:30.700 Vietnam time, margin 5 minutes.
    fn plan(recipients: &[&str]) -> Reconciliation {
        Reconciliation::new(
            recipients.iter().map(|p| phone(p)).collect(),
            OTP,
            EsmsSmsType::CustomerCare,
            at("2026-11-24T02:00:00.400Z"),
            at("2026-11-24T02:00:30.700Z"),
            &ReconcilePolicy::default(),
        )
        .unwrap()
    }

    const AFTER: &str = "2026-11-24T02:05:31Z";

    /// The body of the query the plan asks for now.
    fn wire(plan: &Reconciliation) -> String {
        match plan.poll(at(AFTER)) {
            ReconcileStep::Query(q) => {
                String::from_utf8(account().encode_sent_data(&q).unwrap().body).unwrap()
            }
            other => panic!("{other:?}"),
        }
    }

    fn row(reference: &str, phone: &str, content: Option<&str>) -> String {
        let content = content.map_or("null".to_owned(), |c| format!("{c:?}"));
        format!(
            r#"{{"Campaign":null,"Content":{content},"Phone":"{phone}","ReferenceId":"{reference}","SellPrice":470.0,"SendResult":1,"SendStatus":5,"SentTime":"\/Date(1795485601000+0700)\/","SmsId":30000001,"SmsType":2}}"#
        )
    }

    fn page(count_total: usize, rows: &[String]) -> SentDataPage {
        decode_sent_data(&HttpResponse::new(
            200,
            format!(
                r#"{{"CodeResult":"100","CountTotal":{count_total},"SentData":[{}]}}"#,
                rows.join(",")
            ),
        ))
        .unwrap()
    }

    fn done(plan: &Reconciliation) -> Vec<(PhoneNumber, ReconcileVerdict)> {
        match plan.poll(at(AFTER)) {
            ReconcileStep::Done(v) => v,
            other => panic!("not done: {other:?}"),
        }
    }

    fn sent(reference: &str) -> ReconcileVerdict {
        ReconcileVerdict::Sent {
            sms_id: SmsId::new(reference).unwrap(),
            status: Some(EsmsSendStatus::Finished),
            result: Some(DeliveryResult::Succeeded),
        }
    }

    #[test]
    fn waits_for_the_window_to_close_then_asks_for_it() {
        let p = plan(&[OURS]);
        assert_eq!(
            p.windows(),
            &[SentWindow {
                from: at("2026-11-24T01:55:00Z"),
                to: at("2026-11-24T02:05:31Z"),
            }]
        );
        assert_eq!(p.not_before(), at("2026-11-24T02:05:31Z"));
        assert_eq!(
            p.poll(at("2026-11-24T02:01:00Z")),
            ReconcileStep::Wait(at("2026-11-24T02:05:31Z"))
        );
        assert_eq!(
            wire(&p),
            r#"{"ApiKey":"K","SecretKey":"S","SmsType":"2","From":"2026-11-24 08:55:00","To":"2026-11-24 09:05:31","Page":1,"PageSize":500}"#
        );
        // Asking again before reporting repeats the query.
        assert_eq!(p.poll(at(AFTER)), p.poll(at("2027-01-01T00:00:00Z")));
    }

    #[test]
    fn pages_until_count_total_and_finds_the_send() {
        let policy = ReconcilePolicy {
            page_size: 2,
            ..ReconcilePolicy::default()
        };
        let mut p = Reconciliation::new(
            vec![phone(OURS)],
            OTP,
            EsmsSmsType::CustomerCare,
            at("2026-11-24T02:00:00.400Z"),
            at("2026-11-24T02:00:30.700Z"),
            &policy,
        )
        .unwrap();
        assert!(wire(&p).ends_with(r#""Page":1,"PageSize":2}"#));
        p.on_page(&page(
            5,
            &[
                row("a1", "0900000001", Some(OTP)),
                row("a2", OURS, Some("other text")),
            ],
        ))
        .unwrap();
        assert!(wire(&p).ends_with(r#""Page":2,"PageSize":2}"#));
        p.on_page(&page(
            5,
            &[
                row("ours", "+84 912 345 678", Some(OTP)),
                row("a3", "0900000003", Some(OTP)),
            ],
        ))
        .unwrap();
        assert!(wire(&p).ends_with(r#""Page":3,"PageSize":2}"#));
        p.on_page(&page(5, &[row("a4", "0900000004", Some(OTP))]))
            .unwrap();
        assert_eq!(done(&p), vec![(phone(OURS), sent("ours"))]);
        // A page reported after the end changes nothing.
        p.on_page(&page(1, &[row("late", OURS, Some(OTP))]))
            .unwrap();
        assert_eq!(done(&p), vec![(phone(OURS), sent("ours"))]);
    }

    #[test]
    fn an_empty_page_ends_a_window_without_count_total() {
        let mut p = plan(&[OURS]);
        let no_total = |rows: &[String]| {
            decode_sent_data(&HttpResponse::new(
                200,
                format!(r#"{{"CodeResult":"100","SentData":[{}]}}"#, rows.join(",")),
            ))
            .unwrap()
        };
        p.on_page(&no_total(&[row("x", "0900000001", Some(OTP))]))
            .unwrap();
        assert!(wire(&p).ends_with(r#""Page":2,"PageSize":500}"#));
        p.on_page(&no_total(&[])).unwrap();
        assert_eq!(done(&p), vec![(phone(OURS), ReconcileVerdict::NotFound)]);
    }

    #[test]
    fn reads_a_bom_and_both_date_forms() {
        let mut p = plan(&[OURS, "0987654321"]);
        let body = format!(
            "\u{feff}{{\"CodeResult\":\"100\",\"CountTotal\":2,\"SentData\":[{},{}]}}",
            row("r1", OURS, Some(OTP)),
            row("r1", "0987654321", Some(OTP)).replace(
                r#""SentTime":"\/Date(1795485601000+0700)\/""#,
                r#""SentTime":"24/11/2026 09:00:01""#
            )
        );
        let decoded = decode_sent_data(&HttpResponse::new(200, body)).unwrap();
        assert_eq!(decoded.rows[0].sent_time, Some(at("2026-11-24T02:00:01Z")));
        assert_eq!(decoded.rows[1].sent_time, Some(at("2026-11-24T02:00:01Z")));
        p.on_page(&decoded).unwrap();
        // One send to two phones: both rows carry its ReferenceId.
        assert_eq!(
            done(&p),
            vec![(phone(OURS), sent("r1")), (phone("0987654321"), sent("r1"))]
        );
    }

    #[test]
    fn the_same_text_twice_is_ambiguous() {
        let mut p = plan(&[OURS, "0987654321", "0901234567"]);
        let rows = [
            row("first", OURS, Some(OTP)),
            row("second", "84912345678", Some(OTP)),
            // A copy of a row already read (a page that shifted): one candidate, not two.
            row("mine", "0987654321", Some(OTP)),
            row("mine", "0987654321", Some(OTP)),
            // Text not given: cannot be ruled out, cannot be confirmed.
            row("unknown", "0901234567", None),
        ];
        let decoded = page(5, &rows);
        p.on_page(&decoded).unwrap();
        assert_eq!(
            done(&p),
            vec![
                (
                    phone(OURS),
                    ReconcileVerdict::Ambiguous {
                        candidates: vec![decoded.rows[0].clone(), decoded.rows[1].clone()]
                    }
                ),
                (phone("0987654321"), sent("mine")),
                (
                    phone("0901234567"),
                    ReconcileVerdict::Ambiguous {
                        candidates: vec![decoded.rows[4].clone()]
                    }
                ),
            ]
        );
        // The caller's own earlier send of the same OTP, named, leaves one candidate.
        let mut p = plan(&[OURS]).excluding([SmsId::new("first").unwrap()]);
        p.on_page(&decoded).unwrap();
        assert_eq!(done(&p), vec![(phone(OURS), sent("second"))]);
    }

    #[test]
    fn other_phones_other_texts_and_other_numbers_are_not_found() {
        let mut p = plan(&[OURS]);
        p.on_page(&page(
            4,
            &[
                row("a", "0912345679", Some(OTP)),
                row("b", OURS, Some("Ma OTP 123457")),
                row("c", OURS, Some("Ma OTP 123456 ")),
                row("d", "312158068343230", Some(OTP)),
            ],
        ))
        .unwrap();
        assert_eq!(done(&p), vec![(phone(OURS), ReconcileVerdict::NotFound)]);
        // An empty window is the same answer.
        let mut p = plan(&[OURS]);
        p.on_page(&page(0, &[])).unwrap();
        assert_eq!(done(&p), vec![(phone(OURS), ReconcileVerdict::NotFound)]);
    }

    #[test]
    fn long_spans_are_split_into_overlapping_days() {
        let p = Reconciliation::new(
            vec![phone(OURS)],
            OTP,
            EsmsSmsType::CustomerCare,
            at("2026-11-24T02:00:00Z"),
            at("2026-11-25T08:00:00Z"),
            &ReconcilePolicy {
                margin_ms: 0,
                page_size: 500,
            },
        )
        .unwrap();
        assert_eq!(
            p.windows(),
            &[
                SentWindow {
                    from: at("2026-11-24T02:00:00Z"),
                    to: at("2026-11-25T02:00:00Z")
                },
                SentWindow {
                    from: at("2026-11-25T02:00:00Z"),
                    to: at("2026-11-25T08:00:00Z")
                },
            ]
        );
        let mut p = p;
        let later = "2026-11-25T08:00:00Z";
        let body = |p: &Reconciliation| match p.poll(at(later)) {
            ReconcileStep::Query(q) => {
                String::from_utf8(account().encode_sent_data(&q).unwrap().body).unwrap()
            }
            other => panic!("{other:?}"),
        };
        assert!(body(&p)
            .contains(r#""From":"2026-11-24 09:00:00","To":"2026-11-25 09:00:00","Page":1"#));
        p.on_page(&page(1, &[row("x", OURS, Some(OTP))])).unwrap();
        assert!(body(&p)
            .contains(r#""From":"2026-11-25 09:00:00","To":"2026-11-25 15:00:00","Page":1"#));
        // The boundary second is in both windows: the same row again is still one candidate.
        p.on_page(&page(1, &[row("x", OURS, Some(OTP))])).unwrap();
        assert_eq!(
            p.poll(at(later)),
            ReconcileStep::Done(vec![(phone(OURS), sent("x"))])
        );
    }

    #[test]
    fn a_window_that_never_ends_is_not_an_answer() {
        let mut p = plan(&[OURS]);
        for _ in 1..RECONCILE_MAX_PAGES_PER_WINDOW {
            p.on_page(&page(
                usize::MAX >> 12,
                &[row("x", "0900000001", Some(OTP))],
            ))
            .unwrap();
        }
        assert!(matches!(
            p.on_page(&page(
                usize::MAX >> 12,
                &[row("x", "0900000001", Some(OTP))]
            )),
            Err(Error::UnexpectedResponse {
                provider: Provider::Esms,
                ..
            })
        ));
        assert!(matches!(p.poll(at(AFTER)), ReconcileStep::Query(_)));
    }

    fn unknown(provider: Provider) -> UnknownOutcome {
        UnknownOutcome {
            provider,
            request_id: Some(RequestId::new("otp-1").unwrap()),
            attempts: 2,
            cause: "connection reset".into(),
            first_sent_at: at("2026-11-24T02:00:00Z"),
            last_sent_at: at("2026-11-24T02:00:01Z"),
            resend: Resend::NotSafe,
        }
    }

    #[test]
    fn from_an_unknown_outcome_looks_for_the_text_as_sent() {
        let message = MessageInput::from_json(
            r#"{"recipients":["0912 345 678"],"content":{"sms":{"purpose":"otp","text":"Mã OTP của bạn là 123456","sender":"NHANTIN","unicode":"strip"}},"request_id":"otp-1"}"#,
        )
        .unwrap()
        .validate()
        .unwrap();
        let p = Reconciliation::for_unknown(
            &message,
            &unknown(Provider::Esms),
            &ReconcilePolicy::default(),
        )
        .unwrap();
        assert_eq!(p.content(), "Ma OTP cua ban la 123456");
        assert_eq!(
            p.windows(),
            &[SentWindow {
                from: at("2026-11-24T01:55:00Z"),
                to: at("2026-11-24T02:05:01Z")
            }]
        );
        let mut unstripped = message.clone();
        if let Content::Sms(sms) = &mut unstripped.content {
            sms.unicode = UnicodePolicy::Auto;
        }
        let p = Reconciliation::for_unknown(
            &unstripped,
            &unknown(Provider::Esms),
            &ReconcilePolicy::default(),
        )
        .unwrap();
        assert_eq!(p.content(), "Mã OTP của bạn là 123456");
        // Viber is looked for as type 23, fixed number as 8.
        let mut viber = message.clone();
        viber.content = Content::Viber(crate::Viber {
            layout: crate::ViberLayout::Text("Mã OTP của bạn là 123456".into()),
            sender: None,
            unicode: UnicodePolicy::Strip,
        });
        let p = Reconciliation::for_unknown(
            &viber,
            &unknown(Provider::Esms),
            &ReconcilePolicy::default(),
        )
        .unwrap();
        assert!(wire(&p).contains(r#""SmsType":"23""#));

        let field = |r: Result<Reconciliation>| match r {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(Reconciliation::for_unknown(
                &message,
                &unknown(Provider::CareSoft),
                &ReconcilePolicy::default()
            )),
            "provider"
        );
        let new =
            |recipients: Vec<PhoneNumber>, sms_type, first: &str, policy: &ReconcilePolicy| {
                Reconciliation::new(
                    recipients,
                    OTP,
                    sms_type,
                    at(first),
                    at("2026-11-24T02:00:00Z"),
                    policy,
                )
            };
        let default = ReconcilePolicy::default();
        let one = || vec![phone(OURS)];
        assert_eq!(
            field(new(vec![], EsmsSmsType::CustomerCare, AFTER, &default)),
            "recipients"
        );
        assert_eq!(
            field(new(
                vec![phone(OURS), phone("84912345678")],
                EsmsSmsType::CustomerCare,
                AFTER,
                &default
            )),
            "recipients[1]"
        );
        assert_eq!(
            field(new(one(), EsmsSmsType::Other(3), AFTER, &default)),
            "sms_type"
        );
        assert_eq!(
            field(new(
                one(),
                EsmsSmsType::CustomerCare,
                AFTER,
                &ReconcilePolicy {
                    page_size: 501,
                    ..default.clone()
                }
            )),
            "page_size"
        );
        assert_eq!(
            field(new(
                one(),
                EsmsSmsType::CustomerCare,
                AFTER,
                &ReconcilePolicy {
                    margin_ms: -1,
                    ..default.clone()
                }
            )),
            "margin_ms"
        );
        assert_eq!(
            field(new(
                one(),
                EsmsSmsType::CustomerCare,
                "2026-10-01T00:00:00Z",
                &default
            )),
            "first_sent_at"
        );
        // Attempt times given the wrong way round are the same span.
        let swapped = new(
            one(),
            EsmsSmsType::CustomerCare,
            "2026-11-24T02:00:30Z",
            &default,
        )
        .unwrap();
        assert_eq!(swapped.windows()[0].from, at("2026-11-24T01:55:00Z"));
        assert_eq!(swapped.windows()[0].to, at("2026-11-24T02:05:30Z"));
    }
}
