"""scripts/bench: builds every peer, starts a loopback nginx answering an eSMS success, and
measures in one run what nhantin costs next to the network, then writes BENCHMARKS.md.

    scripts/bench [--seconds S] [--no-build] [--no-write] [--skip PEER,...]

Everything it builds or writes goes under target/bench/ (and BENCHMARKS.md at the root); the
nginx it starts is stopped on every exit. Nothing here asserts a time: it measures and prints.
"""

from __future__ import annotations

import argparse
import atexit
import datetime
import glob
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "target" / "bench"
LIB = OUT / "lib"              # the libnhantin.so every native peer loads (a copy: others rebuild target/release)
VENV = OUT / "venv"
ANSWER = '{"CodeResult":"100","CountRegenerate":0,"SMSID":"d533459ee42b2b9525ba9eabf6a8156"}'
PY_PINS = ["maturin==1.16.0", "httpx==0.28.1", "requests==2.34.2", "pycurl==7.45.7"]
CODEC_CASES = [  # endpoint name, send vector, the provider answer it is decoded with
    ("esms_sms_json", "esms/send_json_otp_digest_example", "esms/decode_send_100_page_002"),
    ("esms_sms_xml", "esms/send_xml_digest_example", "esms/decode_send_100_page_002"),
    ("esms_viber", "esms/send_viber_text_image_button", "esms/decode_send_100_page_002"),
    ("esms_zns", "esms/send_zns_v4_digest_example", "esms/decode_send_100_page_002"),
    ("esms_zalo_then_sms", "esms/send_zalo_then_sms_digest_example", "esms/decode_send_100_page_002"),
    ("caresoft_sms", "caresoft/send_page_example", "caresoft/decode_ok_page_example"),
    ("caresoft_zns", "caresoft/send_zns_digest_example", "caresoft/decode_ok_page_example"),
    ("interits_sms", "interits/send_digest_example", "interits/decode_200_code_0"),
    ("interits_zns", "interits/send_zns_digest_example", "interits/decode_zns_accepted"),
]


def log(msg: str) -> None:
    print(f"--> {msg}", file=sys.stderr, flush=True)


def run(cmd: list[str], **kw: Any) -> str:
    """Runs a command, returns its stdout; its stderr goes to ours. Fails loudly."""
    check = kw.pop("check", True)
    r = subprocess.run([str(c) for c in cmd], stdout=subprocess.PIPE, text=True, **kw)
    if check and r.returncode != 0:
        raise SystemExit(f"failed ({r.returncode}): {' '.join(map(str, cmd))}\n{r.stdout[-2000:]}")
    return r.stdout


def json_lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(l) for l in out.splitlines() if l.startswith("{")]


def env() -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    e["NO_PROXY"] = e["no_proxy"] = "127.0.0.1,localhost"
    e["PYTHONDONTWRITEBYTECODE"] = "1"
    return e


# ---------------------------------------------------------------- build


def build(skip: set[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    log("cargo build --release -p nhantin (the shipped library) and the Rust peers")
    run(["cargo", "build", "--release", "-p", "nhantin"], cwd=ROOT)
    LIB.mkdir(exist_ok=True)
    shutil.copy2(ROOT / "target/release/libnhantin.so", LIB / "libnhantin.so")
    soname = LIB / "libnhantin.so.0"  # the SONAME the C peers are linked against
    soname.unlink(missing_ok=True)
    soname.symlink_to("libnhantin.so")
    run(["cargo", "build", "--release", "--manifest-path", "bench/rust/Cargo.toml"], cwd=ROOT,
        env={**env(), "CARGO_TARGET_DIR": str(ROOT / "target")})
    log("gcc: the C peers (nhantin_client_send, libcurl) and the C codec runner")
    cflags = ["-O2", "-Wall", "-Wextra", "-Werror", f"-I{ROOT / 'include'}"]
    libs = [f"-L{LIB}", "-lnhantin", f"-Wl,-rpath,{LIB}"]
    run(["gcc", *cflags, "bench/c/peer.c", "-o", OUT / "c-peer", *libs, "-lcurl", "-lcjson", "-lpthread"], cwd=ROOT)
    run(["gcc", *cflags, "bench/c/codec.c", "-o", OUT / "c-codec", *libs, "-lcjson"], cwd=ROOT)
    log("Python: a venv with the wheel built by maturin, requests, httpx, pycurl")
    if not (VENV / "bin/python").exists():
        run([sys.executable, "-m", "venv", VENV])
    run([VENV / "bin/python", "-m", "pip", "install", "-q", "--disable-pip-version-check", *PY_PINS])
    wheels = OUT / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    for attempt in (1, 2, 3):  # another maturin build in this workspace shares target/maturin/
        try:
            run([VENV / "bin/maturin", "build", "--release", "--out", wheels], cwd=ROOT / "bindings/python")
            break
        except SystemExit:
            if attempt == 3:
                raise
            log("maturin failed; retrying (a concurrent maturin build may have taken target/maturin/)")
            time.sleep(10)
    wheel = next(wheels.glob("nhantin-*.whl"))
    run([VENV / "bin/python", "-m", "pip", "install", "-q", "--disable-pip-version-check", "--force-reinstall",
         "--no-deps", wheel])
    log("Python before/after: the generated module without and with tools/gen's patch, on one library")
    for name, patch in (("py-unpatched", "off"), ("py-patched", "on")):
        d = OUT / name
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir()
        run(["cargo", "run", "--quiet", "-p", "uniffi-bindgen", "--", "generate", "--library", LIB / "libnhantin.so",
             "--language", "python", "--config", "uniffi.toml", "--no-format", "--out-dir", d], cwd=ROOT,
            env={**env(), "NHANTIN_PYTHON_PATCH": patch})
        shutil.copy2(LIB / "libnhantin.so", d / "libnhantin.so")
    if "kotlin" not in skip:
        log("Kotlin: the generated bindings and the bench main, compiled with Maven")
        run(["mvn", "-q", "-f", "bench/kotlin/pom.xml", "package", "dependency:copy-dependencies",
             f"-DoutputDirectory={OUT / 'kotlin-deps'}"], cwd=ROOT)


# ---------------------------------------------------------------- inputs and server


def vector(name: str) -> dict[str, Any]:
    return json.loads((ROOT / "tests/vectors" / f"{name}.json").read_text())


def write_cases(port: int) -> Path:
    base = f"http://127.0.0.1:{port}"
    cases: dict[str, Any] = {
        "account": {"provider": "esms", "api_key": "BENCH_KEY", "secret_key": "BENCH_SECRET", "base_url": base},
        # No request_id: like a real caller, every send gets a fresh one.
        "message": {"recipients": ["0912345678"],
                    "content": {"sms": {"purpose": "otp", "text": "Ma OTP cua ban la 123456", "sender": "NHANTIN"}}},
        "now": "2026-12-01T00:00:00Z",
        "answer": ANSWER,
        "codec": [],
    }
    for name, send, answer in CODEC_CASES:
        s, a = vector(send), vector(answer)
        cases["codec"].append({"name": name, "account": s["account"], "message": s["message"], "now": s["now"],
                               "provider": s["account"]["provider"], "response": a["response"],
                               "expect": {"url": s["expect"]["request"]["url"], "body": s["expect"]["request"]["body"]}})
    path = OUT / "cases.json"
    path.write_text(json.dumps(cases, indent=1))
    # The exact request nhantin sends for the message (with a fixed request id), for the raw peers.
    cases["request"] = json.loads(run([ROOT / "target/release/nhantin-bench-peer", "encode", "--cases", path]))
    path.write_text(json.dumps(cases, indent=1))
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    """A loopback nginx (one worker) that answers every request with the eSMS success body."""

    def __init__(self, port: int) -> None:
        d = OUT / "nginx"
        shutil.rmtree(d, ignore_errors=True)
        (d / "logs").mkdir(parents=True)
        conf = d / "nginx.conf"
        conf.write_text(f"""daemon off;
master_process on;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 300s;
    client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{ default_type application/json; return 200 '{ANSWER}'; }}
    }}
}}
""")
        self.proc: Optional[subprocess.Popen[bytes]] = subprocess.Popen(
            ["nginx", "-p", str(d), "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        atexit.register(self.stop)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise SystemExit(f"nginx did not start; see {d}/logs/error.log")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: the master stops its worker
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


# ---------------------------------------------------------------- measurements


def wrk(url: str, body: str, headers: list[list[str]], threads: int, conns: int, seconds: float) -> dict[str, Any]:
    script = OUT / "post.lua"
    lua_headers = "".join(f'wrk.headers["{k}"] = [==[{v}]==]\n' for k, v in headers)
    script.write_text(f'wrk.method = "POST"\nwrk.body = [==[{body}]==]\n{lua_headers}')
    out = run(["wrk", f"-t{threads}", f"-c{conns}", f"-d{max(1, round(seconds))}s", "--latency", "-s", script, url],
              env=env())
    unit = {"us": 1.0, "ms": 1e3, "s": 1e6}

    def lat(p: str) -> float:
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        return float(m.group(1)) * unit[m.group(2)] if m else float("nan")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"peer": "wrk", "threads": threads, "conns": conns, "sends_per_s": rps, "p50_us": lat("50"),
            "p99_us": lat("99"), "errors": int(errors.group(1)) if errors else 0}


def peers(cases: Path, threads: int, seconds: float, skip: set[str]) -> list[tuple[str, list[Any]]]:
    py = [VENV / "bin/python", ROOT / "bench/python/peer.py"]
    common = ["--cases", cases, "--threads", str(threads), "--seconds", str(seconds)]
    rust = ROOT / "target/release/nhantin-bench-peer"
    kotlin_cp = f"{OUT / 'kotlin-deps'}/*:{OUT / 'kotlin-build/classes'}"
    table = [
        ("rust-reqwest-blocking", [rust, "reqwest-blocking", *common]),
        ("rust-reqwest-async", [rust, "reqwest-async", *common]),
        ("rust-nhantin", [rust, "nhantin", *common]),
        ("c-nhantin", [OUT / "c-peer", "nhantin", cases, threads, seconds]),
        ("c-libcurl", [OUT / "c-peer", "curl", cases, threads, seconds]),
        ("py-nhantin", [*py, "nhantin", *common]),
        ("py-nhantin-async", [*py, "nhantin-async", *common]),
        ("py-requests", [*py, "requests", *common]),
        ("py-httpx", [*py, "httpx", *common]),
        ("py-httpx-async", [*py, "httpx-async", *common]),
        ("py-pycurl", [*py, "pycurl", *common]),
        ("kotlin-nhantin", ["java", f"-Djna.library.path={LIB}", "-cp", kotlin_cp, "vn.nhantin.bench.BenchKt",
                            "send", cases, threads, seconds]),
    ]
    return [(n, c) for n, c in table if not any(s in n for s in skip)]


def measure_peer(cmd: list[Any]) -> dict[str, Any]:
    return json_lines(run(cmd, env=env(), cwd=ROOT))[-1]


def sizes() -> dict[str, Any]:
    so = LIB / "libnhantin.so"
    stripped = OUT / "libnhantin.stripped.so"
    shutil.copy2(so, stripped)
    run(["strip", "--strip-all", stripped])
    wheel = next((OUT / "wheels").glob("nhantin-*.whl"), None)
    jars = sorted(glob.glob(str(Path.home() / ".m2/repository/vn/nhantin/nhantin/*/nhantin-*.jar"))) + \
        sorted(glob.glob(str(ROOT / "bindings/kotlin/target/nhantin-*.jar")))
    jar = Path(jars[-1]) if jars else None
    # What users install (scripts/build-portable, scripts/windows), when a test run has built it.
    shipped = [("libnhantin.so, glibc 2.17, x86_64 (scripts/build-portable)",
                ROOT / "target/x86_64-unknown-linux-gnu/release/libnhantin.so"),
               ("libnhantin.so, glibc 2.17, aarch64 (scripts/build-portable)",
                ROOT / "target/aarch64-unknown-linux-gnu/release/libnhantin.so"),
               ("the nhantin CLI, glibc 2.17, x86_64", ROOT / "target/x86_64-unknown-linux-gnu/release/nhantin"),
               ("nhantin.dll, Windows x64 (scripts/windows)", ROOT / "target/windows-stage/bin/nhantin.dll")]
    shipped += [(f"the wheel {w.name}", w) for w in sorted((ROOT / "target/wheels").glob("nhantin-*manylinux2014*.whl"))]
    return {"shipped": [(what, f.stat().st_size) for what, f in shipped if f.is_file()],
            "so_shipped": so.stat().st_size, "so_stripped": stripped.stat().st_size,
            "wheel": wheel.stat().st_size if wheel else None, "wheel_name": wheel.name if wheel else None,
            "jar": jar.stat().st_size if jar else None, "jar_path": str(jar) if jar else None}


def machine() -> str:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return (f"{cpu}, {os.cpu_count()} logical CPUs, {int(mem) // 1024} MiB RAM; {platform.system()} "
            f"{platform.release()}; {run(['rustc', '--version']).strip()}; Python {platform.python_version()}; "
            f"nginx {nginx_version()}; {run(['wrk', '-v'], check=False).split(' [')[0].strip() or 'wrk'}")


def nginx_version() -> str:
    r = subprocess.run(["nginx", "-v"], capture_output=True, text=True)
    return (r.stderr or r.stdout).strip().split("/")[-1]


def busy() -> list[str]:
    """Other heavy processes (builds, JVMs) running now: the numbers are noisier while they are."""
    out = subprocess.run(["ps", "-eo", "pid=,pcpu=,comm="], capture_output=True, text=True).stdout
    mine = {os.getpid()}
    rows = []
    for line in out.splitlines():
        pid, pcpu, comm = line.split(None, 2)
        if int(pid) not in mine and comm in ("rustc", "cargo", "java", "mvn", "cc1", "ld", "maturin", "wineserver64"):
            rows.append(f"{comm}({pcpu}%)")
    return rows


# ---------------------------------------------------------------- report


def fmt(x: Optional[float], nd: int = 0) -> str:
    if x is None or x != x:
        return "–"
    return f"{x:,.{nd}f}"


def ratio(a: Optional[float], b: Optional[float]) -> str:
    if not a or not b or a != a or b != b:
        return "–"
    return f"{a / b:.2f}×"


def send_table(rows: list[dict[str, Any]], threads: int) -> list[str]:
    at = [r for r in rows if r["threads"] == threads]
    w = next((r for r in at if r["peer"] == "wrk"), {})
    rb = next((r for r in at if r["peer"] == "rust-reqwest-blocking"), {})
    out = [f"**{threads} client thread{'s' if threads > 1 else ''}** (keep-alive; async peers: {threads} concurrent "
           f"task{'s' if threads > 1 else ''} on one event loop)", "",
           "| peer | sends/s | ÷ wrk | ÷ reqwest | p50 µs | ÷ wrk | ÷ reqwest | p99 µs | ÷ wrk | ÷ reqwest | errors |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in at:
        out.append(f"| {r['peer']} | {fmt(r['sends_per_s'])} | {ratio(r['sends_per_s'], w.get('sends_per_s'))} | "
                   f"{ratio(r['sends_per_s'], rb.get('sends_per_s'))} | {fmt(r['p50_us'], 1)} | "
                   f"{ratio(r['p50_us'], w.get('p50_us'))} | {ratio(r['p50_us'], rb.get('p50_us'))} | "
                   f"{fmt(r['p99_us'], 1)} | {ratio(r['p99_us'], w.get('p99_us'))} | "
                   f"{ratio(r['p99_us'], rb.get('p99_us'))} | {r.get('errors', 0)} |")
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=3.0, help="measured window per peer and thread count")
    p.add_argument("--no-build", action="store_true", help="reuse what an earlier run built")
    p.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    p.add_argument("--skip", default="", help="comma-separated peer names (substrings) to leave out")
    p.add_argument("--rss-sends", type=int, default=100_000)
    a = p.parse_args()
    skip = {s for s in a.skip.split(",") if s}
    started = time.time()
    busy_before = busy()
    if not a.no_build:
        build(skip)
    port = free_port()
    log(f"nginx on 127.0.0.1:{port}")
    server = Nginx(port)
    try:
        cases_path = write_cases(port)
        cases = json.loads(cases_path.read_text())
        req = cases["request"]
        url = req["url"]
        busy_during = busy()
        rows: list[dict[str, Any]] = []
        log("the server's own ceiling: wrk -t2 -c64")
        ceiling = wrk(url, req["body"], req["headers"], 2, 64, a.seconds)
        for threads in (1, 4):
            log(f"wrk -t{threads} -c{threads}")
            rows.append(wrk(url, req["body"], req["headers"], threads, threads, a.seconds))
            for name, cmd in peers(cases_path, threads, a.seconds, skip):
                log(f"{name}, {threads} thread(s)")
                r = measure_peer(cmd)
                r["peer"] = name
                rows.append(r)
                print(json.dumps(r), flush=True)
        log("Python before/after tools/gen's patch (bare generated module, same library)")
        before_after = []
        for label, d in (("unpatched", OUT / "py-unpatched"), ("patched", OUT / "py-patched")):
            py = [VENV / "bin/python", ROOT / "bench/python/peer.py"]
            micro = measure_peer([*py, "micro", "--cases", cases_path, "--module-dir", d, "--label", label])
            send = measure_peer([*py, "nhantin", "--cases", cases_path, "--threads", "1", "--seconds",
                                 str(a.seconds), "--module-dir", d, "--label", label])
            before_after.append({**micro, "send": send})
            print(json.dumps(before_after[-1]), flush=True)
        installed = measure_peer([VENV / "bin/python", ROOT / "bench/python/peer.py", "micro", "--cases", cases_path,
                                  "--label", "installed wheel"])
        log("encode+decode per endpoint: Rust (nhantin-core), C (JSON C ABI), Python (wheel), Kotlin")
        kotlin_micro = None
        codec = json_lines(run([ROOT / "target/release/nhantin-bench-codec", "--cases", cases_path], env=env()))
        codec += json_lines(run([OUT / "c-codec", cases_path], env=env()))
        codec += json_lines(run([VENV / "bin/python", ROOT / "bench/python/codec.py", "--cases", cases_path],
                                env=env(), cwd=ROOT))
        codec += json_lines(run([VENV / "bin/python", ROOT / "bench/python/codec.py", "--cases", cases_path,
                                 "--module-dir", OUT / "py-unpatched", "--label", "python-unpatched"],
                                env=env(), cwd=ROOT))
        if "kotlin" not in skip:
            kcp = f"{OUT / 'kotlin-deps'}/*:{OUT / 'kotlin-build/classes'}"
            kotlin = json_lines(run(["java", f"-Djna.library.path={LIB}", "-cp", kcp, "vn.nhantin.bench.BenchKt",
                                     "codec", cases_path, "micro"], env=env()))
            codec += [k for k in kotlin if "lang" in k]
            kotlin_micro = next((k["kotlin_micro"] for k in kotlin if "kotlin_micro" in k), None)
        log(f"resident memory over {a.rss_sends} sends through one client: Rust, C, Python")
        rss = [
            measure_peer([ROOT / "target/release/nhantin-bench-peer", "nhantin", "--cases", cases_path, "--rss",
                          str(a.rss_sends)]),
            measure_peer([OUT / "c-peer", "nhantin", cases_path, 1, 1, a.rss_sends]),
            measure_peer([VENV / "bin/python", ROOT / "bench/python/peer.py", "nhantin", "--cases", cases_path,
                          "--rss", str(a.rss_sends), "--label", "py-nhantin"]),
        ]
        if "kotlin" not in skip:
            kcp = f"{OUT / 'kotlin-deps'}/*:{OUT / 'kotlin-build/classes'}"
            # A fixed, pre-touched heap: its pages are resident from the start, so what grows is native.
            rss.append(measure_peer(["java", "-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch",
                                     f"-Djna.library.path={LIB}", "-cp", kcp,
                                     "vn.nhantin.bench.BenchKt", "rss", cases_path, a.rss_sends]))
        for r in rss:
            print(json.dumps(r), flush=True)
    finally:
        server.stop()
    size = sizes()
    busy_after = busy()
    doc = render(a, rows, ceiling, before_after, installed, kotlin_micro, codec, rss, size,
                 busy_before + busy_during + busy_after, started)
    print(doc)
    if not a.no_write:
        (ROOT / "BENCHMARKS.md").write_text(doc)
        log("wrote BENCHMARKS.md")
    (OUT / "results.json").write_text(json.dumps({"rows": rows, "ceiling": ceiling, "before_after": before_after,
                                                  "installed": installed, "codec": codec, "rss": rss,
                                                  "sizes": size}, indent=1))


def render(a: argparse.Namespace, rows: list[dict[str, Any]], ceiling: dict[str, Any], before_after: list[Any],
           installed: dict[str, Any], kotlin_micro: Optional[dict[str, float]], codec: list[dict[str, Any]], rss: list[dict[str, Any]], size: dict[str, Any],
           busy: list[str], started: float) -> str:
    date = datetime.datetime.fromtimestamp(started, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cmd = "scripts/bench" + (f" --seconds {a.seconds:g}" if a.seconds != 3.0 else "")
    L = ["# Benchmarks", "",
         "What nhantin costs next to the network, measured by one command against a loopback server.",
         "Written by `scripts/bench` (bench/run.py); rerun it to refresh this file. Nothing in the test suite "
         "asserts a time.", "",
         f"- **Machine**: {machine()}",
         f"- **Command**: `{cmd}`",
         f"- **Date**: {date}",
         "- **Server**: nginx (one worker) on 127.0.0.1 answering every request with the eSMS success body "
         f"`{ANSWER}`. Its ceiling on this machine (wrk -t2 -c64, sharing the cores with wrk): "
         f"**{fmt(ceiling['sends_per_s'])} req/s**, p50 {fmt(ceiling['p50_us'], 1)} µs.",
         "- **Request**: the eSMS JSON SMS send nhantin encodes for an OTP (`SendMultipleMessage_V4_post_json`, "
         "one recipient). nhantin peers validate, encode, send, and decode the answer into a receipt, with a "
         "fresh request id per send; raw peers (wrk, reqwest, libcurl, requests, httpx, pycurl) POST the same "
         "bytes and read the whole answer.",
         f"- **Window**: {a.seconds:g} s per peer after 0.5 s of warm-up; client and server share the cores, so "
         "more client threads than cores mostly measure the scheduler.",
         ]
    if busy:
        L.append(f"- **Other work running during the run** (numbers are noisier): {', '.join(sorted(set(busy)))}")
    else:
        L.append("- No other build or JVM was running during the run.")
    L += ["", "## Sends through one client", ""]
    for t in (1, 4):
        L += send_table(rows, t) + [""]
    L += ["`÷ wrk` and `÷ reqwest` divide the figure by wrk's and by raw blocking reqwest's at the same thread "
          "count: above 1× is more sends/s, or a longer latency.", ""]
    c1 = next((r for r in rows if r["peer"] == "c-nhantin" and r["threads"] == 1), None)
    p1 = next((r for r in rows if r["peer"] == "py-nhantin" and r["threads"] == 1), None)
    if c1 and p1:
        L += [f"Python `Client.send` against the C ABI on the same loop (1 thread): p50 "
              f"{ratio(p1['p50_us'], c1['p50_us'])} the C latency, {ratio(c1['sends_per_s'], p1['sends_per_s'])} "
              "fewer sends/s (target: within 1.3×).", ""]
    L += ["## Python: before and after tools/gen's patch", "",
          "The same library, the generated module without (`NHANTIN_PYTHON_PATCH=off`) and with the patch of "
          "UniFFI's runtime helpers (tools/gen/src/python_patch.rs), imported bare; per call, no I/O except "
          "`Client.send` (1 thread, to the nginx above).", "",
          "| module | version() µs | normalize_phone µs | encode_send µs | decode_send µs | Client.send sends/s | p50 µs | p99 µs |",
          "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in before_after + [{**installed, "send": p1 or {}}]:
        s = r.get("send", {})
        L.append(f"| {r['label']} | {fmt(r['version_ns'] / 1e3, 1)} | {fmt(r['normalize_phone_ns'] / 1e3, 1)} | "
                 f"{fmt(r['encode_send_ns'] / 1e3, 1)} | {fmt(r['decode_send_ns'] / 1e3, 1)} | "
                 f"{fmt(s.get('sends_per_s'))} | {fmt(s.get('p50_us'), 1)} | {fmt(s.get('p99_us'), 1)} |")
    if kotlin_micro:
        L.append(f"| Kotlin (JNA), for comparison | {fmt(kotlin_micro['version_ns'] / 1e3, 1)} | "
                 f"{fmt(kotlin_micro['normalize_phone_ns'] / 1e3, 1)} | see below | see below | "
                 f"{fmt(next((r['sends_per_s'] for r in rows if r['peer'] == 'kotlin-nhantin' and r['threads'] == 1), None))} | "
                 f"{fmt(next((r['p50_us'] for r in rows if r['peer'] == 'kotlin-nhantin' and r['threads'] == 1), None), 1)} | "
                 f"{fmt(next((r['p99_us'] for r in rows if r['peer'] == 'kotlin-nhantin' and r['threads'] == 1), None), 1)} |")
    L += ["", "The installed wheel's row adds the package's own import-time layer (repr, logging) and its send "
          "figures are the 1-thread `py-nhantin` row above.", "",
          "## Encode + decode per endpoint (no I/O)", "",
          "Rust: `MessageInput::validate` + `Account::encode_send`, and `decode_send`, through nhantin-core. "
          "C: `nhantin_encode_send` and `nhantin_decode` (JSON in and out). Python and Kotlin: `encode_send` and "
          "`decode_send` with typed records. The input of each endpoint is a shared vector "
          "(tests/vectors), checked to encode to the vector's exact request first. Median of seven ~20 ms "
          "batches.", ""]
    langs = [l for l in ("rust", "c", "python", "python-unpatched", "kotlin") if any(c["lang"] == l for c in codec)]
    L += ["| endpoint | " + " | ".join(f"{l} encode µs | {l} decode µs" for l in langs) + " |",
          "|---|" + "---:|---:|" * len(langs)]
    for name in dict.fromkeys(c["endpoint"] for c in codec):
        cells = []
        for l in langs:
            c = next((c for c in codec if c["lang"] == l and c["endpoint"] == name), None)
            cells += [fmt(c["encode_ns"] / 1e3, 2), fmt(c["decode_ns"] / 1e3, 2)] if c else ["–", "–"]
        L.append(f"| {name} | " + " | ".join(cells) + " |")
    L += ["", f"## Resident memory over {a.rss_sends:,} sends through one client", "",
          "Peak (VmHWM) and current (VmRSS) resident memory after 1000 warm-up sends and after "
          f"{a.rss_sends:,} more through the same client, one thread, to the nginx above.", "",
          "| client | peak before KiB | peak after KiB | current before KiB | current after KiB |",
          "|---|---:|---:|---:|---:|"]
    for r in rss:
        L.append(f"| {r['peer']} | {fmt(r['peak_before_kib'])} | {fmt(r['peak_after_kib'])} | "
                 f"{fmt(r['rss_before_kib'])} | {fmt(r['rss_after_kib'])} |")
    L += ["", "The JVM runs with a fixed heap whose pages are all touched at start-up (`-Xms128m -Xmx128m "
          "-XX:+AlwaysPreTouch`) and warms up over 10,000 sends (the JIT), so its row shows native growth: JNA's "
          "per-call Structures and Memory, and nhantin's own allocations. With a growing heap instead, resident "
          "memory follows the heap up to `-Xmx` and says nothing about leaks.", "", "## Sizes", "",
          "| artefact | bytes |", "|---|---:|",
          f"| libnhantin.so as shipped (release, `strip = \"debuginfo\"`: symbols kept, UniFFI reads its metadata "
          f"from them) | {fmt(size['so_shipped'])} |",
          f"| libnhantin.so, `strip --strip-all` (enough for C callers; binding generation needs the symbols) | "
          f"{fmt(size['so_stripped'])} |",
          f"| the wheel ({size['wheel_name']}) | {fmt(size['wheel'])} |",
          f"| the jar ({Path(size['jar_path']).name if size['jar_path'] else 'not built: bindings/kotlin/run-tests.sh'}) | "
          f"{fmt(size['jar'])} |"]
    L += [f"| {what} | {fmt(n)} |" for what, n in size.get("shipped", [])]
    L += ["", "The glibc 2.17 builds are linked by zig, whose linker strips all or nothing; they keep their "
          "symbols (UniFFI reads its metadata from them) and with them the standard library's line tables.", ""]
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    main()
