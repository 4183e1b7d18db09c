//! What an account remembers between sends: CareSoft's pacing window and its lock-out.

use std::collections::VecDeque;

use crate::time::Timestamp;

/// CareSoft documents at most 15 requests per second per tenant.
pub const CARESOFT_PER_SECOND: usize = 15;

/// How long CareSoft locks a tenant out when it says so without a duration (15 minutes).
pub const CARESOFT_LOCKOUT_MS: i64 = 15 * 60 * 1000;

/// Per-account state shared by every send to that account: keep one value per account (behind a
/// lock when threads share it) and pass it to every [`super::SendMachine::poll`] and report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountState {
    /// Start times of the sends in the current one-second window (CareSoft only).
    recent: VecDeque<Timestamp>,
    /// Until then, sends are refused locally without touching the network.
    locked_until: Option<Timestamp>,
}

impl AccountState {
    /// A fresh state: nothing sent, not locked out.
    pub fn new() -> Self {
        AccountState::default()
    }

    /// When the current lock-out ends, if one is in force at `now`.
    pub fn locked_until(&self, now: Timestamp) -> Option<Timestamp> {
        self.locked_until.filter(|until| *until > now)
    }

    pub(crate) fn lock_out(&mut self, until: Timestamp) {
        self.locked_until = Some(self.locked_until.map_or(until, |u| u.max(until)));
    }

    /// `None` when a request may start at `now` (and records it), or the instant to wait for.
    pub(crate) fn admit(&mut self, now: Timestamp) -> Option<Timestamp> {
        while self
            .recent
            .front()
            .is_some_and(|t| now.millis_since(*t) >= 1000)
        {
            self.recent.pop_front();
        }
        if self.recent.len() < CARESOFT_PER_SECOND {
            self.recent.push_back(now);
            return None;
        }
        self.recent
            .front()
            .map(|first| first.saturating_add_millis(1000))
    }
}
