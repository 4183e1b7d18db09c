"""Replays every shared wire vector (tests/vectors/<folder>/<case>.json) through the UniFFI
functions, the way a Python caller with its own HTTP stack would use them.

The vectors hold accounts and messages in their JSON form; turning those into the generated
records (``Account.ESMS(...)``, ``Message(content=Content.SMS(sms=Sms(...)), ...)``) is part of what
is tested, and so is mapping the records back. The way in is generic, driven by the generated
annotations alone: a JSON object becomes the record its field is annotated with, a one-key object
the variant of a tagged enum that key names, whose one field has the key's name
(``{"sms": {...}}`` -> ``Content.SMS(sms=Sms(...))``), a string the enum member of that name. The
way back keeps explicit maps: the records carry eSMS statuses, message types and networks as
numbers or enums where the vectors use names (see ffi/src/api/types.rs).

mypy reads the package's stub (``src/nhantin/_uniffi/nhantin.pyi``, written by ``gen_stub.py``),
in which variants of a data-carrying enum (``Account.ESMS``) are subclasses of the enum and the
error variants (``NhantinError.InvalidInput``) are typed, as they are at run time: no ignores.
"""

from __future__ import annotations

import enum
import json
import os
import types
import typing
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

from nhantin import (
    Account,
    AccountState,
    EsmsLookup,
    EsmsLookupAnswer,
    RecipientReceipt,
    RecipientResult,
    SendMachine,
    SendPolicy,
    SendStep,
    ZnsBulk,
    decode_esms_lookup,
    encode_esms_lookup,
    decode_check_code,
    encode_check_code,
    decode_interits_zns_message,
    encode_interits_zns_message,
    Balance,
    CareSoftOptions,
    Carrier,
    Content,
    DeliveryReport,
    Encoding,
    EsmsOptions,
    EsmsZnsVersion,
    HttpHeader,
    HttpRequest,
    HttpResponse,
    InterItsCallback,
    InterItsOptions,
    Message,
    NhantinError,
    Provider,
    ProviderOptions,
    Receipt,
    ReceiverStatus,
    Secret,
    SendStatusReport,
    SentDataPage,
    SentDataWindow,
    Sms,
    UnicodePolicy,
    Viber,
    ZaloError,
    ZaloThenSms,
    GeneratedOtp,
    OtpChannel,
    OtpMultiChannel,
    OtpSms,
    ViberButton,
    Zns,
    ZnsParam,
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
    """The vector's JSON input has no equivalent in the typed records: a record's constructor
    refused it (a field it does not have, or lacks), or a value is of the wrong JSON type."""


# ---- JSON form -> records -----------------------------------------------------------------


def norm(name: str) -> str:
    """A JSON name and a generated name compared: ``customer_care`` is ``CUSTOMER_CARE``,
    ``caresoft`` is ``CARE_SOFT``."""
    return name.replace("_", "").lower()


def variants(union: type) -> dict[str, type]:
    """The variants of a generated data-carrying enum by normalised name: the generated module
    makes each one a nested class and a subclass of the enum (``Content.SMS``)."""
    return {norm(name): attr for name, attr in vars(union).items()
            if isinstance(attr, type) and issubclass(attr, union) and attr is not union}


def enum_member(cls: type[enum.Enum], value: Any, where: str) -> Any:
    members = {norm(m.name): m for m in cls}
    if not isinstance(value, str) or norm(value) not in members:
        raise Unexpressible(f"{where}: {value!r} is not one of {sorted(members)}")
    return members[norm(value)]


def tagged(union: type, obj: Any, where: str) -> Any:
    """``{"sms": {...}}`` -> ``Content.SMS(sms=Sms(...))``: the one key names the variant, and
    the object is the variant's fields (its one field is named after the key)."""
    if not isinstance(obj, dict) or len(obj) != 1:
        raise Unexpressible(f"{where}: {obj!r} is not an object with one key")
    [key] = obj
    variant = variants(union).get(norm(key))
    if variant is None:
        raise Unexpressible(f"{where}: {key!r} is not one of {sorted(variants(union))}")
    return record(variant, obj, where)


def value(hint: Any, v: Any, where: str) -> Any:
    """``v`` as a value of the annotated type ``hint``."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):  # Optional[X]
        if v is None:
            return None
        [inner] = [a for a in args if a is not type(None)]
        return value(inner, v, where)
    if origin is list:
        if not isinstance(v, list):
            raise Unexpressible(f"{where}: {v!r} is not a list")
        return [value(args[0], x, f"{where}[{i}]") for i, x in enumerate(v)]
    if hint is Secret:
        return Secret(value(str, v, where))
    if hint is str and isinstance(v, (dict, list)):
        # A JSON value the record holds as JSON text (options.interits.ext).
        return json.dumps(v, ensure_ascii=False)
    if hint in (str, int, bool):
        if not isinstance(v, hint) or (hint is int and isinstance(v, bool)):
            raise Unexpressible(f"{where}: {v!r} is not a {hint.__name__}")
        return v
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return enum_member(hint, v, where)
    if isinstance(hint, type) and variants(hint):
        return tagged(hint, v, where)
    if isinstance(hint, type):
        return record(hint, v, where)
    raise AssertionError(f"{where}: no JSON form for {hint!r}")


def record(cls: type, obj: Any, where: str) -> Any:
    """A JSON object as the record ``cls``, field by field. A field the record does not have, or
    one it needs and the object lacks, is the constructor's TypeError: the typed records' refusal
    of what the JSON form refuses as field ``message``."""
    if not isinstance(obj, dict):
        raise Unexpressible(f"{where}: {obj!r} is not an object")
    hints = typing.get_type_hints(getattr(cls, "__init__"))
    fields = {k: value(hints[k], v, f"{where}.{k}") if k in hints else v for k, v in obj.items()}
    try:
        return cls(**fields)
    except TypeError as why:
        raise Unexpressible(f"{where}: {why}") from why


def account_of(a: Json) -> Account:
    """``{"provider": "esms", ...}``: the provider names the variant, the rest are its fields."""
    fields = dict(a)
    provider = fields.pop("provider")
    variant = variants(Account).get(norm(provider))
    if variant is None:
        raise Unexpressible(f"account: provider {provider!r}")
    result: Account = record(variant, fields, "account")
    return result


def message_of(m: Json) -> Message:
    result: Message = record(Message, m, "message")
    return result


def response_of(r: Json) -> HttpResponse:
    return HttpResponse(
        status=r["status"],
        headers=[HttpHeader(name=name, value=value) for name, value in r["headers"]],
        body=r["body"].encode("utf-8"),
    )


# ---- records -> JSON form -----------------------------------------------------------------

PROVIDER_NAMES = {Provider.ESMS: "esms", Provider.CARE_SOFT: "caresoft", Provider.INTER_ITS: "interits"}
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
    27: "zns_journey",
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
        "recipients": [recipient_json(x) for x in r.recipients],
    }


def recipient_json(r: RecipientReceipt) -> Json:
    return {"index": r.index, "request_id": r.request_id, "result": recipient_result_json(r.result)}


def recipient_result_json(r: RecipientResult) -> Json:
    """``RecipientResult.REFUSED(reason=Rejection.DUPLICATE_REQUEST_ID, ...)`` ->
    ``{"status": "refused", "reason": "duplicate_request_id", ...}``: the variant's name is the
    status, its fields the rest."""
    result: Json = {"status": type(r).__name__.rsplit(".", 1)[-1].lower()}
    result.update({k: plain_json(v) for k, v in vars(r).items()})
    return result


def plain_json(v: Any) -> Any:
    """A generated record as core's JSON form: its fields by name, an enum member by its name
    in lower case (``ZnsState.PENDING`` -> ``"pending"``), lists element by element."""
    if isinstance(v, enum.Enum):
        return v.name.lower()
    if isinstance(v, list):
        return [plain_json(x) for x in v]
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return {k: plain_json(x) for k, x in vars(v).items()}


def lookup_of(obj: Any) -> EsmsLookup:
    """``{"zns_quota": {"oa_id": ...}}`` -> ``EsmsLookup.ZNS_QUOTA(oa_id=...)``: unlike Content,
    the variant's fields are the inner object's (``{"zalo_oas": null}`` has none)."""
    if not isinstance(obj, dict) or len(obj) != 1:
        raise Unexpressible(f"lookup: {obj!r} is not an object with one key")
    [(key, fields)] = obj.items()
    variant = variants(EsmsLookup).get(norm(key))
    if variant is None:
        raise Unexpressible(f"lookup: {key!r} is not one of {sorted(variants(EsmsLookup))}")
    result: EsmsLookup = record(variant, {} if fields is None else fields, "lookup")
    return result


def answer_json(a: EsmsLookupAnswer) -> Json:
    """``EsmsLookupAnswer.ZNS_QUOTA(quota=ZnsQuota(...))`` -> ``{"zns_quota": {...}}``: the
    variant's name is the key, its one field the value."""
    [held] = vars(a).values()
    return {type(a).__name__.rsplit(".", 1)[-1].lower(): plain_json(held)}


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
        "error_info": None if r.error_info is None else zalo_error_json(r.error_info),
        "oaid": r.oaid,
        "template_id": r.template_id,
        "switch_sms_id": r.switch_sms_id,
        "leg": None if r.leg is None else r.leg.name.lower(),
        "verdict": r.verdict.name.lower(),
        "extra": [[p.name, p.value] for p in r.extra],
    }


def zalo_error_json(e: ZaloError) -> Json:
    return {
        "code": e.code,
        "message": e.message,
        "message_id": e.message_id,
        "user_id": e.user_id,
        "status": e.status,
        "delivery_time_ms": e.delivery_time_ms,
        "logged_at": e.logged_at,
        "trailing": e.trailing,
        "raw": e.raw,
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
    "invalid_input": NhantinError.InvalidInput,
    "rejected": NhantinError.Rejected,
    "rate_limited": NhantinError.RateLimited,
    "provider_unavailable": NhantinError.ProviderUnavailable,
    "unexpected_response": NhantinError.UnexpectedResponse,
}


ERROR_CLASSES_MACHINE: dict[str, type] = {
    "outcome_unknown": NhantinError.OutcomeUnknown,
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


def send_against_request(v: Json) -> Receipt:
    """The one way the bindings decode an answer against its request: the send machine encodes
    the message at `now`, is told the response, and ends with the receipt (or raises). One
    attempt, so an answer that is not a verdict raises rather than waits for a resend."""
    now = ms_of(v["now"])
    state = AccountState()
    machine = SendMachine(account_of(v["account"]), message_of(v["message"]), now,
                          policy=SendPolicy(max_attempts=1))
    step = machine.poll(state, now)
    assert isinstance(step, SendStep.TRANSMIT), step
    machine.on_response(state, now, response_of(v["response"]))
    done = machine.poll(state, now)
    assert isinstance(done, SendStep.DONE), done
    receipt = done.result.receipt
    assert receipt is not None, done
    return receipt


# ---- the replay ---------------------------------------------------------------------------


def replay(v: Json) -> None:
    op = v["operation"]
    expect: Json = v["expect"]
    if op == "send":
        account = account_of(v["account"])
        try:
            message = message_of(v["message"])
        except Unexpressible as why:
            # A misplaced or unknown field (Viber parts on an SMS, a button without its URL): the
            # JSON form refuses it as field `message`; the typed records cannot even be built.
            wanted = expect.get("error", {})
            if (wanted.get("kind"), wanted.get("field")) != ("invalid_input", "message"):
                raise
            assert isinstance(why.__cause__, TypeError), why
            assert wanted.get("reason_contains", "") in str(why), f"{why} lacks {wanted['reason_contains']!r}"
            return
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
    elif op == "lookup":
        account = account_of(v["account"])
        try:
            lookup = lookup_of(v["lookup"])
        except Unexpressible as why:
            # A field the lookup does not take: the JSON form refuses it as field `lookup`; the
            # typed records cannot even be built.
            wanted = expect.get("error", {})
            if (wanted.get("kind"), wanted.get("field")) != ("invalid_input", "lookup"):
                raise
            assert isinstance(why.__cause__, TypeError), why
            return
        if "request" in expect:
            expect = {"request": expected_request(expect["request"])}
        check(expect, "request", lambda: encode_esms_lookup(account, lookup), request_json)
    elif op == "check_code":
        account = account_of(v["account"])
        if "request" in expect:
            expect = {"request": expected_request(expect["request"])}
        check(expect, "request", lambda: encode_check_code(account, v["phone"], v["code"]), request_json)
    elif op == "interits_zns_message":
        account = account_of(v["account"])
        if "request" in expect:
            expect = {"request": expected_request(expect["request"])}
        check(expect, "request", lambda: encode_interits_zns_message(account, v["oa_id"], v["msg_id"]), request_json)
    elif op == "decode_zns_message":
        assert v["provider"] == "interits"

        # Core's own record (uniffi::remote): compared generically, as Kotlin does.
        check(expect, "zns_message", lambda: decode_interits_zns_message(response_of(v["response"])), plain_json)
    elif op == "decode_check_code":
        check(expect, "check_code", lambda: decode_check_code(response_of(v["response"])), lambda c: c.name.lower())
    elif op == "decode_lookup":
        lookup = lookup_of(v["lookup"])
        check(expect, "answer", lambda: decode_esms_lookup(lookup, response_of(v["response"])), answer_json)
    elif op == "decode_zns_bulk":
        wanted = expect.get("error", {})
        if wanted.get("kind") == "unexpected_response":
            # The machine does not end a send on an answer it cannot read: the message may have
            # gone out, so (out of attempts) it ends as OutcomeUnknown, retry-safe under its
            # request id, and the decoder's error is its cause. The mapping is asserted exactly.
            with pytest.raises(ERROR_CLASSES_MACHINE["outcome_unknown"]) as err:
                send_against_request(v)
            unknown = err.value
            assert PROVIDER_NAMES[getattr(unknown, "provider")] == wanted["provider"], unknown
            assert getattr(unknown, "retry_safe") == wanted["retry_safe"], unknown
            cause = f"unexpected answer from {wanted['provider']} (HTTP {wanted['status']})"
            assert cause in getattr(unknown, "detail"), f"{unknown!r} lacks {cause!r}"
            assert set(wanted) <= {"kind", "provider", "retry_safe", "status"}, wanted
            return
        check(expect, "receipt", lambda: send_against_request(v), receipt_json)
    elif op == "decode_send":
        provider = enum_member(Provider, v["provider"], "provider")
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
        # Only a vector that expects the refusal of a misplaced field may be one (see replay).
        pytest.fail(f"{path.parent.name}/{path.stem} has no typed form: {why}")


def test_every_variant_is_one_field_named_after_its_tag() -> None:
    """What ``tagged`` relies on: the variants of Content and ProviderOptions take one annotated
    record, named as the JSON tag is (``Content.SMS(sms=...)``, ``ProviderOptions.CARE_SOFT(caresoft=...)``)."""
    tags = {Content: {"sms": Sms, "viber": Viber, "zns": Zns, "zns_bulk": ZnsBulk, "zalo_then_sms": ZaloThenSms, "generated_otp": GeneratedOtp},
            ProviderOptions: {"esms": EsmsOptions, "caresoft": CareSoftOptions, "interits": InterItsOptions},
            OtpChannel: {"zalo_then_sms": OtpMultiChannel, "sms": OtpSms}}
    for union, records in tags.items():
        assert set(variants(union)) == {norm(tag) for tag in records}, union
        for tag, payload in records.items():
            hints = typing.get_type_hints(getattr(variants(union)[norm(tag)], "__init__"))
            assert hints == {tag: payload}, (union, tag, hints)


def test_the_json_form_becomes_the_records() -> None:
    """The generic conversion on messages with every nested shape, compared with the records
    written out by hand."""
    message = message_of({
        "recipients": ["0901234567"],
        "content": {"viber": {"text": "t", "image_url": "https://e.vn/a.png",
                              "button": {"label": "Go", "url": "https://e.vn/x"}, "unicode": "strip"}},
        "sandbox": True,
        "options": {"interits": {"server_side_conversion": True, "ext": {"n": 1, "s": "Việt"}}},
    })
    assert message == Message(
        recipients=["0901234567"],
        content=Content.VIBER(viber=Viber(text="t", image_url="https://e.vn/a.png",
                                          button=ViberButton(label="Go", url="https://e.vn/x"),
                                          unicode=UnicodePolicy.STRIP)),
        sandbox=True,
        options=ProviderOptions.INTER_ITS(
            interits=InterItsOptions(server_side_conversion=True, ext='{"n": 1, "s": "Việt"}')),
    )
    zns = message_of({
        "recipients": ["0901234567"],
        "content": {"zns": {"oa_id": "123", "template_id": "301122",
                            "params": [{"name": "order", "value": "DH1"}], "hash_phone": True}},
        "request_id": "z-1",
        "options": {"esms": {"zns_version": "v5"}},
    })
    assert zns == Message(
        recipients=["0901234567"],
        content=Content.ZNS(zns=Zns(oa_id="123", template_id="301122",
                                    params=[ZnsParam(name="order", value="DH1")], hash_phone=True)),
        request_id="z-1",
        options=ProviderOptions.ESMS(esms=EsmsOptions(zns_version=EsmsZnsVersion.V5)),
    )
    assert message_of({"recipients": [], "content": {"zns": {"template_id": "1"}}}).content == Content.ZNS(
        zns=Zns(template_id="1", params=[], hash_phone=False, exceed_quota=False))
    for bad, where in [
        ({"recipients": [], "content": {"sms": {"purpose": "otp", "text": "x"}, "viber": {}}}, "one key"),
        ({"recipients": [], "content": {"email": {}}}, "'email'"),
        ({"recipients": [], "content": {"sms": {"purpose": "promo", "text": "x"}}}, "'promo'"),
        ({"recipients": [], "content": {"sms": {"purpose": "otp", "text": 1}}}, "not a str"),
        ({"recipients": [], "content": {"sms": {"purpose": "otp"}}}, "missing 1 required keyword-only argument: 'text'"),
        ({"recipients": [], "content": {"zns": {"template_id": "1", "text": "x"}}}, "'text'"),
        ({"recipients": [], "content": {"zns": {"template_id": "1", "params": [{"name": "a"}]}}}, "'value'"),
        ({"recipients": [], "content": {"zns": {"template_id": "1"}}, "options": {"esms": {"zns_version": "v7"}}},
         "'v7'"),
    ]:
        with pytest.raises(Unexpressible, match=where):
            message_of(bad)


def test_every_vector_file_is_a_case() -> None:
    on_disk = [
        os.path.join(folder, name)
        for folder, _, names in os.walk(VECTOR_DIR)
        for name in names
        if name.endswith(".json")
    ]
    assert len(VECTOR_FILES) == len(on_disk), "a vector sits outside tests/vectors/<folder>/"
    assert len(VECTOR_FILES) >= 260, f"only {len(VECTOR_FILES)} vectors under {VECTOR_DIR}"
