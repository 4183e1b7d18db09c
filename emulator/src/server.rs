//! The hand-rolled HTTP/1.1 server: an accept thread, one thread per connection, keep-alive,
//! routing by path prefix, and fault injection at the exact socket moments faults need.
//!
//! Built on `std::net` rather than an HTTP crate because faults need control that libraries
//! hide: an RST before the request is read, an RST after it was processed but before any byte
//! of the answer, a body cut short. Every blocking call has a short timeout so that threads
//! notice shutdown quickly and `Drop` can join them all.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::faults::Fault;
use crate::http::{parse_head, Body, FramingError, Head, Request, Response, CT_JSON};
use crate::shared::Shared;
use crate::{caresoft, control, esms, esms_status, interits};

/// How often blocked reads wake up to look at the shutdown flag.
const POLL: Duration = Duration::from_millis(50);
/// An idle keep-alive connection is closed after this long.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// A started request must arrive completely within this long.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// A write blocked this long (a client that stopped reading) ends the connection.
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);
/// More simultaneous connections than this are closed on accept.
const MAX_CONNECTIONS: usize = 256;

/// Connection threads still (possibly) running, joined on shutdown.
pub(crate) type ConnHandles = Arc<Mutex<Vec<JoinHandle<()>>>>;

/// Starts the accept thread on `listener`.
pub(crate) fn spawn_acceptor(
    listener: TcpListener,
    shared: Arc<Shared>,
    conns: ConnHandles,
) -> io::Result<JoinHandle<()>> {
    thread::Builder::new()
        .name("nhantin-emulator-accept".to_owned())
        .spawn(move || accept_loop(&listener, &shared, &conns))
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>, conns: &ConnHandles) {
    for stream in listener.incoming() {
        if shared.is_shutting_down() {
            return;
        }
        let stream = match stream {
            Ok(s) => s,
            Err(e) => {
                // EMFILE and friends: back off instead of spinning.
                log::warn!("emulator accept failed: {e}");
                thread::sleep(POLL);
                continue;
            }
        };
        let mut handles = conns.lock().unwrap_or_else(|e| e.into_inner());
        handles.retain(|h| !h.is_finished());
        if handles.len() >= MAX_CONNECTIONS {
            continue;
        }
        let shared = Arc::clone(shared);
        let spawned = thread::Builder::new()
            .name("nhantin-emulator-conn".to_owned())
            .spawn(move || serve(&shared, stream));
        match spawned {
            Ok(handle) => handles.push(handle),
            Err(e) => log::warn!("emulator could not start a connection thread: {e}"),
        }
    }
}

/// Wakes a blocked `accept()` by connecting to it (portable, unlike shutting the listener).
pub(crate) fn wake_acceptor(addr: SocketAddr) {
    let _ = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
}

/// Routes a request to its provider by path prefix.
pub(crate) fn route(shared: &Shared, req: &Request) -> Response {
    let path = req.head.path.as_str();
    if let Some(rest) = path.strip_prefix(esms::PREFIX) {
        esms::handle(shared, req, rest)
    } else if let Some(rest) = path.strip_prefix(esms_status::PREFIX) {
        esms_status::handle(shared, req, rest)
    } else if let Some(rest) = path.strip_prefix(caresoft::PREFIX) {
        caresoft::handle(shared, req, rest)
    } else if path.starts_with(interits::PREFIX) {
        interits::handle(shared, req)
    } else if let Some(rest) = path.strip_prefix(control::PREFIX) {
        control::handle(shared, req, rest)
    } else {
        Response::text(404, "Not Found")
    }
}

/// Result of waiting for bytes.
enum Fill {
    Data,
    /// Peer closed, an I/O error, or shutdown: end the connection.
    Closed,
    /// Nothing arrived within [`POLL`].
    Nothing,
}

struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    fn fill(&mut self, shared: &Shared) -> Fill {
        if shared.is_shutting_down() {
            return Fill::Closed;
        }
        let mut chunk = [0u8; 16 * 1024];
        match self.stream.read(&mut chunk) {
            Ok(0) => Fill::Closed,
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                Fill::Data
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::Interrupted
                ) =>
            {
                Fill::Nothing
            }
            Err(_) => Fill::Closed,
        }
    }

    /// Waits for the next request head. `Ok(None)` means "close quietly".
    fn read_head(&mut self, shared: &Shared) -> Result<Option<Head>, FramingError> {
        let started = Instant::now();
        loop {
            if !self.buf.is_empty() {
                if let Some((head, used)) = parse_head(&self.buf, shared.config.max_request_bytes)?
                {
                    self.buf.drain(..used);
                    return Ok(Some(head));
                }
            }
            match self.fill(shared) {
                Fill::Data => {}
                Fill::Closed => return Ok(None),
                Fill::Nothing => {
                    let limit = if self.buf.is_empty() {
                        IDLE_TIMEOUT
                    } else {
                        REQUEST_TIMEOUT
                    };
                    if started.elapsed() > limit {
                        return Ok(None);
                    }
                }
            }
        }
    }

    /// Reads a body of `len` bytes; `None` if the connection ends first.
    fn read_body(&mut self, shared: &Shared, len: usize) -> Option<Vec<u8>> {
        let started = Instant::now();
        while self.buf.len() < len {
            match self.fill(shared) {
                Fill::Data => {}
                Fill::Closed => return None,
                Fill::Nothing if started.elapsed() > REQUEST_TIMEOUT => return None,
                Fill::Nothing => {}
            }
        }
        Some(self.buf.drain(..len).collect())
    }

    fn write(&mut self, shared: &Shared, response: &Response, keep_alive: bool) -> io::Result<()> {
        self.stream.write_all(&response.head_bytes(keep_alive))?;
        match &response.body {
            Body::Bytes(bytes) => self.stream.write_all(bytes)?,
            Body::Padding(len) => write_padding(shared, &mut self.stream, *len)?,
        }
        self.stream.flush()
    }

    /// Closes with an RST instead of a FIN: `SO_LINGER` with a zero timeout makes `close()`
    /// discard unsent data and reset the connection.
    fn reset(self) {
        let _ = socket2::SockRef::from(&self.stream).set_linger(Some(Duration::ZERO));
        drop(self.stream);
    }

    /// Closes after an answer: FIN first, then a short drain of whatever the client is still
    /// sending, so the kernel does not answer unread bytes with an RST that could destroy the
    /// answer before the client reads it (e.g. after a 413).
    fn close(mut self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Write);
        let started = Instant::now();
        let mut drained = 0usize;
        let mut chunk = [0u8; 16 * 1024];
        while started.elapsed() < Duration::from_millis(200) && drained < 1024 * 1024 {
            match self.stream.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => drained += n,
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) => {}
                Err(_) => break,
            }
        }
    }
}

/// Writes `{"padding":"aaaa…"}` of exactly `len` bytes, in chunks, without allocating `len`.
fn write_padding(shared: &Shared, out: &mut TcpStream, len: usize) -> io::Result<()> {
    const PREFIX: &[u8] = b"{\"padding\":\"";
    const SUFFIX: &[u8] = b"\"}";
    let chunk = [b'a'; 64 * 1024];
    let (prefix, suffix, mut fill) = if len >= PREFIX.len() + SUFFIX.len() {
        (PREFIX, SUFFIX, len - PREFIX.len() - SUFFIX.len())
    } else {
        (&b""[..], &b""[..], len)
    };
    out.write_all(prefix)?;
    while fill > 0 {
        if shared.is_shutting_down() {
            return Err(io::Error::other("emulator shutting down"));
        }
        let n = fill.min(chunk.len());
        out.write_all(&chunk[..n])?;
        fill -= n;
    }
    out.write_all(suffix)
}

/// Sleeps `total`, waking every [`POLL`] to honour shutdown. `false` if shutdown interrupted.
fn sleep_unless_shutdown(shared: &Shared, total: Duration) -> bool {
    // A delay too long for `Instant` (e.g. `Duration::MAX`) means "until shutdown".
    let deadline = Instant::now().checked_add(total);
    loop {
        if shared.is_shutting_down() {
            return false;
        }
        let left = deadline.map_or(POLL, |d| d.saturating_duration_since(Instant::now()));
        if left.is_zero() {
            return true;
        }
        thread::sleep(left.min(POLL));
    }
}

/// The answer a fault gives instead of processing, if it does not process the request.
fn fault_answer(fault: &Fault) -> Option<Response> {
    match fault {
        Fault::Status(code) => Some(Response::text(
            *code,
            &format!("{code} {}", crate::http::reason(*code)),
        )),
        Fault::TooManyRequests { retry_after_secs } => Some(
            Response::text(429, "Too Many Requests")
                .with_header("Retry-After", retry_after_secs.to_string()),
        ),
        Fault::HtmlPage => Some(Response::new(
            200,
            "text/html; charset=utf-8",
            "<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head>\
             <body><h1>Service temporarily unavailable</h1>\
             <p>The server is temporarily unable to service your request. Please try again later.</p>\
             </body></html>\n",
        )),
        Fault::OversizedBody(len) => Some(Response {
            status: 200,
            headers: vec![("Content-Type", CT_JSON.to_owned())],
            body: Body::Padding(*len),
        }),
        Fault::Delay(_) | Fault::ResetBeforeRead | Fault::ResetAfterAccept | Fault::MalformedJson => {
            None
        }
    }
}

/// The real answer with its body cut in half and its status forced to 200.
fn truncate(mut response: Response) -> Response {
    let bytes = match response.body {
        Body::Bytes(b) if b.len() >= 2 => {
            let cut = b.len() / 2;
            b[..cut].to_vec()
        }
        _ => b"{\"CodeResult\":".to_vec(),
    };
    response.status = 200;
    response.body = Body::Bytes(bytes);
    response
}

/// Serves one connection until it closes, fails, idles out or the emulator shuts down.
fn serve(shared: &Shared, stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    if stream.set_read_timeout(Some(POLL)).is_err()
        || stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err()
    {
        return;
    }
    let mut conn = Conn {
        stream,
        buf: Vec::new(),
    };
    loop {
        let head = match conn.read_head(shared) {
            Ok(Some(head)) => head,
            Ok(None) => return,
            Err(framing) => {
                let _ = conn.write(shared, &framing.response(), false);
                conn.close();
                return;
            }
        };
        let fault = if head.path.starts_with(control::PREFIX) {
            None
        } else {
            shared.lock().faults.take(&head.path)
        };
        if fault == Some(Fault::ResetBeforeRead) {
            conn.reset();
            return;
        }
        if head.expect_continue
            && conn
                .stream
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .is_err()
        {
            return;
        }
        let Some(body) = conn.read_body(shared, head.content_length) else {
            return;
        };
        let request = Request { head, body };
        let keep_alive = request.head.keep_alive;

        let response = match &fault {
            Some(f) => match fault_answer(f) {
                Some(answer) => answer,
                None => {
                    if let Fault::Delay(d) = f {
                        if !sleep_unless_shutdown(shared, *d) {
                            return;
                        }
                    }
                    let real = route(shared, &request);
                    match f {
                        Fault::ResetAfterAccept => {
                            conn.reset();
                            return;
                        }
                        Fault::MalformedJson => truncate(real),
                        _ => real,
                    }
                }
            },
            None => route(shared, &request),
        };
        if conn.write(shared, &response, keep_alive).is_err() {
            return;
        }
        if !keep_alive {
            conn.close();
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use proptest::prelude::*;

    use super::*;
    use crate::config::EmulatorConfig;
    use crate::http::{parse_head, Method};

    const PATHS: &[&str] = &[
        "/esms/MainService.svc/json/SendMultipleMessage_V4/",
        "/esms/MainService.svc/json/SendMultipleSMSBrandname",
        "/esms/MainService.svc/json/SendMultipleMessage_V4_get",
        "/esms/MainService.svc/json/SendMultipleMessage_V4_post_json/",
        "/esms/MainService.svc/json/SendMultipleSMSBrandname_json/",
        "/esms/MainService.svc/json/Send_Multiple_Sms_OTT/",
        "/esms/MainService.svc/json/GetBalance_json",
        "/esms/MainService.svc/json/GetSendStatus",
        "/esms/MainService.svc/json/GetSmsReceiverStatus_get",
        "/esms/MainService.svc/json/SendZaloMessage_V6/",
        "/esms/MainService.svc/json/SendZaloMessage_V6/zalo_uid/",
        "/esms/MainService.svc/json/SendZaloMessage_V6/hash_phone/",
        "/esms/MainService.svc/json/SendZaloMessage_V5_post/",
        "/esms/MainService.svc/json/SendZaloMessage_V4_post_json/",
        "/caresoft/demo/api/v1/sms",
        "/caresoft/demo/api/v1/zalo/zns",
        "/interits/api/vendor/v1/sms/send-message",
        "/interits/api/vendor/v1/zalo/send-zns",
        "/interits/api/vendor/v1/zalo/message-detail",
        "/_emulator/faults",
        "/_emulator/advance-clock",
    ];

    fn request(
        path: &str,
        method: Method,
        ct: &str,
        query: Option<String>,
        body: Vec<u8>,
    ) -> Request {
        Request {
            head: Head {
                method,
                path: path.to_owned(),
                query,
                headers: vec![
                    ("Content-Type".to_owned(), ct.to_owned()),
                    (
                        "Authorization".to_owned(),
                        "Bearer DEMO_CARESOFT_TOKEN".to_owned(),
                    ),
                    ("API-KEY".to_owned(), "DEMO_INTERITS_KEY".to_owned()),
                ],
                keep_alive: true,
                content_length: body.len(),
                expect_continue: false,
            },
            body,
        }
    }

    /// JSON-ish and XML-ish fragments so that generated bodies get past the first parse step.
    fn body_strategy() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..256),
            "\\{(\"[A-Za-z_]{1,12}\":(\"[0-9a-zA-Z ]{0,12}\"|[0-9]{1,3}|\\[\"0[0-9]{9}\"\\]|null|true|\\{\\}),?){0,8}\\}"
                .prop_map(String::into_bytes),
            "<RQST>(<[A-Z]{3,9}>[0-9a-zA-Z&;#<>/ ]{0,12}</[A-Z]{3,9}>){0,6}</RQST>".prop_map(String::into_bytes),
        ]
    }

    proptest! {
        #[test]
        fn parse_head_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = parse_head(&bytes, 1024);
        }

        #[test]
        fn routing_never_panics(
            path_index in 0..PATHS.len(),
            post in any::<bool>(),
            json in any::<bool>(),
            query in proptest::option::of("[A-Za-z%+=&0-9]{0,40}"),
            body in body_strategy(),
        ) {
            let (tx, _rx) = mpsc::channel();
            let shared = Shared::new(EmulatorConfig::default(), tx);
            let method = if post { Method::Post } else { Method::Get };
            let ct = if json { "application/json" } else { "text/plain" };
            let req = request(PATHS[path_index], method, ct, query, body);
            let response = route(&shared, &req);
            prop_assert!((200..600).contains(&response.status));
        }
    }
}
