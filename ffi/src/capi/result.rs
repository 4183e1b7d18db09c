//! Stable numbered result codes, grouped by origin. A number, once published, is never reused
//! or renumbered; retired numbers stay here as comments.

use std::ffi::c_char;

use super::panic;

/// The result of every fallible call. Groups: 0 success; 1000s invalid input (nothing was
/// sent); 2000s the provider rejected the request; 3000s rate limited (nothing was done);
/// 4000s transport failure before anything reached the provider (safe to resend); 5000s outcome
/// unknown (the message may have been sent); 6000s misuse of the API; 7000 a panic inside the
/// library.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum nhantin_result {
    /// Success.
    NHANTIN_RESULT_OK = 0,
    /// A value is invalid (see the error's field and message).
    NHANTIN_RESULT_INVALID_INPUT = 1000,
    /// A string argument is not UTF-8.
    NHANTIN_RESULT_INVALID_UTF8 = 1001,
    /// A JSON argument is not valid JSON of the documented shape.
    NHANTIN_RESULT_INVALID_JSON = 1002,
    /// The client configuration is unusable (plain http without permission, a bad proxy).
    NHANTIN_RESULT_CONFIG = 1003,
    /// The provider refused the request.
    NHANTIN_RESULT_REJECTED = 2000,
    /// The provider refused the credentials.
    NHANTIN_RESULT_UNAUTHORIZED = 2001,
    /// eSMS 124: this request id was already used within 24 hours.
    NHANTIN_RESULT_DUPLICATE_REQUEST_ID = 2002,
    /// The provider is throttling; wait (see the error's retry-after) and resend.
    NHANTIN_RESULT_RATE_LIMITED = 3000,
    /// The provider locked the account out (CareSoft: 15 minutes); nothing was sent.
    NHANTIN_RESULT_LOCKED_OUT = 3001,
    /// No connection could be made, so nothing reached the provider (`kind` `transport`); or a
    /// read-only query got no usable answer in its attempts (`kind` `unavailable`: it may have
    /// been answered and lost, and asking again is harmless, as a query sends nothing).
    NHANTIN_RESULT_TRANSPORT = 4000,
    /// The request may have reached the provider; no usable answer came back.
    NHANTIN_RESULT_OUTCOME_UNKNOWN = 5000,
    /// The provider answered with a server error (5xx).
    NHANTIN_RESULT_PROVIDER_UNAVAILABLE = 5001,
    /// The provider's answer has no documented shape.
    NHANTIN_RESULT_UNEXPECTED_RESPONSE = 5002,
    /// Not sent again: an earlier attempt with this request id reached the provider, and whether
    /// it was accepted is unknown. Never resend under a new id; reconcile.
    NHANTIN_RESULT_ALREADY_SUBMITTED = 5003,
    /// A required pointer argument is NULL.
    NHANTIN_RESULT_NULL_ARGUMENT = 6000,
    /// A caller-provided buffer is too small; the needed size is in the size output.
    NHANTIN_RESULT_BUFFER_TOO_SMALL = 6001,
    /// An operation or provider name is not one this version knows.
    NHANTIN_RESULT_UNKNOWN_OPERATION = 6002,
    /// The call does not fit the send machine's state: a poll while a transmitted request has
    /// not been reported, a report without a transmit, the result before the send is done.
    NHANTIN_RESULT_WRONG_STATE = 6003,
    /// A bug: the library panicked. The call had no effect on handles; report it.
    NHANTIN_RESULT_PANIC = 7000,
}

/// Every code with its description: the one table both lookups read.
const RESULTS: &[(nhantin_result, &str)] = {
    use nhantin_result::*;
    &[
        (NHANTIN_RESULT_OK, "success"),
        (NHANTIN_RESULT_INVALID_INPUT, "invalid input; nothing was sent"),
        (NHANTIN_RESULT_INVALID_UTF8, "a string argument is not UTF-8"),
        (NHANTIN_RESULT_INVALID_JSON, "a JSON argument is malformed"),
        (NHANTIN_RESULT_CONFIG, "the client configuration is unusable"),
        (NHANTIN_RESULT_REJECTED, "the provider rejected the request"),
        (NHANTIN_RESULT_UNAUTHORIZED, "the provider refused the credentials"),
        (NHANTIN_RESULT_DUPLICATE_REQUEST_ID, "the request id was already used within 24 hours"),
        (NHANTIN_RESULT_RATE_LIMITED, "the provider is rate limiting; nothing was done"),
        (NHANTIN_RESULT_LOCKED_OUT, "the provider locked the account out; nothing was sent"),
        (NHANTIN_RESULT_TRANSPORT, "no connection could be made; nothing was sent"),
        (NHANTIN_RESULT_OUTCOME_UNKNOWN, "the message may have been sent; no answer came back"),
        (NHANTIN_RESULT_PROVIDER_UNAVAILABLE, "the provider answered with a server error"),
        (NHANTIN_RESULT_UNEXPECTED_RESPONSE, "the provider's answer has no documented shape"),
        (NHANTIN_RESULT_ALREADY_SUBMITTED, "not sent again: an earlier attempt with this request id reached the provider; acceptance unknown"),
        (NHANTIN_RESULT_NULL_ARGUMENT, "a required pointer argument is NULL"),
        (NHANTIN_RESULT_BUFFER_TOO_SMALL, "the buffer is too small"),
        (NHANTIN_RESULT_UNKNOWN_OPERATION, "unknown operation or provider name"),
        (NHANTIN_RESULT_WRONG_STATE, "the call does not fit the send machine's state"),
        (NHANTIN_RESULT_PANIC, "internal error (a bug in nhantin)"),
    ]
};

impl nhantin_result {
    fn from_code(code: u32) -> Option<Self> {
        RESULTS
            .iter()
            .find(|(r, _)| *r as u32 == code)
            .map(|(r, _)| *r)
    }

    pub(crate) fn description(self) -> &'static str {
        RESULTS
            .iter()
            .find(|(r, _)| *r == self)
            .map_or("unknown result code", |(_, d)| d)
    }
}

/// Writes the description of `code` into `buf` (NUL-terminated) and its length (without the
/// NUL) into `*out_n`. Unknown codes get "unknown result code". Returns
/// `NHANTIN_RESULT_BUFFER_TOO_SMALL` (and the needed length in `*out_n`, nothing in `buf`) when
/// `len` cannot hold the text and its NUL. `buf` may be NULL when `len` is 0: a size query, as
/// `snprintf(NULL, 0, …)`.
///
/// Thread safety: any thread.
///
/// # Safety
/// `buf` points to `len` writable bytes (or is NULL with `len` 0); `out_n` is writable.
#[no_mangle]
pub unsafe extern "C" fn nhantin_result_message(
    code: u32,
    buf: *mut c_char,
    len: usize,
    out_n: *mut usize,
) -> nhantin_result {
    panic::guard(|| {
        // A NULL buffer of length 0 asks for the size only; it is never written (0 < NUL).
        if (buf.is_null() && len != 0) || out_n.is_null() {
            return nhantin_result::NHANTIN_RESULT_NULL_ARGUMENT;
        }
        let text =
            nhantin_result::from_code(code).map_or("unknown result code", |r| r.description());
        // SAFETY: out_n is non-null and writable by contract.
        unsafe { *out_n = text.len() };
        if text.len() + 1 > len {
            return nhantin_result::NHANTIN_RESULT_BUFFER_TOO_SMALL;
        }
        // SAFETY: buf holds `len` bytes, and text.len() + 1 <= len.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), text.len());
            *buf.add(text.len()) = 0;
        }
        nhantin_result::NHANTIN_RESULT_OK
    })
}

/// True for the 1000s: invalid input or configuration; nothing was sent.
///
/// Thread safety: any thread.
#[no_mangle]
pub extern "C" fn nhantin_result_is_input_error(code: u32) -> bool {
    (1000..2000).contains(&code)
}

/// True for the 2000s: the provider rejected the request.
///
/// Thread safety: any thread.
#[no_mangle]
pub extern "C" fn nhantin_result_is_provider_error(code: u32) -> bool {
    (2000..3000).contains(&code)
}

/// True for the 3000s: rate limited or locked out; nothing was done.
///
/// Thread safety: any thread.
#[no_mangle]
pub extern "C" fn nhantin_result_is_rate_limited(code: u32) -> bool {
    (3000..4000).contains(&code)
}

/// True for the 5000s: the message may have been sent.
///
/// Thread safety: any thread.
#[no_mangle]
pub extern "C" fn nhantin_result_is_outcome_unknown(code: u32) -> bool {
    (5000..6000).contains(&code)
}

/// Whether the code alone proves a resend cannot duplicate the message: rate limiting, a
/// lock-out and a failed connection (nothing was done). For the 5000s the answer depends on
/// the request: ask `nhantin_error_is_retry_safe` on the error object instead.
///
/// Thread safety: any thread.
#[no_mangle]
pub extern "C" fn nhantin_result_is_retry_safe(code: u32) -> bool {
    matches!(code, 3000 | 3001 | 4000)
}
