//! The leak canary for the command line: keys, the phone number and the message text never
//! appear in what `nhantin send` prints (text or `--json`, stdout or stderr), whatever fault the
//! emulator injects. Phones may appear only masked.

use std::process::{Command, Stdio};
use std::time::Duration;

use nhantin_emulator::{Emulator, EmulatorConfig, Fault};

const PHONE: &str = "0912345678";
const OTP: &str = "SECRET-OTP-778899";

fn assert_clean(what: &str, text: &str) {
    for (canary, name) in [
        (nhantin_emulator::DEMO_ESMS_API_KEY, "API key"),
        (nhantin_emulator::DEMO_ESMS_SECRET_KEY, "secret key"),
        (PHONE, "phone"),
        ("912345678", "phone digits"),
        ("778899", "message text"),
    ] {
        assert!(!text.contains(canary), "{what} shows the {name}:\n{text}");
    }
}

#[test]
fn send_output_shows_no_key_phone_or_text() {
    let em = Emulator::start(EmulatorConfig {
        delivery_report_delay: Duration::from_secs(60),
        ..EmulatorConfig::default()
    })
    .unwrap();
    let faults = [
        None,
        Some(Fault::ResetBeforeRead),
        Some(Fault::ResetAfterAccept),
        Some(Fault::Status(503)),
        Some(Fault::HtmlPage),
        Some(Fault::MalformedJson),
    ];
    let mut runs = 0;
    let mut codes = std::collections::BTreeSet::new();
    for format in ["json", "get"] {
        for fault in &faults {
            for json in [false, true] {
                em.reset();
                if let Some(f) = fault {
                    em.inject(f.clone(), 1, None);
                }
                let kind = if format == "get" {
                    "fixed-number"
                } else {
                    "otp"
                };
                let mut args = vec![
                    "send",
                    "--provider",
                    "esms",
                    "--kind",
                    kind,
                    "--to",
                    PHONE,
                    "--text",
                    OTP,
                    "--format",
                    format,
                    "--allow-insecure-http",
                    "--max-attempts",
                    "1",
                    "--timeout",
                    "2",
                ];
                let base = em.esms_base_url();
                args.extend(["--base-url", base.as_str()]);
                if format != "get" {
                    args.extend(["--sender", "NHANTIN"]);
                }
                if json {
                    args.push("--json");
                }
                let out = Command::new(env!("CARGO_BIN_EXE_nhantin"))
                    .args(&args)
                    .env("NHANTIN_ESMS_API_KEY", nhantin_emulator::DEMO_ESMS_API_KEY)
                    .env(
                        "NHANTIN_ESMS_SECRET_KEY",
                        nhantin_emulator::DEMO_ESMS_SECRET_KEY,
                    )
                    .stdin(Stdio::null())
                    .output()
                    .unwrap();
                let shown = format!(
                    "{}\n{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
                assert_clean(
                    &format!(
                        "send --format {format} under {fault:?} (json {json}, exit {:?})",
                        out.status.code()
                    ),
                    &shown,
                );
                codes.insert(out.status.code());
                if fault.is_none() {
                    assert!(
                        out.status.success() && shown.contains("accepted"),
                        "{shown}"
                    );
                }
                runs += 1;
            }
        }
    }
    // A phone number the CLI refuses is not repeated either.
    let out = Command::new(env!("CARGO_BIN_EXE_nhantin"))
        .args([
            "send",
            "--provider",
            "esms",
            "--kind",
            "otp",
            "--to",
            "0912345678x",
            "--text",
            OTP,
            "--sender",
            "NHANTIN",
        ])
        .env("NHANTIN_ESMS_API_KEY", nhantin_emulator::DEMO_ESMS_API_KEY)
        .env(
            "NHANTIN_ESMS_SECRET_KEY",
            nhantin_emulator::DEMO_ESMS_SECRET_KEY,
        )
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_clean("invalid phone", &String::from_utf8_lossy(&out.stderr));
    assert_eq!(runs, 24);
    // The faults really ended the sends differently: accepted, and unknown (a reset after connecting
    // may follow a request that arrived).
    for code in [0, 6] {
        assert!(codes.contains(&Some(code)), "exit {code} among {codes:?}");
    }
}
