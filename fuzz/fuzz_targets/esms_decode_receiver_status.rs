//! `esms::decode_receiver_status`: any answer decodes to receiver rows or a typed eSMS error.
//! Input: a response in the format of `nhantin_fuzz::response`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nhantin_core::{esms, Provider};

fuzz_target!(|data: &[u8]| {
    match esms::decode_receiver_status(&nhantin_fuzz::response(data)) {
        Ok(rows) => {
            let _ = serde_json::to_string(&rows).expect("receiver rows serialize");
        }
        Err(e) => nhantin_fuzz::check_decoded_error(&e, Provider::Esms),
    }
});
