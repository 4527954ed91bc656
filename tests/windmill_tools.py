"""Windmill's own tools, from npm (installed into .ci/node by .ci/run), for the tests that need
more than the parser: ``wmill generate-metadata``'s schemas and the ``wmill`` CLI. The parser and
the sidecar comparison are ``connectors.testing.windmill`` (the plugin author kit uses them).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from connectors.testing.windmill import (
    disagreements,
    node,
    package,
    parse_python,
    unavailable,
    windmill_schema,
)

__all__ = [
    "ROOT",
    "disagreements",
    "generate_metadata_schemas",
    "parse_python",
    "unavailable",
    "windmill_schema",
    "wmill",
]

ROOT = Path(__file__).resolve().parent.parent
METADATA_SCRIPT = Path(__file__).with_name("windmill_metadata.mjs")


def generate_metadata_schemas(scripts: dict[Path, dict[str, Any]]) -> dict[Path, dict[str, Any]]:
    """The schema ``wmill generate-metadata`` writes for each script, given the one it has."""
    modules = package("windmill-parser-wasm-py").parent
    if package("windmill-utils-internal").parent != modules:
        unavailable("windmill-parser-wasm-py and windmill-utils-internal are in different places")
    payload = {
        "modules": str(modules),
        "scripts": [{"file": str(f), "schema": schema} for f, schema in scripts.items()],
    }
    done = subprocess.run(
        [node(), str(METADATA_SCRIPT)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return {Path(name): schema for name, schema in json.loads(done.stdout).items()}


def wmill(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``wmill ARGS`` in ``cwd``, with a throwaway config dir and no colours."""
    cli = package("windmill-cli") / "esm" / "main.js"
    env = {**os.environ, "NO_COLOR": "1", "WMILL_CONFIG_DIR": str(cwd / ".wmill-config")}
    return subprocess.run(
        [node(), str(cli), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
