"""``connectors env import``: DATABASE_URL, REDIS_URL, AWS_* ... to workspace resources."""

from __future__ import annotations

import os
from pathlib import Path

import click

from connectors.cli.output import json_option, print_json, print_table


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
    from connectors.client import _os_user
    from connectors.errors import WorkspaceError
    from connectors.parsing import parse_env_block
    from connectors.workspace.env_import import plan_env_import
    from connectors.workspace.paths import sanitize_segment, validate_path
    from connectors.workspace.store import open_store

    if folder and user:
        raise click.UsageError("--folder and --user exclude each other")
    env = parse_env_block(env_file.read_text(encoding="utf-8")) if env_file else dict(os.environ)
    base = f"f/{folder}" if folder else f"u/{sanitize_segment(user or _os_user())}"
    planned = plan_env_import(env, base)
    failed = [p for p in planned if p.error]
    if not dry_run:
        store = open_store()
        for item in planned:
            if item.resource is not None:
                validate_path(item.path)
                store.put_resource(item.path, item.resource.resource_type, item.resource.value)
    rows = [
        {
            "path": p.path,
            "resource_type": p.resource.resource_type if p.resource else None,
            "from": p.variables,
            "stored": bool(p.resource) and not dry_run,
            "error": p.error,
            "notes": p.notes,
        }
        for p in planned
    ]
    if json_:
        print_json(rows)
    elif not rows:
        click.echo("no storage variables found")
    else:
        print_table(
            ["path", "type", "from", "result"],
            [
                [
                    r["path"],
                    r["resource_type"],
                    r["from"],
                    r["error"] or ("stored" if r["stored"] else "would store"),
                ]
                for r in rows
            ],
        )
    if failed:
        raise WorkspaceError(
            f"{len(failed)} variable group(s) did not parse: "
            + "; ".join(f"{p.variables[0]}: {p.error}" for p in failed)
        )
