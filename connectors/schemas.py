"""The ``<name>.json`` hub documents: the built-ins' committed ``resource_types``, a plugin's own.

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
    """Type name -> hub document, for the types the built-in plugins register, generated from
    their models (what ``resource_types/`` must hold)."""
    return {connector.name: generated_document(connector) for connector in plugin_types()}


def resource_type_documents() -> dict[str, dict[str, Any]]:
    """Type name -> hub document (``{"description", "schema"}``) of every registered type, as
    its connector serves it (what the exporters and the publisher write)."""
    registry = get_registry()
    return {
        name: registry.connectors[name].resource_type.hub_document()
        for name in sorted(registry.connectors)
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


def plugin_types(plugin: str | None = None) -> list[Connector]:
    """The connectors plugin ``plugin`` registered (its entry-point or built-in name), sorted by
    type; every built-in plugin's when None. A PluginError names the plugins when it is none."""
    from connectors.errors import PluginError

    registry = get_registry()
    infos = [i for i in registry.plugins if (i.name == plugin if plugin else i.builtin)]
    if plugin and not infos:
        known = ", ".join(sorted(i.name for i in registry.plugins))
        raise PluginError(f"no plugin named {plugin!r} (plugins: {known})")
    names = sorted(name for info in infos for name in info.registered)
    return [registry.connectors[name] for name in names]


def write_documents(folder: Path, documents: dict[str, dict[str, Any]]) -> list[Path]:
    """Write ``<name>.json`` for each document, in name order; returns the paths written (the one
    writer of these files: ``schema --write-dir``, ``hub export``)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, document in sorted(documents.items()):
        path = folder / f"{name}.json"
        path.write_text(render(document), encoding="utf-8")
        written.append(path)
    return written


def write_resource_types(folder: Path, connectors: list[Connector] | None = None) -> list[Path]:
    """Write ``<name>.json`` for each of ``connectors`` (the built-ins' by default), generated
    from its model when it declares one (a plugin's too: the same code for every type)."""
    chosen = plugin_types() if connectors is None else connectors
    return write_documents(folder, {c.name: generated_document(c) for c in chosen})


def write_resource_type(folder: Path, connector: Connector) -> Path:
    """Write ``<name>.json`` for one connector; returns the path written."""
    return write_resource_types(folder, [connector])[0]
