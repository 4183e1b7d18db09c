//! `SendMachine::resend` takes nothing in a `SafeResend` on trust: a caller may build one by
//! hand (after a cancelled await, from its own journal), and a wrong one must be refused before
//! anything is sent, never turned into a second message.

use nhantin_core::send::{SafeResend, SendContext, SendError, SendMachine, SendPolicy};
use nhantin_core::{Account, AccountInput, Error, Message, MessageInput, RequestId, Timestamp};

const HOUR_MS: i64 = 3600 * 1000;
const NOW_MS: i64 = 1_795_000_000_000;

fn account(json: &str) -> Account {
    AccountInput::from_json(json).unwrap().validate().unwrap()
}

fn esms() -> Account {
    account(r#"{"provider":"esms","api_key":"TEST-API-KEY-0001","secret_key":"TEST-SECRET-0001"}"#)
}

fn interits(dedup_confirmed: bool) -> Account {
    account(&format!(
        r#"{{"provider":"interits","api_key":"TEST-API-KEY-0001","dedup_confirmed":{dedup_confirmed}}}"#
    ))
}

fn sms() -> Message {
    MessageInput::from_json(
        r#"{"recipients":["0912345678"],"content":{"sms":{"purpose":"otp","text":"Ma OTP 482913","sender":"NHANTIN"}}}"#,
    )
    .unwrap()
    .validate()
    .unwrap()
}

fn zns() -> Message {
    MessageInput::from_json(
        r#"{"recipients":["0912345678"],"content":{"zns":{"oa_id":"1234567890123456789","template_id":"205644","params":[{"name":"otp","value":"482913"}]}}}"#,
    )
    .unwrap()
    .validate()
    .unwrap()
}

fn resend_of(first_sent_ms: i64, until_ms: Option<i64>) -> SafeResend {
    SafeResend {
        request_id: RequestId::new("order-42").unwrap(),
        first_sent_at: Timestamp::from_unix_millis(first_sent_ms),
        until: until_ms.map(Timestamp::from_unix_millis),
    }
}

fn resend(account: &Account, message: &Message, resend: &SafeResend) -> Result<(), String> {
    let context = SendContext {
        now: Timestamp::from_unix_millis(NOW_MS),
        fresh_request_id: None,
        jitter_seed: 1,
    };
    match SendMachine::resend(account, message, resend, context, &SendPolicy::default()) {
        Ok(_) => Ok(()),
        Err(SendError::Refused {
            error: Error::InvalidInput { field, reason },
            attempts: 0,
        }) => Err(format!("{field}: {reason}")),
        Err(other) => panic!("{other:?}"),
    }
}

#[test]
fn an_esms_resend_is_made_while_the_window_from_the_first_send_is_open() {
    assert_eq!(
        resend(&esms(), &sms(), &resend_of(NOW_MS - HOUR_MS, None)),
        Ok(())
    );
    assert_eq!(
        resend(
            &esms(),
            &sms(),
            &resend_of(NOW_MS - HOUR_MS, Some(NOW_MS + HOUR_MS))
        ),
        Ok(())
    );
}

#[test]
fn an_esms_resend_counts_the_window_from_the_first_send_whatever_until_says() {
    // First sent 48 hours ago: eSMS has forgotten the id, with or without `until`.
    for until in [None, Some(NOW_MS + HOUR_MS)] {
        let refused =
            resend(&esms(), &sms(), &resend_of(NOW_MS - 48 * HOUR_MS, until)).unwrap_err();
        assert!(
            refused.starts_with(
                "request_id: the provider may have forgotten order-42 (its window closed at "
            ),
            "{refused}"
        );
    }
    // 23 h 50 min after the first send is the end (24 h less nhantin's 10-minute margin).
    let edge = NOW_MS - (24 * HOUR_MS - 10 * 60 * 1000);
    assert!(resend(&esms(), &sms(), &resend_of(edge, None)).is_err());
    assert_eq!(resend(&esms(), &sms(), &resend_of(edge + 1, None)), Ok(()));
    // An `until` earlier than the provider's window closes it earlier.
    assert!(resend(&esms(), &sms(), &resend_of(NOW_MS - HOUR_MS, Some(NOW_MS))).is_err());
}

#[test]
fn a_first_send_in_the_future_is_refused() {
    assert_eq!(
        resend(&esms(), &sms(), &resend_of(NOW_MS + 1, None)),
        Err("first_sent_at: 2026-11-18T11:06:40.001Z is later than now: give the instant the first send was made".to_owned())
    );
}

#[test]
fn a_provider_that_does_not_de_duplicate_the_send_refuses_a_resend() {
    let refusal = "request_id: interits does not de-duplicate this send by its request id, so a resend could deliver it twice: reconcile with the recipient or the provider instead";
    // InterITS without confirmed de-duplication: its requestId is sent but not relied on.
    assert_eq!(
        resend(&interits(false), &sms(), &resend_of(NOW_MS - HOUR_MS, None)),
        Err(refusal.to_owned())
    );
    // A ZNS's tracking_id is never a de-duplication key (D-Z49), confirmed or not.
    assert_eq!(
        resend(&interits(true), &zns(), &resend_of(NOW_MS - HOUR_MS, None)),
        Err(refusal.to_owned())
    );
    // Confirmed de-duplication of an SMS: no window is stated, so the resend is made.
    assert_eq!(
        resend(
            &interits(true),
            &sms(),
            &resend_of(NOW_MS - 48 * HOUR_MS, None)
        ),
        Ok(())
    );
}
