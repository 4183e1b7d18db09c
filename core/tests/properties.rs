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

// ---- ZNS, bulk ZNS, multi-channel, generated codes and lookups --------------------------

/// Parameter values a caller may send: any text without control characters other than LF.
fn param_value() -> impl Strategy<Value = String> {
    any::<String>().prop_map(|s| {
        s.chars()
            .filter(|c| !c.is_control() || *c == '\n')
            .collect::<String>()
    })
}

/// Distinct parameter names with their values, in order.
fn zns_params() -> impl Strategy<Value = Vec<nhantin_core::ZnsParam>> {
    prop::collection::btree_map("[a-z][a-z0-9_]{0,11}", param_value(), 1..6).prop_map(|m| {
        m.into_iter()
            .map(|(name, value)| nhantin_core::ZnsParam { name, value })
            .collect()
    })
}

fn oa() -> nhantin_core::OaId {
    nhantin_core::OaId::new("1234567890123456789").unwrap()
}

fn zns_message(params: Vec<nhantin_core::ZnsParam>, version: esms::EsmsZnsVersion) -> Message {
    let mut msg = Message::new(
        vec![PhoneNumber::parse("p", "0912345678").unwrap()],
        Content::Zns(nhantin_core::Zns {
            oa_id: Some(oa()),
            template_id: nhantin_core::ZnsTemplateId::new("301122").unwrap(),
            params,
            address: nhantin_core::ZnsAddress::Phone,
            journey_order_id: None,
            exceed_quota: false,
        }),
    )
    .with_request_id(RequestId::new("prop-zns").unwrap());
    msg.options = ProviderOptions::Esms(esms::EsmsOptions {
        format: EsmsFormat::Json,
        campaign_id: None,
        zns_version: Some(version),
    });
    msg
}

fn bulk_message(values: &[String], reversed: bool) -> Message {
    let mut phones: Vec<PhoneNumber> = (0..values.len())
        .map(|i| PhoneNumber::parse("p", &format!("09{:08}", 12_000_000 + i)).unwrap())
        .collect();
    let mut params: Vec<Vec<nhantin_core::ZnsParam>> = values
        .iter()
        .map(|v| {
            vec![nhantin_core::ZnsParam {
                name: "note".into(),
                value: v.clone(),
            }]
        })
        .collect();
    if reversed {
        phones.reverse();
        params.reverse();
    }
    Message::new(
        phones,
        Content::ZnsBulk(nhantin_core::ZnsBulk {
            oa_id: Some(oa()),
            template_id: nhantin_core::ZnsTemplateId::new("301122").unwrap(),
            params,
            exceed_quota: false,
        }),
    )
    .with_request_id(RequestId::new("prop-bulk").unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn zns_params_round_trip_in_every_version(params in zns_params()) {
        let a = account();
        let body = |v| -> serde_json::Value {
            let req = a.encode_send(&zns_message(params.clone(), v), NOW).unwrap();
            serde_json::from_slice(&req.body).unwrap()
        };
        let v6 = body(esms::EsmsZnsVersion::V6);
        for p in &params {
            prop_assert_eq!(v6["TempData"][&p.name].as_str().unwrap(), p.value.as_str());
        }
        let v5 = body(esms::EsmsZnsVersion::V5);
        let pairs: Vec<(String, String)> = v5["TempData"].as_array().unwrap().iter()
            .map(|kv| (kv["key"].as_str().unwrap().to_owned(), kv["value"].as_str().unwrap().to_owned()))
            .collect();
        prop_assert_eq!(pairs, params.iter().map(|p| (p.name.clone(), p.value.clone())).collect::<Vec<_>>());
        let v4 = body(esms::EsmsZnsVersion::V4);
        let values: Vec<&str> = v4["Params"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        prop_assert_eq!(values, params.iter().map(|p| p.value.as_str()).collect::<Vec<_>>());
        prop_assert_eq!(v4["ApiKey"].as_str().unwrap(), "K&<key>+=");
    }

    #[test]
    fn bulk_values_round_trip_and_ids_follow_people(values in prop::collection::vec(param_value(), 1..40)) {
        let a = account();
        let items = |reversed| -> Vec<(String, String, String)> {
            let req = a.encode_send(&bulk_message(&values, reversed), NOW).unwrap();
            let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
            body["Data"].as_array().unwrap().iter().map(|d| (
                d["Phone"].as_str().unwrap().to_owned(),
                d["RequestId"].as_str().unwrap().to_owned(),
                d["Params"][0].as_str().unwrap().to_owned(),
            )).collect()
        };
        let forward = items(false);
        for (i, (_, id, value)) in forward.iter().enumerate() {
            prop_assert_eq!(value, &values[i]);
            prop_assert!(id.len() <= RequestId::MAX_LEN, "{}", id);
        }
        let ids: std::collections::BTreeSet<&String> = forward.iter().map(|(_, id, _)| id).collect();
        prop_assert_eq!(ids.len(), forward.len(), "one id per person");
        let mut a_sorted = forward.clone();
        let mut b_sorted = items(true);
        a_sorted.sort();
        b_sorted.sort();
        prop_assert_eq!(a_sorted, b_sorted, "reordering changes no person's id or values");
    }

    #[test]
    fn multichannel_legs_round_trip(params in zns_params(), text in message_text()) {
        let mut msg = Message::new(
            vec![PhoneNumber::parse("p", "0912345678").unwrap()],
            Content::ZaloThenSms(nhantin_core::ZaloThenSms {
                zns: match zns_message(params.clone(), esms::EsmsZnsVersion::V6).content {
                    Content::Zns(z) => z,
                    _ => unreachable!(),
                },
                sms: nhantin_core::Sms {
                    purpose: SmsPurpose::Otp,
                    text: text.clone(),
                    sender: Some(Brandname::new("NHANTIN").unwrap()),
                    unicode: UnicodePolicy::Auto,
                },
            }),
        )
        .with_request_id(RequestId::new("prop-mc").unwrap());
        msg.options = ProviderOptions::None;
        let req = account().encode_send(&msg, NOW).unwrap();
        let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
        let values: Vec<&str> = body["Data"][0]["Params"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        prop_assert_eq!(values, params.iter().map(|p| p.value.as_str()).collect::<Vec<_>>());
        prop_assert_eq!(body["Data"][1]["Content"].as_str().unwrap(), text.as_str());
        prop_assert_eq!(body["Data"][0]["RequestId"].as_str().unwrap(), "prop-mc.z");
        prop_assert_eq!(body["Data"][1]["RequestId"].as_str().unwrap(), "prop-mc.s");
    }

    #[test]
    fn generated_code_template_round_trips(before in message_text(), after in message_text()) {
        prop_assume!(!before.contains("{OTP}") && !after.contains("{OTP}"));
        let template = format!("{before}{{OTP}}{after}");
        let msg = Message::new(
            vec![PhoneNumber::parse("p", "0912345678").unwrap()],
            Content::GeneratedOtp(nhantin_core::GeneratedOtp {
                channel: nhantin_core::OtpChannel::Sms {
                    sender: Brandname::new("NHANTIN").unwrap(),
                    template: template.clone(),
                    code_length: None,
                    digits_only: None,
                },
                time_alive_minutes: None,
            }),
        );
        let req = account().encode_send(&msg, NOW).unwrap();
        let query = req.url.split_once('?').unwrap().1;
        prop_assert!(query.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%=&".contains(&b)), "{}", query);
        let pairs = wire::parse_query(query);
        let sent = pairs.iter().find(|(k, _)| k == "message").unwrap();
        prop_assert_eq!(&sent.1, &template);
    }

    #[test]
    fn brandname_lookup_keys_are_one_path_segment_each(key in "[!-~]([ -~]{0,38}[!-~])?", secret in "[!-~]([ -~]{0,38}[!-~])?") {
        let a = EsmsAccount::new(Secret::new("api_key", key.clone()).unwrap(), Secret::new("secret_key", secret.clone()).unwrap());
        let req = a.encode_lookup(&esms::EsmsLookup::Brandnames).unwrap();
        let tail = req.url.strip_prefix("https://rest.esms.vn/MainService.svc/json/GetListBrandname/").unwrap();
        let segments: Vec<&str> = tail.split('/').collect();
        prop_assert_eq!(segments.len(), 2, "{}", req.url);
        let decode = |s: &str| wire::parse_query(&format!("x={s}")).remove(0).1;
        prop_assert_eq!(decode(segments[0]), key);
        prop_assert_eq!(decode(segments[1]), secret);
    }

    #[test]
    fn new_decoders_never_panic(status in 100u16..600, body in prop::collection::vec(any::<u8>(), 0..300)) {
        let response = HttpResponse::new(status, body);
        let _ = esms::decode_check_code(&response);
        let _ = esms::decode_zns_templates(&response);
        for lookup in [
            esms::EsmsLookup::ZaloOas,
            esms::EsmsLookup::Brandnames,
            esms::EsmsLookup::ZnsQuota { oa_id: "1".into() },
            esms::EsmsLookup::ZnsStatus { sms_id: "1".into(), kind: esms::ZnsTemplateKind::Normal },
            esms::EsmsLookup::ZaloMessageStatus { oa_id: "1".into(), message_id: "a".into() },
            esms::EsmsLookup::ZnsTemplateInfo { oa_id: "1".into(), template_id: "1".into() },
            esms::EsmsLookup::ZnsTemplates { oa_id: "1".into(), kind: esms::ZnsTemplateKind::Priority },
        ] {
            let _ = esms::decode_lookup(&lookup, &response);
        }
        let request = account().encode_send(&bulk_message(&["a".into(), "b".into()], false), NOW).unwrap();
        let _ = esms::decode_zns_bulk(&request, &response);
    }
}
