//! The host's logger, for C: one function pointer and its user data.

use std::ffi::{c_char, c_void, CString};

use super::error::{nhantin_error, run, Failure};
use super::result::nhantin_result;
use crate::logging::{self, Level, Sink};

/// How severe a log record is.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum nhantin_log_level {
    /// A send or query failed.
    NHANTIN_LOG_ERROR = 1,
    /// Something to look at (an attempt without an answer, an unknown outcome).
    NHANTIN_LOG_WARN = 2,
    /// What was sent and how it ended.
    NHANTIN_LOG_INFO = 3,
    /// Each attempt, answer and wait.
    NHANTIN_LOG_DEBUG = 4,
    /// Everything.
    NHANTIN_LOG_TRACE = 5,
}

/// Receives one log record: `target` is the Rust module it comes from, `message` what happened
/// (never a secret, a message text or a full phone). Both strings are valid only during the
/// call. Called on whichever thread logged, possibly several at once. NULL means "no logger".
pub type nhantin_log_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        level: nhantin_log_level,
        target: *const c_char,
        message: *const c_char,
    ),
>;

/// A callback that is not NULL.
pub(crate) type LogCallback =
    unsafe extern "C" fn(*mut c_void, nhantin_log_level, *const c_char, *const c_char);

pub(crate) fn call_log_callback(
    callback: LogCallback,
    user_data: usize,
    level: Level,
    target: &str,
    message: &str,
) {
    let c_level = match level {
        Level::Error => nhantin_log_level::NHANTIN_LOG_ERROR,
        Level::Warn => nhantin_log_level::NHANTIN_LOG_WARN,
        Level::Info => nhantin_log_level::NHANTIN_LOG_INFO,
        Level::Debug => nhantin_log_level::NHANTIN_LOG_DEBUG,
        Level::Trace => nhantin_log_level::NHANTIN_LOG_TRACE,
    };
    // Interior NULs cannot be passed as C strings; they never occur in nhantin's messages.
    let target = CString::new(target.replace('\0', " ")).unwrap_or_default();
    let message = CString::new(message.replace('\0', " ")).unwrap_or_default();
    // SAFETY: the host gave this pointer with `nhantin_set_logger` and promised it stays
    // callable with this user data until replaced.
    unsafe {
        callback(
            user_data as *mut c_void,
            c_level,
            target.as_ptr(),
            message.as_ptr(),
        )
    };
}

/// Sends nhantin's log records at `max_level` (an `nhantin_log_level`) and above to `callback` with `user_data`; a NULL
/// `callback` turns logging off whatever `max_level` is (the default: then it costs nothing). Replaces any logger set
/// before (the previous callback may still receive a record that was being logged at that
/// moment on another thread). Fails with `NHANTIN_RESULT_INVALID_INPUT` when the process already
/// has a Rust `log` logger.
///
/// Thread safety: any thread.
///
/// # Safety
/// `callback`, when not NULL, stays callable with `user_data` from any thread until replaced.
#[no_mangle]
pub unsafe extern "C" fn nhantin_set_logger(
    callback: nhantin_log_callback,
    user_data: *mut c_void,
    max_level: u32,
    err_out: *mut *mut nhantin_error,
) -> nhantin_result {
    run(err_out, || {
        // An integer, not the enum: a C caller can pass any value, and an out-of-range enum
        // would be undefined behaviour on this side.
        let level = match max_level {
            1 => Level::Error,
            2 => Level::Warn,
            3 => Level::Info,
            4 => Level::Debug,
            5 => Level::Trace,
            // Turning logging off needs no level: `nhantin_set_logger(NULL, NULL, 0, &err)` is
            // how a C caller writes "off", and refusing it left the old callback installed.
            _ if callback.is_none() => Level::Error,
            other => {
                return Err(Failure::decoded(nhantin_core::Error::InvalidInput {
                    field: "max_level".into(),
                    reason: format!("is {other}; use an nhantin_log_level (1 error … 5 trace)"),
                }))
            }
        };
        let sink = callback.map(|callback| Sink::C {
            callback,
            user_data: user_data as usize,
        });
        logging::install(sink, level).map_err(|reason| {
            Failure::decoded(nhantin_core::Error::InvalidInput {
                field: "logger".into(),
                reason,
            })
        })
    })
}
