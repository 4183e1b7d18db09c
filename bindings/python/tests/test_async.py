"""The async methods (``send_async``, ``send_bulk_async``, ``esms_lookup_async``,
``check_generated_otp_async``) under asyncio, against the emulator.

Each call runs the blocking client on nhantin's pool of 16 Rust threads and resolves a Python
future when it ends, so the event loop is never blocked. Cancelling the awaiting task does not
stop a send that started: the message may still arrive, and the way back is the request id.
"""

from __future__ import annotations

import asyncio
import collections
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from emulator_support import BRAND, OPTIONS, Emulator, esms_account, otp, phones, sms
from nhantin import (
    Client,
    CodeCheck,
    Content,
    EsmsLookup,
    EsmsLookupAnswer,
    GeneratedOtp,
    Message,
    NhantinError,
    OtpChannel,
    OtpSms,
    Rejection,
    SafeResend,
    SendClass,
    SendResult,
    SendStatus,
    SmsPurpose,
)

POOL = 16  # ffi/src/pool.rs THREADS
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "async_send.py"
# eSMS remembers a RequestId for 24 hours; nhantin resends only until 10 minutes before that.
ESMS_RESEND_WINDOW_MS = (24 * 3600 - 600) * 1000


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def test_a_gather_of_200_sends_delivers_each_message_exactly_once(emulator: Emulator) -> None:
    client = Client(esms_account(emulator), OPTIONS)
    to = phones(200)
    messages = [otp(f"py-gather-{i}", to=to[i]) for i in range(200)]

    async def main() -> list[SendResult]:
        return await asyncio.gather(*(client.send_async(m) for m in messages))

    results = asyncio.run(main())
    assert [r.status for r in results] == [SendStatus.ACCEPTED] * 200
    assert [r.request_id for r in results] == [m.request_id for m in messages], "each result is its own"
    records = emulator.messages()
    counts = collections.Counter(r["request_id"] for r in records)
    assert counts == collections.Counter(m.request_id for m in messages), "every message exactly once"
    by_id = {r["request_id"]: r for r in records}
    for r, m in zip(results, messages):
        assert r.receipt is not None and r.receipt.reference == by_id[m.request_id]["reference"]["sms_id"]
        assert len(by_id[m.request_id]["recipients"]) == 1


def test_the_event_loop_runs_while_sends_wait_and_at_most_16_run_at_once(emulator: Emulator) -> None:
    """32 sends, each answered after 300 ms: the loop's ticker keeps ticking every 20 ms; the
    whole takes at least two rounds of 300 ms (16 at a time) and far less than one after the other."""
    n, delay = 2 * POOL, 0.3
    emulator.fault(fault="delay", millis=int(delay * 1000), times=n)
    client = Client(esms_account(emulator), OPTIONS)
    to = phones(n)

    async def main() -> tuple[list[SendResult], list[float], float]:
        ticks: list[float] = []
        done = asyncio.Event()

        async def ticker() -> None:
            while not done.is_set():
                ticks.append(time.monotonic())
                await asyncio.sleep(0.02)

        tick = asyncio.create_task(ticker())
        start = time.monotonic()
        results = await asyncio.gather(*(client.send_async(otp(f"py-loop-{i}", to=to[i])) for i in range(n)))
        elapsed = time.monotonic() - start
        done.set()
        await tick
        return results, ticks, elapsed

    results, ticks, elapsed = asyncio.run(main())
    assert all(r.status == SendStatus.ACCEPTED for r in results)
    assert len(emulator.messages()) == n
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert len(ticks) >= 15 and max(gaps) < 0.25, f"the loop stalled: {len(ticks)} ticks, longest gap {max(gaps):.3f} s"
    assert elapsed >= 2 * delay, f"{n} sends of {delay} s took {elapsed:.2f} s: more than {POOL} ran at once"
    assert elapsed < n * delay / 2, f"{n} sends of {delay} s took {elapsed:.2f} s: they did not run concurrently"


def test_a_cancelled_send_may_still_arrive_and_the_same_request_id_keeps_it_to_one(emulator: Emulator) -> None:
    """Cancel the task while the emulator holds the answer back: the send goes on in Rust and
    the message arrives. Sending the same message again (same request id) delivers nothing more:
    a plain send is refused as a duplicate id, a resend from the time the first one started is
    ``ALREADY_SUBMITTED``; the emulator holds exactly one."""
    client = Client(esms_account(emulator), OPTIONS)
    message = otp("py-cancelled-1")
    emulator.fault(fault="delay", millis=1500, times=1)

    async def main() -> tuple[int, int, SendResult]:
        started = now_ms()
        task = asyncio.create_task(client.send_async(message))
        await asyncio.sleep(0.4)  # the request is at the emulator, its answer held back
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        at_cancel = len(emulator.messages())
        deadline = time.monotonic() + 10
        while not emulator.messages() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        arrived = len(emulator.messages())
        with pytest.raises(NhantinError.Rejected) as plain:
            await client.send_async(message)
        assert plain.value.reason == Rejection.DUPLICATE_REQUEST_ID
        assert message.request_id is not None
        resend = SafeResend(request_id=message.request_id, first_sent_at_ms=started,
                            until_ms=started + ESMS_RESEND_WINDOW_MS)
        again = await asyncio.to_thread(client.resend, message, resend)
        return at_cancel, arrived, again

    at_cancel, arrived, again = asyncio.run(main())
    assert at_cancel == 0, "cancelled before the emulator processed it"
    assert arrived == 1, "the cancelled send still arrived"
    assert again.status == SendStatus.ALREADY_SUBMITTED
    [record] = emulator.messages()
    assert record["request_id"] == "py-cancelled-1"


def test_a_send_cancelled_while_it_waits_for_a_thread_is_never_made(emulator: Emulator) -> None:
    """With all 16 threads busy (each send's answer held back 1 s), a 17th send waits its turn
    in the queue; cancelled there, it is dropped. Regression: it used to be sent when a thread
    freed up, so a program cancelling its tasks at shut-down went on sending its backlog."""
    emulator.fault(fault="delay", millis=1000, times=POOL)
    client = Client(esms_account(emulator), OPTIONS)
    to = phones(POOL + 2)

    async def main() -> tuple[int, list[str]]:
        busy = [asyncio.create_task(client.send_async(otp(f"py-busy-{i}", to=to[i]))) for i in range(POOL)]
        await asyncio.sleep(0.3)
        queued = asyncio.create_task(client.send_async(otp("py-queued", to=to[POOL])))
        await asyncio.sleep(0.1)  # the coroutine has started: its send is queued
        queued.cancel()
        with pytest.raises(asyncio.CancelledError):
            await queued
        at_cancel = len(emulator.messages())
        await asyncio.gather(*busy)
        # A send queued after the cancelled one is taken by a thread after it (the queue is in
        # order) and awaited: by then the cancelled one has been taken out and dropped.
        await client.send_async(otp("py-after", to=to[POOL + 1]))
        await asyncio.sleep(0.5)
        return at_cancel, [r["request_id"] for r in emulator.messages()]

    at_cancel, ids = asyncio.run(main())
    assert at_cancel == 0
    assert "py-queued" not in ids
    assert sorted(ids) == sorted([f"py-busy-{i}" for i in range(POOL)] + ["py-after"])


def test_errors_are_raised_at_the_await(emulator: Emulator) -> None:
    async def main() -> None:
        client = Client(esms_account(emulator), OPTIONS)
        with pytest.raises(NhantinError.InvalidInput) as err:
            await client.send_async(otp("py-async-bad", to="09123"))
        assert err.value.field == "recipients[0]"
        wrong = Client(esms_account(emulator, key="WRONG", secret="WRONG"), OPTIONS)
        with pytest.raises(NhantinError.Rejected) as rejected:
            await wrong.send_async(otp("py-async-wrong"))
        assert rejected.value.reason == Rejection.UNAUTHORIZED

    asyncio.run(main())
    assert emulator.messages() == []


def test_bulk_lookup_and_generated_code_awaited(emulator: Emulator) -> None:
    client = Client(esms_account(emulator), OPTIONS)

    async def main() -> None:
        batches = await client.send_bulk_async(
            Message(recipients=phones(30), content=sms(SmsPurpose.ADVERTISING, "KM", sender=BRAND), request_id="py-bulk-a"))
        assert [b.send_class for b in batches] == [SendClass.ACCEPTED]
        answer = await client.esms_lookup_async(EsmsLookup.BRANDNAMES())
        assert isinstance(answer, EsmsLookupAnswer.BRANDNAMES)
        assert BRAND in {b.name for b in answer.brandnames}
        sent = await client.send_async(Message(
            recipients=["0912345678"],
            content=Content.GENERATED_OTP(generated_otp=GeneratedOtp(
                channel=OtpChannel.SMS(sms=OtpSms(sender=BRAND, template="Ma OTP {OTP}"))))))
        assert sent.status == SendStatus.ACCEPTED
        code = emulator.messages()[-1]["generated_code"]["code"]
        first, second = [await client.check_generated_otp_async("0912345678", code) for _ in range(2)]
        assert (first, second) == (CodeCheck.VALID, CodeCheck.INVALID), "a code is used up by its first check"

    asyncio.run(main())


def test_the_async_example_program(emulator: Emulator) -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), "--base-url", emulator.esms, "--count", "50", "--sender", BRAND,
         "--allow-insecure-http", "--log-level", "INFO"],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "NHANTIN_ESMS_API_KEY": "DEMO_ESMS_API_KEY",
             "NHANTIN_ESMS_SECRET_KEY": "DEMO_ESMS_SECRET_KEY"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "50 accepted, 0 already submitted, 0 failed"
    assert done.stderr.count("INFO nhantin.transport.client: accepted after 1 attempt(s)") == 50, done.stderr
    assert len(emulator.messages()) == 50
