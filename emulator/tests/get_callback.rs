//! eSMS's second host: `POST /esms-status/ZaloCallback/GetCallback`, the callback data of ZNS
//! pulled by SMSID (rows, the 200-id cut, what is left out, pending rows, errors).

mod common;

use std::time::Duration;

use common::*;
use nhantin_emulator::{
    Emulator, EmulatorConfig, Reference, DEMO_ESMS_API_KEY as KEY, DEMO_ESMS_SECRET_KEY as SECRET,
    DEMO_PHONE_WITHOUT_ZALO, DEMO_ZALO_INACTIVE_OA_ID, DEMO_ZALO_MODE3_OA_ID,
    DEMO_ZALO_OA_ID as OA,
};
use serde_json::{json, Value};

const PATH: &str = "/esms-status/ZaloCallback/GetCallback";
/// Nothing listens there; the reports' fate does not matter to these tests.
const CALLBACK: &str = "http://127.0.0.1:9/cb?k=t0k";

fn get_callback(emu: &Emulator, body: &Value) -> String {
    let resp = call(
        emu,
        "POST",
        PATH,
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    );
    assert_eq!(resp.status, 200);
    assert_eq!(
        resp.header("Content-Type"),
        Some("application/json; charset=utf-8")
    );
    resp.text().to_owned()
}

fn ask(ids: &[&str]) -> Value {
    json!({"ApiKey": KEY, "SecretKey": SECRET, "ListRefid": ids, "OAId": OA})
}

fn v6(phone: &str, request_id: &str, callback: Option<&str>) -> Value {
    let mut body = json!({"ApiKey": KEY, "SecretKey": SECRET, "OAID": OA, "Phone": phone,
           "TempData": {"customer_name": "Tran Thi Binh", "order_code": "DH20931"},
           "TempID": "301122", "RequestId": request_id});
    if let Some(url) = callback {
        body["CallbackUrl"] = json!(url);
    }
    body
}

fn zalo_msg_id(emu: &Emulator, index: usize) -> String {
    emu.messages()[index]
        .zns
        .as_ref()
        .unwrap()
        .zalo_msg_id()
        .unwrap()
        .to_owned()
}

fn answer(rows: &[String]) -> String {
    format!(
        r#"{{"Code":100,"Message":"Success","Data_callback":[{}]}}"#,
        rows.join(",")
    )
}

fn delivered_row(id: &str, phone: &str, telco: &str, msg_id: &str) -> String {
    format!(
        r#"{{"SMSID":"{id}","SendFailed":0,"SendSuccess":1,"SendStatus":5,"TotalPrice":220.0,"TotalReceiver":1,"TotalSent":1,"RequestId":null,"TypeId":25,"Telcoid":{telco},"PhoneNumber":"{phone}","CallbackUrl":"{CALLBACK}","Partnerids":"{msg_id}","ErrorInfo":"{{\"error\":0,\"message\":\"Success\"}}","OAId":"{OA}","ZnsTempId":"301122"}}"#
    )
}

#[test]
fn the_status_host_has_its_own_base_url() {
    let emu = start();
    assert_eq!(
        emu.esms_status_base_url(),
        format!("{}/esms-status/", emu.base_url())
    );
    assert_eq!(
        format!("{}ZaloCallback/GetCallback", emu.esms_status_base_url()),
        format!("{}{PATH}", emu.base_url())
    );
}

#[test]
fn rows_for_the_zns_sent_with_a_callback_url() {
    let emu = start();
    let ok = sms_id_of(&esms_json(
        &emu,
        "SendZaloMessage_V6/",
        &v6("0912345678", "c-1", Some(CALLBACK)),
    ));
    let failed = sms_id_of(&esms_json(
        &emu,
        "SendZaloMessage_V6/",
        &v6(DEMO_PHONE_WITHOUT_ZALO, "c-2", Some(CALLBACK)),
    ));
    let no_callback = sms_id_of(&esms_json(
        &emu,
        "SendZaloMessage_V6/",
        &v6("0912345678", "c-3", None),
    ));
    let mut sandbox = v6("0912345678", "c-4", Some(CALLBACK));
    sandbox["Sandbox"] = json!("1");
    let sandbox = sms_id_of(&esms_json(&emu, "SendZaloMessage_V6/", &sandbox));
    let uid = sms_id_of(&esms_json(
        &emu,
        "SendZaloMessage_V6/zalo_uid/",
        &json!({"ApiKey": KEY, "SecretKey": SECRET, "OAID": OA, "ZaloUid": "5308693166941955879",
                "TempData": {"otp": "482913"}, "TempID": "205644", "CallbackUrl": CALLBACK}),
    ));
    let bulk = esms_json(
        &emu,
        "Send_zns_bulk_v4_post_json/",
        &json!({"ApiKey": KEY, "SecretKey": SECRET, "OAID": OA, "TempID": "301122",
                "CallbackUrl": CALLBACK,
                "Data": [{"Phone": "0987654321", "Params": ["A", "B"]}]}),
    )
    .json();
    let bulk = bulk["detail"][0]["SMSID"].as_str().unwrap().to_owned();
    emu.advance_clock(Duration::from_secs(1));

    let body = get_callback(
        &emu,
        &ask(&[
            &bulk,
            &ok,
            &failed,
            &no_callback,
            &sandbox,
            "5f0c2a9e81d44b7c9e6a0b2d4c1e7f3a",
            &uid,
            &ok,
        ]),
    );
    let failed_row = format!(
        r#"{{"SMSID":"{failed}","SendFailed":1,"SendSuccess":0,"SendStatus":5,"TotalPrice":0.0,"TotalReceiver":1,"TotalSent":1,"RequestId":null,"TypeId":25,"Telcoid":2,"PhoneNumber":"0909000118","CallbackUrl":"{CALLBACK}","Partnerids":"","ErrorInfo":"{{\"error\":-118,\"message\":\"Zalo account not existed\"}}","OAId":"{OA}","ZnsTempId":"301122"}}"#
    );
    let uid_row = format!(
        r#"{{"SMSID":"{uid}","SendFailed":0,"SendSuccess":1,"SendStatus":5,"TotalPrice":220.0,"TotalReceiver":1,"TotalSent":1,"RequestId":null,"TypeId":25,"Telcoid":9,"PhoneNumber":"5308693166941955879","CallbackUrl":"{CALLBACK}","Partnerids":"{}","ErrorInfo":"{{\"error\":0,\"message\":\"Success\"}}","OAId":"{OA}","ZnsTempId":"205644"}}"#,
        zalo_msg_id(&emu, 4)
    );
    assert_eq!(
        body,
        answer(&[
            delivered_row(&bulk, "0987654321", "1", &zalo_msg_id(&emu, 5)),
            delivered_row(&ok, "0912345678", "3", &zalo_msg_id(&emu, 0)),
            failed_row,
            uid_row,
        ])
    );
    // Rows are about one OA: asked with another, nothing.
    let mut other_oa = ask(&[&ok]);
    other_oa["OAId"] = json!(DEMO_ZALO_MODE3_OA_ID);
    assert_eq!(get_callback(&emu, &other_oa), answer(&[]));
    assert_eq!(get_callback(&emu, &ask(&[])), answer(&[]));
}

#[test]
fn a_row_is_in_process_until_the_report_is_due() {
    let emu = start_with(EmulatorConfig {
        delivery_report_delay: Duration::from_secs(3600),
        ..EmulatorConfig::default()
    });
    let id = sms_id_of(&esms_json(
        &emu,
        "SendZaloMessage_V6/",
        &v6("0912345678", "w-1", Some(CALLBACK)),
    ));
    assert_eq!(
        get_callback(&emu, &ask(&[&id])),
        answer(&[format!(
            r#"{{"SMSID":"{id}","SendFailed":0,"SendSuccess":0,"SendStatus":2,"TotalPrice":0.0,"TotalReceiver":1,"TotalSent":0,"RequestId":null,"TypeId":25,"Telcoid":3,"PhoneNumber":"0912345678","CallbackUrl":"{CALLBACK}","Partnerids":null,"ErrorInfo":null,"OAId":"{OA}","ZnsTempId":"301122"}}"#
        )])
    );
    emu.advance_clock(Duration::from_secs(3600));
    assert_eq!(
        get_callback(&emu, &ask(&[&id])),
        answer(&[delivered_row(&id, "0912345678", "3", &zalo_msg_id(&emu, 0))])
    );
}

#[test]
fn only_the_first_200_ids_are_looked_at() {
    let emu = start();
    let id = sms_id_of(&esms_json(
        &emu,
        "SendZaloMessage_V6/",
        &v6("0912345678", "l-1", Some(CALLBACK)),
    ));
    let journey = sms_id_of(&esms_json(
        &emu,
        "SendZaloMessage_V4_post_json/",
        &json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": "0912345678",
                "Params": ["DH1", "14:30"], "IsJourney": true, "OrderId": "JR-1",
                "TempID": "301199", "OAID": OA, "CallbackUrl": CALLBACK}),
    ));
    emu.advance_clock(Duration::from_secs(1));
    let fillers: Vec<String> = (0..199).map(|i| format!("filler-{i}")).collect();
    let mut ids: Vec<&str> = fillers.iter().map(String::as_str).collect();
    ids.push(&id);
    ids.push(&journey);
    let body = get_callback(&emu, &ask(&ids));
    assert_eq!(
        body,
        answer(&[delivered_row(&id, "0912345678", "3", &zalo_msg_id(&emu, 0))])
    );
    // In the first 200, the journey ZNS has its row, TypeId 27.
    let body: Value = serde_json::from_str(&get_callback(&emu, &ask(&[&journey]))).unwrap();
    assert_eq!(body["Data_callback"][0]["TypeId"], 27);
    assert_eq!(body["Data_callback"][0]["ZnsTempId"], "301199");
}

#[test]
fn a_multichannel_send_is_found_by_its_answered_or_zns_leg_id() {
    let emu = start();
    let mc = json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": "0912345678",
        "Channels": ["zalo", "sms"], "Data": [
            {"TempID": "205644", "Params": ["686868"], "OAID": OA, "CallbackUrl": CALLBACK},
            {"Content": "686868 la ma", "SmsType": "2", "Brandname": "NHANTIN",
             "CallbackUrl": CALLBACK}]});
    let parent = sms_id_of(&esms_json(&emu, "MultiChannelMessage/", &mc));
    emu.advance_clock(Duration::from_secs(1));
    let m = emu.messages()[0].clone();
    let legs = m.multichannel.unwrap();
    assert!(matches!(&m.reference, Reference::EsmsSmsId { sms_id, .. } if *sms_id == parent));
    let body: Value = serde_json::from_str(&get_callback(
        &emu,
        &ask(&[&parent, &legs.zns_leg.sms_id, &legs.sms_leg.sms_id]),
    ))
    .unwrap();
    let rows = body["Data_callback"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["SMSID"], parent.as_str());
    assert_eq!(rows[1]["SMSID"], legs.zns_leg.sms_id.as_str());
    for row in rows {
        assert_eq!(row["ZnsTempId"], "205644");
        assert_eq!(row["Partnerids"], zalo_msg_id(&emu, 0).as_str());
    }
}

#[test]
fn errors_keep_the_envelope_with_a_null_payload() {
    let emu = start();
    let err = |code: u32, message: &str| {
        format!(r#"{{"Code":{code},"Message":"{message}","Data_callback":null}}"#)
    };
    let mut wrong = ask(&["x"]);
    wrong["SecretKey"] = json!("wrong");
    assert_eq!(get_callback(&emu, &wrong), err(101, "Authorize Failed"));
    let mut no_ids = ask(&[]);
    no_ids.as_object_mut().unwrap().remove("ListRefid");
    assert_eq!(
        get_callback(&emu, &no_ids),
        err(851, "MessageId or SmsId is missing")
    );
    for oa in [json!(null), json!("")] {
        let mut body = ask(&["x"]);
        body["OAId"] = oa;
        assert_eq!(
            get_callback(&emu, &body),
            err(791, "OAID or TempID is missing")
        );
    }
    let mut body = ask(&["x"]);
    body["OAId"] = json!("5555555555555555555");
    assert_eq!(get_callback(&emu, &body), err(204, "OAID is not exist"));
    body["OAId"] = json!(DEMO_ZALO_INACTIVE_OA_ID);
    assert_eq!(
        get_callback(&emu, &body),
        err(799, "OAID is inactive, wrong or not added to the account")
    );

    // Framing: ListRefid as a string (the English table's type), an unknown or misspelt
    // member, a number where a string belongs.
    let mut cases = Vec::new();
    let mut as_string = ask(&[]);
    as_string["ListRefid"] = json!("abc");
    cases.push(as_string);
    let mut numbers = ask(&[]);
    numbers["ListRefid"] = json!([1, 2]);
    cases.push(numbers);
    let mut casing = ask(&["x"]);
    casing.as_object_mut().unwrap().remove("OAId");
    casing["OAID"] = json!(OA);
    cases.push(casing);
    let mut numeric_oa = ask(&["x"]);
    numeric_oa["OAId"] = json!(1234);
    cases.push(numeric_oa);
    for body in cases {
        assert_eq!(get_callback(&emu, &body), INVALID_REQUEST, "{body}");
    }
    let plain = call(
        &emu,
        "POST",
        PATH,
        &[("Content-Type", "text/plain")],
        ask(&["x"]).to_string().as_bytes(),
    );
    assert_eq!(plain.text(), INVALID_REQUEST);

    let get = call(&emu, "GET", PATH, &[], b"");
    assert_eq!(get.status, 405);
    assert_eq!(get.header("Allow"), Some("POST"));
    for path in [
        "/esms-status/ZaloCallback/GetCallbacks",
        "/esms-status/GetCallback",
        "/esms-status/",
    ] {
        assert_eq!(call(&emu, "POST", path, &[], b"{}").status, 404, "{path}");
    }
    // The main eSMS host does not serve it.
    assert_eq!(
        esms_json(&emu, "ZaloCallback/GetCallback", &ask(&["x"])).status,
        404
    );
}
