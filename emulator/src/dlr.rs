//! eSMS delivery reports: what is sent (digest §4.1, Zalo digest §4) and the worker that
//! sends it.
//!
//! eSMS calls the message's `CallbackUrl` with an HTTP GET whose query holds the report. The
//! emulator sends one report per recipient for single-recipient kinds (its samples for types 2,
//! 8, 23 carry `phonenumber` and `telcoid`) and one aggregate report without a phone for
//! advertising (type 1), as the documentation's samples do. ZNS reports ([`zns_report`]) carry
//! the Zalo members too, with `error_info` in the encoding eSMS uses for that kind of send. Reports leave from one background
//! thread, a configurable delay after acceptance, through a tiny HTTP/1.1 client that only
//! talks to loopback hosts: a test can never make the emulator reach the network.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS, NON_ALPHANUMERIC};

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
    let encoded: ReportQuery = query
        .iter()
        .map(|(name, value)| (*name, encode_query_value(value)))
        .collect();
    append_encoded_query(url, &encoded)
}

/// [`append_query`] for values that are already percent-encoded (ZNS `error_info`, whose
/// encodings are not the standard one).
pub(crate) fn append_encoded_query(url: &str, query: &[(&'static str, String)]) -> String {
    let base = url.split('#').next().unwrap_or_default();
    let mut out = base.to_owned();
    if !base.contains('?') {
        out.push('?');
    } else if !base.ends_with('?') && !base.ends_with('&') {
        out.push('&');
    }
    let pairs: Vec<String> = query
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    out.push_str(&pairs.join("&"));
    out
}

// ---------------------------------------------------------------------------------------------
// ZNS reports

/// How a ZNS was addressed, which decides the report's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ZnsTarget<'a> {
    /// `Phone`: `telcoid` from the prefix, `phonenumber` the phone.
    Phone(&'a str),
    /// `ZaloUid`: `telcoid=9` and the user id as `phonenumber` (the UID sample).
    Uid(&'a str),
    /// `HashPhone`: no page shows this report. The emulator writes the hash as sent as
    /// `phonenumber` (the client never gave eSMS the phone) and no `telcoid` (eSMS cannot know
    /// the network of a number it only has as a hash).
    Hash(&'a str),
}

impl ZnsTarget<'_> {
    fn phonenumber(&self) -> &str {
        match self {
            ZnsTarget::Phone(p) | ZnsTarget::Uid(p) | ZnsTarget::Hash(p) => p,
        }
    }
}

/// What one ZNS report is built from.
pub(crate) struct ZnsReportInput<'a> {
    pub sms_id: &'a str,
    pub target: ZnsTarget<'a>,
    /// A journey ZNS: `TypeId=27`, `error_info` in form 2, no `telcoid` and no `tempid`.
    pub journey: bool,
    pub oa_id: &'a str,
    pub template_id: &'a str,
    /// `Ok(zalo_msg_id)` when delivered, `Err(zalo_error)` when Zalo refused it.
    pub outcome: Result<&'a str, i32>,
    /// VND of a delivered message.
    pub price: u64,
    /// Zalo user id written into a journey report's `error_info.data.user_id`.
    pub zalo_user_id: &'a str,
    /// `dd/MM/yyyy HH:mm:ss` (Vietnam time) for the form-2 suffix.
    pub logged_at: &'a str,
}

/// The text eSMS and Zalo use for a ZNS on the phone (the samples of `GetZaloMessageStatus`
/// and of the Zalo-user-id report).
pub(crate) const DELIVERED_TO_PHONE: &str = "The message was delivered to the user's phone";

/// The text of Zalo's error for the codes the emulator produces.
pub(crate) fn zalo_error_message(code: i32) -> &'static str {
    match code {
        -118 => "Zalo account not existed",
        -114 => "User is inactive, or reject the message, or using an outdated Zalo version, or other internal errors",
        crate::zalo::ZALO_OUT_OF_QUOTA => "Out of quota",
        _ => "Unknown error",
    }
}

/// The query of one ZNS report, values already encoded, members in the order of eSMS's
/// samples for that kind (Zalo digest §4.2, §4.5):
///
/// - phone, TypeId 25 (the ZNS sample): `…&TypeId=25&telcoid&phonenumber&partnerids&error_info&oaid&tempid`,
///   `error_info` in form 1 (a JSON *string* holding the object, braces left raw);
/// - Zalo user id, TypeId 25 (the UID sample): `…&TypeId=25&telcoid=9&phonenumber&error_info&oaid&tempid&partnerids`,
///   `error_info` in form 3 (the object, encoded once, braces raw);
/// - journey, TypeId 27 (the journey sample): `…&TypeId=27&phonenumber&error_info&oaid&partnerids`,
///   `error_info` in form 2 (encoded twice, with the `____dd/MM/yyyy HH:mm:ss` suffix).
///
/// Common members: `SendStatus=5`; success `SendFailed=0&SendSuccess=1`, `TotalSent=1`, the
/// price, `partnerids` the Zalo message id; failure `SendFailed=1&SendSuccess=0`,
/// `TotalPrice=0.0000`, `TotalSent=0`, `partnerids=` empty (the ZNS failure sample).
/// `RequestId` is always empty: every Zalo sample has it empty and the digest (§9.7) asks for
/// that, so a client cannot come to rely on an echo the real server is not shown to send.
/// Where the samples show no failure (UID, journey) or no success (phone) the emulator keeps
/// the same form and writes `{"error":<code>,"message":<text>}`, plus the `data` member of the
/// form's success sample on success.
pub(crate) fn zns_report(input: &ZnsReportInput<'_>) -> ReportQuery {
    let delivered = input.outcome.is_ok();
    let type_id = if input.journey { "27" } else { "25" };
    let (success, failed, sent) = if delivered { (1, 0, 1) } else { (0, 1, 0) };
    let price = if delivered { input.price } else { 0 };
    let partner_id = input.outcome.unwrap_or_default().to_owned();
    let mut query: ReportQuery = vec![
        ("SMSID", encode_query_value(input.sms_id)),
        ("SendFailed", failed.to_string()),
        ("SendStatus", "5".to_owned()),
        ("SendSuccess", success.to_string()),
        ("TotalPrice", format!("{price}.0000")),
        ("TotalReceiver", "1".to_owned()),
        ("TotalSent", sent.to_string()),
        ("RequestId", String::new()),
        ("TypeId", type_id.to_owned()),
    ];
    let phonenumber = encode_query_value(input.target.phonenumber());
    let oaid = encode_query_value(input.oa_id);
    let tempid = encode_query_value(input.template_id);
    let partnerids = encode_query_value(&partner_id);
    // Objects are written by hand so their member order is the samples', whatever features
    // serde_json was built with.
    let (code, text) = match input.outcome {
        Ok(_) => (0, "Success"),
        Err(code) => (code, zalo_error_message(code)),
    };
    let error_and_message = format!(r#""error":{code},"message":{}"#, json_string(text));
    if input.journey {
        let data = if delivered {
            format!(
                r#""data":{{"message_id":{},"user_id":{}}},"#,
                json_string(&partner_id),
                json_string(input.zalo_user_id)
            )
        } else {
            String::new()
        };
        let raw = format!("{{{data}{error_and_message}}}____{}", input.logged_at);
        query.push(("phonenumber", phonenumber));
        query.push(("error_info", error_info_form2(&raw)));
        query.push(("oaid", oaid));
        query.push(("partnerids", partnerids));
        return query;
    }
    match input.target {
        ZnsTarget::Uid(_) => {
            let data = if delivered {
                format!(
                    r#","data":{{"delivery_time":null,"message":{},"status":1}}"#,
                    json_string(DELIVERED_TO_PHONE)
                )
            } else {
                String::new()
            };
            let raw = format!("{{{error_and_message}{data}}}");
            query.push(("telcoid", "9".to_owned()));
            query.push(("phonenumber", phonenumber));
            query.push(("error_info", encode_raw_braces(&raw)));
            query.push(("oaid", oaid));
            query.push(("tempid", tempid));
            query.push(("partnerids", partnerids));
        }
        ZnsTarget::Phone(_) | ZnsTarget::Hash(_) => {
            if let ZnsTarget::Phone(phone) = input.target {
                if let Some((telco_id, _)) = telco(phone) {
                    query.push(("telcoid", telco_id.to_string()));
                }
            }
            let as_string = json_string(&format!("{{{error_and_message}}}"));
            query.push(("phonenumber", phonenumber));
            query.push(("partnerids", partnerids));
            query.push(("error_info", encode_raw_braces(&as_string)));
            query.push(("oaid", oaid));
            query.push(("tempid", tempid));
        }
    }
    query
}

fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// Forms 1 and 3: the standard query encoding, except `{` and `}`, which eSMS leaves raw.
const RAW_BRACES: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'{')
    .remove(b'}');

fn encode_raw_braces(value: &str) -> String {
    utf8_percent_encode(value, RAW_BRACES).to_string()
}

/// Form 2's first pass: only braces, quotes, spaces (and `%`, so the pass can be undone)
/// are encoded; the second pass is the standard encoding of the result. That reproduces the
/// journey sample exactly: `{` → `%257B`, `"` → `%2522`, space → `%2520`, but `:` → `%3A`,
/// `,` → `%2C`, `/` → `%2F`.
const FORM2_FIRST_PASS: &AsciiSet = &CONTROLS.add(b'{').add(b'}').add(b'"').add(b' ').add(b'%');

fn error_info_form2(raw: &str) -> String {
    let once = utf8_percent_encode(raw, FORM2_FIRST_PASS).to_string();
    encode_query_value(&once)
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

    /// The three Zalo callback samples (Zalo digest §4.5), rebuilt byte for byte from their
    /// decoded values: form 1 (phone, TypeId 25, a failure), form 2 (journey, TypeId 27) and
    /// form 3 (Zalo user id, TypeId 25).
    #[test]
    fn zns_reports_match_the_samples() {
        let base = ZnsReportInput {
            sms_id: "f66545d2-c7e2-4603-984e-d2238c363c8292",
            target: ZnsTarget::Phone("0901888484"),
            journey: false,
            oa_id: "1397492183140006179",
            template_id: "2056446",
            outcome: Err(-114),
            price: 220,
            zalo_user_id: "",
            logged_at: "",
        };
        assert_eq!(
            append_encoded_query("https://h/", &zns_report(&base)),
            "https://h/?SMSID=f66545d2-c7e2-4603-984e-d2238c363c8292&SendFailed=1&SendStatus=5&SendSuccess=0&TotalPrice=0.0000&TotalReceiver=1&TotalSent=0&RequestId=&TypeId=25&telcoid=2&phonenumber=0901888484&partnerids=&error_info=%22{%5C%22error%5C%22%3A-114%2C%5C%22message%5C%22%3A%5C%22User%20is%20inactive%2C%20or%20reject%20the%20message%2C%20or%20using%20an%20outdated%20Zalo%20version%2C%20or%20other%20internal%20errors%5C%22}%22&oaid=1397492183140006179&tempid=2056446"
        );
        let journey = ZnsReportInput {
            sms_id: "7d11c87a22934df390f73ec59d8defd6205",
            target: ZnsTarget::Phone("312158068343230"),
            journey: true,
            oa_id: "4097311281936189049",
            outcome: Ok("e1a60e8890be9de4c4ab"),
            zalo_user_id: "31215806834323092",
            logged_at: "24/04/2024 16:58:01",
            ..base
        };
        assert_eq!(
            append_encoded_query("https://h/", &zns_report(&journey)),
            "https://h/?SMSID=7d11c87a22934df390f73ec59d8defd6205&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=220.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=27&phonenumber=312158068343230&error_info=%257B%2522data%2522%3A%257B%2522message_id%2522%3A%2522e1a60e8890be9de4c4ab%2522%2C%2522user_id%2522%3A%252231215806834323092%2522%257D%2C%2522error%2522%3A0%2C%2522message%2522%3A%2522Success%2522%257D____24%2F04%2F2024%252016%3A58%3A01&oaid=4097311281936189049&partnerids=e1a60e8890be9de4c4ab"
        );
        let uid = ZnsReportInput {
            sms_id: "5450d5579bfa466a9f2a5911c82f4037",
            target: ZnsTarget::Uid("5308693166941955879"),
            journey: false,
            oa_id: "3639635426588416370",
            template_id: "523194",
            outcome: Ok("416f53d0cf0ec7569e19"),
            price: 2104,
            ..base
        };
        assert_eq!(
            append_encoded_query("https://h/", &zns_report(&uid)),
            "https://h/?SMSID=5450d5579bfa466a9f2a5911c82f4037&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=2104.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=25&telcoid=9&phonenumber=5308693166941955879&error_info={%22error%22%3A0%2C%22message%22%3A%22Success%22%2C%22data%22%3A{%22delivery_time%22%3Anull%2C%22message%22%3A%22The%20message%20was%20delivered%20to%20the%20user%27s%20phone%22%2C%22status%22%3A1}}&oaid=3639635426588416370&tempid=523194&partnerids=416f53d0cf0ec7569e19"
        );
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
