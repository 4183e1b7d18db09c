//! A plain `std::net` HTTP/1.1 client for the emulator's tests: no reqwest, no nhantin-core,
//! so these tests check the emulator against hand-written wire bytes only.

#![allow(dead_code)] // each test binary uses a different part of this module

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use nhantin_emulator::{Emulator, EmulatorConfig};
use serde_json::Value;

/// One parsed response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("utf-8 body")
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text()))
    }
}

/// A connection that can carry several requests (keep-alive).
pub struct Client {
    pub stream: TcpStream,
    buf: Vec<u8>,
}

impl Client {
    pub fn connect(addr: SocketAddr) -> Client {
        let stream = TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        Client {
            stream,
            buf: Vec::new(),
        }
    }

    /// Writes raw bytes and reads one response.
    pub fn raw(&mut self, bytes: &[u8]) -> io::Result<Resp> {
        self.stream.write_all(bytes)?;
        self.read_response()
    }

    pub fn request(
        &mut self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> io::Result<Resp> {
        let mut raw = format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (name, value) in headers {
            raw.push_str(&format!("{name}: {value}\r\n"));
        }
        if method != "GET" || !body.is_empty() {
            raw.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        raw.push_str("\r\n");
        let mut bytes = raw.into_bytes();
        bytes.extend_from_slice(body);
        self.raw(&bytes)
    }

    pub fn read_response(&mut self) -> io::Result<Resp> {
        let head_end = loop {
            if let Some(i) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            self.fill()?;
        };
        let head = String::from_utf8(self.buf[..head_end].to_vec()).expect("ascii head");
        self.buf.drain(..head_end + 4);
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap();
        let status: u16 = status_line.split(' ').nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .map(|l| {
                let (n, v) = l.split_once(':').expect("header line");
                (n.to_owned(), v.trim().to_owned())
            })
            .collect();
        let len: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map(|(_, v)| v.parse().unwrap())
            .unwrap_or(0);
        while self.buf.len() < len {
            self.fill()?;
        }
        let body = self.buf.drain(..len).collect();
        Ok(Resp {
            status,
            headers,
            body,
        })
    }

    fn fill(&mut self) -> io::Result<()> {
        let mut chunk = [0u8; 64 * 1024];
        let n = self.stream.read(&mut chunk)?;
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "closed"));
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    /// Whether the server closed the connection (EOF) within the read timeout.
    pub fn is_closed(&mut self) -> bool {
        matches!(self.fill(), Err(e) if e.kind() == io::ErrorKind::UnexpectedEof)
    }
}

pub fn start() -> Emulator {
    Emulator::start(EmulatorConfig::default()).expect("emulator starts")
}

pub fn start_with(config: EmulatorConfig) -> Emulator {
    Emulator::start(config).expect("emulator starts")
}

/// One request on a fresh connection.
pub fn call(
    emulator: &Emulator,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp {
    Client::connect(emulator.addr())
        .request(method, target, headers, body)
        .expect("response")
}

pub const ESMS: &str = "/esms/MainService.svc/json/";

pub fn esms_json(emulator: &Emulator, op: &str, body: &Value) -> Resp {
    call(
        emulator,
        "POST",
        &format!("{ESMS}{op}"),
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
}

pub fn esms_xml(emulator: &Emulator, op: &str, xml: &str) -> Resp {
    call(
        emulator,
        "POST",
        &format!("{ESMS}{op}"),
        &[("Content-Type", "text/plain")],
        xml.as_bytes(),
    )
}

pub fn esms_get(emulator: &Emulator, op_and_query: &str) -> Resp {
    call(emulator, "GET", &format!("{ESMS}{op_and_query}"), &[], b"")
}

/// Phones 0901000000, 0901000001, …
pub fn phones(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("0901{i:06}")).collect()
}

pub const INVALID_REQUEST: &str = r#"{"error":"Invalid request"}"#;

/// Formats Unix milliseconds as eSMS writes dates, `yyyy-MM-dd HH:mm:ss` in Vietnam time
/// (UTC+7), with H. Hinnant's `civil_from_days` so the tests need no date crate.
pub fn vn_time(unix_ms: u64) -> String {
    let secs = (unix_ms / 1000) as i64 + 7 * 3600;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

// ---- shared by the eSMS operation tests ----

pub fn sms_id_of(resp: &Resp) -> String {
    assert_eq!(resp.status, 200);
    let v = resp.json();
    assert_eq!(v["CodeResult"], "100", "{}", resp.text());
    let id = v["SMSID"].as_str().unwrap().to_owned();
    assert_eq!(
        resp.text(),
        format!(r#"{{"CodeResult":"100","CountRegenerate":0,"SMSID":"{id}"}}"#)
    );
    id
}

pub fn error_body(code: &str, message: &str) -> String {
    format!(r#"{{"CodeResult":"{code}","CountRegenerate":0,"ErrorMessage":"{message}"}}"#)
}

/// Sends and asserts the exact error body.
pub fn refused(emu: &Emulator, op: &str, body: &Value, code: &str, message: &str) {
    let resp = esms_json(emu, op, body);
    assert_eq!(resp.status, 200);
    assert_eq!(resp.text(), error_body(code, message), "{op} {body}");
}

pub fn invalid(emu: &Emulator, op: &str, body: &Value) {
    let resp = esms_json(emu, op, body);
    assert_eq!(resp.status, 200);
    assert_eq!(resp.text(), INVALID_REQUEST, "{op} {body}");
    assert!(resp.header("X-Emulator-Reason").is_some());
}

/// A loopback HTTP receiver: accepts up to `n` requests within 5 s, answers 200 and hands
/// back their request lines. The thread always ends.
pub fn receiver(n: usize, path: &str) -> (String, mpsc::Receiver<String>, thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}{path}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    let handle = thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut served = 0;
        while served < n && Instant::now() < deadline {
            match listener.accept() {
                Ok((mut s, _)) => {
                    s.set_nonblocking(false).unwrap();
                    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match s.read(&mut chunk) {
                            Ok(0) | Err(_) => break,
                            Ok(k) => buf.extend_from_slice(&chunk[..k]),
                        }
                    }
                    let text = String::from_utf8_lossy(&buf).into_owned();
                    let _ = s.write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                    let _ = tx.send(text.lines().next().unwrap_or_default().to_owned());
                    served += 1;
                }
                Err(_) => thread::sleep(Duration::from_millis(5)),
            }
        }
    });
    (url, rx, handle)
}
