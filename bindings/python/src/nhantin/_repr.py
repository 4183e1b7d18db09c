"""A ``repr`` that shows the fields of every generated record, enum variant and error.

UniFFI 0.32.2 gives records and enum variants a ``__str__`` with their fields, but they are
``@dataclass`` classes without dataclass fields, so their ``repr`` is ``Balance()``: a list of
results in a log line, a debugger or a test failure shows nothing. At import, :func:`install`
walks the generated module and gives each such class a ``__repr__`` built from its
constructor's parameters (the generated ``__init__`` stores each one as the field of that
name), with each value's own ``repr``: ``SendResult(status=SendStatus.ACCEPTED,
request_id='order-42', attempts=1, receipt=Receipt(...))``, which reads back as the value.

Nothing secret is added: a ``Secret`` prints ``***`` (its ``repr`` is the Rust ``Debug``), and the
one record nhantin hands out that holds keys in the clear, the ``HttpRequest`` of a send
machine's transmit step (and ``encode_send``), shows its URL, headers' values and body only as
placeholders: its ``redacted_url`` is the form to log. A header that carries a credential
(``Authorization``, ``API-KEY``, ...) shows ``value=<hidden>`` wherever it appears. Errors keep the
generator's ``repr`` form, each value shown as above so that it reads back. What a record
holds because the caller put it there (a ``Message``'s text and recipients) it shows, as its
``str`` always has.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable
from types import ModuleType
from typing import Any

# Header names whose value is a credential (compared case-insensitively).
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "api-key", "x-api-key", "cookie", "set-cookie"})


def _request_headers(request: Any) -> str:
    return "[" + ", ".join(f"HttpHeader(name={h.name!r}, value=<hidden>)" for h in request.headers) + "]"


def _header_value(header: Any) -> str:
    name = header.name
    return "<hidden>" if isinstance(name, str) and name.lower() in SECRET_HEADERS else repr(header.value)


def masked_phone(value: Any) -> str:
    """A phone (or Zalo user id) a provider reported, as nhantin shows phones (``'091****678'``):
    the library's own rule, ``mask_phones``, so that it is written once."""
    from ._uniffi.nhantin import mask_phones

    return "None" if value is None else repr(mask_phones(str(value)))


# Per record: a field shown other than by its value's repr, and how (given the record).
SPECIAL: dict[str, dict[str, Callable[[Any], str]]] = {
    # The exact request to transmit: keys in the URL (eSMS GET), the headers (InterITS API-KEY,
    # CareSoft bearer token) and the body (eSMS JSON/XML), with phone numbers and the text.
    "HttpRequest": {
        "url": lambda _: "<hidden: see redacted_url>",
        "headers": _request_headers,
        "body": lambda request: f"<{len(request.body)} bytes hidden>",
    },
    "HttpHeader": {"value": _header_value},
    # Phones the provider reports back (a delivery report, a receiver status, a sent-data row,
    # an InterITS callback): a result printed to a log shows them masked, as nhantin's own logs
    # do; the field itself holds the whole number.
    "DeliveryReport": {"phone": lambda r: masked_phone(r.phone)},
    "ReceiverStatus": {"phone": lambda r: masked_phone(r.phone)},
    "SentRow": {"phone": lambda r: masked_phone(r.phone)},
    "InterItsCallback": {"msisdn": lambda r: masked_phone(r.msisdn)},
}

# Records whose generated ``str`` would show those phones whole: their ``str`` is the masked
# ``repr``.
MASKED_STR = frozenset({"DeliveryReport", "ReceiverStatus", "SentRow", "InterItsCallback"})


def show(value: Any) -> str:
    """A field's value: its repr, with enum members as ``Name.MEMBER`` (how they are written)."""
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return repr(value)


def field_names(cls: type) -> list[str]:
    """A generated record's fields: the parameters of its constructor, in order."""
    return list(inspect.signature(cls).parameters)


def make_repr(cls: type) -> Callable[[object], str]:
    name = cls.__qualname__  # `Balance`, or `Account.ESMS` for a variant (its class is named so)
    fields = field_names(cls)
    special = SPECIAL.get(name, {})

    def __repr__(self: object) -> str:
        shown = (special[f](self) if f in special else show(getattr(self, f)) for f in fields)
        return f"{name}({', '.join(f'{f}={text}' for f, text in zip(fields, shown))})"

    __repr__.__qualname__ = f"{name}.__repr__"
    return __repr__


def is_record(cls: type) -> bool:
    """A generated record or enum variant: its own ``__str__`` lists its fields, and it is no
    Rust object (those have a handle, and their ``repr`` if any is the Rust ``Debug``)."""
    return any("__str__" in vars(c) for c in cls.__mro__[:-1]) and not hasattr(cls, "_uniffi_clone_handle")


def variants(cls: type) -> list[type]:
    """The variants of an enum with data: nested classes that are subclasses of it."""
    return [v for v in vars(cls).values() if isinstance(v, type) and v is not cls and issubclass(v, cls)]


def make_error_repr(outer: str, cls: type) -> Callable[[object], str]:
    """An error variant's ``repr`` as the call that makes it, so that ``eval`` gives it back:
    the generator's shows enum members as ``<Provider.ESMS: 0>``."""
    name = f"{outer}.{cls.__name__}"
    fields = list(inspect.signature(cls).parameters)

    def __repr__(self: object) -> str:
        return f"{name}({', '.join(f'{f}={show(getattr(self, f))}' for f in fields)})"

    __repr__.__qualname__ = f"{name}.__repr__"
    return __repr__


def error_variants(cls: type) -> list[type]:
    """The variants of a generated error (``NhantinError.Rejected``, …): its nested exceptions."""
    return [v for v in vars(cls).values() if isinstance(v, type) and issubclass(v, BaseException)]


def install(module: ModuleType) -> list[type]:
    """Gives every record, enum variant and error variant of ``module`` its ``__repr__``; returns
    the classes."""
    patched: list[type] = []
    for name in module.__all__:
        cls = getattr(module, name)
        if isinstance(cls, type) and not issubclass(cls, enum.Enum) and error_variants(cls):
            for v in error_variants(cls):
                setattr(v, "__repr__", make_error_repr(name, v))
                patched.append(v)
            continue
        if not isinstance(cls, type) or issubclass(cls, (enum.Enum, BaseException)):
            continue  # plain enums print as <Name.MEMBER: n>
        found = variants(cls)
        if not found and is_record(cls):
            found = [cls]
        for c in found:
            setattr(c, "__repr__", make_repr(c))
            # A variant is rebuilt as a subclass of its nested class, which lost its docstring
            # from `__doc__` (help() still found it through the base).
            if c.__doc__ is None:
                c.__doc__ = inspect.getdoc(c)
            if c.__qualname__ in MASKED_STR:
                setattr(c, "__str__", c.__repr__)
            patched.append(c)
    return patched
