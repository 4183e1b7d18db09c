//! State shared by the accept loop, the connection threads and the delivery-report worker.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use crate::caresoft::CareSoftState;
use crate::config::EmulatorConfig;
use crate::dlr::DlrJob;
use crate::esms::EsmsState;
use crate::faults::FaultQueue;
use crate::interits::InterItsState;
use crate::records::{AcceptedMessage, DeliveryAttempt};

/// Everything the threads share; owned through an `Arc`.
pub(crate) struct Shared {
    pub config: EmulatorConfig,
    state: Mutex<State>,
    pub clock: Clock,
    pub ids: IdGen,
    pub shutdown: AtomicBool,
    /// Delivery-report queue; `None` once shutdown started (the worker then sees a hang-up).
    pub dlr: Mutex<Option<Sender<DlrJob>>>,
}

impl Shared {
    pub fn new(config: EmulatorConfig, dlr: Sender<DlrJob>) -> Self {
        let state = State::new(&config);
        Shared {
            config,
            state: Mutex::new(state),
            clock: Clock::default(),
            ids: IdGen::new(),
            shutdown: AtomicBool::new(false),
            dlr: Mutex::new(Some(dlr)),
        }
    }

    /// Locks the state. A panic while the lock was held cannot leave it half-updated in a way
    /// that matters more than losing the emulator, so poisoning is ignored rather than spread.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn is_shutting_down(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    /// Queues a delivery report (dropped silently once shutdown started).
    pub fn schedule_report(&self, job: DlrJob) {
        let guard = self.dlr.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tx) = guard.as_ref() {
            let _ = tx.send(job);
        }
    }

    /// Back to the state of a fresh start: records, seen request ids, faults, balances,
    /// CareSoft windows and lock-outs, run-time settings, and the clock offset. Portal ids keep
    /// counting (see [`IdGen::serial`]).
    pub fn reset(&self) {
        let mut state = self.lock();
        let epoch = state.epoch + 1;
        *state = State::new(&self.config);
        state.epoch = epoch;
        drop(state);
        self.clock.reset();
    }
}

/// Mutable state behind the lock.
pub(crate) struct State {
    pub messages: Vec<AcceptedMessage>,
    pub reports: Vec<DeliveryAttempt>,
    pub faults: FaultQueue,
    /// Bumped by every reset so that delivery reports scheduled before it are dropped.
    pub epoch: u64,
    pub esms: EsmsState,
    pub caresoft: CareSoftState,
    pub interits: InterItsState,
}

impl State {
    fn new(config: &EmulatorConfig) -> Self {
        State {
            messages: Vec::new(),
            reports: Vec::new(),
            faults: FaultQueue::default(),
            epoch: 0,
            esms: EsmsState::new(&config.esms),
            caresoft: CareSoftState::default(),
            interits: InterItsState::new(&config.interits),
        }
    }

    /// Appends an accepted message, numbering it and stamping its creation time.
    pub fn record(&mut self, mut message: AcceptedMessage) {
        message.seq = self.messages.len() as u64 + 1;
        message.created_at_unix_ms = wall_clock_ms();
        self.messages.push(message);
    }
}

/// Milliseconds since the Unix epoch on the real wall clock. Creation times are compared with
/// windows a client computes from its own wall clock (eSMS `GetSmsSentData_V2`), so they do not
/// follow [`Clock`] advances.
pub(crate) fn wall_clock_ms() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or_default()
}

/// Emulator time: the real monotonic clock plus an offset that tests can advance, so that a
/// 15-minute CareSoft lock-out or a 24-hour RequestId block can end without waiting.
#[derive(Default)]
pub(crate) struct Clock {
    offset: Mutex<Duration>,
}

impl Clock {
    pub fn now(&self) -> Instant {
        let offset = *self.offset.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        now.checked_add(offset).unwrap_or(now)
    }

    /// How far tests moved emulator time ahead of the real clock.
    pub fn offset(&self) -> Duration {
        *self.offset.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn advance(&self, by: Duration) {
        let mut offset = self.offset.lock().unwrap_or_else(|e| e.into_inner());
        *offset = offset.saturating_add(by);
    }

    fn reset(&self) {
        *self.offset.lock().unwrap_or_else(|e| e.into_inner()) = Duration::ZERO;
    }
}

/// Unique, unpredictable-looking ids without a `rand` dependency: SplitMix64 over a per-process
/// random seed plus a counter. SplitMix64's mixer is a bijection and the counter never repeats,
/// so two ids from one emulator never collide; the seed makes different runs differ.
pub(crate) struct IdGen {
    seed: u64,
    counter: AtomicU64,
    serial: AtomicU64,
}

impl IdGen {
    fn new() -> Self {
        let mut hasher = RandomState::new().build_hasher();
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        hasher.write_u128(nanos);
        hasher.write_u32(std::process::id());
        IdGen {
            seed: hasher.finish(),
            counter: AtomicU64::new(0),
            // Any start will do; eight digits look like the eSMS portal ids in the samples.
            serial: AtomicU64::new(30_000_001),
        }
    }

    pub fn next_u64(&self) -> u64 {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        splitmix64(
            self.seed
                .wrapping_add(n.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
        )
    }

    /// Increasing numbers, like a database key: never repeated by one emulator, not even
    /// across resets, so ids a client stored before a reset cannot collide with new ones.
    pub fn serial(&self) -> u64 {
        self.serial.fetch_add(1, Ordering::Relaxed)
    }

    /// 32 lower-case hex digits, the shape of the SMSIDs in page 004.
    pub fn hex32(&self) -> String {
        format!("{:016x}{:016x}", self.next_u64(), self.next_u64())
    }

    /// A UUID-shaped (version 4 layout) string.
    pub fn uuid(&self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0x0fff,
            ((b >> 48) & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }
}

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_shaped() {
        let ids = IdGen::new();
        let a = ids.hex32();
        let b = ids.hex32();
        assert_eq!(a.len(), 32);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(a, b);
        let u = ids.uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
    }
}
