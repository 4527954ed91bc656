"""The postgresql hub scripts, run against a fresh database on the live server."""

from __future__ import annotations

import csv
import datetime
import json
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

import connectors
from connectors.hub.loader import load_script

pytestmark = pytest.mark.live

SCRIPTS = ["execute_query", "list_tables", "copy_to_csv", "copy_from_csv", "export_to_parquet",
           "insert_rows"]  # fmt: skip
SCRIPTS_DIR = Path(__file__).resolve().parents[2] / "hub_scripts" / "postgresql"


def run(name, db, **kwargs):
    return load_script("postgresql", name).main(db.value, **kwargs)


@pytest.fixture
def db(fresh_postgresql):
    with connectors.connect(fresh_postgresql) as conn:
        conn.execute(
            "CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(10,2), "
            "seen timestamptz, tags jsonb, uid uuid, data bytea, span interval)"
        )
        conn.execute(
            "INSERT INTO items VALUES (1, 'a, \"quoted\"', 9.99, '2024-05-01 10:00+00', "
            "'{\"k\": [1, 2]}', '12345678-1234-5678-1234-567812345678', '\\x0102', '1 hour'), "
            "(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"
        )
    return fresh_postgresql


@pytest.mark.parametrize("name", SCRIPTS)
def test_sidecars(name):
    import yaml

    sidecar = yaml.safe_load((SCRIPTS_DIR / f"{name}.script.yaml").read_text())
    assert sidecar["kind"] == "script" and sidecar["summary"] and sidecar["description"]
    source = (SCRIPTS_DIR / f"{name}.py").read_text()
    assert "class postgresql(TypedDict)" in source and "Args:" in source
    assert "import connectors" not in source


def test_execute_query_json_safe_rows(db):
    rows = run("execute_query", db, query="SELECT * FROM items WHERE id = %s", args=[1])
    assert rows == [
        {
            "id": 1,
            "name": 'a, "quoted"',
            "price": "9.99",
            "seen": "2024-05-01T10:00:00+00:00",
            "tags": {"k": [1, 2]},
            "uid": "12345678-1234-5678-1234-567812345678",
            "data": "AQI=",
            "span": 3600.0,
        }
    ]
    json.dumps(rows)
    # a hostile value is a parameter, never SQL
    assert run("execute_query", db, query="SELECT %s::text AS v", args=["'; DROP TABLE x; --"]) == [
        {"v": "'; DROP TABLE x; --"}
    ]
    assert (
        run("execute_query", db, query="UPDATE items SET name = %s WHERE id = 2", args=["b"]) == []
    )
    assert run("execute_query", db, query="SELECT name FROM items WHERE id = 2") == [{"name": "b"}]
    assert len(run("execute_query", db, query="SELECT generate_series(1, 50)", max_rows=7)) == 7


def test_list_tables(db):
    with connectors.connect(db) as conn:
        conn.execute('CREATE SCHEMA "odd schema"; CREATE VIEW "odd schema".v AS SELECT 1 AS x')
    tables = run("list_tables", db)
    assert {"schema": "public", "name": "items", "type": "table", "estimated_rows": 0} in [
        {**t, "estimated_rows": 0} for t in tables
    ]
    assert {"schema": "odd schema", "name": "v", "type": "view", "estimated_rows": 0} in tables
    only = run("list_tables", db, schema="odd schema", include_views=False)
    assert only == []


def test_copy_round_trip_through_csv(db, tmp_path):
    out = tmp_path / "items.csv"
    result = run("copy_to_csv", db, path=str(out), table="items")
    assert result["rows"] == 2 and result["bytes"] == out.stat().st_size
    lines = list(csv.reader(out.open()))
    assert lines[0][:3] == ["id", "name", "price"]
    assert lines[1][:3] == ["1", 'a, "quoted"', "9.99"]
    with connectors.connect(db) as conn:
        conn.execute("CREATE TABLE items_copy (LIKE items)")
    loaded = run("copy_from_csv", db, path=str(out), table="items_copy")
    assert loaded == {"table": "items_copy", "rows": 2}
    same = "SELECT count(*) FROM (SELECT * FROM items EXCEPT SELECT * FROM items_copy) d"
    assert run("execute_query", db, query=same) == [{"count": 0}]


def test_copy_to_csv_query_with_parameters(db, tmp_path):
    out = tmp_path / "q.csv"
    result = run(
        "copy_to_csv",
        db,
        path=str(out),
        query="SELECT id, name FROM items WHERE id > %s ORDER BY id",
        args=[0],
        header=False,
        delimiter=";",
    )
    assert result["rows"] == 2
    assert out.read_text().splitlines() == ['1;"a, ""quoted"""', "2;"]
    with pytest.raises(ValueError, match="either table or query"):
        run("copy_to_csv", db, path=str(out))


def test_copy_streams_many_rows(db, tmp_path):
    with connectors.connect(db) as conn:
        conn.execute(
            "CREATE TABLE big AS SELECT g AS id, md5(g::text) AS h FROM generate_series(1, 50000) g"
        )
    out = tmp_path / "big.csv"
    assert run("copy_to_csv", db, path=str(out), table="big")["rows"] == 50000
    with connectors.connect(db) as conn:
        conn.execute("CREATE TABLE big2 (LIKE big)")
    assert run("copy_from_csv", db, path=str(out), table="big2", block_size=4096)["rows"] == 50000


def test_copy_from_csv_columns_and_rollback(db, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("name|id\nx|10\n|11\n")
    result = run("copy_from_csv", db, path=str(src), table="items", columns=["name", "id"],
                 delimiter="|")  # fmt: skip
    assert result["rows"] == 2
    assert run("execute_query", db, query="SELECT name FROM items WHERE id = 11") == [
        {"name": None}
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("id\n20\nnot-a-number\n")
    with pytest.raises(Exception, match="invalid input syntax"):
        run("copy_from_csv", db, path=str(bad), table="items", columns=["id"])
    assert run("execute_query", db, query="SELECT count(*) FROM items WHERE id = 20") == [
        {"count": 0}
    ]


def test_insert_rows(db):
    rows = [
        {"id": 3, "name": "c", "price": "1.50", "seen": "2024-05-01T10:00:00Z", "tags": {"a": 1}},
        {"id": 4, "tags": [1, "two"], "uid": str(uuid.UUID(int=4)), "span": "2 days"},
    ]
    assert run("insert_rows", db, table="items", rows=rows) == {"table": "items", "inserted": 2}
    got = run("execute_query", db, query="SELECT id, name, price, seen, tags, uid, span "
              "FROM items WHERE id >= 3 ORDER BY id")  # fmt: skip
    assert got == [
        {"id": 3, "name": "c", "price": "1.50", "seen": "2024-05-01T10:00:00+00:00",
         "tags": {"a": 1}, "uid": None, "span": None},
        {"id": 4, "name": None, "price": None, "seen": None, "tags": [1, "two"],
         "uid": "00000000-0000-0000-0000-000000000004", "span": 172800.0},
    ]  # fmt: skip
    with pytest.raises(ValueError, match="no column"):
        run("insert_rows", db, table="items", rows=[{"id": 5, "nope": 1}])
    with pytest.raises(Exception, match="duplicate key"):
        run("insert_rows", db, table="items", rows=[{"id": 6}, {"id": 6}])
    assert run("execute_query", db, query="SELECT count(*) FROM items WHERE id = 6") == [
        {"count": 0}
    ]
    assert run("insert_rows", db, table="items", rows=[]) == {"table": "items", "inserted": 0}


def test_export_to_parquet_local(db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "items.parquet"
    result = run("export_to_parquet", db, query="SELECT * FROM items ORDER BY id", path=str(out),
                 batch_size=1)  # fmt: skip
    assert result == {"rows": 2, "columns": ["id", "name", "price", "seen", "tags", "uid",
                      "data", "span"], "path": str(out)}  # fmt: skip
    table = pq.read_table(out)
    assert table.column("id").to_pylist() == [1, 2]
    assert table.column("price").to_pylist() == [Decimal("9.99"), None]
    assert table.column("seen").to_pylist()[0] == datetime.datetime(
        2024, 5, 1, 10, tzinfo=datetime.UTC
    )
    assert json.loads(table.column("tags").to_pylist()[0]) == {"k": [1, 2]}
    assert table.column("data").to_pylist() == [b"\x01\x02", None]
    assert table.column("span").to_pylist()[0] == datetime.timedelta(hours=1)


def test_export_to_parquet_s3(db, fresh_s3, monkeypatch):
    pq = pytest.importorskip("pyarrow.parquet")
    import io

    connectors.set_resource("u/test/lake", fresh_s3.value, "s3")
    monkeypatch.setenv("CONNECTORS_OBJECT_STORAGE", "u/test/lake")
    result = run("export_to_parquet", db, query="SELECT id, name FROM items WHERE id > %s",
                 args=[0], s3_object={"s3": "exports/items.parquet"})  # fmt: skip
    assert result["rows"] == 2 and result["s3_object"]["s3"] == "exports/items.parquet"
    data = connectors.load_s3_file({"s3": "exports/items.parquet"})
    assert sorted(pq.read_table(io.BytesIO(data)).column("id").to_pylist()) == [1, 2]
