"""Insert many rows (a list of JSON objects) into a table with COPY, in one transaction."""

import json
import os
import tempfile
from typing import Any, Dict, List, Optional, TypedDict

import psycopg
from psycopg import sql


class postgresql(TypedDict):
    host: str
    port: int
    user: str
    dbname: str
    sslmode: str
    password: str
    root_certificate_pem: str


_NOT_LIBPQ = ("hosts", "root_certificate_pem")


def _connect(db: postgresql, **kwargs: Any) -> psycopg.Connection:
    """Connect with every libpq setting of the resource; the root certificate (PEM content)
    goes to a private temporary file that is removed once the connection is made."""
    params: Dict[str, Any] = {
        k: v for k, v in db.items() if k not in _NOT_LIBPQ and v is not None and v != ""
    }
    hosts = db.get("hosts") or []
    if hosts:
        params["host"] = ",".join(str(h.get("host", "")) for h in hosts)
        params["port"] = ",".join(str(h.get("port") or "") for h in hosts)
    pem = db.get("root_certificate_pem")
    path = None
    try:
        if pem:
            fd, path = tempfile.mkstemp(prefix="pg-root-", suffix=".pem")
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(pem)
            params["sslrootcert"] = path
        params.setdefault("connect_timeout", 10)  # seconds, unless the resource sets it
        params.update(kwargs)
        return psycopg.connect(**params)
    finally:
        if path:
            os.unlink(path)


_COLUMN_TYPES = """
    SELECT a.attname, t.typname
    FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
    WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped
"""


def main(
    db: postgresql,
    table: str,
    rows: List[dict],
    schema: Optional[str] = None,
    columns: Optional[List[str]] = None,
) -> Dict[str, Any]:
    """Bulk-insert rows with COPY FROM STDIN; all rows or none are inserted.

    Args:
        db (postgresql): the PostgreSQL resource.
        table (str): the table to insert into.
        rows (list): the rows, each an object of column -> value. Values may be JSON strings
            for any column type (the server parses them, e.g. "2024-05-01T10:00:00Z" for a
            timestamptz); objects and lists go to json/jsonb columns as JSON.
        schema (str): the table's schema (default: the search path).
        columns (list): the columns to fill (default: every key seen in rows, in order of
            first appearance). A key missing from a row is inserted as NULL.

    Returns {"table", "inserted"}.
    """
    if not rows:
        return {"table": table, "inserted": 0}
    names = list(columns or dict.fromkeys(key for row in rows for key in row))
    target = sql.Identifier(schema, table) if schema else sql.Identifier(table)
    with _connect(db, prepare_threshold=None) as conn, conn.cursor() as cur:
        types = dict(cur.execute(_COLUMN_TYPES, [target.as_string(conn)]).fetchall())
        unknown = [name for name in names if name not in types]
        if unknown:
            raise ValueError(f"table {table} has no column(s): {', '.join(unknown)}")
        as_json = [types[name] in ("json", "jsonb") for name in names]
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            target, sql.SQL(", ").join(sql.Identifier(n) for n in names)
        )
        with cur.copy(statement) as copy:
            for row in rows:
                copy.write_row(
                    [
                        json.dumps(row[n]) if j and n in row and row[n] is not None
                        else row.get(n)
                        for n, j in zip(names, as_json, strict=True)
                    ]
                )  # fmt: skip
        inserted = cur.rowcount
    return {"table": table, "inserted": inserted}
