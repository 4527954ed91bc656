"""``connectors types`` and ``connectors schema``."""

from __future__ import annotations

from pathlib import Path

import click

from connectors.cli.fast import show_types
from connectors.cli.output import json_option, print_json, print_lines


@click.command("types")
@json_option
def types_command(json_: bool) -> None:
    """List the resource types every installed plugin provides."""
    show_types(json_)


@click.command("schema")
@click.argument("type_name", required=False)
@click.option(
    "--write-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write <type>.json in hub format into this folder: TYPE's, PLUGIN's types', or every "
    "built-in type's.",
)
@click.option(
    "--plugin", help="With --write-dir: the types this plugin registers (a plugin's own)."
)
@json_option
def schema_command(
    type_name: str | None, write_dir: Path | None, plugin: str | None, json_: bool
) -> None:
    """Print a resource type's JSON Schema (hub format), or write them."""
    from connectors.plugins import get_connector
    from connectors.schemas import plugin_types, write_resource_types

    if write_dir is not None:
        chosen = [get_connector(type_name)] if type_name else plugin_types(plugin)
        print_lines(json_, write_resource_types(write_dir, chosen))
        return
    if type_name is None:
        raise click.UsageError("give a TYPE, or --write-dir DIR")
    print_json(get_connector(type_name).resource_type.hub_document())
