//! CareSoft: SMS through a tenant's brandname service, in the order endpoints → encode →
//! decode → error table → callbacks (§1.1, §5.2, §8 A of the digest).

use serde::Serialize;

use crate::error::{Error, Provider, Rejection, Result};
use crate::http::{HttpRequest, HttpResponse, Idempotency, Method};
use crate::ids::{BaseUrl, Secret};
use crate::message::{Content, Message, SmsPurpose};
use crate::phone::PhoneFormat;
use crate::receipt::{CareSoftTicket, Receipt};
use crate::text::{self, UnicodePolicy};
use crate::time::Timestamp;
use crate::wire;
use crate::zns::{ParamsObject, Zns, ZnsAddress};

// ---------------------------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------------------------

/// The documented API root (D-A1). The backup `https://api2.caresoft.vn` is a configuration
/// choice; a send is never moved to it automatically, because a send is not idempotent.
pub const DEFAULT_BASE_URL: &str = "https://api.caresoft.vn";
/// The documented backup root.
pub const BACKUP_BASE_URL: &str = "https://api2.caresoft.vn";
/// `sms.content` is STRING(1000); counted in Unicode scalar values (D-A5).
pub const MAX_CONTENT_CHARS: usize = 1000;
/// How long the lock-out after more than 20 consecutive 429s lasts.
pub const LOCKOUT_SECS: u64 = 15 * 60;

/// Options only CareSoft has.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CareSoftOptions {
    /// `sms.ticket_id`: attach the SMS to an existing ticket.
    pub ticket_id: Option<u64>,
}

/// A tenant slug (the part after `caresoft.vn/` in the tenant's login URL): it becomes one path
/// segment, so only letters, digits, `-` and `_` are allowed (D-A1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CareSoftDomain(String);

impl CareSoftDomain {
    /// Checks the slug.
    pub fn new(value: impl Into<String>) -> Result<Self> {
        let value = value.into();
        if value.is_empty()
            || value.len() > 64
            || !value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Error::invalid(
                "domain",
                "must be 1 to 64 letters, digits, '-' or '_' (the tenant slug)",
            ));
        }
        Ok(CareSoftDomain(value))
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A CareSoft tenant: where to send, the bearer token, and the SMS service to send through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CareSoftAccount {
    /// The tenant slug.
    pub domain: CareSoftDomain,
    /// The tenant's API token (Admin → Api → Api token).
    pub api_token: Secret,
    /// The id of the SMS brandname service integrated in the tenant (`sms.service_id`).
    pub service_id: u64,
    /// Defaults to [`DEFAULT_BASE_URL`].
    pub base_url: BaseUrl,
}

impl CareSoftAccount {
    /// A tenant on the production base URL.
    pub fn new(domain: CareSoftDomain, api_token: Secret, service_id: u64) -> Self {
        CareSoftAccount {
            domain,
            api_token,
            service_id,
            base_url: BaseUrl::new(DEFAULT_BASE_URL).expect("the default base URL is valid"),
        }
    }

    /// The send URL: `{base}/{domain}/api/v1/sms`.
    pub fn send_url(&self) -> String {
        self.base_url
            .join(&format!("{}/api/v1/sms", self.domain.as_str()))
    }

    // -----------------------------------------------------------------------------------------
    // Encode
    // -----------------------------------------------------------------------------------------

    /// Encodes a send to one phone. CareSoft has no schedule, callback, sandbox, brandname
    /// choice or idempotency key: each is refused rather than dropped.
    pub fn encode_send(&self, msg: &Message, now: Timestamp) -> Result<HttpRequest> {
        msg.check_common(now)?;
        let options = msg.options.caresoft()?;
        let sms = match &msg.content {
            Content::Zns(zns) => return self.encode_zns(msg, zns, &options),
            Content::Sms(sms) if matches!(sms.purpose, SmsPurpose::Otp | SmsPurpose::CustomerCare) => sms,
            Content::Sms(sms) => return Err(Error::invalid("sms.purpose", format!("CareSoft sends customer-care SMS through its brandname service; {:?} is not available", sms.purpose))),
            other => return Err(Error::invalid("content", format!("CareSoft sends SMS only; {} is not available", other.channel()))),
        };
        if msg.recipients.len() != 1 {
            return Err(Error::invalid(
                "recipients",
                format!(
                    "CareSoft sends to one phone per request; {} were given",
                    msg.recipients.len()
                ),
            ));
        }
        Message::refuse_if(
            "sms.sender",
            &sms.sender,
            "CareSoft's brandname comes from the service (service_id)",
        )?;
        Message::refuse_if("schedule", &msg.schedule, "CareSoft cannot schedule")?;
        Message::refuse_if(
            "callback_url",
            &msg.callback_url,
            "CareSoft has no delivery reports",
        )?;
        Message::refuse_if(
            "request_id",
            &msg.request_id,
            "CareSoft has no idempotency key; a request id would give a false sense of safety",
        )?;
        if msg.sandbox {
            return Err(Error::invalid("sandbox", "CareSoft has no test mode"));
        }
        if sms.unicode == UnicodePolicy::Force {
            return Err(Error::invalid(
                "sms.unicode",
                "CareSoft has no unicode flag; it encodes the text itself (use auto)",
            ));
        }
        let prepared = text::prepare("sms.text", &sms.text, sms.unicode)?;
        let chars = prepared.text.chars().count();
        if chars > MAX_CONTENT_CHARS {
            return Err(Error::invalid(
                "sms.text",
                format!("has {chars} characters; CareSoft accepts at most {MAX_CONTENT_CHARS}"),
            ));
        }
        // D-A2: the typed API takes integers; both examples send them as JSON strings.
        let service_id = self.service_id.to_string();
        let ticket_id = options.ticket_id.map(|t| t.to_string());
        let body = SendBody {
            sms: SmsBody {
                service_id: &service_id,
                content: &prepared.text,
                phone: &msg.recipients[0].format(PhoneFormat::National), // D-A8
                ticket_id: ticket_id.as_deref(),
            },
        };
        let body = serde_json::to_vec(&body).expect("plain strings always serialize");
        Ok(
            HttpRequest::new(Method::Post, self.send_url(), Idempotency::NotIdempotent)
                .header(
                    "Authorization",
                    format!("Bearer {}", self.api_token.expose()),
                )
                .header("Content-Type", "application/json")
                .body(body)
                .secret(self.api_token.expose()),
        )
    }
}

#[derive(Serialize)]
struct SendBody<'a> {
    sms: SmsBody<'a>,
}

#[derive(Serialize)]
struct SmsBody<'a> {
    service_id: &'a str,
    content: &'a str,
    phone: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ticket_id: Option<&'a str>,
}

impl CareSoftAccount {
    /// The ZNS URL: `{base}/{domain}/api/v1/zalo/zns`.
    pub fn zns_url(&self) -> String {
        self.base_url
            .join(&format!("{}/api/v1/zalo/zns", self.domain.as_str()))
    }

    /// Encodes a ZNS through a CareSoft script (ZALO.md §7): the template id is the script's id
    /// (the script binds the Zalo template and the OA, so no OA is given), and with no params
    /// CareSoft fills the script's mapped values (D-Z56).
    fn encode_zns(
        &self,
        msg: &Message,
        zns: &Zns,
        options: &CareSoftOptions,
    ) -> Result<HttpRequest> {
        if zns.oa_id.is_some() {
            return Err(Error::invalid(
                "zns.oa_id",
                "CareSoft's script binds the OA; give the script id as the template id",
            ));
        }
        if zns.address != ZnsAddress::Phone || zns.journey_order_id.is_some() || zns.exceed_quota {
            return Err(Error::invalid(
                "zns",
                "CareSoft sends ZNS to a phone number only (no Zalo user id, hashed phone, journey or quota mode)",
            ));
        }
        let phone = match msg.recipients.as_slice() {
            [one] => one.format(PhoneFormat::National),
            many => {
                return Err(Error::invalid(
                    "recipients",
                    format!(
                        "CareSoft sends to one phone per request; {} were given",
                        many.len()
                    ),
                ))
            }
        };
        Message::refuse_if("schedule", &msg.schedule, "CareSoft cannot schedule")?;
        Message::refuse_if(
            "callback_url",
            &msg.callback_url,
            "CareSoft has no delivery reports",
        )?;
        Message::refuse_if(
            "request_id",
            &msg.request_id,
            "CareSoft has no idempotency key; a request id would give a false sense of safety",
        )?;
        if msg.sandbox {
            return Err(Error::invalid("sandbox", "CareSoft has no test mode"));
        }
        // D-Z55: template_id and ticket_id are JSON numbers here (the SMS page sends strings).
        let body = ZnsEnvelope {
            zns: ZnsBody {
                phone: &phone,
                template_id: zns.template_id.as_number("CareSoft")?,
                ticket_id: options.ticket_id,
                params: (!zns.params.is_empty()).then_some(ParamsObject(&zns.params)),
            },
        };
        let body = serde_json::to_vec(&body).expect("plain values always serialize");
        Ok(
            HttpRequest::new(Method::Post, self.zns_url(), Idempotency::NotIdempotent)
                .header(
                    "Authorization",
                    format!("Bearer {}", self.api_token.expose()),
                )
                .header("Content-Type", "application/json")
                .body(body)
                .secret(self.api_token.expose()),
        )
    }
}

#[derive(Serialize)]
struct ZnsEnvelope<'a> {
    zns: ZnsBody<'a>,
}

#[derive(Serialize)]
struct ZnsBody<'a> {
    phone: &'a str,
    template_id: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    ticket_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    params: Option<ParamsObject<'a>>,
}

// ---------------------------------------------------------------------------------------------
// Decode
// ---------------------------------------------------------------------------------------------

/// Decodes a send answer: success only for HTTP 2xx **and** `"code":"ok"` (D-A6); the ticket is
/// the receipt (D-A9).
pub fn decode_send(response: &HttpResponse) -> Result<Receipt> {
    let map = wire::json_object(&response.body);
    let code = map.as_ref().and_then(|m| wire::scalar_text(m.get("code")));
    let message = map
        .as_ref()
        .and_then(|m| wire::scalar_text(m.get("message")))
        .map(wire::provider_text)
        .unwrap_or_else(|| wire::snippet(&response.body));
    let status = response.status;
    if response.is_success() {
        return match (code.as_deref(), map) {
            (Some("ok"), Some(map)) => {
                let ticket =
                    map.get("ticket")
                        .and_then(|t| t.as_object())
                        .map(|t| CareSoftTicket {
                            ticket_id: wire::scalar_i64(t.get("ticket_id")),
                            ticket_no: wire::scalar_i64(t.get("ticket_no")),
                            requester_id: wire::scalar_i64(t.get("requester_id")),
                            assignee_id: wire::scalar_i64(t.get("assignee_id")),
                        });
                Ok(Receipt::caresoft(ticket))
            }
            (Some(code), Some(_)) if code != "ok" => Err(Error::Rejected {
                provider: Provider::CareSoft,
                reason: Rejection::Other,
                code: Some(code.to_owned()),
                message,
            }),
            _ => Err(Error::UnexpectedResponse {
                provider: Provider::CareSoft,
                status,
                snippet: wire::snippet(&response.body),
            }),
        };
    }
    Err(error_for_status(response, code, message))
}

// ---------------------------------------------------------------------------------------------
// Error table (§5.2)
// ---------------------------------------------------------------------------------------------

/// The message of the lock-out answer, matched loosely (the documented text has stray spaces).
const LOCKOUT_MARKER: &str = "too many times";

fn error_for_status(response: &HttpResponse, code: Option<String>, message: String) -> Error {
    let status = response.status;
    let provider = Provider::CareSoft;
    match status {
        429 => Error::RateLimited {
            provider,
            retry_after_secs: response.retry_after_secs(),
            lockout: false,
            message,
        },
        // D-A7: this 404 is the lock-out after repeated 429s, not "not found".
        404 if message.to_ascii_lowercase().contains(LOCKOUT_MARKER) => Error::RateLimited {
            provider,
            retry_after_secs: Some(LOCKOUT_SECS),
            lockout: true,
            message,
        },
        401 | 403 => Error::Rejected {
            provider,
            reason: Rejection::Unauthorized,
            code: Some(status.to_string()),
            message,
        },
        404 => Error::Rejected {
            provider,
            reason: Rejection::UnknownAccount,
            code: Some(status.to_string()),
            message,
        },
        400 | 422 => Error::Rejected {
            provider,
            reason: Rejection::InvalidRequest,
            code: Some(code.unwrap_or_else(|| status.to_string())),
            message,
        },
        500..=599 => Error::ProviderUnavailable {
            provider,
            status,
            snippet: wire::snippet(&response.body),
        },
        _ => Error::UnexpectedResponse {
            provider,
            status,
            snippet: wire::snippet(&response.body),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Callbacks
// ---------------------------------------------------------------------------------------------

// CareSoft documents no SMS delivery report (§4.3); the ticket in the receipt is the only handle.
