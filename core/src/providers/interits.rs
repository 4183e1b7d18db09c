//! InterITS CPaaS, in the order endpoints → encode → decode → error table → callbacks
//! (§1.2, §2.12, §5.3, §8 B of the digest).

use serde::Serialize;

use crate::error::{Error, Provider, Rejection, Result};
use crate::http::{HttpRequest, HttpResponse, Idempotency, Method};
use crate::ids::{BaseUrl, Secret};
use crate::message::{Content, Message, SmsPurpose};
use crate::phone::PhoneFormat;
use crate::receipt::Receipt;
use crate::text;
use crate::time::Timestamp;
use crate::wire;
use crate::zns::{OaId, ParamsObject, Zns, ZnsAddress};

// ---------------------------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------------------------

/// The documented host (D-B2).
pub const DEFAULT_BASE_URL: &str = "https://cpaas.interits.com";
/// The send path.
pub const SEND_PATH: &str = "api/vendor/v1/sms/send-message";
/// InterITS documents no recipient limit; nhantin keeps eSMS's per-request cap (D-B12).
pub const MAX_RECIPIENTS_PER_REQUEST: usize = 5000;

/// Options only InterITS has.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InterItsOptions {
    /// `useUnicode: 2`: let InterITS convert Unicode text to non-Unicode itself (D-B5).
    pub server_side_conversion: bool,
    /// `ext`: the reserved object, sent verbatim when set.
    pub ext: Option<serde_json::Map<String, serde_json::Value>>,
}

/// An InterITS business account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterItsAccount {
    /// The `API-KEY` header ("Key License").
    pub api_key: Secret,
    /// Defaults to [`DEFAULT_BASE_URL`].
    pub base_url: BaseUrl,
    /// How `destinations` are written; undocumented, so a setting (D-B7), national by default.
    pub phone_format: PhoneFormat,
    /// Set only after InterITS has confirmed, for this account, that a repeated `requestId` is
    /// not sent again. No InterITS page documents de-duplication (D-B10), so by default a send
    /// that may have arrived is never resent and ends as an unknown outcome.
    pub dedup_confirmed: bool,
}

impl InterItsAccount {
    /// An account on the production host.
    pub fn new(api_key: Secret) -> Self {
        InterItsAccount {
            api_key,
            base_url: BaseUrl::new(DEFAULT_BASE_URL).expect("the default base URL is valid"),
            phone_format: PhoneFormat::National,
            dedup_confirmed: false,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Encode
    // -----------------------------------------------------------------------------------------

    /// Encodes a send. Requires a request id (D-B10).
    pub fn encode_send(&self, msg: &Message, now: Timestamp) -> Result<HttpRequest> {
        msg.check_common(now)?;
        let options = msg.options.interits()?;
        let sms = match &msg.content {
            Content::Sms(sms) => sms,
            Content::Zns(zns) => {
                if options != InterItsOptions::default() {
                    return Err(Error::invalid(
                        "options.interits",
                        "are options of InterITS SMS; send-zns has none",
                    ));
                }
                return self.encode_zns(msg, zns);
            }
            other => {
                return Err(Error::invalid(
                    "content",
                    format!(
                        "InterITS sends SMS through this endpoint; {} is not available",
                        other.channel()
                    ),
                ))
            }
        };
        let kind = match sms.purpose {
            SmsPurpose::CustomerCare => 0,
            SmsPurpose::Advertising => 1,
            SmsPurpose::Otp => 2,
            other => return Err(Error::invalid("sms.purpose", format!("InterITS sends SMS of type consulting, advertising or OTP; {other:?} is not available"))),
        };
        let request_id = msg.required_request_id("InterITS")?;
        let Some(sender) = &sms.sender else {
            return Err(Error::invalid(
                "sms.sender",
                "InterITS needs a brandname (`from`)",
            ));
        };
        if msg.recipients.len() > MAX_RECIPIENTS_PER_REQUEST {
            return Err(Error::invalid(
                "recipients",
                format!("one request carries at most {MAX_RECIPIENTS_PER_REQUEST}: split the list"),
            ));
        }
        Message::refuse_if(
            "callback_url",
            &msg.callback_url,
            "InterITS has no callback URL per message",
        )?;
        if msg.sandbox {
            return Err(Error::invalid("sandbox", "InterITS has no test mode"));
        }
        let prepared = text::prepare("sms.text", &sms.text, sms.unicode)?;
        let use_unicode = match (options.server_side_conversion, prepared.unicode) {
            (true, _) if sms.unicode != text::UnicodePolicy::Auto => {
                return Err(Error::invalid(
                    "options.interits.server_side_conversion",
                    "conflicts with a unicode policy other than auto",
                ));
            }
            (true, _) => 2,
            (false, true) => 1,
            (false, false) => 0,
        };
        let destinations: Vec<String> = msg
            .recipients
            .iter()
            .map(|p| p.format(self.phone_format))
            .collect();
        let body = SendBody {
            destinations: &destinations,
            from: sender.as_str(),
            text: &prepared.text,
            scheduled: msg.schedule.map(Timestamp::to_rfc3339_utc), // D-B6
            request_id: request_id.as_str(),
            use_unicode,
            kind,
            ext: options.ext.as_ref(),
        };
        let body = serde_json::to_vec(&body).expect("plain values always serialize");
        // D-B3/D-B11: the key travels only in the `API-KEY` header.
        // The id is always sent (it is what support and reconciliation find the message by), but it
        // makes a resend safe only where de-duplication was confirmed (D-B10).
        let idempotency = if self.dedup_confirmed {
            Idempotency::KeyedBy(request_id.clone())
        } else {
            Idempotency::NotIdempotent
        };
        Ok(
            HttpRequest::new(Method::Post, self.base_url.join(SEND_PATH), idempotency)
                .header("accept", "*/*")
                .header("API-KEY", self.api_key.expose())
                .header("Content-Type", "application/json")
                .body(body)
                .secret(self.api_key.expose()),
        )
    }
}

/// D-B4: `useUnicode` and `type` are numbers, as in the Swagger-generated example.
#[derive(Serialize)]
struct SendBody<'a> {
    destinations: &'a [String],
    from: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    scheduled: Option<String>,
    #[serde(rename = "requestId")]
    request_id: &'a str,
    #[serde(rename = "useUnicode")]
    use_unicode: u8,
    #[serde(rename = "type")]
    kind: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    ext: Option<&'a serde_json::Map<String, serde_json::Value>>,
}

/// The ZNS send path.
pub const ZNS_SEND_PATH: &str = "api/vendor/v1/zalo/send-zns";

/// `send-zns` body (ZALO.md §6.2): every field sent (D-Z48: all are "Required: false", and an
/// omitted one would be a guess about defaults); `template_id` a JSON number, values strings.
#[derive(Serialize)]
struct ZnsBody<'a> {
    oa_id: &'a str,
    phone: &'a str,
    template_data: ParamsObject<'a>,
    template_id: u64,
    tracking_id: &'a str,
}

impl InterItsAccount {
    /// Encodes a ZNS (`send-zns`). The request id travels as `tracking_id`, InterITS's
    /// reconciliation tag; no page says a repeated one is not sent again (D-Z49), so the send is
    /// never resent once it may have arrived, whatever `dedup_confirmed` says of SMS.
    fn encode_zns(&self, msg: &Message, zns: &Zns) -> Result<HttpRequest> {
        let request_id = msg.required_request_id("InterITS")?;
        let Some(oa_id) = &zns.oa_id else {
            return Err(Error::invalid(
                "zns.oa_id",
                "InterITS needs the OA id (oa_id)",
            ));
        };
        if zns.address != ZnsAddress::Phone {
            return Err(Error::invalid(
                "zns",
                "InterITS sends ZNS to a phone number only (no Zalo user id, no hashed phone)",
            ));
        }
        if zns.journey_order_id.is_some() || zns.exceed_quota {
            return Err(Error::invalid(
                "zns",
                "journey ZNS and sending beyond the quota are eSMS options",
            ));
        }
        let phone = match msg.recipients.as_slice() {
            [one] => one.format(self.phone_format),
            many => {
                return Err(Error::invalid(
                    "recipients",
                    format!("one ZNS goes to one phone and {} were given", many.len()),
                ))
            }
        };
        Message::refuse_if(
            "schedule",
            &msg.schedule,
            "InterITS send-zns cannot schedule",
        )?;
        Message::refuse_if(
            "callback_url",
            &msg.callback_url,
            "InterITS has no callback URL per message",
        )?;
        if msg.sandbox {
            return Err(Error::invalid("sandbox", "InterITS has no test mode"));
        }
        let body = ZnsBody {
            oa_id: oa_id.as_str(),
            phone: &phone,
            template_data: ParamsObject(&zns.params),
            template_id: zns.template_id.as_number("InterITS")?,
            tracking_id: request_id.as_str(),
        };
        let body = serde_json::to_vec(&body).expect("plain values always serialize");
        Ok(HttpRequest::new(
            Method::Post,
            self.base_url.join(ZNS_SEND_PATH),
            Idempotency::NotIdempotent,
        )
        .header("accept", "*/*")
        .header("API-KEY", self.api_key.expose())
        .header("Content-Type", "application/json")
        .body(body)
        .secret(self.api_key.expose()))
    }
}

/// `message-detail` (ZALO.md §6.4): where a ZNS is, by the Zalo message id its send returned.
/// InterITS documents no ZNS delivery push (D-Z54): this poll is how a ZNS's fate is learnt.
pub const ZNS_MESSAGE_DETAIL_PATH: &str = "api/vendor/v1/zalo/message-detail";

#[derive(Serialize)]
struct MessageDetailBody<'a> {
    msg_id: &'a str,
    oa_id: &'a str,
}

impl InterItsAccount {
    /// Encodes `message-detail` for a ZNS sent through `oa_id`: `msg_id` is the receipt's
    /// reference (Zalo's id, D-Z50), sent as a string (D-Z53). Read-only.
    pub fn encode_zns_message(&self, oa_id: &str, msg_id: &str) -> Result<HttpRequest> {
        let oa_id = OaId::new(oa_id).map_err(|e| e.prefixed_from("zns.oa_id", "oa_id"))?;
        if msg_id.is_empty()
            || msg_id.len() > 64
            || !msg_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(Error::invalid(
                "msg_id",
                "must be 1 to 64 letters, digits, '-' or '_' (the reference a ZNS send returned)",
            ));
        }
        let body = MessageDetailBody {
            msg_id,
            oa_id: oa_id.as_str(),
        };
        let body = serde_json::to_vec(&body).expect("plain values always serialize");
        Ok(HttpRequest::new(
            Method::Post,
            self.base_url.join(ZNS_MESSAGE_DETAIL_PATH),
            Idempotency::ReadOnly,
        )
        .header("accept", "*/*")
        .header("API-KEY", self.api_key.expose())
        .header("Content-Type", "application/json")
        .body(body)
        .secret(self.api_key.expose()))
    }
}

// ---------------------------------------------------------------------------------------------
// Decode
// ---------------------------------------------------------------------------------------------

/// Decodes a send answer (D-B8): success for HTTP 2xx whose `code` is absent or 0 (number or
/// string); an empty body is accepted on 204 only. `referentId` and `data.token` are kept.
pub fn decode_send(response: &HttpResponse) -> Result<Receipt> {
    let status = response.status;
    if !response.is_success() {
        return Err(error_for_status(response));
    }
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return if status == 204 {
            Ok(Receipt::interits(None, None))
        } else {
            Err(unexpected(response))
        };
    }
    let Some(map) = wire::json_object(&response.body) else {
        return Err(unexpected(response));
    };
    let code = wire::scalar_text(map.get("code"));
    let ok = match code.as_deref().map(str::trim) {
        None => true,
        Some(c) => wire::parse_lenient_i64(c) == Some(0),
    };
    if !ok {
        return Err(Error::Rejected {
            provider: Provider::InterIts,
            reason: Rejection::Other,
            code,
            message: wire::provider_text(wire::scalar_text(map.get("message")).unwrap_or_default()),
        });
    }
    // A ZNS answer carries the Zalo message id (`data.msg_id`), the handle its status is
    // queried by (D-Z50); an SMS answer only `referentId`.
    let zalo_msg_id = map
        .get("data")
        .and_then(|d| d.as_object())
        .and_then(|d| wire::scalar_text(d.get("msg_id")))
        .filter(|s| !s.is_empty());
    let referent_id = zalo_msg_id
        .or_else(|| wire::scalar_text(map.get("referentId")))
        .filter(|s| !s.is_empty());
    let token = map
        .get("data")
        .and_then(|d| d.as_object())
        .and_then(|d| wire::scalar_text(d.get("token")))
        .filter(|s| !s.is_empty());
    Ok(Receipt::interits(referent_id, token))
}

/// Whether a ZNS reached its reader, by `delivery_status` (D-Z51: any case, and the page's
/// `Unkown` spelling, read as unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZnsDeliveryStatus {
    /// `unknown` (also `Unkown`, absent): not known yet.
    Unknown,
    /// `received`: on the phone.
    Received,
    /// `seen`: read.
    Seen,
    /// Another value (kept in `delivery_status_raw`).
    Undocumented,
}

/// `message-detail`'s answer: what InterITS knows of one ZNS. Ids and times are text as sent
/// (D-Z50: types and formats are placeholders on the page); the phone is never kept.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InterItsZnsMessage {
    /// `msg_id`: Zalo's id.
    pub msg_id: Option<String>,
    /// `id`: InterITS's id.
    pub id: Option<String>,
    /// `tracking_id`: the request id the send carried.
    pub tracking_id: Option<String>,
    /// From `delivery_status`.
    pub delivery: ZnsDeliveryStatus,
    /// `delivery_status` as sent.
    pub delivery_status_raw: Option<String>,
    /// `delivery_time`: when the phone got it.
    pub delivery_time: Option<String>,
    /// `sent_time`.
    pub sent_time: Option<String>,
    /// `error_code` (text; 0 or absent when none).
    pub error_code: Option<String>,
    /// `error_message`.
    pub error_message: Option<String>,
    /// `is_charged`.
    pub is_charged: Option<bool>,
    /// `template_id`, as text.
    pub template_id: Option<String>,
    /// `type`: `template` or `journey`.
    pub kind: Option<String>,
    /// What happened, decided from `delivery_status` and Zalo's code together, as for an eSMS
    /// report (D-Z41): `received`/`seen` is delivered; a Zalo error code other than 0 is failed
    /// (InterITS leaves `delivery_status` at `unknown` for a ZNS Zalo refused, so a poller
    /// waiting for `delivery` alone never stops); `unknown` without one is pending; a state no
    /// page names is ambiguous.
    pub verdict: crate::esms::DeliveryVerdict,
}

/// Decodes `message-detail` (D-B8's success rule, D-Z51's delivery states).
pub fn decode_zns_message(response: &HttpResponse) -> Result<InterItsZnsMessage> {
    if !response.is_success() {
        return Err(match error_for_status(response) {
            // Asked about one message, a 404 says there is no such message (as eSMS's 854
            // does), not that the request was malformed.
            Error::Rejected {
                provider,
                reason: Rejection::InvalidRequest,
                code,
                message,
            } if response.status == 404 => Error::Rejected {
                provider,
                reason: Rejection::NotFound,
                code,
                message,
            },
            other => other,
        });
    }
    let Some(map) = wire::json_object(&response.body) else {
        return Err(unexpected(response));
    };
    let code = wire::scalar_text(map.get("code"));
    if let Some(c) = code.as_deref().map(str::trim) {
        if wire::parse_lenient_i64(c) != Some(0) {
            return Err(Error::Rejected {
                provider: Provider::InterIts,
                reason: Rejection::Other,
                code,
                message: wire::provider_text(
                    wire::scalar_text(map.get("message")).unwrap_or_default(),
                ),
            });
        }
    }
    let Some(data) = map.get("data").and_then(|d| d.as_object()) else {
        return Err(unexpected(response));
    };
    let text = |name: &str| wire::scalar_text(data.get(name)).filter(|s| !s.is_empty());
    let raw = text("delivery_status");
    let delivery = match raw.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("unknown") | Some("unkown") => ZnsDeliveryStatus::Unknown,
        Some("received") => ZnsDeliveryStatus::Received,
        Some("seen") => ZnsDeliveryStatus::Seen,
        Some(_) => ZnsDeliveryStatus::Undocumented,
    };
    let error_code = text("error_code");
    let zalo_failed = error_code
        .as_deref()
        .and_then(wire::parse_lenient_i64)
        .is_some_and(|code| code != 0);
    use crate::esms::DeliveryVerdict as V;
    let verdict = match delivery {
        // A delivered state with an error code contradicts itself (D-Z41).
        ZnsDeliveryStatus::Received | ZnsDeliveryStatus::Seen if zalo_failed => V::Ambiguous,
        ZnsDeliveryStatus::Received | ZnsDeliveryStatus::Seen => V::Delivered,
        ZnsDeliveryStatus::Unknown if zalo_failed => V::Failed,
        ZnsDeliveryStatus::Unknown => V::Pending,
        ZnsDeliveryStatus::Undocumented => V::Ambiguous,
    };
    Ok(InterItsZnsMessage {
        msg_id: text("msg_id"),
        id: text("id"),
        tracking_id: text("tracking_id"),
        delivery,
        delivery_status_raw: raw,
        delivery_time: text("delivery_time"),
        sent_time: text("sent_time"),
        error_code,
        error_message: text("error_message"),
        is_charged: wire::scalar_bool(data.get("is_charged")),
        template_id: text("template_id"),
        kind: text("type"),
        verdict,
    })
}

fn unexpected(response: &HttpResponse) -> Error {
    Error::UnexpectedResponse {
        provider: Provider::InterIts,
        status: response.status,
        snippet: wire::snippet(&response.body),
    }
}

// ---------------------------------------------------------------------------------------------
// Error table (§5.3, D-B12: HTTP statuses only)
// ---------------------------------------------------------------------------------------------

fn error_for_status(response: &HttpResponse) -> Error {
    let provider = Provider::InterIts;
    let status = response.status;
    let map = wire::json_object(&response.body);
    let message = map
        .as_ref()
        .and_then(|m| wire::scalar_text(m.get("message")))
        .map(wire::provider_text)
        .unwrap_or_else(|| wire::snippet(&response.body));
    let code = Some(
        map.as_ref()
            .and_then(|m| wire::scalar_text(m.get("code")))
            .unwrap_or_else(|| status.to_string()),
    );
    match status {
        401 | 403 => Error::Rejected {
            provider,
            reason: Rejection::Unauthorized,
            code,
            message,
        },
        429 => Error::RateLimited {
            provider,
            retry_after_secs: response.retry_after_secs(),
            lockout: false,
            message,
        },
        400 | 404 | 405 | 422 => Error::Rejected {
            provider,
            reason: Rejection::InvalidRequest,
            code,
            message,
        },
        500..=599 => Error::ProviderUnavailable {
            provider,
            status,
            snippet: wire::snippet(&response.body),
        },
        _ => Error::Rejected {
            provider,
            reason: Rejection::Other,
            code,
            message,
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Callbacks (§2.12, D-B9)
// ---------------------------------------------------------------------------------------------

/// The JSON body of InterITS's callback shape. Field meanings and `status` values are
/// undocumented, so everything is kept raw and optional.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct InterItsCallback {
    /// `msisdn`: the recipient.
    pub msisdn: Option<String>,
    /// `requestId`: the caller's id.
    pub request_id: Option<String>,
    /// `sendTime`, as sent.
    pub send_time: Option<String>,
    /// `responseTimeTelco`, as sent.
    pub response_time_telco: Option<String>,
    /// `status`: a raw number (no table exists).
    pub status: Option<i64>,
    /// `referentId`: matches the send receipt's reference.
    pub referent_id: Option<String>,
    /// `retryCount`.
    pub retry_count: Option<i64>,
}

/// Decodes a callback body. Accepts the bare object or the documented envelope whose `data`
/// holds it.
pub fn parse_callback(body: &[u8]) -> Result<InterItsCallback> {
    let Some(mut map) = wire::json_object(body) else {
        return Err(Error::invalid(
            "callback",
            format!("is not a JSON object: {}", wire::snippet(body)),
        ));
    };
    if !map.contains_key("msisdn") {
        if let Some(serde_json::Value::Object(inner)) = map.get("data") {
            map = inner.clone();
        }
    }
    Ok(InterItsCallback {
        msisdn: wire::scalar_text(map.get("msisdn")),
        request_id: wire::scalar_text(map.get("requestId")),
        send_time: wire::scalar_text(map.get("sendTime")),
        response_time_telco: wire::scalar_text(map.get("responseTimeTelco")),
        status: wire::scalar_i64(map.get("status")),
        referent_id: wire::scalar_text(map.get("referentId")),
        retry_count: wire::scalar_i64(map.get("retryCount")),
    })
}

#[cfg(test)]
mod tests {
    use crate::input::{AccountInput, MessageInput};
    use crate::{Idempotency, Timestamp};

    /// D-Z49: `tracking_id` is a reconciliation tag, not the `requestId` whose de-duplication an
    /// account may have confirmed for SMS: a ZNS is never resent once it may have arrived.
    #[test]
    fn a_zns_is_not_idempotent_even_where_sms_de_duplication_is_confirmed() {
        let account = AccountInput::from_json(
            r#"{"provider":"interits","api_key":"k","dedup_confirmed":true}"#,
        )
        .unwrap()
        .validate()
        .unwrap();
        let zns = MessageInput::from_json(r#"{"recipients":["0912345678"],"request_id":"z-1","content":{"zns":{"oa_id":"1","template_id":"2","params":[]}}}"#)
            .unwrap()
            .validate()
            .unwrap();
        let now = Timestamp::from_unix_secs(1_800_000_000);
        assert_eq!(
            account.encode_send(&zns, now).unwrap().idempotency,
            Idempotency::NotIdempotent
        );
        let sms = MessageInput::from_json(r#"{"recipients":["0912345678"],"request_id":"s-1","content":{"sms":{"purpose":"otp","text":"x","sender":"B"}}}"#)
            .unwrap()
            .validate()
            .unwrap();
        assert!(matches!(
            account.encode_send(&sms, now).unwrap().idempotency,
            Idempotency::KeyedBy(_)
        ));
    }
}
