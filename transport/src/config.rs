//! Client settings, with defaults that are safe: timeouts always on, https only, bounded retries.

use std::time::Duration;

/// How the client talks to a provider. `Default` gives production-safe values; set fields with
/// `ClientConfig { request_timeout: …, ..ClientConfig::default() }`.
// Debug is written by hand below: the proxy URL may carry a user name and password.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// Time allowed to establish a connection (TCP + TLS). Default 10 s.
    pub connect_timeout: Duration,
    /// Time allowed for one attempt, from sending to the last body byte. Default 30 s.
    pub request_timeout: Duration,
    /// Attempts per request, the first included. Default 4; 1 disables retries.
    pub max_attempts: u32,
    /// No retry starts after this much time since the first attempt. Default 60 s.
    pub total_deadline: Duration,
    /// First backoff; doubles per retry, with full jitter. Default 200 ms.
    pub initial_backoff: Duration,
    /// Longest backoff between attempts (a provider's `Retry-After` may ask for more, within
    /// the deadline). Default 5 s.
    pub max_backoff: Duration,
    /// Answers larger than this are not read (they are no provider's answer). Default 1 MiB.
    pub max_response_bytes: usize,
    /// Permit plain `http://` base URLs. Only for the loopback emulator and test rigs: keys and
    /// phone numbers travel in clear text otherwise. Default false.
    pub allow_insecure_http: bool,
    /// An explicit proxy (`http://proxy:3128`); `None` uses `HTTPS_PROXY`/`NO_PROXY` from the
    /// environment.
    pub proxy: Option<String>,
    /// Ignore proxy environment variables (only the explicit `proxy`, if any, is used).
    pub no_env_proxy: bool,
    /// The `User-Agent`. Default `nhantin/<version>`.
    pub user_agent: String,
    /// Pace CareSoft sends to its documented 15 requests per second. Default true.
    pub pace_caresoft: bool,
    /// Longest `Retry-After` honoured; a provider asking for longer ends the send as rate
    /// limited (or unknown) instead of blocking the caller. Default 60 s.
    pub max_retry_after: Duration,
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Only scheme and host of the proxy: never its credentials.
        let proxy = self.proxy.as_deref().map(|p| match p.split_once("://") {
            Some((scheme, rest)) => format!(
                "{scheme}://{}",
                rest.rsplit_once('@').map_or(rest, |(_, host)| host)
            ),
            None => p.rsplit_once('@').map_or(p, |(_, host)| host).to_owned(),
        });
        f.debug_struct("ClientConfig")
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("max_attempts", &self.max_attempts)
            .field("total_deadline", &self.total_deadline)
            .field("initial_backoff", &self.initial_backoff)
            .field("max_backoff", &self.max_backoff)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("proxy", &proxy)
            .field("no_env_proxy", &self.no_env_proxy)
            .field("user_agent", &self.user_agent)
            .field("pace_caresoft", &self.pace_caresoft)
            .field("max_retry_after", &self.max_retry_after)
            .finish()
    }
}

impl ClientConfig {
    /// Core's send policy with these settings.
    pub fn send_policy(&self) -> nhantin_core::send::SendPolicy {
        let ms = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        nhantin_core::send::SendPolicy {
            max_attempts: self.max_attempts,
            total_deadline_ms: ms(self.total_deadline),
            initial_backoff_ms: ms(self.initial_backoff),
            max_backoff_ms: ms(self.max_backoff),
            max_retry_after_ms: ms(self.max_retry_after),
            pace_caresoft: self.pace_caresoft,
        }
    }
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_attempts: 4,
            total_deadline: Duration::from_secs(60),
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_response_bytes: 1024 * 1024,
            allow_insecure_http: false,
            proxy: None,
            no_env_proxy: false,
            user_agent: format!("nhantin/{}", env!("CARGO_PKG_VERSION")),
            pace_caresoft: true,
            max_retry_after: Duration::from_secs(60),
        }
    }
}
