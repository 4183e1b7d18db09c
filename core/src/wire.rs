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

/// Masks what looks like a phone number: in every run of 7 or more digits (a `+`, spaces, dots
/// and dashes may sit between them), all but the first three and the last three digits become
/// `*`; shorter runs are left alone. Provider answers and proxy pages may echo a recipient.
/// Digits of every script count (a fullwidth `０９１…` pasted from a spreadsheet is a phone too).
pub fn mask_phones(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_numeric() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // A run: digits, with single separators between digits.
        let mut end = i;
        let mut digits = 0;
        let mut j = i;
        while j < chars.len() {
            if chars[j].is_numeric() {
                digits += 1;
                end = j + 1;
                j += 1;
            } else if matches!(chars[j], ' ' | '.' | '-')
                && chars.get(j + 1).is_some_and(|c| c.is_numeric())
            {
                j += 1;
            } else {
                break;
            }
        }
        let mut seen = 0;
        for &c in &chars[i..end] {
            if c.is_numeric() {
                seen += 1;
                out.push(if digits >= 7 && seen > 3 && seen <= digits - 3 {
                    '*'
                } else {
                    c
                });
            } else {
                out.push(c);
            }
        }
        i = end;
    }
    out
}

/// A provider's own message (`ErrorMessage`, `message`) as nhantin passes it on: it may echo a
/// recipient or a request parameter, so phones and echoed keys/texts are masked as in a snippet.
pub(crate) fn provider_text(message: String) -> String {
    mask_phones(&mask_echoed_parameters(&message))
}

/// Hides the values of the request parameters that carry keys and texts (`ApiKey=…`,
/// `"SecretKey":"…"`, `Content=…`) wherever an answer echoes them: a proxy page may quote the
/// request URL, and a decoder without the request cannot mask them by value.
pub(crate) fn mask_echoed_parameters(text: &str) -> String {
    const NAMES: [&str; 6] = [
        "ApiKey",
        "SecretKey",
        "Content",
        "API-KEY",
        "api_token",
        "Authorization",
    ];
    let mut out = text.to_owned();
    for name in NAMES {
        // A key has no spaces, so a space ends it; a text has them, and an echo that decoded the
        // URL (`Content=Ma OTP 778899`) shows it with spaces: it runs to the next parameter.
        let query_ends: &[char] = if name == "Content" {
            &['&', '"', '\'', '<', '\n']
        } else {
            &['&', ' ', '"', '\'', '<', '\n']
        };
        for (sep, ends) in [
            ("=", query_ends),
            ("\":\"", &['"'][..]),
            (": ", &['\n', '\r', '<'][..]),
        ] {
            let key = format!("{name}{sep}");
            let mut from = 0;
            while let Some(pos) = out[from..].find(&key) {
                let start = from + pos + key.len();
                let end = out[start..]
                    .find(|c: char| ends.contains(&c))
                    .map_or(out.len(), |e| start + e);
                out.replace_range(start..end, "***");
                from = start + 3;
            }
        }
    }
    out
}

/// Masks a log line written by code that does not know what is secret (an HTTP library quoting
/// a URL or a header): phone-like digit runs, and the values of the parameters that carry keys
/// and texts.
pub fn mask_log_line(text: &str) -> String {
    mask_phones(&mask_echoed_parameters(text))
}

/// Masks a caller's phone input for an error message: like [`mask_phones`], and inputs of
/// fewer than 7 digits are masked whole (they are still someone's digits).
pub(crate) fn masked_input(input: &str) -> String {
    let digits = input.chars().filter(|c| c.is_numeric()).count();
    if digits >= 7 {
        mask_phones(input)
    } else {
        input
            .chars()
            .map(|c| if c.is_numeric() { '*' } else { c })
            .collect()
    }
}

/// Why a JSON document does not have the documented shape, without repeating the value that was
/// wrong (serde quotes it, and it may be a key or a message text): field and variant names are
/// kept, values dropped (an unknown variant is a value the caller typed, so it is dropped too).
pub fn json_error_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let names_only = ["unknown field", "missing field", "duplicate field"];
    if e.is_data() && !names_only.iter().any(|p| text.starts_with(p)) {
        let expected = text
            .split_once(", expected")
            .map(|(_, rest)| rest.trim())
            .unwrap_or("");
        let kind = text
            .split_once(':')
            .map(|(k, _)| k.trim())
            .unwrap_or("invalid value");
        return if expected.is_empty() {
            format!(
                "{kind} (the value is not repeated here) at line {} column {}",
                e.line(),
                e.column()
            )
        } else {
            format!("{kind} (the value is not repeated here), expected {expected}")
        };
    }
    if e.is_syntax() || e.is_eof() {
        return format!("not valid JSON at line {} column {}", e.line(), e.column());
    }
    text
}

/// The first 200 characters of a body, for error messages, with control characters shown as
/// spaces so the snippet stays on one line, and phone numbers masked.
pub(crate) fn snippet(body: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(body.strip_prefix(BOM).unwrap_or(body));
    let text = mask_phones(&mask_echoed_parameters(&text));
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
    // A float only where every integer is exact (2^53): beyond it `as` would saturate, and a
    // count of 10^23 would read as i64::MAX instead of as unreadable.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    s.parse().ok().or_else(|| {
        s.parse::<f64>()
            .ok()
            .filter(|f| f.fract() == 0.0 && f.abs() <= EXACT)
            .map(|f| f as i64)
    })
}

/// A UTF-8 byte-order mark, which .NET services (eSMS runs WCF) put before JSON.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Parses a body as a JSON object, or `None` for anything else (empty, HTML, an array). A leading
/// byte-order mark and surrounding whitespace are accepted.
pub(crate) fn json_object(body: &[u8]) -> Option<serde_json::Map<String, serde_json::Value>> {
    let body = body.strip_prefix(BOM).unwrap_or(body);
    match serde_json::from_slice::<serde_json::Value>(body).ok()? {
        serde_json::Value::Object(map) => Some(map),
        _ => None,
    }
}

/// A member of a JSON object by name: the exact spelling first, then ignoring ASCII case (eSMS
/// spells the same member differently between its pages and its answers, ZALO.md D-Z6).
pub fn get_ci<'a>(
    map: &'a serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> Option<&'a serde_json::Value> {
    map.get(name).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_masked_and_short_numbers_kept() {
        assert_eq!(
            mask_phones("to 0912345678 and +84 912 345 678, code 778899"),
            "to 091****678 and +84 9** *** 678, code 778899"
        );
        assert_eq!(mask_phones("HTTP 500 at 12:30"), "HTTP 500 at 12:30");
        assert_eq!(masked_input("0912"), "****");
        assert_eq!(masked_input("0166 234 5678"), "016* *** *678");
    }

    #[test]
    fn a_log_line_loses_phones_and_echoed_parameters() {
        assert_eq!(
            mask_log_line(r#"POST {"ApiKey":"K1","Phone":"84912345678"}"#),
            r#"POST {"ApiKey":"***","Phone":"849*****678"}"#
        );
    }

    #[test]
    fn echoed_keys_and_texts_are_hidden() {
        let page = "<html>502 for /x?Phone=0912345678&Content=OTP%20778899&ApiKey=K3y&SecretKey=S3c</html> {\"ApiKey\":\"K3y\"}";
        assert_eq!(mask_echoed_parameters(page), "<html>502 for /x?Phone=0912345678&Content=***&ApiKey=***&SecretKey=***</html> {\"ApiKey\":\"***\"}");
        assert!(!snippet(page.as_bytes()).contains("0912345678"));
        // A proxy page that decoded the URL shows the text with its spaces: all of it is hidden.
        let decoded = "<p>…&Phone=0912345678&Content=Ma OTP 778899&ApiKey=K3y key</p>";
        assert_eq!(
            mask_echoed_parameters(decoded),
            "<p>…&Phone=0912345678&Content=***&ApiKey=*** key</p>"
        );
    }

    #[test]
    fn json_errors_do_not_repeat_values() {
        let e = serde_json::from_str::<std::collections::BTreeMap<String, String>>(
            r#"{"secret_key": 12345}"#,
        )
        .unwrap_err();
        let reason = json_error_reason(&e);
        assert!(
            !reason.contains("12345") && reason.contains("expected"),
            "{reason}"
        );
        let e =
            serde_json::from_str::<std::collections::BTreeMap<String, String>>(r#"{"k": "S3cret"#)
                .unwrap_err();
        assert!(!json_error_reason(&e).contains("S3cret"));
    }

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
