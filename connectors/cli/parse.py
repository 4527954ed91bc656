"""``connectors parse``: a connection string to a resource."""

from __future__ import annotations

import click

from connectors.cli.fast import show_parsed
from connectors.cli.output import json_option, print_json, read_text_argument, show_secrets_option


@click.command("parse")
@click.argument("text")
@click.option("--type", "type_name", help="The resource type, when detection is not wanted.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["airflow", "dlt", "env", "wmill"]),
    help="Write it for another tool: an Airflow connection (JSON), a dlt secrets.toml "
    "section, environment-variable lines or a wmill *.resource.yaml.",
)
@json_option
@show_secrets_option
def parse_command(
    text: str, type_name: str | None, fmt: str | None, json_: bool, show_secrets: bool
) -> None:
    """Parse a connection string (or '-' to read it from stdin) into a resource."""
    if fmt is None:
        show_parsed(read_text_argument(text), type_name, show_secrets, json_)
        return
    from connectors.api import parse
    from connectors.formats import render

    resource = parse(read_text_argument(text), type=type_name)
    rendered = render(resource, fmt, show_secrets=show_secrets)
    if json_:
        print_json({"format": fmt, "content": rendered})
    else:
        click.echo(rendered, nl=False)
