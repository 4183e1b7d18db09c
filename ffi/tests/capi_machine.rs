//! The send machine over the C ABI, driven offline (no sockets: the answers are made up here),
//! through the same `extern "C"` functions a C caller links.

use std::ffi::{c_char, CStr, CString};
use std::ptr;

use nhantin::capi::*;

const ESMS: &str = r#"{"provider":"esms","api_key":"K","secret_key":"S"}"#;
const CARESOFT: &str = r#"{"provider":"caresoft","domain":"demo","api_token":"T","service_id":12}"#;
const OTP: &str = r#"{"recipients":["0912345678"],"content":{"sms":{"purpose":"otp","text":"Ma OTP 123456","sender":"BRAND"}},"request_id":"rid-1"}"#;
const NOW: i64 = 1_780_000_000_000;

fn c(s: &str) -> CString {
    CString::new(s).unwrap()
}

fn take(s: *mut c_char) -> serde_json::Value {
    assert!(!s.is_null());
    let v = serde_json::from_str(unsafe { CStr::from_ptr(s) }.to_str().unwrap()).unwrap();
    unsafe { nhantin_string_free(s) };
    v
}

struct Run {
    machine: *mut nhantin_send_machine,
    state: *mut nhantin_account_state,
}

impl Run {
    fn new(account: &str, message: &str, context: &str, policy: Option<&str>) -> Result<Run, u32> {
        let mut state = ptr::null_mut();
        assert_eq!(
            unsafe { nhantin_account_state_new(&mut state) },
            nhantin_result::NHANTIN_RESULT_OK
        );
        let mut machine = ptr::null_mut();
        let policy = policy.map(c);
        let rc = unsafe {
            nhantin_send_machine_new(
                c(account).as_ptr(),
                c(message).as_ptr(),
                c(context).as_ptr(),
                policy.as_ref().map_or(ptr::null(), |p| p.as_ptr()),
                &mut machine,
                ptr::null_mut(),
            )
        };
        if rc != nhantin_result::NHANTIN_RESULT_OK {
            unsafe { nhantin_account_state_free(state) };
            return Err(rc as u32);
        }
        Ok(Run { machine, state })
    }

    fn poll(&self, now: i64) -> Result<serde_json::Value, nhantin_result> {
        let mut out = ptr::null_mut();
        let rc = unsafe {
            nhantin_send_machine_poll(self.machine, self.state, now, &mut out, ptr::null_mut())
        };
        if rc == nhantin_result::NHANTIN_RESULT_OK {
            Ok(take(out))
        } else {
            assert!(out.is_null(), "no output on failure");
            Err(rc)
        }
    }

    fn respond(&self, now: i64, status: u16, body: &str) -> nhantin_result {
        unsafe {
            nhantin_send_machine_on_response(
                self.machine,
                self.state,
                now,
                status,
                ptr::null(),
                body.as_ptr(),
                body.len(),
                ptr::null_mut(),
            )
        }
    }

    fn fail(&self, now: i64, maybe_sent: bool) -> nhantin_result {
        unsafe {
            nhantin_send_machine_on_failure(
                self.machine,
                self.state,
                now,
                maybe_sent,
                c("connection reset").as_ptr(),
                ptr::null_mut(),
            )
        }
    }

    /// The send's end as `nhantin_client_send` reports it: code, outcome, error JSON.
    fn result(
        &self,
    ) -> (
        nhantin_result,
        Option<serde_json::Value>,
        *mut nhantin_error,
    ) {
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        let rc = unsafe { nhantin_send_machine_result(self.machine, &mut out, &mut err) };
        let outcome = (!out.is_null()).then(|| take(out));
        (rc, outcome, err)
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        unsafe {
            nhantin_send_machine_free(self.machine);
            nhantin_account_state_free(self.state);
        }
    }
}

fn error_json(err: *mut nhantin_error) -> serde_json::Value {
    serde_json::from_str(
        unsafe { CStr::from_ptr(nhantin_error_json(err)) }
            .to_str()
            .unwrap(),
    )
    .unwrap()
}

const ACCEPTED: &str = r#"{"CodeResult":"100","SMSID":"abc"}"#;
const USED: &str = r#"{"CodeResult":"124","ErrorMessage":"Request exist 1"}"#;

#[test]
fn an_accepted_send_is_one_transmit_and_done() {
    let run = Run::new(ESMS, OTP, &format!(r#"{{"now_ms":{NOW}}}"#), None).unwrap();
    let id = unsafe { CStr::from_ptr(nhantin_send_machine_request_id(run.machine)) };
    assert_eq!(id.to_str().unwrap(), "rid-1");
    let step = run.poll(NOW).unwrap();
    assert_eq!(step["step"], "transmit");
    assert_eq!(step["attempt"], 1);
    assert_eq!(step["request"]["method"], "POST");
    assert_eq!(step["request"]["idempotency_key"], "rid-1");
    assert!(!step["redacted_url"].as_str().unwrap().contains("secret"));
    assert_eq!(
        run.poll(NOW),
        Err(nhantin_result::NHANTIN_RESULT_WRONG_STATE),
        "report first"
    );
    assert_eq!(
        run.respond(NOW + 5, 200, ACCEPTED),
        nhantin_result::NHANTIN_RESULT_OK
    );
    assert_eq!(
        run.respond(NOW + 5, 200, ACCEPTED),
        nhantin_result::NHANTIN_RESULT_WRONG_STATE,
        "one report per transmit"
    );
    let done = run.poll(NOW + 6).unwrap();
    assert_eq!(done["step"], "done");
    assert_eq!(done["result"], 0);
    assert_eq!(done["class"], "accepted");
    assert_eq!(done["outcome"]["receipt"]["reference"], "abc");
    let (rc, outcome, err) = run.result();
    assert_eq!(rc, nhantin_result::NHANTIN_RESULT_OK);
    assert_eq!(outcome.unwrap()["status"], "accepted");
    assert!(err.is_null());
}

#[test]
fn a_lost_answer_then_124_is_already_submitted_not_ok() {
    let run = Run::new(
        ESMS,
        OTP,
        &format!(r#"{{"now_ms":{NOW},"jitter_seed":7}}"#),
        None,
    )
    .unwrap();
    run.poll(NOW).unwrap();
    assert_eq!(run.fail(NOW + 10, true), nhantin_result::NHANTIN_RESULT_OK);
    let wait = run.poll(NOW + 10).unwrap();
    assert_eq!(wait["step"], "wait");
    let until = wait["until_ms"].as_i64().unwrap();
    assert!(
        (NOW + 10 + 100..=NOW + 10 + 200).contains(&until),
        "first backoff in [100, 200] ms: {until}"
    );
    assert_eq!(
        run.poll(until - 1).unwrap()["step"],
        "wait",
        "not before the instant"
    );
    let again = run.poll(until).unwrap();
    assert_eq!(again["attempt"], 2);
    run.respond(until + 3, 200, USED);
    let done = run.poll(until + 4).unwrap();
    assert_eq!(done["result"], 5003);
    assert_eq!(done["class"], "already_submitted");
    assert_eq!(done["error"]["request_id"], "rid-1");
    let (rc, outcome, err) = run.result();
    assert_eq!(rc, nhantin_result::NHANTIN_RESULT_ALREADY_SUBMITTED);
    assert!(outcome.is_none());
    assert_eq!(error_json(err)["kind"], "already_submitted");
    unsafe { nhantin_error_free(err) };
}

#[test]
fn an_unknown_outcome_resends_once_with_the_same_id_and_never_after_the_window() {
    let run = Run::new(
        ESMS,
        OTP,
        &format!(r#"{{"now_ms":{NOW}}}"#),
        Some(r#"{"max_attempts":1}"#),
    )
    .unwrap();
    run.poll(NOW).unwrap();
    run.fail(NOW + 1, true);
    assert_eq!(run.poll(NOW + 2).unwrap()["result"], 5000);
    let (rc, _, unknown) = run.result();
    assert_eq!(rc, nhantin_result::NHANTIN_RESULT_OUTCOME_UNKNOWN);
    assert!(unsafe { nhantin_error_is_retry_safe(unknown) });
    let json = error_json(unknown);
    assert_eq!(json["class"], "outcome_unknown");
    assert_eq!(json["request_id"], "rid-1");
    assert_eq!(json["first_sent_at"], "2026-05-28T20:26:40.000Z");
    assert_eq!(
        json["resend_until"], "2026-05-29T20:16:40.000Z",
        "24 h less 10 min"
    );
    assert_eq!(json["first_sent_at_ms"], NOW);
    assert_eq!(
        json["resend_until_ms"],
        NOW + 24 * 3600 * 1000 - 10 * 60 * 1000
    );

    let message = c(
        r#"{"recipients":["0912345678"],"content":{"sms":{"purpose":"otp","text":"Ma OTP 123456","sender":"BRAND"}}}"#,
    );
    let resend = |now: i64| {
        let mut machine = ptr::null_mut();
        let mut err = ptr::null_mut();
        let rc = unsafe {
            nhantin_send_machine_resend(
                c(ESMS).as_ptr(),
                message.as_ptr(),
                unknown,
                c(&format!(r#"{{"now_ms":{now}}}"#)).as_ptr(),
                ptr::null(),
                &mut machine,
                &mut err,
            )
        };
        (rc, machine, err)
    };
    let (rc, machine, err) = resend(NOW + 60_000);
    assert_eq!(rc, nhantin_result::NHANTIN_RESULT_OK);
    assert!(err.is_null());
    let id = unsafe { CStr::from_ptr(nhantin_send_machine_request_id(machine)) };
    assert_eq!(
        id.to_str().unwrap(),
        "rid-1",
        "the resend carries the first send's id"
    );
    unsafe { nhantin_send_machine_free(machine) };

    let late = NOW + 24 * 3600 * 1000 - 10 * 60 * 1000;
    let (rc, machine, err) = resend(late);
    assert_eq!(
        rc,
        nhantin_result::NHANTIN_RESULT_INVALID_INPUT,
        "the window has closed"
    );
    assert!(machine.is_null());
    assert_eq!(error_json(err)["field"], "request_id");
    unsafe {
        nhantin_error_free(err);
        nhantin_error_free(unknown);
    }
}

#[test]
fn a_failed_connection_is_retried_then_transport() {
    let run = Run::new(
        ESMS,
        OTP,
        &format!(r#"{{"now_ms":{NOW}}}"#),
        Some(r#"{"max_attempts":2,"initial_backoff_ms":10}"#),
    )
    .unwrap();
    run.poll(NOW).unwrap();
    run.fail(NOW, false);
    let until = run.poll(NOW).unwrap()["until_ms"].as_i64().unwrap();
    run.poll(until).unwrap();
    run.fail(until, false);
    let done = run.poll(until).unwrap();
    assert_eq!(done["result"], 4000);
    assert_eq!(done["error"]["kind"], "transport");
    assert_eq!(done["error"]["retry_safe"], true);
}

#[test]
fn caresoft_is_paced_through_the_shared_account_state() {
    let mut state = ptr::null_mut();
    unsafe { nhantin_account_state_new(&mut state) };
    let message = c(
        r#"{"recipients":["0980000000"],"content":{"sms":{"purpose":"customer_care","text":"x"}}}"#,
    );
    let mut waits = Vec::new();
    for i in 0..16 {
        let mut machine = ptr::null_mut();
        let rc = unsafe {
            nhantin_send_machine_new(
                c(CARESOFT).as_ptr(),
                message.as_ptr(),
                c(&format!(r#"{{"now_ms":{NOW}}}"#)).as_ptr(),
                ptr::null(),
                &mut machine,
                ptr::null_mut(),
            )
        };
        assert_eq!(rc, nhantin_result::NHANTIN_RESULT_OK);
        assert!(
            unsafe { nhantin_send_machine_request_id(machine) }.is_null(),
            "CareSoft has no id"
        );
        let mut out = ptr::null_mut();
        unsafe { nhantin_send_machine_poll(machine, state, NOW + i, &mut out, ptr::null_mut()) };
        let step = take(out);
        waits.push(step["step"].as_str().unwrap().to_owned());
        if step["step"] == "wait" {
            assert_eq!(
                step["until_ms"],
                NOW + 1000,
                "the 16th waits for the first to leave the window"
            );
        }
        unsafe { nhantin_send_machine_free(machine) };
    }
    assert_eq!(waits.iter().filter(|s| *s == "transmit").count(), 15);
    assert_eq!(waits[15], "wait");
    unsafe { nhantin_account_state_free(state) };
}

#[test]
fn bad_arguments_are_refused_before_anything() {
    let ctx = format!(r#"{{"now_ms":{NOW}}}"#);
    assert_eq!(
        Run::new(ESMS, OTP, "{}", None).err(),
        Some(1000),
        "now_ms is required"
    );
    assert_eq!(Run::new(ESMS, OTP, "{", None).err(), Some(1002));
    assert_eq!(
        Run::new(ESMS, OTP, &format!(r#"{{"now_ms":{NOW},"later":1}}"#), None).err(),
        Some(1000)
    );
    assert_eq!(
        Run::new(ESMS, OTP, &ctx, Some(r#"{"max_attempts":0}"#)).err(),
        Some(1000)
    );
    assert_eq!(
        Run::new(ESMS, OTP, &ctx, Some(r#"{"retries":3}"#)).err(),
        Some(1000)
    );
    assert_eq!(
        Run::new(
            ESMS,
            OTP,
            &format!(r#"{{"now_ms":{NOW},"fresh_request_id":"mã"}}"#),
            None
        )
        .err(),
        Some(1000)
    );
    let mut id = ptr::null_mut();
    assert_eq!(
        unsafe { nhantin_request_id_generate(&mut id) },
        nhantin_result::NHANTIN_RESULT_OK
    );
    let id = take_string(id);
    assert!(id.starts_with("nt-") && id.len() == 35, "{id}");
    assert_eq!(
        unsafe { nhantin_request_id_generate(ptr::null_mut()) },
        nhantin_result::NHANTIN_RESULT_NULL_ARGUMENT
    );
    let run = Run::new(ESMS, OTP, &ctx, None).unwrap();
    let (rc, _, err) = run.result();
    assert_eq!(
        rc,
        nhantin_result::NHANTIN_RESULT_WRONG_STATE,
        "not done yet"
    );
    unsafe { nhantin_error_free(err) };
    assert_eq!(
        run.fail(NOW, true),
        nhantin_result::NHANTIN_RESULT_WRONG_STATE,
        "nothing in flight"
    );
}

fn take_string(s: *mut c_char) -> String {
    let text = unsafe { CStr::from_ptr(s) }.to_str().unwrap().to_owned();
    unsafe { nhantin_string_free(s) };
    text
}
