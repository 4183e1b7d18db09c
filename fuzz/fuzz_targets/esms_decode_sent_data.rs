//! `esms::decode_sent_data` (`GetSmsSentData_V2`): any answer decodes to a page or a typed eSMS
//! error; every decoded `SentTime` passes `nhantin_fuzz::check_timestamp`. Input: a response
//! in the format of `nhantin_fuzz::response`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nhantin_core::{esms, Provider};

fuzz_target!(|data: &[u8]| {
    match esms::decode_sent_data(&nhantin_fuzz::response(data)) {
        Ok(page) => {
            let _ = serde_json::to_string(&page).expect("a page serializes");
            for row in &page.rows {
                if let Some(t) = row.sent_time {
                    nhantin_fuzz::check_timestamp(t);
                }
            }
        }
        Err(e) => nhantin_fuzz::check_decoded_error(&e, Provider::Esms),
    }
});
