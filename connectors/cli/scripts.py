"""``connectors scripts`` (list the hub scripts) and ``connectors run`` (run a script locally)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from connectors.cli.output import json_option, print_json, print_table, show_secrets_option


@click.command("scripts")
@click.argument("type_name", required=False)
@json_option
def scripts_command(type_name: str | None, json_: bool) -> None:
    """List the hub scripts of every installed connector (or of TYPE)."""
    from connectors.hub.catalog import discover

    scripts = discover(type_name)
    if json_:
        print_json([script.to_dict() for script in scripts])
        return
    rows = []
    for script in scripts:
        schema = script.schema()
        required = set(schema["required"])
        args = [name if name in required else f"[{name}]" for name in schema["properties"]]
        rows.append([script.ref, script.kind, args, script.summary])
    print_table(["script", "kind", "arguments", "summary"], rows)


@click.command("run")
@click.argument("ref", metavar="TYPE/NAME|PATH.py")
@click.option(
    "--resource",
    "resource_spec",
    metavar="PATH|$res:PATH|CONNSTRING",
    help="The resource: a workspace path, a $res: reference or a connection string.",
)
@click.option("--arg", "pairs", multiple=True, metavar="NAME=VALUE", help="An argument of main().")
@click.option(
    "--args-json",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A JSON object of arguments ('-' reads stdin); --arg values override it.",
)
@json_option
@show_secrets_option
def run_command(
    ref: str,
    resource_spec: str | None,
    pairs: tuple[str, ...],
    args_json: Path | None,
    json_: bool,
    show_secrets: bool,
) -> None:
    """Run a hub script or any script file locally and print its result as JSON.

    In the script, `import wmill` gives connectors.wmill (the real wmill client is not used).
    """
    from connectors import progress
    from connectors.hub.runner import run

    json_args = _read_args_json(args_json) if args_json is not None else None
    done = run(
        ref,
        resource=resource_spec,
        pairs=list(pairs),
        json_args=json_args,
        show_secrets=show_secrets,
        progress=progress.wanted(json_),
    )
    if json_:
        print_json({"script": done.script.ref, "args": done.args, "result": done.result})
    else:
        print_json(done.result)


def _read_args_json(path: Path) -> dict[str, Any]:
    from connectors.text import check_json_depth, read_file, read_stdin

    text = read_stdin() if str(path) == "-" else read_file(path)
    try:
        data = json.loads(check_json_depth(text, "--args-json"))
    except json.JSONDecodeError as exc:
        raise click.UsageError(f"--args-json: not JSON (line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise click.UsageError("--args-json must hold a JSON object of argument names to values")
    return data
