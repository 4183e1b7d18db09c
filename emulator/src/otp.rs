//! eSMS-generated codes (Zalo digest §2.9–§2.11, D-Z25…D-Z28): eSMS makes up the code, sends
//! it, and later tells whether a code a user typed is the one it sent.
//!
//! | Operation | Method | Sends |
//! |---|---|---|
//! | `SendMessageAutoGenCode_V5` | `POST`, JSON | by ZNS, by SMS when Zalo cannot deliver (`multichannel.rs`) |
//! | `SendMessageAutoGenCode_V4_get` | `GET`, query | by customer-care SMS |
//! | `CheckCodeGen_V4_get` | `GET`, query | nothing: the verdict on a code |
//!
//! None of them takes `RequestId`, `CallbackUrl`, `Sandbox` or `SendDate` (no page lists them,
//! D-Z31): such a member, like any member or query parameter outside the operation's list, is
//! `{"error":"Invalid request"}`. No delivery report is ever sent, having no URL to send it to.
//!
//! # `SendMessageAutoGenCode_V5`
//!
//! Body members `ApiKey`, `SecretKey`, `Phone`, `MultiChannelTempId`, `TypeId` (required) and
//! `TimeAlive` (optional), all JSON strings. Checks: framing (`TypeId` `"1"` or `"2"`,
//! `TimeAlive` whole minutes 2–10 — this page gives no bounds, so its sibling's Vietnamese
//! ones apply) → Invalid request; credentials → 101; a `MultiChannelTempId` not configured for
//! the account (`ZaloConfig::multichannel_templates`, demo `40017`) → **789**, the code eSMS
//! documents for a template the account has not had configured (the multi-channel page's own
//! 789 tab; the id is a bundle of templates that only eSMS's sales configure, which is what a
//! 789 tells the caller to get fixed); `Phone` not national → 108; balance → 103.
//!
//! `TypeId` `"2"` generates a six-digit code, fills every parameter of the bundle's ZNS
//! template with it and sends it the multi-channel way: by ZNS, or, when Zalo cannot deliver,
//! by SMS with the bundle's content (`{OTP}` replaced) from the bundle's brandname. `TypeId`
//! `"1"` is accepted as the page documents it, "generate only": the code is recorded and can be
//! checked, nothing is sent or charged (`"legs_sent":[]`, `"zns":null`). Either way the answer
//! is one `SMSID`, chosen as for `MultiChannelMessage/`.
//!
//! # `SendMessageAutoGenCode_V4_get`
//!
//! Query parameters `Phone`, `ApiKey`, `SecretKey`, `Brandname`, `Type`, `message` (required),
//! `TimeAlive`, `NumCharOfCode`, `IsNumber` (optional; empty means absent). Checks: framing →
//! Invalid request: `TimeAlive` 2–10 minutes (the Vietnamese page; the English one allows 15),
//! default 5; `NumCharOfCode` 4–10 (no page bounds it; nhantin's guard, D-Z26), default 6;
//! `IsNumber` `0`/`1`; `message` holding `{OTP}` **exactly once** — the page makes the
//! placeholder part of the parameter's format, so a message without it (or with two) is a
//! malformed request, not a refused one (146, "wrong customer-care template", is about
//! registered CSKH templates, which the emulator does not model); then credentials → 101;
//! `Type` other than `2` → 118; brandname not registered → 104; phone → 108; balance → 103.
//! The code is `NumCharOfCode` digits with `IsNumber=1`, upper-case letters and digits
//! otherwise (default: the page's check sample `1NTTJ6` was made without `IsNumber`). The
//! record is an ordinary customer-care SMS (`text` the message with the code in it).
//!
//! # `CheckCodeGen_V4_get`
//!
//! Query parameters `ApiKey`, `SecretKey`, `Phone`, `Code`, all required and non-empty.
//! Credentials → 101; `Phone` not national → 108. Then the verdict, which eSMS puts in
//! `ErrorMessage`: the first check of the phone's current code while it is alive (emulator
//! time, which `advance_clock` moves) is `{"CodeResult":"100","CountRegenerate":0,
//! "ErrorMessage":"<Phone>, Content: Success!"}` and uses the code up; every other check — the
//! same code again, an expired one, a wrong one, a phone without a code — is
//! `{"CodeResult":"117","CountRegenerate":0,"ErrorMessage":"<Phone>, Content: <Code> Code
//! Invalid"}` (171 instead with `CheckCodeInvalid::Code171`, the error tables' code). Codes are
//! per account and phone and compared exactly (case included); a new code for a phone replaces
//! the phone's earlier ones, so only the latest can succeed.

use std::time::{Duration, Instant};

use crate::config::MultiChannelTemplate;
use crate::esms::{
    find_account, invalid_request, require_media_type, result_with_message, Answer, Code,
};
use crate::http::{parse_query, Request, Response};
use crate::multichannel::{self, only_members, Plan, SmsLegPlan};
use crate::records::{
    AcceptedMessage, Endpoint, EsmsSmsType, GeneratedCode, MessageKind, Provider, Reference,
    ZnsParam,
};
use crate::shared::Shared;
use crate::wire::{is_national_phone, Fields, Invalid};
use crate::zalo::{self, Params};

/// `SendMessageAutoGenCode_V5` (both pages' tables and curls).
const V5_MEMBERS: &[&str] = &[
    "ApiKey",
    "SecretKey",
    "Phone",
    "MultiChannelTempId",
    "TypeId",
    "TimeAlive",
];
/// `SendMessageAutoGenCode_V4_get` (both pages' tables; `IsNumber` from the table and the EN curl).
const V4_GET_PARAMS: &[&str] = &[
    "Phone",
    "ApiKey",
    "SecretKey",
    "TimeAlive",
    "NumCharOfCode",
    "Brandname",
    "Type",
    "message",
    "IsNumber",
];
/// `CheckCodeGen_V4_get`.
const CHECK_PARAMS: &[&str] = &["ApiKey", "SecretKey", "Phone", "Code"];

/// The placeholder of `message` (and of a bundle's SMS content).
const PLACEHOLDER: &str = "{OTP}";
/// `TimeAlive`: bounds and default, in minutes (the Vietnamese V4 page).
const TIME_ALIVE_MINUTES: std::ops::RangeInclusive<u32> = 2..=10;
const DEFAULT_TIME_ALIVE_MINUTES: u32 = 5;
/// `NumCharOfCode`: bounds (nhantin's guard) and default (both V4 pages).
const CODE_CHARS: std::ops::RangeInclusive<usize> = 4..=10;
const DEFAULT_CODE_CHARS: usize = 6;
/// Length of a `SendMessageAutoGenCode_V5` code (no parameter sets it; the pages' examples
/// have six digits).
const V5_CODE_CHARS: usize = 6;

// ---------------------------------------------------------------------------------------------
// The codes eSMS issued

/// Issued codes, behind the shared lock.
#[derive(Debug, Default)]
pub(crate) struct CodeStore {
    codes: Vec<IssuedCode>,
}

#[derive(Debug)]
struct IssuedCode {
    api_key: String,
    phone: String,
    code: String,
    /// Emulator time.
    expires: Instant,
    used: bool,
}

impl CodeStore {
    /// Issues `code` for the phone; the phone's earlier codes stop being valid.
    fn issue(&mut self, api_key: &str, phone: &str, code: &str, expires: Instant) {
        self.codes
            .retain(|c| !(c.api_key == api_key && c.phone == phone));
        self.codes.push(IssuedCode {
            api_key: api_key.to_owned(),
            phone: phone.to_owned(),
            code: code.to_owned(),
            expires,
            used: false,
        });
    }

    /// Whether `code` is the phone's live, unused code; a `true` uses it up.
    fn check(&mut self, api_key: &str, phone: &str, code: &str, now: Instant) -> bool {
        match self
            .codes
            .iter_mut()
            .find(|c| c.api_key == api_key && c.phone == phone && c.code == code)
        {
            Some(issued) if !issued.used && now < issued.expires => {
                issued.used = true;
                true
            }
            _ => false,
        }
    }
}

/// A fresh code: digits, or upper-case letters and digits.
fn generate(shared: &Shared, len: usize, digits_only: bool) -> String {
    const ALPHANUMERIC: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let alphabet = if digits_only {
        &ALPHANUMERIC[..10]
    } else {
        ALPHANUMERIC
    };
    (0..len)
        .map(|_| {
            let n = shared.ids.next_u64() % alphabet.len() as u64;
            char::from(alphabet[usize::try_from(n).unwrap_or_default()])
        })
        .collect()
}

fn expiry(now: Instant, minutes: u32) -> Instant {
    let alive = Duration::from_secs(u64::from(minutes) * 60);
    now.checked_add(alive).unwrap_or(now)
}

/// `TimeAlive`: whole minutes within [`TIME_ALIVE_MINUTES`], [`DEFAULT_TIME_ALIVE_MINUTES`]
/// when absent.
fn time_alive(value: Option<String>) -> Result<u32, Invalid> {
    let Some(value) = value else {
        return Ok(DEFAULT_TIME_ALIVE_MINUTES);
    };
    digits(&value)
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| TIME_ALIVE_MINUTES.contains(n))
        .ok_or_else(|| {
            Invalid(format!(
                "TimeAlive must be whole minutes from 2 to 10, got {value:?}"
            ))
        })
}

fn digits(value: &str) -> Option<u64> {
    if value.is_empty() || value.len() > 9 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

// ---------------------------------------------------------------------------------------------
// SendMessageAutoGenCode_V5

struct V5Send {
    api_key: String,
    secret_key: String,
    phone: String,
    template_id: String,
    generate_only: bool,
    time_alive: u32,
}

/// Handles `POST SendMessageAutoGenCode_V5` (the method is already checked).
pub(crate) fn handle_v5(shared: &Shared, req: &Request) -> Response {
    match parse_v5(req) {
        Ok(send) => accept_v5(shared, send).into_response(),
        Err(invalid) => invalid_request(invalid),
    }
}

fn parse_v5(req: &Request) -> Result<V5Send, Invalid> {
    require_media_type(req, "application/json")?;
    let map = Fields::parse(&req.body)?;
    only_members(&map, V5_MEMBERS, "SendMessageAutoGenCode_V5")?;
    let f = Fields::new(&map);
    let generate_only = match f.required_str("TypeId")?.as_str() {
        "1" => true,
        "2" => false,
        other => {
            return Err(Invalid(format!(
                "TypeId must be \"1\" or \"2\", got {other:?}"
            )))
        }
    };
    Ok(V5Send {
        api_key: f.required_str("ApiKey")?,
        secret_key: f.required_str("SecretKey")?,
        phone: f.required_str("Phone")?,
        template_id: f
            .optional_str("MultiChannelTempId")?
            .ok_or_else(|| Invalid::new("MultiChannelTempId is required"))?,
        generate_only,
        time_alive: time_alive(f.optional_str("TimeAlive")?)?,
    })
}

fn accept_v5(shared: &Shared, send: V5Send) -> Answer {
    let config = &shared.config;
    let Some(account) = find_account(&config.esms, &send.api_key, &send.secret_key) else {
        return Answer::Rejected(Code::AuthorizeFailed);
    };
    let Some(bundle) = config
        .zalo
        .multichannel_templates
        .iter()
        .find(|t| t.id == send.template_id && t.esms_account == account.api_key)
    else {
        return Answer::Rejected(Code::TemplateNotConfigured);
    };
    let code = generate(shared, V5_CODE_CHARS, true);
    // A bundle whose OA or template is not usable is as unconfigured as an unknown one.
    let Some((oa, template, params)) = bundle_template(shared, account, bundle, &code) else {
        return Answer::Rejected(Code::TemplateNotConfigured);
    };
    if !is_national_phone(&send.phone) {
        return Answer::Rejected(Code::PhoneInvalid);
    }
    let plan = Plan {
        endpoint: Endpoint::EsmsAutoGenCodeV5,
        account,
        phone: send.phone.clone(),
        oa,
        template,
        params,
        sending_mode: None,
        campaign_id: None,
        zns_request_id: None,
        zns_callback_url: None,
        sms: SmsLegPlan {
            content: bundle.sms_content.replace(PLACEHOLDER, &code),
            brandname: bundle.brandname.clone(),
            unicode: None,
            request_id: None,
            callback_url: None,
        },
        sandbox: false,
        send: !send.generate_only,
        template_id: Some(bundle.id.clone()),
        generated_code: Some(GeneratedCode {
            code: code.clone(),
            time_alive_minutes: send.time_alive,
            digits_only: true,
        }),
    };
    let now = shared.clock.now();
    let mut state = shared.lock();
    if !multichannel::can_pay(shared, &state, &plan) {
        return Answer::Rejected(Code::BalanceTooLow);
    }
    let (sms_id, jobs) = multichannel::commit(shared, &mut state, plan, now);
    state.esms.codes.issue(
        &account.api_key,
        &send.phone,
        &code,
        expiry(now, send.time_alive),
    );
    drop(state);
    for job in jobs {
        shared.schedule_report(job);
    }
    Answer::Accepted { sms_id }
}

type Resolved<'a> = (
    &'a crate::config::ZaloOa,
    &'a crate::config::ZnsTemplate,
    Vec<ZnsParam>,
);

/// The bundle's OA and ZNS template, every parameter filled with `code`.
fn bundle_template<'a>(
    shared: &'a Shared,
    account: &crate::config::EsmsAccount,
    bundle: &MultiChannelTemplate,
    code: &str,
) -> Option<Resolved<'a>> {
    let zalo = &shared.config.zalo;
    let count = zalo
        .oas
        .iter()
        .find(|o| o.oa_id == bundle.oa_id)?
        .templates
        .iter()
        .find(|t| t.template_id == bundle.zns_template_id)?
        .params
        .len();
    zalo::resolve_template(
        zalo,
        account,
        Some(&bundle.oa_id),
        Some(&bundle.zns_template_id),
        false,
        Params::Positional(vec![code.to_owned(); count]),
    )
    .ok()
}

// ---------------------------------------------------------------------------------------------
// SendMessageAutoGenCode_V4_get

struct V4GetSend {
    api_key: String,
    secret_key: String,
    phone: String,
    brandname: String,
    message_type: String,
    message: String,
    time_alive: u32,
    code_chars: usize,
    digits_only: bool,
}

/// The query's parameters, strictly: no name outside `allowed`, none twice.
pub(crate) fn strict_query(
    req: &Request,
    allowed: &[&str],
) -> Result<Vec<(String, String)>, Invalid> {
    let pairs = parse_query(req.head.query.as_deref().unwrap_or_default())
        .map_err(|e| Invalid(format!("query string: {e:?}")))?;
    if let Some((name, _)) = pairs.iter().find(|(n, _)| !allowed.contains(&n.as_str())) {
        return Err(Invalid(format!(
            "query parameter {name:?} is not part of this operation"
        )));
    }
    Ok(pairs)
}

/// A query parameter, `None` when absent or empty.
fn param(pairs: &[(String, String)], name: &str) -> Option<String> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty())
}

fn required(pairs: &[(String, String)], name: &str) -> Result<String, Invalid> {
    param(pairs, name).ok_or_else(|| Invalid(format!("{name} is required")))
}

/// Handles `GET SendMessageAutoGenCode_V4_get` (the method is already checked).
pub(crate) fn handle_v4_get(shared: &Shared, req: &Request) -> Response {
    match parse_v4_get(req) {
        Ok(send) => accept_v4_get(shared, send).into_response(),
        Err(invalid) => invalid_request(invalid),
    }
}

fn parse_v4_get(req: &Request) -> Result<V4GetSend, Invalid> {
    let pairs = strict_query(req, V4_GET_PARAMS)?;
    let code_chars = match param(&pairs, "NumCharOfCode") {
        None => DEFAULT_CODE_CHARS,
        Some(value) => digits(&value)
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| CODE_CHARS.contains(n))
            .ok_or_else(|| Invalid(format!("NumCharOfCode must be 4 to 10, got {value:?}")))?,
    };
    let digits_only = match param(&pairs, "IsNumber").as_deref() {
        None | Some("0") => false,
        Some("1") => true,
        Some(other) => return Err(Invalid(format!("IsNumber must be 0 or 1, got {other:?}"))),
    };
    let message = required(&pairs, "message")?;
    if message.matches(PLACEHOLDER).count() != 1 {
        return Err(Invalid::new(
            "message must hold the placeholder {OTP} exactly once",
        ));
    }
    Ok(V4GetSend {
        api_key: required(&pairs, "ApiKey")?,
        secret_key: required(&pairs, "SecretKey")?,
        phone: required(&pairs, "Phone")?,
        brandname: required(&pairs, "Brandname")?,
        message_type: required(&pairs, "Type")?,
        message,
        time_alive: time_alive(param(&pairs, "TimeAlive"))?,
        code_chars,
        digits_only,
    })
}

fn accept_v4_get(shared: &Shared, send: V4GetSend) -> Answer {
    let config = &shared.config.esms;
    let Some(account) = find_account(config, &send.api_key, &send.secret_key) else {
        return Answer::Rejected(Code::AuthorizeFailed);
    };
    if send.message_type != "2" {
        return Answer::Rejected(Code::TypeUnsupported);
    }
    if !account.brandnames.contains(&send.brandname) {
        return Answer::Rejected(Code::BrandnameUnknown);
    }
    if !is_national_phone(&send.phone) {
        return Answer::Rejected(Code::PhoneInvalid);
    }
    let now = shared.clock.now();
    let mut state = shared.lock();
    let price = config.price_per_recipient;
    match state.esms.balances.get_mut(&account.api_key) {
        Some(balance) if *balance >= price => *balance -= price,
        _ => return Answer::Rejected(Code::BalanceTooLow),
    }
    let code = generate(shared, send.code_chars, send.digits_only);
    let sms_id = shared.ids.hex32();
    state.esms.accepted_at.insert(sms_id.clone(), now);
    let portal_sms_id = shared.ids.serial();
    state.record(AcceptedMessage {
        seq: 0,
        created_at_unix_ms: 0,
        provider: Provider::Esms,
        endpoint: Endpoint::EsmsAutoGenCodeV4Get,
        account: account.api_key.clone(),
        recipients: vec![send.phone.clone()],
        text: Some(send.message.replace(PLACEHOLDER, &code)),
        sender: Some(send.brandname),
        kind: MessageKind::Esms {
            sms_type: EsmsSmsType::CustomerCare,
        },
        unicode: None,
        sandbox: false,
        schedule: None,
        request_id: None,
        callback_url: None,
        campaign_id: None,
        attached_ticket_id: None,
        viber: None,
        zns: None,
        multichannel: None,
        generated_code: Some(GeneratedCode {
            code: code.clone(),
            time_alive_minutes: send.time_alive,
            digits_only: send.digits_only,
        }),
        reference: Reference::EsmsSmsId {
            sms_id: sms_id.clone(),
            portal_sms_id,
        },
    });
    state.esms.codes.issue(
        &account.api_key,
        &send.phone,
        &code,
        expiry(now, send.time_alive),
    );
    Answer::Accepted { sms_id }
}

// ---------------------------------------------------------------------------------------------
// CheckCodeGen_V4_get

/// Handles `GET CheckCodeGen_V4_get` (the method is already checked).
pub(crate) fn handle_check(shared: &Shared, req: &Request) -> Response {
    let parsed = strict_query(req, CHECK_PARAMS).and_then(|pairs| {
        Ok((
            required(&pairs, "ApiKey")?,
            required(&pairs, "SecretKey")?,
            required(&pairs, "Phone")?,
            required(&pairs, "Code")?,
        ))
    });
    let (api_key, secret_key, phone, code) = match parsed {
        Ok(query) => query,
        Err(invalid) => return invalid_request(invalid),
    };
    let Some(account) = find_account(&shared.config.esms, &api_key, &secret_key) else {
        return Answer::Rejected(Code::AuthorizeFailed).into_response();
    };
    if !is_national_phone(&phone) {
        return Answer::Rejected(Code::PhoneInvalid).into_response();
    }
    let now = shared.clock.now();
    let mut state = shared.lock();
    if state.esms.codes.check(&account.api_key, &phone, &code, now) {
        result_with_message("100", &format!("{phone}, Content: Success!"))
    } else {
        result_with_message(
            state.esms.check_code_invalid.code(),
            &format!("{phone}, Content: {code} Code Invalid"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_good_once_while_alive_and_a_new_one_replaces_it() {
        let now = Instant::now();
        let mut store = CodeStore::default();
        store.issue("K", "0901888484", "1NTTJ6", expiry(now, 2));
        assert!(
            !store.check("K", "0901888484", "1nttj6", now),
            "case counts"
        );
        assert!(!store.check("OTHER", "0901888484", "1NTTJ6", now));
        assert!(!store.check("K", "0912345678", "1NTTJ6", now));
        assert!(store.check("K", "0901888484", "1NTTJ6", now));
        assert!(!store.check("K", "0901888484", "1NTTJ6", now), "used up");

        store.issue("K", "0901888484", "111111", expiry(now, 2));
        store.issue("K", "0901888484", "222222", expiry(now, 2));
        assert!(!store.check("K", "0901888484", "111111", now), "replaced");
        let later = now + Duration::from_secs(120);
        assert!(!store.check("K", "0901888484", "222222", later), "expired");
    }

    #[test]
    fn bounds_of_time_alive() {
        assert_eq!(time_alive(None), Ok(5));
        assert_eq!(time_alive(Some("2".into())), Ok(2));
        assert_eq!(time_alive(Some("10".into())), Ok(10));
        for bad in ["1", "11", "", "-3", "2.5", "9999999999999"] {
            assert!(time_alive(Some(bad.into())).is_err(), "{bad}");
        }
    }
}
