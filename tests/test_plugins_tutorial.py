"""docs/plugins.md builds a working distribution: its code blocks, installed with pip, run.

The fenced blocks that carry a file name (```python title="PATH"```) are written out as the
tutorial's distribution, installed with pip into a temporary target (no index, no build
isolation: the test environment's hatchling builds it, offline), and the commands of the page
are run on it: types, parse (masked, --format env, a placed error), check against a real SQLite
file, run of its hub script, schema --write-dir, plugins, and its own tests (the contract kit).
"""

from __future__ import annotations

import inspect
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from connectors import hookspecs
from connectors.connector import Connector

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "plugins.md"
BLOCK = re.compile(r'^```\w+ title="([^"]+)"\n(.*?)^```$', re.S | re.M)
TOKEN = "eyJhbGciOiJFZERTQSJ9.eyJhIjoicncifQ.c2lnbmVk"
TURSO = f"libsql://orders-acme.turso.io?authToken={TOKEN}"


def pip_install(target: Path, *sources: Path) -> None:
    """pip-install distributions into ``target`` offline, built by this environment's hatchling."""
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"),
            *("--no-build-isolation", "--no-index", "--target", str(target), *map(str, sources)),
        ],
        check=True,
        capture_output=True,
    )


def cli(site: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``connectors ARGS`` in a new process that sees the distributions installed in ``site``."""
    path = os.pathsep.join(filter(None, [str(site), str(ROOT), os.environ.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-c", "from connectors.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": path},
        cwd=cwd,
        timeout=120,
    )


def tutorial_files() -> dict[str, str]:
    return dict(BLOCK.findall(DOC.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("storage-connectors-libsql")
    for name, text in tutorial_files().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def site(source, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    pip_install(target, source)
    return target


@pytest.fixture
def orders_db(tmp_path) -> Path:
    path = tmp_path / "orders.db"
    with sqlite3.connect(path) as conn:
        conn.executescript("create table orders (id integer); create table customers (id);")
    conn.close()
    return path


def test_the_page_holds_a_whole_distribution():
    assert sorted(tutorial_files()) == [
        "pyproject.toml",
        "storage_connectors_libsql/__init__.py",
        "storage_connectors_libsql/check.py",
        "storage_connectors_libsql/hub_scripts/libsql/list_tables.py",
        "storage_connectors_libsql/hub_scripts/libsql/list_tables.script.yaml",
        "storage_connectors_libsql/parser.py",
        "tests/test_libsql.py",
    ]


def test_installed_with_its_scripts(site):
    package = site / "storage_connectors_libsql"
    assert (package / "hub_scripts/libsql/list_tables.script.yaml").is_file()
    assert (site / "storage_connectors_libsql-0.1.0.dist-info/entry_points.txt").read_text() == (
        "[connectors]\nlibsql = storage_connectors_libsql\n"
    )


def test_plugins_and_types_list_it(site):
    done = cli(site, "plugins", "--json")
    assert done.returncode == 0, done.stderr
    plugins = {row["name"]: row for row in json.loads(done.stdout)["plugins"]}
    assert plugins["libsql"]["distribution"] == "storage-connectors-libsql"
    assert plugins["libsql"]["types"] == ["libsql"]
    done = cli(site, "types", "--json")
    types = {row["name"]: row for row in json.loads(done.stdout)}
    assert types["libsql"]["secret_fields"] == ["authToken"]
    assert types["libsql"]["providers"] == ["turso"]


def test_parse_masks_the_token(site):
    done = cli(site, "parse", TURSO, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "resource_type": "libsql",
        "provider": "turso",
        "value": {"url": "libsql://orders-acme.turso.io", "authToken": "********"},
        "notes": [],
    }
    assert TOKEN not in done.stdout + done.stderr


def test_parse_format_env(site):
    done = cli(site, "parse", TURSO, "--format", "env")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "TURSO_DATABASE_URL=libsql://orders-acme.turso.io",
        "TURSO_AUTH_TOKEN='********'",
    ]
    shown = cli(site, "parse", TURSO, "--format", "env", "--show-secrets")
    assert f"TURSO_AUTH_TOKEN={TOKEN}" in shown.stdout.splitlines()


def test_parse_error_says_where(site):
    done = cli(site, "parse", "libsql://orders-acme.turso.io?token=s3cr3t-t0ken")
    assert done.returncode == 2
    assert done.stderr.startswith(
        "error: libsql: unknown option: the only option is authToken=TOKEN (at position 30)"
    )
    assert "s3cr3t-t0ken" not in done.stderr and "Traceback" not in done.stderr


def test_check_a_real_database_file(site, orders_db):
    done = cli(site, "check", f"file:{orders_db}", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["ok"] is True
    assert [step["name"] for step in result["steps"]] == ["open", "query"]
    assert result["server_version"] == sqlite3.sqlite_version


def test_check_a_missing_file_fails_its_open_step(site, tmp_path):
    done = cli(site, "check", f"file:{tmp_path / 'missing.db'}", "--json")
    assert done.returncode == 1
    step = json.loads(done.stdout)["steps"][0]
    assert (step["name"], step["ok"]) == ("open", False)
    assert step["detail"] == "OperationalError: unable to open database file"


def test_run_its_hub_script(site, orders_db):
    done = cli(site, "run", "libsql/list_tables", "--resource", f"file:{orders_db}")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["customers", "orders"]
    done = cli(
        site, "run", "libsql/list_tables", "--resource", f"file:{orders_db}", "--arg", "prefix=o"
    )
    assert json.loads(done.stdout) == ["orders"]


def test_schema_write_dir(site, tmp_path):
    done = cli(site, "schema", "libsql", "--write-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    document = json.loads((tmp_path / "libsql.json").read_text())
    assert document["schema"]["properties"]["authToken"]["password"] is True


def test_hub_sidecars_writes_the_distributions_files(site, tmp_path):
    done = cli(site, "hub", "sidecars", "--plugin", "libsql", "--schema-dir", str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads((tmp_path / "libsql.json").read_text())["schema"]["required"] == ["url"]


def test_its_sidecar_is_what_hub_sidecars_writes(site):
    done = cli(site, "hub", "sidecars", "libsql", "--check", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert [row["status"] for row in json.loads(done.stdout)] == ["ok"]


def test_its_own_tests_pass_with_the_contract_kit(site, source):
    path = os.pathsep.join(filter(None, [str(site), str(ROOT), os.environ.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(source / "tests")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": path},
        cwd=source,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert " passed" in done.stdout and " failed" not in done.stdout


# -- the reference part of the page ---------------------------------------------------------------


def _documented(name: str) -> bool:
    return f"`{name}(" in DOC.read_text(encoding="utf-8") or f"`{name}`" in DOC.read_text(
        encoding="utf-8"
    )


def test_every_hook_is_documented():
    hooks = [name for name, _ in inspect.getmembers(hookspecs, inspect.isfunction)]
    hooks = [name for name in hooks if hasattr(getattr(hookspecs, name), "connectors_spec")]
    assert hooks and [name for name in hooks if not _documented(name)] == []


def test_every_connector_method_and_attribute_is_documented():
    members = [
        name
        for name, member in vars(Connector).items()
        if not name.startswith("_") and not isinstance(member, staticmethod)
    ]
    assert {"parse", "check", "env_vars", "object_store", "examples"} <= set(members)
    assert [name for name in members if not _documented(name)] == []
