"""A plugin written against the API of 2026-12-02 keeps working unchanged (issue 15, part 7).

tests/plugins/example/ is frozen: its sources are pinned by hash below, installed with pip into a
temporary target, and every command a user of it runs is checked through the CLI.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from test_plugins_tutorial import ROOT, cli, pip_install

EXAMPLE = ROOT / "tests" / "plugins" / "example"
FROZEN = {  # sha256 of each file as it was written
    "pyproject.toml": "0e0d3e82b217302ff4aa379978ea4368f320374b418a606b7c1c4fbd8ef1c9f3",
    "storage_connectors_example/__init__.py": (
        "a0c12ed575c3f6af7684da2d3fb42af3acfa8f70e0b9f9ab2eb88ea3970189c5"
    ),
}
TEXT = "kv://s3cr3t-token@cache.local:7001/sessions"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    target = tmp_path_factory.mktemp("site")
    pip_install(target, EXAMPLE)
    return target


def test_the_example_is_unchanged():
    found = {name: hashlib.sha256((EXAMPLE / name).read_bytes()).hexdigest() for name in FROZEN}
    assert found == FROZEN, "tests/plugins/example is frozen: write a new example instead"


def test_types_and_schema(site):
    done = cli(site, "types", "--json")
    assert done.returncode == 0, done.stderr
    types = {row["name"]: row for row in json.loads(done.stdout)}
    assert types["example_kv"]["secret_fields"] == ["token"]
    assert types["example_kv"]["providers"] == ["example"]
    done = cli(site, "schema", "example_kv", "--json")
    assert json.loads(done.stdout)["schema"]["required"] == ["host", "namespace"]


def test_parse_detected_and_named(site):
    for extra in ([], ["--type", "example_kv"]):
        done = cli(site, "parse", TEXT, "--json", *extra)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["value"] == {
            "host": "cache.local",
            "port": 7001,
            "namespace": "sessions",
            "token": "********",
        }
        assert "s3cr3t-token" not in done.stdout + done.stderr


def test_parse_format_wmill(site):
    done = cli(site, "parse", TEXT, "--format", "wmill")
    assert done.returncode == 0, done.stderr
    assert "resource_type: example_kv" in done.stdout
    assert "s3cr3t-token" not in done.stdout


def test_its_parse_error(site):
    done = cli(site, "parse", "kv:///sessions", "--type", "example_kv")
    assert done.returncode == 2
    assert done.stderr.startswith("error: example_kv: missing host (at position 5)")


def test_check_without_a_check_is_one_clean_line(site):
    done = cli(site, "check", TEXT)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len([line for line in lines if line.startswith("error:")]) == 1, done.stderr
    assert "example_kv" in done.stderr and "Traceback" not in done.stderr
    assert "s3cr3t-token" not in done.stderr


def test_workspace_stores_it(site):
    done = cli(site, "resource", "add", "u/me/cache", TEXT)
    assert done.returncode == 0, done.stderr
    done = cli(site, "resource", "get", "u/me/cache", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["value"]["token"] == "********"
