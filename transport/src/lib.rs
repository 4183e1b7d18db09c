//! # nhantin-transport: sends what nhantin-core encodes
//!
//! A thin blocking HTTP layer (reqwest + rustls). It holds no wire detail: it executes the
//! [`nhantin_core::HttpRequest`] values core produces and asks core what each answer means.
//!
//! What it adds is the part core cannot do without a clock and a socket:
//! - timeouts on every attempt, a total deadline, a capped answer size, https only;
//! - one connection pool per [`Client`], shared by clones and threads;
//! - **retries that never send a message twice**: a send is retried only when core says a
//!   resend is safe — always with the same request, hence the same request id. eSMS and InterITS
//!   sends always carry a request id (generated when the caller gave none); a retry that eSMS
//!   answers with code 124 ("request id already used") becomes [`SendOutcome::AlreadySubmitted`],
//!   never a second message and never a plain success. CareSoft has no idempotency key: it is
//!   retried only when the request provably never reached the server (connection refused, 429);
//!   any other failure is an [`Error::OutcomeUnknown`] that says so.
//! - CareSoft's 15 requests/second pacing and its 15-minute lock-out, honoured locally.
//!
//! Secrets never appear in errors or logs (core's redaction), and phone numbers in logs are
//! masked (`091****678`). Logging goes through the `log` facade.

#![warn(missing_docs)]

mod client;
mod config;
mod error;

pub use client::{generate_request_id, Client};
pub use config::ClientConfig;
pub use error::Error;
pub use nhantin_core::send::{
    BatchResult, NetworkFailure, Resend, SafeResend, SendClass, SendError, SendOutcome,
    UnknownOutcome,
};
