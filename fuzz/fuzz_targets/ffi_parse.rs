//! The C ABI's parsers with fuzz strings: `nhantin_parse_delivery_report`,
//! `nhantin_parse_interits_callback`, `nhantin_phone_normalize` (every format, a buffer of the
//! fuzzed size), `nhantin_text_analyze` and `nhantin_strip_diacritics`. Every call returns a code
//! (never `NHANTIN_RESULT_PANIC`), an error object exactly when it failed, valid JSON or text
//! when it succeeded; every output is freed.
//!
//! Input: one selector byte (modulo 5, in the order above; for the phone, the selector divided
//! by 5 is also the buffer length, 0–50), then the string (the callback body may hold NULs; the
//! other strings end at the first NUL).
#![no_main]

use std::ffi::{c_char, CStr, CString};
use std::ptr;

use libfuzzer_sys::fuzz_target;
use nhantin::capi as c;

fn check_json(code: c::nhantin_result, err: *mut c::nhantin_error, out: *mut c_char) {
    // SAFETY: outputs of one call, each freed once.
    unsafe {
        nhantin_fuzz::take_c_error(code, err);
        let json = nhantin_fuzz::take_c_string(out);
        assert_eq!(
            json.is_some(),
            code == c::nhantin_result::NHANTIN_RESULT_OK,
            "{code:?}"
        );
        if let Some(json) = json {
            nhantin_fuzz::assert_json(&json);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text =
        CString::new(rest.split(|&b| b == 0).next().unwrap_or_default()).expect("cut at a NUL");
    let mut out: *mut c_char = ptr::null_mut();
    let mut err: *mut c::nhantin_error = ptr::null_mut();
    match selector % 5 {
        0 => {
            // SAFETY: a NUL-terminated string; writable outputs.
            let code =
                unsafe { c::nhantin_parse_delivery_report(text.as_ptr(), &mut out, &mut err) };
            check_json(code, err, out);
        }
        1 => {
            let body = if rest.is_empty() {
                ptr::null()
            } else {
                rest.as_ptr()
            };
            // SAFETY: rest.len() readable bytes; writable outputs.
            let code =
                unsafe { c::nhantin_parse_interits_callback(body, rest.len(), &mut out, &mut err) };
            check_json(code, err, out);
        }
        2 => {
            let len = usize::from(selector / 5);
            let mut buf = vec![0x55u8; len.max(1)];
            for format in 0..4u32 {
                let mut n = usize::MAX;
                let mut carrier = u32::MAX;
                let mut err: *mut c::nhantin_error = ptr::null_mut();
                // SAFETY: a NUL-terminated string; buf holds len writable bytes; outputs writable.
                let code = unsafe {
                    c::nhantin_phone_normalize(
                        text.as_ptr(),
                        format,
                        buf.as_mut_ptr().cast(),
                        len,
                        &mut n,
                        &mut carrier,
                        &mut err,
                    )
                };
                // SAFETY: the error of the call above.
                unsafe { nhantin_fuzz::take_c_error(code, err) };
                if code == c::nhantin_result::NHANTIN_RESULT_OK {
                    assert!(format < 3 && n < len && carrier <= 7, "{n} {carrier}");
                    // SAFETY: the library wrote n bytes and a NUL into buf.
                    let written = unsafe { CStr::from_ptr(buf.as_ptr().cast()) };
                    assert_eq!(written.to_bytes().len(), n);
                } else if code == c::nhantin_result::NHANTIN_RESULT_BUFFER_TOO_SMALL {
                    assert!(n >= len && n <= 15, "needs {n} of {len}");
                }
            }
        }
        3 => {
            let (mut encoding, mut characters, mut units, mut segments) =
                (u32::MAX, 0usize, 0usize, 0usize);
            // SAFETY: a NUL-terminated string; writable outputs.
            let code = unsafe {
                c::nhantin_text_analyze(
                    text.as_ptr(),
                    &mut encoding,
                    &mut characters,
                    &mut units,
                    &mut segments,
                )
            };
            assert_ne!(code, c::nhantin_result::NHANTIN_RESULT_PANIC);
            if code == c::nhantin_result::NHANTIN_RESULT_OK {
                assert!(
                    encoding <= 1 && units >= characters,
                    "{encoding} {characters} {units}"
                );
            }
        }
        _ => {
            // SAFETY: a NUL-terminated string; a writable output.
            let code = unsafe { c::nhantin_strip_diacritics(text.as_ptr(), &mut out) };
            assert_ne!(code, c::nhantin_result::NHANTIN_RESULT_PANIC);
            // SAFETY: the output of the call above, freed once.
            let stripped = unsafe { nhantin_fuzz::take_c_string(out) };
            assert_eq!(
                stripped.is_some(),
                code == c::nhantin_result::NHANTIN_RESULT_OK
            );
        }
    }
});
