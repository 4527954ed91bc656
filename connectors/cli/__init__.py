"""The ``connectors`` command line.

``main`` runs the click group (``connectors.cli.group``), except for the common forms of
``parse`` and ``types``, which ``connectors.cli.fast`` runs without importing click: the same
code, output and errors, in less start-up time. Errors are one line on stderr and exit code 2
(1 for a failed check); ``--debug`` shows the traceback.
"""

from __future__ import annotations

import sys
import time
import warnings
from typing import TYPE_CHECKING

from connectors.cli.output import fail, warn
from connectors.lazy import lazy_exports

if TYPE_CHECKING:
    from connectors.cli.group import COMMANDS, LazyGroup, cli
else:  # the click group, imported on first use
    lazy_exports(
        globals(),
        {name: "connectors.cli.group" for name in ("cli", "COMMANDS", "LazyGroup")},
    )

__all__ = ["COMMANDS", "LazyGroup", "cli", "main"]


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``connectors`` script."""
    started = time.monotonic()
    args = list(argv if argv is not None else sys.argv[1:])
    _refuse_undecodable(args)
    debug = "--debug" in args
    if not debug:
        from connectors.cli.fast import run

        if run(args):
            _report_plugin_problems()
            return
    if debug:  # accepted anywhere on the line, as users type it after the command
        args = ["--debug", *(arg for arg in args if arg != "--debug")]
    import click

    from connectors.cli.group import cli

    with warnings.catch_warnings():
        warnings.simplefilter("ignore" if not debug else "default")
        try:
            # "started": when the command began, for `check --timeout`
            cli.main(
                args=args,
                prog_name="connectors",
                standalone_mode=False,
                obj={"started": started},
            )
        except click.exceptions.Exit as exc:
            _report_plugin_problems()
            sys.exit(exc.exit_code)
        except click.Abort:
            _report_plugin_problems()
            fail("aborted", code=130)
        except click.ClickException as exc:
            _report_plugin_problems()
            fail(exc.format_message(), code=2)
        except SystemExit:  # a command that said its own error, or a failed check's exit 1
            _report_plugin_problems()
            raise
        except Exception as exc:
            _report_plugin_problems()  # a broken plugin may be why the command failed
            if debug:
                raise
            fail(_one_line(exc), code=2)
    _report_plugin_problems()


def _refuse_undecodable(args: list[str]) -> None:
    """Arguments whose bytes were not UTF-8 (Python keeps them as lone surrogates) are refused
    before any command sees them."""
    from connectors.text import describe_surrogate, surrogate_at

    for number, arg in enumerate(args, 1):
        bad = surrogate_at(arg)
        if bad is not None:
            fail(f"argument {number}: {describe_surrogate(arg, bad)} (at position {bad})")


def _one_line(exc: BaseException) -> str:
    from connectors.errors import ConnectorsError

    python_words = _in_our_words(exc)
    if python_words is not None:
        return python_words
    text = " ".join(str(exc).split())
    if isinstance(exc, ConnectorsError | ValueError | KeyError | OSError):
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {text} (run with --debug for the traceback)"


def _in_our_words(exc: BaseException) -> str | None:
    """The message for an exception whose own text is Python's, not ours (a safety net: the
    input readers in connectors.text name these problems first)."""
    import json

    if isinstance(exc, UnicodeDecodeError):
        return f"input is not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at byte {exc.start})"
    if isinstance(exc, UnicodeEncodeError):
        return f"text is not valid Unicode (a lone surrogate at position {exc.start})"
    if isinstance(exc, RecursionError):
        return "input nested too deeply"
    if isinstance(exc, MemoryError):
        return "input too large for the memory available"
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    if isinstance(exc, ValueError) and "integer string conversion" in str(exc):
        return "a number with too many digits"
    return None


def _report_plugin_problems() -> None:
    """Warn about plugins that failed to load, if this command loaded the plugins at all."""
    plugins = sys.modules.get("connectors.plugins")  # not imported: no plugin was loaded
    if plugins is not None and plugins.get_registry.cache_info().currsize:
        for problem in plugins.get_registry().problems:
            warn(problem)
