//! Vietnamese mobile numbers: normalisation, the 2018 11-digit conversion, carriers by prefix.

use std::fmt;

use crate::error::{Error, Result};

/// A Vietnamese mobile number, held as its 9-digit national significant number (NSN).
///
/// [`PhoneNumber::parse`] accepts `0…`, `84…`, `+84…` and `0084…` with spaces, dots, dashes and
/// brackets, and refuses legacy 11-digit `01xx` numbers with the converted number in the error:
/// a recipient is never rewritten silently.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneNumber {
    nsn: String,
}

/// How a provider wants a number written.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum PhoneFormat {
    /// `0912345678`: every provider example uses this.
    #[default]
    National,
    /// `84912345678`: MSISDN without a plus.
    International,
    /// `+84912345678`.
    E164,
}

/// The network a number was issued by. Numbers can be ported, so this is a hint; eSMS reports
/// the real network in its delivery reports (`telcoid`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    /// Viettel (eSMS telcoid 1).
    Viettel,
    /// MobiFone (2).
    Mobifone,
    /// Vinaphone (3).
    Vinaphone,
    /// Vietnamobile (4).
    Vietnamobile,
    /// Gmobile / Gtel (5).
    Gmobile,
    /// Itel / Indochina Telecom (6).
    Itel,
    /// Reddi / Mobicast (7).
    Reddi,
    /// A valid mobile prefix nhantin does not know yet (new blocks keep being allocated).
    Unknown,
}

impl Carrier {
    /// The carrier for an eSMS `telcoid`.
    pub fn from_esms_telco_id(id: i64) -> Option<Carrier> {
        Some(match id {
            1 => Carrier::Viettel,
            2 => Carrier::Mobifone,
            3 => Carrier::Vinaphone,
            4 => Carrier::Vietnamobile,
            5 => Carrier::Gmobile,
            6 => Carrier::Itel,
            7 => Carrier::Reddi,
            _ => return None,
        })
    }
}

/// Old 11-digit prefixes (NSN, without the leading 0) and their 10-digit replacements,
/// converted between 15 Sep 2018 and 30 Jun 2019; the last 7 digits were kept.
const LEGACY_PREFIXES: &[(&str, &str)] = &[
    ("120", "70"),
    ("121", "79"),
    ("122", "77"),
    ("126", "76"),
    ("128", "78"),
    ("123", "83"),
    ("124", "84"),
    ("125", "85"),
    ("127", "81"),
    ("129", "82"),
    ("162", "32"),
    ("163", "33"),
    ("164", "34"),
    ("165", "35"),
    ("166", "36"),
    ("167", "37"),
    ("168", "38"),
    ("169", "39"),
    ("186", "56"),
    ("188", "58"),
    ("199", "59"),
];

impl PhoneNumber {
    /// Normalises and validates a number; `field` names it in the error (`recipients[3]`).
    ///
    /// ```
    /// use nhantin_core::{Carrier, PhoneNumber};
    /// let n = PhoneNumber::parse("phone", "(+84) 91 234-5678").unwrap();
    /// assert_eq!((n.national(), n.carrier()), ("0912345678".to_owned(), Carrier::Vinaphone));
    /// let legacy = PhoneNumber::parse("phone", "01662345678").unwrap_err();
    /// assert!(legacy.to_string().contains("036****678")); // the new number, masked
    /// ```
    pub fn parse(field: &str, input: &str) -> Result<Self> {
        // Errors never repeat a number whole: they end up in logs.
        let shown = crate::wire::masked_input(input);
        let mut digits = String::with_capacity(input.len());
        let mut plus = false;
        for c in input.trim().chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '.' | '-' | '(' | ')' | '\u{a0}' => {}
                '+' if digits.is_empty() && !plus => plus = true,
                _ => return Err(Error::invalid(field, format!("{shown:?} contains {c:?}; a phone number has digits, spaces, dots, dashes and brackets"))),
            }
        }
        if digits.is_empty() {
            return Err(Error::invalid(field, "is empty"));
        }
        let national = if plus {
            match digits.strip_prefix("84") {
                Some(rest) => rest
                    .strip_prefix('0')
                    .filter(|r| r.len() == 9)
                    .unwrap_or(rest),
                None => {
                    return Err(Error::invalid(
                        field,
                        format!("{shown:?} is not a Vietnamese number (+84)"),
                    ))
                }
            }
        } else if let Some(rest) = digits.strip_prefix("0084") {
            rest
        } else if let Some(rest) = digits.strip_prefix('0') {
            rest
        } else if let Some(rest) = digits.strip_prefix("84").filter(|r| r.len() >= 9) {
            rest
        } else {
            return Err(Error::invalid(
                field,
                format!("{shown:?} has no 0, 84, +84 or 0084 prefix"),
            ));
        };
        if national.len() == 10 && national.starts_with('1') {
            let converted = LEGACY_PREFIXES
                .iter()
                .find(|(old, _)| national.starts_with(old))
                .map(|(old, new)| format!("0{new}{}", &national[old.len()..]));
            return Err(Error::invalid(
                field,
                match converted {
                    Some(new) => {
                        format!(
                            "{shown:?} is a pre-2018 11-digit number; it is now {}",
                            crate::wire::mask_phones(&new)
                        )
                    }
                    None => {
                        format!("{shown:?} is an 11-digit number that was never a mobile prefix")
                    }
                },
            ));
        }
        if national.len() != 9 {
            return Err(Error::invalid(
                field,
                format!("{shown:?} has {} digits after the prefix; a Vietnamese mobile number has 9 (0 + 9 digits)", national.len()),
            ));
        }
        if !matches!(national.as_bytes()[0], b'3' | b'5' | b'7' | b'8' | b'9') {
            return Err(Error::invalid(
                field,
                format!(
                    "{shown:?} is not a mobile number (mobile numbers start 03, 05, 07, 08 or 09)"
                ),
            ));
        }
        Ok(PhoneNumber {
            nsn: national.to_owned(),
        })
    }

    /// The number in the given format.
    pub fn format(&self, format: PhoneFormat) -> String {
        match format {
            PhoneFormat::National => format!("0{}", self.nsn),
            PhoneFormat::International => format!("84{}", self.nsn),
            PhoneFormat::E164 => format!("+84{}", self.nsn),
        }
    }

    /// `0912345678`.
    pub fn national(&self) -> String {
        self.format(PhoneFormat::National)
    }

    /// `091****678`: for logs, where a whole number is personal data.
    pub fn masked(&self) -> String {
        let n = self.national();
        format!("{}****{}", &n[..3], &n[7..])
    }

    /// The network that issued the prefix.
    pub fn carrier(&self) -> Carrier {
        let p2 = &self.nsn[..2];
        let p3 = &self.nsn[..3];
        match p2 {
            "86" | "96" | "97" | "98" | "32" | "33" | "34" | "35" | "36" | "37" | "38" | "39" => {
                Carrier::Viettel
            }
            "89" | "90" | "93" | "70" | "76" | "77" | "78" | "79" => Carrier::Mobifone,
            "88" | "91" | "94" | "81" | "82" | "83" | "84" | "85" => Carrier::Vinaphone,
            "87" => Carrier::Itel,
            "92" | "52" | "56" | "58" => Carrier::Vietnamobile,
            "59" => Carrier::Gmobile,
            "99" if p3 == "998" || p3 == "999" => Carrier::Itel,
            "99" => Carrier::Gmobile,
            "55" => Carrier::Reddi,
            _ => Carrier::Unknown,
        }
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber({})", self.masked())
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.national())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<String> {
        PhoneNumber::parse("phone", s).map(|p| p.national())
    }

    #[test]
    fn accepts_every_written_form() {
        for s in [
            "0912345678",
            "84912345678",
            "+84912345678",
            "0084912345678",
            "+84 91 234 5678",
            "(091) 234.56-78",
            "+84 0912345678",
        ] {
            assert_eq!(p(s).unwrap(), "0912345678", "{s}");
        }
        // 084… is a national Vinaphone number, not a country code.
        assert_eq!(p("0841234567").unwrap(), "0841234567");
    }

    #[test]
    fn refuses_legacy_numbers_with_the_new_one() {
        let err = p("01662345678").unwrap_err();
        assert!(err.to_string().contains("036****678"), "{err}");
        let err = p("+841202345678").unwrap_err();
        assert!(err.to_string().contains("070****678"), "{err}");
    }

    #[test]
    fn refuses_non_mobiles_and_garbage() {
        for s in [
            "",
            "0241234567",
            "091234567",
            "09123456789",
            "+1 912345678",
            "09l2345678",
            "912345678",
        ] {
            assert!(p(s).is_err(), "{s}");
        }
    }

    /// Digits of other scripts (fullwidth from a spreadsheet, Arabic-Indic) are refused, and
    /// the refusal masks them as it masks ASCII digits.
    #[test]
    fn a_refused_phone_in_other_digits_is_masked_in_the_error() {
        for (input, shown) in [
            ("０９１２３４５６７８", "０９１****６７８"),
            ("٠٩١٢٣٤٥٦٧٨", "٠٩١****٦٧٨"),
        ] {
            let reason = match PhoneNumber::parse("phone", input) {
                Err(Error::InvalidInput { reason, .. }) => reason,
                other => panic!("{other:?}"),
            };
            assert!(
                reason.starts_with(&format!("{shown:?} contains")),
                "{reason}"
            );
            assert!(!reason.contains(input), "{reason}");
        }
    }

    #[test]
    fn carriers_and_masking() {
        let n = PhoneNumber::parse("p", "0912345678").unwrap();
        assert_eq!(n.carrier(), Carrier::Vinaphone);
        assert_eq!(n.masked(), "091****678");
        assert_eq!(
            PhoneNumber::parse("p", "0362345678").unwrap().carrier(),
            Carrier::Viettel
        );
        assert_eq!(
            PhoneNumber::parse("p", "0702345678").unwrap().carrier(),
            Carrier::Mobifone
        );
        assert_eq!(
            PhoneNumber::parse("p", "0512345678").unwrap().carrier(),
            Carrier::Unknown
        );
    }
}
