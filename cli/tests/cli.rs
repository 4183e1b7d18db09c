//! Runs the `nhantin` binary: the demo, encode/decode/callback output and exit codes.

use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn nhantin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nhantin"))
        .args(args)
        .env_remove("NHANTIN_ESMS_API_KEY")
        .env_remove("NHANTIN_ESMS_SECRET_KEY")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stdout_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn demo_sends_through_every_endpoint() {
    let out = nhantin(&["demo"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for endpoint in [
        "SendMultipleMessage_V4_post_json/ (OTP)",
        "SendMultipleMessage_V4_post_json/ (fixed number)",
        "SendMultipleMessage_V4/ (XML customer care)",
        "SendMultipleSMSBrandname (XML advertising)",
        "SendMultipleSMSBrandname_json/ (advertising)",
        "SendMultipleMessage_V4_get (fixed number)",
        "Send_Multiple_Sms_OTT/ (Viber)",
        "SendZaloMessage_V6/ (Zalo ZNS)",
        "SendZaloMessage_V6/ (ZNS, no Zalo)",
        "Send_zns_bulk_v4_post_json/ (bulk ZNS)",
        "MultiChannelMessage/ (ZNS, then SMS)",
        "SendMessageAutoGenCode_V4_get (generated OTP)",
        "CheckCodeGen_V4_get (first)",
        "CheckCodeGen_V4_get (again)",
        "CareSoft /{domain}/api/v1/zalo/zns",
        "InterITS /api/vendor/v1/zalo/send-zns",
        "CareSoft /{domain}/api/v1/sms",
        "InterITS /api/vendor/v1/sms/send-message",
        "GetBalance_json",
        "GetSendStatus",
        "GetSmsReceiverStatus_get",
        "ZNS/GetQuota/",
        "GetTemplate/ (normal)",
        "QueryZnsStatus/ (bulk, 1st accepted)",
    ] {
        let row = text
            .lines()
            .find(|l| l.contains(endpoint))
            .unwrap_or_else(|| panic!("no row for {endpoint}:\n{text}"));
        assert!(!row.contains("FAILED"), "{row}");
    }
    assert!(
        text.contains("24 endpoint calls, 24 ok; the emulator recorded 17 accepted message(s)"),
        "{text}"
    );
    assert!(
        !text.contains("DEMO_ESMS_SECRET_KEY") && !text.contains("0912345678"),
        "secrets and phones are masked:\n{text}"
    );
    let report_rows = text.lines().filter(|l| l.contains("report(s):")).count();
    assert_eq!(
        report_rows, 10,
        "every eSMS send got its delivery report:\n{text}"
    );
    // The ZNS to a phone without Zalo is accepted, then reported failed with Zalo's -118.
    let no_zalo = text.lines().find(|l| l.contains("(ZNS, no Zalo)")).unwrap();
    assert!(
        no_zalo.contains("0 delivered, 1 failed, Zalo error -118"),
        "{no_zalo}"
    );
    // Multi-channel to that phone: the ZNS leg failed and eSMS's SMS leg arrived.
    let fallback = text
        .lines()
        .find(|l| l.contains("(ZNS, then SMS)"))
        .unwrap();
    assert!(
        fallback.contains("| ZNS leg failed (Zalo error -118), SMS leg delivered "),
        "{fallback}"
    );
    // The bulk ZNS: the recipient whose name is over the template's 30 characters is refused,
    // the two others accepted and delivered.
    let row = |label: &str| {
        text.lines()
            .find(|l| l.contains(label))
            .unwrap_or_else(|| panic!("no row {label}:\n{text}"))
    };
    let bulk = row("(bulk ZNS)");
    assert!(
        bulk.contains("→ 091****678, 098****321 +1; template 301122, 2 param(s) per recipient")
            && bulk.contains("| 2 of 3 accepted, 1 refused (790) ")
            && bulk.contains("| 2 report(s): 2 delivered, 0 failed "),
        "{bulk}"
    );
    // Every ZNS the emulator accepted counted against the OA's daily 500: the single ZNS, the
    // one to a phone without Zalo, the two bulk recipients and the multi-channel ZNS leg.
    assert!(
        row("ZNS/GetQuota/").contains("| remaining 495 of the daily 500 (5 used) "),
        "{text}"
    );
    assert!(
        row("GetTemplate/ (normal)").contains(
            "| 3 template(s): 301122 (2 param(s)), 205644 (1 param(s)), 301199 (2 param(s)) "
        ),
        "{text}"
    );
    // Looked up after its delivery report arrived: Zalo's outcome is out.
    assert!(
        row("QueryZnsStatus/").contains("| sent to Zalo (final), Zalo msg id "),
        "{text}"
    );
    // The generated code checks once.
    for (row, verdict) in [("(first)", "code Valid"), ("(again)", "code Invalid")] {
        let line = text.lines().find(|l| l.contains(row)).unwrap();
        assert!(line.contains(verdict), "{line}");
    }

    let json = stdout_json(&nhantin(&["demo", "--json"]));
    assert_eq!(json["rows"].as_array().unwrap().len(), 24);
    let rows = json["rows"].as_array().unwrap();
    let bulk = rows
        .iter()
        .find(|r| r["endpoint"] == "eSMS Send_zns_bulk_v4_post_json/ (bulk ZNS)")
        .unwrap();
    let results: Vec<&str> = bulk["outcome"]["receipt"]["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["result"]["status"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["accepted", "refused", "accepted"], "{bulk:#}");
    assert_eq!(
        bulk["outcome"]["receipt"]["recipients"][1]["result"]["code"],
        "790"
    );
    let quota = rows
        .iter()
        .find(|r| r["endpoint"] == "eSMS ZNS/GetQuota/")
        .unwrap();
    assert_eq!(
        quota["outcome"],
        serde_json::json!({"zns_quota": {"daily": 500, "remaining": 495}})
    );
    assert!(json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["ok"] == true));
}

#[test]
fn encode_prints_the_exact_request_with_secrets_masked() {
    let base = [
        "encode",
        "--provider",
        "esms",
        "--api-key",
        "KEY-1",
        "--secret-key",
        "SEC-2",
        "--kind",
        "otp",
        "--to",
        "+84 912 345 678",
        "--text",
        "Mã OTP 1",
        "--sender",
        "NHANTIN",
        "--request-id",
        "cli-1",
        "--now",
        "2026-11-24T02:00:00Z",
    ];
    let out = nhantin(&base);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = stdout_json(&out);
    assert_eq!(
        json["url"],
        "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/"
    );
    assert_eq!(
        json["body"],
        r#"{"ApiKey":"***","SecretKey":"***","Phone":"0912345678","Content":"Mã OTP 1","Brandname":"NHANTIN","SmsType":"2","IsUnicode":"1","Sandbox":"0","RequestId":"cli-1"}"#
    );
    assert_eq!(
        (
            json["idempotency_key"].as_str(),
            json["idempotent"].as_bool()
        ),
        (Some("cli-1"), Some(true))
    );
    let shown = stdout_json(&nhantin(&[&base[..], &["--show-secrets"]].concat()));
    assert!(shown["body"]
        .as_str()
        .unwrap()
        .contains(r#""ApiKey":"KEY-1""#));
}

#[test]
fn exit_codes_say_whose_fault_it_is() {
    let bad_phone = nhantin(&[
        "encode",
        "--provider",
        "esms",
        "--api-key",
        "K",
        "--secret-key",
        "S",
        "--to",
        "01662345678",
        "--text",
        "x",
        "--sender",
        "NHANTIN",
    ]);
    assert_eq!(bad_phone.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_phone.stderr).contains("036****678"));
    let missing_key = nhantin(&[
        "encode",
        "--provider",
        "esms",
        "--to",
        "0912345678",
        "--text",
        "x",
    ]);
    assert_eq!(missing_key.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing_key.stderr).contains("NHANTIN_ESMS_API_KEY"));

    let rejected = nhantin(&[
        "decode",
        "--provider",
        "esms",
        r#"{"CodeResult":"101","ErrorMessage":"Authorize Failed"}"#,
    ]);
    assert_eq!(rejected.status.code(), Some(3));
    assert_eq!(stdout_json(&rejected)["error"]["reason"], "unauthorized");
    let limited = nhantin(&[
        "decode",
        "--provider",
        "caresoft",
        "--status",
        "429",
        "--header",
        "Retry-After: 3",
        r#"{"code":"errors","message":"Too Many Attempts."}"#,
    ]);
    assert_eq!(limited.status.code(), Some(4));
    assert_eq!(stdout_json(&limited)["error"]["retry_after_secs"], 3);
    let unknown = nhantin(&[
        "decode",
        "--provider",
        "esms",
        "--status",
        "200",
        "<html>oops</html>",
    ]);
    assert_eq!(unknown.status.code(), Some(6));

    // Nothing listens on this port: a transport failure, safe to resend.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let base = format!("http://127.0.0.1:{port}");
    let refused = nhantin(&[
        "send",
        "--provider",
        "esms",
        "--api-key",
        "K",
        "--secret-key",
        "S",
        "--base-url",
        &base,
        "--allow-insecure-http",
        "--max-attempts",
        "1",
        "--kind",
        "otp",
        "--to",
        "0912345678",
        "--text",
        "x",
        "--sender",
        "NHANTIN",
    ]);
    assert_eq!(
        refused.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let insecure = nhantin(&[
        "send",
        "--provider",
        "esms",
        "--api-key",
        "K",
        "--secret-key",
        "S",
        "--base-url",
        &base,
        "--kind",
        "otp",
        "--to",
        "0912345678",
        "--text",
        "x",
        "--sender",
        "NHANTIN",
    ]);
    assert_eq!(
        insecure.status.code(),
        Some(2),
        "plain http needs --allow-insecure-http"
    );
}

#[test]
fn callback_decodes_reports() {
    let out = nhantin(&["callback", "https://erp.example.vn/dlr?SMSID=abc&SendStatus=5&SendSuccess=1&TypeId=2&telcoid=1&phonenumber=0901888484"]);
    let report = &stdout_json(&out)["report"];
    assert_eq!(
        (
            report["sms_id"].as_str(),
            report["telco"].as_str(),
            report["send_success"].as_i64()
        ),
        (Some("abc"), Some("viettel"), Some(1))
    );
    let out = nhantin(&[
        "callback",
        "--interits",
        r#"{"msisdn":"84901234567","requestId":"r","status":1,"referentId":"x","retryCount":0,"sendTime":"t"}"#,
    ]);
    assert_eq!(stdout_json(&out)["callback"]["referent_id"], "x");
}

#[test]
fn emulator_command_prints_its_address_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nhantin"))
        .args(["emulator", "--port", "0", "--stop-on-stdin-eof"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.as_mut().unwrap()),
        &mut line,
    )
    .unwrap();
    let info: Value = serde_json::from_str(&line).unwrap();
    let esms = info["esms"].as_str().unwrap().to_owned();
    let out = nhantin(&[
        "send",
        "--provider",
        "esms",
        "--api-key",
        "DEMO_ESMS_API_KEY",
        "--secret-key",
        "DEMO_ESMS_SECRET_KEY",
        "--base-url",
        &esms,
        "--allow-insecure-http",
        "--kind",
        "otp",
        "--to",
        "0912345678",
        "--text",
        "x",
        "--sender",
        "NHANTIN",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout_json(&out)["batches"][0]["outcome"]["status"],
        "accepted"
    );
    drop(child.stdin.take()); // EOF: the emulator stops
    assert!(child.wait().unwrap().success());
}
