#!/usr/bin/env python3
"""The musllinux wheel's library, run under musl (Debian's musl-tools: musl-gcc and its loader).

probe.c is built twice, with musl-gcc against the library in the musllinux wheel and with gcc
against the glibc one; every `send` vector is encoded by both and the outputs must be equal byte
for byte (the C suite checks the glibc library against the vectors' expectations), and the musl
build sends one OTP through the emulator over HTTP (reqwest, rustls and musl's resolver).

  check.py MUSL_WHEEL GLIBC_LIB_DIR NHANTIN_BIN

Last line: `musl: N passed, M failed`; exit status 0 only when nothing failed.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "target/musl-check"
passed = failed = 0


def record(ok: bool, what: str, detail: str = "") -> None:
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"  FAIL {what}{': ' + detail if detail else ''}")


def build(cc: str, lib_dir: Path, name: str) -> Path:
    exe = OUT / name
    subprocess.run([cc, "-std=c99", "-O1", "-I", str(ROOT / "include"), str(ROOT / "tests/musl/probe.c"),
                    "-L", str(lib_dir), "-lnhantin", f"-Wl,-rpath,{lib_dir}", "-o", str(exe)], check=True)
    return exe


def main() -> int:
    wheel, glibc_dir, cli = Path(sys.argv[1]), Path(sys.argv[2]).resolve(), Path(sys.argv[3]).resolve()
    if shutil.which("musl-gcc") is None:
        if os.geteuid() == 0 and shutil.which("apt-get"):
            print("musl: installing musl-tools with apt-get", flush=True)
            apt = ["apt-get", "install", "-y", "-qq", "musl-tools"]
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            if subprocess.run(apt, env=env, capture_output=True).returncode != 0:
                subprocess.run(["apt-get", "update", "-qq"], check=True)
                subprocess.run(apt, env=env, check=True, capture_output=True)
        else:
            print("musl: needs musl-gcc (Debian: apt-get install musl-tools)")
            print("musl: 0 passed, 1 failed")
            return 1
    shutil.rmtree(OUT, ignore_errors=True)
    for d in ("musl", "glibc"):
        (OUT / d).mkdir(parents=True)
    # The library's SONAME is libnhantin.so.0: each folder holds it under both names.
    with zipfile.ZipFile(wheel) as z:
        (OUT / "musl/libnhantin.so").write_bytes(z.read("nhantin/_uniffi/libnhantin.so"))
    shutil.copy2(glibc_dir / "libnhantin.so", OUT / "glibc/libnhantin.so")
    for d in ("musl", "glibc"):
        os.symlink("libnhantin.so", OUT / d / "libnhantin.so.0")
    musl = build("musl-gcc", OUT / "musl", "probe-musl")
    glibc = build("gcc", OUT / "glibc", "probe-glibc")
    interp = subprocess.run(["readelf", "-l", str(musl)], capture_output=True, text=True).stdout
    record("ld-musl" in interp, "probe-musl runs on musl's loader", interp[-200:])

    def run(exe: Path, *args: str) -> str:
        done = subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=60)
        return done.stdout + (f"[exit {done.returncode}] {done.stderr[:300]}" if done.returncode else "")

    version = run(musl, "version")
    record(version == run(glibc, "version") and version.strip() != "", "version", version)

    vectors = 0
    for f in sorted(glob.glob(str(ROOT / "tests/vectors/**/*.json"), recursive=True)):
        v = json.loads(Path(f).read_text())
        if v.get("operation") != "send":
            continue
        vectors += 1
        args = ["encode", json.dumps(v["account"]), json.dumps(v["message"]), v["now"]]
        a, b = run(musl, *args), run(glibc, *args)
        record(a == b and a != "", f"encode {Path(f).relative_to(ROOT)}", f"musl {a[:200]!r} glibc {b[:200]!r}")

    emu = subprocess.Popen([str(cli), "emulator", "--port", "0", "--stop-on-stdin-eof"], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, text=True, env={**os.environ, "NO_PROXY": "127.0.0.1"})
    try:
        info = json.loads(emu.stdout.readline() if emu.stdout else "{}")
        account = {"provider": "esms", "api_key": "DEMO_ESMS_API_KEY", "secret_key": "DEMO_ESMS_SECRET_KEY",
                   "base_url": info["esms"]}
        message = {"recipients": ["0912345678"], "request_id": "musl-probe-1",
                   "content": {"sms": {"purpose": "otp", "text": "Ma OTP cua ban la 123456", "sender": "NHANTIN"}}}
        outcome = run(musl, "send", json.dumps(account), json.dumps(message))
        record('"status":"accepted"' in outcome, "send through the emulator from the musl build", outcome[:300])
    finally:
        if emu.stdin:
            emu.stdin.close()
        emu.wait(timeout=20)
    print(f"musl: {vectors} send vectors encoded alike by the musl and glibc builds, one send through the emulator")
    print(f"musl: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
