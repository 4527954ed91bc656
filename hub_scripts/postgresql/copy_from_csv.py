"""Load a CSV file into a table with server-side COPY, streamed in blocks (constant memory)."""

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


def main(
    db: postgresql,
    path: str,
    table: str,
    schema: Optional[str] = None,
    columns: Optional[List[str]] = None,
    header: bool = True,
    delimiter: str = ",",
    null: str = "",
    block_size: int = 65536,
) -> Dict[str, Any]:
    """Append the rows of a CSV file to a table, in one transaction.

    Args:
        db (postgresql): the PostgreSQL resource.
        path (str): the CSV file to read.
        table (str): the table to load into.
        schema (str): the table's schema (default: the search path).
        columns (list): the table columns the CSV fields go to, in order (default: all).
        header (bool): the first line holds column names and is skipped.
        delimiter (str): the field separator (one character).
        null (str): the unquoted text that means NULL (default: an empty field).
        block_size (int): bytes read and sent at a time.

    Returns {"table", "rows"}. Nothing is loaded if any row is rejected.
    """
    target = sql.Identifier(schema, table) if schema else sql.Identifier(table)
    if columns:
        target = sql.SQL("{} ({})").format(
            target, sql.SQL(", ").join(sql.Identifier(c) for c in columns)
        )
    statement = sql.SQL(
        "COPY {} FROM STDIN WITH (FORMAT csv, HEADER {}, DELIMITER {}, NULL {})"
    ).format(target, sql.SQL("true" if header else "false"), sql.Literal(delimiter),
             sql.Literal(null))  # fmt: skip
    with _connect(db, prepare_threshold=None) as conn, conn.cursor() as cur:
        with open(path, "rb") as source, cur.copy(statement) as copy:
            while True:
                block = source.read(block_size)
                if not block:
                    break
                copy.write(block)
        rows = cur.rowcount
    return {"table": table, "rows": rows}
