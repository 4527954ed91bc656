"""A plugin type that implements only schema and parse gets every format, workspace storage and
env import through the generic fallbacks of ``Connector`` (tests/plugins/example, installed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from connectors import Connector, EnvSource, Match, ParseError, Resource
from connectors.formats import generic
from connectors.objectstore import store_for
from connectors.plugins import get_registry

PLUGINS = Path(__file__).parent / "plugins"
TEXT = "kv://s3cr3t-token@cache.local:7001/sessions"
VALUE = {"host": "cache.local", "port": 7001, "namespace": "sessions", "token": "s3cr3t-token"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(target), str(PLUGINS / "example")],
        check=True, capture_output=True,
    )  # fmt: skip
    return target


def run(site: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-c", "from connectors.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "PYTHONPATH": f"{site}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
            **(env or {}),
        },
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr


def test_env_format_is_the_value_as_json_masked_or_shown(site):
    code, out, err = run(site, "parse", TEXT, "--format", "env")
    assert code == 0, err
    assert out.startswith("EXAMPLE_KV_JSON=") and "s3cr3t" not in out
    code, out, err = run(site, "parse", TEXT, "--format", "env", "--show-secrets")
    name, _, quoted = out.strip().partition("=")
    assert name == "EXAMPLE_KV_JSON"
    assert json.loads(quoted.strip("'")) == VALUE


def test_airflow_format_is_a_generic_connection(site):
    code, out, err = run(site, "parse", TEXT, "--format", "airflow", "--show-secrets")
    assert code == 0, err
    assert json.loads(out) == {
        "conn_type": "generic",
        "host": "cache.local",
        "port": 7001,
        "password": "s3cr3t-token",
        "extra": {"namespace": "sessions"},
    }
    code, out, err = run(site, "parse", TEXT, "--format", "airflow")
    assert json.loads(out)["password"] == "********"


def test_dlt_and_wmill_formats(site):
    code, out, err = run(site, "parse", TEXT, "--format", "dlt", "--show-secrets")
    assert code == 0, err
    assert tomllib.loads(out) == {"sources": {"example_kv": {"credentials": VALUE}}}
    code, out, err = run(site, "parse", TEXT, "--format", "wmill")
    assert yaml.safe_load(out)["value"]["token"] == "********"


def test_resource_add_and_env_import(site, tmp_path):
    code, out, err = run(site, "resource", "add", "f/kv/main", TEXT)
    assert code == 0, err
    code, out, err = run(site, "resource", "get", "f/kv/main", "--json", "--show-secrets")
    assert code == 0, err
    assert json.loads(out)["value"] == VALUE
    env_file = tmp_path / ".env"
    env_file.write_text(f"EXAMPLE_KV_URL={TEXT}\n")
    code, out, err = run(site, "env", "import", "--file", str(env_file), "--folder", "a", "--json")
    assert code == 0, err
    assert [(r["path"], r["resource_type"]) for r in json.loads(out)] == [
        ("f/a/example_kv", "example_kv")
    ]
    # what --format env writes, env import reads back
    code, exported, err = run(site, "parse", TEXT, "--format", "env", "--show-secrets")
    env_file.write_text(exported)
    code, out, err = run(site, "env", "import", "--file", str(env_file), "--folder", "b")
    assert code == 0, err
    code, out, err = run(site, "resource", "get", "f/b/example_kv", "--json", "--show-secrets")
    assert json.loads(out)["value"] == VALUE


def test_check_of_a_type_without_a_check_is_a_clean_error(site):
    code, _, err = run(site, "check", TEXT)
    assert code == 2
    assert "example_kv" in err and "check" in err


# -- the fallbacks in process ------------------------------------------------------------------


class Uri(Connector):
    """A type with a connection string and no exports of its own."""

    name = "tiny-db"
    description = "A tiny database"
    schema = {
        "type": "object",
        "properties": {
            "server": {"type": "string"},
            "db": {"type": "string"},
            "secret": {"type": "string", "password": True},
        },
        "required": ["server"],
    }

    def parse(self, text: str) -> Resource:
        if not text.startswith("tiny://"):
            raise ParseError("not tiny://", position=0, type_name=self.name)
        return Resource(self.name, {"server": text[7:]})

    def to_connection_string(self, resource: Resource) -> str:
        return f"tiny://{resource.value['server']}"


def test_generic_env_uses_the_connection_string_when_there_is_one():
    tiny = Uri()
    resource = Resource("tiny-db", {"server": "h", "db": "d", "secret": "pw"})
    assert tiny.env_vars(resource) == {"TINY_DB_URL": "tiny://h"}
    assert tiny.env_sources() == (EnvSource("tiny-db", ("TINY_DB_URL", "TINY_DB_JSON")),)
    assert tiny.airflow_connection(resource) == {
        "conn_type": "generic",
        "host": "h",
        "schema": "d",
        "password": "pw",
        "extra": {},
    }
    assert tiny.dlt_tables(resource) == {"sources.tiny-db.credentials": resource.value}


def test_generic_airflow_reads_a_url_when_no_field_names_the_host():
    class Opaque(Uri):
        schema: dict[str, Any] = {"type": "object", "properties": {"dsn": {"type": "string"}}}

        def to_connection_string(self, resource: Resource) -> str:
            return "tiny://app:p%40ss@db.example.com:6000/main"

    conn = generic.airflow_connection(Opaque(), Resource("tiny-db", {"dsn": "x"}))
    assert conn == {
        "conn_type": "generic",
        "host": "db.example.com",
        "port": 6000,
        "login": "app",
        "password": "p@ss",
        "schema": "main",
        "extra": {"dsn": "x"},
    }


def test_detect_value_default_fits_the_schema():
    tiny = Uri()
    assert tiny.detect_value({"server": "h", "db": "d"}) == Match.SCHEME
    assert tiny.detect_value({"db": "d"}) == Match.NONE  # a required field missing
    assert tiny.detect_value({"server": "h", "other": 1}) == Match.NONE  # an unknown field


def test_bare_values_are_typed_by_the_object_storage_connectors():
    connectors = get_registry().connectors
    assert connectors["s3"].detect_value({"bucket": "b"}) == Match.SCHEME
    assert connectors["s3"].detect_value({"bucket": "b", "serviceAccountKey": {}}) == Match.GENERIC
    assert connectors["azure_blob"].detect_value({"accountName": "a"}) == Match.SCHEME
    store = store_for({"accountName": "acct", "containerName": "box", "accessKey": "a2V5"})
    assert store.bucket == "box"


# -- one command writes a distribution's files, with the built-ins' code ----------------------


def cli(*argv: str) -> int:
    from connectors.cli import main

    try:
        main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_sidecars_and_schema_of_one_plugin_in_one_command(monkeypatch, tmp_path, capsys):
    from hub_demo import install

    from connectors.hub.catalog import read_sidecar
    from connectors.plugins import PluginInfo

    demo = install(monkeypatch, tmp_path / "scripts" / "demo")
    registry = get_registry()
    plugin = PluginInfo("demo-plugin", "storage-connectors-demo", "1.0", registered=["demo"])
    monkeypatch.setattr(registry, "plugins", [*registry.plugins, plugin])
    types = tmp_path / "types"
    args = ("hub", "sidecars", "--plugin", "demo-plugin", "--schema-dir", str(types), "--json")
    assert cli(*args) == 0
    sidecar = demo.scripts_dir / "echo.script.yaml"
    assert json.loads(capsys.readouterr().out) == [
        {"script": "demo/echo", "sidecar": str(sidecar), "status": "written"},
        {"resource_type": "demo", "file": str(types / "demo.json"), "status": "written"},
    ]
    assert read_sidecar(sidecar)["schema"]["properties"]["conn"]["format"] == "resource-demo"
    assert json.loads((types / "demo.json").read_text()) == demo.resource_type.hub_document()
    assert cli("hub", "sidecars", "--plugin", "demo-plugin", "--check") == 0
    assert cli("hub", "sidecars", "--plugin", "nobody") == 2
    assert "no plugin named 'nobody'" in capsys.readouterr().err


def test_schema_write_dir_writes_the_builtins_as_committed(tmp_path, capsys):
    root = Path(__file__).resolve().parents[1] / "resource_types"
    assert cli("schema", "--write-dir", str(tmp_path), "--json") == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(p.name for p in root.glob("*.json"))
    for name in written:
        assert (tmp_path / name).read_text() == (root / name).read_text()
    assert cli("schema", "postgresql", "--write-dir", str(tmp_path / "one")) == 0
    assert (tmp_path / "one" / "postgresql.json").read_text() == (
        root / "postgresql.json"
    ).read_text()
