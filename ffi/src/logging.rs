//! The host's logger: nhantin's `log` records forwarded to one callback (UniFFI `set_logger`,
//! C `nhantin_set_logger`), so Python's `logging`, the JVM's loggers or a C program see them.
//!
//! Off costs nothing: without a callback the `log` crate's global level is `Off`, so every
//! record is dropped by one load and compare before it is even formatted. Phone numbers are
//! masked once more here (the library's messages never carry a secret, a text or a full phone;
//! this keeps a future log line from being the first to leak one). A callback that fails or
//! panics loses its record and nothing else; a record logged while the callback runs on the same
//! thread (the host calling back into nhantin) is dropped rather than recursing.

use std::cell::Cell;
use std::sync::{Arc, OnceLock, RwLock};

/// Where records go.
pub(crate) enum Sink {
    /// A UniFFI callback (Python, Kotlin, Swift).
    Foreign(Arc<dyn crate::api::Logger>),
    /// A C function pointer and its user data.
    C {
        callback: crate::capi::LogCallback,
        user_data: usize,
    },
}

/// The level names shared by both boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

impl From<log::Level> for Level {
    fn from(l: log::Level) -> Self {
        match l {
            log::Level::Error => Level::Error,
            log::Level::Warn => Level::Warn,
            log::Level::Info => Level::Info,
            log::Level::Debug => Level::Debug,
            log::Level::Trace => Level::Trace,
        }
    }
}

impl Level {
    fn filter(self) -> log::LevelFilter {
        match self {
            Level::Error => log::LevelFilter::Error,
            Level::Warn => log::LevelFilter::Warn,
            Level::Info => log::LevelFilter::Info,
            Level::Debug => log::LevelFilter::Debug,
            Level::Trace => log::LevelFilter::Trace,
        }
    }
}

static SINK: RwLock<Option<Sink>> = RwLock::new(None);
static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();

thread_local! {
    static IN_CALLBACK: Cell<bool> = const { Cell::new(false) };
}

struct Bridge;

static BRIDGE: Bridge = Bridge;

impl log::Log for Bridge {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &log::Record) {
        if !self.enabled(record.metadata()) || IN_CALLBACK.with(Cell::get) {
            return;
        }
        let Ok(sink) = SINK.read() else { return };
        let Some(sink) = sink.as_ref() else { return };
        let level = Level::from(record.level());
        let target = record.target().to_owned();
        let message = masked(record.target(), record.args().to_string());
        IN_CALLBACK.with(|c| c.set(true));
        // Records also come from threads no entry point marked (reqwest's runtime, a client's
        // drop): the mark keeps a throwing callback's panic off the host's stderr there too.
        let _entry = crate::quiet::enter();
        // A host callback that throws (UniFFI turns that into a panic) must not fail the send
        // that logged.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match sink {
            Sink::Foreign(logger) => logger.log(crate::api::LogRecord {
                level: level.into(),
                target,
                message,
            }),
            Sink::C {
                callback,
                user_data,
            } => crate::capi::call_log_callback(*callback, *user_data, level, &target, &message),
        }));
        IN_CALLBACK.with(|c| c.set(false));
    }

    fn flush(&self) {}
}

/// What a record may show. nhantin's own records are written from parts that are already
/// redacted (masked numbers, no keys, no texts) and carry request ids, which a reader must be
/// able to search the provider's records for: masking digit runs there would turn an id such as
/// `order-20261202-0042` into `order-202**202-0042`. Records of the crates nhantin uses (reqwest,
/// hyper, rustls) may quote a URL or a header, so their phone-like runs and echoed key or text
/// parameters are masked.
fn masked(target: &str, message: String) -> String {
    let own =
        target == "nhantin" || target.starts_with("nhantin::") || target.starts_with("nhantin_");
    if own {
        message
    } else {
        nhantin_core::wire::mask_log_line(&message)
    }
}

/// Installs `sink` (or none: off) for records at `max` and above. Fails when the process
/// already has another `log` logger (a Rust host that set its own): nhantin's records go there.
pub(crate) fn install(sink: Option<Sink>, max: Level) -> Result<(), String> {
    INSTALLED
        .get_or_init(|| {
            log::set_logger(&BRIDGE).map_err(|_| {
                "this process already has a Rust `log` logger; nhantin's records go to it"
                    .to_owned()
            })
        })
        .clone()?;
    let on = sink.is_some();
    match SINK.write() {
        Ok(mut s) => *s = sink,
        Err(poisoned) => *poisoned.into_inner() = sink,
    }
    log::set_max_level(if on {
        max.filter()
    } else {
        log::LevelFilter::Off
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::masked;

    #[test]
    fn nhantin_records_keep_request_ids_whole() {
        let line = "accepted after 1 attempt(s), request id order-20261202-0042".to_owned();
        assert_eq!(masked("nhantin_transport::client", line.clone()), line);
        assert_eq!(masked("nhantin::logging", line.clone()), line);
    }

    #[test]
    fn records_of_other_crates_are_masked() {
        assert_eq!(
            masked(
                "reqwest::connect",
                "GET /send?ApiKey=K-123&Phone=0912345678".to_owned()
            ),
            "GET /send?ApiKey=***&Phone=091****678"
        );
        // A crate whose name merely starts with the letters is not nhantin.
        assert_eq!(
            masked("nhantinx", "to 0912345678".to_owned()),
            "to 091****678"
        );
    }
}
