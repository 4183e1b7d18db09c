//! eSMS bulk ZNS through the send machine and the batch planner: per-recipient outcomes, ids
//! that name people rather than positions, and a resend that cannot send anyone twice.

use nhantin_core::esms::{zns_bulk_recipient_id, EsmsAccount};
use nhantin_core::receipt::RecipientResult;
use nhantin_core::send::{
    plan_batches, AccountState, NetworkFailure, SendContext, SendMachine, SendOutcome, SendPolicy,
    Step,
};
use nhantin_core::{
    Account, Content, HttpResponse, Message, OaId, PhoneNumber, RequestId, Secret, Timestamp,
    ZnsBulk, ZnsParam, ZnsTemplateId,
};

fn account() -> Account {
    Account::Esms(EsmsAccount::new(
        Secret::new("api_key", "key-123").unwrap(),
        Secret::new("secret_key", "secret-456").unwrap(),
    ))
}

fn phone(i: usize) -> PhoneNumber {
    PhoneNumber::parse("phone", &format!("09{:08}", 10_000_000 + i)).unwrap()
}

fn bulk(n: usize, request_id: Option<&str>) -> Message {
    let mut m = Message::new(
        (0..n).map(phone).collect(),
        Content::ZnsBulk(ZnsBulk {
            oa_id: Some(OaId::new("1234567890123456789").unwrap()),
            template_id: ZnsTemplateId::new("301122").unwrap(),
            params: (0..n)
                .map(|i| {
                    vec![
                        ZnsParam {
                            name: "customer_name".into(),
                            value: format!("Khách {i}"),
                        },
                        ZnsParam {
                            name: "order_code".into(),
                            value: format!("DH{i}"),
                        },
                    ]
                })
                .collect(),
            exceed_quota: false,
        }),
    );
    m.request_id = request_id.map(|id| RequestId::new(id).unwrap());
    m
}

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("now", "2026-11-24T02:00:00Z").unwrap()
}

fn body_json(request: &nhantin_core::HttpRequest) -> serde_json::Value {
    serde_json::from_slice(&request.body).unwrap()
}

#[test]
fn a_resend_told_id_used_marks_that_recipient_already_submitted() {
    let account = account();
    let message = bulk(2, Some("b-resend"));
    let context = SendContext {
        now: now(),
        fresh_request_id: None,
        jitter_seed: 7,
    };
    let mut machine =
        SendMachine::new(&account, &message, context, &SendPolicy::default()).unwrap();
    let mut state = AccountState::new();
    let Step::Transmit(first) = machine.poll(now(), &mut state) else {
        panic!("first poll transmits")
    };
    machine.on_failure(
        now(),
        &mut state,
        NetworkFailure::MaybeSent {
            cause: "timed out reading the answer".into(),
        },
    );
    let later = Timestamp::from_unix_millis(now().unix_millis() + 10_000);
    let Step::Transmit(second) = machine.poll(later, &mut state) else {
        panic!("a bulk keyed per recipient is resent")
    };
    assert_eq!(first, second, "a resend is the same bytes");
    let answer = r#"{"CodeResult":"100","detail":[{"CodeResult":"124","ErrorMessage":"Request exist"},{"CodeResult":"100","SMSID":"s-2"}]}"#;
    machine.on_response(later, &mut state, &HttpResponse::new(200, answer));
    let Step::Done(Ok(SendOutcome::Accepted { receipt, .. })) = machine.poll(later, &mut state)
    else {
        panic!("accepted")
    };
    let results: Vec<_> = receipt
        .recipients
        .iter()
        .map(|r| r.result.clone())
        .collect();
    assert_eq!(
        results,
        vec![
            RecipientResult::AlreadySubmitted,
            RecipientResult::Accepted {
                sms_id: "s-2".into()
            }
        ]
    );
}

/// A rerun of the same bulk is a first attempt told "id already used" for the recipients an
/// earlier run reached: they are already submitted, never "refused" (read as "not sent", a user
/// would fall back to SMS and reach the person twice).
#[test]
fn a_first_attempt_told_id_used_is_already_submitted_for_that_recipient() {
    let account = account();
    let message = bulk(1, Some("b-first"));
    let context = SendContext {
        now: now(),
        fresh_request_id: None,
        jitter_seed: 7,
    };
    let mut machine =
        SendMachine::new(&account, &message, context, &SendPolicy::default()).unwrap();
    let mut state = AccountState::new();
    let Step::Transmit(_) = machine.poll(now(), &mut state) else {
        panic!()
    };
    let answer =
        r#"{"CodeResult":"100","detail":[{"CodeResult":"124","ErrorMessage":"Request exist"}]}"#;
    machine.on_response(now(), &mut state, &HttpResponse::new(200, answer));
    let Step::Done(Ok(SendOutcome::Accepted { receipt, .. })) = machine.poll(now(), &mut state)
    else {
        panic!("accepted")
    };
    assert_eq!(
        receipt.recipients[0].result,
        RecipientResult::AlreadySubmitted
    );
}

#[test]
fn a_long_list_is_planned_in_balanced_requests_of_at_most_500() {
    let account = account();
    let message = bulk(1201, Some("camp-11"));
    assert!(account.splits(&message));
    let batches = plan_batches(&account, &message, now()).unwrap();
    let sizes: Vec<usize> = batches.iter().map(|b| b.recipients).collect();
    assert_eq!(sizes, vec![401, 400, 400]);
    let mut ids = std::collections::BTreeSet::new();
    for b in &batches {
        assert_eq!(b.request_id.as_str(), "camp-11");
        let body = body_json(&b.request);
        let data = body["Data"].as_array().unwrap();
        assert_eq!(data.len(), b.recipients);
        for (i, item) in data.iter().enumerate() {
            let p = phone(b.first_recipient + i);
            assert_eq!(item["Phone"], p.format(nhantin_core::PhoneFormat::National));
            let id = zns_bulk_recipient_id("camp-11", &p).unwrap();
            assert_eq!(item["RequestId"], id.as_str());
            assert_eq!(item["Params"][1], format!("DH{}", b.first_recipient + i));
            assert!(ids.insert(id));
        }
    }
    assert_eq!(ids.len(), 1201);
}

#[test]
fn ids_follow_the_person_when_the_list_is_reordered() {
    let account = account();
    let forward = bulk(3, Some("b-order"));
    let mut backward = forward.clone();
    backward.recipients.reverse();
    if let Content::ZnsBulk(b) = &mut backward.content {
        b.params.reverse();
    }
    let item_ids = |m: &Message| -> Vec<(String, String)> {
        let request = account.encode_send(m, now()).unwrap();
        let mut out: Vec<(String, String)> = body_json(&request)["Data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["Phone"].as_str().unwrap().to_owned(),
                    d["RequestId"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        out.sort();
        out
    };
    assert_eq!(item_ids(&forward), item_ids(&backward));
}

#[test]
fn without_a_request_id_the_base_is_the_contents_digest() {
    let account = account();
    let first = account.encode_send(&bulk(2, None), now()).unwrap();
    let again = account.encode_send(&bulk(2, None), now()).unwrap();
    assert_eq!(first.body, again.body, "the same bulk reproduces its ids");
    let id = body_json(&first)["Data"][0]["RequestId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(id.starts_with("z-") && id.len() == 2 + 16 + 1 + 16, "{id}");
    let mut changed = bulk(2, None);
    if let Content::ZnsBulk(b) = &mut changed.content {
        b.params[1][1].value = "DH-other".into();
    }
    let other = account.encode_send(&changed, now()).unwrap();
    assert_ne!(
        body_json(&other)["Data"][0]["RequestId"],
        body_json(&first)["Data"][0]["RequestId"],
        "other values are another send"
    );
}

#[test]
fn errors_never_show_a_recipients_parameter_value() {
    let account = account();
    let mut message = bulk(1, Some("b-leak"));
    if let Content::ZnsBulk(b) = &mut message.content {
        b.params[0][0].value = "Nguyễn Bí Mật".into();
    }
    let context = SendContext {
        now: now(),
        fresh_request_id: None,
        jitter_seed: 1,
    };
    let mut machine =
        SendMachine::new(&account, &message, context, &SendPolicy::default()).unwrap();
    let mut state = AccountState::new();
    let Step::Transmit(_) = machine.poll(now(), &mut state) else {
        panic!()
    };
    let answer = r#"{"CodeResult":"100","detail":[{"CodeResult":"790","ErrorMessage":"Wrong param Nguyễn Bí Mật for 0910000000"}]}"#;
    machine.on_response(now(), &mut state, &HttpResponse::new(200, answer));
    let Step::Done(Ok(SendOutcome::Accepted { receipt, .. })) = machine.poll(now(), &mut state)
    else {
        panic!()
    };
    let text = format!("{:?}", receipt.recipients);
    assert!(!text.contains("Bí Mật"), "{text}");
    assert!(!text.contains("0910000000"), "{text}");
}
