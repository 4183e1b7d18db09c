"""The type stub of the generated module (src/nhantin/_uniffi/nhantin.pyi, written by
gen_stub.py) and the README examples that mypy checks through it.

A stub can lie in two ways: by drifting from the module (``stubtest`` imports the installed
module and compares every name, signature and class with the stub) and by being too lenient
(mypy must still reject wrong programs, which a stub of ``Any`` would not).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import nhantin

HERE = Path(__file__).resolve().parents[1]  # bindings/python
REPO_ROOT = HERE.parents[1]
STUB = HERE / "src" / "nhantin" / "_uniffi" / "nhantin.pyi"
SNIPPETS = HERE / "examples" / "readme_snippets.py"
READMES = [HERE / "README.md", REPO_ROOT / "README.md"]


def test_the_committed_stub_is_what_gen_stub_writes() -> None:
    done = subprocess.run([sys.executable, str(HERE / "gen_stub.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_wheel_ships_the_committed_stub() -> None:
    shipped = Path(nhantin.__file__).resolve().parent / "_uniffi" / "nhantin.pyi"
    assert shipped.read_bytes() == STUB.read_bytes()


def mypy_config(tmp_path: Path) -> Path:
    config = tmp_path / "mypy.ini"
    config.write_text(f"[mypy]\ncache_dir = {tmp_path / 'cache'}\n")
    return config


def test_stubtest_finds_the_stub_true_to_the_installed_module(tmp_path: Path) -> None:
    allowlist = tmp_path / "allowlist.txt"
    allowlist.write_text("# the native library next to the module, not a Python module\nnhantin._uniffi.libnhantin\n")
    done = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "nhantin", "--allowlist", str(allowlist),
         "--mypy-config-file", str(mypy_config(tmp_path))],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success" in done.stdout


def mypy_strict(tmp_path: Path, code: str) -> list[str]:
    program = tmp_path / "program.py"
    program.write_text(textwrap.dedent(code))
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(mypy_config(tmp_path)), str(program)],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )
    return [line.split(": error: ", 1)[1] for line in done.stdout.splitlines() if ": error: " in line]


def test_mypy_sees_the_variants_and_their_fields(tmp_path: Path) -> None:
    errors = mypy_strict(tmp_path, """
        from typing import Optional
        from typing_extensions import assert_type
        from nhantin import (Account, AccountState, Client, ClientOptions, Content, LogLevel, Message, NhantinError,
                             SafeResend, Secret, SendResult, SendStep, Sms, SmsPurpose, configure_logging)

        account: Account = Account.ESMS(api_key=Secret("k"), secret_key=Secret("s"))
        client = Client(account, ClientOptions())
        message = Message(recipients=["0912345678"], content=Content.SMS(sms=Sms(purpose=SmsPurpose.OTP, text="x")))
        state = AccountState()
        try:
            client.send(message)
        except NhantinError.OutcomeUnknown as e:
            assert_type(e.resend, Optional[SafeResend])
            assert_type(e.request_id, Optional[str])
        except NhantinError.InvalidInput as e:
            assert_type(e.field, str)
        except NhantinError as e:
            pass

        def step(s: SendStep) -> int:
            if isinstance(s, SendStep.WAIT):
                return s.until_ms
            return 0

        async def later() -> None:
            assert_type(await client.send_async(message), SendResult)

        assert_type(configure_logging(), Optional[LogLevel])
    """)
    assert errors == []


def test_mypy_still_rejects_what_is_wrong(tmp_path: Path) -> None:
    errors = mypy_strict(tmp_path, """
        from nhantin import Account, Client, Message, NhantinError, Secret, SendResult, SendStep

        a: Account = Account.ESMS(api_key="a plain str", secret_key=Secret("s"))

        def f(e: NhantinError.OutcomeUnknown) -> str:
            return e.resend.request_id

        def g(s: SendStep) -> int:
            return s.until_ms

        async def h(c: Client, m: Message) -> None:
            r: str = await c.send_async(m)

        NhantinError.Rejected("no provider")
    """)
    expected = [
        r'Argument "api_key" to "ESMS" has incompatible type "str"; expected "Secret"',
        r'Item "None" of "SafeResend \| None" has no attribute "request_id"',
        r'Returning Any from function declared to return "int"',  # (what the next one leaves)
        r'"SendStep" has no attribute "until_ms"',
        r'Incompatible types in assignment \(expression has type "SendResult", variable has type "str"\)',
        r'Missing positional arguments "reason", "code", "provider_message" in call to "Rejected"',
        r'Argument 1 to "Rejected" has incompatible type "str"; expected "Provider"',
    ]
    assert len(errors) == len(expected), errors
    for pattern, error in zip(expected, errors):
        assert re.search(pattern, error), (pattern, error)


def readme_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def snippet_texts() -> list[str]:
    """Each function of readme_snippets.py: its body after the docstring, dedented; and each
    function as a whole (a README block that is itself a function)."""
    source = SNIPPETS.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    nodes = ast.parse(source).body
    texts = []
    for node, following in zip(nodes, [*nodes[1:], None]):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        # Up to the next top-level statement: a block's trailing comment is no part of the AST.
        end = len(lines) if following is None else following.lineno - 1
        texts.append("".join(lines[node.lineno - 1:end]))
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]
        if body:
            texts.append(textwrap.dedent("".join(lines[body[0].lineno - 1:end])))
    return texts


@pytest.mark.parametrize("readme", READMES, ids=[str(p.relative_to(REPO_ROOT)) for p in READMES])
def test_every_readme_python_block_is_type_checked_in_the_examples(readme: Path) -> None:
    blocks = readme_blocks(readme)
    assert blocks, f"{readme} has no python block"
    texts = [t.strip("\n") for t in snippet_texts()]
    for block in blocks:
        assert block.strip("\n") in texts, (
            f"this block of {readme.relative_to(REPO_ROOT)} is not (verbatim) a function of "
            f"{SNIPPETS.relative_to(REPO_ROOT)}, which mypy --strict checks:\n{block}")
