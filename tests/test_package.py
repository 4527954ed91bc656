"""Package-level contracts: the public names, committed schemas, lint and types."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import connectors
from connectors.schemas import builtin_documents, render

ROOT = Path(__file__).resolve().parents[1]

PUBLIC = [
    "CheckError",
    "CheckResult",
    "CheckStep",
    "Connector",
    "ConnectorsError",
    "Match",
    "MissingDriverError",
    "ParseError",
    "PluginError",
    "Resource",
    "ResourceType",
    "S3Object",
    "UnknownTypeError",
    "ValidationError",
    "WorkspaceError",
    "boto3_connection_settings",
    "check",
    "connect",
    "delete_s3_object",
    "duckdb_connection_settings",
    "get_flow_user_state",
    "get_resource",
    "get_shared_state",
    "get_state",
    "get_state_path",
    "get_variable",
    "hookimpl",
    "list_resources",
    "load_s3_file",
    "load_s3_file_reader",
    "parse",
    "polars_connection_settings",
    "redact",
    "resource_types",
    "set_flow_user_state",
    "set_resource",
    "set_shared_state",
    "set_state",
    "set_variable",
    "sign_s3_object",
    "sign_s3_objects",
    "to_connection_string",
    "validate",
    "write_s3_file",
]


def test_public_api_is_pinned_and_sorted():
    assert connectors.__all__ == sorted(connectors.__all__)
    assert set(PUBLIC) <= set(connectors.__all__)


def test_every_public_name_resolves():
    for name in connectors.__all__:
        assert getattr(connectors, name) is not None, name


def test_importing_the_package_imports_nothing_heavy():
    heavy = ("pydantic", "jsonschema", "psycopg", "boto3", "pymongo", "redis", "azure")
    probe = f"import sys, connectors; print([m for m in sys.modules if m.startswith({heavy})])"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip() == "[]"


def test_resource_types_folder_matches_the_plugins():
    """Fails when a schema changed in code but `connectors schema --write-dir resource_types`
    was not rerun (or the other way round)."""
    documents = builtin_documents()
    committed = {path.stem: path for path in (ROOT / "resource_types").glob("*.json")}
    assert sorted(committed) == sorted(documents)
    for name, document in documents.items():
        assert committed[name].read_text(encoding="utf-8") == render(document), name
        assert json.loads(committed[name].read_text())["schema"]["type"] == "object"


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return found


def test_ruff_is_clean():
    result = subprocess.run([_tool("ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    result = subprocess.run(
        [_tool("ruff"), "format", "--check", "connectors"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean():
    result = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
