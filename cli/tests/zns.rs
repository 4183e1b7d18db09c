//! `nhantin lookup` and `nhantin send --kind zns-bulk` against the loopback emulator: every
//! lookup in words and in core's JSON, their exit codes, and a personalised bulk ZNS reported
//! per recipient with the exit code of how the recipients ended. The emulator's records are the
//! judge of what was sent.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use nhantin_core::esms::zns_bulk_recipient_id;
use nhantin_core::PhoneNumber;
use nhantin_emulator::{
    Emulator, EmulatorConfig, Endpoint, Fault, Leg, Reference, DEMO_ESMS_API_KEY,
    DEMO_ESMS_SECRET_KEY, DEMO_MULTICHANNEL_TEMPLATE_ID, DEMO_PHONE_WITHOUT_ZALO, DEMO_ZALO_OA_ID,
    DEMO_ZNS_OTP_TEMPLATE_ID, DEMO_ZNS_TEMPLATE_ID,
};
use serde_json::{json, Value};

/// An emulator whose ZNS outcomes stay pending until the test moves its clock.
fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig {
        delivery_report_delay: Duration::from_secs(60),
        ..EmulatorConfig::default()
    })
    .unwrap()
}

/// Runs `nhantin <command> --provider esms --base-url <emulator> … <args>`, the keys in the
/// environment.
fn run(em: &Emulator, command: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nhantin"))
        .args([command, "--provider", "esms", "--allow-insecure-http"])
        .args(["--base-url", &em.esms_base_url()])
        .args(args)
        .env("NHANTIN_ESMS_API_KEY", DEMO_ESMS_API_KEY)
        .env("NHANTIN_ESMS_SECRET_KEY", DEMO_ESMS_SECRET_KEY)
        .env("NO_PROXY", "127.0.0.1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn lookup(em: &Emulator, args: &[&str]) -> Output {
    run(em, "lookup", args)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(out), stderr(out)))
}

/// Succeeded, and printed exactly `expected`.
fn assert_prints(out: &Output, expected: &str) {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    assert_eq!(stdout(out), expected);
}

/// Failed with `code`, saying `says` on standard error.
fn assert_fails(out: &Output, code: i32, says: &str) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}\n{}",
        stdout(out),
        stderr(out)
    );
    assert!(
        stderr(out).contains(says),
        "{:?} lacks {says:?}",
        stderr(out)
    );
}

const OA: &str = DEMO_ZALO_OA_ID;

#[test]
fn every_lookup_answers_in_words_and_in_core_json() {
    let em = emulator();
    assert_prints(
        &lookup(&em, &["zalo-oas"]),
        "2 OA(s)\n  1234567890123456789 \"NhanTin Demo OA\"\n  9876543210987654321 \"NhanTin Demo OA (mode 3)\"\n",
    );
    assert_eq!(
        json(&lookup(&em, &["zalo-oas", "--json"])),
        json!({"zalo_oas": [{"id": OA, "name": "NhanTin Demo OA"}, {"id": "9876543210987654321", "name": "NhanTin Demo OA (mode 3)"}]})
    );

    let brandnames = lookup(&em, &["brandnames"]);
    assert_prints(
        &brandnames,
        "6 brandname(s)\n  NHANTIN (type 1, advertising)\n  NHANTIN (type 2, customer care)\n  NHANTIN (type 23, viber)\n  Baotrixemay (type 1, advertising)\n  Baotrixemay (type 2, customer care)\n  Baotrixemay (type 23, viber)\n",
    );
    assert_eq!(
        json(&lookup(&em, &["brandnames", "--json"]))["brandnames"][1],
        json!({"name": "NHANTIN", "sms_type": 2})
    );

    let templates = ["zns-templates", "--oa-id", OA, "--template-kind", "normal"];
    assert_prints(
        &lookup(&em, &templates),
        "3 template(s)\n  301122 \"Xac nhan don hang\": customer_name (at most 30, type_text), order_code (at most 20, type_text)\n  205644 \"Ma OTP\": otp (at most 10, type_text)\n  301199 \"Hanh trinh don hang\": order_code (at most 20, type_text), delivery_time (at most 30, type_text)\n",
    );
    let listed = json(&lookup(&em, &[&templates[..], &["--json"]].concat()));
    assert_eq!(listed["zns_templates"][0]["id"], DEMO_ZNS_TEMPLATE_ID);
    assert_eq!(
        listed["zns_templates"][0]["params"][1],
        json!({"name": "order_code", "position": 2, "max_length": 20, "kind": "type_text"})
    );

    let info = [
        "zns-template-info",
        "--oa-id",
        OA,
        "--template",
        DEMO_ZNS_OTP_TEMPLATE_ID,
    ];
    assert_prints(
        &lookup(&em, &info),
        "template 205644 \"Ma OTP\": status ENABLE, tag OTP, quality UNDEFINED, timeout 15000\n  reason: Approved by Zalo\n  param otp: STRING, 0 to 10 characters, required, not empty\n  preview: https://zns-preview.invalid/1234567890123456789/205644\n",
    );
    let info = json(&lookup(&em, &[&info[..], &["--json"]].concat()));
    assert_eq!(
        (
            &info["zns_template_info"]["tag"],
            &info["zns_template_info"]["params"][0]["max_length"]
        ),
        (&json!("OTP"), &json!(10))
    );

    let quota = ["zns-quota", "--oa-id", OA];
    assert_prints(&lookup(&em, &quota), "remaining 500 of the daily 500\n");

    // A ZNS sent, then followed: the quota goes down; its status is pending until its report
    // is due, then sent, with Zalo's id to follow it to the phone.
    let sent = run(
        &em,
        "send",
        &[
            "--kind",
            "zns",
            "--to",
            "0912345678",
            "--oa-id",
            OA,
            "--template",
            DEMO_ZNS_TEMPLATE_ID,
            "--param",
            "customer_name=Trần Thị Bình",
            "--param",
            "order_code=DH20931",
            "--json",
        ],
    );
    assert_eq!(sent.status.code(), Some(0), "{}", stderr(&sent));
    let sms_id = json(&sent)["batches"][0]["outcome"]["receipt"]["reference"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        json(&lookup(&em, &[&quota[..], &["--json"]].concat())),
        json!({"zns_quota": {"daily": 500, "remaining": 499}})
    );
    let status = [
        "zns-status",
        "--sms-id",
        &sms_id,
        "--template-kind",
        "normal",
    ];
    let pending = lookup(&em, &status);
    assert_prints(
        &pending,
        &format!("SMSID {sms_id}: pending: not sent to Zalo yet; may still change\n  SendStatus 2, 0 delivered, 0 failed, 0 VND\n"),
    );
    em.advance_clock(Duration::from_secs(120));
    let done = json(&lookup(&em, &[&status[..], &["--json"]].concat()));
    let done = &done["zns_status"];
    assert_eq!(
        (&done["state"], &done["is_final"]),
        (&json!("sent"), &json!(true))
    );
    let zalo_id = done["zalo_message_id"].as_str().unwrap().to_owned();
    let text = stdout(&lookup(&em, &status));
    assert!(
        text.starts_with(&format!("SMSID {sms_id}: sent: Zalo took it; final\n  Zalo message id {zalo_id} (`nhantin lookup zalo-message-status --message-id {zalo_id}`)\n")),
        "{text}"
    );
    let message = [
        "zalo-message-status",
        "--oa-id",
        OA,
        "--message-id",
        &zalo_id,
    ];
    let delivered = json(&lookup(&em, &[&message[..], &["--json"]].concat()));
    assert_eq!(
        delivered["zalo_message_status"]["delivery"], "delivered",
        "{delivered:#}"
    );
    let text = stdout(&lookup(&em, &message));
    assert!(text.starts_with("delivered to the phone at 20"), "{text}");
}

#[test]
fn lookup_exit_codes_come_from_the_one_classification() {
    let em = emulator();
    // An SMSID eSMS does not know: 854, a refusal (3), with --json the error on stdout.
    let unknown = [
        "zns-status",
        "--sms-id",
        "no-such-id",
        "--template-kind",
        "normal",
    ];
    assert_fails(&lookup(&em, &unknown), 3, "code 854");
    let out = lookup(&em, &[&unknown[..], &["--json"]].concat());
    assert_eq!(out.status.code(), Some(3));
    let error = &json(&out)["error"];
    assert_eq!(
        (&error["code"], &error["class"], &error["reason"]),
        (&json!("854"), &json!("rejected"), &json!("not_found"))
    );
    // An OA the account does not have: 204.
    assert_fails(
        &lookup(&em, &["zns-quota", "--oa-id", "5555555555555555555"]),
        3,
        "code 204",
    );
    // Wrong keys: 101.
    let wrong = lookup(&em, &["zalo-oas", "--api-key", "WRONG", "--json"]);
    assert_eq!(wrong.status.code(), Some(3));
    assert_eq!(json(&wrong)["error"]["reason"], "unauthorized");
    assert!(!stdout(&wrong).contains("WRONG") && !stderr(&wrong).contains("WRONG"));

    // Invalid input: nothing is sent (2).
    assert_fails(&lookup(&em, &["zns-quota"]), 2, "zns-quota needs --oa-id");
    assert_fails(
        &lookup(&em, &["zns-template-info", "--oa-id", OA]),
        2,
        "zns-template-info needs --template",
    );
    assert_fails(
        &lookup(&em, &["zns-templates", "--oa-id", OA]),
        2,
        "zns-templates needs --template-kind",
    );
    assert_fails(
        &lookup(&em, &["zns-quota", "--oa-id", OA, "--sms-id", "x"]),
        2,
        "zns-quota does not take --sms-id; it takes --oa-id",
    );
    assert_fails(
        &lookup(&em, &["zalo-oas", "--oa-id", OA]),
        2,
        "zalo-oas takes no flags; --oa-id given",
    );
    assert_fails(&lookup(&em, &["zns-quota", "--oa-id", "12ab"]), 2, "oa_id");
    assert_fails(
        &lookup(
            &em,
            &["zalo-message-status", "--oa-id", OA, "--message-id", "a b"],
        ),
        2,
        "message_id",
    );
    assert_fails(
        &lookup(
            &em,
            &["zns-templates", "--oa-id", OA, "--template-kind", "urgent"],
        ),
        2,
        "urgent",
    );
    assert_fails(
        &lookup(&em, &["zns-quot"]),
        2,
        "a similar value exists: 'zns-quota'",
    );
    let caresoft = Command::new(env!("CARGO_BIN_EXE_nhantin"))
        .args(["lookup", "--provider", "caresoft", "--domain", "demo"])
        .args(["--token", "T", "--service-id", "12", "zalo-oas"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_fails(&caresoft, 2, "it is an eSMS API");

    // Nothing listens: a transport failure, nothing reached anyone (5).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = Command::new(env!("CARGO_BIN_EXE_nhantin"))
        .args(["lookup", "--provider", "esms", "--allow-insecure-http"])
        .args(["--base-url", &format!("http://127.0.0.1:{port}")])
        .args([
            "--api-key",
            "TEST-API-KEY-0001",
            "--secret-key",
            "TEST-SECRET-0001",
            "--max-attempts",
            "1",
        ])
        .arg("brandnames")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(em.messages().is_empty(), "a lookup sends nothing");
}

#[test]
fn lookup_offers_exactly_cores_lookups() {
    let out = Command::new(env!("CARGO_BIN_EXE_nhantin"))
        .args(["lookup", "--help"])
        .output()
        .unwrap();
    let help = stdout(&out);
    assert!(
        help.contains("[possible values: zns-templates, zns-template-info, zalo-oas, zns-quota, zns-status, zalo-message-status, brandnames]"),
        "{help}"
    );
}

/// A scratch directory for CSV files.
fn scratch(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let dir = std::env::temp_dir().join(format!(
        "nhantin-zns-bulk-{name}-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn bulk(em: &Emulator, csv: &Path, extra: &[&str]) -> Output {
    let csv = csv.to_str().unwrap();
    run(
        em,
        "send",
        &[
            &[
                "--kind",
                "zns-bulk",
                "--oa-id",
                OA,
                "--template",
                DEMO_ZNS_TEMPLATE_ID,
                "--csv",
                csv,
            ][..],
            extra,
        ]
        .concat(),
    )
}

/// The SMSID the emulator accepted the ZNS to `phone` under.
fn sms_id(em: &Emulator, phone: &str) -> String {
    let found: Vec<String> = em
        .messages()
        .into_iter()
        .filter(|m| m.recipients == [phone])
        .filter_map(|m| match m.reference {
            Reference::EsmsSmsId { sms_id, .. } => Some(sms_id),
            _ => None,
        })
        .collect();
    assert_eq!(found.len(), 1, "{phone} was accepted once");
    found[0].clone()
}

fn id(base: &str, phone: &str) -> String {
    zns_bulk_recipient_id(base, &PhoneNumber::parse("phone", phone).unwrap())
        .unwrap()
        .to_string()
}

/// Over the template's 30-character limit for `customer_name`: eSMS refuses it (790).
const TOO_LONG: &str = "Công ty TNHH Thương mại Dịch vụ Bình Minh";

#[test]
fn a_bulk_zns_reports_each_recipient_and_exits_8_when_they_ended_differently() {
    let em = emulator();
    let dir = scratch("partial");
    let csv = write(
        &dir,
        "rows.csv",
        &format!("phone,customer_name,order_code\n0912345678,Trần Thị Bình,DH20931\n\"0987 654 321\",{TOO_LONG},DH20932\n+84765418062,Lê Văn An,DH20933\n"),
    );
    let out = bulk(&em, &csv, &["--request-id", "t-bulk-1"]);
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert_eq!(
        em.messages().len(),
        2,
        "the two valid recipients, once each"
    );
    assert_eq!(
        stdout(&out),
        format!(
            "bulk ZNS of template 301122 from OA 1234567890123456789 to 3 recipient(s), request id t-bulk-1
  line 2 (091****678, id {}): accepted, SMSID {}
  line 3 (098****321, id {}): refused (eSMS 790, template_mismatch): Template data does not match the ZNS template
  line 4 (076****062, id {}): accepted, SMSID {}
3 recipient(s): 2 accepted, 1 rejected
",
            id("t-bulk-1", "0912345678"),
            sms_id(&em, "0912345678"),
            id("t-bulk-1", "0987654321"),
            id("t-bulk-1", "0765418062"),
            sms_id(&em, "0765418062"),
        )
    );
    assert!(
        stderr(&out).starts_with("nhantin: partial: 2 of 3 recipients accepted."),
        "{}",
        stderr(&out)
    );
    // No phone, key or secret in what it prints.
    let shown = format!("{}{}", stdout(&out), stderr(&out));
    for leak in [
        "912345678",
        "987654321",
        "765418062",
        DEMO_ESMS_API_KEY,
        DEMO_ESMS_SECRET_KEY,
    ] {
        assert!(!shown.contains(leak), "shows {leak}:\n{shown}");
    }
    // Each accepted recipient counted against the OA's quota.
    assert_prints(
        &lookup(&em, &["zns-quota", "--oa-id", OA]),
        "remaining 498 of the daily 500\n",
    );

    // The same command again sends nobody twice: the two sent before are answered 124 (their
    // ids repeat), so already submitted, never "refused"; the refused one is refused again.
    let again = bulk(&em, &csv, &["--request-id", "t-bulk-1", "--json"]);
    assert_eq!(again.status.code(), Some(8), "{}", stderr(&again));
    assert_eq!(em.messages().len(), 2);
    let report = json(&again);
    let statuses: Vec<&Value> = report["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["result"]["status"])
        .collect();
    assert_eq!(
        statuses,
        [
            &json!("already_submitted"),
            &json!("refused"),
            &json!("already_submitted")
        ]
    );
    assert_eq!(report["recipients"][1]["result"]["code"], "790");
    assert_eq!(report["counts"]["rejected"], 1);
    assert_eq!(report["counts"]["already_submitted"], 2);
    assert_eq!(report["recipients"][0]["phone"], "091****678");
    assert_eq!(
        report["recipients"][0]["request_id"],
        id("t-bulk-1", "0912345678")
    );
    assert!(!again.stdout.windows(9).any(|w| w == b"912345678"));
}

#[test]
fn a_bulk_zns_all_accepted_exits_0_and_a_longer_rerun_sends_only_the_new_row() {
    let em = emulator();
    let dir = scratch("accepted");
    let two = "phone,customer_name,order_code\n0912345678,Trần Thị Bình,DH20931\n0987654321,Lê Văn An,DH20932\n";
    let csv = write(&dir, "two.csv", two);
    let out = bulk(&em, &csv, &["--request-id", "t-bulk-2"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).ends_with("\n2 recipient(s): 2 accepted\n"),
        "{}",
        stdout(&out)
    );
    assert_eq!(stderr(&out), "");

    // A row added and the file rerun under the same base: only the new row is sent.
    let three = write(
        &dir,
        "three.csv",
        &format!("{two}0765418062,Phạm Thu Hà,DH20933\n"),
    );
    let out = bulk(&em, &three, &["--request-id", "t-bulk-2", "--json"]);
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(
        report["counts"],
        json!({"accepted": 1, "rejected": 0, "already_submitted": 2, "outcome_unknown": 0,
            "rate_limited": 0, "not_sent": 0, "invalid_input": 0})
    );
    assert_eq!(report["recipients"][2]["class"], "accepted");
    assert_eq!(
        report["recipients"][2]["result"]["sms_id"],
        sms_id(&em, "0765418062")
    );
    assert_eq!(report["recipients"][0]["class"], "already_submitted");
    let text = report["recipients"][0]["message"].as_str().unwrap();
    assert!(
        text.starts_with("already submitted: not sent again"),
        "{text}"
    );
    assert_eq!(report["request_id"], "t-bulk-2");
    assert_eq!(
        em.messages().len(),
        3,
        "each of the three sent exactly once"
    );

    // Without --request-id the base is derived from the content, and said to be.
    let four = write(
        &dir,
        "four.csv",
        "phone,customer_name,order_code\n0901888484,Đỗ Minh,DH20934\n",
    );
    let out = bulk(&em, &four, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let first = stdout(&out).lines().next().unwrap().to_owned();
    assert!(
        first.starts_with("bulk ZNS of template 301122 from OA 1234567890123456789 to 1 recipient(s), request id z-")
            && first.ends_with(" (derived from the content: an edited CSV gets new ids; pass --request-id to keep them)"),
        "{first}"
    );
}

#[test]
fn a_csv_whose_columns_do_not_match_the_template_is_refused_before_anything_is_sent() {
    let em = emulator();
    let dir = scratch("columns");
    let row = "0912345678,Trần Thị Bình,DH20931\n";
    for (name, text, says) in [
        (
            "order.csv",
            "phone,order_code,customer_name\n0912345678,DH20931,Trần Thị Bình\n".to_owned(),
            "after `phone` are order_code, customer_name; template 301122 takes customer_name, order_code, in that order (eSMS takes the values by position); nothing was sent",
        ),
        (
            "missing.csv",
            "phone,customer_name\n0912345678,Trần Thị Bình\n".to_owned(),
            "after `phone` are customer_name; template 301122 takes customer_name, order_code",
        ),
        (
            "extra.csv",
            "phone,customer_name,order_code,note\n0912345678,Bình,DH1,VIP\n".to_owned(),
            "after `phone` are customer_name, order_code, note; template 301122 takes customer_name, order_code",
        ),
        (
            "nophone.csv",
            format!("tel,customer_name,order_code\n{row}"),
            "the header has no `phone` column (columns: tel, customer_name, order_code); nothing was sent",
        ),
        (
            "onlyphone.csv",
            "phone\n0912345678\n".to_owned(),
            "the header has no parameter columns",
        ),
        (
            "twice.csv",
            format!("phone,customer_name,customer_name\n{row}"),
            "the header names column `customer_name` twice",
        ),
        (
            "rows.csv",
            format!("phone,customer_name,order_code\n{row}0987654321,Lê Văn An\n0912 345 678,Bình,DH2\n0912345x,An,DH3\n"),
            "3 of 4 rows of",
        ),
    ] {
        let csv = write(&dir, name, &text);
        let out = bulk(&em, &csv, &[]);
        assert_fails(&out, 2, says);
        assert_eq!(stdout(&out), "", "{name}");
    }
    // Every bad row is listed, with its line; phones masked.
    let out = bulk(&em, &dir.join("rows.csv"), &[]);
    let err = stderr(&out);
    for line in [
        "  line 3: invalid csv: has 2 fields; the header has 3",
        "  line 4: invalid phone: 091****678 is the same number as on line 2; it would receive the message twice",
        "  line 5: invalid phone: ",
    ] {
        assert!(err.contains(line), "{line:?} not in:\n{err}");
    }
    assert!(!err.contains("912345"), "{err}");
    // A template the OA does not have.
    let csv = write(
        &dir,
        "ok.csv",
        &format!("phone,customer_name,order_code\n{row}"),
    );
    let out = run(
        &em,
        "send",
        &[
            "--kind",
            "zns-bulk",
            "--oa-id",
            OA,
            "--template",
            "999",
            "--csv",
            csv.to_str().unwrap(),
        ],
    );
    assert_fails(
        &out,
        2,
        "template 999 is not among the ZNS templates of OA 1234567890123456789",
    );
    assert!(em.messages().is_empty(), "nothing was sent");
}

#[test]
fn a_bulk_zns_refuses_the_flags_it_does_not_take() {
    let em = emulator();
    let dir = scratch("flags");
    let csv = write(
        &dir,
        "rows.csv",
        "phone,customer_name,order_code\n0912345678,Trần Thị Bình,DH20931\n",
    );
    let journal = dir.join("j.jsonl");
    let out = bulk(
        &em,
        &csv,
        &["--journal", journal.to_str().unwrap(), "--campaign", "c1"],
    );
    assert_fails(
        &out,
        2,
        "--journal, --campaign are for campaigns of one message per row; a bulk ZNS is one message",
    );
    assert!(!journal.exists(), "no journal written");
    assert_fails(
        &bulk(&em, &csv, &["--skip-invalid"]),
        2,
        "--skip-invalid is for campaigns",
    );
    assert_fails(
        &bulk(&em, &csv, &["--param", "customer_name=A"]),
        2,
        "--param, --zalo-user-id, --hash-phone and --journey-order-id are for --kind zns",
    );
    assert_fails(
        &bulk(&em, &csv, &["--text", "x"]),
        2,
        "a bulk ZNS has no --text or --sender",
    );
    assert_fails(
        &bulk(&em, &csv, &["--request-id", &"r".repeat(34)]),
        2,
        "is 34 characters; a bulk ZNS appends -<16 hex digits> per recipient, so use at most 33",
    );
    let out = run(
        &em,
        "send",
        &[
            "--kind",
            "zns-bulk",
            "--oa-id",
            OA,
            "--template",
            DEMO_ZNS_TEMPLATE_ID,
            "--to",
            "0912345678",
        ],
    );
    assert_fails(&out, 2, "from --csv FILE");
    let out = run(
        &em,
        "send",
        &[
            "--kind",
            "zns-bulk",
            "--template",
            DEMO_ZNS_TEMPLATE_ID,
            "--csv",
            csv.to_str().unwrap(),
        ],
    );
    assert_fails(&out, 2, "--kind zns-bulk needs --oa-id");
    // A campaign still needs its journal and id.
    let out = run(
        &em,
        "send",
        &[
            "--kind",
            "otp",
            "--sender",
            "NHANTIN",
            "--text",
            "Mã {customer_name}",
            "--csv",
            csv.to_str().unwrap(),
        ],
    );
    assert_fails(
        &out,
        2,
        "a campaign (--csv) needs --journal FILE and --campaign ID",
    );
    // encode has no CSV to read the recipients from.
    let out = Command::new(env!("CARGO_BIN_EXE_nhantin"))
        .args([
            "encode",
            "--provider",
            "esms",
            "--api-key",
            "K",
            "--secret-key",
            "S",
        ])
        .args([
            "--kind",
            "zns-bulk",
            "--to",
            "0912345678",
            "--oa-id",
            OA,
            "--template",
            "1",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_fails(&out, 2, "--kind zns-bulk takes its recipients");
    assert!(em.messages().is_empty(), "nothing was sent");
}

/// `--channels zalo,sms`: one `MultiChannelMessage/` whose legs carry the ZNS flags and the SMS
/// flags, each with its own id; to a phone without Zalo the ZNS fails and the SMS goes out.
#[test]
fn channels_zalo_sms_sends_the_zns_then_the_sms_when_zalo_cannot_deliver() {
    let em = emulator();
    let zns = [
        "--oa-id",
        OA,
        "--template",
        DEMO_ZNS_OTP_TEMPLATE_ID,
        "--param",
        "otp=482913",
        "--text",
        "482913 la ma xac thuc cua ban",
        "--sender",
        "NHANTIN",
    ];
    let out = run(
        &em,
        "send",
        &[
            &[
                "--kind",
                "otp",
                "--channels",
                "zalo,sms",
                "--to",
                DEMO_PHONE_WITHOUT_ZALO,
            ],
            &zns[..],
            &["--request-id", "otp-55"],
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let [message] = &em.messages()[..] else {
        panic!("one send: {:?}", em.messages())
    };
    assert_eq!(message.endpoint, Endpoint::EsmsMultiChannel);
    assert_eq!(
        stdout(&out),
        format!(
            "accepted: reference {} (request id otp-55, 1 attempt(s))\n",
            match &message.reference {
                Reference::EsmsSmsId { sms_id, .. } => sms_id,
                other => panic!("{other:?}"),
            }
        )
    );
    let legs = message.multichannel.as_ref().expect("both legs recorded");
    assert_eq!(legs.legs_sent, [Leg::Zns, Leg::Sms]);
    assert_eq!(legs.zns_leg.request_id.as_deref(), Some("otp-55.z"));
    assert_eq!(legs.sms_leg.request_id.as_deref(), Some("otp-55.s"));
    assert_eq!(legs.sms_leg.content, "482913 la ma xac thuc cua ban");
    assert_eq!(legs.sms_leg.brandname, "NHANTIN");
    assert_eq!(legs.sms_leg.delivered, Some(true));
    let zns_sent = message.zns.as_ref().expect("the ZNS leg");
    assert_eq!(zns_sent.template_id, DEMO_ZNS_OTP_TEMPLATE_ID);
    assert_eq!(zns_sent.params[0].value, "482913");

    // --kind zns with both channels is the same request, its SMS leg customer care.
    let encode = |kind: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_nhantin"))
            .args([
                "encode",
                "--provider",
                "esms",
                "--api-key",
                "TEST-API-KEY-0001",
                "--secret-key",
                "TEST-SECRET-0001",
            ])
            .args([
                "--kind",
                kind,
                "--channels",
                "zalo,sms",
                "--to",
                "0912345678",
            ])
            .args(zns)
            .args(["--request-id", "r1"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        json(&out)["body"].as_str().unwrap().to_owned()
    };
    let body = encode("zns");
    assert_eq!(
        body,
        r#"{"ApiKey":"***","SecretKey":"***","Phone":"0912345678","Channels":["zalo","sms"],"Data":[{"TempID":"205644","Params":["482913"],"OAID":"1234567890123456789","RequestId":"r1.z","Sandbox":"0"},{"Content":"482913 la ma xac thuc cua ban","IsUnicode":"0","SmsType":"2","Brandname":"NHANTIN","RequestId":"r1.s","Sandbox":"0"}]}"#
    );
    assert_eq!(encode("customer-care"), body);
    assert_eq!(encode("otp"), body);
    em.shutdown();
}

/// `--generate-code`: eSMS makes the code and sends it by SMS (or by the multi-channel
/// template); `nhantin check-code` answers valid once, then invalid with exit 9.
#[test]
fn a_generated_code_is_sent_and_checked_back_once() {
    let em = emulator();
    let out = run(
        &em,
        "send",
        &[
            "--kind",
            "otp",
            "--generate-code",
            "--to",
            "0912345678",
            "--text",
            "{OTP} la ma xac thuc cua ban",
            "--sender",
            "NHANTIN",
            "--code-length",
            "6",
            "--digits-only",
            "--time-alive",
            "5",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // No request id: the generated-code endpoints take none (D-Z25).
    assert!(
        stdout(&out).ends_with("(request id -, 1 attempt(s))\n"),
        "{}",
        stdout(&out)
    );
    let [message] = &em.messages()[..] else {
        panic!("one send: {:?}", em.messages())
    };
    assert_eq!(message.endpoint, Endpoint::EsmsAutoGenCodeV4Get);
    assert_eq!(message.request_id, None);
    let generated = message.generated_code.as_ref().expect("a generated code");
    assert_eq!(generated.time_alive_minutes, 5);
    assert!(generated.digits_only);
    assert_eq!(generated.code.len(), 6);
    assert!(generated.code.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(
        message.text.as_deref(),
        Some(format!("{} la ma xac thuc cua ban", generated.code).as_str())
    );

    let check = |phone: &str, json: bool| {
        let mut args = vec!["--to", phone, "--code", &generated.code];
        if json {
            args.push("--json");
        }
        run(&em, "check-code", &args)
    };
    assert_eq!(
        json(&check("0912345670", true)),
        json!({"code_check": "invalid"}),
        "another phone's code"
    );
    assert_prints(
        &check("+84 912 345 678", false),
        "valid: the code is 091****678's and unused\n",
    );
    let again = check("0912345678", false);
    assert_eq!(again.status.code(), Some(9), "{}", stderr(&again));
    assert_eq!(
        stdout(&again),
        "invalid: the code is used, expired or not 091****678's\n"
    );
    assert_eq!(
        json(&check("0912345678", true)),
        json!({"code_check": "invalid"})
    );

    // By Zalo then SMS: the account's multi-channel template carries both texts.
    em.reset();
    let out = run(
        &em,
        "send",
        &[
            "--kind",
            "otp",
            "--generate-code",
            "--channels",
            "zalo,sms",
            "--to",
            "0912345678",
            "--template",
            DEMO_MULTICHANNEL_TEMPLATE_ID,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let [message] = &em.messages()[..] else {
        panic!("one send: {:?}", em.messages())
    };
    assert_eq!(message.endpoint, Endpoint::EsmsAutoGenCodeV5);
    assert_eq!(
        message
            .multichannel
            .as_ref()
            .unwrap()
            .template_id
            .as_deref(),
        Some(DEMO_MULTICHANNEL_TEMPLATE_ID)
    );
    let code = &message.generated_code.as_ref().unwrap().code;
    assert_prints(
        &run(&em, "check-code", &["--to", "0912345678", "--code", code]),
        "valid: the code is 091****678's and unused\n",
    );
    em.shutdown();
}

/// Flags that do not fit `--kind`, `--channels` and `--generate-code` together are refused
/// with exit 2 before anything is sent, none silently ignored.
#[test]
fn channel_and_generated_code_flags_that_do_not_fit_are_refused_before_sending() {
    let em = emulator();
    let zns = [
        "--oa-id",
        OA,
        "--template",
        DEMO_ZNS_OTP_TEMPLATE_ID,
        "--param",
        "otp=1",
    ];
    let cases: &[(&[&str], &str)] = &[
        (
            &["--kind", "zns", "--channels", "sms,zalo"],
            "eSMS tries Zalo first and SMS second",
        ),
        (
            &["--kind", "zns", "--channels", "zalo,viber"],
            "unknown channels `zalo,viber`",
        ),
        (
            &["--kind", "zns", "--channels", "sms"],
            "--kind zns goes by Zalo",
        ),
        (
            &["--kind", "otp", "--channels", "zalo", "--text", "x"],
            "--channels zalo sends a ZNS",
        ),
        (
            &["--kind", "viber", "--channels", "zalo,sms", "--text", "x"],
            "--channels is for --kind zns and the SMS kinds",
        ),
        (
            &[
                "--kind",
                "customer-care",
                "--generate-code",
                "--text",
                "{OTP}",
                "--sender",
                "NHANTIN",
            ],
            "--generate-code is for --kind otp",
        ),
        (
            &[
                "--kind",
                "otp",
                "--generate-code",
                "--channels",
                "zalo",
                "--template",
                "40017",
            ],
            "a generated code goes by SMS or by --channels zalo,sms",
        ),
        (
            &["--kind", "otp", "--generate-code", "--sender", "NHANTIN"],
            "needs --text, the text with {OTP}",
        ),
        (
            &["--kind", "otp", "--generate-code", "--text", "{OTP}"],
            "needs --sender",
        ),
        (
            &[
                "--kind",
                "otp",
                "--generate-code",
                "--text",
                "{OTP}",
                "--sender",
                "NHANTIN",
                "--template",
                "40017",
            ],
            "the ZNS flags are for --channels zalo,sms",
        ),
        (
            &[
                "--kind",
                "otp",
                "--generate-code",
                "--channels",
                "zalo,sms",
                "--template",
                "40017",
                "--sender",
                "NHANTIN",
            ],
            "takes only --template",
        ),
        (
            &[
                "--kind",
                "otp",
                "--generate-code",
                "--channels",
                "zalo,sms",
                "--template",
                "40017",
                "--code-length",
                "6",
            ],
            "takes only --template",
        ),
        (
            &["--kind", "otp", "--generate-code", "--channels", "zalo,sms"],
            "needs --template, the account's multi-channel template",
        ),
        (
            &["--kind", "otp", "--text", "x", "--time-alive", "5"],
            "--generate-code",
        ),
        (
            &["--kind", "zns", "--viber-image", "https://e.vn/a.png"],
            "--viber-image and --viber-button-* are for --kind viber",
        ),
        (
            &[
                "--kind", "otp", "--text", "x", "--sender", "NHANTIN", "--oa-id", OA,
            ],
            "are for --kind zns",
        ),
        (
            &[
                "--kind",
                "otp",
                "--generate-code",
                "--text",
                "no placeholder",
                "--sender",
                "NHANTIN",
            ],
            "{OTP}",
        ),
    ];
    for (args, says) in cases {
        let mut all = vec!["--to", "0912345678"];
        all.extend_from_slice(args);
        let out = run(&em, "send", &all);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(says),
            "{args:?}: {:?} lacks {says:?}",
            stderr(&out)
        );
    }
    // Core refuses what eSMS's multi-channel call cannot carry, in one place.
    let out = run(
        &em,
        "send",
        &[
            &[
                "--kind",
                "advertising",
                "--channels",
                "zalo,sms",
                "--to",
                "0912345678",
                "--text",
                "x",
                "--sender",
                "NHANTIN",
            ],
            &zns[..],
        ]
        .concat(),
    );
    assert_fails(&out, 2, "zalo_then_sms.sms.purpose");
    let out = run(
        &em,
        "check-code",
        &["--to", "0912345678", "--code", "12 34"],
    );
    assert_fails(&out, 2, "code");
    assert!(em.messages().is_empty(), "{:?}", em.messages());
    em.shutdown();
}

/// A generated-code send or a code check whose answer is lost after eSMS took it is never made
/// again (neither takes a request id, and a check may use the code up): exit 6, one request.
#[test]
fn a_lost_answer_to_a_generated_code_or_a_check_is_exit_6_and_never_resent() {
    let em = emulator();
    em.inject(Fault::ResetAfterAccept, 1, Some("SendMessageAutoGenCode"));
    let out = run(
        &em,
        "send",
        &[
            "--kind",
            "otp",
            "--generate-code",
            "--to",
            "0912345678",
            "--text",
            "{OTP} la ma",
            "--sender",
            "NHANTIN",
        ],
    );
    assert_fails(&out, 6, "outcome unknown after 1 attempt(s) to esms");
    assert_eq!(
        stderr(&out).matches("outcome unknown").count(),
        1,
        "said once: {}",
        stderr(&out)
    );
    let [message] = &em.messages()[..] else {
        panic!("sent once: {:?}", em.messages())
    };
    let code = message.generated_code.as_ref().unwrap().code.clone();
    em.inject(Fault::ResetAfterAccept, 1, Some("CheckCodeGen"));
    assert_fails(
        &run(&em, "check-code", &["--to", "0912345678", "--code", &code]),
        6,
        "a code check may have used the code up",
    );
    // The lost check used the code up: it was made once.
    let again = run(&em, "check-code", &["--to", "0912345678", "--code", &code]);
    assert_eq!(again.status.code(), Some(9), "{}", stderr(&again));
    em.shutdown();
}
