"""The Python codec runner of scripts/bench: for each endpoint in cases.codec, the cost of
`encode_send` (typed records in, the HttpRequest record out) and `decode_send` (the answer in,
the Receipt out) through the installed package, timed as in Rust and C. One JSON line each, ns.

    python codec.py --cases FILE [--module-dir DIR]
"""

from __future__ import annotations

import argparse
import json

from common import cases, from_json, load_module, per_call_ns


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--cases", default="target/bench/cases.json")
    p.add_argument("--module-dir")
    p.add_argument("--label", default="python")
    a = p.parse_args()
    n = load_module(a.module_dir)
    for case in cases(a.cases)["codec"]:
        account = from_json(n, n.Account, case["account"])
        message = from_json(n, n.Message, case["message"])
        now = case["now"]
        r = case["response"]
        provider = n.Provider[case["provider"].upper().replace("CARESOFT", "CARE_SOFT").replace("INTERITS", "INTER_ITS")]
        resp = n.HttpResponse(status=r["status"], headers=[], body=r["body"].encode())
        req = n.encode_send(account, message, now)
        assert req.url == case["expect"]["url"] and req.body == case["expect"]["body"].encode(), case["name"]
        n.decode_send(provider, resp)
        print(json.dumps({"lang": a.label, "endpoint": case["name"],
                          "encode_ns": per_call_ns(lambda: n.encode_send(account, message, now)),
                          "decode_ns": per_call_ns(lambda: n.decode_send(provider, resp))}), flush=True)


if __name__ == "__main__":
    main()
