"""The loopback emulator as the Python tests see it: its control API, the demo accounts it
knows, and message helpers. The fixtures that start it are in conftest.py."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from nhantin import (
    Account,
    CareSoftOptions,
    ClientOptions,
    Content,
    EsmsFormat,
    EsmsOptions,
    InterItsOptions,
    Message,
    ProviderOptions,
    Secret,
    Sms,
    SmsPurpose,
    UnicodePolicy,
    Viber,
    ViberButton,
)

REPO_ROOT = Path(__file__).resolve().parents[3]

ESMS_KEY, ESMS_SECRET = "DEMO_ESMS_API_KEY", "DEMO_ESMS_SECRET_KEY"
CARESOFT_DOMAIN, CARESOFT_TOKEN, CARESOFT_SERVICE = "demo", "DEMO_CARESOFT_TOKEN", 12
INTERITS_KEY = "DEMO_INTERITS_KEY"
BRAND = "NHANTIN"

# Faster retries than the defaults would be nice, but ClientOptions has no backoff knobs; the
# default 200 ms first backoff keeps these tests well under a second each.
OPTIONS = ClientOptions(allow_insecure_http=True, request_timeout_ms=5000)


@dataclass(frozen=True)
class Emulator:
    base_url: str
    esms: str
    caresoft: str
    interits: str

    def control(self, method: str, path: str, body: Optional[dict[str, Any]] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"{self.base_url}/_emulator/{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(req, timeout=10) as resp:
            return json.loads(resp.read())

    def reset(self) -> None:
        assert self.control("POST", "reset") == {"reset": True}

    def fault(self, **spec: Any) -> None:
        assert self.control("POST", "faults", spec) == {"queued": True}

    def messages(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.control("GET", "messages")
        return result

    def settings(self, **values: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.control("POST", "settings", values)
        return result


def esms_account(em: Emulator, key: str = ESMS_KEY, secret: str = ESMS_SECRET) -> Account:
    return Account.ESMS(api_key=Secret(key), secret_key=Secret(secret), base_url=em.esms)


def caresoft_account(em: Emulator) -> Account:
    return Account.CARE_SOFT(
        domain=CARESOFT_DOMAIN, api_token=Secret(CARESOFT_TOKEN), service_id=CARESOFT_SERVICE, base_url=em.caresoft
    )


def interits_account(em: Emulator, dedup_confirmed: bool = False) -> Account:
    return Account.INTER_ITS(
        api_key=Secret(INTERITS_KEY), base_url=em.interits, dedup_confirmed=dedup_confirmed
    )


# The variants of Content and ProviderOptions carry one record, in a field named after their JSON
# tag (`Content.SMS(sms=Sms(...))`); these helpers only shorten the tests (test_api.py builds the
# variants directly).


def sms(purpose: SmsPurpose, text: str, *, sender: Optional[str] = None,
        unicode: Optional[UnicodePolicy] = None) -> Content:
    return Content.SMS(sms=Sms(purpose=purpose, text=text, sender=sender, unicode=unicode))


def viber(text: str = "", *, image_url: Optional[str] = None, button: Optional[ViberButton] = None,
          sender: Optional[str] = None, unicode: Optional[UnicodePolicy] = None) -> Content:
    return Content.VIBER(
        viber=Viber(text=text, image_url=image_url, button=button, sender=sender, unicode=unicode)
    )


def esms_options(format: Optional[EsmsFormat] = None, campaign_id: Optional[str] = None) -> ProviderOptions:
    return ProviderOptions.ESMS(esms=EsmsOptions(format=format, campaign_id=campaign_id))


def caresoft_options(ticket_id: Optional[int] = None) -> ProviderOptions:
    return ProviderOptions.CARE_SOFT(caresoft=CareSoftOptions(ticket_id=ticket_id))


def interits_options(server_side_conversion: bool = False, ext: Optional[str] = None) -> ProviderOptions:
    return ProviderOptions.INTER_ITS(
        interits=InterItsOptions(server_side_conversion=server_side_conversion, ext=ext)
    )


def otp(request_id: str, to: str = "0912345678") -> Message:
    return Message(recipients=[to], content=sms(SmsPurpose.OTP, "Mã OTP của bạn là 123456", sender=BRAND),
                   request_id=request_id)


def phones(n: int) -> list[str]:
    return [f"09{10_000_000 + i:08d}" for i in range(n)]


def emulator_reference(record: dict[str, Any]) -> str:
    ref = record["reference"]
    if ref["kind"] == "esms_sms_id":
        return str(ref["sms_id"])
    if ref["kind"] == "care_soft_ticket":
        return str(ref["ticket_id"])
    return str(ref["referent_id"])


@contextmanager
def running_emulator(binary: Path) -> Iterator[Emulator]:
    """`binary emulator --port 0 --stop-on-stdin-eof`, stopped when the block ends."""
    proc = subprocess.Popen(
        [str(binary), "emulator", "--port", "0", "--stop-on-stdin-eof"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    stdout = proc.stdout
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:  # the first line for us; the rest drained so the pipe never fills
        for line in stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    try:
        first = lines.get(timeout=30)
        info = json.loads(first)
        emulator = Emulator(base_url=info["base_url"], esms=info["esms"], caresoft=info["caresoft"],
                            interits=info["interits"])
        assert info["address"].startswith("127.0.0.1:")
        assert emulator.control("GET", "health") == {"ok": True}
        yield emulator
    finally:
        proc.stdin.close()  # --stop-on-stdin-eof: the emulator shuts down
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def emulator_binary() -> Path:
    binary = Path(os.environ.get("NHANTIN_BIN", "target/debug/nhantin"))
    return binary if binary.is_absolute() else REPO_ROOT / binary
