//! `esms::parse_delivery_report`: every callback query (or whole URL) gives a report, never a
//! panic, and the report serializes. Input: the query as UTF-8 (other bytes are skipped: the
//! C ABI and the CLI take UTF-8 text).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nhantin_core::esms;

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let report = esms::parse_delivery_report(query);
    let _ = serde_json::to_string(&report).expect("a report serializes");
    let _ = format!("{report:?}");
});
