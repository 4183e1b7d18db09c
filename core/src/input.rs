//! The JSON forms of accounts and messages, as the shared wire vectors, the CLI and the C ABI
//! spell them (`tests/vectors/README.md` documents them). Raw strings come in; validated values
//! come out, or an [`Error::InvalidInput`] naming the field.

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::ids::{BaseUrl, Brandname, HttpUrl, HttpsUrl, RequestId, Secret};
use crate::message::{
    Content, GeneratedOtp, Message, OtpChannel, ProviderOptions, Sms, SmsPurpose, Viber,
    ViberButton, ViberLayout, ZaloThenSms,
};
use crate::phone::{PhoneFormat, PhoneNumber};
use crate::providers::caresoft::{self, CareSoftAccount, CareSoftDomain, CareSoftOptions};
use crate::providers::esms::{self, EsmsAccount, EsmsFormat, EsmsOptions, EsmsZnsVersion};
use crate::providers::interits::{self, InterItsAccount, InterItsOptions};
use crate::providers::Account;
use crate::text::UnicodePolicy;
use crate::time::Timestamp;
use crate::zns::{
    check_params, OaId, ZaloUserId, Zns, ZnsAddress, ZnsBulk, ZnsParam, ZnsTemplateId,
};

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

/// A message as JSON: `{"recipients": […], "content": {"sms": {…}} | {"viber": {…}}, …,
/// "options": {"esms": {…}} | {"caresoft": {…}} | {"interits": {…}}}`. Only `recipients` and
/// `content` are required; `tests/vectors/README.md` documents every field.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageInput {
    /// Phone numbers in any accepted written form.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// What the message says.
    pub content: ContentInput,
    /// RFC 3339 instant.
    #[serde(default)]
    pub schedule: Option<String>,
    /// Idempotency key.
    #[serde(default)]
    pub request_id: Option<String>,
    /// Delivery-report URL.
    #[serde(default)]
    pub callback_url: Option<String>,
    /// eSMS test mode.
    #[serde(default)]
    pub sandbox: bool,
    /// The options of one provider.
    #[serde(default)]
    pub options: Option<OptionsInput>,
}

/// The content as JSON, tagged by its shape: `{"sms": {…}}`, `{"viber": {…}}` or
/// `{"zns": {…}}`. Each variant names its one field after the tag, so the bindings get typed
/// constructors (`Content.SMS(sms=…)`); the JSON has no such extra level (see the
/// `Deserialize` below).
#[derive(Debug, Clone, PartialEq)]
pub enum ContentInput {
    /// An SMS.
    Sms {
        /// The SMS.
        sms: SmsInput,
    },
    /// A Viber message.
    Viber {
        /// The Viber message.
        viber: ViberInput,
    },
    /// A Zalo ZNS.
    Zns {
        /// The ZNS.
        zns: ZnsInput,
    },
    /// One ZNS template to every recipient, each with its own values (eSMS bulk).
    ZnsBulk {
        /// The template and the values.
        zns_bulk: ZnsBulkInput,
    },
    /// A ZNS, then an SMS if Zalo cannot deliver it (eSMS).
    ZaloThenSms {
        /// The two legs.
        zalo_then_sms: ZaloThenSmsInput,
    },
    /// A code eSMS generates and sends (eSMS).
    GeneratedOtp {
        /// How.
        generated_otp: GeneratedOtpInput,
    },
}

/// A bulk ZNS as JSON: `{"oa_id", "template_id", "params": [[{"name", "value"}, …], …],
/// "exceed_quota"}`, one parameter list per recipient in the order of `recipients`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZnsBulkInput {
    /// The OA id.
    #[serde(default)]
    pub oa_id: Option<String>,
    /// The template id.
    pub template_id: String,
    /// One list per recipient.
    pub params: Vec<Vec<ZnsParamInput>>,
    /// Send beyond the OA's daily quota (`SendingMode` 3).
    #[serde(default)]
    pub exceed_quota: bool,
}

/// A multi-channel send as JSON: `{"zns": {…}, "sms": {…}}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZaloThenSmsInput {
    /// The ZNS leg.
    pub zns: ZnsInput,
    /// The SMS leg.
    pub sms: SmsInput,
}

/// A generated code as JSON: `{"channel": {"zalo_then_sms": {"template_id"}} | {"sms":
/// {"sender", "template", "code_length", "digits_only"}}, "time_alive_minutes"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneratedOtpInput {
    /// How it is sent.
    pub channel: OtpChannelInput,
    /// Minutes it stays valid, 2 to 10.
    #[serde(default)]
    pub time_alive_minutes: Option<u32>,
}

/// How a generated code travels, tagged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OtpChannelInput {
    /// ZNS then SMS, by the account's multi-channel template.
    ZaloThenSms {
        /// The template.
        zalo_then_sms: OtpMultiChannelInput,
    },
    /// SMS.
    Sms {
        /// The SMS.
        sms: OtpSmsInput,
    },
}

impl<'de> Deserialize<'de> for OtpChannelInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum Tagged {
            ZaloThenSms(OtpMultiChannelInput),
            Sms(OtpSmsInput),
        }
        Ok(match Tagged::deserialize(d)? {
            Tagged::ZaloThenSms(zalo_then_sms) => OtpChannelInput::ZaloThenSms { zalo_then_sms },
            Tagged::Sms(sms) => OtpChannelInput::Sms { sms },
        })
    }
}

/// The multi-channel template of a generated code.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtpMultiChannelInput {
    /// `MultiChannelTempId`, digits.
    pub template_id: String,
}

/// The SMS of a generated code.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtpSmsInput {
    /// Customer-care brandname.
    pub sender: String,
    /// The text with `{OTP}` exactly once.
    pub template: String,
    /// Characters of the code, 4 to 10.
    #[serde(default)]
    pub code_length: Option<u32>,
    /// Digits only.
    #[serde(default)]
    pub digits_only: Option<bool>,
}

impl<'de> Deserialize<'de> for ContentInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum Tagged {
            Sms(SmsInput),
            Viber(ViberInput),
            Zns(ZnsInput),
            ZnsBulk(ZnsBulkInput),
            ZaloThenSms(ZaloThenSmsInput),
            GeneratedOtp(GeneratedOtpInput),
        }
        Ok(match Tagged::deserialize(d)? {
            Tagged::Sms(sms) => ContentInput::Sms { sms },
            Tagged::Viber(viber) => ContentInput::Viber { viber },
            Tagged::Zns(zns) => ContentInput::Zns { zns },
            Tagged::ZnsBulk(zns_bulk) => ContentInput::ZnsBulk { zns_bulk },
            Tagged::ZaloThenSms(zalo_then_sms) => ContentInput::ZaloThenSms { zalo_then_sms },
            Tagged::GeneratedOtp(generated_otp) => ContentInput::GeneratedOtp { generated_otp },
        })
    }
}

/// A ZNS as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZnsInput {
    /// The OA id (eSMS, InterITS).
    #[serde(default)]
    pub oa_id: Option<String>,
    /// The template id (CareSoft: the script id).
    pub template_id: String,
    /// The parameter values, in the template's order.
    #[serde(default)]
    pub params: Vec<ZnsParamInput>,
    /// Send to this Zalo user id instead of a phone (eSMS; no recipients then).
    #[serde(default)]
    pub zalo_user_id: Option<String>,
    /// Send the recipient's phone as its SHA-256 (eSMS).
    #[serde(default)]
    pub hash_phone: bool,
    /// Journey ZNS: the order the journey follows (eSMS).
    #[serde(default)]
    pub journey_order_id: Option<String>,
    /// Send beyond the OA's daily quota (eSMS `SendingMode` 3).
    #[serde(default)]
    pub exceed_quota: bool,
}

/// One ZNS parameter as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZnsParamInput {
    /// The template variable name.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// An SMS as JSON.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsInput {
    /// `otp`, `customer_care`, `advertising` or `fixed_number`.
    pub purpose: SmsPurpose,
    /// The text.
    pub text: String,
    /// Brandname.
    #[serde(default)]
    pub sender: Option<String>,
    /// `auto` (default), `force`, `strip` or `reject`.
    #[serde(default)]
    pub unicode: Option<UnicodePolicy>,
}

/// A Viber message as JSON.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViberInput {
    /// The text (empty for an image-only message).
    #[serde(default)]
    pub text: String,
    /// https image URL.
    #[serde(default)]
    pub image_url: Option<String>,
    /// Call-to-action button.
    #[serde(default)]
    pub button: Option<ViberButtonInput>,
    /// Viber brandname.
    #[serde(default)]
    pub sender: Option<String>,
    /// `auto` (default), `strip` or `reject`.
    #[serde(default)]
    pub unicode: Option<UnicodePolicy>,
}

/// A Viber button as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViberButtonInput {
    /// Caption.
    pub label: String,
    /// Target URL.
    pub url: String,
}

/// Provider options as JSON, tagged by the provider: `{"esms": {…}}`, `{"caresoft": {…}}` or
/// `{"interits": {…}}` (named fields for the bindings, as [`ContentInput`]).
#[derive(Debug, Clone, PartialEq)]
pub enum OptionsInput {
    /// eSMS options.
    Esms {
        /// The options.
        esms: EsmsOptionsInput,
    },
    /// CareSoft options.
    CareSoft {
        /// The options.
        caresoft: CareSoftOptionsInput,
    },
    /// InterITS options.
    InterIts {
        /// The options.
        interits: InterItsOptionsInput,
    },
}

impl<'de> Deserialize<'de> for OptionsInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "lowercase")]
        enum Tagged {
            Esms(EsmsOptionsInput),
            #[serde(rename = "caresoft")]
            CareSoft(CareSoftOptionsInput),
            #[serde(rename = "interits")]
            InterIts(InterItsOptionsInput),
        }
        Ok(match Tagged::deserialize(d)? {
            Tagged::Esms(esms) => OptionsInput::Esms { esms },
            Tagged::CareSoft(caresoft) => OptionsInput::CareSoft { caresoft },
            Tagged::InterIts(interits) => OptionsInput::InterIts { interits },
        })
    }
}

/// eSMS options as JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EsmsOptionsInput {
    /// `json` (default), `xml` or `get`.
    #[serde(default)]
    pub format: Option<EsmsFormat>,
    /// `campaignid`.
    #[serde(default)]
    pub campaign_id: Option<String>,
    /// Which ZNS endpoint: `v6` (the default), `v5` or `v4`.
    #[serde(default)]
    pub zns_version: Option<EsmsZnsVersion>,
}

/// CareSoft options as JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CareSoftOptionsInput {
    /// `ticket_id`.
    #[serde(default)]
    pub ticket_id: Option<u64>,
}

/// InterITS options as JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterItsOptionsInput {
    /// `useUnicode: 2`.
    #[serde(default)]
    pub server_side_conversion: bool,
    /// `ext`: a JSON object, given as an object or as its text.
    #[serde(default, deserialize_with = "json_object_text")]
    pub ext: Option<String>,
}

/// `ext` arrives as a JSON object in the JSON form and as its text from the bindings (a record
/// field cannot hold arbitrary JSON); both become the text, checked when validated.
fn json_object_text<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<String>, D::Error> {
    let value: Option<serde_json::Value> = Option::deserialize(deserializer)?;
    Ok(match value {
        None => None,
        Some(serde_json::Value::String(text)) => Some(text),
        Some(other) => Some(other.to_string()),
    })
}

impl MessageInput {
    /// Parses the JSON form; a malformed document is an [`Error::InvalidInput`] on `message`.
    pub fn from_json(json: &str) -> Result<Self> {
        serde_json::from_str(json)
            .map_err(|e| Error::invalid("message", crate::wire::json_error_reason(&e)))
    }

    /// Validates every value into a [`Message`].
    pub fn validate(self) -> Result<Message> {
        let recipients = self
            .recipients
            .iter()
            .enumerate()
            .map(|(i, r)| PhoneNumber::parse(&format!("recipients[{i}]"), r))
            .collect::<Result<Vec<_>>>()?;
        let content = self.content.validate()?;
        let mut msg = Message::new(recipients, content);
        msg.schedule = self
            .schedule
            .map(|s| Timestamp::parse_rfc3339("schedule", &s))
            .transpose()?;
        msg.request_id = self.request_id.map(RequestId::new).transpose()?;
        msg.callback_url = self
            .callback_url
            .map(|u| HttpUrl::new("callback_url", u))
            .transpose()?;
        msg.sandbox = self.sandbox;
        msg.options = match self.options {
            None => ProviderOptions::None,
            Some(options) => options.validate()?,
        };
        Ok(msg)
    }
}

impl ContentInput {
    /// Validates the content.
    pub fn validate(self) -> Result<Content> {
        let sender = |field: &str, s: Option<String>| {
            s.map(|s| Brandname::new(s).map_err(|e| e.in_field(field)))
                .transpose()
        };
        Ok(match self {
            ContentInput::Sms { sms } => Content::Sms(Sms {
                purpose: sms.purpose,
                text: sms.text,
                sender: sender("sms.sender", sms.sender)?,
                unicode: sms.unicode.unwrap_or_default(),
            }),
            ContentInput::Viber { viber } => {
                let image = viber
                    .image_url
                    .map(|u| HttpsUrl::new("viber.image_url", u))
                    .transpose()?;
                let button = viber
                    .button
                    .map(|b| ViberButton::new(b.label, HttpUrl::new("viber.button.url", b.url)?))
                    .transpose()?;
                Content::Viber(Viber {
                    layout: ViberLayout::from_parts(&viber.text, image, button)?,
                    sender: sender("viber.sender", viber.sender)?,
                    unicode: viber.unicode.unwrap_or_default(),
                })
            }
            ContentInput::Zns { zns } => Content::Zns(zns.validate("zns")?),
            ContentInput::ZnsBulk { zns_bulk } => Content::ZnsBulk(ZnsBulk {
                oa_id: zns_bulk
                    .oa_id
                    .map(OaId::new)
                    .transpose()
                    .map_err(|e| e.prefixed_from("zns", "zns_bulk"))?,
                template_id: ZnsTemplateId::new(zns_bulk.template_id)
                    .map_err(|e| e.prefixed_from("zns", "zns_bulk"))?,
                params: zns_bulk
                    .params
                    .into_iter()
                    .map(|list| {
                        list.into_iter()
                            .map(|p| ZnsParam {
                                name: p.name,
                                value: p.value,
                            })
                            .collect()
                    })
                    .collect(),
                exceed_quota: zns_bulk.exceed_quota,
            }),
            ContentInput::ZaloThenSms { zalo_then_sms } => {
                let Content::Sms(sms) = (ContentInput::Sms {
                    sms: zalo_then_sms.sms,
                })
                .validate()
                .map_err(|e| e.prefixed("zalo_then_sms."))?
                else {
                    unreachable!("an SMS input validates to an SMS")
                };
                Content::ZaloThenSms(ZaloThenSms {
                    zns: zalo_then_sms.zns.validate("zalo_then_sms.zns")?,
                    sms,
                })
            }
            ContentInput::GeneratedOtp { generated_otp } => {
                Content::GeneratedOtp(generated_otp.validate()?)
            }
        })
    }
}

impl ZnsInput {
    /// Validates a ZNS; errors name fields under `prefix` (`zns`, `zalo_then_sms.zns`).
    pub fn validate(self, prefix: &str) -> Result<Zns> {
        let zns = self;
        let within = |e: Error| {
            if prefix == "zns" {
                e
            } else {
                e.prefixed_from("zns", prefix)
            }
        };
        (|| -> Result<Zns> {
            let address = match (zns.zalo_user_id, zns.hash_phone) {
                (Some(_), true) => {
                    return Err(Error::invalid(
                        "zns.hash_phone",
                        "a ZNS goes to a Zalo user id or to a (hashed) phone, not both",
                    ))
                }
                (Some(id), false) => ZnsAddress::ZaloUser(ZaloUserId::new(id)?),
                (None, true) => ZnsAddress::HashedPhone,
                (None, false) => ZnsAddress::Phone,
            };
            Ok(Zns {
                oa_id: zns.oa_id.map(OaId::new).transpose()?,
                template_id: ZnsTemplateId::new(zns.template_id)?,
                params: check_params(
                    zns.params
                        .into_iter()
                        .map(|p| ZnsParam {
                            name: p.name,
                            value: p.value,
                        })
                        .collect(),
                )?,
                address,
                journey_order_id: zns.journey_order_id,
                exceed_quota: zns.exceed_quota,
            })
        })()
        .map_err(within)
    }
}

impl GeneratedOtpInput {
    /// Validates the code's channel and lifetime (D-Z26, D-Z27).
    pub fn validate(self) -> Result<GeneratedOtp> {
        if let Some(m) = self.time_alive_minutes {
            if !crate::esms::OTP_TIME_ALIVE_MINUTES.contains(&m) {
                return Err(Error::invalid(
                    "generated_otp.time_alive_minutes",
                    "must be 2 to 10 minutes (the bounds both eSMS pages allow)",
                ));
            }
        }
        let channel = match self.channel {
            OtpChannelInput::ZaloThenSms { zalo_then_sms } => {
                let id = zalo_then_sms.template_id;
                if id.is_empty() || id.len() > 20 || !id.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(Error::invalid(
                        "generated_otp.channel.zalo_then_sms.template_id",
                        "must be 1 to 20 digits (the MultiChannelTempId eSMS gave)",
                    ));
                }
                OtpChannel::ZaloThenSms { template_id: id }
            }
            OtpChannelInput::Sms { sms } => {
                if sms.template.matches("{OTP}").count() != 1 {
                    return Err(Error::invalid(
                        "generated_otp.channel.sms.template",
                        "must contain {OTP} exactly once, where eSMS puts the code",
                    ));
                }
                if let Some(bad) = sms.template.chars().find(|c| c.is_control()) {
                    return Err(Error::invalid(
                        "generated_otp.channel.sms.template",
                        format!("contains the control character U+{:04X}", bad as u32),
                    ));
                }
                if let Some(n) = sms.code_length {
                    if !crate::esms::OTP_CODE_LENGTH.contains(&n) {
                        return Err(Error::invalid(
                            "generated_otp.channel.sms.code_length",
                            "must be 4 to 10 characters",
                        ));
                    }
                }
                OtpChannel::Sms {
                    sender: Brandname::new(sms.sender)
                        .map_err(|e| e.in_field("generated_otp.channel.sms.sender"))?,
                    template: sms.template,
                    code_length: sms.code_length,
                    digits_only: sms.digits_only,
                }
            }
        };
        Ok(GeneratedOtp {
            channel,
            time_alive_minutes: self.time_alive_minutes,
        })
    }
}

impl OptionsInput {
    /// Validates the options.
    pub fn validate(self) -> Result<ProviderOptions> {
        Ok(match self {
            OptionsInput::Esms { esms } => ProviderOptions::Esms(EsmsOptions {
                format: esms.format.unwrap_or_default(),
                campaign_id: esms.campaign_id,
                zns_version: esms.zns_version,
            }),
            OptionsInput::CareSoft { caresoft } => ProviderOptions::CareSoft(CareSoftOptions {
                ticket_id: caresoft.ticket_id,
            }),
            OptionsInput::InterIts { interits } => ProviderOptions::InterIts(InterItsOptions {
                server_side_conversion: interits.server_side_conversion,
                ext: interits
                    .ext
                    .map(|text| {
                        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&text)
                            .map_err(|_| {
                                Error::invalid("options.interits.ext", "must be a JSON object")
                            })
                    })
                    .transpose()?,
            }),
        })
    }
}
