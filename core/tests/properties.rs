//! Property tests: phone normalisation, and encode → parse round trips of the XML, query-string
//! and JSON bodies with arbitrary text. Decoders must never panic on arbitrary bytes.

use nhantin_core::esms::{self, EsmsAccount, EsmsFormat};
use nhantin_core::{
    caresoft, interits, wire, Brandname, Content, HttpResponse, Message, PhoneNumber,
    ProviderOptions, RequestId, Secret, SmsPurpose, Timestamp, UnicodePolicy,
};
use proptest::prelude::*;

const NOW: Timestamp = Timestamp::from_unix_secs(1_795_000_000);

/// Any text a caller may legitimately send: no control characters besides tab, LF and CR.
fn message_text() -> impl Strategy<Value = String> {
    any::<String>()
        .prop_map(|s| {
            s.chars()
                .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
                .collect::<String>()
        })
        .prop_filter("non-empty", |s| !s.is_empty())
}

fn account() -> EsmsAccount {
    EsmsAccount::new(
        Secret::new("api_key", "K&<key>+=").unwrap(),
        Secret::new("secret_key", "S\"'%#").unwrap(),
    )
}

fn message(purpose: SmsPurpose, text: String, format: EsmsFormat) -> Message {
    let sender = (purpose != SmsPurpose::FixedNumber).then(|| Brandname::new("NHANTIN").unwrap());
    let mut msg = Message::sms(
        purpose,
        vec![PhoneNumber::parse("p", "0912345678").unwrap()],
        text,
        sender,
    )
    .with_request_id(RequestId::new("prop-1").unwrap());
    msg.options = ProviderOptions::Esms(esms::EsmsOptions {
        format,
        campaign_id: None,
        zns_version: None,
    });
    msg
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_written_form_of_a_number_normalises_the_same(
        first in prop::sample::select(vec!['3', '5', '7', '8', '9']),
        rest in "[0-9]{8}",
        prefix in prop::sample::select(vec!["0", "84", "+84", "0084", "+84 ", "(+84) ", "+840"]),
        seps in prop::collection::vec(prop::sample::select(vec!["", " ", ".", "-"]), 9),
    ) {
        let nsn = format!("{first}{rest}");
        let mut written = String::from(prefix);
        for (digit, sep) in nsn.chars().zip(&seps) {
            written.push(digit);
            written.push_str(sep);
        }
        let parsed = PhoneNumber::parse("p", &written).unwrap();
        prop_assert_eq!(parsed.national(), format!("0{nsn}"));
        prop_assert_eq!(PhoneNumber::parse("p", &parsed.national()).unwrap(), parsed);
    }

    #[test]
    fn phone_parsing_never_panics(s in any::<String>()) {
        let _ = PhoneNumber::parse("p", &s);
    }

    #[test]
    fn json_body_round_trips(text in message_text()) {
        let req = account().encode_send(&message(SmsPurpose::Otp, text.clone(), EsmsFormat::Json), NOW).unwrap();
        let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
        prop_assert_eq!(body["Content"].as_str().unwrap(), text.as_str());
        prop_assert_eq!(body["ApiKey"].as_str().unwrap(), "K&<key>+=");
    }

    #[test]
    fn query_string_round_trips(text in message_text()) {
        let req = account().encode_send(&message(SmsPurpose::FixedNumber, text.clone(), EsmsFormat::Get), NOW).unwrap();
        let query = req.url.split_once('?').unwrap().1;
        // Nothing outside the RFC 3986 unreserved set, `=` and `&` may appear raw.
        prop_assert!(query.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%=&".contains(&b)), "{}", query);
        let pairs = wire::parse_query(query);
        let content = pairs.iter().find(|(k, _)| k == "Content").unwrap();
        prop_assert_eq!(&content.1, &text);
        let secret = pairs.iter().find(|(k, _)| k == "SecretKey").unwrap();
        prop_assert_eq!(secret.1.as_str(), "S\"'%#");
    }

    #[test]
    fn xml_body_round_trips(text in message_text(), to_ascii in any::<bool>()) {
        // XML has no unicode flag: non-GSM text is refused unless stripped, so test both paths.
        let mut msg = message(SmsPurpose::CustomerCare, text.clone(), EsmsFormat::Xml);
        if to_ascii {
            if let Content::Sms(sms) = &mut msg.content {
                sms.unicode = UnicodePolicy::Strip;
            }
        }
        let Ok(req) = account().encode_send(&msg, NOW) else { return Ok(()); };
        let xml = String::from_utf8(req.body.clone()).unwrap();
        let mut reader = quick_xml::Reader::from_str(&xml);
        let (mut path, mut content, mut key): (Vec<String>, Option<String>, Option<String>) = (Vec::new(), None, None);
        loop {
            match reader.read_event().unwrap() {
                quick_xml::events::Event::Start(e) => path.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap()),
                quick_xml::events::Event::End(_) => { path.pop(); }
                quick_xml::events::Event::Text(t) => {
                    let value = quick_xml::escape::unescape(std::str::from_utf8(&t).unwrap()).unwrap().into_owned();
                    match path.last().map(String::as_str) {
                        Some("CONTENT") => content = Some(content.unwrap_or_default() + &value),
                        Some("APIKEY") => key = Some(key.unwrap_or_default() + &value),
                        _ => {}
                    }
                }
                quick_xml::events::Event::GeneralRef(r) => {
                    let name = std::str::from_utf8(&r).unwrap();
                    let value = quick_xml::escape::unescape(&format!("&{name};")).unwrap().into_owned();
                    match path.last().map(String::as_str) {
                        Some("CONTENT") => content = Some(content.unwrap_or_default() + &value),
                        Some("APIKEY") => key = Some(key.unwrap_or_default() + &value),
                        _ => {}
                    }
                }
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
        let expected = if to_ascii { nhantin_core::strip_diacritics(&text) } else { text };
        prop_assert_eq!(content.unwrap_or_default(), expected);
        prop_assert_eq!(key.unwrap(), "K&<key>+=");
    }

    #[test]
    fn decoders_never_panic(status in 100u16..600, body in prop::collection::vec(any::<u8>(), 0..300)) {
        let response = HttpResponse::new(status, body.clone());
        let _ = esms::decode_send(&response);
        let _ = esms::decode_balance(&response);
        let _ = esms::decode_send_status(&response);
        let _ = esms::decode_receiver_status(&response);
        let _ = caresoft::decode_send(&response);
        let _ = interits::decode_send(&response);
        let _ = interits::parse_callback(&body);
        let _ = esms::parse_delivery_report(&String::from_utf8_lossy(&body));
    }

    #[test]
    fn delivery_reports_keep_every_unknown_parameter(name in "[a-z]{3,10}", value in any::<String>()) {
        prop_assume!(!["smsid", "requestid", "sendstatus", "typeid", "telcoid", "phonenumber", "sendsuccess", "sendfailed", "totalreceiver",
            "totalsent", "totalprice", "partnerids", "oaid", "tempid", "switchsmsid"].contains(&name.as_str()));
        let query = format!("SMSID=abc&{}={}", name, wire::query_encode(&value));
        let report = esms::parse_delivery_report(&query);
        prop_assert_eq!(report.sms_id.as_deref(), Some("abc"));
        prop_assert_eq!(report.extra, vec![(name, value)]);
    }
}
