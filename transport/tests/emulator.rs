//! Every endpoint through the real transport to the loopback emulator, the documented errors,
//! the fault matrix, bulk splitting and concurrency. The emulator's record of accepted messages
//! is the judge of "never sent twice".

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use nhantin_core::{Account, AccountInput, Message, MessageInput, Rejection};
use nhantin_emulator::{Emulator, EmulatorConfig, Fault};
use nhantin_transport::{Client, ClientConfig, Error, SendError, SendOutcome, UnknownOutcome};
use serde_json::{json, Value};

fn fast() -> ClientConfig {
    ClientConfig {
        allow_insecure_http: true,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        request_timeout: Duration::from_secs(3),
        total_deadline: Duration::from_secs(20),
        no_env_proxy: true,
        ..ClientConfig::default()
    }
}

fn core_err(e: &Error) -> Option<&nhantin_core::Error> {
    match e {
        Error::Send(SendError::Refused { error, .. }) => Some(error),
        _ => None,
    }
}

fn unknown(e: &Error) -> &UnknownOutcome {
    match e {
        Error::Send(SendError::OutcomeUnknown(u)) => u,
        other => panic!("expected an unknown outcome, got {other}"),
    }
}

fn account(v: Value) -> Account {
    AccountInput::from_json(&v.to_string())
        .unwrap()
        .validate()
        .unwrap()
}

fn esms(em: &Emulator) -> Account {
    account(
        json!({"provider": "esms", "api_key": nhantin_emulator::DEMO_ESMS_API_KEY, "secret_key": nhantin_emulator::DEMO_ESMS_SECRET_KEY, "base_url": em.esms_base_url()}),
    )
}

fn caresoft(em: &Emulator) -> Account {
    account(
        json!({"provider": "caresoft", "domain": nhantin_emulator::DEMO_CARESOFT_DOMAIN, "api_token": nhantin_emulator::DEMO_CARESOFT_TOKEN, "service_id": 12, "base_url": em.caresoft_base_url()}),
    )
}

fn interits(em: &Emulator) -> Account {
    account(
        json!({"provider": "interits", "api_key": nhantin_emulator::DEMO_INTERITS_KEY, "base_url": em.interits_base_url()}),
    )
}

fn msg(v: Value) -> Message {
    MessageInput::from_json(&v.to_string())
        .unwrap()
        .validate()
        .unwrap()
}

fn otp(request_id: &str) -> Message {
    msg(
        json!({"recipients": ["0912345678"], "content": {"sms": {"purpose": "otp", "text": "Mã OTP 123456", "sender": "NHANTIN"}}, "request_id": request_id}),
    )
}

fn caresoft_msg() -> Message {
    msg(
        json!({"recipients":["0980000000"],"content":{"sms":{"purpose":"customer_care","text":"Cảm ơn quý khách"}}}),
    )
}

fn start() -> Emulator {
    Emulator::start(EmulatorConfig::default()).unwrap()
}

fn reference(outcome: &SendOutcome) -> String {
    match outcome {
        SendOutcome::Accepted { receipt, .. } => receipt.reference.clone().expect("a reference"),
        other => panic!("not accepted: {other:?}"),
    }
}

fn phones(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("09{:08}", 10_000_000 + i)).collect()
}

#[test]
fn every_send_endpoint_is_accepted_once() {
    let em = start();
    let (e, c, i) = (
        Client::new(esms(&em), fast()).unwrap(),
        Client::new(caresoft(&em), fast()).unwrap(),
        Client::new(interits(&em), fast()).unwrap(),
    );
    let thirty = phones(30);
    let cases: Vec<(&Client, Message)> = vec![
        (&e, otp("ep-json")),
        (
            &e,
            msg(
                json!({"recipients":["0912345678"],"content":{"sms":{"purpose":"fixed_number","text":"x & y"}},"request_id":"ep-fixed"}),
            ),
        ),
        (
            &e,
            msg(
                json!({"recipients":["0912345678","0987654321"],"content":{"sms":{"purpose":"customer_care","text":"a<b>&'\"","sender":"NHANTIN"}},"request_id":"ep-xml","options":{"esms":{"format":"xml"}}}),
            ),
        ),
        (
            &e,
            msg(
                json!({"recipients": thirty, "content": {"sms": {"purpose": "advertising", "text": "KM", "sender": "NHANTIN"}}, "request_id": "ep-adv-xml", "options": {"esms": {"format": "xml"}}}),
            ),
        ),
        (
            &e,
            msg(
                json!({"recipients": thirty, "content": {"sms": {"purpose": "advertising", "text": "KM", "sender": "NHANTIN"}}, "request_id": "ep-adv-json"}),
            ),
        ),
        (
            &e,
            msg(
                json!({"recipients":["0912345678"],"content":{"sms":{"purpose":"fixed_number","text":"OTP 1+1=2 100% #1"}},"request_id":"ep-get","sandbox":true,"options":{"esms":{"format":"get"}}}),
            ),
        ),
        (
            &e,
            msg(
                json!({"recipients":["0912345678"],"content":{"viber":{"text":"t","sender":"NHANTIN"}},"request_id":"ep-v1"}),
            ),
        ),
        (
            &e,
            msg(
                json!({"recipients":["0912345678"],"content":{"viber":{"text":"t","sender":"NHANTIN","button":{"label":"Go","url":"https://e.vn/x"}}},"request_id":"ep-v2"}),
            ),
        ),
        (
            &e,
            msg(
                json!({"recipients":["0912345678"],"content":{"viber":{"text":"t","sender":"NHANTIN","image_url":"https://e.vn/a.png","button":{"label":"Go","url":"https://e.vn/x"}}},"request_id":"ep-v3"}),
            ),
        ),
        (
            &e,
            msg(
                json!({"recipients":["0912345678"],"content":{"viber":{"text":"","sender":"NHANTIN","image_url":"https://e.vn/a.png"}},"request_id":"ep-v4"}),
            ),
        ),
        (&c, caresoft_msg()),
        (
            &c,
            msg(
                json!({"recipients":["0980000000"],"content":{"sms":{"purpose":"otp","text":"OTP 1"}},"options":{"caresoft":{"ticket_id":77}}}),
            ),
        ),
        (
            &i,
            msg(
                json!({"recipients":["0901234567"],"content":{"sms":{"purpose":"otp","text":"Mã OTP","sender":"NHANTIN"}},"request_id":"ep-it"}),
            ),
        ),
        (
            &i,
            msg(
                json!({"recipients":["0901234567","0912345678"],"content":{"sms":{"purpose":"advertising","text":"KM","sender":"NHANTIN"}},"request_id":"ep-it2","schedule":"2099-01-01T00:00:00Z"}),
            ),
        ),
    ];
    let n = cases.len();
    let mut refs = Vec::new();
    for (client, m) in cases {
        let outcome = client.send(&m).unwrap_or_else(|e| panic!("{m:?}: {e}"));
        assert_eq!(outcome.attempts(), 1);
        refs.push(reference(&outcome));
    }
    let accepted = em.messages();
    assert_eq!(accepted.len(), n, "{accepted:#?}");
    assert_eq!(
        refs.iter().collect::<BTreeSet<_>>().len(),
        n,
        "references are distinct"
    );
}

#[test]
fn queries_read_what_was_sent() {
    let em = start();
    let client = Client::new(esms(&em), fast()).unwrap();
    let before = client.balance().unwrap().balance;
    let id = reference(&client.send(&otp("q-1")).unwrap());
    let sms_id = nhantin_core::esms::SmsId::new(id).unwrap();
    assert!(
        client.balance().unwrap().balance < before,
        "a send is charged"
    );
    let status = client.send_status(&sms_id).unwrap();
    assert_eq!(status.total_receivers, Some(1));
    let receivers = client.receiver_status(&sms_id).unwrap();
    assert_eq!(receivers.len(), 1);
    assert_eq!(receivers[0].phone, "0912345678");
    let missing = client
        .send_status(&nhantin_core::esms::SmsId::new("0".repeat(32)).unwrap())
        .unwrap_err();
    assert!(
        matches!(
            core_err(&missing),
            Some(nhantin_core::Error::Rejected {
                reason: Rejection::NotFound,
                ..
            })
        ),
        "{missing}"
    );
}

#[test]
fn documented_errors_are_typed_and_never_retried() {
    let em = start();
    let wrong = account(
        json!({"provider": "esms", "api_key": "WRONG", "secret_key": "ALSO-WRONG", "base_url": em.esms_base_url()}),
    );
    let err = Client::new(wrong, fast())
        .unwrap()
        .send(&otp("err-1"))
        .unwrap_err();
    assert!(
        matches!(core_err(&err), Some(nhantin_core::Error::Rejected { reason: Rejection::Unauthorized, code: Some(c), .. }) if c == "101"),
        "{err}"
    );
    assert!(!err.to_string().contains("ALSO-WRONG"));

    let client = Client::new(esms(&em), fast()).unwrap();
    let unknown = msg(
        json!({"recipients":["0912345678"],"content":{"sms":{"purpose":"otp","text":"x","sender":"NOTMINE"}},"request_id":"err-2"}),
    );
    let err = client.send(&unknown).unwrap_err();
    assert!(
        matches!(
            core_err(&err),
            Some(nhantin_core::Error::Rejected {
                reason: Rejection::UnknownBrandname,
                ..
            })
        ),
        "{err}"
    );

    // The caller reusing a request id is their mistake, not "already submitted".
    client.send(&otp("err-3")).unwrap();
    let err = client.send(&otp("err-3")).unwrap_err();
    assert!(
        matches!(
            core_err(&err),
            Some(nhantin_core::Error::Rejected {
                reason: Rejection::DuplicateRequestId,
                ..
            })
        ),
        "{err}"
    );

    let wrong_token = account(
        json!({"provider": "caresoft", "domain": "demo", "api_token": "nope", "service_id": 12, "base_url": em.caresoft_base_url()}),
    );
    let err = Client::new(wrong_token, fast())
        .unwrap()
        .send(&caresoft_msg())
        .unwrap_err();
    assert!(
        matches!(
            core_err(&err),
            Some(nhantin_core::Error::Rejected {
                reason: Rejection::Unauthorized,
                ..
            })
        ),
        "{err}"
    );
    let wrong_domain = account(
        json!({"provider": "caresoft", "domain": "nobody", "api_token": "x", "service_id": 12, "base_url": em.caresoft_base_url()}),
    );
    let err = Client::new(wrong_domain, fast())
        .unwrap()
        .send(&caresoft_msg())
        .unwrap_err();
    assert!(
        matches!(
            core_err(&err),
            Some(nhantin_core::Error::Rejected {
                reason: Rejection::UnknownAccount,
                ..
            })
        ),
        "{err}"
    );
    let wrong_key = account(
        json!({"provider": "interits", "api_key": "nope", "base_url": em.interits_base_url()}),
    );
    let err = Client::new(wrong_key, fast())
        .unwrap()
        .send(&msg(
            json!({"recipients":["0901234567"],"content":{"sms":{"purpose":"otp","text":"x","sender":"NHANTIN"}}}),
        ))
        .unwrap_err();
    assert!(
        matches!(
            core_err(&err),
            Some(nhantin_core::Error::Rejected {
                reason: Rejection::Unauthorized,
                ..
            })
        ),
        "{err}"
    );

    let err = client.send(&msg(json!({"recipients": phones(29), "content": {"sms": {"purpose": "advertising", "text": "x", "sender": "NHANTIN"}}}))).unwrap_err();
    assert!(
        matches!(
            core_err(&err),
            Some(nhantin_core::Error::InvalidInput { .. })
        ),
        "{err}"
    );
    assert_eq!(
        em.messages().len(),
        1,
        "only err-3's first send was accepted"
    );
}

/// Each fault, its expected outcome, and the number of messages the emulator must hold.
#[test]
fn fault_matrix_never_sends_twice() {
    let em = start();
    let client = Client::new(esms(&em), fast()).unwrap();
    type Expectation = fn(&Result<SendOutcome, Error>) -> bool;
    let cases: Vec<(&str, Fault, u32, Expectation)> = vec![
        ("reset before read", Fault::ResetBeforeRead, 1, |r| {
            matches!(r, Ok(SendOutcome::Accepted { attempts: 2, .. }))
        }),
        ("reset after accept", Fault::ResetAfterAccept, 1, |r| {
            matches!(r, Ok(SendOutcome::AlreadySubmitted { attempts: 2, .. }))
        }),
        ("500", Fault::Status(500), 1, |r| {
            matches!(r, Ok(SendOutcome::Accepted { attempts: 2, .. }))
        }),
        ("503 twice", Fault::Status(503), 2, |r| {
            matches!(r, Ok(SendOutcome::Accepted { attempts: 3, .. }))
        }),
        ("malformed json", Fault::MalformedJson, 1, |r| {
            matches!(r, Ok(SendOutcome::AlreadySubmitted { attempts: 2, .. }))
        }),
        ("html page", Fault::HtmlPage, 1, |r| {
            matches!(r, Ok(SendOutcome::Accepted { attempts: 2, .. }))
        }),
        (
            "oversized body",
            Fault::OversizedBody(2 * 1024 * 1024),
            1,
            |r| matches!(r, Ok(SendOutcome::Accepted { attempts: 2, .. })),
        ),
    ];
    for (i, (name, fault, times, expected)) in cases.into_iter().enumerate() {
        em.reset();
        em.inject(fault, times, Some("SendMultipleMessage_V4_post_json"));
        let result = client.send(&otp(&format!("fault-{i}")));
        assert!(expected(&result), "{name}: {result:?}");
        assert_eq!(
            em.messages().len(),
            1,
            "{name}: exactly one message accepted"
        );
    }

    em.reset();
    em.inject(
        Fault::TooManyRequests {
            retry_after_secs: 1,
        },
        1,
        None,
    );
    let started = Instant::now();
    let result = client.send(&otp("fault-429")).unwrap();
    assert_eq!(result.attempts(), 2);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured"
    );
    assert_eq!(em.messages().len(), 1);

    // Retries run out: the outcome of a keyed send is unknown but resendable.
    em.reset();
    em.inject(Fault::ResetAfterAccept, 10, None);
    let once = Client::new(
        esms(&em),
        ClientConfig {
            max_attempts: 1,
            ..fast()
        },
    )
    .unwrap();
    let err = once.send(&otp("fault-last")).unwrap_err();
    let u = unknown(&err);
    assert!(u.retry_safe() && u.attempts == 1, "{err}");
    assert_eq!(em.messages().len(), 1);
}

/// Regression (found by the C suite): without a caller-chosen request id, an "outcome unknown,
/// resend is safe" error must name the generated id, or the caller's resend is a new message.
#[test]
fn an_unknown_outcome_names_the_generated_request_id_to_resend_with() {
    let em = start();
    let client = Client::new(
        esms(&em),
        ClientConfig {
            max_attempts: 2,
            ..fast()
        },
    )
    .unwrap();
    em.inject(Fault::ResetAfterAccept, 2, None);
    let message = msg(
        json!({"recipients":["0912345679"],"content":{"sms":{"purpose":"otp","text":"Ma OTP 777888","sender":"NHANTIN"}}}),
    );
    let err = client.send(&message).unwrap_err();
    let u = unknown(&err);
    let id = u.request_id.clone().expect("the generated id is reported");
    assert!(
        err.to_string().contains(id.as_str()),
        "the message names the id: {err}"
    );
    let Error::Send(send_error) = &err else {
        unreachable!()
    };
    let resend = send_error
        .safe_resend()
        .expect("an eSMS send is keyed: a safe resend exists");
    assert_eq!(resend.request_id, id);
    assert_eq!(
        resend.until.unwrap().millis_since(resend.first_sent_at),
        nhantin_core::send::ESMS_REQUEST_ID_MEMORY_MS - nhantin_core::send::RESEND_WINDOW_MARGIN_MS,
        "the resend stays safe for eSMS's 24 hours, less the clock margin"
    );
    // Defect 4: the safe resend is the easy one. The same message (no id of its own) resent
    // through `resend` carries the reported id; eSMS answers 124 and nothing new is sent.
    let again = client.resend(&message, resend).unwrap();
    assert!(
        matches!(&again, SendOutcome::AlreadySubmitted { request_id, .. } if *request_id == id),
        "{again:?}"
    );
    assert_eq!(em.messages().len(), 1, "the OTP was accepted exactly once");
    // A plain send of the same message would get a new id: that is the trap `resend` avoids.
    // A resend naming another id, or after the window, is refused before anything is sent.
    let other = client
        .resend(
            &message
                .clone()
                .with_request_id(nhantin_core::RequestId::new("other-id").unwrap()),
            resend,
        )
        .unwrap_err();
    assert!(
        matches!(
            core_err(&other),
            Some(nhantin_core::Error::InvalidInput { .. })
        ),
        "{other}"
    );
    let mut expired = resend.clone();
    expired.until = Some(client.now().saturating_add_millis(-1));
    let late = client.resend(&message, &expired).unwrap_err();
    assert!(
        matches!(core_err(&late), Some(nhantin_core::Error::InvalidInput { field, .. }) if field == "request_id"),
        "{late}"
    );
    assert_eq!(em.messages().len(), 1);

    // The same holds when the last answer was a 5xx after an attempt that may have arrived.
    em.reset();
    em.inject(Fault::ResetAfterAccept, 1, None);
    em.inject(Fault::Status(503), 1, None);
    let err = client.send(&otp("unknown-2")).unwrap_err();
    let u = unknown(&err);
    assert!(
        u.retry_safe() && u.request_id.as_ref().unwrap().as_str() == "unknown-2",
        "{err}"
    );
    assert_eq!(em.messages().len(), 1);
}

#[test]
fn a_timed_out_send_is_recorded_once() {
    let em = start();
    let client = Client::new(
        esms(&em),
        ClientConfig {
            request_timeout: Duration::from_millis(400),
            ..fast()
        },
    )
    .unwrap();
    em.inject(Fault::Delay(Duration::from_millis(1200)), 1, None);
    let result = client.send(&otp("slow-1"));
    assert!(
        matches!(
            result,
            Ok(SendOutcome::Accepted { attempts: 2, .. })
                | Ok(SendOutcome::AlreadySubmitted { .. })
        ),
        "{result:?}"
    );
    std::thread::sleep(Duration::from_millis(1500)); // let the delayed first attempt finish
    let accepted: Vec<_> = em
        .messages()
        .into_iter()
        .filter(|m| m.request_id.as_deref() == Some("slow-1"))
        .collect();
    assert_eq!(accepted.len(), 1, "{accepted:#?}");
}

#[test]
fn caresoft_is_never_resent_once_it_may_have_arrived() {
    let em = start();
    let client = Client::new(caresoft(&em), fast()).unwrap();

    em.inject(Fault::ResetAfterAccept, 1, None);
    let err = client.send(&caresoft_msg()).unwrap_err();
    let u = unknown(&err);
    assert!(!u.retry_safe() && u.attempts == 1, "{err}");
    // The advice names what can be done with CareSoft, not a reconciliation it does not have.
    assert!(
        err.to_string().ends_with("do not resend blindly: it may have been sent, and CareSoft has no idempotency key; look for it in CareSoft or ask the recipient first"),
        "{err}"
    );
    assert_eq!(
        em.messages().len(),
        1,
        "it did arrive; nothing was sent again"
    );

    em.reset();
    em.inject(Fault::Status(500), 1, None);
    let err = client.send(&caresoft_msg()).unwrap_err();
    let u = unknown(&err);
    assert!(
        !u.retry_safe() && u.attempts == 1 && u.request_id.is_none(),
        "a 5xx may follow a processed send: {err}"
    );
    assert!(err.to_string().contains("HTTP 500"), "{err}");
    assert!(em.messages().is_empty());

    em.reset();
    em.inject(
        Fault::TooManyRequests {
            retry_after_secs: 1,
        },
        1,
        None,
    );
    assert_eq!(
        client.send(&caresoft_msg()).unwrap().attempts(),
        2,
        "a 429 was not acted on: retried"
    );
    assert_eq!(em.messages().len(), 1);

    // Nothing listens on this port: the request provably never left.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let closed = account(
        json!({"provider": "caresoft", "domain": "demo", "api_token": "t", "service_id": 12, "base_url": format!("http://127.0.0.1:{port}")}),
    );
    let err = Client::new(
        closed,
        ClientConfig {
            max_attempts: 3,
            ..fast()
        },
    )
    .unwrap()
    .send(&caresoft_msg())
    .unwrap_err();
    assert!(
        matches!(err, Error::Send(SendError::NotSent { attempts: 3, .. })),
        "{err}"
    );
}

#[test]
fn caresoft_lockout_is_honoured_locally() {
    let mut config = EmulatorConfig::default();
    config.caresoft.tenants[0].rate_limit = nhantin_emulator::RateLimit {
        max_requests: 1,
        per: Duration::from_secs(60),
    };
    let em = Emulator::start(config).unwrap();
    let client = Client::new(
        caresoft(&em),
        ClientConfig {
            max_attempts: 1,
            pace_caresoft: false,
            ..fast()
        },
    )
    .unwrap();
    assert!(client.send(&caresoft_msg()).is_ok());
    let mut lockout = None;
    for _ in 0..25 {
        match client.send(&caresoft_msg()) {
            Err(e) => match core_err(&e) {
                Some(nhantin_core::Error::RateLimited { lockout: false, .. }) => continue,
                Some(nhantin_core::Error::RateLimited { lockout: true, .. }) => {
                    lockout = Some(e);
                    break;
                }
                _ => panic!("{e:?}"),
            },
            other => panic!("{other:?}"),
        }
    }
    let lockout = lockout.expect("the emulator locks out after 20 consecutive 429s");
    assert!(matches!(
        core_err(&lockout),
        Some(nhantin_core::Error::RateLimited {
            retry_after_secs: Some(900),
            ..
        })
    ));
    let err = client.send(&caresoft_msg()).unwrap_err();
    assert!(
        matches!(&err, Error::Send(SendError::LockedOut { until, .. }) if until.millis_since(client.now()) > 800_000),
        "{err}"
    );
    assert_eq!(em.messages().len(), 1);
}

/// Defect 2: no InterITS page documents de-duplication by `requestId`, so a send that may have
/// arrived is never resent: the emulator (de-duplication off, as documented) records one SMS.
#[test]
fn interits_is_not_resent_once_it_may_have_arrived_unless_dedup_is_confirmed() {
    let em = start();
    let client = Client::new(interits(&em), fast()).unwrap();
    em.inject(Fault::ResetAfterAccept, 1, None);
    let otp = msg(
        json!({"recipients":["0901234567"],"content":{"sms":{"purpose":"otp","text":"x","sender":"NHANTIN"}}}),
    );
    let err = client.send(&otp).unwrap_err();
    let u = unknown(&err);
    assert_eq!((u.attempts, u.retry_safe()), (1, false), "{err}");
    assert!(
        u.request_id.as_ref().unwrap().as_str().starts_with("nt-"),
        "the generated id is still reported"
    );
    assert_eq!(em.messages().len(), 1, "no second SMS");

    // A resend without de-duplication really is a second SMS in the emulator (as it would be
    // at a provider that does not de-duplicate): that is why nhantin does not make it.
    em.reset();
    let keyed = otp
        .clone()
        .with_request_id(nhantin_core::RequestId::new("ii-twice").unwrap());
    client.send(&keyed).unwrap();
    client.send(&keyed).unwrap();
    assert_eq!(em.messages().len(), 2);

    // With de-duplication confirmed for the account (and on in the emulator), the resend is safe.
    em.reset();
    em.set_interits_dedup_request_id(true);
    let confirmed = account(
        json!({"provider": "interits", "api_key": nhantin_emulator::DEMO_INTERITS_KEY, "base_url": em.interits_base_url(), "dedup_confirmed": true}),
    );
    let client = Client::new(confirmed, fast()).unwrap();
    em.inject(Fault::ResetAfterAccept, 1, None);
    let outcome = client.send(&otp).unwrap();
    assert_eq!(outcome.attempts(), 2);
    assert_eq!(em.messages().len(), 1);
}

/// Defect 3: a hostile Retry-After neither panics nor blocks: the wait is clamped by the policy,
/// and the send ends typed (here: the first attempt was throttled, so nothing was sent).
#[test]
fn a_huge_retry_after_ends_the_send_typed() {
    let em = start();
    let client = Client::new(esms(&em), fast()).unwrap();
    em.inject(
        Fault::TooManyRequests {
            retry_after_secs: u64::MAX,
        },
        1,
        None,
    );
    let started = Instant::now();
    let err = client.send(&otp("huge-retry-after")).unwrap_err();
    assert!(
        matches!(
            core_err(&err),
            Some(nhantin_core::Error::RateLimited { .. })
        ),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    // After an attempt that may have arrived, the same header ends in an unknown outcome that
    // still names the generated id (it was lost to the panic before).
    em.reset();
    em.inject(Fault::ResetAfterAccept, 1, None);
    em.inject(
        Fault::TooManyRequests {
            retry_after_secs: u64::MAX,
        },
        1,
        None,
    );
    let err = client
        .send(&msg(
            json!({"recipients":["0912345678"],"content":{"sms":{"purpose":"otp","text":"x","sender":"NHANTIN"}}}),
        ))
        .unwrap_err();
    let u = unknown(&err);
    assert!(u.retry_safe() && u.request_id.is_some(), "{err}");
    assert_eq!(em.messages().len(), 1);
}

#[test]
fn bulk_advertising_is_split_and_every_batch_reported() {
    let em = start();
    let client = Client::new(esms(&em), fast()).unwrap();
    let list = phones(12_001);
    let batches = client.send_bulk(&msg(json!({"recipients": list, "content": {"sms": {"purpose": "advertising", "text": "Sale", "sender": "NHANTIN"}}, "request_id": "bulk-7"}))).unwrap();
    assert_eq!(
        batches.iter().map(|b| b.recipients).collect::<Vec<_>>(),
        vec![4001, 4000, 4000]
    );
    let ids: Vec<String> = batches
        .iter()
        .map(|b| b.request_id.as_ref().unwrap().as_str().to_owned())
        .collect();
    for id in &ids {
        let digest = id.strip_prefix("bulk-7-").expect("always suffixed");
        assert!(
            digest.len() == 16 && digest.bytes().all(|c| c.is_ascii_hexdigit()),
            "{id}"
        );
    }
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), 3);
    assert!(batches
        .iter()
        .all(|b| matches!(b.result, Ok(SendOutcome::Accepted { .. }))));
    let accepted = em.messages();
    let all: BTreeSet<String> = accepted.iter().flat_map(|m| m.recipients.clone()).collect();
    assert_eq!(
        (accepted.len(), all.len()),
        (3, 12_001),
        "every recipient exactly once"
    );

    let err = client.send_bulk(&msg(json!({"recipients": phones(29), "content": {"sms": {"purpose": "advertising", "text": "x", "sender": "NHANTIN"}}}))).unwrap_err();
    assert!(matches!(
        core_err(&err),
        Some(nhantin_core::Error::InvalidInput { .. })
    ));
    let err = client.send_bulk(&msg(json!({"recipients": phones(6000), "content": {"sms": {"purpose": "advertising", "text": "x", "sender": "NHANTIN"}}, "request_id": "r".repeat(49)}))).unwrap_err();
    assert!(
        matches!(
            core_err(&err),
            Some(nhantin_core::Error::InvalidInput { .. })
        ),
        "no batch is sent when one id cannot be formed"
    );
    assert_eq!(em.messages().len(), 3);

    // Defect 5/7: a rerun of the same input reproduces every batch id, so eSMS answers each
    // accepted batch "already used" and nobody receives the advertisement twice.
    let rerun = client.send_bulk(&msg(json!({"recipients": list, "content": {"sms": {"purpose": "advertising", "text": "Sale", "sender": "NHANTIN"}}, "request_id": "bulk-7"}))).unwrap();
    let rerun_ids: Vec<String> = rerun
        .iter()
        .map(|b| b.request_id.as_ref().unwrap().as_str().to_owned())
        .collect();
    assert_eq!(rerun_ids, ids);
    assert!(rerun.iter().all(|b| b
        .result
        .as_ref()
        .is_err_and(|e| e.rejection() == Some(Rejection::DuplicateRequestId))));
    assert_eq!(em.messages().len(), 3);
}

/// Defect 1: one person listed twice in two written forms, at both ends of a list that is split
/// in two, is found before anything is planned or sent.
#[test]
fn a_bulk_duplicate_across_batches_is_refused_before_anything_is_sent() {
    let em = start();
    let client = Client::new(esms(&em), fast()).unwrap();
    let mut list = phones(5000);
    assert_eq!(list[0], "0910000000");
    list.push("+84910000000".into());
    let err = client
        .send_bulk(&msg(
            json!({"recipients": list, "content": {"sms": {"purpose": "advertising", "text": "Sale", "sender": "NHANTIN"}}}),
        ))
        .unwrap_err();
    assert!(
        matches!(core_err(&err), Some(nhantin_core::Error::InvalidInput { field, .. }) if field == "recipients[5000]"),
        "{err}"
    );
    assert!(err.to_string().contains("recipients[0]"), "{err}");
    assert!(em.messages().is_empty());
}

/// Defect 5: a batch id names its recipients, so a changed list cannot re-map an id that was
/// sent onto other people: the unchanged batch keeps its id, the changed one gets a new one.
#[test]
fn batch_ids_follow_the_recipients_not_the_positions() {
    let account = account(json!({"provider": "esms", "api_key": "K", "secret_key": "S"}));
    let now = nhantin_core::Timestamp::parse_rfc3339("now", "2026-12-01T00:00:00Z").unwrap();
    let plan = |list: Vec<String>| -> Vec<String> {
        nhantin_core::send::plan_batches(&account, &msg(json!({"recipients": list, "content": {"sms": {"purpose": "advertising", "text": "Sale", "sender": "NHANTIN"}}, "request_id": "camp"})), now)
            .unwrap()
            .into_iter()
            .map(|b| b.request_id.as_str().to_owned())
            .collect()
    };
    let list = phones(6000);
    let mut changed = list.clone();
    changed[5999] = "0987654321".into();
    let (a, b) = (plan(list.clone()), plan(changed));
    assert_eq!(a[0], b[0], "the first 3000 are the same people");
    assert_ne!(a[1], b[1], "the second batch holds someone else now");
    // The old single-batch form (the bare id) is gone: one batch is suffixed too.
    assert!(plan(phones(30))[0].starts_with("camp-"));
    assert_eq!(plan(list), a, "a rerun reproduces every id");
}

#[test]
fn eight_threads_share_one_client_and_every_message_is_accounted_for_once() {
    let em = start();
    // 40 queued faults can meet one thread several times in a row: allow for it.
    let client = Client::new(
        esms(&em),
        ClientConfig {
            max_attempts: 50,
            ..fast()
        },
    )
    .unwrap();
    // Faults mid-run make the retry path race with everything else.
    em.inject(Fault::ResetAfterAccept, 20, None);
    em.inject(Fault::ResetBeforeRead, 20, None);
    let outcomes: Vec<(String, SendOutcome)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|t| {
                let client = client.clone();
                s.spawn(move || {
                    (0..500)
                        .map(|i| {
                            let id = format!("t{t}-m{i}");
                            let outcome = client
                                .send(&otp(&id))
                                .unwrap_or_else(|e| panic!("{id}: {e}"));
                            (id, outcome)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert_eq!(outcomes.len(), 4000);
    let accepted = em.messages();
    let ids: BTreeSet<_> = accepted
        .iter()
        .filter_map(|m| m.request_id.clone())
        .collect();
    assert_eq!(accepted.len(), 4000, "no message lost, none accepted twice");
    assert_eq!(ids.len(), 4000);
    assert!(outcomes.iter().all(|(id, _)| ids.contains(id)));
    let already = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, SendOutcome::AlreadySubmitted { .. }))
        .count();
    // A reset after the first acceptance turns that send into "already submitted"; a reset
    // can also hit a resend (answered 124), so at most 20 sends end that way.
    assert!(
        (1..=20).contains(&already),
        "{already} sends ended 'already submitted'"
    );
}

#[test]
fn plain_http_is_refused_unless_allowed_and_secrets_stay_out_of_errors() {
    let em = start();
    let err = Client::new(esms(&em), ClientConfig::default()).unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err}");

    let client = Client::new(
        esms(&em),
        ClientConfig {
            max_attempts: 1,
            ..fast()
        },
    )
    .unwrap();
    em.inject(Fault::ResetBeforeRead, 1, None);
    let get = msg(
        json!({"recipients":["0912345678"],"content":{"sms":{"purpose":"fixed_number","text":"x"}},"request_id":"sec-1","options":{"esms":{"format":"get"}}}),
    );
    let err = client.send(&get).unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(
        !text.contains(nhantin_emulator::DEMO_ESMS_SECRET_KEY)
            && !text.contains(nhantin_emulator::DEMO_ESMS_API_KEY),
        "{text}"
    );
}

/// nhantin's own words in a cause are not taken for a phone number by the masking every cause
/// passes through: the limit is written `1,048,576`, not `104*576`.
#[test]
fn an_oversized_answer_says_its_limit_unmasked() {
    let em = start();
    let client = Client::new(
        esms(&em),
        ClientConfig {
            max_attempts: 1,
            ..fast()
        },
    )
    .unwrap();
    em.inject(Fault::OversizedBody(2 * 1024 * 1024), 1, None);
    let err = client.send(&otp("oversized-1")).unwrap_err();
    assert!(
        unknown(&err)
            .cause
            .ends_with("is larger than 1,048,576 bytes; not read"),
        "{err}"
    );
}
