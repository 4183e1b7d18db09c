#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/<target>/ from the shared vectors (tests/vectors/**/*.json).

Each seed is in the input format its target documents (fuzz/src/lib.rs and the top of each
fuzz/fuzz_targets/<target>.rs). Seeds are named after the vector they come from; identical
seeds are written once; seeds over MAX_SEED bytes are skipped (the 5000-recipient cases: the
seeds stay small, and libFuzzer's default length limit follows the largest seed). Every run
rewrites the folders from scratch, so a seed whose vector is gone disappears with it.

`--check` writes nothing and fails when a committed corpus differs from what would be written.

The corpora that fuzzing grows are kept apart, in fuzz/artifacts/corpus/<target>/ (ignored):
scripts/fuzz passes that folder first, so libFuzzer writes new inputs there, not here.
"""

import glob
import hashlib
import json
import os
import re
import sys
import urllib.parse
from xml.sax.saxutils import escape as xml_escape

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "..", "tests", "vectors")
CORPUS = os.path.join(HERE, "corpus")
MAX_SEED = 8 * 1024

# The emulator's demo credentials (emulator/src/config.rs), so that emulator seeds get past
# authentication and reach the endpoint decoders.
DEMO = {
    "esms": {"api_key": "DEMO_ESMS_API_KEY", "secret_key": "DEMO_ESMS_SECRET_KEY"},
    "caresoft": {"api_token": "DEMO_CARESOFT_TOKEN", "domain": "demo"},
    "interits": {"api_key": "DEMO_INTERITS_KEY"},
}
PROVIDERS = ["esms", "caresoft", "interits"]
OPERATIONS = ["send", "balance", "send_status", "receiver_status", "sent_data", "check_code", "zns_message"]
# EsmsLookup's variants in order (fuzz/fuzz_targets/esms_decode_zns.rs selectors 0-6).
LOOKUPS = ["zns_templates", "zns_template_info", "zalo_oas", "zns_quota", "zns_status", "zalo_message_status", "brandnames"]


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def response_bytes(response):
    """The format of nhantin_fuzz::response: status (2 bytes, big-endian), header count, lines, body."""
    headers = response.get("headers", [])[:3]
    out = response["status"].to_bytes(2, "big") + bytes([len(headers)])
    for name, value in headers:
        out += f"{name}: {value}\n".encode()
    return out + response.get("body", "").encode()


def query_encode(value):
    return urllib.parse.quote(value, safe="-._~")


def json_escape(value):
    return json.dumps(value, ensure_ascii=False)[1:-1]


def with_demo_credentials(account, request):
    """The vector's request with the account's keys replaced by the emulator's demo keys, in each
    delimited place a key takes (JSON string, XML element, query value, header value)."""
    provider = account["provider"]
    url, headers, body = request["url"], [list(h) for h in request["headers"]], request["body"]
    for field, demo in DEMO[provider].items():
        if field == "domain":
            continue
        old = account[field]
        body = body.replace(f'"{json_escape(old)}"', f'"{json_escape(demo)}"')
        body = body.replace(f">{xml_escape(old)}<", f">{xml_escape(demo)}<")
        url = re.sub("=" + re.escape(query_encode(old)) + "(?=&|#|$)", lambda _: "=" + query_encode(demo), url)
        for header in headers:
            if header[1] == old:
                header[1] = demo
            elif header[1] == f"Bearer {old}":
                header[1] = f"Bearer {demo}"
    parts = urllib.parse.urlsplit(url)
    path = parts.path
    if provider == "esms":
        path = "/esms" + path
    elif provider == "caresoft":
        path = "/caresoft/" + DEMO["caresoft"]["domain"] + "/" + path.split("/", 2)[2]
    else:
        path = "/interits" + path
    target = path + ("?" + parts.query if parts.query else "")
    body = body.encode()
    head = f"{request['method']} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    for name, value in headers:
        head += f"{name}: {value}\r\n"
    if request["method"] == "POST":
        head += f"Content-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


# Control requests (emulator/src/lib.rs, "Control API"), one connection's worth each.
CONTROL = [
    b"GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    b"GET /_emulator/messages HTTP/1.0\r\n\r\n",
    b'POST /_emulator/faults HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 44\r\n\r\n'
    b'{"fault":"status","status":503,"times":2}   ',
    b'POST /_emulator/advance-clock HTTP/1.1\r\nContent-Length: 12\r\nConnection: close\r\n\r\n{"secs":900}',
    b'POST /_emulator/settings HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 34\r\n\r\n'
    b'{"interits_dedup_request_id":true}',
]


def ffi_decode_seed(name, v, what):
    """ffi_decode: provider byte, operation byte, status, headers JSON, NUL, body (the target's order)."""
    response = v["response"]
    headers = compact(response["headers"]).encode() if response.get("headers") else b""
    return "ffi_decode", name, bytes([PROVIDERS.index(v["provider"]), OPERATIONS.index(what)]) + \
        response["status"].to_bytes(2, "big") + headers + b"\x00" + response["body"].encode()


def seeds():
    """(target, name, bytes) for every seed."""
    for path in sorted(glob.glob(os.path.join(VECTORS, "*", "*.json"))):
        folder = os.path.basename(os.path.dirname(path))
        name = f"{folder}-{os.path.splitext(os.path.basename(path))[0]}"
        with open(path, encoding="utf-8") as f:
            v = json.load(f)
        op = v["operation"]
        account = v.get("account")
        if account is not None:
            yield "account_input", name, compact(account).encode()
        if op == "send":
            message = v["message"]
            yield "message_input", name, compact(message).encode()
            yield "timestamp_parse", name, v["now"].encode()
            if "schedule" in message:
                yield "timestamp_parse", name + "-schedule", message["schedule"].encode()
            for i, phone in enumerate(message.get("recipients", [])[:3]):
                yield "phone_parse", f"{name}-{i}", phone.encode()
            yield "text_analyze", name, message.get("text", "").encode()
            yield "ffi_encode", name, b"\x00" + b"\x00".join(
                s.encode() for s in (compact(account), compact(message), v["now"]))
        elif op == "sent_data":
            yield "ffi_encode", name, b"\x01" + compact(account).encode() + b"\x00" + compact(v["window"]).encode()
            for end in ("from", "to"):
                yield "timestamp_parse", f"{name}-{end}", v["window"][end].encode()
        elif op in ("balance", "send_status", "receiver_status"):
            parts = [compact(account), op] + ([v["sms_id"]] if "sms_id" in v else [])
            yield "ffi_encode", name, b"\x02" + b"\x00".join(s.encode() for s in parts)
        elif op in ("decode_lookup", "decode_zns_bulk", "decode_check_code"):
            # esms_decode_zns: a selector byte, then the response (the target's order).
            if op == "decode_lookup":
                lookup = v["lookup"]
                selector = LOOKUPS.index(lookup if isinstance(lookup, str) else next(iter(lookup)))
            else:
                selector = 7 if op == "decode_zns_bulk" else 8
            yield "esms_decode_zns", name, bytes([selector]) + response_bytes(v["response"])
            if op == "decode_check_code":
                yield ffi_decode_seed(name, v, "check_code")
        elif op.startswith("decode_"):
            what = op[len("decode_"):]
            provider = v["provider"]
            target = {"send": f"decode_send_{provider}", "zns_message": "interits_decode_zns_message"}.get(
                what, f"esms_decode_{what}")
            yield target, name, response_bytes(v["response"])
            yield ffi_decode_seed(name, v, what)
        elif op == "delivery_report":
            yield "esms_delivery_report", name, v["query"].encode()
            yield "ffi_parse", name, b"\x00" + v["query"].encode()
        elif op == "interits_callback":
            yield "interits_callback", name, v["body"].encode()
            yield "ffi_parse", name, b"\x01" + v["body"].encode()
        elif op == "phone":
            yield "phone_parse", name, v["input"].encode()
            # Selector 82: phone normalisation (82 % 5 == 2) into a 16-byte buffer (82 / 5).
            yield "ffi_parse", name, bytes([82]) + v["input"].encode()
        elif op == "text":
            yield "text_analyze", name, v["input"].encode()
            yield "ffi_parse", name + "-analyze", b"\x03" + v["input"].encode()
            yield "ffi_parse", name + "-strip", b"\x04" + v["input"].encode()
        request = v.get("expect", {}).get("request")
        if request is not None:
            yield "emulator_request", name, with_demo_credentials(account, request)
    for i, raw in enumerate(CONTROL):
        yield "emulator_request", f"control-{i}", raw
    # Two requests on one connection, as keep-alive clients send them.
    yield "emulator_request", "control-pipelined", CONTROL[0] + CONTROL[2]


def build():
    corpora = {}
    for target, name, data in seeds():
        if len(data) > MAX_SEED:
            continue
        files = corpora.setdefault(target, {})
        if data not in files.values():
            files[name] = data
    return corpora


def main():
    check = "--check" in sys.argv[1:]
    corpora = build()
    stale = []
    for target, files in sorted(corpora.items()):
        folder = os.path.join(CORPUS, target)
        present = set(os.listdir(folder)) if os.path.isdir(folder) else set()
        if check:
            for name, data in files.items():
                path = os.path.join(folder, name)
                if name not in present or open(path, "rb").read() != data:
                    stale.append(path)
            stale += [os.path.join(folder, n) for n in present - set(files)]
            continue
        os.makedirs(folder, exist_ok=True)
        for name in present - set(files):
            os.remove(os.path.join(folder, name))
        for name, data in files.items():
            with open(os.path.join(folder, name), "wb") as f:
                f.write(data)
    if check:
        if stale:
            print("fuzz seeds differ from the vectors; run python3 fuzz/seed.py:", *stale[:10], sep="\n  ")
            sys.exit(1)
        return
    total = sum(len(f) for f in corpora.values())
    size = sum(len(d) for f in corpora.values() for d in f.values())
    digest = hashlib.sha256(repr(sorted((t, sorted(f.items())) for t, f in corpora.items())).encode()).hexdigest()[:12]
    print(f"{total} seeds in {len(corpora)} corpora, {size} bytes ({digest})")


if __name__ == "__main__":
    main()
