//! The send machine, for callers with their own HTTP stack (`requests`, OkHttp, URLSession, an
//! event loop): exactly the retries, pacing and never-twice classification of `Client.send`,
//! without any I/O. The machine decides; the caller transmits, sleeps and reports.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Mutex, MutexGuard};

use nhantin_core as core;
use nhantin_core::send::{NetworkFailure, SendContext, Step};

use super::client::{account, message};
use super::error::NhantinError;
use super::types::{HttpRequest, HttpResponse, SafeResend, SendResult};

/// The retry policy of a `SendMachine`; every field has `Client.send`'s default.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SendPolicy {
    /// Attempts per request, the first included (1 disables resends).
    #[uniffi(default = 4)]
    pub max_attempts: u32,
    /// No attempt starts later than this many milliseconds after the first.
    #[uniffi(default = 60000)]
    pub total_deadline_ms: u64,
    /// First backoff (doubles per attempt, with jitter), milliseconds.
    #[uniffi(default = 200)]
    pub initial_backoff_ms: u64,
    /// Longest backoff of our own, milliseconds.
    #[uniffi(default = 5000)]
    pub max_backoff_ms: u64,
    /// Longest `Retry-After` honoured, milliseconds; a provider asking for more ends the send.
    #[uniffi(default = 60000)]
    pub max_retry_after_ms: u64,
    /// Pace CareSoft to its documented 15 requests per second.
    #[uniffi(default = true)]
    pub pace_caresoft: bool,
}

impl Default for SendPolicy {
    fn default() -> Self {
        core::send::SendPolicy::default().into()
    }
}

impl From<core::send::SendPolicy> for SendPolicy {
    fn from(p: core::send::SendPolicy) -> Self {
        SendPolicy {
            max_attempts: p.max_attempts,
            total_deadline_ms: p.total_deadline_ms,
            initial_backoff_ms: p.initial_backoff_ms,
            max_backoff_ms: p.max_backoff_ms,
            max_retry_after_ms: p.max_retry_after_ms,
            pace_caresoft: p.pace_caresoft,
        }
    }
}

impl SendPolicy {
    fn into_core(self) -> Result<core::send::SendPolicy, NhantinError> {
        if self.max_attempts == 0 {
            return Err(NhantinError::InvalidInput {
                field: "policy.max_attempts".into(),
                reason: "must be at least 1 (1 disables resends)".into(),
            });
        }
        Ok(core::send::SendPolicy {
            max_attempts: self.max_attempts,
            total_deadline_ms: self.total_deadline_ms,
            initial_backoff_ms: self.initial_backoff_ms,
            max_backoff_ms: self.max_backoff_ms,
            max_retry_after_ms: self.max_retry_after_ms,
            pace_caresoft: self.pace_caresoft,
        })
    }
}

/// What to do next in a send.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SendStep {
    /// Send exactly this request (every attempt is the same bytes; it holds the real keys: log
    /// only `redacted_url`), then report with `on_response` or `on_failure` before polling again.
    Transmit {
        /// The request.
        request: HttpRequest,
        /// Which attempt this is (1 for the first).
        attempt: u32,
    },
    /// Poll again at this instant (ms since the Unix epoch): backoff, `Retry-After`, pacing.
    Wait {
        /// When to poll again.
        until_ms: i64,
    },
    /// The provider answered and the send is over: `result.status` is `Accepted` (with the
    /// receipt) or `AlreadySubmitted` (not a success: see `SendStatus`). Polling again repeats
    /// it. A send that failed raises its `NhantinError` from `poll` instead, as `Client.send` does.
    Done {
        /// How it ended.
        result: SendResult,
    },
}

/// What one provider account remembers between sends: CareSoft's pacing window and its
/// lock-out. Keep one per account, for as long as you send to it, and give it to every
/// `SendMachine` call of that account. Safe to share between threads (calls lock it).
#[derive(Debug, Default, uniffi::Object)]
pub struct AccountState {
    inner: Mutex<core::send::AccountState>,
}

#[uniffi::export]
impl AccountState {
    /// A fresh state: nothing sent, not locked out.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        let _entry = crate::quiet::enter();
        Arc::new(AccountState::default())
    }

    /// When the current lock-out ends (ms since the Unix epoch), if one is in force at `now_ms`.
    pub fn locked_until_ms(&self, now_ms: i64) -> Option<i64> {
        let _entry = crate::quiet::enter();
        self.lock()
            .locked_until(core::Timestamp::from_unix_millis(now_ms))
            .map(core::Timestamp::unix_millis)
    }
}

impl AccountState {
    fn lock(&self) -> MutexGuard<'_, core::send::AccountState> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

struct Inner {
    machine: core::send::SendMachine,
    /// The transmit handed out and not yet reported: a failure's cause is redacted with it.
    in_flight: Option<core::HttpRequest>,
}

/// One send of one message, from its first attempt to its typed end, without any I/O: the
/// protocol of `Client.send`, driven by your HTTP client and your clock (`now_ms`: milliseconds
/// since the Unix epoch, wall clock).
///
/// Drive it in a loop. `step = machine.poll(state, now_ms)` raises the send's `NhantinError`
/// when it failed, exactly as `Client.send` would. On `Transmit`, send `step.request` and report
/// `machine.on_response(state, now_ms, response)`, or with no HTTP answer
/// `machine.on_failure(state, now_ms, maybe_sent, cause)`. On `Wait`, sleep until
/// `step.until_ms`. `Done` carries the `SendResult`.
///
/// Calls on one machine are serialized; drive each machine from one loop.
#[derive(uniffi::Object)]
pub struct SendMachine {
    inner: Mutex<Inner>,
    request_id: Option<String>,
}

fn context(now_ms: i64, fresh_request_id: Option<String>) -> Result<SendContext, NhantinError> {
    let fresh = match fresh_request_id {
        Some(id) => core::RequestId::new(id).map_err(|e| match e {
            core::Error::InvalidInput { reason, .. } => NhantinError::InvalidInput {
                field: "fresh_request_id".into(),
                reason,
            },
            other => other.into(),
        })?,
        None => nhantin_transport::generate_request_id(),
    };
    Ok(SendContext {
        now: core::Timestamp::from_unix_millis(now_ms),
        fresh_request_id: Some(fresh),
        jitter_seed: RandomState::new().build_hasher().finish(),
    })
}

fn refused_at(e: core::send::SendError, now_ms: i64) -> NhantinError {
    NhantinError::from_send(e, core::Timestamp::from_unix_millis(now_ms))
}

fn wrong_state(detail: &str) -> NhantinError {
    NhantinError::WrongState {
        detail: detail.into(),
    }
}

impl SendMachine {
    fn wrap(machine: core::send::SendMachine) -> Arc<Self> {
        Arc::new(SendMachine {
            request_id: machine.request_id().map(|id| id.as_str().to_owned()),
            inner: Mutex::new(Inner {
                machine,
                in_flight: None,
            }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[uniffi::export]
impl SendMachine {
    /// Validates and encodes `message` for `account` and starts its send; nothing is sent.
    /// `fresh_request_id` is the idempotency key used when the message has no `request_id` and
    /// the provider takes one (eSMS, InterITS); one is generated (`nt-…`) when absent. `policy`
    /// defaults to `Client.send`'s. Invalid input raises here, before anything could be sent.
    #[uniffi::constructor(default(fresh_request_id = None, policy = None))]
    pub fn new(
        account: super::types::Account,
        message: super::types::MessageInput,
        now_ms: i64,
        fresh_request_id: Option<String>,
        policy: Option<SendPolicy>,
    ) -> Result<Arc<Self>, NhantinError> {
        let _entry = crate::quiet::enter();
        let account = self::account(account)?;
        let message = self::message(message)?;
        let policy = policy.unwrap_or_default().into_core()?;
        let context = context(now_ms, fresh_request_id)?;
        let machine = core::send::SendMachine::new(&account, &message, context, &policy)
            .map_err(|e| refused_at(e, now_ms))?;
        Ok(Self::wrap(machine))
    }

    /// The one resend of an unknown outcome that cannot deliver the message twice: `resend` is
    /// the `OutcomeUnknown` error's, `message` the same message (its `request_id` absent or the
    /// same). Raises `InvalidInput` (nothing can be sent) once `now_ms` is past the window
    /// (`resend.until_ms`) or when the message names another id. An "already used" answer then
    /// ends as `AlreadySubmitted`: the first send got through.
    #[uniffi::constructor(default(policy = None))]
    pub fn resend(
        account: super::types::Account,
        message: super::types::MessageInput,
        resend: SafeResend,
        now_ms: i64,
        policy: Option<SendPolicy>,
    ) -> Result<Arc<Self>, NhantinError> {
        let _entry = crate::quiet::enter();
        let account = self::account(account)?;
        let message = self::message(message)?;
        let resend = resend.into_core()?;
        let policy = policy.unwrap_or_default().into_core()?;
        let context = context(now_ms, None)?;
        let machine =
            core::send::SendMachine::resend(&account, &message, &resend, context, &policy)
                .map_err(|e| refused_at(e, now_ms))?;
        Ok(Self::wrap(machine))
    }

    /// The request id every attempt carries (store it with the message before the first
    /// transmit: an unknown outcome is reconciled and resent by it); absent for CareSoft.
    pub fn request_id(&self) -> Option<String> {
        let _entry = crate::quiet::enter();
        self.request_id.clone()
    }

    /// Attempts handed out so far.
    pub fn attempts(&self) -> u32 {
        let _entry = crate::quiet::enter();
        self.lock().machine.attempts()
    }

    /// What to do next at `now_ms`. Raises the send's `NhantinError` when it ended without the
    /// provider's answer in hand (`OutcomeUnknown` with its `resend`, `Transport`, `Rejected`,
    /// …), exactly as `Client.send` would have; `WrongState` when the last transmit has not
    /// been reported.
    pub fn poll(&self, state: Arc<AccountState>, now_ms: i64) -> Result<SendStep, NhantinError> {
        let _entry = crate::quiet::enter();
        let mut inner = self.lock();
        if inner.in_flight.is_some() {
            return Err(wrong_state(
                "the last transmit has not been reported: call on_response or on_failure first",
            ));
        }
        let step = inner
            .machine
            .poll(core::Timestamp::from_unix_millis(now_ms), &mut state.lock());
        match step {
            Step::Transmit(request) => {
                let step = SendStep::Transmit {
                    request: (&request).into(),
                    attempt: inner.machine.attempts(),
                };
                inner.in_flight = Some(request);
                Ok(step)
            }
            Step::Wait(until) => Ok(SendStep::Wait {
                until_ms: until.unix_millis(),
            }),
            Step::Done(Ok(outcome)) => Ok(SendStep::Done {
                result: outcome.into(),
            }),
            Step::Done(Err(e)) => Err(refused_at(e, now_ms)),
            Step::AwaitingReport => Err(wrong_state("the last transmit has not been reported")),
        }
    }

    /// Reports the HTTP answer to the last transmit. Cap what you read (`Client` stops at
    /// 1 MiB); an answer that broke off or was too large is a failure with `maybe_sent` true.
    /// Raises `WrongState` (and changes nothing) when no transmit is outstanding.
    pub fn on_response(
        &self,
        state: Arc<AccountState>,
        now_ms: i64,
        response: HttpResponse,
    ) -> Result<(), NhantinError> {
        let _entry = crate::quiet::enter();
        let mut inner = self.lock();
        if inner.in_flight.take().is_none() {
            return Err(wrong_state("no transmit is waiting for its report"));
        }
        inner.machine.on_response(
            core::Timestamp::from_unix_millis(now_ms),
            &mut state.lock(),
            &response.into(),
        );
        Ok(())
    }

    /// Reports that the last transmit got no HTTP answer. `maybe_sent` is false only when no
    /// connection was made (refused, DNS, TLS handshake, connect timeout); anything later (a
    /// read timeout, a reset, a broken-off answer) may have reached the provider. `cause` says
    /// what happened in a few words; keep the URL out of it (it carries phone numbers and keys;
    /// what of the request it quotes anyway is masked in the error).
    /// Raises `WrongState` (and changes nothing) when no transmit is outstanding.
    pub fn on_failure(
        &self,
        state: Arc<AccountState>,
        now_ms: i64,
        maybe_sent: bool,
        cause: String,
    ) -> Result<(), NhantinError> {
        let _entry = crate::quiet::enter();
        let mut inner = self.lock();
        let Some(request) = inner.in_flight.take() else {
            return Err(wrong_state("no transmit is waiting for its report"));
        };
        // A cause that quotes the request (an HTTP library's message often names the URL, and
        // an eSMS GET URL carries the keys, the phone and the text) is shown redacted.
        let cause = request.redact_for_error(&cause);
        let failure = if maybe_sent {
            NetworkFailure::MaybeSent { cause }
        } else {
            NetworkFailure::NotSent { cause }
        };
        inner.machine.on_failure(
            core::Timestamp::from_unix_millis(now_ms),
            &mut state.lock(),
            failure,
        );
        Ok(())
    }
}

/// A fresh request id (`nt-` and 32 hex digits of a random UUID), the form `Client.send`
/// generates: store it with the message before sending, so an unknown outcome can always be
/// reconciled.
#[uniffi::export]
pub fn generate_request_id() -> String {
    let _entry = crate::quiet::enter();
    nhantin_transport::generate_request_id().as_str().to_owned()
}
