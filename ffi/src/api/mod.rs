//! The UniFFI interface: records and enums mirroring core's input and output forms, one error
//! type, the [`Client`] object, the [`SendMachine`] for callers with their own HTTP stack, and
//! the sans-IO helpers. Doc comments here become the generated Python, Kotlin and Swift
//! documentation.

// `NhantinError` is returned by value through UniFFI's generated scaffolding, which cannot
// carry a `Box`; its unknown-outcome variant is as large as what a caller needs to resend and
// reconcile, so clippy's size lint does not fit this boundary.
#![allow(clippy::result_large_err)]

mod client;
mod codec;
mod error;
mod logging;
mod machine;
mod types;

pub use client::*;
pub use codec::*;
pub use error::*;
pub use logging::*;
pub use machine::*;
pub use types::*;
