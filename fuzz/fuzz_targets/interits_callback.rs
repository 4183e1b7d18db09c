//! `interits::parse_callback`: any body gives a callback or a typed error, never a panic (a
//! body that is not a callback is invalid input: it came to the caller's webhook, not as an
//! answer to a request). Input: the callback body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nhantin_core::{interits, Error};

fuzz_target!(|data: &[u8]| {
    match interits::parse_callback(data) {
        Ok(callback) => {
            let _ = serde_json::to_string(&callback).expect("a callback serializes");
        }
        Err(e) => {
            nhantin_fuzz::check_error(&e);
            assert!(matches!(e, Error::InvalidInput { .. }), "{e:?}");
        }
    }
});
