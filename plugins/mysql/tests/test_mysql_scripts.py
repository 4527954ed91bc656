"""The mysql hub scripts, run with `connectors run` against a fresh database on a live MariaDB."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import connectors

pytestmark = pytest.mark.live

SCRIPTS_DIR = (
    Path(__file__).resolve().parents[1] / "storage_connectors_mysql" / "hub_scripts" / "mysql"
)
SCRIPTS = ["execute_query", "list_tables", "insert_rows", "export_to_parquet"]


def cli(*args, stdin=None):
    done = subprocess.run(
        [sys.executable, "-c", "from connectors.cli import main; main()", *args],
        input=stdin, capture_output=True, text=True, env=os.environ.copy(), check=False,
    )  # fmt: skip
    return done


def run(name, db, *args):
    done = cli("run", f"mysql/{name}", "--resource", connectors.to_connection_string(db),
               "--json", *args)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["result"]


@pytest.fixture
def db(fresh_mysql):
    with connectors.connect(fresh_mysql) as conn, conn.cursor() as cur:
        cur.execute(
            "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40), price DECIMAL(10,2), "
            "seen DATETIME, tags JSON, data VARBINARY(8))"
        )
        cur.execute(
            "INSERT INTO items VALUES (1, 'a, \"quoted\" é', 9.99, '2024-05-01 10:00:00', "
            "'{\"k\": [1, 2]}', x'0102'), (2, NULL, NULL, NULL, NULL, NULL)"
        )
        conn.commit()
    return fresh_mysql


@pytest.mark.parametrize("name", SCRIPTS)
def test_sidecar_is_what_the_core_generates(name):
    sidecar = yaml.safe_load((SCRIPTS_DIR / f"{name}.script.yaml").read_text())
    assert sidecar["kind"] == "script" and sidecar["summary"] and sidecar["description"]
    assert sidecar["schema"]["properties"]["db"] == {
        "type": "object", "format": "resource-mysql", "description": "the MySQL resource.",
    }  # fmt: skip
    source = (SCRIPTS_DIR / f"{name}.py").read_text()
    assert "class mysql(TypedDict)" in source and "import connectors" not in source


def test_sidecars_are_current():
    done = cli("hub", "sidecars", "mysql", "--check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_execute_query(db):
    done = cli("run", "mysql/execute_query", "--resource", connectors.to_connection_string(db),
               "--json", "--args-json", "-",
               stdin=json.dumps({"query": "SELECT * FROM items ORDER BY id"}))  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["result"]
    assert rows[0] == {
        "id": 1,
        "name": 'a, "quoted" é',
        "price": "9.99",
        "seen": "2024-05-01T10:00:00",
        "tags": '{"k": [1, 2]}',
        "data": "AQI=",
    }
    assert rows[1]["name"] is None
    assert db.value["password"] not in done.stdout + done.stderr


def test_list_tables(db):
    rows = run("list_tables", db)
    assert [(r["name"], r["type"]) for r in rows] == [("items", "table")]
    assert rows[0]["database"] == db.value["database"]


def test_insert_rows_then_read_back(db):
    payload = {"table": "items", "rows": [{"id": 3, "name": "c`; DROP", "tags": {"x": 1}},
                                          {"id": 4, "name": "d"}]}  # fmt: skip
    done = cli("run", "mysql/insert_rows", "--resource", connectors.to_connection_string(db),
               "--json", "--args-json", "-", stdin=json.dumps(payload))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["result"] == {"inserted": 2, "columns": ["id", "name", "tags"]}
    with connectors.connect(db) as conn, conn.cursor() as cur:
        cur.execute("SELECT name, tags FROM items WHERE id >= 3 ORDER BY id")
        assert cur.fetchall() == (("c`; DROP", '{"x": 1}'), ("d", None))


def test_insert_rows_is_all_or_nothing(db):
    payload = {"table": "items", "rows": [{"id": 5, "name": "e"}, {"id": 1, "name": "dup"}]}
    done = cli("run", "mysql/insert_rows", "--resource", connectors.to_connection_string(db),
               "--args-json", "-", stdin=json.dumps(payload))  # fmt: skip
    assert done.returncode != 0
    with connectors.connect(db) as conn, conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM items WHERE id = 5")
        assert cur.fetchone() == (0,)


def test_export_to_parquet(db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "items.parquet"
    result = run("export_to_parquet", db, "--arg", "query=SELECT id, name, price FROM items "
                 "ORDER BY id", "--arg", f"path={out}", "--arg", "batch_size=1")  # fmt: skip
    assert result == {"rows": 2, "columns": ["id", "name", "price"], "path": str(out)}
    table = pq.read_table(out)
    assert table.column("id").to_pylist() == [1, 2]
    assert table.column("name").to_pylist() == ['a, "quoted" é', None]


def test_export_to_parquet_in_workspace_object_storage(db, fresh_s3, monkeypatch):
    pq = pytest.importorskip("pyarrow.parquet")
    connectors.set_resource("f/lake/s3", fresh_s3.value, "s3")
    monkeypatch.setenv("CONNECTORS_OBJECT_STORAGE", "f/lake/s3")
    payload = {"query": "SELECT id, price FROM items ORDER BY id", "s3_object": {"s3": "x.parquet"}}
    done = cli("run", "mysql/export_to_parquet", "--resource", connectors.to_connection_string(db),
               "--json", "--args-json", "-", stdin=json.dumps(payload))  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)["result"]
    assert result["rows"] == 2 and result["s3_object"]["s3"] == "x.parquet"
    table = pq.read_table(io.BytesIO(connectors.load_s3_file("s3:///x.parquet")))
    assert table.column("id").to_pylist() == [1, 2]
