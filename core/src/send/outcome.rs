//! How a send ends, classified once: every boundary (C result codes, the UniFFI error, CLI exit
//! codes, batch reports) converts from [`SendClass`] and nothing re-derives it.

use std::fmt;

use crate::error::{Error, ErrorKind, Provider, Rejection};
use crate::ids::RequestId;
use crate::receipt::Receipt;
use crate::time::Timestamp;

/// How long eSMS remembers a `RequestId` (code 124 within 24 hours, digest D-C6).
pub const ESMS_REQUEST_ID_MEMORY_MS: i64 = 24 * 3600 * 1000;

/// Taken off the end of eSMS's 24 hours: our clock and eSMS's may disagree, and a resend that
/// lands just after eSMS forgot the id would be a second message.
pub const RESEND_WINDOW_MARGIN_MS: i64 = 10 * 60 * 1000;

/// A send that ended with the provider's answer in hand.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SendOutcome {
    /// The provider accepted the message (acceptance, not delivery: watch the delivery report).
    Accepted {
        /// The provider's receipt.
        receipt: Receipt,
        /// The idempotency key sent (generated when the caller gave none).
        request_id: Option<RequestId>,
        /// Attempts it took.
        attempts: u32,
    },
    /// A resend was answered "this request id was already used" (eSMS 124): an earlier attempt
    /// of this very send reached the provider, so the message was **not** sent again. Whether that
    /// earlier attempt was *accepted* is not known from this answer (it may have been refused):
    /// this is not a success. Settle it with the delivery report, the status query or
    /// reconciliation; never send it again under a new id.
    AlreadySubmitted {
        /// The idempotency key both attempts carried.
        request_id: RequestId,
        /// Attempts made.
        attempts: u32,
    },
}

impl SendOutcome {
    /// The idempotency key sent, if any.
    pub fn request_id(&self) -> Option<&RequestId> {
        match self {
            SendOutcome::Accepted { request_id, .. } => request_id.as_ref(),
            SendOutcome::AlreadySubmitted { request_id, .. } => Some(request_id),
        }
    }

    /// Attempts made.
    pub fn attempts(&self) -> u32 {
        match self {
            SendOutcome::Accepted { attempts, .. }
            | SendOutcome::AlreadySubmitted { attempts, .. } => *attempts,
        }
    }

    /// Its class.
    pub fn class(&self) -> SendClass {
        match self {
            SendOutcome::Accepted { .. } => SendClass::Accepted,
            SendOutcome::AlreadySubmitted { .. } => SendClass::AlreadySubmitted,
        }
    }
}

/// The one classification of how a send (or a query) ended. Exit codes, C result codes and
/// the foreign errors are each a conversion from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SendClass {
    /// Accepted by the provider.
    Accepted,
    /// Not sent again; whether the earlier attempt was accepted is unknown.
    AlreadySubmitted,
    /// The caller's input or configuration; nothing was sent.
    InvalidInput,
    /// The provider refused the request; nothing was sent.
    Rejected,
    /// The provider is throttling, or has locked the account out; nothing was sent.
    RateLimited,
    /// No connection was made; nothing reached the provider. Resending is safe.
    NotSent,
    /// The message may have been sent; see the resend guidance.
    OutcomeUnknown,
}

/// Whether and how a send whose outcome is unknown may be sent again.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "resend", rename_all = "snake_case")]
pub enum Resend {
    /// Resend with exactly this request id (and the same message) before `until`: the provider
    /// deduplicates by it, so at worst the resend is answered "already submitted".
    SameId(SafeResend),
    /// No resend can be made safe: the provider has no idempotency key (CareSoft, eSMS's
    /// generated-code calls), or its de-duplication is not documented (InterITS without
    /// `dedup_confirmed`, and every InterITS ZNS). Settle it outside nhantin first (the error's
    /// text says how for each provider).
    NotSafe,
}

/// The one way to resend an unknown outcome without sending twice.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SafeResend {
    /// The request id the first attempt carried: the resend must carry it too.
    pub request_id: RequestId,
    /// When the first attempt that may have arrived was made.
    pub first_sent_at: Timestamp,
    /// After this instant the provider may have forgotten the id, and a resend could be a second
    /// message. `None` where the provider states no window (InterITS with confirmed de-duplication).
    pub until: Option<Timestamp>,
}

impl SafeResend {
    /// Whether a resend made at `now` is still covered by the provider's memory of the id.
    pub fn is_open_at(&self, now: Timestamp) -> bool {
        self.until.is_none_or(|until| now < until)
    }
}

/// What is known of a send whose outcome is unknown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnknownOutcome {
    /// Who was being sent to.
    pub provider: Provider,
    /// The idempotency key sent, if any (generated when the caller gave none).
    pub request_id: Option<RequestId>,
    /// Attempts made.
    pub attempts: u32,
    /// What the last attempt ran into, in nhantin's words.
    pub cause: String,
    /// The first attempt that may have reached the provider.
    pub first_sent_at: Timestamp,
    /// The last attempt made.
    pub last_sent_at: Timestamp,
    /// Whether and how to resend.
    pub resend: Resend,
}

impl UnknownOutcome {
    /// Whether a resend with [`UnknownOutcome::request_id`] cannot deliver the message twice
    /// (at the time the outcome was decided; see [`SafeResend::until`]).
    pub fn retry_safe(&self) -> bool {
        matches!(self.resend, Resend::SameId(_))
    }
}

/// How a send failed. Every variant but [`SendError::OutcomeUnknown`] means nothing was sent.
// Not `non_exhaustive`, for the same reason as `Error`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SendError {
    /// Core refused the input, or the provider refused or throttled the request: nothing was
    /// sent. `error` is of kind invalid input, rejected or rate limited.
    #[error("{error}")]
    Refused {
        /// What was refused and why.
        error: Error,
        /// Attempts made (0 when core refused before sending).
        attempts: u32,
    },
    /// The provider has locked this account out (CareSoft: 15 minutes); nothing was sent.
    #[error("{provider} locked this account out until {until}")]
    LockedOut {
        /// Who locked us out.
        provider: Provider,
        /// When the lock-out ends.
        until: Timestamp,
    },
    /// No connection could be made on any attempt: the request never reached the provider, and
    /// resending is safe.
    #[error("could not reach {provider} after {attempts} attempt(s): {cause}")]
    NotSent {
        /// Who we tried to reach.
        provider: Provider,
        /// The last cause.
        cause: String,
        /// Attempts made.
        attempts: u32,
    },
    /// A read-only query got no usable answer within its attempts; asking again later is
    /// harmless (nothing is sent by a query).
    #[error("{provider} could not answer after {attempts} attempt(s): {cause}")]
    Unavailable {
        /// Who was asked.
        provider: Provider,
        /// The last cause.
        cause: String,
        /// Attempts made.
        attempts: u32,
    },
    /// The message may have been sent; [`UnknownOutcome::resend`] says how to resend safely.
    #[error("{}", describe_unknown(.0))]
    OutcomeUnknown(Box<UnknownOutcome>),
}

fn describe_unknown(u: &UnknownOutcome) -> String {
    let advice = match &u.resend {
        Resend::SameId(r) => match r.until {
            Some(until) => format!(
                "resend only with request id {} (safe until {until})",
                r.request_id
            ),
            None => format!("resend only with request id {}", r.request_id),
        },
        // Only eSMS keeps records nhantin can reconcile against, and never for the calls that
        // end here (they carry no request id): say what the caller can do instead.
        Resend::NotSafe => match u.provider {
            Provider::Esms => "do not repeat it blindly: it may have reached eSMS, and this call carries no request id to de-duplicate it by; a generated code may be on its way to the phone (ask before sending another), and a code check may have used the code up".to_owned(),
            Provider::CareSoft => "do not resend blindly: it may have been sent, and CareSoft has no idempotency key; look for it in CareSoft or ask the recipient first".to_owned(),
            Provider::InterIts => "do not resend blindly: it may have been sent, and InterITS is not known to de-duplicate it (dedup_confirmed is for an account InterITS confirmed de-duplicates SMS by requestId); ask InterITS or the recipient first".to_owned(),
        },
    };
    format!(
        "outcome unknown after {} attempt(s) to {}: {}; {advice}",
        u.attempts, u.provider, u.cause
    )
}

impl From<Error> for SendError {
    /// An error before anything was sent (encoding, validation).
    fn from(error: Error) -> Self {
        SendError::Refused { error, attempts: 0 }
    }
}

impl SendError {
    /// Its class.
    pub fn class(&self) -> SendClass {
        match self {
            SendError::Refused { error, .. } => match error.kind() {
                ErrorKind::InvalidInput => SendClass::InvalidInput,
                ErrorKind::Rejected => SendClass::Rejected,
                ErrorKind::RateLimited => SendClass::RateLimited,
                // The machine never ends a send as Refused with these (they are unknown
                // outcomes); a caller-made value is read the cautious way.
                ErrorKind::ProviderUnavailable | ErrorKind::UnexpectedResponse => {
                    SendClass::OutcomeUnknown
                }
            },
            SendError::LockedOut { .. } => SendClass::RateLimited,
            SendError::NotSent { .. } | SendError::Unavailable { .. } => SendClass::NotSent,
            SendError::OutcomeUnknown(_) => SendClass::OutcomeUnknown,
        }
    }

    /// Whether sending again cannot deliver the message twice: true when nothing was sent and
    /// a resend can succeed (not sent, rate limited, locked out after the wait), or when the
    /// outcome is unknown and a same-id resend is open. Never for invalid input or a refusal.
    pub fn retry_safe(&self) -> bool {
        match self {
            SendError::Refused { error, .. } => error.kind() == ErrorKind::RateLimited,
            SendError::LockedOut { .. }
            | SendError::NotSent { .. }
            | SendError::Unavailable { .. } => true,
            SendError::OutcomeUnknown(u) => u.retry_safe(),
        }
    }

    /// The request id to resend with, when the outcome is unknown.
    pub fn request_id(&self) -> Option<&RequestId> {
        match self {
            SendError::OutcomeUnknown(u) => u.request_id.as_ref(),
            _ => None,
        }
    }

    /// The safe resend, when there is one.
    pub fn safe_resend(&self) -> Option<&SafeResend> {
        match self {
            SendError::OutcomeUnknown(u) => match &u.resend {
                Resend::SameId(r) => Some(r),
                Resend::NotSafe => None,
            },
            _ => None,
        }
    }

    /// The provider, when one was involved.
    pub fn provider(&self) -> Option<Provider> {
        match self {
            SendError::Refused { error, .. } => error.provider(),
            SendError::LockedOut { provider, .. }
            | SendError::NotSent { provider, .. }
            | SendError::Unavailable { provider, .. } => Some(*provider),
            SendError::OutcomeUnknown(u) => Some(u.provider),
        }
    }

    /// The rejection reason, for a provider refusal.
    pub fn rejection(&self) -> Option<Rejection> {
        match self {
            SendError::Refused {
                error: Error::Rejected { reason, .. },
                ..
            } => Some(*reason),
            _ => None,
        }
    }

    /// Attempts made.
    pub fn attempts(&self) -> u32 {
        match self {
            SendError::Refused { attempts, .. }
            | SendError::NotSent { attempts, .. }
            | SendError::Unavailable { attempts, .. } => *attempts,
            SendError::LockedOut { .. } => 0,
            SendError::OutcomeUnknown(u) => u.attempts,
        }
    }
}

/// The JSON form used by the C ABI, the CLI and batch reports: core's error form for a
/// refusal; otherwise `kind` and the fields of that kind. Every one has `retry_safe`.
impl serde::Serialize for SendError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut value = match self {
            SendError::Refused { error, attempts } => {
                let mut v = serde_json::to_value(error).map_err(serde::ser::Error::custom)?;
                v["attempts"] = (*attempts).into();
                v
            }
            SendError::LockedOut { provider, until } => serde_json::json!({
                "kind": "rate_limited", "provider": provider, "lockout": true, "locked_until": until.to_rfc3339_utc(),
                "message": self.to_string(),
            }),
            SendError::NotSent {
                provider,
                cause,
                attempts,
            } => {
                serde_json::json!({"kind": "transport", "provider": provider, "message": cause, "attempts": attempts})
            }
            SendError::Unavailable {
                provider,
                cause,
                attempts,
            } => {
                serde_json::json!({"kind": "unavailable", "provider": provider, "message": cause, "attempts": attempts})
            }
            SendError::OutcomeUnknown(u) => {
                let (until, first) = match &u.resend {
                    Resend::SameId(r) => (
                        r.until.map(Timestamp::to_rfc3339_utc),
                        Some(r.first_sent_at.to_rfc3339_utc()),
                    ),
                    Resend::NotSafe => (None, None),
                };
                serde_json::json!({
                    "kind": "outcome_unknown", "provider": u.provider, "message": self.to_string(), "cause": u.cause,
                    "request_id": u.request_id, "attempts": u.attempts,
                    "first_sent_at": first.unwrap_or_else(|| u.first_sent_at.to_rfc3339_utc()),
                    "last_sent_at": u.last_sent_at.to_rfc3339_utc(), "resend_until": until,
                })
            }
        };
        value["retry_safe"] = self.retry_safe().into();
        value["class"] = serde_json::to_value(self.class()).map_err(serde::ser::Error::custom)?;
        serde::Serialize::serialize(&value, serializer)
    }
}

impl fmt::Display for SendClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            SendClass::Accepted => "accepted",
            SendClass::AlreadySubmitted => "already submitted (not sent again; acceptance unknown)",
            SendClass::InvalidInput => "invalid input; nothing was sent",
            SendClass::Rejected => "rejected by the provider; nothing was sent",
            SendClass::RateLimited => "rate limited; nothing was sent",
            SendClass::NotSent => "no connection; nothing was sent",
            SendClass::OutcomeUnknown => "outcome unknown; the message may have been sent",
        };
        f.write_str(text)
    }
}
