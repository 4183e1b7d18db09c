//! eSMS `GetSmsSentData_V2`: what eSMS filed in a time window, one row per recipient. Part of
//! the eSMS module (re-exported from [`crate::esms`]), in the same order: endpoint → encode →
//! decode. The error table is eSMS's own ([`super::error_for_code`]).
//!
//! Wire facts: `shared/providers/ZALO.md` §3.7, PROVIDERS.md §2.8, decisions D-Z36 and D-Z37.
//! This endpoint is what [`super::Reconciliation`] reads to settle an unknown outcome.

use serde::Serialize;

use super::{
    decode_common, unexpected, EsmsAccount, EsmsEndpoint, EsmsSendStatus, EsmsSmsType, SmsId,
};
use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse, Idempotency};
use crate::time::Timestamp;
use crate::wire;

// ---------------------------------------------------------------------------------------------
// Endpoint
// ---------------------------------------------------------------------------------------------

/// The largest `PageSize` both pages allow.
pub const SENT_DATA_MAX_PAGE_SIZE: u32 = 500;

/// The `SmsType` values the pages list for this query (26 only on the English page). Any other
/// type is refused before anything is sent: eSMS would answer it with nothing useful.
const SENT_DATA_TYPES: &[i64] = &[1, 2, 8, 23, 24, 25, 26];

/// One `GetSmsSentData_V2` request: every message of one type that eSMS *created* (D-Z37: the
/// filter is the creation time) between `from` and `to`, one page of rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentDataQuery {
    /// `SmsType`: one of 1, 2, 8, 23, 24, 25, 26.
    pub sms_type: EsmsSmsType,
    /// `From`, sent as Vietnam time to the second (a fraction is dropped).
    pub from: Timestamp,
    /// `To`, sent as Vietnam time to the second (a fraction is dropped). Not before `from`.
    pub to: Timestamp,
    /// `Page`, from 1.
    pub page: u32,
    /// `PageSize`, 1 to [`SENT_DATA_MAX_PAGE_SIZE`].
    pub page_size: u32,
}

impl SentDataQuery {
    /// Refuses what eSMS would refuse or misread, naming the field.
    pub fn check(&self) -> Result<()> {
        check_sms_type(self.sms_type)?;
        if self.page < 1 {
            return Err(Error::invalid("page", "starts at 1"));
        }
        if !(1..=SENT_DATA_MAX_PAGE_SIZE).contains(&self.page_size) {
            return Err(Error::invalid(
                "page_size",
                format!(
                    "must be 1 to {SENT_DATA_MAX_PAGE_SIZE}, got {}",
                    self.page_size
                ),
            ));
        }
        local_bound("from", self.from)?;
        local_bound("to", self.to)?;
        if self.from > self.to {
            return Err(Error::invalid(
                "from",
                format!("{} is after to ({})", self.from, self.to),
            ));
        }
        Ok(())
    }
}

/// Whether `GetSmsSentData_V2` lists messages of this type.
pub(super) fn check_sms_type(sms_type: EsmsSmsType) -> Result<()> {
    if SENT_DATA_TYPES.contains(&sms_type.code()) {
        Ok(())
    } else {
        Err(Error::invalid(
            "sms_type",
            format!(
                "{} is not a type GetSmsSentData_V2 lists (1, 2, 8, 23, 24, 25, 26)",
                sms_type.code()
            ),
        ))
    }
}

/// `yyyy-MM-dd HH:mm:ss` in Vietnam time, for a bound the format can write: four-digit years
/// from 1970 (no message is older than the Unix epoch, and a negative year has no such form).
fn local_bound(field: &str, at: Timestamp) -> Result<String> {
    let text = at.to_vietnam_local();
    if at.unix_millis() < 0 || text.len() != 19 {
        return Err(Error::invalid(
            field,
            format!("{at} cannot be written as yyyy-MM-dd HH:mm:ss"),
        ));
    }
    Ok(text)
}

// ---------------------------------------------------------------------------------------------
// Encode
// ---------------------------------------------------------------------------------------------

/// Members in the order of both pages' curl. D-C1: `SmsType` is a string as in the samples;
/// `Page`/`PageSize` are bare numbers, as the Vietnamese sample and the English curl send them
/// (the tables say "string" for every member, the samples do not).
#[derive(Serialize)]
struct SentDataBody<'a> {
    #[serde(rename = "ApiKey")]
    api_key: &'a str,
    #[serde(rename = "SecretKey")]
    secret_key: &'a str,
    #[serde(rename = "SmsType")]
    sms_type: String,
    #[serde(rename = "From")]
    from: String,
    #[serde(rename = "To")]
    to: String,
    #[serde(rename = "Page")]
    page: u32,
    #[serde(rename = "PageSize")]
    page_size: u32,
}

impl EsmsAccount {
    /// Encodes `GetSmsSentData_V2` (read-only: resending it is harmless). The keys are in the
    /// body, marked secret like every eSMS request. Refuses a page below 1, a page size outside
    /// 1..=500, `from` after `to`, and types the query does not list.
    pub fn encode_sent_data(&self, query: &SentDataQuery) -> Result<HttpRequest> {
        query.check()?;
        let body = SentDataBody {
            api_key: self.api_key.expose(),
            secret_key: self.secret_key.expose(),
            sms_type: query.sms_type.code().to_string(),
            from: local_bound("from", query.from)?,
            to: local_bound("to", query.to)?,
            page: query.page,
            page_size: query.page_size,
        };
        Ok(self.json_request(EsmsEndpoint::GetSentData, &body, Idempotency::ReadOnly))
    }
}

// ---------------------------------------------------------------------------------------------
// Decode
// ---------------------------------------------------------------------------------------------

/// `SendResult` (or the older `SentResult`, D-Z36): the final result of one recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryResult {
    /// 1 (or `true`): sent successfully.
    Succeeded,
    /// 0 (or `false`): failed.
    Failed,
    /// 2: not determined yet.
    Undetermined,
    /// Any other value, kept.
    Other(i64),
}

impl DeliveryResult {
    fn from_value(value: Option<&serde_json::Value>) -> Option<Self> {
        // PROVIDERS §2.8 showed `"SentResult": true`; the current pages show 0/1/2.
        if let Some(serde_json::Value::Bool(b)) = value {
            return Some(if *b {
                DeliveryResult::Succeeded
            } else {
                DeliveryResult::Failed
            });
        }
        Some(match wire::scalar_i64(value)? {
            1 => DeliveryResult::Succeeded,
            0 => DeliveryResult::Failed,
            2 => DeliveryResult::Undetermined,
            n => DeliveryResult::Other(n),
        })
    }
}

/// One row of `SentData`: one recipient of one message eSMS filed. The rows of one send share
/// `reference_id` (and `portal_sms_id`), so a row is identified by `(reference_id, phone)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentRow {
    /// `ReferenceId`: the `SMSID` the send returned.
    pub reference_id: SmsId,
    /// `Phone`, as eSMS wrote it.
    pub phone: String,
    /// `Content`: the text eSMS filed.
    pub content: Option<String>,
    /// `Campaign`: the send's `campaignid`.
    pub campaign: Option<String>,
    /// `SellPrice`.
    pub sell_price: Option<f64>,
    /// `SendResult` / `SentResult`.
    pub result: Option<DeliveryResult>,
    /// `SendStatus` (0 drafting, 1 awaiting approval, 2 queued, 4 rejected, 5 done, 7 sent and
    /// awaiting the report; 0 is kept as `Other(0)`).
    pub status: Option<EsmsSendStatus>,
    /// `SentTime`, read from `/Date(ms+0700)/` or the older `dd/MM/yyyy HH:mm:ss` (Vietnam time);
    /// `None` when absent or in neither form.
    pub sent_time: Option<Timestamp>,
    /// `SmsId`: eSMS's numeric id in its portal, as text. Not the send's id: rows of one send
    /// share it, and so may rows of different sends (the page's own sample does).
    pub portal_sms_id: Option<String>,
    /// `SmsType`.
    pub sms_type: Option<EsmsSmsType>,
}

/// One page of `GetSmsSentData_V2`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentDataPage {
    /// `CountTotal`: rows in the whole window (every page), when eSMS gave it.
    pub count_total: Option<u64>,
    /// `SentData`, in eSMS's order.
    pub rows: Vec<SentRow>,
}

#[cfg(test)]
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes `GetSmsSentData_V2`. Strict JSON (D-Z36: the page's sample is not JSON and is not
/// repaired here), with one leading UTF-8 byte-order mark allowed, as .NET services write one.
/// Non-100 codes go through the eSMS error table.
///
/// A row nhantin cannot identify (no `ReferenceId` or `Phone`) makes the whole page an
/// unexpected answer rather than being skipped: a reconciliation that skipped it could conclude
/// "not sent" about a message that was. Cosmetic fields are read leniently.
pub fn decode_sent_data(response: &HttpResponse) -> Result<SentDataPage> {
    // One leading byte-order mark is accepted by `wire::json_object`, as for every answer.
    let map = decode_common(response, "CodeResult")?;
    let count_total = match map.get("CountTotal") {
        None | Some(serde_json::Value::Null) => None,
        value => Some(
            wire::scalar_i64(value)
                .and_then(|n| u64::try_from(n).ok())
                .ok_or_else(|| unexpected(response))?,
        ),
    };
    let rows = match map.get("SentData") {
        Some(serde_json::Value::Array(rows)) => rows,
        // No list is "no rows" only when eSMS also says there are none.
        None | Some(serde_json::Value::Null) if count_total == Some(0) => {
            return Ok(SentDataPage {
                count_total,
                rows: Vec::new(),
            })
        }
        _ => return Err(unexpected(response)),
    };
    let rows = rows
        .iter()
        .map(|row| decode_row(row).ok_or_else(|| unexpected(response)))
        .collect::<Result<Vec<_>>>()?;
    Ok(SentDataPage { count_total, rows })
}

fn decode_row(row: &serde_json::Value) -> Option<SentRow> {
    let row = row.as_object()?;
    let reference_id = SmsId::new(wire::scalar_text(row.get("ReferenceId"))?).ok()?;
    let phone = wire::scalar_text(row.get("Phone")).filter(|p| !p.trim().is_empty())?;
    Some(SentRow {
        reference_id,
        phone,
        content: wire::scalar_text(row.get("Content")),
        campaign: wire::scalar_text(row.get("Campaign")),
        sell_price: wire::scalar_f64(row.get("SellPrice")),
        result: DeliveryResult::from_value(row.get("SendResult").or_else(|| row.get("SentResult"))),
        status: wire::scalar_i64(row.get("SendStatus")).map(EsmsSendStatus::from_code),
        sent_time: row
            .get("SentTime")
            .and_then(|v| v.as_str())
            .and_then(parse_sent_time),
        portal_sms_id: wire::scalar_text(row.get("SmsId")),
        sms_type: wire::scalar_i64(row.get("SmsType")).map(EsmsSmsType::from_code),
    })
}

/// `SentTime` in either form D-Z36 names: the WCF date `/Date(<ms>[+-hhmm])/` (the ms are UTC
/// since the epoch; the offset only says how WCF would display it, so it is ignored), also with
/// its slashes still escaped (`\/Date(…)\/`, as when the JSON escape was doubled), or the older
/// `dd/MM/yyyy HH:mm:ss`, which is Vietnam time.
pub fn parse_sent_time(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Some(inner) = text
        .strip_prefix("/Date(")
        .or_else(|| text.strip_prefix("\\/Date("))
    {
        let inner = inner
            .strip_suffix(")/")
            .or_else(|| inner.strip_suffix(")\\/"))?;
        let (sign, digits) = match inner.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, inner),
        };
        let end = digits
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(digits.len());
        let (millis, offset) = digits.split_at(end);
        let offset_ok = offset.is_empty()
            || (offset.len() == 5
                && (offset.starts_with('+') || offset.starts_with('-'))
                && offset[1..].bytes().all(|b| b.is_ascii_digit()));
        if millis.is_empty() || !offset_ok {
            return None;
        }
        return millis
            .parse::<i64>()
            .ok()
            .map(|ms| Timestamp::from_unix_millis(sign * ms));
    }
    // dd/MM/yyyy HH:mm:ss
    let b = text.as_bytes();
    let shape = b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            2 | 5 => *c == b'/',
            10 => *c == b' ',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    // Every byte is ASCII, so these slices are on character boundaries.
    let rfc3339 = format!(
        "{}-{}-{}T{}+07:00",
        &text[6..10],
        &text[3..5],
        &text[0..2],
        &text[11..19]
    );
    Timestamp::parse_rfc3339("SentTime", &rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::Secret;
    use crate::{Provider, Rejection};

    fn account() -> EsmsAccount {
        EsmsAccount::new(
            Secret::new("api_key", "A1B2C3D4E5").unwrap(),
            Secret::new("secret_key", "s3cr3t+&=/key").unwrap(),
        )
    }

    fn at(rfc3339: &str) -> Timestamp {
        Timestamp::parse_rfc3339("t", rfc3339).unwrap()
    }

    fn query() -> SentDataQuery {
        SentDataQuery {
            sms_type: EsmsSmsType::CustomerCare,
            from: at("2026-11-24T01:55:00.250Z"),
            to: at("2026-11-24T02:05:00.999Z"),
            page: 1,
            page_size: 500,
        }
    }

    fn decode(body: &str) -> Result<SentDataPage> {
        decode_sent_data(&HttpResponse::new(200, body))
    }

    #[test]
    fn encodes_the_documented_body_in_vietnam_time() {
        let request = account().encode_sent_data(&query()).unwrap();
        assert_eq!(request.method, crate::Method::Post);
        assert_eq!(
            request.url,
            "https://rest.esms.vn/MainService.svc/json/GetSmsSentData_V2"
        );
        assert_eq!(
            request.headers,
            vec![("Content-Type".to_owned(), "application/json".to_owned())]
        );
        assert_eq!(
            String::from_utf8(request.body.clone()).unwrap(),
            r#"{"ApiKey":"A1B2C3D4E5","SecretKey":"s3cr3t+&=/key","SmsType":"2","From":"2026-11-24 08:55:00","To":"2026-11-24 09:05:00","Page":1,"PageSize":500}"#
        );
        assert_eq!(request.idempotency, Idempotency::ReadOnly);
        let logged = format!("{request:?}");
        assert!(
            !logged.contains("A1B2C3D4E5") && !logged.contains("s3cr3t"),
            "{logged}"
        );
        assert_eq!(
            request.redacted_body(),
            r#"{"ApiKey":"***","SecretKey":"***","SmsType":"2","From":"2026-11-24 08:55:00","To":"2026-11-24 09:05:00","Page":1,"PageSize":500}"#
        );

        let viber = SentDataQuery {
            sms_type: EsmsSmsType::Viber,
            from: at("2026-12-31T16:59:59Z"),
            to: at("2026-12-31T17:00:00Z"),
            page: 7,
            page_size: 1,
        };
        assert_eq!(
            String::from_utf8(account().encode_sent_data(&viber).unwrap().body).unwrap(),
            r#"{"ApiKey":"A1B2C3D4E5","SecretKey":"s3cr3t+&=/key","SmsType":"23","From":"2026-12-31 23:59:59","To":"2027-01-01 00:00:00","Page":7,"PageSize":1}"#
        );
    }

    #[test]
    fn refuses_what_the_pages_do_not_allow() {
        let field = |q: SentDataQuery| match account().encode_sent_data(&q) {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(SentDataQuery { page: 0, ..query() }), "page");
        assert_eq!(
            field(SentDataQuery {
                page_size: 0,
                ..query()
            }),
            "page_size"
        );
        assert_eq!(
            field(SentDataQuery {
                page_size: 501,
                ..query()
            }),
            "page_size"
        );
        let q = query();
        assert_eq!(
            field(SentDataQuery {
                from: q.to,
                to: q.from,
                ..q
            }),
            "from"
        );
        assert_eq!(
            field(SentDataQuery {
                sms_type: EsmsSmsType::Other(3),
                ..q
            }),
            "sms_type"
        );
        assert_eq!(
            field(SentDataQuery {
                from: Timestamp::from_unix_millis(-1),
                ..q
            }),
            "from"
        );
        assert_eq!(
            field(SentDataQuery {
                to: Timestamp::from_unix_millis(i64::MAX),
                ..q
            }),
            "to"
        );
        // The limits themselves are fine, and so is a one-instant window.
        for ok in [
            SentDataQuery {
                page_size: 500,
                ..q
            },
            SentDataQuery {
                page_size: 1,
                page: u32::MAX,
                ..q
            },
            SentDataQuery { to: q.from, ..q },
            SentDataQuery {
                sms_type: EsmsSmsType::ZaloFollower,
                ..q
            },
        ] {
            assert!(account().encode_sent_data(&ok).is_ok(), "{ok:?}");
        }
    }

    /// The page's sample, repaired by hand (D-Z36): the comma after `CountTotal`, the closed
    /// `"SendStatus":5`, the final brace.
    const SAMPLE: &str = r#"{"CodeResult":"100","CountTotal":2,"SentData":[{"Campaign":"Chiến dịch 02/10/2023","Content":"Cam on quy khach da su dung dich vu cua chung toi. Chuc quy khach mot ngay tot lanh!","Phone":"0901888484","ReferenceId":"35781d6c25524e40a035c26663189549","SellPrice":345.0,"SendResult":0,"SendStatus":5,"SentTime":"\/Date(1705484048995+0700)\/","SmsId":29028845,"SmsType":2},{"Campaign":"Chiến dịch 02/10/2023","Content":"Cam on quy khach da su dung dich vu cua chung toi. Chuc quy khach mot ngay tot lanh!","Phone":"0901888484","ReferenceId":"0aac72e0-ba9b-4348-8530-d18d105778db18","SellPrice":790.0000,"SendResult":1,"SendStatus":5,"SentTime":"/Date(1705484048995+0700)/","SmsId":29028845,"SmsType":2}]}"#;

    #[test]
    fn decodes_the_repaired_sample() {
        let page = decode(SAMPLE).unwrap();
        let row = |reference: &str, price: f64, result: DeliveryResult| {
            SentRow {
            reference_id: SmsId::new(reference).unwrap(),
            phone: "0901888484".into(),
            content: Some("Cam on quy khach da su dung dich vu cua chung toi. Chuc quy khach mot ngay tot lanh!".into()),
            campaign: Some("Chiến dịch 02/10/2023".into()),
            sell_price: Some(price),
            result: Some(result),
            status: Some(EsmsSendStatus::Finished),
            sent_time: Some(at("2024-01-17T09:34:08.995Z")),
            portal_sms_id: Some("29028845".into()),
            sms_type: Some(EsmsSmsType::CustomerCare),
        }
        };
        assert_eq!(
            page,
            SentDataPage {
                count_total: Some(2),
                rows: vec![
                    row(
                        "35781d6c25524e40a035c26663189549",
                        345.0,
                        DeliveryResult::Failed
                    ),
                    row(
                        "0aac72e0-ba9b-4348-8530-d18d105778db18",
                        790.0,
                        DeliveryResult::Succeeded
                    ),
                ],
            }
        );
        // A byte-order mark in front changes nothing.
        let with_bom = [BOM, SAMPLE.as_bytes()].concat();
        assert_eq!(
            decode_sent_data(&HttpResponse::new(200, with_bom)).unwrap(),
            page
        );
    }

    #[test]
    fn decodes_the_older_shape() {
        // PROVIDERS §2.8: `SentResult` as a boolean, `SentTime` as Vietnam time.
        let page = decode(r#"{"CodeResult":"100","CountTotal":"518","SentData":[{"Campaign":null,"Content":"x","Phone":"84901888484","ReferenceId":"02e2152","SellPrice":"790.000","SendStatus":"7","SentResult":true,"SentTime":"23/11/2023 17:06:37","SmsId":"860903326","SmsType":"2"}]}"#).unwrap();
        assert_eq!(page.count_total, Some(518));
        let row = &page.rows[0];
        assert_eq!(row.result, Some(DeliveryResult::Succeeded));
        assert_eq!(row.status, Some(EsmsSendStatus::SentToTelco));
        assert_eq!(row.sent_time, Some(at("2023-11-23T10:06:37Z")));
        assert_eq!(row.sell_price, Some(790.0));
        assert_eq!(row.campaign, None);
        assert_eq!(row.phone, "84901888484");
        assert_eq!(row.portal_sms_id.as_deref(), Some("860903326"));
        // `SendResult` wins over `SentResult`; 2 is undetermined; 0 drafting is kept.
        let page = decode(r#"{"CodeResult":"100","CountTotal":1,"SentData":[{"Phone":"0901888484","ReferenceId":"r","SendResult":2,"SentResult":true,"SendStatus":0}]}"#).unwrap();
        assert_eq!(page.rows[0].result, Some(DeliveryResult::Undetermined));
        assert_eq!(page.rows[0].status, Some(EsmsSendStatus::Other(0)));
        assert_eq!(page.rows[0].sent_time, None);
        assert_eq!(page.rows[0].content, None);
    }

    #[test]
    fn sent_time_forms() {
        let ms = |t: Option<Timestamp>| t.map(Timestamp::unix_millis);
        assert_eq!(
            ms(parse_sent_time("/Date(1705484048995+0700)/")),
            Some(1705484048995)
        );
        assert_eq!(
            ms(parse_sent_time("\\/Date(1705484048995+0700)\\/")),
            Some(1705484048995)
        );
        assert_eq!(
            ms(parse_sent_time("/Date(1705484048995)/")),
            Some(1705484048995)
        );
        assert_eq!(
            ms(parse_sent_time("/Date(1705484048995-0500)/")),
            Some(1705484048995)
        );
        assert_eq!(ms(parse_sent_time("/Date(-1000+0000)/")), Some(-1000));
        assert_eq!(ms(parse_sent_time("01/01/1970 07:00:00")), Some(0));
        assert_eq!(
            ms(parse_sent_time("29/02/2024 23:59:59")),
            Some(1709225999000)
        );
        for bad in [
            "/Date()/",
            "/Date(+0700)/",
            "/Date(12+07)/",
            "/Date(12+07000)/",
            "/Date(12x)/",
            "/Date(99999999999999999999)/",
            "/Date(12",
            "Date(12)",
            "30/02/2024 00:00:00",
            "2024-01-17 09:34:08",
            "1/1/2024 00:00:00",
            "17/01/2024 24:00:00",
            "17/01/2024\u{a0}09:34:0",
            "17/01/2024 09:34:0\u{e9}",
            "",
        ] {
            assert_eq!(parse_sent_time(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn errors_and_odd_answers() {
        match decode(r#"{"CodeResult":"101","ErrorMessage":"Authorize Failed."}"#) {
            Err(Error::Rejected {
                reason: Rejection::Unauthorized,
                code: Some(code),
                message,
                ..
            }) => assert_eq!(
                (code.as_str(), message.as_str()),
                ("101", "Authorize Failed.")
            ),
            other => panic!("{other:?}"),
        }
        // The page's sample as printed is not JSON.
        let printed =
            "{\n    \"CodeResult\": \"100\",\n    \"CountTotal\": 2\n    \"SentData\": []\n";
        assert!(matches!(
            decode(printed),
            Err(Error::UnexpectedResponse { status: 200, .. })
        ));
        let unexpected = |body: &str| {
            matches!(
                decode(body),
                Err(Error::UnexpectedResponse {
                    provider: Provider::Esms,
                    ..
                })
            )
        };
        for body in [
            r#"{"CodeResult":"100"}"#,
            r#"{"CodeResult":"100","CountTotal":3}"#,
            r#"{"CodeResult":"100","CountTotal":1,"SentData":{}}"#,
            r#"{"CodeResult":"100","CountTotal":-1,"SentData":[]}"#,
            r#"{"CodeResult":"100","CountTotal":"many","SentData":[]}"#,
            r#"{"CodeResult":"100","CountTotal":1,"SentData":[1]}"#,
            r#"{"CodeResult":"100","CountTotal":1,"SentData":[{"Phone":"0901888484"}]}"#,
            r#"{"CodeResult":"100","CountTotal":1,"SentData":[{"Phone":"0901888484","ReferenceId":""}]}"#,
            r#"{"CodeResult":"100","CountTotal":1,"SentData":[{"Phone":"","ReferenceId":"r"}]}"#,
            r#"{"CodeResult":"100","CountTotal":1,"SentData":[{"ReferenceId":"r"}]}"#,
            r#"{"CodeResult":"100","CountTotal":0,"SentData":[]} trailing"#,
            "\u{feff}\u{feff}{\"CodeResult\":\"100\",\"CountTotal\":0,\"SentData\":[]}",
            "",
            "<html></html>",
        ] {
            assert!(unexpected(body), "{body}");
        }
        assert_eq!(
            decode(r#"{"CodeResult":"100","CountTotal":0}"#).unwrap(),
            SentDataPage {
                count_total: Some(0),
                rows: vec![]
            }
        );
        assert_eq!(
            decode(r#"{"CodeResult":"100","SentData":[]}"#).unwrap(),
            SentDataPage {
                count_total: None,
                rows: vec![]
            }
        );
        assert!(matches!(
            decode_sent_data(&HttpResponse::new(503, "")),
            Err(Error::ProviderUnavailable { status: 503, .. })
        ));
        let mut throttled = HttpResponse::new(429, "");
        throttled.headers.push(("Retry-After".into(), "3".into()));
        assert!(matches!(
            decode_sent_data(&throttled),
            Err(Error::RateLimited {
                retry_after_secs: Some(3),
                ..
            })
        ));
    }
}
