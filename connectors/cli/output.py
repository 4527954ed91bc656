"""How the CLI writes: JSON, plain tables and one-line errors, all through redaction."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TypeVar

import click

from connectors.redact import redact_text

F = TypeVar("F", bound=Callable[..., Any])


def json_option(func: F) -> F:
    """The ``--json`` flag every command has."""
    return click.option("--json", "json_", is_flag=True, help="Print JSON.")(func)


def show_secrets_option(func: F) -> F:
    return click.option(
        "--show-secrets", is_flag=True, help="Print secrets in clear (they are masked otherwise)."
    )(func)


def fail(message: str, *, code: int = 2) -> NoReturn:
    """One redacted line on stderr, then exit with ``code``."""
    click.echo(f"error: {redact_text(message)}", err=True)
    sys.exit(code)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A plain aligned table, as ``docker ps`` or ``pip list`` print."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    click.echo(line.format(*headers).rstrip())
    click.echo(line.format(*("-" * w for w in widths)).rstrip())
    for row in cells:
        click.echo(line.format(*row).rstrip())


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def read_text_argument(text: str) -> str:
    """``-`` reads the argument from stdin, so a secret need not sit in shell history."""
    return sys.stdin.read().strip() if text == "-" else text
