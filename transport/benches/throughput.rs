//! Sends per second through one shared Client to the loopback emulator, and peak memory.
//! Printed, never asserted. `cargo bench -p nhantin-transport`

use std::time::{Duration, Instant};

use nhantin_core::{AccountInput, MessageInput};
use nhantin_emulator::{Emulator, EmulatorConfig};
use nhantin_transport::{Client, ClientConfig};

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn main() {
    let emulator = Emulator::start(EmulatorConfig {
        delivery_report_delay: Duration::from_secs(3600),
        ..EmulatorConfig::default()
    })
    .unwrap();
    let account = AccountInput::from_json(&format!(
        r#"{{"provider":"esms","api_key":"DEMO_ESMS_API_KEY","secret_key":"DEMO_ESMS_SECRET_KEY","base_url":"{}"}}"#,
        emulator.esms_base_url()
    ))
    .unwrap()
    .validate()
    .unwrap();
    let client = Client::new(
        account,
        ClientConfig {
            allow_insecure_http: true,
            no_env_proxy: true,
            ..ClientConfig::default()
        },
    )
    .unwrap();
    println!("nhantin-transport throughput to the loopback emulator (release build; the emulator shares the 2 cores)");
    let rss_before = peak_rss_kib();
    for threads in [1usize, 4, 8] {
        emulator.reset();
        let per_thread = 2000 / threads;
        let start = Instant::now();
        let mut latencies: Vec<Duration> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let client = client.clone();
                    s.spawn(move || {
                        (0..per_thread)
                            .map(|i| {
                                let msg = MessageInput::from_json(&format!(
                                    r#"{{"recipients":["0912345678"],"content":{{"sms":{{"purpose":"otp","text":"Ma OTP {i}","sender":"NHANTIN"}}}},"request_id":"b{threads}-{t}-{i}"}}"#
                                ))
                                .unwrap()
                                .validate()
                                .unwrap();
                                let sent = Instant::now();
                                client.send(&msg).unwrap();
                                sent.elapsed()
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        let elapsed = start.elapsed();
        latencies.sort();
        let n = latencies.len();
        println!(
            "{threads} thread(s): {n} sends in {:.2} s = {:.0} sends/s; latency p50 {:?}, p99 {:?}; emulator accepted {}",
            elapsed.as_secs_f64(),
            n as f64 / elapsed.as_secs_f64(),
            latencies[n / 2],
            latencies[n * 99 / 100],
            emulator.messages().len()
        );
    }
    if let (Some(before), Some(after)) = (rss_before, peak_rss_kib()) {
        println!(
            "peak resident memory: {after} KiB (after client and emulator set-up: {before} KiB)"
        );
    }
}
