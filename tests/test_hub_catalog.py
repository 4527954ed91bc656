"""Script discovery and sidecars: schema written from the signature, drift detected."""

from __future__ import annotations

import json

import pytest
import yaml
from hub_demo import install

from connectors.cli import main
from connectors.hub.catalog import discover, drift, find, read_sidecar, write_sidecar


def cli(*argv):
    try:
        main(list(argv))
    except SystemExit as exc:
        return exc.code or 0
    return 0


@pytest.fixture
def demo(monkeypatch, tmp_path):
    return install(monkeypatch, tmp_path / "scripts" / "demo")


def test_write_sidecar_keeps_metadata_and_adds_schema(demo):
    script = find("demo/echo")
    assert drift(script) is not None  # no schema yet
    assert write_sidecar(script) is True
    data = read_sidecar(script.sidecar_path)
    assert list(data) == ["summary", "description", "kind", "schema"]
    assert data["summary"] == "Echo" and data["kind"] == "script"
    assert data["schema"]["properties"]["conn"]["format"] == "resource-demo"
    assert drift(find("demo/echo")) is None
    assert write_sidecar(find("demo/echo")) is False  # idempotent


def test_drift_is_detected_when_the_signature_changes(demo):
    write_sidecar(find("demo/echo"))
    path = demo.scripts_dir / "echo.py"
    path.write_text(path.read_text().replace("count: int,", "count: int, extra: str,"))
    problem = drift(find("demo/echo"))
    assert problem == "demo/echo: the sidecar schema differs from main()'s signature"


def test_bad_kind_is_drift(demo):
    write_sidecar(find("demo/echo"))
    sidecar = demo.scripts_dir / "echo.script.yaml"
    sidecar.write_text(sidecar.read_text().replace("kind: script", "kind: job"))
    assert "kind 'job' is not one of" in drift(find("demo/echo"))


def test_cli_sidecars_check_then_write(demo, capsys):
    assert cli("hub", "sidecars", "demo", "--check", "--json") == 1
    rows = {r["script"]: r["status"] for r in json.loads(capsys.readouterr().out)}
    assert rows["demo/echo"] == "stale"
    assert cli("hub", "sidecars", "demo") == 0
    assert "demo/echo" in capsys.readouterr().out
    assert cli("hub", "sidecars", "demo", "--check") == 0


def test_private_files_are_not_scripts(demo):
    (demo.scripts_dir / "_helpers.py").write_text("X = 1\n")
    assert [s.name for s in discover("demo")] == ["echo"]


BUILTIN = discover(builtin_only=True)


@pytest.mark.parametrize("script", BUILTIN, ids=[s.ref for s in BUILTIN])
def test_builtin_sidecar_matches_signature(script):
    """A sidecar whose schema differs from the signature fails: run `connectors hub sidecars`."""
    assert script.sidecar_path.is_file(), f"{script.ref} has no sidecar"
    assert drift(script) is None
    data = yaml.safe_load(script.sidecar_path.read_text())
    assert data.get("summary"), f"{script.ref}: the sidecar needs a summary"
    assert isinstance(data.get("description"), str)


def test_unreadable_sidecar_is_reported_not_fatal(demo, capsys):
    (demo.scripts_dir / "echo.script.yaml").write_text("summary: x\ndescription: a: b: c\n")
    script = find("demo/echo")
    assert "echo.script.yaml: not valid YAML at line 2" in drift(script)
    assert cli("hub", "sidecars", "demo") == 1
    captured = capsys.readouterr()
    assert "unreadable" in captured.out and "not valid YAML" in captured.err
    assert (demo.scripts_dir / "echo.script.yaml").read_text().startswith("summary: x\n")
