//! eSMS Zalo ZNS sends: V6 (named `TempData` object, to a phone, a Zalo user id or a hashed
//! phone), V5 (`TempData` as `{key, value}` pairs), V4 (positional `Params`) and journey ZNS
//! (V4 with `IsJourney`). ZALO.md §2, decisions D-Z1…D-Z16, D-Z29…D-Z31.
//!
//! Every ZNS send answers like an SMS send (`CodeResult`, `SMSID`), so `decode_send` reads them.

use serde::Serialize;

use super::{EsmsAccount, EsmsEndpoint, EsmsFormat, EsmsOptions, EsmsZnsVersion};
use crate::error::{Error, Result};
use crate::http::{HttpRequest, Idempotency};
use crate::message::Message;
use crate::phone::PhoneFormat;
use crate::time::Timestamp;
use crate::zns::{hashed_phone, ParamsObject, Zns, ZnsAddress, ZnsParam};

/// `campaignid` on the ZNS endpoints: at most 254 characters (D-Z13, the VI tables).
pub const ZNS_CAMPAIGN_MAX_CHARS: usize = 254;
/// `OrderId` of a journey ZNS: required; nhantin keeps it to the request-id budget (D-Z16).
pub const JOURNEY_ORDER_ID_MAX_CHARS: usize = 50;

/// Which endpoint a ZNS goes to.
pub(super) fn endpoint_for(zns: &Zns, options: &EsmsOptions) -> Result<EsmsEndpoint> {
    let version = options.zns_version;
    let refuse = |why: &str| Err(Error::invalid("options.esms.zns_version", why.to_owned()));
    if zns.journey_order_id.is_some() {
        // The journey endpoint takes a `Phone` and nothing else to address the person.
        let not_a_phone = |field: &str| {
            Err(Error::invalid(
                field,
                "a journey ZNS goes to a phone: V4 with IsJourney has no hashed-phone or Zalo-user-id form",
            ))
        };
        match zns.address {
            ZnsAddress::Phone => {}
            ZnsAddress::HashedPhone => return not_a_phone("zns.hash_phone"),
            ZnsAddress::ZaloUser(_) => return not_a_phone("zns.zalo_user_id"),
        }
        return match version {
            None | Some(EsmsZnsVersion::V4) => Ok(EsmsEndpoint::SendZnsV4),
            Some(_) => refuse("journey ZNS has one endpoint, V4 with IsJourney"),
        };
    }
    match (&zns.address, version.unwrap_or(EsmsZnsVersion::V6)) {
        (ZnsAddress::Phone, EsmsZnsVersion::V6) => Ok(EsmsEndpoint::SendZnsV6),
        (ZnsAddress::Phone, EsmsZnsVersion::V5) => Ok(EsmsEndpoint::SendZnsV5),
        (ZnsAddress::Phone, EsmsZnsVersion::V4) => Ok(EsmsEndpoint::SendZnsV4),
        (ZnsAddress::HashedPhone, EsmsZnsVersion::V6) => Ok(EsmsEndpoint::SendZnsV6HashPhone),
        (ZnsAddress::ZaloUser(_), EsmsZnsVersion::V6) => Ok(EsmsEndpoint::SendZnsV6ZaloUid),
        (_, _) => refuse("a hashed phone or a Zalo user id is sent through V6 only"),
    }
}

/// `campaignid` of the ZNS endpoints (D-Z13).
pub(super) fn check_campaign(options: &EsmsOptions) -> Result<()> {
    match &options.campaign_id {
        Some(campaign)
            if campaign.is_empty()
                || campaign.chars().count() > ZNS_CAMPAIGN_MAX_CHARS
                || campaign.chars().any(char::is_control) =>
        {
            Err(Error::invalid(
                "options.esms.campaign_id",
                format!(
                    "must be 1 to {ZNS_CAMPAIGN_MAX_CHARS} characters without control characters"
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// Encodes a single ZNS. The caller (`EsmsAccount::encode_send`) has checked the recipients
/// common to every message.
pub(super) fn encode(
    account: &EsmsAccount,
    msg: &Message,
    zns: &Zns,
    options: &EsmsOptions,
) -> Result<HttpRequest> {
    if options.format != EsmsFormat::Json {
        return Err(Error::invalid(
            "options.esms.format",
            "is the SMS body style; the ZNS endpoints are JSON only",
        ));
    }
    let endpoint = endpoint_for(zns, options)?;
    let request_id = msg.required_request_id("eSMS")?;
    let Some(oa_id) = &zns.oa_id else {
        return Err(Error::invalid(
            "zns.oa_id",
            "eSMS needs the OA id (OAID) the template is registered for",
        ));
    };
    check_campaign(options)?;
    let phone = match (&zns.address, msg.recipients.as_slice()) {
        (ZnsAddress::ZaloUser(_), []) => None,
        (ZnsAddress::ZaloUser(_), _) => {
            return Err(Error::invalid(
                "recipients",
                "a ZNS to a Zalo user id has no phone recipients",
            ))
        }
        (_, [one]) => Some(one),
        (_, many) => {
            return Err(Error::invalid(
                "recipients",
                format!(
                    "one ZNS goes to one phone and {} were given; send one message per phone",
                    many.len()
                ),
            ))
        }
    };
    let journey = endpoint == EsmsEndpoint::SendZnsV4 && zns.journey_order_id.is_some();
    if journey || matches!(zns.address, ZnsAddress::ZaloUser(_)) {
        // The journey and UID pages list neither SendingMode nor SendDate (D-Z8, D-Z16).
        if zns.exceed_quota {
            return Err(Error::invalid(
                "zns.exceed_quota",
                "journey ZNS and ZNS to a Zalo user id have no SendingMode",
            ));
        }
        if journey && msg.schedule.is_some() {
            return Err(Error::invalid(
                "schedule",
                "journey ZNS cannot be scheduled",
            ));
        }
    }
    if zns.exceed_quota && msg.schedule.is_some() {
        // eSMS 801: SendingMode 3 cannot be scheduled; refused before it is sent.
        return Err(Error::invalid(
            "zns.exceed_quota",
            "sending beyond the quota (SendingMode 3) cannot be scheduled",
        ));
    }
    if let Some(order) = &zns.journey_order_id {
        if order.is_empty()
            || order.chars().count() > JOURNEY_ORDER_ID_MAX_CHARS
            || order.chars().any(char::is_control)
        {
            return Err(Error::invalid(
                "zns.journey_order_id",
                format!("must be 1 to {JOURNEY_ORDER_ID_MAX_CHARS} characters without control characters"),
            ));
        }
    }
    let national = phone.map(|p| p.format(PhoneFormat::National));
    let hashed = match zns.address {
        ZnsAddress::HashedPhone => phone.map(hashed_phone),
        _ => None,
    };
    let body = ZnsBody {
        api_key: account.api_key.expose(),
        secret_key: account.secret_key.expose(),
        endpoint,
        oa_id: oa_id.as_str(),
        phone: match zns.address {
            ZnsAddress::Phone => national.as_deref(),
            _ => None,
        },
        zalo_uid: match &zns.address {
            ZnsAddress::ZaloUser(id) => Some(id.as_str()),
            _ => None,
        },
        hash_phone: hashed.as_deref(),
        params: &zns.params,
        template_id: zns.template_id.as_str(),
        journey_order_id: zns.journey_order_id.as_deref(),
        request_id: request_id.as_str(),
        callback_url: msg.callback_url.as_ref().map(|u| u.as_str()),
        send_date: msg.schedule.map(Timestamp::to_vietnam_local),
        campaign_id: options.campaign_id.as_deref(),
        sandbox: msg.sandbox,
        exceed_quota: zns.exceed_quota,
    };
    let idempotency = Idempotency::KeyedBy(request_id.clone()); // D-Z29: RequestId on every ZNS endpoint
    Ok(account.json_request(endpoint, &body, idempotency))
}

/// One body for every single-ZNS shape; the endpoint decides how the parameters and the
/// recipient are written. Field order follows each page's example.
struct ZnsBody<'a> {
    api_key: &'a str,
    secret_key: &'a str,
    endpoint: EsmsEndpoint,
    oa_id: &'a str,
    phone: Option<&'a str>,
    zalo_uid: Option<&'a str>,
    hash_phone: Option<&'a str>,
    params: &'a [ZnsParam],
    template_id: &'a str,
    journey_order_id: Option<&'a str>,
    request_id: &'a str,
    callback_url: Option<&'a str>,
    send_date: Option<String>,
    campaign_id: Option<&'a str>,
    sandbox: bool,
    exceed_quota: bool,
}

/// `TempData` of V5: `[{"key": …, "value": …}]`, lower-case keys as both curls (D-Z2).
#[derive(Serialize)]
struct KeyValue<'a> {
    key: &'a str,
    value: &'a str,
}

impl Serialize for ZnsBody<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("ApiKey", self.api_key)?;
        m.serialize_entry("SecretKey", self.secret_key)?;
        let values: Vec<&str> = self.params.iter().map(|p| p.value.as_str()).collect();
        if self.endpoint == EsmsEndpoint::SendZnsV4 {
            // V4 (and journey): Phone, Params, [IsJourney, OrderId,] TempID, OAID (D-Z3).
            m.serialize_entry("Phone", &self.phone)?;
            m.serialize_entry("Params", &values)?;
            if let Some(order) = self.journey_order_id {
                m.serialize_entry("IsJourney", &true)?; // D-Z7: a JSON boolean, as the curl
                m.serialize_entry("OrderId", order)?;
            }
            m.serialize_entry("TempID", self.template_id)?;
            m.serialize_entry("OAID", self.oa_id)?;
        } else {
            m.serialize_entry("OAID", self.oa_id)?;
            if let Some(phone) = self.phone {
                m.serialize_entry("Phone", phone)?;
            }
            if let Some(uid) = self.zalo_uid {
                m.serialize_entry("ZaloUid", uid)?;
            }
            if let Some(hash) = self.hash_phone {
                m.serialize_entry("HashPhone", hash)?;
            }
            if self.endpoint == EsmsEndpoint::SendZnsV5 {
                let pairs: Vec<KeyValue> = self
                    .params
                    .iter()
                    .map(|p| KeyValue {
                        key: &p.name,
                        value: &p.value,
                    })
                    .collect();
                m.serialize_entry("TempData", &pairs)?;
            } else {
                m.serialize_entry("TempData", &ParamsObject(self.params))?;
            }
            m.serialize_entry("TempID", self.template_id)?;
        }
        m.serialize_entry("RequestId", self.request_id)?;
        if let Some(url) = self.callback_url {
            m.serialize_entry("CallbackUrl", url)?;
        }
        if let Some(date) = &self.send_date {
            m.serialize_entry("SendDate", date)?;
        }
        if let Some(campaign) = self.campaign_id {
            m.serialize_entry("campaignid", campaign)?;
        }
        if self.sandbox {
            // D-Z31: sent where a table lists it; omitted otherwise, as the curls do.
            m.serialize_entry("Sandbox", "1")?;
        }
        if self.exceed_quota {
            m.serialize_entry("SendingMode", "3")?; // D-Z8: omitted means the default, 1
        }
        m.end()
    }
}
