//! The emulator's HTTP/1.1 request parser and routing (`nhantin_emulator::fuzz_requests`): any
//! byte stream is framed into requests and answered, never a panic, and every answer has a
//! status a client can read. Input: the bytes a connection would receive.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for status in nhantin_emulator::fuzz_requests(data) {
        assert!((100..600).contains(&status), "status {status}");
    }
});
