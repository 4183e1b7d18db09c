//! The thread-safe client: sends what core encodes and asks core what the answer means.

use std::collections::hash_map::RandomState;
use std::collections::VecDeque;
use std::hash::{BuildHasher, Hasher};
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use nhantin_core::esms::{self, Balance, ReceiverStatus, SendStatusReport, SmsId};
use nhantin_core::{Account, HttpRequest, HttpResponse, Idempotency, Message, MessageKind, Provider, Receipt, Rejection, RequestId, Timestamp};

use crate::config::ClientConfig;
use crate::error::Error;

/// What a send achieved. Its JSON form (C ABI, CLI) is tagged by `status`:
/// `{"status":"accepted","receipt":{…},"request_id":…,"attempts":1}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SendOutcome {
    /// The provider accepted the message (acceptance, not delivery: watch the delivery report).
    Accepted {
        /// The provider's receipt.
        receipt: Receipt,
        /// The idempotency key sent (generated when the caller gave none).
        request_id: Option<RequestId>,
        /// Attempts it took.
        attempts: u32,
    },
    /// A resend was answered "this request id was already used": an earlier attempt of this
    /// very send reached the provider, so the message was **not** sent a second time. Whether
    /// that earlier attempt was accepted is not known from this answer: reconcile through the
    /// delivery report or the status query.
    AlreadySubmitted {
        /// The idempotency key both attempts carried.
        request_id: RequestId,
        /// Attempts made.
        attempts: u32,
    },
}

impl SendOutcome {
    /// The idempotency key sent, if any.
    pub fn request_id(&self) -> Option<&RequestId> {
        match self {
            SendOutcome::Accepted { request_id, .. } => request_id.as_ref(),
            SendOutcome::AlreadySubmitted { request_id, .. } => Some(request_id),
        }
    }

    /// Attempts made.
    pub fn attempts(&self) -> u32 {
        match self {
            SendOutcome::Accepted { attempts, .. } | SendOutcome::AlreadySubmitted { attempts, .. } => *attempts,
        }
    }
}

/// One request of a bulk send, and what became of it. JSON: `first_recipient`, `recipients`,
/// `request_id`, and `outcome` or `error`.
#[derive(Debug)]
pub struct BatchResult {
    /// The first recipient of this batch, as an index into the message's recipient list.
    pub first_recipient: usize,
    /// How many recipients the batch carried.
    pub recipients: usize,
    /// The batch's own idempotency key; `None` for providers without one (CareSoft).
    pub request_id: Option<RequestId>,
    /// Its outcome.
    pub result: Result<SendOutcome, Error>,
}

impl serde::Serialize for BatchResult {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("first_recipient", &self.first_recipient)?;
        map.serialize_entry("recipients", &self.recipients)?;
        map.serialize_entry("request_id", &self.request_id)?;
        match &self.result {
            Ok(outcome) => map.serialize_entry("outcome", outcome)?,
            Err(e) => {
                let idempotency = self.request_id.clone().map_or(Idempotency::NotIdempotent, Idempotency::KeyedBy);
                map.serialize_entry("error", &e.to_json(&idempotency))?
            }
        }
        map.end()
    }
}

struct Inner {
    http: reqwest::blocking::Client,
    account: Account,
    config: ClientConfig,
    /// CareSoft's lock-out: until then, sends are refused locally without touching the network.
    locked_until: Mutex<Option<Instant>>,
    /// Start times of the last CareSoft sends (its documented limit is 15 per second).
    recent_sends: Mutex<VecDeque<Instant>>,
    jitter: AtomicU64,
}

/// A client for one provider account. `Send + Sync`; clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("provider", &self.inner.account.provider()).field("config", &self.inner.config).finish_non_exhaustive()
    }
}

const CARESOFT_PER_SECOND: usize = 15;

impl Client {
    /// Builds the client. Refuses a plain-http base URL unless `allow_insecure_http` is set.
    pub fn new(account: Account, config: ClientConfig) -> Result<Client, Error> {
        let base = match &account {
            Account::Esms(a) => &a.base_url,
            Account::CareSoft(a) => &a.base_url,
            Account::InterIts(a) => &a.base_url,
        };
        if !base.is_https() && !config.allow_insecure_http {
            return Err(Error::Config { message: format!("{} is not https; set allow_insecure_http only for a loopback emulator", base.as_str()) });
        }
        if config.max_attempts == 0 {
            return Err(Error::Config { message: "max_attempts must be at least 1".into() });
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
            let proxy = reqwest::Proxy::all(proxy).map_err(|e| Error::Config { message: format!("proxy: {e}") })?;
            builder = builder.proxy(proxy.no_proxy(reqwest::NoProxy::from_env()));
        }
        let http = builder.build().map_err(|e| Error::Config { message: format!("HTTP client: {e}") })?;
        let seed = RandomState::new().build_hasher().finish() | 1;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                account,
                config,
                locked_until: Mutex::new(None),
                recent_sends: Mutex::new(VecDeque::new()),
                jitter: AtomicU64::new(seed),
            }),
        })
    }

    /// The account this client sends for.
    pub fn account(&self) -> &Account {
        &self.inner.account
    }

    /// Validates, encodes and sends one message, retrying only where a resend cannot duplicate
    /// it. eSMS and InterITS messages without a request id get a generated one.
    pub fn send(&self, message: &Message) -> Result<SendOutcome, Error> {
        let mut message = message.clone();
        if message.request_id.is_none() && self.inner.account.wants_request_id() {
            message.request_id = Some(generate_request_id());
        }
        let request = self.inner.account.encode_send(&message, now())?;
        log::info!(
            "sending {:?} via {} to {} recipient(s) [{}]{}",
            message.kind,
            self.inner.account.provider(),
            message.recipients.len(),
            message.recipients.iter().take(3).map(|p| p.masked()).collect::<Vec<_>>().join(", "),
            message.request_id.as_ref().map(|id| format!(" request id {id}")).unwrap_or_default()
        );
        self.send_encoded(&request, message.request_id)
    }

    /// Sends an eSMS advertising message to any number of recipients: lists over 5000 are split
    /// into balanced requests of at most 5000 (each at least 30), each with its own request id
    /// (`<id>-<n>` when the caller gave one). Every batch is attempted and reported; a failed
    /// batch does not stop the others. Fewer than 30 recipients is refused before anything is sent.
    pub fn send_bulk(&self, message: &Message) -> Result<Vec<BatchResult>, Error> {
        let total = message.recipients.len();
        if message.kind != MessageKind::Advertising || !matches!(self.inner.account, Account::Esms(_)) {
            return Ok(vec![self.single_batch(message)?]);
        }
        if total < esms::ADVERTISING_MIN_RECIPIENTS {
            return Err(nhantin_core::Error::InvalidInput {
                field: "recipients".into(),
                reason: format!("advertising needs at least {} recipients; {total} were given", esms::ADVERTISING_MIN_RECIPIENTS),
            }
            .into());
        }
        let batches = total.div_ceil(esms::MAX_RECIPIENTS_PER_REQUEST);
        let (base, extra) = (total / batches, total % batches);
        // Ids and encodings are all checked before the first request goes out: a bad batch
        // must not be discovered after half of the list was sent.
        let mut planned = Vec::with_capacity(batches);
        let mut start = 0;
        for n in 0..batches {
            let size = base + usize::from(n < extra);
            let mut batch = message.clone();
            batch.recipients = message.recipients[start..start + size].to_vec();
            let id = match (&message.request_id, batches) {
                (Some(id), 1) => id.clone(),
                (Some(id), _) => RequestId::new(format!("{id}-{}", n + 1)).map_err(|_| nhantin_core::Error::InvalidInput {
                    field: "request_id".into(),
                    reason: format!("{id} leaves no room for the batch suffix -{}: use at most 44 characters", n + 1),
                })?,
                (None, _) => generate_request_id(),
            };
            batch.request_id = Some(id.clone());
            let request = self.inner.account.encode_send(&batch, now())?;
            planned.push((start, size, id, request));
            start += size;
        }
        Ok(planned
            .into_iter()
            .map(|(first, size, id, request)| BatchResult {
                first_recipient: first,
                recipients: size,
                request_id: Some(id.clone()),
                result: self.send_encoded(&request, Some(id)),
            })
            .collect())
    }

    fn single_batch(&self, message: &Message) -> Result<BatchResult, Error> {
        let mut message = message.clone();
        if message.request_id.is_none() && self.inner.account.wants_request_id() {
            message.request_id = Some(generate_request_id());
        }
        Ok(BatchResult { first_recipient: 0, recipients: message.recipients.len(), request_id: message.request_id.clone(), result: self.send(&message) })
    }

    /// Sends an already-encoded send request with the retry policy and decodes the answer.
    pub fn send_encoded(&self, request: &HttpRequest, request_id: Option<RequestId>) -> Result<SendOutcome, Error> {
        let provider = self.inner.account.provider();
        self.check_lockout(provider)?;
        let started = Instant::now();
        let mut attempt = 0;
        // Whether an earlier attempt of this very request may have reached the provider: from
        // then on, any failure leaves the outcome unknown, and a 124 means "already submitted".
        let mut earlier_maybe_delivered = false;
        loop {
            attempt += 1;
            if provider == Provider::CareSoft && self.inner.config.pace_caresoft {
                self.pace();
            }
            let (result, this_maybe_delivered) = match self.execute(request) {
                Ok(response) => match nhantin_core::providers::decode_send(provider, &response) {
                    Ok(receipt) => return Ok(SendOutcome::Accepted { receipt, request_id, attempts: attempt }),
                    Err(nhantin_core::Error::Rejected { reason: Rejection::DuplicateRequestId, .. }) if earlier_maybe_delivered => {
                        let request_id = request_id.expect("only keyed requests are resent after they may have arrived");
                        log::warn!("request id {request_id} already used: an earlier attempt reached {provider}; not sent twice");
                        return Ok(SendOutcome::AlreadySubmitted { request_id, attempts: attempt });
                    }
                    Err(e) => {
                        if let nhantin_core::Error::RateLimited { lockout: true, retry_after_secs, .. } = &e {
                            self.lock_out(Duration::from_secs(retry_after_secs.unwrap_or(900)));
                        }
                        // A 5xx or an unreadable answer may follow a processed request; a
                        // refusal or a rate limit means this attempt did nothing.
                        let maybe = matches!(e, nhantin_core::Error::ProviderUnavailable { .. } | nhantin_core::Error::UnexpectedResponse { .. });
                        (Attempt::Decoded(e), maybe)
                    }
                },
                Err(failure) => {
                    let maybe = failure.maybe_sent;
                    (Attempt::Failed(failure), maybe)
                }
            };
            let safe = match &result {
                Attempt::Decoded(e) => e.is_retry_safe(&request.idempotency),
                Attempt::Failed(f) => !f.maybe_sent || !matches!(request.idempotency, Idempotency::NotIdempotent),
            };
            let wait = self.backoff(attempt, result.retry_after());
            let in_time = started.elapsed() + wait < self.inner.config.total_deadline;
            if !(safe && attempt < self.inner.config.max_attempts && in_time) {
                let maybe_delivered = earlier_maybe_delivered || this_maybe_delivered;
                return Err(result.into_send_error(provider, attempt, &request.idempotency, request_id, maybe_delivered));
            }
            earlier_maybe_delivered |= this_maybe_delivered;
            log::warn!("attempt {attempt} to {provider} failed ({}); retrying in {wait:?}", result.describe());
            std::thread::sleep(wait);
        }
    }

    /// One HTTP exchange, no retries: the building block for callers with their own policy.
    pub fn execute(&self, request: &HttpRequest) -> Result<HttpResponse, SendFailure> {
        log::debug!("{} {}", request.method, request.redacted_url());
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
        let response = builder.send().map_err(|e| SendFailure::from_reqwest(&e, request))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(n, v)| v.to_str().ok().map(|v| (n.as_str().to_owned(), v.to_owned())))
            .collect();
        let limit = self.inner.config.max_response_bytes;
        let mut body = Vec::new();
        let mut reader = response.take(limit as u64 + 1);
        reader.read_to_end(&mut body).map_err(|e| SendFailure {
            message: request.redact(&format!("reading the answer: {e}")),
            maybe_sent: true,
        })?;
        if body.len() > limit {
            return Err(SendFailure { message: format!("the answer (HTTP {status}) is larger than {limit} bytes; not read"), maybe_sent: true });
        }
        Ok(HttpResponse { status, headers, body })
    }

    /// The eSMS account balance.
    pub fn balance(&self) -> Result<Balance, Error> {
        let request = self.esms()?.encode_balance();
        self.query(&request, esms::decode_balance)
    }

    /// The status of an eSMS message (last 7 days).
    pub fn send_status(&self, sms_id: &SmsId) -> Result<SendStatusReport, Error> {
        let request = self.esms()?.encode_send_status(sms_id);
        self.query(&request, esms::decode_send_status)
    }

    /// Per-recipient results of an eSMS message (last 7 days).
    pub fn receiver_status(&self, sms_id: &SmsId) -> Result<Vec<ReceiverStatus>, Error> {
        let request = self.esms()?.encode_receiver_status(sms_id);
        self.query(&request, esms::decode_receiver_status)
    }

    fn esms(&self) -> Result<&esms::EsmsAccount, Error> {
        match &self.inner.account {
            Account::Esms(a) => Ok(a),
            other => Err(nhantin_core::Error::InvalidInput { field: "account".into(), reason: format!("{} has no such query; it is an eSMS API", other.provider()) }.into()),
        }
    }

    /// Read-only requests: every failure short of a decoded refusal may be retried.
    fn query<T>(&self, request: &HttpRequest, decode: fn(&HttpResponse) -> nhantin_core::Result<T>) -> Result<T, Error> {
        let started = Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = match self.execute(request) {
                Ok(response) => match decode(&response) {
                    Ok(value) => return Ok(value),
                    Err(e) => Attempt::Decoded(e),
                },
                Err(f) => Attempt::Failed(f),
            };
            let safe = match &result {
                Attempt::Decoded(e) => e.is_retry_safe(&Idempotency::ReadOnly),
                Attempt::Failed(_) => true,
            };
            let wait = self.backoff(attempt, result.retry_after());
            if !(safe && attempt < self.inner.config.max_attempts && started.elapsed() + wait < self.inner.config.total_deadline) {
                return Err(result.into_query_error(self.inner.account.provider(), attempt));
            }
            std::thread::sleep(wait);
        }
    }

    fn check_lockout(&self, provider: Provider) -> Result<(), Error> {
        let mut locked = self.inner.locked_until.lock().unwrap_or_else(|p| p.into_inner());
        match *locked {
            Some(until) if until > Instant::now() => Err(Error::LockedOut { provider, remaining_secs: (until - Instant::now()).as_secs().max(1) }),
            Some(_) => {
                *locked = None;
                Ok(())
            }
            None => Ok(()),
        }
    }

    fn lock_out(&self, duration: Duration) {
        *self.inner.locked_until.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now() + duration);
    }

    /// Waits until fewer than 15 CareSoft sends started in the last second.
    fn pace(&self) {
        loop {
            let wait = {
                let mut recent = self.inner.recent_sends.lock().unwrap_or_else(|p| p.into_inner());
                let now = Instant::now();
                while recent.front().is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1)) {
                    recent.pop_front();
                }
                if recent.len() < CARESOFT_PER_SECOND {
                    recent.push_back(now);
                    return;
                }
                Duration::from_secs(1) - now.duration_since(recent[0])
            };
            std::thread::sleep(wait);
        }
    }

    /// Exponential backoff with full jitter, or the provider's `Retry-After` when it gave one.
    fn backoff(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait;
        }
        let config = &self.inner.config;
        let ceiling = config.initial_backoff.saturating_mul(1 << (attempt - 1).min(16)).min(config.max_backoff);
        // xorshift64: jitter only needs to spread clients apart, not to be unpredictable.
        let mut x = self.inner.jitter.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.inner.jitter.store(x, Ordering::Relaxed);
        let millis = ceiling.as_millis().max(1) as u64;
        Duration::from_millis(millis / 2 + x % (millis / 2 + 1))
    }
}

/// One attempt's failure below HTTP: whether the request may have reached the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendFailure {
    /// What happened (secrets masked).
    pub message: String,
    /// False only when the connection was never established: then nothing was sent.
    pub maybe_sent: bool,
}

impl SendFailure {
    fn from_reqwest(e: &reqwest::Error, request: &HttpRequest) -> Self {
        let mut message = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        SendFailure { message: request.redact(&message), maybe_sent: !e.is_connect() }
    }
}

enum Attempt {
    Decoded(nhantin_core::Error),
    Failed(SendFailure),
}

impl Attempt {
    fn retry_after(&self) -> Option<Duration> {
        match self {
            Attempt::Decoded(nhantin_core::Error::RateLimited { retry_after_secs: Some(s), .. }) => Some(Duration::from_secs(*s)),
            _ => None,
        }
    }

    fn describe(&self) -> String {
        match self {
            Attempt::Decoded(e) => e.to_string(),
            Attempt::Failed(f) => f.message.clone(),
        }
    }

    /// The error a send ends with. Once any attempt may have reached the provider, the outcome
    /// is unknown whatever the last attempt said, and the error carries the request id: it is
    /// the only way to resend without sending twice (the caller may not have chosen it).
    fn into_send_error(self, provider: Provider, attempts: u32, idempotency: &Idempotency, request_id: Option<RequestId>, maybe_delivered: bool) -> Error {
        match self {
            Attempt::Decoded(e) if !maybe_delivered => Error::Core(e),
            Attempt::Failed(f) if !maybe_delivered => Error::Connect { message: f.message, attempts },
            last => Error::OutcomeUnknown {
                provider,
                message: last.describe(),
                retry_safe: !matches!(idempotency, Idempotency::NotIdempotent),
                request_id,
                attempts,
            },
        }
    }

    /// The error a read-only query ends with: nothing can be delivered twice.
    fn into_query_error(self, provider: Provider, attempts: u32) -> Error {
        match self {
            Attempt::Decoded(e) => Error::Core(e),
            Attempt::Failed(f) if !f.maybe_sent => Error::Connect { message: f.message, attempts },
            Attempt::Failed(f) => Error::OutcomeUnknown { provider, message: f.message, retry_safe: true, request_id: None, attempts },
        }
    }
}

fn now() -> Timestamp {
    let millis = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
    Timestamp::from_unix_millis(millis)
}

/// `nt-` and 32 hex digits of a v4 UUID: unique without coordination, 35 characters.
pub fn generate_request_id() -> RequestId {
    RequestId::new(format!("nt-{}", uuid::Uuid::new_v4().simple())).expect("35 ASCII characters")
}
