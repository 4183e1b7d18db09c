//! Prints, without sending anything, the exact request core encodes for one message through every
//! send endpoint (secrets masked). `cargo run -p nhantin-core --example encode`
//!
//! This is the main job until the `nhantin demo` command exists.

use nhantin_core::{AccountInput, Message, MessageInput, Timestamp};

fn main() -> Result<(), nhantin_core::Error> {
    let now = Timestamp::parse_rfc3339("now", "2026-11-24T02:00:00Z")?;
    let esms = AccountInput::from_json(
        r#"{"provider":"esms","api_key":"DEMO_ESMS_API_KEY","secret_key":"DEMO_ESMS_SECRET_KEY"}"#,
    )?
    .validate()?;
    let caresoft = AccountInput::from_json(r#"{"provider":"caresoft","domain":"demo","api_token":"DEMO_CARESOFT_TOKEN","service_id":12}"#)?.validate()?;
    let interits =
        AccountInput::from_json(r#"{"provider":"interits","api_key":"DEMO_INTERITS_KEY"}"#)?
            .validate()?;
    let msg = |json: &str| -> Result<Message, nhantin_core::Error> {
        MessageInput::from_json(json)?.validate()
    };
    let many: Vec<String> = (0..30)
        .map(|i| format!("\"09{:08}\"", 10_000_000 + i))
        .collect();
    let cases = [
        (
            "eSMS JSON OTP",
            &esms,
            msg(
                r#"{"recipients":["0912345678"],"content":{"sms":{"purpose":"otp","text":"Mã OTP của bạn là 123456","sender":"NHANTIN"}},"request_id":"demo-otp-1"}"#,
            )?,
        ),
        (
            "eSMS XML customer care",
            &esms,
            msg(
                r#"{"recipients":["0912345678","0987654321"],"content":{"sms":{"purpose":"customer_care","text":"Don hang #42 & qua <tang>","sender":"NHANTIN"}},"request_id":"demo-xml-1","options":{"esms":{"format":"xml"}}}"#,
            )?,
        ),
        (
            "eSMS advertising JSON",
            &esms,
            msg(&format!(
                r#"{{"recipients":[{}],"content":{{"sms":{{"purpose":"advertising","text":"Khuyen mai 50%","sender":"NHANTIN"}}}},"request_id":"demo-adv-1"}}"#,
                many.join(",")
            ))?,
        ),
        (
            "eSMS fixed number GET",
            &esms,
            msg(
                r#"{"recipients":["0912345678"],"content":{"sms":{"purpose":"fixed_number","text":"Ma OTP: 123456 & 100% ="}},"request_id":"demo-get-1","options":{"esms":{"format":"get"}}}"#,
            )?,
        ),
        (
            "eSMS Viber",
            &esms,
            msg(
                r#"{"recipients":["0912345678"],"content":{"viber":{"text":"Đơn hàng đã giao","sender":"NHANTIN","button":{"label":"Xem","url":"https://example.vn/o/1"}}},"request_id":"demo-viber-1"}"#,
            )?,
        ),
        (
            "CareSoft SMS",
            &caresoft,
            msg(
                r#"{"recipients":["0980000000"],"content":{"sms":{"purpose":"customer_care","text":"Chúc mừng sinh nhật quý khách"}}}"#,
            )?,
        ),
        (
            "InterITS SMS",
            &interits,
            msg(
                r#"{"recipients":["0901234567"],"content":{"sms":{"purpose":"otp","text":"Ma OTP: 123456","sender":"NHANTIN"}},"request_id":"demo-it-1","schedule":"2026-11-24T03:00:00Z"}"#,
            )?,
        ),
    ];
    for (title, account, message) in cases {
        let request = account.encode_send(&message, now)?.redacted();
        println!("== {title}\n{} {}", request.method, request.url);
        for (name, value) in &request.headers {
            println!("{name}: {value}");
        }
        let body = String::from_utf8_lossy(&request.body);
        println!(
            "\n{}\n",
            if body.len() > 400 {
                format!(
                    "{}… ({} bytes)",
                    &body[..body.char_indices().nth(400).map_or(body.len(), |(i, _)| i)],
                    body.len()
                )
            } else {
                body.into_owned()
            }
        );
    }
    Ok(())
}
