"""What the Python peers of scripts/bench share: the cases file, the module under test, the
timed loop and its report (one JSON line), and a JSON-to-record converter for the codec cases."""

from __future__ import annotations

import enum
import importlib
import json
import sys
import time
import typing
from types import ModuleType
from typing import Any, Callable, Optional


def load_module(module_dir: Optional[str]) -> ModuleType:
    """The installed `nhantin` package, or, with a folder, the bare generated module in it (used to
    compare the generated code with and without tools/gen's patch on one library)."""
    if module_dir:
        sys.path.insert(0, module_dir)
        return importlib.import_module("nhantin")
    return importlib.import_module("nhantin")


def cases(path: str) -> Any:
    with open(path) as f:
        return json.load(f)


def rss_kib() -> tuple[int, int]:
    peak = now = 0
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1])
            elif line.startswith("VmRSS:"):
                now = int(line.split()[1])
    return peak, now


def time_loop(warmup: float, window: float, send: Callable[[], bool]) -> tuple[list[int], int]:
    start = time.perf_counter()
    while time.perf_counter() - start < warmup:
        send()
    end = time.perf_counter_ns() + int(window * 1e9)
    lat: list[int] = []
    errors = 0
    while True:
        t = time.perf_counter_ns()
        if t >= end:
            break
        ok = send()
        lat.append(time.perf_counter_ns() - t)
        errors += not ok
    return lat, errors


def report(peer: str, threads: int, window: float, tallies: list[tuple[list[int], int]]) -> None:
    lat = sorted(x for t in tallies for x in t[0])
    errors = sum(t[1] for t in tallies)
    n = len(lat)
    pct = lambda p: lat[min(int(n * p), n - 1)] / 1000 if n else 0.0  # noqa: E731
    print(json.dumps({"peer": peer, "threads": threads, "sends": n, "errors": errors, "seconds": window,
                      "sends_per_s": n / window, "p50_us": pct(0.5), "p99_us": pct(0.99)}), flush=True)


def per_call_ns(f: Callable[[], object]) -> float:
    """Batches of about 20 ms, seven of them, the median batch's time per call (as in Rust and C)."""
    k = 1
    while True:
        t = time.perf_counter_ns()
        for _ in range(k):
            f()
        if time.perf_counter_ns() - t >= 20_000_000:
            break
        k *= 2
    batches = []
    for _ in range(7):
        t = time.perf_counter_ns()
        for _ in range(k):
            f()
        batches.append((time.perf_counter_ns() - t) / k)
    return sorted(batches)[3]


def _norm(name: str) -> str:
    return name.replace("_", "").lower()


def from_json(m: ModuleType, tp: Any, value: Any) -> Any:
    """A generated record, enum or tagged union from its JSON form (tests/vectors/README.md)."""
    origin = typing.get_origin(tp)
    if origin is typing.Union:
        if value is None:
            return None
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        return from_json(m, inner, value)
    if origin is list:
        (inner,) = typing.get_args(tp)
        return [from_json(m, inner, v) for v in value]
    if tp in (str, int, bool, float):
        return value
    if tp is bytes:
        return value.encode()
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp[value.upper()]
    if tp is m.Secret:
        return m.Secret(value)
    variants = {_norm(k): v for k, v in vars(tp).items() if k.isupper() and isinstance(v, type)}
    if variants:  # a tagged union: {"sms": {...}} or, for accounts, {"provider": "esms", ...}
        if "provider" in value:
            fields = {k: v for k, v in value.items() if k != "provider"}
            return build(m, variants[_norm(value["provider"])], fields)
        ((tag, inner),) = value.items()
        return build(m, variants[_norm(tag)], {tag: inner})
    return build(m, tp, value)


def build(m: ModuleType, cls: type, fields: dict[str, Any]) -> Any:
    hints = typing.get_type_hints(getattr(cls, "__init__"), vars(sys.modules[cls.__module__]))
    unknown = set(fields) - set(hints)
    if unknown:
        raise ValueError(f"{cls.__qualname__} has no {sorted(unknown)}")
    return cls(**{k: from_json(m, hints[k], v) for k, v in fields.items()})
