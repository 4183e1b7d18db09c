//! eSMS ZNS templates: the templates of an OA with their parameters (`GetTemplate/` with
//! `SmsType` 24 or 25, ZALO.md §3.1), and the check of a ZNS's parameters against one before it
//! is sent (D-Z4, D-Z5): what eSMS would answer 790 for is refused here, naming the parameter.

use serde::Serialize;

use super::{decode_common, EsmsAccount, EsmsEndpoint};
use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse, Idempotency};
use crate::wire;
use crate::zns::{OaId, Zns, ZnsParam};

/// Which template list: Zalo's priority (`SmsType` 24) or normal (25) templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZnsTemplateKind {
    /// 24.
    Priority,
    /// 25.
    Normal,
}

/// One parameter a template declares (`ZNSTempDetail`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ZnsTemplateParam {
    /// `Param`: the variable name.
    pub name: String,
    /// `ParamLevel`: its position, for the positional endpoints.
    pub position: Option<i64>,
    /// `Limit`: the most characters its value may have.
    pub max_length: Option<i64>,
    /// `RequireType`: `type_text`, `type_number` (digits, at most 12), `type_date`
    /// (`dd/MM/yyyy`), `type_cta_url`, or what eSMS sends next (kept as text).
    pub kind: Option<String>,
}

/// A ZNS template of an OA.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ZnsTemplate {
    /// `TempId`, as text (a JSON number on the wire; ids are text everywhere in nhantin).
    pub id: String,
    /// `TempName`.
    pub name: Option<String>,
    /// `TempContent`: HTML with `{{name}}` placeholders.
    pub content: Option<String>,
    /// `ZNSTempDetail`, in `ParamLevel` order.
    pub params: Vec<ZnsTemplateParam>,
}

#[derive(Serialize)]
struct TemplatesBody<'a> {
    #[serde(rename = "ApiKey")]
    api_key: &'a str,
    #[serde(rename = "SecretKey")]
    secret_key: &'a str,
    #[serde(rename = "OAId")] // D-Z6: this endpoint's casing
    oa_id: &'a str,
    #[serde(rename = "SmsType")]
    sms_type: &'a str,
}

impl EsmsAccount {
    /// Encodes `GetTemplate/` for the OA's ZNS templates.
    pub fn encode_zns_templates(&self, oa_id: &OaId, kind: ZnsTemplateKind) -> HttpRequest {
        let body = TemplatesBody {
            api_key: self.api_key.expose(),
            secret_key: self.secret_key.expose(),
            oa_id: oa_id.as_str(),
            sms_type: match kind {
                ZnsTemplateKind::Priority => "24",
                ZnsTemplateKind::Normal => "25",
            },
        };
        self.json_request(EsmsEndpoint::GetZnsTemplates, &body, Idempotency::ReadOnly)
    }
}

/// Decodes `GetTemplate/`: numbers where the table says string are read either way (D-Z38).
pub fn decode_zns_templates(response: &HttpResponse) -> Result<Vec<ZnsTemplate>> {
    let map = decode_common(response, "CodeResult")?;
    let Some(list) = wire::get_ci(&map, "ZNSTemplates").and_then(|v| v.as_array()) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::with_capacity(list.len());
    for t in list {
        let Some(t) = t.as_object() else {
            return Err(super::unexpected(response));
        };
        let Some(id) = wire::scalar_text(wire::get_ci(t, "TempId")) else {
            return Err(super::unexpected(response));
        };
        let mut params: Vec<ZnsTemplateParam> = wire::get_ci(t, "ZNSTempDetail")
            .and_then(|d| d.as_array())
            .map(|d| {
                d.iter()
                    .filter_map(|p| p.as_object())
                    .filter_map(|p| {
                        Some(ZnsTemplateParam {
                            name: wire::scalar_text(wire::get_ci(p, "Param"))?,
                            position: wire::scalar_i64(wire::get_ci(p, "ParamLevel")),
                            max_length: wire::scalar_i64(wire::get_ci(p, "Limit")),
                            kind: wire::scalar_text(wire::get_ci(p, "RequireType")),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        params.sort_by_key(|p| p.position.unwrap_or(i64::MAX));
        out.push(ZnsTemplate {
            id,
            name: wire::scalar_text(wire::get_ci(t, "TempName")),
            content: wire::scalar_text(wire::get_ci(t, "TempContent")),
            params,
        });
    }
    Ok(out)
}

impl ZnsTemplate {
    /// Checks a ZNS's parameters against this template, as eSMS would before answering 790:
    /// every declared parameter given, none that is not declared, each within its `Limit`
    /// (characters), `type_number` values digits (at most 12) and `type_date` values
    /// `dd/MM/yyyy`. Returns the parameters in the template's order, which the positional
    /// endpoints (V4, journey, multi-channel) need.
    pub fn check(&self, zns: &Zns) -> Result<Vec<ZnsParam>> {
        if zns.template_id.as_str() != self.id {
            return Err(Error::invalid(
                "zns.template_id",
                format!(
                    "is {}; this template is {}",
                    zns.template_id.as_str(),
                    self.id
                ),
            ));
        }
        for (i, given) in zns.params.iter().enumerate() {
            if !self.params.iter().any(|p| p.name == given.name) {
                return Err(Error::invalid(
                    format!("zns.params[{i}]"),
                    format!("{} is not a parameter of template {}", given.name, self.id),
                ));
            }
        }
        let mut ordered = Vec::with_capacity(self.params.len());
        for declared in &self.params {
            let Some(given) = zns.params.iter().find(|p| p.name == declared.name) else {
                return Err(Error::invalid(
                    "zns.params",
                    format!("template {} needs {}", self.id, declared.name),
                ));
            };
            let field = || {
                let i = zns
                    .params
                    .iter()
                    .position(|p| p.name == declared.name)
                    .unwrap_or(0);
                format!("zns.params[{i}]")
            };
            let chars = given.value.chars().count();
            if let Some(max) = declared.max_length.filter(|m| *m >= 0) {
                if i64::try_from(chars).unwrap_or(i64::MAX) > max {
                    return Err(Error::invalid(
                        field(),
                        format!(
                            "{} has {chars} characters; the template allows {max}",
                            declared.name
                        ),
                    ));
                }
            }
            match declared.kind.as_deref() {
                Some("type_number")
                    if given.value.is_empty()
                        || given.value.len() > 12
                        || !given.value.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    return Err(Error::invalid(
                        field(),
                        format!("{} must be 1 to 12 digits (type_number)", declared.name),
                    ))
                }
                Some("type_date") if !is_date(&given.value) => {
                    return Err(Error::invalid(
                        field(),
                        format!("{} must be a date dd/MM/yyyy (type_date)", declared.name),
                    ))
                }
                _ => {}
            }
            ordered.push(given.clone());
        }
        Ok(ordered)
    }
}

/// `dd/MM/yyyy`, a day that exists (31/02 and 29/02 of a common year do not).
fn is_date(value: &str) -> bool {
    let b = value.as_bytes();
    if b.len() != 10 || b[2] != b'/' || b[5] != b'/' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        value
            .get(r)
            .filter(|s| s.bytes().all(|c| c.is_ascii_digit()))?
            .parse()
            .ok()
    };
    let (Some(day), Some(month), Some(year)) = (num(0..2), num(3..5), num(6..10)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{AccountInput, MessageInput};

    /// The page's sample answer (ZALO.md §3.1), its HTML shortened.
    const SAMPLE: &str = r#"{"CodeResult":"100","ErrorMessage":"success","ZNSTemplates":[{"TempContent":"<p>Mã OTP của bạn là {{otp}}</p>","TempId":205644,"TempName":"Xác nhận đăng ký dịch vụ","ZNSTempDetail":[{"Limit":10,"Param":"otp","ParamLevel":1,"RequireType":"type_text"}]},{"TempId":"301122","ZNSTempDetail":[{"Limit":20,"Param":"order_code","ParamLevel":2,"RequireType":"type_text"},{"Limit":30,"Param":"customer_name","ParamLevel":1,"RequireType":"type_text"},{"Limit":12,"Param":"amount","ParamLevel":3,"RequireType":"type_number"},{"Param":"due","ParamLevel":4,"RequireType":"type_date"}]}]}"#;

    fn zns(params: &[(&str, &str)], template: &str) -> Zns {
        let params: Vec<String> = params
            .iter()
            .map(|(n, v)| format!(r#"{{"name":"{n}","value":"{v}"}}"#))
            .collect();
        let json = format!(
            r#"{{"recipients":["0912345678"],"content":{{"zns":{{"oa_id":"1","template_id":"{template}","params":[{}]}}}}}}"#,
            params.join(",")
        );
        match MessageInput::from_json(&json)
            .unwrap()
            .validate()
            .unwrap()
            .content
        {
            crate::Content::Zns(z) => z,
            _ => unreachable!(),
        }
    }

    #[test]
    fn the_template_list_is_its_documented_request_and_answer() {
        let account =
            match AccountInput::from_json(r#"{"provider":"esms","api_key":"K","secret_key":"S"}"#)
                .unwrap()
                .validate()
                .unwrap()
            {
                crate::Account::Esms(a) => a,
                _ => unreachable!(),
            };
        let request = account.encode_zns_templates(
            &OaId::new("4097311281936189049").unwrap(),
            ZnsTemplateKind::Normal,
        );
        assert_eq!(
            request.url,
            "https://rest.esms.vn/MainService.svc/json/GetTemplate/"
        );
        assert_eq!(
            String::from_utf8(request.body.clone()).unwrap(),
            r#"{"ApiKey":"K","SecretKey":"S","OAId":"4097311281936189049","SmsType":"25"}"#
        );
        assert_eq!(request.idempotency, Idempotency::ReadOnly);
        let templates = decode_zns_templates(&HttpResponse::new(200, SAMPLE)).unwrap();
        assert_eq!(templates.len(), 2);
        assert_eq!(templates[0].id, "205644");
        assert_eq!(templates[0].params[0].max_length, Some(10));
        let names: Vec<&str> = templates[1]
            .params
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(
            names,
            ["customer_name", "order_code", "amount", "due"],
            "ParamLevel order"
        );
        assert!(matches!(
            decode_zns_templates(&HttpResponse::new(
                200,
                r#"{"CodeResult":"101","ErrorMessage":"Authorize Failed"}"#
            )),
            Err(Error::Rejected {
                reason: crate::Rejection::Unauthorized,
                ..
            })
        ));
    }

    #[test]
    fn parameters_are_checked_against_the_template_and_put_in_its_order() {
        let t = &decode_zns_templates(&HttpResponse::new(200, SAMPLE)).unwrap()[1];
        let good = zns(
            &[
                ("order_code", "DH1"),
                ("due", "01/08/2024"),
                ("amount", "4308000"),
                ("customer_name", "Bình"),
            ],
            "301122",
        );
        let ordered: Vec<String> = t
            .check(&good)
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(ordered, ["customer_name", "order_code", "amount", "due"]);
        let field = |z: Zns| match t.check(&z) {
            Err(Error::InvalidInput { field, reason }) => (field, reason),
            other => panic!("{other:?}"),
        };
        let base = [
            ("customer_name", "Bình"),
            ("order_code", "DH1"),
            ("amount", "1"),
            ("due", "01/08/2024"),
        ];
        let with = |i: usize, v: &str| {
            let mut p = base.to_vec();
            p[i].1 = v;
            zns(&p, "301122")
        };
        assert_eq!(field(zns(&base[..3], "301122")).0, "zns.params"); // missing `due`
        let mut extra = base.to_vec();
        extra.push(("coupon", "X"));
        assert_eq!(field(zns(&extra, "301122")).0, "zns.params[4]");
        assert_eq!(field(with(1, &"x".repeat(21))).0, "zns.params[1]"); // over Limit 20
        assert_eq!(with(1, &"ệ".repeat(20)).params.len(), 4); // characters, not bytes
        assert!(t.check(&with(1, &"ệ".repeat(20))).is_ok());
        assert_eq!(field(with(2, "4.308.000")).0, "zns.params[2]"); // type_number
        assert_eq!(field(with(2, "1234567890123")).0, "zns.params[2]"); // 13 digits
        assert_eq!(field(with(3, "2024-08-01")).0, "zns.params[3]"); // type_date
                                                                     // A day that does not exist is no date (31/02 passed before).
        for impossible in [
            "31/02/2026",
            "29/02/2026",
            "31/04/2026",
            "00/01/2026",
            "01/13/2026",
        ] {
            assert_eq!(
                field(with(3, impossible)).0,
                "zns.params[3]",
                "{impossible}"
            );
        }
        for real in ["29/02/2024", "31/12/2026", "30/04/2026"] {
            assert!(t.check(&with(3, real)).is_ok(), "{real}");
        }
        assert_eq!(field(zns(&base, "205644")).0, "zns.template_id");
    }
}
