//! eSMS SMS and Viber sends: the JSON, XML and GET bodies (PROVIDERS.md §1.3–1.5, §2.1–2.4), and
//! the answer every eSMS send endpoint gives.

use serde::Serialize;

use super::*;
use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse, Idempotency, Method};
use crate::ids::RequestId;
use crate::message::{Content, Message, Sms, SmsPurpose, Viber, ViberLayout};
use crate::receipt::Receipt;
use crate::text::{self, UnicodePolicy};
use crate::wire;

/// The `SmsType` of a message's content.
pub(super) fn sms_type_for(content: &Content) -> EsmsSmsType {
    match content {
        Content::Sms(sms) => match sms.purpose {
            SmsPurpose::Otp | SmsPurpose::CustomerCare => EsmsSmsType::CustomerCare,
            SmsPurpose::Advertising => EsmsSmsType::Advertising,
            SmsPurpose::FixedNumber => EsmsSmsType::FixedNumber,
        },
        Content::Viber(_) => EsmsSmsType::Viber,
        // Reports of a ZNS carry 24 or 25 by the template's priority (27 for journeys), which
        // the send does not state; 25, the normal kind, is what its records are listed under.
        Content::Zns(zns) if zns.journey_order_id.is_some() => EsmsSmsType::ZnsJourney,
        Content::Zns(_) | Content::ZnsBulk(_) | Content::ZaloThenSms(_) => EsmsSmsType::ZnsNormal,
        // eSMS sends the code as customer care (`Type=2`, `TypeId 2`).
        Content::GeneratedOtp(_) => EsmsSmsType::CustomerCare,
    }
}

/// One send being encoded: what every body shape shares.
pub(super) struct Send<'a> {
    pub(super) account: &'a EsmsAccount,
    pub(super) msg: &'a Message,
    pub(super) endpoint: EsmsEndpoint,
    pub(super) request_id: &'a RequestId,
    pub(super) send_date: Option<String>,
    pub(super) sandbox: &'static str,
    pub(super) phones: Vec<String>,
    pub(super) callback: Option<&'a str>,
    pub(super) idempotency: Idempotency,
}

impl Send<'_> {
    pub(super) fn sms(self, sms: &Sms, options: &EsmsOptions) -> Result<HttpRequest> {
        let (account, endpoint) = (self.account, self.endpoint);
        match sms.purpose {
            SmsPurpose::FixedNumber => Message::refuse_if(
                "sms.sender",
                &sms.sender,
                "fixed-number SMS is sent from eSMS's number, without a brandname (D-E3)",
            )?,
            _ => {
                if sms.sender.is_none() {
                    return Err(Error::invalid(
                        "sms.sender",
                        "a registered brandname is required for this eSMS message type",
                    ));
                }
            }
        }
        let prepared = text::prepare("sms.text", &sms.text, sms.unicode)?;
        let flag_carried = matches!(
            endpoint,
            EsmsEndpoint::SendJson | EsmsEndpoint::SendFixedNumberGet
        );
        if prepared.unicode && !flag_carried {
            return Err(Error::invalid(
                "sms.unicode",
                format!("{} has no IsUnicode field; the text needs Unicode: use unicode policy strip, or the json format for customer care", endpoint.path()),
            ));
        }
        let unicode_flag = if prepared.unicode { "1" } else { "0" };
        let sms_type = sms_type_for(&self.msg.content).code().to_string();
        let brandname = sms.sender.as_ref().map(|b| b.as_str());
        let request_id = self.request_id.as_str();
        let send_date = self.send_date.as_deref();
        match endpoint {
            EsmsEndpoint::SendJson => {
                let body = SendJsonBody {
                    api_key: account.api_key.expose(),
                    secret_key: account.secret_key.expose(),
                    phone: &self.phones[0],
                    content: &prepared.text,
                    brandname,
                    sms_type: &sms_type,
                    is_unicode: unicode_flag,
                    sandbox: self.sandbox,
                    request_id,
                    send_date,
                    campaign_id: options.campaign_id.as_deref(),
                    callback_url: self.callback,
                };
                Ok(account.json_request(endpoint, &body, self.idempotency))
            }
            EsmsEndpoint::SendAdvertisingJson => {
                let body = AdvertisingJsonBody {
                    api_key: account.api_key.expose(),
                    secret_key: account.secret_key.expose(),
                    brandname: brandname.unwrap_or_default(),
                    content: &prepared.text,
                    phones: &self.phones,
                    sms_type: &sms_type,
                    sandbox: self.sandbox,
                    request_id,
                    send_date,
                    callback_url: self.callback,
                };
                Ok(account.json_request(endpoint, &body, self.idempotency))
            }
            EsmsEndpoint::SendXml | EsmsEndpoint::SendAdvertisingXml => {
                if self.msg.sandbox {
                    return Err(Error::invalid(
                        "sandbox",
                        "the XML endpoints have no sandbox element; use the json format",
                    ));
                }
                let mut xml = String::from("<RQST>");
                let mut element = |name: &str, value: &str| {
                    xml.push_str(&format!("<{name}>{}</{name}>", wire::xml_escape(value)));
                };
                element("APIKEY", account.api_key.expose());
                element("SECRETKEY", account.secret_key.expose());
                element("CONTENT", &prepared.text);
                element("SMSTYPE", &sms_type);
                element("BRANDNAME", brandname.unwrap_or_default());
                element("REQUESTID", request_id);
                if let Some(date) = send_date {
                    element("SENDDATE", date);
                }
                if let Some(url) = self.callback {
                    element("CALLBACKURL", url);
                }
                xml.push_str("<CONTACTS>");
                for phone in &self.phones {
                    xml.push_str(&format!(
                        "<CUSTOMER><PHONE>{}</PHONE></CUSTOMER>",
                        wire::xml_escape(phone)
                    ));
                }
                xml.push_str("</CONTACTS></RQST>");
                // D-D3: exactly `text/plain`; the page's "application/text/plain" is no media type.
                Ok(account
                    .request(Method::Post, endpoint, None, self.idempotency)
                    .header("Content-Type", "text/plain")
                    .body(xml.into_bytes()))
            }
            EsmsEndpoint::SendFixedNumberGet => {
                let mut pairs: Vec<(&str, &str)> = vec![
                    ("Phone", &self.phones[0]),
                    ("Content", &prepared.text),
                    ("ApiKey", account.api_key.expose()),
                    ("SecretKey", account.secret_key.expose()),
                    ("IsUnicode", unicode_flag), // D-E1: the table's `Unicode` is not in the server template
                    ("SmsType", &sms_type),
                ];
                if let Some(url) = self.callback {
                    pairs.push(("CallbackUrl", url));
                }
                pairs.push(("RequestId", request_id));
                if let Some(date) = send_date {
                    pairs.push(("SendDate", date));
                }
                if self.msg.sandbox {
                    pairs.push(("Sandbox", "1")); // D-C9: the template's spelling
                }
                Ok(account.request(
                    Method::Get,
                    endpoint,
                    Some(wire::query_string(&pairs)),
                    self.idempotency,
                ))
            }
            other => unreachable!("endpoint_for gives SMS contents SMS endpoints, not {other:?}"),
        }
    }

    pub(super) fn viber(self, viber: &Viber) -> Result<HttpRequest> {
        let Some(sender) = &viber.sender else {
            return Err(Error::invalid(
                "viber.sender",
                "a registered Viber brandname is required",
            ));
        };
        if self.msg.schedule.is_some() {
            return Err(Error::invalid(
                "schedule",
                "eSMS's Viber endpoint has no SendDate",
            ));
        }
        // Viber is not SMS: text travels as Unicode natively, so only the caller's local
        // policies (strip, reject) apply and there is no flag to send.
        if viber.unicode == UnicodePolicy::Force {
            return Err(Error::invalid(
                "viber.unicode",
                "Viber has no unicode flag; use auto",
            ));
        }
        let layout = match viber.layout.text() {
            Some(t) => viber
                .layout
                .with_text(text::prepare("viber.text", t, viber.unicode)?.text),
            None => viber.layout.clone(),
        };
        let (text, image, button) = match &layout {
            ViberLayout::Text(t) => (Some(t.as_str()), None, None),
            ViberLayout::TextButton { text, button } => (Some(text.as_str()), None, Some(button)),
            ViberLayout::TextImageButton {
                text,
                image,
                button,
            } => (Some(text.as_str()), Some(image.as_str()), Some(button)),
            ViberLayout::Image(image) => (None, Some(image.as_str()), None),
        };
        let account = self.account;
        let sms_type = EsmsSmsType::Viber.code().to_string();
        let body = ViberBody {
            api_key: account.api_key.expose(),
            secret_key: account.secret_key.expose(),
            brandname: sender.as_str(),
            sms_type: &sms_type,
            phones: &self.phones,
            content: text,
            ott_img_url: image,
            ott_url: button.map(|b| b.url.as_str()),
            ott_label: button.map(|b| b.label.as_str()),
            is_sandbox: self.sandbox,
            request_id: self.request_id.as_str(),
            callback_url: self.callback,
        };
        Ok(account.json_request(self.endpoint, &body, self.idempotency))
    }
}

pub(super) fn check_recipient_count(msg: &Message, endpoint: EsmsEndpoint) -> Result<()> {
    let n = msg.recipients.len();
    match endpoint {
        EsmsEndpoint::SendJson | EsmsEndpoint::SendFixedNumberGet if n > 1 => Err(Error::invalid(
            "recipients",
            format!("{} carries one phone and {n} were given; use the xml format for customer care, or one message per phone", endpoint.path()),
        )),
        EsmsEndpoint::SendAdvertisingJson | EsmsEndpoint::SendAdvertisingXml if n < ADVERTISING_MIN_RECIPIENTS => Err(Error::invalid(
            "recipients",
            format!("advertising needs at least {ADVERTISING_MIN_RECIPIENTS} recipients per request (eSMS code 107); {n} were given"),
        )),
        _ if n > MAX_RECIPIENTS_PER_REQUEST => Err(Error::invalid(
            "recipients",
            format!("{n} recipients; one request carries at most {MAX_RECIPIENTS_PER_REQUEST}: split the list"),
        )),
        _ => Ok(()),
    }
}

// Wire structs: field order is the order of the documented examples; `None` fields are left
// out rather than sent empty.

#[derive(Serialize)]
struct SendJsonBody<'a> {
    #[serde(rename = "ApiKey")]
    api_key: &'a str,
    #[serde(rename = "SecretKey")]
    secret_key: &'a str,
    #[serde(rename = "Phone")]
    phone: &'a str,
    #[serde(rename = "Content")]
    content: &'a str,
    #[serde(rename = "Brandname", skip_serializing_if = "Option::is_none")]
    brandname: Option<&'a str>,
    #[serde(rename = "SmsType")]
    sms_type: &'a str,
    #[serde(rename = "IsUnicode")]
    is_unicode: &'a str,
    #[serde(rename = "Sandbox")]
    sandbox: &'a str,
    #[serde(rename = "RequestId")]
    request_id: &'a str,
    #[serde(rename = "SendDate", skip_serializing_if = "Option::is_none")]
    send_date: Option<&'a str>,
    #[serde(rename = "campaignid", skip_serializing_if = "Option::is_none")]
    campaign_id: Option<&'a str>,
    #[serde(rename = "CallbackUrl", skip_serializing_if = "Option::is_none")]
    callback_url: Option<&'a str>,
}

#[derive(Serialize)]
struct AdvertisingJsonBody<'a> {
    #[serde(rename = "ApiKey")]
    api_key: &'a str,
    #[serde(rename = "SecretKey")]
    secret_key: &'a str,
    #[serde(rename = "Brandname")]
    brandname: &'a str,
    #[serde(rename = "Content")]
    content: &'a str,
    #[serde(rename = "Phones")]
    phones: &'a [String],
    #[serde(rename = "SmsType")]
    sms_type: &'a str,
    #[serde(rename = "Sandbox")]
    sandbox: &'a str,
    #[serde(rename = "RequestId")]
    request_id: &'a str,
    #[serde(rename = "SendDate", skip_serializing_if = "Option::is_none")]
    send_date: Option<&'a str>,
    #[serde(rename = "CallbackUrl", skip_serializing_if = "Option::is_none")]
    callback_url: Option<&'a str>,
}

/// D-F2: the curl's `Ott…` spelling (WCF JSON member names are case-sensitive).
#[derive(Serialize)]
struct ViberBody<'a> {
    #[serde(rename = "ApiKey")]
    api_key: &'a str,
    #[serde(rename = "SecretKey")]
    secret_key: &'a str,
    #[serde(rename = "Brandname")]
    brandname: &'a str,
    #[serde(rename = "SmsType")]
    sms_type: &'a str,
    #[serde(rename = "Phones")]
    phones: &'a [String],
    #[serde(rename = "Content", skip_serializing_if = "Option::is_none")]
    content: Option<&'a str>,
    #[serde(rename = "OttImgUrl", skip_serializing_if = "Option::is_none")]
    ott_img_url: Option<&'a str>,
    #[serde(rename = "OttUrl", skip_serializing_if = "Option::is_none")]
    ott_url: Option<&'a str>,
    #[serde(rename = "OttLabel", skip_serializing_if = "Option::is_none")]
    ott_label: Option<&'a str>,
    #[serde(rename = "IsSandBox")]
    is_sandbox: &'a str,
    #[serde(rename = "RequestId")]
    request_id: &'a str,
    #[serde(rename = "CallbackUrl", skip_serializing_if = "Option::is_none")]
    callback_url: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct KeysBody<'a> {
    #[serde(rename = "ApiKey")]
    pub(super) api_key: &'a str,
    #[serde(rename = "SecretKey")]
    pub(super) secret_key: &'a str,
}

/// Decodes any eSMS send answer (every send endpoint answers the same shape).
pub fn decode_send(response: &HttpResponse) -> Result<Receipt> {
    let map = decode_common(response, "CodeResult")?;
    let sms_id = wire::scalar_text(map.get("SMSID")).filter(|s| !s.trim().is_empty());
    match sms_id {
        Some(sms_id) => Ok(Receipt::esms(sms_id)),
        // "100" without an id leaves us unable to track the message: not a success we can trust.
        None => Err(unexpected(response)),
    }
}
