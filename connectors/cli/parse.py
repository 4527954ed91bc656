"""``connectors parse``: a connection string to a resource."""

from __future__ import annotations

import click

from connectors.cli.output import (
    flatten_fields,
    json_option,
    print_json,
    print_table,
    read_text_argument,
    show_secrets_option,
)


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
    from connectors.api import parse

    resource = parse(read_text_argument(text), type=type_name)
    if fmt is not None:
        from connectors.formats import render

        rendered = render(resource, fmt, show_secrets=show_secrets)
        if json_:
            print_json({"format": fmt, "content": rendered})
        else:
            click.echo(rendered, nl=False)
        return
    data = resource.to_dict(show_secrets=show_secrets)
    if json_:
        print_json(data)
        return
    click.echo(f"type:     {data['resource_type']}")
    click.echo(f"provider: {data['provider'] or '-'}")
    print_table(["field", "value"], list(flatten_fields(data["value"])))
    for note in data["notes"]:
        click.echo(f"note: {note}")
