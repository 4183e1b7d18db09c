//! eSMS multi-channel sends (Zalo digest §2.8, D-Z17…D-Z24, §9.6): `POST MultiChannelMessage/`
//! here, and the fallback machinery that `SendMessageAutoGenCode_V5` (`otp.rs`) shares.
//!
//! A multi-channel send is one ZNS (`Data[0]`) with a customer-care SMS (`Data[1]`) held in
//! reserve: the ZNS is tried first, and only when Zalo cannot deliver it (the phone has no
//! Zalo account, −118, or its user is inactive, −114; see `zalo.rs`) does the emulator send the
//! SMS leg itself. When Zalo delivers, the SMS leg is never sent.
//!
//! # Checks, in order (the first failure answers)
//!
//! 1. framing → `{"error":"Invalid request"}`: `Content-Type: application/json`; a JSON object
//!    with **no member outside** `ApiKey, SecretKey, Phone, Channels, Data`; `Channels` exactly
//!    `["zalo","sms"]` (the page: do not reorder or drop a channel); `Data` an array of exactly
//!    two objects, `Data[0]` with no member outside `TempID, Params, OAID, campaignid,
//!    CallbackUrl, RequestId, Sandbox, SendingMode` and `Data[1]` with none outside `Content,
//!    IsUnicode, SmsType, Brandname, CallbackUrl, RequestId, Sandbox` (there is no `SendDate`
//!    anywhere, D-Z19). Every scalar is a JSON string (both pages' tables type them "string";
//!    numbers are refused whatever `accept_numeric_codes` says); `Params` an array of strings;
//!    `ApiKey`, `SecretKey`, `Phone`, `Params`, a non-empty `Content`, `SmsType` and
//!    `Brandname` present; `Sandbox` `"0"`/`"1"` and **the same on both legs** (the pages do not
//!    say what a half-sandboxed send would do; nhantin always sends one value, D-Z24);
//!    `SendingMode` `"1"`/`"3"`; `IsUnicode` `"0"`/`"1"`; each `RequestId` ≤ 50 characters;
//!    `campaignid` ≤ 254; each `CallbackUrl` http(s);
//! 2. credentials → 101;
//! 3. the ZNS leg exactly as `SendZaloMessage_V4_post_json/` (positional `Params`): `OAID` or
//!    `TempID` missing → 791, unknown OA → 204, inactive or foreign OA → 799, template not
//!    configured → 789, parameters (count, empty, over `Limit`, a journey template) → 790;
//! 4. `Phone` not national `0` + 9 digits → 108;
//! 5. the SMS leg as a customer-care SMS: `SmsType` other than `"2"` → 118, `Brandname` not
//!    registered on the account → 104. (146, 177 and 201 need CSKH templates, networks and
//!    keyword lists the emulator does not model.)
//! 6. balance below what the send will cost (the template's price if Zalo will deliver, the SMS
//!    price if the SMS leg will go out; nothing for sandbox) → 103;
//! 7. either leg's `RequestId` already used by the account within 24 h (SMS and ZNS sends
//!    share the register), or both legs carrying the same `RequestId` → 124. Neither id is
//!    registered when this refuses; both are when it passes, so a refusal at step 8 uses
//!    them up (as in `zalo.rs`);
//! 8. `SendingMode` 3 on an OA not whitelisted → 802 (801 cannot happen: no `SendDate`);
//! 9. accepted → one `{"CodeResult":"100","CountRegenerate":0,"SMSID":…}`.
//!
//! # Ids, reports and the record
//!
//! Every accepted send gets three SMSIDs: the **answered** one, the **ZNS leg's** and the **SMS
//! leg's**. Which one the answer and the reports carry is unknown (D-Z20), so it is a setting
//! ([`crate::MultiChannelIds`]): by default the answer is a parent id distinct from both legs
//! and both legs' reports carry that parent id (`"returned"`), so a client finds every report
//! by its handle and tells the legs apart by `TypeId`; `"zns_leg"` answers with the ZNS leg's
//! id and `"leg"` makes each report carry its own leg's id. Status queries find the send by any
//! of the three.
//!
//! Reports go by GET as for the other sends, only when a leg was really sent and only to that
//! leg's own `CallbackUrl` (D-Z21): the ZNS leg's report (TypeId 25, `error_info` form 1, the
//! shape of `zalo.rs`) to `Data[0].CallbackUrl`, then, one report delay later, the SMS leg's
//! (TypeId 2, `RequestId` the SMS leg's, the shape of the other SMS reports) to
//! `Data[1].CallbackUrl`. Both end with `switchsmsid` (in no table; the one TypeId 2 sample
//! has it empty): on the SMS report the ZNS leg's own id (the message it switched from), on the
//! ZNS failure report the SMS leg's own id (the message it switched to), empty on a delivered
//! ZNS's report. Sandbox sends (`"Sandbox":"1"` on both legs) are validated, recorded with
//! `"sandbox":true`, `"legs_sent":[]` and a `not_sent` ZNS, never charged and never reported.
//!
//! Charging: a delivered ZNS costs its template's price; a failed one is free and the SMS leg
//! costs `EsmsConfig::price_per_recipient` (a phone in `undeliverable_phones` is charged and
//! reported failed, as for any SMS). Every ZNS leg that goes out counts against its OA's daily
//! quota (`ZNS/GetQuota/`), delivered or not, as a single ZNS does; once the quota is used up
//! the ZNS leg fails (−115, "Out of quota") and the SMS leg goes out.
//!
//! The send is **one** accepted message: `endpoint` `"MultiChannelMessage"`, `kind`
//! `{"provider":"esms","sms_type":"zalo_customer_care"}`, `recipients` `[Phone]`, `text` and
//! `sender` the SMS leg's content and brandname (sent or not), `unicode` its `IsUnicode`,
//! `request_id`/`callback_url`/`campaign_id` the ZNS leg's, `zns` the ZNS leg as for any ZNS,
//! `reference.sms_id` the answered id, and `multichannel` ([`crate::MultiChannelDetails`]) the
//! legs sent, both legs' ids (`sms_id`, `report_sms_id`), the SMS leg's fields and whether it
//! was delivered, and the total price.

use std::time::Instant;

use serde_json::{Map, Value};

use crate::config::{
    EsmsAccount, MultiChannelReportId, MultiChannelReturnedId, ZaloOa, ZnsTemplate,
};
use crate::dlr::{self, DlrJob, ReportInput, ZnsReportInput, ZnsTarget};
use crate::esms::{
    find_account, invalid_request, require_media_type, Answer, Code, MAX_REQUEST_ID_CHARS,
};
use crate::http::{encode_query_value, Request, Response};
use crate::records::{
    AcceptedMessage, Endpoint, EsmsSmsType, GeneratedCode, Leg, MessageKind, MultiChannelDetails,
    Provider, Reference, SmsLeg, UnicodeFlag, ZnsDelivery, ZnsDetails, ZnsLeg, ZnsParam,
    ZnsRecipient,
};
use crate::shared::{Shared, State};
use crate::wire::{is_http_url, is_national_phone, Fields, Invalid};
use crate::zalo::{self, Params};

/// Top-level members (both pages' curls; the Vietnamese tables).
const MEMBERS: &[&str] = &["ApiKey", "SecretKey", "Phone", "Channels", "Data"];
/// `Data[0]`, the ZNS leg (the Vietnamese page's table).
const ZNS_LEG_MEMBERS: &[&str] = &[
    "TempID",
    "Params",
    "OAID",
    "campaignid",
    "CallbackUrl",
    "RequestId",
    "Sandbox",
    "SendingMode",
];
/// `Data[1]`, the SMS leg.
const SMS_LEG_MEMBERS: &[&str] = &[
    "Content",
    "IsUnicode",
    "SmsType",
    "Brandname",
    "CallbackUrl",
    "RequestId",
    "Sandbox",
];
/// The only `Channels` value ("không thay đổi").
const CHANNELS: [&str; 2] = ["zalo", "sms"];
/// Longest `campaignid`.
const MAX_CAMPAIGN_CHARS: usize = 254;

/// Handles `POST MultiChannelMessage/` (the method is already checked).
pub(crate) fn handle(shared: &Shared, req: &Request) -> Response {
    match parse(req) {
        Ok(send) => accept(shared, send).into_response(),
        Err(invalid) => invalid_request(invalid),
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing helpers shared with `otp.rs`

/// Refuses any member outside `allowed`.
pub(crate) fn only_members(
    map: &Map<String, Value>,
    allowed: &[&str],
    what: &str,
) -> Result<(), Invalid> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(name) => Err(Invalid(format!("member {name:?} is not part of {what}"))),
        None => Ok(()),
    }
}

/// `"0"`/`"1"`, absent meaning `"0"`.
fn flag(f: &Fields<'_>, name: &str, what: &str) -> Result<bool, Invalid> {
    match f.optional_str(name)?.as_deref() {
        None | Some("0") => Ok(false),
        Some("1") => Ok(true),
        Some(other) => Err(Invalid(format!(
            "{what}.{name} must be \"0\" or \"1\", got {other:?}"
        ))),
    }
}

fn request_id(f: &Fields<'_>, what: &str) -> Result<Option<String>, Invalid> {
    let id = f.optional_str("RequestId")?;
    if id
        .as_ref()
        .is_some_and(|id| id.chars().count() > MAX_REQUEST_ID_CHARS)
    {
        return Err(Invalid(format!(
            "{what}.RequestId longer than {MAX_REQUEST_ID_CHARS} characters"
        )));
    }
    Ok(id)
}

fn callback_url(f: &Fields<'_>, what: &str) -> Result<Option<String>, Invalid> {
    let url = f.optional_str("CallbackUrl")?;
    if let Some(url) = &url {
        if !is_http_url(url) {
            return Err(Invalid(format!(
                "{what}.CallbackUrl {url:?} is not an http(s) URL"
            )));
        }
    }
    Ok(url)
}

// ---------------------------------------------------------------------------------------------
// Parsing

struct ZnsLegRequest {
    temp_id: Option<String>,
    oa_id: Option<String>,
    params: Vec<String>,
    campaign_id: Option<String>,
    callback_url: Option<String>,
    request_id: Option<String>,
    sending_mode: Option<String>,
}

struct MultiChannelSend {
    api_key: String,
    secret_key: String,
    phone: String,
    zns: ZnsLegRequest,
    sms_type: String,
    sms: SmsLegPlan,
    sandbox: bool,
}

fn parse(req: &Request) -> Result<MultiChannelSend, Invalid> {
    require_media_type(req, "application/json")?;
    let map = Fields::parse(&req.body)?;
    only_members(&map, MEMBERS, "MultiChannelMessage")?;
    let f = Fields::new(&map);
    let channels = f.string_array("Channels")?;
    if channels != CHANNELS {
        return Err(Invalid(format!(
            "Channels must be exactly [\"zalo\",\"sms\"], got {channels:?}"
        )));
    }
    let legs = match f.get("Data") {
        Some(Value::Array(legs)) => legs,
        None | Some(Value::Null) => return Err(Invalid::new("Data is required")),
        Some(_) => return Err(Invalid::new("Data must be a JSON array")),
    };
    let [Value::Object(zns), Value::Object(sms)] = legs.as_slice() else {
        return Err(Invalid::new(
            "Data must hold exactly two objects: the ZNS leg, then the SMS leg",
        ));
    };
    only_members(zns, ZNS_LEG_MEMBERS, "MultiChannelMessage Data[0]")?;
    only_members(sms, SMS_LEG_MEMBERS, "MultiChannelMessage Data[1]")?;
    let z = Fields::new(zns);
    let s = Fields::new(sms);

    let sending_mode = match z.optional_str("SendingMode")? {
        None => None,
        Some(mode) if mode == "1" || mode == "3" => Some(mode),
        Some(other) => {
            return Err(Invalid(format!(
                "Data[0].SendingMode must be \"1\" or \"3\", got {other:?}"
            )))
        }
    };
    let campaign_id = z.optional_str("campaignid")?;
    if campaign_id
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_CAMPAIGN_CHARS)
    {
        return Err(Invalid::new(
            "Data[0].campaignid longer than 254 characters",
        ));
    }
    let zns_leg = ZnsLegRequest {
        temp_id: z.optional_str("TempID")?,
        oa_id: z.optional_str("OAID")?,
        params: z.string_array("Params")?,
        campaign_id,
        callback_url: callback_url(&z, "Data[0]")?,
        request_id: request_id(&z, "Data[0]")?,
        sending_mode,
    };
    let zns_sandbox = flag(&z, "Sandbox", "Data[0]")?;

    let content = s.required_str("Content")?;
    if content.is_empty() {
        return Err(Invalid::new("Data[1].Content is empty"));
    }
    let sms_type = s
        .optional_str("SmsType")?
        .ok_or_else(|| Invalid::new("Data[1].SmsType is required"))?;
    let brandname = s
        .optional_str("Brandname")?
        .ok_or_else(|| Invalid::new("Data[1].Brandname is required"))?;
    let unicode = match s.optional_str("IsUnicode")?.as_deref() {
        None => None,
        Some("0") => Some(UnicodeFlag::Off),
        Some("1") => Some(UnicodeFlag::On),
        Some(other) => {
            return Err(Invalid(format!(
                "Data[1].IsUnicode must be \"0\" or \"1\", got {other:?}"
            )))
        }
    };
    let sms_sandbox = flag(&s, "Sandbox", "Data[1]")?;
    if zns_sandbox != sms_sandbox {
        return Err(Invalid::new(
            "Sandbox must be the same on both legs (what a half-sandboxed send does is undocumented)",
        ));
    }
    let sms = SmsLegPlan {
        content,
        brandname,
        unicode,
        request_id: request_id(&s, "Data[1]")?,
        callback_url: callback_url(&s, "Data[1]")?,
    };
    Ok(MultiChannelSend {
        api_key: f.required_str("ApiKey")?,
        secret_key: f.required_str("SecretKey")?,
        phone: f.required_str("Phone")?,
        zns: zns_leg,
        sms_type,
        sms,
        sandbox: zns_sandbox,
    })
}

// ---------------------------------------------------------------------------------------------
// Accepting

fn accept(shared: &Shared, send: MultiChannelSend) -> Answer {
    let config = &shared.config;
    let Some(account) = find_account(&config.esms, &send.api_key, &send.secret_key) else {
        return Answer::Rejected(Code::AuthorizeFailed);
    };
    let (oa, template, params) = match zalo::resolve_template(
        &config.zalo,
        account,
        send.zns.oa_id.as_deref(),
        send.zns.temp_id.as_deref(),
        false,
        Params::Positional(send.zns.params),
    ) {
        Ok(resolved) => resolved,
        Err(code) => return Answer::Rejected(code),
    };
    if !is_national_phone(&send.phone) {
        return Answer::Rejected(Code::PhoneInvalid);
    }
    if send.sms_type != "2" {
        return Answer::Rejected(Code::TypeUnsupported);
    }
    if !account.brandnames.contains(&send.sms.brandname) {
        return Answer::Rejected(Code::BrandnameUnknown);
    }
    let plan = Plan {
        endpoint: Endpoint::EsmsMultiChannel,
        account,
        phone: send.phone,
        oa,
        template,
        params,
        sending_mode: send.zns.sending_mode,
        campaign_id: send.zns.campaign_id,
        zns_request_id: send.zns.request_id,
        zns_callback_url: send.zns.callback_url,
        sms: send.sms,
        sandbox: send.sandbox,
        send: true,
        template_id: None,
        generated_code: None,
    };

    let now = shared.clock.now();
    let mut state = shared.lock();
    if !can_pay(shared, &state, &plan) {
        return Answer::Rejected(Code::BalanceTooLow);
    }
    let ids: Vec<String> = [&plan.zns_request_id, &plan.sms.request_id]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let repeated = ids.len() == 2 && ids[0] == ids[1];
    if repeated
        || ids
            .iter()
            .any(|id| state.esms.request_id_blocked(&account.api_key, id, now))
    {
        return Answer::Rejected(Code::DuplicateRequestId);
    }
    for id in &ids {
        state.esms.claim_request_id(&account.api_key, id, now);
    }
    if plan.sending_mode.as_deref() == Some("3") && !oa.sending_mode3_allowed {
        return Answer::Rejected(Code::Mode3NotAllowed);
    }
    let (sms_id, jobs) = commit(shared, &mut state, plan, now);
    drop(state);
    for job in jobs {
        shared.schedule_report(job);
    }
    Answer::Accepted { sms_id }
}

// ---------------------------------------------------------------------------------------------
// The fallback machinery (shared with `SendMessageAutoGenCode_V5`)

/// The SMS leg as it will be sent.
pub(crate) struct SmsLegPlan {
    pub content: String,
    pub brandname: String,
    pub unicode: Option<UnicodeFlag>,
    pub request_id: Option<String>,
    pub callback_url: Option<String>,
}

/// A validated multi-channel send, ready to commit.
pub(crate) struct Plan<'a> {
    pub endpoint: Endpoint,
    pub account: &'a EsmsAccount,
    /// National form, checked.
    pub phone: String,
    pub oa: &'a ZaloOa,
    pub template: &'a ZnsTemplate,
    pub params: Vec<ZnsParam>,
    pub sending_mode: Option<String>,
    pub campaign_id: Option<String>,
    pub zns_request_id: Option<String>,
    pub zns_callback_url: Option<String>,
    pub sms: SmsLegPlan,
    pub sandbox: bool,
    /// `false` for a generate-only code (`SendMessageAutoGenCode_V5` with `TypeId` 1): nothing
    /// is sent, no ZNS is recorded.
    pub send: bool,
    /// `MultiChannelTempId`.
    pub template_id: Option<String>,
    pub generated_code: Option<GeneratedCode>,
}

impl Plan<'_> {
    /// Whether any leg goes out at all.
    fn attempted(&self) -> bool {
        self.send && !self.sandbox
    }

    /// What Zalo will do with the ZNS leg (a ZNS beyond the OA's quota fails like any other,
    /// so the SMS leg goes out).
    fn outcome(&self, shared: &Shared, state: &State) -> Result<(), i32> {
        zalo::esms_zalo_outcome(
            shared,
            state,
            self.oa,
            &self.phone,
            self.sending_mode.as_deref(),
        )
    }

    /// What the send will cost.
    fn price(&self, shared: &Shared, state: &State) -> u64 {
        match self.outcome(shared, state) {
            _ if !self.attempted() => 0,
            Ok(()) => self.template.price,
            Err(_) => shared.config.esms.price_per_recipient,
        }
    }
}

/// Whether the account's balance covers the send (step 6).
pub(crate) fn can_pay(shared: &Shared, state: &State, plan: &Plan<'_>) -> bool {
    let balance = state
        .esms
        .balances
        .get(&plan.account.api_key)
        .copied()
        .unwrap_or_default();
    balance >= plan.price(shared, state)
}

/// Charges, records and builds the reports of an accepted send, under the lock. Returns the
/// answered SMSID and the reports to schedule once the lock is released.
pub(crate) fn commit(
    shared: &Shared,
    state: &mut State,
    plan: Plan<'_>,
    now: Instant,
) -> (String, Vec<DlrJob>) {
    let outcome = plan.outcome(shared, state);
    let attempted = plan.attempted();
    let price = plan.price(shared, state);
    if let Some(balance) = state.esms.balances.get_mut(&plan.account.api_key) {
        *balance = balance.saturating_sub(price);
    }
    if attempted && outcome != Err(zalo::ZALO_OUT_OF_QUOTA) {
        zalo::count_quota(shared, state, &plan.oa.oa_id);
    }
    let policy = state.esms.multichannel;
    let zns_leg_id = shared.ids.hex32();
    let sms_leg_id = shared.ids.hex32();
    let answered = match policy.returned {
        MultiChannelReturnedId::Parent => shared.ids.hex32(),
        MultiChannelReturnedId::ZnsLeg => zns_leg_id.clone(),
    };
    let (zns_report_id, sms_report_id) = match policy.reports {
        MultiChannelReportId::Returned => (answered.clone(), answered.clone()),
        MultiChannelReportId::Leg => (zns_leg_id.clone(), sms_leg_id.clone()),
    };
    for id in [&answered, &zns_leg_id, &sms_leg_id] {
        state.esms.accepted_at.insert(id.clone(), now);
    }
    let portal_sms_id = shared.ids.serial();
    let epoch = state.epoch;

    let delivery = zalo::delivery(shared, outcome, !attempted);
    let fallback = attempted && outcome.is_err();
    let undeliverable = &shared.config.esms.undeliverable_phones;
    let sms_delivered = fallback.then(|| !undeliverable.contains(&plan.phone));
    let legs_sent = match (attempted, fallback) {
        (false, _) => Vec::new(),
        (true, false) => vec![Leg::Zns],
        (true, true) => vec![Leg::Zns, Leg::Sms],
    };
    let zns_price = match delivery {
        ZnsDelivery::Delivered { .. } => plan.template.price,
        ZnsDelivery::Failed { .. } | ZnsDelivery::NotSent => 0,
    };
    let zns = plan.send.then(|| ZnsDetails {
        oa_id: Some(plan.oa.oa_id.clone()),
        template_id: plan.template.template_id.clone(),
        params: plan.params.clone(),
        recipient: ZnsRecipient::Phone {
            phone: plan.phone.clone(),
        },
        journey_order_id: None,
        sending_mode: plan.sending_mode.clone(),
        delivery: delivery.clone(),
        price: zns_price,
    });
    state.record(AcceptedMessage {
        seq: 0,
        created_at_unix_ms: 0,
        provider: Provider::Esms,
        endpoint: plan.endpoint,
        account: plan.account.api_key.clone(),
        recipients: vec![plan.phone.clone()],
        text: Some(plan.sms.content.clone()),
        sender: Some(plan.sms.brandname.clone()),
        kind: MessageKind::Esms {
            sms_type: EsmsSmsType::ZaloCustomerCare,
        },
        unicode: plan.sms.unicode,
        sandbox: plan.sandbox,
        schedule: None,
        request_id: plan.zns_request_id.clone(),
        callback_url: plan.zns_callback_url.clone(),
        campaign_id: plan.campaign_id.clone(),
        attached_ticket_id: None,
        viber: None,
        zns,
        multichannel: Some(MultiChannelDetails {
            template_id: plan.template_id.clone(),
            legs_sent,
            zns_leg: ZnsLeg {
                sms_id: zns_leg_id.clone(),
                report_sms_id: zns_report_id.clone(),
                request_id: plan.zns_request_id.clone(),
                callback_url: plan.zns_callback_url.clone(),
            },
            sms_leg: SmsLeg {
                sms_id: sms_leg_id.clone(),
                report_sms_id: sms_report_id.clone(),
                content: plan.sms.content.clone(),
                brandname: plan.sms.brandname.clone(),
                unicode: plan.sms.unicode,
                request_id: plan.sms.request_id.clone(),
                callback_url: plan.sms.callback_url.clone(),
                delivered: sms_delivered,
            },
            price,
        }),
        generated_code: plan.generated_code.clone(),
        reference: Reference::EsmsSmsId {
            sms_id: answered.clone(),
            portal_sms_id,
        },
    });

    let mut jobs = Vec::new();
    if !attempted {
        return (answered, jobs);
    }
    let delay = shared.config.delivery_report_delay;
    let start = std::time::Instant::now();
    let zns_due = start.checked_add(delay).unwrap_or(start);
    if let Some(callback) = &plan.zns_callback_url {
        let zalo_msg_id = match &delivery {
            ZnsDelivery::Delivered { zalo_msg_id } => zalo_msg_id.as_str(),
            ZnsDelivery::Failed { .. } | ZnsDelivery::NotSent => "",
        };
        let mut query = dlr::zns_report(&ZnsReportInput {
            sms_id: &zns_report_id,
            target: ZnsTarget::Phone(&plan.phone),
            journey: false,
            oa_id: &plan.oa.oa_id,
            template_id: &plan.template.template_id,
            outcome: outcome.map(|()| zalo_msg_id),
            price: plan.template.price,
            zalo_user_id: "",
            logged_at: "",
        });
        let switched_to = if fallback { sms_leg_id.as_str() } else { "" };
        query.push(("switchsmsid", encode_query_value(switched_to)));
        jobs.push(DlrJob {
            epoch,
            due: zns_due,
            sms_id: zns_report_id.clone(),
            phone: Some(plan.phone.clone()),
            url: dlr::append_encoded_query(callback, &query),
        });
    }
    if let (true, Some(callback)) = (fallback, &plan.sms.callback_url) {
        let phones = [plan.phone.clone()];
        let reports = dlr::esms_reports(&ReportInput {
            sms_id: &sms_report_id,
            sms_type: EsmsSmsType::CustomerCare,
            phones: &phones,
            request_id: plan.sms.request_id.as_deref(),
            price_per_recipient: shared.config.esms.price_per_recipient,
            undeliverable,
        });
        for (phone, mut query) in reports {
            query.push(("switchsmsid", zns_leg_id.clone()));
            jobs.push(DlrJob {
                epoch,
                due: zns_due.checked_add(delay).unwrap_or(zns_due),
                sms_id: sms_report_id.clone(),
                phone,
                url: dlr::append_query(callback, &query),
            });
        }
    }
    (answered, jobs)
}
