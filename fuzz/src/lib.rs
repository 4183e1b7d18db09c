//! What the fuzz targets share: how fuzz bytes become an [`HttpResponse`], the fixed clock and
//! accounts, and the invariants checked on every decoded error and encoded request.
//!
//! Every target's input format is written here or at the top of its file, and `fuzz/seed.py`
//! writes the seed corpora in exactly those formats from `tests/vectors/`.

use std::ffi::{c_char, CStr, CString};

use nhantin_core::{Error, HttpRequest, HttpResponse, Idempotency, Provider, RequestId, Timestamp};

/// The caller's clock in every encode: the `now` of the shared vectors.
pub const NOW: &str = "2026-11-24T02:00:00Z";

/// [`NOW`] parsed.
pub fn now() -> Timestamp {
    Timestamp::parse_rfc3339("now", NOW).expect("NOW is RFC 3339")
}

/// Most header lines a fuzzed response carries.
pub const MAX_HEADERS: usize = 3;

/// A response from fuzz bytes: bytes 0–1 are the status (big-endian, any `u16`), byte 2 the
/// number of header lines (modulo 4), then that many `Name: value` lines ended by `\n`, then the
/// body (every remaining byte). Header bytes that are not UTF-8 are replaced, as any HTTP
/// client's header map would.
pub fn response(data: &[u8]) -> HttpResponse {
    let status = match data {
        [hi, lo, ..] => u16::from_be_bytes([*hi, *lo]),
        [b] => u16::from(*b),
        [] => 200,
    };
    let count = data
        .get(2)
        .map_or(0, |n| usize::from(*n) % (MAX_HEADERS + 1));
    let mut rest = data.get(3..).unwrap_or_default();
    let mut headers = Vec::new();
    for _ in 0..count {
        let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let line = String::from_utf8_lossy(&rest[..end]);
        let (name, value) = line.split_once(':').unwrap_or((&line, ""));
        headers.push((name.to_owned(), value.trim().to_owned()));
        rest = rest.get(end + 1..).unwrap_or_default();
    }
    HttpResponse {
        status,
        headers,
        body: rest.to_vec(),
    }
}

/// The idempotency kinds an answer can be judged against.
pub fn idempotencies() -> [Idempotency; 3] {
    [
        Idempotency::ReadOnly,
        Idempotency::NotIdempotent,
        Idempotency::KeyedBy(RequestId::new("fuzz-1").expect("a valid request id")),
    ]
}

/// What every decoded error must allow without panicking: Display, Debug, its kind, its retry
/// safety for each kind of request, its provider and code. An error decoded from `provider`'s
/// answer names that provider, and is never "invalid input" (that kind means nothing was sent).
pub fn check_decoded_error(e: &Error, provider: Provider) {
    check_error(e);
    assert!(
        !matches!(e, Error::InvalidInput { .. }),
        "a decoded answer became invalid input: {e:?}"
    );
    assert_eq!(e.provider(), Some(provider), "{e:?}");
}

/// [`check_decoded_error`] without the kind assertion, for errors of validation and encoding.
pub fn check_error(e: &Error) {
    let text = e.to_string();
    assert!(!text.is_empty());
    let _ = format!("{e:?}");
    let _ = e.kind().as_str();
    for idempotency in idempotencies() {
        let _ = e.is_retry_safe(&idempotency);
    }
    let _ = e.provider_code();
    let _ = e.provider();
}

/// The forms a secret may take on the wire: raw, percent-encoded, XML-escaped, JSON-escaped
/// (the forms `HttpRequest` masks).
pub fn secret_forms(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret).expect("a string serializes");
    vec![
        secret.to_owned(),
        nhantin_core::wire::query_encode(secret),
        nhantin_core::wire::xml_escape(secret).into_owned(),
        json[1..json.len() - 1].to_owned(),
    ]
}

/// The redacted request's URL, header values and body carry none of `secrets` in any wire form.
/// Skipped, because they can appear without anything having leaked: a form containing `*` (the
/// mask is `***`), and a form that also appears in `baseline`, the same request encoded for an
/// account whose keys are the distinctive fixed ones of [`ACCOUNTS`] (text the encoder and the
/// redactor write whatever the keys are: field names, placeholders such as `<text>`, masked
/// phones; a fuzzed key `text` matches them). `Debug` is only formatted, for the same reason.
pub fn assert_redacted(request: &HttpRequest, secrets: &[&str], baseline: Option<&HttpRequest>) {
    let _ = format!("{request:?}");
    let shown = redacted_texts(request);
    let expected = baseline.map(redacted_texts).unwrap_or_default();
    for secret in secrets {
        for form in secret_forms(secret) {
            if form.is_empty() || form.contains('*') || expected.iter().any(|t| t.contains(&form)) {
                continue;
            }
            for text in &shown {
                assert!(
                    !text.contains(&form),
                    "secret {secret:?} (as {form:?}) in a redacted request: {text}"
                );
            }
        }
    }
    let safe = request.redacted();
    assert_eq!(safe.method, request.method);
    assert_eq!(safe.headers.len(), request.headers.len());
}

/// What a log shows of a request: its redacted URL, body and header values (header names are
/// the endpoint's, never a secret, and never masked).
fn redacted_texts(request: &HttpRequest) -> Vec<String> {
    let safe = request.redacted();
    let mut texts = vec![safe.url, String::from_utf8_lossy(&safe.body).into_owned()];
    texts.extend(safe.headers.into_iter().map(|(_, value)| value));
    texts
}

/// The fixed account of [`ACCOUNTS`] for `account`'s provider (InterITS: the same phone format
/// and de-duplication), to encode a baseline with.
pub fn fixed_account(account: &nhantin_core::Account) -> nhantin_core::Account {
    use nhantin_core::{Account, AccountInput, PhoneFormat};
    let json = match account {
        Account::Esms(_) => ACCOUNTS[0],
        Account::CareSoft(_) => ACCOUNTS[1],
        Account::InterIts(a) if a.phone_format == PhoneFormat::E164 && a.dedup_confirmed => {
            ACCOUNTS[3]
        }
        Account::InterIts(_) => ACCOUNTS[2],
    };
    AccountInput::from_json(json)
        .and_then(AccountInput::validate)
        .expect("the fixed accounts are valid")
}

/// Splits fuzz bytes into NUL-free C strings at each NUL byte, at most `n` of them (the last
/// keeps the rest, its NULs dropped), padding with empty strings.
pub fn c_strings(data: &[u8], n: usize) -> Vec<CString> {
    let mut parts: Vec<Vec<u8>> = data.splitn(n, |&b| b == 0).map(<[u8]>::to_vec).collect();
    parts.resize(n, Vec::new());
    parts
        .into_iter()
        .map(|mut p| {
            p.retain(|&b| b != 0);
            CString::new(p).expect("NULs removed")
        })
        .collect()
}

/// Reads and frees a string the C ABI returned; NULL gives `None`.
///
/// # Safety
/// `p` is NULL or a string the library returned and has not freed.
pub unsafe fn take_c_string(p: *mut c_char) -> Option<String> {
    if p.is_null() {
        return None;
    }
    // SAFETY: a NUL-terminated string from the library.
    let text = unsafe { CStr::from_ptr(p) }
        .to_str()
        .expect("the C ABI returns UTF-8")
        .to_owned();
    // SAFETY: returned by the library, freed once.
    unsafe { nhantin::capi::nhantin_string_free(p) };
    Some(text)
}

/// Checks and frees the error object a C ABI call may have produced. A panic caught at the
/// boundary (`NHANTIN_RESULT_PANIC`) is a bug like any other panic.
///
/// # Safety
/// `err` is NULL or an error the library returned and has not freed.
pub unsafe fn take_c_error(
    code: nhantin::capi::nhantin_result,
    err: *mut nhantin::capi::nhantin_error,
) {
    use nhantin::capi as c;
    assert_ne!(
        code,
        c::nhantin_result::NHANTIN_RESULT_PANIC,
        "a panic was caught at the C boundary"
    );
    let ok = code == c::nhantin_result::NHANTIN_RESULT_OK;
    assert_eq!(
        ok,
        err.is_null(),
        "an error object exactly when the call failed ({code:?})"
    );
    if err.is_null() {
        return;
    }
    // SAFETY: a live error object; the getters return borrowed strings (or NULL).
    unsafe {
        assert_eq!(c::nhantin_error_code(err), code as u32);
        for s in [
            c::nhantin_error_message(err),
            c::nhantin_error_field(err),
            c::nhantin_error_provider(err),
            c::nhantin_error_reason(err),
            c::nhantin_error_provider_code(err),
            c::nhantin_error_request_id(err),
            c::nhantin_error_json(err),
        ] {
            if !s.is_null() {
                let _ = CStr::from_ptr(s).to_str().expect("UTF-8");
            }
        }
        let _ = c::nhantin_error_retry_after_secs(err);
        let _ = c::nhantin_error_is_retry_safe(err);
        c::nhantin_error_free(err);
    }
}

/// The JSON a successful C ABI call returned must parse.
pub fn assert_json(text: &str) -> serde_json::Value {
    serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("the C ABI wrote invalid JSON ({e}): {text}"))
}

/// A timestamp prints as RFC 3339 and as Vietnam time without panicking, and, within the years
/// RFC 3339 can write (0000–9999), its RFC 3339 text reads back as the same instant.
pub fn check_timestamp(t: Timestamp) {
    let text = t.to_rfc3339_utc();
    let _ = t.to_vietnam_local();
    let _ = format!("{t:?} {t}");
    let first = Timestamp::parse_rfc3339("t", "0000-01-01T00:00:00Z").expect("year 0");
    let last = Timestamp::parse_rfc3339("t", "9999-12-31T23:59:59.999Z").expect("year 9999");
    if (first..=last).contains(&t) {
        assert_eq!(Timestamp::parse_rfc3339("t", &text), Ok(t), "{text}");
    }
}

/// The accounts a fuzzed message is encoded for, as JSON (one per provider, InterITS in two of
/// its phone formats), with keys distinctive enough that finding one in a redacted request can
/// only be a leak.
pub const ACCOUNTS: &[&str] = &[
    r#"{"provider":"esms","api_key":"FZESMSAPIKEY7Q","secret_key":"FZESMSSECRET3W"}"#,
    r#"{"provider":"caresoft","domain":"khachhang01","api_token":"FZCARESOFTTOKEN9X","service_id":12}"#,
    r#"{"provider":"interits","api_key":"FZINTERITSKEY5V"}"#,
    r#"{"provider":"interits","api_key":"FZINTERITSKEY5V","phone_format":"e164","dedup_confirmed":true}"#,
];

/// The secrets an account carries.
pub fn account_secrets(account: &nhantin_core::Account) -> Vec<&str> {
    use nhantin_core::Account;
    match account {
        Account::Esms(a) => vec![a.api_key.expose(), a.secret_key.expose()],
        Account::CareSoft(a) => vec![a.api_token.expose()],
        Account::InterIts(a) => vec![a.api_key.expose()],
    }
}

/// Encodes `message` for `account` at [`NOW`] and checks what came out: a request whose
/// redacted form carries no secret of the account and whose idempotency is the message's request
/// id (eSMS; InterITS SMS when its de-duplication is confirmed) or none (CareSoft, InterITS ZNS,
/// other InterITS);
/// or an invalid-input error (encoding sends nothing).
/// An eSMS advertising list is also planned into batches, each checked the same way.
pub fn check_encode(account: &nhantin_core::Account, message: &nhantin_core::Message) {
    use nhantin_core::Account;
    let secrets = account_secrets(account);
    let baseline = fixed_account(account).encode_send(message, now()).ok();
    match account.encode_send(message, now()) {
        Ok(request) => {
            assert_redacted(&request, &secrets, baseline.as_ref());
            let want = match account {
                // D-B10: InterITS de-duplicates only where confirmed for the account.
                Account::CareSoft(_) => Idempotency::NotIdempotent,
                Account::InterIts(a) if !a.dedup_confirmed => Idempotency::NotIdempotent,
                // D-Z49: send-zns's tracking_id is no de-duplication key, whatever was
                // confirmed for the SMS endpoint's requestId.
                Account::InterIts(_)
                    if matches!(message.content, nhantin_core::Content::Zns(_)) =>
                {
                    Idempotency::NotIdempotent
                }
                // D-Z25: eSMS's generated-code APIs take no RequestId.
                Account::Esms(_)
                    if matches!(message.content, nhantin_core::Content::GeneratedOtp(_)) =>
                {
                    Idempotency::NotIdempotent
                }
                // A bulk ZNS is keyed by the base of its recipients' ids: the message's id, or
                // one derived from the content.
                Account::Esms(_)
                    if matches!(message.content, nhantin_core::Content::ZnsBulk(_)) =>
                {
                    let Idempotency::KeyedBy(base) = &request.idempotency else {
                        panic!("a bulk ZNS is keyed: {:?}", request.idempotency)
                    };
                    match &message.request_id {
                        Some(id) => assert_eq!(id, base),
                        None => assert!(base.as_str().starts_with("z-"), "{base:?}"),
                    }
                    request.idempotency.clone()
                }
                _ => Idempotency::KeyedBy(
                    message
                        .request_id
                        .clone()
                        .expect("eSMS and InterITS sends carry a request id"),
                ),
            };
            assert_eq!(request.idempotency, want);
            assert!(
                request.url.starts_with(account.base_url().as_str()),
                "{}",
                request.redacted_url()
            );
        }
        Err(e) => {
            check_error(&e);
            assert!(
                matches!(e, Error::InvalidInput { .. }),
                "encoding failed with {e:?}"
            );
        }
    }
    if account.splits(message) {
        let baseline =
            nhantin_core::send::plan_batches(&fixed_account(account), message, now()).ok();
        match nhantin_core::send::plan_batches(account, message, now()) {
            Ok(batches) => {
                let mut next = 0;
                for (i, batch) in batches.iter().enumerate() {
                    assert_eq!(batch.first_recipient, next);
                    next += batch.recipients;
                    let base = baseline.as_ref().and_then(|b| b.get(i)).map(|b| &b.request);
                    assert_redacted(&batch.request, &secrets, base);
                    assert_eq!(
                        batch.request.idempotency,
                        Idempotency::KeyedBy(batch.request_id.clone())
                    );
                }
                assert_eq!(next, message.recipients.len());
            }
            Err(e) => {
                let _ = format!("{e} {e:?}");
            }
        }
    }
}
