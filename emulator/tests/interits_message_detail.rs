//! InterITS `POST /api/vendor/v1/zalo/message-detail`: the status of a ZNS sent with
//! `send-zns`, each answer asserted byte for byte.

mod common;

use std::time::Duration;

use common::*;
use nhantin_emulator::{
    Emulator, EmulatorConfig, InterItsConfig, InterItsKey, DEMO_INTERITS_KEY,
    DEMO_PHONE_WITHOUT_ZALO, DEMO_ZALO_OA_ID as OA,
};
use serde_json::{json, Value};

const SEND_ZNS: &str = "/interits/api/vendor/v1/zalo/send-zns";
const DETAIL: &str = "/interits/api/vendor/v1/zalo/message-detail";
const OTHER_KEY: &str = "OTHER_INTERITS_KEY";

/// An emulator whose Zalo outcomes are due an hour after a send, with a second InterITS key.
fn slow_reports() -> Emulator {
    start_with(EmulatorConfig {
        delivery_report_delay: Duration::from_secs(3600),
        interits: InterItsConfig {
            keys: vec![
                InterItsKey::default(),
                InterItsKey {
                    api_key: OTHER_KEY.to_owned(),
                    brandnames: Vec::new(),
                },
            ],
            ..InterItsConfig::default()
        },
        ..EmulatorConfig::default()
    })
}

fn post(emu: &Emulator, path: &str, key: Option<&str>, body: &[u8]) -> Resp {
    let mut headers = vec![("Content-Type", "application/json"), ("accept", "*/*")];
    if let Some(k) = key {
        headers.push(("API-KEY", k));
    }
    call(emu, "POST", path, &headers, body)
}

fn detail(emu: &Emulator, key: Option<&str>, body: &Value) -> Resp {
    post(emu, DETAIL, key, body.to_string().as_bytes())
}

/// What `send-zns` answered.
struct Sent {
    id: String,
    msg_id: String,
    created_at: String,
    created_at_unix_ms: u64,
}

fn send_zns(emu: &Emulator, key: &str, phone: &str, tracking_id: Option<&str>) -> Sent {
    let mut body = json!({"oa_id": OA, "phone": phone, "template_data": {"otp": "482913"},
                          "template_id": 301122});
    if let Some(t) = tracking_id {
        body["tracking_id"] = json!(t);
    }
    let r = post(emu, SEND_ZNS, Some(key), body.to_string().as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
    let data = &r.json()["data"];
    let record = emu.messages().last().cloned().unwrap();
    Sent {
        id: data["id"].as_str().unwrap().to_owned(),
        msg_id: data["msg_id"].as_str().unwrap().to_owned(),
        created_at: data["created_at"].as_str().unwrap().to_owned(),
        created_at_unix_ms: record.created_at_unix_ms,
    }
}

/// The `referentId` of a success, checked to be a fresh UUID.
fn referent(resp: &Resp) -> String {
    assert_eq!(resp.status, 200, "{}", resp.text());
    let id = resp.json()["referentId"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 36, "{id}");
    assert_eq!(id.matches('-').count(), 4, "{id}");
    id
}

/// Unix milliseconds as RFC 3339 UTC with milliseconds (H. Hinnant's `civil_from_days`).
fn rfc3339(unix_ms: u64) -> String {
    let secs = (unix_ms / 1000) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        unix_ms % 1000
    )
}

#[test]
fn pending_then_received_after_the_report_is_due() {
    let emu = slow_reports();
    let sent = send_zns(&emu, DEMO_INTERITS_KEY, "0912345678", Some("otp-7781"));
    let Sent {
        id,
        msg_id,
        created_at,
        ..
    } = &sent;
    assert_eq!(rfc3339(sent.created_at_unix_ms), *created_at);
    let query = json!({"msg_id": msg_id, "oa_id": OA});

    let r = detail(&emu, Some(DEMO_INTERITS_KEY), &query);
    let first = referent(&r);
    assert_eq!(
        r.text(),
        format!(
            r#"{{"code":0,"data":{{"campaign_id":null,"charged":false,"created_at":"{created_at}","delivery_status":"unknown","delivery_time":null,"error_code":0,"error_message":"","id":"{id}","is_charged":false,"msg_id":"{msg_id}","oa_id":"{OA}","phone":"0912345678","sent_time":"{created_at}","status":"Z","template_data":{{"otp":"482913"}},"template_id":301122,"tracking_id":"otp-7781","type":"template"}},"message":"success","referentId":"{first}"}}"#
        )
    );

    // One second short of the report: still pending.
    emu.advance_clock(Duration::from_secs(3599));
    let r = detail(&emu, Some(DEMO_INTERITS_KEY), &query);
    assert_eq!(r.json()["data"]["delivery_status"], "unknown");

    emu.advance_clock(Duration::from_secs(1));
    let r = detail(&emu, Some(DEMO_INTERITS_KEY), &query);
    let second = referent(&r);
    assert_ne!(first, second);
    let delivered = rfc3339(sent.created_at_unix_ms + 3_600_000);
    assert_eq!(
        r.text(),
        format!(
            r#"{{"code":0,"data":{{"campaign_id":null,"charged":true,"created_at":"{created_at}","delivery_status":"received","delivery_time":"{delivered}","error_code":0,"error_message":"","id":"{id}","is_charged":true,"msg_id":"{msg_id}","oa_id":"{OA}","phone":"0912345678","sent_time":"{created_at}","status":"Z","template_data":{{"otp":"482913"}},"template_id":301122,"tracking_id":"otp-7781","type":"template"}},"message":"success","referentId":"{second}"}}"#
        )
    );
    // Queries record nothing.
    assert_eq!(emu.messages().len(), 1);
}

#[test]
fn a_phone_without_zalo_fails_with_the_zalo_code_once_due() {
    let emu = slow_reports();
    let Sent {
        id,
        msg_id,
        created_at,
        ..
    } = send_zns(&emu, DEMO_INTERITS_KEY, DEMO_PHONE_WITHOUT_ZALO, None);
    let query = json!({"msg_id": msg_id, "oa_id": OA});
    let phone = DEMO_PHONE_WITHOUT_ZALO;

    let r = detail(&emu, Some(DEMO_INTERITS_KEY), &query);
    let first = referent(&r);
    assert_eq!(
        r.text(),
        format!(
            r#"{{"code":0,"data":{{"campaign_id":null,"charged":false,"created_at":"{created_at}","delivery_status":"unknown","delivery_time":null,"error_code":0,"error_message":"","id":"{id}","is_charged":false,"msg_id":"{msg_id}","oa_id":"{OA}","phone":"{phone}","sent_time":"{created_at}","status":"Z","template_data":{{"otp":"482913"}},"template_id":301122,"tracking_id":null,"type":"template"}},"message":"success","referentId":"{first}"}}"#
        )
    );

    emu.advance_clock(Duration::from_secs(3600));
    let r = detail(&emu, Some(DEMO_INTERITS_KEY), &query);
    let second = referent(&r);
    assert_eq!(
        r.text(),
        format!(
            r#"{{"code":0,"data":{{"campaign_id":null,"charged":false,"created_at":"{created_at}","delivery_status":"unknown","delivery_time":null,"error_code":-118,"error_message":"Zalo account not existed","id":"{id}","is_charged":false,"msg_id":"{msg_id}","oa_id":"{OA}","phone":"{phone}","sent_time":"{created_at}","status":"Z","template_data":{{"otp":"482913"}},"template_id":301122,"tracking_id":null,"type":"template"}},"message":"success","referentId":"{second}"}}"#
        )
    );
}

#[test]
fn an_unknown_message_is_404() {
    let emu = slow_reports();
    let sent = send_zns(&emu, DEMO_INTERITS_KEY, "0912345678", Some("otp-1"));
    let not_found = r#"{"code":404,"message":"Not Found","errors":{"msg_id":"no ZNS with this msg_id and oa_id was sent with this API-KEY"}}"#;
    for (key, query) in [
        // An id nobody sent.
        (
            DEMO_INTERITS_KEY,
            json!({"msg_id": "0123456789abcdef0123", "oa_id": OA}),
        ),
        // The ITS id is not the Zalo msg_id.
        (DEMO_INTERITS_KEY, json!({"msg_id": sent.id, "oa_id": OA})),
        // The right msg_id under another OA.
        (
            DEMO_INTERITS_KEY,
            json!({"msg_id": sent.msg_id, "oa_id": "9876543210987654321"}),
        ),
        // The right msg_id and OA, asked with another API-KEY.
        (OTHER_KEY, json!({"msg_id": sent.msg_id, "oa_id": OA})),
    ] {
        let r = detail(&emu, Some(key), &query);
        assert_eq!(r.status, 404, "{key} {query}");
        assert_eq!(r.text(), not_found, "{key} {query}");
    }
    // The same message is found with its own key.
    let r = detail(
        &emu,
        Some(DEMO_INTERITS_KEY),
        &json!({"msg_id": sent.msg_id, "oa_id": OA}),
    );
    assert_eq!(r.status, 200);
}

#[test]
fn a_missing_or_wrong_api_key_is_401() {
    let emu = slow_reports();
    let sent = send_zns(&emu, DEMO_INTERITS_KEY, "0912345678", None);
    let query = json!({"msg_id": sent.msg_id, "oa_id": OA});
    for key in [None, Some("WRONG")] {
        let r = detail(&emu, key, &query);
        assert_eq!(r.status, 401, "{key:?}");
        assert_eq!(r.text(), r#"{"code":401,"message":"Unauthorized"}"#);
    }
    // Checked before the body.
    let r = post(&emu, DETAIL, Some("WRONG"), b"not json");
    assert_eq!(r.status, 401);
}

#[test]
fn bad_bodies_are_400_with_errors() {
    let emu = slow_reports();
    let sent = send_zns(&emu, DEMO_INTERITS_KEY, "0912345678", None);
    let m = sent.msg_id.as_str();
    let cases: Vec<(Value, Value)> = vec![
        (json!({"msg_id": m}), json!({"oa_id": "is required"})),
        (json!({"oa_id": OA}), json!({"msg_id": "is required"})),
        (
            json!({"msg_id": null, "oa_id": OA}),
            json!({"msg_id": "is required"}),
        ),
        (
            json!({"msg_id": "", "oa_id": ""}),
            json!({"msg_id": "must not be empty", "oa_id": "must not be empty"}),
        ),
        (
            json!({"msg_id": {"id": m}, "oa_id": 1234567890123456789u64}),
            json!({"msg_id": "must be a JSON string", "oa_id": "must be a JSON string"}),
        ),
        (
            json!({"msg_id": m, "oa_id": OA, "phone": "0912345678"}),
            json!({"phone": "unknown member"}),
        ),
        (
            json!({"msgId": m, "oa_id": OA}),
            json!({"msgId": "unknown member (misspelled?)", "msg_id": "is required"}),
        ),
        (json!([m, OA]), json!({"body": "body is not a JSON object"})),
    ];
    for (body, errors) in cases {
        let r = detail(&emu, Some(DEMO_INTERITS_KEY), &body);
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(
            r.text(),
            format!(r#"{{"code":400,"message":"Bad Request","errors":{errors}}}"#),
            "{body}"
        );
    }
    let r = post(&emu, DETAIL, Some(DEMO_INTERITS_KEY), b"{\"msg_id\":");
    assert_eq!(r.status, 400);
    assert!(r.json()["errors"]["body"]
        .as_str()
        .unwrap()
        .starts_with("body is not JSON"));
    let r = call(
        &emu,
        "POST",
        DETAIL,
        &[
            ("Content-Type", "text/plain"),
            ("API-KEY", DEMO_INTERITS_KEY),
        ],
        json!({"msg_id": m, "oa_id": OA}).to_string().as_bytes(),
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        r.text(),
        r#"{"code":400,"message":"Bad Request","errors":{"Content-Type":"must be application/json"}}"#
    );
    let r = call(&emu, "GET", DETAIL, &[("API-KEY", DEMO_INTERITS_KEY)], b"");
    assert_eq!(r.status, 405);
    assert_eq!(r.header("Allow"), Some("POST"));
    assert_eq!(emu.messages().len(), 1);
}
