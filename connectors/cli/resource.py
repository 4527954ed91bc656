"""``connectors resource``: add, list, get and remove workspace resources."""

from __future__ import annotations

import json
from typing import Any

import click

from connectors.cli.output import (
    flatten_fields,
    json_option,
    print_json,
    print_result,
    print_table,
    read_text_argument,
    show_secrets_option,
    shown_value,
)


@click.group("resource")
def resource_group() -> None:
    """Resources in the workspace (typed connection values, Windmill paths)."""


def value_from_text(text: str, type_name: str | None) -> tuple[str, Any, list[str]]:
    """(type, value, notes) from a JSON value or a connection string."""
    from connectors.api import parse
    from connectors.text import check_json_depth

    stripped = text.strip()
    if stripped.startswith(("{", "[")):
        try:
            return type_name or "any", json.loads(check_json_depth(stripped, "JSON value")), []
        except json.JSONDecodeError as exc:
            raise click.ClickException(
                f"invalid JSON value: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            ) from None
    resource = parse(stripped, type=type_name)
    return resource.resource_type, resource.value, list(resource.notes)


@resource_group.command("add")
@click.argument("path")
@click.argument("text")
@click.option("--type", "type_name", help="Resource type (detected from a connection string).")
@click.option("--description", help="A description shown in listings.")
@json_option
def add_command(
    path: str, text: str, type_name: str | None, description: str | None, json_: bool
) -> None:
    """Store TEXT (a connection string or a JSON value; '-' reads stdin) at PATH.

    A connection string is parsed into a typed value; JSON is validated against --type
    (``any`` when not given). An existing resource at PATH is replaced.
    """
    from connectors.workspace.paths import resource_path
    from connectors.workspace.store import open_store

    clean = resource_path(path)
    kind, value, notes = value_from_text(read_text_argument(text), type_name)
    open_store().put_resource(clean, kind, value, description)
    if json_:
        print_json({"path": clean, "resource_type": kind, "notes": notes})
        return
    click.echo(f"added {clean} ({kind})")
    for note in notes:
        click.echo(f"note: {note}")


@resource_group.command("list")
@click.option("--type", "type_name", help="Only this type (comma-separated for several).")
@json_option
def list_command(type_name: str | None, json_: bool) -> None:
    """List the resources (states are listed by ``connectors state list``)."""
    from connectors.workspace.store import open_store

    types = [t for t in (type_name or "").split(",") if t] or None
    items = open_store().list_resources(types)
    if json_:
        print_json(
            [
                {"path": i.path, "resource_type": i.resource_type, "description": i.description}
                for i in items
            ]
        )
        return
    print_table(
        ["path", "type", "description"], [[i.path, i.resource_type, i.description] for i in items]
    )


@resource_group.command("get")
@click.argument("path")
@click.option("--raw", is_flag=True, help="Show $var:/$res: references instead of resolving them.")
@json_option
@show_secrets_option
def get_command(path: str, raw: bool, json_: bool, show_secrets: bool) -> None:
    """Show the resource at PATH, references resolved, secrets masked."""
    from connectors.errors import NotFoundError
    from connectors.workspace.paths import resource_path
    from connectors.workspace.store import open_store

    clean = resource_path(path)
    store = open_store()
    found = store.get_resource(clean)
    if found is None:
        raise NotFoundError(f"resource {clean} not found")
    value = found.value if raw else store.get_resource_value(clean, interpolated=True)
    data = {
        "path": clean,
        "resource_type": found.resource_type,
        "description": found.description,
        "value": shown_value(found.resource_type, value, show_secrets),
    }
    if json_:
        print_json(data)
        return
    click.echo(f"path: {clean}")
    click.echo(f"type: {found.resource_type}")
    if found.description:
        click.echo(f"description: {found.description}")
    if isinstance(data["value"], dict) and data["value"]:
        print_table(["field", "value"], list(flatten_fields(data["value"])))
    else:
        click.echo(f"value: {json.dumps(data['value'], ensure_ascii=False)}")


@resource_group.command("rm")
@click.argument("path")
@json_option
def rm_command(path: str, json_: bool) -> None:
    """Remove the resource at PATH (and its linked variable at the same path, as Windmill)."""
    from connectors.errors import NotFoundError
    from connectors.workspace.paths import resource_path
    from connectors.workspace.store import open_store

    clean = resource_path(path)
    if not open_store().delete_resource(clean):
        raise NotFoundError(f"resource {clean} not found")
    print_result(json_, {"path": clean, "removed": True}, f"removed {clean}")
