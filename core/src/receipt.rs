//! What a successful send gives back.

use crate::error::{Provider, Rejection};
use crate::ids::RequestId;

/// The ticket CareSoft creates or updates for a send (its only handle: no message id exists).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CareSoftTicket {
    /// `ticket_id`.
    pub ticket_id: Option<i64>,
    /// `ticket_no`.
    pub ticket_no: Option<i64>,
    /// `requester_id`: the customer.
    pub requester_id: Option<i64>,
    /// `assignee_id`: the agent holding the ticket.
    pub assignee_id: Option<i64>,
}

/// Proof that a provider **accepted** a send. Acceptance is not delivery: delivery comes from a
/// delivery report or a status query (digest D-C5).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Receipt {
    /// Who accepted it.
    pub provider: Provider,
    /// The provider's handle: eSMS `SMSID`, InterITS `referentId`, CareSoft `ticket_id`.
    pub reference: Option<String>,
    /// CareSoft's ticket.
    pub ticket: Option<CareSoftTicket>,
    /// InterITS `data.token` (meaning undocumented; kept verbatim).
    pub token: Option<String>,
    /// For a request that answers per recipient (eSMS bulk ZNS): what became of each, in the
    /// request's order. Empty for every other send, whose one receipt covers all recipients.
    /// An accepted request may have refused some (or all) of its recipients.
    pub recipients: Vec<RecipientReceipt>,
}

/// What became of one recipient of a request that answers per recipient.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecipientReceipt {
    /// Its position in the request's recipient list (in a `send_bulk` batch: in the whole
    /// message's).
    pub index: usize,
    /// The idempotency key it was sent with.
    pub request_id: Option<RequestId>,
    /// The provider's verdict for it.
    pub result: RecipientResult,
}

/// The provider's verdict for one recipient of a request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RecipientResult {
    /// Accepted (acceptance, not delivery), under its own message id.
    Accepted {
        /// eSMS `SMSID`.
        sms_id: String,
    },
    /// Refused: not sent. Resending it unchanged fails the same way.
    Refused {
        /// What the refusal means.
        reason: Rejection,
        /// The provider's code for this recipient.
        code: Option<String>,
        /// The provider's message, or nhantin's description of the code.
        message: String,
    },
    /// The provider already had this recipient's request id: a request carrying it (an earlier
    /// attempt of this send, or an earlier run of the same bulk) reached the provider, and it was
    /// not sent again. Whether that one was accepted is not known from this answer; settle it
    /// with the delivery report or a status query, and never send it again under a new id or by
    /// another channel.
    AlreadySubmitted,
    /// The provider was too fast for this recipient and did not send it; the same request id
    /// may be sent again later.
    Throttled {
        /// The provider's message.
        message: String,
    },
    /// The answer does not say (fewer results than recipients, or results that name other
    /// phones): it may have been sent. Settle it by its request id (delivery report, status
    /// query); resend only with that same id, which the provider de-duplicates.
    Unknown {
        /// What the answer lacked.
        why: String,
    },
}

impl RecipientResult {
    /// Its class in core's one classification, which every boundary converts from.
    pub fn class(&self) -> crate::send::SendClass {
        use crate::send::SendClass;
        match self {
            RecipientResult::Accepted { .. } => SendClass::Accepted,
            RecipientResult::Refused { .. } => SendClass::Rejected,
            RecipientResult::AlreadySubmitted => SendClass::AlreadySubmitted,
            RecipientResult::Throttled { .. } => SendClass::RateLimited,
            RecipientResult::Unknown { .. } => SendClass::OutcomeUnknown,
        }
    }
}

impl Receipt {
    pub(crate) fn esms(sms_id: String) -> Self {
        Receipt {
            provider: Provider::Esms,
            reference: Some(sms_id),
            ticket: None,
            token: None,
            recipients: Vec::new(),
        }
    }

    /// A bulk request's receipt: no handle of its own, one per recipient.
    pub(crate) fn esms_per_recipient(recipients: Vec<RecipientReceipt>) -> Self {
        Receipt {
            provider: Provider::Esms,
            reference: None,
            ticket: None,
            token: None,
            recipients,
        }
    }

    pub(crate) fn caresoft(ticket: Option<CareSoftTicket>) -> Self {
        let reference = ticket
            .as_ref()
            .and_then(|t| t.ticket_id)
            .map(|id| id.to_string());
        Receipt {
            provider: Provider::CareSoft,
            reference,
            ticket,
            token: None,
            recipients: Vec::new(),
        }
    }

    pub(crate) fn interits(referent_id: Option<String>, token: Option<String>) -> Self {
        Receipt {
            provider: Provider::InterIts,
            reference: referent_id,
            ticket: None,
            token,
            recipients: Vec::new(),
        }
    }
}
