"""The command line under bad input: exit 2 and one line that names the problem, in our words.

Hostile connection strings, 10 MB on stdin, NUL, bytes that are not UTF-8 (arguments, stdin,
files), lone surrogates, deeply nested JSON, huge numbers, unknown commands and flags: each is
refused with exit code 2 and a single ``error: ...`` line on stderr, never a traceback or
Python's own exception text.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from connectors.cli import main

#: Python's texts, never shown to a user
PYTHON_WORDS = (
    "Traceback",
    "codec can't",
    "Exceeds the limit",
    "integer string conversion",
    "RecursionError",
    "maximum recursion",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "surrogates not allowed",
    "invalid literal for",
    "Expecting value",
    "object has no attribute",
    "NoneType",
    "[Errno",
    "run with --debug",
)
DEEP = "[" * 100_000
UNDECODABLE = b"DATABASE_URL=postgresql://u:p\xff@h/db\n"


def run(args: list[str], stdin: bytes = b"") -> tuple[int, str, str]:
    """``connectors ARGS`` in this process with ``stdin``; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout, sys.stderr = out, err
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdin, sys.stdout, sys.stderr = old
    return code, out.getvalue(), err.getvalue()


def assert_refused(code: int, stderr: str, *words: str) -> None:
    lines = stderr.strip().splitlines()
    assert code == 2, (code, stderr)
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    for python in PYTHON_WORDS:
        assert python not in stderr, stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


@pytest.fixture
def undecodable_file(tmp_path: Path) -> Path:
    path = tmp_path / "bad.env"
    path.write_bytes(UNDECODABLE)
    return path


CASES: list[tuple[str, list[str], bytes, tuple[str, ...]]] = [
    # hostile connection strings
    ("5000-digit port", ["parse", "redis://h:" + "9" * 5000], b"", ("invalid port",)),
    ("5000-digit pg port", ["parse", "postgresql://h:" + "1" * 5000 + "/d"], b"", ("port",)),
    ("5000-digit libpq port", ["parse", "host=h port=" + "7" * 5000], b"", ("port",)),
    (
        "5000-digit redis db",
        ["parse", "redis://h/0?db=" + "1" * 5000],
        b"",
        ("'db'",),
    ),
    (
        "5000-digit timeout",
        ["parse", "postgresql://h/d?connect_timeout=" + "1" * 5000],
        b"",
        ("connect_timeout",),
    ),
    ("bad percent escape", ["parse", "postgresql://u:%zz@h/d"], b"", ("percent",)),
    ("percent bytes not UTF-8", ["parse", "mongodb://u:%ff%fe@h/d"], b"", ("UTF-8",)),
    ("not a connection string", ["parse", "hello world"], b"", ("known types",)),
    (
        "S3 region that is no region",
        ["parse", "--type", "s3", "-"],
        b"AWS_REGION=eu west!\nS3_BUCKET=b",
        ("AWS_REGION is not a region name", "position 0"),
    ),
    (
        "SAS parameter with no name",
        ["parse", "https://acct.blob.core.windows.net/c?sv=1&sig=abc&=c"],
        b"",
        ("no name", "position 50"),
    ),
    ("unknown type", ["parse", "--type", "nope", "redis://h"], b"", ("unknown resource type",)),
    # stdin
    ("10 MB on stdin", ["parse", "-"], b"a" * 10_000_000, ("too long",)),
    ("NUL on stdin", ["parse", "-"], b"postgresql://u:p@h/d\x00b", ("NUL",)),
    ("stdin not UTF-8", ["parse", "-"], b"redis://h\xff:6379", ("stdin", "UTF-8", "byte 9")),
    ("empty stdin", ["parse", "-"], b"", ("empty",)),
    ("check: NUL on stdin", ["check", "-"], b"\x00", ()),
    ("variable from stdin not UTF-8", ["variable", "set", "u/me/v", "-"], b"\xff", ("UTF-8",)),
    # lone surrogates (what Python makes of argv bytes that are not UTF-8)
    ("argv byte not UTF-8", ["parse", "postgresql://h\udcff/db"], b"", ("argument 2", "0xff")),
    ("lone surrogate in argv", ["parse", "redis://\ud800h"], b"", ("U+D800", "position 8")),
    ("surrogate escape in JSON", ["resource", "add", "u/me/r", '{"k": "\\ud800"}'], b"", ("/k",)),
    ("surrogate escape in state", ["state", "set", "u/me/s", '{"a": "\\udcff"}'], b"", ("/a",)),
    # deep JSON
    ("deep JSON state", ["state", "set", "u/me/s", "-"], DEEP.encode(), ("nested",)),
    ("deep JSON resource", ["resource", "add", "u/me/r", "-"], b"{" * 100_000, ("nested",)),
    ("deep JSON args", ["run", "redis/get", "--args-json", "-"], DEEP.encode(), ("nested",)),
    (
        "deep JSON upstash",
        ["parse", "--type", "upstash_redis", "-"],
        b'{"url": ' + DEEP.encode(),
        ("nested",),
    ),
    ("bad JSON", ["state", "set", "u/me/s", "{bad"], b"", ("JSON",)),
    # the command line itself
    ("unknown flag", ["parse", "--bogus", "x"], b"", ("--bogus",)),
    ("unknown command", ["bogus"], b"", ("bogus",)),
    ("missing argument", ["parse"], b"", ("TEXT",)),
    ("bad choice", ["parse", "--format", "nope", "redis://h"], b"", ("--format",)),
    ("bad timeout", ["check", "--timeout", "nan", "redis://h"], b"", ("--timeout",)),
    ("negative timeout", ["check", "--timeout", "-5", "redis://h"], b"", ("--timeout",)),
    ("bad path", ["resource", "add", "x/y", "redis://h"], b"", ("x/y",)),
    ("missing resource", ["resource", "get", "u/me/none"], b"", ("not found",)),
    ("unknown schema", ["schema", "nope"], b"", ("nope",)),
]


@pytest.mark.parametrize(
    ("args", "stdin", "words"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_bad_input_is_one_line_and_exit_2(args, stdin, words):
    code, _, stderr = run(args, stdin)
    assert_refused(code, stderr, *words)


def test_undecodable_files(undecodable_file):
    code, _, stderr = run(["env", "import", "--file", str(undecodable_file), "--dry-run"])
    assert_refused(code, stderr, "bad.env", "not valid UTF-8", "byte 29")
    code, _, stderr = run(["run", "redis/get", "--args-json", str(undecodable_file)])
    assert_refused(code, stderr, "bad.env", "not valid UTF-8")


def test_argv_bytes_from_a_real_process():
    """The bytes as a shell passes them: Python decodes argv with surrogateescape."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from connectors.cli import main; main()",
            "parse",
            os.fsdecode(b"redis://h\xff\xfe:6379"),
        ],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert_refused(done.returncode, done.stderr.decode(), "argument 2", "0xff", "position 9")
    assert done.stdout == b""
