"""`connectors hub export DIR --format hub|wmill`."""

from __future__ import annotations

import json

import pytest
import yaml
from hub_demo import ECHO, install

from connectors.cli import main
from connectors.hub.catalog import discover
from connectors.hub.export import export


def cli(*argv):
    try:
        main(list(argv))
    except SystemExit as exc:
        return exc.code or 0
    return 0


@pytest.fixture
def demo(monkeypatch, tmp_path):
    return install(monkeypatch, tmp_path / "scripts" / "demo")


def test_hub_format(demo, tmp_path):
    out = tmp_path / "out"
    written = export(out, "hub", discover("demo"))
    assert out / "resource_types" / "postgresql.json" in written
    doc = json.loads((out / "resource_types" / "demo.json").read_text())
    assert doc == {"description": "A demo server", "schema": demo.schema}
    assert (out / "hub_scripts" / "demo" / "echo.py").read_text() == ECHO
    meta = yaml.safe_load((out / "hub_scripts" / "demo" / "echo.script.yaml").read_text())
    assert meta["summary"] == "Echo" and meta["kind"] == "script"
    assert meta["schema"]["required"] == ["conn", "count"]


def test_wmill_format(demo, tmp_path):
    out = tmp_path / "sync"
    export(out, "wmill", discover("demo"), locks=False)
    rt = yaml.safe_load((out / "demo.resource-type.yaml").read_text())
    assert rt == {
        "description": "A demo server",
        "schema": demo.schema,
        "format_extension": None,
        "is_fileset": False,
    }
    assert (out / "postgresql.resource-type.yaml").is_file()
    assert (out / "f" / "demo" / "echo.py").read_text() == ECHO
    meta = yaml.safe_load((out / "f" / "demo" / "echo.script.yaml").read_text())
    assert list(meta) == ["summary", "description", "lock", "kind", "schema"]
    assert meta["lock"] == "" and meta["kind"] == "script"
    assert meta["schema"]["properties"]["conn"] == {
        "type": "object",
        "format": "resource-demo",
        "description": "The demo server.",
        "default": None,  # as wmill generate-metadata writes it
    }
    assert meta["schema"]["properties"]["mode"]["originalType"] == "enum"
    folder = yaml.safe_load((out / "f" / "demo" / "folder.meta.yaml").read_text())
    assert folder["display_name"] == "demo" and folder["owners"] == []
    settings = yaml.safe_load((out / "wmill.yaml").read_text())
    assert settings["skipResourceTypes"] is False and "f/**" in settings["includes"]


def test_wmill_yaml_is_not_overwritten(demo, tmp_path):
    out = tmp_path / "sync"
    out.mkdir()
    (out / "wmill.yaml").write_text("mine: true\n")
    export(out, "wmill", [], locks=False)
    assert (out / "wmill.yaml").read_text() == "mine: true\n"


def test_cli_export(demo, tmp_path, capsys):
    assert (
        cli("hub", "export", str(tmp_path / "x"), "--format", "wmill", "--no-locks", "--json") == 0
    )
    paths = json.loads(capsys.readouterr().out)
    assert str(tmp_path / "x" / "f" / "demo" / "echo.script.yaml") in paths
    assert cli("hub", "export", str(tmp_path / "y"), "--format", "nope") == 2
