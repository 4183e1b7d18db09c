//! Reconciliation of unknown eSMS outcomes through the real transport and the emulator's
//! `GetSmsSentData_V2`: the emulator's record of what it accepted is the judge of "was it sent?".

use std::time::{Duration, Instant};

use nhantin_core::esms::{
    DeliveryResult, EsmsSendStatus, ReconcilePolicy, ReconcileVerdict, Reconciliation, SmsId,
};
use nhantin_core::send::Resend;
use nhantin_core::{
    Account, AccountInput, Message, MessageInput, PhoneNumber, Provider, Timestamp,
};
use nhantin_emulator::{Emulator, EmulatorConfig, Fault, Reference};
use nhantin_transport::{Client, ClientConfig, Error, SendError, SendOutcome, UnknownOutcome};
use serde_json::{json, Value};

/// The emulator and the client share this machine's clock, so a margin of a second and a half
/// covers both the clocks and the attempt: each reconciliation waits that long at most.
const MARGIN_MS: i64 = 1500;

fn quick() -> ReconcilePolicy {
    ReconcilePolicy {
        margin_ms: MARGIN_MS,
        ..ReconcilePolicy::default()
    }
}

/// One attempt per send, so that a fault leaves the outcome unknown.
fn once() -> ClientConfig {
    ClientConfig {
        allow_insecure_http: true,
        max_attempts: 1,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        request_timeout: Duration::from_secs(3),
        total_deadline: Duration::from_secs(20),
        no_env_proxy: true,
        ..ClientConfig::default()
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

fn msg(v: Value) -> Message {
    MessageInput::from_json(&v.to_string())
        .unwrap()
        .validate()
        .unwrap()
}

fn otp(request_id: &str, text: &str) -> Message {
    msg(
        json!({"recipients": ["0912345678"], "content": {"sms": {"purpose": "otp", "text": text, "sender": "NHANTIN"}}, "request_id": request_id}),
    )
}

fn phone(p: &str) -> PhoneNumber {
    PhoneNumber::parse("phone", p).unwrap()
}

fn start() -> Emulator {
    Emulator::start(EmulatorConfig::default()).unwrap()
}

/// Sends `message` under `fault`; the send must end with its outcome unknown.
fn unknown_after(
    em: &Emulator,
    client: &Client,
    fault: Fault,
    message: &Message,
) -> UnknownOutcome {
    em.inject(fault, 1, None);
    match client.send(message) {
        Err(Error::Send(SendError::OutcomeUnknown(unknown))) => *unknown,
        other => panic!("expected an unknown outcome, got {other:?}"),
    }
}

/// The `SMSID` of every message the emulator accepted, in order.
fn accepted_ids(em: &Emulator) -> Vec<SmsId> {
    em.messages()
        .iter()
        .map(|m| match &m.reference {
            Reference::EsmsSmsId { sms_id, .. } => SmsId::new(sms_id.clone()).unwrap(),
            other => panic!("{other:?}"),
        })
        .collect()
}

fn delivered(sms_id: &SmsId) -> ReconcileVerdict {
    ReconcileVerdict::Sent {
        sms_id: sms_id.clone(),
        status: Some(EsmsSendStatus::Finished),
        result: Some(DeliveryResult::Succeeded),
    }
}

#[test]
fn an_accepted_send_whose_answer_was_lost_is_found_with_its_smsid() {
    let em = start();
    let client = Client::new(esms(&em), once()).unwrap();
    let message = otp("rec-sent", "Ma OTP 246810");
    let unknown = unknown_after(&em, &client, Fault::ResetAfterAccept, &message);
    assert_eq!(unknown.attempts, 1);
    let ids = accepted_ids(&em);
    assert_eq!(ids.len(), 1, "the emulator accepted it before resetting");

    let started = Instant::now();
    let verdicts = client.reconcile_with(&message, &unknown, &quick()).unwrap();
    assert_eq!(verdicts, vec![(phone("0912345678"), delivered(&ids[0]))]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "waits only for the window"
    );
    assert_eq!(em.messages().len(), 1, "reconciling sends nothing");
}

#[test]
fn a_send_that_never_got_through_is_not_found() {
    let em = start();
    let client = Client::new(esms(&em), once()).unwrap();
    // Other messages in the window do not match: another phone, another text.
    client
        .send(&msg(
            json!({"recipients":["0987654321"],"content":{"sms":{"purpose":"otp","text":"Ma OTP 135790","sender":"NHANTIN"}},"request_id":"rec-other-phone"}),
        ))
        .unwrap();
    client
        .send(&otp("rec-other-text", "Ma OTP 135791"))
        .unwrap();
    for (i, fault) in [Fault::ResetBeforeRead, Fault::Status(503)]
        .into_iter()
        .enumerate()
    {
        let message = otp(&format!("rec-lost-{i}"), "Ma OTP 135790");
        let unknown = unknown_after(&em, &client, fault, &message);
        assert_eq!(em.messages().len(), 2, "the emulator did not accept it");
        let verdicts = client.reconcile_with(&message, &unknown, &quick()).unwrap();
        assert_eq!(
            verdicts,
            vec![(phone("0912345678"), ReconcileVerdict::NotFound)]
        );
    }
}

#[test]
fn the_same_text_twice_to_one_phone_is_ambiguous() {
    let em = start();
    let client = Client::new(esms(&em), once()).unwrap();
    let text = "Ma OTP 112233";
    let first = client.send(&otp("rec-amb-1", text)).unwrap();
    assert!(matches!(first, SendOutcome::Accepted { .. }));
    let message = otp("rec-amb-2", text);
    let unknown = unknown_after(&em, &client, Fault::ResetAfterAccept, &message);
    let ids = accepted_ids(&em);
    assert_eq!(ids.len(), 2);

    let verdicts = client.reconcile_with(&message, &unknown, &quick()).unwrap();
    assert_eq!(verdicts.len(), 1);
    let (who, verdict) = &verdicts[0];
    assert_eq!(who, &phone("0912345678"));
    let ReconcileVerdict::Ambiguous { candidates } = verdict else {
        panic!("{verdict:?}")
    };
    let mut found: Vec<&SmsId> = candidates.iter().map(|r| &r.reference_id).collect();
    let mut expected: Vec<&SmsId> = ids.iter().collect();
    found.sort_by_key(|id| id.as_str().to_owned());
    expected.sort_by_key(|id| id.as_str().to_owned());
    assert_eq!(found, expected);
    for row in candidates {
        assert_eq!(row.phone, "0912345678");
        assert_eq!(row.content.as_deref(), Some(text));
        assert!(row.sent_time.is_some());
    }

    // The caller knows the first send's SMSID: named, it leaves this send.
    let SendOutcome::Accepted { receipt, .. } = first else {
        unreachable!()
    };
    let known = SmsId::new(receipt.reference.unwrap()).unwrap();
    assert_eq!(known, ids[0]);
    let plan = Reconciliation::for_unknown(&message, &unknown, &quick())
        .unwrap()
        .excluding([known]);
    let verdicts = client.drive_reconciliation(plan).unwrap();
    assert_eq!(verdicts, vec![(phone("0912345678"), delivered(&ids[1]))]);
}

#[test]
fn every_recipient_of_a_many_phone_send_and_the_text_as_sent() {
    let em = start();
    let client = Client::new(esms(&em), once()).unwrap();
    // XML customer care to two phones, diacritics stripped before sending.
    let message = msg(
        json!({"recipients":["0912345678","+84 98 765 4321"],"content":{"sms":{"purpose":"customer_care","text":"Đơn hàng đã giao","sender":"NHANTIN","unicode":"strip"}},"request_id":"rec-xml","options":{"esms":{"format":"xml"}}}),
    );
    let unknown = unknown_after(&em, &client, Fault::ResetAfterAccept, &message);
    let ids = accepted_ids(&em);
    assert_eq!(ids.len(), 1);
    assert_eq!(em.messages()[0].text.as_deref(), Some("Don hang da giao"));
    let verdicts = client.reconcile_with(&message, &unknown, &quick()).unwrap();
    assert_eq!(
        verdicts,
        vec![
            (phone("0912345678"), delivered(&ids[0])),
            (phone("0987654321"), delivered(&ids[0])),
        ]
    );
}

#[test]
fn a_window_that_closed_long_ago_is_read_without_waiting() {
    let em = start();
    let client = Client::new(esms(&em), once()).unwrap();
    let message = otp("rec-old", "Ma OTP 999000");
    client.send(&message).unwrap();
    // An outcome from an hour ago: the default policy's window closed long since, and the
    // message just sent is outside it.
    let hour_ago = client.now().saturating_add_millis(-3_600_000);
    let unknown = UnknownOutcome {
        provider: Provider::Esms,
        request_id: message.request_id.clone(),
        attempts: 1,
        cause: "timed out".into(),
        first_sent_at: hour_ago,
        last_sent_at: hour_ago.saturating_add_millis(30_000),
        resend: Resend::NotSafe,
    };
    let started = Instant::now();
    let verdicts = client.reconcile(&message, &unknown).unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        verdicts,
        vec![(phone("0912345678"), ReconcileVerdict::NotFound)]
    );
}

#[test]
fn only_esms_outcomes_are_reconciled_and_query_failures_conclude_nothing() {
    let em = start();
    let caresoft = Client::new(
        account(
            json!({"provider": "caresoft", "domain": nhantin_emulator::DEMO_CARESOFT_DOMAIN, "api_token": nhantin_emulator::DEMO_CARESOFT_TOKEN, "service_id": 12, "base_url": em.caresoft_base_url()}),
        ),
        once(),
    )
    .unwrap();
    let message = otp("rec-x", "Ma OTP 1");
    let unknown = UnknownOutcome {
        provider: Provider::Esms,
        request_id: None,
        attempts: 1,
        cause: "reset".into(),
        first_sent_at: Timestamp::from_unix_secs(1_795_000_000),
        last_sent_at: Timestamp::from_unix_secs(1_795_000_000),
        resend: Resend::NotSafe,
    };
    let err = caresoft.reconcile(&message, &unknown).unwrap_err();
    assert_eq!(
        err.class(),
        nhantin_transport::SendClass::InvalidInput,
        "{err}"
    );

    // A query that gets no answer is not "not found".
    let client = Client::new(esms(&em), once()).unwrap();
    em.inject(Fault::Status(503), 1, Some("GetSmsSentData_V2"));
    let err = client.reconcile(&message, &unknown).unwrap_err();
    assert!(
        matches!(err, Error::Send(SendError::Unavailable { .. })),
        "{err:?}"
    );
    assert!(em.messages().is_empty());
}
