//! The bounded pool that runs the blocking client for the async exports.
//!
//! An async call queues its work here and awaits a one-shot channel; at most [`THREADS`] calls
//! run at once and the rest wait their turn in order, so a `gather` of ten thousand sends never
//! makes ten thousand threads. Dropping the awaiting future (a cancelled task) takes a call
//! that is still waiting for a thread out of the queue: it never starts, so a program that
//! cancels its tasks at shut-down does not go on sending its backlog for minutes. Work already
//! running is not stopped: a send that started may still be delivered. The caller cannot tell
//! which of the two happened, which is why the request id is known before the call.

use std::future::Future;
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};

/// Worker threads: enough to keep many sends in flight over the connection pool, few enough
/// for an ERP host.
pub(crate) const THREADS: usize = 16;

type Job = Box<dyn FnOnce() + Send>;

static QUEUE: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();

fn queue() -> &'static Mutex<mpsc::Sender<Job>> {
    QUEUE.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = std::sync::Arc::new(Mutex::new(rx));
        for i in 0..THREADS {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("nhantin-async-{i}"))
                .spawn(move || loop {
                    let job = match rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(poisoned) => poisoned.into_inner().recv(),
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                });
            if let Err(e) = spawned {
                log::error!("nhantin could not start async worker {i}: {e}");
            }
        }
        Mutex::new(tx)
    })
}

/// Runs `work` on the pool; the future gives its result. A panic in `work` is raised again
/// where the future is awaited (where UniFFI turns it into its internal error).
pub(crate) fn run<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> impl Future<Output = T> + Send {
    let (tx, rx) = futures_channel::oneshot::channel();
    let job: Job = Box::new(move || {
        // Cancelled while it waited: nothing was started, so nothing is sent.
        if tx.is_canceled() {
            return;
        }
        // The worker is inside an entry point while it works: a panic stays quiet (`quiet`).
        let _entry = crate::quiet::enter();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
        // The awaiting side may be gone (cancelled): the result is dropped.
        let _ = tx.send(result);
    });
    let queued = match queue().lock() {
        Ok(q) => q.send(job),
        Err(poisoned) => poisoned.into_inner().send(job),
    };
    async move {
        if queued.is_err() {
            panic!("nhantin's async pool has stopped");
        }
        match rx.await {
            Ok(Ok(value)) => value,
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => panic!("nhantin's async worker dropped a call"),
        }
    }
}
