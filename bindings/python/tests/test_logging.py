"""nhantin's log records in Python's ``logging`` (src/nhantin/_logging.py), against the emulator.

At import nhantin routes the Rust library's records to ``logging.getLogger("nhantin.<module>")``
at the level the ``nhantin`` logger is effective at; ``configure_logging`` re-syncs or sets it.
These tests set the ``nhantin`` logger's level themselves (the ``verbosity`` fixture restores it
and re-syncs Rust) and read the records with pytest's ``caplog``, whose handler sits on the root
logger: nhantin's records reach it by propagation.
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest

import nhantin
from emulator_support import (
    BRAND,
    CARESOFT_TOKEN,
    ESMS_KEY,
    ESMS_SECRET,
    INTERITS_KEY,
    OPTIONS,
    Emulator,
    caresoft_account,
    esms_account,
    esms_options,
    interits_account,
    otp,
    phones,
    sms,
)
from nhantin import (
    Client,
    ClientOptions,
    EsmsFormat,
    Logger,
    LogLevel,
    LogRecord,
    Message,
    NhantinError,
    SendStatus,
    SmsPurpose,
    configure_logging,
    set_logger,
)
from nhantin import _logging

PHONE = "0912345678"
TEXT = "SECRET-OTP-778899"
CANARIES = [
    (ESMS_KEY, "eSMS API key"),
    (ESMS_SECRET, "eSMS secret key"),
    (CARESOFT_TOKEN, "CareSoft token"),
    (INTERITS_KEY, "InterITS key"),
    (PHONE, "phone (national)"),
    ("84912345678", "phone (international)"),
    ("912345678", "phone digits"),
    (TEXT, "message text"),
    ("778899", "message text (the OTP)"),
]
ONE_ATTEMPT = ClientOptions(allow_insecure_http=True, max_attempts=1, request_timeout_ms=2000)
TRANSPORT = "nhantin.transport.client"


@pytest.fixture
def verbosity() -> Iterator[logging.Logger]:
    """The ``nhantin`` logger, its level and its children's restored afterwards, Rust re-synced."""
    root = logging.getLogger("nhantin")
    saved = root.level
    yield root
    root.setLevel(saved)
    for name, logger in root.manager.loggerDict.items():
        if name.startswith("nhantin.") and isinstance(logger, logging.Logger):
            logger.setLevel(logging.NOTSET)
    configure_logging()


def ours(caplog: pytest.LogCaptureFixture, name: str = TRANSPORT) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == name]


def test_a_send_logs_what_it_sent_each_attempt_and_how_it_ended(
        emulator: Emulator, verbosity: logging.Logger, caplog: pytest.LogCaptureFixture) -> None:
    assert configure_logging(logging.DEBUG) == LogLevel.DEBUG
    assert verbosity.level == logging.DEBUG
    result = Client(esms_account(emulator), OPTIONS).send(otp("py-log-1"))
    assert result.status == SendStatus.ACCEPTED
    assert ours(caplog) == [
        (logging.INFO, "sending an OTP SMS via esms to 1 recipient(s), request id py-log-1"),
        (logging.DEBUG, "attempt 1 to esms, request id py-log-1"),
        (logging.DEBUG, "answered HTTP 200"),
        (logging.INFO, "accepted after 1 attempt(s), request id py-log-1"),
    ]
    record = next(r for r in caplog.records if r.name == TRANSPORT)
    assert getattr(record, "nhantin_target") == "nhantin_transport::client"
    # Records of nhantin's dependencies come as children too (reqwest opens the connection).
    assert any(r.name.startswith("nhantin.reqwest.") for r in caplog.records)
    assert {r.name.split(".")[0] for r in caplog.records} == {"nhantin"}


def test_a_request_id_with_a_long_digit_run_is_logged_whole(
        emulator: Emulator, verbosity: logging.Logger, caplog: pytest.LogCaptureFixture) -> None:
    """Regression: the records were masked like provider text, so an id holding a date showed as
    ``order-202**202-0042`` and could not be searched for in the provider's records."""
    configure_logging(logging.INFO)
    Client(esms_account(emulator), OPTIONS).send(otp("order-20261202-0042"))
    assert (logging.INFO, "accepted after 1 attempt(s), request id order-20261202-0042") in ours(caplog)


def test_the_target_names_the_child_logger() -> None:
    assert _logging.logger_name("nhantin_transport::client") == "nhantin.transport.client"
    assert _logging.logger_name("nhantin::pool") == "nhantin.pool"
    assert _logging.logger_name("nhantin") == "nhantin"
    assert _logging.logger_name("reqwest::connect") == "nhantin.reqwest.connect"


def test_level_changes_take_effect(emulator: Emulator, verbosity: logging.Logger,
                                   caplog: pytest.LogCaptureFixture) -> None:
    client = Client(esms_account(emulator), OPTIONS)

    assert configure_logging("INFO") == LogLevel.INFO
    client.send(otp("py-level-info"))
    assert [level for level, _ in ours(caplog)] == [logging.INFO, logging.INFO]
    assert not [r for r in caplog.records if r.levelno < logging.INFO]
    caplog.clear()

    assert configure_logging(logging.WARNING) == LogLevel.WARN
    client.send(otp("py-level-warning"))
    assert caplog.records == []

    # More verbose without re-syncing: Rust still stops at WARN (documented) ...
    verbosity.setLevel(logging.DEBUG)
    client.send(otp("py-level-stale"))
    assert caplog.records == []
    # ... until configure_logging() reads the new level.
    assert configure_logging() == LogLevel.DEBUG
    client.send(otp("py-level-debug"))
    assert (logging.DEBUG, "answered HTTP 200") in ours(caplog)
    caplog.clear()

    # A more verbose child counts: its records come, its siblings' do not.
    verbosity.setLevel(logging.WARNING)
    logging.getLogger("nhantin.transport").setLevel(logging.DEBUG)
    assert configure_logging() == LogLevel.DEBUG
    client.send(otp("py-level-child"))
    assert (logging.DEBUG, "answered HTTP 200") in ours(caplog)
    assert not [r for r in caplog.records if r.name.startswith("nhantin.reqwest.")]
    logging.getLogger("nhantin.transport").setLevel(logging.NOTSET)
    caplog.clear()

    # Above ERROR nothing is forwarded at all, not even a failed send.
    assert configure_logging(logging.CRITICAL) is None
    emulator.fault(fault="reset_after_accept", times=1)
    with pytest.raises(NhantinError.OutcomeUnknown):
        Client(esms_account(emulator), ONE_ATTEMPT).send(otp("py-level-off"))
    assert caplog.records == []

    # TRACE is level 5, below DEBUG.
    assert configure_logging(nhantin.TRACE) == LogLevel.TRACE
    client.send(otp("py-level-trace"))
    assert any(r.levelno == nhantin.TRACE for r in caplog.records)


def test_below_warning_nothing_crosses_from_rust(emulator: Emulator, verbosity: logging.Logger,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """At the default WARNING a successful send does not call into Python at all: Rust drops
    its INFO and DEBUG records before building them."""
    calls: list[LogRecord] = []
    original = _logging._Bridge.log

    def counting(self: _logging._Bridge, record: LogRecord) -> None:
        calls.append(record)
        original(self, record)

    monkeypatch.setattr(_logging._Bridge, "log", counting)
    client = Client(esms_account(emulator), OPTIONS)
    assert configure_logging(logging.WARNING) == LogLevel.WARN
    client.send(otp("py-quiet-1"))
    assert calls == []
    assert configure_logging(logging.INFO) == LogLevel.INFO
    client.send(otp("py-quiet-2"))
    assert [c.level for c in calls] == [LogLevel.INFO, LogLevel.INFO]


def test_an_unknown_outcome_is_a_warning(emulator: Emulator, verbosity: logging.Logger,
                                         caplog: pytest.LogCaptureFixture) -> None:
    assert configure_logging(logging.WARNING) == LogLevel.WARN
    emulator.fault(fault="reset_after_accept", times=1)
    with pytest.raises(NhantinError.OutcomeUnknown):
        Client(esms_account(emulator), ONE_ATTEMPT).send(otp("py-warn-1"))
    warnings = ours(caplog)
    assert warnings and all(level == logging.WARNING for level, _ in warnings)
    assert any("outcome unknown" in text for _, text in warnings), warnings
    assert len(emulator.messages()) == 1


def test_no_record_shows_a_key_a_phone_or_the_text(emulator: Emulator, verbosity: logging.Logger,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    """The canary at TRACE (every record, nhantin's and its dependencies'): recognisable keys,
    a phone number and a text through every send format, provider, fault and input error."""
    assert configure_logging(nhantin.TRACE) == LogLevel.TRACE
    esms = Client(esms_account(emulator), ONE_ATTEMPT)
    formats = [(None, SmsPurpose.OTP, BRAND), (EsmsFormat.GET, SmsPurpose.FIXED_NUMBER, None),
               (EsmsFormat.XML, SmsPurpose.CUSTOMER_CARE, BRAND)]
    faults = [None, {"fault": "reset_before_read"}, {"fault": "reset_after_accept"},
              {"fault": "status", "status": 503}, {"fault": "html_page"}, {"fault": "malformed_json"},
              {"fault": "too_many_requests", "retry_after_secs": 1}]
    for format, purpose, sender in formats:
        for fault in faults:
            if fault is not None:
                emulator.fault(times=1, **fault)
            message = Message(recipients=[PHONE], content=sms(purpose, TEXT, sender=sender),
                              options=esms_options(format=format))
            try:
                esms.send(message)
            except NhantinError:
                pass
    for bad in ["09123", "+1 212 555 0100"]:
        with pytest.raises(NhantinError.InvalidInput):
            esms.send(Message(recipients=[PHONE, bad], content=sms(SmsPurpose.OTP, TEXT, sender=BRAND)))
    esms.send_bulk(Message(recipients=[PHONE, *phones(30)], content=sms(SmsPurpose.ADVERTISING, TEXT, sender=BRAND)))
    asyncio.run(esms.send_async(Message(recipients=[PHONE], content=sms(SmsPurpose.OTP, TEXT, sender=BRAND))))
    Client(caresoft_account(emulator), OPTIONS).send(
        Message(recipients=[PHONE], content=sms(SmsPurpose.CUSTOMER_CARE, TEXT)))
    Client(interits_account(emulator), OPTIONS).send(
        Message(recipients=[PHONE], content=sms(SmsPurpose.OTP, TEXT, sender=BRAND), request_id="py-canary-it"))

    records = [r for r in caplog.records if r.name.startswith("nhantin")]
    levels = {r.levelno for r in records}
    assert {logging.INFO, logging.DEBUG, logging.WARNING, nhantin.TRACE} <= levels, levels
    assert len(records) > 100
    formatter = logging.Formatter("%(levelname)s %(name)s %(nhantin_target)s %(message)s")
    for r in records:
        text = formatter.format(r)
        for canary, what in CANARIES:
            assert canary not in text, f"a log record shows the {what}: {text}"
    everything = "\n".join(r.getMessage() for r in records)
    for provider in ("via esms", "via caresoft", "via interits"):
        assert provider in everything, f"no record of a send {provider}"


class Raising(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        raise RuntimeError("this handler is broken")


def test_a_handler_that_raises_does_not_break_a_send(emulator: Emulator, verbosity: logging.Logger,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    handler = Raising()
    verbosity.addHandler(handler)
    try:
        assert configure_logging(logging.DEBUG) == LogLevel.DEBUG
        result = Client(esms_account(emulator), OPTIONS).send(otp("py-raising-1"))
        result_async = asyncio.run(Client(esms_account(emulator), OPTIONS).send_async(otp("py-raising-2")))
    finally:
        verbosity.removeHandler(handler)
    assert result.status == result_async.status == SendStatus.ACCEPTED
    assert len(emulator.messages()) == 2
    err = capsys.readouterr().err
    assert "--- nhantin: logging error ---" in err and "RuntimeError: this handler is broken" in err


def test_a_logger_that_raises_from_rust_does_not_break_a_send(
        emulator: Emulator, verbosity: logging.Logger, caplog: pytest.LogCaptureFixture) -> None:
    """The generated ``set_logger`` with a Logger whose ``log`` raises: Rust drops the record
    and the send goes on. ``configure_logging()`` takes over again."""

    class Broken(Logger):
        def __init__(self) -> None:
            self.calls = 0

        def log(self, record: LogRecord) -> None:
            self.calls += 1
            raise ValueError("broken logger")

    broken = Broken()
    set_logger(broken, LogLevel.TRACE)
    result = Client(esms_account(emulator), OPTIONS).send(otp("py-broken-1"))
    assert result.status == SendStatus.ACCEPTED and broken.calls > 0
    assert len(emulator.messages()) == 1
    assert configure_logging(logging.INFO) == LogLevel.INFO
    calls = broken.calls
    Client(esms_account(emulator), OPTIONS).send(otp("py-broken-2"))
    assert broken.calls == calls
    assert [level for level, _ in ours(caplog)] == [logging.INFO, logging.INFO]


def run_python(setup: str, send: str, emulator: Emulator) -> subprocess.CompletedProcess[str]:
    code = textwrap.dedent(setup) + textwrap.dedent(send)
    return subprocess.run([sys.executable, "-c", code, emulator.esms], capture_output=True, text=True, timeout=60)


SEND = """
    import nhantin, sys
    from nhantin import Account, Client, ClientOptions, Content, Message, NhantinError, Secret, Sms, SmsPurpose
    account = Account.ESMS(api_key=Secret("DEMO_ESMS_API_KEY"), secret_key=Secret("DEMO_ESMS_SECRET_KEY"), base_url=sys.argv[1])
    client = Client(account, ClientOptions(allow_insecure_http=True, max_attempts=1))
    message = Message(recipients=["0912345678"], request_id="py-sub-{id}",
                      content=Content.SMS(sms=Sms(purpose=SmsPurpose.OTP, text="x", sender="NHANTIN")))
    try:
        print("status", client.send(message).status)
    except NhantinError.OutcomeUnknown:
        print("outcome unknown")
"""


def test_import_routes_at_the_level_logging_was_configured_with(emulator: Emulator) -> None:
    done = run_python("""
        import logging, sys
        logging.basicConfig(level=logging.DEBUG, stream=sys.stdout, format="%(levelname)s %(name)s: %(message)s")
    """, SEND.format(id="import-1"), emulator)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "INFO nhantin.transport.client: answered HTTP 200" not in lines
    assert "DEBUG nhantin.transport.client: answered HTTP 200" in lines, done.stdout
    assert lines[-1] == "status SendStatus.ACCEPTED"


def test_a_program_that_never_configures_logging_prints_nothing(emulator: Emulator) -> None:
    """Not even the WARNING of an unknown outcome: the ``nhantin`` logger has a NullHandler, so
    logging's last-resort handler stays quiet (what the logging HOWTO asks of a library)."""
    emulator.fault(fault="reset_after_accept", times=1)
    done = run_python("", SEND.format(id="quiet-1"), emulator)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "outcome unknown\n"
    assert done.stderr == ""


def test_a_refused_send_is_an_error(emulator: Emulator, verbosity: logging.Logger,
                                    caplog: pytest.LogCaptureFixture) -> None:
    """ERROR means "a send or query failed" (the level's documented meaning); a refused send was
    logged at WARNING, so a host listening at ERROR heard nothing of it."""
    assert configure_logging(logging.ERROR) == LogLevel.ERROR
    with pytest.raises(NhantinError.Rejected):
        Client(esms_account(emulator, key="WRONG-KEY-0001"), OPTIONS).send(otp("py-error-1"))
    errors = ours(caplog)
    assert errors and all(level == logging.ERROR for level, _ in errors), errors
    assert any(text.startswith("rejected") for _, text in errors), errors
    assert "WRONG-KEY-0001" not in caplog.text
