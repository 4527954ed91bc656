"""List the tables and views of a PostgreSQL database."""

import os
import tempfile
from typing import Any, Dict, List, Optional, TypedDict

import psycopg
from psycopg.rows import dict_row


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


def main(
    db: postgresql, schema: Optional[str] = None, include_views: bool = True
) -> List[Dict[str, Any]]:
    """List tables (and views) with their estimated row counts.

    Args:
        db (postgresql): the PostgreSQL resource.
        schema (str): only this schema (default: every schema except the system ones).
        include_views (bool): also list views and materialized views.

    Returns [{"schema", "name", "type", "estimated_rows"}], sorted by schema and name.
    """
    kinds = ["r", "p", "f"] + (["v", "m"] if include_views else [])
    query = """
        SELECT n.nspname AS schema, c.relname AS name,
               CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table'
                    WHEN 'f' THEN 'foreign table' WHEN 'v' THEN 'view'
                    WHEN 'm' THEN 'materialized view' END AS type,
               GREATEST(c.reltuples, 0)::bigint AS estimated_rows
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = ANY(%(kinds)s)
          AND (%(schema)s::text IS NULL AND n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp\\_%%'
               OR n.nspname = %(schema)s)
        ORDER BY 1, 2
    """
    with _connect(db, prepare_threshold=None, row_factory=dict_row) as conn:
        return list(conn.execute(query, {"kinds": kinds, "schema": schema}).fetchall())
