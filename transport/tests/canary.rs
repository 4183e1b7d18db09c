//! The leak canary: recognisable keys, phone numbers and message texts go through every send,
//! encode-error, fault and logging path, and no log line, error message, error JSON, Debug or
//! Display may show them (phones only masked, texts not at all).

use std::sync::Mutex;
use std::time::Duration;

use nhantin_core::send::{AccountState, SendContext, SendMachine, SendPolicy, Step};
use nhantin_core::{AccountInput, HttpResponse, MessageInput, Timestamp};
use nhantin_emulator::{Emulator, EmulatorConfig, Fault};
use nhantin_transport::{Client, ClientConfig, Error};
use serde_json::json;

const KEY: &str = nhantin_emulator::DEMO_ESMS_API_KEY;
const SECRET: &str = nhantin_emulator::DEMO_ESMS_SECRET_KEY;
const PHONE: &str = "0912345678";
const OTP: &str = "SECRET-OTP-778899";
const PROXY_PASSWORD: &str = "Pr0xyPassLEAK";

/// Every record the library logs, at every level.
struct Collector(Mutex<Vec<String>>);

impl log::Log for Collector {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        self.0.lock().unwrap().push(format!(
            "{} {}: {}",
            record.level(),
            record.target(),
            record.args()
        ));
    }
    fn flush(&self) {}
}

static LOGS: Collector = Collector(Mutex::new(Vec::new()));

/// Fails on any unmasked occurrence of a canary in `text`.
fn assert_clean(what: &str, text: &str) {
    for (canary, name) in [
        (KEY, "API key"),
        (SECRET, "secret key"),
        (PROXY_PASSWORD, "proxy password"),
        (PHONE, "phone (national)"),
        ("84912345678", "phone (international)"),
        ("912345678", "phone digits"),
        ("778899", "message text (the OTP)"),
    ] {
        assert!(!text.contains(canary), "{what} shows the {name}: {text}");
    }
}

fn every_surface(what: &str, e: &Error) {
    assert_clean(&format!("{what} Display"), &e.to_string());
    assert_clean(&format!("{what} Debug"), &format!("{e:?}"));
    assert_clean(&format!("{what} JSON"), &e.to_json().to_string());
}

#[test]
fn no_key_phone_or_text_on_any_surface() {
    log::set_logger(&LOGS).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let account_json = json!({"provider": "esms", "api_key": KEY, "secret_key": SECRET, "base_url": em.esms_base_url()}).to_string();
    let input = AccountInput::from_json(&account_json).unwrap();
    assert_clean("AccountInput Debug", &format!("{input:?}"));
    let account = input.validate().unwrap();
    assert_clean("Account Debug", &format!("{account:?}"));
    let config = ClientConfig {
        allow_insecure_http: true,
        max_attempts: 1,
        no_env_proxy: true,
        request_timeout: Duration::from_millis(500),
        ..ClientConfig::default()
    };
    let with_proxy = ClientConfig {
        proxy: Some(format!("http://erp:{PROXY_PASSWORD}@proxy.example.vn:3128")),
        ..config.clone()
    };
    assert_clean("ClientConfig Debug", &format!("{with_proxy:?}"));
    assert!(
        format!("{with_proxy:?}").contains("proxy.example.vn:3128"),
        "the proxy host is still shown"
    );
    let client = Client::new(account.clone(), config.clone()).unwrap();
    assert_clean("Client Debug", &format!("{client:?}"));

    // Every eSMS send shape, through faults that end in each error class.
    let messages = [
        json!({"recipients": [PHONE], "content": {"sms": {"purpose": "fixed_number", "text": OTP}}, "options": {"esms": {"format": "get"}}}),
        json!({"recipients": [PHONE], "content": {"sms": {"purpose": "otp", "text": OTP, "sender": "NHANTIN"}}}),
        json!({"recipients": [PHONE, "0987654321"], "content": {"sms": {"purpose": "customer_care", "text": OTP, "sender": "NHANTIN"}}, "options": {"esms": {"format": "xml"}}}),
    ];
    let faults = [
        Fault::ResetBeforeRead,
        Fault::ResetAfterAccept,
        Fault::Status(503),
        Fault::HtmlPage,
        Fault::MalformedJson,
        Fault::Delay(Duration::from_secs(2)),
    ];
    for m in &messages {
        let message = MessageInput::from_json(&m.to_string())
            .unwrap()
            .validate()
            .unwrap();
        assert_clean("Message Debug", &format!("{message:?}"));
        for fault in &faults {
            em.reset();
            em.inject(fault.clone(), 1, None);
            let result = client.send(&message);
            if let Err(e) = &result {
                every_surface(&format!("{fault:?} send error"), e);
            }
            assert_clean(&format!("{fault:?} outcome Debug"), &format!("{result:?}"));
        }
        let keyed = message
            .clone()
            .with_request_id(nhantin_core::RequestId::new("canary-0").unwrap());
        let request = account.encode_send(&keyed, client.now()).unwrap();
        assert_clean("HttpRequest Debug", &format!("{request:?}"));
    }

    // Refusals from core before anything is sent: bad phones, bad JSON that echoes values.
    for bad in [
        json!({"recipients": ["0912345678x"], "content": {"sms": {"purpose": "otp", "text": OTP, "sender": "NHANTIN"}}}).to_string(),
        json!({"recipients": ["01912345678"], "content": {"sms": {"purpose": "otp", "text": OTP, "sender": "NHANTIN"}}}).to_string(),
        json!({"recipients": [PHONE, "+84912345678"], "content": {"sms": {"purpose": "otp", "text": OTP, "sender": "NHANTIN"}}}).to_string(),
        json!({"recipients": PHONE, "content": {"sms": {"purpose": "otp", "text": OTP}}}).to_string(),
        json!({"recipients": [PHONE], "content": {"sms": {"purpose": "otp", "text": 778899}}}).to_string(),
    ] {
        // Refused when parsed, or (a recipient listed twice) when encoded.
        let err = match MessageInput::from_json(&bad).and_then(MessageInput::validate) {
            Err(e) => e,
            Ok(m) => account.encode_send(&m.with_request_id(nhantin_core::RequestId::new("canary-2").unwrap()), client.now()).unwrap_err(),
        };
        assert_clean("message input error", &err.to_string());
    }
    let err = AccountInput::from_json(
        &json!({"provider": "esms", "api_key": KEY, "secret_key": 778899}).to_string(),
    )
    .unwrap_err();
    assert_clean("account input error", &err.to_string());

    // A proxy's error page that echoes the whole request URL, keys and phone included.
    let message = MessageInput::from_json(&messages[0].to_string())
        .unwrap()
        .validate()
        .unwrap();
    let policy = SendPolicy {
        max_attempts: 1,
        ..SendPolicy::default()
    };
    let now = Timestamp::from_unix_secs(1_795_000_000);
    let mut machine = SendMachine::new(
        &account,
        &message,
        SendContext {
            now,
            fresh_request_id: Some(nhantin_core::RequestId::new("canary-1").unwrap()),
            jitter_seed: 1,
        },
        &policy,
    )
    .unwrap();
    let mut state = AccountState::new();
    let Step::Transmit(request) = machine.poll(now, &mut state) else {
        panic!("expected a transmit")
    };
    let echo = format!("<html>502 Bad Gateway for {}</html>", request.url);
    machine.on_response(now, &mut state, &HttpResponse::new(502, echo.clone()));
    let Step::Done(Err(e)) = machine.poll(now, &mut state) else {
        panic!("expected an error")
    };
    let e = Error::from(e);
    every_surface("echoed proxy page", &e);

    let logs = LOGS.0.lock().unwrap().clone();
    assert!(!logs.is_empty(), "the sends above were logged");
    for line in &logs {
        assert_clean("log line", line);
    }
    println!(
        "canary: {} log lines, {} messages x {} faults, clean",
        logs.len(),
        messages.len(),
        faults.len()
    );
}
