//! # nhantin-core: the sans-IO heart of nhantin
//!
//! Encodes every request nhantin sends to eSMS.vn, CareSoft and InterITS CPaaS into a plain
//! [`HttpRequest`] value, and decodes every answer, delivery report and error into typed values.
//! There are no sockets, threads, clock reads or random numbers in this crate: the caller passes
//! "now" and ids in, and sends the bytes with its own HTTP stack (`nhantin-transport`, or an ERP's
//! own proxy-aware client).
//!
//! ## The call protocol
//!
//! 1. **Validate**: build a [`Message`] from validated newtypes ([`PhoneNumber`], [`RequestId`],
//!    [`Brandname`], …) or from its JSON form ([`MessageInput`]). Bad input is an
//!    [`Error::InvalidInput`] before anything exists to send.
//! 2. **Encode**: [`Account::encode_send`]`(&message, now)` gives the exact [`HttpRequest`], or
//!    refuses a field the endpoint cannot carry. eSMS and InterITS sends require a request id: it
//!    is the idempotency key recorded in [`HttpRequest::idempotency`].
//! 3. **Send** outside core. Log only [`HttpRequest::redacted`]: the real request carries keys.
//! 4. **Decode**: [`Account::decode_send`]`(&response)` gives a [`Receipt`] (accepted, not yet
//!    delivered) or an [`Error`] saying whose fault it is.
//! 5. **Retry?** Only when [`Error::is_retry_safe`]`(&request.idempotency)` is true, and only by
//!    sending the *same* request again: a new request id would defeat the provider's
//!    de-duplication and could send the message twice.
//!
//! ```
//! use nhantin_core::{AccountInput, Error, HttpResponse, MessageInput, Rejection, Timestamp};
//!
//! let account = AccountInput::from_json(r#"{"provider":"esms","api_key":"K","secret_key":"S"}"#)?.validate()?;
//! let message = MessageInput::from_json(
//!     r#"{"recipients":["+84 912 345 678"],"content":{"sms":{"purpose":"otp","text":"Ma OTP: 123456","sender":"MYBRAND"}},"request_id":"otp-1"}"#,
//! )?
//! .validate()?;
//! let now = Timestamp::parse_rfc3339("now", "2026-11-24T02:00:00Z")?;
//! let request = account.encode_send(&message, now)?;
//! assert!(request.url.ends_with("/SendMultipleMessage_V4_post_json/"));
//! assert!(!format!("{request:?}").contains(r#""ApiKey":"K""#)); // Debug masks the keys
//!
//! let answer = HttpResponse::new(200, r#"{"CodeResult":"124","ErrorMessage":"Request exist 1"}"#);
//! match account.decode_send(&answer) {
//!     Err(Error::Rejected { reason: Rejection::DuplicateRequestId, .. }) => {} // reconcile, never resend with a new id
//!     other => panic!("{other:?}"),
//! }
//! # Ok::<(), Error>(())
//! ```
//!
//! Delivery reports come later and separately: [`esms::parse_delivery_report`] for eSMS's GET
//! callback, [`interits::parse_callback`] for InterITS's JSON shape. CareSoft has none.

#![warn(missing_docs)]

pub mod campaign;
pub mod error;
pub mod http;
pub mod ids;
pub mod input;
pub mod message;
pub mod phone;
pub mod providers;
pub mod receipt;
pub mod send;
pub mod text;
pub mod time;
pub mod wire;
pub mod zns;

pub use error::{Error, ErrorKind, Provider, Rejection, Result};
pub use http::{HttpRequest, HttpResponse, Idempotency, Method};
pub use ids::{BaseUrl, Brandname, HttpUrl, HttpsUrl, RequestId, Secret};
pub use input::{AccountInput, ContentInput, MessageInput, OptionsInput};
pub use message::{
    Content, GeneratedOtp, Message, OtpChannel, ProviderOptions, Sms, SmsPurpose, Viber,
    ViberButton, ViberLayout, ZaloThenSms,
};
pub use phone::{Carrier, PhoneFormat, PhoneNumber};
pub use providers::{caresoft, esms, interits, Account};
pub use receipt::{CareSoftTicket, Receipt};
pub use text::{analyze, strip_diacritics, Encoding, TextAnalysis, UnicodePolicy};
pub use time::Timestamp;
pub use zns::{
    OaId, ZaloUserId, Zns, ZnsAddress, ZnsBulk, ZnsParam, ZnsTemplateId, ZNS_BULK_MAX_RECIPIENTS,
};
