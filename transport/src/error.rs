//! What can go wrong in a send: core's [`SendError`] (every protocol decision is core's), or a
//! client that could not be built.

use nhantin_core::send::{SendClass, SendError};

/// A failed send or query.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// The send or query ended without success; see [`SendError`] for what is known and whether
    /// a resend is safe.
    #[error(transparent)]
    Send(#[from] SendError),
    /// The client is misconfigured (plain http without `allow_insecure_http`, a bad proxy URL,
    /// TLS set-up). Nothing was sent.
    #[error("configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
}

impl From<nhantin_core::Error> for Error {
    fn from(e: nhantin_core::Error) -> Self {
        Error::Send(e.into())
    }
}

impl Error {
    /// How it ended, in core's one classification.
    pub fn class(&self) -> SendClass {
        match self {
            Error::Send(e) => e.class(),
            Error::Config { .. } => SendClass::InvalidInput,
        }
    }

    /// Whether sending again cannot deliver the message twice (see [`SendError::retry_safe`]).
    pub fn retry_safe(&self) -> bool {
        match self {
            Error::Send(e) => e.retry_safe(),
            Error::Config { .. } => false,
        }
    }

    /// The JSON form used by the C ABI and the CLI.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Error::Send(e) => serde_json::to_value(e).unwrap_or_default(),
            Error::Config { message } => {
                serde_json::json!({"kind": "config", "class": SendClass::InvalidInput, "message": message, "retry_safe": false})
            }
        }
    }
}
