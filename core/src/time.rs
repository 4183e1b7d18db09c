//! Instants without a clock: the caller passes them in; core only formats and compares them.

use std::fmt;

use crate::error::{Error, Result};

/// An instant as milliseconds since the Unix epoch (UTC).
///
/// Core never reads a clock: the caller passes "now" and schedule instants as values of this
/// type, so the same input always encodes to the same bytes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

/// Vietnam has used UTC+07:00 without daylight saving since 1975; eSMS's `SendDate` is in local
/// time (the docs do not say so; every example is a plausible local business hour).
const VIETNAM_OFFSET_SECS: i64 = 7 * 3600;

impl Timestamp {
    /// From milliseconds since the Unix epoch.
    pub const fn from_unix_millis(millis: i64) -> Self {
        Timestamp(millis)
    }

    /// From whole seconds since the Unix epoch.
    pub const fn from_unix_secs(secs: i64) -> Self {
        Timestamp(secs * 1000)
    }

    /// Milliseconds since the Unix epoch.
    pub const fn unix_millis(self) -> i64 {
        self.0
    }

    /// This instant plus `millis` (negative goes back), saturating instead of overflowing: the
    /// amounts come from providers' headers and must never panic.
    pub const fn saturating_add_millis(self, millis: i64) -> Self {
        Timestamp(self.0.saturating_add(millis))
    }

    /// Milliseconds from `earlier` to this instant (negative when `earlier` is later), saturating.
    pub const fn millis_since(self, earlier: Timestamp) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// Parses RFC 3339 (`2026-11-24T09:30:00Z`, `2026-11-24T16:30:00.250+07:00`). Fractions beyond
    /// milliseconds are truncated. Field name `field` goes into the error.
    pub fn parse_rfc3339(field: &str, text: &str) -> Result<Self> {
        let bad = || {
            Error::invalid(
                field,
                format!("{text:?} is not an RFC 3339 instant such as 2026-11-24T09:30:00Z"),
            )
        };
        let b = text.as_bytes();
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || !matches!(b[10], b'T' | b't' | b' ')
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(bad());
        }
        let num = |range: std::ops::Range<usize>| -> Result<i64> {
            let s = text.get(range).ok_or_else(bad)?;
            if !s.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            s.parse().map_err(|_| bad())
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
        // Every byte checked so far is ASCII, but the rest is read with `get`, never sliced
        // blindly: a multi-byte character must be an error, not a panic.
        let mut rest = text.get(19..).ok_or_else(bad)?;
        let mut millis = 0i64;
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(bad());
            }
            let ms: String = frac
                .get(..digits)
                .ok_or_else(bad)?
                .chars()
                .chain("000".chars())
                .take(3)
                .collect();
            millis = ms.parse().map_err(|_| bad())?;
            rest = frac.get(digits..).ok_or_else(bad)?;
        }
        let offset_secs = match rest {
            "Z" | "z" => 0,
            _ if rest.len() == 6
                && rest.is_ascii()
                && (rest.starts_with('+') || rest.starts_with('-'))
                && &rest[3..4] == ":" =>
            {
                let sign = if rest.starts_with('-') { -1 } else { 1 };
                let digits = |r: std::ops::Range<usize>| {
                    rest.get(r)
                        .filter(|d| d.bytes().all(|c| c.is_ascii_digit()))
                        .and_then(|d| d.parse::<i64>().ok())
                };
                let h = digits(1..3).ok_or_else(bad)?;
                let m = digits(4..6).ok_or_else(bad)?;
                if h > 23 || m > 59 {
                    return Err(bad());
                }
                sign * (h * 3600 + m * 60)
            }
            _ => return Err(bad()),
        };
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return Err(bad());
        }
        // A leap second is read as the last second of the minute.
        let second = second.min(59);
        let days = days_from_civil(year, month, day);
        let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
        Ok(Timestamp(secs * 1000 + millis))
    }

    /// `2024-12-20T03:33:44.757Z`: RFC 3339 in UTC with milliseconds, as InterITS's example.
    pub fn to_rfc3339_utc(self) -> String {
        let (y, mo, d, h, mi, s) = self.civil(0);
        format!(
            "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:03}Z",
            self.0.rem_euclid(1000)
        )
    }

    /// `YYYY-MM-DD HH:MM:SS` in Vietnam time (UTC+07:00), as eSMS's `SendDate` wants.
    pub fn to_vietnam_local(self) -> String {
        let (y, mo, d, h, mi, s) = self.civil(VIETNAM_OFFSET_SECS);
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
    }

    fn civil(self, offset_secs: i64) -> (i64, i64, i64, i64, i64, i64) {
        let secs = self.0.div_euclid(1000) + offset_secs;
        let (days, sod) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        (y, m, d, sod / 3600, sod % 3600 / 60, sod % 60)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.to_rfc3339_utc())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339_utc())
    }
}

/// JSON form: the RFC 3339 UTC text with milliseconds.
impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339_utc())
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Timestamp::parse_rfc3339("timestamp", &text).map_err(serde::de::Error::custom)
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let t = Timestamp::parse_rfc3339("t", "2024-12-20T03:33:44.757Z").unwrap();
        assert_eq!(t.to_rfc3339_utc(), "2024-12-20T03:33:44.757Z");
        assert_eq!(t.to_vietnam_local(), "2024-12-20 10:33:44");
        let late = Timestamp::parse_rfc3339("t", "2026-12-31T20:00:00Z").unwrap();
        assert_eq!(late.to_vietnam_local(), "2027-01-01 03:00:00");
        let local = Timestamp::parse_rfc3339("t", "2026-11-24T16:30:00+07:00").unwrap();
        assert_eq!(local.to_rfc3339_utc(), "2026-11-24T09:30:00.000Z");
        assert_eq!(
            Timestamp::from_unix_secs(0).to_rfc3339_utc(),
            "1970-01-01T00:00:00.000Z"
        );
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "2026-11-24T09:30:00+0\u{e9}00",
            "2026-11-24T09:30:00.\u{e9}Z",
            "2026-11-24T09:30:00\u{e9}",
            "\u{e9}026-11-24T09:30:00Z",
            "2026-11-24T09:30:00+-1:00",
            "2026-02-30T00:00:00Z",
            "2026-11-24",
            "2026-11-24T25:00:00Z",
            "2026-11-24T10:00:00",
            "x026-11-24T10:00:00Z",
        ] {
            assert!(Timestamp::parse_rfc3339("t", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn civil_round_trip() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
