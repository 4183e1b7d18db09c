//! Checks shared by the three providers: member-name vocabularies, scalar extraction from JSON,
//! and the formats of phones and dates.

use serde_json::{Map, Value};

/// Why a request is refused as malformed. The provider-facing answer never shows this text (eSMS
/// says only "Invalid request"); the emulator puts it in an `X-Emulator-Reason` header and the
/// log so that the client author can see which rule fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Invalid(pub String);

impl Invalid {
    pub fn new(reason: impl Into<String>) -> Self {
        Invalid(reason.into())
    }
}

/// Folds a member name for "is this a misspelling?" comparisons: lower-case, letters and
/// digits only, without a leading `is` and a trailing `s`. So `IsSandBox`, `Sandbox` and
/// `SANDBOX` all fold to `sandbox`, `IsUnicode`/`Unicode` to `unicode`, `Phone`/`Phones` to
/// `phone`, `OTTUrl`/`OttUrl` to `otturl`, `request_id`/`requestId` to `requestid`.
pub(crate) fn fold(name: &str) -> String {
    let lower: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let no_is = lower.strip_prefix("is").unwrap_or(&lower);
    no_is.strip_suffix('s').unwrap_or(no_is).to_owned()
}

/// Finds a member that is not in `allowed` but folds onto a name of `allowed` or `family`:
/// that is a misspelled or misplaced member (`IsSandbox` on the Viber endpoint, `OTTUrl` in
/// JSON, `Phones` on the single-phone endpoint), which the real server would silently drop and
/// which therefore must fail loudly here. Other unknown members are ignored, as WCF and
/// Laravel-style servers ignore them.
pub(crate) fn misspelled_member<'a>(
    names: impl IntoIterator<Item = &'a str>,
    allowed: &[&str],
    family: &[&str],
) -> Option<&'a str> {
    names.into_iter().find(|name| {
        if allowed.contains(name) {
            return false;
        }
        let folded = fold(name);
        allowed
            .iter()
            .chain(family)
            .any(|known| fold(known) == folded)
    })
}

/// Read access to one JSON object's members with the type rules the endpoints share.
pub(crate) struct Fields<'a> {
    obj: &'a Map<String, Value>,
    numeric_codes: bool,
}

impl<'a> Fields<'a> {
    /// Parses `body` as a JSON object.
    pub fn parse(body: &[u8]) -> Result<Map<String, Value>, Invalid> {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(Invalid::new("body is not a JSON object")),
            Err(e) => Err(Invalid(format!("body is not JSON: {e}"))),
        }
    }

    pub fn new(obj: &'a Map<String, Value>) -> Self {
        Fields {
            obj,
            numeric_codes: true,
        }
    }

    /// Whether [`Fields::code`] accepts JSON numbers (see `EsmsConfig::accept_numeric_codes`).
    pub fn numeric_codes(mut self, accept: bool) -> Self {
        self.numeric_codes = accept;
        self
    }

    pub fn names(&self) -> impl Iterator<Item = &'a str> {
        self.obj.keys().map(String::as_str)
    }

    pub fn get(&self, name: &str) -> Option<&'a Value> {
        self.obj.get(name)
    }

    /// A member that must be present as a JSON string (it may be empty).
    pub fn required_str(&self, name: &str) -> Result<String, Invalid> {
        match self.obj.get(name) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(Value::Null) | None => Err(Invalid(format!("{name} is required"))),
            Some(_) => Err(Invalid(format!("{name} must be a JSON string"))),
        }
    }

    /// An optional JSON string; absent, `null` and `""` all mean "not given".
    pub fn optional_str(&self, name: &str) -> Result<Option<String>, Invalid> {
        match self.obj.get(name) {
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Null) | None => Ok(None),
            Some(_) => Err(Invalid(format!("{name} must be a JSON string"))),
        }
    }

    /// A numeric code that eSMS's examples send as a string (`"2"`) while some of its tables
    /// say "number" (digest D-C1, D-F4). Member *names* are checked strictly elsewhere; for the
    /// *type* the emulator accepts a string or a non-negative integer, because the current Viber
    /// page types `SmsType`/`IsSandBox` as numbers, so the real server evidently takes both.
    /// Anything else (bool, float, array, object) is refused, and numbers too when the
    /// strict mode is on.
    pub fn code(&self, name: &str) -> Result<Option<String>, Invalid> {
        match self.obj.get(name) {
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) if n.is_u64() && self.numeric_codes => Ok(Some(n.to_string())),
            Some(Value::Number(_)) if !self.numeric_codes => Err(Invalid(format!(
                "{name} must be a JSON string (numeric codes are switched off)"
            ))),
            Some(Value::Null) | None => Ok(None),
            Some(_) => Err(Invalid(format!("{name} must be a string or an integer"))),
        }
    }

    /// An array of JSON strings.
    pub fn string_array(&self, name: &str) -> Result<Vec<String>, Invalid> {
        match self.obj.get(name) {
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.clone()),
                    _ => Err(Invalid(format!("{name} must hold JSON strings only"))),
                })
                .collect(),
            Some(Value::Null) | None => Err(Invalid(format!("{name} is required"))),
            Some(_) => Err(Invalid(format!("{name} must be a JSON array"))),
        }
    }
}

/// `0` followed by nine digits: the national format every provider example uses (digest §6).
pub(crate) fn is_national_phone(phone: &str) -> bool {
    phone.len() == 10 && phone.starts_with('0') && phone.bytes().all(|b| b.is_ascii_digit())
}

/// eSMS `SendDate`: `YYYY-MM-DD HH:MM:SS`, 24-hour, zero-padded (digest D-C7).
pub(crate) fn is_esms_send_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 19 && b[10] == b' ' && is_date(&b[..10]) && is_time(&b[11..19])
}

/// Seconds since the Unix epoch of an eSMS `YYYY-MM-DD HH:MM:SS` time read as Vietnam time
/// (UTC+7 all year; Vietnam has no daylight saving), the zone eSMS's dates are written in.
pub(crate) fn esms_local_to_unix_secs(s: &str) -> Option<i64> {
    if !is_esms_send_date(s) {
        return None;
    }
    let b = s.as_bytes();
    let n = |from: usize, to: usize| num(&b[from..to]).map(i64::from);
    let days = days_from_civil(n(0, 4)?, n(5, 7)?, n(8, 10)?);
    let secs = n(11, 13)? * 3600 + n(14, 16)? * 60 + n(17, 19)?;
    Some(days * 86_400 + secs - 7 * 3600)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`), so that
/// no date crate is needed for one conversion.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`] (H. Hinnant's `civil_from_days`), applied to Unix
/// seconds: (year, month, day, hour, minute, second) in UTC.
pub(crate) fn civil_from_unix_secs(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    let rem = rem as u32;
    (year, month, day, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// `dd/MM/yyyy HH:mm:ss` in Vietnam time (UTC+7) of Unix milliseconds: the date eSMS appends
/// to a form-2 `error_info` (Zalo digest §4.5).
pub(crate) fn vn_report_time(unix_ms: u64) -> String {
    let secs = i64::try_from(unix_ms / 1000).unwrap_or(i64::MAX - 7 * 3600) + 7 * 3600;
    let (y, mo, d, h, mi, s) = civil_from_unix_secs(secs);
    format!("{d:02}/{mo:02}/{y:04} {h:02}:{mi:02}:{s:02}")
}

/// RFC 3339 in UTC with a `Z` and milliseconds, as InterITS writes times.
pub(crate) fn rfc3339_utc(unix_ms: u64) -> String {
    let secs = i64::try_from(unix_ms / 1000).unwrap_or(i64::MAX);
    let (y, mo, d, h, mi, s) = civil_from_unix_secs(secs);
    format!(
        "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:03}Z",
        unix_ms % 1000
    )
}

/// RFC 3339 in UTC with a `Z` and optional fractional seconds, as InterITS's example
/// `2024-12-20T03:33:44.757Z` (digest D-B6).
pub(crate) fn is_rfc3339_utc(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20 || b[10] != b'T' || b[b.len() - 1] != b'Z' {
        return false;
    }
    if !is_date(&b[..10]) || !is_time(&b[11..19]) {
        return false;
    }
    match &b[19..b.len() - 1] {
        [] => true,
        [b'.', digits @ ..] => {
            !digits.is_empty() && digits.len() <= 9 && digits.iter().all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

fn num(b: &[u8]) -> Option<u32> {
    if b.iter().all(u8::is_ascii_digit) {
        std::str::from_utf8(b).ok()?.parse().ok()
    } else {
        None
    }
}

fn is_date(b: &[u8]) -> bool {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    match (num(&b[..4]), num(&b[5..7]), num(&b[8..10])) {
        (Some(y), Some(m), Some(d)) => {
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => return false,
            };
            y >= 1970 && (1..=days).contains(&d)
        }
        _ => false,
    }
}

fn is_time(b: &[u8]) -> bool {
    if b.len() != 8 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    matches!(
        (num(&b[..2]), num(&b[3..5]), num(&b[6..8])),
        (Some(h), Some(m), Some(s)) if h < 24 && m < 60 && s < 60
    )
}

/// Whether `url` is an absolute `http://` or `https://` URL with a host: the only kind of
/// callback URL a correct client sends.
pub(crate) fn is_http_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"));
    match rest {
        Some(rest) => {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
            !authority.is_empty() && !url.bytes().any(|b| b <= b' ' || b == 0x7f)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_catches_the_documented_misspellings() {
        let allowed = ["ApiKey", "IsSandBox", "OttUrl", "Phones"];
        let family = ["Sandbox", "Phone"];
        assert_eq!(
            misspelled_member(["IsSandbox"], &allowed, &family),
            Some("IsSandbox")
        );
        assert_eq!(
            misspelled_member(["Sandbox"], &allowed, &family),
            Some("Sandbox")
        );
        assert_eq!(
            misspelled_member(["OTTUrl"], &allowed, &family),
            Some("OTTUrl")
        );
        assert_eq!(
            misspelled_member(["Phone"], &allowed, &family),
            Some("Phone")
        );
        assert_eq!(
            misspelled_member(["apikey"], &allowed, &family),
            Some("apikey")
        );
        assert_eq!(
            misspelled_member(["ApiKey", "Whatever"], &allowed, &family),
            None
        );
    }

    #[test]
    fn phones() {
        assert!(is_national_phone("0901234567"));
        for bad in [
            "901234567",
            "84901234567",
            "+84901234567",
            "09012345678",
            "090123456x",
            "",
        ] {
            assert!(!is_national_phone(bad), "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert!(is_esms_send_date("2024-02-29 23:59:59"));
        assert!(!is_esms_send_date("2023-02-29 10:00:00"));
        assert!(!is_esms_send_date("2024-01-01T10:00:00"));
        assert!(!is_esms_send_date("2024-01-01 24:00:00"));
        assert!(!is_esms_send_date("2024/01/01 10:00:00"));
        assert!(is_rfc3339_utc("2024-12-20T03:33:44.757Z"));
        assert!(is_rfc3339_utc("2024-12-20T03:33:44Z"));
        assert!(!is_rfc3339_utc("2024-12-20T03:33:44+07:00"));
        assert!(!is_rfc3339_utc("2024-12-20T03:33:44.Z"));
        assert!(!is_rfc3339_utc("2024-12-20 03:33:44Z"));
    }

    #[test]
    fn vietnam_time_to_unix() {
        assert_eq!(esms_local_to_unix_secs("1970-01-01 07:00:00"), Some(0));
        // The `SentTime` of the GetSmsSentData_V2 sample, 1705484048995 ms, read back.
        assert_eq!(
            esms_local_to_unix_secs("2024-01-17 16:34:08"),
            Some(1_705_484_048)
        );
        assert_eq!(
            esms_local_to_unix_secs("2024-03-01 00:00:00"),
            Some(1_709_226_000)
        );
        assert_eq!(esms_local_to_unix_secs("2024-02-30 00:00:00"), None);
        assert_eq!(esms_local_to_unix_secs("2024-01-17T16:34:08"), None);
    }

    #[test]
    fn civil_times() {
        // The journey report sample's suffix and GetSmsSentData_V2's SentTime, read forwards.
        assert_eq!(vn_report_time(1_705_484_048_995), "17/01/2024 16:34:08");
        assert_eq!(vn_report_time(0), "01/01/1970 07:00:00");
        assert_eq!(rfc3339_utc(1_705_484_048_995), "2024-01-17T09:34:08.995Z");
        for secs in [0i64, 951_782_400, 1_709_226_000, 4_102_444_799] {
            let (y, mo, d, h, mi, s) = civil_from_unix_secs(secs);
            let back = days_from_civil(y, i64::from(mo), i64::from(d)) * 86_400
                + i64::from(h * 3600 + mi * 60 + s);
            assert_eq!(back, secs);
        }
    }

    #[test]
    fn urls() {
        assert!(is_http_url("http://127.0.0.1:9/dlr?a=1"));
        assert!(is_http_url("https://example.vn"));
        assert!(!is_http_url("ftp://x"));
        assert!(!is_http_url("http://"));
        assert!(!is_http_url("http://a b"));
    }
}
