"""``connectors parse TEXT [--json] [--show-secrets]`` and ``connectors types [--json]``
without click: the most used commands start in about half the time.

``run`` serves only these exact forms (options in any order, each at most once, TEXT not
starting with ``-`` unless it is ``-``); anything else, ``--help`` and every usage error
included, goes to the click group, which calls the same ``show_parsed`` and ``show_types``.
Errors are handled as ``connectors.cli.main`` handles them for a click command.
"""

from __future__ import annotations

import errno
import os
import sys
import warnings
from collections.abc import Callable

from connectors.cli.output import (
    echo,
    fail,
    flatten_fields,
    plain_stream,
    print_json,
    print_table,
    read_text_argument,
)

_PARSE_FLAGS = frozenset(("--json", "--show-secrets"))


def run(args: list[str]) -> bool:
    """Run ``args`` when it is a form served here and return True; else False, having done
    nothing."""
    command = _command(args)
    if command is None or not (plain_stream(sys.stdout) and plain_stream(sys.stderr)):
        return False
    from connectors.cli import _one_line, _report_plugin_problems

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            command()
        except SystemExit:
            _report_plugin_problems()
            raise
        except (EOFError, KeyboardInterrupt):
            echo("", err=True)  # as click does before it aborts
            _report_plugin_problems()
            fail("aborted", code=130)
        except OSError as exc:
            _report_plugin_problems()
            if exc.errno != errno.EPIPE:
                fail(_one_line(exc), code=2)
            _quiet_broken_pipe()
            sys.exit(1)
        except Exception as exc:
            _report_plugin_problems()  # a broken plugin may be why the command failed
            fail(_one_line(exc), code=2)
    return True


def _command(args: list[str]) -> Callable[[], None] | None:
    """What ``args`` asks for, when it is one of the forms served here."""
    if not args:
        return None
    name, rest = args[0], args[1:]
    flags = {arg for arg in rest if arg.startswith("-") and arg != "-"}
    if len(flags) != len(rest) - (name == "parse"):
        return None  # a repeated option, or not exactly one TEXT
    if name == "parse" and flags <= _PARSE_FLAGS:
        (text,) = (arg for arg in rest if arg not in flags)
        return lambda: show_parsed(
            read_text_argument(text), None, "--show-secrets" in flags, "--json" in flags
        )
    if name == "types" and flags <= {"--json"}:
        return lambda: show_types("--json" in flags)
    return None


def _quiet_broken_pipe() -> None:
    """What click does when the reader of stdout went away: no error when Python flushes
    stdout at exit."""
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - open until exit


def show_parsed(text: str, type_name: str | None, show_secrets: bool, json_: bool) -> None:
    """``connectors parse``: the resource as JSON or as a table with its notes."""
    from connectors.api import parse

    data = parse(text, type=type_name).to_dict(show_secrets=show_secrets)
    if json_:
        print_json(data)
        return
    echo(f"type:     {data['resource_type']}")
    echo(f"provider: {data['provider'] or '-'}")
    print_table(["field", "value"], list(flatten_fields(data["value"])))
    for note in data["notes"]:
        echo(f"note: {note}")


def show_types(json_: bool) -> None:
    """``connectors types``: every installed resource type, with its providers and plugin."""
    from connectors.api import resource_types
    from connectors.plugins import get_registry

    registry = get_registry()
    rows = []
    for rt in resource_types():
        origin = registry.origin(rt.name)
        connector = registry.connectors[rt.name]
        rows.append(
            {
                "name": rt.name,
                "description": rt.description,
                "providers": list(connector.providers),
                "secret_fields": list(rt.secret_fields),
                "plugin": origin.label if origin else None,
            }
        )
    if json_:
        print_json(rows)
        return
    print_table(
        ["type", "providers", "secret fields", "description"],
        [[r["name"], r["providers"], r["secret_fields"], r["description"]] for r in rows],
    )
