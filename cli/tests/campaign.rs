//! `nhantin send --csv … --journal …`: campaigns that survive `kill -9`. The emulator's record of
//! what it accepted is the judge of "every row exactly once".

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use nhantin_core::campaign::{self, CampaignId, Journal, RowDecision};
use nhantin_core::{PhoneNumber, Provider, Timestamp};
use nhantin_emulator::{Emulator, EmulatorConfig};
use serde_json::Value;

/// A scratch directory, on tmpfs where there is one: the journal is flushed to disk before
/// every send, and 2000 flushes to a real disk take longer than the whole campaign. A SIGKILL
/// loses nothing a `write` put in the page cache, so the crash semantics are the same.
fn scratch(name: &str) -> PathBuf {
    let base = Path::new("/dev/shm");
    let base = if base.is_dir() {
        base.to_owned()
    } else {
        std::env::temp_dir()
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let dir = base.join(format!(
        "nhantin-campaign-{name}-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A deterministic generator (SplitMix64): the crash points come from a printed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn phones(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("09{:08}", 10_000_000 + i)).collect()
}

/// A CSV of `phone,name,code`, every third phone written as +84 with spaces.
fn write_csv(path: &Path, phones: &[String]) {
    let mut text = String::from("phone,name,code\n");
    for (i, p) in phones.iter().enumerate() {
        let written = if i % 3 == 0 {
            format!("+84 {} {}", &p[1..3], &p[3..])
        } else {
            p.clone()
        };
        text.push_str(&format!("{written},\"Khách {i}, Hà Nội\",{:06}\n", i * 7));
    }
    std::fs::write(path, text).unwrap();
}

fn expected_text(i: usize) -> String {
    format!("Mã {:06} cho Khách {i}, Hà Nội", i * 7)
}

const TEMPLATE: &str = "Mã {code} cho {name}";

fn campaign(em: &Emulator, csv: &Path, journal: &Path, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nhantin"));
    cmd.args([
        "send",
        "--provider",
        "esms",
        "--api-key",
        nhantin_emulator::DEMO_ESMS_API_KEY,
        "--secret-key",
        nhantin_emulator::DEMO_ESMS_SECRET_KEY,
        "--base-url",
        &em.esms_base_url(),
        "--allow-insecure-http",
        "--kind",
        "otp",
        "--sender",
        "NHANTIN",
        "--timeout",
        "5",
        "--progress",
        "0",
        "--reconcile-margin",
        "1",
    ])
    .arg("--csv")
    .arg(csv)
    .arg("--journal")
    .arg(journal)
    .args(extra)
    .env_remove("NHANTIN_ESMS_API_KEY")
    .env_remove("NHANTIN_ESMS_SECRET_KEY")
    .env("NO_PROXY", "127.0.0.1")
    .stdin(Stdio::null());
    if !extra.contains(&"--campaign") {
        cmd.args(["--campaign", "c1"]);
    }
    if !extra.contains(&"--text") {
        cmd.args(["--text", TEMPLATE]);
    }
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// An accepted message's text and request id.
type Sent = (Option<String>, Option<String>);

/// Every accepted message, by phone.
fn accepted_by_phone(em: &Emulator) -> BTreeMap<String, Vec<Sent>> {
    let mut by_phone: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for m in em.messages() {
        for r in &m.recipients {
            by_phone
                .entry(r.clone())
                .or_default()
                .push((m.text.clone(), m.request_id.clone()));
        }
    }
    by_phone
}

fn key(campaign_id: &str, phone: &str) -> String {
    campaign::row_request_id(
        &CampaignId::new(campaign_id).unwrap(),
        &PhoneNumber::parse("p", phone).unwrap(),
    )
    .to_string()
}

fn now() -> Timestamp {
    Timestamp::from_unix_millis(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64,
    )
}

fn journal_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

#[test]
fn a_campaign_killed_at_random_points_sends_every_row_exactly_once() {
    use std::os::unix::process::ExitStatusExt;

    let seed = std::env::var("NHANTIN_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("crash points from seed {seed} (NHANTIN_CRASH_SEED={seed} repeats them)");
    let mut rng = Rng(seed);
    let started = Instant::now();
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let dir = scratch("crash");
    let (csv, journal) = (dir.join("rows.csv"), dir.join("journal.jsonl"));
    let phones = phones(2000);
    write_csv(&csv, &phones);

    let mut kills = Vec::new();
    for run in 0..4 {
        let mut child = campaign(&em, &csv, &journal, &[])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let before = journal_len(&journal);
        if run == 0 {
            // Anywhere from start-up to the first sends: the header may not even exist yet.
            std::thread::sleep(Duration::from_millis(rng.below(150)));
        } else {
            // Somewhere in the next 30 to 450 rows (a row is about 650 bytes of journal).
            let target = before + 20_000 + rng.below(280_000);
            let deadline = Instant::now() + Duration::from_secs(30);
            while journal_len(&journal) < target
                && Instant::now() < deadline
                && child.try_wait().unwrap().is_none()
            {
                std::thread::sleep(Duration::from_micros(300));
            }
            std::thread::sleep(Duration::from_micros(rng.below(3_000)));
        }
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        assert_eq!(
            status.signal(),
            Some(9),
            "run {run} ended before its kill: {status:?}"
        );
        kills.push((journal_len(&journal) - before.min(journal_len(&journal))) / 650);
    }
    let sent_before_last = em.messages().len();

    let out = run(campaign(&em, &csv, &journal, &["--json"]).stderr(Stdio::piped()));
    let report = json(&out);
    assert_eq!(out.status.code(), Some(0), "{report:#}\n{}", stderr(&out));
    assert_eq!(report["counts"]["accepted"], 2000, "{report:#}");
    let rows = report["rows"].as_array().unwrap();
    let count = |action: &str| rows.iter().filter(|r| r["action"] == action).count();
    eprintln!(
        "killed after ~{kills:?} rows; {sent_before_last} accepted before the last run, which skipped {}, sent {}, resent {} and looked up {} in eSMS's records, in {:.1?} overall",
        count("skipped"),
        count("sent"),
        count("resent"),
        rows.iter().filter(|r| r.get("reconciled").is_some()).count(),
        started.elapsed()
    );

    // The emulator accepted every row's phone exactly once, with the row's own text and id.
    let by_phone = accepted_by_phone(&em);
    assert_eq!(by_phone.len(), phones.len());
    for (i, p) in phones.iter().enumerate() {
        let sends = &by_phone[p];
        assert_eq!(sends.len(), 1, "{p} was accepted {} times", sends.len());
        assert_eq!(sends[0].0.as_deref(), Some(expected_text(i).as_str()));
        assert_eq!(sends[0].1.as_deref(), Some(key("c1", p).as_str()));
    }

    // The journal is whole and says every row was accepted.
    let bytes = std::fs::read(&journal).unwrap();
    let j = Journal::parse(&bytes).unwrap();
    assert_eq!(j.torn_len, 0);
    for p in &phones {
        let k = key("c1", p);
        let id = nhantin_core::RequestId::new(k.clone()).unwrap();
        match campaign::decide(Provider::Esms, &id, "", j.row(&k), now()) {
            RowDecision::Skip(_) => {}
            other => panic!("{p}: {other:?}"),
        }
    }

    // And a rerun has nothing left to do.
    let again = run(&mut campaign(&em, &csv, &journal, &["--json"]));
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(json(&again)["skipped"], 2000);
    assert_eq!(em.messages().len(), 2000);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn invalid_rows_stop_the_campaign_before_anything_is_sent() {
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let dir = scratch("invalid");
    let (csv, journal) = (dir.join("rows.csv"), dir.join("journal.jsonl"));
    std::fs::write(
        &csv,
        "\u{feff}phone,name,code\n\
         0912345678,An,1\n\
         01662345678,Bình,2\n\
         0987654321,,3\n\
         +84 91 234 5678,An again,4\n\
         0356789012,Chi,5\n",
    )
    .unwrap();
    let out = run(&mut campaign(&em, &csv, &journal, &[]));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("3 of 5 rows") && err.contains("nothing was sent"),
        "{err}"
    );
    assert!(
        err.contains("line 3: invalid phone") && err.contains("036****678"),
        "{err}"
    );
    assert!(
        err.contains("line 4: invalid text: column `name` is empty"),
        "{err}"
    );
    assert!(
        err.contains("line 5: invalid phone: 091****678 is the same number as on line 2"),
        "{err}"
    );
    assert!(em.messages().is_empty());
    assert!(
        !journal.exists(),
        "nothing is written before every row is checked"
    );

    let out = run(&mut campaign(
        &em,
        &csv,
        &journal,
        &["--skip-invalid", "--json"],
    ));
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(
        (
            &report["counts"]["accepted"],
            &report["counts"]["invalid_input"]
        ),
        (&Value::from(2), &Value::from(3))
    );
    let lines: Vec<&Value> = report["invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["line"])
        .collect();
    assert_eq!(lines, [3, 4, 5]);
    let sent: Vec<String> = em
        .messages()
        .iter()
        .flat_map(|m| m.recipients.clone())
        .collect();
    assert_eq!(sent, ["0912345678", "0356789012"]);

    // A placeholder naming no column, or no text at all, is refused before any row.
    let out = run(&mut campaign(&em, &csv, &journal, &["--text", "Hi {nme}"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("{nme} names no column"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_changed_csv_keeps_every_rows_id_and_sends_only_new_rows() {
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let dir = scratch("changed");
    let (csv, journal) = (dir.join("rows.csv"), dir.join("journal.jsonl"));
    let three = phones(3);
    write_csv(&csv, &three);
    let out = run(&mut campaign(&em, &csv, &journal, &[]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("campaign c1: 3 rows: 3 accepted; 3 sent in this run"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let first = accepted_by_phone(&em);

    // A row inserted at the top, the others reordered and written differently.
    std::fs::write(
        &csv,
        format!(
            "phone,name,code\n0399999999,Mới,9\n{},\"Khách 2, Hà Nội\",000014\n+84{},\"Khách 0, Hà Nội\",000000\n{},\"Khách 1, Hà Nội\",000007\n",
            three[2],
            &three[0][1..],
            three[1]
        ),
    )
    .unwrap();
    let out = run(&mut campaign(&em, &csv, &journal, &["--json"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(
        (&report["sent"], &report["skipped"]),
        (&Value::from(1), &Value::from(3))
    );
    let after = accepted_by_phone(&em);
    assert_eq!(after.len(), 4);
    for p in &three {
        assert_eq!(after[p], first[p], "{p} was not sent again");
        assert_eq!(after[p][0].1.as_deref(), Some(key("c1", p).as_str()));
    }
    assert_eq!(after["0399999999"][0].0.as_deref(), Some("Mã 9 cho Mới"));

    // A cell emptied since a row was accepted does not matter: the row is not sent again.
    std::fs::write(
        &csv,
        format!(
            "phone,name,code\n0399999999,,9\n{},\"Khách 0, Hà Nội\",000000\n{},\"Khách 1, Hà Nội\",000007\n{},\"Khách 2, Hà Nội\",000014\n",
            three[0], three[1], three[2]
        ),
    )
    .unwrap();
    let out = run(&mut campaign(&em, &csv, &journal, &["--json"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(
        (
            &report["sent"],
            &report["counts"]["accepted"],
            &report["rows"][0]["action"]
        ),
        (&Value::from(0), &Value::from(4), &Value::from("skipped"))
    );

    // The journal belongs to campaign c1: another id (every row re-keyed) is refused.
    let out = run(&mut campaign(&em, &csv, &journal, &["--campaign", "c2"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("belongs to campaign \"c1\""),
        "{}",
        stderr(&out)
    );
    assert_eq!(em.messages().len(), 4);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_torn_journal_line_is_dropped_and_its_row_settled_without_a_second_send() {
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let dir = scratch("torn");
    let (csv, journal) = (dir.join("rows.csv"), dir.join("journal.jsonl"));
    let three = phones(3);
    write_csv(&csv, &three);
    let out = run(&mut campaign(&em, &csv, &journal, &[]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // A crash while the last outcome was being written: half a line, no newline.
    let text = std::fs::read_to_string(&journal).unwrap();
    let last = text.trim_end().rfind('\n').unwrap() + 1;
    assert!(text[last..].contains("\"record\":\"outcome\""));
    let cut = last + (text.len() - last) / 2;
    std::fs::OpenOptions::new()
        .write(true)
        .open(&journal)
        .unwrap()
        .set_len(cut as u64)
        .unwrap();

    let out = run(&mut campaign(&em, &csv, &journal, &["--json"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("dropped a torn last line"),
        "{}",
        stderr(&out)
    );
    let report = json(&out);
    let rows = report["rows"].as_array().unwrap();
    // The row whose outcome was torn was resent with its id, eSMS said "already used", and
    // eSMS's records show it sent: accepted, and sent once.
    let torn = &rows[2];
    assert_eq!(
        (
            &torn["action"],
            &torn["class"],
            &torn["reconciled"]["verdict"]
        ),
        (
            &Value::from("resent"),
            &Value::from("accepted"),
            &Value::from("sent")
        ),
        "{report:#}"
    );
    assert!(accepted_by_phone(&em).values().all(|s| s.len() == 1));
    assert_eq!(em.messages().len(), 3);

    // The journal is whole again and ends with the reconciled acceptance.
    let j = Journal::parse(&std::fs::read(&journal).unwrap()).unwrap();
    assert_eq!(j.torn_len, 0);
    let k = key("c1", &three[2]);
    let id = nhantin_core::RequestId::new(k.clone()).unwrap();
    assert!(matches!(
        campaign::decide(Provider::Esms, &id, "", j.row(&k), now()),
        RowDecision::Skip(a) if a.reconciled
    ));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn rows_can_carry_their_own_text() {
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let dir = scratch("text");
    let (csv, journal) = (dir.join("rows.csv"), dir.join("journal.jsonl"));
    std::fs::write(
        &csv,
        "phone,text\n0912345678,\"Xin chào, {An}\"\n0987654321,\"Dòng 1\nDòng 2\"\n",
    )
    .unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nhantin"));
    cmd.args([
        "send",
        "--provider",
        "esms",
        "--api-key",
        nhantin_emulator::DEMO_ESMS_API_KEY,
        "--secret-key",
        nhantin_emulator::DEMO_ESMS_SECRET_KEY,
        "--base-url",
        &em.esms_base_url(),
        "--allow-insecure-http",
        "--kind",
        "customer-care",
        "--sender",
        "NHANTIN",
        "--campaign",
        "own-text",
    ])
    .arg("--csv")
    .arg(&csv)
    .arg("--journal")
    .arg(&journal)
    .env("NO_PROXY", "127.0.0.1")
    .stdin(Stdio::null());
    let out = run(&mut cmd);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let texts: Vec<Option<String>> = em.messages().into_iter().map(|m| m.text).collect();
    assert_eq!(
        texts,
        [
            Some("Xin chào, {An}".to_owned()),
            Some("Dòng 1\nDòng 2".to_owned())
        ]
    );
    std::fs::remove_dir_all(&dir).ok();
}
