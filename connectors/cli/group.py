"""The click group of every ``connectors`` command (``connectors.cli.main`` runs it).

Each command group lives in its own module and is imported only when that command runs, so
``connectors parse ...`` starts without importing a driver.
"""

from __future__ import annotations

import importlib
import time

import click

# command name -> "module:attribute"; the module is imported when the command is used.
COMMANDS: dict[str, str] = {
    "types": "connectors.cli.types:types_command",
    "schema": "connectors.cli.types:schema_command",
    "parse": "connectors.cli.parse:parse_command",
    "check": "connectors.cli.check:check_command",
    "plugins": "connectors.cli.plugins:plugins_command",
    "resource": "connectors.cli.resource:resource_group",
    "variable": "connectors.cli.variable:variable_group",
    "state": "connectors.cli.state:state_group",
    "workspace": "connectors.cli.workspace:workspace_group",
    "env": "connectors.cli.env:env_group",
    "scripts": "connectors.cli.scripts:scripts_command",
    "run": "connectors.cli.scripts:run_command",
    "hub": "connectors.cli.hub:hub_group",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            return None  # a command group not built yet
        command: click.Command = getattr(module, attribute)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="storage-connectors", prog_name="connectors")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Connection strings to typed resources, live checks and ready-made scripts."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj.setdefault("started", time.monotonic())
