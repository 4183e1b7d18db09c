//! The one error type of the UniFFI interface (an exception hierarchy in Python, Kotlin and
//! Swift). Every variant says whose fault it is; `retry_safe` says whether resending the same
//! request cannot deliver the message twice. All conversion happens in the `From` impls below.

use nhantin_core as core;
use nhantin_core::Idempotency;

use super::types::{Provider, Rejection};

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
    /// No connection could be made; nothing reached the provider. Safe to resend.
    #[error("transport: {detail}")]
    Transport {
        /// The cause.
        detail: String,
    },
    /// The message may have reached the provider and no conclusive answer came back. When
    /// `retry_safe`, resend with exactly `request_id` (set it on the message): the provider
    /// deduplicates by it, and a `Rejected` with reason `DuplicateRequestId` then means the
    /// first attempt got through. Otherwise (CareSoft) check before sending again.
    #[error("outcome unknown: {detail}")]
    OutcomeUnknown {
        /// Who was being sent to.
        provider: Provider,
        /// The cause.
        detail: String,
        /// True when the request carries an idempotency key: resend with that key.
        retry_safe: bool,
        /// The key that was sent (generated when the message had none).
        request_id: Option<String>,
    },
    /// The client refused to send during a provider lock-out; nothing was sent.
    #[error("{provider:?} locked this account out; {remaining_secs} s remain")]
    LockedOut {
        /// Who locked us out.
        provider: Provider,
        /// Seconds left.
        remaining_secs: u64,
    },
    /// The client is misconfigured (plain http without permission, a bad proxy).
    #[error("configuration: {detail}")]
    Config {
        /// What is wrong.
        detail: String,
    },
}

/// How resendable a request to this provider is: CareSoft sends carry no idempotency key;
/// eSMS and InterITS sends are keyed, which for retry safety is as good as read-only.
pub(crate) fn send_idempotency(provider: core::Provider) -> Idempotency {
    match provider {
        core::Provider::CareSoft => Idempotency::NotIdempotent,
        _ => Idempotency::ReadOnly,
    }
}

impl NhantinError {
    pub(crate) fn from_core(e: core::Error, idempotency: &Idempotency) -> Self {
        let retry_safe = e.is_retry_safe(idempotency);
        match e {
            core::Error::InvalidInput { field, reason } => NhantinError::InvalidInput { field, reason },
            core::Error::Rejected { provider, reason, code, message } => {
                NhantinError::Rejected { provider: provider.into(), reason: reason.into(), code, provider_message: message }
            }
            core::Error::RateLimited { provider, retry_after_secs, lockout, message } => {
                NhantinError::RateLimited { provider: provider.into(), retry_after_secs, lockout, provider_message: message }
            }
            core::Error::ProviderUnavailable { provider, status, snippet } => NhantinError::ProviderUnavailable { provider: provider.into(), status, snippet, retry_safe },
            core::Error::UnexpectedResponse { provider, status, snippet } => NhantinError::UnexpectedResponse { provider: provider.into(), status, snippet, retry_safe },
            // core::Error is non-exhaustive; a new variant is reported as an unknown outcome,
            // the cautious reading, until it gets its own mapping.
            #[allow(unreachable_patterns)]
            other => NhantinError::OutcomeUnknown {
                provider: other.provider().unwrap_or(core::Provider::Esms).into(),
                detail: other.to_string(),
                retry_safe: false,
                request_id: None,
            },
        }
    }
}

/// Errors decoded without a request at hand: retry safety is that of a send to the provider.
impl From<core::Error> for NhantinError {
    fn from(e: core::Error) -> Self {
        let idempotency = e.provider().map(send_idempotency).unwrap_or(Idempotency::NotIdempotent);
        NhantinError::from_core(e, &idempotency)
    }
}

impl From<nhantin_transport::Error> for NhantinError {
    fn from(e: nhantin_transport::Error) -> Self {
        match e {
            nhantin_transport::Error::Core(core) => core.into(),
            nhantin_transport::Error::Config { message } => NhantinError::Config { detail: message },
            nhantin_transport::Error::Connect { message, .. } => NhantinError::Transport { detail: message },
            nhantin_transport::Error::OutcomeUnknown { provider, message, retry_safe, request_id, .. } => NhantinError::OutcomeUnknown {
                provider: provider.into(),
                detail: message,
                retry_safe,
                request_id: request_id.map(|id| id.as_str().to_owned()),
            },
            nhantin_transport::Error::LockedOut { provider, remaining_secs } => NhantinError::LockedOut { provider: provider.into(), remaining_secs },
            #[allow(unreachable_patterns)]
            other => NhantinError::Config { detail: format!("unmapped transport error: {other}") },
        }
    }
}
