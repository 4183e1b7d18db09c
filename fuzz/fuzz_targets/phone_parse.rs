//! `PhoneNumber::parse`: any text is a number or an invalid-input error on the named field.
//! A number's three written forms each read back as the same number; the national form is ten
//! digits from `0`, and the masked form hides the middle. Input: the text, as UTF-8.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nhantin_core::{Error, PhoneFormat, PhoneNumber};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    match PhoneNumber::parse("phone", input) {
        Ok(phone) => {
            for format in [
                PhoneFormat::National,
                PhoneFormat::International,
                PhoneFormat::E164,
            ] {
                let text = phone.format(format);
                assert!(
                    PhoneNumber::parse("phone", &text) == Ok(phone.clone()),
                    "{text}"
                );
            }
            let national = phone.national();
            assert!(
                national.len() == 10 && national.starts_with('0'),
                "{national}"
            );
            assert!(national.bytes().all(|b| b.is_ascii_digit()), "{national}");
            let masked = phone.masked();
            assert!(
                masked.contains("****") && !masked.contains(&national),
                "{masked}"
            );
            let _ = phone.carrier();
        }
        Err(e) => {
            nhantin_fuzz::check_error(&e);
            assert!(
                matches!(&e, Error::InvalidInput { field, .. } if field == "phone"),
                "{e:?}"
            );
        }
    }
});
