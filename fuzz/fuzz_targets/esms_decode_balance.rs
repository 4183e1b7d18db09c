//! `esms::decode_balance`: any answer decodes to a balance or a typed eSMS error. Input: a
//! response in the format of `nhantin_fuzz::response`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nhantin_core::{esms, Provider};

fuzz_target!(|data: &[u8]| {
    match esms::decode_balance(&nhantin_fuzz::response(data)) {
        Ok(balance) => {
            let _ = serde_json::to_string(&balance).expect("a balance serializes");
        }
        Err(e) => nhantin_fuzz::check_decoded_error(&e, Provider::Esms),
    }
});
