//! eSMS endpoints: successes, every documented error, and the strictness rules.

mod common;

use common::*;
use nhantin_emulator::{
    EmulatorConfig, Endpoint, EsmsConfig, EsmsSmsType, MessageKind, Provider, Reference,
    UnicodeFlag, DEMO_ESMS_API_KEY as KEY, DEMO_ESMS_SECRET_KEY as SECRET,
};
use serde_json::{json, Value};

fn sms_id_of(resp: &Resp) -> String {
    let v = resp.json();
    assert_eq!(v["CodeResult"], "100", "{}", resp.text());
    let id = v["SMSID"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 32);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    id
}

fn assert_code(resp: &Resp, code: &str) {
    assert_eq!(resp.status, 200);
    assert_eq!(resp.json()["CodeResult"], code, "{}", resp.text());
}

fn xml(brand: &str, sms_type: &str, phones: &[String], extra: &str) -> String {
    let contacts: String = phones
        .iter()
        .map(|p| format!("<CUSTOMER><PHONE>{p}</PHONE></CUSTOMER>"))
        .collect();
    format!(
        "<RQST><APIKEY>{KEY}</APIKEY><SECRETKEY>{SECRET}</SECRETKEY><CONTENT>Cam on quy khach</CONTENT>\
         <SMSTYPE>{sms_type}</SMSTYPE><BRANDNAME>{brand}</BRANDNAME>{extra}<CONTACTS>{contacts}</CONTACTS></RQST>"
    )
}

fn post_json_body() -> Value {
    json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": "0901234567", "Content": "Ma xac thuc: 123456",
           "Brandname": "NHANTIN", "SmsType": "2", "IsUnicode": "0", "Sandbox": "0", "RequestId": "otp-9f1c"})
}

fn viber_body() -> Value {
    json!({"ApiKey": KEY, "SecretKey": SECRET, "Brandname": "NHANTIN", "SmsType": "23",
           "Phones": ["0901234567"], "Content": "Don hang da giao", "OttUrl": "https://example.vn/o/1",
           "OttLabel": "Xem don", "IsSandBox": "0", "RequestId": "viber-1"})
}

#[test]
fn xml_customer_care_success_is_recorded_with_exact_body_shape() {
    let emu = start();
    let body = xml(
        "NHANTIN",
        "2",
        &["0901234567".to_owned()],
        "<REQUESTID>inv-42</REQUESTID><CALLBACKURL>https://example.vn/esms/dlr?a=1&amp;b=2</CALLBACKURL>",
    );
    let resp = esms_xml(&emu, "SendMultipleMessage_V4/", &body);
    let id = sms_id_of(&resp);
    assert_eq!(
        resp.text(),
        format!(r#"{{"CodeResult":"100","CountRegenerate":0,"SMSID":"{id}"}}"#)
    );
    let msgs = emu.messages();
    assert_eq!(msgs.len(), 1);
    let m = &msgs[0];
    assert_eq!(m.seq, 1);
    assert_eq!(m.provider, Provider::Esms);
    assert_eq!(m.endpoint, Endpoint::EsmsXmlCustomerCare);
    assert_eq!(m.recipients, vec!["0901234567"]);
    assert_eq!(m.text.as_deref(), Some("Cam on quy khach"));
    assert_eq!(m.sender.as_deref(), Some("NHANTIN"));
    assert_eq!(
        m.kind,
        MessageKind::Esms {
            sms_type: EsmsSmsType::CustomerCare
        }
    );
    assert_eq!(m.request_id.as_deref(), Some("inv-42"));
    assert_eq!(
        m.callback_url.as_deref(),
        Some("https://example.vn/esms/dlr?a=1&b=2")
    );
    assert!(
        matches!(&m.reference, Reference::EsmsSmsId { sms_id, portal_sms_id } if *sms_id == id && *portal_sms_id > 0),
        "{:?}",
        m.reference
    );
    // Without the trailing slash too.
    sms_id_of(&esms_xml(
        &emu,
        "SendMultipleMessage_V4",
        &xml("NHANTIN", "2", &phones(1), ""),
    ));
}

#[test]
fn documented_error_bodies_are_byte_exact() {
    let emu = start();
    let bad_key = xml("NHANTIN", "2", &phones(1), "").replace(KEY, "WRONG");
    assert_eq!(
        esms_xml(&emu, "SendMultipleMessage_V4/", &bad_key).text(),
        r#"{"CodeResult":"101","CountRegenerate":0,"ErrorMessage":"Authorize Failed"}"#
    );
    assert_eq!(
        esms_xml(
            &emu,
            "SendMultipleMessage_V4/",
            &xml("UNKNOWN", "2", &phones(1), "")
        )
        .text(),
        r#"{"CodeResult":"104","CountRegenerate":0,"ErrorMessage":"Brand name code is not exist"}"#
    );
    assert_eq!(
        esms_xml(
            &emu,
            "SendMultipleSMSBrandname",
            &xml("NHANTIN", "1", &phones(29), "")
        )
        .text(),
        r#"{"CodeResult":"107","CountRegenerate":0,"ErrorMessage":"Each request has at least 30 numbers to be approved"}"#
    );
    let with_id = xml("NHANTIN", "2", &phones(1), "<REQUESTID>dup-1</REQUESTID>");
    sms_id_of(&esms_xml(&emu, "SendMultipleMessage_V4/", &with_id));
    assert_eq!(
        esms_xml(&emu, "SendMultipleMessage_V4/", &with_id).text(),
        r#"{"CodeResult":"124","CountRegenerate":0,"ErrorMessage":"Request exist 1"}"#
    );
    let invalid = esms_xml(
        &emu,
        "SendMultipleMessage_V4/",
        "<RQST><APIKEY><k</APIKEY></RQST>",
    );
    assert_eq!(invalid.status, 200);
    assert_eq!(invalid.text(), INVALID_REQUEST);
    assert!(invalid.header("X-Emulator-Reason").unwrap().contains("XML"));
    assert_eq!(emu.messages().len(), 1, "only the first dup-1 went through");
}

#[test]
fn advertising_xml_needs_30_to_5000_recipients() {
    let emu = start_with(EmulatorConfig {
        esms: EsmsConfig {
            max_recipients: 40,
            ..EsmsConfig::default()
        },
        ..EmulatorConfig::default()
    });
    sms_id_of(&esms_xml(
        &emu,
        "SendMultipleSMSBrandname",
        &xml("NHANTIN", "1", &phones(30), ""),
    ));
    assert_code(
        &esms_xml(
            &emu,
            "SendMultipleSMSBrandname",
            &xml("NHANTIN", "1", &phones(41), ""),
        ),
        "120",
    );
    // SmsType 2 on the advertising operation, and 1 on the customer-care one, are refused (D-D2).
    assert_code(
        &esms_xml(
            &emu,
            "SendMultipleSMSBrandname",
            &xml("NHANTIN", "2", &phones(30), ""),
        ),
        "118",
    );
    assert_code(
        &esms_xml(
            &emu,
            "SendMultipleMessage_V4/",
            &xml("NHANTIN", "1", &phones(30), ""),
        ),
        "118",
    );
    let m = &emu.messages()[0];
    assert_eq!(m.endpoint, Endpoint::EsmsXmlAdvertising);
    assert_eq!(m.recipients.len(), 30);
}

#[test]
fn xml_strictness() {
    let emu = start();
    let good = xml("NHANTIN", "2", &phones(1), "");
    // Wrong content type.
    let r = call(
        &emu,
        "POST",
        &format!("{ESMS}SendMultipleMessage_V4/"),
        &[("Content-Type", "application/xml")],
        good.as_bytes(),
    );
    assert_eq!(r.text(), INVALID_REQUEST);
    // Lower-case element names are misspellings.
    assert_eq!(
        esms_xml(
            &emu,
            "SendMultipleMessage_V4/",
            &good.replace("APIKEY", "ApiKey")
        )
        .text(),
        INVALID_REQUEST
    );
    // Missing required element.
    assert_eq!(
        esms_xml(
            &emu,
            "SendMultipleMessage_V4/",
            &good.replace("<SMSTYPE>2</SMSTYPE>", "")
        )
        .text(),
        INVALID_REQUEST
    );
    // Bad SENDDATE format.
    let dated = xml(
        "NHANTIN",
        "2",
        &phones(1),
        "<SENDDATE>2024/01/01 10:00:00</SENDDATE>",
    );
    assert_eq!(
        esms_xml(&emu, "SendMultipleMessage_V4/", &dated).text(),
        INVALID_REQUEST
    );
    // Malformed phone.
    assert_code(
        &esms_xml(
            &emu,
            "SendMultipleMessage_V4/",
            &xml("NHANTIN", "2", &["84901234567".to_owned()], ""),
        ),
        "108",
    );
    // Empty SENDDATE means "now" and is fine.
    sms_id_of(&esms_xml(
        &emu,
        "SendMultipleMessage_V4/",
        &xml("NHANTIN", "2", &phones(1), "<SENDDATE></SENDDATE>"),
    ));
    assert_eq!(emu.messages().len(), 1);
}

#[test]
fn get_fixed_number() {
    let emu = start();
    let q = format!("SendMultipleMessage_V4_get?Phone=0901234567&Content=Ma%20OTP%20123456%2B1&ApiKey={KEY}&SecretKey={SECRET}&IsUnicode=0&SmsType=8&RequestId=otp-77&SendDate=2030-01-02%2003%3A04%3A05&CallbackUrl=http%3A%2F%2F127.0.0.1%3A1%2Fcb");
    sms_id_of(&esms_get(&emu, &q));
    let m = &emu.messages()[0];
    assert_eq!(m.endpoint, Endpoint::EsmsGet);
    assert_eq!(m.text.as_deref(), Some("Ma OTP 123456+1"));
    assert_eq!(m.sender, None);
    assert_eq!(m.unicode, Some(UnicodeFlag::Off));
    assert_eq!(m.schedule.as_deref(), Some("2030-01-02 03:04:05"));
    assert_eq!(
        m.kind,
        MessageKind::Esms {
            sms_type: EsmsSmsType::FixedNumber
        }
    );
    // Missing Content → Invalid request; `SandBox` spelling refused; brandname on type 8 refused.
    let missing = format!(
        "SendMultipleMessage_V4_get?Phone=0901234567&ApiKey={KEY}&SecretKey={SECRET}&SmsType=8"
    );
    assert_eq!(esms_get(&emu, &missing).text(), INVALID_REQUEST);
    assert_eq!(
        esms_get(&emu, &format!("{missing}&Content=x&SandBox=1")).text(),
        INVALID_REQUEST
    );
    assert_eq!(
        esms_get(&emu, &format!("{missing}&Content=x&Brandname=NHANTIN")).text(),
        INVALID_REQUEST
    );
    let type9 = format!("SendMultipleMessage_V4_get?Phone=0901234567&ApiKey={KEY}&SecretKey={SECRET}&SmsType=9&Content=x");
    assert_code(&esms_get(&emu, &type9), "118");
    // POST to a GET operation.
    assert_eq!(
        esms_json(&emu, "SendMultipleMessage_V4_get", &json!({})).status,
        405
    );
    assert_eq!(emu.messages().len(), 1);
}

#[test]
fn post_json_customer_care_and_fixed_number() {
    let emu = start();
    sms_id_of(&esms_json(
        &emu,
        "SendMultipleMessage_V4_post_json/",
        &post_json_body(),
    ));
    let mut fixed = post_json_body();
    fixed["SmsType"] = json!("8");
    fixed.as_object_mut().unwrap().remove("Brandname");
    fixed["RequestId"] = json!("otp-2");
    fixed["campaignid"] = json!("spring");
    sms_id_of(&esms_json(&emu, "SendMultipleMessage_V4_post_json", &fixed));
    let msgs = emu.messages();
    assert_eq!(
        msgs[0].kind,
        MessageKind::Esms {
            sms_type: EsmsSmsType::CustomerCare
        }
    );
    assert!(!msgs[0].sandbox);
    assert_eq!(
        msgs[1].kind,
        MessageKind::Esms {
            sms_type: EsmsSmsType::FixedNumber
        }
    );
    assert_eq!(msgs[1].campaign_id.as_deref(), Some("spring"));

    // SmsType as a JSON number is accepted (the current tables type it "number").
    let mut numeric = post_json_body();
    numeric["SmsType"] = json!(2);
    numeric["RequestId"] = json!("otp-3");
    sms_id_of(&esms_json(
        &emu,
        "SendMultipleMessage_V4_post_json/",
        &numeric,
    ));

    let cases: Vec<(&str, Value)> = vec![
        (
            "IsSandBox belongs to the Viber endpoint",
            json!({"IsSandBox": "1"}),
        ),
        (
            "Phones belongs to bulk endpoints",
            json!({"Phones": ["0901234567"]}),
        ),
        ("OTTUrl spelling", json!({"OTTUrl": "https://x.vn"})),
        ("lower-case member", json!({"apikey": KEY})),
        ("bool flag", json!({"Sandbox": true})),
        ("RequestId too long", json!({"RequestId": "x".repeat(51)})),
        ("callback not a URL", json!({"CallbackUrl": "not a url"})),
        ("Phone as a number", json!({"Phone": 901234567})),
    ];
    for (why, patch) in cases {
        let mut body = post_json_body();
        body["RequestId"] = json!(format!("r-{why}").chars().take(50).collect::<String>());
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        assert_eq!(
            esms_json(&emu, "SendMultipleMessage_V4_post_json/", &body).text(),
            INVALID_REQUEST,
            "{why}"
        );
    }
    // Wrong content type and non-JSON body.
    let r = call(
        &emu,
        "POST",
        &format!("{ESMS}SendMultipleMessage_V4_post_json/"),
        &[("Content-Type", "text/plain")],
        post_json_body().to_string().as_bytes(),
    );
    assert_eq!(r.text(), INVALID_REQUEST);
    let r = call(
        &emu,
        "POST",
        &format!("{ESMS}SendMultipleMessage_V4_post_json/"),
        &[("Content-Type", "application/json; charset=utf-8")],
        b"{\"ApiKey\":",
    );
    assert_eq!(r.text(), INVALID_REQUEST);
    // Brandname missing on SmsType 2, unsupported type, bad phone.
    let mut b = post_json_body();
    b.as_object_mut().unwrap().remove("Brandname");
    b["RequestId"] = json!("nb");
    assert_eq!(
        esms_json(&emu, "SendMultipleMessage_V4_post_json/", &b).text(),
        INVALID_REQUEST
    );
    let mut b = post_json_body();
    b["SmsType"] = json!("23");
    b["RequestId"] = json!("t23");
    assert_code(
        &esms_json(&emu, "SendMultipleMessage_V4_post_json/", &b),
        "118",
    );
    let mut b = post_json_body();
    b["Phone"] = json!("090123456");
    b["RequestId"] = json!("p9");
    assert_code(
        &esms_json(&emu, "SendMultipleMessage_V4_post_json/", &b),
        "108",
    );
    assert_eq!(emu.messages().len(), 3);
}

#[test]
fn numeric_codes_can_be_refused() {
    let emu = start_with(EmulatorConfig {
        esms: EsmsConfig {
            accept_numeric_codes: false,
            ..EsmsConfig::default()
        },
        ..EmulatorConfig::default()
    });
    let mut b = post_json_body();
    b["SmsType"] = json!(2);
    assert_eq!(
        esms_json(&emu, "SendMultipleMessage_V4_post_json/", &b).text(),
        INVALID_REQUEST
    );
    sms_id_of(&esms_json(
        &emu,
        "SendMultipleMessage_V4_post_json/",
        &post_json_body(),
    ));
}

#[test]
fn request_id_is_used_up_even_by_a_refused_request_and_expires_after_24h() {
    let emu = start();
    let mut b = post_json_body();
    b["Brandname"] = json!("UNKNOWN");
    assert_code(
        &esms_json(&emu, "SendMultipleMessage_V4_post_json/", &b),
        "104",
    );
    assert_code(
        &esms_json(&emu, "SendMultipleMessage_V4_post_json/", &post_json_body()),
        "124",
    );
    emu.advance_clock(std::time::Duration::from_secs(24 * 3600));
    sms_id_of(&esms_json(
        &emu,
        "SendMultipleMessage_V4_post_json/",
        &post_json_body(),
    ));
    // Another account's ids are separate: a reset forgets them too.
    emu.reset();
    sms_id_of(&esms_json(
        &emu,
        "SendMultipleMessage_V4_post_json/",
        &post_json_body(),
    ));
}

#[test]
fn advertising_json() {
    let emu = start();
    let body = |n: usize, id: &str| {
        json!({"ApiKey": KEY, "SecretKey": SECRET, "Brandname": "Baotrixemay",
        "Content": "Khuyen mai", "Phones": phones(n), "SmsType": "1", "Sandbox": "1", "RequestId": id})
    };
    assert_code(
        &esms_json(&emu, "SendMultipleSMSBrandname_json/", &body(29, "a")),
        "107",
    );
    sms_id_of(&esms_json(
        &emu,
        "SendMultipleSMSBrandname_json/",
        &body(30, "b"),
    ));
    assert_code(
        &esms_json(&emu, "SendMultipleSMSBrandname_json/", &body(5001, "c")),
        "120",
    );
    let m = &emu.messages()[0];
    assert_eq!(m.endpoint, Endpoint::EsmsAdvertisingJson);
    assert!(m.sandbox);
    assert_eq!(m.sender.as_deref(), Some("Baotrixemay"));
}

#[test]
fn viber_content_shapes() {
    let emu = start();
    sms_id_of(&esms_json(&emu, "Send_Multiple_Sms_OTT/", &viber_body()));
    let m = &emu.messages()[0];
    assert_eq!(m.endpoint, Endpoint::EsmsViber);
    assert_eq!(
        m.kind,
        MessageKind::Esms {
            sms_type: EsmsSmsType::Viber
        }
    );
    let v = m.viber.as_ref().unwrap();
    assert_eq!(v.button_label.as_deref(), Some("Xem don"));

    let variant = |id: &str, patch: Value, remove: &[&str]| {
        let mut b = viber_body();
        b["RequestId"] = json!(id);
        for k in remove {
            b.as_object_mut().unwrap().remove(*k);
        }
        for (k, v) in patch.as_object().unwrap() {
            b[k] = v.clone();
        }
        esms_json(&emu, "Send_Multiple_Sms_OTT/", &b)
    };
    // The four allowed shapes.
    sms_id_of(&variant(
        "s1",
        json!({"OttImgUrl": "https://img.vn/a.png"}),
        &[],
    ));
    sms_id_of(&variant(
        "s3",
        json!({"OttImgUrl": "https://img.vn/a.png"}),
        &["Content", "OttUrl", "OttLabel"],
    ));
    sms_id_of(&variant("s4", json!({}), &["OttUrl", "OttLabel"]));
    // Not allowed: button without label, image with text but no button, http image, misspellings.
    assert_eq!(
        variant("x1", json!({}), &["OttLabel"]).text(),
        INVALID_REQUEST
    );
    assert_eq!(
        variant(
            "x2",
            json!({"OttImgUrl": "https://img.vn/a.png"}),
            &["OttUrl", "OttLabel"]
        )
        .text(),
        INVALID_REQUEST
    );
    assert_eq!(
        variant("x3", json!({"OttImgUrl": "http://img.vn/a.png"}), &[]).text(),
        INVALID_REQUEST
    );
    assert_eq!(
        variant("x4", json!({"IsSandbox": "0"}), &["IsSandBox"]).text(),
        INVALID_REQUEST
    );
    assert_eq!(
        variant("x5", json!({"OTTUrl": "https://x.vn"}), &["OttUrl"]).text(),
        INVALID_REQUEST
    );
    assert_eq!(
        variant("x6", json!({"Sandbox": "0"}), &["IsSandBox"]).text(),
        INVALID_REQUEST
    );
    assert_eq!(
        variant("x7", json!({"Phones": []}), &[]).text(),
        INVALID_REQUEST
    );
    assert_eq!(
        variant("x8", json!({"Phones": "0901234567"}), &[]).text(),
        INVALID_REQUEST
    );
    assert_code(&variant("x9", json!({"SmsType": "2"}), &[]), "118");
    assert_eq!(emu.messages().len(), 4);
}

#[test]
fn balance_and_status_queries() {
    let emu = start();
    let bal = esms_json(
        &emu,
        "GetBalance_json",
        &json!({"ApiKey": KEY, "SecretKey": SECRET}),
    );
    assert_eq!(
        bal.text(),
        r#"{"Balance":10000000,"CodeResponse":"100","UserID":9999}"#
    );
    let bad = esms_json(
        &emu,
        "GetBalance_json",
        &json!({"ApiKey": KEY, "SecretKey": "no"}),
    );
    assert_eq!(
        bad.text(),
        r#"{"Balance":0,"CodeResponse":"101","ErrorMessage":"Authorize Failed"}"#
    );

    let mut b = viber_body();
    b["Phones"] = json!(["0961234567", "0901888484"]);
    let id = sms_id_of(&esms_json(&emu, "Send_Multiple_Sms_OTT/", &b));
    let bal = esms_json(
        &emu,
        "GetBalance_json",
        &json!({"ApiKey": KEY, "SecretKey": SECRET}),
    );
    assert_eq!(bal.json()["Balance"], 10_000_000 - 2 * 470);

    let st = esms_get(
        &emu,
        &format!("GetSendStatus?RefId={id}&ApiKey={KEY}&SecretKey={SECRET}"),
    );
    assert_eq!(
        st.text(),
        format!(
            r#"{{"CodeResponse":"100","SMSID":"{id}","SendFailed":0,"SendStatus":5,"SendSuccess":2,"TotalPrice":940.0000,"TotalReceiver":2,"TotalSent":2}}"#
        )
    );
    let unknown = esms_get(
        &emu,
        &format!("GetSendStatus?RefId=nope&ApiKey={KEY}&SecretKey={SECRET}"),
    );
    assert_eq!(unknown.json()["CodeResponse"], "105");
    let unauth = esms_get(
        &emu,
        &format!("GetSendStatus?RefId={id}&ApiKey={KEY}&SecretKey=x"),
    );
    assert_eq!(
        unauth.text(),
        format!(r#"{{"CodeResponse":"101","SMSID":"{id}"}}"#)
    );

    let rs = esms_get(
        &emu,
        &format!("GetSmsReceiverStatus_get?ApiKey={KEY}&SecretKey={SECRET}&RefId={id}"),
    );
    assert_eq!(
        rs.text(),
        r#"{"CodeResult":"100","ReceiverList":[{"IsSent":true,"NetworkName":"Viettel","Phone":"0961234567","Retry":0,"SentResult":true},{"IsSent":true,"NetworkName":"Mobifone","Phone":"0901888484","Retry":0,"SentResult":true}]}"#
    );
    let rs = esms_get(
        &emu,
        &format!("GetSmsReceiverStatus_get?ApiKey={KEY}&SecretKey=x&RefId={id}"),
    );
    assert_eq!(
        rs.text(),
        r#"{"CodeResult":"101","ErrorMessage":"Authorize Failed"}"#
    );
    assert_eq!(
        esms_get(
            &emu,
            &format!("GetSmsReceiverStatus_get?ApiKey={KEY}&SecretKey={SECRET}&RefId=zz")
        )
        .json()["CodeResult"],
        "105"
    );
}

#[test]
fn balance_runs_out() {
    let account = nhantin_emulator::EsmsAccount {
        balance: 470,
        ..Default::default()
    };
    let emu = start_with(EmulatorConfig {
        esms: EsmsConfig {
            accounts: vec![account],
            ..EsmsConfig::default()
        },
        ..EmulatorConfig::default()
    });
    sms_id_of(&esms_json(
        &emu,
        "SendMultipleMessage_V4_post_json/",
        &post_json_body(),
    ));
    let mut b = post_json_body();
    b["RequestId"] = json!("second");
    assert_code(
        &esms_json(&emu, "SendMultipleMessage_V4_post_json/", &b),
        "103",
    );
}

#[test]
fn unknown_operations_and_case() {
    let emu = start();
    assert_eq!(esms_json(&emu, "NoSuchOperation", &json!({})).status, 404);
    assert_eq!(
        esms_json(&emu, "sendmultiplemessage_v4_post_json/", &post_json_body()).status,
        404
    );
    assert_eq!(call(&emu, "GET", "/nowhere", &[], b"").status, 404);
}
