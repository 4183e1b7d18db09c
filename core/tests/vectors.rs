//! Replays every shared wire vector in `tests/vectors/` (see its README for the format).

// The rule against file access is for the library; this test reads the vector files.
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};

use nhantin_core::{
    analyze, esms, interits, providers, strip_diacritics, AccountInput, Error, HttpRequest,
    HttpResponse, Idempotency, MessageInput, PhoneNumber, Provider, RequestId, Timestamp,
};
use serde_json::{json, Value};

fn vector_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&root).expect("tests/vectors exists") {
        let dir = dir.unwrap().path();
        if dir.is_dir() {
            for file in std::fs::read_dir(&dir).unwrap() {
                let file = file.unwrap().path();
                if file.extension().is_some_and(|e| e == "json") {
                    files.push(file);
                }
            }
        }
    }
    files.sort();
    files
}

fn request_json(req: &HttpRequest) -> Value {
    json!({
        "method": req.method.as_str(),
        "url": req.url,
        "headers": req.headers.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
        "body": String::from_utf8(req.body.clone()).expect("request bodies are UTF-8"),
    })
}

fn response_of(v: &Value) -> HttpResponse {
    HttpResponse {
        status: v["status"].as_u64().unwrap() as u16,
        headers: v["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h[0].as_str().unwrap().into(), h[1].as_str().unwrap().into()))
            .collect(),
        body: v["body"].as_str().unwrap().as_bytes().to_vec(),
    }
}

fn provider_of(v: &Value) -> Provider {
    serde_json::from_value(v["provider"].clone()).unwrap()
}

/// The idempotency a send to this provider carries: what decides retry safety.
fn send_idempotency(provider: Provider) -> Idempotency {
    if provider.dedups_by_request_id() {
        Idempotency::KeyedBy(RequestId::new("vector").unwrap())
    } else {
        Idempotency::NotIdempotent
    }
}

/// Every key of `expected` must match: `retry_safe` against `is_retry_safe`, `reason_contains`
/// as a substring of the reason, anything else by equality.
fn check_error(name: &str, err: &Error, expected: &Value, idempotency: &Idempotency) {
    let actual = serde_json::to_value(err).unwrap();
    for (key, want) in expected
        .as_object()
        .expect("error expectation is an object")
    {
        match key.as_str() {
            "retry_safe" => assert_eq!(
                &json!(err.is_retry_safe(idempotency)),
                want,
                "{name}: retry_safe of {actual}"
            ),
            "reason_contains" => {
                let reason = actual["reason"].as_str().unwrap_or_default();
                assert!(
                    reason.contains(want.as_str().unwrap()),
                    "{name}: reason {reason:?} lacks {want}"
                );
            }
            _ => assert_eq!(&actual[key], want, "{name}: {key} of {actual}"),
        }
    }
}

fn check_result<T: serde::Serialize>(
    name: &str,
    result: Result<T, Error>,
    expect: &Value,
    ok_key: &str,
    idempotency: &Idempotency,
) {
    match (result, expect.get(ok_key), expect.get("error")) {
        (Ok(value), Some(want), None) => {
            assert_eq!(&serde_json::to_value(value).unwrap(), want, "{name}")
        }
        (Err(err), None, Some(want)) => check_error(name, &err, want, idempotency),
        (Ok(value), _, _) => panic!(
            "{name}: expected an error, got {}",
            serde_json::to_value(value).unwrap()
        ),
        (Err(err), _, _) => panic!("{name}: expected {ok_key}, got error {err}"),
    }
}

fn subset(name: &str, actual: &Value, expected: &Value) {
    for (key, want) in expected.as_object().unwrap() {
        assert_eq!(&actual[key], want, "{name}: {key} of {actual}");
    }
}

fn account(v: &Value) -> Result<providers::Account, Error> {
    AccountInput::from_json(&v["account"].to_string())?.validate()
}

fn esms_account(v: &Value) -> esms::EsmsAccount {
    match account(v).unwrap() {
        providers::Account::Esms(a) => a,
        other => panic!("not an eSMS account: {other:?}"),
    }
}

fn replay(name: &str, v: &Value) {
    let expect = &v["expect"];
    let none = Idempotency::ReadOnly;
    match v["operation"].as_str().unwrap() {
        "send" => {
            let result = (|| {
                let account = account(v)?;
                let msg = MessageInput::from_json(&v["message"].to_string())?.validate()?;
                let now = Timestamp::parse_rfc3339("now", v["now"].as_str().unwrap())?;
                account.encode_send(&msg, now)
            })();
            check_result(
                name,
                result.map(|r| request_json(&r)),
                expect,
                "request",
                &none,
            );
        }
        "check_code" => {
            let result = (|| {
                let phone = PhoneNumber::parse("phone", v["phone"].as_str().unwrap())?;
                esms_account(v).encode_check_code(&phone, v["code"].as_str().unwrap())
            })();
            check_result(
                name,
                result.map(|r| request_json(&r)),
                expect,
                "request",
                &none,
            );
        }
        "decode_check_code" => {
            let result = esms::decode_check_code(&response_of(&v["response"]));
            check_result(
                name,
                result,
                expect,
                "check_code",
                &Idempotency::NotIdempotent,
            );
        }
        "interits_zns_message" => {
            let result = (|| {
                account(v)?
                    .interits()?
                    .encode_zns_message(v["oa_id"].as_str().unwrap(), v["msg_id"].as_str().unwrap())
            })();
            check_result(
                name,
                result.map(|r| request_json(&r)),
                expect,
                "request",
                &none,
            );
        }
        "decode_zns_message" => {
            let result = interits::decode_zns_message(&response_of(&v["response"]));
            check_result(name, result, expect, "zns_message", &none);
        }
        "lookup" => {
            let result = (|| {
                let lookup = esms::EsmsLookup::from_json(&v["lookup"].to_string())?;
                esms_account(v).encode_lookup(&lookup)
            })();
            check_result(
                name,
                result.map(|r| request_json(&r)),
                expect,
                "request",
                &none,
            );
        }
        "decode_lookup" => {
            let lookup: esms::EsmsLookup = serde_json::from_value(v["lookup"].clone()).unwrap();
            let result = esms::decode_lookup(&lookup, &response_of(&v["response"]));
            check_result(name, result, expect, "answer", &none);
        }
        "decode_zns_bulk" => {
            let account = account(v).unwrap();
            let msg = MessageInput::from_json(&v["message"].to_string())
                .unwrap()
                .validate()
                .unwrap();
            let now = Timestamp::parse_rfc3339("now", v["now"].as_str().unwrap()).unwrap();
            let request = account.encode_send(&msg, now).unwrap();
            let result = esms::decode_zns_bulk(&request, &response_of(&v["response"]));
            check_result(name, result, expect, "receipt", &request.idempotency);
        }
        "decode_send" => {
            let provider = provider_of(v);
            let result = providers::decode_send(provider, &response_of(&v["response"]));
            check_result(name, result, expect, "receipt", &send_idempotency(provider));
        }
        "balance" => assert_eq!(
            request_json(&esms_account(v).encode_balance()),
            expect["request"],
            "{name}"
        ),
        "send_status" => {
            let id = esms::SmsId::new(v["sms_id"].as_str().unwrap()).unwrap();
            assert_eq!(
                request_json(&esms_account(v).encode_send_status(&id)),
                expect["request"],
                "{name}"
            );
        }
        "receiver_status" => {
            let id = esms::SmsId::new(v["sms_id"].as_str().unwrap()).unwrap();
            assert_eq!(
                request_json(&esms_account(v).encode_receiver_status(&id)),
                expect["request"],
                "{name}"
            );
        }
        "sent_data" => {
            let w = &v["window"];
            let query =
                |key: &str| Timestamp::parse_rfc3339(key, w[key].as_str().unwrap()).unwrap();
            let number = |key: &str| u32::try_from(w[key].as_u64().unwrap()).unwrap();
            let window = esms::SentDataQuery {
                sms_type: esms::EsmsSmsType::from_code(w["sms_type"].as_i64().unwrap()),
                from: query("from"),
                to: query("to"),
                page: number("page"),
                page_size: number("page_size"),
            };
            check_result(
                name,
                esms_account(v)
                    .encode_sent_data(&window)
                    .map(|r| request_json(&r)),
                expect,
                "request",
                &none,
            );
        }
        "decode_balance" => check_result(
            name,
            esms::decode_balance(&response_of(&v["response"])),
            expect,
            "balance",
            &none,
        ),
        "decode_send_status" => check_result(
            name,
            esms::decode_send_status(&response_of(&v["response"])),
            expect,
            "send_status",
            &none,
        ),
        "decode_receiver_status" => check_result(
            name,
            esms::decode_receiver_status(&response_of(&v["response"])),
            expect,
            "receivers",
            &none,
        ),
        "decode_sent_data" => check_result(
            name,
            esms::decode_sent_data(&response_of(&v["response"])),
            expect,
            "sent_data",
            &none,
        ),
        "delivery_report" => {
            let report = esms::parse_delivery_report(v["query"].as_str().unwrap());
            assert_eq!(
                serde_json::to_value(report).unwrap(),
                expect["report"],
                "{name}"
            );
        }
        "interits_callback" => {
            check_result(
                name,
                interits::parse_callback(v["body"].as_str().unwrap().as_bytes()),
                expect,
                "callback",
                &none,
            );
        }
        "phone" => match PhoneNumber::parse("phone", v["input"].as_str().unwrap()) {
            Ok(p) => {
                let actual = json!({"national": p.national(), "international": p.format(nhantin_core::PhoneFormat::International),
                    "e164": p.format(nhantin_core::PhoneFormat::E164), "carrier": p.carrier()});
                assert_eq!(&actual, expect, "{name}");
            }
            Err(err) => check_error(name, &err, &expect["error"], &none),
        },
        "text" => {
            let input = v["input"].as_str().unwrap();
            let mut actual = serde_json::to_value(analyze(input)).unwrap();
            actual["stripped"] = json!(strip_diacritics(input));
            subset(name, &actual, expect);
        }
        other => panic!("{name}: unknown operation {other}"),
    }
}

#[test]
fn every_shared_vector_replays() {
    let files = vector_files();
    assert!(files.len() >= 170, "only {} vectors found", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let name = format!(
            "{}/{}",
            file.parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy(),
            file.file_stem().unwrap().to_string_lossy()
        );
        let v: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        if let Err(panic) = std::panic::catch_unwind(|| replay(&name, &v)) {
            let text = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{name}: {text}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
    println!("{} vectors replayed", files.len());
}
