"""``connectors variable``: plain and secret variables."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from connectors.cli.output import (
    json_option,
    print_json,
    print_result,
    print_table,
    show_secrets_option,
)
from connectors.redact import MASK

if TYPE_CHECKING:
    from connectors.workspace.store import StoredVariable


@click.group("variable")
def variable_group() -> None:
    """Variables in the workspace (strings; secret ones encrypted at rest)."""


def _read_value(value: str | None, secret: bool) -> str:
    if value is not None and value != "-":
        return value
    if value is None and sys.stdin.isatty():
        return str(click.prompt("value", hide_input=secret, err=True))
    from connectors.text import read_stdin

    return read_stdin().rstrip("\r\n")


def _shown(variable: StoredVariable, show_secrets: bool) -> str:
    return variable.value if show_secrets or not variable.is_secret else MASK


@variable_group.command("set")
@click.argument("path")
@click.argument("value", required=False)
@click.option("--secret", is_flag=True, help="Encrypt the value at rest and mask it in output.")
@click.option("--description", help="A description shown in listings.")
@json_option
def set_command(
    path: str, value: str | None, secret: bool, description: str | None, json_: bool
) -> None:
    """Set PATH to VALUE ('-' or nothing: read from stdin, or a hidden prompt on a terminal).

    Pass secrets through stdin so they stay out of shell history; the value is never echoed.
    """
    from connectors.workspace.paths import variable_path
    from connectors.workspace.store import open_store

    clean = variable_path(path)
    text = _read_value(value, secret)
    store = open_store()
    store.put_variable(clean, text, True if secret else None, description)
    found = store.get_variable(clean)
    is_secret = bool(found and found.is_secret)
    line = f"set {clean}{' (secret)' if is_secret else ''}"
    print_result(json_, {"path": clean, "is_secret": is_secret}, line)


@variable_group.command("get")
@click.argument("path")
@json_option
@show_secrets_option
def get_command(path: str, json_: bool, show_secrets: bool) -> None:
    """Print the variable at PATH (a secret is masked unless --show-secrets)."""
    from connectors.errors import NotFoundError
    from connectors.workspace.paths import variable_path
    from connectors.workspace.store import open_store

    clean = variable_path(path)
    found = open_store().get_variable(clean)
    if found is None:
        raise NotFoundError(f"variable {clean} not found")
    value = _shown(found, show_secrets)
    if json_:
        print_json(
            {
                "path": clean,
                "value": value,
                "is_secret": found.is_secret,
                "description": found.description,
            }
        )
    else:
        click.echo(value)


@variable_group.command("list")
@json_option
@show_secrets_option
def list_command(json_: bool, show_secrets: bool) -> None:
    """List the variables (secret values masked unless --show-secrets)."""
    from connectors.workspace.store import open_store

    rows = [
        {
            "path": v.path,
            "value": _shown(v, show_secrets),
            "is_secret": v.is_secret,
            "description": v.description,
        }
        for v in open_store().list_variables()
    ]
    if json_:
        print_json(rows)
    else:
        print_table(
            ["path", "secret", "value", "description"],
            [[r["path"], r["is_secret"], r["value"], r["description"]] for r in rows],
        )


@variable_group.command("rm")
@click.argument("path")
@json_option
def rm_command(path: str, json_: bool) -> None:
    """Remove the variable at PATH."""
    from connectors.errors import NotFoundError
    from connectors.workspace.paths import variable_path
    from connectors.workspace.store import open_store

    clean = variable_path(path)
    if not open_store().delete_variable(clean):
        raise NotFoundError(f"variable {clean} not found")
    print_result(json_, {"path": clean, "removed": True}, f"removed {clean}")
