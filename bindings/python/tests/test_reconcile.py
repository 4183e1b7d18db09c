"""Reconciliation from Python: an unknown outcome is settled by asking eSMS's records
(GetSmsSentData_V2), never by guessing."""

from __future__ import annotations

import pytest

from nhantin import Client, ClientOptions, Message, NhantinError, SmsPurpose, Verdict

from emulator_support import BRAND, Emulator, esms_account, sms


def test_an_unknown_outcome_is_found_sent_or_not_found(emulator: Emulator) -> None:
    client = Client(esms_account(emulator), ClientOptions(allow_insecure_http=True, max_attempts=1))
    # Processed, answer lost: eSMS filed it, so the verdict is Sent with the emulator's SMSID.
    emulator.fault(fault="reset_after_accept", times=1)
    message = Message(recipients=["0912345670"], content=sms(SmsPurpose.OTP, "Ma OTP 424242", sender=BRAND))
    with pytest.raises(NhantinError.OutcomeUnknown) as err:
        client.send(message)
    verdicts = client.reconcile(message, err.value.unknown, 1500)
    filed = emulator.messages()
    assert len(filed) == 1
    assert [(v.recipient, v.verdict) for v in verdicts] == [(0, Verdict.SENT)]
    assert verdicts[0].sms_id == filed[0]["reference"]["sms_id"]

    # Never processed (a 503 in front of the provider): nothing filed, so NotFound.
    emulator.fault(fault="status", status=503, times=1)
    other = Message(recipients=["0912345671"], content=sms(SmsPurpose.OTP, "Ma OTP 515151", sender=BRAND))
    with pytest.raises(NhantinError.OutcomeUnknown) as err2:
        client.send(other)
    verdicts = client.reconcile(other, err2.value.unknown, 1500)
    assert [(v.recipient, v.verdict, v.sms_id) for v in verdicts] == [(0, Verdict.NOT_FOUND, None)]
    assert len(emulator.messages()) == 1, "reconciling sends nothing"
