//! eSMS multi-channel sends (`MultiChannelMessage/`: Zalo first, the SMS leg only when Zalo
//! cannot deliver) and eSMS-generated codes (`SendMessageAutoGenCode_V5`,
//! `SendMessageAutoGenCode_V4_get`, `CheckCodeGen_V4_get`): answers, every refusal, records,
//! the legs' delivery reports with `switchsmsid`, the SMSID settings, code checks and expiry.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread;
use std::time::{Duration, Instant};

use common::*;
use nhantin_emulator::{
    AcceptedMessage, CheckCodeInvalid, DeliveryAttempt, DeliveryOutcome, Emulator, EmulatorConfig,
    Endpoint, EsmsAccount, EsmsConfig, EsmsSmsType, Leg, MessageKind, MultiChannelIds,
    MultiChannelReportId, MultiChannelReturnedId, Reference, ZnsDelivery, ZnsParam,
    DEMO_ESMS_API_KEY as KEY, DEMO_ESMS_SECRET_KEY as SECRET, DEMO_MULTICHANNEL_TEMPLATE_ID,
    DEMO_PHONE_WITHOUT_ZALO, DEMO_PHONE_ZALO_INACTIVE, DEMO_ZALO_INACTIVE_OA_ID,
    DEMO_ZALO_OA_ID as OA,
};
use serde_json::{json, Value};

const MC: &str = "MultiChannelMessage/";
const V5: &str = "SendMessageAutoGenCode_V5";
const V4_GET: &str = "SendMessageAutoGenCode_V4_get";
const CHECK: &str = "CheckCodeGen_V4_get";
const PHONE: &str = "0901888484";

/// The Vietnamese page's sample, on the demo OA and brandname.
fn mc_body(phone: &str) -> Value {
    json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": phone, "Channels": ["zalo", "sms"],
    "Data": [
        {"TempID": "205644", "Params": ["686868"], "OAID": OA, "campaignid": "Gửi OTP",
         "RequestId": "otp-55.z", "Sandbox": "0", "SendingMode": "1"},
        {"Content": "686868 la ma xac minh dang ky NHANTIN cua ban", "IsUnicode": "0",
         "SmsType": "2", "Brandname": "NHANTIN", "RequestId": "otp-55.s", "Sandbox": "0"}
    ]})
}

/// `body` with `Data[leg].name = value` (`Value::Null` removes it).
fn leg(mut body: Value, index: usize, name: &str, value: Value) -> Value {
    let data = body["Data"][index].as_object_mut().unwrap();
    if value.is_null() {
        data.remove(name);
    } else {
        data.insert(name.to_owned(), value);
    }
    body
}

fn top(mut body: Value, name: &str, value: Value) -> Value {
    let map = body.as_object_mut().unwrap();
    if value.is_null() {
        map.remove(name);
    } else {
        map.insert(name.to_owned(), value);
    }
    body
}

fn invalid_get(emu: &Emulator, target: &str) {
    let resp = esms_get(emu, target);
    assert_eq!(resp.status, 200);
    assert_eq!(resp.text(), INVALID_REQUEST, "{target}");
    assert!(resp.header("X-Emulator-Reason").is_some());
}

fn balance(emu: &Emulator) -> u64 {
    esms_json(
        emu,
        "GetBalance_json",
        &json!({"ApiKey": KEY, "SecretKey": SECRET}),
    )
    .json()["Balance"]
        .as_u64()
        .unwrap()
}

fn only_message(emu: &Emulator) -> AcceptedMessage {
    let messages = emu.messages();
    assert_eq!(messages.len(), 1, "{messages:#?}");
    messages[0].clone()
}

/// A loopback receiver that answers 200 to up to `n` requests within 5 s; returns its base
/// URL. The thread always ends.
fn receiver(n: usize) -> (String, thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut served = 0;
        while served < n && Instant::now() < deadline {
            match listener.accept() {
                Ok((mut s, _)) => {
                    s.set_nonblocking(false).unwrap();
                    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match s.read(&mut chunk) {
                            Ok(0) | Err(_) => break,
                            Ok(k) => buf.extend_from_slice(&chunk[..k]),
                        }
                    }
                    let _ = s.write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                    served += 1;
                }
                Err(_) => thread::sleep(Duration::from_millis(5)),
            }
        }
    });
    (base, handle)
}

/// The multi-channel body with each leg's CallbackUrl on the receiver, marked by leg.
fn with_callbacks(body: Value, base: &str) -> Value {
    let body = leg(body, 0, "CallbackUrl", json!(format!("{base}/dlr?leg=zns")));
    leg(body, 1, "CallbackUrl", json!(format!("{base}/dlr?leg=sms")))
}

/// The query of a recorded report after the receiver's `/dlr?leg=…&`.
fn query_of(report: &DeliveryAttempt, leg: &str) -> String {
    assert_eq!(report.outcome, DeliveryOutcome::Answered { status: 200 });
    let prefix = format!("/dlr?leg={leg}&");
    let (_, rest) = report.url.split_once(&prefix).unwrap_or_else(|| {
        panic!("{} is not a {leg} report", report.url);
    });
    rest.to_owned()
}

/// Reports of one send: waits for `count`, then makes sure no further one comes.
fn reports(emu: &Emulator, count: usize) -> Vec<DeliveryAttempt> {
    let got = emu.wait_for_delivery_reports(count, Duration::from_secs(5));
    assert_eq!(got.len(), count, "{got:#?}");
    thread::sleep(Duration::from_millis(300));
    let after = emu.delivery_reports();
    assert_eq!(after.len(), count, "an unexpected report: {after:#?}");
    after
}

fn sent_data(emu: &Emulator, sms_type: &str) -> Value {
    let q = json!({"ApiKey": KEY, "SecretKey": SECRET, "SmsType": sms_type,
        "From": "2000-01-01 00:00:00", "To": "2099-12-31 23:59:59", "Page": 1, "PageSize": 500});
    esms_json(emu, "GetSmsSentData_V2", &q).json()
}

fn send_status(emu: &Emulator, id: &str) -> String {
    esms_get(
        emu,
        &format!("GetSendStatus?ApiKey={KEY}&SecretKey={SECRET}&RefId={id}"),
    )
    .text()
    .to_owned()
}

// ---------------------------------------------------------------------------------------------
// MultiChannelMessage: accepted sends

#[test]
fn a_delivered_zns_is_the_only_leg_sent_and_reported() {
    let emu = start();
    let before = balance(&emu);
    let (base, handle) = receiver(1);
    let id = sms_id_of(&esms_json(&emu, MC, &with_callbacks(mc_body(PHONE), &base)));
    let reports = reports(&emu, 1);
    handle.join().unwrap();

    let m = only_message(&emu);
    assert_eq!(m.endpoint, Endpoint::EsmsMultiChannel);
    assert_eq!(
        m.kind,
        MessageKind::Esms {
            sms_type: EsmsSmsType::ZaloCustomerCare
        }
    );
    assert_eq!(m.recipients, vec![PHONE.to_owned()]);
    assert_eq!(
        m.text.as_deref(),
        Some("686868 la ma xac minh dang ky NHANTIN cua ban")
    );
    assert_eq!(m.sender.as_deref(), Some("NHANTIN"));
    assert_eq!(m.request_id.as_deref(), Some("otp-55.z"));
    assert_eq!(m.campaign_id.as_deref(), Some("Gửi OTP"));
    assert!(!m.sandbox);
    assert_eq!(m.generated_code, None);
    assert!(matches!(&m.reference, Reference::EsmsSmsId { sms_id, .. } if *sms_id == id));
    let zns = m.zns.clone().unwrap();
    assert_eq!(zns.oa_id.as_deref(), Some(OA));
    assert_eq!(zns.template_id, "205644");
    assert_eq!(
        zns.params,
        vec![ZnsParam {
            name: "otp".into(),
            value: "686868".into()
        }]
    );
    assert_eq!(zns.sending_mode.as_deref(), Some("1"));
    assert_eq!(zns.price, 220);
    let ZnsDelivery::Delivered { zalo_msg_id } = &zns.delivery else {
        panic!("{:?}", zns.delivery)
    };
    let mc = m.multichannel.clone().unwrap();
    assert_eq!(mc.template_id, None);
    assert_eq!(mc.legs_sent, vec![Leg::Zns]);
    assert_eq!(mc.sms_leg.delivered, None);
    assert_eq!(mc.sms_leg.request_id.as_deref(), Some("otp-55.s"));
    assert_eq!(mc.price, 220);
    // Default ids: a parent id, distinct from both legs', that every report carries.
    assert_ne!(mc.zns_leg.sms_id, id);
    assert_ne!(mc.sms_leg.sms_id, id);
    assert_ne!(mc.zns_leg.sms_id, mc.sms_leg.sms_id);
    assert_eq!(mc.zns_leg.report_sms_id, id);
    assert_eq!(mc.sms_leg.report_sms_id, id);
    assert_eq!(balance(&emu), before - 220);

    assert_eq!(reports[0].sms_id, id);
    assert_eq!(
        query_of(&reports[0], "zns"),
        format!("SMSID={id}&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=220.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=25&telcoid=2&phonenumber={PHONE}&partnerids={zalo_msg_id}&error_info=%22{{%5C%22error%5C%22%3A0%2C%5C%22message%5C%22%3A%5C%22Success%5C%22}}%22&oaid={OA}&tempid=205644&switchsmsid=")
    );
    assert!(send_status(&emu, &id).contains(r#""SendSuccess":1,"TotalPrice":220.0000"#));
    assert_eq!(sent_data(&emu, "2")["CountTotal"], 0);
    assert_eq!(sent_data(&emu, "25")["CountTotal"], 1);
}

#[test]
fn without_zalo_the_sms_leg_goes_out_with_both_reports_linked_by_switchsmsid() {
    let emu = start();
    let before = balance(&emu);
    let (base, handle) = receiver(2);
    let id = sms_id_of(&esms_json(
        &emu,
        MC,
        &with_callbacks(mc_body(DEMO_PHONE_WITHOUT_ZALO), &base),
    ));
    let reports = reports(&emu, 2);
    handle.join().unwrap();

    let m = only_message(&emu);
    let zns = m.zns.clone().unwrap();
    assert_eq!(zns.delivery, ZnsDelivery::Failed { zalo_error: -118 });
    assert_eq!(zns.price, 0);
    let mc = m.multichannel.clone().unwrap();
    assert_eq!(mc.legs_sent, vec![Leg::Zns, Leg::Sms]);
    assert_eq!(mc.sms_leg.delivered, Some(true));
    assert_eq!(
        mc.sms_leg.content,
        "686868 la ma xac minh dang ky NHANTIN cua ban"
    );
    assert_eq!(mc.price, 470);
    assert_eq!(balance(&emu), before - 470);
    let (z, s) = (&mc.zns_leg.sms_id, &mc.sms_leg.sms_id);

    // The ZNS failure first, to the ZNS leg's URL; then the SMS, to the SMS leg's URL.
    assert_eq!(reports[0].sms_id, id);
    assert_eq!(reports[0].phone.as_deref(), Some(DEMO_PHONE_WITHOUT_ZALO));
    assert_eq!(
        query_of(&reports[0], "zns"),
        format!("SMSID={id}&SendFailed=1&SendStatus=5&SendSuccess=0&TotalPrice=0.0000&TotalReceiver=1&TotalSent=0&RequestId=&TypeId=25&telcoid=2&phonenumber=0909000118&partnerids=&error_info=%22{{%5C%22error%5C%22%3A-118%2C%5C%22message%5C%22%3A%5C%22Zalo%20account%20not%20existed%5C%22}}%22&oaid={OA}&tempid=205644&switchsmsid={s}")
    );
    assert_eq!(reports[1].sms_id, id);
    assert_eq!(
        query_of(&reports[1], "sms"),
        format!("SMSID={id}&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=470.0000&TotalReceiver=1&TotalSent=1&RequestId=otp-55.s&TypeId=2&telcoid=2&phonenumber=0909000118&switchsmsid={z}")
    );

    // The status queries count the send delivered (by SMS) and list both legs.
    assert_eq!(
        send_status(&emu, &id),
        format!(
            r#"{{"CodeResponse":"100","SMSID":"{id}","SendFailed":0,"SendStatus":5,"SendSuccess":1,"TotalPrice":470.0000,"TotalReceiver":1,"TotalSent":1}}"#
        )
    );
    assert!(send_status(&emu, z).contains(r#""CodeResponse":"100""#));
    let zns_rows = sent_data(&emu, "25");
    assert_eq!(zns_rows["CountTotal"], 1);
    assert_eq!(zns_rows["SentData"][0]["SellPrice"], 0.0);
    assert_eq!(zns_rows["SentData"][0]["SendResult"], 0);
    let sms_rows = sent_data(&emu, "2");
    assert_eq!(sms_rows["CountTotal"], 1);
    assert_eq!(sms_rows["SentData"][0]["ReferenceId"], id.as_str());
    assert_eq!(
        sms_rows["SentData"][0]["Content"],
        "686868 la ma xac minh dang ky NHANTIN cua ban"
    );
    assert_eq!(sms_rows["SentData"][0]["SellPrice"], 470.0);
}

#[test]
fn an_inactive_zalo_user_also_falls_back_and_undeliverable_sms_is_reported_failed() {
    let emu = start_with(EmulatorConfig {
        esms: EsmsConfig {
            undeliverable_phones: vec![DEMO_PHONE_ZALO_INACTIVE.to_owned()],
            ..EsmsConfig::default()
        },
        ..EmulatorConfig::default()
    });
    let (base, handle) = receiver(2);
    sms_id_of(&esms_json(
        &emu,
        MC,
        &with_callbacks(mc_body(DEMO_PHONE_ZALO_INACTIVE), &base),
    ));
    let reports = reports(&emu, 2);
    handle.join().unwrap();
    let m = only_message(&emu);
    assert_eq!(
        m.zns.unwrap().delivery,
        ZnsDelivery::Failed { zalo_error: -114 }
    );
    let mc = m.multichannel.unwrap();
    assert_eq!(mc.legs_sent, vec![Leg::Zns, Leg::Sms]);
    assert_eq!(mc.sms_leg.delivered, Some(false));
    assert!(query_of(&reports[0], "zns").contains("error_info=%22{%5C%22error%5C%22%3A-114"));
    assert!(query_of(&reports[1], "sms").starts_with(&format!(
        "SMSID={}&SendFailed=1&SendStatus=5&SendSuccess=0",
        reports[1].sms_id
    )));
}

#[test]
fn a_leg_without_callback_url_gets_no_report_and_the_sms_leg_still_goes_out() {
    let emu = start();
    let (base, handle) = receiver(1);
    let body = leg(
        mc_body(DEMO_PHONE_WITHOUT_ZALO),
        1,
        "CallbackUrl",
        json!(format!("{base}/dlr?leg=sms")),
    );
    sms_id_of(&esms_json(&emu, MC, &body));
    let reports = reports(&emu, 1);
    handle.join().unwrap();
    assert!(query_of(&reports[0], "sms").contains("&TypeId=2&"));
    assert_eq!(
        only_message(&emu).multichannel.unwrap().legs_sent,
        vec![Leg::Zns, Leg::Sms]
    );
}

#[test]
fn the_smsid_policies() {
    let emu = start();
    // The ZNS leg's id as the answer, each report under its own leg's id.
    emu.set_esms_multichannel_ids(MultiChannelIds {
        returned: MultiChannelReturnedId::ZnsLeg,
        reports: MultiChannelReportId::Leg,
    });
    let (base, handle) = receiver(2);
    let id = sms_id_of(&esms_json(
        &emu,
        MC,
        &with_callbacks(mc_body(DEMO_PHONE_WITHOUT_ZALO), &base),
    ));
    let got = reports(&emu, 2);
    handle.join().unwrap();
    let mc = only_message(&emu).multichannel.unwrap();
    assert_eq!(mc.zns_leg.sms_id, id);
    assert_eq!(mc.zns_leg.report_sms_id, id);
    assert_eq!(mc.sms_leg.report_sms_id, mc.sms_leg.sms_id);
    assert_eq!(got[0].sms_id, id);
    assert_eq!(got[1].sms_id, mc.sms_leg.sms_id);
    assert!(query_of(&got[1], "sms").starts_with(&format!("SMSID={}&", mc.sms_leg.sms_id)));
    assert!(query_of(&got[1], "sms").ends_with(&format!("&switchsmsid={id}")));
    assert!(query_of(&got[0], "zns").ends_with(&format!("&switchsmsid={}", mc.sms_leg.sms_id)));

    // Parent id + leg ids: no report carries the answered id.
    emu.reset();
    emu.set_esms_multichannel_ids(MultiChannelIds {
        returned: MultiChannelReturnedId::Parent,
        reports: MultiChannelReportId::Leg,
    });
    let (base, handle) = receiver(2);
    let id = sms_id_of(&esms_json(
        &emu,
        MC,
        &with_callbacks(
            leg(
                leg(
                    mc_body(DEMO_PHONE_WITHOUT_ZALO),
                    0,
                    "RequestId",
                    json!("p-1.z"),
                ),
                1,
                "RequestId",
                json!("p-1.s"),
            ),
            &base,
        ),
    ));
    let got = reports(&emu, 2);
    handle.join().unwrap();
    let mc = only_message(&emu).multichannel.unwrap();
    assert!(got.iter().all(|r| r.sms_id != id));
    assert_eq!(got[0].sms_id, mc.zns_leg.sms_id);
    assert_eq!(got[1].sms_id, mc.sms_leg.sms_id);
    // Every id of the send finds it.
    for any in [&id, &mc.zns_leg.sms_id, &mc.sms_leg.sms_id] {
        assert!(send_status(&emu, any).contains(r#""SendSuccess":1"#));
    }

    // A reset puts the configured defaults back.
    emu.reset();
    sms_id_of(&esms_json(&emu, MC, &mc_body(PHONE)));
    let mc = only_message(&emu).multichannel.unwrap();
    let m = only_message(&emu);
    let Reference::EsmsSmsId { sms_id, .. } = &m.reference else {
        panic!()
    };
    assert_eq!(&mc.zns_leg.report_sms_id, sms_id);
    assert_ne!(&mc.zns_leg.sms_id, sms_id);
}

#[test]
fn sandbox_on_both_legs_is_recorded_not_sent_not_charged_not_reported() {
    let emu = start();
    let before = balance(&emu);
    let (base, handle) = receiver(0);
    let body = leg(
        leg(mc_body(DEMO_PHONE_WITHOUT_ZALO), 0, "Sandbox", json!("1")),
        1,
        "Sandbox",
        json!("1"),
    );
    let id = sms_id_of(&esms_json(&emu, MC, &with_callbacks(body, &base)));
    handle.join().unwrap();
    thread::sleep(Duration::from_millis(300));
    assert!(emu.delivery_reports().is_empty());
    let m = only_message(&emu);
    assert!(m.sandbox);
    assert_eq!(m.zns.unwrap().delivery, ZnsDelivery::NotSent);
    let mc = m.multichannel.unwrap();
    assert!(mc.legs_sent.is_empty());
    assert_eq!(mc.sms_leg.delivered, None);
    assert_eq!(mc.price, 0);
    assert_eq!(balance(&emu), before);
    assert!(send_status(&emu, &id).contains(r#""SendSuccess":0,"TotalPrice":0.0000"#));
    assert!(send_status(&emu, &id).ends_with(r#""TotalSent":0}"#));

    // Half a sandbox is refused.
    invalid(&emu, MC, &leg(mc_body(PHONE), 0, "Sandbox", json!("1")));
    invalid(&emu, MC, &leg(mc_body(PHONE), 1, "Sandbox", json!("1")));
}

#[test]
fn the_trailing_slash_is_optional_and_the_method_is_post() {
    let emu = start();
    sms_id_of(&esms_json(&emu, "MultiChannelMessage", &mc_body(PHONE)));
    let r = esms_get(&emu, MC);
    assert_eq!(r.status, 405);
    assert_eq!(r.header("Allow"), Some("POST"));
    assert_eq!(esms_get(&emu, &format!("{V5}?ApiKey={KEY}")).status, 405);
    let post = esms_json(&emu, CHECK, &json!({}));
    assert_eq!(post.status, 405);
    assert_eq!(post.header("Allow"), Some("GET"));
    assert_eq!(esms_json(&emu, V4_GET, &json!({})).status, 405);
}

// ---------------------------------------------------------------------------------------------
// MultiChannelMessage: refusals

#[test]
fn multichannel_result_codes() {
    let emu = start();
    let p = mc_body(PHONE);
    refused(
        &emu,
        MC,
        &top(p.clone(), "SecretKey", json!("WRONG")),
        "101",
        "Authorize Failed",
    );
    refused(
        &emu,
        MC,
        &leg(p.clone(), 0, "OAID", Value::Null),
        "791",
        "OAID or TempID is missing",
    );
    refused(
        &emu,
        MC,
        &leg(p.clone(), 0, "TempID", json!("")),
        "791",
        "OAID or TempID is missing",
    );
    refused(
        &emu,
        MC,
        &leg(p.clone(), 0, "OAID", json!("4097311281936189049")),
        "204",
        "OAID is not exist",
    );
    refused(
        &emu,
        MC,
        &leg(p.clone(), 0, "OAID", json!(DEMO_ZALO_INACTIVE_OA_ID)),
        "799",
        "OAID is inactive, wrong or not added to the account",
    );
    refused(
        &emu,
        MC,
        &leg(p.clone(), 0, "TempID", json!("999999")),
        "789",
        "TemplateId is not config",
    );
    let mismatch = "Template data does not match the ZNS template";
    for params in [
        json!([]),
        json!(["686868", "x"]),
        json!([""]),
        json!(["12345678901"]),
    ] {
        refused(
            &emu,
            MC,
            &leg(p.clone(), 0, "Params", params),
            "790",
            mismatch,
        );
    }
    // A journey template cannot be a multi-channel ZNS.
    let journey = leg(
        leg(p.clone(), 0, "TempID", json!("301199")),
        0,
        "Params",
        json!(["DH1", "14:30"]),
    );
    refused(&emu, MC, &journey, "790", mismatch);
    for phone in ["84901888484", "+84901888484", "901888484", "0901 888 484"] {
        refused(
            &emu,
            MC,
            &top(p.clone(), "Phone", json!(phone)),
            "108",
            "Phone number is invalid",
        );
    }
    for sms_type in ["1", "8", "23", "25"] {
        refused(
            &emu,
            MC,
            &leg(p.clone(), 1, "SmsType", json!(sms_type)),
            "118",
            "SmsType is not supported",
        );
    }
    refused(
        &emu,
        MC,
        &leg(p.clone(), 1, "Brandname", json!("MYBRAND")),
        "104",
        "Brand name code is not exist",
    );
    refused(
        &emu,
        MC,
        &leg(p.clone(), 0, "SendingMode", json!("3")),
        "802",
        "OA is not allowed SendingMode 3",
    );
    assert!(emu.messages().is_empty());
}

#[test]
fn request_ids_are_checked_per_leg_for_24_hours() {
    let emu = start();
    let p = mc_body(PHONE);
    sms_id_of(&esms_json(&emu, MC, &p));
    let dup = "Request exist 1";
    // Either leg's id again is 124, and neither new id is used up by the refusal.
    refused(
        &emu,
        MC,
        &leg(p.clone(), 1, "RequestId", json!("n-1.s")),
        "124",
        dup,
    );
    refused(
        &emu,
        MC,
        &leg(p.clone(), 0, "RequestId", json!("n-1.z")),
        "124",
        dup,
    );
    let fresh = leg(
        leg(p.clone(), 0, "RequestId", json!("n-1.z")),
        1,
        "RequestId",
        json!("n-1.s"),
    );
    sms_id_of(&esms_json(&emu, MC, &fresh));
    // The same id on both legs is 124.
    let same = leg(
        leg(p.clone(), 0, "RequestId", json!("n-2")),
        1,
        "RequestId",
        json!("n-2"),
    );
    refused(&emu, MC, &same, "124", dup);
    // The register is the account's: a plain SMS with the ZNS leg's id blocks it too.
    let sms = json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": PHONE, "Content": "x",
                     "Brandname": "NHANTIN", "SmsType": "2", "RequestId": "n-3.z"});
    sms_id_of(&esms_json(&emu, "SendMultipleMessage_V4_post_json/", &sms));
    let blocked = leg(
        leg(p.clone(), 0, "RequestId", json!("n-3.z")),
        1,
        "RequestId",
        json!("n-3.s"),
    );
    refused(&emu, MC, &blocked, "124", dup);
    // A refusal after the check (802) uses both ids up.
    let mode3 = leg(
        leg(
            leg(p.clone(), 0, "RequestId", json!("n-4.z")),
            1,
            "RequestId",
            json!("n-4.s"),
        ),
        0,
        "SendingMode",
        json!("3"),
    );
    refused(&emu, MC, &mode3, "802", "OA is not allowed SendingMode 3");
    refused(
        &emu,
        MC,
        &leg(mode3, 0, "SendingMode", json!("1")),
        "124",
        dup,
    );
    // 24 hours later the ids are free again.
    emu.advance_clock(Duration::from_secs(24 * 3600));
    sms_id_of(&esms_json(&emu, MC, &p));
    assert_eq!(emu.messages().len(), 4);
}

#[test]
fn balance_103_counts_what_the_send_will_cost() {
    // 300 VND pays a delivered ZNS (220) but not a fallback SMS (470).
    let emu = start_with(EmulatorConfig {
        esms: EsmsConfig {
            accounts: vec![EsmsAccount {
                balance: 300,
                ..EsmsAccount::default()
            }],
            ..EsmsConfig::default()
        },
        ..EmulatorConfig::default()
    });
    refused(
        &emu,
        MC,
        &mc_body(DEMO_PHONE_WITHOUT_ZALO),
        "103",
        "Balance not enough to send message",
    );
    sms_id_of(&esms_json(&emu, MC, &mc_body(PHONE)));
    assert_eq!(balance(&emu), 80);
}

#[test]
fn multichannel_malformed_requests_are_invalid_request() {
    let emu = start();
    let p = mc_body(PHONE);
    let cases = vec![
        // Unknown members, at every level.
        top(p.clone(), "SendDate", json!("2030-01-01 10:00:00")),
        top(p.clone(), "RequestId", json!("top")),
        top(p.clone(), "Content", json!("x")),
        leg(p.clone(), 0, "SendDate", json!("2030-01-01 10:00:00")),
        leg(p.clone(), 0, "TempData", json!({"otp": "1"})),
        leg(p.clone(), 0, "Phone", json!(PHONE)),
        leg(p.clone(), 1, "campaignid", json!("c")),
        leg(p.clone(), 1, "Phone", json!(PHONE)),
        leg(p.clone(), 1, "IsSandBox", json!("0")),
        // Channels.
        top(p.clone(), "Channels", json!(["sms", "zalo"])),
        top(p.clone(), "Channels", json!(["zalo"])),
        top(p.clone(), "Channels", json!(["zalo", "sms", "viber"])),
        top(p.clone(), "Channels", json!("zalo,sms")),
        top(p.clone(), "Channels", Value::Null),
        // Data.
        top(p.clone(), "Data", json!([p["Data"][0].clone()])),
        top(
            p.clone(),
            "Data",
            json!([p["Data"][0].clone(), p["Data"][1].clone(), {}]),
        ),
        top(p.clone(), "Data", json!([p["Data"][1].clone(), "x"])),
        top(p.clone(), "Data", json!({"0": p["Data"][0].clone()})),
        top(p.clone(), "Data", Value::Null),
        // Required members and types.
        top(p.clone(), "ApiKey", Value::Null),
        top(p.clone(), "Phone", Value::Null),
        top(p.clone(), "Phone", json!(901888484)),
        leg(p.clone(), 0, "Params", Value::Null),
        leg(p.clone(), 0, "Params", json!("686868")),
        leg(p.clone(), 0, "Params", json!([686868])),
        leg(p.clone(), 0, "TempID", json!(205644)),
        leg(p.clone(), 1, "Content", Value::Null),
        leg(p.clone(), 1, "Content", json!("")),
        leg(p.clone(), 1, "SmsType", Value::Null),
        leg(p.clone(), 1, "SmsType", json!(2)),
        leg(p.clone(), 1, "Brandname", Value::Null),
        leg(p.clone(), 1, "Brandname", json!("")),
        // Values.
        leg(p.clone(), 0, "Sandbox", json!("2")),
        leg(p.clone(), 0, "Sandbox", json!(0)),
        leg(p.clone(), 0, "SendingMode", json!("2")),
        leg(p.clone(), 1, "IsUnicode", json!("2")),
        leg(p.clone(), 1, "IsUnicode", json!(0)),
        leg(p.clone(), 0, "RequestId", json!("x".repeat(51))),
        leg(p.clone(), 1, "RequestId", json!("x".repeat(51))),
        leg(p.clone(), 0, "campaignid", json!("c".repeat(255))),
        leg(p.clone(), 0, "CallbackUrl", json!("ftp://127.0.0.1/dlr")),
        leg(p.clone(), 1, "CallbackUrl", json!("/dlr")),
    ];
    for body in &cases {
        invalid(&emu, MC, body);
    }
    // Framing.
    let text = call(
        &emu,
        "POST",
        &format!("{ESMS}{MC}"),
        &[("Content-Type", "text/plain")],
        p.to_string().as_bytes(),
    );
    assert_eq!(text.text(), INVALID_REQUEST);
    let broken = call(
        &emu,
        "POST",
        &format!("{ESMS}{MC}"),
        &[("Content-Type", "application/json")],
        b"{\"ApiKey\":",
    );
    assert_eq!(broken.text(), INVALID_REQUEST);
    assert!(emu.messages().is_empty());
    // The limits themselves are fine.
    let edge = leg(
        leg(p, 0, "RequestId", json!("z".repeat(50))),
        0,
        "campaignid",
        json!("c".repeat(254)),
    );
    sms_id_of(&esms_json(&emu, MC, &edge));
}

// ---------------------------------------------------------------------------------------------
// Generated codes

fn check(emu: &Emulator, phone: &str, code: &str) -> Resp {
    esms_get(
        emu,
        &format!("{CHECK}?ApiKey={KEY}&SecretKey={SECRET}&Phone={phone}&Code={code}"),
    )
}

fn assert_valid(emu: &Emulator, phone: &str, code: &str) {
    let r = check(emu, phone, code);
    assert_eq!(r.status, 200);
    assert_eq!(
        r.text(),
        format!(
            r#"{{"CodeResult":"100","CountRegenerate":0,"ErrorMessage":"{phone}, Content: Success!"}}"#
        )
    );
}

fn assert_rejected(emu: &Emulator, phone: &str, code: &str, result: &str) {
    let r = check(emu, phone, code);
    assert_eq!(r.status, 200);
    assert_eq!(
        r.text(),
        format!(
            r#"{{"CodeResult":"{result}","CountRegenerate":0,"ErrorMessage":"{phone}, Content: {code} Code Invalid"}}"#
        )
    );
}

fn v5_body(phone: &str) -> Value {
    json!({"ApiKey": KEY, "Phone": phone, "TimeAlive": "2", "SecretKey": SECRET,
           "MultiChannelTempId": DEMO_MULTICHANNEL_TEMPLATE_ID, "TypeId": "2"})
}

fn code_of(m: &AcceptedMessage) -> String {
    m.generated_code
        .as_ref()
        .expect("a generated code")
        .code
        .clone()
}

fn v4_get(emu: &Emulator, extra: &str) -> Resp {
    esms_get(
        emu,
        &format!("{V4_GET}?Phone={PHONE}&ApiKey={KEY}&SecretKey={SECRET}&Brandname=NHANTIN&Type=2&message=%7BOTP%7D%20la%20ma%20xac%20thuc%20cua%20ban{extra}"),
    )
}

#[test]
fn v5_sends_the_code_by_zns_and_checks_it_once() {
    let emu = start();
    let before = balance(&emu);
    let id = sms_id_of(&esms_json(&emu, V5, &v5_body(PHONE)));
    let m = only_message(&emu);
    assert_eq!(m.endpoint, Endpoint::EsmsAutoGenCodeV5);
    assert!(matches!(&m.reference, Reference::EsmsSmsId { sms_id, .. } if *sms_id == id));
    let generated = m.generated_code.clone().unwrap();
    assert_eq!(generated.time_alive_minutes, 2);
    assert!(generated.digits_only);
    let code = generated.code;
    assert_eq!(code.len(), 6);
    assert!(code.bytes().all(|b| b.is_ascii_digit()), "{code}");
    let zns = m.zns.clone().unwrap();
    assert_eq!(zns.template_id, "205644");
    assert_eq!(
        zns.params,
        vec![ZnsParam {
            name: "otp".into(),
            value: code.clone()
        }]
    );
    assert!(matches!(zns.delivery, ZnsDelivery::Delivered { .. }));
    let mc = m.multichannel.clone().unwrap();
    assert_eq!(
        mc.template_id.as_deref(),
        Some(DEMO_MULTICHANNEL_TEMPLATE_ID)
    );
    assert_eq!(mc.legs_sent, vec![Leg::Zns]);
    assert_eq!(
        mc.sms_leg.content,
        format!("{code} la ma xac thuc NhanTin cua ban")
    );
    assert_eq!(mc.sms_leg.brandname, "NHANTIN");
    assert_eq!(m.text, Some(mc.sms_leg.content.clone()));
    assert_eq!(balance(&emu), before - 220);
    thread::sleep(Duration::from_millis(200));
    assert!(emu.delivery_reports().is_empty());

    assert_rejected(&emu, PHONE, "000000x", "117");
    assert_rejected(&emu, "0912345678", &code, "117");
    assert_valid(&emu, PHONE, &code);
    assert_rejected(&emu, PHONE, &code, "117");
}

#[test]
fn v5_without_zalo_sends_the_same_code_by_sms() {
    let emu = start();
    let before = balance(&emu);
    sms_id_of(&esms_json(&emu, V5, &v5_body(DEMO_PHONE_WITHOUT_ZALO)));
    let m = only_message(&emu);
    let code = code_of(&m);
    let mc = m.multichannel.clone().unwrap();
    assert_eq!(mc.legs_sent, vec![Leg::Zns, Leg::Sms]);
    assert_eq!(mc.sms_leg.delivered, Some(true));
    assert_eq!(
        mc.sms_leg.content,
        format!("{code} la ma xac thuc NhanTin cua ban")
    );
    assert_eq!(
        m.zns.unwrap().delivery,
        ZnsDelivery::Failed { zalo_error: -118 }
    );
    assert_eq!(balance(&emu), before - 470);
    assert_valid(&emu, DEMO_PHONE_WITHOUT_ZALO, &code);
}

#[test]
fn v5_type_1_generates_only() {
    let emu = start();
    let before = balance(&emu);
    let id = sms_id_of(&esms_json(
        &emu,
        V5,
        &top(v5_body(DEMO_PHONE_WITHOUT_ZALO), "TypeId", json!("1")),
    ));
    let m = only_message(&emu);
    assert_eq!(m.zns, None);
    let mc = m.multichannel.clone().unwrap();
    assert!(mc.legs_sent.is_empty());
    assert_eq!(mc.price, 0);
    assert_eq!(balance(&emu), before);
    assert!(send_status(&emu, &id).ends_with(r#""TotalSent":0}"#));
    assert_eq!(sent_data(&emu, "25")["CountTotal"], 0);
    assert_valid(&emu, DEMO_PHONE_WITHOUT_ZALO, &code_of(&m));
}

#[test]
fn v5_refusals_and_malformed_bodies() {
    let emu = start();
    let p = v5_body(PHONE);
    refused(
        &emu,
        V5,
        &top(p.clone(), "ApiKey", json!("WRONG")),
        "101",
        "Authorize Failed",
    );
    for id in ["22575", "", "040017"] {
        let body = top(p.clone(), "MultiChannelTempId", json!(id));
        if id.is_empty() {
            invalid(&emu, V5, &body);
        } else {
            refused(&emu, V5, &body, "789", "TemplateId is not config");
        }
    }
    refused(
        &emu,
        V5,
        &top(p.clone(), "Phone", json!("84901888484")),
        "108",
        "Phone number is invalid",
    );
    for body in [
        top(p.clone(), "RequestId", json!("otp-1")),
        top(p.clone(), "CallbackUrl", json!("http://127.0.0.1/dlr")),
        top(p.clone(), "Sandbox", json!("1")),
        top(p.clone(), "SendDate", json!("2030-01-01 10:00:00")),
        top(p.clone(), "NumCharOfCode", json!("6")),
        top(p.clone(), "TypeId", json!("3")),
        top(p.clone(), "TypeId", json!(2)),
        top(p.clone(), "TypeId", Value::Null),
        top(p.clone(), "TimeAlive", json!("1")),
        top(p.clone(), "TimeAlive", json!("11")),
        top(p.clone(), "TimeAlive", json!("5m")),
        top(p.clone(), "TimeAlive", json!(5)),
        top(p.clone(), "Phone", Value::Null),
        top(p.clone(), "MultiChannelTempId", json!(40017)),
    ] {
        invalid(&emu, V5, &body);
    }
    assert!(emu.messages().is_empty());
    // The bounds themselves, and no TimeAlive at all (5 minutes).
    for alive in [json!("2"), json!("10"), Value::Null] {
        sms_id_of(&esms_json(&emu, V5, &top(p.clone(), "TimeAlive", alive)));
    }
    let minutes: Vec<u32> = emu
        .messages()
        .iter()
        .map(|m| m.generated_code.as_ref().unwrap().time_alive_minutes)
        .collect();
    assert_eq!(minutes, vec![2, 10, 5]);
}

#[test]
fn v4_get_sends_the_code_in_a_customer_care_sms() {
    let emu = start();
    let before = balance(&emu);
    let id = sms_id_of(&v4_get(&emu, ""));
    let m = only_message(&emu);
    assert_eq!(m.endpoint, Endpoint::EsmsAutoGenCodeV4Get);
    assert_eq!(
        m.kind,
        MessageKind::Esms {
            sms_type: EsmsSmsType::CustomerCare
        }
    );
    assert!(matches!(&m.reference, Reference::EsmsSmsId { sms_id, .. } if *sms_id == id));
    assert_eq!(m.sender.as_deref(), Some("NHANTIN"));
    assert_eq!(m.zns, None);
    assert_eq!(m.multichannel, None);
    let generated = m.generated_code.clone().unwrap();
    assert_eq!(generated.time_alive_minutes, 5);
    assert!(!generated.digits_only);
    let code = generated.code;
    assert_eq!(code.len(), 6);
    assert!(code
        .bytes()
        .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
    assert_eq!(m.text, Some(format!("{code} la ma xac thuc cua ban")));
    assert_eq!(balance(&emu), before - 470);
    let rows = sent_data(&emu, "2");
    assert_eq!(rows["CountTotal"], 1);
    assert_eq!(rows["SentData"][0]["Content"], m.text.unwrap().as_str());

    // Options: digits only, four characters, ten minutes.
    emu.reset();
    sms_id_of(&v4_get(&emu, "&IsNumber=1&NumCharOfCode=4&TimeAlive=10"));
    let generated = only_message(&emu).generated_code.unwrap();
    assert_eq!(generated.code.len(), 4);
    assert!(generated.code.bytes().all(|b| b.is_ascii_digit()));
    assert!(generated.digits_only);
    assert_eq!(generated.time_alive_minutes, 10);
    assert_valid(&emu, PHONE, &generated.code);
    assert_rejected(&emu, PHONE, &generated.code, "117");

    // The Vietnamese curl leaves the braces raw (its raw spaces could not be an HTTP request).
    emu.reset();
    sms_id_of(&esms_get(
        &emu,
        &format!("{V4_GET}?Phone={PHONE}&ApiKey={KEY}&SecretKey={SECRET}&TimeAlive=2&Brandname=Baotrixemay&Type=2&message={{OTP}}+la+ma+xac+minh+dang+ky+Baotrixemay+cua+ban"),
    ));
    let m = only_message(&emu);
    assert_eq!(
        m.text,
        Some(format!(
            "{} la ma xac minh dang ky Baotrixemay cua ban",
            code_of(&m)
        ))
    );
}

#[test]
fn v4_get_refusals_and_malformed_queries() {
    let emu = start();
    let base =
        format!("{V4_GET}?Phone={PHONE}&ApiKey={KEY}&SecretKey={SECRET}&Brandname=NHANTIN&Type=2");
    let otp = "&message=%7BOTP%7D%20la%20ma";
    // message without {OTP}, with it twice, with another case, absent or empty.
    for message in [
        "&message=la%20ma%20xac%20thuc",
        "&message=%7BOTP%7D%20%7BOTP%7D",
        "&message=%7Botp%7D%20la%20ma",
        "&message=OTP%20la%20ma",
        "&message=",
        "",
    ] {
        invalid_get(&emu, &format!("{base}{message}"));
    }
    for extra in [
        "&RequestId=otp-1",
        "&CallbackUrl=http%3A%2F%2F127.0.0.1%2Fdlr",
        "&Sandbox=1",
        "&SendDate=2030-01-01%2010%3A00%3A00",
        "&IsUnicode=0",
        "&SmsType=2",
        "&TimeAlive=1",
        "&TimeAlive=11",
        "&TimeAlive=15",
        "&TimeAlive=abc",
        "&NumCharOfCode=3",
        "&NumCharOfCode=11",
        "&NumCharOfCode=six",
        "&IsNumber=2",
        "&IsNumber=true",
        "&Phone=0912345678",
    ] {
        invalid_get(&emu, &format!("{base}{otp}{extra}"));
    }
    invalid_get(
        &emu,
        &format!("{V4_GET}?Phone={PHONE}&ApiKey={KEY}&SecretKey={SECRET}&Type=2{otp}"),
    );
    invalid_get(
        &emu,
        &format!("{V4_GET}?Phone={PHONE}&ApiKey={KEY}&SecretKey={SECRET}&Brandname=NHANTIN{otp}"),
    );
    let code_of_get = |target: String| esms_get(&emu, &target).text().to_owned();
    assert_eq!(
        code_of_get(base.replace(SECRET, "WRONG") + otp),
        error_body("101", "Authorize Failed")
    );
    assert_eq!(
        code_of_get(base.replace("Type=2", "Type=1") + otp),
        error_body("118", "SmsType is not supported")
    );
    assert_eq!(
        code_of_get(base.replace("Brandname=NHANTIN", "Brandname=MYBRAND") + otp),
        error_body("104", "Brand name code is not exist")
    );
    assert_eq!(
        code_of_get(base.replace(PHONE, "84901888484") + otp),
        error_body("108", "Phone number is invalid")
    );
    assert!(emu.messages().is_empty());
}

#[test]
fn a_code_expires_after_time_alive_on_the_emulator_clock() {
    let emu = start();
    sms_id_of(&esms_json(&emu, V5, &v5_body(PHONE))); // TimeAlive 2
    let code = code_of(&only_message(&emu));
    emu.advance_clock(Duration::from_secs(119));
    assert_valid(&emu, PHONE, &code);

    emu.reset();
    sms_id_of(&esms_json(&emu, V5, &v5_body(PHONE)));
    let code = code_of(&only_message(&emu));
    emu.advance_clock(Duration::from_secs(120));
    assert_rejected(&emu, PHONE, &code, "117");

    // The V4_get default is 5 minutes.
    emu.reset();
    sms_id_of(&v4_get(&emu, ""));
    let code = code_of(&only_message(&emu));
    emu.advance_clock(Duration::from_secs(5 * 60));
    assert_rejected(&emu, PHONE, &code, "117");
}

#[test]
fn a_new_code_replaces_the_phones_earlier_one() {
    let emu = start();
    sms_id_of(&v4_get(&emu, "&IsNumber=1"));
    sms_id_of(&esms_json(&emu, V5, &v5_body(PHONE)));
    let messages = emu.messages();
    let (first, second) = (code_of(&messages[0]), code_of(&messages[1]));
    if first != second {
        assert_rejected(&emu, PHONE, &first, "117");
    }
    assert_valid(&emu, PHONE, &second);
}

#[test]
fn the_invalid_verdict_can_be_171() {
    let emu = start();
    sms_id_of(&v4_get(&emu, ""));
    let code = code_of(&only_message(&emu));
    emu.set_esms_check_code_invalid(CheckCodeInvalid::Code171);
    assert_rejected(&emu, PHONE, "WRONG1", "171");
    assert_valid(&emu, PHONE, &code);
    assert_rejected(&emu, PHONE, &code, "171");
    emu.reset();
    assert_rejected(&emu, PHONE, &code, "117");

    let configured = start_with(EmulatorConfig {
        esms: EsmsConfig {
            check_code_invalid: CheckCodeInvalid::Code171,
            ..EsmsConfig::default()
        },
        ..EmulatorConfig::default()
    });
    assert_rejected(&configured, PHONE, "123456", "171");
}

#[test]
fn check_code_refusals_and_malformed_queries() {
    let emu = start();
    let ok = format!("{CHECK}?ApiKey={KEY}&SecretKey={SECRET}&Phone={PHONE}&Code=123456");
    assert_eq!(
        esms_get(&emu, &ok.replace(SECRET, "WRONG")).text(),
        error_body("101", "Authorize Failed")
    );
    assert_eq!(
        esms_get(&emu, &ok.replace(PHONE, "84901888484")).text(),
        error_body("108", "Phone number is invalid")
    );
    for target in [
        format!("{CHECK}?ApiKey={KEY}&SecretKey={SECRET}&Phone={PHONE}"),
        format!("{CHECK}?ApiKey={KEY}&SecretKey={SECRET}&Phone={PHONE}&Code="),
        format!("{CHECK}?ApiKey={KEY}&SecretKey={SECRET}&Code=123456"),
        format!("{ok}&RequestId=1"),
        format!("{ok}&code=123456"),
        format!("{ok}&Code=654321"),
    ] {
        invalid_get(&emu, &target);
    }
}

#[test]
fn the_control_api_shows_codes_legs_and_the_settings() {
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
    assert_eq!(
        settings("GET", "").text(),
        r#"{"interits_dedup_request_id":false,"esms_multichannel_returned_sms_id":"parent","esms_multichannel_report_sms_id":"returned","esms_check_code_invalid":"117","esms_zns_bulk_detail":"all"}"#
    );
    assert_eq!(
        settings(
            "POST",
            r#"{"esms_multichannel_returned_sms_id":"zns_leg","esms_multichannel_report_sms_id":"leg","esms_check_code_invalid":"171"}"#
        )
        .text(),
        r#"{"interits_dedup_request_id":false,"esms_multichannel_returned_sms_id":"zns_leg","esms_multichannel_report_sms_id":"leg","esms_check_code_invalid":"171","esms_zns_bulk_detail":"all"}"#
    );
    for bad in [
        r#"{"esms_check_code_invalid":171}"#,
        r#"{"esms_check_code_invalid":"118"}"#,
        r#"{"esms_multichannel_returned_sms_id":"sms_leg"}"#,
    ] {
        assert_eq!(settings("POST", bad).status, 400, "{bad}");
    }

    let id = sms_id_of(&esms_json(&emu, MC, &mc_body(DEMO_PHONE_WITHOUT_ZALO)));
    sms_id_of(&v4_get(&emu, ""));
    let records = call(&emu, "GET", "/_emulator/messages", &[], b"").json();
    let mc = &records[0]["multichannel"];
    assert_eq!(records[0]["endpoint"], "MultiChannelMessage");
    assert_eq!(mc["legs_sent"], json!(["zns", "sms"]));
    assert_eq!(mc["zns_leg"]["sms_id"], id.as_str());
    assert_eq!(mc["zns_leg"]["report_sms_id"], id.as_str());
    assert_eq!(mc["sms_leg"]["delivered"], true);
    assert_eq!(mc["sms_leg"]["unicode"], "off");
    assert_eq!(mc["sms_leg"]["request_id"], "otp-55.s");
    assert_eq!(mc["template_id"], Value::Null);
    assert_eq!(mc["price"], 470);
    assert_eq!(records[0]["generated_code"], Value::Null);
    assert_eq!(records[1]["endpoint"], "SendMessageAutoGenCode_V4_get");
    assert_eq!(records[1]["multichannel"], Value::Null);
    let generated = &records[1]["generated_code"];
    assert_eq!(generated["time_alive_minutes"], 5);
    assert_eq!(generated["digits_only"], false);
    let code = generated["code"].as_str().unwrap();
    assert_rejected(&emu, PHONE, "WRONG1", "171");
    assert_valid(&emu, PHONE, code);

    call(&emu, "POST", "/_emulator/reset", &[], b"");
    assert!(settings("GET", "")
        .text()
        .contains(r#""esms_multichannel_returned_sms_id":"parent""#));
}
