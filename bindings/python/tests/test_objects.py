"""Copying and pickling the objects that wrap a native handle (``_objects.py``).

``copy.deepcopy`` of an ``Account`` used to copy its secrets' handles into second wrappers; both
freed the same Rust object and the process aborted (``malloc(): unaligned fastbin chunk``), and
``pickle`` wrote the raw pointer. The first test runs that scenario in a child interpreter, so a
regression fails this test instead of killing the suite.
"""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys

import pytest

from emulator_support import otp
from nhantin import Account, AccountState, Client, ClientOptions, Secret, SendMachine

ESMS = Account.ESMS(api_key=Secret("TEST-API-KEY-0001"), secret_key=Secret("TEST-SECRET-0001"))


def test_a_deep_copy_of_an_account_is_safe_to_free_and_use() -> None:
    script = """
import copy, gc
from nhantin import Account, Client, ClientOptions, Secret
account = Account.ESMS(api_key=Secret("TEST-API-KEY-0001"), secret_key=Secret("TEST-SECRET-0001"))
for _ in range(20):
    clone = copy.deepcopy(account)
    assert clone.api_key is account.api_key
    del clone
    gc.collect()
client = Client(account, ClientOptions())
print("ok", repr(copy.deepcopy(account)))
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "ok Account.ESMS(api_key=***, secret_key=***, base_url=None)\n"


def test_a_secret_and_a_client_copy_as_themselves() -> None:
    client = Client(ESMS, ClientOptions())
    for value in (ESMS.api_key, client):
        assert copy.copy(value) is value
        assert copy.deepcopy(value) is value
    assert copy.deepcopy({"client": client})["client"] is client


def test_the_state_of_a_protocol_run_cannot_be_copied() -> None:
    objects: list[object] = [AccountState(), SendMachine(ESMS, otp("copy-1"), 1_780_000_000_000)]
    for value in objects:
        for copier in (copy.copy, copy.deepcopy):
            with pytest.raises(TypeError, match="cannot be copied"):
                copier(value)


def test_nothing_that_holds_a_native_handle_is_pickled() -> None:
    for value in (ESMS.api_key, ESMS, Client(ESMS, ClientOptions()), AccountState()):
        with pytest.raises(TypeError, match="cannot be pickled"):
            pickle.dumps(value)
