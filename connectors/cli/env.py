"""``connectors env import``: DATABASE_URL, REDIS_URL, AWS_* ... to workspace resources."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from connectors.cli.output import json_option, print_json, print_table

if TYPE_CHECKING:
    from connectors.workspace.env_import import Planned


@click.group("env")
def env_group() -> None:
    """Environment variables that describe storage services."""


@env_group.command("import")
@click.option(
    "--file",
    "env_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Read a .env file (KEY=VALUE lines) instead of the environment.",
)
@click.option("--folder", help="Store under f/<folder>/ instead of u/<user>/.")
@click.option("--user", help="Store under u/<user>/ (default: the OS user).")
@click.option("--dry-run", is_flag=True, help="Show what would be stored; store nothing.")
@json_option
def import_command(
    env_file: Path | None, folder: str | None, user: str | None, dry_run: bool, json_: bool
) -> None:
    """Turn DATABASE_URL, REDIS_URL, MONGODB_URI, AWS_*, AZURE_STORAGE_CONNECTION_STRING and
    UPSTASH_REDIS_REST_URL/TOKEN into resources (u/<user>/database, .../redis, .../mongodb,
    .../s3, .../azure_blob, .../upstash_redis). Exits 2 if one of them does not parse."""
    from connectors.errors import WorkspaceError
    from connectors.parsing import parse_env_block
    from connectors.text import read_file
    from connectors.workspace.env_import import plan_env_import
    from connectors.workspace.paths import user_segment

    if folder and user:
        raise click.UsageError("--folder and --user exclude each other")
    env = parse_env_block(read_file(env_file)) if env_file else dict(os.environ)
    base = f"f/{folder}" if folder else f"u/{user_segment(user)}"
    planned = plan_env_import(env, base)
    if not dry_run:
        _store(planned)
    rows = [_row(item, stored=bool(item.resource) and not dry_run) for item in planned]
    if json_:
        print_json(rows)
    elif not rows:
        click.echo("no storage variables found")
    else:
        print_table(
            ["path", "type", "from", "result"],
            [[r["path"], r["resource_type"], r["from"], _outcome(r)] for r in rows],
        )
    failed = [p for p in planned if p.error]
    if failed:
        raise WorkspaceError(
            f"{len(failed)} variable group(s) did not parse: "
            + "; ".join(f"{p.variables[0]}: {p.error}" for p in failed)
        )


def _store(planned: list[Planned]) -> None:
    from connectors.workspace.paths import validate_path
    from connectors.workspace.store import open_store

    store = open_store()
    for item in planned:
        if item.resource is not None:
            validate_path(item.path)
            store.put_resource(item.path, item.resource.resource_type, item.resource.value)


def _row(item: Planned, *, stored: bool) -> dict[str, Any]:
    return {
        "path": item.path,
        "resource_type": item.resource.resource_type if item.resource else None,
        "from": item.variables,
        "stored": stored,
        "error": item.error,
        "notes": item.notes,
    }


def _outcome(row: dict[str, Any]) -> str:
    return str(row["error"] or ("stored" if row["stored"] else "would store"))
