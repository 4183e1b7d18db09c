//! One file per provider, each laid out endpoints → encode → decode → error table → callbacks.

pub mod caresoft;
pub mod esms;
pub mod interits;

use crate::error::{Provider, Result};
use crate::http::{HttpRequest, HttpResponse};
use crate::message::Message;
use crate::receipt::Receipt;
use crate::time::Timestamp;

/// A configured provider account: the one value a caller needs to encode sends and decode
/// their answers without knowing which provider is behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Account {
    /// eSMS.vn.
    Esms(esms::EsmsAccount),
    /// CareSoft.
    CareSoft(caresoft::CareSoftAccount),
    /// InterITS CPaaS.
    InterIts(interits::InterItsAccount),
}

impl Account {
    /// Which provider this is.
    pub fn provider(&self) -> Provider {
        match self {
            Account::Esms(_) => Provider::Esms,
            Account::CareSoft(_) => Provider::CareSoft,
            Account::InterIts(_) => Provider::InterIts,
        }
    }

    /// Validates `msg` for this provider and encodes the request to send. `now` is the
    /// caller's clock, used only to refuse schedules in the past.
    pub fn encode_send(&self, msg: &Message, now: Timestamp) -> Result<HttpRequest> {
        let request = match self {
            Account::Esms(a) => a.encode_send(msg, now),
            Account::CareSoft(a) => a.encode_send(msg, now),
            Account::InterIts(a) => a.encode_send(msg, now),
        }?;
        // Every form of the text the provider may echo is hidden from errors.
        Ok(msg
            .content
            .texts()
            .into_iter()
            .fold(request, |request, text| {
                request
                    .private_text(text)
                    .private_text(&crate::text::strip_diacritics(text))
            }))
    }

    /// Decodes the answer to a request [`Account::encode_send`] produced.
    pub fn decode_send(&self, response: &HttpResponse) -> Result<Receipt> {
        decode_send(self.provider(), response)
    }

    /// Whether a send of `message` carries a request id, so that one is generated when the
    /// caller gave none: eSMS and InterITS, except eSMS's generated codes, whose APIs have no
    /// such field (CareSoft has none either).
    pub fn wants_request_id(&self, message: &Message) -> bool {
        !matches!(self, Account::CareSoft(_))
            && !matches!(
                message.content,
                // A bulk ZNS derives its recipients' ids from the content when it has no base.
                crate::message::Content::GeneratedOtp(_) | crate::message::Content::ZnsBulk(_)
            )
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &crate::ids::BaseUrl {
        match self {
            Account::Esms(a) => &a.base_url,
            Account::CareSoft(a) => &a.base_url,
            Account::InterIts(a) => &a.base_url,
        }
    }

    /// Whether a send of `message` is split into batches ([`crate::send::plan_batches`]): eSMS
    /// advertising, whose requests carry at most 5000 recipients, and eSMS bulk ZNS (500).
    pub fn splits(&self, message: &Message) -> bool {
        matches!(self, Account::Esms(_))
            && (message.is_sms(crate::message::SmsPurpose::Advertising)
                || matches!(message.content, crate::message::Content::ZnsBulk(_)))
    }

    /// The eSMS account, for eSMS-only queries; otherwise an invalid-input error.
    pub fn esms(&self) -> Result<&esms::EsmsAccount> {
        match self {
            Account::Esms(a) => Ok(a),
            other => Err(crate::Error::InvalidInput {
                field: "account".into(),
                reason: format!("{} has no such query; it is an eSMS API", other.provider()),
            }),
        }
    }
}

impl Account {
    /// The InterITS account, for InterITS-only operations (a ZNS's message detail).
    pub fn interits(&self) -> Result<&interits::InterItsAccount> {
        match self {
            Account::InterIts(a) => Ok(a),
            other => Err(crate::Error::InvalidInput {
                field: "account".into(),
                reason: format!(
                    "{} has no such query; it is an InterITS API",
                    other.provider()
                ),
            }),
        }
    }
}

/// Decodes a send answer from `provider`.
pub fn decode_send(provider: Provider, response: &HttpResponse) -> Result<Receipt> {
    match provider {
        Provider::Esms => esms::decode_send(response),
        Provider::CareSoft => caresoft::decode_send(response),
        Provider::InterIts => interits::decode_send(response),
    }
}
