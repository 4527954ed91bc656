"""The hub scripts of every registered connector, built-in or third-party, and their sidecars.

A script is ``<scripts_dir>/<name>.py`` with a sidecar ``<name>.script.yaml`` holding
``summary``, ``description``, ``kind`` (script or trigger) and ``schema`` (the inputs' JSON
Schema, inferred from ``main``'s signature; ``connectors hub sidecars`` keeps it current).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from connectors.errors import ConnectorsError
from connectors.hub.signature import Signature, infer_file

SIDECAR_SUFFIX = ".script.yaml"
KINDS = ("script", "trigger", "failure", "command", "approval", "preprocessor")
#: key order of a sidecar as written by ``write_sidecar``
SIDECAR_KEYS = ("summary", "description", "kind", "schema")


class HubError(ConnectorsError, ValueError):
    """A hub script that cannot be found, read, run, exported or published (message says why)."""


@dataclass
class HubScript:
    """One hub script: where it lives, what its sidecar says, and the plugin it came from."""

    type_name: str
    name: str
    path: Path
    metadata: dict[str, Any] = field(default_factory=dict)
    builtin: bool = True
    #: why the sidecar could not be read (the script is still listed)
    problem: str | None = None

    @property
    def ref(self) -> str:
        """``<type>/<name>``, as ``connectors run`` takes it."""
        return f"{self.type_name}/{self.name}"

    @property
    def sidecar_path(self) -> Path:
        """``<name>.script.yaml`` beside the script."""
        return self.path.with_name(self.name + SIDECAR_SUFFIX)

    @property
    def job_path(self) -> str:
        """The Windmill path the script runs as (and is exported to): ``f/<type>/<name>``."""
        return f"f/{self.type_name}/{self.name}"

    @property
    def summary(self) -> str:
        """The sidecar's summary, else the name with spaces."""
        return str(self.metadata.get("summary") or self.name.replace("_", " "))

    @property
    def description(self) -> str:
        """The sidecar's description ('' when none)."""
        return str(self.metadata.get("description") or "")

    @property
    def kind(self) -> str:
        """The sidecar's kind, ``script`` by default."""
        return str(self.metadata.get("kind") or "script")

    def source(self) -> str:
        """The script's text."""
        return self.path.read_text(encoding="utf-8")

    def signature(self) -> Signature:
        """``main``'s signature, read from the source without importing it."""
        return infer_file(self.path)

    def schema(self) -> dict[str, Any]:
        """The inputs' schema: inferred from the source (the sidecar may be stale)."""
        return self.signature().schema

    def to_dict(self) -> dict[str, Any]:
        """The script as ``connectors scripts --json`` lists it."""
        return {
            "type": self.type_name,
            "name": self.name,
            "summary": self.summary,
            "description": self.description,
            "kind": self.kind,
            "path": str(self.path),
            "builtin": self.builtin,
            "schema": self.schema(),
        }


def read_sidecar(path: Path) -> dict[str, Any]:
    """The sidecar's mapping ({} when it does not exist)."""
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise HubError(f"{path}: not valid YAML{where}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise HubError(f"{path}: a sidecar must be a mapping")
    return data


class _Dumper(yaml.SafeDumper):
    """PyYAML writes U+0085 (NEL) raw in a single-quoted scalar and reads it back as a space:
    such strings are written double-quoted, where it is the escape ``\\N``."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = '"' if "\x85" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """``data`` as YAML in the hub's style: keys in the given order, unicode kept."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def render_sidecar(metadata: dict[str, Any]) -> str:
    """The sidecar text: known keys first, in order, then any others the author added."""
    ordered = {key: metadata[key] for key in SIDECAR_KEYS if key in metadata}
    ordered.update({k: v for k, v in metadata.items() if k not in ordered})
    return dump_yaml(ordered)


def scripts_in(folder: Path, type_name: str, *, builtin: bool = True) -> list[HubScript]:
    """The hub scripts in one connector's ``scripts_dir`` (``_private.py`` files skipped)."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        name = path.stem
        try:
            metadata, problem = read_sidecar(path.with_name(name + SIDECAR_SUFFIX)), None
        except HubError as exc:
            metadata, problem = {}, str(exc)
        found.append(HubScript(type_name, name, path, metadata, builtin=builtin, problem=problem))
    return found


def discover(type_name: str | None = None, *, builtin_only: bool = False) -> list[HubScript]:
    """Every hub script of every registered connector (or of ``type_name``), sorted."""
    from connectors.plugins import get_connector, get_registry

    registry = get_registry()
    names = [type_name] if type_name is not None else sorted(registry.connectors)
    found: list[HubScript] = []
    for name in names:
        connector = get_connector(name)
        origin = registry.origin(name)
        builtin = origin is None or origin.builtin
        if builtin_only and not builtin:
            continue
        if connector.scripts_dir is not None:
            found.extend(scripts_in(Path(connector.scripts_dir), name, builtin=builtin))
    return found


def find(ref: str) -> HubScript:
    """The script named ``TYPE/NAME``, or a NotFoundError listing that type's scripts."""
    type_name, sep, name = ref.partition("/")
    if not sep or not type_name or not name:
        raise HubError(f"give the script as TYPE/NAME, not {ref!r}")
    scripts = discover(type_name)
    for script in scripts:
        if script.name == name:
            return script
    known = ", ".join(s.name for s in scripts) or "none"
    raise HubError(f"no hub script {ref!r} (scripts of {type_name}: {known})")


def sidecar_with_schema(script: HubScript) -> dict[str, Any]:
    """The sidecar's content with ``schema`` replaced by the inferred one."""
    metadata = dict(script.metadata)
    metadata.setdefault("summary", script.summary)
    metadata.setdefault("description", script.description)
    metadata.setdefault("kind", script.kind)
    metadata["schema"] = script.schema()
    return metadata


def write_sidecar(script: HubScript) -> bool:
    """(Re)write the sidecar's ``schema`` from the signature; True when the file changed.

    A sidecar that cannot be read is left alone (HubError): its summary and description would
    be lost.
    """
    if script.problem is not None:
        raise HubError(script.problem)
    metadata = sidecar_with_schema(script)
    text = render_sidecar(metadata)
    old = script.sidecar_path.read_text(encoding="utf-8") if script.sidecar_path.is_file() else None
    if old == text:
        return False
    script.sidecar_path.write_text(text, encoding="utf-8")
    script.metadata = metadata
    return True


def drift(script: HubScript) -> str | None:
    """Why the sidecar's schema differs from the inferred one, or None when they agree."""
    if script.problem is not None:
        return script.problem
    stored = script.metadata.get("schema")
    inferred = script.schema()
    if stored is None:
        return f"{script.ref}: the sidecar has no schema (run `connectors hub sidecars`)"
    if stored != inferred:
        return f"{script.ref}: the sidecar schema differs from main()'s signature"
    kind = script.metadata.get("kind")
    if kind not in KINDS:
        return f"{script.ref}: kind {kind!r} is not one of {', '.join(KINDS)}"
    return None
