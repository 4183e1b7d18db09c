//! Fault injection: the network and gateway failures a client must survive without sending a
//! message twice.
//!
//! Faults wait in a FIFO queue. Each request (control requests under `/_emulator/` excepted)
//! takes the first queued entry whose path filter it matches; an entry serves `times` requests
//! and then disappears. Whether the request is *processed* (validated, recorded, its delivery
//! report scheduled) is part of each fault's meaning, see [`Fault::processes_request`]: that is
//! what separates "safe to retry" from "did it go through?".

use std::collections::VecDeque;
use std::time::Duration;

use serde::Deserialize;

/// One kind of injected failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Wait this long, then process and answer normally (client timeouts).
    Delay(Duration),
    /// Reset the connection (RST, via `SO_LINGER` 0) right after the request head arrives,
    /// without processing anything: the request certainly did not go through.
    ResetBeforeRead,
    /// Read and fully process the request (it is recorded, its delivery report is scheduled),
    /// then reset the connection without answering: the "did it go through?" case.
    ResetAfterAccept,
    /// Answer this status (e.g. 500, 503) with a small text body, without processing: a
    /// gateway in front of the provider failed.
    Status(u16),
    /// Answer 429 with `Retry-After: <secs>`, without processing.
    TooManyRequests {
        /// Value of the `Retry-After` header, in seconds.
        retry_after_secs: u64,
    },
    /// Process the request, then answer 200 with the real JSON body cut in half: the answer is
    /// garbled but the message went through.
    MalformedJson,
    /// Answer 200 with an HTML error page (`text/html`), without processing: a captive portal,
    /// WAF or proxy page.
    HtmlPage,
    /// Answer 200 with a JSON body of this many bytes, without processing (tests that a client
    /// caps what it reads).
    OversizedBody(usize),
}

impl Fault {
    /// Whether the emulator validates, records and answers (or would answer) the request under
    /// this fault. `true` for [`Fault::Delay`], [`Fault::ResetAfterAccept`] and
    /// [`Fault::MalformedJson`]; `false` for the others.
    pub fn processes_request(&self) -> bool {
        matches!(
            self,
            Fault::Delay(_) | Fault::ResetAfterAccept | Fault::MalformedJson
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    fault: Fault,
    remaining: u32,
    path_filter: Option<String>,
}

/// The queue.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    entries: VecDeque<Entry>,
}

impl FaultQueue {
    /// Queues `fault` for the next `times` requests whose path contains `path_filter` (all
    /// requests when `None`). `times == 0` queues nothing.
    pub fn push(&mut self, fault: Fault, times: u32, path_filter: Option<&str>) {
        if times == 0 {
            return;
        }
        self.entries.push_back(Entry {
            fault,
            remaining: times,
            path_filter: path_filter.map(str::to_owned),
        });
    }

    /// The fault for a request to `path`, consuming one use of the first matching entry.
    pub fn take(&mut self, path: &str) -> Option<Fault> {
        let index = self.entries.iter().position(|e| {
            e.path_filter
                .as_deref()
                .is_none_or(|filter| path.contains(filter))
        })?;
        let entry = &mut self.entries[index];
        let fault = entry.fault.clone();
        entry.remaining -= 1;
        if entry.remaining == 0 {
            self.entries.remove(index);
        }
        Some(fault)
    }
}

/// Wire form of a fault for `POST /_emulator/faults`:
/// `{"fault":"reset_after_accept","times":1,"path":"send-message"}`. Kinds and their extra
/// members: `delay` (`millis`), `reset_before_read`, `reset_after_accept`, `status` (`status`,
/// 400..=599), `too_many_requests` (`retry_after_secs`), `malformed_json`, `html_page`,
/// `oversized_body` (`bytes`). `times` defaults to 1, `path` to every path.
#[derive(Debug, Deserialize)]
pub(crate) struct FaultRequest {
    #[serde(flatten)]
    pub spec: FaultSpec,
    #[serde(default = "one")]
    pub times: u32,
    #[serde(default)]
    pub path: Option<String>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Deserialize)]
#[serde(tag = "fault", rename_all = "snake_case")]
pub(crate) enum FaultSpec {
    Delay { millis: u64 },
    ResetBeforeRead,
    ResetAfterAccept,
    Status { status: u16 },
    TooManyRequests { retry_after_secs: u64 },
    MalformedJson,
    HtmlPage,
    OversizedBody { bytes: usize },
}

impl FaultSpec {
    /// The fault, or why the spec is unusable.
    pub fn into_fault(self) -> Result<Fault, &'static str> {
        Ok(match self {
            FaultSpec::Delay { millis } => Fault::Delay(Duration::from_millis(millis)),
            FaultSpec::ResetBeforeRead => Fault::ResetBeforeRead,
            FaultSpec::ResetAfterAccept => Fault::ResetAfterAccept,
            FaultSpec::Status { status } if (400..=599).contains(&status) => Fault::Status(status),
            FaultSpec::Status { .. } => return Err("status must be in 400..=599"),
            FaultSpec::TooManyRequests { retry_after_secs } => {
                Fault::TooManyRequests { retry_after_secs }
            }
            FaultSpec::MalformedJson => Fault::MalformedJson,
            FaultSpec::HtmlPage => Fault::HtmlPage,
            FaultSpec::OversizedBody { bytes } => Fault::OversizedBody(bytes),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_serve_in_order_and_expire() {
        let mut q = FaultQueue::default();
        q.push(Fault::HtmlPage, 2, None);
        q.push(Fault::MalformedJson, 1, None);
        assert_eq!(q.take("/a"), Some(Fault::HtmlPage));
        assert_eq!(q.take("/a"), Some(Fault::HtmlPage));
        assert_eq!(q.take("/a"), Some(Fault::MalformedJson));
        assert_eq!(q.take("/a"), None);
    }

    #[test]
    fn path_filter_skips_other_paths() {
        let mut q = FaultQueue::default();
        q.push(Fault::ResetAfterAccept, 1, Some("caresoft"));
        q.push(Fault::Status(503), 1, None);
        assert_eq!(q.take("/esms/x"), Some(Fault::Status(503)));
        assert_eq!(q.take("/esms/x"), None);
        assert_eq!(q.take("/caresoft/demo"), Some(Fault::ResetAfterAccept));
    }

    #[test]
    fn wire_specs() {
        let r: FaultRequest =
            serde_json::from_str(r#"{"fault":"delay","millis":5,"times":2,"path":"x"}"#).unwrap();
        assert_eq!(r.times, 2);
        assert_eq!(r.path.as_deref(), Some("x"));
        assert_eq!(
            r.spec.into_fault(),
            Ok(Fault::Delay(Duration::from_millis(5)))
        );
        let r: FaultRequest = serde_json::from_str(r#"{"fault":"status","status":200}"#).unwrap();
        assert!(r.spec.into_fault().is_err());
        assert!(serde_json::from_str::<FaultRequest>(r#"{"fault":"nope"}"#).is_err());
    }
}
