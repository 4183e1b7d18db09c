//! The provider-neutral message every endpoint encodes.

use std::collections::BTreeSet;

use crate::error::{Error, Result};
use crate::ids::{Brandname, HttpUrl, HttpsUrl, RequestId};
use crate::phone::PhoneNumber;
use crate::providers::caresoft::CareSoftOptions;
use crate::providers::esms::EsmsOptions;
use crate::providers::interits::InterItsOptions;
use crate::text::UnicodePolicy;
use crate::time::Timestamp;

/// What a message is for; it picks the endpoint and the provider's type code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// A one-time password (eSMS SmsType 2, InterITS type 2).
    Otp,
    /// Customer care / transactional (eSMS SmsType 2, InterITS type 0).
    CustomerCare,
    /// Advertising (eSMS SmsType 1 with 30..=5000 recipients, InterITS type 1).
    Advertising,
    /// eSMS's cheap fixed-number SMS without brandname (SmsType 8).
    FixedNumber,
    /// Viber OTT through eSMS (SmsType 23).
    Viber,
}

/// A Viber call-to-action button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViberButton {
    /// The caption (`OttLabel`).
    pub label: String,
    /// What it opens (`OttUrl`).
    pub url: HttpUrl,
}

/// The four content shapes eSMS allows for Viber; any other combination is refused (digest D-F3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViberContent {
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

impl ViberContent {
    /// Picks the shape from the parts, or says why the combination is not allowed.
    pub fn from_parts(
        text: &str,
        image: Option<&HttpsUrl>,
        button: Option<&ViberButton>,
    ) -> Result<Self> {
        let text = (!text.is_empty()).then(|| text.to_owned());
        match (text, image.cloned(), button.cloned()) {
            (Some(text), None, None) => Ok(ViberContent::Text(text)),
            (Some(text), None, Some(button)) => Ok(ViberContent::TextButton { text, button }),
            (Some(text), Some(image), Some(button)) => Ok(ViberContent::TextImageButton { text, image, button }),
            (None, Some(image), None) => Ok(ViberContent::Image(image)),
            (Some(_), Some(_), None) => Err(Error::invalid("viber", "text with an image needs a button (allowed: text; text+button; text+image+button; image)")),
            (None, _, Some(_)) => Err(Error::invalid("viber", "a button needs text (allowed: text; text+button; text+image+button; image)")),
            (None, None, None) => Err(Error::invalid("text", "is empty and there is no image")),
        }
    }
}

/// One message to one or more recipients, before it is encoded for a provider.
///
/// Build it with [`Message::new`] and set the optional fields. Every encoder refuses, with
/// [`Error::InvalidInput`], a field its endpoint cannot carry (a CareSoft schedule, a callback URL
/// for InterITS, …): nothing is dropped silently.
// Debug is written by hand below: the text (an OTP) must not reach logs.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct Message {
    /// What the message is for.
    pub kind: MessageKind,
    /// Who receives it; duplicates are refused (a duplicate would be a second message).
    pub recipients: Vec<PhoneNumber>,
    /// The text; may be empty only for an image-only Viber message.
    pub text: String,
    /// The registered brandname (eSMS, InterITS). CareSoft's sender comes from its service.
    pub sender: Option<Brandname>,
    /// When to deliver; must be after "now". `None` sends immediately.
    pub schedule: Option<Timestamp>,
    /// The idempotency key. eSMS and InterITS encoders require one (the transport generates it
    /// when the caller gives none).
    pub request_id: Option<RequestId>,
    /// Where eSMS sends the delivery report.
    pub callback_url: Option<HttpUrl>,
    /// What to do with text outside GSM-7.
    pub unicode: UnicodePolicy,
    /// eSMS test mode: validated, neither delivered nor charged.
    pub sandbox: bool,
    /// Viber image (https).
    pub viber_image: Option<HttpsUrl>,
    /// Viber button.
    pub viber_button: Option<ViberButton>,
    /// Options only eSMS has.
    pub esms: EsmsOptions,
    /// Options only CareSoft has.
    pub caresoft: CareSoftOptions,
    /// Options only InterITS has.
    pub interits: InterItsOptions,
}

/// Shows the shape of the message, never its text: recipients masked, the text as its length,
/// encoding and segment count.
impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let analysis = crate::text::analyze(&self.text);
        f.debug_struct("Message")
            .field("kind", &self.kind)
            .field("recipients", &self.recipients)
            .field(
                "text",
                &format_args!(
                    "<{} characters, {:?}, {} segment(s)>",
                    analysis.characters, analysis.encoding, analysis.segments
                ),
            )
            .field("sender", &self.sender)
            .field("schedule", &self.schedule)
            .field("request_id", &self.request_id)
            .field("callback_url", &self.callback_url)
            .field("unicode", &self.unicode)
            .field("sandbox", &self.sandbox)
            .finish_non_exhaustive()
    }
}

impl Message {
    /// A message with every optional field unset and the `Auto` unicode policy.
    pub fn new(kind: MessageKind, recipients: Vec<PhoneNumber>, text: impl Into<String>) -> Self {
        Message {
            kind,
            recipients,
            text: text.into(),
            sender: None,
            schedule: None,
            request_id: None,
            callback_url: None,
            unicode: UnicodePolicy::Auto,
            sandbox: false,
            viber_image: None,
            viber_button: None,
            esms: EsmsOptions::default(),
            caresoft: CareSoftOptions::default(),
            interits: InterItsOptions::default(),
        }
    }

    /// Sets the brandname.
    pub fn with_sender(mut self, sender: Brandname) -> Self {
        self.sender = Some(sender);
        self
    }

    /// Sets the idempotency key.
    pub fn with_request_id(mut self, id: RequestId) -> Self {
        self.request_id = Some(id);
        self
    }

    /// Checks what every provider checks: recipients present and distinct, a schedule in the
    /// future, text present (except image-only Viber).
    pub(crate) fn check_common(&self, now: Timestamp) -> Result<()> {
        if self.recipients.is_empty() {
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
        // Viber's allowed shapes (image only, text+button, …) are checked by `ViberContent`.
        if self.text.is_empty() && self.kind != MessageKind::Viber {
            return Err(Error::invalid("text", "is empty"));
        }
        if self.kind != MessageKind::Viber
            && (self.viber_image.is_some() || self.viber_button.is_some())
        {
            return Err(Error::invalid(
                "viber",
                "image and button are for Viber messages only",
            ));
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
