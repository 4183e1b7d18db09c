"""Replays every shared wire vector (tests/vectors/<folder>/<case>.json) through the UniFFI
functions, the way a Python caller with its own HTTP stack would use them.

The vectors hold accounts and messages in their JSON form; turning those into the generated
records (``Account.ESMS(...)``, ``Message(...)``) is part of what is tested, and so is mapping
the records back: the records carry eSMS statuses, message types and networks as numbers or
enums where the vectors use names (see ffi/src/api/types.rs), so the maps below are explicit.

Two gaps in the static types of UniFFI 0.32.2's generated module need ``type: ignore``:
variants of a data-carrying enum (``Account.ESMS``) are not subclasses of the enum for mypy,
and the error variants (``NhantinError.InvalidInput``) are invisible to it. At run time both
work; each ignore names its error code, so --strict (warn_unused_ignores) flags it once the
generator is fixed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

from nhantin import (
    Account,
    Balance,
    Carrier,
    DeliveryReport,
    Encoding,
    EsmsFormat,
    HttpHeader,
    HttpRequest,
    HttpResponse,
    InterItsCallback,
    Message,
    MessageKind,
    NhantinError,
    PhoneFormat,
    Provider,
    Receipt,
    ReceiverStatus,
    Secret,
    SendStatusReport,
    SentDataPage,
    SentDataWindow,
    UnicodePolicy,
    analyze_text,
    decode_balance,
    decode_receiver_status,
    decode_send,
    decode_send_status,
    decode_sent_data,
    encode_balance,
    encode_receiver_status,
    encode_send,
    encode_send_status,
    encode_sent_data,
    normalize_phone,
    parse_delivery_report,
    parse_interits_callback,
    strip_diacritics,
)

Json = dict[str, Any]

VECTOR_DIR = Path(__file__).resolve().parents[3] / "tests" / "vectors"
VECTOR_FILES = sorted(VECTOR_DIR.glob("*/*.json"))


class Unexpressible(Exception):
    """The vector's JSON input has no equivalent in the typed records."""


# ---- JSON form -> records -----------------------------------------------------------------

KINDS = {
    "otp": MessageKind.OTP,
    "customer_care": MessageKind.CUSTOMER_CARE,
    "advertising": MessageKind.ADVERTISING,
    "fixed_number": MessageKind.FIXED_NUMBER,
    "viber": MessageKind.VIBER,
}
UNICODE_POLICIES = {
    "auto": UnicodePolicy.AUTO,
    "force": UnicodePolicy.FORCE,
    "strip": UnicodePolicy.STRIP,
    "reject": UnicodePolicy.REJECT,
}
ESMS_FORMATS = {"json": EsmsFormat.JSON, "xml": EsmsFormat.XML, "get": EsmsFormat.GET}
PHONE_FORMATS = {
    "national": PhoneFormat.NATIONAL,
    "international": PhoneFormat.INTERNATIONAL,
    "e164": PhoneFormat.E164,
}
PROVIDERS = {"esms": Provider.ESMS, "caresoft": Provider.CARE_SOFT, "interits": Provider.INTER_ITS}


def only(obj: Json, allowed: set[str], what: str) -> None:
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise Unexpressible(
            f"{what} has {unknown}, which no record field corresponds to "
            "(the JSON form refuses unknown fields; a typed record cannot carry one)"
        )


def lookup(table: dict[str, Any], value: Any, what: str) -> Any:
    if value not in table:
        raise Unexpressible(f"{what} {value!r} is not one of {sorted(table)}")
    return table[value]


def account_of(a: Json) -> Account:
    provider = a["provider"]
    if provider == "esms":
        only(a, {"provider", "api_key", "secret_key", "base_url"}, "the eSMS account")
        return Account.ESMS(  # type: ignore[return-value]
            api_key=Secret(a["api_key"]), secret_key=Secret(a["secret_key"]), base_url=a.get("base_url")
        )
    if provider == "caresoft":
        only(a, {"provider", "domain", "api_token", "service_id", "base_url"}, "the CareSoft account")
        return Account.CARE_SOFT(  # type: ignore[return-value]
            domain=a["domain"],
            api_token=Secret(a["api_token"]),
            service_id=a["service_id"],
            base_url=a.get("base_url"),
        )
    if provider == "interits":
        only(a, {"provider", "api_key", "phone_format", "base_url"}, "the InterITS account")
        phone_format = a.get("phone_format")
        return Account.INTER_ITS(  # type: ignore[return-value]
            api_key=Secret(a["api_key"]),
            phone_format=None if phone_format is None else lookup(PHONE_FORMATS, phone_format, "phone_format"),
            base_url=a.get("base_url"),
        )
    raise Unexpressible(f"provider {provider!r}")


def message_of(m: Json) -> Message:
    only(
        m,
        {"kind", "recipients", "text", "sender", "schedule", "request_id", "callback_url", "unicode",
         "sandbox", "viber", "esms", "caresoft", "interits"},
        "the message",
    )
    viber: Json = m.get("viber", {})
    esms: Json = m.get("esms", {})
    caresoft: Json = m.get("caresoft", {})
    interits: Json = m.get("interits", {})
    only(viber, {"image_url", "button_label", "button_url"}, "message.viber")
    only(esms, {"format", "campaign_id"}, "message.esms")
    only(caresoft, {"ticket_id"}, "message.caresoft")
    only(interits, {"server_side_conversion", "ext"}, "message.interits")
    unicode = m.get("unicode")
    esms_format = esms.get("format")
    ext = interits.get("ext")
    return Message(
        kind=lookup(KINDS, m["kind"], "kind"),
        recipients=list(m["recipients"]),
        text=m["text"],
        sender=m.get("sender"),
        schedule=m.get("schedule"),
        request_id=m.get("request_id"),
        callback_url=m.get("callback_url"),
        unicode=None if unicode is None else lookup(UNICODE_POLICIES, unicode, "unicode"),
        sandbox=m.get("sandbox", False),
        viber_image_url=viber.get("image_url"),
        viber_button_label=viber.get("button_label"),
        viber_button_url=viber.get("button_url"),
        esms_format=None if esms_format is None else lookup(ESMS_FORMATS, esms_format, "esms.format"),
        esms_campaign_id=esms.get("campaign_id"),
        caresoft_ticket_id=caresoft.get("ticket_id"),
        interits_server_side_conversion=interits.get("server_side_conversion", False),
        interits_ext_json=None if ext is None else json.dumps(ext, ensure_ascii=False),
    )


def response_of(r: Json) -> HttpResponse:
    return HttpResponse(
        status=r["status"],
        headers=[HttpHeader(name=name, value=value) for name, value in r["headers"]],
        body=r["body"].encode("utf-8"),
    )


# ---- records -> JSON form -----------------------------------------------------------------

PROVIDER_NAMES = {v: k for k, v in PROVIDERS.items()}
CARRIER_NAMES = {
    Carrier.VIETTEL: "viettel",
    Carrier.MOBIFONE: "mobifone",
    Carrier.VINAPHONE: "vinaphone",
    Carrier.VIETNAMOBILE: "vietnamobile",
    Carrier.GMOBILE: "gmobile",
    Carrier.ITEL: "itel",
    Carrier.REDDI: "reddi",
    Carrier.UNKNOWN: "unknown",
}
ENCODING_NAMES = {Encoding.GSM7: "gsm7", Encoding.UCS2: "ucs2"}
# eSMS SendStatus and TypeId numbers (DeliveryReport/SendStatusReport doc comments); any other
# number is kept, which core writes as {"other": n}.
ESMS_SEND_STATUSES = {1: "pending_approval", 2: "waiting", 4: "rejected", 5: "finished", 7: "sent_to_telco"}
ESMS_SMS_TYPES = {
    1: "advertising",
    2: "customer_care",
    8: "fixed_number",
    23: "viber",
    24: "zns_priority",
    25: "zns_normal",
    26: "zalo_follower",
}


def named(table: dict[int, str], n: Optional[int]) -> Any:
    if n is None:
        return None
    return table.get(n, {"other": n})


def request_json(r: HttpRequest) -> Json:
    return {
        "method": r.method,
        "url": r.url,
        "headers": [(h.name, h.value) for h in r.headers],
        "body": r.body,
    }


def expected_request(e: Json) -> Json:
    return {
        "method": e["method"],
        "url": e["url"],
        "headers": [(name, value) for name, value in e["headers"]],
        "body": e["body"].encode("utf-8"),
    }


def receipt_json(r: Receipt) -> Json:
    ticket = {
        "ticket_id": r.ticket_id,
        "ticket_no": r.ticket_no,
        "requester_id": r.requester_id,
        "assignee_id": r.assignee_id,
    }
    return {
        "provider": PROVIDER_NAMES[r.provider],
        "reference": r.reference,
        # The record flattens core's optional ticket into four optional fields.
        "ticket": None if all(v is None for v in ticket.values()) else ticket,
        "token": r.token,
    }


def balance_json(b: Balance) -> Json:
    return {"balance": b.balance, "user_id": b.user_id}


def send_status_json(s: SendStatusReport) -> Json:
    return {
        "sms_id": s.sms_id,
        "status": named(ESMS_SEND_STATUSES, s.status),
        "send_success": s.send_success,
        "send_failed": s.send_failed,
        "total_receivers": s.total_receivers,
        "total_sent": s.total_sent,
        "total_price": s.total_price,
    }


def receivers_json(rows: list[ReceiverStatus]) -> list[Json]:
    return [
        {"phone": r.phone, "is_sent": r.is_sent, "sent_result": r.sent_result, "retry": r.retry,
         "network_name": r.network_name}
        for r in rows
    ]


def report_json(r: DeliveryReport) -> Json:
    return {
        "sms_id": r.sms_id,
        "request_id": r.request_id,
        "send_status": named(ESMS_SEND_STATUSES, r.send_status),
        "sms_type": named(ESMS_SMS_TYPES, r.sms_type),
        "telco": None if r.telco is None else CARRIER_NAMES[r.telco],
        "phone": r.phone,
        "send_success": r.send_success,
        "send_failed": r.send_failed,
        "total_receivers": r.total_receivers,
        "total_sent": r.total_sent,
        "total_price": r.total_price,
        "partner_ids": r.partner_ids,
        # The record flattens core's `error_info` {code, message} into two fields.
        "error_info": None
        if r.zalo_error_code is None and r.zalo_error_message is None
        else {"code": r.zalo_error_code, "message": r.zalo_error_message},
        "oaid": r.oaid,
        "template_id": r.template_id,
        "switch_sms_id": r.switch_sms_id,
        "extra": [[p.name, p.value] for p in r.extra],
    }


def callback_json(c: InterItsCallback) -> Json:
    return {
        "msisdn": c.msisdn,
        "request_id": c.request_id,
        "send_time": c.send_time,
        "response_time_telco": c.response_time_telco,
        "status": c.status,
        "referent_id": c.referent_id,
        "retry_count": c.retry_count,
    }


# ---- errors -------------------------------------------------------------------------------

ERROR_CLASSES: dict[str, type] = {
    "invalid_input": NhantinError.InvalidInput,  # type: ignore[attr-defined]
    "rejected": NhantinError.Rejected,  # type: ignore[attr-defined]
    "rate_limited": NhantinError.RateLimited,  # type: ignore[attr-defined]
    "provider_unavailable": NhantinError.ProviderUnavailable,  # type: ignore[attr-defined]
    "unexpected_response": NhantinError.UnexpectedResponse,  # type: ignore[attr-defined]
}


def retry_safe_of(err: NhantinError) -> bool:
    """`retry_safe` is an attribute where it varies (ProviderUnavailable, UnexpectedResponse,
    OutcomeUnknown); elsewhere the variant decides, as its doc comment says: a rejection fails
    again, a rate limit did nothing, invalid input was never sent."""
    if hasattr(err, "retry_safe"):
        return bool(getattr(err, "retry_safe"))
    if isinstance(err, ERROR_CLASSES["rate_limited"]):
        return True
    if isinstance(err, (ERROR_CLASSES["rejected"], ERROR_CLASSES["invalid_input"])):
        return False
    raise AssertionError(f"no retry safety for {err!r}")


def check_error(err: NhantinError, expected: Json) -> None:
    cls = ERROR_CLASSES[expected["kind"]]
    assert isinstance(err, cls), f"expected {cls.__qualname__}, got {err!r}"
    for key, want in expected.items():
        if key == "kind":
            continue
        if key == "retry_safe":
            got: Any = retry_safe_of(err)
        elif key == "reason_contains":
            reason = getattr(err, "reason")
            assert want in reason, f"reason {reason!r} lacks {want!r}"
            continue
        elif key == "provider":
            got = PROVIDER_NAMES[getattr(err, "provider")]
        elif key == "message":
            # The bindings call it provider_message: Kotlin exceptions already have a `message`.
            got = getattr(err, "provider_message")
        elif key == "reason" and expected["kind"] == "rejected":
            # Rejection.DUPLICATE_REQUEST_ID <-> "duplicate_request_id": the generated enum
            # spells core's snake_case names in upper case.
            got = getattr(err, "reason").name.lower()
        else:
            got = getattr(err, key)
        assert got == want, f"{key}: got {got!r}, want {want!r} ({err!r})"


def ms_of(text: str) -> int:
    from datetime import datetime

    return round(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def rfc3339_of(ms: int) -> str:
    from datetime import datetime, timezone

    t = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def enum_name(text: Optional[str]) -> Any:
    # Open enums cross as their JSON name; an unknown code is a JSON object such as {"other":0}.
    if text is not None and text.startswith("{"):
        return json.loads(text)
    return text


def sent_data_json(p: SentDataPage) -> Json:
    return {
        "count_total": p.count_total,
        "rows": [
            {
                "reference_id": r.reference_id,
                "phone": r.phone,
                "content": r.content,
                "campaign": r.campaign,
                "sell_price": r.sell_price,
                "result": enum_name(r.result),
                "status": enum_name(r.status),
                "sent_time": None if r.sent_time_ms is None else rfc3339_of(r.sent_time_ms),
                "portal_sms_id": r.portal_sms_id,
                "sms_type": enum_name(r.sms_type),
            }
            for r in p.rows
        ],
    }


def check(expect: Json, ok_key: str, call: Callable[[], Any], to_json: Callable[[Any], Any]) -> None:
    """Runs `call`; compares its result (through `to_json`) with expect[ok_key], or its error
    with expect["error"]."""
    try:
        result = call()
    except NhantinError as err:
        assert "error" in expect, f"expected {ok_key}, got {err!r}"
        check_error(err, expect["error"])
        return
    assert "error" not in expect, f"expected {expect['error']}, got {result!r}"
    assert to_json(result) == expect[ok_key]


# ---- the replay ---------------------------------------------------------------------------


def replay(v: Json) -> None:
    op = v["operation"]
    expect: Json = v["expect"]
    if op == "send":
        account = account_of(v["account"])
        message = message_of(v["message"])
        if "request" in expect:
            expect = {"request": expected_request(expect["request"])}
        check(expect, "request", lambda: encode_send(account, message, v["now"]), request_json)
    elif op in ("balance", "send_status", "receiver_status"):
        account = account_of(v["account"])
        if op == "balance":
            request = encode_balance(account)
        elif op == "send_status":
            request = encode_send_status(account, v["sms_id"])
        else:
            request = encode_receiver_status(account, v["sms_id"])
        assert request_json(request) == expected_request(expect["request"])
    elif op == "sent_data":
        w = v["window"]
        window = SentDataWindow(sms_type=w["sms_type"], from_ms=ms_of(w["from"]), to_ms=ms_of(w["to"]),
                                page=w["page"], page_size=w["page_size"])
        account = account_of(v["account"])
        if "request" in expect:
            expect = {"request": expected_request(expect["request"])}
        check(expect, "request", lambda: encode_sent_data(account, window), request_json)
    elif op == "decode_sent_data":
        check(expect, "sent_data", lambda: decode_sent_data(response_of(v["response"])), sent_data_json)
    elif op == "decode_send":
        provider = PROVIDERS[v["provider"]]
        check(expect, "receipt", lambda: decode_send(provider, response_of(v["response"])), receipt_json)
    elif op == "decode_balance":
        check(expect, "balance", lambda: decode_balance(response_of(v["response"])), balance_json)
    elif op == "decode_send_status":
        check(expect, "send_status", lambda: decode_send_status(response_of(v["response"])), send_status_json)
    elif op == "decode_receiver_status":
        check(expect, "receivers", lambda: decode_receiver_status(response_of(v["response"])), receivers_json)
    elif op == "delivery_report":
        assert report_json(parse_delivery_report(v["query"])) == expect["report"]
    elif op == "interits_callback":
        check(expect, "callback", lambda: parse_interits_callback(v["body"].encode("utf-8")), callback_json)
    elif op == "phone":
        if "error" not in expect:
            expect = {"phone": expect}
        check(
            expect,
            "phone",
            lambda: normalize_phone(v["input"]),
            lambda p: {"national": p.national, "international": p.international, "e164": p.e164,
                       "carrier": CARRIER_NAMES[p.carrier]},
        )
    elif op == "text":
        a = analyze_text(v["input"])
        actual = {
            "encoding": ENCODING_NAMES[a.encoding],
            "characters": a.characters,
            "units": a.units,
            "segments": a.segments,
            "stripped": strip_diacritics(v["input"]),
        }
        assert {k: actual[k] for k in expect} == expect
    else:
        raise AssertionError(f"unknown operation {op!r}")


@pytest.mark.parametrize(
    "path", VECTOR_FILES, ids=[f"{p.parent.name}/{p.stem}" for p in VECTOR_FILES]
)
def test_vector(path: Path) -> None:
    v = json.loads(path.read_text(encoding="utf-8"))
    try:
        replay(v)
    except Unexpressible as why:
        pytest.skip(f"{path.parent.name}/{path.stem}: {why}")


def test_every_vector_file_is_a_case() -> None:
    on_disk = [
        os.path.join(folder, name)
        for folder, _, names in os.walk(VECTOR_DIR)
        for name in names
        if name.endswith(".json")
    ]
    assert len(VECTOR_FILES) == len(on_disk), "a vector sits outside tests/vectors/<folder>/"
    assert len(VECTOR_FILES) >= 170, f"only {len(VECTOR_FILES)} vectors under {VECTOR_DIR}"
