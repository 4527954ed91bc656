"""``connectors state``: read and write states (resources of type ``state``)."""

from __future__ import annotations

import json

import click

from connectors.cli.output import (
    json_option,
    print_json,
    print_result,
    print_table,
    read_text_argument,
    show_secrets_option,
    shown_value,
)


@click.group("state")
def state_group() -> None:
    """States: small JSON values a script keeps between runs."""


@state_group.command("get")
@click.argument("path")
@json_option
@show_secrets_option
def get_command(path: str, json_: bool, show_secrets: bool) -> None:
    """Print the state at PATH as JSON (``null`` when there is none yet)."""
    from connectors.workspace.paths import resource_path
    from connectors.workspace.store import open_store

    clean = resource_path(path, "state")
    found = open_store().get_resource(clean)
    value = shown_value("state", None if found is None else found.value, show_secrets)
    if json_:
        print_json({"path": clean, "value": value})
    else:
        print_json(value)


@state_group.command("set")
@click.argument("path")
@click.argument("value")
@json_option
def set_command(path: str, value: str, json_: bool) -> None:
    """Set the state at PATH to the JSON VALUE ('-' reads stdin)."""
    from connectors.errors import WorkspaceError
    from connectors.text import check_json_depth
    from connectors.workspace.paths import resource_path
    from connectors.workspace.store import open_store

    clean = resource_path(path, "state")
    try:
        parsed = json.loads(check_json_depth(read_text_argument(value), "JSON value"))
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"invalid JSON value: {exc.msg} (column {exc.colno})") from None

    store = open_store()
    existing = store.get_resource(clean)
    if existing is not None and existing.resource_type != "state":
        raise WorkspaceError(f"{clean} is a {existing.resource_type} resource, not a state")
    store.put_resource(clean, "state", parsed)
    print_result(json_, {"path": clean, "set": True}, f"set {clean}")


@state_group.command("list")
@json_option
def list_command(json_: bool) -> None:
    """List the states."""
    from connectors.workspace.store import open_store

    items = open_store().list_resources(["state"])
    if json_:
        print_json([{"path": i.path, "edited_at": i.edited_at} for i in items])
    else:
        print_table(["path", "edited"], [[i.path, i.edited_at] for i in items])
