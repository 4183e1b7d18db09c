//! eSMS `GetSmsSentData_V2`: rows built from what was really accepted, the creation-time window,
//! the SmsType filter, paging, and the strict checks.

mod common;

use std::time::{Duration, SystemTime};

use common::*;
use nhantin_emulator::{
    Emulator, EmulatorConfig, EsmsAccount, EsmsConfig, EsmsSmsType, Reference,
    DEMO_ESMS_API_KEY as KEY, DEMO_ESMS_SECRET_KEY as SECRET,
};
use serde_json::{json, Value};

const OP: &str = "GetSmsSentData_V2";
/// A window that holds every message any test sends.
const EVER_FROM: &str = "2000-01-01 00:00:00";
const EVER_TO: &str = "2099-12-31 23:59:59";

fn query(sms_type: &str, from: &str, to: &str, page: Value, page_size: Value) -> Value {
    json!({"ApiKey": KEY, "SecretKey": SECRET, "SmsType": sms_type, "From": from, "To": to,
           "Page": page, "PageSize": page_size})
}

fn sent_data(emu: &Emulator, body: &Value) -> Value {
    let resp = esms_json(emu, OP, body);
    assert_eq!(resp.status, 200);
    assert_eq!(
        resp.header("Content-Type"),
        Some("application/json; charset=utf-8")
    );
    let v = resp.json();
    assert_eq!(v["CodeResult"], "100", "{}", resp.text());
    v
}

/// `(CountTotal, [ReferenceId/Phone of each row])`.
fn page_of(
    emu: &Emulator,
    sms_type: &str,
    from: &str,
    to: &str,
    page: u64,
    size: u64,
) -> (u64, Vec<String>) {
    let v = sent_data(emu, &query(sms_type, from, to, json!(page), json!(size)));
    let rows = v["SentData"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{}/{}",
                r["ReferenceId"].as_str().unwrap(),
                r["Phone"].as_str().unwrap()
            )
        })
        .collect();
    (v["CountTotal"].as_u64().unwrap(), rows)
}

fn accepted(resp: &Resp) -> String {
    let v = resp.json();
    assert_eq!(v["CodeResult"], "100", "{}", resp.text());
    v["SMSID"].as_str().unwrap().to_owned()
}

fn customer_care(emu: &Emulator, phone: &str, content: &str, campaign: Option<&str>) -> String {
    let mut b = json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": phone, "Content": content,
                       "Brandname": "NHANTIN", "SmsType": "2", "IsUnicode": "0"});
    if let Some(c) = campaign {
        b["campaignid"] = json!(c);
    }
    accepted(&esms_json(emu, "SendMultipleMessage_V4_post_json/", &b))
}

fn fixed_number(emu: &Emulator, phone: &str) -> String {
    let b = json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": phone, "Content": "Ma 1234",
                   "SmsType": "8"});
    accepted(&esms_json(emu, "SendMultipleMessage_V4_post_json/", &b))
}

fn viber(emu: &Emulator, phones: &[&str]) -> String {
    let b = json!({"ApiKey": KEY, "SecretKey": SECRET, "Brandname": "NHANTIN", "SmsType": "23",
                   "Phones": phones, "Content": "Don hang da giao"});
    accepted(&esms_json(emu, "Send_Multiple_Sms_OTT/", &b))
}

fn wall_ms() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

#[test]
fn rows_are_the_accepted_sends_one_per_recipient() {
    let emu = start();
    let cc = customer_care(&emu, "0901234567", "Cam on quy khach", Some("Chien dich 1"));
    let fixed = fixed_number(&emu, "0912345678");
    let ott = viber(&emu, &["0961234567", "0901888484"]);
    let msgs = emu.messages();
    assert_eq!(msgs.len(), 3);
    let portal = |i: usize| match &msgs[i].reference {
        Reference::EsmsSmsId { portal_sms_id, .. } => *portal_sms_id,
        other => panic!("{other:?}"),
    };
    assert!(portal(0) < portal(1) && portal(1) < portal(2));

    let resp = esms_json(
        &emu,
        OP,
        &query("2", EVER_FROM, EVER_TO, json!(1), json!(500)),
    );
    assert_eq!(
        resp.text(),
        format!(
            r#"{{"CodeResult":"100","CountTotal":1,"SentData":[{{"Campaign":"Chien dich 1","Content":"Cam on quy khach","Phone":"0901234567","ReferenceId":"{cc}","SellPrice":470.0,"SendResult":1,"SendStatus":5,"SentTime":"/Date({}+0700)/","SmsId":{},"SmsType":2}}]}}"#,
            msgs[0].created_at_unix_ms,
            portal(0)
        )
    );

    let v = sent_data(&emu, &query("8", EVER_FROM, EVER_TO, json!(1), json!(500)));
    assert_eq!(v["CountTotal"], 1);
    let row = &v["SentData"][0];
    assert_eq!(row["ReferenceId"], fixed.as_str());
    assert_eq!(row["Phone"], "0912345678");
    assert_eq!(row["SmsType"], 8);
    assert_eq!(row["Campaign"], Value::Null, "no campaignid was sent");

    // One row per recipient; the rows of one send share ReferenceId and SmsId.
    let v = sent_data(&emu, &query("23", EVER_FROM, EVER_TO, json!(1), json!(500)));
    assert_eq!(v["CountTotal"], 2);
    let rows = v["SentData"].as_array().unwrap();
    assert_eq!(rows[0]["Phone"], "0961234567");
    assert_eq!(rows[1]["Phone"], "0901888484");
    for row in rows {
        assert_eq!(row["ReferenceId"], ott.as_str());
        assert_eq!(row["SmsId"], portal(2));
        assert_eq!(row["SmsType"], 23);
        assert_eq!(row["Content"], "Don hang da giao");
        assert_eq!(
            row["SentTime"],
            format!("/Date({}+0700)/", msgs[2].created_at_unix_ms)
        );
    }

    // Types that were not sent, Zalo ones included, find nothing.
    for t in ["1", "24", "25", "26"] {
        let v = sent_data(&emu, &query(t, EVER_FROM, EVER_TO, json!(1), json!(500)));
        assert_eq!(
            v,
            json!({"CodeResult": "100", "CountTotal": 0, "SentData": []}),
            "{t}"
        );
    }
    // SmsType as a JSON number, as the other eSMS operations accept by default.
    let mut numeric = query("2", EVER_FROM, EVER_TO, json!(1), json!(500));
    numeric["SmsType"] = json!(2);
    assert_eq!(sent_data(&emu, &numeric)["CountTotal"], 1);

    // The Rust view holds the same rows.
    let rows = emu.esms_sent_rows();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].reference_id, cc);
    assert_eq!(rows[0].sms_type, EsmsSmsType::CustomerCare);
    assert_eq!(rows[0].campaign.as_deref(), Some("Chien dich 1"));
    assert_eq!(rows[0].sell_price, 470);
    assert_eq!(rows[0].send_result, 1);
    assert_eq!(rows[0].send_status, 5);
    assert_eq!(rows[0].account, KEY);
    assert_eq!(rows[1].sms_type, EsmsSmsType::FixedNumber);
    assert_eq!(rows[3].phone, "0901888484");
    assert_eq!(rows[3].created_at_unix_ms, msgs[2].created_at_unix_ms);

    // Queries record nothing, and a reset empties the answer.
    assert_eq!(emu.messages().len(), 3);
    emu.reset();
    let v = sent_data(&emu, &query("23", EVER_FROM, EVER_TO, json!(1), json!(500)));
    assert_eq!(v["CountTotal"], 0);
}

#[test]
fn window_is_on_creation_time_in_vietnam_time_with_inclusive_bounds() {
    let emu = start();
    let before = wall_ms();
    let first = customer_care(&emu, "0901000001", "one", None);
    let s1 = emu.messages()[0].created_at_unix_ms / 1000;
    // Wait for the next wall-clock second so the two messages have different seconds.
    while wall_ms() / 1000 == s1 {
        std::thread::sleep(Duration::from_millis(10));
    }
    let second = customer_care(&emu, "0901000002", "two", None);
    let s2 = emu.messages()[1].created_at_unix_ms / 1000;
    assert!(s2 > s1);
    assert!(before / 1000 <= s1);
    let at = |secs: u64| vn_time(secs * 1000);
    let window = |from: u64, to: u64| page_of(&emu, "2", &at(from), &at(to), 1, 500);

    assert_eq!(window(s1, s1), (1, vec![format!("{first}/0901000001")]));
    assert_eq!(window(s2, s2), (1, vec![format!("{second}/0901000002")]));
    assert_eq!(
        window(s1, s2),
        (
            2,
            vec![
                format!("{first}/0901000001"),
                format!("{second}/0901000002")
            ]
        )
    );
    assert_eq!(window(s1 - 3600, s1 - 1), (0, vec![]));
    assert_eq!(window(s2 + 1, s2 + 3600), (0, vec![]));
    // The bounds are Vietnam time: the same wall time read as UTC is seven hours off.
    let utc = |secs: u64| vn_time((secs - 7 * 3600) * 1000);
    assert_eq!(
        page_of(&emu, "2", &utc(s1), &utc(s2), 1, 500).0,
        0,
        "a UTC window misses both"
    );
    // From == To is a one-second window; From after To is refused.
    assert_eq!(
        esms_json(
            &emu,
            OP,
            &query("2", &at(s2), &at(s1), json!(1), json!(500))
        )
        .text(),
        INVALID_REQUEST
    );
    // Emulator time (advance_clock) does not move creation times.
    emu.advance_clock(Duration::from_secs(3 * 24 * 3600));
    assert_eq!(window(s1, s2).0, 2);
}

#[test]
fn paging_keeps_the_total_and_the_creation_order() {
    let emu = start();
    let ids: Vec<String> = (0..5)
        .map(|i| {
            let phone = format!("090100000{i}");
            format!(
                "{}/{phone}",
                customer_care(&emu, &phone, &format!("msg {i}"), None)
            )
        })
        .collect();
    let all = page_of(&emu, "2", EVER_FROM, EVER_TO, 1, 500);
    assert_eq!(all, (5, ids.clone()));

    for page in 1..=5 {
        assert_eq!(
            page_of(&emu, "2", EVER_FROM, EVER_TO, page, 1),
            (5, vec![ids[page as usize - 1].clone()]),
            "page {page} of size 1"
        );
    }
    assert_eq!(page_of(&emu, "2", EVER_FROM, EVER_TO, 6, 1), (5, vec![]));

    let mut collected = Vec::new();
    for (page, expected_len) in [(1, 2), (2, 2), (3, 1), (4, 0)] {
        let (total, rows) = page_of(&emu, "2", EVER_FROM, EVER_TO, page, 2);
        assert_eq!(total, 5, "CountTotal is the whole window on page {page}");
        assert_eq!(rows.len(), expected_len, "page {page} of size 2");
        collected.extend(rows);
    }
    assert_eq!(collected, ids);

    // Page and PageSize as strings (the tables' type) answer the same.
    let v = sent_data(
        &emu,
        &query("2", EVER_FROM, EVER_TO, json!("2"), json!("2")),
    );
    assert_eq!(v["CountTotal"], 5);
    let rows: Vec<String> = v["SentData"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{}/{}",
                r["ReferenceId"].as_str().unwrap(),
                r["Phone"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(rows, ids[2..4]);
    // A page far past the end is empty, not an error.
    let v = sent_data(
        &emu,
        &query("2", EVER_FROM, EVER_TO, json!(u64::MAX), json!(500)),
    );
    assert_eq!(v["SentData"], json!([]));
}

#[test]
fn accounts_sandbox_and_undeliverable_phones() {
    let other = EsmsAccount {
        api_key: "OTHER_KEY".to_owned(),
        secret_key: "OTHER_SECRET".to_owned(),
        ..EsmsAccount::default()
    };
    let emu = start_with(EmulatorConfig {
        esms: EsmsConfig {
            accounts: vec![EsmsAccount::default(), other],
            undeliverable_phones: vec!["0909999999".to_owned()],
            ..EsmsConfig::default()
        },
        ..EmulatorConfig::default()
    });
    customer_care(&emu, "0909999999", "fails", None);
    let sandbox = json!({"ApiKey": KEY, "SecretKey": SECRET, "Phone": "0901234567",
                         "Content": "test", "Brandname": "NHANTIN", "SmsType": "2", "Sandbox": "1"});
    accepted(&esms_json(
        &emu,
        "SendMultipleMessage_V4_post_json/",
        &sandbox,
    ));
    let theirs = json!({"ApiKey": "OTHER_KEY", "SecretKey": "OTHER_SECRET", "Phone": "0901234567",
                        "Content": "not yours", "Brandname": "NHANTIN", "SmsType": "2"});
    let their_id = accepted(&esms_json(
        &emu,
        "SendMultipleMessage_V4_post_json/",
        &theirs,
    ));

    let v = sent_data(&emu, &query("2", EVER_FROM, EVER_TO, json!(1), json!(500)));
    assert_eq!(v["CountTotal"], 2, "only the asking account's rows");
    let rows = v["SentData"].as_array().unwrap();
    assert_eq!(rows[0]["Phone"], "0909999999");
    assert_eq!(rows[0]["SendResult"], 0);
    assert_eq!(rows[0]["SellPrice"], 470.0);
    assert_eq!(rows[1]["Content"], "test");
    assert_eq!(
        rows[1]["SendResult"], 0,
        "sandbox messages are not delivered"
    );
    assert_eq!(rows[1]["SellPrice"], 0.0, "nor charged");

    let mut b = query("2", EVER_FROM, EVER_TO, json!(1), json!(500));
    b["ApiKey"] = json!("OTHER_KEY");
    b["SecretKey"] = json!("OTHER_SECRET");
    let v = sent_data(&emu, &b);
    assert_eq!(v["CountTotal"], 1);
    assert_eq!(v["SentData"][0]["ReferenceId"], their_id.as_str());
}

#[test]
fn bad_keys_and_bad_requests() {
    let emu = start();
    customer_care(&emu, "0901234567", "x", None);
    let good = || query("2", EVER_FROM, EVER_TO, json!(1), json!(500));

    for (api_key, secret) in [(KEY, "WRONG"), ("WRONG", SECRET), ("", "")] {
        let mut b = good();
        b["ApiKey"] = json!(api_key);
        b["SecretKey"] = json!(secret);
        assert_eq!(
            esms_json(&emu, OP, &b).text(),
            r#"{"CodeResult":"101","ErrorMessage":"Authorize Failed."}"#
        );
    }

    let patches: Vec<Value> = vec![
        json!({"PageSize": 501}),
        json!({"PageSize": "501"}),
        json!({"PageSize": 0}),
        json!({"PageSize": null}),
        json!({"Page": 0}),
        json!({"Page": -1}),
        json!({"Page": 1.5}),
        json!({"Page": "1a"}),
        json!({"Page": ""}),
        json!({"Page": true}),
        json!({"From": "2025-01-01T00:00:00"}),
        json!({"From": "2025-02-30 00:00:00"}),
        json!({"To": "2025/01/01 00:00:00"}),
        json!({"To": 20250101}),
        json!({"SmsType": "3"}),
        json!({"SmsType": "02"}),
        json!({"SmsType": ""}),
        json!({"ApiKey": 1}),
        json!({"Pagesize": 10}),
        json!({"smstype": "2"}),
    ];
    for patch in patches {
        let mut b = good();
        for (k, v) in patch.as_object().unwrap() {
            b[k] = v.clone();
        }
        let r = esms_json(&emu, OP, &b);
        assert_eq!(r.status, 200);
        assert_eq!(r.text(), INVALID_REQUEST, "{patch}");
        assert!(r.header("X-Emulator-Reason").is_some());
    }
    for missing in [
        "ApiKey",
        "SecretKey",
        "SmsType",
        "From",
        "To",
        "Page",
        "PageSize",
    ] {
        let mut b = good();
        b.as_object_mut().unwrap().remove(missing);
        assert_eq!(esms_json(&emu, OP, &b).text(), INVALID_REQUEST, "{missing}");
    }
    // Framing is checked before the keys, as on the send operations.
    let mut b = good();
    b["SecretKey"] = json!("WRONG");
    b["PageSize"] = json!(501);
    assert_eq!(esms_json(&emu, OP, &b).text(), INVALID_REQUEST);
    // 500 is the largest page.
    let mut b = good();
    b["PageSize"] = json!(500);
    assert_eq!(sent_data(&emu, &b)["CountTotal"], 1);

    let path = format!("{ESMS}{OP}");
    let r = call(
        &emu,
        "POST",
        &path,
        &[("Content-Type", "text/plain")],
        good().to_string().as_bytes(),
    );
    assert_eq!(r.text(), INVALID_REQUEST);
    let r = call(
        &emu,
        "POST",
        &path,
        &[("Content-Type", "application/json")],
        b"{\"ApiKey\":",
    );
    assert_eq!(r.text(), INVALID_REQUEST);
    assert_eq!(call(&emu, "GET", &path, &[], b"").status, 405);
    // The trailing slash WCF tolerates on every operation.
    assert_eq!(
        esms_json(&emu, &format!("{OP}/"), &good()).json()["CountTotal"],
        1
    );
    assert_eq!(emu.messages().len(), 1);
}

#[test]
fn strict_numeric_codes_apply_to_sms_type_but_not_to_paging() {
    let emu = start_with(EmulatorConfig {
        esms: EsmsConfig {
            accept_numeric_codes: false,
            ..EsmsConfig::default()
        },
        ..EmulatorConfig::default()
    });
    customer_care(&emu, "0901234567", "x", None);
    // The Vietnamese sample's bare numbers for Page/PageSize are always fine.
    let b = query("2", EVER_FROM, EVER_TO, json!(1), json!(500));
    assert_eq!(sent_data(&emu, &b)["CountTotal"], 1);
    let mut numeric = b.clone();
    numeric["SmsType"] = json!(2);
    assert_eq!(esms_json(&emu, OP, &numeric).text(), INVALID_REQUEST);
}
