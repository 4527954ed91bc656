"""``connectors plugins``: what is installed and what each plugin registered."""

from __future__ import annotations

import click

from connectors.cli.output import json_option, print_json, print_table


@click.command("plugins")
@json_option
def plugins_command(json_: bool) -> None:
    """List plugins, their distribution and version, and the types they registered."""
    from connectors.plugins import get_registry

    registry = get_registry()
    rows = [
        {
            "name": info.name,
            "builtin": info.builtin,
            "distribution": info.distribution or ("storage-connectors" if info.builtin else None),
            "version": info.version or (_own_version() if info.builtin else None),
            "types": info.registered,
        }
        for info in registry.plugins
    ]
    if json_:
        print_json({"plugins": rows, "problems": registry.problems})
        return
    print_table(
        ["plugin", "distribution", "version", "types"],
        [[r["name"], r["distribution"], r["version"], r["types"]] for r in rows],
    )


def _own_version() -> str:
    from connectors import __version__

    return __version__
