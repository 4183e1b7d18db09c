//! InterITS: success, 401, 400, and repeated requestIds with de-duplication off (the default)
//! and on.

mod common;

use common::*;
use nhantin_emulator::{
    Emulator, EmulatorConfig, Endpoint, InterItsConfig, InterItsType, MessageKind, Provider,
    Reference, UnicodeFlag, DEMO_INTERITS_KEY,
};
use serde_json::{json, Value};

const PATH: &str = "/interits/api/vendor/v1/sms/send-message";

fn body() -> Value {
    json!({"destinations": ["0901234567"], "from": "NHANTIN", "text": "Ma OTP: 123456",
           "scheduled": "2030-12-20T03:33:44.757Z", "requestId": "ord-123-otp-1",
           "useUnicode": 0, "type": 2, "ext": {}})
}

fn send(emu: &Emulator, key: Option<&str>, body: &Value) -> Resp {
    let mut headers = vec![("Content-Type", "application/json"), ("accept", "*/*")];
    if let Some(k) = key {
        headers.push(("API-KEY", k));
    }
    call(emu, "POST", PATH, &headers, body.to_string().as_bytes())
}

fn send_again(emu: &Emulator) -> Resp {
    // Header names are case-insensitive.
    call(
        emu,
        "POST",
        PATH,
        &[
            ("content-type", "application/json"),
            ("api-key", DEMO_INTERITS_KEY),
        ],
        body().to_string().as_bytes(),
    )
}

fn referent_of(resp: &Resp) -> String {
    assert_eq!(resp.status, 200, "{}", resp.text());
    resp.json()["referentId"].as_str().unwrap().to_owned()
}

#[test]
fn success_is_recorded_with_the_exact_body() {
    let emu = start();
    let r = send(&emu, Some(DEMO_INTERITS_KEY), &body());
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["code"], 0);
    assert_eq!(v["message"], "success");
    let referent = v["referentId"].as_str().unwrap().to_owned();
    let token = v["data"]["token"].as_str().unwrap().to_owned();
    assert!(!referent.is_empty() && !token.is_empty());
    assert_eq!(
        r.text(),
        format!(
            r#"{{"code":0,"data":{{"token":"{token}"}},"message":"success","referentId":"{referent}"}}"#
        )
    );
    let mut none = body();
    none.as_object_mut().unwrap().remove("requestId");
    none.as_object_mut().unwrap().remove("scheduled");
    none["useUnicode"] = json!(2);
    none["type"] = json!(1);
    none["destinations"] = json!(["84901234567", "0912345678"]);
    assert_eq!(send(&emu, Some(DEMO_INTERITS_KEY), &none).status, 200);

    let msgs = emu.messages();
    assert_eq!(msgs.len(), 2);
    let m = &msgs[0];
    assert_eq!(m.provider, Provider::InterIts);
    assert_eq!(m.endpoint, Endpoint::InterItsSendMessage);
    assert_eq!(m.sender.as_deref(), Some("NHANTIN"));
    assert_eq!(
        m.kind,
        MessageKind::InterIts {
            message_type: InterItsType::Otp
        }
    );
    assert_eq!(m.unicode, Some(UnicodeFlag::Off));
    assert_eq!(m.schedule.as_deref(), Some("2030-12-20T03:33:44.757Z"));
    assert_eq!(m.request_id.as_deref(), Some("ord-123-otp-1"));
    assert!(m.created_at_unix_ms > 1_700_000_000_000);
    assert_eq!(
        m.reference,
        Reference::InterIts {
            referent_id: referent,
            token
        }
    );
    assert_eq!(msgs[1].unicode, Some(UnicodeFlag::AutoConvert));
    assert_eq!(msgs[1].request_id, None);
    assert_eq!(
        msgs[1].kind,
        MessageKind::InterIts {
            message_type: InterItsType::Advertising
        }
    );
}

#[test]
fn by_default_a_repeated_request_id_is_a_second_message() {
    let emu = start();
    let first = referent_of(&send(&emu, Some(DEMO_INTERITS_KEY), &body()));
    let second = referent_of(&send_again(&emu));
    assert_ne!(first, second, "a repeat is answered as a new message");
    let msgs = emu.messages();
    assert_eq!(msgs.len(), 2, "both were recorded: two real SMS");
    assert_eq!(msgs[0].request_id, msgs[1].request_id);
    assert_eq!(msgs[0].recipients, msgs[1].recipients);
    assert_ne!(msgs[0].reference, msgs[1].reference);
    assert!(
        matches!(&msgs[1].reference, Reference::InterIts { referent_id, .. } if *referent_id == second)
    );
}

#[test]
fn dedup_from_the_config_replays_the_first_answer() {
    let emu = start_with(EmulatorConfig {
        interits: InterItsConfig {
            dedup_request_id: true,
            ..InterItsConfig::default()
        },
        ..EmulatorConfig::default()
    });
    let first = send(&emu, Some(DEMO_INTERITS_KEY), &body());
    let again = send_again(&emu);
    assert_eq!(again.text(), first.text(), "same referentId and token");
    assert_eq!(emu.messages().len(), 1, "the repeat recorded nothing");
    // A different requestId is a new message, and so is one without a requestId.
    let mut other = body();
    other["requestId"] = json!("ord-124");
    assert_ne!(
        referent_of(&send(&emu, Some(DEMO_INTERITS_KEY), &other)),
        referent_of(&first)
    );
    let mut none = body();
    none.as_object_mut().unwrap().remove("requestId");
    let a = referent_of(&send(&emu, Some(DEMO_INTERITS_KEY), &none));
    let b = referent_of(&send(&emu, Some(DEMO_INTERITS_KEY), &none));
    assert_ne!(a, b);
    assert_eq!(emu.messages().len(), 4);
}

#[test]
fn dedup_switched_at_run_time_and_restored_by_reset() {
    let emu = start();
    let first = referent_of(&send(&emu, Some(DEMO_INTERITS_KEY), &body()));
    emu.set_interits_dedup_request_id(true);
    // Ids sent before the switch count too.
    assert_eq!(referent_of(&send_again(&emu)), first);
    assert_eq!(emu.messages().len(), 1);
    emu.set_interits_dedup_request_id(false);
    assert_ne!(referent_of(&send_again(&emu)), first);
    assert_eq!(emu.messages().len(), 2);

    emu.set_interits_dedup_request_id(true);
    emu.reset();
    let a = referent_of(&send(&emu, Some(DEMO_INTERITS_KEY), &body()));
    let b = referent_of(&send_again(&emu));
    assert_ne!(a, b, "reset put the configured default (off) back");
    assert_eq!(emu.messages().len(), 2);
}

#[test]
fn dedup_through_the_control_api() {
    let emu = start();
    let settings = |method: &str, body: &str| {
        call(
            &emu,
            method,
            "/_emulator/settings",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
    };
    // The answer lists every setting; the eSMS ones keep their defaults here.
    let answer = |dedup: bool| {
        format!(
            r#"{{"interits_dedup_request_id":{dedup},"esms_multichannel_returned_sms_id":"parent","esms_multichannel_report_sms_id":"returned","esms_check_code_invalid":"117","esms_zns_bulk_detail":"all"}}"#
        )
    };
    let current = settings("GET", "");
    assert_eq!(current.status, 200);
    assert_eq!(current.text(), answer(false));
    let on = settings("POST", r#"{"interits_dedup_request_id":true}"#);
    assert_eq!(on.status, 200);
    assert_eq!(on.text(), answer(true));
    assert_eq!(settings("GET", "").text(), answer(true));

    let first = send(&emu, Some(DEMO_INTERITS_KEY), &body());
    assert_eq!(send_again(&emu).text(), first.text());
    let records = call(&emu, "GET", "/_emulator/messages", &[], b"").json();
    assert_eq!(records.as_array().unwrap().len(), 1);

    // An empty object changes nothing; anything malformed is refused and changes nothing.
    assert_eq!(settings("POST", "{}").text(), answer(true));
    for bad in [
        "",
        r#"{"interits_dedup_request_id":"yes"}"#,
        r#"{"interits_dedup":false}"#,
    ] {
        let r = settings("POST", bad);
        assert_eq!(r.status, 400, "{bad}");
        assert!(r.json()["error"].is_string());
    }
    assert!(emu.messages().len() == 1);

    assert_eq!(
        settings("POST", r#"{"interits_dedup_request_id":false}"#).text(),
        answer(false)
    );
    assert_ne!(referent_of(&send_again(&emu)), referent_of(&first));
    assert_eq!(emu.messages().len(), 2);

    settings("POST", r#"{"interits_dedup_request_id":true}"#);
    call(&emu, "POST", "/_emulator/reset", &[], b"");
    assert_eq!(settings("GET", "").text(), answer(false));
    assert_eq!(settings("PUT", "{}").status, 405);
}

#[test]
fn unauthorized() {
    let emu = start();
    for key in [None, Some("WRONG")] {
        let r = send(&emu, key, &body());
        assert_eq!(r.status, 401);
        assert_eq!(r.text(), r#"{"code":401,"message":"Unauthorized"}"#);
    }
    // The key is a header, never a query parameter (D-B3).
    let r = call(
        &emu,
        "POST",
        &format!("{PATH}?API-KEY={DEMO_INTERITS_KEY}"),
        &[("Content-Type", "application/json")],
        body().to_string().as_bytes(),
    );
    assert_eq!(r.status, 401);
    assert!(emu.messages().is_empty());
}

#[test]
fn bad_bodies_are_400_with_errors() {
    let emu = start();
    let cases: Vec<(&str, Value)> = vec![
        ("useUnicode", json!({"useUnicode": "0"})),
        ("type", json!({"type": 3})),
        ("type", json!({"type": null})),
        ("destinations", json!({"destinations": []})),
        ("destinations", json!({"destinations": ["+84901234567"]})),
        ("destinations", json!({"destinations": "0901234567"})),
        ("from", json!({"from": "OTHER"})),
        ("text", json!({"text": ""})),
        ("scheduled", json!({"scheduled": "2030-12-20 03:33:44"})),
        (
            "scheduled",
            json!({"scheduled": "2030-12-20T10:33:44+07:00"}),
        ),
        ("ext", json!({"ext": "x"})),
        ("request_id", json!({"request_id": "x"})),
        ("useunicode", json!({"useunicode": 0})),
    ];
    for (field, patch) in cases {
        let mut b = body();
        for (k, v) in patch.as_object().unwrap() {
            b[k] = v.clone();
        }
        let r = send(&emu, Some(DEMO_INTERITS_KEY), &b);
        assert_eq!(r.status, 400, "{patch}");
        let v = r.json();
        assert_eq!(v["code"], 400);
        assert_eq!(v["message"], "Bad Request");
        assert!(v["errors"].get(field).is_some(), "{field}: {v}");
    }
    let r = call(
        &emu,
        "POST",
        PATH,
        &[
            ("Content-Type", "application/json"),
            ("API-KEY", DEMO_INTERITS_KEY),
        ],
        b"[1,",
    );
    assert_eq!(r.status, 400);
    let r = call(
        &emu,
        "POST",
        PATH,
        &[
            ("Content-Type", "text/plain"),
            ("API-KEY", DEMO_INTERITS_KEY),
        ],
        body().to_string().as_bytes(),
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        call(&emu, "GET", PATH, &[("API-KEY", DEMO_INTERITS_KEY)], b"").status,
        405
    );
    assert_eq!(
        call(&emu, "POST", "/interits/api/vendor/v1/sms/other", &[], b"").status,
        404
    );
    assert!(emu.messages().is_empty());
}
