//! A deliberately small HTTP/1.1 dialect: request heads parsed from bytes, responses written to
//! bytes, query strings decoded. Pure functions, so the server loop in `server.rs` only moves
//! bytes and the parsing rules can be read (and tested) in one place.
//!
//! What is supported: `Content-Length` bodies, keep-alive (HTTP/1.1 default, HTTP/1.0 opt-in),
//! `Expect: 100-continue`. What is refused: `Transfer-Encoding` request bodies (411, since no
//! nhantin client sends them), heads over [`MAX_HEAD_BYTES`] (431), more than
//! [`MAX_HEADERS`] header lines (431), anything that does not parse (400). Every refusal closes the
//! connection, because after a framing error the next request's start cannot be found.

use std::borrow::Cow;
use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Largest request head (request line plus headers).
pub(crate) const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Largest number of header lines.
pub(crate) const MAX_HEADERS: usize = 100;

/// Request method. Only GET and POST are routed; anything else is answered 405.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    /// Any other token, kept for the 405 answer and logs.
    Other(String),
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Method::Get => f.write_str("GET"),
            Method::Post => f.write_str("POST"),
            Method::Other(m) => f.write_str(m),
        }
    }
}

/// A parsed request head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Head {
    pub method: Method,
    /// Path part of the target, still percent-encoded (routing compares raw segments).
    pub path: String,
    /// Raw query string after `?`, if any.
    pub query: Option<String>,
    /// Header (name, value) pairs in order; names as sent.
    pub headers: Vec<(String, String)>,
    /// Whether the client wants the connection kept open after the answer.
    pub keep_alive: bool,
    /// Body length from `Content-Length` (0 when absent).
    pub content_length: usize,
    /// Whether the client sent `Expect: 100-continue`.
    pub expect_continue: bool,
}

impl Head {
    /// First value of a header, names compared case-insensitively (RFC 9110 §5.1).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Media type of `Content-Type` without parameters, lower-cased.
    pub fn media_type(&self) -> Option<String> {
        self.header("content-type").map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
    }
}

/// A complete request: head plus body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Request {
    pub head: Head,
    pub body: Vec<u8>,
}

/// Why a request could not be framed. Each maps to one status and always closes the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FramingError {
    /// Syntax error in the request line or a header.
    BadRequest,
    /// Head larger than [`MAX_HEAD_BYTES`] or more than [`MAX_HEADERS`] headers.
    HeadTooLarge,
    /// A `Transfer-Encoding` body (chunked) was announced.
    LengthRequired,
    /// `Content-Length` beyond the configured cap.
    BodyTooLarge,
    /// Not HTTP/1.0 or HTTP/1.1.
    VersionNotSupported,
}

impl FramingError {
    /// The answer for this error.
    pub fn response(self) -> Response {
        let (status, text) = match self {
            FramingError::BadRequest => (400, "Bad Request"),
            FramingError::HeadTooLarge => (431, "Request Header Fields Too Large"),
            FramingError::LengthRequired => (411, "Length Required"),
            FramingError::BodyTooLarge => (413, "Payload Too Large"),
            FramingError::VersionNotSupported => (505, "HTTP Version Not Supported"),
        };
        Response::text(status, text)
    }
}

/// Tries to parse a request head at the start of `buf`.
///
/// Returns `Ok(None)` while the head is incomplete, `Ok(Some((head, consumed)))` once the blank
/// line is in, and an error for anything malformed or over the limits.
pub(crate) fn parse_head(
    buf: &[u8],
    max_body: usize,
) -> Result<Option<(Head, usize)>, FramingError> {
    let end = match find(buf, b"\r\n\r\n") {
        Some(i) => i,
        None if buf.len() > MAX_HEAD_BYTES => return Err(FramingError::HeadTooLarge),
        None => return Ok(None),
    };
    if end > MAX_HEAD_BYTES {
        return Err(FramingError::HeadTooLarge);
    }
    let text = std::str::from_utf8(&buf[..end]).map_err(|_| FramingError::BadRequest)?;
    let mut lines = text.split("\r\n");
    let request_line = lines.next().ok_or(FramingError::BadRequest)?;
    let mut parts = request_line.split(' ');
    let (method, target, version) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(t), Some(v), None) if !m.is_empty() && !t.is_empty() => (m, t, v),
        _ => return Err(FramingError::BadRequest),
    };
    if !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(FramingError::BadRequest);
    }
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        v if v.starts_with("HTTP/") => return Err(FramingError::VersionNotSupported),
        _ => return Err(FramingError::BadRequest),
    };
    if !target.starts_with('/') || target.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(FramingError::BadRequest);
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (target.to_owned(), None),
    };

    let mut headers = Vec::new();
    for line in lines {
        if headers.len() >= MAX_HEADERS {
            return Err(FramingError::HeadTooLarge);
        }
        let (name, value) = line.split_once(':').ok_or(FramingError::BadRequest)?;
        let name_ok = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !name_ok {
            // Also rejects obsolete line folding (a line starting with whitespace).
            return Err(FramingError::BadRequest);
        }
        headers.push((name.to_owned(), value.trim().to_owned()));
    }

    let mut content_length: Option<usize> = None;
    let mut connection_close = !http11;
    let mut expect_continue = false;
    for (name, value) in &headers {
        if name.eq_ignore_ascii_case("content-length") {
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(FramingError::BadRequest);
            }
            let n: usize = value.parse().map_err(|_| FramingError::BodyTooLarge)?;
            if content_length.is_some_and(|prev| prev != n) {
                return Err(FramingError::BadRequest);
            }
            content_length = Some(n);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(FramingError::LengthRequired);
        } else if name.eq_ignore_ascii_case("connection") {
            for token in value.split(',').map(str::trim) {
                if token.eq_ignore_ascii_case("close") {
                    connection_close = true;
                } else if token.eq_ignore_ascii_case("keep-alive") && !http11 {
                    connection_close = false;
                }
            }
        } else if name.eq_ignore_ascii_case("expect") {
            if value.eq_ignore_ascii_case("100-continue") {
                expect_continue = http11;
            } else {
                return Err(FramingError::BadRequest);
            }
        }
    }
    let content_length = content_length.unwrap_or(0);
    if content_length > max_body {
        return Err(FramingError::BodyTooLarge);
    }
    let method = match method {
        "GET" => Method::Get,
        "POST" => Method::Post,
        other => Method::Other(other.to_owned()),
    };
    Ok(Some((
        Head {
            method,
            path,
            query,
            headers,
            keep_alive: !connection_close,
            content_length,
            expect_continue,
        },
        end + 4,
    )))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A response body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Body {
    /// These bytes.
    Bytes(Vec<u8>),
    /// A JSON document of exactly this many bytes (`{"padding":"aaaa…"}`), generated while it
    /// is written so that an oversized-body fault does not allocate its size.
    Padding(usize),
}

impl Body {
    pub fn len(&self) -> usize {
        match self {
            Body::Bytes(b) => b.len(),
            Body::Padding(n) => *n,
        }
    }
}

/// A response to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Response {
    pub status: u16,
    /// Extra headers (Content-Length and Connection are added by [`Response::head_bytes`]).
    pub headers: Vec<(&'static str, String)>,
    pub body: Body,
}

/// `Content-Type` of eSMS answers (a WCF service answers JSON with an explicit charset).
pub(crate) const CT_ESMS_JSON: &str = "application/json; charset=utf-8";
/// `Content-Type` of CareSoft, InterITS and control answers.
pub(crate) const CT_JSON: &str = "application/json";

impl Response {
    /// A response with a body and its content type.
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_owned())],
            body: Body::Bytes(body.into()),
        }
    }

    /// `application/json` with the given serialized document.
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Response::new(status, CT_JSON, body)
    }

    /// `text/plain; charset=utf-8`.
    pub fn text(status: u16, body: &str) -> Self {
        Response::new(status, "text/plain; charset=utf-8", body)
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Status line and headers, ending with the blank line.
    pub fn head_bytes(&self, keep_alive: bool) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        out.push_str("Server: nhantin-emulator\r\n");
        for (name, value) in &self.headers {
            out.push_str(name);
            out.push_str(": ");
            out.push_str(value);
            out.push_str("\r\n");
        }
        out.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        out.push_str(if keep_alive {
            "Connection: keep-alive\r\n\r\n"
        } else {
            "Connection: close\r\n\r\n"
        });
        out.into_bytes()
    }
}

/// Reason phrase for the statuses this emulator answers.
pub(crate) fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

/// Why a query string could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum QueryError {
    /// A `%` escape produced bytes that are not UTF-8.
    NotUtf8,
    /// The same parameter name twice (ambiguous: which one would the server bind?).
    Duplicate(String),
}

/// Decodes `a=1&b=2` into ordered (name, value) pairs.
///
/// `+` decodes to a space, as in ASP.NET/WCF query binding (eSMS's server): a client that
/// forgets to percent-encode a literal `+` in an OTP text therefore sees its text change in the
/// recorded message, which is the bug it would have in production. Empty segments are skipped;
/// a segment without `=` is a name with an empty value.
pub(crate) fn parse_query(query: &str) -> Result<Vec<(String, String)>, QueryError> {
    let mut out: Vec<(String, String)> = Vec::new();
    for segment in query.split('&').filter(|s| !s.is_empty()) {
        let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
        let name = form_decode(name)?;
        let value = form_decode(value)?;
        if out.iter().any(|(n, _)| *n == name) {
            return Err(QueryError::Duplicate(name));
        }
        out.push((name, value));
    }
    Ok(out)
}

fn form_decode(raw: &str) -> Result<String, QueryError> {
    let spaced: Cow<'_, str> = if raw.contains('+') {
        Cow::Owned(raw.replace('+', " "))
    } else {
        Cow::Borrowed(raw)
    };
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .map(Cow::into_owned)
        .map_err(|_| QueryError::NotUtf8)
}

/// RFC 3986 unreserved characters stay; everything else is percent-encoded.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one query value (used for delivery-report URLs).
pub(crate) fn encode_query_value(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_post_head() {
        let raw = b"POST /a/b?x=1 HTTP/1.1\r\nHost: h\r\ncontent-length: 5\r\n\r\nhello";
        let (head, used) = parse_head(raw, 100).unwrap().unwrap();
        assert_eq!(head.method, Method::Post);
        assert_eq!(head.path, "/a/b");
        assert_eq!(head.query.as_deref(), Some("x=1"));
        assert_eq!(head.content_length, 5);
        assert!(head.keep_alive);
        assert_eq!(&raw[used..], b"hello");
    }

    #[test]
    fn incomplete_head_waits() {
        assert_eq!(parse_head(b"GET / HTTP/1.1\r\nHost: x\r\n", 10), Ok(None));
    }

    #[test]
    fn refuses_bad_heads() {
        let cases: &[(&[u8], FramingError)] = &[
            (b"GET /\r\n\r\n", FramingError::BadRequest),
            (b"GET / HTTP/2.0\r\n\r\n", FramingError::VersionNotSupported),
            (b"GET x HTTP/1.1\r\n\r\n", FramingError::BadRequest),
            (b"get / HTTP/1.1\r\n\r\n", FramingError::BadRequest),
            (
                b"GET / HTTP/1.1\r\nNo colon\r\n\r\n",
                FramingError::BadRequest,
            ),
            (
                b"GET / HTTP/1.1\r\n folded: x\r\n\r\n",
                FramingError::BadRequest,
            ),
            (
                b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
                FramingError::LengthRequired,
            ),
            (
                b"POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n",
                FramingError::BodyTooLarge,
            ),
            (
                b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                FramingError::BadRequest,
            ),
            (
                b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                FramingError::BadRequest,
            ),
            (
                b"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
                FramingError::BodyTooLarge,
            ),
            (b"\xff\xfe / HTTP/1.1\r\n\r\n", FramingError::BadRequest),
        ];
        for (raw, want) in cases {
            assert_eq!(
                parse_head(raw, 10),
                Err(*want),
                "{:?}",
                String::from_utf8_lossy(raw)
            );
        }
    }

    #[test]
    fn too_many_headers() {
        let mut raw = b"GET / HTTP/1.1\r\n".to_vec();
        for i in 0..=MAX_HEADERS {
            raw.extend_from_slice(format!("X-{i}: y\r\n").as_bytes());
        }
        raw.extend_from_slice(b"\r\n");
        assert_eq!(parse_head(&raw, 10), Err(FramingError::HeadTooLarge));
    }

    #[test]
    fn http10_closes_unless_asked() {
        let (h, _) = parse_head(b"GET / HTTP/1.0\r\n\r\n", 0).unwrap().unwrap();
        assert!(!h.keep_alive);
        let (h, _) = parse_head(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 0)
            .unwrap()
            .unwrap();
        assert!(h.keep_alive);
        let (h, _) = parse_head(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n", 0)
            .unwrap()
            .unwrap();
        assert!(!h.keep_alive);
    }

    #[test]
    fn query_decoding() {
        assert_eq!(
            parse_query("a=1&b=x%20y+z&&c").unwrap(),
            vec![
                ("a".to_owned(), "1".to_owned()),
                ("b".to_owned(), "x y z".to_owned()),
                ("c".to_owned(), String::new()),
            ]
        );
        assert_eq!(parse_query("a=%2B").unwrap()[0].1, "+");
        assert_eq!(parse_query("a=%ff"), Err(QueryError::NotUtf8));
        assert_eq!(
            parse_query("a=1&a=2"),
            Err(QueryError::Duplicate("a".to_owned()))
        );
    }

    #[test]
    fn response_head() {
        let r = Response::json(200, "{}").with_header("Retry-After", "3");
        let head = String::from_utf8(r.head_bytes(true)).unwrap();
        assert_eq!(
            head,
            "HTTP/1.1 200 OK\r\nServer: nhantin-emulator\r\nContent-Type: application/json\r\n\
             Retry-After: 3\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n"
        );
    }
}
