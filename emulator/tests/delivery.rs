//! eSMS delivery reports reach a loopback listener; other hosts are refused.

mod common;

use std::net::TcpListener;
use std::thread;
use std::time::Duration;

use common::*;
use nhantin_emulator::{
    DeliveryOutcome, EmulatorConfig, EsmsConfig, RefusalReason, DEMO_ESMS_API_KEY as KEY,
    DEMO_ESMS_SECRET_KEY as SECRET,
};
use serde_json::json;

#[test]
fn per_recipient_reports_reach_a_loopback_listener() {
    let emu = start_with(EmulatorConfig {
        esms: EsmsConfig {
            undeliverable_phones: vec!["0961234567".into()],
            ..EsmsConfig::default()
        },
        ..EmulatorConfig::default()
    });
    let (url, lines, handle) = receiver(2, "/esms/dlr?secret=s3");
    let body = json!({"ApiKey": KEY, "SecretKey": SECRET, "Brandname": "NHANTIN", "SmsType": "23",
        "Phones": ["0901888484", "0961234567"], "Content": "Xin chao", "CallbackUrl": url, "RequestId": "v-1"});
    let resp = esms_json(&emu, "Send_Multiple_Sms_OTT/", &body);
    let sms_id = resp.json()["SMSID"].as_str().unwrap().to_owned();

    let reports = emu.wait_for_delivery_reports(2, Duration::from_secs(5));
    handle.join().unwrap();
    assert_eq!(reports.len(), 2);
    let mut got: Vec<String> = lines.try_iter().collect();
    got.sort();
    let base = format!("GET /esms/dlr?secret=s3&SMSID={sms_id}");
    assert_eq!(
        got,
        vec![
            format!("{base}&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=470.0000&TotalReceiver=1&TotalSent=1&RequestId=v-1&TypeId=23&telcoid=2&phonenumber=0901888484 HTTP/1.1"),
            format!("{base}&SendFailed=1&SendStatus=5&SendSuccess=0&TotalPrice=470.0000&TotalReceiver=1&TotalSent=1&RequestId=v-1&TypeId=23&telcoid=1&phonenumber=0961234567 HTTP/1.1"),
        ]
    );
    for r in &reports {
        assert_eq!(r.sms_id, sms_id);
        assert_eq!(r.outcome, DeliveryOutcome::Answered { status: 200 });
        assert!(r.url.starts_with(&url));
    }
    let phones: Vec<_> = reports.iter().map(|r| r.phone.clone().unwrap()).collect();
    assert!(phones.contains(&"0901888484".to_owned()));
}

#[test]
fn advertising_gets_one_aggregate_report_and_sandbox_none() {
    let emu = start();
    let (url, lines, handle) = receiver(1, "/esms/dlr?secret=s3");
    let body = |sandbox: &str, id: &str| {
        json!({"ApiKey": KEY, "SecretKey": SECRET, "Brandname": "NHANTIN",
        "Content": "Khuyen mai", "Phones": phones(30), "SmsType": "1", "Sandbox": sandbox,
        "CallbackUrl": url, "RequestId": id})
    };
    assert_eq!(
        esms_json(&emu, "SendMultipleSMSBrandname_json/", &body("1", "sb")).json()["CodeResult"],
        "100"
    );
    assert_eq!(
        esms_json(&emu, "SendMultipleSMSBrandname_json/", &body("0", "real")).json()["CodeResult"],
        "100"
    );
    let reports = emu.wait_for_delivery_reports(1, Duration::from_secs(5));
    handle.join().unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].phone, None);
    let line = lines.recv_timeout(Duration::from_secs(1)).unwrap();
    assert!(line.contains("SendSuccess=30&TotalPrice=14100.0000&TotalReceiver=30&TotalSent=30&RequestId=real&TypeId=1 HTTP/1.1"), "{line}");
    assert!(!line.contains("phonenumber"));
    thread::sleep(Duration::from_millis(150));
    assert_eq!(
        emu.delivery_reports().len(),
        1,
        "the sandbox send got no report"
    );
}

#[test]
fn non_loopback_hosts_are_refused_and_recorded() {
    let emu = start();
    let body = json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": "0901234567", "Content": "x",
        "Brandname": "NHANTIN", "SmsType": "2", "CallbackUrl": "https://example.vn/dlr"});
    assert_eq!(
        esms_json(&emu, "SendMultipleMessage_V4_post_json/", &body).json()["CodeResult"],
        "100"
    );
    let mut b2 = body.clone();
    b2["CallbackUrl"] = json!("http://10.1.2.3/dlr");
    assert_eq!(
        esms_json(&emu, "SendMultipleMessage_V4_post_json/", &b2).json()["CodeResult"],
        "100"
    );
    let reports = emu.wait_for_delivery_reports(2, Duration::from_secs(5));
    assert_eq!(reports.len(), 2);
    assert_eq!(
        reports[0].outcome,
        DeliveryOutcome::Refused {
            reason: RefusalReason::UnsupportedScheme {
                scheme: "https".into()
            }
        }
    );
    assert_eq!(
        reports[1].outcome,
        DeliveryOutcome::Refused {
            reason: RefusalReason::NotLoopback {
                host: "10.1.2.3".into()
            }
        }
    );
    let json = call(&emu, "GET", "/_emulator/delivery-reports", &[], b"").json();
    assert_eq!(
        json[1]["outcome"],
        json!({"kind": "refused", "reason": {"reason": "not_loopback", "host": "10.1.2.3"}})
    );
}

#[test]
fn a_dead_receiver_is_recorded_as_failed() {
    // Bind and drop to get a port where nothing listens.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let emu = start();
    let body = json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": "0901234567", "Content": "x",
        "Brandname": "NHANTIN", "SmsType": "2", "CallbackUrl": format!("http://localhost:{port}/dlr")});
    assert_eq!(
        esms_json(&emu, "SendMultipleMessage_V4_post_json/", &body).json()["CodeResult"],
        "100"
    );
    let reports = emu.wait_for_delivery_reports(1, Duration::from_secs(5));
    assert!(
        matches!(reports[0].outcome, DeliveryOutcome::Failed { .. }),
        "{:?}",
        reports[0]
    );
}
