"""The Python peers of scripts/bench.

    python peer.py MODE --cases FILE --threads N --seconds S [--rss SENDS] [--module-dir DIR]

MODE: `nhantin` (Client.send from N threads), `nhantin-async` (Client.send_async, N coroutines
on one event loop), `requests` (a requests.Session per thread), `httpx` (an httpx.Client per
thread), `httpx-async` (one httpx.AsyncClient, N coroutines), `pycurl` (an easy handle per
thread), or `micro` (per-call cost of version, normalize_phone, encode_send and decode_send, no
I/O). The raw HTTP peers send the exact request nhantin encodes and read the whole answer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import threading
import time
from typing import Any, Callable

from common import cases, from_json, load_module, per_call_ns, report, rss_kib, time_loop


def threaded(threads: int, make_send: Callable[[], Callable[[], bool]], warmup: float, window: float) -> list[Any]:
    out: list[Any] = [None] * threads
    sends = [make_send() for _ in range(threads)]

    def run(i: int) -> None:
        try:
            out[i] = time_loop(warmup, window, sends[i])
        except BaseException as e:  # re-raised below, on the main thread
            out[i] = e

    ts = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for r in out:
        if isinstance(r, BaseException):
            raise r
    return out


async def gathered(tasks: int, send: Callable[[], Any], warmup: float, window: float) -> list[Any]:
    async def one() -> Any:
        start = time.perf_counter()
        while time.perf_counter() - start < warmup:
            await send()
        end = time.perf_counter_ns() + int(window * 1e9)
        lat, errors = [], 0
        while True:
            t = time.perf_counter_ns()
            if t >= end:
                break
            ok = await send()
            lat.append(time.perf_counter_ns() - t)
            errors += not ok
        return lat, errors

    return list(await asyncio.gather(*(one() for _ in range(tasks))))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("mode")
    p.add_argument("--cases", default="target/bench/cases.json")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--warmup", type=float, default=0.5)
    p.add_argument("--rss", type=int, default=0)
    p.add_argument("--module-dir")
    p.add_argument("--label", default="")
    a = p.parse_args()
    c = cases(a.cases)
    req = c.get("request")
    mode = a.mode

    if mode in ("nhantin", "nhantin-async", "micro"):
        n = load_module(a.module_dir)
        account = from_json(n, n.Account, c["account"])
        message = from_json(n, n.Message, c["message"])
        label = a.label or ("py-" + mode)
        if mode == "micro":
            keyed = from_json(n, n.Message, {**c["message"], "request_id": "bench-0000000000000000"})
            resp = n.HttpResponse(status=200, headers=[], body=c["answer"].encode())
            now = c["now"]
            out = {"label": label,
                   "version_ns": per_call_ns(n.version),
                   "normalize_phone_ns": per_call_ns(lambda: n.normalize_phone("0912345678")),
                   "encode_send_ns": per_call_ns(lambda: n.encode_send(account, keyed, now)),
                   "decode_send_ns": per_call_ns(lambda: n.decode_send(n.Provider.ESMS, resp))}
            print(json.dumps(out), flush=True)
            return
        client = n.Client(account, n.ClientOptions(allow_insecure_http=True))
        if a.rss:
            for _ in range(1000):
                client.send(message)
            before = rss_kib()
            for _ in range(a.rss):
                client.send(message)
            after = rss_kib()
            print(json.dumps({"peer": label, "sends": a.rss, "peak_before_kib": before[0], "peak_after_kib": after[0],
                              "rss_before_kib": before[1], "rss_after_kib": after[1]}), flush=True)
            return
        if mode == "nhantin":
            def make() -> Callable[[], bool]:
                def send() -> bool:
                    client.send(message)
                    return True
                return send
            report(label, a.threads, a.seconds, threaded(a.threads, make, a.warmup, a.seconds))
        else:
            async def send_async() -> bool:
                await client.send_async(message)
                return True
            report(label, a.threads, a.seconds, asyncio.run(gathered(a.threads, send_async, a.warmup, a.seconds)))
        return

    url, body = req["url"], req["body"].encode()
    headers = {k: v for k, v in req["headers"]}
    if mode == "requests":
        import requests

        def make() -> Callable[[], bool]:
            s = requests.Session()
            s.trust_env = False
            return lambda: s.post(url, data=body, headers=headers).status_code == 200
        report("py-requests", a.threads, a.seconds, threaded(a.threads, make, a.warmup, a.seconds))
    elif mode == "httpx":
        import httpx

        def make() -> Callable[[], bool]:
            s = httpx.Client(trust_env=False)
            return lambda: s.post(url, content=body, headers=headers).status_code == 200
        report("py-httpx", a.threads, a.seconds, threaded(a.threads, make, a.warmup, a.seconds))
    elif mode == "httpx-async":
        import httpx

        async def run() -> list[Any]:
            async with httpx.AsyncClient(trust_env=False, limits=httpx.Limits(max_keepalive_connections=a.threads)) as s:
                async def send() -> bool:
                    return (await s.post(url, content=body, headers=headers)).status_code == 200
                return await gathered(a.threads, send, a.warmup, a.seconds)
        report("py-httpx-async", a.threads, a.seconds, asyncio.run(run()))
    elif mode == "pycurl":
        import io

        import pycurl

        def make() -> Callable[[], bool]:
            h = pycurl.Curl()
            h.setopt(pycurl.URL, url)
            h.setopt(pycurl.POSTFIELDS, body)
            h.setopt(pycurl.HTTPHEADER, [f"{k}: {v}" for k, v in headers.items()])
            h.setopt(pycurl.NOPROXY, "*")

            def send() -> bool:
                buf = io.BytesIO()
                h.setopt(pycurl.WRITEDATA, buf)
                h.perform()
                return h.getinfo(pycurl.RESPONSE_CODE) == 200
            return send
        report("py-pycurl", a.threads, a.seconds, threaded(a.threads, make, a.warmup, a.seconds))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
