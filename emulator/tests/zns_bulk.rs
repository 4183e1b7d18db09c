//! eSMS bulk personalised ZNS, `Send_zns_bulk_v4_post_json/`: the per-item answer, every
//! request-level code, per-item RequestIds, records, reports, sandbox and the `detail` switch.

mod common;

use std::time::Duration;

use common::*;
use nhantin_emulator::{
    DeliveryOutcome, Emulator, EmulatorConfig, Endpoint, EsmsAccount, EsmsConfig, EsmsSmsType,
    MessageKind, Reference, ZnsBulkDetail, ZnsDelivery, ZnsParam, ZnsRecipient,
    DEMO_ESMS_API_KEY as KEY, DEMO_ESMS_SECRET_KEY as SECRET, DEMO_PHONE_WITHOUT_ZALO,
    DEMO_ZALO_INACTIVE_OA_ID, DEMO_ZALO_MODE3_OA_ID, DEMO_ZALO_OA_ID as OA,
};
use serde_json::{json, Value};

const BULK: &str = "Send_zns_bulk_v4_post_json/";

fn item(phone: &str, request_id: &str, params: &[&str]) -> Value {
    json!({"Phone": phone, "RequestId": request_id, "Params": params})
}

fn bulk_body(items: Vec<Value>) -> Value {
    json!({"ApiKey": KEY, "SecretKey": SECRET, "campaignid": "Chien dich 1", "OAID": OA,
           "TempID": "301122", "Sandbox": "0", "Data": items})
}

fn with(mut body: Value, name: &str, value: Value) -> Value {
    body[name] = value;
    body
}

fn without(mut body: Value, name: &str) -> Value {
    body.as_object_mut().unwrap().remove(name);
    body
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

fn sms_ids(emu: &Emulator) -> Vec<String> {
    emu.messages()
        .iter()
        .map(|m| match &m.reference {
            Reference::EsmsSmsId { sms_id, .. } => sms_id.clone(),
            other => panic!("{other:?}"),
        })
        .collect()
}

/// Five items: delivered, bad phone, no Zalo, wrong parameter count, over a `Limit`.
fn mixed_items() -> Vec<Value> {
    vec![
        item("0901888484", "b77-0", &["Chi A", "KH001"]),
        item("097469188", "b77-1", &["Chi B", "KH002"]),
        item(DEMO_PHONE_WITHOUT_ZALO, "b77-2", &["Chi C", "KH003"]),
        item("0918238965", "b77-3", &["Chi D"]),
        item("0765418062", "b77-4", &["Chi E", "KH0050000000000000000"]),
    ]
}

#[test]
fn one_entry_per_item_in_order_with_the_phone_as_sent() {
    let emu = start();
    let before = balance(&emu);
    let resp = esms_json(&emu, BULK, &bulk_body(mixed_items()));
    assert_eq!(resp.status, 200);
    assert_eq!(
        resp.header("Content-Type"),
        Some("application/json; charset=utf-8")
    );
    let ids = sms_ids(&emu);
    assert_eq!(ids.len(), 2);
    assert_eq!(
        resp.text(),
        format!(
            concat!(
                r#"{{"CodeResult":"100","Message":"Sucess","TotalFail":3,"TotalSuccess":2,"detail":["#,
                r#"{{"CodeResult":"100","Phone":"0901888484","SMSID":"{}"}},"#,
                r#"{{"CodeResult":"108","Phone":"097469188","ErrorMessage":"The phone number 097469188 is not valid."}},"#,
                r#"{{"CodeResult":"100","Phone":"0909000118","SMSID":"{}"}},"#,
                r#"{{"CodeResult":"790","Phone":"0918238965","ErrorMessage":"Template data does not match the ZNS template"}},"#,
                r#"{{"CodeResult":"790","Phone":"0765418062","ErrorMessage":"Template data does not match the ZNS template"}}]}}"#
            ),
            ids[0], ids[1]
        )
    );
    // Only the delivered item is charged; the one without Zalo is accepted and fails later.
    assert_eq!(balance(&emu), before - 220);

    let msgs = emu.messages();
    for m in &msgs {
        assert_eq!(m.endpoint, Endpoint::EsmsZnsBulk);
        assert_eq!(
            m.kind,
            MessageKind::Esms {
                sms_type: EsmsSmsType::ZaloCustomerCare
            }
        );
        assert_eq!(m.campaign_id.as_deref(), Some("Chien dich 1"));
        assert!(!m.sandbox);
        let zns = m.zns.as_ref().unwrap();
        assert_eq!(zns.oa_id.as_deref(), Some(OA));
        assert_eq!(zns.template_id, "301122");
    }
    assert_eq!(msgs[0].recipients, vec!["0901888484"]);
    assert_eq!(msgs[0].request_id.as_deref(), Some("b77-0"));
    let first = msgs[0].zns.as_ref().unwrap();
    assert_eq!(
        first.params,
        vec![
            ZnsParam {
                name: "customer_name".into(),
                value: "Chi A".into()
            },
            ZnsParam {
                name: "order_code".into(),
                value: "KH001".into()
            },
        ]
    );
    assert_eq!(
        first.recipient,
        ZnsRecipient::Phone {
            phone: "0901888484".into()
        }
    );
    assert_eq!(first.price, 220);
    let msg_id = first.zalo_msg_id().unwrap();
    assert_eq!(msg_id.len(), 20);
    assert!(msg_id
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    assert_eq!(msgs[1].request_id.as_deref(), Some("b77-2"));
    let second = msgs[1].zns.as_ref().unwrap();
    assert_eq!(second.delivery, ZnsDelivery::Failed { zalo_error: -118 });
    assert_eq!(second.zalo_msg_id(), None);
    assert_eq!(second.price, 0);
}

#[test]
fn each_accepted_item_gets_its_own_report_and_status() {
    let emu = start();
    let (url, lines, handle) = receiver(2, "/bulk/dlr?k=t0k");
    let body = with(
        bulk_body(vec![
            item("0901888484", "r-0", &["Chi A", "KH001"]),
            item(DEMO_PHONE_WITHOUT_ZALO, "r-1", &["Chi C", "KH003"]),
        ]),
        "CallbackUrl",
        json!(url),
    );
    assert_eq!(esms_json(&emu, BULK, &body).json()["TotalSuccess"], 2);
    let ids = sms_ids(&emu);
    let msg_id = emu.messages()[0]
        .zns
        .as_ref()
        .unwrap()
        .zalo_msg_id()
        .unwrap()
        .to_owned();
    let reports = emu.wait_for_delivery_reports(2, Duration::from_secs(5));
    handle.join().unwrap();
    assert_eq!(reports.len(), 2);
    let mut targets: Vec<String> = lines.try_iter().collect();
    targets.sort();
    let mut expected = vec![
        format!("GET /bulk/dlr?k=t0k&SMSID={}&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=220.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=25&telcoid=2&phonenumber=0901888484&partnerids={msg_id}&error_info=%22{{%5C%22error%5C%22%3A0%2C%5C%22message%5C%22%3A%5C%22Success%5C%22}}%22&oaid={OA}&tempid=301122 HTTP/1.1", ids[0]),
        format!("GET /bulk/dlr?k=t0k&SMSID={}&SendFailed=1&SendStatus=5&SendSuccess=0&TotalPrice=0.0000&TotalReceiver=1&TotalSent=0&RequestId=&TypeId=25&telcoid=2&phonenumber=0909000118&partnerids=&error_info=%22{{%5C%22error%5C%22%3A-118%2C%5C%22message%5C%22%3A%5C%22Zalo%20account%20not%20existed%5C%22}}%22&oaid={OA}&tempid=301122 HTTP/1.1", ids[1]),
    ];
    expected.sort();
    assert_eq!(targets, expected);
    for r in &reports {
        assert_eq!(r.outcome, DeliveryOutcome::Answered { status: 200 });
    }

    // GetSendStatus knows each item by its own SMSID.
    let status = |id: &str| {
        esms_get(
            &emu,
            &format!("GetSendStatus?ApiKey={KEY}&SecretKey={SECRET}&RefId={id}"),
        )
        .text()
        .to_owned()
    };
    assert_eq!(
        status(&ids[0]),
        format!(
            r#"{{"CodeResponse":"100","SMSID":"{}","SendFailed":0,"SendStatus":5,"SendSuccess":1,"TotalPrice":220.0000,"TotalReceiver":1,"TotalSent":1}}"#,
            ids[0]
        )
    );
    assert_eq!(
        status(&ids[1]),
        format!(
            r#"{{"CodeResponse":"100","SMSID":"{}","SendFailed":1,"SendStatus":5,"SendSuccess":0,"TotalPrice":0.0000,"TotalReceiver":1,"TotalSent":1}}"#,
            ids[1]
        )
    );
}

#[test]
fn request_level_codes_refuse_the_whole_request() {
    let emu = start();
    let good = bulk_body(mixed_items());
    refused(
        &emu,
        BULK,
        &with(good.clone(), "SecretKey", json!("wrong")),
        "101",
        "Authorize Failed",
    );
    for data in [json!(null), json!([])] {
        refused(
            &emu,
            BULK,
            &with(good.clone(), "Data", data),
            "110",
            "Request data is incorrect",
        );
    }
    refused(
        &emu,
        BULK,
        &without(good.clone(), "Data"),
        "110",
        "Request data is incorrect",
    );
    for missing in ["Phone", "Params"] {
        let mut body = good.clone();
        body["Data"][2].as_object_mut().unwrap().remove(missing);
        refused(&emu, BULK, &body, "110", "Request data is incorrect");
    }
    let many: Vec<Value> = phones(501)
        .iter()
        .map(|p| json!({"Phone": p, "Params": ["A", "B"]}))
        .collect();
    refused(
        &emu,
        BULK,
        &bulk_body(many),
        "687",
        "Data holds more than 500 items",
    );
    for (name, value) in [("OAID", json!("")), ("TempID", json!(""))] {
        refused(
            &emu,
            BULK,
            &with(good.clone(), name, value),
            "791",
            "OAID or TempID is missing",
        );
    }
    refused(
        &emu,
        BULK,
        &with(good.clone(), "OAID", json!("5555555555555555555")),
        "204",
        "OAID is not exist",
    );
    refused(
        &emu,
        BULK,
        &with(good.clone(), "OAID", json!(DEMO_ZALO_INACTIVE_OA_ID)),
        "799",
        "OAID is inactive, wrong or not added to the account",
    );
    refused(
        &emu,
        BULK,
        &with(good.clone(), "TempID", json!("999999")),
        "789",
        "TemplateId is not config",
    );
    // The journey template goes through the journey API only.
    refused(
        &emu,
        BULK,
        &with(good.clone(), "TempID", json!("301199")),
        "790",
        "Template data does not match the ZNS template",
    );
    let mode3 = with(good.clone(), "SendingMode", json!("3"));
    refused(
        &emu,
        BULK,
        &with(mode3.clone(), "SendDate", json!("2030-01-01 08:00:00")),
        "801",
        "SendingMode 3 cannot be scheduled",
    );
    refused(&emu, BULK, &mode3, "802", "OA is not allowed SendingMode 3");
    assert!(emu.messages().is_empty());
    // None of the refusals used up an item's RequestId.
    assert_eq!(esms_json(&emu, BULK, &good).json()["TotalSuccess"], 2);
}

#[test]
fn a_whitelisted_oa_sends_mode_3() {
    let emu = start();
    let body = with(
        with(
            bulk_body(mixed_items()),
            "OAID",
            json!(DEMO_ZALO_MODE3_OA_ID),
        ),
        "SendingMode",
        json!("3"),
    );
    assert_eq!(esms_json(&emu, BULK, &body).json()["TotalSuccess"], 2);
    for m in emu.messages() {
        let zns = m.zns.unwrap();
        assert_eq!(zns.sending_mode.as_deref(), Some("3"));
        assert_eq!(zns.oa_id.as_deref(), Some(DEMO_ZALO_MODE3_OA_ID));
    }
}

#[test]
fn the_balance_must_cover_every_item_that_can_go_out() {
    let poor = EsmsAccount {
        balance: 439,
        ..EsmsAccount::default()
    };
    let emu = start_with(EmulatorConfig {
        esms: EsmsConfig {
            accounts: vec![poor],
            ..EsmsConfig::default()
        },
        ..EmulatorConfig::default()
    });
    let two = vec![
        item("0901888484", "p-0", &["A", "B"]),
        item("0918238965", "p-1", &["A", "B"]),
    ];
    refused(
        &emu,
        BULK,
        &bulk_body(two.clone()),
        "103",
        "Balance not enough to send message",
    );
    assert!(emu.messages().is_empty());
    // An item refused per item does not count; nor does anything in sandbox.
    let mut one_bad = two.clone();
    one_bad[1]["Phone"] = json!("84918238965");
    assert_eq!(
        esms_json(&emu, BULK, &bulk_body(one_bad)).json()["TotalSuccess"],
        1
    );
    assert_eq!(balance(&emu), 219);
    let sandbox = with(bulk_body(two), "Sandbox", json!("1"));
    let v = esms_json(&emu, BULK, &sandbox).json();
    // p-0 was used by the accepted item above.
    assert_eq!(v["TotalSuccess"], 1);
    assert_eq!(v["detail"][0]["CodeResult"], "124");
}

#[test]
fn item_request_ids_are_blocked_for_24_hours_like_single_sends() {
    let emu = start();
    // A single ZNS uses "dup-1" first.
    sms_id_of(&esms_json(
        &emu,
        "SendZaloMessage_V4_post_json/",
        &json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": "0912345678",
                "Params": ["A", "B"], "TempID": "301122", "OAID": OA, "RequestId": "dup-1"}),
    ));
    let items = vec![
        item("0901888484", "dup-1", &["A", "B"]),
        item("0918238965", "dup-2", &["A", "B"]),
        item("0765418062", "dup-2", &["A", "B"]),
        json!({"Phone": "0987654321", "Params": ["A", "B"]}),
    ];
    let resp = esms_json(&emu, BULK, &bulk_body(items.clone()));
    let ids = sms_ids(&emu);
    assert_eq!(ids.len(), 3);
    assert_eq!(
        resp.text(),
        format!(
            concat!(
                r#"{{"CodeResult":"100","Message":"Sucess","TotalFail":2,"TotalSuccess":2,"detail":["#,
                r#"{{"CodeResult":"124","Phone":"0901888484","ErrorMessage":"Request exist 1"}},"#,
                r#"{{"CodeResult":"100","Phone":"0918238965","SMSID":"{}"}},"#,
                r#"{{"CodeResult":"124","Phone":"0765418062","ErrorMessage":"Request exist 1"}},"#,
                r#"{{"CodeResult":"100","Phone":"0987654321","SMSID":"{}"}}]}}"#
            ),
            ids[1], ids[2]
        )
    );
    // An item's id blocks a later SMS of the account too.
    assert_eq!(
        esms_json(
            &emu,
            "SendMultipleMessage_V4_post_json/",
            &json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": "0912345678",
                    "Content": "x", "SmsType": "2", "Brandname": "NHANTIN", "RequestId": "dup-2"}),
        )
        .text(),
        error_body("124", "Request exist 1")
    );
    emu.advance_clock(Duration::from_secs(24 * 3600));
    assert_eq!(
        esms_json(&emu, BULK, &bulk_body(items)).json()["TotalSuccess"],
        3
    );
}

#[test]
fn sandbox_items_are_answered_and_recorded_but_not_charged_or_reported() {
    let emu = start();
    let before = balance(&emu);
    let body = with(
        with(bulk_body(mixed_items()), "Sandbox", json!("1")),
        "CallbackUrl",
        json!("http://127.0.0.1:9/bulk/dlr"),
    );
    let v = esms_json(&emu, BULK, &body).json();
    assert_eq!(v["TotalSuccess"], 2);
    assert_eq!(v["TotalFail"], 3);
    let msgs = emu.messages();
    assert_eq!(msgs.len(), 2);
    for m in &msgs {
        assert!(m.sandbox);
        assert_eq!(m.zns.as_ref().unwrap().delivery, ZnsDelivery::NotSent);
    }
    assert_eq!(balance(&emu), before);
    std::thread::sleep(Duration::from_millis(300));
    assert!(emu.delivery_reports().is_empty());
}

#[test]
fn framing_errors_are_invalid_request() {
    let emu = start();
    let good = bulk_body(mixed_items());
    let mut cases = vec![
        with(good.clone(), "RequestId", json!("top-level")),
        with(good.clone(), "Phone", json!("0901888484")),
        with(good.clone(), "Sandbox", json!("2")),
        with(good.clone(), "Sandbox", json!(0)),
        with(good.clone(), "SendingMode", json!("2")),
        with(good.clone(), "SendDate", json!("2030-01-01T08:00:00")),
        with(good.clone(), "CallbackUrl", json!("ftp://x")),
        with(good.clone(), "campaignid", json!("c".repeat(255))),
        with(good.clone(), "Data", json!({"Phone": "0901888484"})),
        with(good.clone(), "OAID", json!(1234567890123456789u64)),
        without(good.clone(), "ApiKey"),
    ];
    for (name, value) in [
        ("TempData", json!({"customer_name": "A"})),
        ("Params", json!("A,B")),
        ("Params", json!(["A", 2])),
        ("Phone", json!(901888484)),
        ("RequestId", json!("r".repeat(51))),
        ("phone", json!("0901888484")),
    ] {
        let mut body = good.clone();
        body["Data"][0][name] = value;
        cases.push(body);
    }
    cases.push(with(good.clone(), "Data", json!(["0901888484"])));
    for body in cases {
        invalid(&emu, BULK, &body);
    }
    let wrong_type = call(
        &emu,
        "POST",
        &format!("{ESMS}{BULK}"),
        &[("Content-Type", "text/plain")],
        good.to_string().as_bytes(),
    );
    assert_eq!(wrong_type.text(), INVALID_REQUEST);
    let get = esms_get(&emu, BULK);
    assert_eq!(get.status, 405);
    assert_eq!(get.header("Allow"), Some("POST"));
    assert!(emu.messages().is_empty());
}

#[test]
fn the_detail_switch_lists_fewer_entries_than_items() {
    let emu = start();
    emu.set_esms_zns_bulk_detail(ZnsBulkDetail::SuccessesOnly);
    let resp = esms_json(&emu, BULK, &bulk_body(mixed_items()));
    let ids = sms_ids(&emu);
    assert_eq!(
        resp.text(),
        format!(
            concat!(
                r#"{{"CodeResult":"100","Message":"Sucess","TotalSuccess":2,"detail":["#,
                r#"{{"CodeResult":"100","Phone":"0901888484","SMSID":"{}"}},"#,
                r#"{{"CodeResult":"100","Phone":"0909000118","SMSID":"{}"}}]}}"#
            ),
            ids[0], ids[1]
        )
    );

    // The other reading, set through the control API: the last item's entry is left out
    // although that item was sent.
    let set = call(
        &emu,
        "POST",
        "/_emulator/settings",
        &[("Content-Type", "application/json")],
        br#"{"esms_zns_bulk_detail":"omit_last"}"#,
    );
    assert_eq!(set.json()["esms_zns_bulk_detail"], "omit_last");
    let items = vec![
        item("0901888484", "o-0", &["A", "B"]),
        item("0918238965", "o-1", &["A"]),
        item("0765418062", "o-2", &["A", "B"]),
    ];
    let resp = esms_json(&emu, BULK, &bulk_body(items));
    let ids = sms_ids(&emu);
    assert_eq!(ids.len(), 4);
    assert_eq!(emu.messages()[3].recipients, vec!["0765418062"]);
    assert_eq!(
        resp.text(),
        format!(
            concat!(
                r#"{{"CodeResult":"100","Message":"Sucess","TotalFail":1,"TotalSuccess":2,"detail":["#,
                r#"{{"CodeResult":"100","Phone":"0901888484","SMSID":"{}"}},"#,
                r#"{{"CodeResult":"790","Phone":"0918238965","ErrorMessage":"Template data does not match the ZNS template"}}]}}"#
            ),
            ids[2]
        )
    );

    // A reset restores the configured listing.
    emu.reset();
    let v = esms_json(&emu, BULK, &bulk_body(mixed_items())).json();
    assert_eq!(v["detail"].as_array().unwrap().len(), 5);
    assert_eq!(v["TotalFail"], 3);
}
