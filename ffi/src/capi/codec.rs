//! Sans-IO encode/decode for callers with their own HTTP stack, and the helpers.

use std::ffi::c_char;

use nhantin_core as core;

use super::client::{account_from_json, message_from_json, write_json_out};
use super::error::{nhantin_error, run, Failure};
use super::result::nhantin_result;
use super::{c_string, opt_str_arg, out_arg, panic, str_arg};

/// How `nhantin_phone_normalize` writes a number.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum nhantin_phone_format {
    /// `0912345678`.
    NHANTIN_PHONE_FORMAT_NATIONAL = 0,
    /// `84912345678`.
    NHANTIN_PHONE_FORMAT_INTERNATIONAL = 1,
    /// `+84912345678`.
    NHANTIN_PHONE_FORMAT_E164 = 2,
}

/// The network that issued a number's prefix (eSMS's `telcoid` numbering).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum nhantin_carrier {
    /// A valid prefix nhantin does not know yet.
    NHANTIN_CARRIER_UNKNOWN = 0,
    /// Viettel.
    NHANTIN_CARRIER_VIETTEL = 1,
    /// MobiFone.
    NHANTIN_CARRIER_MOBIFONE = 2,
    /// Vinaphone.
    NHANTIN_CARRIER_VINAPHONE = 3,
    /// Vietnamobile.
    NHANTIN_CARRIER_VIETNAMOBILE = 4,
    /// Gmobile (Gtel).
    NHANTIN_CARRIER_GMOBILE = 5,
    /// Itel.
    NHANTIN_CARRIER_ITEL = 6,
    /// Reddi.
    NHANTIN_CARRIER_REDDI = 7,
}

/// How a text travels over the air.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum nhantin_encoding {
    /// 7-bit: 160 characters in one SMS, 153 per part.
    NHANTIN_ENCODING_GSM7 = 0,
    /// UTF-16: 70 characters in one SMS, 67 per part.
    NHANTIN_ENCODING_UCS2 = 1,
}

fn unknown(what: &str, value: &str) -> Failure {
    Failure::misuse(
        nhantin_result::NHANTIN_RESULT_UNKNOWN_OPERATION,
        format!("unknown {what} {value:?}"),
    )
}

/// The exact request a send would make. `now_rfc3339` is the caller's clock (schedules must be
/// after it). eSMS and InterITS need the message's `request_id`: it is the idempotency key, and
/// a resend must reuse the very same request. `*request_json_out` receives
/// `{"method","url","headers":[[name,value],…],"body","idempotency_key","idempotent"}` with the
/// real keys in it: do not log it. Caller frees it with `nhantin_string_free`.
///
/// Thread safety: any thread (pure function).
///
/// # Safety
/// Strings are NUL-terminated; outputs are writable (`err_out` may be NULL).
#[no_mangle]
pub unsafe extern "C" fn nhantin_encode_send(
    account_json: *const c_char,
    message_json: *const c_char,
    now_rfc3339: *const c_char,
    request_json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let account = account_from_json(unsafe { str_arg(account_json, "account_json") }?)?;
        let message = message_from_json(unsafe { str_arg(message_json, "message_json") }?)?;
        let now =
            core::Timestamp::parse_rfc3339("now", unsafe { str_arg(now_rfc3339, "now_rfc3339") }?)
                .map_err(Failure::decoded)?;
        out_arg(request_json_out, "request_json_out")?;
        let request = account
            .encode_send(&message, now)
            .map_err(Failure::decoded)?;
        write_json_out(request_json_out, &request);
        Ok(())
    })
}

/// An eSMS query request: `operation` is `"balance"`, `"send_status"` or `"receiver_status"`
/// (the last two need `sms_id`; it may be NULL for `"balance"`). Output as for
/// `nhantin_encode_send`.
///
/// Thread safety: any thread (pure function).
///
/// # Safety
/// As `nhantin_encode_send`.
#[no_mangle]
pub unsafe extern "C" fn nhantin_encode_query(
    account_json: *const c_char,
    operation: *const c_char,
    sms_id: *const c_char,
    request_json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let account = account_from_json(unsafe { str_arg(account_json, "account_json") }?)?;
        let operation = unsafe { str_arg(operation, "operation") }?;
        let sms_id = unsafe { opt_str_arg(sms_id, "sms_id") }?;
        out_arg(request_json_out, "request_json_out")?;
        let core::Account::Esms(esms) = account else {
            return Err(Failure::decoded(core::Error::InvalidInput {
                field: "account".into(),
                reason: "queries are eSMS operations".into(),
            }));
        };
        let id = || -> Result<core::esms::SmsId, Failure> {
            let text = sms_id.ok_or_else(|| {
                Failure::misuse(
                    nhantin_result::NHANTIN_RESULT_NULL_ARGUMENT,
                    "sms_id is NULL".into(),
                )
            })?;
            core::esms::SmsId::new(text).map_err(Failure::decoded)
        };
        let request = match operation {
            "balance" => esms.encode_balance(),
            "send_status" => esms.encode_send_status(&id()?),
            "receiver_status" => esms.encode_receiver_status(&id()?),
            other => return Err(unknown("operation", other)),
        };
        write_json_out(request_json_out, &request);
        Ok(())
    })
}

/// The window of a `GetSmsSentData_V2` query, as JSON.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SentDataWindow {
    sms_type: i64,
    from: String,
    to: String,
    page: u32,
    page_size: u32,
}

/// An eSMS `GetSmsSentData_V2` request (what eSMS sent in a time window, for reconciliation).
/// `window_json` is `{"sms_type":2,"from":"<RFC 3339>","to":"<RFC 3339>","page":1,"page_size":500}`.
/// Output as for `nhantin_encode_send`; invalid windows (page 0, page size over 500, from after
/// to, an unknown SmsType) fail with `NHANTIN_RESULT_INVALID_INPUT` naming the field.
///
/// Thread safety: any thread (pure function).
///
/// # Safety
/// As `nhantin_encode_send`.
#[no_mangle]
pub unsafe extern "C" fn nhantin_encode_sent_data(
    account_json: *const c_char,
    window_json: *const c_char,
    request_json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let account = account_from_json(unsafe { str_arg(account_json, "account_json") }?)?;
        let window: SentDataWindow =
            serde_json::from_str(unsafe { str_arg(window_json, "window_json") }?)
                .map_err(|e| Failure::json("window", e))?;
        out_arg(request_json_out, "request_json_out")?;
        let esms = account.esms().map_err(Failure::decoded)?;
        let query = core::esms::SentDataQuery {
            sms_type: core::esms::EsmsSmsType::from_code(window.sms_type),
            from: core::Timestamp::parse_rfc3339("from", &window.from).map_err(Failure::decoded)?,
            to: core::Timestamp::parse_rfc3339("to", &window.to).map_err(Failure::decoded)?,
            page: window.page,
            page_size: window.page_size,
        };
        let request = esms.encode_sent_data(&query).map_err(Failure::decoded)?;
        write_json_out(request_json_out, &request);
        Ok(())
    })
}

/// An eSMS `CheckCodeGen_V4_get` request: is `code` the one eSMS generated and sent to `phone`
/// (after a `generated_otp` send)? Decode the answer with `nhantin_decode(…, "check_code", …)`.
/// Checking may use the code up: once a request may have arrived, do not send it again. Output
/// as for `nhantin_encode_send` (the keys are in the URL: do not log it).
///
/// Thread safety: any thread (pure function).
///
/// # Safety
/// As `nhantin_encode_send`.
#[no_mangle]
pub unsafe extern "C" fn nhantin_encode_check_code(
    account_json: *const c_char,
    phone: *const c_char,
    code: *const c_char,
    request_json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let account = account_from_json(unsafe { str_arg(account_json, "account_json") }?)?;
        let phone = core::PhoneNumber::parse("phone", unsafe { str_arg(phone, "phone") }?)
            .map_err(Failure::decoded)?;
        let code = unsafe { str_arg(code, "code") }?;
        out_arg(request_json_out, "request_json_out")?;
        let esms = account.esms().map_err(Failure::decoded)?;
        let request = esms
            .encode_check_code(&phone, code)
            .map_err(Failure::decoded)?;
        write_json_out(request_json_out, &request);
        Ok(())
    })
}

/// An InterITS `message-detail` request for a ZNS sent through `oa_id` (`msg_id`: the reference
/// its send returned). Decode the answer with `nhantin_decode("interits", "zns_message", …)`,
/// which gives `{"zns_message":{…}}`. Output as for `nhantin_encode_send`.
///
/// Thread safety: any thread (pure function).
///
/// # Safety
/// As `nhantin_encode_send`.
#[no_mangle]
pub unsafe extern "C" fn nhantin_encode_interits_zns_message(
    account_json: *const c_char,
    oa_id: *const c_char,
    msg_id: *const c_char,
    request_json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let account = account_from_json(unsafe { str_arg(account_json, "account_json") }?)?;
        let oa_id = unsafe { str_arg(oa_id, "oa_id") }?;
        let msg_id = unsafe { str_arg(msg_id, "msg_id") }?;
        out_arg(request_json_out, "request_json_out")?;
        let interits = account.interits().map_err(Failure::decoded)?;
        let request = interits
            .encode_zns_message(oa_id, msg_id)
            .map_err(Failure::decoded)?;
        write_json_out(request_json_out, &request);
        Ok(())
    })
}

/// The HTTP answer passed to a decoder.
///
/// # Safety
/// `headers_json` is NULL or NUL-terminated; `body` points to `body_len` readable bytes.
unsafe fn response_arg(
    status: u16,
    headers_json: *const c_char,
    body: *const u8,
    body_len: usize,
) -> Result<core::HttpResponse, Failure> {
    // SAFETY: as documented.
    let headers: Vec<(String, String)> = match unsafe { opt_str_arg(headers_json, "headers_json") }?
    {
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
    Ok(core::HttpResponse {
        status,
        headers,
        body,
    })
}

/// An eSMS lookup request. `lookup_json` is one key, the lookup, e.g.
/// `{"zns_templates":{"oa_id":"…","kind":"normal"}}`, `{"zns_template_info":{"oa_id","template_id"}}`,
/// `"zalo_oas"`, `{"zns_quota":{"oa_id"}}`, `{"zns_status":{"sms_id","kind"}}`,
/// `{"zalo_message_status":{"oa_id","message_id"}}` or `"brandnames"`. Output as for
/// `nhantin_encode_send`; a bad lookup fails with `NHANTIN_RESULT_INVALID_INPUT` naming the field.
///
/// Thread safety: any thread (pure function).
///
/// # Safety
/// As `nhantin_encode_send`.
#[no_mangle]
pub unsafe extern "C" fn nhantin_encode_lookup(
    account_json: *const c_char,
    lookup_json: *const c_char,
    request_json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let account = account_from_json(unsafe { str_arg(account_json, "account_json") }?)?;
        let lookup =
            core::esms::EsmsLookup::from_json(unsafe { str_arg(lookup_json, "lookup_json") }?)
                .map_err(Failure::decoded)?;
        out_arg(request_json_out, "request_json_out")?;
        let esms = account.esms().map_err(Failure::decoded)?;
        let request = esms.encode_lookup(&lookup).map_err(Failure::decoded)?;
        write_json_out(request_json_out, &request);
        Ok(())
    })
}

/// Decodes the answer to an eSMS lookup (`lookup_json` as for `nhantin_encode_lookup`) into
/// one key, the lookup's: `{"zns_quota":{"daily":500,"remaining":498}}`, `{"zalo_oas":[…]}`, ….
/// Other arguments as for `nhantin_decode`. Caller frees the string.
///
/// Thread safety: any thread (pure function).
///
/// # Safety
/// As `nhantin_decode`.
#[no_mangle]
pub unsafe extern "C" fn nhantin_decode_lookup(
    lookup_json: *const c_char,
    status: u16,
    headers_json: *const c_char,
    body: *const u8,
    body_len: usize,
    result_json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let lookup =
            core::esms::EsmsLookup::from_json(unsafe { str_arg(lookup_json, "lookup_json") }?)
                .map_err(Failure::decoded)?;
        // SAFETY: argument contracts as documented.
        let response = unsafe { response_arg(status, headers_json, body, body_len) }?;
        out_arg(result_json_out, "result_json_out")?;
        let answer = core::esms::decode_lookup(&lookup, &response)
            .map_err(|e| Failure::core(e, &core::Idempotency::ReadOnly))?;
        write_json_out(result_json_out, &answer);
        Ok(())
    })
}

/// Decodes a provider's answer. `provider` is `"esms"`, `"caresoft"` or `"interits"`;
/// `operation` is `"send"`, `"balance"`, `"send_status"`, `"receiver_status"`, `"sent_data"` or
/// `"check_code"` (the last five eSMS only), or `"zns_message"` (InterITS `message-detail`, giving
/// `{"zns_message":{…}}`; eSMS queries: `"sent_data"` gives `{"sent_data":{"count_total",…,
/// "rows":[…]}}`, `"check_code"` `{"check_code":"valid"|"invalid"}`). `headers_json` may be NULL or `[["Retry-After","5"],…]`; `body` may be NULL when
/// `body_len` is 0. On success `*result_json_out` receives `{"receipt":…}`, `{"balance":…}`,
/// `{"send_status":…}` or `{"receivers":[…]}`; on failure the error says whose fault it is and
/// whether resending the request is safe. Caller frees the string.
///
/// Thread safety: any thread (pure function).
///
/// # Safety
/// Strings are NUL-terminated; `body` points to `body_len` readable bytes; outputs are writable.
#[no_mangle]
pub unsafe extern "C" fn nhantin_decode(
    provider: *const c_char,
    operation: *const c_char,
    status: u16,
    headers_json: *const c_char,
    body: *const u8,
    body_len: usize,
    result_json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let provider = unsafe { str_arg(provider, "provider") }?;
        let operation = unsafe { str_arg(operation, "operation") }?;
        // SAFETY: argument contracts as documented.
        let response = unsafe { response_arg(status, headers_json, body, body_len) }?;
        out_arg(result_json_out, "result_json_out")?;
        let provider = match provider {
            "esms" => core::Provider::Esms,
            "caresoft" => core::Provider::CareSoft,
            "interits" => core::Provider::InterIts,
            other => return Err(unknown("provider", other)),
        };
        let read_only = |e| Failure::core(e, &core::Idempotency::ReadOnly);
        let value = match (operation, provider) {
            ("send", p) => {
                serde_json::json!({ "receipt": core::providers::decode_send(p, &response).map_err(Failure::decoded)? })
            }
            ("balance", core::Provider::Esms) => {
                serde_json::json!({ "balance": core::esms::decode_balance(&response).map_err(read_only)? })
            }
            ("send_status", core::Provider::Esms) => {
                serde_json::json!({ "send_status": core::esms::decode_send_status(&response).map_err(read_only)? })
            }
            ("receiver_status", core::Provider::Esms) => {
                serde_json::json!({ "receivers": core::esms::decode_receiver_status(&response).map_err(read_only)? })
            }
            ("sent_data", core::Provider::Esms) => {
                serde_json::json!({ "sent_data": core::esms::decode_sent_data(&response).map_err(read_only)? })
            }
            // Checking may use the code up: an answer that went missing is not read again.
            ("check_code", core::Provider::Esms) => {
                let not_resent = |e| Failure::core(e, &core::Idempotency::NotIdempotent);
                serde_json::json!({ "check_code": core::esms::decode_check_code(&response).map_err(not_resent)? })
            }
            ("zns_message", core::Provider::InterIts) => {
                serde_json::json!({ "zns_message": core::interits::decode_zns_message(&response).map_err(read_only)? })
            }
            (other, _) => return Err(unknown("operation for this provider", other)),
        };
        write_json_out(result_json_out, &value);
        Ok(())
    })
}

/// Decodes an eSMS delivery report from its callback URL or query string into
/// `{"sms_id",…,"extra":[[name,value],…]}`. Never fails on the parameters' content: unreadable
/// ones are kept in `extra`, and percent-encoded bytes that are not UTF-8 become U+FFFD. The
/// string itself must be UTF-8 (a URL as received is ASCII); a raw non-UTF-8 byte is
/// `NHANTIN_RESULT_INVALID_UTF8`. Caller frees the string.
///
/// Thread safety: any thread (pure function).
///
/// # Safety
/// `query` is NUL-terminated; outputs are writable (`err_out` may be NULL).
#[no_mangle]
pub unsafe extern "C" fn nhantin_parse_delivery_report(
    query: *const c_char,
    report_json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let query = unsafe { str_arg(query, "query") }?;
        out_arg(report_json_out, "report_json_out")?;
        write_json_out(report_json_out, &core::esms::parse_delivery_report(query));
        Ok(())
    })
}

/// Decodes an InterITS callback body into JSON. `body` may be NULL when `body_len` is 0 (an
/// empty body, which is refused as not JSON). Caller frees the string.
///
/// Thread safety: any thread (pure function).
///
/// # Safety
/// `body` points to `body_len` readable bytes; outputs are writable (`err_out` may be NULL).
#[no_mangle]
pub unsafe extern "C" fn nhantin_parse_interits_callback(
    body: *const u8,
    body_len: usize,
    callback_json_out: *mut *mut c_char,
    err_out: *mut *mut nhantin_error,
) -> nhantin_result {
    run(err_out, || {
        if body.is_null() && body_len != 0 {
            return Err(Failure::misuse(
                nhantin_result::NHANTIN_RESULT_NULL_ARGUMENT,
                "body is NULL".into(),
            ));
        }
        out_arg(callback_json_out, "callback_json_out")?;
        let bytes = if body_len == 0 {
            &[][..]
        } else {
            // SAFETY: body points to body_len readable bytes.
            unsafe { std::slice::from_raw_parts(body, body_len) }
        };
        let callback = core::interits::parse_callback(bytes).map_err(Failure::decoded)?;
        write_json_out(callback_json_out, &callback);
        Ok(())
    })
}

/// Normalises a Vietnamese mobile number into `buf` (NUL-terminated), its length into
/// `*out_n`, and its carrier into `*carrier_out` (may be NULL). Legacy 11-digit numbers are
/// refused (`NHANTIN_RESULT_INVALID_INPUT`, the message names the new number). When `len` is
/// too small: `NHANTIN_RESULT_BUFFER_TOO_SMALL`, the needed length in `*out_n`, nothing in `buf`
/// (`buf` NULL with `len` 0 is such a size query). 16 bytes always suffice.
///
/// Thread safety: any thread (pure function).
///
/// # Safety
/// `input` is NUL-terminated; `buf` holds `len` writable bytes (or is NULL with `len` 0);
/// `out_n` is writable.
#[no_mangle]
pub unsafe extern "C" fn nhantin_phone_normalize(
    input: *const c_char,
    format: u32,
    buf: *mut c_char,
    len: usize,
    out_n: *mut usize,
    carrier_out: *mut u32,
    err_out: *mut *mut nhantin_error,
) -> nhantin_result {
    run(err_out, || {
        // SAFETY: argument contracts as documented.
        let input = unsafe { str_arg(input, "input") }?;
        // A NULL buffer of length 0 asks for the size only: it is never written.
        if len != 0 {
            out_arg(buf, "buf")?;
        }
        out_arg(out_n, "out_n")?;
        let format = match format {
            0 => core::PhoneFormat::National,
            1 => core::PhoneFormat::International,
            2 => core::PhoneFormat::E164,
            other => return Err(unknown("phone format", &other.to_string())),
        };
        let phone = core::PhoneNumber::parse("phone", input).map_err(Failure::decoded)?;
        let text = phone.format(format);
        // SAFETY: out_n is writable.
        unsafe { *out_n = text.len() };
        if text.len() + 1 > len {
            return Err(Failure::misuse(
                nhantin_result::NHANTIN_RESULT_BUFFER_TOO_SMALL,
                format!(
                    "{} characters and the NUL need {} bytes",
                    text.len(),
                    text.len() + 1
                ),
            ));
        }
        // SAFETY: buf holds len >= text.len() + 1 bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), text.len());
            *buf.add(text.len()) = 0;
        }
        if !carrier_out.is_null() {
            let carrier = match phone.carrier() {
                core::Carrier::Viettel => nhantin_carrier::NHANTIN_CARRIER_VIETTEL,
                core::Carrier::Mobifone => nhantin_carrier::NHANTIN_CARRIER_MOBIFONE,
                core::Carrier::Vinaphone => nhantin_carrier::NHANTIN_CARRIER_VINAPHONE,
                core::Carrier::Vietnamobile => nhantin_carrier::NHANTIN_CARRIER_VIETNAMOBILE,
                core::Carrier::Gmobile => nhantin_carrier::NHANTIN_CARRIER_GMOBILE,
                core::Carrier::Itel => nhantin_carrier::NHANTIN_CARRIER_ITEL,
                core::Carrier::Reddi => nhantin_carrier::NHANTIN_CARRIER_REDDI,
                core::Carrier::Unknown => nhantin_carrier::NHANTIN_CARRIER_UNKNOWN,
            };
            // SAFETY: non-null and writable.
            unsafe { *carrier_out = carrier as u32 };
        }
        Ok(())
    })
}

/// Encoding (`nhantin_encoding`), characters, units (septets or UTF-16 units) and billed
/// segments of `text`. Every output is required.
///
/// Thread safety: any thread (pure function).
///
/// # Safety
/// `text` is NUL-terminated; outputs are writable.
#[no_mangle]
pub unsafe extern "C" fn nhantin_text_analyze(
    text: *const c_char,
    encoding_out: *mut u32,
    characters_out: *mut usize,
    units_out: *mut usize,
    segments_out: *mut usize,
) -> nhantin_result {
    panic::guard(|| {
        // SAFETY: argument contracts as documented.
        let text = match unsafe { str_arg(text, "text") } {
            Ok(t) => t,
            Err(f) => return f.report(std::ptr::null_mut()),
        };
        if encoding_out.is_null()
            || characters_out.is_null()
            || units_out.is_null()
            || segments_out.is_null()
        {
            return nhantin_result::NHANTIN_RESULT_NULL_ARGUMENT;
        }
        let a = core::analyze(text);
        let encoding = match a.encoding {
            core::Encoding::Gsm7 => nhantin_encoding::NHANTIN_ENCODING_GSM7,
            core::Encoding::Ucs2 => nhantin_encoding::NHANTIN_ENCODING_UCS2,
        };
        // SAFETY: all outputs are non-null and writable.
        unsafe {
            *encoding_out = encoding as u32;
            *characters_out = a.characters;
            *units_out = a.units;
            *segments_out = a.segments;
        }
        nhantin_result::NHANTIN_RESULT_OK
    })
}

/// `text` without Vietnamese diacritics, in `*text_out` (caller frees with
/// `nhantin_string_free`).
///
/// Thread safety: any thread (pure function).
///
/// # Safety
/// `text` is NUL-terminated; `text_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn nhantin_strip_diacritics(
    text: *const c_char,
    text_out: *mut *mut c_char,
) -> nhantin_result {
    run(std::ptr::null_mut(), || {
        // SAFETY: argument contracts as documented.
        let text = unsafe { str_arg(text, "text") }?;
        out_arg(text_out, "text_out")?;
        // SAFETY: text_out is non-null and writable.
        unsafe { *text_out = c_string(core::strip_diacritics(text)) };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The boundary catches a panic from a body that runs through the same guard.
    #[test]
    fn a_panic_becomes_the_panic_code() {
        let code = run(std::ptr::null_mut(), || panic!("deliberate"));
        assert_eq!(code, nhantin_result::NHANTIN_RESULT_PANIC);
        let mut err: *mut nhantin_error = std::ptr::null_mut();
        let code = run(&mut err, || -> Result<(), Failure> { panic!("deliberate") });
        assert_eq!(code, nhantin_result::NHANTIN_RESULT_PANIC);
        assert!(err.is_null(), "nothing is written when the body panicked");
        assert!(
            crate::quiet::last_panic().is_some_and(|at| at.contains("codec.rs")),
            "the panic is recorded, not printed"
        );
    }

    /// Issue 8: `*err_out` is cleared on entry, so a stale error from an earlier call can never be
    /// read after a call that succeeded.
    #[test]
    fn err_out_is_cleared_on_entry() {
        let mut err: *mut nhantin_error = std::ptr::null_mut();
        assert_ne!(
            run(&mut err, || Err(Failure::misuse(
                nhantin_result::NHANTIN_RESULT_NULL_ARGUMENT,
                "first".into()
            ))),
            nhantin_result::NHANTIN_RESULT_OK
        );
        assert!(!err.is_null());
        let stale = err;
        assert_eq!(run(&mut err, || Ok(())), nhantin_result::NHANTIN_RESULT_OK);
        assert!(err.is_null(), "the earlier error is not left in err_out");
        // SAFETY: `stale` came from `report` and is freed once.
        unsafe { super::super::error::nhantin_error_free(stale) };
    }
}
