"""``connectors hub``: export, publish and keep the sidecars of the hub scripts current."""

from __future__ import annotations

from pathlib import Path

import click

from connectors.cli.output import (
    fail,
    json_option,
    print_json,
    print_lines,
    print_table,
    warn,
)


@click.group("hub")
def hub_group() -> None:
    """Export or publish resource types and hub scripts; refresh the script sidecars."""


@hub_group.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["hub", "wmill"]),
    default="hub",
    show_default=True,
    help="hub: resource_types/ + hub_scripts/; wmill: a `wmill sync push` tree.",
)
@click.option(
    "--no-locks",
    is_flag=True,
    help="wmill: skip resolving each script's lock file (uv pip compile); Windmill resolves on "
    "deploy.",
)
@json_option
def export_command(folder: Path, fmt: str, no_locks: bool, json_: bool) -> None:
    """Write every resource type and hub script into FOLDER."""
    from connectors.hub.export import export

    print_lines(json_, export(folder, fmt, locks=not no_locks))


@hub_group.command("publish")
@click.option("--url", required=True, help="The Windmill base URL, e.g. https://app.windmill.dev")
@click.option("--workspace", required=True, help="The workspace id ('admins' makes types global).")
@click.option(
    "--token", required=True, envvar="WM_TOKEN", help="An API token (default: $WM_TOKEN)."
)
@click.option("--dry-run", is_flag=True, help="Show the changes, write nothing.")
@click.option("--allow-breaking", is_flag=True, help="Publish breaking schema changes too.")
@click.option("--type", "type_name", help="Only this resource type and its scripts.")
@click.option(
    "--admins",
    is_flag=True,
    help="Publish the hub types Windmill keeps in its admins workspace (postgresql, mongodb, s3, "
    "azure_blob, ...) there; the rest goes to --workspace.",
)
@click.option(
    "--no-locks",
    is_flag=True,
    help="Send scripts without a lock: Windmill infers and resolves their requirements.",
)
@json_option
def publish_command(
    url: str,
    workspace: str,
    token: str,
    dry_run: bool,
    allow_breaking: bool,
    type_name: str | None,
    admins: bool,
    no_locks: bool,
    json_: bool,
) -> None:
    """Create or update the resource types and hub scripts in a Windmill workspace."""
    from connectors.hub.catalog import HubError, discover
    from connectors.hub.publish import Publisher
    from connectors.schemas import resource_type_documents

    documents = resource_type_documents()
    if type_name is not None:
        documents = {type_name: documents[type_name]} if type_name in documents else {}
    publisher = Publisher(url, workspace, token, admins=admins, locks=not no_locks)
    try:
        changes = publisher.plan(documents, discover(type_name))
        if json_:
            print_json({"dry_run": dry_run, "changes": [c.to_dict() for c in changes]})
        else:
            for change in changes:
                for line in change.lines():
                    click.echo(line)
        if dry_run:
            return
        try:
            done = publisher.apply(changes, allow_breaking=allow_breaking)
        except HubError as exc:
            fail(str(exc))
        if not json_:
            click.echo(f"published {len(done)} change(s) to {workspace}")
    finally:
        publisher.close()


@hub_group.command("sidecars")
@click.argument("type_name", required=False)
@click.option("--plugin", help="The scripts of the types this plugin registers (a plugin's own).")
@click.option(
    "--schema-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write each of those types' <type>.json (hub format) into this folder, as "
    "`connectors schema --write-dir` does.",
)
@click.option("--check", is_flag=True, help="Only report sidecars that differ; exit 1 if any.")
@json_option
def sidecars_command(
    type_name: str | None, plugin: str | None, schema_dir: Path | None, check: bool, json_: bool
) -> None:
    """(Re)write the schema: of the hub scripts' sidecars from main(): TYPE's, PLUGIN's types'
    or every built-in type's; with --schema-dir, their resource type files too."""
    from connectors.hub.catalog import discover, drift, write_sidecar
    from connectors.plugins import get_connector
    from connectors.schemas import plugin_types, write_resource_types

    chosen = [get_connector(type_name)] if type_name else plugin_types(plugin)
    rows = []
    stale = 0
    problems = []
    for script in (s for connector in chosen for s in discover(connector.name)):
        if script.problem is not None:
            status = "unreadable"
            problems.append(script.problem)
        elif check:
            status = "stale" if drift(script) else "ok"
        else:
            status = "written" if write_sidecar(script) else "ok"
        stale += status in ("stale", "unreadable")
        rows.append({"script": script.ref, "sidecar": str(script.sidecar_path), "status": status})
    table = [[r["script"], r["status"], r["sidecar"]] for r in rows]
    if schema_dir is not None and not check:
        for connector, path in zip(chosen, write_resource_types(schema_dir, chosen), strict=True):
            rows.append({"resource_type": connector.name, "file": str(path), "status": "written"})
            table.append([f"{connector.name} (resource type)", "written", str(path)])
    if json_:
        print_json(rows)
    else:
        print_table(["script", "status", "file"], table)
    for problem in problems:
        warn(f"{problem} (left unchanged)")
    if stale and (check or problems):
        fail(f"{stale} sidecar(s) are stale or unreadable", code=1)
