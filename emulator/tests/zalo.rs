//! ZNS: the five eSMS send operations (answers, every error code, the strictness rules,
//! records, delivery reports in their three `error_info` forms) and the InterITS and CareSoft
//! ZNS operations.

mod common;

use std::thread;
use std::time::Duration;

use common::*;
use nhantin_emulator::{
    DeliveryOutcome, Emulator, EmulatorConfig, Endpoint, EsmsAccount, EsmsConfig, EsmsSmsType, Leg,
    MessageKind, Provider, Reference, ZaloConfig, ZaloOa, ZnsDelivery, ZnsParam, ZnsRecipient,
    DEMO_CARESOFT_TOKEN, DEMO_ESMS_API_KEY as KEY, DEMO_ESMS_SECRET_KEY as SECRET,
    DEMO_INTERITS_KEY, DEMO_PHONE_WITHOUT_ZALO, DEMO_PHONE_ZALO_INACTIVE, DEMO_ZALO_INACTIVE_OA_ID,
    DEMO_ZALO_MODE3_OA_ID, DEMO_ZALO_OA_ID as OA,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const V6: &str = "SendZaloMessage_V6/";
const UID: &str = "SendZaloMessage_V6/zalo_uid/";
const HASH: &str = "SendZaloMessage_V6/hash_phone/";
const V5: &str = "SendZaloMessage_V5_post/";
const V4: &str = "SendZaloMessage_V4_post_json/";
/// SHA-256 of `84912345678`, the digest's test vector.
const HASH_0912345678: &str = "25cc2f7574420a2d46c9f2d6cf94cdbb242ef7d479afe92ed6e8eb33a7493093";

fn v6_body() -> Value {
    json!({"ApiKey": KEY, "SecretKey": SECRET, "OAID": OA, "Phone": "0912345678",
           "TempData": {"customer_name": "Tran Thi Binh", "order_code": "DH20931"},
           "TempID": "301122", "SendingMode": "1", "campaignid": "Xac nhan don",
           "RequestId": "zns-dh20931"})
}

fn uid_body() -> Value {
    json!({"ApiKey": KEY, "SecretKey": SECRET, "OAID": OA, "ZaloUid": "7391046628150023344",
           "TempData": {"customer_name": "Tran Thi Binh", "order_code": "DH20931"},
           "TempID": "301122", "RequestId": "uid-5531"})
}

fn hash_body(hash: &str) -> Value {
    json!({"ApiKey": KEY, "SecretKey": SECRET, "OAID": OA, "HashPhone": hash,
           "TempData": {"otp": "482913"}, "TempID": "205644", "RequestId": "hp-0192"})
}

fn v5_body() -> Value {
    json!({"ApiKey": KEY, "SecretKey": SECRET, "OAID": OA, "Phone": "0912345678",
           "TempData": [{"key": "otp", "value": "482913"}], "TempID": "205644",
           "SendingMode": "1", "Sandbox": "0", "RequestId": "otp-7781"})
}

fn v4_body() -> Value {
    json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": "0912345678",
           "Params": ["Tran Thi Binh", "DH20931"], "TempID": "301122", "OAID": OA,
           "Sandbox": "0", "RequestId": "zns-v4-1"})
}

fn journey_body() -> Value {
    json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": "0912345678",
           "Params": ["DH20931", "14:30 12/05"], "IsJourney": true, "OrderId": "JR-20931",
           "TempID": "301199", "OAID": OA, "RequestId": "jr-20931-2"})
}

fn with(mut body: Value, name: &str, value: Value) -> Value {
    body[name] = value;
    body
}

fn without(mut body: Value, name: &str) -> Value {
    body.as_object_mut().unwrap().remove(name);
    body
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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

fn zalo_msg_id(emu: &Emulator, seq: usize) -> String {
    match &emu.messages()[seq].zns.as_ref().unwrap().delivery {
        ZnsDelivery::Delivered { zalo_msg_id } => zalo_msg_id.clone(),
        other => panic!("not delivered: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Accepted sends and their records

#[test]
fn v6_to_a_phone_is_accepted_recorded_and_charged() {
    let emu = start();
    let before = balance(&emu);
    let id = sms_id_of(&esms_json(&emu, V6, &v6_body()));
    assert_eq!(id.len(), 32);
    let msgs = emu.messages();
    assert_eq!(msgs.len(), 1);
    let m = &msgs[0];
    assert_eq!(m.provider, Provider::Esms);
    assert_eq!(m.endpoint, Endpoint::EsmsZnsV6);
    assert_eq!(m.account, KEY);
    assert_eq!(m.recipients, vec!["0912345678"]);
    assert_eq!(m.text, None);
    assert_eq!(
        m.kind,
        MessageKind::Esms {
            sms_type: EsmsSmsType::ZaloCustomerCare
        }
    );
    assert!(!m.sandbox);
    assert_eq!(m.request_id.as_deref(), Some("zns-dh20931"));
    assert_eq!(m.campaign_id.as_deref(), Some("Xac nhan don"));
    assert!(matches!(&m.reference, Reference::EsmsSmsId { sms_id, .. } if *sms_id == id));
    let zns = m.zns.as_ref().unwrap();
    assert_eq!(zns.oa_id.as_deref(), Some(OA));
    assert_eq!(zns.template_id, "301122");
    assert_eq!(
        zns.params,
        vec![
            ZnsParam {
                name: "customer_name".into(),
                value: "Tran Thi Binh".into()
            },
            ZnsParam {
                name: "order_code".into(),
                value: "DH20931".into()
            },
        ]
    );
    assert_eq!(
        zns.recipient,
        ZnsRecipient::Phone {
            phone: "0912345678".into()
        }
    );
    assert_eq!(zns.sending_mode.as_deref(), Some("1"));
    assert_eq!(zns.journey_order_id, None);
    assert_eq!(zns.price, 220);
    let partner = zalo_msg_id(&emu, 0);
    assert_eq!(partner.len(), 20);
    assert!(partner.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(balance(&emu), before - 220);
}

#[test]
fn every_operation_accepts_its_documented_body() {
    let emu = start();
    sms_id_of(&esms_json(&emu, UID, &uid_body()));
    sms_id_of(&esms_json(&emu, HASH, &hash_body(HASH_0912345678)));
    sms_id_of(&esms_json(&emu, V5, &v5_body()));
    sms_id_of(&esms_json(&emu, V4, &v4_body()));
    sms_id_of(&esms_json(&emu, V4, &journey_body()));
    // One trailing slash is optional, as on the SMS operations; IsJourney false is a normal V4.
    sms_id_of(&esms_json(
        &emu,
        "SendZaloMessage_V6",
        &with(v6_body(), "RequestId", json!("no-slash")),
    ));
    sms_id_of(&esms_json(
        &emu,
        V4,
        &with(
            with(v4_body(), "IsJourney", json!(false)),
            "RequestId",
            json!("v4-false"),
        ),
    ));

    let msgs = emu.messages();
    let endpoints: Vec<Endpoint> = msgs.iter().map(|m| m.endpoint).collect();
    assert_eq!(
        endpoints,
        vec![
            Endpoint::EsmsZnsV6Uid,
            Endpoint::EsmsZnsV6HashPhone,
            Endpoint::EsmsZnsV5,
            Endpoint::EsmsZnsV4,
            Endpoint::EsmsZnsV4,
            Endpoint::EsmsZnsV6,
            Endpoint::EsmsZnsV4,
        ]
    );
    let zns = |i: usize| msgs[i].zns.clone().unwrap();
    assert_eq!(msgs[0].recipients, vec!["7391046628150023344"]);
    assert_eq!(
        zns(0).recipient,
        ZnsRecipient::ZaloUid {
            zalo_uid: "7391046628150023344".into()
        }
    );
    assert_eq!(msgs[1].recipients, vec![HASH_0912345678]);
    assert_eq!(
        zns(1).recipient,
        ZnsRecipient::HashPhone {
            hash_phone: HASH_0912345678.into(),
            phone: "0912345678".into()
        }
    );
    assert_eq!(
        zns(2).params,
        vec![ZnsParam {
            name: "otp".into(),
            value: "482913".into()
        }]
    );
    // Positional values are named after the template's parameters.
    assert_eq!(zns(3).params, zns(5).params);
    assert_eq!(zns(3).params[1].name, "order_code");
    assert_eq!(
        msgs[4].kind,
        MessageKind::Esms {
            sms_type: EsmsSmsType::ZaloJourney
        }
    );
    assert_eq!(zns(4).journey_order_id.as_deref(), Some("JR-20931"));
    assert_eq!(zns(4).template_id, "301199");
    assert_eq!(
        zns(4).params,
        vec![
            ZnsParam {
                name: "order_code".into(),
                value: "DH20931".into()
            },
            ZnsParam {
                name: "delivery_time".into(),
                value: "14:30 12/05".into()
            },
        ]
    );
    assert_eq!(
        msgs[6].kind,
        MessageKind::Esms {
            sms_type: EsmsSmsType::ZaloCustomerCare
        }
    );
}

#[test]
fn wrong_method_and_unknown_operations() {
    let emu = start();
    let r = esms_get(&emu, V6);
    assert_eq!(r.status, 405);
    assert_eq!(r.header("Allow"), Some("POST"));
    assert_eq!(
        esms_json(&emu, "SendZaloMessage_V6/other/", &v6_body()).status,
        404
    );
    assert_eq!(
        esms_json(&emu, "sendzalomessage_v6/", &v6_body()).status,
        404
    );
}

#[test]
fn sandbox_is_validated_recorded_not_charged_and_not_reported() {
    let emu = start();
    let before = balance(&emu);
    // Nothing listens there: a report, if one were sent, would be recorded as failed.
    let body = with(
        with(v5_body(), "Sandbox", json!("1")),
        "CallbackUrl",
        json!("http://127.0.0.1:9/zns/dlr"),
    );
    sms_id_of(&esms_json(&emu, V5, &body));
    // Still validated: a sandbox send with a bad template is refused.
    refused(
        &emu,
        V5,
        &with(body.clone(), "TempID", json!("999999")),
        "789",
        "TemplateId is not config",
    );
    let m = &emu.messages()[0];
    assert!(m.sandbox);
    let zns = m.zns.as_ref().unwrap();
    assert_eq!(zns.delivery, ZnsDelivery::NotSent);
    assert_eq!(zns.price, 0);
    assert_eq!(balance(&emu), before);
    thread::sleep(Duration::from_millis(300));
    assert!(emu.delivery_reports().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Error codes

#[test]
fn credentials_oa_and_template_codes() {
    let emu = start();
    refused(
        &emu,
        V6,
        &with(v6_body(), "SecretKey", json!("wrong")),
        "101",
        "Authorize Failed",
    );
    for (name, value) in [("OAID", json!("")), ("TempID", json!(""))] {
        refused(
            &emu,
            V6,
            &with(v6_body(), name, value),
            "791",
            "OAID or TempID is missing",
        );
    }
    refused(
        &emu,
        V4,
        &without(v4_body(), "OAID"),
        "791",
        "OAID or TempID is missing",
    );
    refused(
        &emu,
        V5,
        &without(v5_body(), "TempID"),
        "791",
        "OAID or TempID is missing",
    );
    refused(
        &emu,
        V6,
        &with(v6_body(), "OAID", json!("5555555555555555555")),
        "204",
        "OAID is not exist",
    );
    refused(
        &emu,
        V6,
        &with(v6_body(), "OAID", json!(DEMO_ZALO_INACTIVE_OA_ID)),
        "799",
        "OAID is inactive, wrong or not added to the account",
    );
    refused(
        &emu,
        V6,
        &with(v6_body(), "TempID", json!("999999")),
        "789",
        "TemplateId is not config",
    );
    // 205644 is configured for the demo OA but not for the mode-3 OA.
    refused(
        &emu,
        V5,
        &with(v5_body(), "OAID", json!(DEMO_ZALO_MODE3_OA_ID)),
        "789",
        "TemplateId is not config",
    );
    assert!(emu.messages().is_empty());
}

#[test]
fn an_oa_of_another_account_is_799() {
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
    let body = with(
        with(v6_body(), "ApiKey", json!("OTHER_KEY")),
        "SecretKey",
        json!("OTHER_SECRET"),
    );
    refused(
        &emu,
        V6,
        &body,
        "799",
        "OAID is inactive, wrong or not added to the account",
    );
}

#[test]
fn parameter_mismatches_are_790() {
    let emu = start();
    let msg = "Template data does not match the ZNS template";
    let cases: Vec<(&str, Value)> = vec![
        // V6: a name missing, an unknown name, a value over its limit, an empty value.
        (
            V6,
            with(v6_body(), "TempData", json!({"customer_name": "Binh"})),
        ),
        (
            V6,
            with(
                v6_body(),
                "TempData",
                json!({"customer_name": "Binh", "order_code": "DH1", "address": "x"}),
            ),
        ),
        (
            V6,
            with(
                v6_body(),
                "TempData",
                json!({"customer_name": "Binh", "orderCode": "DH1"}),
            ),
        ),
        (
            V6,
            with(
                v6_body(),
                "TempData",
                json!({"customer_name": "B".repeat(31), "order_code": "DH1"}),
            ),
        ),
        (
            V6,
            with(
                v6_body(),
                "TempData",
                json!({"customer_name": "", "order_code": "DH1"}),
            ),
        ),
        // V5: a key twice, an unknown key, over the limit (otp: 10).
        (
            V5,
            with(
                v5_body(),
                "TempData",
                json!([{"key": "otp", "value": "1"}, {"key": "otp", "value": "2"}]),
            ),
        ),
        (
            V5,
            with(v5_body(), "TempData", json!([{"key": "OTP", "value": "1"}])),
        ),
        (
            V5,
            with(
                v5_body(),
                "TempData",
                json!([{"key": "otp", "value": "12345678901"}]),
            ),
        ),
        (V5, with(v5_body(), "TempData", json!([]))),
        // V4: too few, too many, over the limit.
        (V4, with(v4_body(), "Params", json!(["Tran Thi Binh"]))),
        (
            V4,
            with(
                v4_body(),
                "Params",
                json!(["Tran Thi Binh", "DH20931", "x"]),
            ),
        ),
        (
            V4,
            with(
                v4_body(),
                "Params",
                json!(["Tran Thi Binh", "D".repeat(21)]),
            ),
        ),
        // A journey template without IsJourney, and IsJourney on a normal template.
        (V4, without(without(journey_body(), "IsJourney"), "OrderId")),
        (V4, with(journey_body(), "TempID", json!("301122"))),
    ];
    for (op, body) in &cases {
        refused(&emu, op, body, "790", msg);
    }
    // The limit counts characters, not bytes.
    sms_id_of(&esms_json(
        &emu,
        V6,
        &with(
            v6_body(),
            "TempData",
            json!({"customer_name": "Đinh Thái Hà ".repeat(2), "order_code": "DH1"}),
        ),
    ));
}

#[test]
fn recipient_codes_108_and_115() {
    let emu = start();
    for phone in [
        "84912345678",
        "+84912345678",
        "912345678",
        "09123456789",
        "",
    ] {
        refused(
            &emu,
            V6,
            &with(v6_body(), "Phone", json!(phone)),
            "108",
            "Phone number is invalid",
        );
    }
    for uid in ["", "73910466281500abc", "1".repeat(33).as_str()] {
        refused(
            &emu,
            UID,
            &with(uid_body(), "ZaloUid", json!(uid)),
            "108",
            "Phone number is invalid",
        );
    }
    for hash in [
        // The hash of the national, the +84 and the bare form: only 84… is supported.
        sha256_hex("0912345678"),
        sha256_hex("+84912345678"),
        sha256_hex("912345678"),
        // The right hash in upper case, cut short, and the hash of a phone nobody knows.
        HASH_0912345678.to_uppercase(),
        HASH_0912345678[..63].to_owned(),
        sha256_hex("84933333333"),
    ] {
        refused(&emu, HASH, &hash_body(&hash), "115", "HashPhone is invalid");
    }
    assert!(emu.messages().is_empty());
}

#[test]
fn balance_103_comes_before_request_id_124() {
    let poor = EsmsAccount {
        balance: 219,
        ..EsmsAccount::default()
    };
    let emu = start_with(EmulatorConfig {
        esms: EsmsConfig {
            accounts: vec![poor],
            ..EsmsConfig::default()
        },
        ..EmulatorConfig::default()
    });
    refused(
        &emu,
        V6,
        &v6_body(),
        "103",
        "Balance not enough to send message",
    );
    // 103 did not use the RequestId up, and sandbox is free.
    let sandbox = with(v6_body(), "Sandbox", json!("1"));
    sms_id_of(&esms_json(&emu, V6, &sandbox));
    refused(&emu, V6, &sandbox, "124", "Request exist 1");
}

#[test]
fn request_ids_block_for_24_hours_per_account_across_sms_and_zns() {
    let emu = start();
    sms_id_of(&esms_json(&emu, V6, &v6_body()));
    refused(&emu, V6, &v6_body(), "124", "Request exist 1");
    // Another ZNS operation, or an SMS, with the same RequestId: still 124.
    refused(
        &emu,
        V5,
        &with(v5_body(), "RequestId", json!("zns-dh20931")),
        "124",
        "Request exist 1",
    );
    let sms = json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": "0901234567",
        "Content": "Ma xac thuc: 123456", "Brandname": "NHANTIN", "SmsType": "2",
        "RequestId": "zns-dh20931"});
    assert_eq!(
        esms_json(&emu, "SendMultipleMessage_V4_post_json/", &sms).json()["CodeResult"],
        "124"
    );
    emu.advance_clock(Duration::from_secs(24 * 3600));
    sms_id_of(&esms_json(&emu, V6, &v6_body()));
    assert_eq!(emu.messages().len(), 2);
}

#[test]
fn sending_mode_3_rules() {
    let emu = start();
    let mode3 = with(v6_body(), "SendingMode", json!("3"));
    refused(
        &emu,
        V6,
        &with(
            with(mode3.clone(), "SendDate", json!("2030-01-02 08:00:00")),
            "RequestId",
            json!("m3-a"),
        ),
        "801",
        "SendingMode 3 cannot be scheduled",
    );
    refused(
        &emu,
        V6,
        &with(mode3.clone(), "RequestId", json!("m3-b")),
        "802",
        "OA is not allowed SendingMode 3",
    );
    // The RequestId was registered before the mode-3 checks.
    refused(
        &emu,
        V6,
        &with(mode3.clone(), "RequestId", json!("m3-b")),
        "124",
        "Request exist 1",
    );
    let allowed = with(
        with(mode3, "OAID", json!(DEMO_ZALO_MODE3_OA_ID)),
        "RequestId",
        json!("m3-c"),
    );
    sms_id_of(&esms_json(&emu, V6, &allowed));
    let mut hashed = hash_body(HASH_0912345678);
    hashed["SendingMode"] = json!("3");
    hashed["OAID"] = json!(DEMO_ZALO_MODE3_OA_ID);
    hashed["TempID"] = json!("301122");
    hashed["TempData"] = json!({"customer_name": "Binh", "order_code": "DH1"});
    sms_id_of(&esms_json(&emu, HASH, &hashed));
    let msgs = emu.messages();
    assert_eq!(msgs.len(), 2);
    assert_eq!(
        msgs[0].zns.as_ref().unwrap().sending_mode.as_deref(),
        Some("3")
    );
}

#[test]
fn malformed_requests_are_invalid_request() {
    let emu = start();
    let cases: Vec<(&str, Value)> = vec![
        // Members from another operation or misspelled.
        (V6, with(v6_body(), "Params", json!(["a", "b"]))),
        (V6, with(v6_body(), "Sandbox ", json!("0"))),
        (V6, with(v6_body(), "OAId", json!(OA))),
        (V6, with(v6_body(), "ZaloUid", json!("1"))),
        (UID, with(uid_body(), "SendingMode", json!("1"))),
        (UID, with(uid_body(), "Phone", json!("0912345678"))),
        (V5, with(v5_body(), "IsJourney", json!(false))),
        (V6, with(v6_body(), "IsJourney", json!(true))),
        // Wrong shapes of the parameters.
        (V5, with(v5_body(), "TempData", json!({"otp": "1"}))),
        (
            V6,
            with(v6_body(), "TempData", json!([{"key": "otp", "value": "1"}])),
        ),
        (
            V6,
            with(
                v6_body(),
                "TempData",
                json!({"customer_name": "B", "order_code": 1}),
            ),
        ),
        (
            V5,
            with(
                v5_body(),
                "TempData",
                json!([{"key": "otp", "value": "1", "extra": "x"}]),
            ),
        ),
        (
            V5,
            with(v5_body(), "TempData", json!([{"Key": "otp", "Value": "1"}])),
        ),
        (
            V5,
            with(v5_body(), "TempData", json!([{"key": "otp", "value": 1}])),
        ),
        (
            V4,
            with(v4_body(), "Params", json!(["Tran Thi Binh", 20931])),
        ),
        (
            V4,
            with(v4_body(), "Params", json!("Tran Thi Binh,DH20931")),
        ),
        // Wrong JSON types: every value is a string but IsJourney.
        (V6, with(v6_body(), "TempID", json!(301122))),
        (V6, with(v6_body(), "OAID", json!(1234567890123456789u64))),
        (V6, with(v6_body(), "Sandbox", json!(0))),
        (V6, with(v6_body(), "SendingMode", json!(1))),
        (V6, with(v6_body(), "Phone", json!(912345678))),
        (V4, with(journey_body(), "IsJourney", json!("true"))),
        // Missing required members.
        (V6, without(v6_body(), "ApiKey")),
        (V6, without(v6_body(), "Phone")),
        (V6, without(v6_body(), "TempData")),
        (UID, without(uid_body(), "ZaloUid")),
        (HASH, without(hash_body(HASH_0912345678), "HashPhone")),
        (V4, without(v4_body(), "Params")),
        // Values out of their sets and formats.
        (V6, with(v6_body(), "Sandbox", json!("true"))),
        (V6, with(v6_body(), "SendingMode", json!("2"))),
        (
            V6,
            with(v6_body(), "SendDate", json!("2030-01-02T08:00:00")),
        ),
        (V6, with(v6_body(), "CallbackUrl", json!("example.vn/dlr"))),
        (V6, with(v6_body(), "RequestId", json!("r".repeat(51)))),
        (V6, with(v6_body(), "campaignid", json!("c".repeat(255)))),
        // Journey rules.
        (V4, without(journey_body(), "OrderId")),
        (V4, with(journey_body(), "OrderId", json!(""))),
        (V4, with(v4_body(), "OrderId", json!("JR-1"))),
        (
            V4,
            with(journey_body(), "SendDate", json!("2030-01-02 08:00:00")),
        ),
        (V4, with(journey_body(), "SendingMode", json!("1"))),
    ];
    for (op, body) in &cases {
        invalid(&emu, op, body);
    }
    // Not JSON, not an object, wrong content type.
    for (ct, raw) in [
        ("application/json", "{\"ApiKey\":"),
        ("application/json", "[1,2]"),
        ("text/plain", &v6_body().to_string()[..]),
    ] {
        let r = call(
            &emu,
            "POST",
            &format!("{ESMS}{V6}"),
            &[("Content-Type", ct)],
            raw.as_bytes(),
        );
        assert_eq!(r.text(), INVALID_REQUEST);
    }
    // Boundaries that are fine.
    sms_id_of(&esms_json(
        &emu,
        V6,
        &with(
            with(v6_body(), "RequestId", json!("r".repeat(50))),
            "campaignid",
            json!("c".repeat(254)),
        ),
    ));
    assert_eq!(emu.messages().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Delivery reports

/// Sends `body` with a CallbackUrl to the receiver and returns (SMSID, the report's request
/// line without `GET ` and ` HTTP/1.1`, the recorded attempt's phone).
fn one_report(emu: &Emulator, op: &str, body: Value) -> (String, String, Option<String>) {
    let (url, lines, handle) = receiver(1, "/zns/dlr?k=t0k");
    let before = emu.delivery_reports().len();
    let id = sms_id_of(&esms_json(emu, op, &with(body, "CallbackUrl", json!(url))));
    let reports = emu.wait_for_delivery_reports(before + 1, Duration::from_secs(5));
    handle.join().unwrap();
    let report = reports.last().unwrap().clone();
    assert_eq!(report.sms_id, id);
    assert_eq!(report.outcome, DeliveryOutcome::Answered { status: 200 });
    let line = lines.recv_timeout(Duration::from_secs(1)).unwrap();
    let target = line
        .strip_prefix("GET ")
        .and_then(|l| l.strip_suffix(" HTTP/1.1"))
        .unwrap()
        .to_owned();
    assert_eq!(report.url.split_once("/zns/").unwrap().1, &target[5..]);
    (id, target, report.phone)
}

#[test]
fn a_phone_without_zalo_gets_a_form_1_failure_report_and_is_not_charged() {
    let emu = start();
    let before = balance(&emu);
    let (id, target, phone) = one_report(
        &emu,
        V6,
        with(v6_body(), "Phone", json!(DEMO_PHONE_WITHOUT_ZALO)),
    );
    assert_eq!(
        target,
        format!("/zns/dlr?k=t0k&SMSID={id}&SendFailed=1&SendStatus=5&SendSuccess=0&TotalPrice=0.0000&TotalReceiver=1&TotalSent=0&RequestId=&TypeId=25&telcoid=2&phonenumber=0909000118&partnerids=&error_info=%22{{%5C%22error%5C%22%3A-118%2C%5C%22message%5C%22%3A%5C%22Zalo%20account%20not%20existed%5C%22}}%22&oaid=1234567890123456789&tempid=301122")
    );
    assert_eq!(phone.as_deref(), Some(DEMO_PHONE_WITHOUT_ZALO));
    let zns = emu.messages()[0].zns.clone().unwrap();
    assert_eq!(zns.delivery, ZnsDelivery::Failed { zalo_error: -118 });
    assert_eq!(zns.price, 0);
    assert_eq!(balance(&emu), before);
}

#[test]
fn delivered_and_inactive_reports_by_phone_are_form_1() {
    let emu = start();
    let (id, target, _) = one_report(&emu, V5, v5_body());
    let partner = zalo_msg_id(&emu, 0);
    assert_eq!(
        target,
        format!("/zns/dlr?k=t0k&SMSID={id}&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=220.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=25&telcoid=3&phonenumber=0912345678&partnerids={partner}&error_info=%22{{%5C%22error%5C%22%3A0%2C%5C%22message%5C%22%3A%5C%22Success%5C%22}}%22&oaid=1234567890123456789&tempid=205644")
    );
    let (id, target, _) = one_report(
        &emu,
        V4,
        with(
            with(v4_body(), "Phone", json!(DEMO_PHONE_ZALO_INACTIVE)),
            "RequestId",
            json!("inactive-1"),
        ),
    );
    assert_eq!(
        target,
        format!("/zns/dlr?k=t0k&SMSID={id}&SendFailed=1&SendStatus=5&SendSuccess=0&TotalPrice=0.0000&TotalReceiver=1&TotalSent=0&RequestId=&TypeId=25&telcoid=2&phonenumber=0909000114&partnerids=&error_info=%22{{%5C%22error%5C%22%3A-114%2C%5C%22message%5C%22%3A%5C%22User%20is%20inactive%2C%20or%20reject%20the%20message%2C%20or%20using%20an%20outdated%20Zalo%20version%2C%20or%20other%20internal%20errors%5C%22}}%22&oaid=1234567890123456789&tempid=301122")
    );
}

/// Splits a form-2 `error_info` around its `____` date suffix and checks the suffix is
/// `dd%2FMM%2Fyyyy%2520HH%3Amm%3Ass`, i.e. `dd/MM/yyyy HH:mm:ss` encoded as eSMS does.
fn form2_date(target: &str) -> String {
    let (_, after) = target.split_once("____").unwrap();
    let date = after.split('&').next().unwrap().to_owned();
    let b = date.as_bytes();
    assert_eq!(date.len(), 31, "{date}");
    assert_eq!(&date[2..5], "%2F");
    assert_eq!(&date[7..10], "%2F");
    assert_eq!(&date[14..19], "%2520");
    assert_eq!(&date[21..24], "%3A");
    assert_eq!(&date[26..29], "%3A");
    for i in [0, 1, 5, 6, 10, 11, 12, 13, 19, 20, 24, 25, 29, 30] {
        assert!(b[i].is_ascii_digit(), "{date}");
    }
    date
}

#[test]
fn a_journey_report_is_type_27_in_form_2() {
    let emu = start();
    let (id, target, _) = one_report(&emu, V4, journey_body());
    let partner = zalo_msg_id(&emu, 0);
    let date = form2_date(&target);
    let user_id = target
        .split_once("user_id%2522%3A%2522")
        .unwrap()
        .1
        .split("%2522")
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(user_id.len(), 17);
    assert!(user_id.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(
        target,
        format!("/zns/dlr?k=t0k&SMSID={id}&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=220.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=27&phonenumber=0912345678&error_info=%257B%2522data%2522%3A%257B%2522message_id%2522%3A%2522{partner}%2522%2C%2522user_id%2522%3A%2522{user_id}%2522%257D%2C%2522error%2522%3A0%2C%2522message%2522%3A%2522Success%2522%257D____{date}&oaid=1234567890123456789&partnerids={partner}")
    );
    // The same phone is the same Zalo user; a failed journey has no data member.
    let (id, target, _) = one_report(
        &emu,
        V4,
        with(
            with(journey_body(), "Phone", json!(DEMO_PHONE_WITHOUT_ZALO)),
            "RequestId",
            json!("jr-2"),
        ),
    );
    let date = form2_date(&target);
    assert_eq!(
        target,
        format!("/zns/dlr?k=t0k&SMSID={id}&SendFailed=1&SendStatus=5&SendSuccess=0&TotalPrice=0.0000&TotalReceiver=1&TotalSent=0&RequestId=&TypeId=27&phonenumber=0909000118&error_info=%257B%2522error%2522%3A-118%2C%2522message%2522%3A%2522Zalo%2520account%2520not%2520existed%2522%257D____{date}&oaid=1234567890123456789&partnerids=")
    );
    let (_, again, _) = one_report(&emu, V4, with(journey_body(), "RequestId", json!("jr-3")));
    assert!(again.contains(&format!("user_id%2522%3A%2522{user_id}%2522")));
}

#[test]
fn a_uid_report_is_form_3_with_telcoid_9() {
    let emu = start();
    let (id, target, phone) = one_report(&emu, UID, uid_body());
    let partner = zalo_msg_id(&emu, 0);
    assert_eq!(
        target,
        format!("/zns/dlr?k=t0k&SMSID={id}&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=220.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=25&telcoid=9&phonenumber=7391046628150023344&error_info={{%22error%22%3A0%2C%22message%22%3A%22Success%22%2C%22data%22%3A{{%22delivery_time%22%3Anull%2C%22message%22%3A%22The%20message%20was%20delivered%20to%20the%20user%27s%20phone%22%2C%22status%22%3A1}}}}&oaid=1234567890123456789&tempid=301122&partnerids={partner}")
    );
    assert_eq!(phone.as_deref(), Some("7391046628150023344"));
}

#[test]
fn a_uid_without_zalo_fails_in_form_3() {
    let emu = start_with(EmulatorConfig {
        zalo: ZaloConfig {
            without_zalo: vec!["5308693166941955879".into()],
            ..ZaloConfig::default()
        },
        ..EmulatorConfig::default()
    });
    let (id, target, _) = one_report(
        &emu,
        UID,
        with(uid_body(), "ZaloUid", json!("5308693166941955879")),
    );
    assert_eq!(
        target,
        format!("/zns/dlr?k=t0k&SMSID={id}&SendFailed=1&SendStatus=5&SendSuccess=0&TotalPrice=0.0000&TotalReceiver=1&TotalSent=0&RequestId=&TypeId=25&telcoid=9&phonenumber=5308693166941955879&error_info={{%22error%22%3A-118%2C%22message%22%3A%22Zalo%20account%20not%20existed%22}}&oaid=1234567890123456789&tempid=301122&partnerids=")
    );
}

#[test]
fn hash_phone_reports_carry_the_hash_and_the_phone_state() {
    let emu = start();
    let (id, target, _) = one_report(&emu, HASH, hash_body(HASH_0912345678));
    let partner = zalo_msg_id(&emu, 0);
    assert_eq!(
        target,
        format!("/zns/dlr?k=t0k&SMSID={id}&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=220.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=25&phonenumber={HASH_0912345678}&partnerids={partner}&error_info=%22{{%5C%22error%5C%22%3A0%2C%5C%22message%5C%22%3A%5C%22Success%5C%22}}%22&oaid=1234567890123456789&tempid=205644")
    );
    // The hash of a phone without Zalo resolves to it, and fails like it.
    let no_zalo = sha256_hex("84909000118");
    let (_, target, _) = one_report(
        &emu,
        HASH,
        with(hash_body(&no_zalo), "RequestId", json!("hp-2")),
    );
    assert!(target.contains("SendFailed=1&"), "{target}");
    assert!(target.contains("%5C%22error%5C%22%3A-118"), "{target}");
    assert_eq!(
        emu.messages()[1].zns.as_ref().unwrap().recipient,
        ZnsRecipient::HashPhone {
            hash_phone: no_zalo,
            phone: DEMO_PHONE_WITHOUT_ZALO.into()
        }
    );
}

#[test]
fn zns_show_up_in_the_status_queries() {
    let emu = start();
    let ok = sms_id_of(&esms_json(&emu, V6, &v6_body()));
    let failed = sms_id_of(&esms_json(
        &emu,
        V6,
        &with(
            with(v6_body(), "Phone", json!(DEMO_PHONE_WITHOUT_ZALO)),
            "RequestId",
            json!("q-2"),
        ),
    ));
    let status = |id: &str| {
        esms_get(
            &emu,
            &format!("GetSendStatus?ApiKey={KEY}&SecretKey={SECRET}&RefId={id}"),
        )
        .text()
        .to_owned()
    };
    assert_eq!(
        status(&ok),
        format!(
            r#"{{"CodeResponse":"100","SMSID":"{ok}","SendFailed":0,"SendStatus":5,"SendSuccess":1,"TotalPrice":220.0000,"TotalReceiver":1,"TotalSent":1}}"#
        )
    );
    assert_eq!(
        status(&failed),
        format!(
            r#"{{"CodeResponse":"100","SMSID":"{failed}","SendFailed":1,"SendStatus":5,"SendSuccess":0,"TotalPrice":0.0000,"TotalReceiver":1,"TotalSent":1}}"#
        )
    );
    let rows = emu.esms_sent_rows();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].sms_type, EsmsSmsType::ZaloCustomerCare);
    assert_eq!(rows[0].sell_price, 220);
    assert_eq!(rows[0].send_result, 1);
    assert_eq!(rows[1].sell_price, 0);
    assert_eq!(rows[1].send_result, 0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let query = json!({"ApiKey": KEY, "SecretKey": SECRET, "SmsType": "25",
        "From": vn_time(now - 3_600_000), "To": vn_time(now + 3_600_000), "Page": 1, "PageSize": 500});
    let v = esms_json(&emu, "GetSmsSentData_V2", &query).json();
    assert_eq!(v["CountTotal"], 2);
    assert_eq!(v["SentData"][0]["ReferenceId"], ok.as_str());
    assert_eq!(v["SentData"][0]["SmsType"], 25);
    assert_eq!(v["SentData"][0]["Content"], Value::Null);
}

#[test]
fn the_control_api_shows_the_zns_record() {
    let emu = start();
    sms_id_of(&esms_json(&emu, HASH, &hash_body(HASH_0912345678)));
    let records = call(&emu, "GET", "/_emulator/messages", &[], b"").json();
    let m = &records[0];
    assert_eq!(m["endpoint"], "SendZaloMessage_V6/hash_phone");
    assert_eq!(
        m["kind"],
        json!({"provider": "esms", "sms_type": "zalo_customer_care"})
    );
    assert_eq!(m["recipients"], json!([HASH_0912345678]));
    assert_eq!(m["viber"], Value::Null);
    let zns = &m["zns"];
    assert_eq!(zns["oa_id"], OA);
    assert_eq!(zns["template_id"], "205644");
    assert_eq!(zns["params"], json!([{"name": "otp", "value": "482913"}]));
    assert_eq!(
        zns["recipient"],
        json!({"kind": "hash_phone", "hash_phone": HASH_0912345678, "phone": "0912345678"})
    );
    assert_eq!(zns["journey_order_id"], Value::Null);
    assert_eq!(zns["sending_mode"], Value::Null);
    assert_eq!(zns["delivery"]["status"], "delivered");
    assert_eq!(zns["delivery"]["zalo_msg_id"].as_str().unwrap().len(), 20);
    assert_eq!(zns["price"], 220);
    assert_eq!(m["reference"]["kind"], "esms_sms_id");
}

// ---------------------------------------------------------------------------------------------
// InterITS

const INTERITS_ZNS: &str = "/interits/api/vendor/v1/zalo/send-zns";

fn interits_body() -> Value {
    json!({"oa_id": OA, "phone": "0912345678", "template_data": {"otp": "482913"},
           "template_id": 301122, "tracking_id": "otp-7781"})
}

fn interits(emu: &Emulator, key: Option<&str>, body: &Value) -> Resp {
    let mut headers = vec![("Content-Type", "application/json"), ("accept", "*/*")];
    if let Some(k) = key {
        headers.push(("API-KEY", k));
    }
    call(
        emu,
        "POST",
        INTERITS_ZNS,
        &headers,
        body.to_string().as_bytes(),
    )
}

#[test]
fn interits_send_zns_is_accepted_and_recorded() {
    let emu = start();
    let r = interits(&emu, Some(DEMO_INTERITS_KEY), &interits_body());
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let referent = v["referentId"].as_str().unwrap().to_owned();
    let data = &v["data"];
    let msg_id = data["msg_id"].as_str().unwrap().to_owned();
    let id = data["id"].as_str().unwrap().to_owned();
    let created = data["created_at"].as_str().unwrap().to_owned();
    assert_eq!(msg_id.len(), 20);
    assert!(id.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(created.len(), 24);
    assert!(created.ends_with('Z'));
    assert_eq!(
        r.text(),
        format!(
            r#"{{"code":0,"data":{{"created_at":"{created}","delivery_status":"unknown","error_code":0,"error_message":"","id":"{id}","msg_id":"{msg_id}","oa_id":"{OA}","phone":"0912345678","status":"Z","template_data":{{"otp":"482913"}},"template_id":301122,"tracking_id":"otp-7781","type":"template"}},"message":"success","referentId":"{referent}"}}"#
        )
    );
    // 84… phones are taken as for SMS; tracking_id is optional and not de-duplicated.
    let r = interits(
        &emu,
        Some(DEMO_INTERITS_KEY),
        &without(
            with(interits_body(), "phone", json!("84909000118")),
            "tracking_id",
        ),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["data"]["tracking_id"], Value::Null);
    assert_eq!(
        interits(&emu, Some(DEMO_INTERITS_KEY), &interits_body()).status,
        200
    );

    let msgs = emu.messages();
    assert_eq!(msgs.len(), 3);
    let m = &msgs[0];
    assert_eq!(m.provider, Provider::InterIts);
    assert_eq!(m.endpoint, Endpoint::InterItsSendZns);
    assert_eq!(m.account, DEMO_INTERITS_KEY);
    assert_eq!(m.recipients, vec!["0912345678"]);
    assert_eq!(
        m.kind,
        MessageKind::InterItsZns {
            template_id: 301122
        }
    );
    assert_eq!(m.request_id.as_deref(), Some("otp-7781"));
    assert_eq!(
        m.reference,
        Reference::InterItsZns {
            referent_id: referent,
            msg_id: msg_id.clone(),
            id
        }
    );
    let zns = m.zns.as_ref().unwrap();
    assert_eq!(zns.oa_id.as_deref(), Some(OA));
    assert_eq!(zns.template_id, "301122");
    assert_eq!(
        zns.params,
        vec![ZnsParam {
            name: "otp".into(),
            value: "482913".into()
        }]
    );
    assert_eq!(
        zns.delivery,
        ZnsDelivery::Delivered {
            zalo_msg_id: msg_id
        }
    );
    // The 84… form of a phone without Zalo is that phone.
    assert_eq!(
        msgs[1].zns.as_ref().unwrap().delivery,
        ZnsDelivery::Failed { zalo_error: -118 }
    );
}

#[test]
fn interits_send_zns_refusals() {
    let emu = start();
    for key in [None, Some("WRONG")] {
        let r = interits(&emu, key, &interits_body());
        assert_eq!(r.status, 401);
        assert_eq!(r.text(), r#"{"code":401,"message":"Unauthorized"}"#);
    }
    let bad = |body: Value, errors: Value| {
        let r = interits(&emu, Some(DEMO_INTERITS_KEY), &body);
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(
            r.json(),
            json!({"code": 400, "message": "Bad Request", "errors": errors}),
            "{body}"
        );
    };
    bad(
        with(interits_body(), "template_id", json!("301122")),
        json!({"template_id": "must be a positive integer JSON number"}),
    );
    bad(
        with(interits_body(), "template_id", json!(0)),
        json!({"template_id": "must be a positive integer JSON number"}),
    );
    bad(
        without(interits_body(), "phone"),
        json!({"phone": "is required"}),
    );
    bad(
        with(interits_body(), "phone", json!("+84912345678")),
        json!({"phone": "is not a Vietnamese mobile number (0xxxxxxxxx or 84xxxxxxxxx)"}),
    );
    bad(
        with(interits_body(), "oa_id", json!(1234567890123456789u64)),
        json!({"oa_id": "must be the OA id as a string of digits"}),
    );
    bad(
        with(interits_body(), "template_data", json!({"otp": 482913})),
        json!({"template_data": "template_data.otp must be a JSON string"}),
    );
    bad(
        with(interits_body(), "template_data", json!(["482913"])),
        json!({"template_data": "must be an object"}),
    );
    bad(
        with(interits_body(), "templateId", json!(1)),
        json!({"templateId": "unknown member (misspelled?)"}),
    );
    bad(
        with(interits_body(), "tracking_id", json!(7781)),
        json!({"tracking_id": "tracking_id must be a JSON string"}),
    );
    let r = call(
        &emu,
        "POST",
        INTERITS_ZNS,
        &[
            ("Content-Type", "text/plain"),
            ("API-KEY", DEMO_INTERITS_KEY),
        ],
        interits_body().to_string().as_bytes(),
    );
    assert_eq!(r.status, 400);
    let r = call(
        &emu,
        "POST",
        "/interits/api/vendor/v1/zalo/send-journey-zns",
        &[
            ("Content-Type", "application/json"),
            ("API-KEY", DEMO_INTERITS_KEY),
        ],
        interits_body().to_string().as_bytes(),
    );
    assert_eq!(r.status, 404);
    assert!(emu.messages().is_empty());
}

// ---------------------------------------------------------------------------------------------
// CareSoft

const CARESOFT_ZNS: &str = "/caresoft/demo/api/v1/zalo/zns";

fn caresoft(emu: &Emulator, token: Option<&str>, body: &Value) -> Resp {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(a) = &auth {
        headers.push(("Authorization", a.as_str()));
    }
    call(
        emu,
        "POST",
        CARESOFT_ZNS,
        &headers,
        body.to_string().as_bytes(),
    )
}

fn caresoft_error(message: &str) -> String {
    serde_json::to_string(&json!({"code": "errors", "message": message})).unwrap()
}

#[test]
fn caresoft_zns_is_accepted_and_recorded() {
    let emu = start();
    let body = json!({"zns": {"phone": "0912345678", "template_id": 366,
        "params": {"requester": "Tran Thi Binh", "masoDatve": "DH20931"}}});
    let r = caresoft(&emu, Some(DEMO_CARESOFT_TOKEN), &body);
    assert_eq!(r.status, 200);
    assert_eq!(
        r.text(),
        r#"{"code":"ok","ticket":{"ticket_id":291437,"ticket_no":205025,"requester_id":63203810,"assignee_id":1}}"#
    );
    // Into an existing ticket, without params (the script's mappings apply).
    let r = caresoft(
        &emu,
        Some(DEMO_CARESOFT_TOKEN),
        &json!({"zns": {"phone": "0912345678", "template_id": 366, "ticket_id": 291437}}),
    );
    assert_eq!(
        r.text(),
        r#"{"code":"ok","ticket":{"ticket_id":291437,"ticket_no":205025,"requester_id":63203810,"assignee_id":1}}"#
    );
    let msgs = emu.messages();
    assert_eq!(msgs.len(), 2);
    let m = &msgs[0];
    assert_eq!(m.provider, Provider::CareSoft);
    assert_eq!(m.endpoint, Endpoint::CareSoftZns);
    assert_eq!(m.account, "demo");
    assert_eq!(m.kind, MessageKind::CareSoftZns { template_id: 366 });
    assert_eq!(
        m.reference,
        Reference::CareSoftTicket {
            ticket_id: 291437,
            ticket_no: 205025
        }
    );
    let zns = m.zns.as_ref().unwrap();
    assert_eq!(zns.oa_id, None);
    assert_eq!(zns.template_id, "366");
    assert_eq!(
        zns.params,
        vec![
            ZnsParam {
                name: "masoDatve".into(),
                value: "DH20931".into()
            },
            ZnsParam {
                name: "requester".into(),
                value: "Tran Thi Binh".into()
            },
        ]
    );
    assert!(matches!(zns.delivery, ZnsDelivery::Delivered { .. }));
    assert_eq!(msgs[1].attached_ticket_id, Some(291437));
    assert!(msgs[1].zns.as_ref().unwrap().params.is_empty());
}

#[test]
fn caresoft_zns_refusals() {
    let emu = start();
    let good = json!({"zns": {"phone": "0912345678", "template_id": 366}});
    for token in [None, Some("WRONG")] {
        let r = caresoft(&emu, token, &good);
        assert_eq!(r.status, 401);
        assert_eq!(r.text(), caresoft_error("Unauthenticated."));
    }
    let cases = [
        (
            json!({"zns": {"phone": "0912345678", "template_id": 367}}),
            "The selected zns.template_id is invalid.",
        ),
        (
            json!({"zns": {"phone": "0912345678"}}),
            "The zns.template_id field is required.",
        ),
        (
            json!({"zns": {"phone": "0912345678", "template_id": "abc"}}),
            "The zns.template_id must be an integer.",
        ),
        (
            json!({"zns": {"phone": "84912345678", "template_id": 366}}),
            "The zns.phone format is invalid.",
        ),
        (
            json!({"zns": {"template_id": 366}}),
            "The zns.phone field is required.",
        ),
        (
            json!({"zns": {"phone": "0912345678", "template_id": 366, "params": ["x"]}}),
            "The zns.params must be an object.",
        ),
        (
            json!({"zns": {"phone": "0912345678", "template_id": 366, "params": {"a": 1}}}),
            "The zns.params.a must be a string.",
        ),
        (
            json!({"zns": {"phone": "0912345678", "template_id": 366, "ticketId": 1}}),
            "Unknown field zns.ticketId; check its spelling.",
        ),
        (
            json!({"sms": {"phone": "0912345678", "template_id": 366}}),
            "The zns field is required.",
        ),
        (
            json!({"Zns": {"phone": "0912345678", "template_id": 366}}),
            "Unknown field Zns; did you mean zns?",
        ),
    ];
    for (body, message) in cases {
        let r = caresoft(&emu, Some(DEMO_CARESOFT_TOKEN), &body);
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(r.text(), caresoft_error(message), "{body}");
    }
    let r = call(
        &emu,
        "POST",
        "/caresoft/nobody/api/v1/zalo/zns",
        &[("Content-Type", "application/json")],
        good.to_string().as_bytes(),
    );
    assert_eq!(r.status, 404);
    let r = call(
        &emu,
        "GET",
        CARESOFT_ZNS,
        &[("Authorization", "Bearer DEMO_CARESOFT_TOKEN")],
        b"",
    );
    assert_eq!(r.status, 405);
    assert!(emu.messages().is_empty());
    // A template id as a string of digits is taken, as service_id is.
    let r = caresoft(
        &emu,
        Some(DEMO_CARESOFT_TOKEN),
        &json!({"zns": {"phone": "0912345678", "template_id": "366"}}),
    );
    assert_eq!(r.status, 200);
}

#[test]
fn custom_fixtures_are_honoured() {
    let oa = ZaloOa {
        oa_id: "4097311281936189049".into(),
        ..ZaloOa::default()
    };
    let emu = start_with(EmulatorConfig {
        zalo: ZaloConfig {
            oas: vec![oa],
            ..ZaloConfig::default()
        },
        ..EmulatorConfig::default()
    });
    refused(&emu, V6, &v6_body(), "204", "OAID is not exist");
    sms_id_of(&esms_json(
        &emu,
        V6,
        &with(v6_body(), "OAID", json!("4097311281936189049")),
    ));
}

/// Every OA's daily quota set to `quota`.
fn with_daily_quota(quota: u32) -> Emulator {
    let mut zalo = ZaloConfig::default();
    for oa in &mut zalo.oas {
        oa.daily_quota = quota;
    }
    start_with(EmulatorConfig {
        zalo,
        ..EmulatorConfig::default()
    })
}

/// Once an OA's daily quota is used up, eSMS still accepts a ZNS (no send-time code, D-Z58) and
/// Zalo refuses it: a failed, free report with Zalo's "Out of quota" (−115), the same in
/// QueryZnsStatus; it does not count against the quota, and the next day it goes through.
#[test]
fn a_zns_beyond_the_daily_quota_is_accepted_then_reported_out_of_quota() {
    let emu = with_daily_quota(1);
    let first = sms_id_of(&esms_json(
        &emu,
        V6,
        &with(v6_body(), "RequestId", json!("q-1")),
    ));
    assert!(!first.is_empty());
    let before = balance(&emu);
    let (id, target, _) = one_report(&emu, V6, with(v6_body(), "RequestId", json!("q-2")));
    assert_eq!(
        target,
        format!("/zns/dlr?k=t0k&SMSID={id}&SendFailed=1&SendStatus=5&SendSuccess=0&TotalPrice=0.0000&TotalReceiver=1&TotalSent=0&RequestId=&TypeId=25&telcoid=3&phonenumber=0912345678&partnerids=&error_info=%22{{%5C%22error%5C%22%3A-115%2C%5C%22message%5C%22%3A%5C%22Out%20of%20quota%5C%22}}%22&oaid=1234567890123456789&tempid=301122")
    );
    assert_eq!(balance(&emu), before, "a refused ZNS is free");
    let zns = emu.messages()[1].zns.clone().unwrap();
    assert_eq!(zns.delivery, ZnsDelivery::Failed { zalo_error: -115 });
    let status = esms_json(
        &emu,
        "QueryZnsStatus/",
        &json!({"ApiKey": KEY, "SecretKey": SECRET, "SmsId": id, "SmsType": "25"}),
    );
    assert_eq!(
        status.text(),
        format!(
            r#"{{"CodeResult":"100","Data":{{"ErrorInfo":"-115","FinalStatus":"1","SMSID":"{id}","SendFailed":1,"SendStatus":5,"SendSuccess":0,"TotalPrice":0.0,"TotalReceiver":1,"TotalSent":0,"ZaloMsgId":""}}}}"#
        )
    );
    let quota = esms_json(
        &emu,
        "ZNS/GetQuota/",
        &json!({"ApiKey": KEY, "SecretKey": SECRET, "OAID": OA}),
    );
    assert_eq!(quota.json()["RemainingQuota"], 0);
    emu.advance_clock(Duration::from_secs(24 * 3600));
    let next_day = sms_id_of(&esms_json(
        &emu,
        V6,
        &with(v6_body(), "RequestId", json!("q-3")),
    ));
    assert!(!next_day.is_empty());
    assert!(matches!(
        emu.messages()[2].zns.as_ref().unwrap().delivery,
        ZnsDelivery::Delivered { .. }
    ));
}

/// SendingMode 3 (an OA allowed it) goes beyond the quota and is delivered; a multi-channel
/// send beyond it falls back to its SMS leg; each accepted item of a bulk beyond it fails.
#[test]
fn beyond_the_quota_mode_3_is_delivered_and_multi_channel_falls_back_to_sms() {
    let emu = with_daily_quota(0);
    let mode3 = with(
        with(v6_body(), "OAID", json!(DEMO_ZALO_MODE3_OA_ID)),
        "SendingMode",
        json!("3"),
    );
    sms_id_of(&esms_json(&emu, V6, &mode3));
    assert!(matches!(
        emu.messages()[0].zns.as_ref().unwrap().delivery,
        ZnsDelivery::Delivered { .. }
    ));
    let mc = json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": "0912345678",
        "Channels": ["zalo", "sms"], "Data": [
            {"TempID": "205644", "Params": ["686868"], "OAID": OA},
            {"Content": "686868 la ma", "SmsType": "2", "Brandname": "NHANTIN"}]});
    sms_id_of(&esms_json(&emu, "MultiChannelMessage/", &mc));
    let sent = &emu.messages()[1];
    assert_eq!(
        sent.zns.as_ref().unwrap().delivery,
        ZnsDelivery::Failed { zalo_error: -115 }
    );
    let legs = sent.multichannel.as_ref().unwrap();
    assert_eq!(legs.legs_sent, [Leg::Zns, Leg::Sms]);
    assert_eq!(legs.sms_leg.delivered, Some(true));
    let bulk = json!({"ApiKey": KEY, "SecretKey": SECRET, "OAID": OA, "TempID": "301122",
        "Data": [{"Phone": "0901888484", "Params": ["A", "B"]},
                 {"Phone": "0918238965", "Params": ["A", "B"]}]});
    assert_eq!(
        esms_json(&emu, "Send_zns_bulk_v4_post_json/", &bulk).json()["TotalSuccess"],
        2,
        "accepted by eSMS"
    );
    for item in &emu.messages()[2..] {
        assert_eq!(
            item.zns.as_ref().unwrap().delivery,
            ZnsDelivery::Failed { zalo_error: -115 }
        );
    }
    assert_eq!(emu.messages().len(), 4);
}
