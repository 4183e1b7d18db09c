//! The stable C ABI (`include/nhantin.h`).
//!
//! Conventions (also in the README): every symbol starts with `nhantin_`; handles are opaque;
//! every `_new` has one `_free` and `_free(NULL)` does nothing; every pointer argument is checked
//! for NULL; strings are NUL-terminated UTF-8; outputs come last and are written only on
//! success; an optional `nhantin_error **err_out` receives details on failure; strings the
//! library returns through `char **` are owned by the caller and freed with
//! `nhantin_string_free`. Messages, accounts and results cross as JSON text in the formats of
//! `tests/vectors/README.md`, so new options are new JSON keys, never new signatures.
//!
//! A panic never crosses the boundary: every entry point returns `NHANTIN_RESULT_PANIC` (or
//! NULL / false / 0) instead.

#![allow(non_camel_case_types)]

mod client;
mod codec;
mod error;
mod logging;
mod machine;
mod panic;
mod result;

pub use client::*;
pub use codec::*;
pub use error::*;
pub use logging::*;
pub use machine::*;
pub use result::*;

use std::ffi::{c_char, CStr, CString};

use error::Failure;

/// Reads a required string argument.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string valid for the call.
pub(crate) unsafe fn str_arg<'a>(p: *const c_char, name: &str) -> Result<&'a str, Failure> {
    if p.is_null() {
        return Err(Failure::misuse(
            nhantin_result::NHANTIN_RESULT_NULL_ARGUMENT,
            format!("{name} is NULL"),
        ));
    }
    // SAFETY: the caller promises a NUL-terminated string.
    let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
    std::str::from_utf8(bytes).map_err(|e| {
        Failure::misuse(
            nhantin_result::NHANTIN_RESULT_INVALID_UTF8,
            format!("{name} is not UTF-8: {e}"),
        )
    })
}

/// Reads an optional string argument (NULL means absent).
///
/// # Safety
/// As [`str_arg`].
pub(crate) unsafe fn opt_str_arg<'a>(
    p: *const c_char,
    name: &str,
) -> Result<Option<&'a str>, Failure> {
    if p.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded.
        unsafe { str_arg(p, name) }.map(Some)
    }
}

/// Checks that an output pointer is not NULL.
pub(crate) fn out_arg<T>(p: *mut T, name: &str) -> Result<(), Failure> {
    if p.is_null() {
        Err(Failure::misuse(
            nhantin_result::NHANTIN_RESULT_NULL_ARGUMENT,
            format!("{name} is NULL"),
        ))
    } else {
        Ok(())
    }
}

/// A Rust string as a caller-owned C string. Interior NULs (impossible in the JSON nhantin
/// writes, which escapes them) are replaced rather than truncating silently.
pub(crate) fn c_string(s: String) -> *mut c_char {
    match CString::new(s) {
        Ok(c) => c.into_raw(),
        Err(e) => {
            let cleaned: Vec<u8> = e
                .into_vec()
                .into_iter()
                .map(|b| if b == 0 { b' ' } else { b })
                .collect();
            CString::new(cleaned)
                .expect("NULs were replaced")
                .into_raw()
        }
    }
}

/// Frees a string the library returned through a `char **` output. NULL is ignored.
///
/// Thread safety: any thread; each string once.
///
/// # Safety
/// `s` is NULL or a string returned by this library and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn nhantin_string_free(s: *mut c_char) {
    panic::guard(|| {
        if !s.is_null() {
            // SAFETY: the caller passes a pointer from `CString::into_raw`, once.
            drop(unsafe { CString::from_raw(s) });
        }
    })
}

/// The library version, e.g. `"0.1.0"`; the same as `NHANTIN_VERSION`. Static: never free it.
///
/// Thread safety: any thread.
#[no_mangle]
pub extern "C" fn nhantin_version() -> *const c_char {
    static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}
