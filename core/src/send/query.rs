//! Queries (balance, status, sent data): a read-only one may be resent freely, so the machine
//! only bounds attempts and time. A query that changes something (eSMS's code check uses the code
//! up) is resent only while it cannot have arrived; once it may have, the answer is unknown.

use crate::error::{Error, Provider};
use crate::http::{HttpRequest, HttpResponse, Idempotency};
use crate::time::Timestamp;

use super::{NetworkFailure, Resend, SendError, SendPolicy, UnknownOutcome};

/// What the caller of a [`QueryMachine`] should do next.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryStep<T> {
    /// Send this request and report the answer or the failure.
    Transmit(HttpRequest),
    /// Poll again at this instant.
    Wait(Timestamp),
    /// The query is over.
    Done(Result<T, SendError>),
    /// A transmitted request has not been reported yet.
    AwaitingReport,
}

/// One read-only query, with resends on any failure short of a refusal.
#[derive(Debug, Clone)]
pub struct QueryMachine<T> {
    provider: Provider,
    request: HttpRequest,
    decode: fn(&HttpResponse) -> crate::Result<T>,
    policy: SendPolicy,
    started_at: Timestamp,
    first_sent_at: Option<Timestamp>,
    last_sent_at: Timestamp,
    attempts: u32,
    in_flight: bool,
    wait_until: Option<Timestamp>,
    done: Option<Result<T, SendError>>,
}

impl<T: Clone> QueryMachine<T> {
    /// Starts a query of `request`, whose answers `decode` reads.
    pub fn new(
        provider: Provider,
        request: HttpRequest,
        decode: fn(&HttpResponse) -> crate::Result<T>,
        now: Timestamp,
        policy: &SendPolicy,
    ) -> Self {
        QueryMachine {
            provider,
            request,
            decode,
            policy: policy.clone(),
            started_at: now,
            first_sent_at: None,
            last_sent_at: now,
            attempts: 0,
            in_flight: false,
            wait_until: None,
            done: None,
        }
    }

    /// What to do next at `now`.
    pub fn poll(&mut self, now: Timestamp) -> QueryStep<T> {
        if let Some(done) = &self.done {
            return QueryStep::Done(done.clone());
        }
        if self.in_flight {
            return QueryStep::AwaitingReport;
        }
        if let Some(until) = self.wait_until.filter(|until| now < *until) {
            return QueryStep::Wait(until);
        }
        self.attempts += 1;
        self.in_flight = true;
        self.last_sent_at = now;
        QueryStep::Transmit(self.request.clone())
    }

    /// Reports the answer to the last transmit.
    pub fn on_response(&mut self, now: Timestamp, response: &HttpResponse) {
        if !std::mem::take(&mut self.in_flight) {
            return;
        }
        match (self.decode)(response) {
            Ok(value) => self.done = Some(Ok(value)),
            Err(error @ (Error::InvalidInput { .. } | Error::Rejected { .. })) => {
                self.done = Some(Err(SendError::Refused {
                    error,
                    attempts: self.attempts,
                }))
            }
            Err(error) if !error.is_retry_safe(&self.request.idempotency) => {
                self.first_sent_at.get_or_insert(self.last_sent_at);
                self.unknown(error.to_string())
            }
            Err(error) => {
                let retry_after = match &error {
                    Error::RateLimited {
                        retry_after_secs, ..
                    } => retry_after_secs.map(|s| s.saturating_mul(1000)),
                    _ => None,
                };
                self.again(now, retry_after, error.to_string());
            }
        }
    }

    /// Reports that the last transmit got no answer.
    pub fn on_failure(&mut self, now: Timestamp, failure: NetworkFailure) {
        if !std::mem::take(&mut self.in_flight) {
            return;
        }
        match failure {
            NetworkFailure::MaybeSent { cause }
                if self.request.idempotency == Idempotency::NotIdempotent =>
            {
                self.first_sent_at.get_or_insert(self.last_sent_at);
                self.unknown(cause)
            }
            NetworkFailure::MaybeSent { cause } => {
                self.first_sent_at.get_or_insert(self.last_sent_at);
                self.again(now, None, cause)
            }
            NetworkFailure::NotSent { cause } => self.again(now, None, cause),
        }
    }

    /// Ends a query that is not read-only and may have arrived: it is not sent again.
    fn unknown(&mut self, cause: String) {
        self.done = Some(Err(SendError::OutcomeUnknown(Box::new(UnknownOutcome {
            provider: self.provider,
            request_id: None,
            attempts: self.attempts,
            cause,
            first_sent_at: self.first_sent_at.unwrap_or(self.last_sent_at),
            last_sent_at: self.last_sent_at,
            resend: Resend::NotSafe,
        }))));
    }

    fn again(&mut self, now: Timestamp, retry_after_ms: Option<u64>, cause: String) {
        let shift = self.attempts.saturating_sub(1).min(16);
        let wait = retry_after_ms.unwrap_or_else(|| {
            self.policy
                .initial_backoff_ms
                .saturating_mul(1 << shift)
                .min(self.policy.max_backoff_ms)
        });
        let at = now.saturating_add_millis(i64::try_from(wait).unwrap_or(i64::MAX));
        let deadline = self.started_at.saturating_add_millis(
            i64::try_from(self.policy.total_deadline_ms).unwrap_or(i64::MAX),
        );
        if self.attempts < self.policy.max_attempts
            && wait <= self.policy.max_retry_after_ms
            && at <= deadline
        {
            self.wait_until = Some(at);
        } else {
            self.done = Some(Err(SendError::Unavailable {
                provider: self.provider,
                cause,
                attempts: self.attempts,
            }));
        }
    }
}
