"""The team store on a live PostgreSQL (the ``fresh_postgresql`` fixture: a new database)."""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import quote

import pytest

import connectors
from connectors.errors import ValidationError, WorkspaceError
from connectors.workspace.postgres_store import PostgresStore
from connectors.workspace.store import close_store, open_store

pytestmark = pytest.mark.live


def _url(value: dict) -> str:
    return (
        f"postgresql://{quote(value['user'], safe='')}:{quote(value['password'], safe='')}"
        f"@{value['host']}:{value['port']}/{value['dbname']}"
    )


def _raw(value: dict, sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(
        host=value["host"],
        port=value["port"],
        user=value["user"],
        password=value["password"],
        dbname=value["dbname"],
    ) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def team(fresh_postgresql, monkeypatch):
    monkeypatch.setenv("CONNECTORS_WORKSPACE_URL", _url(fresh_postgresql.value))
    return fresh_postgresql.value


def test_schema_created_on_first_use_and_functions_work(team):
    store = open_store()
    assert store.kind == "postgresql"
    tables = {
        r[0]
        for r in _raw(team, "SELECT tablename FROM pg_tables WHERE tablename LIKE 'connectors_%'")
    }
    assert tables == {
        "connectors_meta",
        "connectors_resource",
        "connectors_variable",
        "connectors_flow_user_state",
    }
    connectors.set_variable("u/team/pw", "team-Secret-42", is_secret=True)
    connectors.set_resource(
        "f/team/db",
        {"host": "h", "port": 5432, "user": "u", "password": "$var:u/team/pw", "dbname": "d"},
        "postgresql",
    )
    assert connectors.get_resource("f/team/db")["password"] == "team-Secret-42"
    connectors.set_state({"n": 1}, "u/team/s")
    assert connectors.update_state(lambda s: {"n": s["n"] + 1}, "u/team/s") == {"n": 2}
    assert [r["path"] for r in connectors.list_resources()] == ["f/team/db"]
    connectors.set_flow_user_state("k", [1])
    assert connectors.get_flow_user_state("k") == [1]
    info = store.info()
    assert info["resources"] == 1 and info["states"] == 1 and info["secret_variables"] == 1
    assert team["password"] not in info["location"]


def test_secrets_encrypted_in_postgres(team):
    connectors.set_variable("u/team/pw", "team-Secret-42", is_secret=True)
    connectors.set_resource(
        "f/team/s3",
        {"bucket": "b", "region": "r", "accessKey": "AK", "secretKey": "s3-Secret-99"},
        "s3",
    )
    dump = repr(_raw(team, "SELECT * FROM connectors_variable")) + repr(
        _raw(team, "SELECT * FROM connectors_resource")
    )
    assert "team-Secret-42" not in dump and "s3-Secret-99" not in dump
    assert "$enc:v1:" in dump
    assert open_store().rotate_key() == 2
    assert connectors.get_resource("f/team/s3")["secretKey"] == "s3-Secret-99"


def test_refused_writes_store_nothing(team):
    with pytest.raises(ValidationError):
        connectors.set_resource("f/team/db", {"port": "x"}, "postgresql")
    with pytest.raises(WorkspaceError, match="unknown resource type"):
        connectors.set_resource("f/team/db", {}, "nope")
    assert _raw(team, "SELECT COUNT(*) FROM connectors_resource") == [(0,)]


def test_two_workspaces_share_one_database(team, tmp_path):
    a = PostgresStore(team, workspace="a", key_file=tmp_path / "a.key")
    b = PostgresStore(team, workspace="b", key_file=tmp_path / "b.key")
    a.put_resource("u/x/r", "any", {"from": "a"})
    assert b.get_resource("u/x/r") is None
    assert a.get_resource("u/x/r").value == {"from": "a"}
    a.close()
    b.close()


INCREMENT = """
import connectors
for _ in range({n}):
    connectors.update_state(lambda s: (s or 0) + 1, "u/team/counter")
"""


def test_concurrent_updates_lose_nothing(team):
    connectors.set_state(0, "u/team/counter")
    procs = [
        subprocess.Popen([sys.executable, "-c", INCREMENT.format(n=100)], env=dict(os.environ))
        for _ in range(4)
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0, 0]
    assert connectors.get_state("u/team/counter") == 400


def test_unreachable_database_is_one_clear_error(monkeypatch):
    monkeypatch.setenv("CONNECTORS_WORKSPACE_URL", "postgresql://u:hunter22@127.0.0.1:1/db")
    with pytest.raises(WorkspaceError, match="cannot connect") as info:
        open_store()
    assert "hunter22" not in str(info.value)


# -- the connection is the postgresql connector's ---------------------------------------------


def test_a_keyword_value_string_opens_the_store(fresh_postgresql, monkeypatch):
    v = fresh_postgresql.value
    conninfo = (
        f"host={v['host']} port={v['port']} user={v['user']} "
        f"password='{v['password']}' dbname={v['dbname']}"
    )
    monkeypatch.setenv("CONNECTORS_WORKSPACE_URL", conninfo)
    connectors.set_state({"n": 1}, "u/team/kv")
    store = open_store()
    assert store.kind == "postgresql" and connectors.get_state("u/team/kv") == {"n": 1}
    assert store.info()["location"] == f"postgresql://{v['host']}:{v['port']}/{v['dbname']}"


def test_behind_a_transaction_pooler_no_statement_is_prepared(team, monkeypatch):
    """The connector's rule (pgbouncer=true, Supabase :6543, Neon -pooler) applies to the store."""
    assert open_store()._conn.prepare_threshold == 5  # direct: psycopg's default
    close_store()
    monkeypatch.setenv("CONNECTORS_WORKSPACE_URL", _url(team) + "?pgbouncer=true")
    store = open_store()
    assert store._conn.prepare_threshold is None
    for n in range(8):  # more than psycopg's threshold: still not prepared
        connectors.update_state(lambda s: (s or 0) + 1, "u/team/pooled")
        assert connectors.get_state("u/team/pooled") == n + 1
    prepared = store._conn.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()
    assert prepared == (0,)


def test_a_string_that_is_not_postgresql_is_one_clear_error(monkeypatch):
    monkeypatch.setenv("CONNECTORS_WORKSPACE_URL", "redis://:hunter22@cache:6379/0")
    with pytest.raises(WorkspaceError, match="not a PostgreSQL resource") as info:
        open_store()
    assert "hunter22" not in str(info.value)
