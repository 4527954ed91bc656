"""``parse`` and ``types`` served without click (connectors.cli.fast) print and fail exactly as
the click commands do."""

from __future__ import annotations

import io
import sys
from typing import Any

import pytest

from connectors import cli
from connectors.cli import fast

CASES = [
    ["parse", "postgresql://app:secret@db.example.com:5432/app?sslmode=require", "--json"],
    ["parse", "--json", "rediss://default:s3cret@cache.example.com:6380/2"],
    ["parse", "mongodb+srv://u:p@cluster0.ab1cd.mongodb.net/shop", "--show-secrets"],
    ["parse", "s3://my-bucket/exports/", "--show-secrets", "--json"],
    ["parse", "UseDevelopmentStorage=true"],
    ["parse", "definitely not a connection string"],
    ["parse", "postgresql://u@h:99999/d", "--json"],
    ["parse", "-", "--json"],
    ["types"],
    ["types", "--json"],
]
STDIN = "redis://:pw1234@localhost:6379/0\n"


def outcome(args: list[str], capsys: Any, monkeypatch: Any) -> tuple[Any, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(STDIN))
    code: Any = 0
    try:
        cli.main(args)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("args", CASES, ids=lambda args: " ".join(args)[:40])
def test_served_forms_match_the_click_commands(args, capsys, monkeypatch):
    served = []
    real = fast.run
    monkeypatch.setattr(fast, "run", lambda argv: served.append(argv) or real(argv))
    without_click = outcome(args, capsys, monkeypatch)
    assert served == [args]
    monkeypatch.setattr(fast, "run", lambda argv: False)
    with_click = outcome(args, capsys, monkeypatch)
    assert without_click == with_click
    assert without_click[1] or without_click[2]


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["parse"],
        ["parse", "a", "b"],
        ["parse", "redis://h", "--json", "--json"],
        ["parse", "redis://h", "--type", "redis"],
        ["parse", "redis://h", "--format", "env"],
        ["parse", "--help"],
        ["parse", "-x"],
        ["parse", "--", "redis://h"],
        ["types", "extra"],
        ["types", "-h"],
        ["schema", "redis"],
    ],
)
def test_other_forms_go_to_click(args):
    assert fast._command(args) is None


def test_an_unexpected_exception_is_one_redacted_line(monkeypatch, capsys):
    import connectors.api

    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("driver said: postgresql://admin:hunter2secret@db.internal/prod failed")

    monkeypatch.setattr(connectors.api, "parse", explode)
    code, out, err = outcome(["parse", "redis://h", "--json"], capsys, monkeypatch)
    assert (code, out) == (2, "")
    assert "hunter2secret" not in err and err.count("\n") == 1
    assert "RuntimeError" in err and "--debug" in err
