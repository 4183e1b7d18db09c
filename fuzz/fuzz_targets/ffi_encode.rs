//! The C ABI's encoders with NUL-terminated fuzz strings: `nhantin_encode_send`,
//! `nhantin_encode_sent_data` and `nhantin_encode_query`. Every call returns a code (never
//! `NHANTIN_RESULT_PANIC`), an error object exactly when it failed, valid JSON when it succeeded,
//! and every output is freed (the fuzzer's leak check sees what is not).
//!
//! Input: one selector byte (modulo 3: send, sent data, query), then the string arguments
//! separated by NUL bytes: account JSON, message JSON, `now` (send); account JSON, window JSON
//! (sent data); account JSON, operation, sms id (query; an empty sms id is passed as NULL).
#![no_main]

use std::ptr;

use libfuzzer_sys::fuzz_target;
use nhantin::capi as c;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let mut out: *mut std::ffi::c_char = ptr::null_mut();
    let mut err: *mut c::nhantin_error = ptr::null_mut();
    // SAFETY: NUL-terminated strings that outlive the call; writable outputs.
    let code = unsafe {
        match selector % 3 {
            0 => {
                let s = nhantin_fuzz::c_strings(rest, 3);
                c::nhantin_encode_send(
                    s[0].as_ptr(),
                    s[1].as_ptr(),
                    s[2].as_ptr(),
                    &mut out,
                    &mut err,
                )
            }
            1 => {
                let s = nhantin_fuzz::c_strings(rest, 2);
                c::nhantin_encode_sent_data(s[0].as_ptr(), s[1].as_ptr(), &mut out, &mut err)
            }
            _ => {
                let s = nhantin_fuzz::c_strings(rest, 3);
                let sms_id = if s[2].as_bytes().is_empty() {
                    ptr::null()
                } else {
                    s[2].as_ptr()
                };
                c::nhantin_encode_query(s[0].as_ptr(), s[1].as_ptr(), sms_id, &mut out, &mut err)
            }
        }
    };
    // SAFETY: outputs of the call above, each freed once.
    unsafe {
        nhantin_fuzz::take_c_error(code, err);
        let json = nhantin_fuzz::take_c_string(out);
        assert_eq!(
            json.is_some(),
            code == c::nhantin_result::NHANTIN_RESULT_OK,
            "{code:?}"
        );
        if let Some(json) = json {
            let request = nhantin_fuzz::assert_json(&json);
            assert!(request.get("url").is_some_and(|u| u.is_string()), "{json}");
        }
    }
});
