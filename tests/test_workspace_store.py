"""The embedded SQLite workspace: paths, typed resources, variables, states, refusals."""

from __future__ import annotations

import json
import sqlite3

import pytest

import connectors
from connectors.errors import NotFoundError, ValidationError, WorkspaceError
from connectors.workspace.paths import strip_resource_prefix, validate_path
from connectors.workspace.resolve import load_resource
from connectors.workspace.store import open_store, workspace_files

PG = {
    "host": "db.example.com",
    "port": 5432,
    "user": "app",
    "password": "pg-Secret-1",
    "dbname": "x",
    "sslmode": "require",
}


def _rows(table: str) -> list[tuple]:
    db = workspace_files()["database"]
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT * FROM {table}").fetchall()


@pytest.mark.parametrize("path", ["u/alice/db", "f/etl/orders", "g/ops/x", "f/etl/sub/dir.v2-x_y"])
def test_valid_paths(path):
    assert validate_path(path) == path


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("", "empty"),
        ("x/alice/db", "must start with u/"),
        ("u/alice", "expected u/<user>/<name>"),
        ("u//db", "segment 2 is ''"),
        ("f/etl/../x", "segment 3 is '..'"),
        ("f/etl/has space", "may only use"),
        ("f/etl/" + "x" * 300, "longer than 255"),
    ],
)
def test_invalid_paths_say_why(path, reason):
    with pytest.raises(WorkspaceError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        validate_path(path)


def test_prefixes_stripped():
    assert strip_resource_prefix("$res:f/a/b") == "f/a/b"
    assert strip_resource_prefix("res://f/a/b") == "f/a/b"


def test_files_live_under_connectors_home(isolated_environment, monkeypatch):
    files = workspace_files()
    assert files["database"] == isolated_environment / "workspaces" / "default.sqlite"
    monkeypatch.setenv("CONNECTORS_WORKSPACE", "team-a")
    connectors.set_variable("u/me/x", "1")
    assert (isolated_environment / "workspaces" / "team-a.sqlite").is_file()
    monkeypatch.setenv("CONNECTORS_WORKSPACE", "../evil")
    with pytest.raises(WorkspaceError, match="invalid workspace name"):
        workspace_files()


def test_xdg_data_home_when_no_connectors_home(monkeypatch, tmp_path):
    monkeypatch.delenv("CONNECTORS_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert (
        workspace_files()["database"] == tmp_path / "connectors" / "workspaces" / "default.sqlite"
    )


def test_sqlite_is_wal_with_busy_timeout():
    store = open_store()
    assert store.kind == "sqlite"
    assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000


def test_typed_resource_round_trip_and_normalised():
    connectors.set_resource("f/data/pg", PG, "postgresql")
    assert connectors.get_resource("f/data/pg") == PG
    assert connectors.get_resource("$res:f/data/pg") == PG
    assert connectors.get_resource("res://f/data/pg") == PG
    resource = load_resource("$res:f/data/pg")
    assert resource.resource_type == "postgresql"
    assert resource.value == PG
    with pytest.raises(WorkspaceError, match="is a postgresql, not a redis"):
        load_resource("f/data/pg", type_name="redis")


def test_set_resource_keeps_type_on_update():
    connectors.set_resource("f/data/pg", PG, "postgresql")
    with pytest.raises(ValidationError):
        connectors.set_resource("f/data/pg", {"port": "nope"})  # still validated as postgresql
    assert connectors.list_resources()[0]["resource_type"] == "postgresql"


def test_free_json_types_and_listing():
    connectors.set_resource("u/me/anything", {"a": [1, 2]})
    connectors.set_state([1, "two"], "u/me/st")
    listed = connectors.list_resources()
    assert [r["path"] for r in listed] == ["u/me/anything"]
    assert listed[0]["value"] is None
    assert [r["path"] for r in connectors.list_resources("state")] == ["u/me/st"]
    assert len(connectors.list_resources("state,any")) == 2
    assert connectors.list_resources(per_page=1, page=2) == []


@pytest.mark.parametrize(
    ("call", "reason"),
    [
        (lambda: connectors.set_resource("f/bad path/x", {}, "any"), "invalid resource path"),
        (lambda: connectors.set_resource("f/ok/x", {}, "nosuchtype"), "unknown resource type"),
        (
            lambda: connectors.set_resource("f/ok/x", {"port": "x"}, "postgresql"),
            "invalid postgres",
        ),
        (lambda: connectors.set_variable("nope", "v"), "invalid variable path"),
        (lambda: connectors.set_state({1, 2}, "u/me/s"), "not JSON-serialisable"),
    ],
)
def test_refused_writes_say_why_and_write_nothing(call, reason):
    open_store()
    before = _rows("connectors_resource"), _rows("connectors_variable")
    with pytest.raises((WorkspaceError, ValidationError), match=reason):
        call()
    assert (_rows("connectors_resource"), _rows("connectors_variable")) == before


def test_validation_error_does_not_quote_the_secret():
    with pytest.raises(ValidationError) as info:
        connectors.set_resource("f/x/pg", {**PG, "password": 12345678}, "postgresql")
    assert "12345678" not in str(info.value)


def test_variables_plain_and_secret():
    connectors.set_variable("u/me/plain", "hello")
    connectors.set_variable("var://u/me/pw", "s3cret-value", is_secret=True)
    assert connectors.get_variable("u/me/plain") == "hello"
    assert connectors.get_variable("var://u/me/pw") == "s3cret-value"
    connectors.set_variable("u/me/pw", "changed", is_secret=False)  # flag kept, as wmill
    stored = open_store().get_variable("u/me/pw")
    assert stored is not None and stored.is_secret and stored.value == "changed"
    with pytest.raises(NotFoundError, match="u/me/missing"):
        connectors.get_variable("u/me/missing")
    with pytest.raises(WorkspaceError, match="holds a string"):
        connectors.set_variable("u/me/n", 5)  # type: ignore[arg-type]


def test_delete_resource_removes_linked_variable():
    store = open_store()
    connectors.set_variable("f/x/pg", "pw-linked", is_secret=True)
    connectors.set_resource("f/x/pg", {**PG, "password": "$var:f/x/pg"}, "postgresql")
    assert connectors.get_resource("f/x/pg")["password"] == "pw-linked"
    assert store.delete_resource("f/x/pg")
    assert store.get_variable("f/x/pg") is None
    assert not store.delete_resource("f/x/pg")


def test_references_resolved_recursively():
    connectors.set_variable("u/me/host", "h.example")
    connectors.set_resource("u/me/inner", {"host": "$var:u/me/host", "list": ["$var:u/me/host"]})
    connectors.set_resource("u/me/outer", {"inner": "$res:u/me/inner", "n": 1})
    assert connectors.get_resource("u/me/outer") == {
        "inner": {"host": "h.example", "list": ["h.example"]},
        "n": 1,
    }
    assert connectors.get_resource("u/me/outer", interpolated=False)["inner"] == "$res:u/me/inner"


def test_reference_cycle_is_named():
    connectors.set_resource("u/me/a", {"next": "$res:u/me/b"})
    connectors.set_resource("u/me/b", {"next": "$res:u/me/c"})
    connectors.set_resource("u/me/c", {"next": "$res:u/me/a"})
    with pytest.raises(WorkspaceError) as info:
        connectors.get_resource("u/me/a")
    assert (
        str(info.value)
        == "reference cycle: $res:u/me/a -> $res:u/me/b -> $res:u/me/c -> $res:u/me/a"
    )
    connectors.set_resource("u/me/self", {"me": "$res:u/me/self"})
    with pytest.raises(WorkspaceError, match=r"cycle: \$res:u/me/self -> \$res:u/me/self"):
        connectors.get_resource("u/me/self")
    assert connectors.get_resource("u/me/a", none_if_undefined=True) is None


def test_missing_reference_names_where():
    connectors.set_resource("u/me/r", {"pw": "$var:u/me/nope"})
    with pytest.raises(
        NotFoundError, match=r"variable u/me/nope not found \(referenced from u/me/r\)"
    ):
        connectors.get_resource("u/me/r")


def test_flow_user_state_is_per_run(monkeypatch):
    monkeypatch.setenv("CONNECTORS_FLOW_RUN_ID", "run-1")
    connectors.set_flow_user_state("cursor", {"page": 3})
    assert connectors.get_flow_user_state("cursor") == {"page": 3}
    monkeypatch.setenv("CONNECTORS_FLOW_RUN_ID", "run-2")
    assert connectors.get_flow_user_state("cursor") is None
    monkeypatch.setenv("WM_ROOT_FLOW_JOB_ID", "run-1")
    assert connectors.get_flow_user_state("cursor") == {"page": 3}


def test_state_values_are_any_json():
    for value in (None, 0, "text", [1, {"a": None}], {"ids": list(range(100))}):
        connectors.set_state(value, "u/me/s")
        assert connectors.get_state("u/me/s") == value
    assert json.loads(_rows("connectors_resource")[0][3]) == {"ids": list(range(100))}
