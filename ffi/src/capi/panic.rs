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
    install_quiet_hook();
    let depth = INSIDE.with(|d| {
        d.set(d.get() + 1);
        d.get()
    });
    let result = catch_unwind(AssertUnwindSafe(body));
    INSIDE.with(|d| d.set(depth - 1));
    result.unwrap_or_else(|_| R::panic_value())
}

thread_local! {
    /// How many C-ABI entry points this thread is inside (they may nest).
    static INSIDE: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    /// The last panic caught on this thread, for diagnosis; never printed.
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// A panic inside the library is reported to the caller as `NHANTIN_RESULT_PANIC`; printing it
/// (with a backtrace) on the host program's stderr would be noise in someone else's logs, and a
/// panic message may carry data. The hook records panics raised inside an entry point and hands
/// every other panic (the host's own, in a Rust host) to the hook that was there before.
fn install_quiet_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if INSIDE.with(|d| d.get()) > 0 {
                let place = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(place));
            } else {
                previous(info);
            }
        }));
    });
}

/// Where the last panic caught on this thread happened (file and line), if any.
#[cfg(test)]
pub(crate) fn last_panic() -> Option<String> {
    LAST_PANIC.with(|p| p.borrow().clone())
}
