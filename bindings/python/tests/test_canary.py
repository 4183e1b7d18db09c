"""The leak canary for Python, like the Rust ones (transport/tests/canary.rs, cli/tests/canary.rs):
recognisable keys, a phone number and a message text go through every send, encode-error and
fault path, and no error message, ``str``/``repr`` of an account, result or error, traceback
text, ``redacted_url`` or output of the example program may show them (phones only masked:
``091****678``; the text not at all).

What is not checked, by decision: the ``repr`` of the caller's own ``Message`` (a record: it
prints its ``text`` and ``recipients`` like any other field; it is checked for the keys only),
and ``step.request`` of the machine and ``encode_send``'s ``HttpRequest`` (the exact request to
transmit, keys included by design; ``redacted_url`` is the form to log, and it is checked).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Optional

import pytest
import requests

from emulator_support import (
    BRAND,
    ESMS_KEY,
    ESMS_SECRET,
    OPTIONS,
    Emulator,
    esms_account,
    esms_options,
    interits_options,
    phones,
    sms,
    viber,
)
from nhantin import (
    Account,
    AccountState,
    Client,
    ClientOptions,
    EsmsFormat,
    HttpHeader,
    HttpResponse,
    Message,
    NhantinError,
    SafeResend,
    Secret,
    SendMachine,
    SendPolicy,
    SendStep,
    SmsPurpose,
    ViberButton,
    encode_send,
    normalize_phone,
)

KEY, SECRET = ESMS_KEY, ESMS_SECRET  # the emulator's demo keys: DEMO_ESMS_API_KEY / DEMO_ESMS_SECRET_KEY
PHONE = "0912345678"
OTP = "SECRET-OTP-778899"
PROXY_PASSWORD = "Pr0xyPassLEAK"
CANARIES = [
    (KEY, "API key"),
    (SECRET, "secret key"),
    (PROXY_PASSWORD, "proxy password"),
    (PHONE, "phone (national)"),
    ("84912345678", "phone (international)"),
    ("912345678", "phone digits"),
    ("778899", "message text (the OTP)"),
]
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "requests_send.py"
FAULTS: list[Optional[dict[str, Any]]] = [
    None,
    {"fault": "reset_before_read"},
    {"fault": "reset_after_accept"},
    {"fault": "status", "status": 503},
    {"fault": "html_page"},
    {"fault": "malformed_json"},
]
ONE_ATTEMPT = ClientOptions(allow_insecure_http=True, max_attempts=1, request_timeout_ms=2000)


class Seen:
    """Everything the canary looked at, checked as it is added; counted for the summary."""

    def __init__(self) -> None:
        self.count = 0

    def clean(self, what: str, text: str) -> None:
        self.count += 1
        for canary, name in CANARIES:
            assert canary not in text, f"{what} shows the {name}: {text}"

    def shown(self, what: str, value: object) -> None:
        self.clean(f"{what} str", str(value))
        self.clean(f"{what} repr", repr(value))

    def error(self, what: str, e: BaseException) -> None:
        self.shown(what, e)
        self.clean(f"{what} args", repr(e.args))
        self.clean(f"{what} traceback", "".join(traceback.format_exception_only(type(e), e)))
        for name, value in vars(e).items():
            self.shown(f"{what} .{name}", value)

    def keys_only(self, what: str, value: object) -> None:
        """The caller's own Message: its text and recipients are its fields; no key may be there."""
        for canary, name in CANARIES[:3]:
            assert canary not in repr(value) and canary not in str(value), f"{what} shows the {name}: {value!r}"


@pytest.fixture
def seen() -> Seen:
    return Seen()


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("requests_send_canary", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def messages() -> list[tuple[str, Message]]:
    return [
        ("otp-json", Message(recipients=[PHONE], content=sms(SmsPurpose.OTP, OTP, sender=BRAND))),
        ("fixed-get", Message(recipients=[PHONE], content=sms(SmsPurpose.FIXED_NUMBER, OTP),
                              options=esms_options(format=EsmsFormat.GET))),
        ("care-xml", Message(recipients=[PHONE, "0987654321"], content=sms(SmsPurpose.CUSTOMER_CARE, OTP, sender=BRAND),
                             options=esms_options(format=EsmsFormat.XML))),
    ]


def canary_account(em: Emulator) -> Account:
    return esms_account(em, KEY, SECRET)


def esms(api_key: str, secret_key: str, base_url: str) -> Account:
    return Account.ESMS(api_key=Secret(api_key), secret_key=Secret(secret_key), base_url=base_url)


def new_state() -> AccountState:
    return AccountState()


def inject(em: Emulator, fault: Optional[dict[str, Any]], times: int = 1) -> None:
    em.reset()
    if fault is not None:
        em.fault(times=times, **fault)


# ---- the client: every eSMS send shape through every fault ----------------------------------


def test_client_sends_through_faults(emulator: Emulator, seen: Seen) -> None:
    account = canary_account(emulator)
    seen.shown("account", account)
    client = Client(account, ONE_ATTEMPT)
    seen.shown("client", client)
    outcomes = set()
    for name, message in messages():
        seen.keys_only(f"{name} message", message)
        for fault in FAULTS:
            what = f"{name} under {fault}"
            inject(emulator, fault)
            try:
                result = client.send(message)
            except NhantinError as e:
                seen.error(f"{what}: error", e)
                outcomes.add(type(e).__name__)
                resend: Optional[SafeResend] = getattr(e, "resend", None)
                if resend is None:
                    continue
                # The safe resend, which the emulator answers (already submitted or accepted).
                try:
                    again = client.resend(message, resend)
                except NhantinError as e2:
                    seen.error(f"{what}: resend error", e2)
                    continue
                seen.shown(f"{what}: resend result", again)
                outcomes.add(again.status.name)
                continue
            seen.shown(f"{what}: result", result)
            seen.shown(f"{what}: receipt", result.receipt)
            outcomes.add(result.status.name)
    assert {"ACCEPTED", "ALREADY_SUBMITTED", "OutcomeUnknown"} <= outcomes, outcomes
    assert seen.count > 200, seen.count


def test_bulk_batches_through_faults(emulator: Emulator, seen: Seen) -> None:
    client = Client(canary_account(emulator), ONE_ATTEMPT)
    message = Message(recipients=[PHONE] + phones(5001), content=sms(SmsPurpose.ADVERTISING, OTP, sender=BRAND),
                      request_id="canary-bulk")
    bulk_faults: list[dict[str, Any]] = [{"fault": "status", "status": 503}, {"fault": "html_page"},
                                         {"fault": "reset_before_read"}]
    for fault in bulk_faults:
        inject(emulator, fault)
        batches = client.send_bulk(message)
        assert len(batches) == 2
        for b in batches:
            seen.shown(f"bulk under {fault}: batch", b)
            if b.error is not None:
                seen.error(f"bulk under {fault}: batch error", b.error)
        assert any(b.error is not None for b in batches), "the fault failed one batch"


# ---- refusals before anything is sent --------------------------------------------------------


def test_input_errors(emulator: Emulator, seen: Seen) -> None:
    account = canary_account(emulator)
    client = Client(account, OPTIONS)
    now = "2026-11-24T02:00:00Z"
    otp_sms = sms(SmsPurpose.OTP, OTP, sender=BRAND)
    # Refused whatever the endpoint: phones that are not one, the same person twice.
    refused = [
        Message(recipients=["0912345678x"], content=otp_sms),
        Message(recipients=["01912345678"], content=otp_sms),
        Message(recipients=["+84 912 345 678", "0912.345.678"], content=otp_sms, request_id="canary-dup-1"),
        Message(recipients=[PHONE, "+84912345678"], content=otp_sms, request_id="canary-dup-2"),
        Message(recipients=[PHONE], content=otp_sms, options=esms_options(format=EsmsFormat.GET)),
        Message(recipients=[PHONE], content=sms(SmsPurpose.CUSTOMER_CARE, OTP + " đồng", sender=BRAND),
                options=esms_options(format=EsmsFormat.XML), request_id="canary-xml"),
        Message(recipients=[PHONE], content=otp_sms, options=interits_options(ext="[778899]")),
    ]
    # Perhaps refused (the canary looks at whatever comes back).
    others = refused + [
        Message(recipients=["912345678"], content=otp_sms),
        Message(recipients=[PHONE], content=sms(SmsPurpose.OTP, OTP * 40, sender=BRAND), request_id="canary-long"),
        Message(recipients=[PHONE], content=sms(SmsPurpose.ADVERTISING, OTP + " đồng", sender=BRAND)),
        # A button needs a URL by construction now; an empty one is the nearest bad button.
        Message(recipients=[PHONE], content=viber(OTP, sender=BRAND, button=ViberButton(label="Xem", url=""))),
    ]
    for m in refused:
        with pytest.raises(NhantinError) as err:
            client.send(m)
        seen.error("Client.send of a bad message", err.value)
    assert emulator.messages() == [], "nothing was sent"
    calls: list[tuple[str, Callable[[Message], object]]] = [
        ("encode_send", lambda m: encode_send(account, m, now)),
        ("SendMachine", lambda m: SendMachine(account, m, 1_780_000_000_000)),
    ]
    errors = 0
    for m in others:
        for name, call in calls:
            try:
                call(m)
            except NhantinError as e:
                seen.error(f"{name} of a bad message", e)
                errors += 1
    assert errors >= 2 * len(refused), f"only {errors} refusals"

    for value in [PHONE + "x", "01912345678", "0912345", OTP]:
        with pytest.raises(NhantinError) as err:
            normalize_phone(value)
        seen.error(f"normalize_phone({value!r})", err.value)

    # Accounts the client refuses: keys it cannot send, a proxy it cannot use.
    for bad_account in [
        esms(KEY + "\n", SECRET, emulator.esms),
        esms("", SECRET + " \x00", emulator.esms),
        esms(KEY, SECRET, "ftp://esms.example.vn/"),
    ]:
        seen.shown("refused account", bad_account)
        try:
            Client(bad_account, OPTIONS)
        except NhantinError as e:
            seen.error("refused account: error", e)
    for proxy in [f"http://erp:{PROXY_PASSWORD}@proxy.example.vn:3128", f"http://erp:{PROXY_PASSWORD}@[::1"]:
        seen.shown("options with a proxy", ClientOptions(allow_insecure_http=True, proxy=Secret(proxy)))
        try:
            seen.shown("client with a proxy", Client(account, ClientOptions(allow_insecure_http=True, proxy=Secret(proxy))))
        except NhantinError as e:
            seen.error("proxy refused", e)


# ---- the machine, with requests as the HTTP stack ---------------------------------------------


def drive(machine: SendMachine, state: AccountState, transmit: Callable[[SendMachine, AccountState, Any], None],
          seen: Seen, what: str) -> None:
    while True:
        try:
            step = machine.poll(state, int(time.time() * 1000))
        except NhantinError as e:
            seen.error(f"{what}: error", e)
            return
        if isinstance(step, SendStep.TRANSMIT):
            seen.clean(f"{what}: redacted_url", step.request.redacted_url)
            transmit(machine, state, step.request)
        elif isinstance(step, SendStep.WAIT):
            time.sleep(max(0, step.until_ms - int(time.time() * 1000)) / 1000)
        else:
            assert isinstance(step, SendStep.DONE)
            seen.shown(f"{what}: done step", step)
            return


def careless_transmit(http: requests.Session) -> Callable[[SendMachine, AccountState, Any], None]:
    """A caller who reports the HTTP library's own message as the cause: requests names the
    whole URL (an eSMS GET URL carries the keys, the phone and the text)."""

    def transmit(machine: SendMachine, state: AccountState, request: Any) -> None:
        now = int(time.time() * 1000)
        try:
            r = http.request(request.method, request.url, headers={h.name: h.value for h in request.headers},
                             data=request.body or None, timeout=(2, 2))
        except requests.RequestException as e:
            machine.on_failure(state, now, not isinstance(e, requests.ConnectTimeout), f"{type(e).__name__}: {e}")
            return
        machine.on_response(state, now, HttpResponse(status=r.status_code, body=r.content,
                                                     headers=[HttpHeader(name=k, value=v) for k, v in r.headers.items()]))

    return transmit


def test_machine_through_faults(emulator: Emulator, seen: Seen) -> None:
    example = load_example()
    account = canary_account(emulator)
    policy = SendPolicy(max_attempts=1)
    with example.session() as http:
        def careful(machine: SendMachine, state: AccountState, request: Any) -> None:
            example.transmit(http, machine, state, request)

        for name, message in messages():
            for fault in FAULTS:
                for label, transmit in [("example", careful), ("careless", careless_transmit(http))]:
                    inject(emulator, fault)
                    machine = SendMachine(account, message, int(time.time() * 1000), policy=policy)
                    drive(machine, new_state(), transmit, seen, f"machine {name} ({label}) under {fault}")

        # A closed port: requests' message names the whole GET URL.
        dead = esms(KEY, SECRET, "http://127.0.0.1:9/esms/")
        get = messages()[1][1]
        machine = SendMachine(dead, get, int(time.time() * 1000), policy=SendPolicy(max_attempts=2, initial_backoff_ms=10))
        drive(machine, new_state(), careless_transmit(http), seen, "machine to a closed port")
        assert machine.attempts() == 2

    # A proxy's error page that echoes the whole request URL, keys, phone and text included.
    state = new_state()
    machine = SendMachine(account, messages()[1][1], 1_780_000_000_000, policy=policy)
    step = machine.poll(state, 1_780_000_000_000)
    assert isinstance(step, SendStep.TRANSMIT)
    assert KEY in step.request.url and PHONE in step.request.url, "the GET URL carries them"
    echo = f"<html>502 Bad Gateway for {step.request.url}</html>".encode()
    machine.on_response(state, 1_780_000_000_001, HttpResponse(status=502, headers=[], body=echo))
    with pytest.raises(NhantinError) as err:
        machine.poll(state, 1_780_000_000_002)
    seen.error("echoed proxy page", err.value)


# ---- the example program, as the README runs it -----------------------------------------------


def test_example_program_output(emulator: Emulator, seen: Seen) -> None:
    env = dict(os.environ, NHANTIN_ESMS_API_KEY=KEY, NHANTIN_ESMS_SECRET_KEY=SECRET)
    for fault, times in [(None, 1), ({"fault": "status", "status": 503, "path": "SendMultipleMessage_V4_post_json"}, 4),
                         ({"fault": "html_page"}, 4), ({"fault": "reset_after_accept"}, 4)]:
        inject(emulator, fault, times)
        done = subprocess.run(
            [sys.executable, str(EXAMPLE), "--to", PHONE, "--text", OTP, "--sender", BRAND, "--base-url", emulator.esms],
            env=env, capture_output=True, text=True, timeout=120,
        )
        seen.clean(f"example under {fault} (exit {done.returncode})", done.stdout + done.stderr)

