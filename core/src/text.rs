//! Message text: GSM-7 or UCS-2, segment counts, Vietnamese diacritics, the unicode policy.

use crate::error::{Error, Result};

/// The GSM 03.38 default alphabet (escape excluded). Characters here cost one septet.
const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The GSM 03.38 extension table: each costs two septets (escape + character).
const GSM7_EXTENSION: &str = "^{}\\[~]|€\u{c}";

/// How a text travels over the air.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// 7-bit default alphabet: 160 characters in one SMS, 153 per part.
    Gsm7,
    /// UTF-16: 70 characters in one SMS, 67 per part. Vietnamese with diacritics needs this.
    Ucs2,
}

/// What the caller wants done with text that does not fit GSM-7.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum UnicodePolicy {
    /// Send as Unicode exactly when the text needs it.
    #[default]
    Auto,
    /// Always flag the message as Unicode.
    Force,
    /// Remove Vietnamese diacritics (and other accents) first; refuse what still is not GSM-7.
    Strip,
    /// Refuse text that is not GSM-7 (a cost guard: Unicode parts hold 67, not 153, characters).
    Reject,
}

/// Encoding and size of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct TextAnalysis {
    /// GSM-7 when every character is in the default alphabet or its extension.
    pub encoding: Encoding,
    /// Unicode scalar values in the text.
    pub characters: usize,
    /// Septets (GSM-7, extension characters count two) or UTF-16 code units (UCS-2).
    pub units: usize,
    /// Parts a carrier bills: 1 up to 160/70 units, otherwise parts of 153/67 (an extension
    /// character or a surrogate pair is never split across parts). 0 for an empty text.
    pub segments: usize,
}

fn gsm7_cost(c: char) -> Option<usize> {
    if GSM7_BASIC.contains(c) {
        Some(1)
    } else if GSM7_EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// Whether every character is in the GSM-7 alphabet or its extension.
pub fn is_gsm7(text: &str) -> bool {
    text.chars().all(|c| gsm7_cost(c).is_some())
}

/// Encoding, length and segment count of `text`.
pub fn analyze(text: &str) -> TextAnalysis {
    let characters = text.chars().count();
    let gsm: Option<Vec<usize>> = text.chars().map(gsm7_cost).collect();
    let (encoding, costs, single, part) = match gsm {
        Some(costs) => (Encoding::Gsm7, costs, 160, 153),
        None => (
            Encoding::Ucs2,
            text.chars().map(char::len_utf16).collect(),
            70,
            67,
        ),
    };
    let units: usize = costs.iter().sum();
    let segments = if units == 0 {
        0
    } else if units <= single {
        1
    } else {
        // Greedy packing: a character that does not fit whole starts the next part.
        let (mut parts, mut used) = (1, 0);
        for cost in costs {
            if used + cost > part {
                parts += 1;
                used = 0;
            }
            used += cost;
        }
        parts
    };
    TextAnalysis {
        encoding,
        characters,
        units,
        segments,
    }
}

const VIETNAMESE: &[(&str, char)] = &[
    ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
    ("ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", 'A'),
    ("èéẻẽẹêềếểễệ", 'e'),
    ("ÈÉẺẼẸÊỀẾỂỄỆ", 'E'),
    ("ìíỉĩị", 'i'),
    ("ÌÍỈĨỊ", 'I'),
    ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
    ("ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", 'O'),
    ("ùúủũụưừứửữự", 'u'),
    ("ÙÚỦŨỤƯỪỨỬỮỰ", 'U'),
    ("ỳýỷỹỵ", 'y'),
    ("ỲÝỶỸỴ", 'Y'),
    ("đ", 'd'),
    ("Đ", 'D'),
];

/// Removes Vietnamese diacritics ("không dấu"): every tone mark, the breve, circumflex and horn,
/// and đ/Đ → d/D. Works on precomposed text and on decomposed text (combining marks U+0300–U+036F
/// are dropped, as macOS keyboards produce them). Other characters pass through unchanged.
pub fn strip_diacritics(text: &str) -> String {
    text.chars()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| {
            VIETNAMESE
                .iter()
                .find(|(set, _)| set.contains(c))
                .map_or(c, |(_, plain)| *plain)
        })
        .collect()
}

/// Text ready for a provider: possibly stripped, with the encoding the provider should be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PreparedText {
    pub text: String,
    pub unicode: bool,
}

/// Applies the policy, and refuses control characters no handset displays (NUL, ESC, …): they
/// are either a bug or an injection attempt. Tab, LF and CR stay.
pub(crate) fn prepare(field: &str, text: &str, policy: UnicodePolicy) -> Result<PreparedText> {
    if let Some(c) = text
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Error::invalid(
            field,
            format!("contains the control character U+{:04X}", u32::from(c)),
        ));
    }
    let not_gsm = |t: &str, what: &str| {
        let bad: String = t
            .chars()
            .filter(|c| gsm7_cost(*c).is_none())
            .take(5)
            .collect();
        Error::invalid(field, format!("{what} characters outside GSM-7: {bad:?}"))
    };
    match policy {
        UnicodePolicy::Auto => Ok(PreparedText {
            text: text.to_owned(),
            unicode: !is_gsm7(text),
        }),
        UnicodePolicy::Force => Ok(PreparedText {
            text: text.to_owned(),
            unicode: true,
        }),
        UnicodePolicy::Strip => {
            let stripped = strip_diacritics(text);
            if is_gsm7(&stripped) {
                Ok(PreparedText {
                    text: stripped,
                    unicode: false,
                })
            } else {
                Err(not_gsm(&stripped, "has, after removing diacritics,"))
            }
        }
        UnicodePolicy::Reject => {
            if is_gsm7(text) {
                Ok(PreparedText {
                    text: text.to_owned(),
                    unicode: false,
                })
            } else {
                Err(not_gsm(text, "has (unicode policy is reject)"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_boundaries() {
        assert_eq!(analyze("").segments, 0);
        assert_eq!(analyze(&"a".repeat(160)).segments, 1);
        assert_eq!(analyze(&"a".repeat(161)).segments, 2);
        assert_eq!(analyze(&"a".repeat(306)).segments, 2);
        assert_eq!(analyze(&"a".repeat(307)).segments, 3);
        assert_eq!(analyze(&"€".repeat(80)).units, 160);
        assert_eq!(analyze(&"€".repeat(80)).segments, 1);
        // 152 septets then a two-septet character: it moves whole to the next part.
        let mut t = "a".repeat(152);
        t.push('€');
        t.push_str(&"a".repeat(10));
        assert_eq!(analyze(&t).segments, 2);
        assert_eq!(analyze(&"ệ".repeat(70)).segments, 1);
        assert_eq!(analyze(&"ệ".repeat(71)).segments, 2);
        assert_eq!(analyze(&"ệ".repeat(134)).segments, 2);
        assert_eq!(analyze(&"ệ".repeat(135)).segments, 3);
        let emoji = analyze("😀");
        assert_eq!(
            (emoji.encoding, emoji.units, emoji.characters),
            (Encoding::Ucs2, 2, 1)
        );
    }

    #[test]
    fn strips_vietnamese() {
        assert_eq!(
            strip_diacritics("Đặng Thị Ngọc Ánh, mã OTP của bạn là 123"),
            "Dang Thi Ngoc Anh, ma OTP cua ban la 123"
        );
        assert_eq!(strip_diacritics("Tiếng Việt có dấu"), "Tieng Viet co dau");
        // Decomposed: e + circumflex + acute.
        assert_eq!(strip_diacritics("Vie\u{302}\u{301}t"), "Viet");
        assert!(is_gsm7(&strip_diacritics("ỳỷỹỵýđĐƯưƠơ")));
    }

    #[test]
    fn policies() {
        // à is in the GSM-7 default alphabet; ệ is not.
        assert!(
            !prepare("text", "Xin chào", UnicodePolicy::Auto)
                .unwrap()
                .unicode
        );
        assert!(
            prepare("text", "Tiếng Việt", UnicodePolicy::Auto)
                .unwrap()
                .unicode
        );
        assert!(
            !prepare("text", "Tieng Viet", UnicodePolicy::Auto)
                .unwrap()
                .unicode
        );
        assert_eq!(
            prepare("text", "Tiếng Việt", UnicodePolicy::Strip)
                .unwrap()
                .text,
            "Tieng Viet"
        );
        assert!(prepare("text", "Tiếng Việt 😀", UnicodePolicy::Strip).is_err());
        assert!(prepare("text", "Tiếng Việt", UnicodePolicy::Reject).is_err());
        assert!(prepare("text", "a\u{0}b", UnicodePolicy::Auto).is_err());
        assert!(prepare("text", "a\u{1b}b", UnicodePolicy::Auto).is_err());
    }
}
