//! The C ABI's `nhantin_decode`: any answer, for any provider and operation name, returns a
//! code (never `NHANTIN_RESULT_PANIC`), an error object exactly when it failed, valid JSON when it
//! succeeded; every output is freed.
//!
//! Input: byte 0 picks the provider (modulo 4: esms, caresoft, interits, or an unknown name),
//! byte 1 the operation (modulo 8: send, balance, send_status, receiver_status, sent_data,
//! check_code, zns_message, or an unknown one), bytes 2–3 the status (big-endian), then the headers JSON (`[["Name","value"]]`,
//! empty for NULL) up to the first NUL, then the body (every remaining byte, NULs included).
#![no_main]

use std::ffi::CString;
use std::ptr;

use libfuzzer_sys::fuzz_target;
use nhantin::capi as c;

const PROVIDERS: [&str; 4] = ["esms", "caresoft", "interits", "nosuch"];
const OPERATIONS: [&str; 8] = [
    "send",
    "balance",
    "send_status",
    "receiver_status",
    "sent_data",
    "check_code",
    "zns_message",
    "nosuch",
];

fuzz_target!(|data: &[u8]| {
    let [p, o, hi, lo, rest @ ..] = data else {
        return;
    };
    let provider = CString::new(PROVIDERS[usize::from(*p) % 4]).expect("no NUL");
    let operation = CString::new(OPERATIONS[usize::from(*o) % 8]).expect("no NUL");
    let (headers, body) = match rest.iter().position(|&b| b == 0) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    let headers = CString::new(headers).expect("cut at the first NUL");
    let headers_ptr = if headers.as_bytes().is_empty() {
        ptr::null()
    } else {
        headers.as_ptr()
    };
    let body_ptr = if body.is_empty() {
        ptr::null()
    } else {
        body.as_ptr()
    };
    let mut out: *mut std::ffi::c_char = ptr::null_mut();
    let mut err: *mut c::nhantin_error = ptr::null_mut();
    // SAFETY: NUL-terminated strings and a body of body.len() bytes that outlive the call.
    let code = unsafe {
        c::nhantin_decode(
            provider.as_ptr(),
            operation.as_ptr(),
            u16::from_be_bytes([*hi, *lo]),
            headers_ptr,
            body_ptr,
            body.len(),
            &mut out,
            &mut err,
        )
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
            nhantin_fuzz::assert_json(&json);
        }
    }
});
