//! A loopback HTTP server that emulates the eSMS.vn, CareSoft and InterITS endpoints exactly as
//! their documentation pages describe them, for nhantin's tests (Rust in-process; Python,
//! Kotlin and C against a separate process) and for `nhantin demo`.
//!
//! # Why it exists and what it is not
//!
//! The emulator is the ground truth of the test suites: it parses requests from the documented
//! wire formats **on its own** (it does not depend on `nhantin-core`, so a mistake in the
//! encoder cannot hide behind the same mistake in a shared decoder), refuses anything a real
//! server would drop or misread (misspelled members, wrong content types, wrong phone formats),
//! and records every message it *accepted*, so a test can assert "sent exactly once". It also
//! injects the failures that make "exactly once" hard: resets before and after processing,
//! 5xx and 429 answers, garbled and oversized bodies, delays.
//!
//! It is not a model of the providers' undocumented behaviour; where the documentation is
//! silent, each module says which choice it made and why.
//!
//! # Layout
//!
//! One server, three path prefixes, so base URLs never collide:
//!
//! | Provider | Base URL | Client appends |
//! |---|---|---|
//! | eSMS | `http://127.0.0.1:PORT/esms/MainService.svc/json/` | the operation name |
//! | CareSoft | `http://127.0.0.1:PORT/caresoft` | `/{domain}/api/v1/sms` |
//! | InterITS | `http://127.0.0.1:PORT/interits` | `/api/vendor/v1/sms/send-message` |
//!
//! plus the control API under `/_emulator/`, which mirrors the Rust methods of [`Emulator`] for
//! tests in other languages.
//!
//! # Control API (for tests that run the emulator as a process)
//!
//! | Method | Path | Body | Answer |
//! |---|---|---|---|
//! | GET | `/_emulator/health` | | `{"ok":true}` |
//! | GET | `/_emulator/messages` | | JSON array of [`AcceptedMessage`] |
//! | GET | `/_emulator/delivery-reports` | | JSON array of [`DeliveryAttempt`] |
//! | POST | `/_emulator/faults` | see below | `{"queued":true}` |
//! | POST | `/_emulator/reset` | | `{"reset":true}` (same as [`Emulator::reset`]) |
//! | POST | `/_emulator/advance-clock` | `{"secs":900}` | `{"advanced_secs":900}` |
//! | GET | `/_emulator/settings` | | `{"interits_dedup_request_id":false}` |
//! | POST | `/_emulator/settings` | `{"interits_dedup_request_id":true}` | `{"interits_dedup_request_id":true}` |
//!
//! Settings are run-time switches of behaviour the providers do not document; `POST` changes
//! the members it names and answers all current values, and a reset restores the configured
//! ones. `interits_dedup_request_id` (default `false`, same as
//! [`Emulator::set_interits_dedup_request_id`]): when `true`, an InterITS send that repeats a
//! `requestId` of the same `API-KEY` gets the first answer again and is not recorded; when
//! `false`, it is a new message with a new `referentId`.
//!
//! A fault body is `{"fault":KIND, …, "times":N, "path":"substring"}`; `times` defaults to 1 and
//! `path` to every path. Kinds (see [`Fault`] for what each does): `{"fault":"delay","millis":500}`,
//! `{"fault":"reset_before_read"}`, `{"fault":"reset_after_accept"}`,
//! `{"fault":"status","status":503}` (400..=599), `{"fault":"too_many_requests","retry_after_secs":2}`,
//! `{"fault":"malformed_json"}`, `{"fault":"html_page"}`, `{"fault":"oversized_body","bytes":10485760}`.
//! Malformed control requests get 400 `{"error":"…"}`. Records are serialized with snake_case
//! member names; `endpoint` is the provider's operation name (`"Send_Multiple_Sms_OTT"`,
//! `"caresoft_sms"`, `"interits_send_message"`), `created_at_unix_ms` is the acceptance time on
//! the real wall clock, and enums are tagged objects, e.g.
//! `"kind":{"provider":"esms","sms_type":"viber"}`,
//! `"reference":{"kind":"esms_sms_id","sms_id":"…","portal_sms_id":30000001}`,
//! `"outcome":{"kind":"answered","status":200}`.
//!
//! # Threads
//!
//! One accept thread, one thread per connection and one delivery-report thread. Every blocking
//! call wakes at least every 50 ms to look at the shutdown flag, so dropping the [`Emulator`]
//! joins them all promptly and closes the listening socket; nothing outlives it.
//!
//! # Example
//!
//! ```
//! use nhantin_emulator::{Emulator, EmulatorConfig};
//!
//! let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
//! let base = emulator.esms_base_url(); // http://127.0.0.1:PORT/esms/MainService.svc/json/
//! assert!(base.ends_with("/esms/MainService.svc/json/"));
//! assert!(emulator.messages().is_empty());
//! drop(emulator); // threads joined, port closed
//! ```

mod caresoft;
mod config;
mod control;
mod dlr;
mod esms;
mod faults;
mod http;
mod interits;
mod records;
mod server;
mod shared;
mod wire;
mod xml;

use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use crate::caresoft::LOCKOUT_MESSAGE as CARESOFT_LOCKOUT_MESSAGE;
pub use crate::config::{
    CareSoftConfig, CareSoftTenant, EmulatorConfig, EsmsAccount, EsmsConfig, InterItsConfig,
    InterItsKey, RateLimit, DEMO_CARESOFT_DOMAIN, DEMO_CARESOFT_TOKEN, DEMO_ESMS_API_KEY,
    DEMO_ESMS_SECRET_KEY, DEMO_INTERITS_KEY,
};
pub use crate::faults::Fault;
pub use crate::records::{
    AcceptedMessage, DeliveryAttempt, DeliveryOutcome, Endpoint, EsmsSentRow, EsmsSmsType,
    InterItsType, MessageKind, Provider, Reference, RefusalReason, UnicodeFlag, ViberParts,
};

use crate::server::ConnHandles;
use crate::shared::Shared;

/// A running emulator. Dropping it (or calling [`Emulator::shutdown`]) stops every thread it
/// started and closes the listening socket, so the port is free again afterwards.
pub struct Emulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    acceptor: Option<JoinHandle<()>>,
    dlr_worker: Option<JoinHandle<()>>,
    conns: ConnHandles,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .finish()
    }
}

impl Emulator {
    /// Binds `127.0.0.1:config.port` (0 = any free port) and starts serving.
    ///
    /// Only the loopback interface is ever bound: the emulator accepts demo credentials and
    /// must not be reachable from the network.
    pub fn start(config: EmulatorConfig) -> std::io::Result<Emulator> {
        let listener = TcpListener::bind(("127.0.0.1", config.port))?;
        let addr = listener.local_addr()?;
        let (tx, rx) = mpsc::channel();
        let shared = Arc::new(Shared::new(config, tx));
        let dlr_worker = dlr::spawn_worker(Arc::clone(&shared), rx)?;
        let conns: ConnHandles = Arc::new(Mutex::new(Vec::new()));
        let mut emulator = Emulator {
            shared: Arc::clone(&shared),
            addr,
            acceptor: None,
            dlr_worker: Some(dlr_worker),
            conns: Arc::clone(&conns),
        };
        // If this fails, dropping `emulator` stops the delivery-report worker.
        emulator.acceptor = Some(server::spawn_acceptor(listener, shared, conns)?);
        Ok(emulator)
    }

    /// The bound address (always 127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// eSMS base: `http://127.0.0.1:PORT/esms/MainService.svc/json/` (ends with `/`; clients
    /// append the operation name, e.g. `SendMultipleMessage_V4_post_json/`).
    pub fn esms_base_url(&self) -> String {
        format!("{}{}", self.base_url(), esms::PREFIX)
    }

    /// CareSoft base: `http://127.0.0.1:PORT/caresoft` (clients append `/{domain}/api/v1/sms`).
    pub fn caresoft_base_url(&self) -> String {
        format!("{}/caresoft", self.base_url())
    }

    /// InterITS base: `http://127.0.0.1:PORT/interits` (clients append
    /// `/api/vendor/v1/sms/send-message`).
    pub fn interits_base_url(&self) -> String {
        format!("{}/interits", self.base_url())
    }

    /// Every message accepted since start or the last [`Emulator::reset`], in order.
    pub fn messages(&self) -> Vec<AcceptedMessage> {
        self.shared.lock().messages.clone()
    }

    /// The rows eSMS `GetSmsSentData_V2` draws from: one per recipient of every accepted eSMS
    /// message, every account and type, ordered by creation time.
    pub fn esms_sent_rows(&self) -> Vec<EsmsSentRow> {
        esms::sent_rows(&self.shared)
    }

    /// Every delivery-report attempt so far, in order.
    pub fn delivery_reports(&self) -> Vec<DeliveryAttempt> {
        self.shared.lock().reports.clone()
    }

    /// Waits until at least `count` delivery-report attempts are recorded or `timeout` passes,
    /// then returns what is recorded. Reports are sent from a background thread, so tests need
    /// a way to wait for them that is not a fixed sleep.
    pub fn wait_for_delivery_reports(
        &self,
        count: usize,
        timeout: Duration,
    ) -> Vec<DeliveryAttempt> {
        let now = Instant::now();
        let deadline = now.checked_add(timeout);
        loop {
            let reports = self.delivery_reports();
            if reports.len() >= count || deadline.is_some_and(|d| Instant::now() >= d) {
                return reports;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Queues `fault` for the next `times` requests whose path contains `path_filter` (every
    /// request when `None`). Control requests (`/_emulator/…`) are never affected.
    pub fn inject(&self, fault: Fault, times: u32, path_filter: Option<&str>) {
        self.shared.lock().faults.push(fault, times, path_filter);
    }

    /// Switches InterITS de-duplication by `requestId` (see
    /// [`InterItsConfig::dedup_request_id`]) until the next [`Emulator::reset`], which restores
    /// the configured value.
    pub fn set_interits_dedup_request_id(&self, on: bool) {
        self.shared.lock().interits.dedup_request_id = on;
    }

    /// Forgets everything that happened: accepted messages, delivery reports (and reports not
    /// yet sent), seen request ids, queued faults, balances, CareSoft rate windows and
    /// lock-outs, clock advances and settings changed at run time.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Moves emulator time forward (CareSoft lock-outs, the 24-hour RequestId block and the
    /// 7-day status window run on it) without waiting.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    /// Stops serving and joins every thread. Same as dropping.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if self.shared.shutdown.swap(true, Ordering::SeqCst) {
            return;
        }
        // Hang up the delivery-report queue so the worker wakes and exits.
        self.shared
            .dlr
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(acceptor) = self.acceptor.take() {
            server::wake_acceptor(self.addr);
            let _ = acceptor.join();
        }
        let conns: Vec<JoinHandle<()>> = self
            .conns
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain(..)
            .collect();
        for conn in conns {
            let _ = conn.join();
        }
        if let Some(worker) = self.dlr_worker.take() {
            let _ = worker.join();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Not part of the API: the entry point of the fuzz target `fuzz/fuzz_targets/emulator_request.rs`
/// (the request parser is crate-private, and the fuzz crate is outside this workspace).
///
/// Frames `bytes` the way a connection is framed — a request head (`http::parse_head`), then
/// its `Content-Length` body, then the next head — and routes each complete request against a
/// fresh emulator state built from [`EmulatorConfig::default`], with no socket and no thread.
/// Returns each answer's status; a framing refusal is the last one, since it ends a connection.
/// Injected faults are not applied (they are the server loop's, not the parser's).
#[doc(hidden)]
pub fn fuzz_requests(bytes: &[u8]) -> Vec<u16> {
    let config = EmulatorConfig::default();
    let max_body = config.max_request_bytes;
    let (tx, _rx) = mpsc::channel();
    let shared = Shared::new(config, tx);
    let mut statuses = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (head, used) = match http::parse_head(rest, max_body) {
            Ok(Some(parsed)) => parsed,
            Ok(None) => break,
            Err(framing) => {
                statuses.push(framing.response().status);
                break;
            }
        };
        let Some(body) = rest[used..].get(..head.content_length) else {
            break;
        };
        rest = &rest[used + head.content_length..];
        let request = http::Request {
            head,
            body: body.to_vec(),
        };
        let response = server::route(&shared, &request);
        let _ = response.head_bytes(request.head.keep_alive);
        statuses.push(response.status);
    }
    statuses
}
