"""Start-up: what a command imports, and the entry-point cache that keeps it short.

Speed itself is measured by benchmarks/bench_cli_start.py, never here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from connectors import entry_point_cache
from connectors.entry_point_cache import CachedEntryPoint, connectors_entry_points

ROOT = Path(__file__).resolve().parents[1]
FAMILIES = ("postgresql", "mongodb", "redis", "upstash_redis", "s3", "azure_blob")
#: driver and validation packages no parse may import
HEAVY = ("psycopg", "pymongo", "redis", "upstash_redis", "boto3", "botocore", "azure",
         "pydantic", "jsonschema", "sqlalchemy")  # fmt: skip
#: what another family may leave behind: its connector and constants, never its parser or driver
ALLOWED = {
    *(f"connectors.{family}" for family in FAMILIES),
    *(f"connectors.{family}.connector" for family in FAMILIES),  # the plugins, registered
    # the tables detection reads (text_keys, schemes), without the parsers
    "connectors.azure_blob.keys",
    "connectors.postgresql.keywords",
    "connectors.redis.schemes",
    "connectors.s3.variables",
    "connectors.upstash_redis.variables",
}

#: the extra connectors' parsers (plugins/mysql, plugins/gcs): imported when they parse, not when
#: they register
PLUGIN_PARSERS = (
    "storage_connectors_mysql.parser",
    "storage_connectors_mysql.providers",
    "storage_connectors_gcs.parser",
)

STRINGS = {
    "postgresql": "postgresql://app:secret@db.example.com:5432/app?sslmode=require",
    "mongodb": "mongodb://alice:s3cret@db1.example.com:27017/app?authSource=admin",
    "redis": "rediss://default:s3cret@cache.example.com:6380/2",
    "s3": "s3://my-bucket/exports/",
}


def imported_modules(code: str) -> list[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    script = f"{code}\nimport json, sys\nsys.stderr.write(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stderr.splitlines()[-1]))


def foreign(modules: list[str], family: str) -> list[str]:
    """Modules of other connector families, drivers and validators among ``modules``."""
    found = []
    for name in modules:
        parts = name.split(".")
        other_family = (
            parts[0] == "connectors"
            and len(parts) > 1
            and parts[1] in FAMILIES
            and parts[1] != family
            and name not in ALLOWED
        )
        if parts[0] in HEAVY or other_family or name in PLUGIN_PARSERS:
            found.append(name)
    return found


def test_cli_parse_of_a_postgresql_string_imports_only_postgresql():
    code = f"from connectors.cli import main\nmain(['parse', {STRINGS['postgresql']!r}, '--json'])"
    modules = imported_modules(code)
    assert "connectors.postgresql.parser" in modules
    assert foreign(modules, "postgresql") == []


@pytest.mark.parametrize("family", sorted(STRINGS))
def test_cli_parse_imports_no_click_no_other_family_and_no_driver(family):
    code = f"from connectors.cli import main\nmain(['parse', {STRINGS[family]!r}, '--json'])"
    modules = imported_modules(code)
    assert foreign(modules, family) == []
    assert [name for name in modules if name.split(".")[0] == "click"] == []


def test_cli_types_imports_no_click_and_no_parser():
    modules = imported_modules("from connectors.cli import main\nmain(['types'])")
    assert foreign(modules, "") == []
    assert [name for name in modules if name.split(".")[0] == "click"] == []
    assert [name for name in modules if name.startswith("connectors.") and "parser" in name] == []


@pytest.mark.parametrize("family", sorted(STRINGS))
def test_parse_imports_no_other_family_and_no_driver(family):
    modules = imported_modules(f"import connectors\nconnectors.parse({STRINGS[family]!r})")
    assert foreign(modules, family) == []


def test_help_imports_no_plugin():
    modules = imported_modules(
        "from connectors.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert "connectors.plugins" not in modules
    assert not [name for name in modules if name.startswith("connectors.default_plugins")]


# -- the entry-point cache ---------------------------------------------------------------------


def make_distribution(site: Path, name: str, entry_points: str) -> Path:
    """A distribution as pip leaves it: ``<name>-1.0.dist-info`` with METADATA and entry points."""
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(entry_points)
    return info


@pytest.fixture
def site(tmp_path, monkeypatch):
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setenv("CONNECTORS_CACHE_DIR", str(tmp_path / "cache"))
    return folder


def scans(monkeypatch) -> list[str]:
    """Record each real scan of the installed distributions."""
    calls: list[str] = []
    real = entry_point_cache._scan

    def counting(group: str) -> list[CachedEntryPoint]:
        calls.append(group)
        return real(group)

    monkeypatch.setattr(entry_point_cache, "_scan", counting)
    return calls


def names(found: list[CachedEntryPoint]) -> set[str]:
    return {ep.name for ep in found}


def test_cache_is_used_while_nothing_changes(site, monkeypatch):
    make_distribution(site, "plugin_one", "[connectors]\none = plugin_one\n")
    calls = scans(monkeypatch)
    first = connectors_entry_points("connectors")
    again = connectors_entry_points("connectors")
    assert "one" in names(first)
    assert again == first
    assert len(calls) == 1
    one = next(ep for ep in again if ep.name == "one")
    assert (one.value, one.distribution, one.version) == ("plugin_one", "plugin_one", "1.0")


def test_installing_a_distribution_invalidates_the_cache(site, monkeypatch):
    calls = scans(monkeypatch)
    assert "two" not in names(connectors_entry_points("connectors"))
    make_distribution(site, "plugin_two", "[connectors]\ntwo = plugin_two:hooks\n")
    assert "two" in names(connectors_entry_points("connectors"))
    assert len(calls) == 2


def test_removing_a_distribution_invalidates_the_cache(site, monkeypatch):
    info = make_distribution(site, "plugin_three", "[connectors]\nthree = plugin_three\n")
    assert "three" in names(connectors_entry_points("connectors"))
    for child in info.iterdir():
        child.unlink()
    info.rmdir()
    assert "three" not in names(connectors_entry_points("connectors"))


def test_editing_entry_points_invalidates_the_cache(site, monkeypatch):
    info = make_distribution(site, "plugin_four", "[connectors]\nfour = plugin_four\n")
    assert "four" in names(connectors_entry_points("connectors"))
    target = info / "entry_points.txt"
    target.write_text("[connectors]\nfour_renamed = plugin_four\n")
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert names(connectors_entry_points("connectors")) & {"four", "four_renamed"} == {
        "four_renamed"
    }


def test_a_corrupt_or_unwritable_cache_falls_back_to_scanning(site, tmp_path, monkeypatch):
    make_distribution(site, "plugin_five", "[connectors]\nfive = plugin_five\n")
    path = entry_point_cache.cache_file("connectors")
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    assert "five" in names(connectors_entry_points("connectors"))
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("CONNECTORS_CACHE_DIR", str(blocked / "cache"))
    assert "five" in names(connectors_entry_points("connectors"))


def test_cache_can_be_turned_off(site, monkeypatch):
    monkeypatch.setenv("CONNECTORS_CACHE_DIR", "off")
    calls = scans(monkeypatch)
    connectors_entry_points("connectors")
    connectors_entry_points("connectors")
    assert len(calls) == 2
    assert entry_point_cache.cache_file("connectors") is None


def test_cached_entry_point_loads_module_and_attribute():
    assert CachedEntryPoint("x", "connectors.hookspecs").load().PROJECT == "connectors"
    loaded = CachedEntryPoint("x", "connectors.hookspecs:hookimpl [extra]").load()
    assert loaded.project_name == "connectors"
