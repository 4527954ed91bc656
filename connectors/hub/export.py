"""Write the resource types and hub scripts of every registered connector to a folder.

``hub`` format (this repository's own layout, for a hub or another checkout)::

    resource_types/<type>.json                 {"description", "schema"}
    hub_scripts/<type>/<name>.py
    hub_scripts/<type>/<name>.script.yaml      summary, description, kind, schema

``wmill`` format (a ``wmill sync push`` tree, reference/windmill.md §5), what ``wmill sync pull``
and ``wmill generate-metadata`` would have written::

    <type>.resource-type.yaml                  description, schema, format_extension, is_fileset
    f/<type>/folder.meta.yaml                  the folder each type's scripts live in
    f/<type>/<name>.py
    f/<type>/<name>.script.yaml                summary, description, lock, kind, schema
    f/<type>/<name>.script.lock                the requirements pinned by ``uv pip compile``
    wmill-lock.yaml                            the hash ``wmill generate-metadata`` keeps per script
    wmill.yaml                                 only when absent: includes f/** and resource types

Each script's requirements come from its imports with the right PyPI names
(``connectors.hub.requirements``); each distinct set is resolved once (``connectors.hub.lock``).
``locks=False`` writes the metadata without a lock (Windmill then resolves on deploy).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from connectors.hub.catalog import (
    HubScript,
    discover,
    dump_yaml,
    render_sidecar,
    sidecar_with_schema,
)
from connectors.schemas import resource_type_documents, write_documents

FORMATS = ("hub", "wmill")
WMILL_LOCKFILE = "wmill-lock.yaml"
WMILL_YAML = {
    "defaultTs": "bun",
    "includes": ["f/**", "*.resource-type.yaml"],
    "excludes": [],
    "skipVariables": True,
    "skipResources": True,
    "skipResourceTypes": False,
    "skipSecrets": True,
}


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


def wmill_script_metadata(script: HubScript, lock_ref: str | None) -> dict[str, Any]:
    """The ``.script.yaml`` of ``wmill``: keys in the order its YAML writer sorts them."""
    metadata = sidecar_with_schema(script)
    return {
        "summary": metadata["summary"],
        "description": metadata["description"],
        "lock": f"!inline {lock_ref}" if lock_ref else "",
        "kind": metadata["kind"],
        "schema": generate_metadata_schema(metadata["schema"]),
    }


def generate_metadata_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` as ``wmill generate-metadata`` writes it: each property with ``default`` (null
    when none) and the ``originalType`` its editor keys on; a list of resources in its form."""
    properties = {
        name: _generate_metadata_property(prop) for name, prop in schema["properties"].items()
    }
    return {**schema, "properties": properties}


def _generate_metadata_property(prop: dict[str, Any]) -> dict[str, Any]:
    out = dict(prop)
    kind = prop.get("type")
    if kind == "string" and prop.get("contentEncoding") == "base64":
        out["originalType"] = "bytes"
    elif kind == "string" and "enum" in prop:
        out["originalType"] = "enum"
    elif kind == "string" and "format" not in prop:
        out["originalType"] = "string"
    elif kind == "object" and "format" not in prop:
        out.setdefault("properties", {})  # a plain dict: an object with no known properties
    elif kind == "array" and isinstance(prop.get("items"), dict):
        items = dict(prop["items"])
        fmt = str(items.get("format", ""))
        if items.get("type") == "object" and fmt.startswith("resource-"):
            items = {"type": "resource", "resourceType": fmt.removeprefix("resource-")}
        out["items"] = items
        out["originalType"] = _ARRAY_ORIGINAL_TYPES.get(
            (str(items.get("type")), "enum" in items, "contentEncoding" in items), "object[]"
        )
    out.setdefault("default", None)
    return out


#: (items type, has enum, base64) -> the originalType wmill writes for that array
_ARRAY_ORIGINAL_TYPES = {
    ("string", False, False): "string[]",
    ("string", True, False): "enum[]",
    ("string", False, True): "bytes[]",
    ("number", False, False): "number[]",
    ("resource", False, False): "resource[]",
    ("object", False, False): "record[]",
}


def metadata_hash(script_text: str, metadata_text: str) -> str:
    """The hash ``wmill generate-metadata`` stores for a script without workspace dependencies."""
    return hashlib.sha256((json.dumps({}) + script_text + metadata_text).encode()).hexdigest()


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
    written = write_documents(folder / "resource_types", resource_type_documents())
    for script in scripts:
        base = folder / "hub_scripts" / script.type_name
        _write(base / f"{script.name}.py", script.source(), written)
        _write(
            base / f"{script.name}.script.yaml", render_sidecar(script_metadata(script)), written
        )
    return written


def export_wmill(folder: Path, scripts: list[HubScript], *, locks: bool = True) -> list[Path]:
    """A ``wmill sync push`` tree: resource types, folders, scripts with locks, wmill.yaml."""
    from connectors.hub.lock import Locker
    from connectors.hub.requirements import requirements

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
    wanted = {script.ref: requirements(script.source()) for script in scripts}
    locker = Locker()
    if locks:
        locker.lock_all(wanted.values())
    hashes: dict[str, str] = {}
    for script in scripts:
        target = folder / f"{script.job_path}.py"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(script.path, target)
        written.append(target)
        lock_text = locker.lock(wanted[script.ref]) if locks else ""
        lock_ref = f"{script.job_path}.script.lock" if lock_text else None
        if lock_ref:
            _write(folder / lock_ref, lock_text, written)
        text = dump_yaml(wmill_script_metadata(script, lock_ref))
        _write(folder / f"{script.job_path}.script.yaml", text, written)
        hashes[script.job_path] = metadata_hash(script.source(), text)
    if hashes:
        _write(folder / WMILL_LOCKFILE, _lockfile(folder / WMILL_LOCKFILE, hashes), written)
    settings = folder / "wmill.yaml"
    if not settings.exists():
        _write(settings, dump_yaml(WMILL_YAML), written)
    return written


def _lockfile(path: Path, hashes: dict[str, str]) -> str:
    """``wmill-lock.yaml`` (version v2) with ``hashes`` merged into the entries already there."""
    current: dict[str, Any] = {}
    if path.is_file():
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(loaded, dict) and loaded.get("version") == "v2":
            current = dict(loaded.get("locks") or {})
    current.update(hashes)
    return dump_yaml({"version": "v2", "locks": dict(sorted(current.items()))})
