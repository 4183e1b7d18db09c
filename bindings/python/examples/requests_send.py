"""Send one SMS through nhantin's SendMachine with `requests` as the HTTP stack.

The machine makes every decision ``Client.send`` makes: which bytes to send, whether and when to
resend, CareSoft's pacing, and how the send ended (accepted, already submitted, refused, not
sent, outcome unknown). This program only moves bytes with ``requests``, sleeps when told to, and
reports what happened::

    pip install requests nhantin
    NHANTIN_ESMS_API_KEY=… NHANTIN_ESMS_SECRET_KEY=… \\
        python requests_send.py --to 0912345678 --text "Mã OTP: 123456" --sender MYBRAND

It prints the result and exits 0 when the provider accepted the message. When the outcome is
unknown and nhantin offers a safe resend, it makes that resend (the same request id: the
provider de-duplicates it) and prints what that gave. Otherwise it prints the error and exits 1.
``bindings/python/tests/test_machine.py`` runs it against the emulator.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Optional

import requests
import urllib3

from nhantin import (
    Account,
    AccountState,
    Content,
    HttpHeader,
    HttpRequest,
    HttpResponse,
    Message,
    NhantinError,
    SendMachine,
    SendPolicy,
    Secret,
    SendResult,
    SendStatus,
    SendStep,
    Sms,
    SmsPurpose,
)

MAX_BODY = 1024 * 1024  # what Client.send reads of an answer at most; a longer one is a failure


def now_ms() -> int:
    """The machine's only clock: wall time in milliseconds since the Unix epoch."""
    return time.time_ns() // 1_000_000


def session() -> requests.Session:
    """A session that never resends by itself: a resend behind the machine's back could deliver
    the message twice. (``requests`` already makes no retries by default; this says so.)"""
    s = requests.Session()
    adapter = requests.adapters.HTTPAdapter(max_retries=urllib3.util.Retry(total=0, connect=0, read=0, redirect=0))
    s.mount("https://", adapter)
    s.mount("http://", adapter)
    return s


def _never_connected(e: BaseException) -> bool:
    """Whether a failure proves the request never left: only a connection that was never made
    (refused, DNS, a connect timeout) does."""
    if isinstance(e, requests.exceptions.ConnectTimeout):
        return True
    seen: set[int] = set()
    cause: Optional[BaseException] = e
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.NameResolutionError,
                              urllib3.exceptions.ConnectTimeoutError)):
            return True
        reason = getattr(cause, "reason", None)
        nested = cause.args[0] if cause.args and isinstance(cause.args[0], BaseException) else None
        cause = reason if isinstance(reason, BaseException) else nested or cause.__cause__ or cause.__context__
    return False


def transmit(http: requests.Session, machine: SendMachine, state: AccountState, request: HttpRequest) -> None:
    """Sends exactly ``request`` once and reports the answer, or the failure, to the machine."""
    try:
        with http.request(
            request.method,
            request.url,
            headers={h.name: h.value for h in request.headers},
            data=request.body if request.body else None,
            timeout=(10, 30),
            stream=True,
            allow_redirects=False,
        ) as r:
            body = bytearray()
            for chunk in r.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_BODY:
                    machine.on_failure(state, now_ms(), True, "the answer is larger than 1 MiB; not read")
                    return
            response = HttpResponse(
                status=r.status_code,
                headers=[HttpHeader(name=k, value=v) for k, v in r.headers.items()],
                body=bytes(body),
            )
    except requests.exceptions.RequestException as e:
        # The cause in a few words, never the URL (it carries phone numbers and keys).
        machine.on_failure(state, now_ms(), not _never_connected(e), type(e).__name__)
        return
    machine.on_response(state, now_ms(), response)


def drive(http: requests.Session, machine: SendMachine, state: AccountState) -> SendResult:
    """Runs ``machine`` to its end, exactly as ``Client.send`` would: returns the result
    (``status`` ACCEPTED or ALREADY_SUBMITTED), or raises the send's ``NhantinError``."""
    while True:
        step = machine.poll(state, now_ms())
        if isinstance(step, SendStep.TRANSMIT):
            transmit(http, machine, state, step.request)
        elif isinstance(step, SendStep.WAIT):
            time.sleep(max(0, step.until_ms - now_ms()) / 1000)
        else:
            assert isinstance(step, SendStep.DONE)
            return step.result


def send(http: requests.Session, account: Account, message: Message, state: AccountState,
         policy: Optional[SendPolicy] = None) -> SendResult:
    """Sends ``message``; after an unknown outcome with a safe resend, makes that resend once."""
    machine = SendMachine(account, message, now_ms(), policy=policy)
    # Store machine.request_id() with the message now: an unknown outcome is reconciled and
    # resent by it.
    print(f"request id {machine.request_id()}")
    try:
        return drive(http, machine, state)
    except NhantinError.OutcomeUnknown as e:
        if e.resend is None:  # CareSoft, InterITS without confirmed de-duplication: reconcile
            raise
        # The message may have been sent. The one safe resend carries the same request id; it is
        # refused once the provider may have forgotten the id (e.resend.until_ms). A real program
        # may do this much later, after a restart: keep e.resend.
        print(f"outcome unknown ({e.detail}); resending with request id {e.resend.request_id}")
        return drive(http, SendMachine.resend(account, message, e.resend, now_ms(), policy=policy), state)


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--to", required=True)
    p.add_argument("--text", required=True)
    p.add_argument("--sender", default=None)
    p.add_argument("--request-id", default=None)
    p.add_argument("--base-url", default=None, help="eSMS base URL (default production; the emulator in tests)")
    args = p.parse_args(argv)
    account: Account = Account.ESMS(
        api_key=Secret(os.environ["NHANTIN_ESMS_API_KEY"]), secret_key=Secret(os.environ["NHANTIN_ESMS_SECRET_KEY"]),
        base_url=args.base_url,
    )
    message = Message(
        recipients=[args.to],
        content=Content.SMS(sms=Sms(purpose=SmsPurpose.OTP, text=args.text, sender=args.sender)),
        request_id=args.request_id,
    )
    state = AccountState()  # one per account, for as long as you send to it
    with session() as http:
        try:
            result = send(http, account, message, state)
        except NhantinError as e:
            # OutcomeUnknown without a resend: may have been sent, reconcile. The others: nothing
            # was sent (InvalidInput, Rejected, RateLimited, Transport, LockedOut).
            print(f"failed: {type(e).__name__}: {e}", file=sys.stderr)
            return 1
    if result.status == SendStatus.ALREADY_SUBMITTED:
        # Not sent again, and whether the earlier attempt was accepted is unknown: reconcile,
        # never resend under a new id.
        print(f"already submitted: request id {result.request_id}; acceptance unknown", file=sys.stderr)
        return 1
    assert result.receipt is not None
    print(f"accepted after {result.attempts} attempt(s): {result.receipt.reference}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
