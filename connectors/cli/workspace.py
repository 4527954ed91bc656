"""``connectors workspace``: where the workspace is, key rotation, export and import."""

from __future__ import annotations

from pathlib import Path

import click

from connectors.cli.output import json_option, print_json, print_result, print_table, warn


@click.group("workspace")
def workspace_group() -> None:
    """The workspace itself: info, rotate-key, export, import (wmill sync format)."""


@workspace_group.command("info")
@json_option
def info_command(json_: bool) -> None:
    """Which store is in use, where, and what it holds."""
    from connectors.workspace.store import open_store

    info = open_store().info()
    if json_:
        print_json(info)
    else:
        print_table(["setting", "value"], [[k, v] for k, v in info.items()])


@workspace_group.command("rotate-key")
@json_option
def rotate_key_command(json_: bool) -> None:
    """Re-encrypt every secret with a new workspace key, in one transaction."""
    from connectors.workspace.store import open_store

    store = open_store()
    count = store.rotate_key()
    key_id = store.info().get("key_id")
    line = f"re-encrypted {count} value(s) with key {key_id}"
    print_result(json_, {"reencrypted": count, "key_id": key_id}, line)


@workspace_group.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--plain-secrets",
    "--show-secrets",
    "plain_secrets",
    is_flag=True,
    help="Write secret variables in clear (for wmill sync push --plain-secrets).",
)
@click.option("--include-states", is_flag=True, help="Export states too.")
@json_option
def export_command(directory: Path, plain_secrets: bool, include_states: bool, json_: bool) -> None:
    """Write DIRECTORY/<path>.resource.yaml and <path>.variable.yaml files (wmill sync layout).

    Secret fields become $var: references to linked secret variables, whose values are this
    workspace's ciphertext unless --plain-secrets.
    """
    from connectors.workspace.store import open_store
    from connectors.workspace.sync_format import export_workspace

    report = export_workspace(
        open_store(), directory, plain_secrets=plain_secrets, include_states=include_states
    )
    data = {
        "directory": str(directory),
        "resources": report.resources,
        "variables": report.variables,
        "linked_secrets": report.linked_secrets,
        "windmill_encrypted": report.windmill_encrypted,
    }
    line = (
        f"exported {report.resources} resource(s), {report.variables} variable(s) and "
        f"{report.linked_secrets} linked secret(s) to {directory}"
    )
    if report.windmill_encrypted:
        line += f" ({report.windmill_encrypted} secret(s) in Windmill's ciphertext, as imported)"
    print_result(json_, data, line)


@workspace_group.command("import")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--plain-secrets",
    "secrets",
    flag_value="plain",
    help="The secrets are in clear (wmill sync pull --plain-secrets).",
)
@click.option(
    "--windmill-encrypted-secrets",
    "secrets",
    flag_value="encrypted",
    help="Every secret not sealed by this workspace is Windmill ciphertext (wmill sync pull).",
)
@json_option
def import_command(directory: Path, secrets: str | None, json_: bool) -> None:
    """Read *.resource.yaml|json and *.variable.yaml|json files from DIRECTORY.

    Every file is validated first; when one is wrong nothing is imported. A secret in Windmill's
    own ciphertext (told by Windmill's own test unless a flag says) is kept as such, marked; a
    resource type not installed here is imported untyped (any) with a warning.
    """
    from connectors.workspace.store import open_store
    from connectors.workspace.sync_format import import_workspace

    plain = {"plain": True, "encrypted": False}.get(secrets or "")
    report = import_workspace(open_store(), directory, plain_secrets=plain)
    for line in report.warnings:
        warn(line)
    if report.windmill_encrypted:
        warn(
            f"{report.windmill_encrypted} secret(s) kept in Windmill's ciphertext: only that "
            "Windmill can read them (use --plain-secrets if the files hold them in clear)"
        )
    data = {
        "resources": report.resources,
        "variables": report.variables,
        "windmill_encrypted": report.windmill_encrypted,
        "warnings": report.warnings,
    }
    line = f"imported {report.resources} resource(s) and {report.variables} variable(s)"
    print_result(json_, data, line)
