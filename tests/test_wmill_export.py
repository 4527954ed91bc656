"""`connectors hub export --format wmill` is what `wmill sync push` expects, per Windmill's CLI.

The export's lock files are resolved for real (`uv pip compile` against PyPI), from the right
PyPI names; `wmill lint --locks-required` (npm windmill-cli) passes on it, and
`wmill generate-metadata rehash` finds the hashes in `wmill-lock.yaml` already current.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from windmill_tools import generate_metadata_schemas, unavailable, wmill

from connectors.hub.catalog import discover
from connectors.hub.export import export
from connectors.hub.lock import Locker
from connectors.hub.requirements import requirements


def _uv() -> None:
    try:
        from connectors.hub.lock import uv_executable

        uv_executable()
    except Exception as exc:
        unavailable(str(exc))


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    _uv()
    folder = tmp_path_factory.mktemp("wmill-sync")
    export(folder, "wmill")
    return folder


def _lock_lines(folder: Path, ref: str) -> list[str]:
    return (folder / "f" / f"{ref}.script.lock").read_text(encoding="utf-8").splitlines()


def _names(lines: list[str]) -> set[str]:
    return {line.split("==")[0] for line in lines[1:]}


def test_every_script_has_a_resolved_lock(exported):
    for script in discover():
        meta = yaml.safe_load((exported / f"{script.job_path}.script.yaml").read_text())
        assert meta["lock"] == f"!inline {script.job_path}.script.lock"
        assert list(meta) == ["summary", "description", "lock", "kind", "schema"]
        lines = _lock_lines(exported, script.ref)
        assert lines[0] == "# py: 3.11"
        assert lines[1:] and all("==" in line for line in lines[1:]), script.ref
    for type_name in {s.type_name for s in discover()}:
        folder = yaml.safe_load((exported / "f" / type_name / "folder.meta.yaml").read_text())
        assert folder["display_name"] == type_name


def test_locks_use_the_right_pypi_names(exported):
    mongo = _names(_lock_lines(exported, "mongodb/find"))  # from bson import ...
    assert "pymongo" in mongo and "bson" not in mongo
    azure = _names(_lock_lines(exported, "azure_blob/delete_blob"))  # azure.core, azure.storage
    assert {"azure-core", "azure-storage-blob"} <= azure and "azure" not in azure
    postgres = _names(_lock_lines(exported, "postgresql/execute_query"))
    assert {"psycopg", "psycopg-binary"} <= postgres


def test_wmill_lint_locks_required_passes(exported):
    done = wmill("lint", "--locks-required", cwd=exported)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Lint passed" in done.stdout + done.stderr


def test_wmill_lint_fails_without_locks(tmp_path):
    """The check is real: the same export without locks is refused."""
    export(tmp_path, "wmill", discover("redis"), locks=False)
    done = wmill("lint", "--locks-required", cwd=tmp_path)
    assert done.returncode == 1
    assert "Missing lock for python3 script" in done.stdout + done.stderr


def test_wmill_lock_yaml_is_what_generate_metadata_keeps(exported, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(exported, copy)
    before = (copy / "wmill-lock.yaml").read_text()
    done = wmill("generate-metadata", "rehash", cwd=copy)
    assert done.returncode == 0, done.stdout + done.stderr
    assert yaml.safe_load((copy / "wmill-lock.yaml").read_text()) == yaml.safe_load(before)


def test_schemas_are_what_generate_metadata_writes(exported):
    """Windmill's parser and schema code (windmill-utils-internal) change nothing in them."""
    ours = {
        path: yaml.safe_load(path.with_suffix(".script.yaml").read_text())["schema"]
        for path in sorted((exported / "f").glob("*/*.py"))
    }
    theirs = generate_metadata_schemas(ours)
    assert {p.stem for p in ours if theirs[p] != ours[p]} == set()
    execute_query = ours[exported / "f/postgresql/execute_query.py"]["properties"]
    assert execute_query["query"]["originalType"] == "string"
    assert execute_query["args"]["originalType"] == "string[]"
    assert execute_query["args"]["default"] is None


def test_each_distinct_requirement_set_is_resolved_once(exported):
    scripts = discover()
    sets = {tuple(requirements(s.source())) for s in scripts}
    locker = Locker()
    locker.lock_all([requirements(s.source()) for s in scripts[:3]] * 3)
    assert locker.resolutions == len({tuple(requirements(s.source())) for s in scripts[:3]})
    assert len(sets) < len(scripts)


def test_requirements_from_imports():
    source = textwrap.dedent(
        """
        import os, json
        from bson import json_util
        from bson.objectid import ObjectId
        import pymongo
        from azure.core.exceptions import ResourceNotFoundError
        from azure.storage.blob import ContainerClient
        import upstash_redis
        import yaml
        from google.cloud import storage
        from google.oauth2 import service_account
        from . import sibling
        import wmill

        def main():
            import inner_only
        """
    )
    found = requirements(source)
    assert "pymongo>=4.6" in found and not any(r.startswith("bson") for r in found)
    assert "azure-core" in found and "azure-storage-blob>=12.19" in found
    assert "google-cloud-storage" in found and "google-auth" in found
    assert not any(r.startswith(("google ", "google=")) or r == "google" for r in found)
    assert "upstash-redis>=1.1" in found and "pyyaml>=6" in found and "wmill" in found
    assert not any(r.startswith(("os", "json", "sibling", "inner", "azure ")) for r in found)


def test_requirements_header_replaces_or_extends_the_inference():
    declared = "#requirements:\n#pymongo==4.6.1\n#dnspython\n\nimport bson\ndef main(): ...\n"
    assert requirements(declared) == ["pymongo==4.6.1", "dnspython"]
    extra = "#extra_requirements:\n#tenacity>=8\n\nimport redis\ndef main(): ...\n"
    assert requirements(extra) == ["redis>=5", "tenacity>=8"]
