//! eSMS multi-channel sends: a ZNS first and, when Zalo cannot deliver it, the same intent as an
//! SMS (`MultiChannelMessage/`, ZALO.md §2.8), and the OTPs eSMS generates itself, over Zalo
//! then SMS (`SendMessageAutoGenCode_V5`) or over SMS (`SendMessageAutoGenCode_V4_get`), with
//! their check (`CheckCodeGen_V4_get`, §2.9–2.11). Decisions D-Z17…D-Z28.

use serde::Serialize;

use super::{EsmsAccount, EsmsEndpoint, EsmsOptions};
use crate::error::{Error, Provider, Rejection, Result};
use crate::http::{HttpRequest, HttpResponse, Idempotency, Method};
use crate::ids::RequestId;
use crate::message::{GeneratedOtp, Message, OtpChannel, SmsPurpose, ZaloThenSms};
use crate::phone::{PhoneFormat, PhoneNumber};
use crate::text;
use crate::wire;
use crate::zns::ZnsAddress;

/// The longest caller request id of a multi-channel send: each leg gets it with a two-character
/// suffix (`.z`, `.s`) and eSMS takes 50 (D-Z22).
pub const MULTICHANNEL_REQUEST_ID_MAX_LEN: usize = RequestId::MAX_LEN - 2;
/// `TimeAlive` of a generated code, minutes: the intersection of the pages' bounds (D-Z26).
pub const OTP_TIME_ALIVE_MINUTES: std::ops::RangeInclusive<u32> = 2..=10;
/// `NumCharOfCode`: nhantin's guard; the pages give only the default, 6 (D-Z26).
pub const OTP_CODE_LENGTH: std::ops::RangeInclusive<u32> = 4..=10;

/// The per-leg request ids and callback URLs (D-Z21, D-Z22): deterministic, so a resend of the
/// same send hits eSMS's 24-hour block on both legs, and distinct, so the SMS leg is never taken
/// for a duplicate of the ZNS leg.
fn leg_request_id(id: &RequestId, leg: char) -> String {
    format!("{}.{leg}", id.as_str())
}

/// One leg of an eSMS multi-channel send. eSMS does not say which leg a report is about, nor
/// which leg's SMSID the send returned (D-Z20), so nhantin marks each leg's `CallbackUrl`
/// (`leg=zns`, `leg=sms`, D-Z21) and [`parse_delivery_report`](super::parse_delivery_report)
/// reads the mark back into [`DeliveryReport::leg`](super::DeliveryReport::leg).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MultiChannelLeg {
    /// The ZNS, tried first.
    Zns,
    /// The SMS, sent when Zalo could not deliver the ZNS.
    Sms,
}

impl MultiChannelLeg {
    /// The query parameter nhantin adds to each leg's callback URL.
    pub const MARKER: &'static str = "leg";

    /// The marker's value.
    pub fn marker(self) -> &'static str {
        match self {
            MultiChannelLeg::Zns => "zns",
            MultiChannelLeg::Sms => "sms",
        }
    }

    /// The leg a marker's value names.
    pub fn from_marker(value: &str) -> Option<Self> {
        [MultiChannelLeg::Zns, MultiChannelLeg::Sms]
            .into_iter()
            .find(|leg| leg.marker() == value)
    }
}

fn leg_callback(url: &str, leg: MultiChannelLeg) -> String {
    // eSMS appends its parameters to the URL; a fragment would swallow them.
    let base = url.split('#').next().unwrap_or(url);
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}{}={}", MultiChannelLeg::MARKER, leg.marker())
}

pub(super) fn encode_zalo_then_sms(
    account: &EsmsAccount,
    msg: &Message,
    both: &ZaloThenSms,
    options: &EsmsOptions,
) -> Result<HttpRequest> {
    let request_id = msg.required_request_id("eSMS")?;
    if request_id.as_str().len() > MULTICHANNEL_REQUEST_ID_MAX_LEN {
        return Err(Error::invalid(
            "request_id",
            format!("has {} characters; a multi-channel send adds a leg suffix to it, so at most {MULTICHANNEL_REQUEST_ID_MAX_LEN}", request_id.as_str().len()),
        ));
    }
    if options.format != super::EsmsFormat::Json || options.zns_version.is_some() {
        return Err(Error::invalid(
            "options.esms",
            "MultiChannelMessage has one JSON shape: no format or ZNS version to choose",
        ));
    }
    Message::refuse_if(
        "schedule",
        &msg.schedule,
        "MultiChannelMessage has no SendDate (D-Z19)",
    )?;
    let phone = one_phone(msg)?;
    let zns = &both.zns;
    let Some(oa_id) = &zns.oa_id else {
        return Err(Error::invalid(
            "zalo_then_sms.zns.oa_id",
            "eSMS needs the OA id (OAID)",
        ));
    };
    if zns.address != ZnsAddress::Phone || zns.journey_order_id.is_some() {
        return Err(Error::invalid(
            "zalo_then_sms.zns",
            "the ZNS leg goes to the message's phone: no Zalo user id, hashed phone or journey",
        ));
    }
    let sms = &both.sms;
    if !matches!(sms.purpose, SmsPurpose::Otp | SmsPurpose::CustomerCare) {
        return Err(Error::invalid(
            "zalo_then_sms.sms.purpose",
            "the SMS leg is an OTP or customer-care SMS (SmsType 2); advertising and fixed-number SMS cannot be a fallback",
        ));
    }
    let Some(sender) = &sms.sender else {
        return Err(Error::invalid(
            "zalo_then_sms.sms.sender",
            "the SMS leg needs its registered brandname",
        ));
    };
    if sms.text.is_empty() {
        return Err(Error::invalid("zalo_then_sms.sms.text", "is empty"));
    }
    let prepared = text::prepare("zalo_then_sms.sms.text", &sms.text, sms.unicode)?;
    if let Some(campaign) = &options.campaign_id {
        if campaign.is_empty() || campaign.chars().count() > super::ZNS_CAMPAIGN_MAX_CHARS {
            return Err(Error::invalid(
                "options.esms.campaign_id",
                format!("must be 1 to {} characters", super::ZNS_CAMPAIGN_MAX_CHARS),
            ));
        }
    }
    let sandbox = if msg.sandbox { "1" } else { "0" }; // D-Z24: one flag for both legs
    let callback = msg.callback_url.as_ref().map(|u| u.as_str());
    let zns_callback = callback.map(|u| leg_callback(u, MultiChannelLeg::Zns));
    let sms_callback = callback.map(|u| leg_callback(u, MultiChannelLeg::Sms));
    let values: Vec<&str> = zns.params.iter().map(|p| p.value.as_str()).collect();
    let national = phone.format(PhoneFormat::National);
    let body = MultiChannelBody {
        api_key: account.api_key.expose(),
        secret_key: account.secret_key.expose(),
        phone: &national,
        channels: ["zalo", "sms"], // D-Z17: fixed, in this order
        data: (
            ZnsLeg {
                temp_id: zns.template_id.as_str(),
                params: &values,
                oaid: oa_id.as_str(),
                campaign_id: options.campaign_id.as_deref(),
                callback_url: zns_callback.as_deref(),
                request_id: leg_request_id(request_id, 'z'),
                sandbox,
                sending_mode: zns.exceed_quota.then_some("3"),
            },
            SmsLeg {
                content: &prepared.text,
                is_unicode: if prepared.unicode { "1" } else { "0" },
                sms_type: "2",
                brandname: sender.as_str(),
                callback_url: sms_callback.as_deref(),
                request_id: leg_request_id(request_id, 's'),
                sandbox,
            },
        ),
    };
    Ok(account.json_request(
        EsmsEndpoint::SendMultiChannel,
        &body,
        Idempotency::KeyedBy(request_id.clone()),
    ))
}

pub(super) fn encode_generated_otp(
    account: &EsmsAccount,
    msg: &Message,
    otp: &GeneratedOtp,
    options: &EsmsOptions,
) -> Result<HttpRequest> {
    // D-Z25: no RequestId on either API, so nothing makes a resend safe; a request id would
    // promise what eSMS does not do.
    Message::refuse_if(
        "request_id",
        &msg.request_id,
        "eSMS's generated-code sends take no RequestId: a resend may send a second code",
    )?;
    Message::refuse_if(
        "schedule",
        &msg.schedule,
        "a generated code is sent at once",
    )?;
    Message::refuse_if(
        "callback_url",
        &msg.callback_url,
        "the generated-code APIs take no CallbackUrl",
    )?;
    if msg.sandbox {
        return Err(Error::invalid(
            "sandbox",
            "the generated-code APIs have no sandbox (D-Z31)",
        ));
    }
    if *options != EsmsOptions::default() {
        return Err(Error::invalid(
            "options.esms",
            "the generated-code APIs take no format, campaign or ZNS version",
        ));
    }
    let phone = one_phone(msg)?.format(PhoneFormat::National);
    let time_alive = otp.time_alive_minutes.map(|m| m.to_string());
    match &otp.channel {
        OtpChannel::ZaloThenSms { template_id } => {
            let body = AutoGenV5Body {
                api_key: account.api_key.expose(),
                secret_key: account.secret_key.expose(),
                phone: &phone,
                template_id,
                type_id: "2", // D-Z25: 1 ("generate only") returns no code
                time_alive: time_alive.as_deref(),
            };
            Ok(account.json_request(
                EsmsEndpoint::SendGeneratedOtpZaloThenSms,
                &body,
                Idempotency::NotIdempotent,
            ))
        }
        OtpChannel::Sms {
            sender,
            template,
            code_length,
            digits_only,
        } => {
            let length = code_length.map(|n| n.to_string());
            let mut pairs: Vec<(&str, &str)> = vec![
                ("Phone", &phone),
                ("ApiKey", account.api_key.expose()),
                ("SecretKey", account.secret_key.expose()),
            ];
            if let Some(t) = &time_alive {
                pairs.push(("TimeAlive", t));
            }
            if let Some(n) = &length {
                pairs.push(("NumCharOfCode", n));
            }
            pairs.push(("Brandname", sender.as_str()));
            pairs.push(("Type", "2"));
            pairs.push(("message", template)); // D-Z27: braces percent-encoded
            if let Some(d) = digits_only {
                pairs.push(("IsNumber", if *d { "1" } else { "0" }));
            }
            Ok(account.request(
                Method::Get,
                EsmsEndpoint::SendGeneratedOtpSms,
                Some(wire::query_string(&pairs)),
                Idempotency::NotIdempotent,
            ))
        }
    }
}

fn one_phone(msg: &Message) -> Result<&PhoneNumber> {
    match msg.recipients.as_slice() {
        [one] => Ok(one),
        many => Err(Error::invalid(
            "recipients",
            format!("this send goes to one phone and {} were given", many.len()),
        )),
    }
}

#[derive(Serialize)]
struct MultiChannelBody<'a> {
    #[serde(rename = "ApiKey")]
    api_key: &'a str,
    #[serde(rename = "SecretKey")]
    secret_key: &'a str,
    #[serde(rename = "Phone")]
    phone: &'a str,
    #[serde(rename = "Channels")]
    channels: [&'static str; 2],
    #[serde(rename = "Data")]
    data: (ZnsLeg<'a>, SmsLeg<'a>),
}

#[derive(Serialize)]
struct ZnsLeg<'a> {
    #[serde(rename = "TempID")]
    temp_id: &'a str,
    #[serde(rename = "Params")]
    params: &'a [&'a str],
    #[serde(rename = "OAID")]
    oaid: &'a str,
    #[serde(rename = "campaignid", skip_serializing_if = "Option::is_none")]
    campaign_id: Option<&'a str>,
    #[serde(rename = "CallbackUrl", skip_serializing_if = "Option::is_none")]
    callback_url: Option<&'a str>,
    #[serde(rename = "RequestId")]
    request_id: String,
    #[serde(rename = "Sandbox")]
    sandbox: &'a str,
    #[serde(rename = "SendingMode", skip_serializing_if = "Option::is_none")]
    sending_mode: Option<&'a str>,
}

#[derive(Serialize)]
struct SmsLeg<'a> {
    #[serde(rename = "Content")]
    content: &'a str,
    #[serde(rename = "IsUnicode")]
    is_unicode: &'a str,
    #[serde(rename = "SmsType")]
    sms_type: &'a str,
    #[serde(rename = "Brandname")]
    brandname: &'a str,
    #[serde(rename = "CallbackUrl", skip_serializing_if = "Option::is_none")]
    callback_url: Option<&'a str>,
    #[serde(rename = "RequestId")]
    request_id: String,
    #[serde(rename = "Sandbox")]
    sandbox: &'a str,
}

#[derive(Serialize)]
struct AutoGenV5Body<'a> {
    #[serde(rename = "ApiKey")]
    api_key: &'a str,
    #[serde(rename = "SecretKey")]
    secret_key: &'a str,
    #[serde(rename = "Phone")]
    phone: &'a str,
    #[serde(rename = "MultiChannelTempId")]
    template_id: &'a str,
    #[serde(rename = "TypeId")]
    type_id: &'a str,
    #[serde(rename = "TimeAlive", skip_serializing_if = "Option::is_none")]
    time_alive: Option<&'a str>,
}

/// The verdict of `CheckCodeGen_V4_get`: the answer to a question, not an error (D-Z28).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeCheck {
    /// The code is the one sent to that phone, and still valid.
    Valid,
    /// Used, expired or not for this phone (eSMS 117 or 171).
    Invalid,
}

impl EsmsAccount {
    /// Encodes `CheckCodeGen_V4_get`. Checking may use the code up, so it is never resent by
    /// itself once it may have arrived.
    pub fn encode_check_code(&self, phone: &PhoneNumber, code: &str) -> Result<HttpRequest> {
        if code.is_empty() || code.len() > 20 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::invalid("code", "must be 1 to 20 letters or digits"));
        }
        let phone = phone.format(PhoneFormat::National);
        let query = wire::query_string(&[
            ("ApiKey", self.api_key.expose()),
            ("SecretKey", self.secret_key.expose()),
            ("Phone", &phone),
            ("Code", code),
        ]);
        Ok(self
            .request(
                Method::Get,
                EsmsEndpoint::CheckGeneratedOtp,
                Some(query),
                Idempotency::NotIdempotent,
            )
            .private_text(code))
    }
}

/// Decodes `CheckCodeGen_V4_get`: 100 is `Valid`; 117 and 171 are `Invalid` (the tabs and the
/// tables disagree on the number, D-Z28); anything else is the error it says.
pub fn decode_check_code(response: &HttpResponse) -> Result<CodeCheck> {
    match super::decode_common(response, "CodeResult") {
        Ok(_) => Ok(CodeCheck::Valid),
        Err(Error::Rejected {
            provider: Provider::Esms,
            reason: Rejection::InvalidCode,
            ..
        }) => Ok(CodeCheck::Invalid),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::AccountInput;

    fn account() -> EsmsAccount {
        match AccountInput::from_json(r#"{"provider":"esms","api_key":"K","secret_key":"S"}"#)
            .unwrap()
            .validate()
            .unwrap()
        {
            crate::Account::Esms(a) => a,
            _ => unreachable!(),
        }
    }

    #[test]
    fn a_code_check_is_its_documented_query_and_never_resent() {
        let phone = PhoneNumber::parse("phone", "+84 901 888 484").unwrap();
        let request = account().encode_check_code(&phone, "1NTTJ6").unwrap();
        assert_eq!(request.method, Method::Get);
        assert_eq!(
            request.url,
            "https://rest.esms.vn/MainService.svc/json/CheckCodeGen_V4_get?ApiKey=K&SecretKey=S&Phone=0901888484&Code=1NTTJ6"
        );
        assert_eq!(request.idempotency, Idempotency::NotIdempotent);
        // The code is the customer's secret: errors about this request never show it.
        assert!(!request
            .redact_for_error("failed: ...&Code=1NTTJ6")
            .contains("1NTTJ6"));
        assert!(matches!(
            account().encode_check_code(&phone, "12 34"),
            Err(Error::InvalidInput { field, .. }) if field == "code"
        ));
    }

    #[test]
    fn a_code_check_answers_a_verdict() {
        let answer = |body: &str| decode_check_code(&HttpResponse::new(200, body));
        // ZALO.md §2.11: the verdict is inside ErrorMessage on 100; 117 (tabs) and 171 (tables).
        assert_eq!(
            answer(r#"{"CodeResult":"100","CountRegenerate":0,"ErrorMessage":"0901888484, Content: Success!"}"#).unwrap(),
            CodeCheck::Valid
        );
        for code in ["117", "171"] {
            assert_eq!(
                answer(&format!(r#"{{"CodeResult":"{code}","CountRegenerate":0,"ErrorMessage":"0901888484, Content: 1NTTJ6 Code Invalid"}}"#)).unwrap(),
                CodeCheck::Invalid
            );
        }
        assert!(matches!(
            answer(r#"{"CodeResult":"101","ErrorMessage":"Authorize Failed"}"#),
            Err(Error::Rejected {
                reason: Rejection::Unauthorized,
                ..
            })
        ));
    }

    #[test]
    fn leg_callbacks_carry_their_marker() {
        assert_eq!(
            leg_callback("https://e.vn/dlr", MultiChannelLeg::Zns),
            "https://e.vn/dlr?leg=zns"
        );
        assert_eq!(
            leg_callback("https://e.vn/dlr?k=1#top", MultiChannelLeg::Sms),
            "https://e.vn/dlr?k=1&leg=sms"
        );
    }
}
