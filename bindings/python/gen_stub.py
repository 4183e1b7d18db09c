#!/usr/bin/env python3
"""Writes the type stub of the module UniFFI generates: src/nhantin/_uniffi/nhantin.pyi.

UniFFI 0.32.2's Python is typed almost everywhere, but three of its shapes are invisible to a
type checker, because they are built at run time:

- an error's variants (``NhantinError.OutcomeUnknown``) are added to the class after it is made,
  and their fields are untyped;
- a variant of an enum with data (``Account.ESMS``) is made a subclass of its enum only at run
  time (``Account.ESMS = type("Account.ESMS", (Account.ESMS, Account), {})``), so for mypy it is
  no ``Account``;
- a constructor without arguments (``AccountState()``) has no return annotation.

This script reads the committed module (``generated/nhantin.py``, written by ``cargo gen``) with
``ast`` and writes a stub with the same public names, signatures and docstrings, in which those
three are what they are at run time. Nothing is guessed: an error field's type is read from the
converter that writes it, every other type is copied from the generated annotations, and a
shape this script does not know stops it with an error instead of being left out.

    python3 bindings/python/gen_stub.py           # rewrite the stub
    python3 bindings/python/gen_stub.py --check   # fail if the committed stub differs (run-tests.sh)

The stub ships in the wheel next to the module (maturin packs ``src/nhantin/``), so that
``mypy --strict`` checks programs that use nhantin, and the package itself, without ignores.
"""

from __future__ import annotations

import ast
import difflib
import inspect
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENERATED = HERE / "generated" / "nhantin.py"
STUB = HERE / "src" / "nhantin" / "_uniffi" / "nhantin.pyi"
FIX = "python3 bindings/python/gen_stub.py"

CONVERTER = "_UniffiFfiConverter"
# What UniFFI's Python types its primitives as (the annotations of the generated records say
# the same: `int` for every integer, `float`, `str`, `bytes`, `bool`).
PRIMITIVES = {
    "String": "str",
    "Boolean": "bool",
    "Bytes": "bytes",
    "Float32": "float",
    "Float64": "float",
    **{f"{sign}Int{bits}": "int" for sign in ("", "U") for bits in (8, 16, 32, 64)},
    "Timestamp": "datetime.datetime",
    "Duration": "datetime.timedelta",
}
# Dunder methods a stub keeps (the others are UniFFI's plumbing or object's own).
DUNDERS = {"__init__", "__del__", "__repr__", "__str__", "__hash__"}


def immutable_objects() -> frozenset[str]:
    """The objects _objects.py copies as themselves: its IMMUTABLE, read from its source (one list)."""
    source = Path(__file__).resolve().parent / "src" / "nhantin" / "_objects.py"
    for node in ast.parse(source.read_text()).body:
        if isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == ["IMMUTABLE"]:
            value = ast.literal_eval(ast.unparse(node.value).removeprefix("frozenset(").removesuffix(")"))
            return frozenset(value)
    raise Unknown(f"{source.name}: no IMMUTABLE")


class Unknown(Exception):
    """A shape of generated code this script does not know: teach it, do not skip it."""


def fail(node: ast.AST, what: str) -> Unknown:
    return Unknown(f"{GENERATED.name}:{getattr(node, 'lineno', '?')}: {what}")


def public(name: str) -> bool:
    return not name.startswith("_")


def base_names(cls: ast.ClassDef) -> list[str]:
    return [ast.unparse(b) for b in cls.bases]


def docstring(node: ast.AST, indent: str) -> list[str]:
    assert isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef, ast.Module))
    doc = ast.get_docstring(node, clean=False)
    if doc is None or not doc.strip():
        return []
    text = inspect.cleandoc(doc).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = text.splitlines()
    if len(lines) == 1:
        return [f'{indent}"""{lines[0]}"""']
    return [f'{indent}"""{lines[0]}', *[f"{indent}{line}".rstrip() for line in lines[1:]], f'{indent}"""']


def converter_type(name: str, known: set[str], node: ast.AST) -> str:
    """The Python type a converter (`_UniffiFfiConverterOptionalTypeSafeResend`) lowers."""
    rest = name[len(CONVERTER):]

    def parse(s: str) -> str:
        if s.startswith("Optional"):
            return f"typing.Optional[{parse(s[len('Optional'):])}]"
        if s.startswith("Sequence"):
            return f"typing.List[{parse(s[len('Sequence'):])}]"
        if s.startswith("Map"):
            raise fail(node, f"a map converter ({name}): teach gen_stub.py to split its key and value")
        if s.startswith("Type"):
            if s[len("Type"):] not in known:
                raise fail(node, f"converter {name} names no public type")
            return s[len("Type"):]
        if s in PRIMITIVES:
            return PRIMITIVES[s]
        raise fail(node, f"unknown converter {name}")

    return parse(rest)


def error_fields(tree: ast.Module, known: set[str]) -> dict[str, list[tuple[str, str]]]:
    """Each error variant's fields and their types, from its converter's `write`:
    ``if isinstance(value, NhantinError.Rejected): ... _UniffiFfiConverterTypeProvider.write(value.provider, buf)``."""
    fields: dict[str, list[tuple[str, str]]] = {}
    for cls in tree.body:
        if not (isinstance(cls, ast.ClassDef) and cls.name.startswith(CONVERTER + "Type")):
            continue
        for fn in cls.body:
            if not (isinstance(fn, ast.FunctionDef) and fn.name == "write"):
                continue
            for stmt in fn.body:
                if not (isinstance(stmt, ast.If) and isinstance(stmt.test, ast.Call)
                        and ast.unparse(stmt.test.func) == "isinstance" and len(stmt.test.args) == 2):
                    continue
                variant = ast.unparse(stmt.test.args[1])
                found: list[tuple[str, str]] = []
                for call in stmt.body:
                    if not (isinstance(call, ast.Expr) and isinstance(call.value, ast.Call)):
                        continue
                    func = call.value.func
                    args = call.value.args
                    if (isinstance(func, ast.Attribute) and func.attr == "write" and isinstance(func.value, ast.Name)
                            and func.value.id.startswith(CONVERTER) and args and isinstance(args[0], ast.Attribute)):
                        found.append((args[0].attr, converter_type(func.value.id, known, call)))
                fields[variant] = found
    return fields


class Stub:
    def __init__(self, source: str) -> None:
        self.tree = ast.parse(source)
        self.top = [n for n in self.tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))]
        self.known = {n.name for n in self.top if isinstance(n, ast.ClassDef) and public(n.name)}
        self.errors = {
            n.name: n for n in self.top if isinstance(n, ast.ClassDef) and any(
                isinstance(c, ast.ClassDef) and any(b.startswith("_UniffiTemp") for b in base_names(c)) for c in n.body)
        }
        self.error_fields = error_fields(self.tree, self.known)
        self.all = self.exported()

    def exported(self) -> list[str]:
        for node in self.tree.body:
            if isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == ["__all__"]:
                names = ast.literal_eval(node.value)
                assert isinstance(names, list) and all(isinstance(n, str) for n in names)
                return names
        raise fail(self.tree, "no __all__")

    # ---- signatures -----------------------------------------------------------------------

    def annotation(self, arg: ast.arg, default: ast.expr | None, where: ast.AST) -> str:
        if arg.annotation is None:
            raise fail(where, f"parameter {arg.arg} has no annotation")
        text = ast.unparse(arg.annotation)
        # `x: typing.Union[object, T] = _DEFAULT`: the sentinel stands for "left out"; what a
        # caller passes is a T.
        if (default is not None and ast.unparse(default) == "_DEFAULT" and isinstance(arg.annotation, ast.Subscript)
                and ast.unparse(arg.annotation.value) == "typing.Union"):
            elements = arg.annotation.slice
            if isinstance(elements, ast.Tuple) and len(elements.elts) == 2 and ast.unparse(elements.elts[0]) == "object":
                text = ast.unparse(elements.elts[1])
        return text

    def parameters(self, fn: ast.FunctionDef | ast.AsyncFunctionDef, types: dict[str, str] | None = None) -> str:
        a = fn.args
        if a.posonlyargs:
            raise fail(fn, "positional-only parameters")
        out: list[str] = []
        positional = a.args
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
        for i, (arg, default) in enumerate(zip(positional, defaults)):
            if i == 0 and arg.arg in ("self", "cls"):
                out.append(arg.arg)
                continue
            out.append(self.param(arg, default, fn, types))
        if a.vararg is not None:
            out.append(f"*{a.vararg.arg}: typing.Any")
        elif a.kwonlyargs:
            out.append("*")
        for arg, kw_default in zip(a.kwonlyargs, a.kw_defaults):
            out.append(self.param(arg, kw_default, fn, types))
        if a.kwarg is not None:
            out.append(f"**{a.kwarg.arg}: typing.Any")
        return ", ".join(out)

    def param(self, arg: ast.arg, default: ast.expr | None, fn: ast.AST, types: dict[str, str] | None) -> str:
        if types is not None:
            if arg.arg not in types:
                raise fail(fn, f"no type for {arg.arg}")
            text = types[arg.arg]
        else:
            text = self.annotation(arg, default, fn)
        return f"{arg.arg}: {text}" + (" = ..." if default is not None else "")

    def returns(self, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
        if fn.returns is not None:
            return ast.unparse(fn.returns)
        # Unannotated: only a function that returns nothing (`__init__`, `uniffi_set_event_loop`).
        for node in ast.walk(fn):
            if isinstance(node, ast.Return) and node.value is not None:
                raise fail(fn, f"{fn.name} returns a value but has no return annotation")
        return "None"

    def function(self, fn: ast.FunctionDef | ast.AsyncFunctionDef, indent: str,
                 types: dict[str, str] | None = None) -> Iterator[str]:
        for deco in fn.decorator_list:
            name = ast.unparse(deco)
            if name not in ("staticmethod", "classmethod"):
                raise fail(fn, f"decorator @{name}")
            yield f"{indent}@{name}"
        keyword = "async def" if isinstance(fn, ast.AsyncFunctionDef) else "def"
        head = f"{indent}{keyword} {fn.name}({self.parameters(fn, types)}) -> {self.returns(fn)}:"
        doc = docstring(fn, indent + "    ")
        if doc:
            yield head
            yield from doc
            yield f"{indent}    ..."
        else:
            yield head + " ..."

    # ---- classes ------------------------------------------------------------------------------

    @staticmethod
    def methods(cls: ast.ClassDef) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
        return [f for f in cls.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                and (public(f.name) or f.name in DUNDERS)]

    @staticmethod
    def init(cls: ast.ClassDef) -> ast.FunctionDef | None:
        for f in cls.body:
            if isinstance(f, ast.FunctionDef) and f.name == "__init__":
                return f
        return None

    def fields(self, init: ast.FunctionDef) -> list[tuple[str, str]]:
        """A record's fields: its constructor's parameters (each becomes `self.<name>`)."""
        a = init.args
        params = a.args[1:] + a.kwonlyargs
        defaults = [None] * (len(a.args) - 1 - len(a.defaults)) + list(a.defaults) + list(a.kw_defaults)
        assigned = {t.attr for n in ast.walk(init) if isinstance(n, ast.Assign)
                    for t in n.targets if isinstance(t, ast.Attribute)}
        out = []
        for arg, default in zip(params, defaults):
            if arg.arg not in assigned:
                raise fail(init, f"parameter {arg.arg} is not stored as a field")
            out.append((arg.arg, self.annotation(arg, default, init)))
        return out

    def record(self, cls: ast.ClassDef, indent: str, bases: str) -> Iterator[str]:
        init = self.init(cls)
        if init is None:
            raise fail(cls, f"record {cls.name} without a constructor")
        yield f"{indent}class {cls.name}{bases}:"
        yield from docstring(cls, indent + "    ")
        for name, text in self.fields(init):
            yield f"{indent}    {name}: {text}"
        if "dataclass" in [ast.unparse(d) for d in cls.decorator_list]:
            # A @dataclass without dataclass fields: matched by keyword only (`case Sms(text=t)`).
            yield f"{indent}    __match_args__ = ()"
        yield from self.function(init, indent + "    ")

    def enum_with_data(self, cls: ast.ClassDef) -> Iterator[str]:
        yield f"class {cls.name}:"
        yield from docstring(cls, "    ")
        for variant in cls.body:
            if isinstance(variant, ast.ClassDef):
                yield from self.record(variant, "    ", f"({cls.name})")
        for fn in self.methods(cls):
            if fn.name != "__init__":  # it raises: only the variants are made
                yield from self.function(fn, "    ")

    def error(self, first: ast.ClassDef) -> Iterator[str]:
        full = self.errors[first.name]
        yield f"class {first.name}(Exception):"
        yield from docstring(first, "    ")
        for variant in full.body:
            if not isinstance(variant, ast.ClassDef):
                continue
            qualified = f"{first.name}.{variant.name}"
            if qualified not in self.error_fields:
                raise fail(variant, f"no converter writes {qualified}")
            fields = self.error_fields[qualified]
            init = self.init(variant)
            if init is None or [a.arg for a in init.args.args[1:]] != [f for f, _ in fields]:
                raise fail(variant, f"{qualified}: constructor parameters differ from the written fields")
            yield f"    class {variant.name}({first.name}):"
            yield from docstring(variant, "        ")
            for name, text in fields:
                yield f"        {name}: {text}"
            yield from self.function(init, "        ", dict(fields))

    def plain_class(self, cls: ast.ClassDef) -> Iterator[str]:
        """An object (Client, Secret), a protocol, a foreign trait (Logger), InternalError."""
        bases = base_names(cls)
        yield f"class {cls.name}({', '.join(bases)}):" if bases else f"class {cls.name}:"
        body = [*docstring(cls, "    ")]
        for fn in self.methods(cls):
            body.extend(self.function(fn, "    "))
        if any(isinstance(f, ast.FunctionDef) and f.name == "_uniffi_clone_handle" for f in cls.body):
            # What _objects.py installs on every object: itself as its copy, or a refusal.
            copied = cls.name if cls.name in immutable_objects() else "typing.NoReturn"
            body.append(f"    def __copy__(self) -> {copied}: ...")
            body.append(f"    def __deepcopy__(self, memo: typing.Any) -> {copied}: ...")
        yield from body or ["    ..."]

    def kind(self, cls: ast.ClassDef) -> str:
        bases = base_names(cls)
        nested = [c for c in cls.body if isinstance(c, ast.ClassDef)]
        own = {f.name for f in cls.body if isinstance(f, ast.FunctionDef)}
        if cls.name in self.errors:
            return "error" if bases == ["Exception"] else "error-variants"
        if bases == ["enum.Enum"]:
            return "enum"
        if nested:
            if bases:
                raise fail(cls, f"{cls.name}: nested classes in a class with bases")
            return "enum-with-data"
        if not bases and {"__init__", "__str__", "__eq__"} <= own:
            return "record"
        return "plain"

    def enum(self, cls: ast.ClassDef) -> Iterator[str]:
        yield f"class {cls.name}(enum.Enum):"
        yield from docstring(cls, "    ")
        for stmt in cls.body:
            if isinstance(stmt, ast.Assign):
                if len(stmt.targets) != 1 or not isinstance(stmt.value, ast.Constant):
                    raise fail(stmt, f"{cls.name}: a member that is not `NAME = <constant>`")
                yield f"    {ast.unparse(stmt.targets[0])} = {ast.unparse(stmt.value)}"
            elif not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)):
                raise fail(stmt, f"{cls.name}: an enum body holds more than members and docstrings")

    def render(self) -> str:
        out = [
            "# The type stub of nhantin.py, the module UniFFI generates; written by bindings/python/gen_stub.py",
            "# from bindings/python/generated/nhantin.py. Do not edit: run `" + FIX + "` after `cargo gen`.",
            "# It declares what the module is at run time: error variants with typed fields, enum variants",
            "# as subclasses of their enum.",
            "",
            "import asyncio",
            "import datetime",
            "import enum",
            "import typing",
            "",
            "__all__ = [",
            *[f'    "{name}",' for name in self.all],
            "]",
        ]
        emitted: set[str] = set()
        for node in self.top:
            if not public(node.name):
                continue
            if isinstance(node, ast.ClassDef):
                kind = self.kind(node)
                if kind == "error-variants":
                    continue  # emitted with the error's first definition
                lines = {
                    "error": self.error,
                    "enum": self.enum,
                    "enum-with-data": self.enum_with_data,
                    "record": lambda c: self.record(c, "", ""),
                    "plain": self.plain_class,
                }[kind](node)
            else:
                lines = self.function(node, "")
            if node.name in emitted:
                raise fail(node, f"{node.name} is defined twice")
            emitted.add(node.name)
            out.extend(["", "", *lines])
        missing = [n for n in self.all if n not in emitted]
        if missing:
            raise fail(self.tree, f"exported but not understood: {missing}")
        return "\n".join(out) + "\n"


def main(argv: Iterable[str]) -> int:
    args = list(argv)
    check = args == ["--check"]
    if args and not check:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        text = Stub(GENERATED.read_text(encoding="utf-8")).render()
    except Unknown as e:
        print(f"gen_stub.py: {e}", file=sys.stderr)
        return 1
    if check:
        current = STUB.read_text(encoding="utf-8") if STUB.is_file() else ""
        if current != text:
            diff = difflib.unified_diff(current.splitlines(), text.splitlines(), str(STUB), "generated", lineterm="", n=1)
            print("\n".join(list(diff)[:40]), file=sys.stderr)
            print(f"{STUB.relative_to(HERE.parents[1])} is stale: run `{FIX}`", file=sys.stderr)
            return 1
        print(f"{STUB.relative_to(HERE.parents[1])} is up to date")
        return 0
    STUB.parent.mkdir(parents=True, exist_ok=True)
    STUB.write_text(text, encoding="utf-8")
    print(f"wrote {STUB.relative_to(HERE.parents[1])} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
