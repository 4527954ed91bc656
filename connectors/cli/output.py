"""How the CLI writes: JSON, plain tables and one-line errors, all through redaction.

Importing this module does not import click (the commands served without it use it too):
``echo`` writes as ``click.echo`` does, and hands a stream it cannot match to click.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NoReturn, TextIO, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
#: click's own pattern for what it strips from output that is not a terminal
_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")


def json_option(func: F) -> F:
    """The ``--json`` flag every command has."""
    import click

    return click.option("--json", "json_", is_flag=True, help="Print JSON.")(func)


def show_secrets_option(func: F) -> F:
    """The ``--show-secrets`` flag of commands that print resource values or secrets."""
    import click

    return click.option(
        "--show-secrets", is_flag=True, help="Print secrets in clear (they are masked otherwise)."
    )(func)


def plain_stream(stream: TextIO | None) -> bool:
    """Whether ``click.echo`` writes to ``stream`` unchanged (a UTF-8 text stream, no console
    wrapper), so that ``echo`` may write to it without click."""
    if stream is None or sys.platform == "win32" or "b" in getattr(stream, "mode", ""):
        return False
    encoding = str(getattr(stream, "encoding", "") or "").lower().replace("-", "").replace("_", "")
    return encoding == "utf8" and not type(stream).__module__.startswith("ipykernel")


def echo(message: str, *, err: bool = False) -> None:
    """``click.echo(message, err=err)``: a line, ANSI sequences stripped unless a terminal."""
    stream = sys.stderr if err else sys.stdout
    if not plain_stream(stream):
        import click

        click.echo(message, err=err)
        return
    text = message + "\n"
    if "\033" in text and not _isatty(stream):
        text = _ANSI.sub("", text)
    stream.write(text)
    stream.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except Exception:
        return False


def fail(message: str, *, code: int = 2) -> NoReturn:
    """One redacted line on stderr, then exit with ``code``."""
    from connectors.redact import redact_text

    echo(f"error: {redact_text(message)}", err=True)
    sys.exit(code)


def warn(message: str) -> None:
    """One redacted ``warning:`` line on stderr."""
    from connectors.redact import redact_text

    echo(f"warning: {redact_text(message)}", err=True)


def shown_value(resource_type: str, value: Any, show_secrets: bool) -> Any:
    """A resource value as printed: its secrets masked unless ``show_secrets``."""
    from connectors.redact import redact_value

    return value if show_secrets else redact_value(resource_type, value)


def print_json(data: Any) -> None:
    """``data`` as indented JSON (the caller has masked what must not be shown)."""
    echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def print_result(json_: bool, data: Any, line: str) -> None:
    """What a command did: ``data`` as JSON with ``--json``, else the one-line summary."""
    if json_:
        print_json(data)
    else:
        echo(line)


def print_lines(json_: bool, items: Sequence[Any]) -> None:
    """A list: a JSON array with ``--json``, else one item a line."""
    if json_:
        print_json([str(item) for item in items])
        return
    for item in items:
        echo(str(item))


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A plain aligned table, as ``docker ps`` or ``pip list`` print."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    echo(line.format(*headers).rstrip())
    echo(line.format(*("-" * w for w in widths)).rstrip())
    for row in cells:
        echo(line.format(*row).rstrip())


def flatten_fields(value: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """``(dotted.field, value)`` rows of a nested value, for a two-column table."""
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, dict) and item:
            yield from flatten_fields(item, f"{name}.")
        elif isinstance(item, list | dict):
            yield name, json.dumps(item, ensure_ascii=False)
        else:
            yield name, item


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
    from connectors.text import read_stdin

    return read_stdin().strip() if text == "-" else text
