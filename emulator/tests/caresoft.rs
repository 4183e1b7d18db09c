//! CareSoft: success, 401, 404, 400, rate limit and the lock-out.

mod common;

use std::time::Duration;

use common::*;
use nhantin_emulator::{
    CareSoftConfig, CareSoftTenant, EmulatorConfig, Endpoint, MessageKind, Provider, RateLimit,
    Reference, CARESOFT_LOCKOUT_MESSAGE, DEMO_CARESOFT_TOKEN,
};
use serde_json::{json, Value};

const PATH: &str = "/caresoft/demo/api/v1/sms";

fn send(client: &mut Client, token: Option<&str>, body: &Value) -> Resp {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(a) = &auth {
        headers.push(("Authorization", a.as_str()));
    }
    client
        .request("POST", PATH, &headers, body.to_string().as_bytes())
        .expect("response")
}

fn sms() -> Value {
    json!({"sms": {"service_id": "12", "content": "Chúc mừng sinh nhật quý khách hàng.", "phone": "0980000000"}})
}

fn error_body(message: &str) -> String {
    serde_json::to_string(&json!({"code": "errors", "message": message})).unwrap()
}

#[test]
fn success_returns_a_ticket_and_is_recorded() {
    let emu = start();
    let mut c = Client::connect(emu.addr());
    let r = send(&mut c, Some(DEMO_CARESOFT_TOKEN), &sms());
    assert_eq!(r.status, 200);
    assert_eq!(
        r.text(),
        r#"{"code":"ok","ticket":{"ticket_id":291437,"ticket_no":205025,"requester_id":63203810,"assignee_id":1}}"#
    );
    // service_id as a number, attached to an existing ticket; same phone → same requester.
    let r = send(
        &mut c,
        Some(DEMO_CARESOFT_TOKEN),
        &json!({"sms": {"service_id": 12, "content": "x", "phone": "0980000000", "ticket_id": "291437"}}),
    );
    assert_eq!(
        r.json()["ticket"],
        json!({"ticket_id":291437,"ticket_no":205025,"requester_id":63203810,"assignee_id":1})
    );
    let msgs = emu.messages();
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[0].provider, Provider::CareSoft);
    assert_eq!(msgs[0].endpoint, Endpoint::CareSoftSms);
    assert_eq!(msgs[0].account, "demo");
    assert_eq!(msgs[0].kind, MessageKind::CareSoft { service_id: 12 });
    assert_eq!(
        msgs[0].text.as_deref(),
        Some("Chúc mừng sinh nhật quý khách hàng.")
    );
    assert_eq!(
        msgs[0].reference,
        Reference::CareSoftTicket {
            ticket_id: 291437,
            ticket_no: 205025
        }
    );
    assert_eq!(msgs[1].attached_ticket_id, Some(291437));
}

#[test]
fn auth_domain_and_validation_errors() {
    let emu = start();
    let mut c = Client::connect(emu.addr());
    let r = send(&mut c, None, &sms());
    assert_eq!(
        (r.status, r.text().to_owned()),
        (401, error_body("Unauthenticated."))
    );
    let r = send(&mut c, Some("wrong"), &sms());
    assert_eq!(r.status, 401);
    let r = c
        .request(
            "POST",
            "/caresoft/nobody/api/v1/sms",
            &[("Authorization", "Bearer x")],
            b"{}",
        )
        .unwrap();
    assert_eq!(
        (r.status, r.text().to_owned()),
        (404, error_body("Domain not found"))
    );

    let bad: Vec<Value> = vec![
        json!({"sms": {"service_id": "13", "content": "x", "phone": "0980000000"}}),
        json!({"sms": {"service_id": "12", "content": "", "phone": "0980000000"}}),
        json!({"sms": {"service_id": "12", "content": "x".repeat(1001), "phone": "0980000000"}}),
        json!({"sms": {"service_id": "12", "content": "x", "phone": "+84980000000"}}),
        json!({"sms": {"service_id": "12", "content": "x"}}),
        json!({"sms": {"serviceId": "12", "service_id": "12", "content": "x", "phone": "0980000000"}}),
        json!({"sms": {"service_id": "1x", "content": "x", "phone": "0980000000"}}),
        json!({"SMS": {"service_id": "12", "content": "x", "phone": "0980000000"}}),
        json!({"service_id": "12", "content": "x", "phone": "0980000000"}),
    ];
    for body in bad {
        let r = send(&mut c, Some(DEMO_CARESOFT_TOKEN), &body);
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(r.json()["code"], "errors");
    }
    // 1000 characters (not bytes) is the limit.
    let ok =
        json!({"sms": {"service_id": "12", "content": "ệ".repeat(1000), "phone": "0980000000"}});
    assert_eq!(send(&mut c, Some(DEMO_CARESOFT_TOKEN), &ok).status, 200);
    let r = c
        .request(
            "POST",
            PATH,
            &[
                ("Authorization", "Bearer DEMO_CARESOFT_TOKEN"),
                ("Content-Type", "text/plain"),
            ],
            sms().to_string().as_bytes(),
        )
        .unwrap();
    assert_eq!(r.status, 400);
    assert_eq!(emu.messages().len(), 1);
}

fn limited(max_requests: u32) -> EmulatorConfig {
    EmulatorConfig {
        caresoft: CareSoftConfig {
            tenants: vec![CareSoftTenant {
                // A long window keeps the test independent of machine speed.
                rate_limit: RateLimit {
                    max_requests,
                    per: Duration::from_secs(60),
                },
                ..CareSoftTenant::default()
            }],
            ..CareSoftConfig::default()
        },
        ..EmulatorConfig::default()
    }
}

#[test]
fn rate_limit_then_lockout_after_21_consecutive_429s() {
    let emu = start_with(limited(2));
    let mut c = Client::connect(emu.addr());
    for _ in 0..2 {
        assert_eq!(send(&mut c, Some(DEMO_CARESOFT_TOKEN), &sms()).status, 200);
    }
    for i in 0..21 {
        let r = send(&mut c, Some(DEMO_CARESOFT_TOKEN), &sms());
        assert_eq!(r.status, 429, "429 number {}", i + 1);
        assert_eq!(r.text(), error_body("Too Many Attempts."));
        let retry: u64 = r.header("Retry-After").unwrap().parse().unwrap();
        assert!((1..=60).contains(&retry));
    }
    let r = send(&mut c, Some(DEMO_CARESOFT_TOKEN), &sms());
    assert_eq!(r.status, 404);
    assert_eq!(
        r.text(),
        r#"{"code":"errors","message":"Domain incorrect too many times , retry after 15 minutes "}"#
    );
    assert_eq!(r.json()["message"], CARESOFT_LOCKOUT_MESSAGE);
    // Even an unauthenticated request is locked out.
    assert_eq!(send(&mut c, None, &sms()).status, 404);

    // 15 minutes of emulator time end the lock-out.
    emu.advance_clock(Duration::from_secs(15 * 60));
    assert_eq!(send(&mut c, Some(DEMO_CARESOFT_TOKEN), &sms()).status, 200);
    assert_eq!(emu.messages().len(), 3);
}

#[test]
fn twenty_429s_do_not_lock_out_and_reset_ends_a_lockout() {
    let emu = start_with(limited(1));
    let mut c = Client::connect(emu.addr());
    assert_eq!(send(&mut c, Some(DEMO_CARESOFT_TOKEN), &sms()).status, 200);
    for _ in 0..20 {
        assert_eq!(send(&mut c, Some(DEMO_CARESOFT_TOKEN), &sms()).status, 429);
    }
    // The 21st consecutive 429 is still a 429 …
    assert_eq!(send(&mut c, Some(DEMO_CARESOFT_TOKEN), &sms()).status, 429);
    // … and from then on the domain is locked out.
    assert_eq!(send(&mut c, Some(DEMO_CARESOFT_TOKEN), &sms()).status, 404);
    emu.reset();
    assert_eq!(send(&mut c, Some(DEMO_CARESOFT_TOKEN), &sms()).status, 200);
    assert_eq!(emu.messages().len(), 1);
}
