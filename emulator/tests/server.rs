//! The server itself: faults, keep-alive, malformed HTTP, the control API, shutdown.

mod common;

use std::io::{ErrorKind, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use common::*;
use nhantin_emulator::{Emulator, Fault, DEMO_ESMS_API_KEY as KEY, DEMO_ESMS_SECRET_KEY as SECRET};
use serde_json::{json, Value};

const OP: &str = "SendMultipleMessage_V4_post_json/";

fn body(request_id: &str) -> Value {
    json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": "0901234567", "Content": "Ma OTP 1",
           "Brandname": "NHANTIN", "SmsType": "2", "RequestId": request_id})
}

fn send(emu: &Emulator, request_id: &str) -> std::io::Result<Resp> {
    Client::connect(emu.addr()).request(
        "POST",
        &format!("{ESMS}{OP}"),
        &[("Content-Type", "application/json")],
        body(request_id).to_string().as_bytes(),
    )
}

fn assert_reset(result: std::io::Result<Resp>) {
    match result {
        Err(e) => assert_eq!(e.kind(), ErrorKind::ConnectionReset, "{e}"),
        Ok(r) => panic!("expected a reset, got {} {:?}", r.status, r.text()),
    }
}

#[test]
fn reset_before_read_processes_nothing() {
    let emu = start();
    emu.inject(Fault::ResetBeforeRead, 1, None);
    assert_reset(send(&emu, "a"));
    assert!(emu.messages().is_empty());
    // The fault was used up: the retry (same RequestId) goes through.
    assert_eq!(send(&emu, "a").unwrap().json()["CodeResult"], "100");
}

#[test]
fn reset_after_accept_processes_and_records() {
    let emu = start();
    emu.inject(Fault::ResetAfterAccept, 1, None);
    assert_reset(send(&emu, "b"));
    assert_eq!(emu.messages().len(), 1);
    // A blind retry with the same RequestId is caught by the provider: 124, no second message.
    assert_eq!(send(&emu, "b").unwrap().json()["CodeResult"], "124");
    assert_eq!(emu.messages().len(), 1);
}

#[test]
fn status_429_html_and_oversized_faults_do_not_process() {
    let emu = start();
    emu.inject(Fault::Status(503), 1, None);
    emu.inject(Fault::Status(500), 1, None);
    emu.inject(
        Fault::TooManyRequests {
            retry_after_secs: 7,
        },
        1,
        None,
    );
    emu.inject(Fault::HtmlPage, 1, None);
    emu.inject(Fault::OversizedBody(5 * 1024 * 1024), 1, None);
    // All on one keep-alive connection: each fault answer is properly framed.
    let mut c = Client::connect(emu.addr());
    let mut next = || {
        c.request(
            "POST",
            &format!("{ESMS}{OP}"),
            &[("Content-Type", "application/json")],
            body("c").to_string().as_bytes(),
        )
        .unwrap()
    };
    let r = next();
    assert_eq!(r.status, 503);
    assert_eq!(r.text(), "503 Service Unavailable");
    assert_eq!(next().status, 500);
    let r = next();
    assert_eq!(r.status, 429);
    assert_eq!(r.header("Retry-After"), Some("7"));
    let r = next();
    assert_eq!(r.status, 200);
    assert!(r.header("Content-Type").unwrap().starts_with("text/html"));
    assert!(r.text().contains("<html>"));
    let r = next();
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), 5 * 1024 * 1024);
    assert!(serde_json::from_slice::<Value>(&r.body).is_ok());
    assert!(emu.messages().is_empty());
    // Queue drained: the same request now goes through.
    assert_eq!(next().json()["CodeResult"], "100");
    assert_eq!(emu.messages().len(), 1);
}

#[test]
fn malformed_json_processes_but_garbles_the_answer() {
    let emu = start();
    emu.inject(Fault::MalformedJson, 1, None);
    let r = send(&emu, "d").unwrap();
    assert_eq!(r.status, 200);
    assert!(serde_json::from_slice::<Value>(&r.body).is_err());
    assert!(r.text().starts_with("{\"CodeResult\":"));
    assert_eq!(emu.messages().len(), 1);
}

#[test]
fn delay_then_answer_and_path_filter() {
    let emu = start();
    emu.inject(
        Fault::Delay(Duration::from_millis(300)),
        1,
        Some("/caresoft/"),
    );
    let started = Instant::now();
    assert_eq!(send(&emu, "e").unwrap().json()["CodeResult"], "100");
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "eSMS path not delayed"
    );
    let started = Instant::now();
    let r = call(&emu, "POST", "/caresoft/demo/api/v1/sms", &[], b"");
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(r.status, 401);
}

#[test]
fn keep_alive_serves_two_requests_on_one_connection() {
    let emu = start();
    let mut c = Client::connect(emu.addr());
    let path = format!("{ESMS}{OP}");
    let headers = [("Content-Type", "application/json")];
    let a = c
        .request("POST", &path, &headers, body("k1").to_string().as_bytes())
        .unwrap();
    assert_eq!(a.header("Connection"), Some("keep-alive"));
    let b = c
        .request("POST", &path, &headers, body("k2").to_string().as_bytes())
        .unwrap();
    assert_eq!(a.json()["CodeResult"], "100");
    assert_eq!(b.json()["CodeResult"], "100");
    // Pipelined: two requests in one write.
    let one = "GET /_emulator/health HTTP/1.1\r\nHost: x\r\n\r\n";
    c.stream
        .write_all(format!("{one}{one}").as_bytes())
        .unwrap();
    assert_eq!(c.read_response().unwrap().text(), r#"{"ok":true}"#);
    assert_eq!(c.read_response().unwrap().text(), r#"{"ok":true}"#);
    // Connection: close is honoured.
    let r = c
        .request("GET", "/_emulator/health", &[("Connection", "close")], b"")
        .unwrap();
    assert_eq!(r.header("Connection"), Some("close"));
    assert!(c.is_closed());
    assert_eq!(emu.messages().len(), 2);
}

#[test]
fn malformed_http_gets_400_and_a_close() {
    let emu = start();
    for raw in [
        &b"GARBAGE\r\n\r\n"[..],
        b"POST /x HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
        b"GET / HTTP/1.1\r\nbad header\r\n\r\n",
        b"\x00\x01\x02\r\n\r\n",
    ] {
        let mut c = Client::connect(emu.addr());
        let r = c.raw(raw).unwrap();
        assert_eq!(r.status, 400, "{:?}", String::from_utf8_lossy(raw));
        assert!(c.is_closed());
    }
    let mut c = Client::connect(emu.addr());
    let r = c
        .raw(b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        .unwrap();
    assert_eq!(r.status, 411);
    let mut c = Client::connect(emu.addr());
    let r = c
        .raw(b"POST /x HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n")
        .unwrap();
    assert_eq!(r.status, 413);
    let mut c = Client::connect(emu.addr());
    let huge = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(70 * 1024));
    assert_eq!(c.raw(huge.as_bytes()).unwrap().status, 431);
    // Expect: 100-continue gets its interim answer.
    let mut c = Client::connect(emu.addr());
    c.stream
        .write_all(
            b"POST /_emulator/reset HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n",
        )
        .unwrap();
    assert_eq!(c.read_response().unwrap().status, 100);
    c.stream.write_all(b"{}").unwrap();
    assert_eq!(c.read_response().unwrap().status, 200);
}

#[test]
fn control_api_over_http() {
    let emu = start();
    let post = |path: &str, body: &str| {
        call(
            &emu,
            "POST",
            path,
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
    };
    assert_eq!(
        post(
            "/_emulator/faults",
            r#"{"fault":"reset_after_accept","times":1,"path":"post_json"}"#
        )
        .status,
        200
    );
    assert_eq!(
        post(
            "/_emulator/faults",
            r#"{"fault":"status","status":503,"path":"nothing-matches"}"#
        )
        .status,
        200
    );
    assert_eq!(
        post("/_emulator/faults", r#"{"fault":"status","status":200}"#).status,
        400
    );
    assert_eq!(
        post("/_emulator/faults", r#"{"fault":"explode"}"#).status,
        400
    );
    assert_reset(send(&emu, "f"));
    let msgs = call(&emu, "GET", "/_emulator/messages", &[], b"").json();
    let msgs = msgs.as_array().unwrap();
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0]["provider"], "esms");
    assert_eq!(msgs[0]["endpoint"], "SendMultipleMessage_V4_post_json");
    assert_eq!(
        msgs[0]["kind"],
        json!({"provider": "esms", "sms_type": "customer_care"})
    );
    assert_eq!(msgs[0]["reference"]["kind"], "esms_sms_id");
    assert_eq!(msgs[0]["request_id"], "f");
    assert_eq!(
        call(&emu, "GET", "/_emulator/delivery-reports", &[], b"").json(),
        json!([])
    );
    assert_eq!(
        post("/_emulator/advance-clock", r#"{"secs":60}"#).status,
        200
    );
    assert_eq!(post("/_emulator/reset", "").text(), r#"{"reset":true}"#);
    assert!(emu.messages().is_empty());
    // Reset also dropped the unused 503 fault.
    assert_eq!(send(&emu, "f").unwrap().json()["CodeResult"], "100");
    assert_eq!(call(&emu, "GET", "/_emulator/reset", &[], b"").status, 405);
    assert_eq!(call(&emu, "GET", "/_emulator/nope", &[], b"").status, 404);
}

#[test]
fn faults_never_hit_the_control_api() {
    let emu = start();
    emu.inject(Fault::ResetBeforeRead, 1, None);
    assert_eq!(call(&emu, "GET", "/_emulator/health", &[], b"").status, 200);
    assert_reset(send(&emu, "g"));
}

#[test]
fn drop_frees_the_port_and_stops_idle_connections() {
    let emu = start();
    let addr = emu.addr();
    assert_eq!(emu.base_url(), format!("http://{addr}"));
    assert_eq!(
        emu.esms_base_url(),
        format!("http://{addr}/esms/MainService.svc/json/")
    );
    assert_eq!(emu.caresoft_base_url(), format!("http://{addr}/caresoft"));
    assert_eq!(emu.interits_base_url(), format!("http://{addr}/interits"));
    // An idle keep-alive connection must not keep the emulator alive.
    let mut idle = Client::connect(addr);
    assert_eq!(
        idle.request("GET", "/_emulator/health", &[], b"")
            .unwrap()
            .status,
        200
    );
    let started = Instant::now();
    drop(emu);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "drop took {:?}",
        started.elapsed()
    );
    assert!(idle.is_closed());
    assert!(
        TcpStream::connect(addr).is_err(),
        "nothing listens any more"
    );
    let again = TcpListener::bind(addr).expect("port is free after drop");
    drop(again);
    // And an emulator can be started on that very port.
    let emu = Emulator::start(nhantin_emulator::EmulatorConfig {
        port: addr.port(),
        ..Default::default()
    })
    .expect("restart on the same port");
    assert_eq!(emu.addr(), addr);
    emu.shutdown();
}
