"""Send many OTP SMS at once from asyncio with ``Client.send_async``, with nhantin's log in
Python's ``logging``.

Each ``send_async`` runs the blocking client on nhantin's pool of 16 Rust threads (the rest
queue in order), so the event loop keeps serving while the messages go out::

    NHANTIN_ESMS_API_KEY=… NHANTIN_ESMS_SECRET_KEY=… \\
        python async_send.py --to 0912345678 --count 3 --sender MYBRAND

Every message gets its request id before it is sent (``generate_request_id()``): store it with
the message, because a send that was cancelled, or timed out in ``asyncio.wait_for``, may still
have arrived, and that id is how it is reconciled or resent without a second SMS. It prints one
line per message and a summary, and exits 0 when every message was accepted.
``bindings/python/tests/test_async.py`` runs it against the emulator.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from typing import Optional, Union

import nhantin
from nhantin import (
    Account,
    Client,
    ClientOptions,
    Content,
    Message,
    NhantinError,
    Secret,
    SendResult,
    SendStatus,
    Sms,
    SmsPurpose,
    generate_request_id,
)


async def send_all(client: Client, messages: list[Message]) -> list[Union[SendResult, BaseException]]:
    """All at once; one failure does not cancel the others (``return_exceptions``)."""
    return await asyncio.gather(*(client.send_async(m) for m in messages), return_exceptions=True)


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--to", default="0912345678", help="the first recipient; the others count up from it")
    p.add_argument("--count", type=int, default=3)
    p.add_argument("--text", default="Mã OTP của bạn là 123456")
    p.add_argument("--sender", default=None)
    p.add_argument("--base-url", default=None, help="eSMS base URL (default production; the emulator in tests)")
    p.add_argument("--allow-insecure-http", action="store_true", help="allow a plain http base URL (the emulator)")
    p.add_argument("--log-level", default="WARNING", help="of the `nhantin` logger (INFO: each send; DEBUG: each attempt)")
    args = p.parse_args(argv)

    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    nhantin.configure_logging(args.log_level)  # after logging is configured: nhantin follows it

    account = Account.ESMS(
        api_key=Secret(os.environ["NHANTIN_ESMS_API_KEY"]),
        secret_key=Secret(os.environ["NHANTIN_ESMS_SECRET_KEY"]),
        base_url=args.base_url,
    )
    client = Client(account, ClientOptions(allow_insecure_http=args.allow_insecure_http))
    first = int(args.to)
    messages = [
        Message(
            recipients=[f"{first + i:010d}"],
            content=Content.SMS(sms=Sms(purpose=SmsPurpose.OTP, text=args.text, sender=args.sender)),
            request_id=generate_request_id(),  # known (and storable) before the send starts
        )
        for i in range(args.count)
    ]
    results = asyncio.run(send_all(client, messages))
    accepted = already = failed = 0
    for message, result in zip(messages, results):
        if isinstance(result, SendResult):
            if result.status == SendStatus.ACCEPTED:
                accepted += 1
            else:
                already += 1  # not sent again; settle it by the request id, never resend under a new one
            print(f"{message.request_id}: {result.status.name}")
        elif isinstance(result, NhantinError):
            failed += 1
            print(f"{message.request_id}: {result!r}")
        else:
            raise result
    print(f"{accepted} accepted, {already} already submitted, {failed} failed")
    return 0 if accepted == len(messages) else 1


if __name__ == "__main__":
    sys.exit(main())
