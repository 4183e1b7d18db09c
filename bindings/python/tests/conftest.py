"""Shared setup of the Python tests.

The tests import the *installed* wheel (run-tests.sh installs it into target/py-venv), never the
source tree; test_api.py checks that.
"""

import os

# The emulator listens on 127.0.0.1; a proxy from the environment must not swallow that traffic.
_no_proxy = [p for p in os.environ.get("NO_PROXY", "").split(",") if p]
os.environ["NO_PROXY"] = ",".join(_no_proxy + ["127.0.0.1", "localhost"])
