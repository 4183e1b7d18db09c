//! `interits::decode_zns_message`: any `message-detail` answer decodes to a message status or a
//! typed InterITS error. Input: a response in the format of `nhantin_fuzz::response`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nhantin_core::{interits, Provider};

fuzz_target!(|data: &[u8]| {
    match interits::decode_zns_message(&nhantin_fuzz::response(data)) {
        Ok(message) => {
            let _ = serde_json::to_string(&message).expect("a message status serializes");
        }
        Err(e) => nhantin_fuzz::check_decoded_error(&e, Provider::InterIts),
    }
});
