"""The Python examples of the READMEs, as functions, so that ``mypy --strict`` checks them.

Each function's body (after its docstring) is one ```python block of bindings/python/README.md or
of the top-level README.md, verbatim; the names a block uses without defining them are the
function's parameters. ``tests/test_stub.py`` fails when a README block is not here, so edit a
block in its README and here together. They are checked, not run (the OTP one would send
through production); the programs next to this file run against the emulator in the tests.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

import requests

import nhantin
from nhantin import Account, AccountState, Client, Message, SendMachine, SendResult, SendStep


def send_an_otp() -> None:
    """bindings/python/README.md, "Send an OTP"."""
    import os

    from nhantin import Account, Client, ClientOptions, Content, Message, NhantinError, Secret, SendStatus, Sms, SmsPurpose

    client = Client(  # one per account, kept for the life of the program; safe to share between threads
        Account.ESMS(api_key=Secret(os.environ["ESMS_API_KEY"]), secret_key=Secret(os.environ["ESMS_SECRET_KEY"])),
        ClientOptions(),  # timeouts, retries, proxy: every field has a safe default
    )
    message = Message(
        recipients=["0912 345 678"],          # 0…, 84…, +84…, 0084…, with spaces, dots or dashes
        content=Content.SMS(sms=Sms(
            purpose=SmsPurpose.OTP,           # or CUSTOMER_CARE, ADVERTISING, FIXED_NUMBER
            text="Mã OTP của bạn là 123456",
            sender="MYBRAND",                 # your registered brandname
        )),
        request_id="order-42-otp-1",          # the idempotency key: reuse it when you resend
    )

    try:
        result = client.send(message)
    except NhantinError.OutcomeUnknown as e:
        # The message may have gone out. The one safe resend reuses the request id: e.resend carries
        # it and its window (until_ms); nhantin refuses it, sending nothing, once the window has
        # closed. A plain client.send(message) could deliver it twice. No e.resend (CareSoft, InterITS
        # without confirmed de-duplication): do not resend; reconcile by e.request_id.
        if e.resend is None:
            raise
        result = client.resend(message, e.resend)
    except NhantinError.InvalidInput as e:   # nothing was sent: fix the input
        print(f"{e.field}: {e.reason}")
        raise
    except NhantinError.Rejected as e:       # the provider said no; resending unchanged fails again
        print(e.reason, e.code, e.provider_message)  # e.g. Rejection.UNAUTHORIZED "101" …
        raise
    except NhantinError.RateLimited as e:    # nothing was done: wait e.retry_after_secs, then resend
        raise
    # NhantinError.Transport: no connection, nothing was sent (safe to send again); LockedOut, Config.

    if result.status == SendStatus.ALREADY_SUBMITTED:
        # Not a success: not sent again, and whether the earlier attempt was accepted is unknown (no
        # receipt). Settle it with the delivery report or the status query; never resend under a new id.
        ...
    elif result.receipt is not None:
        print(result.receipt.reference)      # eSMS SMSID, CareSoft ticket, InterITS referentId


def drive_a_send_machine(account: Account, message: Message, now_ms: Callable[[], int]) -> None:
    """bindings/python/README.md, "Your own HTTP stack: `SendMachine`"."""
    state = AccountState()                      # one per account, for as long as you send to it
    machine = SendMachine(account, message, now_ms())          # bad input raises here
    while True:
        step = machine.poll(state, now_ms())    # a failed send raises its NhantinError, as client.send does
        if isinstance(step, SendStep.TRANSMIT):
            ...  # send step.request exactly; then machine.on_response(state, now_ms(), HttpResponse(...))
                 # or, with no answer, machine.on_failure(state, now_ms(), maybe_sent, cause)
                 # (maybe_sent is False only when no connection was made)
        elif isinstance(step, SendStep.WAIT):
            time.sleep(max(0, step.until_ms - now_ms()) / 1000)
        elif isinstance(step, SendStep.DONE):
            result = step.result                # ACCEPTED (with receipt) or ALREADY_SUBMITTED
            break
    # after NhantinError.OutcomeUnknown with e.resend: SendMachine.resend(account, message, e.resend, now_ms())


async def send_all(client: Client, messages: list[Message]) -> list[SendResult | BaseException]:
    # Each message carries its request_id (generate_request_id()), stored before it is sent.
    return await asyncio.gather(*(client.send_async(m) for m in messages), return_exceptions=True)


def route_the_log_to_logging() -> None:
    """bindings/python/README.md, "Logging"."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    nhantin.configure_logging()                 # after configuring logging: nhantin now logs at INFO
    nhantin.configure_logging(logging.DEBUG)    # sets the "nhantin" logger to DEBUG: each attempt too


def send_machine_over_requests(account: Account, message: Message, http: requests.Session) -> None:
    """README.md, "Your own HTTP stack: the send machine"."""
    from nhantin import AccountState, HttpHeader, HttpResponse, SendMachine, SendStep
    import requests, time

    def now_ms() -> int:
        return time.time_ns() // 1_000_000

    state = AccountState()                          # one per account
    machine = SendMachine(account, message, now_ms())
    while True:
        step = machine.poll(state, now_ms())        # raises NhantinError.OutcomeUnknown (with .resend), …
        if isinstance(step, SendStep.TRANSMIT):
            r = step.request
            try:
                answer = http.request(r.method, r.url, headers={h.name: h.value for h in r.headers},
                                      data=r.body or None, timeout=(10, 30))
            except requests.RequestException as e:  # maybe_sent: False only if no connection was made
                machine.on_failure(state, now_ms(), not isinstance(e, requests.ConnectTimeout), type(e).__name__)
                continue
            machine.on_response(state, now_ms(), HttpResponse(status=answer.status_code, body=answer.content,
                                headers=[HttpHeader(name=k, value=v) for k, v in answer.headers.items()]))
        elif isinstance(step, SendStep.WAIT):
            time.sleep(max(0, step.until_ms - now_ms()) / 1000)
        else:
            break                                    # step.result: ACCEPTED (receipt) or ALREADY_SUBMITTED
    # after OutcomeUnknown with e.resend: SendMachine.resend(account, message, e.resend, now_ms())
