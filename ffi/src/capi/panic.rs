//! The panic boundary: every `extern "C"` body runs inside [`guard`], which turns a panic into
//! the return type's failure value. This only works with `panic = "unwind"`, which every
//! profile of the workspace keeps.

use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};

use super::error::nhantin_error;
use super::result::nhantin_result;

/// What an entry point returns when its body panicked.
pub(crate) trait PanicValue {
    fn panic_value() -> Self;
}

impl PanicValue for nhantin_result {
    fn panic_value() -> Self {
        nhantin_result::NHANTIN_RESULT_PANIC
    }
}

impl PanicValue for () {
    fn panic_value() -> Self {}
}

impl PanicValue for bool {
    fn panic_value() -> Self {
        false
    }
}

impl PanicValue for u32 {
    fn panic_value() -> Self {
        nhantin_result::NHANTIN_RESULT_PANIC as u32
    }
}

impl PanicValue for i64 {
    fn panic_value() -> Self {
        -1
    }
}

impl PanicValue for *const c_char {
    fn panic_value() -> Self {
        std::ptr::null()
    }
}

impl PanicValue for *const nhantin_error {
    fn panic_value() -> Self {
        std::ptr::null()
    }
}

/// Runs `body`; a panic becomes `R::panic_value()`. Unwind safety is asserted because a
/// panicking call leaves no shared state half-written: handles are only read, outputs are
/// written last.
pub(crate) fn guard<R: PanicValue>(body: impl FnOnce() -> R) -> R {
    let _entry = crate::quiet::enter();
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| R::panic_value())
}
