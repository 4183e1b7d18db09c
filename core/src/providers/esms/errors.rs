//! How every eSMS answer says "no": the code envelope and the error table (PROVIDERS.md §5.1,
//! ZALO.md §5).

use crate::error::{Error, Provider, Rejection, Result};
use crate::http::HttpResponse;
use crate::wire;

/// Status, then body: a JSON object whose code (under `code_key`, or the other spelling, D-C3)
/// is "100" is returned for the caller to read; everything else becomes the right error.
pub(super) fn decode_common(
    response: &HttpResponse,
    code_key: &str,
) -> Result<serde_json::Map<String, serde_json::Value>> {
    if response.status == 429 {
        return Err(Error::RateLimited {
            provider: Provider::Esms,
            retry_after_secs: response.retry_after_secs(),
            lockout: false,
            message: wire::snippet(&response.body),
        });
    }
    let map = wire::json_object(&response.body);
    let code = map.as_ref().and_then(|m| {
        wire::scalar_text(m.get(code_key))
            .or_else(|| wire::scalar_text(m.get(other_code_key(code_key))))
    });
    match (map, code) {
        (Some(map), Some(code)) => {
            let code = code.trim().to_owned();
            if code == "100" {
                return Ok(map);
            }
            let message = wire::scalar_text(map.get("ErrorMessage")).unwrap_or_default();
            Err(error_for_code(&code, message))
        }
        // D-E4: `{"error":"Invalid request"}` has no code; it is not code 99.
        (Some(map), None) if map.contains_key("error") && response.status < 500 => {
            Err(Error::Rejected {
                provider: Provider::Esms,
                reason: Rejection::InvalidRequest,
                code: None,
                message: wire::scalar_text(map.get("error")).unwrap_or_default(),
            })
        }
        _ if response.status >= 500 => Err(Error::ProviderUnavailable {
            provider: Provider::Esms,
            status: response.status,
            snippet: wire::snippet(&response.body),
        }),
        _ => Err(unexpected(response)),
    }
}

pub(super) fn other_code_key(key: &str) -> &'static str {
    if key == "CodeResult" {
        "CodeResponse"
    } else {
        "CodeResult"
    }
}

pub(super) fn unexpected(response: &HttpResponse) -> Error {
    Error::UnexpectedResponse {
        provider: Provider::Esms,
        status: response.status,
        snippet: wire::snippet(&response.body),
    }
}

// ---------------------------------------------------------------------------------------------
// Error table (§5.1)
// ---------------------------------------------------------------------------------------------

/// eSMS 160, "exceeded TPS" (ZALO.md §5): the caller is too fast, so it is rate limiting, not
/// a refusal of the request (D-Z59).
pub const RATE_LIMITED_CODE: &str = "160";

/// Every documented `CodeResult`/`CodeResponse` other than 100 and 160, with its meaning.
pub const ERROR_TABLE: &[(&str, Rejection, &str)] = &[
    ("99", Rejection::PhoneBlocked, "phone number blocked"),
    ("101", Rejection::Unauthorized, "wrong ApiKey or SecretKey"),
    (
        "102",
        Rejection::NoPriceList,
        "no price list for the account",
    ),
    ("103", Rejection::InsufficientBalance, "balance too low"),
    (
        "104",
        Rejection::UnknownBrandname,
        "brandname not registered",
    ),
    ("105", Rejection::NotFound, "message id not found"),
    (
        "106",
        Rejection::RecordingNotFound,
        "recording file does not exist",
    ),
    (
        "107",
        Rejection::TooFewRecipients,
        "advertising needs at least 30 numbers",
    ),
    (
        "108",
        Rejection::InvalidPhone,
        "phone number format invalid",
    ),
    ("110", Rejection::InvalidData, "request data incorrect"),
    ("115", Rejection::InvalidHashedPhone, "hashed phone invalid"),
    // 117 is the code-check tabs' "code used or expired", which both tables call 171 (D-Z28).
    (
        "117",
        Rejection::InvalidCode,
        "code used, expired or invalid",
    ),
    (
        "118",
        Rejection::UnsupportedMessageType,
        "message type not supported",
    ),
    (
        "120",
        Rejection::TooManyRecipients,
        "phone list exceeds the limit",
    ),
    (
        "124",
        Rejection::DuplicateRequestId,
        "RequestId already used within 24 hours",
    ),
    (
        "140",
        Rejection::IpNotWhitelisted,
        "caller IP not whitelisted",
    ),
    (
        "143",
        Rejection::AccountLocked,
        "account not activated or locked",
    ),
    (
        "146",
        Rejection::TemplateMismatch,
        "content does not match a registered template",
    ),
    (
        "171",
        Rejection::InvalidCode,
        "code used, expired or invalid",
    ),
    (
        "177",
        Rejection::NetworkNotRegistered,
        "brandname has no route to this network",
    ),
    (
        "199",
        Rejection::AlreadyProcessing,
        "request already exists and is processing",
    ),
    (
        "163",
        Rejection::TooManyRecipients,
        "one number per request",
    ),
    (
        "201",
        Rejection::BlockedKeyword,
        "text contains a blocked keyword",
    ),
    ("204", Rejection::UnknownOaid, "Zalo OA id does not exist"),
    ("210", Rejection::InvalidPayload, "payload not as specified"),
    ("300", Rejection::MissingMessageType, "message type missing"),
    (
        "301",
        Rejection::UnsupportedService,
        "service code not supported",
    ),
    (
        "687",
        Rejection::TooManyRecipients,
        "more than 500 in one request",
    ),
    (
        "789",
        Rejection::TemplateNotConfigured,
        "ZNS template not configured for this OA",
    ),
    (
        "790",
        Rejection::TemplateMismatch,
        "parameters do not match the ZNS template",
    ),
    (
        "791",
        Rejection::MissingOaOrTemplate,
        "OA id or template id missing",
    ),
    (
        "799",
        Rejection::OaNotActive,
        "OA inactive, wrong or not on the account",
    ),
    (
        "801",
        Rejection::QuotaModeScheduled,
        "SendingMode 3 cannot be scheduled",
    ),
    (
        "802",
        Rejection::QuotaModeNotAllowed,
        "OA not allowed SendingMode 3",
    ),
    ("851", Rejection::MissingMessageId, "message id missing"),
    ("854", Rejection::NotFound, "no data found"),
];

/// The typed error for a non-100 code; unknown codes keep code and message (§5.1: third-party
/// tables disagree, so nothing is guessed).
pub fn error_for_code(code: &str, message: String) -> Error {
    let message = wire::provider_text(message);
    if code == RATE_LIMITED_CODE {
        return Error::RateLimited {
            provider: Provider::Esms,
            retry_after_secs: None,
            lockout: false,
            message,
        };
    }
    let (reason, description) = ERROR_TABLE
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, reason, description)| (*reason, *description))
        .unwrap_or((Rejection::Other, "undocumented eSMS code"));
    let message = if message.trim().is_empty() {
        description.to_owned()
    } else {
        message
    };
    Error::Rejected {
        provider: Provider::Esms,
        reason,
        code: Some(code.to_owned()),
        message,
    }
}
