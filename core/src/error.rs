//! Errors, classified by whose fault they are and whether a resend is safe.
//!
//! The transport retries only when [`Error::is_retry_safe`] says so; callers branch on
//! [`Error::kind`]. There is deliberately no catch-all variant: an answer core cannot place is an
//! [`Error::UnexpectedResponse`], which says "the outcome is unknown", not "something failed".

use std::fmt;

use crate::http::Idempotency;

/// The three providers nhantin speaks to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// eSMS.vn (ViHAT).
    Esms,
    /// CareSoft (SMS through a tenant's brandname service).
    #[serde(rename = "caresoft")]
    CareSoft,
    /// InterITS CPaaS.
    #[serde(rename = "interits")]
    InterIts,
}

impl Provider {
    /// Whether a send to this provider is de-duplicated by its request id when nothing more is
    /// known of the account: the retry safety of an answer decoded without its request. eSMS
    /// documents it (code 124); InterITS does not (D-B10: only an account with
    /// `dedup_confirmed` is), and CareSoft has no id.
    pub fn dedups_by_request_id(self) -> bool {
        matches!(self, Provider::Esms)
    }

    /// The stable lower-case name used in vectors, JSON output and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Esms => "esms",
            Provider::CareSoft => "caresoft",
            Provider::InterIts => "interits",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a provider refused a request, with the same meaning whichever provider said it.
///
/// Provider codes that nhantin does not know keep their code and text in
/// [`Error::Rejected`] with [`Rejection::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rejection {
    /// Wrong or missing credentials (eSMS 101, HTTP 401/403). Fix the configuration.
    Unauthorized,
    /// The request was malformed in the provider's eyes (eSMS `{"error":"Invalid request"}`,
    /// HTTP 400). A bug on our side or a changed API: report it.
    InvalidRequest,
    /// eSMS 124: this RequestId was used within the last 24 h. The earlier request may or may not
    /// have been accepted; reconcile through the delivery report or the status query.
    DuplicateRequestId,
    /// eSMS 99: the recipient is blocked by the provider.
    PhoneBlocked,
    /// eSMS 102: the account has no price list.
    NoPriceList,
    /// eSMS 103: the balance is too low.
    InsufficientBalance,
    /// eSMS 104: the brandname is not registered for this account.
    UnknownBrandname,
    /// eSMS 105: the message id is unknown (or older than the status API keeps, 7 days).
    NotFound,
    /// eSMS 106: the recording file does not exist (voice).
    RecordingNotFound,
    /// eSMS 107: advertising needs at least 30 recipients per request.
    TooFewRecipients,
    /// eSMS 108: a phone number has an invalid format.
    InvalidPhone,
    /// eSMS 110: request data incorrect (Zalo personalised).
    InvalidData,
    /// eSMS 115: hashed phone invalid (Zalo).
    InvalidHashedPhone,
    /// eSMS 118: the message type is not supported for this account or endpoint.
    UnsupportedMessageType,
    /// eSMS 120: the recipient list exceeds the limit.
    TooManyRecipients,
    /// eSMS 140: the caller's IP address is not whitelisted.
    IpNotWhitelisted,
    /// eSMS 146: the content does not match a registered customer-care template.
    TemplateMismatch,
    /// eSMS 171: the verification code is used, expired or invalid.
    InvalidCode,
    /// eSMS 177: the brandname has no route to the recipient's network.
    NetworkNotRegistered,
    /// eSMS 199: the same request is already being processed.
    AlreadyProcessing,
    /// eSMS 204: the Zalo OA id does not exist.
    UnknownOaid,
    /// eSMS 210: the payload is not as specified.
    InvalidPayload,
    /// eSMS 300: the message type is missing.
    MissingMessageType,
    /// eSMS 301: the service code is not supported.
    UnsupportedService,
    /// eSMS 143: the account is not activated or is locked. Contact eSMS.
    AccountLocked,
    /// eSMS 201: the text contains a keyword the carriers block.
    BlockedKeyword,
    /// eSMS 789: the ZNS template is not configured for this account and OA.
    TemplateNotConfigured,
    /// eSMS 791: the OA id or the template id is missing.
    MissingOaOrTemplate,
    /// eSMS 799: the OA is inactive, wrong, or not on this account.
    OaNotActive,
    /// eSMS 801: sending beyond the quota (SendingMode 3) cannot be scheduled.
    QuotaModeScheduled,
    /// eSMS 802: the OA may not send beyond its quota (SendingMode 3).
    QuotaModeNotAllowed,
    /// eSMS 851: the message id to look up is missing.
    MissingMessageId,
    /// The account or tenant does not exist (CareSoft HTTP 404 without the lock-out message).
    UnknownAccount,
    /// A code nhantin has no meaning for; see the provider code and message.
    Other,
}

/// The coarse class of an error: whose fault it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The caller's input, caught before anything was sent.
    InvalidInput,
    /// The provider understood the request and refused it.
    Rejected,
    /// The provider asked us to slow down; nothing was done.
    RateLimited,
    /// The provider failed (HTTP 5xx); it may or may not have acted.
    ProviderUnavailable,
    /// The answer does not have a documented shape; the outcome is unknown.
    UnexpectedResponse,
}

impl ErrorKind {
    /// The stable snake_case name used in vectors and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Rejected => "rejected",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::ProviderUnavailable => "provider_unavailable",
            ErrorKind::UnexpectedResponse => "unexpected_response",
        }
    }
}

/// Everything that can go wrong in encoding a request or decoding an answer.
// Not `non_exhaustive`: every boundary matches it exhaustively, so a new variant cannot slip
// through a catch-all arm; it fails to compile until each boundary says what it means.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A value the caller gave is invalid; nothing was sent. Fix the input: resending the same
    /// input fails the same way.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The field at fault, as named in the message model (`recipients[2]`, `text`, …).
        field: String,
        /// What is wrong and, where possible, what would be right.
        reason: String,
    },
    /// The provider refused the request. Resending it unchanged fails again (and for
    /// [`Rejection::DuplicateRequestId`] must not be done with a new id blindly: reconcile first).
    #[error("{provider} rejected the request ({reason:?}{}): {message}", code.as_deref().map(|c| format!(", code {c}")).unwrap_or_default())]
    Rejected {
        /// Who refused.
        provider: crate::Provider,
        /// What the refusal means.
        reason: Rejection,
        /// The provider's own code (`CodeResult`, HTTP status or `code`), when it gave one.
        code: Option<String>,
        /// The provider's message, or nhantin's description of the code.
        message: String,
    },
    /// The provider is throttling us and did not act on the request. Wait `retry_after_secs`
    /// (when given) and resend the same request; a `lockout` means stop sending to this account
    /// until the time has passed (CareSoft: 15 minutes after more than 20 consecutive 429s).
    #[error("{provider} is rate limiting{}", retry_after_secs.map(|s| format!("; retry after {s} s")).unwrap_or_default())]
    RateLimited {
        /// Who is throttling.
        provider: crate::Provider,
        /// How long to wait, when the provider said.
        retry_after_secs: Option<u64>,
        /// True for a lock-out (every request fails until it ends), false for a plain 429.
        lockout: bool,
        /// The provider's message.
        message: String,
    },
    /// The provider answered with a server error. It may have acted on the request: resend only
    /// a request it deduplicates (see [`Error::is_retry_safe`]).
    #[error("{provider} is unavailable (HTTP {status}): {snippet}")]
    ProviderUnavailable {
        /// Who failed.
        provider: crate::Provider,
        /// The HTTP status (5xx).
        status: u16,
        /// The start of the body, for diagnosis.
        snippet: String,
    },
    /// The answer has no documented shape (empty, HTML, not JSON, a success without an id). The
    /// outcome is unknown: resend only a request the provider deduplicates.
    #[error("unexpected answer from {provider} (HTTP {status}): {snippet}")]
    UnexpectedResponse {
        /// Who answered.
        provider: crate::Provider,
        /// The HTTP status.
        status: u16,
        /// The start of the body, for diagnosis.
        snippet: String,
    },
}

impl Error {
    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// An invalid-input error moved to `field` (a value checked by a type that does not know
    /// where in the message it sits); every other error unchanged.
    pub(crate) fn in_field(self, field: &str) -> Self {
        match self {
            Error::InvalidInput { reason, .. } => Error::invalid(field, reason),
            other => other,
        }
    }

    /// An invalid-input error whose field is moved under `prefix` (`sms.text` →
    /// `zalo_then_sms.sms.text`).
    pub(crate) fn prefixed(self, prefix: &str) -> Self {
        match self {
            Error::InvalidInput { field, reason } => {
                Error::invalid(format!("{prefix}{field}"), reason)
            }
            other => other,
        }
    }

    /// An invalid-input error whose field starting with `from` starts with `to` instead.
    pub(crate) fn prefixed_from(self, from: &str, to: &str) -> Self {
        match self {
            Error::InvalidInput { field, reason } => match field.strip_prefix(from) {
                Some(rest) => Error::invalid(format!("{to}{rest}"), reason),
                None => Error::invalid(field, reason),
            },
            other => other,
        }
    }

    /// The same error with the request's secrets and message text hidden in the provider's text:
    /// a proxy's error page or a provider message may echo the request (keys and the text are in
    /// eSMS GET URLs).
    pub fn redacted_for(self, request: &crate::HttpRequest) -> Error {
        let r = |text: String| request.redact_for_error(&text);
        match self {
            Error::Rejected {
                provider,
                reason,
                code,
                message,
            } => Error::Rejected {
                provider,
                reason,
                code,
                message: r(message),
            },
            Error::RateLimited {
                provider,
                retry_after_secs,
                lockout,
                message,
            } => Error::RateLimited {
                provider,
                retry_after_secs,
                lockout,
                message: r(message),
            },
            Error::ProviderUnavailable {
                provider,
                status,
                snippet,
            } => Error::ProviderUnavailable {
                provider,
                status,
                snippet: r(snippet),
            },
            Error::UnexpectedResponse {
                provider,
                status,
                snippet,
            } => Error::UnexpectedResponse {
                provider,
                status,
                snippet: r(snippet),
            },
            e @ Error::InvalidInput { .. } => e,
        }
    }

    /// Whose fault it is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput { .. } => ErrorKind::InvalidInput,
            Error::Rejected { .. } => ErrorKind::Rejected,
            Error::RateLimited { .. } => ErrorKind::RateLimited,
            Error::ProviderUnavailable { .. } => ErrorKind::ProviderUnavailable,
            Error::UnexpectedResponse { .. } => ErrorKind::UnexpectedResponse,
        }
    }

    /// Whether sending the same request again cannot deliver the message twice.
    ///
    /// - invalid input and rejections: never (it would fail again, or — for a duplicate
    ///   RequestId — the earlier attempt must be reconciled first);
    /// - rate limiting: always, after the wait: the provider did not act;
    /// - server errors and unexpected answers: the provider may have acted, so only when the
    ///   request is read-only or carries an idempotency key the provider deduplicates by.
    pub fn is_retry_safe(&self, idempotency: &Idempotency) -> bool {
        match self {
            Error::InvalidInput { .. } | Error::Rejected { .. } => false,
            Error::RateLimited { .. } => true,
            Error::ProviderUnavailable { .. } | Error::UnexpectedResponse { .. } => {
                !matches!(idempotency, Idempotency::NotIdempotent)
            }
        }
    }

    /// The provider's code, when the provider gave one.
    pub fn provider_code(&self) -> Option<&str> {
        match self {
            Error::Rejected { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// The provider whose answer this error decodes, if any.
    pub fn provider(&self) -> Option<crate::Provider> {
        match self {
            Error::InvalidInput { .. } => None,
            Error::Rejected { provider, .. }
            | Error::RateLimited { provider, .. }
            | Error::ProviderUnavailable { provider, .. }
            | Error::UnexpectedResponse { provider, .. } => Some(*provider),
        }
    }
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The JSON form used by the shared vectors, the CLI's `--json` output and the bindings:
/// `kind` first, then the fields of that kind.
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("kind", self.kind().as_str())?;
        match self {
            Error::InvalidInput { field, reason } => {
                map.serialize_entry("field", field)?;
                map.serialize_entry("reason", reason)?;
            }
            Error::Rejected {
                provider,
                reason,
                code,
                message,
            } => {
                map.serialize_entry("provider", provider)?;
                map.serialize_entry("reason", reason)?;
                map.serialize_entry("code", code)?;
                map.serialize_entry("message", message)?;
            }
            Error::RateLimited {
                provider,
                retry_after_secs,
                lockout,
                message,
            } => {
                map.serialize_entry("provider", provider)?;
                map.serialize_entry("retry_after_secs", retry_after_secs)?;
                map.serialize_entry("lockout", lockout)?;
                map.serialize_entry("message", message)?;
            }
            Error::ProviderUnavailable {
                provider,
                status,
                snippet,
            }
            | Error::UnexpectedResponse {
                provider,
                status,
                snippet,
            } => {
                map.serialize_entry("provider", provider)?;
                map.serialize_entry("status", status)?;
                map.serialize_entry("snippet", snippet)?;
            }
        }
        map.end()
    }
}
