//! Splitting an eSMS advertising list into requests, with ids that always name the same people.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::http::HttpRequest;
use crate::ids::RequestId;
use crate::message::{Content, Message, SmsPurpose};
use crate::phone::PhoneFormat;
use crate::providers::{esms, Account};
use crate::time::Timestamp;
use crate::zns::{ZnsBulk, ZNS_BULK_MAX_RECIPIENTS};

use super::{SendError, SendOutcome};

/// Hex digits of the recipient digest in a batch id (`<base>-<digest>`): 64 bits.
pub const BATCH_HASH_LEN: usize = 16;

/// One request of a split list.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// Its first recipient, as an index into the message's list.
    pub first_recipient: usize,
    /// How many recipients it carries.
    pub recipients: usize,
    /// `<base>-<digest of its recipients>`: the same recipients always get the same id, and a
    /// changed list can never give an id that was sent to other people.
    pub request_id: RequestId,
    /// The encoded request.
    pub request: HttpRequest,
}

/// One request of a bulk send, and what became of it.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchResult {
    /// Its first recipient, as an index into the message's list.
    pub first_recipient: usize,
    /// How many recipients it carried.
    pub recipients: usize,
    /// Its idempotency key; `None` for providers without one (CareSoft).
    pub request_id: Option<RequestId>,
    /// Its outcome.
    pub result: Result<SendOutcome, SendError>,
}

impl serde::Serialize for BatchResult {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(5))?;
        map.serialize_entry("first_recipient", &self.first_recipient)?;
        map.serialize_entry("recipients", &self.recipients)?;
        map.serialize_entry("request_id", &self.request_id)?;
        match &self.result {
            Ok(outcome) => {
                map.serialize_entry("class", &outcome.class())?;
                map.serialize_entry("outcome", outcome)?;
            }
            Err(e) => {
                map.serialize_entry("class", &e.class())?;
                map.serialize_entry("error", e)?;
            }
        }
        map.end()
    }
}

/// Plans an eSMS bulk ZNS of any size (requests of at most 500, every recipient with its own id:
/// see `plan_zns_bulk`), or an eSMS advertising send of any size: duplicates are refused over the whole list
/// (after normalisation, so `0910000000` and `+84910000000` are one person), the list is split
/// into balanced requests of at most 5000 (each at least 30), and every request is encoded
/// before any is sent.
///
/// Batch ids are `<base>-<16 hex digits of SHA-256 over the batch's sorted E.164 numbers>`, always
/// suffixed. `base` is the message's request id (at most 33 characters) or, without one, `b-`
/// and a digest of the message's content, so a rerun of the same input reproduces every id and
/// eSMS answers an already-sent batch with "already used" instead of sending it again.
pub fn plan_batches(
    account: &Account,
    message: &Message,
    now: Timestamp,
) -> Result<Vec<Batch>, SendError> {
    if let (Content::ZnsBulk(bulk), Account::Esms(_)) = (&message.content, account) {
        return plan_zns_bulk(account, message, bulk, now);
    }
    if !message.is_sms(SmsPurpose::Advertising) || !matches!(account, Account::Esms(_)) {
        return Err(Error::invalid("sms.purpose", "only eSMS advertising lists are split into batches; send other messages one request at a time").into());
    }
    let total = message.recipients.len();
    let mut seen = BTreeMap::new();
    for (i, phone) in message.recipients.iter().enumerate() {
        if let Some(first) = seen.insert(phone, i) {
            return Err(Error::invalid(format!("recipients[{i}]"), format!("{} is the same number as recipients[{first}]; it would receive the message twice", phone.masked())).into());
        }
    }
    if total < esms::ADVERTISING_MIN_RECIPIENTS {
        return Err(Error::invalid(
            "recipients",
            format!(
                "advertising needs at least {} recipients; {total} were given",
                esms::ADVERTISING_MIN_RECIPIENTS
            ),
        )
        .into());
    }
    let base = match &message.request_id {
        Some(id) if id.as_str().len() + 1 + BATCH_HASH_LEN > RequestId::MAX_LEN => {
            return Err(Error::invalid(
                "request_id",
                format!("is {} characters; a bulk send appends -<{BATCH_HASH_LEN} hex digits> per batch, so use at most {}", id.as_str().len(), RequestId::MAX_LEN - 1 - BATCH_HASH_LEN),
            )
            .into())
        }
        Some(id) => id.as_str().to_owned(),
        None => format!("b-{}", content_digest(message)),
    };
    let batches = total.div_ceil(esms::MAX_RECIPIENTS_PER_REQUEST);
    let (size, extra) = (total / batches, total % batches);
    let mut planned = Vec::with_capacity(batches);
    let mut start = 0;
    for n in 0..batches {
        let count = size + usize::from(n < extra);
        let mut batch = message.clone();
        batch.recipients = message.recipients[start..start + count].to_vec();
        let request_id = RequestId::new(format!("{base}-{}", recipients_digest(&batch)))?;
        batch.request_id = Some(request_id.clone());
        let request = account.encode_send(&batch, now)?;
        planned.push(Batch {
            first_recipient: start,
            recipients: count,
            request_id,
            request,
        });
        start += count;
    }
    Ok(planned)
}

/// A bulk ZNS of any size: requests of at most 500 recipients, balanced, each recipient with
/// its own id (`<base>-<digest of its phone>`, see `esms::zns_bulk_recipient_id`), which is what
/// makes a rerun safe. Every batch carries the same base, reported as its request id.
fn plan_zns_bulk(
    account: &Account,
    message: &Message,
    bulk: &ZnsBulk,
    now: Timestamp,
) -> Result<Vec<Batch>, SendError> {
    let total = message.recipients.len();
    if bulk.params.len() != total {
        return Err(Error::invalid(
            "zns_bulk.params",
            format!(
                "has {} lists for {total} recipients; give one list per recipient, in their order",
                bulk.params.len()
            ),
        )
        .into());
    }
    // Duplicates are refused over the whole list, not only within each request.
    message.check_common(now)?;
    let base = RequestId::new(esms::zns_bulk_base_id(message)?)?;
    let batches = total.div_ceil(ZNS_BULK_MAX_RECIPIENTS).max(1);
    let (size, extra) = (total / batches, total % batches);
    let mut planned = Vec::with_capacity(batches);
    let mut start = 0;
    for n in 0..batches {
        let count = size + usize::from(n < extra);
        let mut batch = message.clone();
        batch.recipients = message.recipients[start..start + count].to_vec();
        batch.content = Content::ZnsBulk(ZnsBulk {
            params: bulk.params[start..start + count].to_vec(),
            ..bulk.clone()
        });
        batch.request_id = Some(base.clone());
        let request = account.encode_send(&batch, now)?;
        planned.push(Batch {
            first_recipient: start,
            recipients: count,
            request_id: base.clone(),
            request,
        });
        start += count;
    }
    Ok(planned)
}

fn recipients_digest(batch: &Message) -> String {
    let mut numbers: Vec<String> = batch
        .recipients
        .iter()
        .map(|p| p.format(PhoneFormat::E164))
        .collect();
    numbers.sort();
    hex_prefix(&Sha256::digest(numbers.join("\n").as_bytes()))
}

pub(crate) fn content_digest(message: &Message) -> String {
    let mut h = Sha256::new();
    let mut parts = message.content.fingerprint_parts();
    parts.push(
        message
            .schedule
            .map(|t| t.unix_millis().to_string())
            .unwrap_or_default(),
    );
    for part in parts {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex_prefix(&h.finalize())
}

fn hex_prefix(bytes: &[u8]) -> String {
    bytes
        .iter()
        .take(BATCH_HASH_LEN / 2)
        .map(|b| format!("{b:02x}"))
        .collect()
}
