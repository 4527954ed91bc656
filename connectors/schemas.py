"""The committed ``resource_types/<name>.json`` files: generated from the built-in plugins."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from connectors.plugins import get_registry


def builtin_documents() -> dict[str, dict[str, Any]]:
    """Type name -> hub document, for the types the built-in plugins register."""
    registry = get_registry()
    return {
        name: registry.connectors[name].resource_type.hub_document()
        for info in registry.plugins
        if info.builtin
        for name in sorted(info.registered)
    }


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_resource_types(folder: Path) -> list[Path]:
    """Write ``<name>.json`` for every built-in type; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, document in sorted(builtin_documents().items()):
        path = folder / f"{name}.json"
        path.write_text(render(document), encoding="utf-8")
        written.append(path)
    return written
