"""``connectors check``: check a resource against its live server, in timed steps."""

from __future__ import annotations

import sys

import click

from connectors.cli.output import json_option, print_json, print_table, read_text_argument


class Seconds(click.ParamType[float]):
    """A positive, finite number of seconds (``nan``, ``inf``, 0 and negatives are refused)."""

    name = "seconds"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        from connectors.timeouts import positive_seconds

        try:
            return positive_seconds(value, "--timeout")
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@click.command("check")
@click.argument("target")
@click.option("--type", "type_name", help="The resource type of a connection string.")
@click.option(
    "--timeout",
    type=Seconds(),
    default=10.0,
    show_default=True,
    help="Seconds for the whole check (a positive number).",
)
@json_option
def check_command(target: str, type_name: str | None, timeout: float, json_: bool) -> None:
    """Check TARGET: a workspace path (f/x/y, $res:f/x/y) or a connection string ('-': stdin).

    Exits 1 when a step fails.
    """
    from connectors.api import check
    from connectors.checks import CHECK_STARTED
    from connectors.workspace.resolve import resolve_resource

    # --timeout bounds the whole command: reading the resource counts too
    token = CHECK_STARTED.set(click.get_current_context().find_root().obj.get("started"))
    try:
        resource = resolve_resource(read_text_argument(target), type_name=type_name, typed=True)
        result = check(resource, timeout=timeout)
    finally:
        CHECK_STARTED.reset(token)
    if json_:
        print_json(result.to_dict())
    else:
        rows = [[s.name, "ok" if s.ok else "FAILED", f"{s.ms:.1f}", s.detail] for s in result.steps]
        print_table(["step", "result", "ms", "detail"], rows)
        if result.server_version:
            click.echo(f"server version: {result.server_version}")
    if not result.ok:
        sys.exit(1)
