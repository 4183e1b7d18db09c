//! InterITS: success, 401, 400 and the requestId replay rule.

mod common;

use common::*;
use nhantin_emulator::{
    Endpoint, InterItsType, MessageKind, Provider, Reference, UnicodeFlag, DEMO_INTERITS_KEY,
};
use serde_json::{json, Value};

const PATH: &str = "/interits/api/vendor/v1/sms/send-message";

fn body() -> Value {
    json!({"destinations": ["0901234567"], "from": "NHANTIN", "text": "Ma OTP: 123456",
           "scheduled": "2030-12-20T03:33:44.757Z", "requestId": "ord-123-otp-1",
           "useUnicode": 0, "type": 2, "ext": {}})
}

fn send(emu: &nhantin_emulator::Emulator, key: Option<&str>, body: &Value) -> Resp {
    let mut headers = vec![("Content-Type", "application/json"), ("accept", "*/*")];
    if let Some(k) = key {
        headers.push(("API-KEY", k));
    }
    call(emu, "POST", PATH, &headers, body.to_string().as_bytes())
}

#[test]
fn success_and_replay_of_the_same_request_id() {
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

    // Same requestId, same key → same answer, nothing new recorded. Header names are
    // case-insensitive.
    let again = call(
        &emu,
        "POST",
        PATH,
        &[
            ("content-type", "application/json"),
            ("api-key", DEMO_INTERITS_KEY),
        ],
        body().to_string().as_bytes(),
    );
    assert_eq!(again.text(), r.text());
    // A different requestId is a new message; no requestId too.
    let mut other = body();
    other["requestId"] = json!("ord-124");
    assert_ne!(
        send(&emu, Some(DEMO_INTERITS_KEY), &other).json()["referentId"],
        referent.as_str()
    );
    let mut none = body();
    none.as_object_mut().unwrap().remove("requestId");
    none.as_object_mut().unwrap().remove("scheduled");
    none["useUnicode"] = json!(2);
    none["type"] = json!(1);
    none["destinations"] = json!(["84901234567", "0912345678"]);
    assert_eq!(send(&emu, Some(DEMO_INTERITS_KEY), &none).status, 200);

    let msgs = emu.messages();
    assert_eq!(msgs.len(), 3);
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
    assert_eq!(
        m.reference,
        Reference::InterIts {
            referent_id: referent,
            token
        }
    );
    assert_eq!(msgs[2].unicode, Some(UnicodeFlag::AutoConvert));
    assert_eq!(
        msgs[2].kind,
        MessageKind::InterIts {
            message_type: InterItsType::Advertising
        }
    );
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
