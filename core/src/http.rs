//! Plain HTTP values: what core asks the caller to send, and what the caller got back.
//!
//! Core never opens a socket. An encoder returns an [`HttpRequest`]; the caller sends it with
//! whatever HTTP stack it trusts and hands the answer back as an [`HttpResponse`].

use std::fmt;

use crate::ids::RequestId;

/// The HTTP method of a provider request. Providers use only these two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`: eSMS fixed-number sends and the status queries; every value is in the URL.
    Get,
    /// `POST`: every other endpoint; the payload is in the body.
    Post,
}

impl Method {
    /// The method token as it appears on the request line.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether sending the same request twice can deliver the same message twice.
///
/// This is the fact the transport needs before it may retry: a provider that deduplicates by a
/// key the request carries turns a resend into, at worst, a "duplicate request" answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Idempotency {
    /// Reading data (balance, status): resending is always harmless.
    ReadOnly,
    /// A send the provider deduplicates by this request id (eSMS: code 124 within 24 h;
    /// InterITS: `requestId`). Resend only this exact request, never one with a new id.
    KeyedBy(RequestId),
    /// A send with no idempotency key (CareSoft). Resend only when the request provably never
    /// reached the provider.
    NotIdempotent,
}

/// A request for the caller to send exactly as it is.
///
/// `Debug` masks every secret the request carries (API keys in headers, bodies and URLs), so it
/// is safe to log; the real bytes are in the public fields.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET` or `POST`.
    pub method: Method,
    /// The absolute URL, query string already percent-encoded.
    pub url: String,
    /// Header names and values, in the order to send them.
    pub headers: Vec<(String, String)>,
    /// The body bytes (empty for `GET`).
    pub body: Vec<u8>,
    /// Whether a resend can duplicate the message; the transport's retry policy reads this.
    pub idempotency: Idempotency,
    /// Secret values as they appear in the URL, headers or body (raw and escaped forms), so that
    /// [`HttpRequest::redacted`] can mask them.
    pub(crate) secrets: Vec<String>,
    /// The message text in the forms it takes on the wire, so that errors can hide it (a proxy
    /// page may echo the request); unlike secrets, [`HttpRequest::redacted`] keeps it.
    pub(crate) private: Vec<String>,
    /// For a request answered per recipient (eSMS bulk ZNS), each recipient's phone as sent and
    /// its request id, in order, so the answer can be matched to them.
    pub(crate) per_recipient: Vec<RecipientKey>,
}

/// One recipient of a request answered per recipient.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct RecipientKey {
    /// The phone as written in the request (eSMS: national form).
    pub(crate) phone: String,
    pub(crate) request_id: crate::ids::RequestId,
}

impl HttpRequest {
    pub(crate) fn new(method: Method, url: String, idempotency: Idempotency) -> Self {
        HttpRequest {
            method,
            url,
            headers: Vec::new(),
            body: Vec::new(),
            idempotency,
            secrets: Vec::new(),
            private: Vec::new(),
            per_recipient: Vec::new(),
        }
    }

    pub(crate) fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    pub(crate) fn body(mut self, body: Vec<u8>) -> Self {
        self.body = body;
        self
    }

    /// Marks a secret so that logs and errors never show it; also masks the forms it takes once
    /// percent-encoded, XML-escaped or JSON-escaped.
    pub(crate) fn secret(mut self, raw: &str) -> Self {
        if raw.is_empty() {
            return self;
        }
        let forms = [
            raw.to_owned(),
            crate::wire::query_encode(raw),
            crate::wire::xml_escape(raw).into_owned(),
            serde_json::to_string(raw)
                .map(|s| s[1..s.len() - 1].to_owned())
                .unwrap_or_default(),
        ];
        for form in forms {
            if !form.is_empty() && !self.secrets.contains(&form) {
                self.secrets.push(form);
            }
        }
        // Longest first, so a secret containing another is masked whole.
        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        self
    }

    /// Marks the message text (in its escaped forms) so that errors never repeat it. Texts of
    /// fewer than 4 characters are not marked: masking them would garble unrelated words.
    pub(crate) fn private_text(mut self, raw: &str) -> Self {
        if raw.chars().count() < 4 {
            return self;
        }
        for form in [
            raw.to_owned(),
            crate::wire::query_encode(raw),
            crate::wire::xml_escape(raw).into_owned(),
            serde_json::to_string(raw)
                .map(|s| s[1..s.len() - 1].to_owned())
                .unwrap_or_default(),
        ] {
            if !form.is_empty() && !self.private.contains(&form) {
                self.private.push(form);
            }
        }
        self.private.sort_by_key(|s| std::cmp::Reverse(s.len()));
        self
    }

    /// For error messages about this request: secrets masked, the message text replaced by
    /// `<text>`, and phone numbers masked.
    pub fn redact_for_error(&self, text: &str) -> String {
        let mut out = self.redact(text);
        for form in &self.private {
            out = out.replace(form.as_str(), "<text>");
        }
        crate::wire::mask_phones(&out)
    }

    /// The value of the first header with this name (case-insensitive).
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Masks every secret in `text` with `***`.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.secrets {
            out = out.replace(secret.as_str(), "***");
        }
        out
    }

    /// The URL for logs: secrets masked, the message text replaced by `<text>`, phone numbers
    /// masked (an eSMS GET carries all three in its query).
    pub fn redacted_url(&self) -> String {
        self.redact_for_error(&self.url)
    }

    /// The body as text with secrets masked (lossy for non-UTF-8), for logs.
    pub fn redacted_body(&self) -> String {
        self.redact(&String::from_utf8_lossy(&self.body))
    }

    /// A copy whose URL, headers and body have every secret replaced by `***`: safe to print.
    pub fn redacted(&self) -> HttpRequest {
        HttpRequest {
            method: self.method,
            url: self.redacted_url(),
            headers: self
                .headers
                .iter()
                .map(|(n, v)| (n.clone(), self.redact(v)))
                .collect(),
            body: self.redacted_body().into_bytes(),
            idempotency: self.idempotency.clone(),
            secrets: Vec::new(),
            private: Vec::new(),
            per_recipient: Vec::new(),
        }
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Safe to log: keys masked, phone numbers masked, and the body (message text, recipients)
        // not shown at all — only its size.
        let safe = self.redacted();
        f.debug_struct("HttpRequest")
            .field("method", &safe.method)
            .field(
                "url",
                &match safe.url.split_once('?') {
                    // The query of an eSMS GET carries the phone and the text: only its size is shown.
                    Some((path, query)) => {
                        format!("{path}?<{} parameters>", query.split('&').count())
                    }
                    None => safe.url.clone(),
                },
            )
            .field("headers", &safe.headers)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .field("idempotency", &safe.idempotency)
            .finish()
    }
}

/// What the provider answered: status, headers and the (already size-capped) body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Header names and values as received.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// The value of the first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `Retry-After` in whole seconds. The HTTP-date form needs a clock, which core does not
    /// have, so it yields `None` and the caller falls back to its own backoff.
    pub fn retry_after_secs(&self) -> Option<u64> {
        self.header("retry-after")?.trim().parse().ok()
    }

    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// The JSON form shared by the C ABI, the CLI and the vectors: `method`, `url`, `headers` as
/// `[name, value]` pairs, `body` as text (every provider body is UTF-8), and the idempotency.
/// It is the real request, keys included: serialize [`HttpRequest::redacted`] for logs.
impl serde::Serialize for HttpRequest {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(6))?;
        map.serialize_entry("method", self.method.as_str())?;
        map.serialize_entry("url", &self.url)?;
        map.serialize_entry("headers", &self.headers)?;
        map.serialize_entry("body", &String::from_utf8_lossy(&self.body))?;
        map.serialize_entry(
            "idempotency_key",
            &match &self.idempotency {
                Idempotency::KeyedBy(id) => Some(id.as_str()),
                _ => None,
            },
        )?;
        map.serialize_entry(
            "idempotent",
            &!matches!(self.idempotency, Idempotency::NotIdempotent),
        )?;
        map.end()
    }
}
