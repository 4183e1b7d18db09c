//! What a successful send gives back.

use crate::error::Provider;

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
}

impl Receipt {
    pub(crate) fn esms(sms_id: String) -> Self {
        Receipt {
            provider: Provider::Esms,
            reference: Some(sms_id),
            ticket: None,
            token: None,
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
        }
    }

    pub(crate) fn interits(referent_id: Option<String>, token: Option<String>) -> Self {
        Receipt {
            provider: Provider::InterIts,
            reference: referent_id,
            ticket: None,
            token,
        }
    }
}
