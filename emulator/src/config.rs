//! What the emulator knows about its tenants: accounts, keys, brandnames and limits.
//!
//! Everything is a plain struct with public fields so a test can build exactly the world it
//! needs (`EmulatorConfig { port: 0, ..Default::default() }`). The [`Default`] values are the
//! demo credentials that the `nhantin demo` command and the cross-language tests share; they
//! are not secrets, they only open doors of this loopback emulator.

use std::time::Duration;

/// Demo eSMS API key accepted by [`EmulatorConfig::default`].
pub const DEMO_ESMS_API_KEY: &str = "DEMO_ESMS_API_KEY";
/// Demo eSMS secret key accepted by [`EmulatorConfig::default`].
pub const DEMO_ESMS_SECRET_KEY: &str = "DEMO_ESMS_SECRET_KEY";
/// Demo CareSoft tenant domain (the first path segment) of [`EmulatorConfig::default`].
pub const DEMO_CARESOFT_DOMAIN: &str = "demo";
/// Demo CareSoft API token of [`EmulatorConfig::default`].
pub const DEMO_CARESOFT_TOKEN: &str = "DEMO_CARESOFT_TOKEN";
/// Demo InterITS `API-KEY` of [`EmulatorConfig::default`].
pub const DEMO_INTERITS_KEY: &str = "DEMO_INTERITS_KEY";

/// The whole emulated world. Build it with struct-update syntax from [`Default`].
#[derive(Debug, Clone, PartialEq)]
pub struct EmulatorConfig {
    /// TCP port to bind on 127.0.0.1; `0` (the default) lets the OS pick a free one, which is
    /// what tests want so that parallel test binaries never collide.
    pub port: u16,
    /// eSMS accounts and pricing.
    pub esms: EsmsConfig,
    /// CareSoft tenants and the rate-limit lock-out rule.
    pub caresoft: CareSoftConfig,
    /// InterITS API keys.
    pub interits: InterItsConfig,
    /// How long after accepting an eSMS message its delivery report is sent. Short by default
    /// so tests stay fast, but not zero, so that the report arrives after the send's answer as
    /// it does in real life.
    pub delivery_report_delay: Duration,
    /// Connect/read timeout of the delivery-report GET client.
    pub delivery_report_timeout: Duration,
    /// Whether sandbox sends (`Sandbox`/`IsSandBox` = "1") get delivery reports. eSMS says a
    /// sandbox message is validated but neither delivered nor charged, so the default is `false`.
    pub sandbox_delivery_reports: bool,
    /// Largest request (head plus body) the server reads; larger bodies get 413 and a close.
    pub max_request_bytes: usize,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            port: 0,
            esms: EsmsConfig::default(),
            caresoft: CareSoftConfig::default(),
            interits: InterItsConfig::default(),
            delivery_report_delay: Duration::from_millis(50),
            delivery_report_timeout: Duration::from_secs(2),
            sandbox_delivery_reports: false,
            max_request_bytes: 8 * 1024 * 1024,
        }
    }
}

/// eSMS side of the world.
#[derive(Debug, Clone, PartialEq)]
pub struct EsmsConfig {
    /// Accounts, matched on the exact (`ApiKey`, `SecretKey`) pair.
    pub accounts: Vec<EsmsAccount>,
    /// Price charged per recipient of a non-sandbox message, in VND. It feeds `TotalPrice` in
    /// delivery reports and status queries (the Viber callback sample shows `470.0000` for one
    /// recipient) and is debited from the account balance (code 103 when it does not suffice).
    pub price_per_recipient: u64,
    /// Largest recipient list accepted by the multi-recipient endpoints (code 120 above it).
    /// eSMS documents 5000 for advertising; the digest (D-D1, D-F6) applies it to every list.
    pub max_recipients: usize,
    /// Smallest recipient list for advertising (SmsType 1); code 107 below it.
    pub min_advertising_recipients: usize,
    /// Phones whose delivery fails: their reports say `SendSuccess=0, SendFailed=1` and
    /// `GetSmsReceiverStatus_get` reports `SentResult: false`. Lets tests see partial failure.
    pub undeliverable_phones: Vec<String>,
    /// Whether the JSON operations accept `SmsType`, `IsUnicode`, `Sandbox` and `IsSandBox` as
    /// JSON numbers as well as strings. Every eSMS example sends strings, but some tables type
    /// them "number", so the real server evidently takes both (digest D-C1, D-F4) and the
    /// default is `true`. A test that wants to prove its client sends the examples' strings
    /// sets it to `false`, and numbers then get `{"error":"Invalid request"}`.
    pub accept_numeric_codes: bool,
}

impl Default for EsmsConfig {
    fn default() -> Self {
        EsmsConfig {
            accounts: vec![EsmsAccount::default()],
            price_per_recipient: 470,
            max_recipients: 5000,
            min_advertising_recipients: 30,
            undeliverable_phones: Vec::new(),
            accept_numeric_codes: true,
        }
    }
}

/// One eSMS customer account.
#[derive(Debug, Clone, PartialEq)]
pub struct EsmsAccount {
    /// `ApiKey` / `APIKEY`.
    pub api_key: String,
    /// `SecretKey` / `SECRETKEY`.
    pub secret_key: String,
    /// Registered brandnames, matched exactly (code 104 otherwise).
    pub brandnames: Vec<String>,
    /// Starting balance in VND; `reset()` restores it.
    pub balance: u64,
    /// `UserID` answered by `GetBalance_json`.
    pub user_id: u64,
}

impl Default for EsmsAccount {
    fn default() -> Self {
        EsmsAccount {
            api_key: DEMO_ESMS_API_KEY.to_owned(),
            secret_key: DEMO_ESMS_SECRET_KEY.to_owned(),
            brandnames: vec!["NHANTIN".to_owned(), "Baotrixemay".to_owned()],
            balance: 10_000_000,
            user_id: 9999,
        }
    }
}

/// CareSoft side of the world.
#[derive(Debug, Clone, PartialEq)]
pub struct CareSoftConfig {
    /// Tenants, matched on the exact domain path segment.
    pub tenants: Vec<CareSoftTenant>,
    /// CareSoft locks a domain out after *more than* this many consecutive 429 answers
    /// (documented: 20).
    pub lockout_after_consecutive_429: u32,
    /// How long the lock-out lasts, in emulator time (documented: 15 minutes). Tests end it
    /// early with `Emulator::reset` or `Emulator::advance_clock`.
    pub lockout: Duration,
}

impl Default for CareSoftConfig {
    fn default() -> Self {
        CareSoftConfig {
            tenants: vec![CareSoftTenant::default()],
            lockout_after_consecutive_429: 20,
            lockout: Duration::from_secs(15 * 60),
        }
    }
}

/// One CareSoft tenant ("domain").
#[derive(Debug, Clone, PartialEq)]
pub struct CareSoftTenant {
    /// The first path segment, e.g. `khachhang01`.
    pub domain: String,
    /// The bearer token of the domain.
    pub api_token: String,
    /// Ids of the SMS services integrated into the tenant; `service_id` must be one of them.
    pub service_ids: Vec<u64>,
    /// Requests allowed per window (documented: 15 per second).
    pub rate_limit: RateLimit,
}

impl Default for CareSoftTenant {
    fn default() -> Self {
        CareSoftTenant {
            domain: DEMO_CARESOFT_DOMAIN.to_owned(),
            api_token: DEMO_CARESOFT_TOKEN.to_owned(),
            service_ids: vec![12],
            rate_limit: RateLimit::default(),
        }
    }
}

/// A fixed-window request budget, the way Laravel's throttle middleware counts (CareSoft's
/// "Too Many Attempts." is that middleware's stock message): the first request opens a window
/// of `per`, at most `max_requests` are served in it, and refused requests do not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests served per window.
    pub max_requests: u32,
    /// Window length.
    pub per: Duration,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            max_requests: 15,
            per: Duration::from_secs(1),
        }
    }
}

/// InterITS side of the world.
#[derive(Debug, Clone, PartialEq)]
pub struct InterItsConfig {
    /// Accepted `API-KEY`s.
    pub keys: Vec<InterItsKey>,
    /// Whether a repeated `requestId` from the same `API-KEY` is answered with the first answer
    /// and not recorded again. No InterITS page documents such de-duplication, so the default
    /// is `false`: a repeat is a second message, as a client must assume. Switchable at run time
    /// with `Emulator::set_interits_dedup_request_id` or `POST /_emulator/settings`.
    pub dedup_request_id: bool,
}

impl Default for InterItsConfig {
    fn default() -> Self {
        InterItsConfig {
            keys: vec![InterItsKey::default()],
            dedup_request_id: false,
        }
    }
}

/// One InterITS business key ("Key License").
#[derive(Debug, Clone, PartialEq)]
pub struct InterItsKey {
    /// The `API-KEY` header value.
    pub api_key: String,
    /// Brandnames the key may send `from`.
    pub brandnames: Vec<String>,
}

impl Default for InterItsKey {
    fn default() -> Self {
        InterItsKey {
            api_key: DEMO_INTERITS_KEY.to_owned(),
            brandnames: vec!["NHANTIN".to_owned()],
        }
    }
}
