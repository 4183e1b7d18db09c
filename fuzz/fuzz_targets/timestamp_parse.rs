//! `Timestamp::parse_rfc3339`: any text is an instant or an invalid-input error; an instant
//! passes `nhantin_fuzz::check_timestamp` (prints, and reads back as itself). Input: the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nhantin_core::{Error, Timestamp};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Timestamp::parse_rfc3339("t", text) {
        Ok(t) => nhantin_fuzz::check_timestamp(t),
        Err(e) => {
            nhantin_fuzz::check_error(&e);
            assert!(matches!(e, Error::InvalidInput { .. }), "{e:?}");
        }
    }
});
