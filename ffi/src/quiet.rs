//! Panics stay quiet: a panic inside the library reaches the caller as a typed failure
//! (`NHANTIN_RESULT_PANIC` from the C ABI, UniFFI's internal error in Python, Kotlin and Swift).
//! Rust's default hook would also print it, with a backtrace, on the host program's stderr: noise
//! in someone else's logs, and a panic message may carry data. So every entry point of both
//! interfaces runs inside [`enter`], and the hook installed on the first entry records a panic
//! raised inside an entry point instead of printing it. Every other panic (the host's own, when a
//! Rust program links this crate) goes to the hook that was there before.

use std::cell::{Cell, RefCell};

thread_local! {
    /// How many entry points this thread is inside (they may nest).
    static INSIDE: Cell<u32> = const { Cell::new(0) };
    /// Where the last panic raised inside an entry point on this thread happened; never printed.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Marks the current thread as inside an entry point until dropped; dropping also runs while a
/// panic unwinds, so the mark never outlives the call.
pub(crate) struct Entry(());

impl Drop for Entry {
    fn drop(&mut self) {
        INSIDE.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Enters an entry point: the first line of every `extern "C"` body (through the C ABI's guard)
/// and of every UniFFI export.
pub(crate) fn enter() -> Entry {
    install_hook();
    INSIDE.with(|d| d.set(d.get() + 1));
    Entry(())
}

fn install_hook() {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A panic inside a UniFFI export is recorded by the hook (so not printed), and the mark is
    /// gone once UniFFI's own `catch_unwind` has the panic: a panic raised afterwards outside any
    /// entry point is not taken for the library's.
    #[test]
    fn a_panic_inside_an_export_is_recorded_and_the_mark_unwinds_with_it() {
        let caught = std::panic::catch_unwind(|| {
            let _entry = enter();
            panic!("deliberate, inside");
        });
        assert!(caught.is_err());
        assert!(last_panic().is_some_and(|at| at.contains("quiet.rs")));
        assert_eq!(INSIDE.with(|d| d.get()), 0);
    }

    /// Every UniFFI export enters first, so a panic in any of them stays quiet: a new export
    /// without the mark fails here.
    #[test]
    fn every_uniffi_export_enters_first() {
        let sources = [
            ("client.rs", include_str!("api/client.rs")),
            ("codec.rs", include_str!("api/codec.rs")),
            ("machine.rs", include_str!("api/machine.rs")),
            ("types.rs", include_str!("api/types.rs")),
            ("logging.rs", include_str!("api/logging.rs")),
        ];
        let mut exports = 0;
        for (file, source) in sources {
            let lines: Vec<&str> = source.lines().collect();
            let (mut pending, mut in_impl) = (false, false);
            let mut i = 0;
            while i < lines.len() {
                let line = lines[i];
                if line.starts_with("#[uniffi::export") {
                    pending = true;
                } else if pending && line.starts_with("impl ") {
                    (pending, in_impl) = (false, true);
                } else if in_impl && line == "}" {
                    in_impl = false;
                } else if (pending
                    && (line.starts_with("pub fn ") || line.starts_with("pub async fn ")))
                    || (in_impl
                        && (line.starts_with("    pub fn ")
                            || line.starts_with("    pub async fn ")))
                {
                    pending = false;
                    let name = line
                        .trim_start()
                        .trim_start_matches("pub ")
                        .trim_start_matches("async ")
                        .trim_start_matches("fn ");
                    while !lines[i].trim_end().ends_with('{') {
                        i += 1;
                    }
                    assert_eq!(
                        lines[i + 1].trim(),
                        "let _entry = crate::quiet::enter();",
                        "{file}: the export `{name}` must enter first"
                    );
                    exports += 1;
                }
                i += 1;
            }
        }
        assert!(
            exports >= 35,
            "found only {exports} exports: the scan is broken"
        );
    }
}
