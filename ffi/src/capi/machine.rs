//! The send machine over the C ABI: for callers with their own HTTP stack (libcurl, an event
//! loop, a platform client) who want exactly the retries, pacing and never-twice classification
//! of `nhantin_client_send`. The machine decides; the caller only transmits, sleeps and reports.
//! Nothing here opens a socket or reads a clock: `now_ms` always comes from the caller.

use std::collections::hash_map::RandomState;
use std::ffi::{c_char, CString};
use std::hash::{BuildHasher, Hasher};

use nhantin_core as core;
use nhantin_core::send::{
    AccountState, NetworkFailure, SendContext, SendMachine, SendPolicy, Step,
};
use serde::Deserialize;

use super::client::{account_from_json, message_from_json, write_json_out};
use super::error::{nhantin_error, run, Failure};
use super::result::nhantin_result;
use super::{c_string, opt_str_arg, out_arg, panic, str_arg};

/// What one provider account remembers between sends: CareSoft's pacing window (15 requests
/// per second) and its lock-out. Opaque. Keep exactly one per account for as long as you send
/// to it, and pass it to every poll and report of every send machine of that account. Create
/// with `nhantin_account_state_new`, free with `nhantin_account_state_free`.
///
/// Not thread-safe: when several threads drive machines of one account, hold one lock around
/// each `nhantin_send_machine_poll`, `nhantin_send_machine_on_response` and
/// `nhantin_send_machine_on_failure` call that is given this state.
pub struct nhantin_account_state {
    _private: [u8; 0],
}

/// One send of one message, from its first attempt to its typed end, without any I/O. Opaque.
/// Create with `nhantin_send_machine_new` (or `nhantin_send_machine_resend`), free with
/// `nhantin_send_machine_free`. Drive it with `nhantin_send_machine_poll`: transmit the request
/// it gives and report the answer (`nhantin_send_machine_on_response`) or the failure
/// (`nhantin_send_machine_on_failure`), wait until the instant it gives, until it says done.
///
/// Not thread-safe: one thread at a time (it may move between threads).
pub struct nhantin_send_machine {
    _private: [u8; 0],
}

/// The data behind a machine handle.
struct Machine {
    inner: SendMachine,
    /// The transmit handed out and not yet reported (a failure's cause is redacted with it).
    in_flight: Option<core::HttpRequest>,
    /// The end, once a poll has said done.
    done: Option<Result<core::send::SendOutcome, core::send::SendError>>,
    /// When that poll was made (a lock-out's remaining time counts from it).
    done_at: core::Timestamp,
    request_id: Option<CString>,
}

/// `context_json`: the caller's clock and what core cannot make itself.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Context {
    now_ms: i64,
    fresh_request_id: Option<String>,
    jitter_seed: Option<u64>,
}

/// `policy_json`: every field optional (core's defaults), unknown fields refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Policy {
    max_attempts: Option<u32>,
    total_deadline_ms: Option<u64>,
    initial_backoff_ms: Option<u64>,
    max_backoff_ms: Option<u64>,
    max_retry_after_ms: Option<u64>,
    pace_caresoft: Option<bool>,
}

fn invalid(field: &str, reason: impl Into<String>) -> Failure {
    Failure::core(
        core::Error::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        },
        &core::Idempotency::NotIdempotent,
    )
}

fn wrong_state(message: &str) -> Failure {
    Failure::misuse(nhantin_result::NHANTIN_RESULT_WRONG_STATE, message.into())
}

/// A seed that only spreads clients' backoffs apart.
fn random_seed() -> u64 {
    RandomState::new().build_hasher().finish()
}

/// # Safety
/// As the string arguments of `nhantin_send_machine_new`.
unsafe fn context_arg(p: *const c_char) -> Result<SendContext, Failure> {
    // SAFETY: forwarded contract.
    let text = unsafe { str_arg(p, "context_json") }?;
    let c: Context = serde_json::from_str(text).map_err(|e| Failure::json("context", e))?;
    let fresh_request_id = match c.fresh_request_id {
        Some(id) => core::RequestId::new(id).map_err(|e| match e {
            core::Error::InvalidInput { reason, .. } => invalid("context.fresh_request_id", reason),
            other => Failure::decoded(other),
        })?,
        None => nhantin_transport::generate_request_id(),
    };
    Ok(SendContext {
        now: core::Timestamp::from_unix_millis(c.now_ms),
        fresh_request_id: Some(fresh_request_id),
        jitter_seed: c.jitter_seed.unwrap_or_else(random_seed),
    })
}

/// # Safety
/// As the string arguments of `nhantin_send_machine_new`.
unsafe fn policy_arg(p: *const c_char) -> Result<SendPolicy, Failure> {
    let d = SendPolicy::default();
    // SAFETY: forwarded contract.
    let Some(text) = (unsafe { opt_str_arg(p, "policy_json") })? else {
        return Ok(d);
    };
    let p: Policy = serde_json::from_str(text).map_err(|e| Failure::json("policy", e))?;
    if p.max_attempts == Some(0) {
        return Err(invalid(
            "policy.max_attempts",
            "must be at least 1 (1 disables resends)",
        ));
    }
    Ok(SendPolicy {
        max_attempts: p.max_attempts.unwrap_or(d.max_attempts),
        total_deadline_ms: p.total_deadline_ms.unwrap_or(d.total_deadline_ms),
        initial_backoff_ms: p.initial_backoff_ms.unwrap_or(d.initial_backoff_ms),
        max_backoff_ms: p.max_backoff_ms.unwrap_or(d.max_backoff_ms),
        max_retry_after_ms: p.max_retry_after_ms.unwrap_or(d.max_retry_after_ms),
        pace_caresoft: p.pace_caresoft.unwrap_or(d.pace_caresoft),
    })
}

fn write_machine(out: *mut *mut nhantin_send_machine, inner: SendMachine) {
    let request_id = inner
        .request_id()
        .map(|id| CString::new(id.as_str()).expect("request ids are printable ASCII"));
    let machine = Machine {
        inner,
        in_flight: None,
        done: None,
        done_at: core::Timestamp::from_unix_millis(0),
        request_id,
    };
    // SAFETY: `out` was checked non-null before any work was done.
    unsafe { *out = Box::into_raw(Box::new(machine)).cast::<nhantin_send_machine>() };
}

/// # Safety
/// `m` is NULL or a live machine handle, used by one thread at a time.
unsafe fn machine_mut<'a>(m: *mut nhantin_send_machine) -> Result<&'a mut Machine, Failure> {
    // SAFETY: a live handle points to the Machine boxed by `machine_out`.
    unsafe { m.cast::<Machine>().as_mut() }.ok_or_else(|| {
        Failure::misuse(
            nhantin_result::NHANTIN_RESULT_NULL_ARGUMENT,
            "machine is NULL".into(),
        )
    })
}

/// # Safety
/// `s` is NULL or a live account state, not used by another thread during the call.
unsafe fn state_mut<'a>(s: *mut nhantin_account_state) -> Result<&'a mut AccountState, Failure> {
    // SAFETY: a live handle points to the AccountState boxed by `nhantin_account_state_new`.
    unsafe { s.cast::<AccountState>().as_mut() }.ok_or_else(|| {
        Failure::misuse(
            nhantin_result::NHANTIN_RESULT_NULL_ARGUMENT,
            "state is NULL".into(),
        )
    })
}

/// Creates the state of one provider account (nothing sent, not locked out) in `*state_out`;
/// the caller owns it and frees it with `nhantin_account_state_free`. The only failure is a
/// NULL `state_out`.
///
/// Thread safety: any thread. The state itself is not thread-safe (see `nhantin_account_state`).
///
/// # Safety
/// `state_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn nhantin_account_state_new(
    state_out: *mut *mut nhantin_account_state,
) -> nhantin_result {
    run(std::ptr::null_mut(), || {
        out_arg(state_out, "state_out")?;
        let state = Box::new(AccountState::new());
        // SAFETY: state_out is non-null and writable.
        unsafe { *state_out = Box::into_raw(state).cast::<nhantin_account_state>() };
        Ok(())
    })
}

/// Frees an account state. NULL is ignored.
///
/// Thread safety: once, after the last call that uses it (on any thread) has returned.
///
/// # Safety
/// `state` is NULL or a state from `nhantin_account_state_new`, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn nhantin_account_state_free(state: *mut nhantin_account_state) {
    panic::guard(|| {
        if !state.is_null() {
            // SAFETY: created by Box::into_raw in nhantin_account_state_new, freed once.
            drop(unsafe { Box::from_raw(state.cast::<AccountState>()) });
        }
    })
}

/// A fresh request id, `nt-` and 32 hex digits of a random (v4) UUID: the form
/// `nhantin_client_send` generates. Useful to store the id with the message *before* sending,
/// so an unknown outcome can always be reconciled. `*request_id_out` is the caller's: free it
/// with `nhantin_string_free`. The only failure is a NULL `request_id_out`.
///
/// Thread safety: any thread.
///
/// # Safety
/// `request_id_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn nhantin_request_id_generate(
    request_id_out: *mut *mut c_char,
) -> nhantin_result {
    run(std::ptr::null_mut(), || {
        out_arg(request_id_out, "request_id_out")?;
        let id = nhantin_transport::generate_request_id();
        // SAFETY: request_id_out is non-null and writable.
        unsafe { *request_id_out = c_string(id.as_str().to_owned()) };
        Ok(())
    })
}

/// Validates and encodes one message for one account and starts its send, without sending
/// anything. `account_json` and `message_json` are the JSON forms `nhantin_client_new` and
/// `nhantin_client_send` take. `context_json` is
/// `{"now_ms":N,"fresh_request_id":"…","jitter_seed":N}`: `now_ms` (required) is the caller's
/// wall clock in milliseconds since the Unix epoch (schedules must be after it, and resend
/// windows are counted in it); `fresh_request_id` (optional) is the idempotency key to use when
/// the message has no `request_id` and the provider takes one (eSMS, InterITS), generated as by
/// `nhantin_request_id_generate` when absent; `jitter_seed` (optional, random when absent) only
/// spreads backoffs. `policy_json` may be NULL (the defaults of `nhantin_client_send`) or an
/// object with any of `max_attempts` (4; 1 disables resends), `total_deadline_ms` (60000),
/// `initial_backoff_ms` (200), `max_backoff_ms` (5000), `max_retry_after_ms` (60000: a longer
/// `Retry-After` ends the send), `pace_caresoft` (true). Unknown keys are refused.
///
/// On success `*machine_out` receives a machine the caller owns (free it with
/// `nhantin_send_machine_free`). Invalid input fails here, with the codes of
/// `nhantin_client_send`, before anything could be sent.
///
/// Thread safety: any thread (pure function).
///
/// # Safety
/// Strings are NUL-terminated (`policy_json` may be NULL); `machine_out` is writable; `err_out`
/// is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nhantin_send_machine_new(
    account_json: *const c_char,
    message_json: *const c_char,
    context_json: *const c_char,
    policy_json: *const c_char,
    machine_out: *mut *mut nhantin_send_machine,
    err_out: *mut *mut nhantin_error,
) -> nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let account = account_from_json(unsafe { str_arg(account_json, "account_json") }?)?;
        let message = message_from_json(unsafe { str_arg(message_json, "message_json") }?)?;
        let context = unsafe { context_arg(context_json) }?;
        let policy = unsafe { policy_arg(policy_json) }?;
        out_arg(machine_out, "machine_out")?;
        let now = context.now;
        let machine = SendMachine::new(&account, &message, context, &policy)
            .map_err(|e| Failure::send(e, now))?;
        write_machine(machine_out, machine);
        Ok(())
    })
}

/// Starts the one resend of an unknown outcome that cannot deliver the message twice: `unknown`
/// is the error that send ended with (from `nhantin_send_machine_result`, `nhantin_client_send`
/// or `nhantin_client_resend`), and the resend carries the request id it names (`message_json`
/// is the same message; it may omit `request_id`, or must name the same one). Fails with
/// `NHANTIN_RESULT_INVALID_INPUT`, and nothing can be sent, when `unknown` offers no safe resend
/// (`nhantin_error_is_retry_safe` is false: CareSoft, InterITS without confirmed
/// de-duplication) or when `context_json`'s `now_ms` is past its window (eSMS forgets an id
/// after 24 hours; the window ends 10 minutes earlier). Arguments and outputs as
/// `nhantin_send_machine_new`; `fresh_request_id` is not used. A resend that the provider
/// answers "already used" ends as `NHANTIN_RESULT_ALREADY_SUBMITTED`: the first send got through.
///
/// Thread safety: any thread; `unknown` is only read.
///
/// # Safety
/// As `nhantin_send_machine_new`; `unknown` is a live error from this library.
#[no_mangle]
pub unsafe extern "C" fn nhantin_send_machine_resend(
    account_json: *const c_char,
    message_json: *const c_char,
    unknown: *const nhantin_error,
    context_json: *const c_char,
    policy_json: *const c_char,
    machine_out: *mut *mut nhantin_send_machine,
    err_out: *mut *mut nhantin_error,
) -> nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let account = account_from_json(unsafe { str_arg(account_json, "account_json") }?)?;
        let message = message_from_json(unsafe { str_arg(message_json, "message_json") }?)?;
        let resend = unsafe { Failure::safe_resend_of(unknown) }?;
        let context = unsafe { context_arg(context_json) }?;
        let policy = unsafe { policy_arg(policy_json) }?;
        out_arg(machine_out, "machine_out")?;
        let now = context.now;
        let machine = SendMachine::resend(&account, &message, &resend, context, &policy)
            .map_err(|e| Failure::send(e, now))?;
        write_machine(machine_out, machine);
        Ok(())
    })
}

/// Frees a machine. NULL is ignored. A machine may be freed at any point; a request it handed
/// out and that was not reported may still have reached the provider.
///
/// Thread safety: once, after its last use.
///
/// # Safety
/// `m` is NULL or a machine from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn nhantin_send_machine_free(m: *mut nhantin_send_machine) {
    panic::guard(|| {
        if !m.is_null() {
            // SAFETY: created by Box::into_raw in `machine_out`, freed once.
            drop(unsafe { Box::from_raw(m.cast::<Machine>()) });
        }
    })
}

/// The request id every attempt of this send carries (the message's, or the fresh one), or
/// NULL when the provider takes none (CareSoft) or `m` is NULL. Store it with the message before
/// the first transmit: it is what an unknown outcome is reconciled and resent by. Owned by the
/// machine: valid until `nhantin_send_machine_free`.
///
/// Thread safety: as the machine.
///
/// # Safety
/// `m` is NULL or a live machine.
#[no_mangle]
pub unsafe extern "C" fn nhantin_send_machine_request_id(
    m: *const nhantin_send_machine,
) -> *const c_char {
    panic::guard(|| {
        // SAFETY: a live handle points to a Machine.
        unsafe { m.cast::<Machine>().as_ref() }
            .and_then(|m| m.request_id.as_ref())
            .map_or(std::ptr::null(), |id| id.as_ptr())
    })
}

/// What to do next, at the caller's clock `now_ms` (milliseconds since the Unix epoch).
/// `state` is the account's state (the same one for every machine of that account). On success
/// `*step_json_out` receives one of (the caller frees it with `nhantin_string_free`):
///
/// - `{"step":"transmit","attempt":N,"request":{"method","url","headers":[[name,value],…],
///   "body","idempotency_key","idempotent"},"redacted_url":"…"}`: send exactly this request
///   (every attempt is the same bytes; `request` holds the real keys, log only `redacted_url`:
///   keys masked, the message text replaced by `<text>`, phone numbers masked),
///   then report with `nhantin_send_machine_on_response` or `nhantin_send_machine_on_failure`
///   before polling again.
/// - `{"step":"wait","until_ms":N}`: poll again at that instant (backoff, `Retry-After`,
///   CareSoft pacing).
/// - `{"step":"done","result":0,"class":"accepted","outcome":{"status":"accepted",…}}`, or
///   `{"step":"done","result":CODE,"class":"…","error":{…}}`: the send is over. `result` is the
///   code `nhantin_client_send` would have returned (`NHANTIN_RESULT_ALREADY_SUBMITTED`, the 5000s,
///   `NHANTIN_RESULT_TRANSPORT`, …), `error` the JSON `nhantin_error_json` would give, and
///   `nhantin_send_machine_result` returns the same as an `nhantin_error` (for
///   `nhantin_send_machine_resend`). Polling again repeats it.
///
/// The call itself fails only on misuse: `NHANTIN_RESULT_WRONG_STATE` when the last transmit has
/// not been reported, `NHANTIN_RESULT_NULL_ARGUMENT`.
///
/// Thread safety: as the machine and the state (not thread-safe; see `nhantin_account_state`).
///
/// # Safety
/// `m` and `state` are live handles; `step_json_out` is writable; `err_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nhantin_send_machine_poll(
    m: *mut nhantin_send_machine,
    state: *mut nhantin_account_state,
    now_ms: i64,
    step_json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let machine = unsafe { machine_mut(m) }?;
        let state = unsafe { state_mut(state) }?;
        out_arg(step_json_out, "step_json_out")?;
        if machine.in_flight.is_some() {
            return Err(wrong_state(
                "the last transmit has not been reported: call nhantin_send_machine_on_response or nhantin_send_machine_on_failure first",
            ));
        }
        let now = core::Timestamp::from_unix_millis(now_ms);
        let step = match machine.inner.poll(now, state) {
            Step::Transmit(request) => {
                let step = serde_json::json!({
                    "step": "transmit",
                    "attempt": machine.inner.attempts(),
                    // For logs: keys masked, the text replaced by `<text>`, phones masked.
                    "redacted_url": request.redact_for_error(&request.url),
                    "request": request,
                });
                machine.in_flight = Some(request);
                step
            }
            Step::Wait(until) => {
                serde_json::json!({"step": "wait", "until_ms": until.unix_millis()})
            }
            Step::Done(result) => {
                if machine.done.is_none() {
                    machine.done = Some(result.clone());
                    machine.done_at = now;
                }
                done_json(result, machine.done_at)
            }
            Step::AwaitingReport => {
                return Err(wrong_state("the last transmit has not been reported"))
            }
        };
        write_json_out(step_json_out, &step);
        Ok(())
    })
}

fn done_json(
    result: Result<core::send::SendOutcome, core::send::SendError>,
    now: core::Timestamp,
) -> serde_json::Value {
    let class = match &result {
        Ok(o) => o.class(),
        Err(e) => e.class(),
    };
    match Failure::outcome(result, now) {
        Ok(outcome) => {
            serde_json::json!({"step": "done", "result": 0, "class": class, "outcome": outcome})
        }
        Err(f) => serde_json::json!({
            "step": "done", "result": f.code() as u32, "class": class, "error": f.json_value(),
        }),
    }
}

/// Reports the HTTP answer to the last transmit: its `status`, its headers (`headers_json`:
/// NULL or `[["Retry-After","5"],…]`; `Retry-After` is honoured) and its body (`body` may be
/// NULL when `body_len` is 0). Read at most a bounded size (`nhantin_client_send` stops at
/// 1 MiB); an answer that broke off or was too large to read is a failure
/// (`nhantin_send_machine_on_failure` with `maybe_sent` true), not a response. Then poll again.
///
/// Fails with `NHANTIN_RESULT_WRONG_STATE` when no transmit is outstanding (nothing changes),
/// `NHANTIN_RESULT_INVALID_JSON`/`NHANTIN_RESULT_INVALID_INPUT` for bad `headers_json`.
///
/// Thread safety: as `nhantin_send_machine_poll`.
///
/// # Safety
/// `m` and `state` are live handles; `headers_json` is NULL or NUL-terminated; `body` points to
/// `body_len` readable bytes; `err_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nhantin_send_machine_on_response(
    m: *mut nhantin_send_machine,
    state: *mut nhantin_account_state,
    now_ms: i64,
    status: u16,
    headers_json: *const c_char,
    body: *const u8,
    body_len: usize,
    err_out: *mut *mut nhantin_error,
) -> nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let machine = unsafe { machine_mut(m) }?;
        let state = unsafe { state_mut(state) }?;
        let headers: Vec<(String, String)> = match unsafe {
            opt_str_arg(headers_json, "headers_json")
        }? {
            Some(text) => serde_json::from_str(text).map_err(|e| Failure::json("headers", e))?,
            None => Vec::new(),
        };
        let body = if body_len == 0 {
            Vec::new()
        } else if body.is_null() {
            return Err(Failure::misuse(
                nhantin_result::NHANTIN_RESULT_NULL_ARGUMENT,
                "body is NULL".into(),
            ));
        } else {
            // SAFETY: body points to body_len readable bytes.
            unsafe { std::slice::from_raw_parts(body, body_len) }.to_vec()
        };
        if machine.in_flight.is_none() {
            return Err(wrong_state("no transmit is waiting for its report"));
        }
        let response = core::HttpResponse {
            status,
            headers,
            body,
        };
        machine.in_flight = None;
        machine
            .inner
            .on_response(core::Timestamp::from_unix_millis(now_ms), state, &response);
        Ok(())
    })
}

/// Reports that the last transmit got no HTTP answer. `maybe_sent` is false only when the
/// connection was never established (refused, DNS, TLS handshake, connect timeout): nothing
/// left this machine. Anything after the connection was made (a timeout, a reset, an answer
/// that broke off or was too large) may have reached the provider: `maybe_sent` true. `cause`
/// says what happened in a few words (no URL: URLs carry phone numbers and keys; what of the
/// request it quotes anyway is masked in the error). Then poll again. Fails with `NHANTIN_RESULT_WRONG_STATE` when no transmit is outstanding.
///
/// Thread safety: as `nhantin_send_machine_poll`.
///
/// # Safety
/// `m` and `state` are live handles; `cause` is NUL-terminated; `err_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nhantin_send_machine_on_failure(
    m: *mut nhantin_send_machine,
    state: *mut nhantin_account_state,
    now_ms: i64,
    maybe_sent: bool,
    cause: *const c_char,
    err_out: *mut *mut nhantin_error,
) -> nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let machine = unsafe { machine_mut(m) }?;
        let state = unsafe { state_mut(state) }?;
        let cause = unsafe { str_arg(cause, "cause") }?.to_owned();
        let Some(request) = machine.in_flight.take() else {
            return Err(wrong_state("no transmit is waiting for its report"));
        };
        // A cause that quotes the request (libcurl's and other libraries' messages may name
        // the URL, which for an eSMS GET carries the keys, the phone and the text) is redacted.
        let cause = request.redact_for_error(&cause);
        let failure = if maybe_sent {
            NetworkFailure::MaybeSent { cause }
        } else {
            NetworkFailure::NotSent { cause }
        };
        machine
            .inner
            .on_failure(core::Timestamp::from_unix_millis(now_ms), state, failure);
        Ok(())
    })
}

/// How the send ended, exactly as `nhantin_client_send` reports it, once a poll has said done:
/// `NHANTIN_RESULT_OK` and `*outcome_json_out` (`{"status":"accepted","receipt":{…},…}`, the
/// caller frees it) when the provider accepted it; otherwise the send's code (e.g.
/// `NHANTIN_RESULT_ALREADY_SUBMITTED`, `NHANTIN_RESULT_OUTCOME_UNKNOWN`) and, in `*err_out`, the
/// error to pass to `nhantin_send_machine_resend` or `nhantin_client_resend`.
/// `NHANTIN_RESULT_WRONG_STATE` before the send is done.
///
/// Thread safety: as the machine.
///
/// # Safety
/// `m` is a live machine; `outcome_json_out` is writable; `err_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nhantin_send_machine_result(
    m: *const nhantin_send_machine,
    outcome_json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> nhantin_result {
    run(err_out, || {
        // SAFETY: a live handle points to a Machine.
        let machine = unsafe { m.cast::<Machine>().as_ref() }.ok_or_else(|| {
            Failure::misuse(
                nhantin_result::NHANTIN_RESULT_NULL_ARGUMENT,
                "machine is NULL".into(),
            )
        })?;
        out_arg(outcome_json_out, "outcome_json_out")?;
        let Some(result) = machine.done.clone() else {
            return Err(wrong_state(
                "the send is not done: poll until the step is done",
            ));
        };
        let outcome = Failure::outcome(result, machine.done_at)?;
        write_json_out(outcome_json_out, &outcome);
        Ok(())
    })
}
