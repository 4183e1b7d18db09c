//! `nhantin-bench-codec --cases FILE`: for each endpoint in `cases.codec`, the cost of
//! validate+encode (`MessageInput::validate`, `Account::encode_send`) and of `decode_send`
//! through nhantin-core, as a Rust caller pays it. One JSON line per endpoint, in ns.

use nhantin_bench::{cases, per_call_ns};
use nhantin_core::{AccountInput, HttpResponse, MessageInput, Timestamp};

fn main() {
    for case in cases()["codec"].as_array().unwrap() {
        let account = AccountInput::from_json(&case["account"].to_string())
            .unwrap()
            .validate()
            .unwrap();
        let input = MessageInput::from_json(&case["message"].to_string()).unwrap();
        let now = Timestamp::parse_rfc3339("now", case["now"].as_str().unwrap()).unwrap();
        let r = &case["response"];
        let response = HttpResponse {
            status: r["status"].as_u64().unwrap() as u16,
            headers: vec![],
            body: r["body"].as_str().unwrap().as_bytes().to_vec(),
        };
        // Same work as the other languages: the exact request of the vector, and an accepted answer.
        let request = account
            .encode_send(&input.clone().validate().unwrap(), now)
            .unwrap();
        assert_eq!(
            request.url,
            case["expect"]["url"].as_str().unwrap(),
            "{}",
            case["name"]
        );
        assert_eq!(
            request.body,
            case["expect"]["body"].as_str().unwrap().as_bytes(),
            "{}",
            case["name"]
        );
        account.decode_send(&response).expect("an accepted answer");
        let encode = per_call_ns(|| {
            let m = input.clone().validate().unwrap();
            std::hint::black_box(account.encode_send(&m, now).unwrap());
        });
        let decode = per_call_ns(|| {
            std::hint::black_box(account.decode_send(&response).unwrap());
        });
        println!(
            "{}",
            serde_json::json!({"lang": "rust", "endpoint": case["name"], "encode_ns": encode, "decode_ns": decode})
        );
    }
}
