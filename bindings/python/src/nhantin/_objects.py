"""Copying and pickling of the generated objects (``Secret``, ``Client``, ``AccountState``,
``SendMachine``).

A UniFFI object is a Python wrapper around a handle to a Rust object, and UniFFI 0.32.2 gives it
no ``__copy__``, ``__deepcopy__`` or ``__reduce__``: ``copy.deepcopy(account)`` copied the handle
into a second wrapper, both freed it, and the heap was corrupted (the process aborted); ``pickle``
wrote the raw pointer. At import, :func:`install` gives every object class what it can honestly
do:

- ``Secret`` and ``Client`` never change once made, so a copy (shallow or deep, and so a deep copy
  of an ``Account`` or of a config holding a client) is the same object, as for a ``str``;
- ``AccountState`` and ``SendMachine`` are the state of one account's or one send's protocol:
  a copy would be a second state the provider knows nothing of, so copying raises ``TypeError``;
- none of them can be pickled (``TypeError``): a handle means nothing in another process, and a
  secret has no business on disk.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, NoReturn

# Objects that never change once made: a copy is the object itself.
IMMUTABLE = frozenset({"Secret", "Client"})


def _same(self: Any) -> Any:
    return self


def _same_deep(self: Any, memo: Any) -> Any:
    return self


def _refuse(self: Any) -> NoReturn:
    name = type(self).__name__
    raise TypeError(f"a {name} cannot be copied: it is the state of one protocol run; make a new one")


def _no_copy(self: Any) -> NoReturn:
    _refuse(self)


def _no_deepcopy(self: Any, memo: Any) -> NoReturn:
    _refuse(self)


def _no_pickle(self: Any, protocol: Any = None) -> NoReturn:
    name = type(self).__name__
    raise TypeError(f"a {name} cannot be pickled: it holds a handle to a native object (and maybe a secret)")


def install(generated: ModuleType) -> None:
    """Gives each object class of the generated module its copy and pickle behaviour."""
    for name, cls in vars(generated).items():
        if not isinstance(cls, type) or not hasattr(cls, "_uniffi_clone_handle"):
            continue
        # The public name (``Secret``), not the generated ``SecretProtocol`` implementation's.
        immutable = name in IMMUTABLE
        cls.__copy__ = _same if immutable else _no_copy  # type: ignore[attr-defined]
        cls.__deepcopy__ = _same_deep if immutable else _no_deepcopy  # type: ignore[attr-defined]
        cls.__reduce_ex__ = _no_pickle  # type: ignore[method-assign]
        cls.__reduce__ = _no_pickle  # type: ignore[method-assign,assignment]
