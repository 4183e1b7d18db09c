//! # The send protocol, as a machine driven by the caller's clock
//!
//! Everything that decides what happens next in a send lives here: whether to resend, when, and
//! with which bytes; CareSoft's pacing and lock-out; and how each attempt's result is classified
//! (accepted, already submitted, refused, rate limited, not sent, unknown). Nothing here opens a
//! socket, sleeps or draws a random number: ids, jitter seeds and "now" come in as values.
//!
//! ## Driving it
//!
//! ```text
//! let mut machine = SendMachine::new(&account, &message, context, &policy)?;
//! loop {
//!     match machine.poll(now(), &mut account_state) {
//!         Step::Transmit(request) => match http.send(&request) {
//!             Ok(response) => machine.on_response(now(), &mut account_state, &response),
//!             Err(e) => machine.on_failure(now(), &mut account_state, NetworkFailure::classify(e)),
//!         },
//!         Step::Wait(until) => sleep_until(until),
//!         Step::Done(result) => return result,
//!         Step::AwaitingReport => unreachable!("report every Transmit before polling again"),
//!     }
//! }
//! ```
//!
//! `nhantin-transport` is exactly that loop around reqwest; the C ABI and the UniFFI interface
//! expose the same machine so a caller with its own HTTP stack gets the same guarantees.
//!
//! ## The rules it enforces
//! - A resend is always the *same* request (same bytes, same request id), and is made only when
//!   it cannot deliver the message twice: the attempt provably never left (connection refused,
//!   a 429), or the provider de-duplicates by the request id (eSMS, documented; InterITS only
//!   when the account says de-duplication was confirmed with InterITS).
//! - Once any attempt may have reached the provider, the send can only end accepted, already
//!   submitted, or unknown: a later refusal does not prove the first attempt did nothing.
//! - Waits are clamped: no provider number can make the machine overflow or wait past the
//!   deadline; a `Retry-After` longer than [`SendPolicy::max_retry_after_ms`] ends the send.

mod bulk;
mod outcome;
mod pacing;
mod query;

pub(crate) use bulk::content_digest;
pub use bulk::{plan_batches, Batch, BatchResult, BATCH_HASH_LEN};
pub use outcome::{
    Resend, SafeResend, SendClass, SendError, SendOutcome, UnknownOutcome,
    ESMS_REQUEST_ID_MEMORY_MS, RESEND_WINDOW_MARGIN_MS,
};
pub use pacing::{AccountState, CARESOFT_LOCKOUT_MS, CARESOFT_PER_SECOND};
pub use query::{QueryMachine, QueryStep};

use crate::error::{Error, Provider, Rejection};
use crate::http::{HttpRequest, HttpResponse, Idempotency};
use crate::ids::RequestId;
use crate::message::Message;
use crate::providers::{self, Account};
use crate::time::Timestamp;

/// The retry policy. Times are in milliseconds of the caller's clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendPolicy {
    /// Attempts per request, the first included. Default 4; 1 disables resends.
    pub max_attempts: u32,
    /// No attempt starts later than this after the first one. Default 60 s.
    pub total_deadline_ms: u64,
    /// First backoff; doubles per attempt, with jitter. Default 200 ms.
    pub initial_backoff_ms: u64,
    /// Longest backoff of our own. Default 5 s.
    pub max_backoff_ms: u64,
    /// Longest `Retry-After` honoured; a provider asking for more ends the send as rate limited
    /// (or unknown). Default 60 s.
    pub max_retry_after_ms: u64,
    /// Pace CareSoft to its documented 15 requests per second. Default true.
    pub pace_caresoft: bool,
}

impl Default for SendPolicy {
    fn default() -> Self {
        SendPolicy {
            max_attempts: 4,
            total_deadline_ms: 60_000,
            initial_backoff_ms: 200,
            max_backoff_ms: 5_000,
            max_retry_after_ms: 60_000,
            pace_caresoft: true,
        }
    }
}

/// What the caller passes in that core cannot make itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendContext {
    /// The caller's clock at the start.
    pub now: Timestamp,
    /// A fresh, unique request id, used only when the message has none and the provider takes
    /// one. `nhantin-transport` passes `nt-<uuid>`.
    pub fresh_request_id: Option<RequestId>,
    /// Seed for the backoff jitter (any value; it only spreads clients apart).
    pub jitter_seed: u64,
}

/// An attempt that got no HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkFailure {
    /// The connection was never established (refused, DNS, TLS handshake, connect timeout):
    /// nothing left this machine.
    NotSent {
        /// What happened, in the caller's words (no URL: it carries phone numbers).
        cause: String,
    },
    /// The request may have left: a timeout after connecting, a reset, an unreadable or
    /// oversized answer.
    MaybeSent {
        /// What happened (no URL).
        cause: String,
    },
}

/// What the caller should do next.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Send this request, then report with [`SendMachine::on_response`] or
    /// [`SendMachine::on_failure`].
    Transmit(HttpRequest),
    /// Poll again at this instant (backoff, `Retry-After` or pacing).
    Wait(Timestamp),
    /// The send is over; polling again repeats this.
    Done(Result<SendOutcome, SendError>),
    /// A transmitted request has not been reported yet.
    AwaitingReport,
}

#[derive(Debug, Clone, PartialEq)]
enum State {
    Ready,
    Backoff(Timestamp),
    InFlight,
    Done(Result<SendOutcome, SendError>),
}

/// One send of one request, from the first attempt to its typed outcome.
#[derive(Debug, Clone)]
pub struct SendMachine {
    provider: Provider,
    request: HttpRequest,
    request_id: Option<RequestId>,
    policy: SendPolicy,
    state: State,
    attempts: u32,
    started_at: Timestamp,
    first_maybe_sent_at: Option<Timestamp>,
    last_sent_at: Timestamp,
    /// eSMS forgets ids after 24 h; InterITS states no window.
    id_memory_ms: Option<i64>,
    jitter: u64,
}

impl SendMachine {
    /// Validates and encodes `message` for `account` and starts a send. A message without a
    /// request id gets `context.fresh_request_id` when the provider takes one.
    pub fn new(
        account: &Account,
        message: &Message,
        context: SendContext,
        policy: &SendPolicy,
    ) -> Result<Self, SendError> {
        let mut message = message.clone();
        if message.request_id.is_none() && account.wants_request_id(&message) {
            message.request_id = context.fresh_request_id.clone();
        }
        let request = account.encode_send(&message, context.now)?;
        // A bulk ZNS without a request id derives its base from the content: that base is the
        // send's id, what a safe resend names.
        let request_id = match (&message.request_id, &request.idempotency) {
            (None, Idempotency::KeyedBy(id)) => Some(id.clone()),
            (id, _) => id.clone(),
        };
        Ok(Self::from_request(
            account.provider(),
            request,
            request_id,
            context,
            policy,
        ))
    }

    /// Resends a message whose outcome was unknown, with the id the first send carried. Refused
    /// (nothing sent) when the window has closed or the message names another id.
    pub fn resend(
        account: &Account,
        message: &Message,
        resend: &SafeResend,
        context: SendContext,
        policy: &SendPolicy,
    ) -> Result<Self, SendError> {
        // A `SafeResend` may be built by hand (after a cancelled await, from a journal), so
        // nothing in it is taken on trust: the window is the provider's own, counted from the
        // first send, and closes at the earlier of that and `until`.
        if resend.first_sent_at > context.now {
            return Err(Error::invalid(
                "first_sent_at",
                format!(
                    "{} is later than now: give the instant the first send was made",
                    resend.first_sent_at.to_rfc3339_utc()
                ),
            )
            .into());
        }
        let window = [
            resend.until,
            crate::campaign::resend_until(account.provider(), resend.first_sent_at),
        ]
        .into_iter()
        .flatten()
        .min();
        if window.is_some_and(|until| context.now >= until) {
            let until = window.map(|u| u.to_rfc3339_utc()).unwrap_or_default();
            return Err(Error::invalid(
                "request_id",
                format!("the provider may have forgotten {} (its window closed at {until}); a resend could be a second message: reconcile instead", resend.request_id),
            )
            .into());
        }
        if let Some(id) = &message.request_id {
            if id != &resend.request_id {
                return Err(Error::invalid("request_id", format!("is {id}, but the send being resent carried {}: a resend must carry the same id", resend.request_id)).into());
            }
        }
        let message = message.clone().with_request_id(resend.request_id.clone());
        let mut machine = Self::new(
            account,
            &message,
            SendContext {
                fresh_request_id: None,
                ..context
            },
            policy,
        )?;
        // Only a provider that de-duplicates this send by its id makes a resend safe (InterITS
        // only with confirmed de-duplication, never a ZNS; CareSoft never, D-Z49).
        if machine.request.idempotency != Idempotency::KeyedBy(resend.request_id.clone()) {
            return Err(Error::invalid(
                "request_id",
                format!("{} does not de-duplicate this send by its request id, so a resend could deliver it twice: reconcile with the recipient or the provider instead", account.provider()),
            )
            .into());
        }
        // The first send may have arrived: a 124 now means "already submitted", and the window
        // still counts from that first send.
        machine.first_maybe_sent_at = Some(resend.first_sent_at);
        Ok(machine)
    }

    /// Starts a send of an already-encoded request (from [`Account::encode_send`] or a bulk plan).
    pub fn from_request(
        provider: Provider,
        request: HttpRequest,
        request_id: Option<RequestId>,
        context: SendContext,
        policy: &SendPolicy,
    ) -> Self {
        let id_memory_ms = match provider {
            Provider::Esms => Some(outcome::ESMS_REQUEST_ID_MEMORY_MS),
            Provider::CareSoft | Provider::InterIts => None,
        };
        SendMachine {
            provider,
            request,
            request_id,
            policy: SendPolicy {
                max_attempts: policy.max_attempts.max(1),
                ..policy.clone()
            },
            state: State::Ready,
            attempts: 0,
            started_at: context.now,
            first_maybe_sent_at: None,
            last_sent_at: context.now,
            id_memory_ms,
            jitter: context.jitter_seed | 1,
        }
    }

    /// The request this machine sends (every attempt is these exact bytes).
    pub fn request(&self) -> &HttpRequest {
        &self.request
    }

    /// The request id every attempt carries, if any.
    pub fn request_id(&self) -> Option<&RequestId> {
        self.request_id.as_ref()
    }

    /// Attempts made so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// What to do next at `now`.
    pub fn poll(&mut self, now: Timestamp, account: &mut AccountState) -> Step {
        match &self.state {
            State::Done(result) => return Step::Done(result.clone()),
            State::InFlight => return Step::AwaitingReport,
            State::Backoff(until) if now < *until => return Step::Wait(*until),
            State::Backoff(_) | State::Ready => {}
        }
        if let Some(until) = account.locked_until(now) {
            // Only CareSoft locks out; every CareSoft resend follows an attempt that did nothing.
            return self.finish(match self.first_maybe_sent_at {
                Some(_) => self.unknown(format!(
                    "{} locked this account out until {until}",
                    self.provider
                )),
                None => SendError::LockedOut {
                    provider: self.provider,
                    until,
                },
            });
        }
        if self.provider == Provider::CareSoft && self.policy.pace_caresoft {
            if let Some(until) = account.admit(now) {
                return Step::Wait(until);
            }
        }
        self.attempts += 1;
        self.last_sent_at = now;
        self.state = State::InFlight;
        Step::Transmit(self.request.clone())
    }

    /// Reports the HTTP answer to the last [`Step::Transmit`].
    pub fn on_response(
        &mut self,
        now: Timestamp,
        account: &mut AccountState,
        response: &HttpResponse,
    ) {
        if self.state != State::InFlight {
            return;
        }
        let decoded = if self.request.per_recipient.is_empty() {
            providers::decode_send(self.provider, response)
        } else {
            providers::esms::decode_zns_bulk(&self.request, response)
        };
        let error = match decoded {
            Ok(receipt) => {
                self.state = State::Done(Ok(SendOutcome::Accepted {
                    receipt,
                    request_id: self.request_id.clone(),
                    attempts: self.attempts,
                }));
                return;
            }
            Err(e) => e.redacted_for(&self.request),
        };
        match &error {
            Error::Rejected {
                reason: Rejection::DuplicateRequestId,
                ..
            } if self.first_maybe_sent_at.is_some() => {
                if let Some(request_id) = self.request_id.clone() {
                    self.state = State::Done(Ok(SendOutcome::AlreadySubmitted {
                        request_id,
                        attempts: self.attempts,
                    }));
                    return;
                }
                self.conclude(now, Attempt::Refused(error));
            }
            Error::RateLimited {
                retry_after_secs,
                lockout,
                ..
            } => {
                let wait_ms = retry_after_secs.map(|s| s.saturating_mul(1000));
                if *lockout {
                    let lock_ms = wait_ms.map_or(pacing::CARESOFT_LOCKOUT_MS, |ms| {
                        i64::try_from(ms).unwrap_or(i64::MAX)
                    });
                    account.lock_out(now.saturating_add_millis(lock_ms));
                    self.conclude(now, Attempt::Refused(error));
                } else {
                    self.conclude(
                        now,
                        Attempt::Throttled {
                            error: error.clone(),
                            retry_after_ms: wait_ms,
                        },
                    );
                }
            }
            Error::ProviderUnavailable { .. } | Error::UnexpectedResponse { .. } => {
                self.conclude(now, Attempt::MaybeProcessed(error.to_string()))
            }
            Error::InvalidInput { .. } | Error::Rejected { .. } => {
                self.conclude(now, Attempt::Refused(error))
            }
        }
    }

    /// Reports that the last [`Step::Transmit`] got no HTTP answer.
    pub fn on_failure(
        &mut self,
        now: Timestamp,
        _account: &mut AccountState,
        failure: NetworkFailure,
    ) {
        if self.state != State::InFlight {
            return;
        }
        // A caller's HTTP stack may name the URL in its error (keys, phone and text in an eSMS
        // GET): the cause is redacted with the request before it can reach an error message.
        match failure {
            NetworkFailure::NotSent { cause } => {
                let cause = self.request.redact_for_error(&cause);
                self.conclude(now, Attempt::NeverLeft(cause))
            }
            NetworkFailure::MaybeSent { cause } => {
                let cause = self.request.redact_for_error(&cause);
                self.conclude(now, Attempt::MaybeProcessed(cause))
            }
        }
    }

    /// Decides, after an attempt that did not succeed, between a resend and the end.
    fn conclude(&mut self, now: Timestamp, attempt: Attempt) {
        if let Attempt::MaybeProcessed(_) = attempt {
            self.first_maybe_sent_at.get_or_insert(self.last_sent_at);
        }
        let keyed = matches!(
            self.request.idempotency,
            Idempotency::KeyedBy(_) | Idempotency::ReadOnly
        );
        let resendable = match &attempt {
            Attempt::Refused(_) => false,
            Attempt::NeverLeft(_) | Attempt::Throttled { .. } => {
                keyed || self.first_maybe_sent_at.is_none()
            }
            Attempt::MaybeProcessed(_) => keyed,
        };
        // A provider asking for a longer wait than the policy allows ends the send instead.
        let wait_ms = match &attempt {
            Attempt::Throttled {
                retry_after_ms: Some(ms),
                ..
            } => (*ms <= self.policy.max_retry_after_ms).then_some(*ms),
            _ => Some(self.backoff_ms()),
        };
        if resendable && self.attempts < self.policy.max_attempts {
            if let Some(wait) = wait_ms {
                let at = now.saturating_add_millis(i64::try_from(wait).unwrap_or(i64::MAX));
                let deadline = self.started_at.saturating_add_millis(
                    i64::try_from(self.policy.total_deadline_ms).unwrap_or(i64::MAX),
                );
                if at <= deadline {
                    self.state = State::Backoff(at);
                    return;
                }
            }
        }
        let result = match (self.first_maybe_sent_at, attempt) {
            (Some(_), last) => self.unknown(last.describe()),
            (None, Attempt::Refused(error) | Attempt::Throttled { error, .. }) => {
                SendError::Refused {
                    error,
                    attempts: self.attempts,
                }
            }
            (None, Attempt::NeverLeft(cause)) => SendError::NotSent {
                provider: self.provider,
                cause,
                attempts: self.attempts,
            },
            (None, Attempt::MaybeProcessed(_)) => {
                unreachable!("a maybe-processed attempt sets first_maybe_sent_at")
            }
        };
        self.state = State::Done(Err(result));
    }

    fn unknown(&self, cause: String) -> SendError {
        let first_sent_at = self.first_maybe_sent_at.unwrap_or(self.last_sent_at);
        let resend = match (&self.request.idempotency, &self.request_id) {
            (Idempotency::KeyedBy(_), Some(id)) => Resend::SameId(SafeResend {
                request_id: id.clone(),
                first_sent_at,
                until: self
                    .id_memory_ms
                    .map(|ms| first_sent_at.saturating_add_millis(ms - RESEND_WINDOW_MARGIN_MS)),
            }),
            _ => Resend::NotSafe,
        };
        SendError::OutcomeUnknown(Box::new(UnknownOutcome {
            provider: self.provider,
            request_id: self.request_id.clone(),
            attempts: self.attempts,
            cause,
            first_sent_at,
            last_sent_at: self.last_sent_at,
            resend,
        }))
    }

    fn finish(&mut self, result: SendError) -> Step {
        self.state = State::Done(Err(result));
        match &self.state {
            State::Done(r) => Step::Done(r.clone()),
            _ => unreachable!(),
        }
    }

    /// Exponential backoff with jitter in [ceiling/2, ceiling] (xorshift64 from the caller's seed).
    fn backoff_ms(&mut self) -> u64 {
        let shift = self.attempts.saturating_sub(1).min(16);
        let ceiling = self
            .policy
            .initial_backoff_ms
            .saturating_mul(1 << shift)
            .min(self.policy.max_backoff_ms)
            .max(1);
        let mut x = self.jitter;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.jitter = x;
        ceiling / 2 + x % (ceiling / 2 + 1)
    }
}

enum Attempt {
    /// Core or the provider refused; this attempt did nothing.
    Refused(Error),
    /// A 429: this attempt did nothing; wait and resend.
    Throttled {
        error: Error,
        retry_after_ms: Option<u64>,
    },
    /// No connection: this attempt never left.
    NeverLeft(String),
    /// The request may have been processed (5xx, unreadable answer, timeout, reset).
    MaybeProcessed(String),
}

impl Attempt {
    fn describe(self) -> String {
        match self {
            Attempt::Refused(e) | Attempt::Throttled { error: e, .. } => e.to_string(),
            Attempt::NeverLeft(cause) | Attempt::MaybeProcessed(cause) => cause,
        }
    }
}
