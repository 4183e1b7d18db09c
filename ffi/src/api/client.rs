//! The `Client` object: one per provider account, thread-safe, sharing one connection pool.

use std::sync::Arc;
use std::time::Duration;

use nhantin_core as core;

use super::error::NhantinError;
use super::types::*;

/// Sends messages for one provider account. Safe to share between threads; create one per
/// account and keep it (it holds the connection pool).
#[derive(uniffi::Object)]
pub struct Client {
    inner: nhantin_transport::Client,
}

pub(crate) fn account(account: Account) -> Result<core::Account, NhantinError> {
    Ok(core::AccountInput::from(account).validate()?)
}

pub(crate) fn message(message: Message) -> Result<core::Message, NhantinError> {
    Ok(message.into_input()?.validate()?)
}

#[uniffi::export]
impl Client {
    /// Validates the account and builds the client. Plain-http base URLs are refused unless
    /// `options.allow_insecure_http` is set.
    #[uniffi::constructor]
    pub fn new(account: Account, options: ClientOptions) -> Result<Arc<Self>, NhantinError> {
        let config = nhantin_transport::ClientConfig {
            connect_timeout: Duration::from_millis(options.connect_timeout_ms),
            request_timeout: Duration::from_millis(options.request_timeout_ms),
            max_attempts: options.max_attempts,
            total_deadline: Duration::from_millis(options.total_deadline_ms),
            allow_insecure_http: options.allow_insecure_http,
            proxy: options.proxy,
            ..nhantin_transport::ClientConfig::default()
        };
        let inner = nhantin_transport::Client::new(self::account(account)?, config)?;
        Ok(Arc::new(Client { inner }))
    }

    /// Sends one message; retries only where a resend cannot duplicate it.
    pub fn send(&self, message: Message) -> Result<SendResult, NhantinError> {
        Ok(self.inner.send(&self::message(message)?)?.into())
    }

    /// Sends an advertising message to any number of recipients in batches of at most 5000;
    /// every batch is reported, a failed batch does not stop the others.
    pub fn send_bulk(&self, message: Message) -> Result<Vec<BatchResult>, NhantinError> {
        let batches = self.inner.send_bulk(&self::message(message)?)?;
        Ok(batches
            .into_iter()
            .map(|b| {
                let idempotency = b.request_id.clone().map_or(core::Idempotency::NotIdempotent, core::Idempotency::KeyedBy);
                let (result, error_kind, error_message, retry_safe) = match b.result {
                    Ok(outcome) => (Some(outcome.into()), None, None, true),
                    Err(e) => {
                        let kind = match e.fault() {
                            nhantin_transport::Fault::InvalidInput => ErrorKind::InvalidInput,
                            nhantin_transport::Fault::Rejected => ErrorKind::Rejected,
                            nhantin_transport::Fault::RateLimited => ErrorKind::RateLimited,
                            nhantin_transport::Fault::Transport => ErrorKind::Transport,
                            nhantin_transport::Fault::OutcomeUnknown => ErrorKind::OutcomeUnknown,
                        };
                        let safe = e.is_retry_safe(&idempotency);
                        (None, Some(kind), Some(e.to_string()), safe)
                    }
                };
                BatchResult {
                    first_recipient: b.first_recipient as u64,
                    recipients: b.recipients as u64,
                    request_id: b.request_id.as_ref().map(|id| id.as_str().to_owned()),
                    result,
                    error_kind,
                    error_message,
                    retry_safe,
                }
            })
            .collect())
    }

    /// The eSMS account balance.
    pub fn balance(&self) -> Result<Balance, NhantinError> {
        let b = self.inner.balance()?;
        Ok(Balance { balance: b.balance, user_id: b.user_id })
    }

    /// The status of an eSMS message (last 7 days).
    pub fn send_status(&self, sms_id: String) -> Result<SendStatusReport, NhantinError> {
        Ok(self.inner.send_status(&core::esms::SmsId::new(sms_id)?)?.into())
    }

    /// Per-recipient results of an eSMS message (last 7 days).
    pub fn receiver_status(&self, sms_id: String) -> Result<Vec<ReceiverStatus>, NhantinError> {
        Ok(self.inner.receiver_status(&core::esms::SmsId::new(sms_id)?)?.into_iter().map(Into::into).collect())
    }
}
