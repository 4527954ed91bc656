"""Third-party plugins: installed as real distributions with their own entry points."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PLUGINS = Path(__file__).parent / "plugins"


def install(target: Path, *names: str) -> None:
    """pip-install the example distributions into ``target``, a temporary environment."""
    sources = [str(PLUGINS / name) for name in names]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            *sources,
        ],
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory):
    target = tmp_path_factory.mktemp("site")
    install(target, "example", "broken", "clashing")
    return target


def run_cli(env_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(env_dir)}
    return subprocess.run(
        [sys.executable, "-c", "from connectors.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_installed_plugin_type_appears_in_types(plugin_env):
    result = run_cli(plugin_env, "types", "--json")
    assert result.returncode == 0, result.stderr
    types = {row["name"]: row for row in json.loads(result.stdout)}
    assert "example_kv" in types
    assert types["example_kv"]["secret_fields"] == ["token"]
    assert "storage-connectors-example 1.2.3" in types["example_kv"]["plugin"]


def test_installed_plugin_parses_its_strings(plugin_env):
    result = run_cli(plugin_env, "parse", "kv://s3cr3t-token@cache.local:7001/sessions", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["resource_type"] == "example_kv"
    assert data["provider"] == "example"
    assert data["value"] == {
        "host": "cache.local",
        "port": 7001,
        "namespace": "sessions",
        "token": "********",
    }
    assert "s3cr3t-token" not in result.stdout + result.stderr


def test_plugins_lists_distribution_version_and_types(plugin_env):
    result = run_cli(plugin_env, "plugins", "--json")
    data = json.loads(result.stdout)
    by_name = {row["name"]: row for row in data["plugins"]}
    assert by_name["example"]["distribution"] == "storage-connectors-example"
    assert by_name["example"]["version"] == "1.2.3"
    assert by_name["example"]["types"] == ["example_kv"]
    assert by_name["postgresql"]["builtin"] is True
    assert "clashing" in by_name and by_name["clashing"]["types"] == []


def test_broken_and_clashing_plugins_are_reported_once_and_skipped(plugin_env):
    result = run_cli(plugin_env, "types")
    assert result.returncode == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2, result.stderr
    broken = next(w for w in warnings if "'broken'" in w)
    assert "storage-connectors-broken 0.0.1" in broken
    assert "ModuleNotFoundError" in broken
    clash = next(w for w in warnings if "'clashing'" in w)
    assert "storage-connectors-clashing 0.0.2" in clash
    assert "already registered by built-in plugin 'postgresql'" in clash
    # everything else keeps working
    assert "example_kv" in result.stdout and "postgresql" in result.stdout


def test_disabled_plugin_is_not_loaded(plugin_env):
    env = {
        **os.environ,
        "PYTHONPATH": str(plugin_env),
        "CONNECTORS_DISABLE_PLUGINS": "broken,clashing",
    }
    result = subprocess.run(
        [sys.executable, "-c", "from connectors.cli import main; main()", "types"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0
    assert "warning:" not in result.stderr


def test_strict_mode_makes_a_broken_plugin_an_error(plugin_env):
    env = {**os.environ, "PYTHONPATH": str(plugin_env), "CONNECTORS_STRICT_PLUGINS": "1"}
    result = subprocess.run(
        [sys.executable, "-c", "from connectors.cli import main; main()", "types"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: plugin 'broken' from storage-connectors-broken")
    assert "Traceback" not in result.stderr


def test_builtins_register_six_types():
    from connectors.plugins import get_registry

    registry = get_registry()
    assert {"postgresql", "mongodb", "redis", "upstash_redis", "s3", "azure_blob"} <= set(
        registry.connectors
    )
    for info in registry.plugins:
        if info.builtin:
            assert info.registered == [info.name]
