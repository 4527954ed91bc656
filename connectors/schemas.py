"""The committed ``resource_types/<name>.json`` files: generated from the built-in plugins.

The built-in types are declared as pydantic models (``connectors/<type>/model.py``); the JSON
files are generated from them and are what the connectors read at run time, so listing types,
parsing and validating never import pydantic. ``connectors schema --write-dir resource_types``
regenerates them; a test fails when a file and its model drift apart.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from connectors.connector import Connector
from connectors.plugins import get_registry


def builtin_documents() -> dict[str, dict[str, Any]]:
    """Type name -> hub document, for the types the built-in plugins register."""
    registry = get_registry()
    return {
        name: generated_document(registry.connectors[name])
        for info in registry.plugins
        if info.builtin
        for name in sorted(info.registered)
    }


def generated_document(connector: Connector) -> dict[str, Any]:
    """The hub document of ``connector``, generated from its model when it declares one."""
    if connector.model is None:
        return connector.resource_type.hub_document()
    from connectors.model_schema import hub_schema
    from connectors.models import model_of

    return {"description": connector.description, "schema": hub_schema(model_of(connector))}


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


def write_resource_type(folder: Path, connector: Connector) -> Path:
    """Write ``<name>.json`` for one connector (a plugin's too); returns the path written."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{connector.name}.json"
    path.write_text(render(connector.resource_type.hub_document()), encoding="utf-8")
    return path
