"""The SendMachine: the protocol of ``Client.send`` driven by the caller's own HTTP stack.

First offline (answers made up here: the machine has no I/O), then through
``bindings/python/examples/requests_send.py`` (``requests`` as the HTTP stack) against the
emulator, as a library and as the program the README shows. The emulator's record of accepted
messages is the judge of "sent exactly once".
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator

import pytest

from emulator_support import (
    BRAND,
    ESMS_KEY,
    ESMS_SECRET,
    Emulator,
    caresoft_account,
    esms_account,
    interits_account,
    otp,
    sms,
)
from nhantin import (
    Account,
    AccountState,
    HttpResponse,
    Message,
    NhantinError,
    SafeResend,
    Secret,
    SendMachine,
    SendPolicy,
    SendStatus,
    SendStep,
    SmsPurpose,
    generate_request_id,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "requests_send.py"
NOW = 1_780_000_000_000
OFFLINE_ESMS: Account = Account.ESMS(api_key=Secret("K"), secret_key=Secret("S"))
OFFLINE_CARESOFT: Account = Account.CARE_SOFT(domain="demo", api_token=Secret("T"), service_id=12)
ACCEPTED = HttpResponse(status=200, headers=[], body=b'{"CodeResult":"100","SMSID":"abc"}')
ALREADY_USED = HttpResponse(status=200, headers=[], body=b'{"CodeResult":"124","ErrorMessage":"Request exist 1"}')


def new_state() -> AccountState:
    return AccountState()


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("requests_send", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def example() -> ModuleType:
    return load_example()


@pytest.fixture
def http(example: ModuleType) -> Iterator[Any]:
    with example.session() as s:
        yield s


# ---- offline: the machine alone -----------------------------------------------------------


def test_one_transmit_then_done() -> None:
    state = new_state()
    machine = SendMachine(OFFLINE_ESMS, otp("py-m-1"), NOW)
    assert machine.request_id() == "py-m-1"
    step = machine.poll(state, NOW)
    assert isinstance(step, SendStep.TRANSMIT)
    assert step.attempt == 1 and step.request.method == "POST"
    assert step.request.idempotency_key == "py-m-1"
    with pytest.raises(NhantinError.WrongState):
        machine.poll(state, NOW)  # the transmit was not reported
    machine.on_response(state, NOW + 3, ACCEPTED)
    with pytest.raises(NhantinError.WrongState):
        machine.on_response(state, NOW + 3, ACCEPTED)  # one report per transmit
    done = machine.poll(state, NOW + 4)
    assert isinstance(done, SendStep.DONE)
    assert done.result.status == SendStatus.ACCEPTED
    assert done.result.receipt is not None and done.result.receipt.reference == "abc"
    assert machine.poll(state, NOW + 5) == done, "polling again repeats the end"


def test_a_lost_answer_then_124_is_already_submitted() -> None:
    state = new_state()
    machine = SendMachine(OFFLINE_ESMS, otp("py-m-2"), NOW)
    machine.poll(state, NOW)
    machine.on_failure(state, NOW + 10, True, "connection reset")
    wait = machine.poll(state, NOW + 10)
    assert isinstance(wait, SendStep.WAIT)
    assert NOW + 10 + 100 <= wait.until_ms <= NOW + 10 + 200, "the first backoff, with jitter"
    again = machine.poll(state, wait.until_ms)
    assert isinstance(again, SendStep.TRANSMIT) and again.attempt == 2
    machine.on_response(state, wait.until_ms + 1, ALREADY_USED)
    done = machine.poll(state, wait.until_ms + 2)
    assert isinstance(done, SendStep.DONE)
    assert done.result.status == SendStatus.ALREADY_SUBMITTED and done.result.receipt is None


def test_an_unknown_outcome_raises_with_its_resend_and_the_window_is_enforced() -> None:
    state = new_state()
    message = Message(recipients=["0912345678"], content=sms(SmsPurpose.OTP, "Ma OTP", sender=BRAND))
    machine = SendMachine(OFFLINE_ESMS, message, NOW, fresh_request_id="py-fresh-1", policy=SendPolicy(max_attempts=1))
    assert machine.request_id() == "py-fresh-1"
    machine.poll(state, NOW)
    machine.on_failure(state, NOW + 1, True, "read timed out")
    with pytest.raises(NhantinError.OutcomeUnknown) as err:
        machine.poll(state, NOW + 2)
    resend = err.value.resend
    assert resend == SafeResend(request_id="py-fresh-1", first_sent_at_ms=NOW,
                                until_ms=NOW + (24 * 3600 - 600) * 1000)
    assert resend is not None and resend.until_ms is not None
    again = SendMachine.resend(OFFLINE_ESMS, message, resend, NOW + 60_000)
    assert again.request_id() == "py-fresh-1"
    with pytest.raises(NhantinError.InvalidInput) as late:
        SendMachine.resend(OFFLINE_ESMS, message, resend, resend.until_ms)
    assert late.value.field == "request_id"


def test_a_refusal_raises_like_client_send() -> None:
    state = new_state()
    machine = SendMachine(OFFLINE_ESMS, otp("py-m-3"), NOW)
    machine.poll(state, NOW)
    machine.on_response(state, NOW, HttpResponse(status=200, headers=[], body=b'{"CodeResult":"104","ErrorMessage":"x"}'))
    with pytest.raises(NhantinError.Rejected) as err:
        machine.poll(state, NOW)
    assert err.value.code == "104"


def test_caresoft_is_paced_through_the_shared_state() -> None:
    state = new_state()
    message = Message(recipients=["0980000000"], content=sms(SmsPurpose.CUSTOMER_CARE, "x"))
    steps = [SendMachine(OFFLINE_CARESOFT, message, NOW).poll(state, NOW + i) for i in range(16)]
    assert all(isinstance(s, SendStep.TRANSMIT) for s in steps[:15])
    assert steps[15] == SendStep.WAIT(until_ms=NOW + 1000), "the 16th waits for the window"
    assert SendMachine(OFFLINE_CARESOFT, message, NOW).request_id() is None


def test_bad_input_raises_before_anything() -> None:
    with pytest.raises(NhantinError.InvalidInput) as err:
        SendMachine(OFFLINE_ESMS, otp("py-m-4"), NOW, policy=SendPolicy(max_attempts=0))
    assert err.value.field == "policy.max_attempts"
    with pytest.raises(NhantinError.InvalidInput) as err:
        SendMachine(OFFLINE_ESMS, otp("py-m-4", to="12345"), NOW)
    assert err.value.field == "recipients[0]"
    ids = {generate_request_id() for _ in range(100)}
    assert len(ids) == 100 and all(i.startswith("nt-") and len(i) == 35 for i in ids)


# ---- through `requests`, against the emulator ----------------------------------------------


def test_requests_accepted_and_retried(emulator: Emulator, example: ModuleType, http: Any) -> None:
    state = new_state()
    result = example.send(http, esms_account(emulator), otp("py-r-1"), state)
    assert result.status == SendStatus.ACCEPTED and result.attempts == 1

    emulator.fault(fault="status", status=503, times=1, path="SendMultipleMessage_V4_post_json")
    result = example.send(http, esms_account(emulator), otp("py-r-2"), state)
    assert result.status == SendStatus.ACCEPTED and result.attempts == 2

    emulator.fault(fault="too_many_requests", retry_after_secs=1, times=1, path="SendMultipleMessage_V4_post_json")
    started = time.monotonic()
    result = example.send(http, esms_account(emulator), otp("py-r-3"), state)
    assert result.status == SendStatus.ACCEPTED and result.attempts == 2
    assert time.monotonic() - started >= 0.99, "Retry-After reached the machine through requests"
    assert [m["request_id"] for m in emulator.messages()] == ["py-r-1", "py-r-2", "py-r-3"]


def test_requests_already_submitted(emulator: Emulator, example: ModuleType, http: Any) -> None:
    """Defect 6 through the machine: processed, answer lost, the resend answered 124."""
    emulator.fault(fault="reset_after_accept", times=1, path="SendMultipleMessage_V4_post_json")
    machine = SendMachine(esms_account(emulator), otp("py-r-already"), example.now_ms())
    result = example.drive(http, machine, new_state())
    assert result.status == SendStatus.ALREADY_SUBMITTED
    assert result.receipt is None and result.attempts == 2
    assert [m["request_id"] for m in emulator.messages()] == ["py-r-already"]


def test_requests_unknown_outcome_then_the_safe_resend(emulator: Emulator, example: ModuleType, http: Any) -> None:
    """Defect 4 through the machine: one attempt, a lost answer; the resend sends nothing new."""
    state = new_state()
    message = Message(recipients=["0912345678"], content=sms(SmsPurpose.OTP, "Ma OTP", sender=BRAND))
    emulator.fault(fault="reset_after_accept", times=1, path="SendMultipleMessage_V4_post_json")
    machine = SendMachine(esms_account(emulator), message, example.now_ms(), policy=SendPolicy(max_attempts=1))
    with pytest.raises(NhantinError.OutcomeUnknown) as err:
        example.drive(http, machine, state)
    resend = err.value.resend
    assert resend is not None and resend.request_id == machine.request_id()
    again = example.drive(http, SendMachine.resend(esms_account(emulator), message, resend, example.now_ms()), state)
    assert again.status == SendStatus.ALREADY_SUBMITTED
    assert [m["request_id"] for m in emulator.messages()] == [machine.request_id()], "exactly one message"


def test_requests_no_resend_without_a_key(emulator: Emulator, example: ModuleType, http: Any) -> None:
    emulator.fault(fault="reset_after_accept", times=1, path="caresoft")
    care = Message(recipients=["0980000000"], content=sms(SmsPurpose.CUSTOMER_CARE, "Cam on"))
    with pytest.raises(NhantinError.OutcomeUnknown) as err:
        example.send(http, caresoft_account(emulator), care, new_state())
    assert err.value.resend is None and err.value.retry_safe is False
    emulator.fault(fault="reset_after_accept", times=1, path="interits")
    it = Message(recipients=["0901234567"], content=sms(SmsPurpose.OTP, "Ma OTP", sender=BRAND), request_id="py-r-it")
    with pytest.raises(NhantinError.OutcomeUnknown):
        example.send(http, interits_account(emulator), it, new_state())
    assert len(emulator.messages()) == 2, "each arrived once; neither was resent"


def test_requests_closed_port_is_transport(example: ModuleType, http: Any) -> None:
    dead: Account = Account.ESMS(api_key=Secret("K"), secret_key=Secret("S"), base_url="http://127.0.0.1:9/esms/")
    machine = SendMachine(dead, otp("py-r-dead"), example.now_ms(), policy=SendPolicy(max_attempts=2, initial_backoff_ms=10))
    with pytest.raises(NhantinError.Transport):
        example.drive(http, machine, new_state())
    assert machine.attempts() == 2


# ---- the example as the README runs it -------------------------------------------------------


def run_example(emulator: Emulator) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NHANTIN_ESMS_API_KEY=ESMS_KEY, NHANTIN_ESMS_SECRET_KEY=ESMS_SECRET)
    return subprocess.run(
        [sys.executable, str(EXAMPLE), "--to", "0912345678", "--text", "Mã OTP: 123456", "--sender", BRAND,
         "--base-url", emulator.esms],
        env=env, capture_output=True, text=True, timeout=120,
    )


def test_the_example_program_sends(emulator: Emulator) -> None:
    done = run_example(emulator)
    assert done.returncode == 0, done.stderr
    assert "accepted after 1 attempt(s)" in done.stdout
    [record] = emulator.messages()
    assert f"request id {record['request_id']}" in done.stdout


def test_the_example_program_makes_the_safe_resend(emulator: Emulator) -> None:
    emulator.fault(fault="status", status=503, times=4, path="SendMultipleMessage_V4_post_json")
    done = run_example(emulator)
    assert done.returncode == 0, done.stderr
    assert "resending with request id nt-" in done.stdout
    [record] = emulator.messages()
    assert f"request id {record['request_id']}" in done.stdout
    assert "accepted after 1 attempt(s)" in done.stdout
