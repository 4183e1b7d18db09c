//! `AccountInput::from_json(..).validate()`, then fixed messages (one of each kind, and the
//! eSMS queries) encoded for the account at a fixed `now`: `nhantin_fuzz::check_encode`, so no
//! key of the fuzzed account survives in a redacted request. Input: the account JSON, as UTF-8.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nhantin_core::esms::{EsmsSmsType, SentDataQuery, SmsId};
use nhantin_core::{Account, AccountInput, Error, MessageInput, Timestamp};

const MESSAGES: &[&str] = &[
    r#"{"recipients":["0912345678"],"content":{"sms":{"purpose":"otp","text":"Ma OTP: 123456","sender":"MYBRAND"}},"request_id":"otp-1"}"#,
    r#"{"recipients":["0912345678"],"content":{"sms":{"purpose":"customer_care","text":"Don hang da giao","sender":"MYBRAND"}},"request_id":"cc-1","callback_url":"https://erp.example.vn/dlr","options":{"esms":{"format":"xml"}}}"#,
    r#"{"recipients":["0912345678"],"content":{"sms":{"purpose":"fixed_number","text":"Xin chao & tam biet"}},"request_id":"fx-1","options":{"esms":{"format":"get"}}}"#,
    r#"{"recipients":["0912345678"],"content":{"sms":{"purpose":"customer_care","text":"Xin chao","sender":"MYBRAND"}}}"#,
    r#"{"recipients":["0912345678"],"content":{"viber":{"text":"Khuyen mai","sender":"MYBRAND","image_url":"https://example.vn/a.png","button":{"label":"Xem","url":"https://example.vn"}}},"request_id":"vb-1"}"#,
    r#"{"recipients":["0912345678"],"content":{"zns":{"oa_id":"1234567890123456789","template_id":"301122","params":[{"name":"otp","value":"482913"}]}},"request_id":"zns-1"}"#,
    r#"{"recipients":["0912345678"],"content":{"zalo_then_sms":{"zns":{"oa_id":"1234567890123456789","template_id":"301122","params":[{"name":"otp","value":"482913"}]},"sms":{"purpose":"otp","text":"482913 la ma","sender":"MYBRAND"}}},"request_id":"mc-1"}"#,
    r#"{"recipients":["0912345678"],"content":{"generated_otp":{"channel":{"sms":{"sender":"MYBRAND","template":"{OTP} la ma"}}}}}"#,
];

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let account = match AccountInput::from_json(json).and_then(AccountInput::validate) {
        Ok(account) => account,
        Err(e) => {
            nhantin_fuzz::check_error(&e);
            assert!(matches!(e, Error::InvalidInput { .. }), "{e:?}");
            return;
        }
    };
    let _ = format!("{account:?}");
    let _ = account.provider();
    for message in MESSAGES {
        let message = MessageInput::from_json(message)
            .and_then(MessageInput::validate)
            .expect("the fixed messages are valid");
        let _ = account.wants_request_id(&message);
        nhantin_fuzz::check_encode(&account, &message);
    }
    if let Account::Esms(esms) = &account {
        let secrets = nhantin_fuzz::account_secrets(&account);
        let id = SmsId::new("a1b2c3d4-0000-4000-8000-000000000001").expect("a valid id");
        let from = Timestamp::parse_rfc3339("from", "2026-11-24T01:55:00Z").expect("valid");
        let query = SentDataQuery {
            sms_type: EsmsSmsType::from_code(2),
            from,
            to: nhantin_fuzz::now(),
            page: 1,
            page_size: 500,
        };
        let fixed = nhantin_fuzz::fixed_account(&account);
        let fixed = fixed.esms().expect("an eSMS account");
        let pairs = [
            (esms.encode_balance(), fixed.encode_balance()),
            (esms.encode_send_status(&id), fixed.encode_send_status(&id)),
            (
                esms.encode_receiver_status(&id),
                fixed.encode_receiver_status(&id),
            ),
            (
                esms.encode_sent_data(&query).expect("a valid window"),
                fixed.encode_sent_data(&query).expect("a valid window"),
            ),
        ];
        for (request, baseline) in &pairs {
            nhantin_fuzz::assert_redacted(request, &secrets, Some(baseline));
        }
    }
});
