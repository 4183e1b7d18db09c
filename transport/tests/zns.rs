//! Zalo ZNS through the real transport to the loopback emulator: every endpoint of the three
//! providers accepted once with exactly the parameters given, the documented refusals typed and
//! never retried, a Zalo-less phone's failure report decoded, and "never twice" under faults.

use std::time::Duration;

use nhantin_core::esms::{
    parse_delivery_report, DeliveryVerdict, EsmsLookup, EsmsLookupAnswer, MultiChannelLeg,
    ZaloDelivery, ZnsState, ZnsTemplateKind,
};
use nhantin_core::receipt::RecipientResult;
use nhantin_core::{Account, AccountInput, Message, MessageInput, Rejection};
use nhantin_emulator::{
    Emulator, EmulatorConfig, Fault, ZnsBulkDetail, DEMO_CARESOFT_DOMAIN, DEMO_CARESOFT_TOKEN,
    DEMO_ESMS_API_KEY, DEMO_ESMS_SECRET_KEY, DEMO_INTERITS_KEY, DEMO_PHONE_WITHOUT_ZALO,
    DEMO_ZALO_OA_ID, DEMO_ZNS_JOURNEY_TEMPLATE_ID, DEMO_ZNS_OTP_TEMPLATE_ID, DEMO_ZNS_TEMPLATE_ID,
};
use nhantin_transport::{Client, ClientConfig, Error, Resend, SendError, SendOutcome};
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

fn account(v: Value) -> Account {
    AccountInput::from_json(&v.to_string())
        .unwrap()
        .validate()
        .unwrap()
}

fn clients(em: &Emulator) -> (Client, Client, Client) {
    let esms = account(
        json!({"provider": "esms", "api_key": DEMO_ESMS_API_KEY, "secret_key": DEMO_ESMS_SECRET_KEY, "base_url": em.esms_base_url()}),
    );
    let caresoft = account(
        json!({"provider": "caresoft", "domain": DEMO_CARESOFT_DOMAIN, "api_token": DEMO_CARESOFT_TOKEN, "service_id": 12, "base_url": em.caresoft_base_url()}),
    );
    let interits = account(
        json!({"provider": "interits", "api_key": DEMO_INTERITS_KEY, "base_url": em.interits_base_url()}),
    );
    (
        Client::new(esms, fast()).unwrap(),
        Client::new(caresoft, fast()).unwrap(),
        Client::new(interits, fast()).unwrap(),
    )
}

fn msg(v: Value) -> Message {
    MessageInput::from_json(&v.to_string())
        .unwrap()
        .validate()
        .unwrap()
}

/// The demo order template's two parameters.
fn order_params() -> Value {
    json!([{"name": "customer_name", "value": "Trần Thị Bình"}, {"name": "order_code", "value": "DH20931"}])
}

fn zns(to: &[&str], request_id: &str, extra: Value) -> Message {
    let mut zns = json!({"oa_id": DEMO_ZALO_OA_ID, "template_id": DEMO_ZNS_TEMPLATE_ID, "params": order_params()});
    let mut options = None;
    for (k, v) in extra.as_object().unwrap() {
        if k == "zns_version" {
            options = Some(json!({"esms": {"zns_version": v}}));
        } else {
            zns[k] = v.clone();
        }
    }
    let mut m = json!({"recipients": to, "content": {"zns": zns}, "request_id": request_id});
    if let Some(o) = options {
        m["options"] = o;
    }
    msg(m)
}

fn reference(outcome: &SendOutcome) -> String {
    match outcome {
        SendOutcome::Accepted { receipt, .. } => receipt.reference.clone().unwrap_or_default(),
        other => panic!("not accepted: {other:?}"),
    }
}

#[test]
fn every_zns_endpoint_is_accepted_once_with_its_parameters() {
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let (e, c, i) = clients(&em);
    let journey = msg(
        json!({"recipients": ["0912345678"], "request_id": "z-journey", "content": {"zns": {
        "oa_id": DEMO_ZALO_OA_ID, "template_id": DEMO_ZNS_JOURNEY_TEMPLATE_ID, "journey_order_id": "JR-20931",
        "params": [{"name": "order_code", "value": "DH20931"}, {"name": "delivery_time", "value": "14:30 12/05"}]}}}),
    );
    let cases: Vec<(&Client, Message, &str)> = vec![
        (
            &e,
            zns(&["0912345678"], "z-v6", json!({})),
            "SendZaloMessage_V6",
        ),
        (
            &e,
            zns(&["0912345678"], "z-v5", json!({"zns_version": "v5"})),
            "SendZaloMessage_V5_post",
        ),
        (
            &e,
            zns(&["0912345678"], "z-v4", json!({"zns_version": "v4"})),
            "SendZaloMessage_V4_post_json",
        ),
        (&e, journey, "SendZaloMessage_V4_post_json"),
        (
            &e,
            zns(&[], "z-uid", json!({"zalo_user_id": "7391046628150023344"})),
            "SendZaloMessage_V6/zalo_uid",
        ),
        (
            &e,
            zns(&["0912 345 678"], "z-hash", json!({"hash_phone": true})),
            "SendZaloMessage_V6/hash_phone",
        ),
        (
            &i,
            zns(&["0912345678"], "z-it", json!({})),
            "interits_send_zns",
        ),
        (
            &c,
            msg(
                json!({"recipients": ["0912345678"], "content": {"zns": {"template_id": "366",
                "params": [{"name": "requester", "value": "Trần Thị Bình"}]}}}),
            ),
            "caresoft_zns",
        ),
    ];
    let n = cases.len();
    for (client, m, endpoint) in cases {
        let outcome = client
            .send(&m)
            .unwrap_or_else(|e| panic!("{endpoint}: {e}"));
        assert_eq!(outcome.attempts(), 1, "{endpoint}");
        assert!(!reference(&outcome).is_empty(), "{endpoint}: a handle");
        let record = em.messages().pop().unwrap();
        let record = serde_json::to_value(&record).unwrap();
        assert_eq!(record["endpoint"], endpoint, "{record:#}");
        let details = &record["zns"];
        assert!(details.is_object(), "{endpoint}: {record:#}");
        if endpoint.starts_with("SendZaloMessage") && !endpoint.contains("V4") {
            assert_eq!(details["params"], order_params(), "{endpoint}");
        }
    }
    assert_eq!(em.messages().len(), n);
}

#[test]
fn a_phone_without_zalo_is_accepted_then_reported_failed_with_zalo_118() {
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let (e, _, _) = clients(&em);
    let callback = format!("{}/_emulator/health?leg=zns", em.base_url());
    let m = msg(
        json!({"recipients": [DEMO_PHONE_WITHOUT_ZALO], "request_id": "z-noz", "callback_url": callback,
        "content": {"zns": {"oa_id": DEMO_ZALO_OA_ID, "template_id": DEMO_ZNS_OTP_TEMPLATE_ID, "params": [{"name": "otp", "value": "482913"}]}}}),
    );
    let sms_id = reference(&e.send(&m).unwrap());
    let reports = em.wait_for_delivery_reports(1, Duration::from_secs(5));
    assert_eq!(reports.len(), 1);
    let report = parse_delivery_report(&reports[0].url);
    assert_eq!(report.sms_id.as_deref(), Some(sms_id.as_str()));
    assert_eq!(report.verdict, DeliveryVerdict::Failed, "{report:?}");
    let zalo = report.error_info.expect("error_info");
    assert_eq!(zalo.code, Some(-118));
    assert_eq!(report.total_price, Some(0.0));
}

/// Past the OA's daily quota a ZNS is still accepted, so it is one send and not resent; its
/// report says Zalo refused it, "Out of quota" (-115, D-Z58), and `GetQuota` says none is left.
#[test]
fn a_zns_past_the_daily_quota_is_accepted_once_then_reported_out_of_quota() {
    let mut config = EmulatorConfig::default();
    config.zalo.oas[0].daily_quota = 1;
    let em = Emulator::start(config).unwrap();
    let (e, _, _) = clients(&em);
    let callback = format!("{}/_emulator/health?leg=zns", em.base_url());
    let zns = |id: &str| {
        msg(
            json!({"recipients": ["0912345678"], "request_id": id, "callback_url": callback,
            "content": {"zns": {"oa_id": DEMO_ZALO_OA_ID, "template_id": DEMO_ZNS_OTP_TEMPLATE_ID, "params": [{"name": "otp", "value": "482913"}]}}}),
        )
    };
    reference(&e.send(&zns("q-1")).unwrap());
    let sms_id = reference(&e.send(&zns("q-2")).unwrap());
    let reports = em.wait_for_delivery_reports(2, Duration::from_secs(5));
    let report = reports
        .iter()
        .map(|r| parse_delivery_report(&r.url))
        .find(|r| r.sms_id.as_deref() == Some(sms_id.as_str()))
        .expect("the second send's report");
    assert_eq!(report.verdict, DeliveryVerdict::Failed, "{report:?}");
    let zalo = report.error_info.expect("error_info");
    assert_eq!(
        (zalo.code, zalo.message.as_deref()),
        (Some(-115), Some("Out of quota"))
    );
    assert_eq!(em.messages().len(), 2);
    let quota = nhantin_core::esms::EsmsLookup::ZnsQuota {
        oa_id: DEMO_ZALO_OA_ID.to_owned(),
    };
    match e.lookup(&quota).unwrap() {
        nhantin_core::esms::EsmsLookupAnswer::ZnsQuota { quota } => {
            assert_eq!((quota.daily, quota.remaining), (Some(1), Some(0)))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_template_mismatch_is_refused_typed_and_never_retried() {
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let (e, _, _) = clients(&em);
    // The template takes customer_name and order_code; one is missing.
    let m = msg(
        json!({"recipients": ["0912345678"], "request_id": "z-790", "content": {"zns": {
        "oa_id": DEMO_ZALO_OA_ID, "template_id": DEMO_ZNS_TEMPLATE_ID, "params": [{"name": "customer_name", "value": "Bình"}]}}}),
    );
    match e.send(&m) {
        Err(Error::Send(SendError::Refused { error, attempts })) => {
            assert_eq!(attempts, 1);
            match error {
                nhantin_core::Error::Rejected { reason, code, .. } => {
                    assert_eq!(reason, Rejection::TemplateMismatch);
                    assert_eq!(code.as_deref(), Some("790"));
                }
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
    // An OA the account does not have: 204.
    let m = msg(
        json!({"recipients": ["0912345678"], "request_id": "z-204", "content": {"zns": {
        "oa_id": "5555555555555555555", "template_id": DEMO_ZNS_TEMPLATE_ID, "params": order_params()}}}),
    );
    match e.send(&m) {
        Err(Error::Send(SendError::Refused {
            error: nhantin_core::Error::Rejected { reason, .. },
            ..
        })) => {
            assert_eq!(reason, Rejection::UnknownOaid)
        }
        other => panic!("{other:?}"),
    }
    assert!(em.messages().is_empty());
}

#[test]
fn an_esms_zns_lost_after_acceptance_is_resent_with_its_id_and_arrives_once() {
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let (e, _, _) = clients(&em);
    em.inject(Fault::ResetAfterAccept, 1, Some("SendZaloMessage_V6"));
    let m = zns(&["0912345678"], "z-lost", json!({}));
    let outcome = e.send(&m);
    // The resend carried the same RequestId: eSMS answered 124, so it is already submitted.
    match outcome {
        Ok(SendOutcome::AlreadySubmitted { .. }) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(em.messages().len(), 1, "sent exactly once");
}

#[test]
fn an_interits_zns_that_may_have_arrived_is_never_resent() {
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let (_, _, i) = clients(&em);
    em.inject(Fault::ResetAfterAccept, 1, Some("send-zns"));
    match i.send(&zns(&["0912345678"], "z-it-lost", json!({}))) {
        Err(Error::Send(SendError::OutcomeUnknown(u))) => {
            assert_eq!(u.attempts, 1);
            assert!(matches!(u.resend, Resend::NotSafe), "{u:?}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(em.messages().len(), 1);
}

#[test]
fn a_zalo_then_sms_send_falls_back_to_sms_for_a_phone_without_zalo() {
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let (e, _, _) = clients(&em);
    let callback = format!("{}/_emulator/health?k=mc", em.base_url());
    let m = msg(
        json!({"recipients": [DEMO_PHONE_WITHOUT_ZALO], "request_id": "mc-1", "callback_url": callback,
        "content": {"zalo_then_sms": {
            "zns": {"oa_id": DEMO_ZALO_OA_ID, "template_id": DEMO_ZNS_OTP_TEMPLATE_ID, "params": [{"name": "otp", "value": "482913"}]},
            "sms": {"purpose": "otp", "text": "482913 la ma xac thuc cua ban", "sender": "NHANTIN"}}}}),
    );
    let outcome = e.send(&m).unwrap();
    assert_eq!(outcome.attempts(), 1);
    let records = em.messages();
    assert_eq!(records.len(), 1, "one send");
    let record = serde_json::to_value(&records[0]).unwrap();
    assert_eq!(record["endpoint"], "MultiChannelMessage");
    assert_eq!(record["multichannel"]["legs_sent"], json!(["zns", "sms"]));
    assert_eq!(record["multichannel"]["zns_leg"]["request_id"], "mc-1.z");
    assert_eq!(record["multichannel"]["sms_leg"]["request_id"], "mc-1.s");
    // Each leg reports to its own marked callback: the ZNS failed (Zalo -118), the SMS arrived.
    let reports = em.wait_for_delivery_reports(2, Duration::from_secs(5));
    assert_eq!(reports.len(), 2, "{reports:#?}");
    // The report itself says which leg it is about.
    let by_leg = |leg: MultiChannelLeg| {
        reports
            .iter()
            .map(|r| parse_delivery_report(&r.url))
            .find(|r| r.leg == Some(leg))
            .unwrap_or_else(|| panic!("no {leg:?} report: {reports:#?}"))
    };
    let zns = by_leg(MultiChannelLeg::Zns);
    assert_eq!(zns.verdict, DeliveryVerdict::Failed);
    assert_eq!(zns.error_info.and_then(|e| e.code), Some(-118));
    let sms = by_leg(MultiChannelLeg::Sms);
    assert_eq!(sms.verdict, DeliveryVerdict::Delivered);
    assert!(sms.switch_sms_id.is_some(), "the SMS leg names the ZNS leg");
}

#[test]
fn a_generated_code_is_checked_once() {
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let (e, _, _) = clients(&em);
    let phone = nhantin_core::PhoneNumber::parse("phone", "0912345678").unwrap();
    for channel in [
        json!({"sms": {"sender": "NHANTIN", "template": "{OTP} la ma xac thuc cua ban", "digits_only": true}}),
        json!({"zalo_then_sms": {"template_id": nhantin_emulator::DEMO_MULTICHANNEL_TEMPLATE_ID}}),
    ] {
        em.reset();
        let m = msg(
            json!({"recipients": ["0912345678"], "content": {"generated_otp": {"channel": channel, "time_alive_minutes": 5}}}),
        );
        assert_eq!(m.request_id, None);
        let outcome = e.send(&m).unwrap();
        assert_eq!(outcome.attempts(), 1);
        let record = em.messages().pop().unwrap();
        let code = record
            .generated_code
            .as_ref()
            .expect("the emulator shows the code")
            .code
            .clone();
        assert_eq!(
            e.check_generated_otp(&phone, &code).unwrap(),
            nhantin_core::esms::CodeCheck::Valid
        );
        assert_eq!(
            e.check_generated_otp(&phone, &code).unwrap(),
            nhantin_core::esms::CodeCheck::Invalid,
            "a code is good once"
        );
    }
}

#[test]
fn a_generated_code_send_that_may_have_arrived_is_never_resent() {
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let (e, _, _) = clients(&em);
    em.inject(Fault::ResetAfterAccept, 1, Some("SendMessageAutoGenCode"));
    let m = msg(
        json!({"recipients": ["0912345678"], "content": {"generated_otp": {"channel": {"sms": {"sender": "NHANTIN", "template": "{OTP} la ma"}}}}}),
    );
    match e.send(&m) {
        Err(Error::Send(SendError::OutcomeUnknown(u))) => {
            assert_eq!(u.attempts, 1);
            assert!(matches!(u.resend, Resend::NotSafe));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(em.messages().len(), 1, "one code sent, not two");
    // The check of a code, lost after eSMS read it, is not made again either.
    let code = em.messages()[0]
        .generated_code
        .as_ref()
        .unwrap()
        .code
        .clone();
    em.inject(Fault::ResetAfterAccept, 1, Some("CheckCodeGen"));
    let phone = nhantin_core::PhoneNumber::parse("phone", "0912345678").unwrap();
    match e.check_generated_otp(&phone, &code) {
        Err(Error::Send(SendError::OutcomeUnknown(u))) => assert_eq!(u.attempts, 1),
        other => panic!("{other:?}"),
    }
}

fn bulk(to: &[&str], request_id: &str, names: &[&str]) -> Message {
    let params: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, name)| json!([{"name": "customer_name", "value": name}, {"name": "order_code", "value": format!("DH{i}")}]))
        .collect();
    msg(
        json!({"recipients": to, "request_id": request_id, "callback_url": "https://erp.example.vn/dlr",
        "content": {"zns_bulk": {"oa_id": DEMO_ZALO_OA_ID, "template_id": DEMO_ZNS_TEMPLATE_ID, "params": params}}}),
    )
}

fn recipients(outcome: &SendOutcome) -> Vec<RecipientResult> {
    match outcome {
        SendOutcome::Accepted { receipt, .. } => receipt
            .recipients
            .iter()
            .map(|r| r.result.clone())
            .collect(),
        other => panic!("not accepted: {other:?}"),
    }
}

fn quota(e: &Client) -> i64 {
    match e
        .lookup(&EsmsLookup::ZnsQuota {
            oa_id: DEMO_ZALO_OA_ID.into(),
        })
        .unwrap()
    {
        EsmsLookupAnswer::ZnsQuota { quota } => quota.remaining.unwrap(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_bulk_zns_says_what_became_of_each_recipient_and_lookups_follow_them() {
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let (e, _, _) = clients(&em);
    let before = quota(&e);
    // The second name is longer than the template's 30-character limit: eSMS refuses that one.
    let m = bulk(
        &["0912345678", "0987654321", "0765418062"],
        "bulk-1",
        &["Trần Thị Bình", &"ệ".repeat(31), "Lê Văn An"],
    );
    let outcome = e.send(&m).unwrap();
    let results = recipients(&outcome);
    let sms_ids: Vec<String> = results
        .iter()
        .filter_map(|r| match r {
            RecipientResult::Accepted { sms_id } => Some(sms_id.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(sms_ids.len(), 2, "{results:?}");
    assert!(
        matches!(&results[1], RecipientResult::Refused { reason: Rejection::TemplateMismatch, code: Some(c), .. } if c == "790"),
        "{results:?}"
    );
    assert_eq!(em.messages().len(), 2, "one record per accepted recipient");
    assert_eq!(
        quota(&e),
        before - 2,
        "each accepted ZNS counts against the OA's quota"
    );

    // Before its report is due a ZNS is pending; after, sent, with Zalo's id to follow it to the phone.
    let status = |sms_id: &str| match e
        .lookup(&EsmsLookup::ZnsStatus {
            sms_id: sms_id.into(),
            kind: ZnsTemplateKind::Normal,
        })
        .unwrap()
    {
        EsmsLookupAnswer::ZnsStatus { status } => status,
        other => panic!("{other:?}"),
    };
    assert_eq!(status(&sms_ids[0]).state, ZnsState::Pending);
    em.advance_clock(Duration::from_secs(3600));
    let sent = status(&sms_ids[0]);
    assert_eq!(sent.state, ZnsState::Sent);
    assert_eq!(sent.is_final, Some(true));
    let zalo_id = sent.zalo_message_id.expect("a delivered ZNS has Zalo's id");
    match e
        .lookup(&EsmsLookup::ZaloMessageStatus {
            oa_id: DEMO_ZALO_OA_ID.into(),
            message_id: zalo_id,
        })
        .unwrap()
    {
        EsmsLookupAnswer::ZaloMessageStatus { status } => {
            assert_eq!(status.delivery, ZaloDelivery::Delivered);
            assert!(status.delivery_time_ms.is_some());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_lookup_answers_through_the_emulator() {
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let (e, _, _) = clients(&em);
    match e.lookup(&EsmsLookup::ZaloOas).unwrap() {
        EsmsLookupAnswer::ZaloOas { oas } => {
            assert!(oas.iter().any(|oa| oa.id == DEMO_ZALO_OA_ID), "{oas:?}")
        }
        other => panic!("{other:?}"),
    }
    match e.lookup(&EsmsLookup::Brandnames).unwrap() {
        EsmsLookupAnswer::Brandnames { brandnames } => {
            assert!(
                brandnames.iter().any(|b| b.sms_type == Some(2)),
                "{brandnames:?}"
            )
        }
        other => panic!("{other:?}"),
    }
    match e
        .lookup(&EsmsLookup::ZnsTemplates {
            oa_id: DEMO_ZALO_OA_ID.into(),
            kind: ZnsTemplateKind::Normal,
        })
        .unwrap()
    {
        EsmsLookupAnswer::ZnsTemplates { templates } => {
            let t = templates
                .iter()
                .find(|t| t.id == DEMO_ZNS_TEMPLATE_ID)
                .unwrap();
            let names: Vec<&str> = t.params.iter().map(|p| p.name.as_str()).collect();
            assert_eq!(names, ["customer_name", "order_code"]);
        }
        other => panic!("{other:?}"),
    }
    match e
        .lookup(&EsmsLookup::ZnsTemplateInfo {
            oa_id: DEMO_ZALO_OA_ID.into(),
            template_id: DEMO_ZNS_OTP_TEMPLATE_ID.into(),
        })
        .unwrap()
    {
        EsmsLookupAnswer::ZnsTemplateInfo { info } => {
            assert_eq!(info.id, DEMO_ZNS_OTP_TEMPLATE_ID);
            assert_eq!(info.tag.as_deref(), Some("OTP"));
            assert_eq!(info.params[0].name, "otp");
        }
        other => panic!("{other:?}"),
    }
    // An unknown SMSID is eSMS 854, a refusal typed as such, and never retried.
    match e.lookup(&EsmsLookup::ZnsStatus {
        sms_id: "no-such-id".into(),
        kind: ZnsTemplateKind::Normal,
    }) {
        Err(Error::Send(SendError::Refused {
            error: nhantin_core::Error::Rejected { code: Some(c), .. },
            attempts: 1,
        })) => assert_eq!(c, "854"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_bulk_answer_without_a_recipients_result_leaves_it_unknown() {
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    em.set_esms_zns_bulk_detail(ZnsBulkDetail::OmitLast);
    let (e, _, _) = clients(&em);
    let m = bulk(&["0912345678", "0987654321"], "bulk-omit", &["A", "B"]);
    let results = recipients(&e.send(&m).unwrap());
    // The emulator names real phones, so the one result it gives is matched by phone; the
    // recipient it leaves out is unknown, never assumed sent or refused.
    assert!(
        matches!(results[0], RecipientResult::Accepted { .. }),
        "{results:?}"
    );
    assert!(
        matches!(results[1], RecipientResult::Unknown { .. }),
        "{results:?}"
    );
    assert_eq!(
        em.messages().len(),
        2,
        "both were sent; the answer just did not say"
    );
}

#[test]
fn a_bulk_lost_after_acceptance_is_resent_and_sends_nobody_twice() {
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let (e, _, _) = clients(&em);
    em.inject(Fault::ResetAfterAccept, 1, Some("Send_zns_bulk"));
    let m = bulk(&["0912345678", "0987654321"], "bulk-lost", &["A", "B"]);
    let outcome = e.send(&m).unwrap();
    assert_eq!(outcome.attempts(), 2);
    assert_eq!(
        recipients(&outcome),
        vec![
            RecipientResult::AlreadySubmitted,
            RecipientResult::AlreadySubmitted
        ]
    );
    assert_eq!(em.messages().len(), 2, "each recipient sent exactly once");
}

/// A bulk ZNS over 500 is sent in batches; each recipient's `index` is its place in the whole
/// message, so a caller's row 400 is never matched to the second batch's first result.
#[test]
fn a_bulk_zns_over_500_is_batched_and_indexed_in_the_whole_message() {
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let (e, _, _) = clients(&em);
    let phones: Vec<String> = (0..501)
        .map(|i| format!("09{:08}", 10_000_000 + i))
        .collect();
    let to: Vec<&str> = phones.iter().map(String::as_str).collect();
    let names: Vec<String> = (0..501).map(|i| format!("Khach {i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let m = bulk(&to, "bulk-501", &names);
    assert!(e.send(&m).is_err(), "one request carries at most 500");
    let batches = e.send_bulk(&m).unwrap();
    assert_eq!(
        batches
            .iter()
            .map(|b| (b.first_recipient, b.recipients))
            .collect::<Vec<_>>(),
        [(0, 251), (251, 250)]
    );
    let mut indexes = Vec::new();
    for batch in &batches {
        match batch.result.as_ref().unwrap() {
            SendOutcome::Accepted { receipt, .. } => {
                indexes.extend(receipt.recipients.iter().map(|r| r.index))
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(indexes, (0..501).collect::<Vec<_>>());
    assert_eq!(em.messages().len(), 501);
}

#[test]
fn an_interits_zns_is_followed_by_its_message_detail() {
    use nhantin_core::interits::ZnsDeliveryStatus;
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let (_, _, i) = clients(&em);
    let sent = i
        .send(&zns(&["0912345678"], "it-detail", json!({})))
        .unwrap();
    let msg_id = reference(&sent);
    let pending = i.interits_zns_message(DEMO_ZALO_OA_ID, &msg_id).unwrap();
    assert_eq!(pending.delivery, ZnsDeliveryStatus::Unknown);
    assert_eq!(pending.verdict, DeliveryVerdict::Pending);
    assert_eq!(pending.tracking_id.as_deref(), Some("it-detail"));
    em.advance_clock(Duration::from_secs(3600));
    let received = i.interits_zns_message(DEMO_ZALO_OA_ID, &msg_id).unwrap();
    assert_eq!(received.delivery, ZnsDeliveryStatus::Received);
    assert_eq!(received.verdict, DeliveryVerdict::Delivered);
    assert!(received.delivery_time.is_some());

    // A phone without Zalo: InterITS accepted it, Zalo refused it, and the detail says so.
    let failed = i
        .send(&zns(&[DEMO_PHONE_WITHOUT_ZALO], "it-detail-118", json!({})))
        .unwrap();
    em.advance_clock(Duration::from_secs(3600));
    let detail = i
        .interits_zns_message(DEMO_ZALO_OA_ID, &reference(&failed))
        .unwrap();
    assert_eq!(detail.delivery, ZnsDeliveryStatus::Unknown);
    assert_eq!(detail.error_code.as_deref(), Some("-118"));
    // InterITS never moves it past `unknown`: the verdict is what tells a poller to stop.
    assert_eq!(detail.verdict, DeliveryVerdict::Failed);

    // An id InterITS never gave is a refusal, typed, and a read-only query is never a send.
    match i.interits_zns_message(DEMO_ZALO_OA_ID, "nosuchid") {
        Err(Error::Send(SendError::Refused {
            error: nhantin_core::Error::Rejected { reason, .. },
            ..
        })) => assert_eq!(reason, Rejection::NotFound),
        other => panic!("{other:?}"),
    }
    assert_eq!(em.messages().len(), 2);
}
