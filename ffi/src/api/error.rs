//! The one error type of the UniFFI interface (an exception hierarchy in Python, Kotlin and
//! Swift). Every variant says whose fault it is; `retry_safe` says whether resending the same
//! request cannot deliver the message twice. All conversion happens in the `From` impls below.

use nhantin_core as core;
use nhantin_core::Idempotency;

use nhantin_core::send::SendError;

use super::types::{Provider, Rejection, SafeResend};

/// Everything that can go wrong; there is no catch-all variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum NhantinError {
    /// A value is invalid; nothing was sent. Fix the input.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The field at fault (`recipients[2]`, `text`, …).
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// The provider refused the request; resending it unchanged fails again.
    // Fields are never called `message`: Kotlin exceptions already have one (uniffi-rs#1434).
    #[error("{provider:?} rejected the request ({reason:?}): {provider_message}")]
    Rejected {
        /// Who refused.
        provider: Provider,
        /// What the refusal means.
        reason: Rejection,
        /// The provider's own code, when it gave one.
        code: Option<String>,
        /// The provider's message.
        provider_message: String,
    },
    /// The provider is throttling and did nothing; wait and resend. A lock-out means stop
    /// sending to this account until it ends.
    #[error("{provider:?} is rate limiting: {provider_message}")]
    RateLimited {
        /// Who is throttling.
        provider: Provider,
        /// How long to wait, when known.
        retry_after_secs: Option<u64>,
        /// True for a lock-out (CareSoft: 15 minutes).
        lockout: bool,
        /// The provider's message.
        provider_message: String,
    },
    /// The provider failed (HTTP 5xx) and may have acted.
    #[error("{provider:?} is unavailable (HTTP {status}): {snippet}")]
    ProviderUnavailable {
        /// Who failed.
        provider: Provider,
        /// The status.
        status: u16,
        /// The start of the body.
        snippet: String,
        /// Whether resending the same request is safe.
        retry_safe: bool,
    },
    /// An answer without a documented shape; the outcome is unknown.
    #[error("unexpected answer from {provider:?} (HTTP {status}): {snippet}")]
    UnexpectedResponse {
        /// Who answered.
        provider: Provider,
        /// The status.
        status: u16,
        /// The start of the body.
        snippet: String,
        /// Whether resending the same request is safe.
        retry_safe: bool,
    },
    /// No connection could be made (or a read-only query got no answer); nothing reached the
    /// provider. Safe to resend.
    #[error("transport: {detail}")]
    Transport {
        /// The cause.
        detail: String,
    },
    /// The message may have reached the provider and no conclusive answer came back. When
    /// `resend` is present, pass it to `Client.resend` with the same message: it carries
    /// `request_id`, the provider de-duplicates by it, and an "already submitted" answer then
    /// means the first attempt got through. When absent (CareSoft, InterITS without confirmed
    /// de-duplication, eSMS's generated-code calls) do not resend blindly: `detail` says how to
    /// settle it first.
    #[error("outcome unknown: {detail}")]
    OutcomeUnknown {
        /// Who was being sent to.
        provider: Provider,
        /// What happened, with the resend advice.
        detail: String,
        /// True exactly when `resend` is present.
        retry_safe: bool,
        /// The key that was sent (generated when the message had none).
        request_id: Option<String>,
        /// The safe resend and until when it stays safe.
        resend: Option<SafeResend>,
        /// What is known of the send, for `Client.reconcile`.
        unknown: UnknownSend,
    },
    /// The client refused to send during a provider lock-out; nothing was sent.
    #[error("{provider:?} locked this account out; {remaining_secs} s remain")]
    LockedOut {
        /// Who locked us out.
        provider: Provider,
        /// Seconds left (at the time of the error).
        remaining_secs: u64,
    },
    /// The client is misconfigured (plain http without permission, a bad proxy).
    #[error("configuration: {detail}")]
    Config {
        /// What is wrong.
        detail: String,
    },
    /// A `SendMachine` call that does not fit its state: a poll while the last transmit has not
    /// been reported, or a report without a transmit. A bug in the caller's loop; the call
    /// changed nothing.
    #[error("wrong state: {detail}")]
    WrongState {
        /// What was out of order.
        detail: String,
    },
}

/// How resendable a request to this provider is: CareSoft sends carry no idempotency key;
/// eSMS sends are keyed, which for retry safety is as good as read-only; InterITS sends are keyed
/// only for an account with `dedup_confirmed`, which a decode without the account cannot know.
pub(crate) fn send_idempotency(provider: core::Provider) -> Idempotency {
    if provider.dedups_by_request_id() {
        Idempotency::ReadOnly
    } else {
        Idempotency::NotIdempotent
    }
}

impl NhantinError {
    pub(crate) fn from_core(e: core::Error, idempotency: &Idempotency) -> Self {
        let retry_safe = e.is_retry_safe(idempotency);
        match e {
            core::Error::InvalidInput { field, reason } => {
                NhantinError::InvalidInput { field, reason }
            }
            core::Error::Rejected {
                provider,
                reason,
                code,
                message,
            } => NhantinError::Rejected {
                provider,
                reason,
                code,
                provider_message: message,
            },
            core::Error::RateLimited {
                provider,
                retry_after_secs,
                lockout,
                message,
            } => NhantinError::RateLimited {
                provider,
                retry_after_secs,
                lockout,
                provider_message: message,
            },
            core::Error::ProviderUnavailable {
                provider,
                status,
                snippet,
            } => NhantinError::ProviderUnavailable {
                provider,
                status,
                snippet,
                retry_safe,
            },
            core::Error::UnexpectedResponse {
                provider,
                status,
                snippet,
            } => NhantinError::UnexpectedResponse {
                provider,
                status,
                snippet,
                retry_safe,
            },
        }
    }
}

/// Errors decoded without a request at hand: retry safety is that of a send to the provider.
impl From<core::Error> for NhantinError {
    fn from(e: core::Error) -> Self {
        let idempotency = e
            .provider()
            .map(send_idempotency)
            .unwrap_or(Idempotency::NotIdempotent);
        NhantinError::from_core(e, &idempotency)
    }
}

/// How a send ended without success, converted once from core's classification (a lock-out's
/// remaining time counted from the wall clock).
impl From<SendError> for NhantinError {
    fn from(e: SendError) -> Self {
        NhantinError::from_send(e, now())
    }
}

impl NhantinError {
    /// How a send ended without success; `now` is the clock a lock-out's remaining time is
    /// counted from (the caller's, for a `SendMachine`).
    pub(crate) fn from_send(e: SendError, now: core::Timestamp) -> Self {
        match e {
            SendError::Refused { error, .. } => {
                NhantinError::from_core(error, &Idempotency::NotIdempotent)
            }
            SendError::LockedOut { provider, until } => NhantinError::LockedOut {
                provider,
                remaining_secs: until
                    .millis_since(now)
                    .max(0)
                    .unsigned_abs()
                    .div_ceil(1000)
                    .max(1),
            },
            SendError::NotSent { cause, .. } | SendError::Unavailable { cause, .. } => {
                NhantinError::Transport { detail: cause }
            }
            SendError::OutcomeUnknown(ref u) => NhantinError::OutcomeUnknown {
                provider: u.provider,
                detail: e.to_string(),
                retry_safe: u.retry_safe(),
                request_id: u.request_id.as_ref().map(|id| id.as_str().to_owned()),
                resend: e.safe_resend().cloned().map(Into::into),
                unknown: UnknownSend {
                    provider: u.provider,
                    request_id: u.request_id.as_ref().map(|id| id.as_str().to_owned()),
                    attempts: u.attempts,
                    first_sent_at_ms: u.first_sent_at.unix_millis(),
                    last_sent_at_ms: u.last_sent_at.unix_millis(),
                },
            },
        }
    }
}

/// What is known of a send whose outcome is unknown: enough to ask the provider about it
/// (`Client.reconcile`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UnknownSend {
    /// Who was being sent to.
    pub provider: Provider,
    /// The request id sent, if any.
    pub request_id: Option<String>,
    /// Attempts made.
    pub attempts: u32,
    /// The first attempt that may have arrived (ms since the Unix epoch).
    pub first_sent_at_ms: i64,
    /// The last attempt (ms since the Unix epoch).
    pub last_sent_at_ms: i64,
}

impl UnknownSend {
    pub(crate) fn into_core(self) -> Result<core::send::UnknownOutcome, core::Error> {
        Ok(core::send::UnknownOutcome {
            provider: self.provider,
            request_id: self.request_id.map(core::RequestId::new).transpose()?,
            attempts: self.attempts,
            cause: String::new(),
            first_sent_at: core::Timestamp::from_unix_millis(self.first_sent_at_ms),
            last_sent_at: core::Timestamp::from_unix_millis(self.last_sent_at_ms),
            resend: core::send::Resend::NotSafe,
        })
    }
}

impl From<nhantin_transport::Error> for NhantinError {
    fn from(e: nhantin_transport::Error) -> Self {
        match e {
            nhantin_transport::Error::Send(e) => e.into(),
            nhantin_transport::Error::Config { message } => {
                NhantinError::Config { detail: message }
            }
        }
    }
}

fn now() -> core::Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    core::Timestamp::from_unix_millis(ms)
}
