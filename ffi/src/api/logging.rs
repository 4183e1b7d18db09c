//! The host's logger, for the bindings: the Python package routes it to
//! `logging.getLogger("nhantin")`, the Kotlin one to SLF4J (or `java.util.logging`).

use std::sync::Arc;

use super::error::NhantinError;
use crate::logging::{self, Level, Sink};

/// How severe a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LogLevel {
    /// A send or query failed.
    Error,
    /// Something a caller should look at (an attempt without an answer, an unknown outcome).
    Warn,
    /// What was sent and how it ended.
    Info,
    /// Each attempt, answer and wait.
    Debug,
    /// Everything.
    Trace,
}

impl From<Level> for LogLevel {
    fn from(l: Level) -> Self {
        match l {
            Level::Error => LogLevel::Error,
            Level::Warn => LogLevel::Warn,
            Level::Info => LogLevel::Info,
            Level::Debug => LogLevel::Debug,
            Level::Trace => LogLevel::Trace,
        }
    }
}

impl From<LogLevel> for Level {
    fn from(l: LogLevel) -> Self {
        match l {
            LogLevel::Error => Level::Error,
            LogLevel::Warn => Level::Warn,
            LogLevel::Info => Level::Info,
            LogLevel::Debug => Level::Debug,
            LogLevel::Trace => Level::Trace,
        }
    }
}

/// One record: never a secret, a message text or a full phone number.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LogRecord {
    /// Its level.
    pub level: LogLevel,
    /// The Rust module it comes from (`nhantin_transport::client`).
    pub target: String,
    /// What happened.
    pub message: String,
}

/// Receives nhantin's log records. Called on whichever thread logged, possibly several at
/// once; keep it quick. A record logged while it runs on the same thread is dropped.
#[uniffi::export(with_foreign)]
pub trait Logger: Send + Sync {
    /// One record.
    fn log(&self, record: LogRecord);
}

/// Sends nhantin's records at `level` and above to `logger`; `None` turns logging off (the
/// default: then it costs nothing). Replaces any logger set before.
#[uniffi::export]
pub fn set_logger(logger: Option<Arc<dyn Logger>>, level: LogLevel) -> Result<(), NhantinError> {
    let _entry = crate::quiet::enter();
    logging::install(logger.map(Sink::Foreign), level.into()).map_err(|reason| {
        NhantinError::InvalidInput {
            field: "logger".into(),
            reason,
        }
    })
}
