//! `nhantin`: send, lookup, encode, decode, callback, emulator, demo.
//!
//! Exit codes (stable, for scripts), converted from core's one classification (`SendClass`):
//! 0 accepted; 2 invalid input or usage; 3 the provider rejected the request; 4 rate limited;
//! 5 transport failure (nothing was delivered: safe to resend); 6 outcome unknown (the message
//! may have been sent: resend only with the printed request id, or reconcile); 7 already
//! submitted (not sent again; whether the earlier attempt was accepted is unknown); 8 partial
//! (a bulk send whose batches ended differently: see the per-batch report; rerunning the same
//! command reproduces every batch id, so accepted batches are not sent again); 9 a checked code
//! is not valid (used, expired or not that phone's: `check-code`); 1 anything else.
//!
//! A campaign (`send --csv`, `campaign.rs`) exits with the code of the one way every row ended
//! (0 when every row was accepted), else 6 when some row's outcome is unknown, else 8. A bulk
//! ZNS (`send --kind zns-bulk --csv`, `zns_bulk.rs`) exits with the code of the one way every
//! recipient ended (0 when every one was accepted), else 8. A lookup (`lookup.rs`) exits 0 or
//! with its error's code.

mod args;
mod campaign;
mod demo;
mod lookup;
mod zns_bulk;

use std::io::Read;
use std::process::ExitCode;

use clap::Parser;
use nhantin_core::{esms, interits, Account, HttpResponse, Provider, Timestamp};
use nhantin_transport::{Client, SendClass, SendOutcome};
use serde_json::{json, Value};

use args::{Cli, Command, Kind, OperationArg, ProviderArg};

const EXIT_INVALID: u8 = 2;
const EXIT_REJECTED: u8 = 3;
const EXIT_RATE_LIMITED: u8 = 4;
const EXIT_TRANSPORT: u8 = 5;
const EXIT_UNKNOWN: u8 = 6;
const EXIT_ALREADY_SUBMITTED: u8 = 7;
const EXIT_PARTIAL: u8 = 8;
const EXIT_CODE_INVALID: u8 = 9;

/// The exit code of each class: the one place the CLI decides it.
fn exit_code(class: SendClass) -> u8 {
    match class {
        SendClass::Accepted => 0,
        SendClass::AlreadySubmitted => EXIT_ALREADY_SUBMITTED,
        SendClass::InvalidInput => EXIT_INVALID,
        SendClass::Rejected => EXIT_REJECTED,
        SendClass::RateLimited => EXIT_RATE_LIMITED,
        SendClass::NotSent => EXIT_TRANSPORT,
        SendClass::OutcomeUnknown => EXIT_UNKNOWN,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Send(a) if a.message.kind == Kind::ZnsBulk => zns_bulk::run(a),
        Command::Send(a) if a.campaign.csv.is_some() => campaign::run(a),
        Command::Send(a) => send(a),
        Command::CheckCode(a) => check_code(a),
        Command::Lookup(a) => lookup::run(a),
        Command::Encode(a) => encode(a),
        Command::Decode(a) => decode(a),
        Command::Callback(a) => callback(a),
        Command::Emulator(a) => emulator(a),
        Command::Demo(a) => demo::run(a.json),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure { code, message }) => {
            eprintln!("nhantin: {message}");
            ExitCode::from(code)
        }
    }
}

/// An error already turned into an exit code and a message.
pub struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn invalid(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_INVALID,
            message: message.into(),
        }
    }
}

impl From<nhantin_core::Error> for Failure {
    fn from(e: nhantin_core::Error) -> Self {
        nhantin_transport::Error::from(e).into()
    }
}

impl From<nhantin_transport::Error> for Failure {
    fn from(e: nhantin_transport::Error) -> Self {
        Failure {
            code: exit_code(e.class()),
            message: e.to_string(),
        }
    }
}

fn print_json(value: &Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("JSON values serialize")
    );
}

fn now() -> Timestamp {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    Timestamp::from_unix_millis(millis)
}

fn send(a: args::SendArgs) -> Result<(), Failure> {
    let account = a.account.to_input().map_err(Failure::invalid)?.validate()?;
    let message = a
        .message
        .to_input(&a.to)
        .map_err(Failure::invalid)?
        .validate()?;
    let client = Client::new(account, a.connection.config())?;
    let batches = client.send_bulk(&message)?;
    let classes: Vec<SendClass> = batches
        .iter()
        .map(|b| b.result.as_ref().map_or_else(|e| e.class(), |o| o.class()))
        .collect();
    if a.json {
        print_json(&json!({"batches": batches}));
    } else {
        let many = batches.len() > 1;
        for batch in &batches {
            let id = batch
                .request_id
                .as_ref()
                .map(|id| id.as_str())
                .unwrap_or("-");
            let scope = if many {
                format!(
                    "batch of recipients {}..{} (request id {id}): ",
                    batch.first_recipient,
                    batch.first_recipient + batch.recipients
                )
            } else {
                String::new()
            };
            match &batch.result {
                Ok(SendOutcome::Accepted { receipt, attempts, .. }) => println!("{scope}accepted: reference {} (request id {id}, {attempts} attempt(s))", receipt.reference.as_deref().unwrap_or("-")),
                Ok(SendOutcome::AlreadySubmitted { .. }) => println!("{scope}already submitted with request id {id}: not sent again; whether the earlier attempt was accepted is unknown: check the delivery report"),
                // One batch's error is the command's, printed once below.
                Err(e) if many => eprintln!("{scope}{e}"),
                Err(_) => {}
            }
        }
    }
    let code = match classes.as_slice() {
        [] => 0,
        [first, rest @ ..] if rest.iter().all(|c| c == first) => exit_code(*first),
        _ => EXIT_PARTIAL,
    };
    match code {
        0 => Ok(()),
        EXIT_PARTIAL => Err(Failure { code, message: format!("partial: {} of {} batches accepted; rerun the same command to settle the rest (batch ids repeat, so accepted batches are not sent again)", classes.iter().filter(|c| **c == SendClass::Accepted).count(), classes.len()) }),
        _ => Err(Failure { code, message: batches.iter().find_map(|b| b.result.as_ref().err().map(|e| e.to_string())).unwrap_or_else(|| classes[0].to_string()) }),
    }
}

/// `nhantin check-code`: one `CheckCodeGen_V4_get`. The client never resends it once it may have
/// arrived, since a check may use the code up; such a check ends as an unknown outcome (6).
fn check_code(a: args::CheckCodeArgs) -> Result<(), Failure> {
    let account = a.account.to_input().map_err(Failure::invalid)?.validate()?;
    let phone = nhantin_core::PhoneNumber::parse("to", &a.to)?;
    let client = Client::new(account, a.connection.config())?;
    let check = client.check_generated_otp(&phone, &a.code)?;
    if a.json {
        print_json(&json!({ "code_check": check }));
    } else {
        match check {
            esms::CodeCheck::Valid => {
                println!("valid: the code is {}'s and unused", phone.masked())
            }
            esms::CodeCheck::Invalid => println!(
                "invalid: the code is used, expired or not {}'s",
                phone.masked()
            ),
        }
    }
    match check {
        esms::CodeCheck::Valid => Ok(()),
        esms::CodeCheck::Invalid => Err(Failure {
            code: EXIT_CODE_INVALID,
            message: "the code is not valid".into(),
        }),
    }
}

pub fn outcome_json(outcome: &SendOutcome) -> Value {
    serde_json::to_value(outcome).expect("outcomes serialize")
}

pub fn error_json(e: &nhantin_transport::Error) -> Value {
    e.to_json()
}

fn encode(a: args::EncodeArgs) -> Result<(), Failure> {
    let account = a.account.to_input().map_err(Failure::invalid)?.validate()?;
    let mut message = a
        .message
        .to_input(&a.to)
        .map_err(Failure::invalid)?
        .validate()?;
    let now = match &a.now {
        Some(text) => Timestamp::parse_rfc3339("now", text)?,
        None => now(),
    };
    if message.request_id.is_none() && account.wants_request_id(&message) {
        message.request_id = Some(nhantin_transport::generate_request_id());
    }
    let request = account.encode_send(&message, now)?;
    let shown = if a.show_secrets {
        request
    } else {
        request.redacted()
    };
    print_json(&serde_json::to_value(&shown).expect("requests serialize"));
    Ok(())
}

fn read_arg(value: &str) -> Result<String, Failure> {
    if value == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::invalid(format!("reading stdin: {e}")))?;
        Ok(text)
    } else {
        Ok(value.to_owned())
    }
}

fn decode(a: args::DecodeArgs) -> Result<(), Failure> {
    let provider = match a.provider {
        ProviderArg::Esms => Provider::Esms,
        ProviderArg::Caresoft => Provider::CareSoft,
        ProviderArg::Interits => Provider::InterIts,
    };
    let mut headers = Vec::new();
    for h in &a.headers {
        let (name, value) = h
            .split_once(':')
            .ok_or_else(|| Failure::invalid(format!("header {h:?} is not `Name: value`")))?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let response = HttpResponse {
        status: a.status,
        headers,
        body: read_arg(&a.body)?.into_bytes(),
    };
    let result = match (a.operation, provider) {
        (OperationArg::Send, p) => {
            nhantin_core::providers::decode_send(p, &response).map(|r| json!({"receipt": r}))
        }
        (OperationArg::Balance, Provider::Esms) => {
            esms::decode_balance(&response).map(|b| json!({"balance": b}))
        }
        (OperationArg::SendStatus, Provider::Esms) => {
            esms::decode_send_status(&response).map(|s| json!({"send_status": s}))
        }
        (OperationArg::ReceiverStatus, Provider::Esms) => {
            esms::decode_receiver_status(&response).map(|r| json!({"receivers": r}))
        }
        _ => {
            return Err(Failure::invalid(
                "balance and status queries are eSMS operations",
            ))
        }
    };
    match result {
        Ok(value) => {
            print_json(&value);
            Ok(())
        }
        Err(e) => {
            print_json(&json!({"error": e}));
            Err(e.into())
        }
    }
}

fn callback(a: args::CallbackArgs) -> Result<(), Failure> {
    let input = read_arg(&a.input)?;
    if a.interits {
        let cb = interits::parse_callback(input.as_bytes())?;
        print_json(&json!({"callback": cb}));
    } else {
        print_json(&json!({"report": esms::parse_delivery_report(input.trim())}));
    }
    Ok(())
}

fn emulator(a: args::EmulatorArgs) -> Result<(), Failure> {
    let config = nhantin_emulator::EmulatorConfig {
        port: a.port,
        ..Default::default()
    };
    let emulator = nhantin_emulator::Emulator::start(config).map_err(|e| Failure {
        code: 1,
        message: format!("starting the emulator: {e}"),
    })?;
    // The first line is for programs (tests in other languages read it); the rest for people.
    println!(
        "{}",
        json!({"address": emulator.addr().to_string(), "base_url": emulator.base_url(), "esms": emulator.esms_base_url(),
        "caresoft": emulator.caresoft_base_url(), "interits": emulator.interits_base_url()})
    );
    println!(
        "nhantin emulator listening on {} (Ctrl-C to stop)",
        emulator.base_url()
    );
    use std::io::Write;
    std::io::stdout().flush().ok();
    if a.stop_on_stdin_eof {
        // A parent test process holds our stdin open; when it exits, we stop too.
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
        drop(emulator);
        return Ok(());
    }
    loop {
        std::thread::park();
    }
}

/// The account the demo and tests use against an emulator.
pub fn emulator_accounts(emulator: &nhantin_emulator::Emulator) -> [Account; 3] {
    let parse = |json: Value| {
        nhantin_core::AccountInput::from_json(&json.to_string())
            .and_then(|a| a.validate())
            .expect("demo accounts are valid")
    };
    [
        parse(
            json!({"provider": "esms", "api_key": nhantin_emulator::DEMO_ESMS_API_KEY, "secret_key": nhantin_emulator::DEMO_ESMS_SECRET_KEY, "base_url": emulator.esms_base_url()}),
        ),
        parse(
            json!({"provider": "caresoft", "domain": nhantin_emulator::DEMO_CARESOFT_DOMAIN, "api_token": nhantin_emulator::DEMO_CARESOFT_TOKEN, "service_id": 12, "base_url": emulator.caresoft_base_url()}),
        ),
        parse(
            json!({"provider": "interits", "api_key": nhantin_emulator::DEMO_INTERITS_KEY, "base_url": emulator.interits_base_url()}),
        ),
    ]
}
