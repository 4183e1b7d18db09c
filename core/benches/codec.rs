//! Encode and decode costs, printed (nothing is asserted: numbers vary by machine).
//! `cargo bench -p nhantin-core`

// A benchmark needs a clock; the sans-IO rule is for the library, not its measurements.
#![allow(clippy::disallowed_methods)]

use std::hint::black_box;
use std::time::Instant;

use nhantin_core::{esms, AccountInput, HttpResponse, MessageInput, Timestamp};

fn measure(name: &str, iterations: u32, mut f: impl FnMut()) {
    for _ in 0..iterations / 10 {
        f();
    }
    let start = Instant::now();
    for _ in 0..iterations {
        f();
    }
    let per = start.elapsed().as_nanos() as f64 / f64::from(iterations);
    println!("{name:<48} {per:>12.0} ns/op   {:>10.0} ops/s", 1e9 / per);
}

fn main() {
    let now = Timestamp::parse_rfc3339("now", "2026-11-24T02:00:00Z").unwrap();
    let account = AccountInput::from_json(
        r#"{"provider":"esms","api_key":"A1B2C3D4E5F6","secret_key":"S1E2C3R4E5T6"}"#,
    )
    .unwrap()
    .validate()
    .unwrap();
    let otp = MessageInput::from_json(r#"{"recipients":["0912345678"],"content":{"sms":{"purpose":"otp","text":"Mã OTP của bạn là 123456","sender":"NHANTIN"}},"request_id":"bench-1"}"#)
        .unwrap()
        .validate()
        .unwrap();
    let phones: Vec<String> = (0..5000)
        .map(|i| format!("\"09{:08}\"", 10_000_000 + i))
        .collect();
    let bulk_json = format!(
        r#"{{"recipients":[{}],"content":{{"sms":{{"purpose":"advertising","text":"Khuyen mai 50% & qua <tang>","sender":"NHANTIN"}}}},"request_id":"bench-2"}}"#,
        phones.join(",")
    );
    let bulk = MessageInput::from_json(&bulk_json)
        .unwrap()
        .validate()
        .unwrap();
    let mut bulk_xml = bulk.clone();
    bulk_xml.options = nhantin_core::ProviderOptions::Esms(esms::EsmsOptions {
        format: esms::EsmsFormat::Xml,
        campaign_id: None,
        zns_version: None,
    });
    let mut get = MessageInput::from_json(r#"{"recipients":["0912345678"],"content":{"sms":{"purpose":"fixed_number","text":"Ma OTP: 123456 & 100% = #1"}},"request_id":"bench-3"}"#).unwrap().validate().unwrap();
    get.options = nhantin_core::ProviderOptions::Esms(esms::EsmsOptions {
        format: esms::EsmsFormat::Get,
        campaign_id: None,
        zns_version: None,
    });
    let accepted = HttpResponse::new(
        200,
        r#"{"CodeResult":"100","CountRegenerate":0,"SMSID":"d533459ee42b2b9525ba9eabf6a8156"}"#,
    );
    let rejected = HttpResponse::new(
        200,
        r#"{"CodeResult":"104","CountRegenerate":0,"ErrorMessage":"Brand name code is not exist"}"#,
    );
    let report = "SMSID=dc71a1b2c3d4e5f60718293a4b5c6d87&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=470.0000&TotalReceiver=1&TotalSent=1&RequestId=r-1&TypeId=2&telcoid=1&phonenumber=0901888484";

    println!("nhantin-core codec benchmark (release build, one thread)");
    measure("validate OTP message from JSON", 100_000, || {
        black_box(MessageInput::from_json(black_box(r#"{"recipients":["0912345678"],"content":{"sms":{"purpose":"otp","text":"Ma OTP 123456","sender":"NHANTIN"}},"request_id":"b"}"#)).unwrap().validate().unwrap());
    });
    measure("encode eSMS JSON OTP", 200_000, || {
        black_box(account.encode_send(black_box(&otp), now).unwrap());
    });
    measure(
        "encode eSMS fixed-number GET (percent-encoded)",
        200_000,
        || {
            black_box(account.encode_send(black_box(&get), now).unwrap());
        },
    );
    measure("encode eSMS advertising JSON, 5000 recipients", 300, || {
        black_box(account.encode_send(black_box(&bulk), now).unwrap());
    });
    measure("encode eSMS advertising XML, 5000 recipients", 300, || {
        black_box(account.encode_send(black_box(&bulk_xml), now).unwrap());
    });
    measure("decode eSMS accepted", 500_000, || {
        black_box(esms::decode_send(black_box(&accepted)).unwrap());
    });
    measure("decode eSMS rejected (104)", 500_000, || {
        black_box(esms::decode_send(black_box(&rejected)).unwrap_err());
    });
    measure("parse eSMS delivery report", 500_000, || {
        black_box(esms::parse_delivery_report(black_box(report)));
    });
    measure("analyze 160-character Vietnamese text", 200_000, || {
        black_box(nhantin_core::analyze(black_box("Quý khách đã đặt hàng thành công đơn #12345. Mã OTP xác nhận của quý khách là 482913, có hiệu lực trong 5 phút. Trân trọng cảm ơn!")));
    });
    let body = account.encode_send(&bulk, now).unwrap().body.len();
    println!("5000-recipient advertising JSON body: {body} bytes");
}
