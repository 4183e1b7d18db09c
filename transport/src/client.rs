//! The thread-safe client: a loop that transmits what core's send machine asks for, reports
//! what happened and sleeps as long as it says. Every decision is core's (`nhantin_core::send`).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use nhantin_core::esms::{
    self, Balance, CodeCheck, ReceiverStatus, ReconcilePolicy, ReconcileStep, ReconcileVerdict,
    Reconciliation, SendStatusReport, SmsId,
};
use nhantin_core::send::{
    plan_batches, AccountState, BatchResult, NetworkFailure, QueryMachine, QueryStep, SafeResend,
    SendContext, SendError, SendMachine, SendOutcome, SendPolicy, Step, UnknownOutcome,
};
use nhantin_core::{Account, HttpRequest, HttpResponse, Message, PhoneNumber, Timestamp};

use crate::config::ClientConfig;
use crate::error::Error;

struct Inner {
    http: reqwest::blocking::Client,
    account: Account,
    config: ClientConfig,
    policy: SendPolicy,
    /// Pacing and lock-out, shared by every send of this account.
    state: Mutex<AccountState>,
    /// The wall clock at creation, advanced by a monotonic clock: waits never jump.
    epoch: (Timestamp, Instant),
    seed: AtomicU64,
    /// The process that made the client: its connection pool and reqwest's worker thread
    /// exist only there (see [`Client::in_this_process`]).
    pid: u32,
}

/// A client for one provider account. `Send + Sync`; clones share one connection pool and one
/// pacing/lock-out state.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("provider", &self.inner.account.provider())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Builds the client. Refuses a plain-http base URL unless `allow_insecure_http` is set.
    pub fn new(account: Account, config: ClientConfig) -> Result<Client, Error> {
        if !account.base_url().is_https() && !config.allow_insecure_http {
            return Err(Error::Config {
                message: format!(
                    "{} is not https; set allow_insecure_http only for a loopback emulator",
                    account.base_url().as_str()
                ),
            });
        }
        if config.max_attempts == 0 {
            return Err(Error::Config {
                message: "max_attempts must be at least 1".into(),
            });
        }
        let mut builder = reqwest::blocking::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(config.user_agent.clone())
            // A redirect would carry keys and phone numbers to a host nobody configured.
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(50))
            .https_only(!config.allow_insecure_http);
        if config.no_env_proxy {
            builder = builder.no_proxy();
        }
        if let Some(proxy) = &config.proxy {
            // The proxy URL may carry a password: the error names the setting, not the value.
            let proxy = reqwest::Proxy::all(proxy).map_err(|_| Error::Config {
                message: "proxy: not a valid proxy URL".into(),
            })?;
            builder = builder.proxy(proxy.no_proxy(reqwest::NoProxy::from_env()));
        }
        let http = builder.build().map_err(|e| Error::Config {
            message: format!("HTTP client: {}", e.without_url()),
        })?;
        let seed = RandomState::new().build_hasher().finish() | 1;
        let policy = config.send_policy();
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                account,
                config,
                policy,
                state: Mutex::new(AccountState::new()),
                epoch: (wall_clock(), Instant::now()),
                seed: AtomicU64::new(seed),
                pid: std::process::id(),
            }),
        })
    }

    /// The account this client sends for.
    pub fn account(&self) -> &Account {
        &self.inner.account
    }

    /// The clock this client drives core's machines with.
    pub fn now(&self) -> Timestamp {
        let (wall, at) = self.inner.epoch;
        wall.saturating_add_millis(i64::try_from(at.elapsed().as_millis()).unwrap_or(i64::MAX))
    }

    fn context(&self) -> SendContext {
        SendContext {
            now: self.now(),
            fresh_request_id: Some(generate_request_id()),
            jitter_seed: self
                .inner
                .seed
                .fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed),
        }
    }

    /// Validates, encodes and sends one message; resends only where core says it cannot
    /// deliver twice. eSMS and InterITS messages without a request id get a generated one.
    pub fn send(&self, message: &Message) -> Result<SendOutcome, Error> {
        let machine = SendMachine::new(
            &self.inner.account,
            message,
            self.context(),
            &self.inner.policy,
        )?;
        log::info!(
            "sending an {} via {} to {} recipient(s){}",
            message.content.label(),
            self.inner.account.provider(),
            message.recipients.len(),
            id_note(machine.request_id())
        );
        Ok(self.drive(machine)?)
    }

    /// Sends again a message whose send ended in an unknown outcome, with the request id that
    /// send carried: the provider then de-duplicates, so the message cannot arrive twice.
    /// Refused before anything is sent once the provider's memory of the id may have lapsed.
    pub fn resend(&self, message: &Message, resend: &SafeResend) -> Result<SendOutcome, Error> {
        let machine = SendMachine::resend(
            &self.inner.account,
            message,
            resend,
            self.context(),
            &self.inner.policy,
        )?;
        log::info!(
            "resending via {}{}",
            self.inner.account.provider(),
            id_note(machine.request_id())
        );
        Ok(self.drive(machine)?)
    }

    /// Sends an eSMS advertising message to any number of recipients (or an eSMS bulk ZNS),
    /// split by core into requests of at most 5000 (500) whose ids name their recipients (see
    /// [`nhantin_core::send::plan_batches`]). Every batch is planned before the first is sent;
    /// every batch is attempted and reported. A bulk ZNS batch's per-recipient `index` is the
    /// recipient's position in the whole message. Any other message is one batch.
    pub fn send_bulk(&self, message: &Message) -> Result<Vec<BatchResult>, Error> {
        if !self.inner.account.splits(message) {
            let context = self.context();
            let machine =
                SendMachine::new(&self.inner.account, message, context, &self.inner.policy)?;
            let request_id = machine.request_id().cloned();
            return Ok(vec![BatchResult {
                first_recipient: 0,
                recipients: message.recipients.len(),
                request_id,
                result: self.drive(machine),
            }]);
        }
        let batches = plan_batches(&self.inner.account, message, self.now())?;
        Ok(batches
            .into_iter()
            .map(|batch| {
                let machine = SendMachine::from_request(
                    self.inner.account.provider(),
                    batch.request,
                    Some(batch.request_id.clone()),
                    self.context(),
                    &self.inner.policy,
                );
                let mut result = self.drive(machine);
                // Core numbers a receipt's recipients within its request; a caller matches
                // them to its own rows, so they are numbered in the whole message.
                if let Ok(SendOutcome::Accepted { receipt, .. }) = &mut result {
                    for r in &mut receipt.recipients {
                        r.index += batch.first_recipient;
                    }
                }
                BatchResult {
                    first_recipient: batch.first_recipient,
                    recipients: batch.recipients,
                    request_id: Some(batch.request_id),
                    result,
                }
            })
            .collect())
    }

    /// Refuses, before anything is sent, a client used in a process other than the one that made
    /// it. After a `fork()` (a pre-forking server, Python's `multiprocessing`) the child has the
    /// client's memory but not reqwest's worker thread: a request would wait out its whole
    /// deadline and then be reported as possibly sent. Make the client after forking.
    fn in_this_process(&self) -> Result<(), nhantin_core::Error> {
        if std::process::id() == self.inner.pid {
            Ok(())
        } else {
            Err(nhantin_core::Error::InvalidInput {
                field: "client".into(),
                reason: "was made in another process (before a fork): its connections and worker thread do not exist in this one; make the client after forking".into(),
            })
        }
    }

    /// Runs a send machine to its end: transmit, report, sleep.
    pub fn drive(&self, mut machine: SendMachine) -> Result<SendOutcome, SendError> {
        self.in_this_process()?;
        loop {
            let step = machine.poll(self.now(), &mut self.state());
            match step {
                Step::Transmit(request) => {
                    log::debug!(
                        "attempt {} to {}{}",
                        machine.attempts(),
                        self.inner.account.provider(),
                        id_note(machine.request_id())
                    );
                    let result = self.execute(&request);
                    let now = self.now();
                    match result {
                        Ok(response) => {
                            log::debug!("answered HTTP {}", response.status);
                            machine.on_response(now, &mut self.state(), &response)
                        }
                        Err(failure) => {
                            // The failure is described in nhantin's words (no URL, no phone).
                            let (what, cause) = match &failure {
                                NetworkFailure::NotSent { cause } => ("nothing left", cause),
                                NetworkFailure::MaybeSent { cause } => ("it may have left", cause),
                            };
                            log::warn!(
                                "attempt {} got no answer ({what}): {cause}",
                                machine.attempts()
                            );
                            machine.on_failure(now, &mut self.state(), failure)
                        }
                    }
                }
                Step::Wait(until) => {
                    log::debug!("waiting until {until} before the next attempt");
                    self.sleep_until(until)
                }
                Step::Done(result) => {
                    match &result {
                        Ok(outcome) => log::info!(
                            "{} after {} attempt(s){}",
                            outcome.class(),
                            outcome.attempts(),
                            id_note(outcome.request_id())
                        ),
                        // The levels' documented meaning: an unknown outcome is something to
                        // look at, every other end without success a failure.
                        Err(e) if e.class() == nhantin_core::send::SendClass::OutcomeUnknown => {
                            log::warn!("{}: {e}", e.class())
                        }
                        Err(e) => log::error!("{}: {e}", e.class()),
                    }
                    return result;
                }
                Step::AwaitingReport => {
                    unreachable!("every transmit is reported before the next poll")
                }
            }
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, AccountState> {
        self.inner.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn sleep_until(&self, until: Timestamp) {
        let millis = until.millis_since(self.now()).clamp(0, i64::from(u32::MAX));
        std::thread::sleep(Duration::from_millis(millis.unsigned_abs()));
    }

    /// One HTTP exchange, no resends: the building block for callers with their own policy.
    /// Errors say what failed in nhantin's words, never with the URL (it carries phone numbers).
    pub fn execute(&self, request: &HttpRequest) -> Result<HttpResponse, NetworkFailure> {
        if let Err(e) = self.in_this_process() {
            return Err(NetworkFailure::NotSent {
                cause: e.to_string(),
            });
        }
        let method = match request.method {
            nhantin_core::Method::Get => reqwest::Method::GET,
            nhantin_core::Method::Post => reqwest::Method::POST,
        };
        let mut builder = self.inner.http.request(method, &request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if !request.body.is_empty() {
            builder = builder.body(request.body.clone());
        }
        let response = builder.send().map_err(|e| classify(&e))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(n, v)| {
                v.to_str()
                    .ok()
                    .map(|v| (n.as_str().to_owned(), v.to_owned()))
            })
            .collect();
        let limit = self.inner.config.max_response_bytes;
        let mut body = Vec::new();
        let mut reader = response.take(limit as u64 + 1);
        reader
            .read_to_end(&mut body)
            .map_err(|e| NetworkFailure::MaybeSent {
                cause: format!(
                    "the answer (HTTP {status}) broke off while being read: {}",
                    io_kind(&e)
                ),
            })?;
        if body.len() > limit {
            return Err(NetworkFailure::MaybeSent {
                cause: format!(
                    "the answer (HTTP {status}) is larger than {} bytes; not read",
                    thousands(limit)
                ),
            });
        }
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }

    /// The eSMS account balance.
    pub fn balance(&self) -> Result<Balance, Error> {
        let request = self.esms()?.encode_balance();
        self.query(request, esms::decode_balance)
    }

    /// The status of an eSMS message (last 7 days).
    pub fn send_status(&self, sms_id: &SmsId) -> Result<SendStatusReport, Error> {
        let request = self.esms()?.encode_send_status(sms_id);
        self.query(request, esms::decode_send_status)
    }

    /// Whether `code` is the one eSMS generated and sent to `phone` (a `generated_otp`
    /// message). Checking may use the code up, so an attempt that may have arrived is not made
    /// again: that ends as an unknown outcome.
    pub fn check_generated_otp(&self, phone: &PhoneNumber, code: &str) -> Result<CodeCheck, Error> {
        let request = self.esms()?.encode_check_code(phone, code)?;
        self.query(request, esms::decode_check_code)
    }

    /// The ZNS templates of an eSMS OA with their parameters, to check a ZNS against
    /// ([`nhantin_core::esms::ZnsTemplate::check`]) before sending it.
    pub fn zns_templates(
        &self,
        oa_id: &nhantin_core::OaId,
        kind: esms::ZnsTemplateKind,
    ) -> Result<Vec<esms::ZnsTemplate>, Error> {
        let request = self.esms()?.encode_zns_templates(oa_id, kind);
        self.query(request, esms::decode_zns_templates)
    }

    /// An eSMS lookup around ZNS: templates, a template's details, OAs, quota, a ZNS's Zalo
    /// status, brandnames ([`esms::EsmsLookup`]). Read-only, so resent freely.
    pub fn lookup(&self, lookup: &esms::EsmsLookup) -> Result<esms::EsmsLookupAnswer, Error> {
        let request = self.esms()?.encode_lookup(lookup)?;
        self.query(request, lookup.decoder())
    }

    /// What InterITS knows of a ZNS sent through `oa_id`, by the reference its send returned
    /// (Zalo's message id): InterITS pushes no ZNS delivery report, so this is how its fate is
    /// learnt (D-Z54). Read-only.
    pub fn interits_zns_message(
        &self,
        oa_id: &str,
        msg_id: &str,
    ) -> Result<nhantin_core::interits::InterItsZnsMessage, Error> {
        let request = self
            .inner
            .account
            .interits()?
            .encode_zns_message(oa_id, msg_id)?;
        self.query(request, nhantin_core::interits::decode_zns_message)
    }

    /// Per-recipient results of an eSMS message (last 7 days).
    pub fn receiver_status(&self, sms_id: &SmsId) -> Result<Vec<ReceiverStatus>, Error> {
        let request = self.esms()?.encode_receiver_status(sms_id);
        self.query(request, esms::decode_receiver_status)
    }

    /// Was this eSMS message, whose send ended in `unknown`, sent? Reads eSMS's records of the
    /// attempts' time window (`GetSmsSentData_V2`) and answers per recipient: sent (with its
    /// `SMSID`), not found, or ambiguous. Every decision is core's ([`Reconciliation`]); this
    /// only runs it.
    ///
    /// Blocks until the window has closed: up to [`esms::RECONCILE_MARGIN_MS`] after the last
    /// attempt (a reconciliation started later does not wait). The text is looked for as the
    /// message's unicode policy sent it.
    pub fn reconcile(
        &self,
        message: &Message,
        unknown: &UnknownOutcome,
    ) -> Result<Vec<(PhoneNumber, ReconcileVerdict)>, Error> {
        self.reconcile_with(message, unknown, &ReconcilePolicy::default())
    }

    /// [`Client::reconcile`] with another margin or page size.
    pub fn reconcile_with(
        &self,
        message: &Message,
        unknown: &UnknownOutcome,
        policy: &ReconcilePolicy,
    ) -> Result<Vec<(PhoneNumber, ReconcileVerdict)>, Error> {
        self.esms()?;
        let plan = Reconciliation::for_unknown(message, unknown, policy)?;
        self.drive_reconciliation(plan)
    }

    /// Runs a reconciliation plan to its verdicts: wait, query each page (resending a query is
    /// harmless), report it. An error means nothing can be concluded; ask again later.
    pub fn drive_reconciliation(
        &self,
        mut plan: Reconciliation,
    ) -> Result<Vec<(PhoneNumber, ReconcileVerdict)>, Error> {
        let account = self.esms()?;
        log::info!(
            "reconciling via {} over {} window(s)",
            self.inner.account.provider(),
            plan.windows().len()
        );
        loop {
            match plan.poll(self.now()) {
                ReconcileStep::Wait(until) => self.sleep_until(until),
                ReconcileStep::Query(query) => {
                    let request = account.encode_sent_data(&query)?;
                    let page = self.query(request, esms::decode_sent_data)?;
                    plan.on_page(&page)?;
                }
                ReconcileStep::Done(verdicts) => return Ok(verdicts),
            }
        }
    }

    fn esms(&self) -> Result<&esms::EsmsAccount, Error> {
        Ok(self.inner.account.esms()?)
    }

    /// Runs a read-only query machine to its end.
    pub fn query<T: Clone>(
        &self,
        request: HttpRequest,
        decode: fn(&HttpResponse) -> nhantin_core::Result<T>,
    ) -> Result<T, Error> {
        self.in_this_process()?;
        let mut machine = QueryMachine::new(
            self.inner.account.provider(),
            request,
            decode,
            self.now(),
            &self.inner.policy,
        );
        loop {
            match machine.poll(self.now()) {
                QueryStep::Transmit(request) => match self.execute(&request) {
                    Ok(response) => machine.on_response(self.now(), &response),
                    Err(failure) => machine.on_failure(self.now(), failure),
                },
                QueryStep::Wait(until) => self.sleep_until(until),
                QueryStep::Done(result) => return Ok(result?),
                QueryStep::AwaitingReport => {
                    unreachable!("every transmit is reported before the next poll")
                }
            }
        }
    }
}

fn id_note(id: Option<&nhantin_core::RequestId>) -> String {
    id.map(|id| format!(", request id {id}"))
        .unwrap_or_default()
}

/// Whether a reqwest failure may have let the request leave. Only a failed connection proves
/// it did not; the cause is described without the URL.
fn classify(e: &reqwest::Error) -> NetworkFailure {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the answer could not be read"
    } else if e.is_request() {
        "the connection failed during the exchange"
    } else {
        "the HTTP exchange failed"
    };
    let mut cause = what.to_owned();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        if let Some(io) = inner.downcast_ref::<std::io::Error>() {
            cause = format!("{what} ({})", io_kind(io));
            break;
        }
        source = inner.source();
    }
    if e.is_connect() {
        NetworkFailure::NotSent { cause }
    } else {
        NetworkFailure::MaybeSent { cause }
    }
}

fn io_kind(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => "connection refused".into(),
        std::io::ErrorKind::ConnectionReset => "connection reset".into(),
        std::io::ErrorKind::ConnectionAborted => "connection aborted".into(),
        std::io::ErrorKind::UnexpectedEof => "connection closed early".into(),
        std::io::ErrorKind::TimedOut => "timed out".into(),
        kind => format!("{kind:?}"),
    }
}

fn wall_clock() -> Timestamp {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    Timestamp::from_unix_millis(millis)
}

/// `nt-` and 32 hex digits of a v4 UUID: unique without coordination, 35 characters.
pub fn generate_request_id() -> nhantin_core::RequestId {
    nhantin_core::RequestId::new(format!("nt-{}", uuid::Uuid::new_v4().simple()))
        .expect("35 ASCII characters")
}

/// `1048576` as `1,048,576`: causes pass through core's phone masking (a cause may quote a
/// URL), which would take a bare run of seven digits for a phone number.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
