"""The Client object against the loopback emulator, run as a separate process
(`$NHANTIN_BIN emulator --port 0 --stop-on-stdin-eof`). The emulator's record of accepted
messages (GET /_emulator/messages) is the judge of "sent exactly once".

``type: ignore`` marks two gaps in the static types of UniFFI 0.32.2's generated module (see
test_vectors.py): ``Account.ESMS(...)`` is not an ``Account`` for mypy, and the error variants
(``NhantinError.Rejected``) are invisible to it. Both work at run time.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

from nhantin import (
    Account,
    Client,
    ClientOptions,
    ErrorKind,
    Message,
    MessageKind,
    NhantinError,
    Provider,
    Rejection,
    SendResult,
    SendStatus,
    EsmsFormat,
)

REPO_ROOT = Path(__file__).resolve().parents[3]

ESMS_KEY, ESMS_SECRET = "DEMO_ESMS_API_KEY", "DEMO_ESMS_SECRET_KEY"
CARESOFT_DOMAIN, CARESOFT_TOKEN, CARESOFT_SERVICE = "demo", "DEMO_CARESOFT_TOKEN", 12
INTERITS_KEY = "DEMO_INTERITS_KEY"
BRAND = "NHANTIN"

# Faster retries than the defaults would be nice, but ClientOptions has no backoff knobs; the
# default 200 ms first backoff keeps these tests well under a second each.
OPTIONS = ClientOptions(allow_insecure_http=True, request_timeout_ms=5000)


@dataclass(frozen=True)
class Emulator:
    base_url: str
    esms: str
    caresoft: str
    interits: str

    def control(self, method: str, path: str, body: Optional[dict[str, Any]] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"{self.base_url}/_emulator/{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(req, timeout=10) as resp:
            return json.loads(resp.read())

    def reset(self) -> None:
        assert self.control("POST", "reset") == {"reset": True}

    def fault(self, **spec: Any) -> None:
        assert self.control("POST", "faults", spec) == {"queued": True}

    def messages(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.control("GET", "messages")
        return result


@pytest.fixture(scope="session")
def emulator_process() -> Iterator[Emulator]:
    binary = Path(os.environ.get("NHANTIN_BIN", "target/debug/nhantin"))
    if not binary.is_absolute():
        binary = REPO_ROOT / binary
    if not binary.is_file():
        pytest.fail(f"no emulator binary at {binary} (build it with `cargo build -p nhantin-cli`, or set NHANTIN_BIN)")
    proc = subprocess.Popen(
        [str(binary), "emulator", "--port", "0", "--stop-on-stdin-eof"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    stdout = proc.stdout
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:  # the first line for us; the rest drained so the pipe never fills
        for line in stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    try:
        first = lines.get(timeout=30)
        info = json.loads(first)
        emulator = Emulator(base_url=info["base_url"], esms=info["esms"], caresoft=info["caresoft"],
                            interits=info["interits"])
        assert info["address"].startswith("127.0.0.1:")
        assert emulator.control("GET", "health") == {"ok": True}
        yield emulator
    finally:
        proc.stdin.close()  # --stop-on-stdin-eof: the emulator shuts down
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def emulator(emulator_process: Emulator) -> Emulator:
    """The session's emulator, reset: no messages, no faults, full balance."""
    emulator_process.reset()
    return emulator_process


def esms_account(em: Emulator, key: str = ESMS_KEY, secret: str = ESMS_SECRET) -> Account:
    return Account.ESMS(api_key=key, secret_key=secret, base_url=em.esms)  # type: ignore[return-value]


def caresoft_account(em: Emulator) -> Account:
    return Account.CARE_SOFT(  # type: ignore[return-value]
        domain=CARESOFT_DOMAIN, api_token=CARESOFT_TOKEN, service_id=CARESOFT_SERVICE, base_url=em.caresoft
    )


def interits_account(em: Emulator) -> Account:
    return Account.INTER_ITS(api_key=INTERITS_KEY, base_url=em.interits)  # type: ignore[return-value]


def otp(request_id: str, to: str = "0912345678") -> Message:
    return Message(kind=MessageKind.OTP, recipients=[to], text="Mã OTP của bạn là 123456", sender=BRAND,
                   request_id=request_id)


def phones(n: int) -> list[str]:
    return [f"09{10_000_000 + i:08d}" for i in range(n)]


def emulator_reference(record: dict[str, Any]) -> str:
    ref = record["reference"]
    if ref["kind"] == "esms_sms_id":
        return str(ref["sms_id"])
    if ref["kind"] == "care_soft_ticket":
        return str(ref["ticket_id"])
    return str(ref["referent_id"])


# ---- every endpoint -----------------------------------------------------------------------

THIRTY = phones(30)
ENDPOINTS: list[tuple[str, str, Callable[[Emulator], Account], Message, str]] = [
    ("esms-otp-json", "esms", esms_account, otp("py-otp"), "SendMultipleMessage_V4_post_json"),
    ("esms-fixed-json", "esms", esms_account,
     Message(kind=MessageKind.FIXED_NUMBER, recipients=["0912345678"], text="x & y", request_id="py-fixed"),
     "SendMultipleMessage_V4_post_json"),
    ("esms-care-xml", "esms", esms_account,
     Message(kind=MessageKind.CUSTOMER_CARE, recipients=["0912345678", "+84 98 765 4321"], text="a<b>&'\"",
             sender=BRAND, request_id="py-xml", esms_format=EsmsFormat.XML),
     "SendMultipleMessage_V4"),
    ("esms-advertising-xml", "esms", esms_account,
     Message(kind=MessageKind.ADVERTISING, recipients=THIRTY, text="KM", sender=BRAND, request_id="py-adv-xml",
             esms_format=EsmsFormat.XML),
     "SendMultipleSMSBrandname"),
    ("esms-advertising-json", "esms", esms_account,
     Message(kind=MessageKind.ADVERTISING, recipients=THIRTY, text="KM", sender=BRAND, request_id="py-adv-json"),
     "SendMultipleSMSBrandname_json"),
    ("esms-fixed-get", "esms", esms_account,
     Message(kind=MessageKind.FIXED_NUMBER, recipients=["0912345678"], text="OTP 1+1=2 100% #1", request_id="py-get",
             sandbox=True, esms_format=EsmsFormat.GET),
     "SendMultipleMessage_V4_get"),
    ("esms-viber-text", "esms", esms_account,
     Message(kind=MessageKind.VIBER, recipients=["0912345678"], text="t", sender=BRAND, request_id="py-v1"),
     "Send_Multiple_Sms_OTT"),
    ("esms-viber-image-button", "esms", esms_account,
     Message(kind=MessageKind.VIBER, recipients=["0912345678"], text="t", sender=BRAND, request_id="py-v2",
             viber_image_url="https://e.vn/a.png", viber_button_label="Go", viber_button_url="https://e.vn/x"),
     "Send_Multiple_Sms_OTT"),
    ("caresoft-care", "caresoft", caresoft_account,
     Message(kind=MessageKind.CUSTOMER_CARE, recipients=["0980000000"], text="Cảm ơn quý khách"),
     "caresoft_sms"),
    ("caresoft-ticket", "caresoft", caresoft_account,
     Message(kind=MessageKind.OTP, recipients=["0980000000"], text="OTP 1", caresoft_ticket_id=77),
     "caresoft_sms"),
    ("interits-otp", "interits", interits_account,
     Message(kind=MessageKind.OTP, recipients=["0901234567"], text="Mã OTP", sender=BRAND, request_id="py-it"),
     "interits_send_message"),
    ("interits-advertising-scheduled", "interits", interits_account,
     Message(kind=MessageKind.ADVERTISING, recipients=["0901234567", "0912345678"], text="KM", sender=BRAND,
             request_id="py-it2", schedule="2099-01-01T00:00:00Z"),
     "interits_send_message"),
]


@pytest.mark.parametrize(
    "provider, make_account, message, endpoint",
    [case[1:] for case in ENDPOINTS],
    ids=[case[0] for case in ENDPOINTS],
)
def test_send_through_every_endpoint(
    emulator: Emulator, provider: str, make_account: Callable[[Emulator], Account], message: Message, endpoint: str
) -> None:
    result = Client(make_account(emulator), OPTIONS).send(message)
    assert result.status == SendStatus.ACCEPTED
    assert result.attempts == 1
    assert result.receipt is not None
    [record] = emulator.messages()
    assert record["endpoint"] == endpoint
    assert record["provider"] == {"esms": "esms", "caresoft": "care_soft", "interits": "inter_its"}[provider]
    assert len(record["recipients"]) == len(message.recipients)
    assert result.receipt.reference == emulator_reference(record)
    assert result.request_id == record["request_id"] == message.request_id
    if provider == "caresoft":
        assert result.receipt.provider == Provider.CARE_SOFT
        assert result.receipt.ticket_id is not None and str(result.receipt.ticket_id) == result.receipt.reference
        assert record["attached_ticket_id"] == message.caresoft_ticket_id
    elif provider == "interits":
        assert result.receipt.provider == Provider.INTER_ITS
        assert result.receipt.token == record["reference"]["token"]
    else:
        assert result.receipt.provider == Provider.ESMS


# ---- eSMS queries -------------------------------------------------------------------------


def test_balance_send_status_and_receiver_status(emulator: Emulator) -> None:
    client = Client(esms_account(emulator), OPTIONS)
    before = client.balance()
    assert before.balance > 0
    result = client.send(otp("py-query"))
    assert result.receipt is not None and result.receipt.reference is not None
    sms_id = result.receipt.reference
    assert client.balance().balance < before.balance, "a send is charged"

    status = client.send_status(sms_id)
    assert status.sms_id in (None, sms_id)
    assert status.total_receivers == 1
    assert status.status in (1, 2, 4, 5, 7), f"an eSMS SendStatus number, got {status.status}"

    [receiver] = client.receiver_status(sms_id)
    assert receiver.phone == "0912345678"

    with pytest.raises(NhantinError.Rejected) as missing:  # type: ignore[attr-defined]
        client.send_status("0" * 32)
    assert missing.value.reason == Rejection.NOT_FOUND
    assert missing.value.code == "105"


# ---- typed errors -------------------------------------------------------------------------


def test_wrong_keys_are_rejected_as_unauthorized(emulator: Emulator) -> None:
    client = Client(esms_account(emulator, key="WRONG", secret="ALSO-WRONG"), OPTIONS)
    with pytest.raises(NhantinError.Rejected) as err:  # type: ignore[attr-defined]
        client.send(otp("py-wrong"))
    assert err.value.provider == Provider.ESMS
    assert err.value.reason == Rejection.UNAUTHORIZED
    assert err.value.code == "101"
    assert err.value.provider_message == "Authorize Failed"
    assert "ALSO-WRONG" not in str(err.value), "secrets stay out of errors"
    assert emulator.messages() == []


def test_invalid_phone_names_the_new_number_and_sends_nothing(emulator: Emulator) -> None:
    client = Client(esms_account(emulator), OPTIONS)
    with pytest.raises(NhantinError.InvalidInput) as err:  # type: ignore[attr-defined]
        client.send(otp("py-legacy", to="01662345678"))
    assert err.value.field == "recipients[0]"
    assert "0362345678" in err.value.reason, "the legacy 11-digit number's converted form"
    assert emulator.messages() == []


def test_plain_http_needs_allow_insecure_http(emulator: Emulator) -> None:
    with pytest.raises(NhantinError.Config) as err:  # type: ignore[attr-defined]
        Client(esms_account(emulator), ClientOptions())
    assert "http" in err.value.detail


def test_rate_limit_carries_retry_after(emulator: Emulator) -> None:
    emulator.fault(fault="too_many_requests", retry_after_secs=7)
    client = Client(caresoft_account(emulator), ClientOptions(allow_insecure_http=True, max_attempts=1))
    with pytest.raises(NhantinError.RateLimited) as err:  # type: ignore[attr-defined]
        client.send(Message(kind=MessageKind.CUSTOMER_CARE, recipients=["0980000000"], text="x"))
    assert err.value.provider == Provider.CARE_SOFT
    assert err.value.retry_after_secs == 7
    assert err.value.lockout is False
    assert emulator.messages() == []


# ---- faults: never sent twice -------------------------------------------------------------


def test_reset_after_accept_is_already_submitted_and_sent_once(emulator: Emulator) -> None:
    emulator.fault(fault="reset_after_accept", times=1, path="SendMultipleMessage_V4_post_json")
    result = Client(esms_account(emulator), OPTIONS).send(otp("py-fault"))
    assert result.status == SendStatus.ALREADY_SUBMITTED
    assert result.attempts == 2
    assert result.request_id == "py-fault"
    assert result.receipt is None
    [record] = emulator.messages()
    assert record["request_id"] == "py-fault"


def test_caresoft_is_not_resent_when_it_may_have_arrived(emulator: Emulator) -> None:
    emulator.fault(fault="reset_after_accept")
    client = Client(caresoft_account(emulator), OPTIONS)
    with pytest.raises(NhantinError.OutcomeUnknown) as err:  # type: ignore[attr-defined]
        client.send(Message(kind=MessageKind.CUSTOMER_CARE, recipients=["0980000000"], text="x"))
    assert err.value.retry_safe is False
    assert len(emulator.messages()) == 1, "it arrived once and was not sent again"

    # A 5xx may follow a processed send: for a client send it is an unknown outcome too.
    emulator.reset()
    emulator.fault(fault="status", status=503)
    with pytest.raises(NhantinError.OutcomeUnknown) as unavailable:  # type: ignore[attr-defined]
        client.send(Message(kind=MessageKind.CUSTOMER_CARE, recipients=["0980000000"], text="x"))
    assert "HTTP 503" in unavailable.value.detail
    assert unavailable.value.retry_safe is False
    assert unavailable.value.request_id is None
    assert unavailable.value.provider == Provider.CARE_SOFT
    assert emulator.messages() == []


def test_an_unknown_outcome_names_the_generated_request_id(emulator: Emulator) -> None:
    """Regression: without a request id of the caller's, the error must name the generated one,
    or resending would send the OTP twice."""
    emulator.fault(fault="reset_after_accept", times=2)
    client = Client(esms_account(emulator), ClientOptions(allow_insecure_http=True, max_attempts=2))
    message = Message(kind=MessageKind.OTP, recipients=["0912345679"], text="Ma OTP 777888", sender=BRAND)
    with pytest.raises(NhantinError.OutcomeUnknown) as err:  # type: ignore[attr-defined]
        client.send(message)
    assert err.value.retry_safe is True
    request_id = err.value.request_id
    assert request_id is not None and request_id.startswith("nt-")
    message.request_id = request_id
    with pytest.raises(NhantinError.Rejected) as again:  # type: ignore[attr-defined]
        client.send(message)
    assert again.value.reason == Rejection.DUPLICATE_REQUEST_ID, "the first attempt got through"
    assert [m["request_id"] for m in emulator.messages()] == [request_id], "accepted exactly once"


# ---- bulk and threads ---------------------------------------------------------------------


def test_bulk_of_6001_is_two_batches(emulator: Emulator) -> None:
    recipients = phones(6001)
    batches = Client(esms_account(emulator), OPTIONS).send_bulk(
        Message(kind=MessageKind.ADVERTISING, recipients=recipients, text="Sale", sender=BRAND, request_id="py-bulk")
    )
    assert [(b.first_recipient, b.recipients) for b in batches] == [(0, 3001), (3001, 3000)]
    assert [b.request_id for b in batches] == ["py-bulk-1", "py-bulk-2"]
    for b in batches:
        assert b.error_kind is None and b.error_message is None, b.error_message
        assert b.result is not None and b.result.status == SendStatus.ACCEPTED
        assert b.retry_safe
    records = emulator.messages()
    assert len(records) == 2
    assert sorted(p for r in records for p in r["recipients"]) == sorted(recipients), "each recipient once"


def test_bulk_reports_a_failed_batch_without_stopping(emulator: Emulator) -> None:
    # Every attempt (OPTIONS: 4) of the first batch meets a 503; the second batch goes through.
    emulator.fault(fault="status", status=503, times=4, path="SendMultipleSMSBrandname_json")
    batches = Client(esms_account(emulator), OPTIONS).send_bulk(
        Message(kind=MessageKind.ADVERTISING, recipients=phones(5001), text="Sale", sender=BRAND, request_id="py-bulk2")
    )
    assert [b.recipients for b in batches] == [2501, 2500]
    failed, ok = batches
    assert failed.result is None
    assert failed.error_kind == ErrorKind.OUTCOME_UNKNOWN, "a 5xx may have been acted on"
    assert failed.error_message is not None and "503" in failed.error_message
    assert failed.retry_safe, "the batch's own request id makes a resend safe"
    assert ok.result is not None and ok.result.status == SendStatus.ACCEPTED and ok.error_kind is None
    [record] = emulator.messages()
    assert record["request_id"] == "py-bulk2-2"


def test_one_client_shared_by_four_threads(emulator: Emulator) -> None:
    # Connection resets before the request is read make some sends retry while others run.
    emulator.fault(fault="reset_before_read", times=5)
    client = Client(esms_account(emulator), ClientOptions(allow_insecure_http=True, max_attempts=10))
    results: dict[str, SendResult] = {}
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(t: int) -> None:
        for i in range(25):
            request_id = f"py-t{t}-m{i}"
            try:
                result = client.send(otp(request_id))
            except BaseException as e:  # reported below, on the main thread
                with lock:
                    errors.append(e)
                return
            with lock:
                results[request_id] = result

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(results) == 100
    assert all(r.status == SendStatus.ACCEPTED for r in results.values())
    assert sum(r.attempts for r in results.values()) == 105, "each reset cost exactly one retry"
    accepted = emulator.messages()
    assert sorted(m["request_id"] for m in accepted) == sorted(results), "every send accepted exactly once"


def test_clients_are_freed(emulator: Emulator) -> None:
    for i in range(50):
        client = Client(esms_account(emulator), OPTIONS)
        del client
    client = Client(esms_account(emulator), OPTIONS)
    assert client.send(otp("py-after-free")).status == SendStatus.ACCEPTED
