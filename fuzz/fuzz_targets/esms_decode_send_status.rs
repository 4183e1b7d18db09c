//! `esms::decode_send_status`: any answer decodes to a report or a typed eSMS error. Input: a
//! response in the format of `nhantin_fuzz::response`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nhantin_core::{esms, Provider};

fuzz_target!(|data: &[u8]| {
    match esms::decode_send_status(&nhantin_fuzz::response(data)) {
        Ok(report) => {
            let _ = serde_json::to_string(&report).expect("a report serializes");
        }
        Err(e) => nhantin_fuzz::check_decoded_error(&e, Provider::Esms),
    }
});
