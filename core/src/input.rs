//! The JSON forms of accounts and messages, as the shared wire vectors, the CLI and the C ABI
//! spell them (`tests/vectors/README.md` documents them). Raw strings come in; validated values
//! come out, or an [`Error::InvalidInput`] naming the field.

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::ids::{BaseUrl, Brandname, HttpUrl, HttpsUrl, RequestId, Secret};
use crate::message::{Message, MessageKind, ViberButton};
use crate::phone::{PhoneFormat, PhoneNumber};
use crate::providers::caresoft::{self, CareSoftAccount, CareSoftDomain, CareSoftOptions};
use crate::providers::esms::{self, EsmsAccount, EsmsFormat, EsmsOptions};
use crate::providers::interits::{self, InterItsAccount, InterItsOptions};
use crate::providers::Account;
use crate::text::UnicodePolicy;
use crate::time::Timestamp;

/// An account as JSON: `{"provider":"esms","api_key":…,"secret_key":…}`,
/// `{"provider":"caresoft","domain":…,"api_token":…,"service_id":12}`,
/// `{"provider":"interits","api_key":…,"phone_format":"national"}`; each takes `base_url`.
// Debug is written by hand below: a derived one would print the keys.
#[derive(Clone, Deserialize)]
#[serde(tag = "provider", rename_all = "lowercase", deny_unknown_fields)]
pub enum AccountInput {
    /// eSMS.
    Esms {
        /// `ApiKey`.
        api_key: String,
        /// `SecretKey`.
        secret_key: String,
        /// Overrides the production base URL.
        #[serde(default)]
        base_url: Option<String>,
    },
    /// CareSoft.
    #[serde(rename = "caresoft")]
    CareSoft {
        /// Tenant slug.
        domain: String,
        /// Bearer token.
        api_token: String,
        /// SMS service id.
        service_id: u64,
        /// Overrides the production base URL.
        #[serde(default)]
        base_url: Option<String>,
    },
    /// InterITS.
    #[serde(rename = "interits")]
    InterIts {
        /// `API-KEY`.
        api_key: String,
        /// How destinations are written.
        #[serde(default)]
        phone_format: PhoneFormat,
        /// True only when InterITS confirmed that it de-duplicates by `requestId`.
        #[serde(default)]
        dedup_confirmed: bool,
        /// Overrides the production base URL.
        #[serde(default)]
        base_url: Option<String>,
    },
}

/// Prints which account it is, never a key or token (`***`).
impl std::fmt::Debug for AccountInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AccountInput::Esms { base_url, .. } => f
                .debug_struct("Esms")
                .field("api_key", &"***")
                .field("secret_key", &"***")
                .field("base_url", base_url)
                .finish(),
            AccountInput::CareSoft {
                domain,
                service_id,
                base_url,
                ..
            } => f
                .debug_struct("CareSoft")
                .field("domain", domain)
                .field("api_token", &"***")
                .field("service_id", service_id)
                .field("base_url", base_url)
                .finish(),
            AccountInput::InterIts {
                phone_format,
                dedup_confirmed,
                base_url,
                ..
            } => f
                .debug_struct("InterIts")
                .field("api_key", &"***")
                .field("phone_format", phone_format)
                .field("dedup_confirmed", dedup_confirmed)
                .field("base_url", base_url)
                .finish(),
        }
    }
}

impl AccountInput {
    /// Parses the JSON form; a malformed document is an [`Error::InvalidInput`] on `account`.
    pub fn from_json(json: &str) -> Result<Self> {
        serde_json::from_str(json)
            .map_err(|e| Error::invalid("account", crate::wire::json_error_reason(&e)))
    }

    /// Validates every value.
    pub fn validate(self) -> Result<Account> {
        let base = |given: Option<String>, default: &str| {
            BaseUrl::new(given.unwrap_or_else(|| default.to_owned()))
        };
        Ok(match self {
            AccountInput::Esms {
                api_key,
                secret_key,
                base_url,
            } => Account::Esms(EsmsAccount {
                api_key: Secret::new("api_key", api_key)?,
                secret_key: Secret::new("secret_key", secret_key)?,
                base_url: base(base_url, esms::DEFAULT_BASE_URL)?,
            }),
            AccountInput::CareSoft {
                domain,
                api_token,
                service_id,
                base_url,
            } => Account::CareSoft(CareSoftAccount {
                domain: CareSoftDomain::new(domain)?,
                api_token: Secret::new("api_token", api_token)?,
                service_id,
                base_url: base(base_url, caresoft::DEFAULT_BASE_URL)?,
            }),
            AccountInput::InterIts {
                api_key,
                phone_format,
                dedup_confirmed,
                base_url,
            } => Account::InterIts(InterItsAccount {
                api_key: Secret::new("api_key", api_key)?,
                base_url: base(base_url, interits::DEFAULT_BASE_URL)?,
                phone_format,
                dedup_confirmed,
            }),
        })
    }
}

/// A message as JSON. Only `kind`, `recipients` and `text` are required.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageInput {
    /// `otp`, `customer_care`, `advertising`, `fixed_number` or `viber`.
    pub kind: Option<MessageKind>,
    /// Phone numbers in any accepted written form.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// The text.
    #[serde(default)]
    pub text: String,
    /// Brandname.
    pub sender: Option<String>,
    /// RFC 3339 instant.
    pub schedule: Option<String>,
    /// Idempotency key.
    pub request_id: Option<String>,
    /// Delivery-report URL.
    pub callback_url: Option<String>,
    /// `auto` (default), `force`, `strip` or `reject`.
    #[serde(default)]
    pub unicode: UnicodePolicy,
    /// eSMS test mode.
    #[serde(default)]
    pub sandbox: bool,
    /// Viber image and button.
    #[serde(default)]
    pub viber: ViberInput,
    /// eSMS options.
    #[serde(default)]
    pub esms: EsmsInput,
    /// CareSoft options.
    #[serde(default)]
    pub caresoft: CareSoftInput,
    /// InterITS options.
    #[serde(default)]
    pub interits: InterItsInput,
}

/// Viber parts as JSON.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViberInput {
    /// https image URL.
    pub image_url: Option<String>,
    /// Button caption.
    pub button_label: Option<String>,
    /// Button target.
    pub button_url: Option<String>,
}

/// eSMS options as JSON.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EsmsInput {
    /// `json` (default), `xml` or `get`.
    #[serde(default)]
    pub format: EsmsFormat,
    /// `campaignid`.
    pub campaign_id: Option<String>,
}

/// CareSoft options as JSON.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CareSoftInput {
    /// `ticket_id`.
    pub ticket_id: Option<u64>,
}

/// InterITS options as JSON.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterItsInput {
    /// `useUnicode: 2`.
    #[serde(default)]
    pub server_side_conversion: bool,
    /// `ext`.
    pub ext: Option<serde_json::Map<String, serde_json::Value>>,
}

impl MessageInput {
    /// Parses the JSON form; a malformed document is an [`Error::InvalidInput`] on `message`.
    pub fn from_json(json: &str) -> Result<Self> {
        serde_json::from_str(json)
            .map_err(|e| Error::invalid("message", crate::wire::json_error_reason(&e)))
    }

    /// Validates every value into a [`Message`].
    pub fn validate(self) -> Result<Message> {
        let kind = self
            .kind
            .ok_or_else(|| Error::invalid("kind", "is missing"))?;
        let recipients = self
            .recipients
            .iter()
            .enumerate()
            .map(|(i, r)| PhoneNumber::parse(&format!("recipients[{i}]"), r))
            .collect::<Result<Vec<_>>>()?;
        let mut msg = Message::new(kind, recipients, self.text);
        msg.sender = self.sender.map(Brandname::new).transpose()?;
        msg.schedule = self
            .schedule
            .map(|s| Timestamp::parse_rfc3339("schedule", &s))
            .transpose()?;
        msg.request_id = self.request_id.map(RequestId::new).transpose()?;
        msg.callback_url = self
            .callback_url
            .map(|u| HttpUrl::new("callback_url", u))
            .transpose()?;
        msg.unicode = self.unicode;
        msg.sandbox = self.sandbox;
        msg.viber_image = self
            .viber
            .image_url
            .map(|u| HttpsUrl::new("viber.image_url", u))
            .transpose()?;
        msg.viber_button = match (self.viber.button_label, self.viber.button_url) {
            (Some(label), Some(url)) => Some(ViberButton {
                label,
                url: HttpUrl::new("viber.button_url", url)?,
            }),
            (None, None) => None,
            (Some(_), None) => {
                return Err(Error::invalid("viber.button_url", "a button needs a URL"))
            }
            (None, Some(_)) => {
                return Err(Error::invalid(
                    "viber.button_label",
                    "a button needs a label",
                ))
            }
        };
        msg.esms = EsmsOptions {
            format: self.esms.format,
            campaign_id: self.esms.campaign_id,
        };
        msg.caresoft = CareSoftOptions {
            ticket_id: self.caresoft.ticket_id,
        };
        msg.interits = InterItsOptions {
            server_side_conversion: self.interits.server_side_conversion,
            ext: self.interits.ext,
        };
        Ok(msg)
    }
}
