"""The writers under the export formats: TOML tables, shell-quoted values, wmill YAML."""

from __future__ import annotations

import json
import re
from typing import Any

from connectors.resource import Resource

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_tables(tables: dict[str, dict[str, Any]]) -> str:
    """``[name]`` tables of ``key = value`` lines."""
    blocks = []
    for name, table in tables.items():
        lines = [f"[{name}]", *(f"{_toml_key(k)} = {_toml(val)}" for k, val in table.items())]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        inner = ", ".join(f"{_toml_key(k)} = {_toml(v)}" for k, v in value.items() if v is not None)
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value))  # a JSON string is a TOML basic string


def shell_quoted(value: str) -> str:
    """Quoted for a shell and for .env readers, only when it needs to be."""
    if re.fullmatch(r"[A-Za-z0-9_@%+=:,./\-]*", value):
        return value
    if "'" not in value:
        return f"'{value}'"
    return '"' + re.sub(r'(["\\$`])', r"\\\1", value) + '"'


def wmill_resource_yaml(resource: Resource, description: str = "") -> str:
    """``<path>.resource.yaml``: ``{description, value, resource_type}``, as in ``wmill sync``."""
    from connectors.hub.catalog import dump_yaml

    body = {
        "description": description,
        "value": resource.value,
        "resource_type": resource.resource_type,
    }
    return dump_yaml(body)
