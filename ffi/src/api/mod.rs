//! The UniFFI interface: records and enums mirroring core's input and output forms, one error
//! type, the [`Client`] object, the [`SendMachine`] for callers with their own HTTP stack, and
//! the sans-IO helpers. Doc comments here become the generated Python, Kotlin and Swift
//! documentation.

mod client;
mod codec;
mod error;
mod machine;
mod types;

pub use client::*;
pub use codec::*;
pub use error::*;
pub use machine::*;
pub use types::*;
