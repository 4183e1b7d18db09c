//! The client handle: one per provider account; thread-safe.

use std::ffi::c_char;
use std::time::Duration;

use nhantin_core as core;
use nhantin_core::send::SendOutcome;
use serde::Deserialize;

use super::error::{nhantin_error, run, wall_clock, Failure};
use super::panic;
use super::{c_string, out_arg, str_arg};

/// A client for one provider account, holding its connection pool. Opaque. Create with
/// `nhantin_client_new`, free with `nhantin_client_free`. One client may be used from many
/// threads at once.
pub struct nhantin_client {
    _private: [u8; 0],
}

/// `options_json` of `nhantin_client_new`; every field optional, unknown fields refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    connect_timeout_ms: Option<u64>,
    request_timeout_ms: Option<u64>,
    max_attempts: Option<u32>,
    total_deadline_ms: Option<u64>,
    allow_insecure_http: Option<bool>,
    proxy: Option<String>,
}

pub(crate) fn account_from_json(json: &str) -> Result<core::Account, Failure> {
    let input: core::AccountInput =
        serde_json::from_str(json).map_err(|e| Failure::json("account", e))?;
    input.validate().map_err(Failure::decoded)
}

pub(crate) fn message_from_json(json: &str) -> Result<core::Message, Failure> {
    let input: core::MessageInput =
        serde_json::from_str(json).map_err(|e| Failure::json("message", e))?;
    input.validate().map_err(Failure::decoded)
}

/// # Safety
/// `c` is NULL or a live client handle.
unsafe fn client<'a>(c: *const nhantin_client) -> Result<&'a nhantin_transport::Client, Failure> {
    // SAFETY: a live handle points to the Client boxed by `nhantin_client_new`.
    unsafe { c.cast::<nhantin_transport::Client>().as_ref() }.ok_or_else(|| {
        Failure::misuse(
            super::nhantin_result::NHANTIN_RESULT_NULL_ARGUMENT,
            "client is NULL".into(),
        )
    })
}

pub(crate) fn write_json_out<T: serde::Serialize>(out: *mut *mut c_char, value: &T) {
    let text = serde_json::to_string(value).expect("nhantin's outputs serialize");
    // SAFETY: `out` was checked non-null before any work was done.
    unsafe { *out = c_string(text) };
}

/// Writes an accepted outcome; "already submitted" and every error fail with their own code.
fn sent(
    out: *mut *mut c_char,
    result: Result<SendOutcome, nhantin_transport::Error>,
) -> Result<(), Failure> {
    let outcome = Failure::outcome(Ok(result.map_err(Failure::transport)?), wall_clock())?;
    write_json_out(out, &outcome);
    Ok(())
}

/// Creates a client. `account_json` is an account in its JSON form, e.g.
/// `{"provider":"esms","api_key":"…","secret_key":"…"}` (see `tests/vectors/README.md`).
/// `options_json` may be NULL, or an object with any of `connect_timeout_ms`,
/// `request_timeout_ms`, `max_attempts`, `total_deadline_ms`, `allow_insecure_http`, `proxy`.
/// On success `*client_out` receives a client the caller owns (free with
/// `nhantin_client_free`); on failure nothing is written there and `*err_out`, when `err_out`
/// is not NULL, receives an error the caller frees with `nhantin_error_free`.
///
/// Thread safety: any thread.
///
/// # Safety
/// String arguments are NUL-terminated; `client_out` is writable; `err_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nhantin_client_new(
    account_json: *const c_char,
    options_json: *const c_char,
    client_out: *mut *mut nhantin_client,
    err_out: *mut *mut nhantin_error,
) -> super::nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let account = account_from_json(unsafe { str_arg(account_json, "account_json") }?)?;
        let options: Options = match unsafe { super::opt_str_arg(options_json, "options_json") }? {
            Some(text) => serde_json::from_str(text).map_err(|e| Failure::json("options", e))?,
            None => serde_json::from_str("{}").expect("an empty object"),
        };
        out_arg(client_out, "client_out")?;
        let d = nhantin_transport::ClientConfig::default();
        let config = nhantin_transport::ClientConfig {
            connect_timeout: options
                .connect_timeout_ms
                .map_or(d.connect_timeout, Duration::from_millis),
            request_timeout: options
                .request_timeout_ms
                .map_or(d.request_timeout, Duration::from_millis),
            max_attempts: options.max_attempts.unwrap_or(d.max_attempts),
            total_deadline: options
                .total_deadline_ms
                .map_or(d.total_deadline, Duration::from_millis),
            allow_insecure_http: options.allow_insecure_http.unwrap_or(false),
            proxy: options.proxy,
            ..d
        };
        let client = nhantin_transport::Client::new(account, config).map_err(Failure::transport)?;
        // SAFETY: client_out is non-null and writable.
        unsafe { *client_out = Box::into_raw(Box::new(client)).cast::<nhantin_client>() };
        Ok(())
    })
}

/// Frees a client. NULL is ignored. Calls still running on other threads must have returned.
///
/// Thread safety: once, after the last use from any thread.
///
/// # Safety
/// `c` is NULL or a client from `nhantin_client_new`, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn nhantin_client_free(c: *mut nhantin_client) {
    panic::guard(|| {
        if !c.is_null() {
            // SAFETY: created by Box::into_raw in nhantin_client_new, freed once.
            drop(unsafe { Box::from_raw(c.cast::<nhantin_transport::Client>()) });
        }
    })
}

/// Sends one message (`message_json` in its JSON form), retrying only where a resend cannot
/// duplicate it. On success (the provider accepted it) `*outcome_json_out` receives
/// `{"status":"accepted","receipt":{…},"request_id":…,"attempts":n}`; the caller frees it with
/// `nhantin_string_free`. Blocks until done (bounded by the client's deadline).
///
/// A bulk ZNS (`zns_bulk`) answers per recipient: `NHANTIN_RESULT_OK` then means eSMS took the
/// request, and `receipt.recipients[i].status` says what became of each (`accepted`, `refused`,
/// `already_submitted`, `throttled`, `unknown`); a request in which every recipient was refused
/// is still OK. Mark a row sent only from its own status.
///
/// Every other end is a failure with its own code and, in `*err_out`, the details
/// (`nhantin_error_json` has `kind`, `class`, `retry_safe`, and for unknown outcomes
/// `request_id`, `first_sent_at`, `resend_until`):
/// - `NHANTIN_RESULT_ALREADY_SUBMITTED`: a resend found the request id already used, so an
///   earlier attempt reached the provider and the message was not sent again; whether that
///   attempt was accepted is unknown (no receipt). Reconcile; never resend under a new id.
/// - the 5000s: the message may have been sent. When `nhantin_error_is_retry_safe` is true,
///   `nhantin_client_resend` with this error is the one resend that cannot deliver it twice.
/// - `NHANTIN_RESULT_TRANSPORT`: no connection was made; nothing was sent.
/// - the 1000s, 2000s and 3000s: refused; nothing was sent.
///
/// Thread safety: any thread, concurrently with other calls on the same client.
///
/// # Safety
/// `c` is a live client; strings are NUL-terminated; outputs are writable (`err_out` may be NULL).
#[no_mangle]
pub unsafe extern "C" fn nhantin_client_send(
    c: *const nhantin_client,
    message_json: *const c_char,
    outcome_json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> super::nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let client = unsafe { client(c) }?;
        let message = message_from_json(unsafe { str_arg(message_json, "message_json") }?)?;
        out_arg(outcome_json_out, "outcome_json_out")?;
        sent(outcome_json_out, client.send(&message))
    })
}

/// Resends a message whose send failed with an unknown outcome, the one way that cannot deliver
/// it twice: `unknown` is the error that send returned, and the resend carries the request id
/// it names (`message_json` may omit `request_id`, or must name the same one). Fails with
/// `NHANTIN_RESULT_INVALID_INPUT` and sends nothing when `unknown` offers no safe resend
/// (`nhantin_error_is_retry_safe` is false: CareSoft, InterITS without confirmed
/// de-duplication) or its window has closed (eSMS remembers an id for 24 hours). Outputs and
/// codes as `nhantin_client_send`; `NHANTIN_RESULT_ALREADY_SUBMITTED` here means the first send
/// reached the provider and nothing new was sent.
///
/// Thread safety: any thread; `unknown` is only read.
///
/// # Safety
/// As `nhantin_client_send`; `unknown` is a live error from this library.
#[no_mangle]
pub unsafe extern "C" fn nhantin_client_resend(
    c: *const nhantin_client,
    message_json: *const c_char,
    unknown: *const nhantin_error,
    outcome_json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> super::nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let client = unsafe { client(c) }?;
        let message = message_from_json(unsafe { str_arg(message_json, "message_json") }?)?;
        out_arg(outcome_json_out, "outcome_json_out")?;
        // SAFETY: `unknown` is NULL or a live error, by contract.
        let resend = unsafe { Failure::safe_resend_of(unknown) }?;
        sent(outcome_json_out, client.resend(&message, &resend))
    })
}

/// Asks eSMS whether a send that ended in an unknown outcome got through (eSMS only): `unknown`
/// is the error that send returned (its request id and attempt times), `message_json` the same
/// message. eSMS's records of the window around the attempts (`GetSmsSentData_V2`) are read and
/// `*verdicts_json_out` receives `{"verdicts":[{"recipient":<index>,"verdict":"sent","sms_id",
/// "status","result"} | {…,"verdict":"not_found"} | {…,"verdict":"ambiguous","candidates":[…]}]}`,
/// one per recipient, in the message's order. `options_json` may be NULL or `{"margin_ms":N}`:
/// how far the window is widened and how long after the last attempt the call waits before
/// asking (default 5 minutes; a late filing must not be missed). Blocks until then. Caller
/// frees the string.
///
/// Thread safety: any thread; `unknown` is only read.
///
/// # Safety
/// As `nhantin_client_send`; `unknown` is a live error from this library; `options_json` is
/// NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn nhantin_client_reconcile(
    c: *const nhantin_client,
    message_json: *const c_char,
    unknown: *const nhantin_error,
    options_json: *const c_char,
    verdicts_json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> super::nhantin_result {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Options {
        margin_ms: Option<i64>,
    }
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let client = unsafe { client(c) }?;
        let message = message_from_json(unsafe { str_arg(message_json, "message_json") }?)?;
        let options: Options = match unsafe { super::opt_str_arg(options_json, "options_json") }? {
            Some(text) => serde_json::from_str(text).map_err(|e| Failure::json("options", e))?,
            None => Options { margin_ms: None },
        };
        out_arg(verdicts_json_out, "verdicts_json_out")?;
        // SAFETY: forwarded contract.
        let unknown = unsafe { Failure::unknown_of(unknown) }?;
        let mut policy = core::esms::ReconcilePolicy::default();
        if let Some(ms) = options.margin_ms {
            policy.margin_ms = ms.max(0);
        }
        let verdicts = client
            .reconcile_with(&message, &unknown, &policy)
            .map_err(Failure::transport)?;
        let rows: Vec<serde_json::Value> = verdicts
            .into_iter()
            .map(|(phone, verdict)| {
                let mut row = serde_json::to_value(&verdict).unwrap_or_default();
                row["recipient"] = message
                    .recipients
                    .iter()
                    .position(|p| *p == phone)
                    .unwrap_or(0)
                    .into();
                row
            })
            .collect();
        write_json_out(verdicts_json_out, &serde_json::json!({ "verdicts": rows }));
        Ok(())
    })
}

/// Sends an eSMS advertising message to any number of recipients in balanced batches of at
/// most 5000, or an eSMS bulk ZNS in batches of at most 500. Every batch is planned and checked before the first is sent: a duplicate anywhere
/// in the list (after normalisation: `0910000000` and `+84910000000` are one person) or a bad
/// batch fails the call with `NHANTIN_RESULT_INVALID_INPUT` and nothing is sent.
/// `*batches_json_out` receives `{"batches":[{"first_recipient","recipients","request_id",
/// "class","outcome"|"error"},…]}`: `request_id` is `<base>-<16 hex digits naming the batch's
/// recipients>` (`base` is the message's request id, or derived from its content), so a rerun of
/// the same list reproduces every id; `class` is how that batch ended (`accepted`,
/// `already_submitted`, `outcome_unknown`, …; the `error` has the shape of `nhantin_error_json`).
/// A failed batch does not stop the others. A bulk ZNS batch's `outcome.receipt.recipients[i].index`
/// is the recipient's position in the whole message (not in its batch). Any other message is
/// one batch. Caller frees the string.
///
/// Thread safety: any thread, concurrently with other calls on the same client.
///
/// # Safety
/// As `nhantin_client_send`.
#[no_mangle]
pub unsafe extern "C" fn nhantin_client_send_bulk(
    c: *const nhantin_client,
    message_json: *const c_char,
    batches_json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> super::nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let client = unsafe { client(c) }?;
        let message = message_from_json(unsafe { str_arg(message_json, "message_json") }?)?;
        out_arg(batches_json_out, "batches_json_out")?;
        let batches = client.send_bulk(&message).map_err(Failure::transport)?;
        write_json_out(batches_json_out, &serde_json::json!({ "batches": batches }));
        Ok(())
    })
}

/// The eSMS balance: `{"balance":…,"user_id":…}`. Caller frees the string.
///
/// Thread safety: any thread.
///
/// # Safety
/// `c` is a live client; outputs are writable (`err_out` may be NULL).
#[no_mangle]
pub unsafe extern "C" fn nhantin_client_balance(
    c: *const nhantin_client,
    json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> super::nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let client = unsafe { client(c) }?;
        out_arg(json_out, "json_out")?;
        let balance = client.balance().map_err(Failure::transport)?;
        write_json_out(json_out, &balance);
        Ok(())
    })
}

/// Checks an eSMS-generated code: `{"check_code":"valid"}` or `{"check_code":"invalid"}`. A
/// check that may have arrived is never repeated (it may use the code up): that ends as
/// `NHANTIN_RESULT_OUTCOME_UNKNOWN`. Caller frees the string.
///
/// Thread safety: any thread.
///
/// # Safety
/// `c` is a live client; `phone` and `code` are NUL-terminated; outputs are writable (`err_out`
/// may be NULL).
#[no_mangle]
pub unsafe extern "C" fn nhantin_client_check_code(
    c: *const nhantin_client,
    phone: *const c_char,
    code: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> super::nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let client = unsafe { client(c) }?;
        let phone = nhantin_core::PhoneNumber::parse("phone", unsafe { str_arg(phone, "phone") }?)
            .map_err(Failure::decoded)?;
        let code = unsafe { str_arg(code, "code") }?;
        out_arg(json_out, "json_out")?;
        let verdict = client
            .check_generated_otp(&phone, code)
            .map_err(Failure::transport)?;
        write_json_out(json_out, &serde_json::json!({ "check_code": verdict }));
        Ok(())
    })
}

/// An eSMS lookup (`lookup_json` as for `nhantin_encode_lookup`), sent and decoded: the answer
/// as for `nhantin_decode_lookup`. Read-only, so resent freely. Caller frees the string.
///
/// Thread safety: any thread.
///
/// # Safety
/// `c` is a live client; `lookup_json` is NUL-terminated; outputs are writable (`err_out` may
/// be NULL).
#[no_mangle]
pub unsafe extern "C" fn nhantin_client_lookup(
    c: *const nhantin_client,
    lookup_json: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> super::nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let client = unsafe { client(c) }?;
        let lookup = nhantin_core::esms::EsmsLookup::from_json(unsafe {
            str_arg(lookup_json, "lookup_json")
        }?)
        .map_err(Failure::decoded)?;
        out_arg(json_out, "json_out")?;
        let answer = client.lookup(&lookup).map_err(Failure::transport)?;
        write_json_out(json_out, &answer);
        Ok(())
    })
}

/// What InterITS knows of a ZNS sent through `oa_id`, by `msg_id` (the reference its send
/// returned): `{"zns_message":{…}}` as `nhantin_decode("interits", "zns_message", …)` gives it.
/// InterITS pushes no ZNS delivery report, so this is how a ZNS's fate is learnt. Read-only, so
/// resent freely. Caller frees the string.
///
/// Thread safety: any thread.
///
/// # Safety
/// `c` is a live client; `oa_id` and `msg_id` are NUL-terminated; outputs are writable
/// (`err_out` may be NULL).
#[no_mangle]
pub unsafe extern "C" fn nhantin_client_interits_zns_message(
    c: *const nhantin_client,
    oa_id: *const c_char,
    msg_id: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> super::nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let client = unsafe { client(c) }?;
        let oa_id = unsafe { str_arg(oa_id, "oa_id") }?;
        let msg_id = unsafe { str_arg(msg_id, "msg_id") }?;
        out_arg(json_out, "json_out")?;
        let message = client
            .interits_zns_message(oa_id, msg_id)
            .map_err(Failure::transport)?;
        write_json_out(json_out, &serde_json::json!({ "zns_message": message }));
        Ok(())
    })
}

/// The status of an eSMS message (`GetSendStatus`) as JSON. Caller frees the string.
///
/// Thread safety: any thread.
///
/// # Safety
/// `c` is a live client; `sms_id` is NUL-terminated; outputs are writable (`err_out` may be NULL).
#[no_mangle]
pub unsafe extern "C" fn nhantin_client_send_status(
    c: *const nhantin_client,
    sms_id: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> super::nhantin_result {
    // SAFETY: forwarded contract.
    unsafe {
        sms_id_query(
            c,
            sms_id,
            json_out,
            err_out,
            nhantin_transport::Client::send_status,
        )
    }
}

/// Per-recipient results of an eSMS message (`GetSmsReceiverStatus_get`) as a JSON array.
/// Caller frees the string.
///
/// Thread safety: any thread.
///
/// # Safety
/// As `nhantin_client_send_status`.
#[no_mangle]
pub unsafe extern "C" fn nhantin_client_receiver_status(
    c: *const nhantin_client,
    sms_id: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> super::nhantin_result {
    // SAFETY: forwarded contract.
    unsafe {
        sms_id_query(
            c,
            sms_id,
            json_out,
            err_out,
            nhantin_transport::Client::receiver_status,
        )
    }
}

/// The body of the eSMS queries by message id.
///
/// # Safety
/// As `nhantin_client_send_status`.
unsafe fn sms_id_query<T: serde::Serialize>(
    c: *const nhantin_client,
    sms_id: *const c_char,
    json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
    query: fn(
        &nhantin_transport::Client,
        &core::esms::SmsId,
    ) -> Result<T, nhantin_transport::Error>,
) -> super::nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let client = unsafe { client(c) }?;
        let id = core::esms::SmsId::new(unsafe { str_arg(sms_id, "sms_id") }?)
            .map_err(Failure::decoded)?;
        out_arg(json_out, "json_out")?;
        let value = query(client, &id).map_err(Failure::transport)?;
        write_json_out(json_out, &value);
        Ok(())
    })
}
