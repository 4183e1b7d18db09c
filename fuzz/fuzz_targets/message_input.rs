//! `MessageInput::from_json(..).validate()`, then the message encoded for every provider at a
//! fixed `now` (`nhantin_fuzz::check_encode`: redacted requests carry no key, idempotency is the
//! request id, refusals are invalid input). Input: the message JSON, as UTF-8.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nhantin_core::{AccountInput, Error, MessageInput};

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let message = match MessageInput::from_json(json).and_then(MessageInput::validate) {
        Ok(message) => message,
        Err(e) => {
            nhantin_fuzz::check_error(&e);
            assert!(matches!(e, Error::InvalidInput { .. }), "{e:?}");
            return;
        }
    };
    let _ = format!("{message:?}");
    for account in nhantin_fuzz::ACCOUNTS {
        let account = AccountInput::from_json(account)
            .and_then(AccountInput::validate)
            .expect("the fixed accounts are valid");
        nhantin_fuzz::check_encode(&account, &message);
    }
});
