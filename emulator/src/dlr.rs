//! eSMS delivery reports: what is sent (digest §4.1) and the worker that sends it.
//!
//! eSMS calls the message's `CallbackUrl` with an HTTP GET whose query holds the report. The
//! emulator sends one report per recipient for single-recipient kinds (its samples for types 2,
//! 8, 23 carry `phonenumber` and `telcoid`) and one aggregate report without a phone for
//! advertising (type 1), as the documentation's samples do. Reports leave from one background
//! thread, a configurable delay after acceptance, through a tiny HTTP/1.1 client that only
//! talks to loopback hosts: a test can never make the emulator reach the network.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::esms::telco;
use crate::http::encode_query_value;
use crate::records::{DeliveryAttempt, DeliveryOutcome, EsmsSmsType, RefusalReason};
use crate::shared::Shared;

/// One report waiting to be sent.
#[derive(Debug, Clone)]
pub(crate) struct DlrJob {
    /// Reset epoch at scheduling; the report is dropped if a reset happened since.
    pub epoch: u64,
    /// When to send, in real (not emulator) time.
    pub due: Instant,
    pub sms_id: String,
    pub phone: Option<String>,
    /// Callback URL with the report's query appended.
    pub url: String,
}

/// What a message's reports are built from.
pub(crate) struct ReportInput<'a> {
    pub sms_id: &'a str,
    pub sms_type: EsmsSmsType,
    pub phones: &'a [String],
    pub request_id: Option<&'a str>,
    pub price_per_recipient: u64,
    pub undeliverable: &'a [String],
}

/// Query parameters of one report, in the documentation's order.
pub(crate) type ReportQuery = Vec<(&'static str, String)>;

/// The reports for one accepted message: (phone, query) pairs.
pub(crate) fn esms_reports(input: &ReportInput<'_>) -> Vec<(Option<String>, ReportQuery)> {
    let ok = |phone: &String| !input.undeliverable.contains(phone);
    let type_id = input.sms_type.code().to_string();
    let request_id = input.request_id.unwrap_or_default().to_owned();
    let common = |success: usize, total: usize| -> ReportQuery {
        vec![
            ("SMSID", input.sms_id.to_owned()),
            ("SendFailed", (total - success).to_string()),
            ("SendStatus", "5".to_owned()),
            ("SendSuccess", success.to_string()),
            (
                "TotalPrice",
                format!(
                    "{}.0000",
                    input.price_per_recipient.saturating_mul(total as u64)
                ),
            ),
            ("TotalReceiver", total.to_string()),
            ("TotalSent", total.to_string()),
            ("RequestId", request_id.clone()),
            ("TypeId", type_id.clone()),
        ]
    };
    if input.sms_type == EsmsSmsType::Advertising {
        let success = input.phones.iter().filter(|p| ok(p)).count();
        return vec![(None, common(success, input.phones.len()))];
    }
    input
        .phones
        .iter()
        .map(|phone| {
            let mut query = common(usize::from(ok(phone)), 1);
            if let Some((telco_id, _)) = telco(phone) {
                query.push(("telcoid", telco_id.to_string()));
            }
            query.push(("phonenumber", phone.clone()));
            (Some(phone.clone()), query)
        })
        .collect()
}

/// Appends a query to a callback URL that may already have one; drops any fragment.
pub(crate) fn append_query(url: &str, query: &[(&'static str, String)]) -> String {
    let base = url.split('#').next().unwrap_or_default();
    let mut out = base.to_owned();
    if !base.contains('?') {
        out.push('?');
    } else if !base.ends_with('?') && !base.ends_with('&') {
        out.push('&');
    }
    let encoded: Vec<String> = query
        .iter()
        .map(|(name, value)| format!("{name}={}", encode_query_value(value)))
        .collect();
    out.push_str(&encoded.join("&"));
    out
}

/// Starts the worker. It exits when the sender side hangs up or shutdown is flagged.
pub(crate) fn spawn_worker(
    shared: Arc<Shared>,
    rx: Receiver<DlrJob>,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("nhantin-emulator-dlr".to_owned())
        .spawn(move || worker(&shared, &rx))
}

const POLL: Duration = Duration::from_millis(50);

fn worker(shared: &Shared, rx: &Receiver<DlrJob>) {
    let mut pending: Vec<DlrJob> = Vec::new();
    loop {
        if shared.is_shutting_down() {
            return;
        }
        let now = Instant::now();
        let wait = pending
            .iter()
            .map(|j| j.due.saturating_duration_since(now))
            .min()
            .unwrap_or(POLL)
            .min(POLL);
        match rx.recv_timeout(wait) {
            Ok(job) => pending.push(job),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        let now = Instant::now();
        let (mut due, rest): (Vec<DlrJob>, Vec<DlrJob>) =
            pending.drain(..).partition(|j| j.due <= now);
        pending = rest;
        due.sort_by_key(|j| j.due);
        for job in due {
            if shared.is_shutting_down() {
                return;
            }
            if job.epoch != shared.lock().epoch {
                continue;
            }
            let outcome = deliver(&job.url, shared.config.delivery_report_timeout);
            if let DeliveryOutcome::Refused { reason } = &outcome {
                log::warn!("delivery report to {} not sent: {reason:?}", job.url);
            }
            let mut state = shared.lock();
            if state.epoch == job.epoch {
                state.reports.push(DeliveryAttempt {
                    sms_id: job.sms_id,
                    phone: job.phone,
                    url: job.url,
                    outcome,
                });
            }
        }
    }
}

/// Where a callback URL points.
#[derive(Debug, PartialEq, Eq)]
struct Target {
    host: String,
    port: u16,
    /// Path and query, starting with `/`.
    path: String,
}

/// Parses `http://host[:port][/path][?query]` and refuses anything that is not loopback.
fn target(url: &str) -> Result<Target, RefusalReason> {
    let (scheme, rest) = url.split_once("://").ok_or(RefusalReason::MalformedUrl)?;
    if !scheme.eq_ignore_ascii_case("http") {
        return Err(RefusalReason::UnsupportedScheme {
            scheme: scheme.to_owned(),
        });
    }
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(split);
    let path = if path.starts_with('?') {
        format!("/{path}")
    } else if path.is_empty() {
        "/".to_owned()
    } else {
        path.to_owned()
    };
    if authority.contains('@') || authority.is_empty() {
        return Err(RefusalReason::MalformedUrl);
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']').ok_or(RefusalReason::MalformedUrl)?;
        (format!("[{host}]"), after.strip_prefix(':'))
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h.to_owned(), Some(p)),
            None => (authority.to_owned(), None),
        }
    };
    let port = match port {
        Some(p) => p.parse().map_err(|_| RefusalReason::MalformedUrl)?,
        None => 80,
    };
    if !is_loopback_host(&host) {
        return Err(RefusalReason::NotLoopback { host });
    }
    Ok(Target { host, port, path })
}

fn is_loopback_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback());
    }
    host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

fn addresses(target: &Target) -> Vec<SocketAddr> {
    if let Some(v6) = target
        .host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
    {
        return v6
            .parse::<Ipv6Addr>()
            .map(|ip| vec![SocketAddr::new(IpAddr::V6(ip), target.port)])
            .unwrap_or_default();
    }
    if let Ok(ip) = target.host.parse::<Ipv4Addr>() {
        return vec![SocketAddr::new(IpAddr::V4(ip), target.port)];
    }
    // "localhost": resolve, but keep loopback answers only (a hosts file could say otherwise).
    (target.host.as_str(), target.port)
        .to_socket_addrs()
        .map(|addrs| addrs.filter(|a| a.ip().is_loopback()).collect())
        .unwrap_or_default()
}

/// Sends one GET and reports the status line's code.
fn deliver(url: &str, timeout: Duration) -> DeliveryOutcome {
    let target = match target(url) {
        Ok(t) => t,
        Err(reason) => return DeliveryOutcome::Refused { reason },
    };
    match get(&target, timeout) {
        Ok(status) => DeliveryOutcome::Answered { status },
        Err(error) => DeliveryOutcome::Failed { error },
    }
}

fn get(target: &Target, timeout: Duration) -> Result<u16, String> {
    let addrs = addresses(target);
    if addrs.is_empty() {
        return Err(format!(
            "{} does not resolve to a loopback address",
            target.host
        ));
    }
    let mut last_error = String::new();
    let mut stream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last_error = format!("connect {addr}: {e}"),
        }
    }
    let mut stream = stream.ok_or(last_error)?;
    stream
        .set_read_timeout(Some(timeout))
        .and_then(|()| stream.set_write_timeout(Some(timeout)))
        .map_err(|e| e.to_string())?;
    let host_header = if target.port == 80 {
        target.host.clone()
    } else {
        format!("{}:{}", target.host, target.port)
    };
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: nhantin-emulator (eSMS delivery report)\r\nAccept: */*\r\nConnection: close\r\n\r\n",
        target.path
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("write: {e}"))?;
    let mut head = Vec::new();
    let mut chunk = [0u8; 1024];
    while !head.windows(2).any(|w| w == b"\r\n") {
        if head.len() > 8192 {
            return Err("status line too long".to_owned());
        }
        let n = stream.read(&mut chunk).map_err(|e| format!("read: {e}"))?;
        if n == 0 {
            return Err("connection closed before a status line".to_owned());
        }
        head.extend_from_slice(&chunk[..n]);
    }
    let line = String::from_utf8_lossy(&head);
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse::<u16>().ok())
        .filter(|_| line.starts_with("HTTP/1."))
        .ok_or_else(|| "malformed status line".to_owned())?;
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(
            target("http://127.0.0.1:8080/dlr?x=1&SMSID=a").unwrap(),
            Target {
                host: "127.0.0.1".into(),
                port: 8080,
                path: "/dlr?x=1&SMSID=a".into()
            }
        );
        assert_eq!(target("http://localhost?a=1").unwrap().path, "/?a=1");
        assert_eq!(target("http://[::1]:9/").unwrap().port, 9);
        assert_eq!(target("http://127.8.9.10").unwrap().port, 80);
        assert!(matches!(
            target("http://example.vn/dlr"),
            Err(RefusalReason::NotLoopback { .. })
        ));
        assert!(matches!(
            target("http://10.0.0.1/dlr"),
            Err(RefusalReason::NotLoopback { .. })
        ));
        assert!(matches!(
            target("https://127.0.0.1/dlr"),
            Err(RefusalReason::UnsupportedScheme { .. })
        ));
        assert!(matches!(
            target("http://user@127.0.0.1/"),
            Err(RefusalReason::MalformedUrl)
        ));
        assert!(matches!(
            target("http://127.0.0.1:x/"),
            Err(RefusalReason::MalformedUrl)
        ));
    }

    #[test]
    fn report_queries() {
        let phones = vec!["0901888484".to_owned(), "0961234567".to_owned()];
        let undeliverable = vec!["0961234567".to_owned()];
        let input = ReportInput {
            sms_id: "abc",
            sms_type: EsmsSmsType::Viber,
            phones: &phones,
            request_id: None,
            price_per_recipient: 470,
            undeliverable: &undeliverable,
        };
        let reports = esms_reports(&input);
        assert_eq!(reports.len(), 2);
        assert_eq!(
            append_query("http://127.0.0.1/cb?k=v#frag", &reports[0].1),
            "http://127.0.0.1/cb?k=v&SMSID=abc&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=470.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=23&telcoid=2&phonenumber=0901888484"
        );
        assert!(append_query("http://h/", &reports[1].1)
            .contains("SendFailed=1&SendStatus=5&SendSuccess=0"));
        let advertising = ReportInput {
            sms_type: EsmsSmsType::Advertising,
            ..input
        };
        let reports = esms_reports(&advertising);
        assert_eq!(reports.len(), 1);
        assert_eq!(reports[0].0, None);
        assert_eq!(
            append_query("http://h/", &reports[0].1),
            "http://h/?SMSID=abc&SendFailed=1&SendStatus=5&SendSuccess=1&TotalPrice=940.0000&TotalReceiver=2&TotalSent=2&RequestId=&TypeId=1"
        );
    }
}
