//! The error object: what a result code cannot carry (field, provider code and message,
//! retry-after, retry safety), behind an opaque handle.

use std::ffi::{c_char, CString};

use nhantin_core as core;
use nhantin_core::send::{SafeResend, SendClass, SendError, SendOutcome, UnknownOutcome};
use nhantin_core::Idempotency;

use super::panic;
use super::result::nhantin_result;

/// Details of a failed call. Opaque; read with the `nhantin_error_*` getters; free with
/// `nhantin_error_free`.
pub struct nhantin_error {
    _private: [u8; 0],
}

/// What a failed call reports; becomes an `nhantin_error` when the caller asked for one.
/// Boxed: it travels through every `Result` of the boundary, and failure is the cold path.
pub(crate) struct Failure(Box<Details>);

struct Details {
    code: nhantin_result,
    request_id: Option<String>,
    message: String,
    field: Option<String>,
    provider: Option<String>,
    reason: Option<String>,
    provider_code: Option<String>,
    retry_after_secs: Option<u64>,
    retry_safe: bool,
    resend: Option<SafeResend>,
    unknown: Option<UnknownOutcome>,
    json: serde_json::Value,
}

/// The data behind an `nhantin_error` handle: C strings kept alive until `nhantin_error_free`.
struct ErrorData {
    code: nhantin_result,
    request_id: Option<CString>,
    message: CString,
    field: Option<CString>,
    provider: Option<CString>,
    reason: Option<CString>,
    provider_code: Option<CString>,
    retry_after_secs: Option<u64>,
    retry_safe: bool,
    resend: Option<SafeResend>,
    unknown: Option<UnknownOutcome>,
    json: CString,
}

fn cstr(s: String) -> CString {
    CString::new(s.replace('\0', " ")).expect("NULs were replaced")
}

impl Failure {
    pub(crate) fn misuse(code: nhantin_result, message: String) -> Self {
        // The shape every error has (`nhantin_error_json` promises `class` and `retry_safe`):
        // a misuse sent nothing, and the same call fails the same way.
        let json = serde_json::json!({"kind": "misuse", "class": "invalid_input", "message": message, "retry_safe": false});
        Failure(Box::new(Details {
            code,
            request_id: None,
            message,
            field: None,
            provider: None,
            reason: None,
            provider_code: None,
            retry_after_secs: None,
            retry_safe: false,
            resend: None,
            unknown: None,
            json,
        }))
    }

    /// A JSON argument that does not parse (`NHANTIN_RESULT_INVALID_JSON`) or does not have the
    /// documented shape, such as an unknown key (`NHANTIN_RESULT_INVALID_INPUT`). Either way the
    /// caller's input is at fault, on the field `field` (`message`, `account`, `options`, …).
    pub(crate) fn json(field: &str, e: serde_json::Error) -> Self {
        let code = if e.is_syntax() || e.is_eof() {
            nhantin_result::NHANTIN_RESULT_INVALID_JSON
        } else {
            nhantin_result::NHANTIN_RESULT_INVALID_INPUT
        };
        // Never serde's own text: it quotes the value it refused, which may be a key, a phone
        // number or the message text.
        let reason = core::wire::json_error_reason(&e);
        let json = serde_json::json!({"kind": "invalid_input", "field": field, "reason": reason, "retry_safe": false});
        let mut f = Failure::misuse(code, format!("invalid {field}: {reason}"));
        f.0.field = Some(field.to_owned());
        f.0.json = json;
        f
    }

    /// A core codec error; `idempotency` is that of the request it concerns (for retry safety).
    pub(crate) fn core(e: core::Error, idempotency: &Idempotency) -> Self {
        let retry_safe = e.is_retry_safe(idempotency);
        let mut json = serde_json::to_value(&e).unwrap_or_default();
        json["retry_safe"] = retry_safe.into();
        let mut f = Failure::details(code_of_core(&e), e.to_string(), json);
        f.0.provider = e.provider().map(|p| p.as_str().to_owned());
        f.0.retry_safe = retry_safe;
        match e {
            core::Error::InvalidInput { field, .. } => f.0.field = Some(field),
            core::Error::Rejected { code, .. } => {
                f.0.reason = f.0.json["reason"].as_str().map(str::to_owned);
                f.0.provider_code = code;
            }
            core::Error::RateLimited {
                retry_after_secs, ..
            } => f.0.retry_after_secs = retry_after_secs,
            core::Error::ProviderUnavailable { status, .. }
            | core::Error::UnexpectedResponse { status, .. } => {
                f.0.provider_code = Some(status.to_string())
            }
        }
        f
    }

    /// A core error decoded without a request at hand: the retry safety of a send when nothing
    /// more is known of the account (`Provider::dedups_by_request_id`): eSMS sends are keyed;
    /// CareSoft sends, and InterITS sends (de-duplication undocumented, D-B10), are not. An
    /// InterITS account with `dedup_confirmed` gets the keyed answer from the send machine or the
    /// client, which know the account.
    pub(crate) fn decoded(e: core::Error) -> Self {
        let idempotency = match e.provider() {
            Some(p) if p.dedups_by_request_id() => Idempotency::ReadOnly,
            _ => Idempotency::NotIdempotent,
        };
        Failure::core(e, &idempotency)
    }

    fn details(code: nhantin_result, message: String, json: serde_json::Value) -> Self {
        Failure(Box::new(Details {
            code,
            request_id: None,
            message,
            field: None,
            provider: None,
            reason: None,
            provider_code: None,
            retry_after_secs: None,
            retry_safe: false,
            resend: None,
            unknown: None,
            json,
        }))
    }

    /// How a send or query ended without success, converted once from core's classification;
    /// `now` is the clock a lock-out's remaining time is counted from.
    pub(crate) fn send(e: SendError, now: core::Timestamp) -> Self {
        let json = serde_json::to_value(&e).unwrap_or_default();
        let mut f = match &e {
            SendError::Refused { error, .. } => {
                let mut f = Failure::core(error.clone(), &Idempotency::NotIdempotent);
                f.0.json = json;
                f
            }
            _ => Failure::details(code_of_send(&e), e.to_string(), json),
        };
        f.0.retry_safe = e.retry_safe();
        f.0.provider = e.provider().map(|p| p.as_str().to_owned());
        f.0.request_id = e.request_id().map(|id| id.as_str().to_owned());
        f.0.resend = e.safe_resend().cloned();
        if let SendError::OutcomeUnknown(u) = &e {
            f.0.unknown = Some((**u).clone());
        }
        if let Some(r) = &f.0.resend {
            // The same instants as numbers, for C callers that keep the clock in milliseconds.
            f.0.json["first_sent_at_ms"] = r.first_sent_at.unix_millis().into();
            f.0.json["resend_until_ms"] = r.until.map(core::Timestamp::unix_millis).into();
        }
        if let SendError::LockedOut { until, .. } = &e {
            let remaining_ms = until.millis_since(now).max(0).unsigned_abs();
            f.0.retry_after_secs = Some(remaining_ms.div_ceil(1000));
            f.0.json["locked_until_ms"] = until.unix_millis().into();
        }
        f
    }

    /// How a send ended, as `nhantin_client_send` reports it: an acceptance is the only
    /// success; "already submitted" and every error fail with their own code.
    pub(crate) fn outcome(
        result: Result<SendOutcome, SendError>,
        now: core::Timestamp,
    ) -> Result<SendOutcome, Self> {
        match result {
            Ok(outcome @ SendOutcome::Accepted { .. }) => Ok(outcome),
            Ok(outcome @ SendOutcome::AlreadySubmitted { .. }) => {
                Err(Failure::already_submitted(&outcome))
            }
            Err(e) => Err(Failure::send(e, now)),
        }
    }

    /// The result code this failure reports.
    pub(crate) fn code(&self) -> nhantin_result {
        self.0.code
    }

    /// The JSON form `nhantin_error_json` gives.
    pub(crate) fn json_value(&self) -> &serde_json::Value {
        &self.0.json
    }

    /// A send that reached an outcome other than acceptance: "already submitted" is not a
    /// success, so C sees its own code (and the request id in the error).
    pub(crate) fn already_submitted(outcome: &SendOutcome) -> Self {
        let json = serde_json::to_value(outcome).unwrap_or_default();
        let id = outcome.request_id().map(|id| id.as_str().to_owned());
        let mut f = Failure::details(
            nhantin_result::NHANTIN_RESULT_ALREADY_SUBMITTED,
            format!("not sent again: request id {} was already used by an earlier attempt; whether that attempt was accepted is unknown", id.clone().unwrap_or_default()),
            json,
        );
        f.0.json["kind"] = "already_submitted".into();
        f.0.json["class"] = "already_submitted".into();
        f.0.json["retry_safe"] = false.into();
        f.0.request_id = id;
        f
    }

    pub(crate) fn transport(e: nhantin_transport::Error) -> Self {
        match e {
            nhantin_transport::Error::Send(e) => Failure::send(e, wall_clock()),
            nhantin_transport::Error::Config { message } => {
                let json = serde_json::json!({"kind": "config", "class": "invalid_input", "message": message, "retry_safe": false});
                Failure::details(
                    nhantin_result::NHANTIN_RESULT_CONFIG,
                    format!("configuration: {message}"),
                    json,
                )
            }
        }
    }

    /// What an unknown outcome knows (for reconciliation): `NHANTIN_RESULT_NULL_ARGUMENT` for
    /// NULL, `NHANTIN_RESULT_INVALID_INPUT` when `e` is not an unknown outcome.
    ///
    /// # Safety
    /// `e` is NULL or a live handle from this library.
    pub(crate) unsafe fn unknown_of(e: *const nhantin_error) -> Result<UnknownOutcome, Failure> {
        // SAFETY: forwarded contract.
        let Some(data) = (unsafe { data(e) }) else {
            return Err(Failure::misuse(
                nhantin_result::NHANTIN_RESULT_NULL_ARGUMENT,
                "unknown is NULL".into(),
            ));
        };
        data.unknown.clone().ok_or_else(|| {
            Failure::core(
                core::Error::InvalidInput {
                    field: "unknown".into(),
                    reason: "is not an unknown outcome: only those need reconciling".into(),
                },
                &Idempotency::NotIdempotent,
            )
        })
    }

    /// The safe resend an unknown outcome carries: `NHANTIN_RESULT_NULL_ARGUMENT` for NULL,
    /// `NHANTIN_RESULT_INVALID_INPUT` (nothing can be sent) when it offers none.
    ///
    /// # Safety
    /// `e` is NULL or a live handle from this library.
    pub(crate) unsafe fn safe_resend_of(e: *const nhantin_error) -> Result<SafeResend, Failure> {
        // SAFETY: forwarded contract.
        let Some(data) = (unsafe { data(e) }) else {
            return Err(Failure::misuse(
                nhantin_result::NHANTIN_RESULT_NULL_ARGUMENT,
                "unknown is NULL".into(),
            ));
        };
        data.resend.clone().ok_or_else(|| {
            Failure::core(
                core::Error::InvalidInput {
                    field: "unknown".into(),
                    reason: "this error offers no safe resend (nhantin_error_is_retry_safe is false, or it is not an unknown outcome): reconcile instead".into(),
                },
                &Idempotency::NotIdempotent,
            )
        })
    }

    /// Stores the details in `*err_out` (when the caller passed somewhere to put them) and
    /// returns the code.
    pub(crate) fn report(self, err_out: *mut *mut nhantin_error) -> nhantin_result {
        let this = *self.0;
        if !err_out.is_null() {
            let data = ErrorData {
                code: this.code,
                request_id: this.request_id.map(cstr),
                message: cstr(this.message),
                field: this.field.map(cstr),
                provider: this.provider.map(cstr),
                reason: this.reason.map(cstr),
                provider_code: this.provider_code.map(cstr),
                retry_after_secs: this.retry_after_secs,
                retry_safe: this.retry_safe,
                resend: this.resend,
                unknown: this.unknown,
                json: cstr(this.json.to_string()),
            };
            // SAFETY: err_out is non-null and points to writable storage by contract.
            unsafe { *err_out = Box::into_raw(Box::new(data)).cast::<nhantin_error>() };
        }
        this.code
    }
}

/// The wall clock, for errors of the client (which drives its machines with it).
pub(crate) fn wall_clock() -> core::Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    core::Timestamp::from_unix_millis(ms)
}

/// The result code of a codec error.
fn code_of_core(e: &core::Error) -> nhantin_result {
    use nhantin_result::*;
    match e {
        core::Error::InvalidInput { .. } => NHANTIN_RESULT_INVALID_INPUT,
        core::Error::Rejected {
            reason: core::Rejection::Unauthorized,
            ..
        } => NHANTIN_RESULT_UNAUTHORIZED,
        core::Error::Rejected {
            reason: core::Rejection::DuplicateRequestId,
            ..
        } => NHANTIN_RESULT_DUPLICATE_REQUEST_ID,
        core::Error::Rejected { .. } => NHANTIN_RESULT_REJECTED,
        core::Error::RateLimited { lockout: true, .. } => NHANTIN_RESULT_LOCKED_OUT,
        core::Error::RateLimited { .. } => NHANTIN_RESULT_RATE_LIMITED,
        core::Error::ProviderUnavailable { .. } => NHANTIN_RESULT_PROVIDER_UNAVAILABLE,
        core::Error::UnexpectedResponse { .. } => NHANTIN_RESULT_UNEXPECTED_RESPONSE,
    }
}

/// The result code of a send that ended without success: core's class decides the group.
fn code_of_send(e: &SendError) -> nhantin_result {
    use nhantin_result::*;
    match (e.class(), e) {
        (_, SendError::Refused { error, .. }) => code_of_core(error),
        (_, SendError::LockedOut { .. }) => NHANTIN_RESULT_LOCKED_OUT,
        (SendClass::NotSent, _) => NHANTIN_RESULT_TRANSPORT,
        _ => NHANTIN_RESULT_OUTCOME_UNKNOWN,
    }
}

/// Runs a fallible body, reporting its failure through `err_out`.
pub(crate) fn run(
    err_out: *mut *mut nhantin_error,
    body: impl FnOnce() -> Result<(), Failure>,
) -> nhantin_result {
    // Cleared on entry: a caller that tests `if (err)` after a second call must never see the
    // first call's (perhaps already freed) error.
    if !err_out.is_null() {
        // SAFETY: a non-null err_out points to writable storage by contract.
        unsafe { *err_out = std::ptr::null_mut() };
    }
    panic::guard(|| match body() {
        Ok(()) => nhantin_result::NHANTIN_RESULT_OK,
        Err(f) => f.report(err_out),
    })
}

/// # Safety
/// `e` is NULL or a live handle from this library.
unsafe fn data<'a>(e: *const nhantin_error) -> Option<&'a ErrorData> {
    // SAFETY: a live handle points to an ErrorData created by `report`.
    unsafe { e.cast::<ErrorData>().as_ref() }
}

fn ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
}

/// Frees an error. NULL is ignored.
///
/// Thread safety: any thread, once per error, after its last use.
///
/// # Safety
/// `e` is NULL or an error returned by this library and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn nhantin_error_free(e: *mut nhantin_error) {
    panic::guard(|| {
        if !e.is_null() {
            // SAFETY: created by Box::into_raw in `report`, freed once.
            drop(unsafe { Box::from_raw(e.cast::<ErrorData>()) });
        }
    })
}

/// The error's result code (`NHANTIN_RESULT_NULL_ARGUMENT` for NULL).
///
/// Thread safety: any thread; the error is read-only.
///
/// # Safety
/// `e` is NULL or a live error.
#[no_mangle]
pub unsafe extern "C" fn nhantin_error_code(e: *const nhantin_error) -> u32 {
    // SAFETY: forwarded contract.
    panic::guard(|| {
        unsafe { data(e) }.map_or(nhantin_result::NHANTIN_RESULT_NULL_ARGUMENT, |d| d.code) as u32
    })
}

/// The message, for people (secrets masked). Owned by the error: valid until
/// `nhantin_error_free`. NULL for a NULL error.
///
/// Thread safety: any thread.
///
/// # Safety
/// `e` is NULL or a live error.
#[no_mangle]
pub unsafe extern "C" fn nhantin_error_message(e: *const nhantin_error) -> *const c_char {
    // SAFETY: forwarded contract.
    panic::guard(|| unsafe { data(e) }.map_or(std::ptr::null(), |d| d.message.as_ptr()))
}

/// For invalid input: the field at fault (`recipients[2]`). Otherwise NULL. Owned by the error.
///
/// Thread safety: any thread.
///
/// # Safety
/// `e` is NULL or a live error.
#[no_mangle]
pub unsafe extern "C" fn nhantin_error_field(e: *const nhantin_error) -> *const c_char {
    // SAFETY: forwarded contract.
    panic::guard(|| unsafe { data(e) }.map_or(std::ptr::null(), |d| ptr(&d.field)))
}

/// The provider the error came from (`esms`, `caresoft`, `interits`), or NULL. Owned by the error.
///
/// Thread safety: any thread.
///
/// # Safety
/// `e` is NULL or a live error.
#[no_mangle]
pub unsafe extern "C" fn nhantin_error_provider(e: *const nhantin_error) -> *const c_char {
    // SAFETY: forwarded contract.
    panic::guard(|| unsafe { data(e) }.map_or(std::ptr::null(), |d| ptr(&d.provider)))
}

/// For rejections: the meaning (`unauthorized`, `duplicate_request_id`, `unknown_brandname`, …),
/// or NULL. Owned by the error.
///
/// Thread safety: any thread.
///
/// # Safety
/// `e` is NULL or a live error.
#[no_mangle]
pub unsafe extern "C" fn nhantin_error_reason(e: *const nhantin_error) -> *const c_char {
    // SAFETY: forwarded contract.
    panic::guard(|| unsafe { data(e) }.map_or(std::ptr::null(), |d| ptr(&d.reason)))
}

/// The provider's own code (eSMS `CodeResult` such as `"104"`, an HTTP status), or NULL. Owned
/// by the error.
///
/// Thread safety: any thread.
///
/// # Safety
/// `e` is NULL or a live error.
#[no_mangle]
pub unsafe extern "C" fn nhantin_error_provider_code(e: *const nhantin_error) -> *const c_char {
    // SAFETY: forwarded contract.
    panic::guard(|| unsafe { data(e) }.map_or(std::ptr::null(), |d| ptr(&d.provider_code)))
}

/// The request id a send carried (generated when the message had none), or NULL. When the
/// outcome is unknown and `nhantin_error_is_retry_safe` is true, resend the message with exactly
/// this `request_id`: the provider deduplicates by it, so it cannot be delivered twice. Owned by
/// the error.
///
/// Thread safety: any thread.
///
/// # Safety
/// `e` is NULL or a live error.
#[no_mangle]
pub unsafe extern "C" fn nhantin_error_request_id(e: *const nhantin_error) -> *const c_char {
    // SAFETY: forwarded contract.
    panic::guard(|| unsafe { data(e) }.map_or(std::ptr::null(), |d| ptr(&d.request_id)))
}

/// Seconds to wait before resending (rate limits, lock-outs), or -1 when unknown.
///
/// Thread safety: any thread.
///
/// # Safety
/// `e` is NULL or a live error.
#[no_mangle]
pub unsafe extern "C" fn nhantin_error_retry_after_secs(e: *const nhantin_error) -> i64 {
    // SAFETY: forwarded contract.
    panic::guard(|| {
        unsafe { data(e) }
            .and_then(|d| d.retry_after_secs)
            .map_or(-1, |s| s.min(i64::MAX as u64) as i64)
    })
}

/// Whether resending the same request cannot deliver the message twice.
///
/// Thread safety: any thread.
///
/// # Safety
/// `e` is NULL or a live error.
#[no_mangle]
pub unsafe extern "C" fn nhantin_error_is_retry_safe(e: *const nhantin_error) -> bool {
    // SAFETY: forwarded contract.
    panic::guard(|| unsafe { data(e) }.is_some_and(|d| d.retry_safe))
}

/// Every detail as one JSON object (the `error` shape of `tests/vectors/README.md`, plus
/// `retry_safe`). `kind` is `invalid_input`, `rejected`, `rate_limited`, `provider_unavailable`,
/// `unexpected_response`, `transport` (no connection), `unavailable` (a query got no usable
/// answer), `outcome_unknown`, or `misuse` (a NULL, non-UTF-8 or out-of-range argument: the
/// caller's bug). Owned by the error. NULL for a NULL error.
///
/// Thread safety: any thread.
///
/// # Safety
/// `e` is NULL or a live error.
#[no_mangle]
pub unsafe extern "C" fn nhantin_error_json(e: *const nhantin_error) -> *const c_char {
    // SAFETY: forwarded contract.
    panic::guard(|| unsafe { data(e) }.map_or(std::ptr::null(), |d| d.json.as_ptr()))
}
