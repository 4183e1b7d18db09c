//! Validated newtypes for ids, names, secrets and URLs. Each checks its limits in `new`, so bad
//! input is refused with a typed error before anything is encoded.

use std::fmt;

use crate::error::{Error, Result};

/// The caller's idempotency key for a send: 1 to 50 printable ASCII characters, no spaces.
///
/// eSMS blocks a repeated `RequestId` for 24 h (code 124), which is what makes a transport retry
/// of an eSMS send safe. InterITS documents no rule; nhantin keeps the same budget so one key type
/// serves every provider (digest D-B10, D-C6).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct RequestId(String);

impl RequestId {
    /// The most characters eSMS accepts.
    pub const MAX_LEN: usize = 50;

    /// Checks length and alphabet.
    pub fn new(value: impl Into<String>) -> Result<Self> {
        let value = value.into();
        if value.is_empty() {
            return Err(Error::invalid("request_id", "is empty"));
        }
        if value.len() > Self::MAX_LEN {
            return Err(Error::invalid(
                "request_id",
                format!(
                    "has {} characters; eSMS accepts at most {}",
                    value.chars().count(),
                    Self::MAX_LEN
                ),
            ));
        }
        if let Some(bad) = value.chars().find(|c| !c.is_ascii_graphic()) {
            return Err(Error::invalid(
                "request_id",
                format!("contains {bad:?}; only printable ASCII without spaces is allowed"),
            ));
        }
        Ok(RequestId(value))
    }

    /// The id as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RequestId({:?})", self.0)
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A registered sender name: 1 to 11 printable ASCII characters (the Vietnamese carriers' rule),
/// no leading or trailing space.
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Brandname(String);

impl Brandname {
    /// The carriers' limit.
    pub const MAX_LEN: usize = 11;

    /// Checks length and alphabet.
    pub fn new(value: impl Into<String>) -> Result<Self> {
        let value = value.into();
        if value.is_empty() {
            return Err(Error::invalid("sender", "is empty"));
        }
        if let Some(bad) = value.chars().find(|c| !(c.is_ascii_graphic() || *c == ' ')) {
            return Err(Error::invalid(
                "sender",
                format!("contains {bad:?}; a brandname is printable ASCII"),
            ));
        }
        if value.len() > Self::MAX_LEN {
            return Err(Error::invalid(
                "sender",
                format!(
                    "has {} characters; a brandname has at most {}",
                    value.len(),
                    Self::MAX_LEN
                ),
            ));
        }
        if value.trim() != value {
            return Err(Error::invalid("sender", "has leading or trailing spaces"));
        }
        Ok(Brandname(value))
    }

    /// The name as registered.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Brandname {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Brandname({:?})", self.0)
    }
}

/// A credential (API key, secret key, bearer token). `Debug` and `Display` print `***`, so a
/// secret cannot reach a log by accident; [`Secret::expose`] is the one way to read it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Refuses empty values, whitespace at either end (a copy-paste slip that would fail as
    /// "wrong key" far from its cause) and control characters (they would break a header).
    pub fn new(field: &str, value: impl Into<String>) -> Result<Self> {
        let value = value.into();
        if value.is_empty() {
            return Err(Error::invalid(field, "is empty"));
        }
        if value.trim() != value {
            return Err(Error::invalid(field, "has leading or trailing whitespace"));
        }
        if value.chars().any(char::is_control) {
            return Err(Error::invalid(field, "contains a control character"));
        }
        if value.len() > 512 {
            return Err(Error::invalid(field, "is longer than 512 bytes"));
        }
        Ok(Secret(value))
    }

    /// The secret itself, for encoding only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// An absolute `http` or `https` URL without whitespace or control characters, at most 2048
/// bytes. Used for callback and button URLs, where plain http is the customer's choice.
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct HttpUrl(String);

impl HttpUrl {
    /// Checks scheme, host and characters.
    pub fn new(field: &str, value: impl Into<String>) -> Result<Self> {
        let value = value.into();
        check_url(field, &value, &["http://", "https://"])?;
        Ok(HttpUrl(value))
    }

    /// The URL as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for HttpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HttpUrl({:?})", self.0)
    }
}

/// An absolute `https` URL (Viber images must be served over https).
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct HttpsUrl(String);

impl HttpsUrl {
    /// Checks scheme, host and characters.
    pub fn new(field: &str, value: impl Into<String>) -> Result<Self> {
        let value = value.into();
        check_url(field, &value, &["https://"])?;
        Ok(HttpsUrl(value))
    }

    /// The URL as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for HttpsUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HttpsUrl({:?})", self.0)
    }
}

/// Where a provider's API lives: scheme, host and an optional path prefix, kept without a
/// trailing slash. Plain `http` is accepted here because core cannot know whether the target
/// is the loopback emulator; the transport refuses it unless insecure mode is switched on.
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Checks the URL and drops a trailing slash and any query or fragment mistake.
    pub fn new(value: impl Into<String>) -> Result<Self> {
        let value = value.into();
        check_url("base_url", &value, &["http://", "https://"])?;
        if value.contains('?') || value.contains('#') {
            return Err(Error::invalid(
                "base_url",
                "must not have a query or fragment",
            ));
        }
        // No provider authenticates by URL credentials, and an account is printed with its base
        // URL (Debug, the bindings' repr): a password there would be shown.
        let authority = value.split("://").nth(1).unwrap_or("").split('/').next();
        if authority.is_some_and(|a| a.contains('@')) {
            return Err(Error::invalid(
                "base_url",
                "must not carry a user name or password (user:password@host): no provider authenticates that way, and it would be printed with the account",
            ));
        }
        Ok(BaseUrl(value.trim_end_matches('/').to_owned()))
    }

    /// The base without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether requests to it travel in clear text.
    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }

    pub(crate) fn join(&self, path: &str) -> String {
        format!("{}/{}", self.0, path.trim_start_matches('/'))
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaseUrl({:?})", self.0)
    }
}

fn check_url(field: &str, value: &str, schemes: &[&str]) -> Result<()> {
    let lower = value.to_ascii_lowercase();
    let Some(scheme) = schemes.iter().find(|s| lower.starts_with(**s)) else {
        return Err(Error::invalid(
            field,
            format!("must start with {}", schemes.join(" or ")),
        ));
    };
    let rest = &value[scheme.len()..];
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') {
        return Err(Error::invalid(field, "has no host"));
    }
    if let Some(bad) = value.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            field,
            format!("contains {bad:?}; percent-encode it"),
        ));
    }
    if value.len() > 2048 {
        return Err(Error::invalid(field, "is longer than 2048 bytes"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_id_limits() {
        assert!(RequestId::new("a".repeat(50)).is_ok());
        assert!(RequestId::new("a".repeat(51)).is_err());
        assert!(RequestId::new("has space").is_err());
        assert!(RequestId::new("").is_err());
        assert!(RequestId::new("mã").is_err());
    }

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("api_key", "K123").unwrap();
        assert_eq!(format!("{s} {s:?}"), "*** Secret(***)");
        assert!(Secret::new("api_key", " K").is_err());
    }

    #[test]
    fn urls() {
        assert!(HttpsUrl::new("f", "http://x.vn/a.png").is_err());
        assert!(HttpsUrl::new("f", "https://x.vn/a.png").is_ok());
        assert!(HttpUrl::new("f", "https:///nohost").is_err());
        assert!(HttpUrl::new("f", "https://x.vn/a b").is_err());
        assert_eq!(
            BaseUrl::new("https://x.vn/api/").unwrap().as_str(),
            "https://x.vn/api"
        );
    }
}
