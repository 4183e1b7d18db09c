//! Zalo ZNS: a template notification delivered into the Zalo app of a phone's owner, in the name
//! of a business's Official Account (OA). The business registers each template; a send names
//! the template and supplies only the values of its parameters (no free text).
//!
//! What "template id" means differs per provider (ZALO.md D-Z57): eSMS's `TempID` is the Zalo
//! template registered through eSMS, InterITS's `template_id` a number, CareSoft's a script id of
//! its own. The typed value is one digits-only [`ZnsTemplateId`]; each encoder writes it in its
//! provider's type.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::phone::PhoneNumber;

/// A decimal id of up to 20 digits, kept as text: Zalo OA ids have 18–19 digits, more than a
/// JSON number (f64) holds exactly (D-Z9).
fn digits(field: &str, value: String, what: &str) -> Result<String> {
    if value.is_empty() || value.len() > 20 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(
            field,
            format!("must be 1 to 20 digits ({what})"),
        ));
    }
    Ok(value)
}

/// A Zalo Official Account id (`OAID`, `oa_id`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OaId(String);

impl OaId {
    /// Checks the digits.
    pub fn new(value: impl Into<String>) -> Result<Self> {
        digits("zns.oa_id", value.into(), "a Zalo OA id").map(OaId)
    }

    /// The id as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A ZNS template id (`TempID`, `template_id`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ZnsTemplateId(String);

impl ZnsTemplateId {
    /// Checks the digits.
    pub fn new(value: impl Into<String>) -> Result<Self> {
        digits("zns.template_id", value.into(), "a ZNS template id").map(ZnsTemplateId)
    }

    /// The id as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as a JSON number, for providers whose field is a number (InterITS, CareSoft).
    pub(crate) fn as_number(&self, provider: &str) -> Result<u64> {
        self.0.parse().map_err(|_| {
            Error::invalid(
                "zns.template_id",
                format!("{provider} takes the template id as a number; this one is too large"),
            )
        })
    }
}

/// A Zalo user id (`ZaloUid`): opaque digits, never phone-normalised (D-Z10).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ZaloUserId(String);

impl ZaloUserId {
    /// Checks 1 to 32 ASCII digits.
    pub fn new(value: impl Into<String>) -> Result<Self> {
        let value = value.into();
        if value.is_empty() || value.len() > 32 || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid(
                "zns.zalo_user_id",
                "must be 1 to 32 digits (a Zalo user id)",
            ));
        }
        Ok(ZaloUserId(value))
    }

    /// The id as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who a ZNS goes to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ZnsAddress {
    /// The message's one recipient, by phone number.
    #[default]
    Phone,
    /// The message's one recipient, sent as the SHA-256 of its `84…` number (eSMS
    /// `hash_phone`): the provider never sees the number itself.
    HashedPhone,
    /// A Zalo user of the OA, by id (eSMS `zalo_uid`); the message has no recipients.
    ZaloUser(ZaloUserId),
}

/// The hash eSMS's `hash_phone` endpoint takes: lowercase hex SHA-256 of the ASCII `84` form
/// (`84912345678`), the only form the page says works (D-Z11).
pub fn hashed_phone(phone: &PhoneNumber) -> String {
    Sha256::digest(
        phone
            .format(crate::phone::PhoneFormat::International)
            .as_bytes(),
    )
    .iter()
    .map(|b| format!("{b:02x}"))
    .collect()
}

/// One template parameter value.
#[derive(Clone, PartialEq, Eq)]
pub struct ZnsParam {
    /// The variable name registered with the template (`customer_name`, `otp`).
    pub name: String,
    /// Its value, always sent as a string (D-Z2).
    pub value: String,
}

/// Values may be OTPs and personal data: Debug shows names and lengths only.
impl std::fmt::Debug for ZnsParam {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}=<{} characters>",
            self.name,
            self.value.chars().count()
        )
    }
}

/// The most parameters one template may take, and the longest name: nhantin's guards against
/// runaway input; Zalo's own limits are per template (fetch it to check them).
pub const MAX_PARAMS: usize = 100;
/// See [`MAX_PARAMS`].
pub const MAX_PARAM_NAME_LEN: usize = 64;

/// The ordered parameter list, checked: names are identifiers, a name given twice with the same
/// value is kept once (a parameter used twice in a template is passed once, D-Z4), and with two
/// different values is refused (one of them would be dropped).
pub fn check_params(params: Vec<ZnsParam>) -> Result<Vec<ZnsParam>> {
    check_params_in(params, "zns.params")
}

/// [`check_params`], naming the fields under `path` (`zns_bulk.params[3]`).
pub(crate) fn check_params_in(params: Vec<ZnsParam>, path: &str) -> Result<Vec<ZnsParam>> {
    if params.len() > MAX_PARAMS {
        return Err(Error::invalid(
            path,
            format!("has {} entries; at most {MAX_PARAMS}", params.len()),
        ));
    }
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut out = Vec::with_capacity(params.len());
    for (i, p) in params.into_iter().enumerate() {
        let field = format!("{path}[{i}]");
        if p.name.is_empty()
            || p.name.len() > MAX_PARAM_NAME_LEN
            || !p
                .name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
        {
            return Err(Error::invalid(
                field,
                format!("name must be 1 to {MAX_PARAM_NAME_LEN} letters, digits, '_', '-' or '.'"),
            ));
        }
        if let Some(bad) = p.value.chars().find(|c| c.is_control() && *c != '\n') {
            return Err(Error::invalid(
                field,
                format!(
                    "value of {} contains the control character U+{:04X}",
                    p.name, bad as u32
                ),
            ));
        }
        match seen.get(&p.name) {
            Some(v) if *v == p.value => continue,
            Some(_) => {
                return Err(Error::invalid(
                    field,
                    format!("{} is given twice with different values", p.name),
                ))
            }
            None => {
                seen.insert(p.name.clone(), p.value.clone());
                out.push(p);
            }
        }
    }
    Ok(out)
}

/// A ZNS template message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zns {
    /// The OA it is sent from (eSMS, InterITS). CareSoft binds the OA to its script: refused there.
    pub oa_id: Option<OaId>,
    /// The template.
    pub template_id: ZnsTemplateId,
    /// The template's parameter values, in the template's order (positional endpoints send them
    /// in this order).
    pub params: Vec<ZnsParam>,
    /// Who it goes to.
    pub address: ZnsAddress,
    /// eSMS journey ZNS (`IsJourney`, `OrderId`): the order the journey template follows.
    pub journey_order_id: Option<String>,
    /// eSMS `SendingMode` 3: send beyond the OA's quota, for OAs Zalo allows it (D-Z8).
    pub exceed_quota: bool,
}

/// The parameters as a JSON object in their order (`TempData`, `template_data`, `params`): the
/// providers take values as strings under the registered names.
pub(crate) struct ParamsObject<'a>(pub(crate) &'a [ZnsParam]);

impl serde::Serialize for ParamsObject<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for p in self.0 {
            m.serialize_entry(&p.name, &p.value)?;
        }
        m.end()
    }
}

/// eSMS's personalised bulk ZNS (`Send_zns_bulk_v4_post_json/`, ZALO.md §2.6): one template
/// from one OA to many phones, each with its own values and its own `RequestId`, and an answer
/// per recipient. A request carries at most [`ZNS_BULK_MAX_RECIPIENTS`]; longer lists are
/// split by [`crate::send::plan_batches`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZnsBulk {
    /// The OA the template is registered for (required).
    pub oa_id: Option<OaId>,
    /// The template.
    pub template_id: ZnsTemplateId,
    /// One parameter list per recipient, in the order of [`crate::Message::recipients`]; every
    /// list names the same parameters in the same order (values are sent by position).
    pub params: Vec<Vec<ZnsParam>>,
    /// `SendingMode` 3: send beyond the OA's quota (D-Z8).
    pub exceed_quota: bool,
}

/// The most recipients one bulk ZNS request may carry (eSMS answers 687 above it, D-Z14).
pub const ZNS_BULK_MAX_RECIPIENTS: usize = 500;

impl ZnsBulk {
    /// Every parameter value, which errors must never show.
    pub(crate) fn values(&self) -> impl Iterator<Item = &str> {
        self.params.iter().flatten().map(|p| p.value.as_str())
    }
}

impl Zns {
    /// The parameter values, which errors must never show.
    pub(crate) fn values(&self) -> impl Iterator<Item = &str> {
        self.params.iter().map(|p| p.value.as_str())
    }
}
