"""Write the resource types and hub scripts of every registered connector to a folder.

``hub`` format (this repository's own layout, for a hub or another checkout)::

    resource_types/<type>.json                 {"description", "schema"}
    hub_scripts/<type>/<name>.py
    hub_scripts/<type>/<name>.script.yaml      summary, description, kind, schema

``wmill`` format (a ``wmill sync push`` tree, reference/windmill.md §5)::

    <type>.resource-type.yaml                  description, schema, format_extension, is_fileset
    f/<type>/folder.meta.yaml                  the folder each type's scripts live in
    f/<type>/<name>.py
    f/<type>/<name>.script.yaml                summary, description, kind, language, schema
    wmill.yaml                                 only when absent: includes f/** and resource types

The script metadata has no ``lock``: Windmill computes it from the imports on deploy (or run
``wmill script generate-metadata`` before pushing).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from connectors.hub.catalog import (
    HubScript,
    discover,
    dump_yaml,
    render_sidecar,
    sidecar_with_schema,
)

FORMATS = ("hub", "wmill")
WMILL_YAML = {
    "defaultTs": "bun",
    "includes": ["f/**", "*.resource-type.yaml"],
    "excludes": [],
    "skipVariables": True,
    "skipResources": True,
    "skipResourceTypes": False,
    "skipSecrets": True,
}


def resource_type_documents(builtin_only: bool = False) -> dict[str, dict[str, Any]]:
    """Type name -> hub document (``{"description", "schema"}``) of every registered type."""
    from connectors.plugins import get_registry

    registry = get_registry()
    documents = {}
    for name in sorted(registry.connectors):
        origin = registry.origin(name)
        if builtin_only and origin is not None and not origin.builtin:
            continue
        documents[name] = registry.connectors[name].resource_type.hub_document()
    return documents


def script_metadata(script: HubScript, *, wmill: bool = False) -> dict[str, Any]:
    """The script's metadata with the inferred schema (plus ``language`` for wmill)."""
    metadata = sidecar_with_schema(script)
    if wmill:
        metadata = {
            "summary": metadata["summary"],
            "description": metadata["description"],
            "kind": metadata["kind"],
            "language": "python3",
            "schema": metadata["schema"],
        }
    return metadata


def _write(path: Path, text: str, written: list[Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    written.append(path)


def export(
    folder: Path, fmt: str, scripts: list[HubScript] | None = None, *, locks: bool = True
) -> list[Path]:
    """Write every resource type and hub script in format ``fmt``; returns the files written.

    ``locks=False`` skips resolving the wmill format's lock files.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    scripts = discover() if scripts is None else scripts
    if fmt == "hub":
        return export_hub(folder, scripts)
    return export_wmill(folder, scripts, locks=locks)


def export_hub(folder: Path, scripts: list[HubScript]) -> list[Path]:
    """This repository's layout: ``resource_types/`` and ``hub_scripts/`` with sidecars."""
    from connectors.schemas import render

    written: list[Path] = []
    for name, document in resource_type_documents().items():
        _write(folder / "resource_types" / f"{name}.json", render(document), written)
    for script in scripts:
        base = folder / "hub_scripts" / script.type_name
        _write(base / f"{script.name}.py", script.source(), written)
        _write(
            base / f"{script.name}.script.yaml", render_sidecar(script_metadata(script)), written
        )
    return written


def export_wmill(folder: Path, scripts: list[HubScript], *, locks: bool = True) -> list[Path]:
    """A ``wmill sync push`` tree: resource types, one folder per type, scripts, wmill.yaml."""
    written: list[Path] = []
    for name, document in resource_type_documents().items():
        body = {
            "description": document["description"],
            "schema": document["schema"],
            "format_extension": None,
            "is_fileset": False,
        }
        _write(folder / f"{name}.resource-type.yaml", dump_yaml(body), written)
    for type_name in sorted({s.type_name for s in scripts}):
        meta: dict[str, Any] = {
            "summary": None,
            "display_name": type_name,
            "owners": [],
            "extra_perms": {},
        }
        _write(folder / "f" / type_name / "folder.meta.yaml", dump_yaml(meta), written)
    for script in scripts:
        target = folder / f"{script.job_path}.py"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(script.path, target)
        written.append(target)
        metadata = script_metadata(script, wmill=True)
        _write(folder / f"{script.job_path}.script.yaml", dump_yaml(metadata), written)
    settings = folder / "wmill.yaml"
    if not settings.exists():
        _write(settings, dump_yaml(WMILL_YAML), written)
    return written
