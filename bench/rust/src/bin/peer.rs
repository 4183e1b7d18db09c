//! `nhantin-bench-peer MODE --cases FILE --threads N --seconds S [--warmup S] [--rss SENDS]`
//!
//! MODE: `reqwest-blocking` and `reqwest-async` send the exact request nhantin encodes
//! (`cases.request`) with raw reqwest and read the whole answer; `nhantin` sends `cases.message`
//! through nhantin's Rust client (validation, encoding, the send machine, decoding); `encode`
//! prints the request nhantin would send for `cases.message`, as JSON. Async runs N tasks on one
//! current-thread runtime. `--rss SENDS` (nhantin only): peak and current resident memory
//! after a warm-up and after SENDS more sends through one Client.

use std::sync::Arc;
use std::time::Duration;

use nhantin_bench::{arg, cases, report, rss_kib, time_loop, Tally};
use nhantin_core::{AccountInput, MessageInput, Timestamp};
use nhantin_transport::{Client, ClientConfig};

struct Raw {
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn raw(cases: &serde_json::Value) -> Raw {
    let r = &cases["request"];
    assert_eq!(r["method"], "POST");
    Raw {
        url: r["url"].as_str().unwrap().to_owned(),
        headers: r["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h[0].as_str().unwrap().to_owned(),
                    h[1].as_str().unwrap().to_owned(),
                )
            })
            .collect(),
        body: r["body"].as_str().unwrap().as_bytes().to_vec(),
    }
}

fn nhantin_client(cases: &serde_json::Value) -> (Client, nhantin_core::Message) {
    let account = AccountInput::from_json(&cases["account"].to_string())
        .unwrap()
        .validate()
        .unwrap();
    let message = MessageInput::from_json(&cases["message"].to_string())
        .unwrap()
        .validate()
        .unwrap();
    let config = ClientConfig {
        allow_insecure_http: true,
        no_env_proxy: true,
        ..ClientConfig::default()
    };
    (Client::new(account, config).unwrap(), message)
}

fn main() {
    let mode = std::env::args().nth(1).expect("a mode");
    let cases = cases();
    let threads: usize = arg("--threads", "1").parse().unwrap();
    let window = Duration::from_secs_f64(arg("--seconds", "3").parse().unwrap());
    let warmup = Duration::from_secs_f64(arg("--warmup", "0.5").parse().unwrap());
    match mode.as_str() {
        "encode" => {
            let account = AccountInput::from_json(&cases["account"].to_string())
                .unwrap()
                .validate()
                .unwrap();
            // With a fixed request id (encoding needs one; a send generates it).
            let mut keyed = cases["message"].clone();
            keyed["request_id"] = "bench-0000000000000000".into();
            let message = MessageInput::from_json(&keyed.to_string())
                .unwrap()
                .validate()
                .unwrap();
            let now = Timestamp::parse_rfc3339("now", cases["now"].as_str().unwrap()).unwrap();
            let r = account.encode_send(&message, now).unwrap();
            println!(
                "{}",
                serde_json::json!({"method": r.method.as_str(), "url": r.url, "headers": r.headers,
                                   "body": String::from_utf8(r.body).unwrap()})
            );
        }
        "reqwest-blocking" => {
            let raw = Arc::new(raw(&cases));
            let client = reqwest::blocking::Client::builder()
                .no_proxy()
                .build()
                .unwrap();
            let tallies = std::thread::scope(|s| {
                let hs: Vec<_> = (0..threads)
                    .map(|_| {
                        let (client, raw) = (client.clone(), raw.clone());
                        s.spawn(move || {
                            time_loop(warmup, window, || {
                                let mut req = client.post(&raw.url).body(raw.body.clone());
                                for (n, v) in &raw.headers {
                                    req = req.header(n, v);
                                }
                                match req.send() {
                                    Ok(resp) => resp.status() == 200 && resp.bytes().is_ok(),
                                    Err(_) => false,
                                }
                            })
                        })
                    })
                    .collect();
                hs.into_iter()
                    .map(|h| h.join().unwrap())
                    .collect::<Vec<Tally>>()
            });
            report(&mode, threads, window, tallies);
        }
        "reqwest-async" => {
            let raw = Arc::new(raw(&cases));
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let tallies = rt.block_on(async {
                let client = reqwest::Client::builder().no_proxy().build().unwrap();
                let tasks: Vec<_> = (0..threads)
                    .map(|_| {
                        let (client, raw) = (client.clone(), raw.clone());
                        tokio::spawn(async move {
                            let send = || async {
                                let mut req = client.post(&raw.url).body(raw.body.clone());
                                for (n, v) in &raw.headers {
                                    req = req.header(n, v);
                                }
                                match req.send().await {
                                    Ok(resp) => resp.status() == 200 && resp.bytes().await.is_ok(),
                                    Err(_) => false,
                                }
                            };
                            let start = std::time::Instant::now();
                            while start.elapsed() < warmup {
                                send().await;
                            }
                            let end = std::time::Instant::now() + window;
                            let mut tally = Tally::default();
                            loop {
                                let t = std::time::Instant::now();
                                if t >= end {
                                    break;
                                }
                                let ok = send().await;
                                tally.latencies_ns.push(t.elapsed().as_nanos() as u64);
                                tally.errors += u64::from(!ok);
                            }
                            tally
                        })
                    })
                    .collect();
                let mut out = Vec::new();
                for t in tasks {
                    out.push(t.await.unwrap());
                }
                out
            });
            report(&mode, threads, window, tallies);
        }
        "nhantin" => {
            let (client, message) = nhantin_client(&cases);
            let rss_sends: usize = arg("--rss", "0").parse().unwrap();
            if rss_sends > 0 {
                for _ in 0..1000 {
                    client.send(&message).unwrap();
                }
                let before = rss_kib();
                for _ in 0..rss_sends {
                    client.send(&message).unwrap();
                }
                let after = rss_kib();
                println!(
                    "{}",
                    serde_json::json!({"peer": "rust-nhantin", "sends": rss_sends,
                        "peak_before_kib": before.0, "peak_after_kib": after.0,
                        "rss_before_kib": before.1, "rss_after_kib": after.1})
                );
                return;
            }
            let tallies = std::thread::scope(|s| {
                let hs: Vec<_> = (0..threads)
                    .map(|_| {
                        let (client, message) = (client.clone(), &message);
                        s.spawn(move || time_loop(warmup, window, || client.send(message).is_ok()))
                    })
                    .collect();
                hs.into_iter()
                    .map(|h| h.join().unwrap())
                    .collect::<Vec<Tally>>()
            });
            report(&mode, threads, window, tallies);
        }
        other => panic!("unknown mode {other}"),
    }
}
