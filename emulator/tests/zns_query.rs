//! The eSMS queries around ZNS: `GetTemplate/` (24/25), `GetZnsTemplateInfo`,
//! `ZNS/GetListZOA/`, `ZNS/GetQuota/`, `QueryZnsStatus/`, `GetZaloMessageStatus` and
//! `GetListBrandname/{ApiKey}/{SecretKey}`, each answer asserted byte for byte.

mod common;

use std::time::Duration;

use common::*;
use nhantin_emulator::{
    Emulator, EmulatorConfig, EsmsAccount, EsmsConfig, Reference, ZaloConfig, ZaloOa,
    DEMO_ESMS_API_KEY as KEY, DEMO_ESMS_SECRET_KEY as SECRET, DEMO_PHONE_WITHOUT_ZALO,
    DEMO_ZALO_INACTIVE_OA_ID, DEMO_ZALO_MODE3_OA_ID, DEMO_ZALO_OA_ID as OA,
};
use serde_json::{json, Value};

fn keys(extra: Value) -> Value {
    let mut body = json!({"ApiKey": KEY, "SecretKey": SECRET});
    for (name, value) in extra.as_object().unwrap() {
        body[name] = value.clone();
    }
    body
}

fn wrong_keys(body: &Value) -> Value {
    let mut body = body.clone();
    body["SecretKey"] = json!("wrong");
    body
}

/// POSTs and returns the body text.
fn post(emu: &Emulator, op: &str, body: &Value) -> String {
    let resp = esms_json(emu, op, body);
    assert_eq!(resp.status, 200, "{op}");
    assert_eq!(
        resp.header("Content-Type"),
        Some("application/json; charset=utf-8")
    );
    resp.text().to_owned()
}

fn query_error(code: &str, message: &str) -> String {
    format!(r#"{{"CodeResult":"{code}","ErrorMessage":"{message}"}}"#)
}

fn v6(phone: &str, request_id: &str) -> Value {
    json!({"ApiKey": KEY, "SecretKey": SECRET, "OAID": OA, "Phone": phone,
           "TempData": {"customer_name": "Tran Thi Binh", "order_code": "DH20931"},
           "TempID": "301122", "RequestId": request_id})
}

fn sms_id(emu: &Emulator, index: usize) -> String {
    match &emu.messages()[index].reference {
        Reference::EsmsSmsId { sms_id, .. } => sms_id.clone(),
        other => panic!("{other:?}"),
    }
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

/// An emulator whose reports (and so the queries' outcomes) are due an hour after a send.
fn slow_reports() -> Emulator {
    start_with(EmulatorConfig {
        delivery_report_delay: Duration::from_secs(3600),
        ..EmulatorConfig::default()
    })
}

// ---------------------------------------------------------------------------------------------
// GetTemplate/

const TEMPLATES_OF_THE_DEMO_OA: &str = concat!(
    r#"{"CodeResult":"100","ErrorMessage":"success","ZNSTemplates":["#,
    r#"{"TempContent":"<p>Chao {{customer_name}}, don hang {{order_code}} da duoc xac nhan.</p>","TempId":301122,"TempName":"Xac nhan don hang","ZNSTempDetail":[{"Limit":30,"Param":"customer_name","ParamLevel":1,"RequireType":"type_text"},{"Limit":20,"Param":"order_code","ParamLevel":2,"RequireType":"type_text"}]},"#,
    r#"{"TempContent":"<p>{{otp}} la ma xac thuc NhanTin cua ban</p>","TempId":205644,"TempName":"Ma OTP","ZNSTempDetail":[{"Limit":10,"Param":"otp","ParamLevel":1,"RequireType":"type_text"}]},"#,
    r#"{"TempContent":"<p>Don hang {{order_code}} se den luc {{delivery_time}}</p>","TempId":301199,"TempName":"Hanh trinh don hang","ZNSTempDetail":[{"Limit":20,"Param":"order_code","ParamLevel":1,"RequireType":"type_text"},{"Limit":30,"Param":"delivery_time","ParamLevel":2,"RequireType":"type_text"}]}]}"#
);

#[test]
fn get_template_lists_the_oa_templates_with_numbers_as_numbers() {
    let emu = start();
    for sms_type in ["24", "25"] {
        let body = keys(json!({"OAId": OA, "SmsType": sms_type}));
        assert_eq!(post(&emu, "GetTemplate/", &body), TEMPLATES_OF_THE_DEMO_OA);
    }
    assert_eq!(
        post(
            &emu,
            "GetTemplate",
            &keys(json!({"OAId": DEMO_ZALO_MODE3_OA_ID, "SmsType": "25"}))
        ),
        r#"{"CodeResult":"100","ErrorMessage":"success","ZNSTemplates":[{"TempContent":"<p>Chao {{customer_name}}, don hang {{order_code}} da duoc xac nhan.</p>","TempId":301122,"TempName":"Xac nhan don hang","ZNSTempDetail":[{"Limit":30,"Param":"customer_name","ParamLevel":1,"RequireType":"type_text"},{"Limit":20,"Param":"order_code","ParamLevel":2,"RequireType":"type_text"}]}]}"#
    );
}

#[test]
fn get_template_errors() {
    let emu = start();
    let good = keys(json!({"OAId": OA, "SmsType": "25"}));
    assert_eq!(
        post(&emu, "GetTemplate/", &wrong_keys(&good)),
        query_error("101", "Authorize Failed")
    );
    let mut cskh = good.clone();
    cskh["SmsType"] = json!("2");
    assert_eq!(
        post(&emu, "GetTemplate/", &cskh),
        query_error("118", "SmsType is not supported")
    );
    let mut no_oa = good.clone();
    no_oa.as_object_mut().unwrap().remove("OAId");
    assert_eq!(
        post(&emu, "GetTemplate/", &no_oa),
        query_error("791", "OAID or TempID is missing")
    );
    let mut other = good.clone();
    other["OAId"] = json!("5555555555555555555");
    assert_eq!(
        post(&emu, "GetTemplate/", &other),
        query_error("204", "OAID is not exist")
    );
    other["OAId"] = json!(DEMO_ZALO_INACTIVE_OA_ID);
    assert_eq!(
        post(&emu, "GetTemplate/", &other),
        query_error("799", "OAID is inactive, wrong or not added to the account")
    );
    // The send's casing `OAID`, a numeric SmsType, a CSKH member: all refused as framing.
    for bad in [
        keys(json!({"OAID": OA, "SmsType": "25"})),
        keys(json!({"OAId": OA, "SmsType": 25})),
        keys(json!({"OAId": OA, "SmsType": "2", "Brandname": "NHANTIN"})),
        json!({"ApiKey": KEY, "OAId": OA, "SmsType": "25"}),
    ] {
        invalid(&emu, "GetTemplate/", &bad);
    }
    assert_eq!(esms_get(&emu, "GetTemplate/").status, 405);
}

// ---------------------------------------------------------------------------------------------
// GetZnsTemplateInfo

fn template_info(emu: &Emulator, query: &str) -> String {
    let resp = esms_get(emu, &format!("GetZnsTemplateInfo?{query}"));
    assert_eq!(resp.status, 200);
    resp.text().to_owned()
}

#[test]
fn get_zns_template_info_describes_one_template() {
    let emu = start();
    assert_eq!(
        template_info(
            &emu,
            &format!("TemplateId=205644&ApiKey={KEY}&SecretKey={SECRET}&OAId={OA}")
        ),
        r#"{"Data":{"ApplyTemplateQuota":false,"ListButtons":[],"ListParams":[{"AcceptNull":false,"MaxLength":10,"MinLength":0,"Name":"otp","Require":true,"Type":"STRING"}],"PreviewUrl":"https://zns-preview.invalid/1234567890123456789/205644","Reason":"Approved by Zalo","Status":"ENABLE","TemplateDailyQuota":null,"TemplateId":205644,"TemplateName":"Ma OTP","TemplateQuality":"UNDEFINED","TemplateRemainingQuota":null,"TemplateTag":"OTP","Timeout":15000},"Error":0,"Message":"Success"}"#
    );
    assert_eq!(
        template_info(
            &emu,
            &format!("ApiKey={KEY}&SecretKey={SECRET}&OAId={OA}&TemplateId=301122")
        ),
        r#"{"Data":{"ApplyTemplateQuota":false,"ListButtons":[],"ListParams":[{"AcceptNull":false,"MaxLength":30,"MinLength":0,"Name":"customer_name","Require":true,"Type":"STRING"},{"AcceptNull":false,"MaxLength":20,"MinLength":0,"Name":"order_code","Require":true,"Type":"STRING"}],"PreviewUrl":"https://zns-preview.invalid/1234567890123456789/301122","Reason":"Approved by Zalo","Status":"ENABLE","TemplateDailyQuota":null,"TemplateId":301122,"TemplateName":"Xac nhan don hang","TemplateQuality":"UNDEFINED","TemplateRemainingQuota":null,"TemplateTag":"TRANSACTION","Timeout":7200000},"Error":0,"Message":"Success"}"#
    );
}

#[test]
fn get_zns_template_info_errors_keep_the_envelope() {
    let emu = start();
    let err = |code: u32, message: &str| {
        format!(r#"{{"Data":null,"Error":{code},"Message":"{message}"}}"#)
    };
    let q =
        |t: &str, o: &str, s: &str| format!("TemplateId={t}&ApiKey={KEY}&SecretKey={s}&OAId={o}");
    assert_eq!(
        template_info(&emu, &q("205644", OA, "wrong")),
        err(101, "Authorize Failed")
    );
    assert_eq!(
        template_info(&emu, &q("", OA, SECRET)),
        err(791, "OAID or TempID is missing")
    );
    assert_eq!(
        template_info(
            &emu,
            &format!("TemplateId=205644&ApiKey={KEY}&SecretKey={SECRET}")
        ),
        err(791, "OAID or TempID is missing")
    );
    assert_eq!(
        template_info(&emu, &q("205644", "5555555555555555555", SECRET)),
        err(204, "OAID is not exist")
    );
    assert_eq!(
        template_info(&emu, &q("205644", DEMO_ZALO_INACTIVE_OA_ID, SECRET)),
        err(799, "OAID is inactive, wrong or not added to the account")
    );
    assert_eq!(
        template_info(&emu, &q("205644", DEMO_ZALO_MODE3_OA_ID, SECRET)),
        err(789, "TemplateId is not config")
    );
    for query in [
        format!("TemplateId=205644&ApiKey={KEY}&SecretKey={SECRET}&OAID={OA}"),
        format!("TemplateId=205644&ApiKey={KEY}&OAId={OA}"),
        format!("TemplateId=205644&TemplateId=1&ApiKey={KEY}&SecretKey={SECRET}&OAId={OA}"),
    ] {
        let resp = esms_get(&emu, &format!("GetZnsTemplateInfo?{query}"));
        assert_eq!(resp.text(), INVALID_REQUEST, "{query}");
    }
    let post = esms_json(&emu, "GetZnsTemplateInfo", &json!({}));
    assert_eq!(post.status, 405);
    assert_eq!(post.header("Allow"), Some("GET"));
}

// ---------------------------------------------------------------------------------------------
// ZNS/GetListZOA/

#[test]
fn get_list_zoa_lists_the_accounts_active_oas() {
    let emu = start();
    assert_eq!(
        post(&emu, "ZNS/GetListZOA/", &keys(json!({}))),
        r#"{"CodeResult":"100","ErrorMessage":"success","ZOAList":[{"OAID":"1234567890123456789","OAName":"NhanTin Demo OA"},{"OAID":"9876543210987654321","OAName":"NhanTin Demo OA (mode 3)"}]}"#
    );
    assert_eq!(
        post(&emu, "ZNS/GetListZOA", &wrong_keys(&keys(json!({})))),
        r#"{"CodeResult":"101","ErrorMessage":"Authorize Failed."}"#
    );
    invalid(&emu, "ZNS/GetListZOA/", &keys(json!({"OAID": OA})));
    invalid(&emu, "ZNS/GetListZOA/", &json!({"ApiKey": KEY}));
}

#[test]
fn an_account_without_oas_gets_an_empty_list() {
    let other = EsmsAccount {
        api_key: "OTHER_KEY".into(),
        secret_key: "OTHER_SECRET".into(),
        ..EsmsAccount::default()
    };
    let emu = start_with(EmulatorConfig {
        esms: EsmsConfig {
            accounts: vec![EsmsAccount::default(), other],
            ..EsmsConfig::default()
        },
        ..EmulatorConfig::default()
    });
    let body = json!({"ApiKey": "OTHER_KEY", "SecretKey": "OTHER_SECRET"});
    assert_eq!(
        post(&emu, "ZNS/GetListZOA/", &body),
        r#"{"CodeResult":"100","ErrorMessage":"success","ZOAList":[]}"#
    );
    let mut quota = body.clone();
    quota["OAID"] = json!(OA);
    assert_eq!(
        post(&emu, "ZNS/GetQuota/", &quota),
        query_error("799", "OAID is inactive, wrong or not added to the account")
    );
}

// ---------------------------------------------------------------------------------------------
// ZNS/GetQuota/

fn quota(emu: &Emulator, oa: &str) -> String {
    post(emu, "ZNS/GetQuota/", &keys(json!({ "OAID": oa })))
}

fn quota_body(daily: u32, remaining: u32) -> String {
    format!(
        r#"{{"CodeResult":"100","ErrorMessage":"success","DailyQuota":{daily},"RemainingQuota":{remaining}}}"#
    )
}

#[test]
fn every_accepted_zns_outside_sandbox_uses_the_oas_quota_until_midnight() {
    let emu = start();
    assert_eq!(quota(&emu, OA), quota_body(500, 500));
    sms_id_of(&esms_json(
        &emu,
        "SendZaloMessage_V6/",
        &v6("0912345678", "q-1"),
    ));
    sms_id_of(&esms_json(
        &emu,
        "SendZaloMessage_V6/",
        &v6(DEMO_PHONE_WITHOUT_ZALO, "q-2"),
    ));
    assert_eq!(quota(&emu, OA), quota_body(500, 498));
    // Sandbox and refused sends use nothing.
    let mut sandbox = v6("0912345678", "q-3");
    sandbox["Sandbox"] = json!("1");
    sms_id_of(&esms_json(&emu, "SendZaloMessage_V6/", &sandbox));
    let mut refused_send = v6("0912345678", "q-4");
    refused_send["TempID"] = json!("999999");
    esms_json(&emu, "SendZaloMessage_V6/", &refused_send);
    assert_eq!(quota(&emu, OA), quota_body(500, 498));
    // Bulk: each accepted item.
    let bulk = json!({"ApiKey": KEY, "SecretKey": SECRET, "OAID": OA, "TempID": "301122",
        "Data": [{"Phone": "0901888484", "Params": ["A", "B"]},
                 {"Phone": "0901888", "Params": ["A", "B"]},
                 {"Phone": "0918238965", "Params": ["A", "B"]}]});
    assert_eq!(
        esms_json(&emu, "Send_zns_bulk_v4_post_json/", &bulk).json()["TotalSuccess"],
        2
    );
    assert_eq!(quota(&emu, OA), quota_body(500, 496));
    // The ZNS leg of a multi-channel send, and of a generated code that is sent.
    let mc = json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": "0912345678",
        "Channels": ["zalo", "sms"], "Data": [
            {"TempID": "205644", "Params": ["686868"], "OAID": OA},
            {"Content": "686868 la ma", "SmsType": "2", "Brandname": "NHANTIN"}]});
    sms_id_of(&esms_json(&emu, "MultiChannelMessage/", &mc));
    let otp = |type_id: &str| {
        json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": "0912345678",
               "MultiChannelTempId": "40017", "TypeId": type_id})
    };
    sms_id_of(&esms_json(&emu, "SendMessageAutoGenCode_V5", &otp("2")));
    sms_id_of(&esms_json(&emu, "SendMessageAutoGenCode_V5", &otp("1")));
    assert_eq!(quota(&emu, OA), quota_body(500, 494));
    // Another OA's quota is its own.
    assert_eq!(quota(&emu, DEMO_ZALO_MODE3_OA_ID), quota_body(500, 500));
    emu.advance_clock(Duration::from_secs(24 * 3600));
    assert_eq!(quota(&emu, OA), quota_body(500, 500));
}

#[test]
fn the_daily_quota_is_configurable_and_remaining_stops_at_zero() {
    let mut zalo = ZaloConfig::default();
    zalo.oas[0] = ZaloOa {
        daily_quota: 1,
        ..zalo.oas[0].clone()
    };
    let emu = start_with(EmulatorConfig {
        zalo,
        ..EmulatorConfig::default()
    });
    assert_eq!(quota(&emu, OA), quota_body(1, 1));
    sms_id_of(&esms_json(
        &emu,
        "SendZaloMessage_V6/",
        &v6("0912345678", "z-1"),
    ));
    // Over the quota is still accepted (no page gives a send-time code; Zalo then refuses it).
    sms_id_of(&esms_json(
        &emu,
        "SendZaloMessage_V6/",
        &v6("0912345678", "z-2"),
    ));
    assert_eq!(quota(&emu, OA), quota_body(1, 0));
    // A reset gives the quota back.
    emu.reset();
    assert_eq!(quota(&emu, OA), quota_body(1, 1));
}

#[test]
fn get_quota_errors() {
    let emu = start();
    let good = keys(json!({ "OAID": OA }));
    assert_eq!(
        post(&emu, "ZNS/GetQuota/", &wrong_keys(&good)),
        query_error("101", "Authorize Failed")
    );
    assert_eq!(
        post(&emu, "ZNS/GetQuota/", &keys(json!({}))),
        query_error("791", "OAID or TempID is missing")
    );
    assert_eq!(
        quota(&emu, "5555555555555555555"),
        query_error("204", "OAID is not exist")
    );
    assert_eq!(
        quota(&emu, DEMO_ZALO_INACTIVE_OA_ID),
        query_error("799", "OAID is inactive, wrong or not added to the account")
    );
    invalid(&emu, "ZNS/GetQuota/", &keys(json!({ "OAId": OA })));
    invalid(&emu, "ZNS/GetQuota/", &keys(json!({ "OAID": 1234 })));
}

// ---------------------------------------------------------------------------------------------
// QueryZnsStatus/

fn zns_status(emu: &Emulator, sms_id: &str, sms_type: &str) -> String {
    post(
        emu,
        "QueryZnsStatus/",
        &keys(json!({"SmsId": sms_id, "SmsType": sms_type})),
    )
}

fn status_data(data: &str) -> String {
    format!(r#"{{"CodeResult":"100","Data":{data}}}"#)
}

#[test]
fn query_zns_status_goes_from_pending_to_final() {
    let emu = slow_reports();
    sms_id_of(&esms_json(
        &emu,
        "SendZaloMessage_V6/",
        &v6("0912345678", "s-1"),
    ));
    sms_id_of(&esms_json(
        &emu,
        "SendZaloMessage_V6/",
        &v6(DEMO_PHONE_WITHOUT_ZALO, "s-2"),
    ));
    let (ok, failed) = (sms_id(&emu, 0), sms_id(&emu, 1));
    let pending = |id: &str| {
        status_data(&format!(
            r#"{{"ErrorInfo":null,"FinalStatus":"0","SMSID":"{id}","SendFailed":0,"SendStatus":2,"SendSuccess":0,"TotalPrice":0.0,"TotalReceiver":1,"TotalSent":0,"ZaloMsgId":""}}"#
        ))
    };
    assert_eq!(zns_status(&emu, &ok, "25"), pending(&ok));
    assert_eq!(zns_status(&emu, &failed, "25"), pending(&failed));

    emu.advance_clock(Duration::from_secs(3600));
    assert_eq!(
        zns_status(&emu, &ok, "25"),
        status_data(&format!(
            r#"{{"ErrorInfo":"0","FinalStatus":"1","SMSID":"{ok}","SendFailed":0,"SendStatus":5,"SendSuccess":1,"TotalPrice":220.0,"TotalReceiver":1,"TotalSent":1,"ZaloMsgId":"{}"}}"#,
            zalo_msg_id(&emu, 0)
        ))
    );
    assert_eq!(
        zns_status(&emu, &failed, "25"),
        status_data(&format!(
            r#"{{"ErrorInfo":"-118","FinalStatus":"1","SMSID":"{failed}","SendFailed":1,"SendStatus":5,"SendSuccess":0,"TotalPrice":0.0,"TotalReceiver":1,"TotalSent":0,"ZaloMsgId":""}}"#
        ))
    );
}

#[test]
fn query_zns_status_finds_only_the_accounts_non_sandbox_zns_of_that_type() {
    let emu = start();
    emu.advance_clock(Duration::from_secs(1));
    let no_data = query_error("854", "No data found");
    sms_id_of(&esms_json(
        &emu,
        "SendZaloMessage_V6/",
        &v6("0912345678", "t-1"),
    ));
    let mut sandbox = v6("0912345678", "t-2");
    sandbox["Sandbox"] = json!("1");
    sms_id_of(&esms_json(&emu, "SendZaloMessage_V6/", &sandbox));
    sms_id_of(&esms_json(
        &emu,
        "SendZaloMessage_V4_post_json/",
        &json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": "0912345678",
                "Params": ["DH1", "14:30"], "IsJourney": true, "OrderId": "JR-1",
                "TempID": "301199", "OAID": OA}),
    ));
    let sms = sms_id_of(&esms_json(
        &emu,
        "SendMultipleMessage_V4_post_json/",
        &json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": "0912345678",
                "Content": "x", "SmsType": "2", "Brandname": "NHANTIN"}),
    ));
    let mc = json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": DEMO_PHONE_WITHOUT_ZALO,
        "Channels": ["zalo", "sms"], "Data": [
            {"TempID": "205644", "Params": ["686868"], "OAID": OA},
            {"Content": "686868 la ma", "SmsType": "2", "Brandname": "NHANTIN"}]});
    let parent = sms_id_of(&esms_json(&emu, "MultiChannelMessage/", &mc));
    emu.advance_clock(Duration::from_secs(1));
    let msgs = emu.messages();
    let mc_legs = msgs[4].multichannel.clone().unwrap();

    let zns = sms_id(&emu, 0);
    assert!(zns_status(&emu, &zns, "25").contains(r#""ErrorInfo":"0","FinalStatus":"1""#));
    // Priority (24) finds no normal ZNS; sandbox, journey (27) and SMS have no ZNS data.
    assert_eq!(zns_status(&emu, &zns, "24"), no_data);
    assert_eq!(zns_status(&emu, &sms_id(&emu, 1), "25"), no_data);
    assert_eq!(zns_status(&emu, &sms_id(&emu, 2), "25"), no_data);
    assert_eq!(zns_status(&emu, &sms, "25"), no_data);
    assert_eq!(
        zns_status(&emu, "5f0c2a9e81d44b7c9e6a0b2d4c1e7f3a", "25"),
        no_data
    );
    // A multi-channel send: its ZNS leg by the answered id or the leg's own, not the SMS leg.
    let leg = status_data(&format!(
        r#"{{"ErrorInfo":"-118","FinalStatus":"1","SMSID":"{parent}","SendFailed":1,"SendStatus":5,"SendSuccess":0,"TotalPrice":0.0,"TotalReceiver":1,"TotalSent":0,"ZaloMsgId":""}}"#
    ));
    assert_eq!(zns_status(&emu, &parent, "25"), leg);
    assert_eq!(
        zns_status(&emu, &mc_legs.zns_leg.sms_id, "25"),
        leg.replace(&parent, &mc_legs.zns_leg.sms_id)
    );
    assert_eq!(zns_status(&emu, &mc_legs.sms_leg.sms_id, "25"), no_data);
    // Past the 7-day status window there is nothing to find.
    emu.advance_clock(Duration::from_secs(8 * 24 * 3600));
    assert_eq!(zns_status(&emu, &zns, "25"), no_data);
}

#[test]
fn query_zns_status_errors() {
    let emu = start();
    let good = keys(json!({"SmsId": "abc", "SmsType": "25"}));
    assert_eq!(
        post(&emu, "QueryZnsStatus/", &wrong_keys(&good)),
        query_error("101", "Authorize Failed")
    );
    for no_id in [
        keys(json!({"SmsType": "25"})),
        keys(json!({"SmsId": "", "SmsType": "25"})),
    ] {
        assert_eq!(
            post(&emu, "QueryZnsStatus/", &no_id),
            query_error("851", "MessageId or SmsId is missing")
        );
    }
    for sms_type in ["2", "27", ""] {
        assert_eq!(
            zns_status(&emu, "abc", sms_type),
            query_error("118", "SmsType is not supported")
        );
    }
    invalid(
        &emu,
        "QueryZnsStatus/",
        &keys(json!({"SMSID": "abc", "SmsType": "25"})),
    );
    invalid(
        &emu,
        "QueryZnsStatus/",
        &keys(json!({"SmsId": "abc", "SmsType": 25})),
    );
}

#[test]
fn another_account_cannot_query_a_zns() {
    let other = EsmsAccount {
        api_key: "OTHER_KEY".into(),
        secret_key: "OTHER_SECRET".into(),
        ..EsmsAccount::default()
    };
    let emu = start_with(EmulatorConfig {
        esms: EsmsConfig {
            accounts: vec![EsmsAccount::default(), other],
            ..EsmsConfig::default()
        },
        ..EmulatorConfig::default()
    });
    let id = sms_id_of(&esms_json(
        &emu,
        "SendZaloMessage_V6/",
        &v6("0912345678", "a-1"),
    ));
    emu.advance_clock(Duration::from_secs(1));
    let body = json!({"ApiKey": "OTHER_KEY", "SecretKey": "OTHER_SECRET",
                      "SmsId": id, "SmsType": "25"});
    assert_eq!(
        post(&emu, "QueryZnsStatus/", &body),
        query_error("854", "No data found")
    );
}

// ---------------------------------------------------------------------------------------------
// GetZaloMessageStatus

fn message_status(emu: &Emulator, oa: &str, message_id: &str) -> String {
    post(
        emu,
        "GetZaloMessageStatus",
        &keys(json!({"OAID": oa, "MessageId": message_id})),
    )
}

fn message_status_body(data: &str) -> String {
    format!(r#"{{"CodeResult":"100","Data":{data},"ErrorMessage":"success. "}}"#)
}

#[test]
fn get_zalo_message_status_by_the_reports_partnerids() {
    let emu = slow_reports();
    sms_id_of(&esms_json(
        &emu,
        "SendZaloMessage_V6/",
        &v6("0912345678", "m-1"),
    ));
    let msg_id = zalo_msg_id(&emu, 0);
    assert_eq!(
        message_status(&emu, OA, &msg_id),
        message_status_body(
            r#"{"delivery_time":null,"message":"The message reached Zalo but not yet the user's phone","status":0}"#
        )
    );
    emu.advance_clock(Duration::from_secs(3600));
    let delivered_at = emu.messages()[0].created_at_unix_ms + 3_600_000;
    assert_eq!(
        message_status(&emu, OA, &msg_id),
        message_status_body(&format!(
            r#"{{"delivery_time":"{delivered_at}","message":"The message was delivered to the user's phone","status":1}}"#
        ))
    );
    let unknown =
        message_status_body(r#"{"delivery_time":null,"message":"No such message","status":-1}"#);
    assert_eq!(message_status(&emu, OA, "6dc7499c9ef6baaee3e1"), unknown);
    // A Zalo message id belongs to its OA.
    assert_eq!(
        message_status(&emu, DEMO_ZALO_MODE3_OA_ID, &msg_id),
        unknown
    );
}

#[test]
fn the_report_carries_the_id_the_status_query_knows() {
    let emu = start();
    let (url, lines, handle) = receiver(1, "/zns/dlr");
    let mut body = v6("0912345678", "p-1");
    body["CallbackUrl"] = json!(url);
    sms_id_of(&esms_json(&emu, "SendZaloMessage_V6/", &body));
    emu.wait_for_delivery_reports(1, Duration::from_secs(5));
    handle.join().unwrap();
    let line = lines.recv_timeout(Duration::from_secs(1)).unwrap();
    let partnerids = line
        .split(['?', '&', ' '])
        .find_map(|p| p.strip_prefix("partnerids="))
        .unwrap()
        .to_owned();
    assert_eq!(partnerids, zalo_msg_id(&emu, 0));
    let status: Value = serde_json::from_str(&message_status(&emu, OA, &partnerids)).unwrap();
    assert_eq!(status["Data"]["status"], 1);
    let query: Value = serde_json::from_str(&zns_status(&emu, &sms_id(&emu, 0), "25")).unwrap();
    assert_eq!(query["Data"]["ZaloMsgId"], partnerids.as_str());
}

#[test]
fn get_zalo_message_status_errors() {
    let emu = start();
    let good = keys(json!({"OAID": OA, "MessageId": "6dc7499c9ef6baaee3e1"}));
    assert_eq!(
        post(&emu, "GetZaloMessageStatus", &wrong_keys(&good)),
        query_error("101", "Authorize Failed")
    );
    assert_eq!(
        message_status(&emu, OA, ""),
        query_error("851", "MessageId or SmsId is missing")
    );
    assert_eq!(
        post(&emu, "GetZaloMessageStatus", &keys(json!({"OAID": OA}))),
        query_error("851", "MessageId or SmsId is missing")
    );
    assert_eq!(
        post(
            &emu,
            "GetZaloMessageStatus",
            &keys(json!({"MessageId": "6dc7499c9ef6baaee3e1"}))
        ),
        query_error("791", "OAID or TempID is missing")
    );
    assert_eq!(
        message_status(&emu, "5555555555555555555", "6dc7499c9ef6baaee3e1"),
        query_error("204", "OAID is not exist")
    );
    assert_eq!(
        message_status(&emu, DEMO_ZALO_INACTIVE_OA_ID, "6dc7499c9ef6baaee3e1"),
        query_error("799", "OAID is inactive, wrong or not added to the account")
    );
    invalid(
        &emu,
        "GetZaloMessageStatus",
        &keys(json!({"OAId": OA, "MessageId": "x"})),
    );
}

// ---------------------------------------------------------------------------------------------
// GetListBrandname/{ApiKey}/{SecretKey}

#[test]
fn get_list_brandname_lists_every_brandname_under_each_type() {
    let emu = start();
    let resp = esms_get(&emu, &format!("GetListBrandname/{KEY}/{SECRET}"));
    assert_eq!(resp.status, 200);
    assert_eq!(
        resp.text(),
        r#"{"CodeResponse":"100","ListBrandName":[{"Brandname":"NHANTIN","Type":1},{"Brandname":"NHANTIN","Type":2},{"Brandname":"NHANTIN","Type":23},{"Brandname":"Baotrixemay","Type":1},{"Brandname":"Baotrixemay","Type":2},{"Brandname":"Baotrixemay","Type":23}]}"#
    );
    // One trailing slash is optional, as everywhere.
    assert_eq!(
        esms_get(&emu, &format!("GetListBrandname/{KEY}/{SECRET}/")).text(),
        resp.text()
    );
    assert_eq!(
        esms_get(&emu, &format!("GetListBrandname/{KEY}/wrong")).text(),
        query_error("101", "Authorize Failed")
    );
    for path in [
        format!("GetListBrandname/{KEY}"),
        format!("GetListBrandname/{KEY}/{SECRET}/x"),
        format!("GetListBrandname//{SECRET}"),
        "GetListBrandname/".to_owned(),
    ] {
        assert_eq!(esms_get(&emu, &path).status, 404, "{path}");
    }
    let post = esms_json(
        &emu,
        &format!("GetListBrandname/{KEY}/{SECRET}"),
        &json!({}),
    );
    assert_eq!(post.status, 405);
    assert_eq!(post.header("Allow"), Some("GET"));
    assert_eq!(
        esms_get(&emu, &format!("GetListBrandname/%FF/{SECRET}")).text(),
        INVALID_REQUEST
    );
}

#[test]
fn get_list_brandname_percent_decodes_each_segment() {
    let account = EsmsAccount {
        api_key: "K/1 x+".into(),
        secret_key: "S%é".into(),
        brandnames: vec!["BAT DONG SAN GIA TOT".into()],
        ..EsmsAccount::default()
    };
    let emu = start_with(EmulatorConfig {
        esms: EsmsConfig {
            accounts: vec![account],
            ..EsmsConfig::default()
        },
        ..EmulatorConfig::default()
    });
    let listed = r#"{"CodeResponse":"100","ListBrandName":[{"Brandname":"BAT DONG SAN GIA TOT","Type":1},{"Brandname":"BAT DONG SAN GIA TOT","Type":2},{"Brandname":"BAT DONG SAN GIA TOT","Type":23}]}"#;
    assert_eq!(
        esms_get(&emu, "GetListBrandname/K%2F1%20x%2B/S%25%C3%A9").text(),
        listed
    );
    // A `+` in a path is a plus, not a space.
    assert_eq!(
        esms_get(&emu, "GetListBrandname/K%2F1%20x+/S%25%C3%A9").text(),
        listed
    );
    // An unencoded `/` splits the key into two segments.
    assert_eq!(
        esms_get(&emu, "GetListBrandname/K/1%20x%2B/S%25%C3%A9").status,
        404
    );
}
