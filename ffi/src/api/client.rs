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

    /// Resends a message whose send failed with `OutcomeUnknown`, with the `resend` that error
    /// carried: the same request id, so the provider de-duplicates and the message cannot arrive
    /// twice. Refused (nothing sent) once the window has closed or when the message names
    /// another id.
    pub fn resend(&self, message: Message, resend: SafeResend) -> Result<SendResult, NhantinError> {
        Ok(self
            .inner
            .resend(&self::message(message)?, &resend.into_core()?)?
            .into())
    }

    /// Sends an advertising message to any number of recipients in batches of at most 5000
    /// whose ids name their recipients; every batch is reported with its class, and a failed
    /// batch does not stop the others. A rerun of the same message reproduces every batch id.
    pub fn send_bulk(&self, message: Message) -> Result<Vec<BatchResult>, NhantinError> {
        Ok(self
            .inner
            .send_bulk(&self::message(message)?)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The eSMS account balance.
    pub fn balance(&self) -> Result<Balance, NhantinError> {
        let b = self.inner.balance()?;
        Ok(Balance {
            balance: b.balance,
            user_id: b.user_id,
        })
    }

    /// The status of an eSMS message (last 7 days).
    pub fn send_status(&self, sms_id: String) -> Result<SendStatusReport, NhantinError> {
        Ok(self
            .inner
            .send_status(&core::esms::SmsId::new(sms_id)?)?
            .into())
    }

    /// Per-recipient results of an eSMS message (last 7 days).
    pub fn receiver_status(&self, sms_id: String) -> Result<Vec<ReceiverStatus>, NhantinError> {
        Ok(self
            .inner
            .receiver_status(&core::esms::SmsId::new(sms_id)?)?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}
