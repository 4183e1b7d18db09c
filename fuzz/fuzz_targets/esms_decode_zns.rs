//! The ZNS-era eSMS decoders: every lookup's answer (`esms::decode_lookup`), a bulk ZNS's
//! per-recipient answer (`esms::decode_zns_bulk`, against a fixed three-recipient request) and a
//! code check (`esms::decode_check_code`). Any answer decodes to a value that serializes or to a
//! typed eSMS error; a bulk receipt always has one result per recipient, in order.
//!
//! Input: one selector byte (0–6 the lookups in `EsmsLookup`'s order, 7 the bulk ZNS, 8 the code
//! check; taken modulo 9), then a response in the format of `nhantin_fuzz::response`.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use nhantin_core::esms::{self, EsmsLookup, ZnsTemplateKind};
use nhantin_core::{AccountInput, HttpRequest, MessageInput, Provider};

fn bulk_request() -> &'static HttpRequest {
    static REQUEST: OnceLock<HttpRequest> = OnceLock::new();
    REQUEST.get_or_init(|| {
        let message = MessageInput::from_json(
            r#"{"recipients":["0912345678","0987654321","0765418062"],"request_id":"b77","content":{"zns_bulk":{"oa_id":"1234567890123456789","template_id":"301122","params":[[{"name":"a","value":"1"}],[{"name":"a","value":"2"}],[{"name":"a","value":"3"}]]}}}"#,
        )
        .and_then(|m| m.validate())
        .expect("a valid bulk ZNS");
        AccountInput::from_json(r#"{"provider":"esms","api_key":"K1","secret_key":"S1"}"#)
            .and_then(|a| a.validate())
            .expect("a valid account")
            .encode_send(&message, nhantin_fuzz::now())
            .expect("a bulk ZNS encodes")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((selector, rest)) = data.split_first() else {
        return;
    };
    let response = nhantin_fuzz::response(rest);
    let oa = || "1234567890123456789".to_owned();
    let lookup = match selector % 9 {
        0 => EsmsLookup::ZnsTemplates { oa_id: oa(), kind: ZnsTemplateKind::Normal },
        1 => EsmsLookup::ZnsTemplateInfo { oa_id: oa(), template_id: "205644".into() },
        2 => EsmsLookup::ZaloOas,
        3 => EsmsLookup::ZnsQuota { oa_id: oa() },
        4 => EsmsLookup::ZnsStatus { sms_id: "59e0".into(), kind: ZnsTemplateKind::Normal },
        5 => EsmsLookup::ZaloMessageStatus { oa_id: oa(), message_id: "7984e9b1".into() },
        6 => EsmsLookup::Brandnames,
        7 => {
            match esms::decode_zns_bulk(bulk_request(), &response) {
                Ok(receipt) => {
                    assert_eq!(receipt.recipients.len(), 3, "one result per recipient");
                    for (i, r) in receipt.recipients.iter().enumerate() {
                        assert_eq!(r.index, i, "in the request's order");
                    }
                    let _ = serde_json::to_string(&receipt).expect("a receipt serializes");
                }
                Err(e) => nhantin_fuzz::check_decoded_error(&e, Provider::Esms),
            }
            return;
        }
        _ => {
            match esms::decode_check_code(&response) {
                Ok(verdict) => {
                    let _ = serde_json::to_string(&verdict).expect("a verdict serializes");
                }
                Err(e) => nhantin_fuzz::check_decoded_error(&e, Provider::Esms),
            }
            return;
        }
    };
    match esms::decode_lookup(&lookup, &response) {
        Ok(answer) => {
            let _ = serde_json::to_string(&answer).expect("an answer serializes");
        }
        Err(e) => nhantin_fuzz::check_decoded_error(&e, Provider::Esms),
    }
});
