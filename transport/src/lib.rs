//! # nhantin-transport: sends what nhantin-core encodes
//!
//! A thin blocking HTTP layer (reqwest + rustls). It holds no wire detail: it executes the
//! [`nhantin_core::HttpRequest`] values core produces and asks core what each answer means.
//!
//! It is a loop around core's send machine ([`nhantin_core::send::SendMachine`]): transmit what
//! the machine asks for, report what happened, sleep as long as it says. Every protocol decision
//! — whether and when to resend, CareSoft's pacing and lock-out, how an answer is classified — is
//! core's, so a caller with its own HTTP stack that drives the same machine gets the same
//! guarantees. What this crate adds is what core cannot do without a clock and a socket:
//! timeouts on every attempt, a capped answer size, https only, no redirects, one connection
//! pool per [`Client`] shared by clones and threads, generated request ids, and the wait itself.
//!
//! Secrets never appear in errors or logs, and network failures are described in nhantin's own
//! words without the URL (it carries phone numbers in eSMS GET sends). Logging goes through the
//! `log` facade.

#![warn(missing_docs)]

pub mod campaign;
mod client;
mod config;
mod error;

pub use campaign::CampaignError;
pub use client::{generate_request_id, Client};
pub use config::ClientConfig;
pub use error::Error;
pub use nhantin_core::send::{
    BatchResult, NetworkFailure, Resend, SafeResend, SendClass, SendError, SendOutcome,
    UnknownOutcome,
};
