//! Small wire helpers shared by the provider files: escaping and lenient scalar reading.

use std::borrow::Cow;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// RFC 3986 §2.3: only unreserved characters stay as they are; everything else, including
/// `& # + % =` and space, is percent-encoded as UTF-8. A `+` left raw would reach .NET as a space.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one query-string name or value.
pub fn query_encode(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// Builds `name=value&…` with every name and value encoded.
pub(crate) fn query_string(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&query_encode(name));
        out.push('=');
        out.push_str(&query_encode(value));
    }
    out
}

/// Decodes an `application/x-www-form-urlencoded` query into pairs, in order. `+` is a space
/// (the provider's callbacks come from .NET, which encodes spaces that way); invalid UTF-8 is
/// replaced rather than refused, because a delivery report must never be dropped.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    let query = query.strip_prefix('?').unwrap_or(query);
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            (form_decode(name), form_decode(value))
        })
        .collect()
}

fn form_decode(s: &str) -> String {
    let spaced = s.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

/// Escapes a value for XML character data: the five predefined entities, and `\r` as `&#13;`
/// because XML parsers normalise a raw CR (or CR LF) to LF and the text would change.
pub fn xml_escape(value: &str) -> Cow<'_, str> {
    let escaped = quick_xml::escape::escape(value);
    if escaped.contains('\r') {
        Cow::Owned(escaped.replace('\r', "&#13;"))
    } else {
        escaped
    }
}

/// The first 200 characters of a body, for error messages, with control characters shown as
/// spaces so the snippet stays on one line.
pub(crate) fn snippet(body: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(body);
    let mut out: String = text
        .chars()
        .take(MAX)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > MAX {
        out.push('…');
    }
    if out.trim().is_empty() {
        "(empty body)".to_owned()
    } else {
        out
    }
}

/// Reads a JSON scalar that providers send sometimes as a string and sometimes as a number
/// (`"100"` vs `100`), as text.
pub(crate) fn scalar_text(value: Option<&serde_json::Value>) -> Option<String> {
    match value? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A string-or-number scalar as an integer; `"5"`, `5` and `5.0` all give 5.
pub(crate) fn scalar_i64(value: Option<&serde_json::Value>) -> Option<i64> {
    match value? {
        serde_json::Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        serde_json::Value::String(s) => parse_lenient_i64(s),
        _ => None,
    }
}

/// A string-or-number scalar as a decimal.
pub(crate) fn scalar_f64(value: Option<&serde_json::Value>) -> Option<f64> {
    match value? {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A string-or-bool scalar as a bool (`true`, `"true"`, `"1"`, `1`).
pub(crate) fn scalar_bool(value: Option<&serde_json::Value>) -> Option<bool> {
    match value? {
        serde_json::Value::Bool(b) => Some(*b),
        serde_json::Value::Number(n) => n.as_i64().map(|n| n != 0),
        serde_json::Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// `"5"`, `" 5 "` and `"5.0000"` as 5; anything else as `None`.
pub(crate) fn parse_lenient_i64(s: &str) -> Option<i64> {
    let s = s.trim();
    s.parse().ok().or_else(|| {
        s.parse::<f64>()
            .ok()
            .filter(|f| f.fract() == 0.0 && f.is_finite())
            .map(|f| f as i64)
    })
}

/// Parses a body as a JSON object, or `None` for anything else (empty, HTML, an array).
pub(crate) fn json_object(body: &[u8]) -> Option<serde_json::Map<String, serde_json::Value>> {
    match serde_json::from_slice::<serde_json::Value>(body).ok()? {
        serde_json::Value::Object(map) => Some(map),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_encoding_keeps_only_unreserved() {
        assert_eq!(query_encode("a&b=c+d%e#f g"), "a%26b%3Dc%2Bd%25e%23f%20g");
        assert_eq!(query_encode("Mã OTP"), "M%C3%A3%20OTP");
        assert_eq!(query_encode("-._~AZaz09"), "-._~AZaz09");
    }

    #[test]
    fn xml_escape_keeps_carriage_returns() {
        assert_eq!(
            xml_escape("a<b>&\"'\r\n"),
            "a&lt;b&gt;&amp;&quot;&apos;&#13;\n"
        );
    }

    #[test]
    fn query_parsing_is_lenient() {
        let pairs = parse_query("?a=1&b=x+y&c=%E1%BB%87&d&=e&&f=%ZZ");
        assert_eq!(pairs[0], ("a".into(), "1".into()));
        assert_eq!(pairs[1], ("b".into(), "x y".into()));
        assert_eq!(pairs[2], ("c".into(), "ệ".into()));
        assert_eq!(pairs[3], ("d".into(), "".into()));
        assert_eq!(pairs[4], ("".into(), "e".into()));
        assert_eq!(pairs[5], ("f".into(), "%ZZ".into()));
    }
}
