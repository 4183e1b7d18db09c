//! Command-line arguments. Credentials come from flags or, preferably, environment variables
//! (flags are visible in `ps` and shell history).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use nhantin_core::esms::EsmsFormat;
use nhantin_core::input::{CareSoftInput, EsmsInput, InterItsInput, ViberInput};
use nhantin_core::{AccountInput, MessageInput, MessageKind, PhoneFormat, UnicodePolicy};

#[derive(Parser)]
#[command(
    name = "nhantin",
    version,
    about = "Send SMS and Viber messages through eSMS.vn, CareSoft and InterITS"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Send a message and print the outcome.
    Send(SendArgs),
    /// Print the HTTP request core would send, as JSON; sends nothing.
    Encode(EncodeArgs),
    /// Decode a provider answer into an outcome, as JSON.
    Decode(DecodeArgs),
    /// Decode a delivery report (an eSMS callback URL or query, or an InterITS callback body).
    Callback(CallbackArgs),
    /// Run the provider emulator on loopback until interrupted; prints its address.
    Emulator(EmulatorArgs),
    /// Send one message through every endpoint to a built-in emulator; no credentials, no network.
    Demo(DemoArgs),
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ProviderArg {
    Esms,
    Caresoft,
    Interits,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum KindArg {
    Otp,
    CustomerCare,
    Advertising,
    FixedNumber,
    Viber,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum UnicodeArg {
    Auto,
    Force,
    Strip,
    Reject,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Json,
    Xml,
    Get,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PhoneFormatArg {
    National,
    International,
    E164,
}

#[derive(Args)]
pub struct AccountArgs {
    /// The provider.
    #[arg(long, value_enum)]
    pub provider: ProviderArg,
    /// eSMS or InterITS API key [env: NHANTIN_ESMS_API_KEY / NHANTIN_INTERITS_API_KEY].
    #[arg(long)]
    pub api_key: Option<String>,
    /// eSMS secret key [env: NHANTIN_ESMS_SECRET_KEY].
    #[arg(long)]
    pub secret_key: Option<String>,
    /// CareSoft tenant slug [env: NHANTIN_CARESOFT_DOMAIN].
    #[arg(long)]
    pub domain: Option<String>,
    /// CareSoft API token [env: NHANTIN_CARESOFT_TOKEN].
    #[arg(long)]
    pub token: Option<String>,
    /// CareSoft SMS service id [env: NHANTIN_CARESOFT_SERVICE_ID].
    #[arg(long)]
    pub service_id: Option<u64>,
    /// Override the provider's base URL (an emulator, a staging host).
    #[arg(long)]
    pub base_url: Option<String>,
    /// How InterITS destinations are written.
    #[arg(long, value_enum)]
    pub phone_format: Option<PhoneFormatArg>,
    /// InterITS confirmed to you that it de-duplicates by requestId: only then are sends that
    /// may have arrived resent automatically.
    #[arg(long)]
    pub interits_dedup_confirmed: bool,
}

impl AccountArgs {
    pub fn to_input(&self) -> Result<AccountInput, String> {
        let from = |flag: &Option<String>, var: &str, name: &str| -> Result<String, String> {
            flag.clone()
                .or_else(|| std::env::var(var).ok())
                .ok_or_else(|| format!("missing {name}: pass --{name} or set {var}"))
        };
        Ok(match self.provider {
            ProviderArg::Esms => AccountInput::Esms {
                api_key: from(&self.api_key, "NHANTIN_ESMS_API_KEY", "api-key")?,
                secret_key: from(&self.secret_key, "NHANTIN_ESMS_SECRET_KEY", "secret-key")?,
                base_url: self.base_url.clone(),
            },
            ProviderArg::Caresoft => AccountInput::CareSoft {
                domain: from(&self.domain, "NHANTIN_CARESOFT_DOMAIN", "domain")?,
                api_token: from(&self.token, "NHANTIN_CARESOFT_TOKEN", "token")?,
                service_id: match self.service_id {
                    Some(id) => id,
                    None => from(&None, "NHANTIN_CARESOFT_SERVICE_ID", "service-id")?
                        .parse()
                        .map_err(|_| "NHANTIN_CARESOFT_SERVICE_ID is not a number".to_owned())?,
                },
                base_url: self.base_url.clone(),
            },
            ProviderArg::Interits => AccountInput::InterIts {
                dedup_confirmed: self.interits_dedup_confirmed,
                api_key: from(&self.api_key, "NHANTIN_INTERITS_API_KEY", "api-key")?,
                phone_format: match self.phone_format.unwrap_or(PhoneFormatArg::National) {
                    PhoneFormatArg::National => PhoneFormat::National,
                    PhoneFormatArg::International => PhoneFormat::International,
                    PhoneFormatArg::E164 => PhoneFormat::E164,
                },
                base_url: self.base_url.clone(),
            },
        })
    }
}

#[derive(Args)]
pub struct MessageArgs {
    /// What the message is for.
    #[arg(long, value_enum, default_value = "customer-care")]
    pub kind: KindArg,
    /// A recipient; repeat the flag or separate with commas.
    #[arg(long = "to", required = true, value_delimiter = ',')]
    pub to: Vec<String>,
    /// The text (use --text-file for long or multi-line texts).
    #[arg(long, conflicts_with = "text_file")]
    pub text: Option<String>,
    /// Read the text from a file (`-` for standard input).
    #[arg(long)]
    pub text_file: Option<PathBuf>,
    /// The registered brandname.
    #[arg(long)]
    pub sender: Option<String>,
    /// Deliver later: an RFC 3339 instant (2026-11-24T09:30:00+07:00).
    #[arg(long)]
    pub schedule: Option<String>,
    /// The idempotency key (generated for eSMS and InterITS when absent).
    #[arg(long)]
    pub request_id: Option<String>,
    /// Where eSMS sends the delivery report.
    #[arg(long)]
    pub callback_url: Option<String>,
    /// What to do with text outside GSM-7.
    #[arg(long, value_enum, default_value = "auto")]
    pub unicode: UnicodeArg,
    /// eSMS test mode: validated, not delivered, not charged.
    #[arg(long)]
    pub sandbox: bool,
    /// eSMS body style.
    #[arg(long, value_enum, default_value = "json")]
    pub format: FormatArg,
    /// eSMS campaign name (JSON SMS only).
    #[arg(long)]
    pub campaign_id: Option<String>,
    /// CareSoft ticket to attach the SMS to.
    #[arg(long)]
    pub ticket_id: Option<u64>,
    /// Viber image (https).
    #[arg(long)]
    pub viber_image: Option<String>,
    /// Viber button caption.
    #[arg(long)]
    pub viber_button_label: Option<String>,
    /// Viber button URL.
    #[arg(long)]
    pub viber_button_url: Option<String>,
    /// InterITS: let the provider convert Unicode text to non-Unicode (useUnicode 2).
    #[arg(long)]
    pub server_side_conversion: bool,
}

impl MessageArgs {
    pub fn to_input(&self) -> Result<MessageInput, String> {
        let text = match (&self.text, &self.text_file) {
            (Some(text), _) => text.clone(),
            (None, Some(path)) if path.as_os_str() == "-" => {
                std::io::read_to_string(std::io::stdin())
                    .map_err(|e| format!("reading stdin: {e}"))?
            }
            (None, Some(path)) => std::fs::read_to_string(path)
                .map_err(|e| format!("reading {}: {e}", path.display()))?,
            (None, None) => String::new(),
        };
        Ok(MessageInput {
            kind: Some(match self.kind {
                KindArg::Otp => MessageKind::Otp,
                KindArg::CustomerCare => MessageKind::CustomerCare,
                KindArg::Advertising => MessageKind::Advertising,
                KindArg::FixedNumber => MessageKind::FixedNumber,
                KindArg::Viber => MessageKind::Viber,
            }),
            recipients: self
                .to
                .iter()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
            text,
            sender: self.sender.clone(),
            schedule: self.schedule.clone(),
            request_id: self.request_id.clone(),
            callback_url: self.callback_url.clone(),
            unicode: match self.unicode {
                UnicodeArg::Auto => UnicodePolicy::Auto,
                UnicodeArg::Force => UnicodePolicy::Force,
                UnicodeArg::Strip => UnicodePolicy::Strip,
                UnicodeArg::Reject => UnicodePolicy::Reject,
            },
            sandbox: self.sandbox,
            viber: ViberInput {
                image_url: self.viber_image.clone(),
                button_label: self.viber_button_label.clone(),
                button_url: self.viber_button_url.clone(),
            },
            esms: EsmsInput {
                format: match self.format {
                    FormatArg::Json => EsmsFormat::Json,
                    FormatArg::Xml => EsmsFormat::Xml,
                    FormatArg::Get => EsmsFormat::Get,
                },
                campaign_id: self.campaign_id.clone(),
            },
            caresoft: CareSoftInput {
                ticket_id: self.ticket_id,
            },
            interits: InterItsInput {
                server_side_conversion: self.server_side_conversion,
                ext: None,
            },
        })
    }
}

#[derive(Args)]
pub struct SendArgs {
    #[command(flatten)]
    pub account: AccountArgs,
    #[command(flatten)]
    pub message: MessageArgs,
    /// Permit a plain-http base URL (only for an emulator).
    #[arg(long)]
    pub allow_insecure_http: bool,
    /// Seconds allowed for each attempt.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Attempts per request (1 disables retries).
    #[arg(long, default_value_t = 4)]
    pub max_attempts: u32,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct EncodeArgs {
    #[command(flatten)]
    pub account: AccountArgs,
    #[command(flatten)]
    pub message: MessageArgs,
    /// The clock to validate the schedule against (RFC 3339); default: now.
    #[arg(long)]
    pub now: Option<String>,
    /// Print the keys instead of `***`.
    #[arg(long)]
    pub show_secrets: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OperationArg {
    Send,
    Balance,
    SendStatus,
    ReceiverStatus,
}

#[derive(Args)]
pub struct DecodeArgs {
    /// Who answered.
    #[arg(long, value_enum)]
    pub provider: ProviderArg,
    /// What the answer is to.
    #[arg(long, value_enum, default_value = "send")]
    pub operation: OperationArg,
    /// The HTTP status.
    #[arg(long, default_value_t = 200)]
    pub status: u16,
    /// A response header, `Name: value` (repeatable).
    #[arg(long = "header")]
    pub headers: Vec<String>,
    /// The body; `-` reads standard input.
    pub body: String,
}

#[derive(Args)]
pub struct CallbackArgs {
    /// An eSMS callback URL or query string; with --interits, a JSON body (`-` reads stdin).
    pub input: String,
    /// Decode an InterITS callback body instead.
    #[arg(long)]
    pub interits: bool,
}

#[derive(Args)]
pub struct EmulatorArgs {
    /// The loopback port (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Stop when standard input closes (for test harnesses that spawn the emulator).
    #[arg(long)]
    pub stop_on_stdin_eof: bool,
}

#[derive(Args)]
pub struct DemoArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}
