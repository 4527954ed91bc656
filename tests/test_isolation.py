"""Runtime isolation of plugins and errors that say what happened (issue 15, parts 2 and 3).

The misbehaving plugins under tests/plugins/ (raising, unsound) are installed as real
distributions, as tests/test_plugins.py does it: in process for the API, in a subprocess for
the command line.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

import connectors
from connectors import errors, plugins
from connectors.plugin_checks import schema_problem
from connectors.plugins import PluginWarning, get_registry
from tests.test_plugins import install

ROOT = Path(__file__).resolve().parents[1]
RAISING = "plugin 'raising' from storage-connectors-raising 0.3.0"
UNSOUND = "plugin 'unsound' from storage-connectors-unsound 0.4.0"


def _at(statement: str) -> str:
    """`` at module:line`` of ``statement`` in the raising plugin, as warnings name it."""
    source = ROOT / "tests/plugins/raising/storage_connectors_raising/__init__.py"
    lines = source.read_text(encoding="utf-8").splitlines()
    return f" at storage_connectors_raising:{lines.index(statement) + 1}"


# the raising detect warns on every string; the tests that are about it catch it themselves
pytestmark = pytest.mark.filterwarnings("ignore::connectors.plugins.PluginWarning")

DETECT_AT = _at("        return [Match.SCHEME][len(text)]")
PARSE_AT = _at("        raise KeyError(text)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    install(target, "raising", "unsound", "example")
    return target


@pytest.fixture
def installed(site: Path) -> Iterator[plugins.Registry]:
    """The misbehaving plugins installed in this process, for one test."""
    sys.path.insert(0, str(site))
    importlib.invalidate_caches()
    plugins.reset()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PluginWarning)  # registration problems, tested below
            registry = get_registry()
        yield registry
    finally:
        sys.path.remove(str(site))
        plugins.reset()


def run_cli(site: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from connectors.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(site), **env},
        timeout=60,
    )


# -- a detect or parse that raises is contained ----------------------------------------------


def test_a_detect_that_raises_does_not_break_other_types(installed):
    with pytest.warns(PluginWarning) as caught:
        resource = connectors.parse("redis://localhost:6379/0")
    assert resource.resource_type == "redis"
    assert resource.value["host"] == "localhost" and resource.value["db"] == 0
    messages = [str(w.message) for w in caught]
    assert messages == [
        f"{RAISING} failed in detect: IndexError{DETECT_AT}; "
        "type 'raising_detect' was skipped for that string"
    ]
    assert messages[0] in installed.problems


def test_a_parse_that_raises_leaves_the_string_to_the_other_types(installed):
    text = "redis://crashy-host:6380/2"
    with pytest.warns(PluginWarning) as caught:
        resource = connectors.parse(text)
    assert (resource.resource_type, resource.value["host"], resource.value["db"]) == (
        "redis",
        "crashy-host",
        2,
    )
    parse_warning = next(str(w.message) for w in caught if "raising_parse" in str(w.message))
    assert parse_warning == (
        f"{RAISING} failed in parse: KeyError{PARSE_AT}; "
        "type 'raising_parse' was skipped for that string"
    )


def test_a_parse_that_raises_alone_is_an_error_naming_the_plugin_not_the_string(installed):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PluginWarning)
        with pytest.raises(connectors.PluginError) as caught:
            connectors.parse("crash://s3cr3t-token@host")
    assert str(caught.value) == f"{RAISING} failed in parse: KeyError{PARSE_AT}"
    assert caught.value.type_name == "raising_parse"
    with pytest.raises(connectors.PluginError, match="failed in parse: KeyError"):
        connectors.parse("crash://s3cr3t-token@host", type="raising_parse")


def test_strict_mode_raises_a_contained_failure(installed, monkeypatch):
    monkeypatch.setenv("CONNECTORS_STRICT_PLUGINS", "1")
    with pytest.raises(connectors.PluginError, match="failed in detect: IndexError"):
        connectors.parse("redis://localhost:6379/0")


# -- a parser's output is validated against its schema ---------------------------------------


def test_a_parse_result_outside_the_schema_is_refused(installed):
    with pytest.raises(connectors.PluginError) as caught:
        connectors.parse("wrong://tok-s3cret@db.example:abc")
    assert str(caught.value) == (
        f"{UNSOUND}: its parser returned a value outside its schema: "
        "/port: 'abc' is not of type 'integer'"
    )
    assert "tok-s3cret" not in str(caught.value)


def test_a_parse_result_of_another_type_is_refused(installed, monkeypatch):
    connector = installed.connectors["unsound_nocheck"]
    monkeypatch.setattr(
        type(connector), "parse", lambda self, text: connectors.Resource("redis", {"host": "h"})
    )
    with pytest.raises(connectors.PluginError, match="returned a resource of type 'redis'"):
        connectors.parse("nocheck://h")


def test_a_sound_plugin_parses_as_before(installed):
    resource = connectors.parse("kv://tok@cache.local:7001/sessions")
    assert resource.value == {
        "host": "cache.local",
        "port": 7001,
        "namespace": "sessions",
        "token": "tok",
    }


# -- schemas are checked at registration -----------------------------------------------------


def test_schemas_that_are_not_sound_are_refused_at_registration(installed):
    assert "unsound_schema" not in installed.connectors
    assert "unsound_secret" not in installed.connectors
    info = next(p for p in installed.plugins if p.name == "unsound")
    assert info.state == "broken"
    assert info.registered == [
        "unsound_output",
        "unsound_driver",
        "unsound_nocheck",
        "unsound_raising_check",
    ]
    assert info.reasons == [
        f"{UNSOUND} registers type 'unsound_schema': its schema is not valid JSON Schema: "
        "'objekt' is not valid under any of the given schemas (at /type); skipped",
        f"{UNSOUND} registers type 'unsound_secret': secret field 'key' is marked "
        "\"password\": 'yes', not true; skipped",
    ]


def test_every_builtin_schema_is_sound():
    registry = get_registry()
    builtins = [name for info in registry.plugins if info.builtin for name in info.registered]
    assert len(builtins) >= 6
    for name in builtins:
        assert schema_problem(registry.connectors[name]) is None, name


def test_the_schema_verdict_is_cached_so_start_up_skips_jsonschema(site, tmp_path):
    probe = (
        "import sys\n"
        "from connectors.plugins import get_registry\n"
        "registry = get_registry()\n"
        "print(json.dumps({'jsonschema': 'jsonschema' in sys.modules,"
        " 'types': sorted(registry.connectors), 'problems': len(registry.problems)}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "CONNECTORS_CACHE_DIR": str(tmp_path)}
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-W", "ignore", "-c", f"import json\n{probe}"],
                capture_output=True,
                text=True,
                env=env,
                check=True,
                timeout=60,
            ).stdout
        )
        for _ in range(2)
    ]
    assert runs[0]["jsonschema"] is True  # first start: the verdicts are worked out
    assert runs[1]["jsonschema"] is False  # then read from the cache
    assert runs[0]["types"] == runs[1]["types"]
    assert "unsound_output" in runs[1]["types"] and "unsound_schema" not in runs[1]["types"]
    assert runs[0]["problems"] == runs[1]["problems"] == 2


# -- connectors plugins shows each plugin's state --------------------------------------------


def test_plugins_shows_ok_disabled_and_broken_with_reasons(site):
    result = run_cli(site, "plugins", "--json", CONNECTORS_DISABLE_PLUGINS="raising")
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)["plugins"]}
    assert (rows["postgresql"]["state"], rows["postgresql"]["reasons"]) == ("ok", [])
    assert (rows["example"]["state"], rows["example"]["types"]) == ("ok", ["example_kv"])
    assert rows["raising"]["state"] == "disabled"
    assert rows["raising"]["reasons"] == ["disabled by CONNECTORS_DISABLE_PLUGINS"]
    assert rows["raising"]["types"] == []
    assert rows["unsound"]["state"] == "broken"
    assert len(rows["unsound"]["reasons"]) == 2
    assert rows["unsound"]["distribution"] == "storage-connectors-unsound"

    text = run_cli(site, "plugins", CONNECTORS_LOAD_PLUGINS="example")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].split() == ["plugin", "state", "distribution", "version", "types"]
    assert any(line.split()[:2] == ["unsound", "disabled"] for line in lines)
    assert any(line.split()[:2] == ["example", "ok"] for line in lines)
    assert "raising: not in CONNECTORS_LOAD_PLUGINS" in lines


def test_warnings_about_plugins_are_printed_when_the_command_fails(site):
    result = run_cli(site, "parse", "crash://s3cr3t-token@host")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert f"error: {RAISING} failed in parse: KeyError{PARSE_AT}" in lines
    warned = [line for line in lines if line.startswith("warning:")]
    assert any("failed in detect: IndexError" in line for line in warned)
    assert "s3cr3t-token" not in result.stderr and "Traceback" not in result.stderr


def test_cli_parse_of_a_builtin_string_works_beside_a_raising_plugin(site):
    result = run_cli(site, "parse", "redis://localhost:6379/0", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["resource_type"] == "redis"
    assert f"warning: {RAISING} failed in detect: IndexError" in result.stderr


# -- errors that say what happened -----------------------------------------------------------


def test_a_missing_driver_names_the_plugins_own_pip_install(installed):
    resource = connectors.parse("driver://db.example")
    install_line = "pip install 'storage-connectors-unsound[driver]'"
    for call in (connectors.connect, connectors.check):
        with pytest.raises(connectors.MissingDriverError) as caught:
            call(resource)
        assert str(caught.value) == (
            "unsound_driver needs the driver 'a_driver_that_is_not_installed', which is not "
            f"installed: {install_line}"
        )
        assert isinstance(caught.value, ImportError)
        assert caught.value.name == "a_driver_that_is_not_installed"


def test_a_missing_builtin_driver_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg: ModuleNotFoundError
    resource = connectors.parse("postgresql://app:pw@127.0.0.1:1/db")
    with pytest.raises(connectors.MissingDriverError) as caught:
        connectors.connect(resource)
    assert str(caught.value) == (
        "postgresql needs the driver 'psycopg', which is not installed: "
        "pip install 'storage-connectors[postgresql]'"
    )


def test_the_hub_runner_names_the_extra_of_a_missing_driver(monkeypatch):
    from connectors.hub.runner import run

    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(connectors.MissingDriverError, match=r"storage-connectors\[postgresql\]"):
        run(
            "postgresql/execute_query",
            resource="postgresql://app:pw@127.0.0.1:1/db",
            pairs=["query=select 1"],
        )


def test_a_type_without_a_check_is_a_check_error(installed, site):
    with pytest.raises(connectors.CheckError) as caught:
        connectors.check(connectors.parse("nocheck://db.example"))
    assert str(caught.value) == "unsound_nocheck has no live check"
    result = run_cli(site, "check", "nocheck://db.example")
    assert (result.returncode, result.stdout) == (2, "")
    assert "error: unsound_nocheck has no live check" in result.stderr.splitlines()


def test_a_type_without_a_driver_is_a_check_error(installed, site, tmp_path):
    with pytest.raises(connectors.CheckError) as caught:
        connectors.connect(connectors.parse("nocheck://db.example"))
    assert str(caught.value) == "unsound_nocheck has no driver to connect with"
    # the CLI connects only in a script it runs: one line, exit 2, as for any failed script
    script = tmp_path / "connects.py"
    script.write_text(
        "import connectors\n\n\n"
        "def main():\n"
        "    return connectors.connect(connectors.parse('nocheck://db.example'))\n"
    )
    result = run_cli(site, "run", str(script))
    assert (result.returncode, result.stdout) == (2, "")
    errors = [line for line in result.stderr.splitlines() if not line.startswith("warning: ")]
    assert errors == [
        f"error: {script} failed: CheckError: unsound_nocheck has no driver to connect with"
    ]


def test_a_check_that_raises_is_reported_as_a_failed_step(installed):
    result = connectors.check(connectors.parse("raisingcheck://tok-s3cret@db.example"))
    assert not result.ok
    assert [(step.name, step.ok, step.detail) for step in result.steps] == [
        ("check", False, "ConnectionError: cannot reach db.example with token ********")
    ]


def test_an_unknown_type_lists_the_installed_ones_and_the_closest():
    installed = ", ".join(sorted(get_registry().connectors))
    with pytest.raises(connectors.UnknownTypeError) as caught:
        connectors.parse("postgresql://h/db", type="postgress")
    assert str(caught.value) == (
        f"unknown resource type 'postgress'; did you mean 'postgresql'? (installed: {installed})"
    )
    assert isinstance(caught.value, ValueError) and caught.value.closest == "postgresql"
    with pytest.raises(connectors.UnknownTypeError, match="did you mean 'azure_blob'"):
        connectors.validate("Azure_Blob", {})
    result = subprocess.run(
        [sys.executable, "-c", "from connectors.cli import main; main()", "schema", "mongo"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: unknown resource type 'mongo'; did you mean 'mongodb'?")


def test_storing_a_resource_of_an_unknown_type_names_the_closest(tmp_path):
    with pytest.raises(connectors.WorkspaceError, match="did you mean 'postgresql'"):
        connectors.set_resource("f/data/x", {"host": "h"}, "postgress")


# -- every public exception class is raised somewhere and documented -------------------------


def _public_exceptions() -> list[type[BaseException]]:
    return [
        cls
        for name, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, BaseException)
        and cls.__module__ == errors.__name__
        and not name.startswith("_")
    ]


def test_every_public_exception_is_raised_somewhere_and_documented():
    sources = "\n".join(
        path.read_text(encoding="utf-8")
        for path in (ROOT / "connectors").rglob("*.py")
        if path.name != "errors.py"
    )
    documented = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    found = _public_exceptions()
    assert len(found) >= 9
    for cls in found:
        assert re.search(rf"\b{cls.__name__}\(", sources), f"{cls.__name__} is never raised"
        assert f"`{cls.__name__}`" in documented, f"{cls.__name__} is not in docs/plugins.md"
        assert cls.__name__ in (errors.__doc__ or ""), f"{cls.__name__} not in connectors.errors"
