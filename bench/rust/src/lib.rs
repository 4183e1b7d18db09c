//! What the Rust peers of `scripts/bench` share: the command line, the timed loop and its
//! report (one JSON line), and the process's resident memory.

use std::time::{Duration, Instant};

/// `--name value` from the command line, or `default`.
pub fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_owned())
}

/// The cases file scripts/bench writes (`target/bench/cases.json`).
pub fn cases() -> serde_json::Value {
    let path = arg("--cases", "target/bench/cases.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("cases.json parses")
}

/// `VmHWM` (peak) and `VmRSS` (current) of this process, KiB.
pub fn rss_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// What one thread (or task) measured: its latencies in the measured window, and its errors.
#[derive(Default)]
pub struct Tally {
    pub latencies_ns: Vec<u64>,
    pub errors: u64,
}

/// Runs `send` in a loop: `warmup` untimed, then until `window` has passed, timing each call.
pub fn time_loop(warmup: Duration, window: Duration, mut send: impl FnMut() -> bool) -> Tally {
    let start = Instant::now();
    while start.elapsed() < warmup {
        send();
    }
    let end = Instant::now() + window;
    let mut tally = Tally::default();
    loop {
        let t = Instant::now();
        if t >= end {
            break;
        }
        let ok = send();
        tally.latencies_ns.push(t.elapsed().as_nanos() as u64);
        if !ok {
            tally.errors += 1;
        }
    }
    tally
}

/// Prints the report line scripts/bench reads.
pub fn report(peer: &str, threads: usize, window: Duration, tallies: Vec<Tally>) {
    let errors: u64 = tallies.iter().map(|t| t.errors).sum();
    let mut all: Vec<u64> = tallies.into_iter().flat_map(|t| t.latencies_ns).collect();
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0) as f64
            / 1000.0
    };
    println!(
        "{}",
        serde_json::json!({
            "peer": peer,
            "threads": threads,
            "sends": all.len(),
            "errors": errors,
            "seconds": window.as_secs_f64(),
            "sends_per_s": all.len() as f64 / window.as_secs_f64(),
            "p50_us": pct(0.50),
            "p99_us": pct(0.99),
        })
    );
}

/// Times `f` the way every language's codec runner does: batches of about 20 ms, seven of
/// them, the median batch's time per call, in nanoseconds.
pub fn per_call_ns(mut f: impl FnMut()) -> f64 {
    let mut k = 1u64;
    loop {
        let t = Instant::now();
        for _ in 0..k {
            f();
        }
        if t.elapsed() >= Duration::from_millis(20) {
            break;
        }
        k *= 2;
    }
    let mut batches: Vec<f64> = (0..7)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..k {
                f();
            }
            t.elapsed().as_nanos() as f64 / k as f64
        })
        .collect();
    batches.sort_by(|a, b| a.partial_cmp(b).unwrap());
    batches[3]
}
