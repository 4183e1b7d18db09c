"""Shared setup of the Python tests.

The tests import the *installed* wheel (run-tests.sh installs it into target/py-venv), never the
source tree; test_api.py checks that.
"""

import os

# The emulator listens on 127.0.0.1; a proxy from the environment must not swallow that traffic.
_no_proxy = [p for p in os.environ.get("NO_PROXY", "").split(",") if p]
os.environ["NO_PROXY"] = ",".join(_no_proxy + ["127.0.0.1", "localhost"])

from collections.abc import Iterator

import pytest

from emulator_support import Emulator, emulator_binary, running_emulator


@pytest.fixture(scope="session")
def emulator_process() -> Iterator[Emulator]:
    """One emulator process for the whole session (test_client.py, test_machine.py)."""
    binary = emulator_binary()
    if not binary.is_file():
        pytest.fail(f"no emulator binary at {binary} (build it with `cargo build -p nhantin-cli`, or set NHANTIN_BIN)")
    with running_emulator(binary) as emulator:
        yield emulator


@pytest.fixture
def emulator(emulator_process: Emulator) -> Emulator:
    """The session's emulator, reset: no messages, no faults, full balance, default settings."""
    emulator_process.reset()
    return emulator_process
