//! eSMS delivery reports: the GET callback to a send's `CallbackUrl` (PROVIDERS.md §4.1,
//! ZALO.md §4).

use super::*;
use crate::phone::Carrier;
use crate::wire;

/// What Zalo said about a message, from a report's `error_info` (ZALO.md §4.5). eSMS writes it
/// in several encodings; every one the pages show is read, and whatever could not be read is
/// still in `raw`: a report is never dropped for its `error_info`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ZaloError {
    /// Zalo's code: 0 for success, negative for Zalo's errors (−114 user inactive, −118 no
    /// Zalo account, −124 the OA's token invalid).
    pub code: Option<i64>,
    /// Zalo's message.
    pub message: Option<String>,
    /// `data.message_id`: Zalo's message id, when given (it may differ from `partnerids`).
    pub message_id: Option<String>,
    /// `data.user_id`: the recipient's Zalo user id, when given.
    pub user_id: Option<String>,
    /// `data.status`: −1 no such message, 0 pushed to Zalo, 1 on the phone.
    pub status: Option<i64>,
    /// `data.delivery_time`: milliseconds since the Unix epoch.
    pub delivery_time_ms: Option<i64>,
    /// The time eSMS appended after `____` (Vietnam time), as an instant.
    pub logged_at: Option<Timestamp>,
    /// Text after the JSON (a .NET exception message has been seen there).
    pub trailing: Option<String>,
    /// The value as the query string carried it (decoded once).
    pub raw: String,
}

/// What a report says happened, decided from the counts and Zalo's code together (D-Z41):
/// `SendStatus` 5 only means "finished", and `TotalSent` is no success signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryVerdict {
    /// Every recipient got it.
    Delivered,
    /// Nobody got it.
    Failed,
    /// Some recipients got it and some did not (a report of a multi-recipient SMS).
    Partial,
    /// Not finished yet (`SendStatus` 1, 2 or 7).
    Pending,
    /// Refused before sending (`SendStatus` 4).
    Rejected,
    /// The fields contradict each other or say too little: read the raw fields.
    Ambiguous,
}

/// One eSMS delivery report, decoded from the callback's query string. Every field is optional
/// and lenient: a report is never dropped for a malformed field; parameters nhantin does not
/// know are kept in `extra`, and so are known ones whose value could not be read.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DeliveryReport {
    /// `SMSID`: the id the send returned.
    pub sms_id: Option<String>,
    /// `RequestId`: the caller's id (empty in every sample, so empty becomes `None`).
    pub request_id: Option<String>,
    /// `SendStatus`.
    pub send_status: Option<EsmsSendStatus>,
    /// `TypeId`.
    pub sms_type: Option<EsmsSmsType>,
    /// `telcoid`: the recipient's real network.
    pub telco: Option<Carrier>,
    /// `phonenumber` (for TypeId 26 a Zalo user id, so kept as text).
    pub phone: Option<String>,
    /// `SendSuccess`.
    pub send_success: Option<i64>,
    /// `SendFailed`.
    pub send_failed: Option<i64>,
    /// `TotalReceiver`.
    pub total_receivers: Option<i64>,
    /// `TotalSent`.
    pub total_sent: Option<i64>,
    /// `TotalPrice` (`Totalprice` in the table).
    pub total_price: Option<f64>,
    /// `partnerids`: Zalo message id.
    pub partner_ids: Option<String>,
    /// `error_info`: a JSON string that contains JSON, decoded twice.
    pub error_info: Option<ZaloError>,
    /// `oaid`.
    pub oaid: Option<String>,
    /// `tempid`.
    pub template_id: Option<String>,
    /// `switchsmsid`: in no table; a non-empty value links to the other leg of a
    /// multi-channel send (D-Z46).
    pub switch_sms_id: Option<String>,
    /// The leg of a multi-channel send the report is about, from the mark nhantin put on that
    /// leg's callback URL (`leg=zns`, `leg=sms`); `None` for every other send.
    pub leg: Option<MultiChannelLeg>,
    /// What happened, from the fields above.
    pub verdict: DeliveryVerdict,
    /// Every other parameter, in order, and known ones that could not be read.
    pub extra: Vec<(String, String)>,
}

/// Decodes a callback from its query string (with or without `?`) or from the whole URL.
/// Names are matched case-insensitively (`TotalPrice`/`Totalprice`).
pub fn parse_delivery_report(query_or_url: &str) -> DeliveryReport {
    let query = match query_or_url.split_once('?') {
        Some((_, q)) => q,
        None if query_or_url.contains("://") => "",
        None => query_or_url,
    };
    let query = query.split('#').next().unwrap_or("");
    let mut report = DeliveryReport {
        sms_id: None,
        request_id: None,
        send_status: None,
        sms_type: None,
        telco: None,
        phone: None,
        send_success: None,
        send_failed: None,
        total_receivers: None,
        total_sent: None,
        total_price: None,
        partner_ids: None,
        error_info: None,
        oaid: None,
        template_id: None,
        switch_sms_id: None,
        leg: None,
        verdict: DeliveryVerdict::Ambiguous,
        extra: Vec::new(),
    };
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in wire::parse_query(query) {
        // A parameter given twice keeps its first value; the other goes to `extra`, so a
        // contradiction is visible rather than silently decided.
        let lower = name.to_ascii_lowercase();
        if seen.contains(&lower) {
            report.extra.push((name, value));
            continue;
        }
        seen.push(lower);
        let text = || (!value.trim().is_empty()).then(|| value.clone());
        let int = || wire::parse_lenient_i64(&value);
        let parsed = match name.to_ascii_lowercase().as_str() {
            "smsid" => set(&mut report.sms_id, text()),
            "requestid" => set(&mut report.request_id, text()).or(Some(())),
            "sendstatus" => set(
                &mut report.send_status,
                int().map(EsmsSendStatus::from_code),
            ),
            "typeid" => set(&mut report.sms_type, int().map(EsmsSmsType::from_code)),
            "telcoid" => set(
                &mut report.telco,
                int().and_then(Carrier::from_esms_telco_id),
            ),
            "phonenumber" => set(&mut report.phone, text()).or(Some(())),
            "sendsuccess" => set(&mut report.send_success, int()),
            "sendfailed" => set(&mut report.send_failed, int()),
            "totalreceiver" => set(&mut report.total_receivers, int()),
            "totalsent" => set(&mut report.total_sent, int()),
            "totalprice" => set(
                &mut report.total_price,
                value.trim().parse().ok().filter(|p: &f64| p.is_finite()),
            ),
            "partnerids" => set(&mut report.partner_ids, text()).or(Some(())),
            "error_info" => set(
                &mut report.error_info,
                (!value.trim().is_empty()).then(|| decode_error_info(&value)),
            )
            .or(Some(())),
            "oaid" => set(&mut report.oaid, text()).or(Some(())),
            "tempid" => set(&mut report.template_id, text()).or(Some(())),
            "switchsmsid" => set(&mut report.switch_sms_id, text()).or(Some(())),
            MultiChannelLeg::MARKER => set(&mut report.leg, MultiChannelLeg::from_marker(&value)),
            _ => None,
        };
        if parsed.is_none() && !(value.is_empty() && is_known(&name)) {
            report.extra.push((name, value));
        }
    }
    report.verdict = verdict(&report);
    report
}

/// D-Z41, also for SMS and Viber reports, whose counts mean the same.
fn verdict(r: &DeliveryReport) -> DeliveryVerdict {
    use DeliveryVerdict as V;
    match r.send_status {
        Some(
            EsmsSendStatus::PendingApproval | EsmsSendStatus::Waiting | EsmsSendStatus::SentToTelco,
        ) => return V::Pending,
        Some(EsmsSendStatus::Rejected) => return V::Rejected,
        _ => {}
    }
    let zalo = r.error_info.as_ref().map(|e| e.code);
    let zalo_failed = matches!(zalo, Some(Some(code)) if code != 0);
    // An `error_info` nothing could be read from says neither yes nor no.
    let zalo_unreadable = matches!(zalo, Some(None));
    match (r.send_success, r.send_failed) {
        (Some(ok), Some(0)) if ok >= 1 && !zalo_failed && !zalo_unreadable => V::Delivered,
        (Some(0), Some(failed)) if failed >= 1 => V::Failed,
        (Some(ok), Some(failed)) if ok >= 1 && failed >= 1 && zalo.is_none() => V::Partial,
        (None | Some(0), None | Some(0)) if zalo_failed => V::Failed,
        _ => V::Ambiguous,
    }
}

fn set<T>(slot: &mut Option<T>, value: Option<T>) -> Option<()> {
    let value = value?;
    *slot = Some(value);
    Some(())
}

fn is_known(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "smsid"
            | "sendstatus"
            | "typeid"
            | "telcoid"
            | "sendsuccess"
            | "sendfailed"
            | "totalreceiver"
            | "totalsent"
            | "totalprice"
            | "error_info"
    )
}

/// Reads `error_info` in every form the pages show (D-Z40), after the query decoding:
/// 1. a JSON string holding the JSON (`"{\"error\":-114,…}"`);
/// 2. the object percent-encoded once more, with `____dd/MM/yyyy HH:mm:ss` appended;
/// 3. the plain object;
/// 4. an object followed by other text.
///
/// Anything else keeps only `raw`.
fn decode_error_info(value: &str) -> ZaloError {
    let mut text = value.trim().to_owned();
    if text.starts_with('"') {
        if let Ok(serde_json::Value::String(inner)) = first_json_value(&text).0 {
            text = inner;
        }
    }
    let lower = text.to_ascii_lowercase();
    if !text.starts_with('{') && (lower.contains("%7b") || lower.contains("%22")) {
        text = percent_encoding::percent_decode_str(&text)
            .decode_utf8_lossy()
            .into_owned();
    }
    let mut logged_at = None;
    if let Some((json, suffix)) = text.rsplit_once("____") {
        if let Some(at) = super::parse_sent_time(suffix) {
            logged_at = Some(at);
            text = json.to_owned();
        }
    }
    let (first, rest) = first_json_value(&text);
    let map = first.ok().and_then(|v| match v {
        serde_json::Value::Object(map) => Some(map),
        _ => None,
    });
    let data = map
        .as_ref()
        .and_then(|m| m.get("data"))
        .and_then(|d| d.as_object());
    let rest = rest.trim();
    ZaloError {
        code: map
            .as_ref()
            .and_then(|m| wire::scalar_i64(m.get("error").or_else(|| m.get("code")))),
        message: map
            .as_ref()
            .and_then(|m| wire::scalar_text(m.get("message"))),
        message_id: data.and_then(|d| wire::scalar_text(d.get("message_id"))),
        user_id: data.and_then(|d| wire::scalar_text(d.get("user_id"))),
        status: data.and_then(|d| wire::scalar_i64(d.get("status"))),
        delivery_time_ms: data.and_then(|d| wire::scalar_i64(d.get("delivery_time"))),
        logged_at,
        trailing: (map.is_some() && !rest.is_empty()).then(|| rest.to_owned()),
        raw: value.to_owned(),
    }
}

/// The first JSON value of `text` and what follows it.
fn first_json_value(text: &str) -> (serde_json::Result<serde_json::Value>, &str) {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>();
    match stream.next() {
        Some(Ok(value)) => {
            // The offset is just after a complete JSON value, so at a character boundary;
            // `get` keeps a hostile input from ever making that a panic.
            let end = stream.byte_offset();
            (Ok(value), text.get(end..).unwrap_or(""))
        }
        Some(Err(e)) => (Err(e), ""),
        None => (serde_json::from_str(""), ""),
    }
}
