"""Export and import in the ``wmill sync`` layout (reference/windmill.md §5).

Export writes ``<path>.resource.yaml`` (``{value, description, resource_type}``) and
``<path>.variable.yaml`` (``{value, is_secret, description}``) under a directory. Secrets never
land in clear: a resource's secret fields become ``$var:<path>`` references to a linked secret
variable at the resource's own path (Windmill's convention; a second secret of the same resource
goes to ``<path>_<field>``), and secret variables hold this workspace's ciphertext
(``$enc:v1:...``; importable into a workspace with the same key file). ``plain_secrets`` writes
secret variables in clear instead, for ``wmill sync push --plain-secrets``.

Import reads the same files, validates every one first (path, value) and writes nothing when
any is wrong; ``$var:`` references are kept as references. What ``wmill sync pull`` wrote is read
as Windmill means it: a secret in Windmill's own ciphertext (pulled without ``--plain-secrets``;
recognised by Windmill's own test, or told by ``plain_secrets``) is stored as a secret marked so
(``connectors.workspace.windmill_secrets``), never as if it were the secret, and is exported back
unchanged; a resource of a type this installation does not know is imported untyped (``any``)
with a warning instead of aborting the import.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from connectors.errors import ConnectorsError, WorkspaceError
from connectors.workspace import crypto, windmill_secrets
from connectors.workspace.interface import (
    FREE_TYPES,
    Store,
    StoredResource,
    StoredVariable,
    check_value,
)
from connectors.workspace.paths import sanitize_segment, validate_path
from connectors.workspace.sealing import holds_secret, secrets_in

RESOURCE_SUFFIXES = (".resource.yaml", ".resource.json")
VARIABLE_SUFFIXES = (".variable.yaml", ".variable.json")


@dataclass
class ExportReport:
    """How many resources, variables and linked secret variables an export or import wrote."""

    resources: int = 0
    variables: int = 0
    linked_secrets: int = 0
    #: secrets kept in (or written back as) Windmill's ciphertext
    windmill_encrypted: int = 0
    #: one line per thing imported differently from the file (an unknown type made untyped)
    warnings: list[str] = field(default_factory=list)


def _write(directory: Path, path: str, suffix: str, document: dict[str, Any]) -> None:
    from connectors.hub.catalog import dump_yaml  # reads back every string as written (U+0085)

    target = directory / f"{path}{suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dump_yaml(document), encoding="utf-8")
    target.chmod(0o600)


def export_workspace(
    store: Store, directory: Path, *, plain_secrets: bool = False, include_states: bool = False
) -> ExportReport:
    """Write every resource (and state, if asked) and variable of ``store`` under ``directory``."""
    from connectors.workspace.sql_store import SqlStore

    if not plain_secrets and not isinstance(store, SqlStore):
        raise WorkspaceError(
            f"the {store.kind} store cannot export encrypted secrets; "
            "use --plain-secrets or wmill sync pull"
        )

    def secret_text(text: str, path: str) -> str:
        if plain_secrets:
            return text
        assert isinstance(store, SqlStore)
        return store.seal_secret(text, f"variable:{path}")

    report = ExportReport()
    variables = {v.path: v for v in store.list_variables()}
    taken = set(variables)
    resources = store.list_resources()
    if include_states:
        resources += store.list_resources(["state"])
    for item in resources:
        _export_resource(directory, item, taken, secret_text, report)
    for variable in variables.values():
        value = variable.value
        if windmill_secrets.is_marked(value):
            value = windmill_secrets.ciphertext(value)  # back to Windmill as it came
            report.windmill_encrypted += 1
        elif variable.is_secret:
            value = secret_text(value, variable.path)
        document = {
            "value": value,
            "is_secret": variable.is_secret,
            "description": variable.description,
        }
        _write(directory, variable.path, ".variable.yaml", document)
        report.variables += 1
    return report


def _export_resource(
    directory: Path,
    item: StoredResource,
    taken: set[str],
    secret_text: Callable[[str, str], str],
    report: ExportReport,
) -> None:
    """Write one resource, its secret strings moved to linked secret variables."""
    secrets = secrets_in(item.resource_type, item.value)

    def link(node: Any, key: str) -> Any:
        if isinstance(node, dict):
            return {k: link(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [link(v, key) for v in node]
        if isinstance(node, str) and holds_secret(node, secrets):
            var_path = _linked_variable_path(item.path, key, taken)
            taken.add(var_path)
            document = {
                "value": secret_text(node, var_path),
                "is_secret": True,
                "description": f"secret of resource {item.path}",
            }
            _write(directory, var_path, ".variable.yaml", document)
            report.linked_secrets += 1
            return f"$var:{var_path}"
        return node

    document = {
        "value": link(item.value, "") if secrets else item.value,
        "description": item.description,
        "resource_type": item.resource_type,
    }
    _write(directory, item.path, ".resource.yaml", document)
    report.resources += 1


def _linked_variable_path(resource_path: str, key: str, taken: set[str]) -> str:
    """The resource's own path (Windmill's convention), else ``<path>_<field>[n]``, unused."""
    if resource_path not in taken:
        return resource_path
    base = f"{resource_path}_{sanitize_segment(key, 'secret')}"
    var_path, n = base, 2
    while var_path in taken:
        var_path, n = f"{base}{n}", n + 1
    return var_path


def _load(file: Path) -> dict[str, Any]:
    text = file.read_text(encoding="utf-8")
    data = json.loads(text) if file.suffix == ".json" else yaml.safe_load(text)
    if not isinstance(data, dict):
        raise WorkspaceError(f"{file}: not a mapping")
    return data


def _remote_path(directory: Path, file: Path, suffixes: tuple[str, ...]) -> str:
    relative = file.relative_to(directory).as_posix()
    for suffix in suffixes:
        if relative.endswith(suffix):
            return relative[: -len(suffix)]
    raise AssertionError(relative)


def import_workspace(
    store: Store, directory: Path, *, plain_secrets: bool | None = None
) -> ExportReport:
    """Import every ``*.resource.yaml|json`` and ``*.variable.yaml|json`` under ``directory``.

    ``plain_secrets``: True when the files hold secrets in clear (``wmill sync pull
    --plain-secrets``), False when every secret not sealed by this workspace is Windmill
    ciphertext, None to tell each one by Windmill's own test.
    """
    if not directory.is_dir():
        raise WorkspaceError(f"{directory} is not a directory")
    report = ExportReport()
    variables: list[StoredVariable] = []
    resources: list[StoredResource] = []
    problems: list[str] = []
    for file in sorted(directory.rglob("*")):
        try:
            if file.name.endswith(VARIABLE_SUFFIXES):
                variables.append(_read_variable(store, directory, file, plain_secrets, report))
            elif file.name.endswith(RESOURCE_SUFFIXES):
                resources.append(_read_resource(directory, file, report))
        except ConnectorsError as exc:
            problems.append(f"{file.relative_to(directory)}: {exc}")
        except (OSError, ValueError, yaml.YAMLError) as exc:
            problems.append(f"{file.relative_to(directory)}: {type(exc).__name__}")
    if problems:
        raise WorkspaceError("nothing imported: " + "; ".join(problems))
    for v in variables:
        store.put_variable(v.path, v.value, v.is_secret, v.description)
    for r in resources:
        store.put_resource(r.path, r.resource_type, r.value, r.description)
    report.resources, report.variables = len(resources), len(variables)
    return report


def _read_variable(
    store: Store, directory: Path, file: Path, plain_secrets: bool | None, report: ExportReport
) -> StoredVariable:
    from connectors.workspace.sql_store import SqlStore

    path = validate_path(_remote_path(directory, file, VARIABLE_SUFFIXES), "variable")
    data = _load(file)
    value = data.get("value", "")
    is_secret = bool(data.get("is_secret", False))
    if not isinstance(value, str):
        raise WorkspaceError(f"variable {path}: value must be a string")
    if crypto.is_encrypted(value):
        if not isinstance(store, SqlStore):
            raise WorkspaceError(f"{path}: encrypted value needs a local workspace")
        value = store.open_secret(value, f"variable:{path}")
    elif is_secret and _windmill_ciphertext(value, plain_secrets):
        value = windmill_secrets.mark(value)
        report.windmill_encrypted += 1
    return StoredVariable(path, value, is_secret, str(data.get("description") or ""))


def _windmill_ciphertext(value: str, plain_secrets: bool | None) -> bool:
    if plain_secrets is None:
        return windmill_secrets.looks_like_workspace_ciphertext(value)
    return not plain_secrets and bool(value)


def _read_resource(directory: Path, file: Path, report: ExportReport) -> StoredResource:
    from connectors.plugins import get_registry

    path = validate_path(_remote_path(directory, file, RESOURCE_SUFFIXES))
    data = _load(file)
    kind = data.get("resource_type")
    if not isinstance(kind, str) or not kind:
        raise WorkspaceError(f"resource {path}: no resource_type")
    if kind not in FREE_TYPES and kind not in get_registry().connectors:
        report.warnings.append(
            f"resource {path}: type {kind!r} is not installed here; imported untyped (any)"
        )
        kind = "any"
    value = check_value(kind, data.get("value"))
    return StoredResource(path, kind, value, str(data.get("description") or ""))
