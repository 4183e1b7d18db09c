//! Command-line arguments. Credentials come from flags or, preferably, environment variables
//! (flags are visible in `ps` and shell history).

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use nhantin_core::esms::{EsmsFormat, EsmsLookup, EsmsZnsVersion, ZnsTemplateKind};
use nhantin_core::input::{
    CareSoftOptionsInput, ContentInput, EsmsOptionsInput, GeneratedOtpInput, InterItsOptionsInput,
    OptionsInput, OtpChannelInput, OtpMultiChannelInput, OtpSmsInput, SmsInput, ViberButtonInput,
    ViberInput, ZaloThenSmsInput, ZnsBulkInput, ZnsInput, ZnsParamInput,
};
use nhantin_core::{AccountInput, MessageInput, PhoneFormat, SmsPurpose, UnicodePolicy};
use nhantin_transport::ClientConfig;

#[derive(Parser)]
#[command(
    name = "nhantin",
    version,
    about = "Send SMS, Viber and Zalo ZNS messages through eSMS.vn, CareSoft and InterITS"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Send a message and print the outcome; with --csv, a campaign of one message per row,
    /// journaled so that a rerun never sends a row twice, or (--kind zns-bulk) one personalised
    /// bulk ZNS to every row.
    #[command(after_long_help = CAMPAIGN_HELP)]
    Send(SendArgs),
    /// Check a code eSMS generated and sent (`send --kind otp --generate-code`) against the
    /// phone it went to; prints valid or invalid (exit 9). Checking may use the code up, so a
    /// check is made once and never resent by itself.
    CheckCode(CheckCodeArgs),
    /// Look up, on eSMS, an OA's ZNS templates or quota, a template's details, the account's OAs
    /// or brandnames, or what Zalo did with a sent ZNS; prints the answer.
    Lookup(LookupArgs),
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

/// Parses a flag value into one of core's enums by its JSON name, so the CLI never restates
/// them: `customer-care` and `customer_care` both read as `SmsPurpose::CustomerCare`, and a
/// wrong value is answered with serde's list of the expected ones.
fn core_value<T: serde::de::DeserializeOwned>(value: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(value.replace('-', "_")))
        .map_err(|e| e.to_string())
}

/// What `--kind` names: an SMS purpose, `viber`, `zns` or `zns-bulk`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sms(SmsPurpose),
    Viber,
    Zns,
    /// eSMS's personalised bulk ZNS: the recipients and their values come from `--csv`.
    ZnsBulk,
}

fn kind_value(value: &str) -> Result<Kind, String> {
    match value {
        "viber" => Ok(Kind::Viber),
        "zns" => Ok(Kind::Zns),
        "zns-bulk" | "zns_bulk" => Ok(Kind::ZnsBulk),
        other => core_value(other).map(Kind::Sms).map_err(|_| {
            format!("unknown kind `{other}`: otp, customer-care, advertising, fixed-number, viber, zns or zns-bulk")
        }),
    }
}

/// The names of an enum's variants as its `Deserialize` declares them, read from the derive
/// itself (it hands them to `deserialize_enum`), so that a list the CLI offers is core's list.
fn variant_names<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{Error as _, Visitor};
    struct Capture(&'static [&'static str]);
    impl<'de> serde::Deserializer<'de> for &mut Capture {
        type Error = serde::de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(Self::Error::custom("not an enum"))
        }
        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _name: &'static str,
            variants: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = variants;
            Err(Self::Error::custom("names captured"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
            ignored_any
        }
    }
    let mut capture = Capture(&[]);
    let _ = T::deserialize(&mut capture);
    capture.0
}

/// What `--channels` names: the channels a message tries, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channels {
    /// A ZNS.
    Zalo,
    /// An SMS.
    Sms,
    /// eSMS multi-channel: a ZNS, then an SMS if Zalo cannot deliver it.
    ZaloThenSms,
}

fn channels_value(value: &str) -> Result<Channels, String> {
    let names: Vec<String> = value
        .split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .collect();
    match names.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["zalo"] => Ok(Channels::Zalo),
        ["sms"] => Ok(Channels::Sms),
        ["zalo", "sms"] => Ok(Channels::ZaloThenSms),
        // eSMS's multi-channel call takes its legs in one fixed order (D-Z17).
        ["sms", "zalo"] => {
            Err("eSMS tries Zalo first and SMS second: write --channels zalo,sms".into())
        }
        _ => Err(format!("unknown channels `{value}`: zalo, sms or zalo,sms")),
    }
}

/// The shape of content the `send`/`encode` flags describe: `--kind` with `--channels` and
/// `--generate-code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Sms(SmsPurpose),
    Viber,
    Zns,
    ZnsBulk,
    /// A ZNS, then an SMS of this purpose.
    ZaloThenSms(SmsPurpose),
    /// A code eSMS generates and sends by SMS.
    GeneratedBySms,
    /// A code eSMS generates and sends by its multi-channel template.
    GeneratedByZaloThenSms,
}

/// The lookups `nhantin lookup` offers: core's [`EsmsLookup`] variants, `zns_quota` written
/// `zns-quota`.
fn lookup_names() -> PossibleValuesParser {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        variant_names::<EsmsLookup>()
            .iter()
            .map(|v| v.replace('_', "-"))
            .collect()
    });
    PossibleValuesParser::new(names.iter().map(|n| PossibleValue::new(n.as_str())))
}

/// `--param name=value`: one ZNS template parameter.
fn param_value(value: &str) -> Result<ZnsParamInput, String> {
    match value.split_once('=') {
        Some((name, value)) => Ok(ZnsParamInput {
            name: name.to_owned(),
            value: value.to_owned(),
        }),
        None => Err(format!("`{value}` is not name=value")),
    }
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
    #[arg(long, value_parser = core_value::<PhoneFormat>)]
    pub phone_format: Option<PhoneFormat>,
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
                phone_format: self.phone_format.unwrap_or_default(),
                base_url: self.base_url.clone(),
            },
        })
    }
}

#[derive(Args)]
pub struct MessageArgs {
    /// What the message is: otp, customer-care, advertising, fixed-number (SMS), viber, zns, or
    /// zns-bulk (eSMS: one template to every row of --csv, each row with its own values).
    #[arg(long, value_parser = kind_value, default_value = "customer-care")]
    pub kind: Kind,
    /// The text (use --text-file for long or multi-line texts). With --csv, a template:
    /// `{column}` is filled from each row (`{{` and `}}` for literal braces).
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
    /// The idempotency key (generated for eSMS and InterITS when absent; derived per row with
    /// --csv). For --kind zns-bulk, the base of every recipient's id (at most 33 characters;
    /// derived from the content when absent).
    #[arg(long)]
    pub request_id: Option<String>,
    /// Where eSMS sends the delivery report.
    #[arg(long)]
    pub callback_url: Option<String>,
    /// What to do with text outside GSM-7: auto, force, strip or reject.
    #[arg(long, value_parser = core_value::<UnicodePolicy>, default_value = "auto")]
    pub unicode: UnicodePolicy,
    /// eSMS test mode: validated, not delivered, not charged.
    #[arg(long)]
    pub sandbox: bool,
    /// eSMS body style: json (the default), xml or get.
    #[arg(long, value_parser = core_value::<EsmsFormat>)]
    pub format: Option<EsmsFormat>,
    /// eSMS's campaign label (`campaignid`, JSON SMS only); not the --campaign of --csv.
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
    /// ZNS: the template id (CareSoft: the script id); also --kind zns-bulk.
    #[arg(long)]
    pub template: Option<String>,
    /// ZNS: a template parameter, `name=value`; repeat in the template's order.
    #[arg(long = "param", value_parser = param_value)]
    pub params: Vec<ZnsParamInput>,
    /// ZNS: the Zalo Official Account id (eSMS, InterITS); also --kind zns-bulk.
    #[arg(long)]
    pub oa_id: Option<String>,
    /// ZNS through eSMS to a Zalo user id instead of a phone (then no --to).
    #[arg(long)]
    pub zalo_user_id: Option<String>,
    /// ZNS through eSMS with the phone sent as its SHA-256 hash.
    #[arg(long)]
    pub hash_phone: bool,
    /// eSMS journey ZNS: the order the journey follows.
    #[arg(long)]
    pub journey_order_id: Option<String>,
    /// eSMS ZNS beyond the OA's daily quota (SendingMode 3); also --kind zns-bulk.
    #[arg(long)]
    pub exceed_quota: bool,
    /// eSMS ZNS endpoint: v6 (the default), v5 or v4.
    #[arg(long, value_parser = core_value::<EsmsZnsVersion>)]
    pub zns_version: Option<EsmsZnsVersion>,
    /// The channels to try, in order: zalo, sms, or zalo,sms (eSMS multi-channel: the ZNS of
    /// --template/--param/--oa-id, then the SMS of --text/--sender if Zalo cannot deliver it;
    /// --kind zns or customer-care sends a customer-care SMS leg, --kind otp an OTP one).
    #[arg(long, value_parser = channels_value)]
    pub channels: Option<Channels>,
    /// eSMS generates the code and sends it (--kind otp): by SMS, --text being the text with
    /// {OTP} exactly once; with --channels zalo,sms, by the multi-channel template --template.
    /// Check it back with `nhantin check-code`.
    #[arg(long)]
    pub generate_code: bool,
    /// Characters of a generated code sent by SMS, 4 to 10.
    #[arg(long, requires = "generate_code")]
    pub code_length: Option<u32>,
    /// A generated code sent by SMS has digits only.
    #[arg(long, requires = "generate_code")]
    pub digits_only: bool,
    /// Minutes a generated code stays valid, 2 to 10.
    #[arg(long, value_name = "MINUTES", requires = "generate_code")]
    pub time_alive: Option<u32>,
}

impl MessageArgs {
    /// Whether a text was given (`--text` or `--text-file`).
    pub fn has_text(&self) -> bool {
        self.text.is_some() || self.text_file.is_some()
    }

    pub fn to_input(&self, to: &[String]) -> Result<MessageInput, String> {
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
        let unicode = Some(self.unicode);
        let shape = self.shape()?;
        self.check_flags(shape)?;
        let zns = || -> Result<ZnsInput, String> {
            Ok(ZnsInput {
                oa_id: self.oa_id.clone(),
                template_id: self.template.clone().ok_or("a ZNS needs --template")?,
                params: self.params.clone(),
                zalo_user_id: self.zalo_user_id.clone(),
                hash_phone: self.hash_phone,
                journey_order_id: self.journey_order_id.clone(),
                exceed_quota: self.exceed_quota,
            })
        };
        let content = match shape {
            Shape::ZnsBulk => return Err("--kind zns-bulk takes its recipients and their parameter values from --csv FILE (a `phone` column, then one column per template parameter); it is sent with `nhantin send`".into()),
            Shape::Zns => ContentInput::Zns { zns: zns()? },
            Shape::ZaloThenSms(purpose) => ContentInput::ZaloThenSms {
                zalo_then_sms: ZaloThenSmsInput {
                    zns: zns()?,
                    sms: SmsInput {
                        purpose,
                        text,
                        sender: self.sender.clone(),
                        unicode,
                    },
                },
            },
            Shape::GeneratedBySms => ContentInput::GeneratedOtp {
                generated_otp: GeneratedOtpInput {
                    channel: OtpChannelInput::Sms {
                        sms: OtpSmsInput {
                            sender: self.sender.clone().ok_or(
                                "a generated code sent by SMS needs --sender (a customer-care brandname)",
                            )?,
                            template: if self.has_text() {
                                text
                            } else {
                                return Err("a generated code sent by SMS needs --text, the text with {OTP} where the code goes".into());
                            },
                            code_length: self.code_length,
                            digits_only: self.digits_only.then_some(true),
                        },
                    },
                    time_alive_minutes: self.time_alive,
                },
            },
            Shape::GeneratedByZaloThenSms => ContentInput::GeneratedOtp {
                generated_otp: GeneratedOtpInput {
                    channel: OtpChannelInput::ZaloThenSms {
                        zalo_then_sms: OtpMultiChannelInput {
                            template_id: self.template.clone().ok_or(
                                "a generated code sent by --channels zalo,sms needs --template, the account's multi-channel template",
                            )?,
                        },
                    },
                    time_alive_minutes: self.time_alive,
                },
            },
            Shape::Sms(purpose) => ContentInput::Sms {
                sms: SmsInput {
                    purpose,
                    text,
                    sender: self.sender.clone(),
                    unicode,
                },
            },
            Shape::Viber => ContentInput::Viber {
                viber: ViberInput {
                    text,
                    image_url: self.viber_image.clone(),
                    button: match (&self.viber_button_label, &self.viber_button_url) {
                        (None, None) => None,
                        (Some(label), Some(url)) => Some(ViberButtonInput {
                            label: label.clone(),
                            url: url.clone(),
                        }),
                        _ => return Err(
                            "a Viber button needs both --viber-button-label and --viber-button-url"
                                .into(),
                        ),
                    },
                    sender: self.sender.clone(),
                    unicode,
                },
            },
        };
        self.message(
            to.iter()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
            content,
        )
    }

    /// A `--kind zns-bulk` message: one template from `--oa-id` to `recipients`, `params[i]`
    /// being the values of `recipients[i]` (read from the CSV by the caller).
    pub fn to_bulk_input(
        &self,
        recipients: Vec<String>,
        params: Vec<Vec<ZnsParamInput>>,
    ) -> Result<MessageInput, String> {
        debug_assert_eq!(self.kind, Kind::ZnsBulk);
        let shape = self.shape()?;
        self.check_flags(shape)?;
        let content = ContentInput::ZnsBulk {
            zns_bulk: ZnsBulkInput {
                oa_id: self.oa_id.clone(),
                template_id: self
                    .template
                    .clone()
                    .ok_or("--kind zns-bulk needs --template")?,
                params,
                exceed_quota: self.exceed_quota,
            },
        };
        self.message(recipients, content)
    }

    /// The content shape `--kind`, `--channels` and `--generate-code` describe together.
    fn shape(&self) -> Result<Shape, String> {
        use Channels::{Sms as BySms, Zalo as ByZalo, ZaloThenSms as BothChannels};
        Ok(match (self.kind, self.channels, self.generate_code) {
            (Kind::Sms(SmsPurpose::Otp), None | Some(BySms), true) => Shape::GeneratedBySms,
            (Kind::Sms(SmsPurpose::Otp), Some(BothChannels), true) => Shape::GeneratedByZaloThenSms,
            (Kind::Sms(SmsPurpose::Otp), Some(ByZalo), true) => {
                return Err("a generated code goes by SMS or by --channels zalo,sms".into())
            }
            (_, _, true) => return Err("--generate-code is for --kind otp".into()),
            (Kind::Sms(purpose), None | Some(BySms), false) => Shape::Sms(purpose),
            (Kind::Sms(purpose), Some(BothChannels), false) => Shape::ZaloThenSms(purpose),
            (Kind::Sms(_), Some(ByZalo), false) => return Err("--channels zalo sends a ZNS: use --kind zns, or --channels zalo,sms for a ZNS with an SMS fallback".into()),
            (Kind::Zns, None | Some(ByZalo), false) => Shape::Zns,
            // The page's SMS leg is customer care (SmsType 2).
            (Kind::Zns, Some(BothChannels), false) => Shape::ZaloThenSms(SmsPurpose::CustomerCare),
            (Kind::Zns, Some(BySms), false) => return Err("--kind zns goes by Zalo: --channels zalo,sms adds an SMS fallback".into()),
            (Kind::Viber, None, false) => Shape::Viber,
            (Kind::ZnsBulk, None, false) => Shape::ZnsBulk,
            (Kind::Viber | Kind::ZnsBulk, Some(_), false) => {
                return Err("--channels is for --kind zns and the SMS kinds".into())
            }
        })
    }

    /// Refuses the flags a shape does not take, so that no flag is silently ignored. What a
    /// provider accepts of the rest is core's to say.
    fn check_flags(&self, shape: Shape) -> Result<(), String> {
        let viber = self.viber_image.is_some()
            || self.viber_button_label.is_some()
            || self.viber_button_url.is_some();
        let single_zns = !self.params.is_empty()
            || self.zalo_user_id.is_some()
            || self.hash_phone
            || self.journey_order_id.is_some();
        let any_zns =
            single_zns || self.template.is_some() || self.oa_id.is_some() || self.exceed_quota;
        let sms_leg = self.has_text() || self.sender.is_some();
        if viber && shape != Shape::Viber {
            return Err("--viber-image and --viber-button-* are for --kind viber".into());
        }
        match shape {
            Shape::Zns if sms_leg => Err("a ZNS has no --text or --sender: its template takes --param values (--channels zalo,sms adds an SMS leg that takes them)".into()),
            Shape::ZnsBulk if single_zns => Err("--param, --zalo-user-id, --hash-phone and --journey-order-id are for --kind zns; a bulk ZNS takes each recipient's values from the CSV's columns".into()),
            Shape::ZnsBulk if sms_leg => Err("a bulk ZNS has no --text or --sender: its template takes the values of each row's columns".into()),
            Shape::Sms(_) | Shape::Viber if any_zns => Err("--template, --param, --oa-id, --zalo-user-id, --hash-phone, --journey-order-id and --exceed-quota are for --kind zns (--template, --oa-id and --exceed-quota also for --kind zns-bulk) and --channels zalo,sms".into()),
            Shape::GeneratedBySms if any_zns => Err("a generated code sent by SMS takes --text (with {OTP}) and --sender; the ZNS flags are for --channels zalo,sms".into()),
            Shape::GeneratedByZaloThenSms
                if single_zns
                    || self.oa_id.is_some()
                    || self.exceed_quota
                    || sms_leg
                    || self.code_length.is_some()
                    || self.digits_only =>
            {
                Err("a generated code sent by --channels zalo,sms takes only --template (the account's multi-channel template, which holds both texts and the code's form) and --time-alive".into())
            }
            _ => Ok(()),
        }
    }

    fn message(
        &self,
        recipients: Vec<String>,
        content: ContentInput,
    ) -> Result<MessageInput, String> {
        Ok(MessageInput {
            recipients,
            content,
            schedule: self.schedule.clone(),
            request_id: self.request_id.clone(),
            callback_url: self.callback_url.clone(),
            sandbox: self.sandbox,
            options: self.options()?,
        })
    }

    /// The provider options the flags name: at most one provider's, since a message goes
    /// through one provider (the library refuses them if it is not the account's).
    fn options(&self) -> Result<Option<OptionsInput>, String> {
        let mut given = Vec::new();
        if self.format.is_some() || self.campaign_id.is_some() || self.zns_version.is_some() {
            given.push(OptionsInput::Esms {
                esms: EsmsOptionsInput {
                    format: self.format,
                    campaign_id: self.campaign_id.clone(),
                    zns_version: self.zns_version,
                },
            });
        }
        if self.ticket_id.is_some() {
            given.push(OptionsInput::CareSoft {
                caresoft: CareSoftOptionsInput {
                    ticket_id: self.ticket_id,
                },
            });
        }
        if self.server_side_conversion {
            given.push(OptionsInput::InterIts {
                interits: InterItsOptionsInput {
                    server_side_conversion: true,
                    ext: None,
                },
            });
        }
        match given.len() {
            0 | 1 => Ok(given.pop()),
            _ => Err("--format/--campaign-id (eSMS), --ticket-id (CareSoft) and --server-side-conversion (InterITS) belong to different providers: give only the account's".into()),
        }
    }
}

#[derive(Args)]
pub struct SendArgs {
    #[command(flatten)]
    pub account: AccountArgs,
    /// A recipient; repeat the flag or separate with commas.
    #[arg(
        long = "to",
        required_unless_present = "csv",
        conflicts_with = "csv",
        value_delimiter = ','
    )]
    pub to: Vec<String>,
    #[command(flatten)]
    pub message: MessageArgs,
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub campaign: CampaignArgs,
}

/// How requests are made: the flags `send` and `lookup` share.
#[derive(Args)]
pub struct ConnectionArgs {
    /// Permit a plain-http base URL (only for an emulator).
    #[arg(long)]
    pub allow_insecure_http: bool,
    /// Seconds allowed for each attempt.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Attempts per request (1 disables retries).
    #[arg(long, default_value_t = 4)]
    pub max_attempts: u32,
}

impl ConnectionArgs {
    pub fn config(&self) -> ClientConfig {
        ClientConfig {
            allow_insecure_http: self.allow_insecure_http,
            request_timeout: Duration::from_secs(self.timeout.max(1)),
            max_attempts: self.max_attempts,
            ..ClientConfig::default()
        }
    }
}

/// `send --csv`: see [`CAMPAIGN_HELP`].
#[derive(Args)]
#[command(next_help_heading = "Campaign (one message per CSV row; see the end of --help)")]
pub struct CampaignArgs {
    /// Send one message per row of this CSV file: a header row, a `phone` column, the text
    /// from --text/--text-file (with `{column}` placeholders) or from a `text` column (needs
    /// --journal and --campaign). With --kind zns-bulk: one bulk ZNS to every row, a `phone`
    /// column and then one column per template parameter, in the template's order.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// The campaign's journal, created if missing. Rerun the same command with the same
    /// journal after a crash or a failure: accepted rows are skipped.
    #[arg(long, value_name = "FILE", requires = "csv")]
    pub journal: Option<PathBuf>,
    /// The campaign id (1-33 of A-Z a-z 0-9 . _ -). Each row's request id is
    /// `<ID>-<16 hex digits of SHA-256 over its phone>`: keep the ID for reruns, pick a new one
    /// for a new campaign.
    #[arg(long, value_name = "ID", requires = "csv")]
    pub campaign: Option<String>,
    /// Send the valid rows and report the invalid ones. Without it, any invalid row stops the
    /// campaign before the first send.
    #[arg(long, requires = "csv")]
    pub skip_invalid: bool,
    /// Seconds between progress lines on standard error (0: none) [default: 1].
    #[arg(long, value_name = "SECS", requires = "csv")]
    pub progress: Option<u64>,
    /// Do not look up eSMS rows whose outcome is unknown (or "already submitted") in eSMS's
    /// records after the sends.
    #[arg(long, requires = "csv")]
    pub no_reconcile: bool,
    /// How far the look-up widens each row's time window, and so how long after a row's last
    /// attempt it waits: the disagreement of this machine's clock and eSMS's, plus the time an
    /// attempt takes. Shorten it only against a local emulator [default: 300].
    #[arg(
        long,
        value_name = "SECS",
        requires = "csv",
        conflicts_with = "no_reconcile"
    )]
    pub reconcile_margin: Option<u64>,
}

impl CampaignArgs {
    /// --progress, or its default.
    pub fn progress_secs(&self) -> u64 {
        self.progress.unwrap_or(1)
    }

    /// --reconcile-margin, or its default.
    pub fn reconcile_margin_secs(&self) -> u64 {
        self.reconcile_margin.unwrap_or(300)
    }

    /// The flags given that only a journaled campaign takes, as written on the command line.
    pub fn journal_only_flags(&self) -> Vec<&'static str> {
        [
            (self.journal.is_some(), "--journal"),
            (self.campaign.is_some(), "--campaign"),
            (self.skip_invalid, "--skip-invalid"),
            (self.progress.is_some(), "--progress"),
            (self.no_reconcile, "--no-reconcile"),
            (self.reconcile_margin.is_some(), "--reconcile-margin"),
        ]
        .into_iter()
        .filter_map(|(given, flag)| given.then_some(flag))
        .collect()
    }
}

/// The end of `nhantin send --help`.
pub const CAMPAIGN_HELP: &str = "\
Campaigns (--csv FILE --journal FILE --campaign ID):
  One message per CSV row, safe to rerun after a crash or kill -9.
  - The CSV has a header row and a `phone` column (any written form: 0912 345 678,
    +84912345678, ...). The text is --text/--text-file with {column} placeholders filled from
    the row, or, without them, the row's `text` column. Other flags (--provider, --kind,
    --sender, --schedule, ...) apply to every row.
  - Every row is checked before the first send: a bad phone, an empty placeholder, a text the
    provider would refuse or a phone already on an earlier line (after normalisation) stops
    the campaign with exit code 2 and every bad line listed; nothing is sent. --skip-invalid
    sends the valid rows instead (and exits 8, since not every row was sent).
  - Each row's request id is <campaign>-<16 hex digits of SHA-256 over its phone>: inserting,
    removing or reordering rows changes no other row's id.
  - The journal (JSON lines) records each send before it is made and its outcome after, each
    flushed to disk before the next send. A rerun skips rows already accepted, resends a row
    that may have been sent only with its own request id and only while eSMS still remembers
    it (24 hours less 10 minutes), and reports what it cannot settle: a row whose resend was
    answered \"already submitted\", a CareSoft (or unconfirmed InterITS) row that may have
    been sent, or one whose text changed since it may have been sent. Rows the provider
    refused are not sent again. A journal belongs to one campaign id and account.
  - After the sends, eSMS rows whose outcome is unknown or \"already submitted\" are looked up
    in eSMS's records (GetSmsSentData_V2: same phone, same text, around the attempts, after
    waiting --reconcile-margin past the last one); rows found are recorded as accepted.
    --no-reconcile skips this.
  Exit codes: 0 every row accepted; 6 some row's outcome is unknown; 8 partial (rows ended
  differently); otherwise the code of the one way every row ended (see the README).

Bulk ZNS (--kind zns-bulk --oa-id OA --template ID --csv FILE [--request-id BASE]):
  One eSMS request (one per 500 rows) sending template ID to every row, each with its own
  values. The CSV has a `phone` column and one column per template parameter, named as the
  template names them and in its order (eSMS takes the values by position): the columns are
  checked against the template (GetTemplate/) before anything is sent, and so is every row
  (its phone, its width, a phone on an earlier line); the values are eSMS's to judge, per
  recipient (790 for a value over the template's limit). Each recipient is sent with its own
  id, <BASE>-<16 hex digits of SHA-256 over its phone>, BASE being --request-id (at most 33
  characters) or, without it, a digest of the content (which then changes with any edit of
  the CSV). Rerunning the same command sends nobody twice: a recipient sent before is
  answered 124. No journal: --journal, --campaign and the other campaign flags are refused.
  Prints each recipient (line, masked phone, id, result) and a summary. Exit codes: 0 every
  recipient accepted; 8 partial (recipients ended differently); otherwise the code of the
  one way every recipient ended.";

/// `nhantin lookup`: the lookup's name and its fields as flags. Core's [`EsmsLookup`] says
/// which lookup takes which field; [`LookupArgs::to_lookup`] hands it the flags given.
#[derive(Args)]
pub struct LookupArgs {
    #[command(flatten)]
    pub account: AccountArgs,
    /// What to look up.
    #[arg(value_name = "LOOKUP", value_parser = lookup_names())]
    pub lookup: String,
    /// The Zalo Official Account id (zns-templates, zns-template-info, zns-quota,
    /// zalo-message-status).
    #[arg(long)]
    pub oa_id: Option<String>,
    /// The template id (zns-template-info).
    #[arg(long)]
    pub template: Option<String>,
    /// normal or priority: the templates to list (zns-templates), or what the ZNS was sent as
    /// (zns-status).
    #[arg(long, value_parser = core_value::<ZnsTemplateKind>)]
    pub template_kind: Option<ZnsTemplateKind>,
    /// The SMSID the send returned (zns-status).
    #[arg(long)]
    pub sms_id: Option<String>,
    /// Zalo's message id: zns-status's Zalo message id, or a delivery report's partnerids
    /// (zalo-message-status).
    #[arg(long)]
    pub message_id: Option<String>,
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Print the answer as core's JSON form (`{"zns_quota": {...}}`).
    #[arg(long)]
    pub json: bool,
}

impl LookupArgs {
    /// Each flag and the field of [`EsmsLookup`] it fills.
    fn fields(&self) -> [(&'static str, &'static str, Option<serde_json::Value>); 5] {
        let text = |v: &Option<String>| v.clone().map(serde_json::Value::String);
        [
            ("oa_id", "--oa-id", text(&self.oa_id)),
            ("template_id", "--template", text(&self.template)),
            (
                "kind",
                "--template-kind",
                self.template_kind
                    .map(|k| serde_json::to_value(k).expect("kinds serialize")),
            ),
            ("sms_id", "--sms-id", text(&self.sms_id)),
            ("message_id", "--message-id", text(&self.message_id)),
        ]
    }

    /// The lookup, as core reads it from its JSON form: `{"zns_quota": {"oa_id": …}}`, or
    /// `"zalo_oas"` for a lookup without fields. Core's refusals are reworded to name flags.
    pub fn to_lookup(&self) -> Result<EsmsLookup, String> {
        let name = self.lookup.replace('-', "_");
        let fields = self.fields();
        let given: serde_json::Map<String, serde_json::Value> = fields
            .iter()
            .filter_map(|(field, _, v)| Some(((*field).to_owned(), v.clone()?)))
            .collect();
        let bare = EsmsLookup::from_json(&serde_json::Value::String(name.clone()).to_string());
        if given.is_empty() {
            if let Ok(lookup) = bare {
                return Ok(lookup);
            }
        }
        // A field no flag fills (one core added since) keeps its own name.
        let flags = |names: &[&str]| -> Vec<String> {
            names
                .iter()
                .map(|name| {
                    fields
                        .iter()
                        .find(|(field, _, _)| field == name)
                        .map_or_else(|| format!("`{name}`"), |(_, flag, _)| (*flag).to_owned())
                })
                .collect()
        };
        let object = serde_json::json!({ name.clone(): given });
        match EsmsLookup::from_json(&object.to_string()) {
            Ok(lookup) => Ok(lookup),
            Err(_) if bare.is_ok() => Err(format!(
                "{} takes no flags; {} given",
                self.lookup,
                flags(&given.keys().map(String::as_str).collect::<Vec<_>>()).join(", ")
            )),
            Err(nhantin_core::Error::InvalidInput { reason, .. }) => {
                // serde names fields in backquotes: `oa_id`.
                fn named(text: &str) -> Vec<&str> {
                    text.split('`').skip(1).step_by(2).collect()
                }
                if let Some(rest) = reason.strip_prefix("missing field ") {
                    Err(format!(
                        "{} needs {}",
                        self.lookup,
                        flags(&named(rest)).join(", ")
                    ))
                } else if let Some((unknown, expected)) = reason
                    .strip_prefix("unknown field ")
                    .and_then(|r| r.split_once(", expected "))
                {
                    Err(format!(
                        "{} does not take {}; it takes {}",
                        self.lookup,
                        flags(&named(unknown)).join(", "),
                        flags(&named(expected)).join(", ")
                    ))
                } else {
                    Err(format!("{}: {reason}", self.lookup))
                }
            }
            Err(e) => Err(format!("{}: {e}", self.lookup)),
        }
    }
}

/// `nhantin check-code`.
#[derive(Args)]
pub struct CheckCodeArgs {
    #[command(flatten)]
    pub account: AccountArgs,
    /// The phone the code was sent to.
    #[arg(long)]
    pub to: String,
    /// The code to check, as the person typed it.
    #[arg(long)]
    pub code: String,
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Print JSON instead of text: `{"code_check": "valid"}` or `"invalid"`.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct EncodeArgs {
    #[command(flatten)]
    pub account: AccountArgs,
    /// A recipient; repeat the flag or separate with commas.
    #[arg(long = "to", required = true, value_delimiter = ',')]
    pub to: Vec<String>,
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
