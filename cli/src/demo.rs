//! `nhantin demo`: one message through every endpoint to an in-process emulator, with the
//! delivery reports the emulator sends back to a loopback receiver, then the eSMS queries and
//! ZNS lookups. No credentials, no network.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use nhantin_core::esms::{EsmsLookup, EsmsLookupAnswer, SmsId, ZnsState, ZnsTemplateKind};
use nhantin_core::receipt::RecipientResult;
use nhantin_core::{esms, Account, Message, MessageInput, Timestamp};
use nhantin_emulator::{Emulator, EmulatorConfig};
use nhantin_transport::{Client, ClientConfig, SendOutcome};
use serde_json::{json, Value};

use crate::Failure;

/// Receives eSMS delivery reports (HTTP GET) on 127.0.0.1 and keeps their query strings.
struct ReportReceiver {
    url: String,
    queries: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    addr: std::net::SocketAddr,
    thread: Option<JoinHandle<()>>,
}

impl ReportReceiver {
    fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let queries = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (q, s) = (queries.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    if let Some(query) = serve_one(stream) {
                        q.lock().unwrap().push(query);
                    }
                }
            }
        });
        Ok(ReportReceiver {
            url: format!("http://{addr}/esms/dlr"),
            queries,
            stop,
            addr,
            thread: Some(thread),
        })
    }

    fn wait_for(&self, sms_ids: &[String], timeout: Duration) -> Vec<esms::DeliveryReport> {
        let deadline = Instant::now() + timeout;
        loop {
            let reports: Vec<_> = self
                .queries
                .lock()
                .unwrap()
                .iter()
                .map(|q| esms::parse_delivery_report(q))
                .collect();
            let all = sms_ids
                .iter()
                .all(|id| reports.iter().any(|r| r.sms_id.as_deref() == Some(id)));
            if all || Instant::now() > deadline {
                return reports;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for ReportReceiver {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve_one(mut stream: TcpStream) -> Option<String> {
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? <= 2 {
            break;
        }
    }
    stream
        .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK")
        .ok()?;
    let target = line.split_whitespace().nth(1)?;
    Some(
        target
            .split_once('?')
            .map(|(_, q)| q.to_owned())
            .unwrap_or_default(),
    )
}

struct Row {
    endpoint: String,
    request: String,
    outcome: String,
    report: String,
    ok: bool,
    json: Value,
    /// The eSMS message ids the send was accepted under (one per recipient for a bulk ZNS):
    /// the delivery reports name them.
    refs: Vec<String>,
}

pub fn run(as_json: bool) -> Result<(), Failure> {
    let fail = |what: &str, e: &dyn std::fmt::Display| Failure {
        code: 1,
        message: format!("{what}: {e}"),
    };
    let emulator = Emulator::start(EmulatorConfig {
        delivery_report_delay: Duration::from_millis(20),
        ..EmulatorConfig::default()
    })
    .map_err(|e| fail("starting the emulator", &e))?;
    let receiver = ReportReceiver::start().map_err(|e| fail("starting the report receiver", &e))?;
    let [esms_account, caresoft_account, interits_account] = crate::emulator_accounts(&emulator);
    let config = ClientConfig {
        allow_insecure_http: true,
        ..ClientConfig::default()
    };
    let client = |account: &Account| Client::new(account.clone(), config.clone());
    let (esms_client, caresoft_client, interits_client) = (
        client(&esms_account)?,
        client(&caresoft_account)?,
        client(&interits_account)?,
    );

    let now = crate::now();
    let schedule = Timestamp::from_unix_millis(now.unix_millis() + 3_600_000).to_rfc3339_utc();
    let thirty: Vec<String> = (0..30)
        .map(|i| format!("09{:08}", 12_340_000 + i))
        .collect();
    let cb = receiver.url.clone();
    let message = |v: Value| -> Message {
        MessageInput::from_json(&v.to_string())
            .and_then(|m| m.validate())
            .expect("demo messages are valid")
    };
    let sends: Vec<(&str, &Client, Message)> = vec![
        (
            "eSMS SendMultipleMessage_V4_post_json/ (OTP)",
            &esms_client,
            message(
                json!({"recipients": ["0912345678"], "content": {"sms": {"purpose": "otp", "text": "Mã OTP của bạn là 482913", "sender": "NHANTIN"}}, "callback_url": cb}),
            ),
        ),
        (
            "eSMS SendMultipleMessage_V4_post_json/ (fixed number)",
            &esms_client,
            message(
                json!({"recipients": ["0987654321"], "content": {"sms": {"purpose": "fixed_number", "text": "Ma xac nhan 120587"}}, "callback_url": cb}),
            ),
        ),
        (
            "eSMS SendMultipleMessage_V4/ (XML customer care)",
            &esms_client,
            message(
                json!({"recipients": ["0912345678", "0362345678"], "content": {"sms": {"purpose": "customer_care", "text": "Don hang #42 & qua <tang> da giao", "sender": "NHANTIN"}}, "callback_url": cb, "options": {"esms": {"format": "xml"}}}),
            ),
        ),
        (
            "eSMS SendMultipleSMSBrandname (XML advertising)",
            &esms_client,
            message(
                json!({"recipients": thirty, "content": {"sms": {"purpose": "advertising", "text": "Khuyen mai 50% cuoi tuan", "sender": "NHANTIN"}}, "callback_url": cb, "options": {"esms": {"format": "xml"}}}),
            ),
        ),
        (
            "eSMS SendMultipleSMSBrandname_json/ (advertising)",
            &esms_client,
            message(
                json!({"recipients": thirty, "content": {"sms": {"purpose": "advertising", "text": "Sale 11.11 giam 30%", "sender": "NHANTIN"}}, "schedule": schedule, "callback_url": cb}),
            ),
        ),
        (
            "eSMS SendMultipleMessage_V4_get (fixed number)",
            &esms_client,
            message(
                json!({"recipients": ["0701234567"], "content": {"sms": {"purpose": "fixed_number", "text": "Ma OTP: 123456 & 100% ="}}, "callback_url": cb, "options": {"esms": {"format": "get"}}}),
            ),
        ),
        (
            "eSMS Send_Multiple_Sms_OTT/ (Viber)",
            &esms_client,
            message(
                json!({"recipients": ["0912345678"], "content": {"viber": {"text": "Đơn hàng đã giao", "sender": "NHANTIN", "image_url": "https://cdn.example.vn/don-hang.png", "button": {"label": "Xem đơn", "url": "https://example.vn/o/42"}}}, "callback_url": cb}),
            ),
        ),
        (
            "eSMS SendZaloMessage_V6/ (Zalo ZNS)",
            &esms_client,
            message(
                json!({"recipients": ["0912345678"], "content": {"zns": {"oa_id": nhantin_emulator::DEMO_ZALO_OA_ID, "template_id": nhantin_emulator::DEMO_ZNS_TEMPLATE_ID,
                    "params": [{"name": "customer_name", "value": "Trần Thị Bình"}, {"name": "order_code", "value": "DH20931"}]}}, "callback_url": cb}),
            ),
        ),
        (
            "eSMS SendZaloMessage_V6/ (ZNS, no Zalo)",
            &esms_client,
            message(
                json!({"recipients": [nhantin_emulator::DEMO_PHONE_WITHOUT_ZALO], "content": {"zns": {"oa_id": nhantin_emulator::DEMO_ZALO_OA_ID, "template_id": nhantin_emulator::DEMO_ZNS_OTP_TEMPLATE_ID,
                    "params": [{"name": "otp", "value": "482913"}]}}, "callback_url": cb}),
            ),
        ),
        (
            // One template, each recipient with its own values; the second name is longer than
            // the template's 30 characters, so eSMS refuses that recipient (790) and sends the others.
            "eSMS Send_zns_bulk_v4_post_json/ (bulk ZNS)",
            &esms_client,
            message(
                json!({"recipients": ["0912345678", "0987654321", "0765418062"], "callback_url": cb, "content": {"zns_bulk": {
                    "oa_id": nhantin_emulator::DEMO_ZALO_OA_ID, "template_id": nhantin_emulator::DEMO_ZNS_TEMPLATE_ID, "params": [
                        [{"name": "customer_name", "value": "Trần Thị Bình"}, {"name": "order_code", "value": "DH20931"}],
                        [{"name": "customer_name", "value": "Công ty TNHH Thương mại Dịch vụ Bình Minh"}, {"name": "order_code", "value": "DH20932"}],
                        [{"name": "customer_name", "value": "Lê Văn An"}, {"name": "order_code", "value": "DH20933"}]]}}}),
            ),
        ),
        (
            "eSMS MultiChannelMessage/ (ZNS, then SMS)",
            &esms_client,
            message(
                json!({"recipients": [nhantin_emulator::DEMO_PHONE_WITHOUT_ZALO], "callback_url": cb, "content": {"zalo_then_sms": {
                    "zns": {"oa_id": nhantin_emulator::DEMO_ZALO_OA_ID, "template_id": nhantin_emulator::DEMO_ZNS_OTP_TEMPLATE_ID, "params": [{"name": "otp", "value": "915372"}]},
                    "sms": {"purpose": "otp", "text": "915372 la ma xac thuc cua ban", "sender": "NHANTIN"}}}}),
            ),
        ),
        (
            "eSMS SendMessageAutoGenCode_V4_get (generated OTP)",
            &esms_client,
            message(
                json!({"recipients": ["0912345678"], "content": {"generated_otp": {"channel": {"sms": {"sender": "NHANTIN", "template": "{OTP} la ma xac thuc cua ban", "digits_only": true}}, "time_alive_minutes": 5}}}),
            ),
        ),
        (
            "CareSoft /{domain}/api/v1/zalo/zns",
            &caresoft_client,
            message(
                json!({"recipients": ["0980000000"], "content": {"zns": {"template_id": nhantin_emulator::DEMO_CARESOFT_ZNS_TEMPLATE_ID.to_string(),
                    "params": [{"name": "requester", "value": "Trần Thị Bình"}]}}}),
            ),
        ),
        (
            "InterITS /api/vendor/v1/zalo/send-zns",
            &interits_client,
            message(
                json!({"recipients": ["0901234567"], "content": {"zns": {"oa_id": nhantin_emulator::DEMO_ZALO_OA_ID, "template_id": nhantin_emulator::DEMO_ZNS_OTP_TEMPLATE_ID,
                    "params": [{"name": "otp", "value": "731042"}]}}}),
            ),
        ),
        (
            "CareSoft /{domain}/api/v1/sms",
            &caresoft_client,
            message(
                json!({"recipients":["0980000000"],"content":{"sms":{"purpose":"customer_care","text":"Chúc mừng sinh nhật quý khách"}}}),
            ),
        ),
        (
            "InterITS /api/vendor/v1/sms/send-message",
            &interits_client,
            message(
                json!({"recipients": ["0901234567"], "content": {"sms": {"purpose": "otp", "text": "Ma OTP: 731042", "sender": "NHANTIN"}}, "schedule": schedule}),
            ),
        ),
    ];

    let mut rows = Vec::new();
    let mut first_sms_id = None;
    for (endpoint, client, mut msg) in sends {
        if msg.request_id.is_none() && client.account().wants_request_id(&msg) {
            msg.request_id = Some(nhantin_transport::generate_request_id());
        }
        let request = client.account().encode_send(&msg, now)?;
        let recipients = msg
            .recipients
            .iter()
            .take(2)
            .map(|p| p.masked())
            .collect::<Vec<_>>()
            .join(", ");
        let more = if msg.recipients.len() > 2 {
            format!(" +{}", msg.recipients.len() - 2)
        } else {
            String::new()
        };
        let shape = match &msg.content {
            nhantin_core::Content::ZaloThenSms(both) => format!(
                "template {}, then {} SMS",
                both.zns.template_id.as_str(),
                both.sms.sender.as_ref().map(|b| b.as_str()).unwrap_or("-")
            ),
            nhantin_core::Content::GeneratedOtp(_) => "code generated by eSMS".to_owned(),
            nhantin_core::Content::Zns(zns) => {
                format!(
                    "template {}, {} param(s)",
                    zns.template_id.as_str(),
                    zns.params.len()
                )
            }
            nhantin_core::Content::ZnsBulk(bulk) => format!(
                "template {}, {} param(s) per recipient",
                bulk.template_id.as_str(),
                bulk.params.first().map_or(0, Vec::len)
            ),
            content => {
                let analysis =
                    nhantin_core::analyze(content.texts().first().copied().unwrap_or_default());
                let encoding = match analysis.encoding {
                    nhantin_core::Encoding::Gsm7 => "GSM-7",
                    nhantin_core::Encoding::Ucs2 => "UCS-2",
                };
                format!("{} segment(s) {encoding}", analysis.segments)
            }
        };
        let summary = format!(
            "{} {} → {recipients}{more}; {shape}",
            request.method,
            short_path(&request.url),
        );
        let result = client.send(&msg);
        let mut refs = Vec::new();
        let (outcome, ok, json) = match &result {
            // A request answered per recipient (bulk ZNS): what became of each is the outcome.
            Ok(o @ SendOutcome::Accepted { receipt, .. }) if !receipt.recipients.is_empty() => {
                let mut accepted = 0;
                let mut refused = Vec::new();
                let mut other = 0;
                for r in &receipt.recipients {
                    match &r.result {
                        RecipientResult::Accepted { sms_id } => {
                            accepted += 1;
                            refs.push(sms_id.clone());
                        }
                        RecipientResult::Refused { code, .. } => {
                            refused.push(code.clone().unwrap_or_else(|| "-".into()))
                        }
                        _ => other += 1,
                    }
                }
                let mut text = format!("{accepted} of {} accepted", receipt.recipients.len());
                if !refused.is_empty() {
                    text.push_str(&format!(
                        ", {} refused ({})",
                        refused.len(),
                        refused.join(", ")
                    ));
                }
                if other > 0 {
                    text.push_str(&format!(", {other} unsettled"));
                }
                // The call did its job when it says what became of every recipient.
                (text, other == 0, crate::outcome_json(o))
            }
            Ok(o @ SendOutcome::Accepted { receipt, .. }) => {
                if receipt.provider == nhantin_core::Provider::Esms && first_sms_id.is_none() {
                    first_sms_id = receipt.reference.clone();
                }
                refs.extend(receipt.reference.clone());
                (
                    format!(
                        "accepted, ref {}",
                        receipt.reference.as_deref().unwrap_or("-")
                    ),
                    true,
                    crate::outcome_json(o),
                )
            }
            Ok(o) => (
                "already submitted".to_owned(),
                false,
                crate::outcome_json(o),
            ),
            Err(e) => (
                format!("FAILED: {e}"),
                false,
                json!({"error": crate::error_json(e)}),
            ),
        };
        rows.push(Row {
            endpoint: endpoint.to_owned(),
            request: summary,
            outcome,
            report: String::new(),
            ok,
            json,
            refs,
        });
    }

    // The generated code, checked back: the emulator shows what it generated (a test-only view;
    // the real provider never tells), and a code is good once.
    if let Some(record) = emulator
        .messages()
        .iter()
        .find(|m| m.generated_code.is_some())
    {
        let code = record
            .generated_code
            .as_ref()
            .map(|g| g.code.clone())
            .unwrap_or_default();
        let phone = nhantin_core::PhoneNumber::parse("phone", "0912345678")?;
        for attempt in ["first", "again"] {
            let checked = esms_client.check_generated_otp(&phone, &code);
            rows.push(query_row(
                &format!("eSMS CheckCodeGen_V4_get ({attempt})"),
                "GET CheckCodeGen_V4_get",
                checked.as_ref().map(|c| format!("code {c:?}")),
                checked.as_ref().ok().map(|c| json!(c)),
            ));
        }
    }

    // Queries on the first eSMS message.
    let balance = esms_client.balance();
    rows.push(query_row(
        "eSMS GetBalance_json",
        "POST GetBalance_json",
        balance.as_ref().map(|b| format!("balance {}", b.balance)),
        balance.as_ref().ok().map(|b| json!(b)),
    ));
    if let Some(id) = &first_sms_id {
        let sms_id = SmsId::new(id.clone())?;
        let status = esms_client.send_status(&sms_id);
        rows.push(query_row(
            "eSMS GetSendStatus",
            "GET GetSendStatus",
            status.as_ref().map(|s| {
                format!(
                    "status {}, {} delivered",
                    s.status
                        .map(|st| format!("{st:?}"))
                        .unwrap_or_else(|| "-".into()),
                    s.send_success.unwrap_or(0)
                )
            }),
            status.as_ref().ok().map(|s| json!(s)),
        ));
        let receivers = esms_client.receiver_status(&sms_id);
        rows.push(query_row(
            "eSMS GetSmsReceiverStatus_get",
            "GET GetSmsReceiverStatus_get",
            receivers
                .as_ref()
                .map(|r| format!("{} receiver(s)", r.len())),
            receivers.as_ref().ok().map(|r| json!(r)),
        ));
    }

    // Delivery reports for every accepted eSMS send (they carried our callback URL).
    let ids: Vec<String> = rows
        .iter()
        .filter(|r| r.endpoint.starts_with("eSMS S") && r.ok)
        .flat_map(|r| r.refs.iter().cloned())
        .collect();
    let reports = receiver.wait_for(&ids, Duration::from_secs(5));
    for row in rows.iter_mut() {
        if row.refs.is_empty() {
            row.report = "-".into();
            continue;
        }
        let mine: Vec<_> = reports
            .iter()
            .filter(|r| r.sms_id.as_ref().is_some_and(|id| row.refs.contains(id)))
            .collect();
        row.report = match mine.as_slice() {
            [] if row.endpoint.contains("AutoGenCode") => {
                "none: the generated-code APIs take no callback".into()
            }
            [] if row.endpoint.starts_with("eSMS") => "none yet".into(),
            [] => "no delivery reports (provider has none)".into(),
            // A multi-channel send: each report names its leg.
            list if list.iter().any(|r| r.leg.is_some()) => {
                let mut list = list.to_vec();
                list.sort_by_key(|r| r.leg.map(|leg| leg.marker()) != Some("zns"));
                let legs: Vec<String> = list
                    .iter()
                    .map(|r| {
                        let leg = match r.leg {
                            Some(nhantin_core::esms::MultiChannelLeg::Zns) => "ZNS leg",
                            Some(nhantin_core::esms::MultiChannelLeg::Sms) => "SMS leg",
                            None => "report",
                        };
                        let zalo = r
                            .error_info
                            .as_ref()
                            .and_then(|e| e.code.filter(|c| *c != 0))
                            .map(|c| format!(" (Zalo error {c})"))
                            .unwrap_or_default();
                        let verdict = json!(r.verdict);
                        format!("{leg} {}{zalo}", verdict.as_str().unwrap_or("?"))
                    })
                    .collect();
                legs.join(", ")
            }
            list => {
                let ok: i64 = list.iter().map(|r| r.send_success.unwrap_or(0)).sum();
                let failed: i64 = list.iter().map(|r| r.send_failed.unwrap_or(0)).sum();
                let zalo = list
                    .iter()
                    .filter_map(|r| r.error_info.as_ref()?.code.filter(|c| *c != 0))
                    .map(|c| format!(", Zalo error {c}"))
                    .next()
                    .unwrap_or_default();
                format!(
                    "{} report(s): {ok} delivered, {failed} failed{zalo}",
                    list.len()
                )
            }
        };
        row.json["delivery_reports"] = json!(mine);
    }

    // Lookups around ZNS, after the reports: the OA's quota (every ZNS accepted above counted
    // against it), its templates, and what Zalo did with the first recipient the bulk ZNS
    // reached. The emulator keeps a ZNS's Zalo outcome to itself until its report is due, and
    // that report has arrived by now, so the status is the one the report gave.
    let oa_id = nhantin_emulator::DEMO_ZALO_OA_ID.to_owned();
    let quota = esms_client.lookup(&EsmsLookup::ZnsQuota {
        oa_id: oa_id.clone(),
    });
    rows.push(query_row(
        "eSMS ZNS/GetQuota/",
        "POST ZNS/GetQuota/",
        quota.as_ref().map(|a| match a {
            EsmsLookupAnswer::ZnsQuota { quota } => match (quota.remaining, quota.daily) {
                (Some(left), Some(daily)) => {
                    format!(
                        "remaining {left} of the daily {daily} ({} used)",
                        daily - left
                    )
                }
                _ => crate::lookup::describe(a).join("; "),
            },
            other => crate::lookup::describe(other).join("; "),
        }),
        quota.as_ref().ok().map(|a| json!(a)),
    ));
    let templates = esms_client.lookup(&EsmsLookup::ZnsTemplates {
        oa_id,
        kind: ZnsTemplateKind::Normal,
    });
    rows.push(query_row(
        "eSMS GetTemplate/ (normal)",
        "POST GetTemplate/",
        templates.as_ref().map(|a| match a {
            EsmsLookupAnswer::ZnsTemplates { templates } => format!(
                "{} template(s): {}",
                templates.len(),
                templates
                    .iter()
                    .map(|t| format!("{} ({} param(s))", t.id, t.params.len()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            other => crate::lookup::describe(other).join("; "),
        }),
        templates.as_ref().ok().map(|a| json!(a)),
    ));
    let bulk_first = rows
        .iter()
        .find(|r| r.endpoint.contains("(bulk ZNS)"))
        .and_then(|r| r.refs.first().cloned());
    if let Some(sms_id) = bulk_first {
        let status = esms_client.lookup(&EsmsLookup::ZnsStatus {
            sms_id,
            kind: ZnsTemplateKind::Normal,
        });
        rows.push(query_row(
            "eSMS QueryZnsStatus/ (bulk, 1st accepted)",
            "POST QueryZnsStatus/",
            status.as_ref().map(|a| match a {
                EsmsLookupAnswer::ZnsStatus { status } => {
                    let state = match status.state {
                        ZnsState::Pending => "pending".to_owned(),
                        ZnsState::Sent => "sent to Zalo".to_owned(),
                        ZnsState::Failed => format!(
                            "failed, Zalo error {}",
                            status.zalo_error.as_deref().unwrap_or("-")
                        ),
                    };
                    let finality = if status.is_final == Some(true) {
                        " (final)"
                    } else {
                        ""
                    };
                    match &status.zalo_message_id {
                        Some(id) => format!("{state}{finality}, Zalo msg id {id}"),
                        None => format!("{state}{finality}"),
                    }
                }
                other => crate::lookup::describe(other).join("; "),
            }),
            status.as_ref().ok().map(|a| json!(a)),
        ));
    }

    let accepted = emulator.messages().len();
    let all_ok = rows.iter().all(|r| r.ok);
    if as_json {
        let out: Vec<Value> = rows.iter().map(|r| json!({"endpoint": r.endpoint, "request": r.request, "outcome": r.json, "ok": r.ok})).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(
                &json!({"rows": out, "emulator_accepted_messages": accepted})
            )
            .unwrap()
        );
    } else {
        print_table(&rows);
        println!("\n{} endpoint calls, {} ok; the emulator recorded {accepted} accepted message(s), {} delivery report(s) received.", rows.len(), rows.iter().filter(|r| r.ok).count(), reports.len());
        println!("Keys and phone numbers above are masked, as they are in nhantin's logs.");
    }
    if all_ok {
        Ok(())
    } else {
        Err(Failure {
            code: 1,
            message: "some demo calls failed".into(),
        })
    }
}

fn query_row(
    endpoint: &str,
    request: &str,
    result: Result<String, &nhantin_transport::Error>,
    value: Option<Value>,
) -> Row {
    let (outcome, ok) = match result {
        Ok(text) => (text, true),
        Err(e) => (format!("FAILED: {e}"), false),
    };
    Row {
        endpoint: endpoint.to_owned(),
        request: request.to_owned(),
        outcome,
        report: "-".into(),
        ok,
        json: value.unwrap_or(Value::Null),
        refs: Vec::new(),
    }
}

/// The path without the query: a GET query holds keys and the phone number.
fn short_path(url: &str) -> String {
    let url = url.split('?').next().unwrap_or(url);
    let path = url
        .split_once("://")
        .map(|(_, rest)| rest.split_once('/').map(|(_, p)| p).unwrap_or(""))
        .unwrap_or(url);
    let path = path
        .trim_start_matches("esms/MainService.svc/json/")
        .trim_start_matches("caresoft/")
        .trim_start_matches("interits/");
    if path.len() > 60 {
        format!(
            "{}…",
            &path[..path.char_indices().nth(59).map_or(path.len(), |(i, _)| i)]
        )
    } else {
        path.to_owned()
    }
}

fn print_table(rows: &[Row]) {
    let headers = ["endpoint", "request (masked)", "outcome", "delivery report"];
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|r| {
            [
                r.endpoint.clone(),
                r.request.clone(),
                r.outcome.clone(),
                r.report.clone(),
            ]
        })
        .collect();
    let width = |i: usize| {
        cells
            .iter()
            .map(|c| c[i].chars().count())
            .chain([headers[i].len()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..4).map(width).collect();
    let line = |values: [&str; 4]| {
        let padded: Vec<String> = values
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v}{}", " ".repeat(w - v.chars().count())))
            .collect();
        println!("| {} |", padded.join(" | "));
    };
    line(headers);
    println!(
        "|{}|",
        widths
            .iter()
            .map(|w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("|")
    );
    for c in &cells {
        line([&c[0], &c[1], &c[2], &c[3]]);
    }
}
