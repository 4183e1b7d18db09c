"""``repr`` of the generated records, enum variants and errors (src/nhantin/_repr.py).

UniFFI 0.32.2's records are ``@dataclass`` classes without dataclass fields: left alone, their
``repr`` is ``Balance()``. nhantin gives each a ``repr`` of its fields at import. Every public
class of the generated module is sorted here by its shape, independently of how ``_repr`` finds
them, so a class the generator adds in a new shape fails this file instead of printing nothing;
each record and variant is built from its annotations and printed.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import typing
from typing import Any

import pytest

import nhantin
from emulator_support import BRAND
from nhantin import (
    Account,
    AccountState,
    ClientOptions,
    Content,
    EsmsFormat,
    EsmsOptions,
    HttpHeader,
    Message,
    NhantinError,
    PhoneFormat,
    Provider,
    ProviderOptions,
    SafeResend,
    Secret,
    SendMachine,
    SendStep,
    Sms,
    SmsPurpose,
    UnknownSend,
    encode_send,
)
# The generated module as it is at run time (its converters and helpers are not in the stub).
generated: Any = importlib.import_module("nhantin._uniffi.nhantin")
NAMESPACE = vars(nhantin)
KEY = "KEY-7f3a9c-LEAK"
PHONE = "0912345678"
TEXT = "SECRET-OTP-778899"


def public_classes() -> list[type]:
    return [c for c in (getattr(generated, n) for n in generated.__all__) if isinstance(c, type)]


def variants(cls: type) -> list[type]:
    return [v for v in vars(cls).values() if isinstance(v, type) and v is not cls and issubclass(v, cls)]


def shape(cls: type) -> str:
    if issubclass(cls, enum.Enum):
        return "enum"
    if issubclass(cls, BaseException):
        return "error"
    if hasattr(cls, "_uniffi_clone_handle"):
        return "object"  # a Rust object behind a handle (Client, Secret, ...)
    if getattr(cls, "_is_protocol", False):
        return "protocol"
    if cls is generated.Logger:
        return "foreign trait"
    if variants(cls):
        return "enum with data"
    assert "__str__" in vars(cls), f"{cls.__name__}: a shape this test does not know"
    return "record"


SHAPES = {c: shape(c) for c in public_classes()}
RECORDS = [c for c, s in SHAPES.items() if s == "record"] + [
    v for c, s in SHAPES.items() if s == "enum with data" for v in variants(c)]


def sample(tp: Any) -> Any:
    """A value of the annotated type: the first enum member, the first variant, a record built
    the same way; a Secret holding KEY."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Union:
        return sample(next(a for a in args if a is not type(None)))
    if origin is list:
        return [sample(args[0])]
    simple = {str: "s", int: 7, float: 1.5, bool: True, bytes: b"b"}
    if tp in simple:
        return simple[tp]
    if tp is Secret:
        return Secret(KEY)
    if tp is NhantinError:
        return NhantinError.Transport("no connection")
    assert isinstance(tp, type), tp
    if issubclass(tp, enum.Enum):
        return next(iter(tp))
    if SHAPES.get(tp) == "enum with data":
        return build(variants(tp)[0])
    return build(tp)


def build(cls: type) -> Any:
    hints = typing.get_type_hints(getattr(cls, "__init__"), vars(generated))
    return cls(**{name: sample(hints[name]) for name in inspect.signature(cls).parameters})


def test_every_public_class_has_a_known_shape() -> None:
    counts: dict[str, int] = {}
    for s in SHAPES.values():
        counts[s] = counts.get(s, 0) + 1
    assert set(counts) == {"enum", "error", "object", "protocol", "foreign trait", "enum with data", "record"}
    assert counts["record"] >= 40 and len(RECORDS) >= counts["record"] + 30, counts


@pytest.mark.parametrize("cls", RECORDS, ids=[c.__qualname__ for c in RECORDS])
def test_repr_shows_every_field(cls: type) -> None:
    value = build(cls)
    text = repr(value)
    fields = list(inspect.signature(cls).parameters)
    assert text.startswith(f"{cls.__qualname__}(") and text.endswith(")"), text
    for field in fields:
        assert f"{field}=" in text, f"{field} missing from {text}"
    assert KEY not in text, text
    assert str(value).startswith(f"{cls.__qualname__}("), "str stays the generated one"
    if "***" not in text and "<" not in text and "NhantinError" not in text:
        # What it shows reads back as the same value.
        assert eval(text, NAMESPACE) == value, text


def test_repr_reads_like_the_call_that_made_it() -> None:
    message = Message(recipients=[PHONE], content=Content.SMS(sms=Sms(purpose=SmsPurpose.OTP, text="Mã 1", sender=BRAND)),
                      request_id="order-42", options=ProviderOptions.ESMS(esms=EsmsOptions(format=EsmsFormat.XML)))
    assert repr(message) == (
        "Message(recipients=['0912345678'], content=Content.SMS(sms=Sms(purpose=SmsPurpose.OTP, text='Mã 1', "
        "sender='NHANTIN', unicode=None)), schedule=None, request_id='order-42', callback_url=None, sandbox=False, "
        "options=ProviderOptions.ESMS(esms=EsmsOptions(format=EsmsFormat.XML, campaign_id=None, zns_version=None)))"
    )
    assert eval(repr(message), NAMESPACE) == message
    assert repr([SafeResend(request_id="r", first_sent_at_ms=1, until_ms=None)]) == \
        "[SafeResend(request_id='r', first_sent_at_ms=1, until_ms=None)]"


def test_errors_show_their_fields_and_nested_records() -> None:
    for cls in variants(NhantinError):
        names = list(inspect.signature(cls).parameters)
        err = cls(*[f"v{i}" for i in range(len(names))])
        text = repr(err)
        assert text.startswith(f"NhantinError.{cls.__name__}("), text
        assert all(f"{n}=" in text for n in names), text
    unknown = NhantinError.OutcomeUnknown(
        Provider.ESMS, "no answer", True, "r-1", SafeResend(request_id="r-1", first_sent_at_ms=1, until_ms=2),
        UnknownSend(provider=Provider.ESMS, request_id="r-1", attempts=2, first_sent_at_ms=1, last_sent_at_ms=3))
    text = repr(unknown)
    assert "resend=SafeResend(request_id='r-1', first_sent_at_ms=1, until_ms=2)" in text, text
    assert "unknown=UnknownSend(provider=Provider.ESMS, request_id='r-1', attempts=2" in text, text


def test_accounts_and_client_options_never_show_a_key() -> None:
    values: list[object] = [
        Account.ESMS(api_key=Secret(KEY), secret_key=Secret(KEY + "2"), base_url="https://e.vn/"),
        Account.CARE_SOFT(domain="demo", api_token=Secret(KEY), service_id=12),
        Account.INTER_ITS(api_key=Secret(KEY), phone_format=PhoneFormat.INTERNATIONAL, dedup_confirmed=True),
        ClientOptions(proxy=Secret(f"http://user:{KEY}@proxy.example:8080")),
        Secret(KEY),
    ]
    for value in values:
        for text in (repr(value), str(value), repr([value])):
            assert KEY not in text, text
            assert "***" in text, text
    assert repr(values[0]) == "Account.ESMS(api_key=***, secret_key=***, base_url='https://e.vn/')"
    assert repr(values[3]).startswith("ClientOptions(connect_timeout_ms=10000, ") and "proxy=***" in repr(values[3])


def test_a_request_to_transmit_shows_no_key_phone_or_text() -> None:
    """The HttpRequest of encode_send and of a send machine's TRANSMIT step holds keys in the
    clear (the exact request to send); its repr shows them only as placeholders."""
    sms = Content.SMS(sms=Sms(purpose=SmsPurpose.OTP, text=TEXT, sender=BRAND))
    cases: list[tuple[Account, Message]] = [
        (Account.ESMS(api_key=Secret(KEY), secret_key=Secret(KEY)),
         Message(recipients=[PHONE], content=Content.SMS(sms=Sms(purpose=SmsPurpose.FIXED_NUMBER, text=TEXT)),
                 request_id="r-1", options=ProviderOptions.ESMS(esms=EsmsOptions(format=EsmsFormat.GET)))),
        (Account.ESMS(api_key=Secret(KEY), secret_key=Secret(KEY)), Message(recipients=[PHONE], content=sms, request_id="r-1")),
        (Account.CARE_SOFT(domain="demo", api_token=Secret(KEY), service_id=12),
         Message(recipients=[PHONE], content=Content.SMS(sms=Sms(purpose=SmsPurpose.CUSTOMER_CARE, text=TEXT)))),
        (Account.INTER_ITS(api_key=Secret(KEY)), Message(recipients=[PHONE], content=sms, request_id="r-1")),
    ]
    for account, message in cases:
        request = encode_send(account, message, "2026-01-01T00:00:00Z")
        clear = request.url + "".join(h.value for h in request.headers) + request.body.decode()
        assert KEY in clear and (PHONE in clear or "84912345678" in clear), "the test's premise"
        step = SendMachine(account, message, 1_780_000_000_000).poll(AccountState(), 1_780_000_000_000)
        assert isinstance(step, SendStep.TRANSMIT)
        for text in (repr(request), repr(step), repr(request.headers)):
            for canary in (KEY, PHONE, "912345678", TEXT):
                assert canary not in text, text
        assert f"redacted_url={request.redacted_url!r}" in repr(request)
        assert f"body=<{len(request.body)} bytes hidden>" in repr(request)
        assert repr(step).startswith("SendStep.TRANSMIT(request=HttpRequest(method=")


def test_a_credential_header_hides_its_value() -> None:
    assert repr(HttpHeader(name="Authorization", value=f"Bearer {KEY}")) == "HttpHeader(name='Authorization', value=<hidden>)"
    assert repr(HttpHeader(name="api-key", value=KEY)) == "HttpHeader(name='api-key', value=<hidden>)"
    assert repr(HttpHeader(name="Retry-After", value="7")) == "HttpHeader(name='Retry-After', value='7')"


def test_a_phone_a_provider_reports_back_prints_masked() -> None:
    """A delivery report (or a receiver status, a sent-data row, an InterITS callback) printed to a
    log used to show the recipient's whole number; the field still holds it."""
    report = nhantin.parse_delivery_report("SMSID=a1&SendStatus=5&SendSuccess=1&SendFailed=0&TypeId=2&phonenumber=0912345678")
    assert report.phone == "0912345678"
    for text in (repr(report), str(report)):
        assert "phone='091****678'" in text and "0912345678" not in text, text
    callback = nhantin.parse_interits_callback(b'{"requestId":"r1","msisdn":"84912345678","status":1}')
    assert callback.msisdn == "84912345678"
    assert "msisdn='849*****678'" in repr(callback) and "84912345678" not in str(callback), repr(callback)


def test_an_error_repr_reads_back() -> None:
    """The generator's showed enum members as ``<Provider.ESMS: 0>``, which does not read back."""
    err = NhantinError.Rejected(provider=Provider.ESMS, reason=nhantin.Rejection.UNKNOWN_OAID, code="204", provider_message="OAID is not exist")
    text = repr(err)
    assert text == ("NhantinError.Rejected(provider=Provider.ESMS, reason=Rejection.UNKNOWN_OAID, code='204', "
                    "provider_message='OAID is not exist')"), text
    again = eval(text, NAMESPACE)
    assert isinstance(again, NhantinError.Rejected) and repr(again) == text


def test_a_variant_carries_its_doc_comment() -> None:
    assert nhantin.RecipientResult.REFUSED.__doc__ == "Refused: not sent; resending it unchanged fails again."
    assert nhantin.Content.SMS.__doc__ == "An SMS."
