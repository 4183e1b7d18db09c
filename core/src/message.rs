//! The provider-neutral message every endpoint encodes: who receives it, its typed content, and
//! the options of one provider.
//!
//! The content is one of a few shapes ([`Content`]), each carrying only the fields that shape
//! has (an SMS has a purpose and a brandname, a Viber message one of four layouts), so "a Viber
//! button on an SMS" cannot be written at all. Provider-specific options are one tagged value
//! ([`ProviderOptions`]): options of another provider than the account's are refused in one
//! place, [`crate::Account::encode_send`], not in every encoder.

use std::collections::BTreeSet;

use crate::error::{Error, Provider, Result};
use crate::ids::{Brandname, HttpUrl, HttpsUrl, RequestId};
use crate::phone::PhoneNumber;
use crate::providers::caresoft::CareSoftOptions;
use crate::providers::esms::EsmsOptions;
use crate::providers::interits::InterItsOptions;
use crate::text::UnicodePolicy;
use crate::time::Timestamp;
use crate::zns::{Zns, ZnsAddress, ZnsBulk, ZnsParam};

/// What an SMS is for; it picks the endpoint and the provider's type code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmsPurpose {
    /// A one-time password (eSMS SmsType 2, InterITS type 2).
    Otp,
    /// Customer care / transactional (eSMS SmsType 2, InterITS type 0).
    CustomerCare,
    /// Advertising (eSMS SmsType 1 with 30..=5000 recipients, InterITS type 1).
    Advertising,
    /// eSMS's cheap fixed-number SMS without brandname (SmsType 8).
    FixedNumber,
}

/// An SMS: text, what it is for, and the brandname it is sent under.
// Debug is written by hand below: the text (an OTP) must not reach logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Sms {
    /// What the SMS is for.
    pub purpose: SmsPurpose,
    /// The text; never empty.
    pub text: String,
    /// The registered brandname (eSMS, InterITS). CareSoft's sender comes from its service;
    /// fixed-number SMS has none.
    pub sender: Option<Brandname>,
    /// What to do with text outside GSM-7.
    pub unicode: UnicodePolicy,
}

impl Sms {
    /// An SMS with no brandname and the `Auto` unicode policy.
    pub fn new(purpose: SmsPurpose, text: impl Into<String>) -> Self {
        Sms {
            purpose,
            text: text.into(),
            sender: None,
            unicode: UnicodePolicy::Auto,
        }
    }

    /// Sets the brandname.
    pub fn with_sender(mut self, sender: Brandname) -> Self {
        self.sender = Some(sender);
        self
    }
}

/// A Viber call-to-action button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViberButton {
    /// The caption (`OttLabel`): 1 to 30 characters.
    pub label: String,
    /// What it opens (`OttUrl`).
    pub url: HttpUrl,
}

impl ViberButton {
    /// Checks the caption.
    pub fn new(label: impl Into<String>, url: HttpUrl) -> Result<Self> {
        let label = label.into();
        if label.trim().is_empty() || label.chars().count() > 30 {
            return Err(Error::invalid(
                "viber.button.label",
                "must be 1 to 30 characters",
            ));
        }
        Ok(ViberButton { label, url })
    }
}

/// The four layouts eSMS allows for Viber; any other combination is refused (digest D-F3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViberLayout {
    /// Text only.
    Text(String),
    /// Text and a button.
    TextButton {
        /// The text.
        text: String,
        /// The button.
        button: ViberButton,
    },
    /// Text, an image and a button.
    TextImageButton {
        /// The text.
        text: String,
        /// The image (https).
        image: HttpsUrl,
        /// The button.
        button: ViberButton,
    },
    /// An image only.
    Image(HttpsUrl),
}

impl ViberLayout {
    /// Picks the layout from the parts, or says why the combination is not allowed.
    pub fn from_parts(
        text: &str,
        image: Option<HttpsUrl>,
        button: Option<ViberButton>,
    ) -> Result<Self> {
        let text = (!text.is_empty()).then(|| text.to_owned());
        match (text, image, button) {
            (Some(text), None, None) => Ok(ViberLayout::Text(text)),
            (Some(text), None, Some(button)) => Ok(ViberLayout::TextButton { text, button }),
            (Some(text), Some(image), Some(button)) => Ok(ViberLayout::TextImageButton { text, image, button }),
            (None, Some(image), None) => Ok(ViberLayout::Image(image)),
            (Some(_), Some(_), None) => Err(Error::invalid("viber", "text with an image needs a button (allowed: text; text+button; text+image+button; image)")),
            (None, _, Some(_)) => Err(Error::invalid("viber", "a button needs text (allowed: text; text+button; text+image+button; image)")),
            (None, None, None) => Err(Error::invalid("viber.text", "is empty and there is no image")),
        }
    }

    /// The text, if the layout has one.
    pub fn text(&self) -> Option<&str> {
        match self {
            ViberLayout::Text(text)
            | ViberLayout::TextButton { text, .. }
            | ViberLayout::TextImageButton { text, .. } => Some(text),
            ViberLayout::Image(_) => None,
        }
    }

    /// The same layout with its text replaced (after the unicode policy ran over it).
    pub(crate) fn with_text(&self, new_text: String) -> Self {
        match self.clone() {
            ViberLayout::Text(_) => ViberLayout::Text(new_text),
            ViberLayout::TextButton { button, .. } => ViberLayout::TextButton {
                text: new_text,
                button,
            },
            ViberLayout::TextImageButton { image, button, .. } => ViberLayout::TextImageButton {
                text: new_text,
                image,
                button,
            },
            image @ ViberLayout::Image(_) => image,
        }
    }
}

/// A Viber message (eSMS only): a layout and the brandname registered for Viber.
// Debug is written by hand below: the text must not reach logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Viber {
    /// Text, image and button, in one of the allowed layouts.
    pub layout: ViberLayout,
    /// The Viber brandname; required by eSMS.
    pub sender: Option<Brandname>,
    /// What to do with text outside GSM-7. Viber carries Unicode natively, so only the local
    /// policies (`strip`, `reject`) change anything; `force` is refused.
    pub unicode: UnicodePolicy,
}

/// What a message says, in one of the shapes the providers carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// An SMS.
    Sms(Sms),
    /// A Viber message.
    Viber(Viber),
    /// A Zalo ZNS template message.
    Zns(Zns),
    /// One ZNS template to every recipient, each with its own values (eSMS bulk).
    ZnsBulk(ZnsBulk),
    /// A ZNS first and, if Zalo cannot deliver it, an SMS (eSMS multi-channel).
    ZaloThenSms(ZaloThenSms),
    /// A one-time code eSMS generates and sends itself.
    GeneratedOtp(GeneratedOtp),
}

/// eSMS's multi-channel send (ZALO.md §2.8): the ZNS leg first; eSMS sends the SMS leg itself
/// when the ZNS fails. One send: nhantin never adds a fallback of its own (D-Z23).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZaloThenSms {
    /// The ZNS leg (its parameters are sent by position: the endpoint has no named form).
    pub zns: Zns,
    /// The SMS leg: customer care, with its brandname.
    pub sms: Sms,
}

/// A code eSMS generates, sends and later checks ([`crate::esms::decode_check_code`]); the
/// caller never sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedOtp {
    /// How it is sent.
    pub channel: OtpChannel,
    /// How long it stays valid, minutes (eSMS's default when unset: 5).
    pub time_alive_minutes: Option<u32>,
}

/// How a generated code travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OtpChannel {
    /// ZNS, then SMS with the same code (`SendMessageAutoGenCode_V5`), by the multi-channel
    /// template eSMS set up for the account.
    ZaloThenSms {
        /// `MultiChannelTempId`.
        template_id: String,
    },
    /// SMS (`SendMessageAutoGenCode_V4_get`).
    Sms {
        /// The customer-care brandname.
        sender: Brandname,
        /// The text, with `{OTP}` exactly once where the code goes.
        template: String,
        /// Characters of the code (eSMS's default: 6).
        code_length: Option<u32>,
        /// Digits only (`true`) or letters and digits (`false`); eSMS's default when unset.
        digits_only: Option<bool>,
    },
}

impl Content {
    /// Every text the content carries, so a request can hide each from errors.
    pub fn texts(&self) -> Vec<&str> {
        match self {
            Content::Sms(sms) => vec![sms.text.as_str()],
            Content::Viber(viber) => viber.layout.text().into_iter().collect(),
            Content::Zns(zns) => zns.values().collect(),
            Content::ZnsBulk(bulk) => bulk.values().collect(),
            Content::ZaloThenSms(both) => {
                let mut texts: Vec<&str> = both.zns.values().collect();
                texts.push(both.sms.text.as_str());
                texts
            }
            Content::GeneratedOtp(_) => Vec::new(),
        }
    }

    /// What the recipient would read, as tagged parts: the same parts mean the same content.
    /// Campaign journals and batch ids fingerprint a message by them.
    pub fn fingerprint_parts(&self) -> Vec<String> {
        let sender = |s: &Option<Brandname>| {
            s.as_ref()
                .map(|b| b.as_str().to_owned())
                .unwrap_or_default()
        };
        let unicode = |u: &UnicodePolicy| format!("{u:?}");
        match self {
            Content::Sms(sms) => vec![
                "sms".into(),
                format!("{:?}", sms.purpose),
                sms.text.clone(),
                sender(&sms.sender),
                unicode(&sms.unicode),
            ],
            Content::Viber(viber) => {
                let (image, button) = match &viber.layout {
                    ViberLayout::Text(_) => (None, None),
                    ViberLayout::TextButton { button, .. } => (None, Some(button)),
                    ViberLayout::TextImageButton { image, button, .. } => {
                        (Some(image), Some(button))
                    }
                    ViberLayout::Image(image) => (Some(image), None),
                };
                vec![
                    "viber".into(),
                    viber.layout.text().unwrap_or_default().to_owned(),
                    image.map(|i| i.as_str().to_owned()).unwrap_or_default(),
                    button.map(|b| b.label.clone()).unwrap_or_default(),
                    button
                        .map(|b| b.url.as_str().to_owned())
                        .unwrap_or_default(),
                    sender(&viber.sender),
                    unicode(&viber.unicode),
                ]
            }
            Content::Zns(zns) => {
                let mut parts = vec![
                    "zns".into(),
                    zns.oa_id
                        .as_ref()
                        .map(|o| o.as_str().to_owned())
                        .unwrap_or_default(),
                    zns.template_id.as_str().to_owned(),
                    match &zns.address {
                        ZnsAddress::Phone => "phone".to_owned(),
                        ZnsAddress::HashedPhone => "hashed_phone".to_owned(),
                        ZnsAddress::ZaloUser(id) => format!("zalo_user:{}", id.as_str()),
                    },
                    zns.journey_order_id.clone().unwrap_or_default(),
                    if zns.exceed_quota { "exceed_quota" } else { "" }.to_owned(),
                ];
                for ZnsParam { name, value } in &zns.params {
                    parts.push(name.clone());
                    parts.push(value.clone());
                }
                parts
            }
            Content::ZnsBulk(bulk) => {
                let mut parts = vec![
                    "zns_bulk".into(),
                    bulk.oa_id
                        .as_ref()
                        .map(|o| o.as_str().to_owned())
                        .unwrap_or_default(),
                    bulk.template_id.as_str().to_owned(),
                    if bulk.exceed_quota {
                        "exceed_quota"
                    } else {
                        ""
                    }
                    .to_owned(),
                ];
                for (i, params) in bulk.params.iter().enumerate() {
                    parts.push(format!("recipient {i}"));
                    for ZnsParam { name, value } in params {
                        parts.push(name.clone());
                        parts.push(value.clone());
                    }
                }
                parts
            }
            Content::ZaloThenSms(both) => {
                let mut parts = vec!["zalo_then_sms".to_owned()];
                parts.extend(Content::Zns(both.zns.clone()).fingerprint_parts());
                parts.extend(Content::Sms(both.sms.clone()).fingerprint_parts());
                parts
            }
            Content::GeneratedOtp(otp) => {
                let mut parts = vec![
                    "generated_otp".to_owned(),
                    otp.time_alive_minutes
                        .map(|m| m.to_string())
                        .unwrap_or_default(),
                ];
                match &otp.channel {
                    OtpChannel::ZaloThenSms { template_id } => {
                        parts.extend(["zalo_then_sms".to_owned(), template_id.clone()])
                    }
                    OtpChannel::Sms {
                        sender,
                        template,
                        code_length,
                        digits_only,
                    } => parts.extend([
                        "sms".to_owned(),
                        sender.as_str().to_owned(),
                        template.clone(),
                        format!("{code_length:?}"),
                        format!("{digits_only:?}"),
                    ]),
                }
                parts
            }
        }
    }

    /// The same content with another text (a campaign row's own text); an image-only Viber
    /// layout becomes text+image, which needs a button, so it is refused like any other layout.
    pub fn with_text(&self, new_text: String) -> Result<Content> {
        Ok(match self {
            Content::Sms(sms) => Content::Sms(Sms {
                text: new_text,
                ..sms.clone()
            }),
            Content::Viber(viber) => {
                let layout = match &viber.layout {
                    ViberLayout::Image(image) => {
                        ViberLayout::from_parts(&new_text, Some(image.clone()), None)?
                    }
                    other => other.with_text(new_text),
                };
                Content::Viber(Viber {
                    layout,
                    ..viber.clone()
                })
            }
            Content::Zns(_)
            | Content::ZnsBulk(_)
            | Content::ZaloThenSms(_)
            | Content::GeneratedOtp(_) => {
                return Err(Error::invalid(
                    "text",
                    "only an SMS or a Viber message takes its text from a campaign row",
                ))
            }
        })
    }

    /// What it is, in words, for logs ("OTP SMS", "Viber message"); never the text.
    pub fn label(&self) -> &'static str {
        match self {
            Content::Sms(sms) => match sms.purpose {
                SmsPurpose::Otp => "OTP SMS",
                SmsPurpose::CustomerCare => "customer-care SMS",
                SmsPurpose::Advertising => "advertising SMS",
                SmsPurpose::FixedNumber => "fixed-number SMS",
            },
            Content::Viber(_) => "Viber message",
            Content::Zns(zns) if zns.journey_order_id.is_some() => "journey ZNS",
            Content::Zns(_) => "Zalo ZNS",
            Content::ZnsBulk(_) => "personalised bulk ZNS",
            Content::ZaloThenSms(_) => "Zalo ZNS with SMS fallback",
            Content::GeneratedOtp(_) => "eSMS-generated OTP",
        }
    }

    /// The channel, as the CLI and reports name it (`sms`, `viber`, `zns`).
    pub fn channel(&self) -> &'static str {
        match self {
            Content::Sms(_) => "sms",
            Content::Viber(_) => "viber",
            Content::Zns(_) => "zns",
            Content::ZnsBulk(_) => "zns_bulk",
            Content::ZaloThenSms(_) => "zalo_then_sms",
            Content::GeneratedOtp(_) => "generated_otp",
        }
    }
}

/// Options only one provider has; at most one provider's per message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ProviderOptions {
    /// No provider-specific option.
    #[default]
    None,
    /// eSMS's options.
    Esms(EsmsOptions),
    /// CareSoft's options.
    CareSoft(CareSoftOptions),
    /// InterITS's options.
    InterIts(InterItsOptions),
}

impl ProviderOptions {
    /// Whose options these are.
    pub fn provider(&self) -> Option<Provider> {
        match self {
            ProviderOptions::None => None,
            ProviderOptions::Esms(_) => Some(Provider::Esms),
            ProviderOptions::CareSoft(_) => Some(Provider::CareSoft),
            ProviderOptions::InterIts(_) => Some(Provider::InterIts),
        }
    }

    /// The one refusal of another provider's options: they would be dropped silently.
    fn refuse_for(&self, account: Provider) -> Error {
        let (field, owner) = match self {
            ProviderOptions::Esms(_) => ("options.esms", Provider::Esms),
            ProviderOptions::CareSoft(_) => ("options.caresoft", Provider::CareSoft),
            ProviderOptions::InterIts(_) => ("options.interits", Provider::InterIts),
            ProviderOptions::None => ("options", account),
        };
        Error::invalid(
            field,
            format!("are {owner} options; this message is sent through {account}"),
        )
    }

    /// eSMS's options (the defaults when none are given).
    pub(crate) fn esms(&self) -> Result<EsmsOptions> {
        match self {
            ProviderOptions::None => Ok(EsmsOptions::default()),
            ProviderOptions::Esms(options) => Ok(options.clone()),
            other => Err(other.refuse_for(Provider::Esms)),
        }
    }

    /// CareSoft's options (the defaults when none are given).
    pub(crate) fn caresoft(&self) -> Result<CareSoftOptions> {
        match self {
            ProviderOptions::None => Ok(CareSoftOptions::default()),
            ProviderOptions::CareSoft(options) => Ok(options.clone()),
            other => Err(other.refuse_for(Provider::CareSoft)),
        }
    }

    /// InterITS's options (the defaults when none are given).
    pub(crate) fn interits(&self) -> Result<InterItsOptions> {
        match self {
            ProviderOptions::None => Ok(InterItsOptions::default()),
            ProviderOptions::InterIts(options) => Ok(options.clone()),
            other => Err(other.refuse_for(Provider::InterIts)),
        }
    }
}

/// One message to one or more recipients, before it is encoded for a provider.
///
/// Build it with [`Message::new`] and set the optional fields. Every encoder refuses, with
/// [`Error::InvalidInput`], a field its endpoint cannot carry (a CareSoft schedule, a callback URL
/// for InterITS, …): nothing is dropped silently.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Message {
    /// Who receives it; duplicates are refused (a duplicate would be a second message).
    pub recipients: Vec<PhoneNumber>,
    /// What it says.
    pub content: Content,
    /// When to deliver; must be after "now". `None` sends immediately.
    pub schedule: Option<Timestamp>,
    /// The idempotency key. eSMS and InterITS encoders require one (the transport generates it
    /// when the caller gives none).
    pub request_id: Option<RequestId>,
    /// Where eSMS sends the delivery report.
    pub callback_url: Option<HttpUrl>,
    /// eSMS test mode: validated, neither delivered nor charged.
    pub sandbox: bool,
    /// Options of the account's provider.
    pub options: ProviderOptions,
}

/// The texts as their length, encoding and segment count, never the characters.
fn describe_text(text: &str) -> String {
    let analysis = crate::text::analyze(text);
    format!(
        "<{} characters, {:?}, {} segment(s)>",
        analysis.characters, analysis.encoding, analysis.segments
    )
}

impl std::fmt::Debug for Sms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sms")
            .field("purpose", &self.purpose)
            .field("text", &format_args!("{}", describe_text(&self.text)))
            .field("sender", &self.sender)
            .field("unicode", &self.unicode)
            .finish()
    }
}

impl std::fmt::Debug for Viber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let layout = match &self.layout {
            ViberLayout::Text(_) => "text",
            ViberLayout::TextButton { .. } => "text+button",
            ViberLayout::TextImageButton { .. } => "text+image+button",
            ViberLayout::Image(_) => "image",
        };
        f.debug_struct("Viber")
            .field("layout", &layout)
            .field(
                "text",
                &format_args!("{}", describe_text(self.layout.text().unwrap_or_default())),
            )
            .field("sender", &self.sender)
            .field("unicode", &self.unicode)
            .finish()
    }
}

impl Message {
    /// A message with every optional field unset.
    pub fn new(recipients: Vec<PhoneNumber>, content: Content) -> Self {
        Message {
            recipients,
            content,
            schedule: None,
            request_id: None,
            callback_url: None,
            sandbox: false,
            options: ProviderOptions::None,
        }
    }

    /// An SMS with the `Auto` unicode policy.
    pub fn sms(
        purpose: SmsPurpose,
        recipients: Vec<PhoneNumber>,
        text: impl Into<String>,
        sender: Option<Brandname>,
    ) -> Self {
        let mut sms = Sms::new(purpose, text);
        sms.sender = sender;
        Message::new(recipients, Content::Sms(sms))
    }

    /// Sets the idempotency key.
    pub fn with_request_id(mut self, id: RequestId) -> Self {
        self.request_id = Some(id);
        self
    }

    /// The SMS, if this message is one.
    pub fn as_sms(&self) -> Option<&Sms> {
        match &self.content {
            Content::Sms(sms) => Some(sms),
            _ => None,
        }
    }

    /// Whether this is an SMS for `purpose`.
    pub fn is_sms(&self, purpose: SmsPurpose) -> bool {
        self.as_sms().is_some_and(|sms| sms.purpose == purpose)
    }

    /// Checks what every provider checks: recipients present and distinct, a schedule in the
    /// future, an SMS text present (Viber's layouts are checked when they are built).
    pub(crate) fn check_common(&self, now: Timestamp) -> Result<()> {
        let to_zalo_user = matches!(
            &self.content,
            Content::Zns(Zns {
                address: ZnsAddress::ZaloUser(_),
                ..
            })
        );
        if self.recipients.is_empty() && !to_zalo_user {
            return Err(Error::invalid("recipients", "is empty"));
        }
        let mut seen = BTreeSet::new();
        for (i, phone) in self.recipients.iter().enumerate() {
            if !seen.insert(phone) {
                return Err(Error::invalid(
                    format!("recipients[{i}]"),
                    format!(
                        "{} is listed twice; it would receive the message twice",
                        phone.masked()
                    ),
                ));
            }
        }
        if let Some(at) = self.schedule {
            if at <= now {
                return Err(Error::invalid(
                    "schedule",
                    format!("{at} is not after now ({now})"),
                ));
            }
        }
        if let Content::Sms(sms) = &self.content {
            if sms.text.is_empty() {
                return Err(Error::invalid("sms.text", "is empty"));
            }
        }
        Ok(())
    }

    /// The request id, or an error saying it is required for this provider.
    pub(crate) fn required_request_id(&self, provider: &str) -> Result<&RequestId> {
        self.request_id
            .as_ref()
            .ok_or_else(|| Error::invalid("request_id", format!("is required for {provider}: it is the idempotency key that makes a resend safe")))
    }

    /// Refuses a field set on a message sent through a provider that cannot carry it.
    pub(crate) fn refuse_if<T>(field: &str, value: &Option<T>, why: &str) -> Result<()> {
        match value {
            Some(_) => Err(Error::invalid(field, why.to_owned())),
            None => Ok(()),
        }
    }
}
