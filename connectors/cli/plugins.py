"""``connectors plugins``: what is installed, what each plugin registered, and its state."""

from __future__ import annotations

import click

from connectors.cli.output import json_option, print_json, print_table


@click.command("plugins")
@json_option
def plugins_command(json_: bool) -> None:
    """List plugins: distribution, version, the types each registered and its state.

    The state is ok, disabled (CONNECTORS_DISABLE_PLUGINS, or not in CONNECTORS_LOAD_PLUGINS)
    or broken (with the reason: it failed to load, or something it registered was refused).
    """
    from connectors.plugins import get_registry

    registry = get_registry()
    rows = [
        {
            "name": info.name,
            "builtin": info.builtin,
            "distribution": info.distribution or ("storage-connectors" if info.builtin else None),
            "version": info.version or (_own_version() if info.builtin else None),
            "types": info.registered,
            "state": info.state,
            "reasons": info.reasons,
        }
        for info in registry.plugins
    ]
    if json_:
        print_json({"plugins": rows, "problems": registry.problems})
        return
    print_table(
        ["plugin", "state", "distribution", "version", "types"],
        [[r["name"], r["state"], r["distribution"], r["version"], r["types"]] for r in rows],
    )
    for info in registry.plugins:
        for reason in info.reasons:
            click.echo(f"{info.name}: {reason}")


def _own_version() -> str:
    from connectors import __version__

    return __version__
