//! `nhantin_core::providers::decode_send` for Esms: any answer decodes to a receipt or a typed
//! error, never a panic. Input: a response in the format of `nhantin_fuzz::response`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nhantin_core::{providers, Provider};

fuzz_target!(|data: &[u8]| {
    let response = nhantin_fuzz::response(data);
    match providers::decode_send(Provider::Esms, &response) {
        Ok(receipt) => {
            assert_eq!(receipt.provider, Provider::Esms);
            serde_json::to_string(&receipt).expect("a receipt serializes");
        }
        Err(e) => nhantin_fuzz::check_decoded_error(&e, Provider::Esms),
    }
});
