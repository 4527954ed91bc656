"""Export and import in the ``wmill sync`` layout (reference/windmill.md §5).

Export writes ``<path>.resource.yaml`` (``{value, description, resource_type}``) and
``<path>.variable.yaml`` (``{value, is_secret, description}``) under a directory. Secrets never
land in clear: a resource's secret fields become ``$var:<path>`` references to a linked secret
variable at the resource's own path (Windmill's convention; a second secret of the same resource
goes to ``<path>_<field>``), and secret variables hold this workspace's ciphertext
(``$enc:v1:...``; importable into a workspace with the same key file). ``plain_secrets`` writes
secret variables in clear instead, for ``wmill sync push --plain-secrets``.

Import reads the same files, validates every one first (path, type, value) and writes nothing
when any is wrong; ``$var:`` references are kept as references.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from connectors.errors import ConnectorsError, WorkspaceError
from connectors.workspace import crypto
from connectors.workspace.paths import sanitize_segment, validate_path
from connectors.workspace.store import Store, check_value

RESOURCE_SUFFIXES = (".resource.yaml", ".resource.json")
VARIABLE_SUFFIXES = (".variable.yaml", ".variable.json")


@dataclass
class ExportReport:
    resources: int = 0
    variables: int = 0
    linked_secrets: int = 0


def _write(directory: Path, path: str, suffix: str, document: dict[str, Any]) -> None:
    target = directory / f"{path}{suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    target.write_text(text, encoding="utf-8")
    target.chmod(0o600)


def export_workspace(
    store: Store, directory: Path, *, plain_secrets: bool = False, include_states: bool = False
) -> ExportReport:
    from connectors.redact import secrets_of
    from connectors.workspace.sql_store import SqlStore, holds_secret

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
        value = item.value
        secrets = [s for s in secrets_of(item.resource_type, value) if isinstance(s, str) and s]

        def link(
            node: Any, key: str, item_path: str = item.path, found: list[str] = secrets
        ) -> Any:
            if isinstance(node, dict):
                return {k: link(v, k) for k, v in node.items()}
            if isinstance(node, list):
                return [link(v, key) for v in node]
            if isinstance(node, str) and found and holds_secret(node, found):
                var_path = item_path if item_path not in taken else ""
                if not var_path:
                    var_path = f"{item_path}_{sanitize_segment(key, 'secret')}"
                    n = 2
                    while var_path in taken:
                        var_path, n = f"{item_path}_{sanitize_segment(key, 'secret')}{n}", n + 1
                taken.add(var_path)
                document = {
                    "value": secret_text(node, var_path),
                    "is_secret": True,
                    "description": f"secret of resource {item_path}",
                }
                _write(directory, var_path, ".variable.yaml", document)
                report.linked_secrets += 1
                return f"$var:{var_path}"
            return node

        exported = link(value, "") if secrets else value
        _write(
            directory,
            item.path,
            ".resource.yaml",
            {
                "value": exported,
                "description": item.description,
                "resource_type": item.resource_type,
            },
        )
        report.resources += 1
    for variable in variables.values():
        document = {
            "value": secret_text(variable.value, variable.path)
            if variable.is_secret
            else variable.value,
            "is_secret": variable.is_secret,
            "description": variable.description,
        }
        _write(directory, variable.path, ".variable.yaml", document)
        report.variables += 1
    return report


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


def import_workspace(store: Store, directory: Path) -> ExportReport:
    """Import every ``*.resource.yaml|json`` and ``*.variable.yaml|json`` under ``directory``."""
    from connectors.workspace.sql_store import SqlStore

    if not directory.is_dir():
        raise WorkspaceError(f"{directory} is not a directory")
    variables: list[tuple[str, str, bool, str]] = []
    resources: list[tuple[str, str, Any, str]] = []
    problems: list[str] = []
    for file in sorted(directory.rglob("*")):
        name = file.name
        try:
            if name.endswith(VARIABLE_SUFFIXES):
                path = validate_path(_remote_path(directory, file, VARIABLE_SUFFIXES), "variable")
                data = _load(file)
                value = data.get("value", "")
                is_secret = bool(data.get("is_secret", False))
                if crypto.is_encrypted(value):
                    if not isinstance(store, SqlStore):
                        raise WorkspaceError(f"{path}: encrypted value needs a local workspace")
                    value = store.open_secret(value, f"variable:{path}")
                if not isinstance(value, str):
                    raise WorkspaceError(f"variable {path}: value must be a string")
                variables.append((path, value, is_secret, str(data.get("description") or "")))
            elif name.endswith(RESOURCE_SUFFIXES):
                path = validate_path(_remote_path(directory, file, RESOURCE_SUFFIXES))
                data = _load(file)
                kind = data.get("resource_type")
                if not isinstance(kind, str):
                    raise WorkspaceError(f"resource {path}: no resource_type")
                value = check_value(kind, data.get("value"))
                resources.append((path, kind, value, str(data.get("description") or "")))
        except ConnectorsError as exc:
            problems.append(f"{file.relative_to(directory)}: {exc}")
        except (OSError, ValueError, yaml.YAMLError) as exc:
            problems.append(f"{file.relative_to(directory)}: {type(exc).__name__}")
    if problems:
        raise WorkspaceError("nothing imported: " + "; ".join(problems))
    for path, text, is_secret, description in variables:
        store.put_variable(path, text, is_secret, description)
    for path, kind, value, description in resources:
        store.put_resource(path, kind, value, description)
    return ExportReport(resources=len(resources), variables=len(variables))
