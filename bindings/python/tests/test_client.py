"""The Client object against the loopback emulator, run as a separate process
(`$NHANTIN_BIN emulator --port 0 --stop-on-stdin-eof`). The emulator's record of accepted
messages (GET /_emulator/messages) is the judge of "sent exactly once".

mypy checks it --strict, without ignores, against the package's stub (see test_stub.py).
"""

from __future__ import annotations

import os
import re
import threading
import time
from typing import Callable, Optional

import pytest

from emulator_support import (
    BRAND,
    OPTIONS,
    Emulator,
    caresoft_account,
    caresoft_options,
    emulator_reference,
    esms_account,
    esms_options,
    interits_account,
    otp,
    phones,
    sms,
    viber,
)
from nhantin import (
    Account,
    Client,
    ClientOptions,
    EsmsFormat,
    Message,
    NhantinError,
    Provider,
    ProviderOptions,
    Rejection,
    SafeResend,
    SendClass,
    SendResult,
    SendStatus,
    SmsPurpose,
    ViberButton,
)

# ---- every endpoint -----------------------------------------------------------------------

THIRTY = phones(30)
ENDPOINTS: list[tuple[str, str, Callable[[Emulator], Account], Message, str]] = [
    ("esms-otp-json", "esms", esms_account, otp("py-otp"), "SendMultipleMessage_V4_post_json"),
    ("esms-fixed-json", "esms", esms_account,
     Message(recipients=["0912345678"], content=sms(SmsPurpose.FIXED_NUMBER, "x & y"), request_id="py-fixed"),
     "SendMultipleMessage_V4_post_json"),
    ("esms-care-xml", "esms", esms_account,
     Message(recipients=["0912345678", "+84 98 765 4321"], content=sms(SmsPurpose.CUSTOMER_CARE, "a<b>&'\"", sender=BRAND),
             request_id="py-xml", options=esms_options(format=EsmsFormat.XML)),
     "SendMultipleMessage_V4"),
    ("esms-advertising-xml", "esms", esms_account,
     Message(recipients=THIRTY, content=sms(SmsPurpose.ADVERTISING, "KM", sender=BRAND), request_id="py-adv-xml",
             options=esms_options(format=EsmsFormat.XML)),
     "SendMultipleSMSBrandname"),
    ("esms-advertising-json", "esms", esms_account,
     Message(recipients=THIRTY, content=sms(SmsPurpose.ADVERTISING, "KM", sender=BRAND), request_id="py-adv-json"),
     "SendMultipleSMSBrandname_json"),
    ("esms-fixed-get", "esms", esms_account,
     Message(recipients=["0912345678"], content=sms(SmsPurpose.FIXED_NUMBER, "OTP 1+1=2 100% #1"), request_id="py-get",
             sandbox=True, options=esms_options(format=EsmsFormat.GET)),
     "SendMultipleMessage_V4_get"),
    ("esms-viber-text", "esms", esms_account,
     Message(recipients=["0912345678"], content=viber("t", sender=BRAND), request_id="py-v1"),
     "Send_Multiple_Sms_OTT"),
    ("esms-viber-image-button", "esms", esms_account,
     Message(recipients=["0912345678"], request_id="py-v2",
             content=viber("t", sender=BRAND, image_url="https://e.vn/a.png",
                           button=ViberButton(label="Go", url="https://e.vn/x"))),
     "Send_Multiple_Sms_OTT"),
    ("caresoft-care", "caresoft", caresoft_account,
     Message(recipients=["0980000000"], content=sms(SmsPurpose.CUSTOMER_CARE, "Cảm ơn quý khách")),
     "caresoft_sms"),
    ("caresoft-ticket", "caresoft", caresoft_account,
     Message(recipients=["0980000000"], content=sms(SmsPurpose.OTP, "OTP 1"), options=caresoft_options(ticket_id=77)),
     "caresoft_sms"),
    ("interits-otp", "interits", interits_account,
     Message(recipients=["0901234567"], content=sms(SmsPurpose.OTP, "Mã OTP", sender=BRAND), request_id="py-it"),
     "interits_send_message"),
    ("interits-advertising-scheduled", "interits", interits_account,
     Message(recipients=["0901234567", "0912345678"], content=sms(SmsPurpose.ADVERTISING, "KM", sender=BRAND),
             request_id="py-it2", schedule="2099-01-01T00:00:00Z"),
     "interits_send_message"),
]


def ticket_id(message: Message) -> Optional[int]:
    options = message.options
    if isinstance(options, ProviderOptions.CARE_SOFT):
        ticket: Optional[int] = options.caresoft.ticket_id
        return ticket
    return None


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
        assert record["attached_ticket_id"] == ticket_id(message)
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

    with pytest.raises(NhantinError.Rejected) as missing:
        client.send_status("0" * 32)
    assert missing.value.reason == Rejection.NOT_FOUND
    assert missing.value.code == "105"


# ---- typed errors -------------------------------------------------------------------------


def test_wrong_keys_are_rejected_as_unauthorized(emulator: Emulator) -> None:
    client = Client(esms_account(emulator, key="WRONG", secret="ALSO-WRONG"), OPTIONS)
    with pytest.raises(NhantinError.Rejected) as err:
        client.send(otp("py-wrong"))
    assert err.value.provider == Provider.ESMS
    assert err.value.reason == Rejection.UNAUTHORIZED
    assert err.value.code == "101"
    assert err.value.provider_message == "Authorize Failed"
    assert "ALSO-WRONG" not in str(err.value), "secrets stay out of errors"
    assert emulator.messages() == []


def test_invalid_phone_names_the_new_number_and_sends_nothing(emulator: Emulator) -> None:
    client = Client(esms_account(emulator), OPTIONS)
    with pytest.raises(NhantinError.InvalidInput) as err:
        client.send(otp("py-legacy", to="01662345678"))
    assert err.value.field == "recipients[0]"
    assert "036****678" in err.value.reason and "01662345678" not in err.value.reason, "the legacy 11-digit number's converted form"
    assert emulator.messages() == []


def test_plain_http_needs_allow_insecure_http(emulator: Emulator) -> None:
    with pytest.raises(NhantinError.Config) as err:
        Client(esms_account(emulator), ClientOptions())
    assert "http" in err.value.detail


def test_rate_limit_carries_retry_after(emulator: Emulator) -> None:
    emulator.fault(fault="too_many_requests", retry_after_secs=7)
    client = Client(caresoft_account(emulator), ClientOptions(allow_insecure_http=True, max_attempts=1))
    with pytest.raises(NhantinError.RateLimited) as err:
        client.send(Message(recipients=["0980000000"], content=sms(SmsPurpose.CUSTOMER_CARE, "x")))
    assert err.value.provider == Provider.CARE_SOFT
    assert err.value.retry_after_secs == 7
    assert err.value.lockout is False
    assert emulator.messages() == []


# ---- faults: never sent twice -------------------------------------------------------------


def test_reset_after_accept_is_already_submitted_and_sent_once(emulator: Emulator) -> None:
    """Defect 6: the first attempt is processed but its answer lost; the automatic resend is
    answered 124. That is its own status, not an acceptance: no receipt."""
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
    message = Message(recipients=["0980000000"], content=sms(SmsPurpose.CUSTOMER_CARE, "x"))
    with pytest.raises(NhantinError.OutcomeUnknown) as err:
        client.send(message)
    assert err.value.retry_safe is False
    assert err.value.resend is None, "CareSoft has no idempotency key: no resend is safe"
    assert len(emulator.messages()) == 1, "it arrived once and was not sent again"

    # A 5xx may follow a processed send: for a client send it is an unknown outcome too.
    emulator.reset()
    emulator.fault(fault="status", status=503)
    with pytest.raises(NhantinError.OutcomeUnknown) as unavailable:
        client.send(message)
    assert "HTTP 503" in unavailable.value.detail
    assert unavailable.value.retry_safe is False
    assert unavailable.value.request_id is None
    assert unavailable.value.provider == Provider.CARE_SOFT
    assert emulator.messages() == []


def test_interits_is_resent_only_with_confirmed_dedup(emulator: Emulator) -> None:
    """InterITS documents no de-duplication (the emulator does none by default): an attempt that
    may have arrived is not resent. With ``dedup_confirmed`` (and a de-duplicating server) the
    resend is safe and made."""
    emulator.fault(fault="reset_after_accept", path="interits")
    message = Message(recipients=["0901234567"], content=sms(SmsPurpose.OTP, "Ma OTP", sender=BRAND),
                      request_id="py-it-fault")
    with pytest.raises(NhantinError.OutcomeUnknown) as err:
        Client(interits_account(emulator), OPTIONS).send(message)
    assert err.value.retry_safe is False and err.value.resend is None
    assert [m["request_id"] for m in emulator.messages()] == ["py-it-fault"]

    emulator.reset()
    assert emulator.settings(interits_dedup_request_id=True)["interits_dedup_request_id"] is True
    emulator.fault(fault="reset_after_accept", path="interits")
    result = Client(interits_account(emulator, dedup_confirmed=True), OPTIONS).send(message)
    assert result.status == SendStatus.ACCEPTED and result.attempts == 2
    assert [m["request_id"] for m in emulator.messages()] == ["py-it-fault"], "accepted exactly once"


def test_an_unknown_outcome_is_resent_safely_exactly_once(emulator: Emulator) -> None:
    """Defect 4: with one attempt, a processed send whose answer was lost is an unknown outcome.
    The error names the generated request id and carries the one safe resend; ``client.resend``
    makes it, and the emulator holds exactly one message."""
    emulator.fault(fault="reset_after_accept", times=1)
    client = Client(esms_account(emulator), ClientOptions(allow_insecure_http=True, max_attempts=1))
    message = Message(recipients=["0912345679"], content=sms(SmsPurpose.OTP, "Ma OTP 777888", sender=BRAND))
    with pytest.raises(NhantinError.OutcomeUnknown) as err:
        client.send(message)
    e = err.value
    assert e.retry_safe is True
    request_id = e.request_id
    assert request_id is not None and request_id.startswith("nt-")
    resend = e.resend
    assert resend is not None and resend.request_id == request_id
    assert resend.until_ms is not None
    assert resend.until_ms - resend.first_sent_at_ms == (24 * 3600 - 600) * 1000, "24 hours less 10 minutes"
    assert [m["request_id"] for m in emulator.messages()] == [request_id]

    again = client.resend(message, resend)
    assert again.status == SendStatus.ALREADY_SUBMITTED, "the first attempt got through"
    assert again.request_id == request_id and again.receipt is None
    assert [m["request_id"] for m in emulator.messages()] == [request_id], "accepted exactly once"

    other = Message(recipients=["0912345679"], content=sms(SmsPurpose.OTP, "Ma OTP 777888", sender=BRAND),
                    request_id="py-another-id")
    with pytest.raises(NhantinError.InvalidInput) as mismatch:
        client.resend(other, resend)
    assert mismatch.value.field == "request_id"
    assert len(emulator.messages()) == 1


def test_an_unknown_outcome_that_was_not_processed_is_resent_and_accepted_once(emulator: Emulator) -> None:
    emulator.fault(fault="status", status=503, times=1)
    client = Client(esms_account(emulator), ClientOptions(allow_insecure_http=True, max_attempts=1))
    message = otp("py-unknown-503")
    with pytest.raises(NhantinError.OutcomeUnknown) as err:
        client.send(message)
    assert err.value.resend is not None and emulator.messages() == []
    result = client.resend(message, err.value.resend)
    assert result.status == SendStatus.ACCEPTED and result.receipt is not None
    assert [m["request_id"] for m in emulator.messages()] == ["py-unknown-503"]


def test_a_resend_after_the_window_is_refused_and_sends_nothing(emulator: Emulator) -> None:
    client = Client(esms_account(emulator), OPTIONS)
    now_ms = int(time.time() * 1000)
    expired = SafeResend(request_id="py-late", first_sent_at_ms=now_ms - 25 * 3600 * 1000,
                         until_ms=now_ms - 3600 * 1000)
    with pytest.raises(NhantinError.InvalidInput) as err:
        client.resend(otp("py-late"), expired)
    assert err.value.field == "request_id"
    assert "reconcile" in err.value.reason
    assert emulator.messages() == []


def test_a_hand_built_resend_is_checked_not_trusted(emulator: Emulator) -> None:
    """A SafeResend built by hand (after a cancelled await) used to be taken on trust: an InterITS
    account that does not de-duplicate delivered the message twice, and an eSMS resend of a send
    48 hours old went out because `until_ms` was left empty."""
    now_ms = int(time.time() * 1000)
    interits = Client(interits_account(emulator), OPTIONS)
    message = Message(recipients=["0912345678"], content=sms(SmsPurpose.OTP, "Ma OTP 482913", sender=BRAND),
                      request_id="py-it-dup-1")
    interits.send(message)
    with pytest.raises(NhantinError.InvalidInput) as err:
        interits.resend(message, SafeResend(request_id="py-it-dup-1", first_sent_at_ms=now_ms, until_ms=None))
    assert err.value.field == "request_id"
    assert "does not de-duplicate" in err.value.reason
    esms = Client(esms_account(emulator), OPTIONS)
    for until_ms in (None, now_ms + 3600 * 1000):
        with pytest.raises(NhantinError.InvalidInput) as err:
            esms.resend(otp("py-old"), SafeResend(request_id="py-old", first_sent_at_ms=now_ms - 48 * 3600 * 1000,
                                                   until_ms=until_ms))
        assert err.value.field == "request_id"
    with pytest.raises(NhantinError.InvalidInput) as err:
        esms.resend(otp("py-future"), SafeResend(request_id="py-future", first_sent_at_ms=now_ms + 3600 * 1000,
                                                  until_ms=None))
    assert err.value.field == "first_sent_at"
    assert [m["request_id"] for m in emulator.messages()] == ["py-it-dup-1"]


def test_a_client_used_after_fork_refuses_at_once(emulator: Emulator) -> None:
    """After os.fork() (multiprocessing, a pre-forking server) the child has the client but not its
    worker thread: a send used to wait out its whole deadline and then say it may have been sent."""
    client = Client(esms_account(emulator), OPTIONS)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what the send said, and leave without running pytest's exit
        try:
            started = time.monotonic()
            try:
                client.send(otp("py-forked"))
                said = "sent"
            except NhantinError.InvalidInput as e:
                said = f"{e.field}|{e.reason}|{time.monotonic() - started < 5}"
            except BaseException as e:  # noqa: BLE001 - anything else is the failure to report
                said = f"{type(e).__name__}: {e}"
            os.write(write, said.encode())
        finally:
            os._exit(0)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    said = os.read(read, 4096).decode()
    os.close(read)
    assert status == 0
    field, reason, quick = said.split("|")
    assert (field, quick) == ("client", "True"), said
    assert reason.startswith("was made in another process (before a fork)"), reason
    assert emulator.messages() == []
    # The parent's client is unaffected.
    assert client.send(otp("py-after-fork")).status == SendStatus.ACCEPTED


# ---- bulk and threads ---------------------------------------------------------------------


BATCH_ID = re.compile(r"^py-bulk-[0-9a-f]{16}$")


def test_bulk_of_6001_is_two_batches(emulator: Emulator) -> None:
    recipients = phones(6001)
    client = Client(esms_account(emulator), OPTIONS)
    message = Message(recipients=recipients, content=sms(SmsPurpose.ADVERTISING, "Sale", sender=BRAND),
                      request_id="py-bulk")
    batches = client.send_bulk(message)
    assert [(b.first_recipient, b.recipients) for b in batches] == [(0, 3001), (3001, 3000)]
    ids = [b.request_id for b in batches]
    assert all(i is not None and BATCH_ID.match(i) for i in ids), ids
    assert ids[0] != ids[1]
    for b in batches:
        assert b.error is None, b.error
        assert b.send_class == SendClass.ACCEPTED
        assert b.result is not None and b.result.status == SendStatus.ACCEPTED
    records = emulator.messages()
    assert len(records) == 2
    assert sorted(p for r in records for p in r["recipients"]) == sorted(recipients), "each recipient once"

    # A rerun of the same list: the same ids, refused by eSMS as already used, nothing sent twice.
    again = client.send_bulk(message)
    assert [b.request_id for b in again] == ids
    for b in again:
        assert b.send_class == SendClass.REJECTED
        assert isinstance(b.error, NhantinError.Rejected)
        assert b.error.reason == Rejection.DUPLICATE_REQUEST_ID
    assert len(emulator.messages()) == 2


def test_bulk_with_a_normalised_duplicate_is_refused_before_anything_is_sent(emulator: Emulator) -> None:
    """Defect 1: 0910000000 first and +84910000000 last are one person, in different batches."""
    recipients = phones(5001)
    recipients[0], recipients[-1] = "0910000000", "+84910000000"
    with pytest.raises(NhantinError.InvalidInput) as err:
        Client(esms_account(emulator), OPTIONS).send_bulk(
            Message(recipients=recipients, content=sms(SmsPurpose.ADVERTISING, "Sale", sender=BRAND),
                    request_id="py-bulk-dup")
        )
    assert err.value.field == "recipients[5000]"
    assert "recipients[0]" in err.value.reason
    assert emulator.messages() == [], "nothing was sent"


def test_bulk_reports_a_failed_batch_without_stopping(emulator: Emulator) -> None:
    # Every attempt (OPTIONS: 4) of the first batch meets a 503; the second batch goes through.
    emulator.fault(fault="status", status=503, times=4, path="SendMultipleSMSBrandname_json")
    batches = Client(esms_account(emulator), OPTIONS).send_bulk(
        Message(recipients=phones(5001), content=sms(SmsPurpose.ADVERTISING, "Sale", sender=BRAND), request_id="py-bulk2")
    )
    assert [b.recipients for b in batches] == [2501, 2500]
    failed, ok = batches
    assert failed.result is None
    assert failed.send_class == SendClass.OUTCOME_UNKNOWN, "a 5xx may have been acted on"
    assert isinstance(failed.error, NhantinError.OutcomeUnknown)
    assert "503" in failed.error.detail
    assert failed.error.retry_safe, "the batch's own request id makes a resend safe"
    assert failed.error.resend is not None and failed.error.resend.request_id == failed.request_id
    assert ok.result is not None and ok.result.status == SendStatus.ACCEPTED and ok.error is None
    [record] = emulator.messages()
    assert record["request_id"] == ok.request_id


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
