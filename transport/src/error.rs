//! What can go wrong in a send, including what core cannot know: the network.

use nhantin_core::{ErrorKind, Idempotency, RequestId};

/// Whose fault an error is, for callers that branch on it (and for exit codes and FFI codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// The caller's input or configuration; nothing was sent.
    InvalidInput,
    /// The provider refused the request.
    Rejected,
    /// The provider is throttling; nothing was done.
    RateLimited,
    /// The network or the provider failed, and it is known the message was not taken (or a
    /// resend is safe because the request is keyed).
    Transport,
    /// The request may or may not have been acted on, and resending it could send it twice.
    OutcomeUnknown,
}

/// A failed send or query.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Core refused the input, or decoded the provider's answer as an error (rejection, rate
    /// limit, server error, unexpected answer). Retries, where safe, were already made.
    #[error(transparent)]
    Core(#[from] nhantin_core::Error),
    /// The client is misconfigured (plain http without `allow_insecure_http`, a bad proxy URL,
    /// TLS set-up). Nothing was sent.
    #[error("configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// No connection could be made (refused, DNS, TLS handshake, connect timeout): the request
    /// never reached the provider. Resending is safe.
    #[error("could not connect after {attempts} attempt(s): {message}")]
    Connect {
        /// The last cause.
        message: String,
        /// Attempts made.
        attempts: u32,
    },
    /// A send may have reached the provider and no conclusive answer came back: a timeout, a
    /// reset, a 5xx, an unreadable answer — or any failure after an earlier attempt that may
    /// have arrived. Whether the message was accepted is unknown.
    ///
    /// `retry_safe` is true when the request carries an idempotency key the provider
    /// deduplicates by: resend with **this** `request_id` (even if nhantin generated it). If
    /// the resend is refused with `Rejection::DuplicateRequestId`, the first attempt got
    /// through and nothing new was sent. It is false for CareSoft: check the recipient's ticket
    /// before sending again, or the customer may receive it twice.
    #[error("outcome unknown after {attempts} attempt(s) to {provider}: {message}{}", match (retry_safe, request_id) {
        (true, Some(id)) => format!(" (resend with request id {id}: that is safe)"),
        (true, None) => " (resending is safe)".to_owned(),
        (false, _) => " (do not resend blindly: the message may have been sent)".to_owned(),
    })]
    OutcomeUnknown {
        /// Who was being sent to.
        provider: nhantin_core::Provider,
        /// The last cause.
        message: String,
        /// Whether resending the same request cannot duplicate the message.
        retry_safe: bool,
        /// The idempotency key that was sent, if any.
        request_id: Option<RequestId>,
        /// Attempts made.
        attempts: u32,
    },
    /// The client refused to send because the provider locked the account out (CareSoft's
    /// 15-minute lock-out after repeated 429s) and the lock-out has not ended. Nothing was sent.
    #[error("{provider} locked this account out; {remaining_secs} s remain")]
    LockedOut {
        /// Who locked us out.
        provider: nhantin_core::Provider,
        /// Seconds until the lock-out ends.
        remaining_secs: u64,
    },
}

impl Error {
    /// Whose fault it is.
    pub fn fault(&self) -> Fault {
        match self {
            Error::Core(e) => match e.kind() {
                ErrorKind::InvalidInput => Fault::InvalidInput,
                ErrorKind::Rejected => Fault::Rejected,
                ErrorKind::RateLimited => Fault::RateLimited,
                ErrorKind::ProviderUnavailable | ErrorKind::UnexpectedResponse => Fault::OutcomeUnknown,
                // ErrorKind is exhaustive today; a new kind is treated as the cautious case.
                #[allow(unreachable_patterns)]
                _ => Fault::OutcomeUnknown,
            },
            Error::Config { .. } => Fault::InvalidInput,
            Error::Connect { .. } => Fault::Transport,
            Error::OutcomeUnknown { .. } => Fault::OutcomeUnknown,
            Error::LockedOut { .. } => Fault::RateLimited,
        }
    }

    /// The JSON form used by the C ABI and the CLI: core errors in core's form, the others as
    /// `kind` and `message`; every one with `retry_safe` for the given idempotency.
    pub fn to_json(&self, idempotency: &Idempotency) -> serde_json::Value {
        let mut value = match self {
            Error::Core(e) => serde_json::to_value(e).expect("errors serialize"),
            Error::Config { message } => serde_json::json!({"kind": "config", "message": message}),
            Error::Connect { message, attempts } => serde_json::json!({"kind": "transport", "message": message, "attempts": attempts}),
            Error::OutcomeUnknown { provider, message, request_id, attempts, .. } => {
                serde_json::json!({"kind": "outcome_unknown", "provider": provider, "message": message, "request_id": request_id, "attempts": attempts})
            }
            Error::LockedOut { provider, remaining_secs } => {
                serde_json::json!({"kind": "rate_limited", "provider": provider, "lockout": true, "retry_after_secs": remaining_secs, "message": self.to_string()})
            }
        };
        value["retry_safe"] = self.is_retry_safe(idempotency).into();
        value
    }

    /// Whether sending the same request again cannot deliver the message twice (given how it
    /// was keyed). Invalid input and rejections are never "retry safe": they would fail again.
    pub fn is_retry_safe(&self, idempotency: &Idempotency) -> bool {
        match self {
            Error::Core(e) => e.is_retry_safe(idempotency),
            Error::Config { .. } => false,
            Error::Connect { .. } | Error::LockedOut { .. } => true,
            Error::OutcomeUnknown { retry_safe, .. } => *retry_safe,
        }
    }
}
