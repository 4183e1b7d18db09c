//! `analyze` and `strip_diacritics`: any text is measured and stripped without panicking; the
//! counts are consistent (a unit or more per character; no segment exactly when no unit), and
//! stripping never makes a GSM-7 text need UCS-2. Input: the text, as UTF-8.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nhantin_core::{analyze, strip_diacritics, Encoding};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let analysis = analyze(text);
    let _ = format!("{analysis:?}");
    assert_eq!(analysis.characters, text.chars().count());
    assert!(analysis.units >= analysis.characters, "{analysis:?}");
    assert_eq!(analysis.units == 0, analysis.segments == 0, "{analysis:?}");
    let stripped = strip_diacritics(text);
    if analysis.encoding == Encoding::Gsm7 {
        assert_eq!(
            analyze(&stripped).encoding,
            Encoding::Gsm7,
            "{text:?} -> {stripped:?}"
        );
    }
});
