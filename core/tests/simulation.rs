//! Deterministic fault simulation of the send protocol: a simulated provider per provider (in
//! process, no sockets, a virtual clock) and proptest-generated fault schedules. For every
//! schedule the properties of "never twice" must hold:
//!
//! 1. no recipient is ever accepted twice for one logical message (resends included);
//! 2. every run ends in exactly one typed outcome, no attempt starts after the deadline;
//! 3. the outcome tells the truth: accepted ⇒ delivered once; nothing-sent classes ⇒ delivered
//!    zero times;
//! 4. `retry_safe` on an unknown outcome ⇒ resending with the reported id (under any further
//!    faults) cannot produce a second acceptance;
//! 5. CareSoft: never more than 15 requests in any second across concurrent sends sharing one
//!    account state, and nothing is sent while locked out.
//!
//! The number of schedules per run is printed (`cargo test -p nhantin-core --test simulation --
//! --nocapture`); `NHANTIN_SIM_CASES` overrides it.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use nhantin_core::receipt::RecipientResult;
use nhantin_core::send::{
    AccountState, NetworkFailure, SendClass, SendContext, SendError, SendMachine, SendOutcome,
    SendPolicy, Step,
};
use nhantin_core::{
    Account, AccountInput, HttpRequest, HttpResponse, Message, MessageInput, Provider, RequestId,
    Timestamp,
};
use proptest::prelude::*;

const START: Timestamp = Timestamp::from_unix_secs(1_795_000_000);
/// How long a simulated attempt that "delays past the timeout" takes.
const TIMEOUT_MS: i64 = 30_000;

static SCHEDULES: AtomicU64 = AtomicU64::new(0);

/// What happens to one attempt, in the order it reaches the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// Processed normally and answered.
    None,
    /// The connection is refused: nothing leaves.
    Refused,
    /// Reset before the provider reads the request.
    ResetBefore,
    /// The provider processes the request, then the connection resets.
    ResetAfter,
    /// The provider processes it, but the answer comes after the client's timeout.
    DelayPastTimeout,
    /// A 5xx before processing.
    Status5xxBefore(u16),
    /// A 5xx after processing.
    Status5xxAfter(u16),
    /// 429 with any Retry-After (or none).
    TooMany(Option<u64>),
    /// Processed; the answer is garbage.
    GarbageAfter,
    /// Not processed; the answer is an HTML page from a proxy.
    GarbageBefore,
    /// CareSoft's lock-out answer (other providers: a plain 429).
    Lockout,
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        4 => Just(Fault::None),
        2 => Just(Fault::Refused),
        2 => Just(Fault::ResetBefore),
        2 => Just(Fault::ResetAfter),
        1 => Just(Fault::DelayPastTimeout),
        1 => prop::sample::select(vec![500u16, 502, 503, 504]).prop_map(Fault::Status5xxBefore),
        1 => prop::sample::select(vec![500u16, 503]).prop_map(Fault::Status5xxAfter),
        2 => prop_oneof![Just(None), (0u64..5).prop_map(Some), Just(Some(u64::MAX)), any::<u64>().prop_map(Some)].prop_map(Fault::TooMany),
        1 => Just(Fault::GarbageAfter),
        1 => Just(Fault::GarbageBefore),
        1 => Just(Fault::Lockout),
    ]
}

/// The simulated provider: the truth of what was delivered.
struct Provider_ {
    provider: Provider,
    /// Whether a repeated request id is answered "already used" instead of delivered again
    /// (eSMS: documented; InterITS: only in the "confirmed" world; CareSoft: no id at all).
    dedup: bool,
    seen_ids: BTreeMap<String, u32>,
    deliveries: BTreeMap<String, u32>,
    next_ref: u32,
    /// Instants of every request that left the client, for the pacing property.
    arrivals: Vec<Timestamp>,
}

impl Provider_ {
    fn new(provider: Provider, dedup: bool) -> Self {
        Provider_ {
            provider,
            dedup,
            seen_ids: BTreeMap::new(),
            deliveries: BTreeMap::new(),
            next_ref: 1,
            arrivals: Vec::new(),
        }
    }

    fn delivered_max(&self) -> u32 {
        self.deliveries.values().copied().max().unwrap_or(0)
    }

    /// Processes a bulk ZNS: each item is delivered unless its own id was seen (then that
    /// item is answered 124), as eSMS documents per recipient.
    fn process_bulk(&mut self, request: &HttpRequest) -> HttpResponse {
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
        let mut detail = Vec::new();
        for item in body["Data"].as_array().unwrap() {
            let phone = item["Phone"].as_str().unwrap().to_owned();
            let id = item["RequestId"].as_str().unwrap().to_owned();
            if self.seen_ids.contains_key(&id) {
                detail.push(serde_json::json!({"CodeResult": "124", "Phone": phone, "ErrorMessage": "Request exist"}));
                continue;
            }
            *self.seen_ids.entry(id).or_default() += 1;
            *self.deliveries.entry(phone.clone()).or_default() += 1;
            self.next_ref += 1;
            detail.push(serde_json::json!({"CodeResult": "100", "Phone": phone, "SMSID": format!("sms-{}", self.next_ref)}));
        }
        HttpResponse::new(
            200,
            serde_json::json!({"CodeResult": "100", "Message": "Sucess", "detail": detail})
                .to_string(),
        )
    }

    /// Processes a request: deliver to every recipient unless the id was seen (then 124).
    fn process(&mut self, request: &HttpRequest, recipients: &[String]) -> HttpResponse {
        if request.url.contains("Send_zns_bulk_v4_post_json") {
            return self.process_bulk(request);
        }
        let id = request_id_of(request);
        if let Some(id) = id.as_ref().filter(|_| self.dedup) {
            if self.seen_ids.contains_key(id) {
                return HttpResponse::new(
                    200,
                    r#"{"CodeResult":"124","CountRegenerate":0,"ErrorMessage":"Request exist 1"}"#,
                );
            }
        }
        if let Some(id) = id {
            *self.seen_ids.entry(id).or_default() += 1;
        }
        for r in recipients {
            *self.deliveries.entry(r.clone()).or_default() += 1;
        }
        self.next_ref += 1;
        match self.provider {
            Provider::Esms => HttpResponse::new(
                200,
                format!(
                    r#"{{"CodeResult":"100","CountRegenerate":0,"SMSID":"sms-{}"}}"#,
                    self.next_ref
                ),
            ),
            Provider::CareSoft => HttpResponse::new(
                200,
                format!(
                    r#"{{"code":"ok","ticket":{{"ticket_id":{},"ticket_no":1,"requester_id":2,"assignee_id":3}}}}"#,
                    self.next_ref
                ),
            ),
            Provider::InterIts => HttpResponse::new(
                200,
                format!(
                    r#"{{"code":0,"data":{{"token":"tk"}},"message":"success","referentId":"ref-{}"}}"#,
                    self.next_ref
                ),
            ),
        }
    }

    /// One attempt under `fault`: what the client sees, and how long it took.
    fn attempt(
        &mut self,
        now: Timestamp,
        request: &HttpRequest,
        recipients: &[String],
        fault: Fault,
    ) -> (Result<HttpResponse, NetworkFailure>, i64) {
        if fault != Fault::Refused {
            self.arrivals.push(now);
        }
        let maybe = |cause: &str| {
            Err(NetworkFailure::MaybeSent {
                cause: cause.into(),
            })
        };
        match fault {
            Fault::None => (Ok(self.process(request, recipients)), 40),
            Fault::Refused => (
                Err(NetworkFailure::NotSent {
                    cause: "connection refused".into(),
                }),
                1,
            ),
            Fault::ResetBefore => (maybe("connection reset"), 5),
            Fault::ResetAfter => {
                self.process(request, recipients);
                (maybe("connection reset"), 40)
            }
            Fault::DelayPastTimeout => {
                self.process(request, recipients);
                (maybe("timed out"), TIMEOUT_MS)
            }
            Fault::Status5xxBefore(s) => (Ok(HttpResponse::new(s, "Service Unavailable")), 10),
            Fault::Status5xxAfter(s) => {
                self.process(request, recipients);
                (Ok(HttpResponse::new(s, "")), 40)
            }
            Fault::TooMany(after) => {
                let mut r =
                    HttpResponse::new(429, r#"{"code":"errors","message":"Too Many Attempts."}"#);
                if let Some(s) = after {
                    r.headers.push(("Retry-After".into(), s.to_string()));
                }
                (Ok(r), 5)
            }
            Fault::GarbageAfter => {
                self.process(request, recipients);
                (Ok(HttpResponse::new(200, "<html>gateway</html>")), 40)
            }
            Fault::GarbageBefore => (Ok(HttpResponse::new(200, "<html>proxy error</html>")), 10),
            Fault::Lockout => match self.provider {
                Provider::CareSoft => (
                    Ok(HttpResponse::new(
                        404,
                        r#"{"code":"errors","message":"Domain incorrect too many times , retry after 15 minutes "}"#,
                    )),
                    5,
                ),
                _ => (Ok(HttpResponse::new(429, "")), 5),
            },
        }
    }
}

fn request_id_of(request: &HttpRequest) -> Option<String> {
    match &request.idempotency {
        nhantin_core::Idempotency::KeyedBy(id) => Some(id.as_str().to_owned()),
        // InterITS carries the id even when it is not a key: the provider sees it.
        _ => {
            let body = String::from_utf8_lossy(&request.body);
            let v: serde_json::Value = serde_json::from_str(&body).ok()?;
            v.get("requestId")
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        }
    }
}

fn account(provider: Provider, dedup_confirmed: bool) -> Account {
    let json = match provider {
        Provider::Esms => r#"{"provider":"esms","api_key":"K","secret_key":"S"}"#.to_owned(),
        Provider::CareSoft => {
            r#"{"provider":"caresoft","domain":"demo","api_token":"T","service_id":12}"#.to_owned()
        }
        Provider::InterIts => format!(
            r#"{{"provider":"interits","api_key":"K","dedup_confirmed":{dedup_confirmed}}}"#
        ),
    };
    AccountInput::from_json(&json).unwrap().validate().unwrap()
}

/// The content shapes a send can have; each provider takes some of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Sms,
    Zns,
    ZnsBulk,
    ZaloThenSms,
    GeneratedOtp,
}

impl Shape {
    /// The `i`-th shape `provider` takes (wrapping).
    fn for_provider(provider: Provider, i: u8) -> Shape {
        let shapes: &[Shape] = match provider {
            Provider::Esms => &[
                Shape::Sms,
                Shape::Zns,
                Shape::ZnsBulk,
                Shape::ZaloThenSms,
                Shape::GeneratedOtp,
            ],
            Provider::CareSoft | Provider::InterIts => &[Shape::Sms, Shape::Zns],
        };
        shapes[usize::from(i) % shapes.len()]
    }

    /// Whether the simulated provider blocks a repeated request id for this shape: eSMS for
    /// every shape that carries a RequestId (not its generated codes); InterITS only for SMS in
    /// the world where that was confirmed (its ZNS `tracking_id` is no key); CareSoft never.
    fn dedup(self, provider: Provider, dedup_confirmed: bool) -> bool {
        match (provider, self) {
            (Provider::Esms, Shape::GeneratedOtp) => false,
            (Provider::Esms, _) => true,
            (Provider::InterIts, Shape::Sms) => dedup_confirmed,
            _ => false,
        }
    }
}

fn message(provider: Provider, recipients: &[String], shape: Shape) -> Message {
    let sender = if provider == Provider::CareSoft {
        ""
    } else {
        r#","sender":"NHANTIN""#
    };
    let oa = if provider == Provider::CareSoft {
        ""
    } else {
        r#""oa_id":"1234567890123456789","#
    };
    let zns =
        format!(r#"{{{oa}"template_id":"301122","params":[{{"name":"otp","value":"123456"}}]}}"#);
    let content = match shape {
        Shape::Sms => format!(r#"{{"sms":{{"purpose":"otp","text":"Ma OTP 123456"{sender}}}}}"#),
        Shape::Zns => format!(r#"{{"zns":{zns}}}"#),
        Shape::ZnsBulk => {
            let one = r#"[{"name":"otp","value":"123456"}]"#;
            let lists = vec![one; recipients.len()].join(",");
            format!(r#"{{"zns_bulk":{{{oa}"template_id":"301122","params":[{lists}]}}}}"#)
        }
        Shape::ZaloThenSms => format!(
            r#"{{"zalo_then_sms":{{"zns":{zns},"sms":{{"purpose":"otp","text":"123456 la ma"{sender}}}}}}}"#
        ),
        Shape::GeneratedOtp => {
            r#"{"generated_otp":{"channel":{"sms":{"sender":"NHANTIN","template":"{OTP} la ma"}}}}"#
                .to_owned()
        }
    };
    let json = format!(
        r#"{{"recipients":{},"content":{content}}}"#,
        serde_json::to_string(recipients).unwrap()
    );
    MessageInput::from_json(&json).unwrap().validate().unwrap()
}

fn policy() -> SendPolicy {
    SendPolicy {
        max_attempts: 5,
        total_deadline_ms: 60_000,
        initial_backoff_ms: 200,
        max_backoff_ms: 5_000,
        max_retry_after_ms: 60_000,
        pace_caresoft: true,
    }
}

/// Runs one machine against the provider under `faults` (then no faults), in virtual time.
fn run(
    machine: &mut SendMachine,
    sim: &mut Provider_,
    state: &mut AccountState,
    recipients: &[String],
    faults: &[Fault],
    now: &mut Timestamp,
) -> Result<SendOutcome, SendError> {
    let started = *now;
    let mut faults = faults.iter().copied();
    for _ in 0..1000 {
        match machine.poll(*now, state) {
            Step::Transmit(request) => {
                assert!(
                    now.millis_since(started) <= policy().total_deadline_ms as i64,
                    "an attempt started after the deadline"
                );
                assert!(state.locked_until(*now).is_none(), "sent while locked out");
                let (result, took) = sim.attempt(
                    *now,
                    &request,
                    recipients,
                    faults.next().unwrap_or(Fault::None),
                );
                *now = now.saturating_add_millis(took);
                match result {
                    Ok(response) => machine.on_response(*now, state, &response),
                    Err(failure) => machine.on_failure(*now, state, failure),
                }
            }
            Step::Wait(until) => {
                assert!(until > *now, "a wait must move time forward");
                *now = until;
            }
            Step::Done(result) => {
                // Polling a finished machine repeats the same outcome.
                assert_eq!(machine.poll(*now, state), Step::Done(result.clone()));
                return result;
            }
            Step::AwaitingReport => panic!("every transmit was reported"),
        }
    }
    panic!("the machine did not finish in 1000 steps");
}

fn recipients(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("09{:08}", 12_000_000 + i)).collect()
}

/// One logical message through the machine (and, if the outcome allows it, a safe resend).
fn check_one(
    provider: Provider,
    dedup_confirmed: bool,
    shape: Shape,
    faults: Vec<Fault>,
    resend_faults: Vec<Fault>,
    seed: u64,
) {
    SCHEDULES.fetch_add(1, Ordering::Relaxed);
    let many = provider == Provider::InterIts && shape == Shape::Sms;
    let recipients = recipients(match shape {
        Shape::ZnsBulk => 3,
        _ if many => 2,
        _ => 1,
    });
    let account = account(provider, dedup_confirmed);
    let message = message(provider, &recipients, shape);
    // The provider de-duplicates exactly where the world says it does.
    let mut sim = Provider_::new(provider, shape.dedup(provider, dedup_confirmed));
    let mut state = AccountState::new();
    let mut now = START;
    let context = SendContext {
        now,
        fresh_request_id: Some(RequestId::new(format!("sim-{seed}")).unwrap()),
        jitter_seed: seed,
    };
    let mut machine = SendMachine::new(&account, &message, context, &policy()).unwrap();
    let result = run(
        &mut machine,
        &mut sim,
        &mut state,
        &recipients,
        &faults,
        &mut now,
    );
    let delivered = sim.delivered_max();
    assert!(delivered <= 1, "delivered {delivered} times: {result:?}");
    let class = match &result {
        Ok(o) => o.class(),
        Err(e) => e.class(),
    };
    // A request answered per recipient: each recipient's result tells the truth about it.
    if let Ok(SendOutcome::Accepted { receipt, .. }) = &result {
        if shape == Shape::ZnsBulk {
            assert_eq!(receipt.recipients.len(), recipients.len());
            for r in &receipt.recipients {
                let phone = &recipients[r.index];
                let got = sim.deliveries.get(phone).copied().unwrap_or(0);
                match &r.result {
                    RecipientResult::Accepted { .. } | RecipientResult::AlreadySubmitted => {
                        assert_eq!(got, 1, "{:?} for {phone} delivered {got} times", r.result)
                    }
                    other => panic!("the simulated provider gives no {other:?}"),
                }
            }
        }
    }
    match class {
        SendClass::Accepted => assert_eq!(delivered, 1, "accepted must mean delivered"),
        SendClass::InvalidInput
        | SendClass::Rejected
        | SendClass::RateLimited
        | SendClass::NotSent => {
            assert_eq!(
                delivered, 0,
                "{class:?} must mean nothing was delivered: {result:?}"
            )
        }
        SendClass::AlreadySubmitted => assert!(
            sim.dedup,
            "only a de-duplicating provider answers already used"
        ),
        SendClass::OutcomeUnknown => {}
    }
    if let Err(e) = &result {
        // Retry safety is claimed only where the provider de-duplicates.
        if e.class() == SendClass::OutcomeUnknown {
            assert_eq!(e.retry_safe(), sim.dedup, "{e}");
        }
        if let Some(resend) = e.safe_resend() {
            assert!(
                resend.until.is_none_or(|u| u > now),
                "the window is open right after the send"
            );
            let context = SendContext {
                now,
                fresh_request_id: Some(RequestId::new(format!("other-{seed}")).unwrap()),
                jitter_seed: seed ^ 7,
            };
            let mut again =
                SendMachine::resend(&account, &message, resend, context, &policy()).unwrap();
            assert_eq!(
                again.request_id(),
                Some(&resend.request_id),
                "a resend carries the reported id"
            );
            let second = run(
                &mut again,
                &mut sim,
                &mut state,
                &recipients,
                &resend_faults,
                &mut now,
            );
            assert!(
                sim.delivered_max() <= 1,
                "a safe resend delivered twice: {second:?}"
            );
            if let Ok(SendOutcome::Accepted { .. }) = second {
                assert_eq!(sim.delivered_max(), 1);
            }
        }
    }
}

// A test binary may read its environment; core's clippy.toml bans it for the library only.
#[allow(clippy::disallowed_methods)]
fn cases() -> u32 {
    std::env::var("NHANTIN_SIM_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn esms_never_twice(shape in any::<u8>(), faults in prop::collection::vec(fault(), 0..8), resend in prop::collection::vec(fault(), 0..6), seed in any::<u64>()) {
        check_one(Provider::Esms, false, Shape::for_provider(Provider::Esms, shape), faults, resend, seed);
    }

    #[test]
    fn interits_never_twice(shape in any::<u8>(), faults in prop::collection::vec(fault(), 0..8), resend in prop::collection::vec(fault(), 0..6), confirmed in any::<bool>(), seed in any::<u64>()) {
        check_one(Provider::InterIts, confirmed, Shape::for_provider(Provider::InterIts, shape), faults, resend, seed);
    }

    #[test]
    fn caresoft_never_twice(shape in any::<u8>(), faults in prop::collection::vec(fault(), 0..8), seed in any::<u64>()) {
        check_one(Provider::CareSoft, false, Shape::for_provider(Provider::CareSoft, shape), faults, Vec::new(), seed);
    }
}

/// One of many concurrent sends: its machine, recipients, own clock and outcome.
type Concurrent = (
    SendMachine,
    Vec<String>,
    Timestamp,
    Option<Result<SendOutcome, SendError>>,
);

proptest! {
    #![proptest_config(ProptestConfig { cases: cases() / 20, failure_persistence: None, ..ProptestConfig::default() })]

    /// Many CareSoft sends at once, sharing one account state, interleaved in virtual time:
    /// never more than 15 requests in any one-second window, nothing sent while locked out.
    #[test]
    fn caresoft_pacing_and_lockout_hold_across_concurrent_sends(n in 20usize..60, faults in prop::collection::vec(fault(), 0..120), seed in any::<u64>()) {
        SCHEDULES.fetch_add(1, Ordering::Relaxed);
        let account = account(Provider::CareSoft, false);
        let mut sim = Provider_::new(Provider::CareSoft, false);
        let mut state = AccountState::new();
        let mut faults = faults.into_iter();
        let mut machines: Vec<Concurrent> = (0..n)
            .map(|i| {
                let r = vec![format!("09{:08}", 30_000_000 + i)];
                let ctx = SendContext { now: START, fresh_request_id: None, jitter_seed: seed.wrapping_add(i as u64) };
                (SendMachine::new(&account, &message(Provider::CareSoft, &r, Shape::Sms), ctx, &policy()).unwrap(), r, START, None)
            })
            .collect();
        let mut locked_windows: Vec<(Timestamp, Timestamp)> = Vec::new();
        // Always advance the machine whose clock is earliest: a fair virtual scheduler.
        for _ in 0..20_000 {
            let Some((i, _)) = machines.iter().enumerate().filter(|(_, m)| m.3.is_none()).min_by_key(|(_, m)| m.2) else { break };
            let (machine, recipients, now, done) = &mut machines[i];
            match machine.poll(*now, &mut state) {
                Step::Transmit(request) => {
                    prop_assert!(state.locked_until(*now).is_none());
                    prop_assert!(!locked_windows.iter().any(|(from, to)| *now >= *from && *now < *to), "sent while locked out");
                    let (result, took) = sim.attempt(*now, &request, recipients, faults.next().unwrap_or(Fault::None));
                    let at = now.saturating_add_millis(took);
                    match result {
                        Ok(response) => machine.on_response(at, &mut state, &response),
                        Err(failure) => machine.on_failure(at, &mut state, failure),
                    }
                    if let Some(until) = state.locked_until(at) {
                        locked_windows.push((at, until));
                    }
                    *now = at;
                }
                Step::Wait(until) => *now = until,
                Step::Done(result) => *done = Some(result),
                Step::AwaitingReport => unreachable!(),
            }
        }
        prop_assert!(machines.iter().all(|m| m.3.is_some()), "every send ended");
        prop_assert!(sim.delivered_max() <= 1);
        let mut arrivals = sim.arrivals.clone();
        arrivals.sort();
        for (k, t) in arrivals.iter().enumerate() {
            let in_second = arrivals[k..].iter().take_while(|u| u.millis_since(*t) < 1000).count();
            prop_assert!(in_second <= 15, "{in_second} CareSoft requests within one second");
        }
    }
}

#[test]
fn zz_report_schedule_count() {
    // Runs last in name order when tests run on one thread; with parallel tests it reports
    // what has run so far, so the authoritative count is cases() × 3 + cases() / 20.
    println!(
        "simulation: {} schedules per run (NHANTIN_SIM_CASES={})",
        cases() * 3 + cases() / 20,
        cases()
    );
}
