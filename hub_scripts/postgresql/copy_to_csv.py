"""Stream a table or a query's result to a CSV file with server-side COPY (constant memory)."""

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
    table: str = "",
    schema: Optional[str] = None,
    query: str = "",
    args: Optional[List[str]] = None,
    header: bool = True,
    delimiter: str = ",",
) -> Dict[str, Any]:
    """Write a table, or the rows of a query, to a CSV file.

    Args:
        db (postgresql): the PostgreSQL resource.
        path (str): the CSV file to write (created or replaced).
        table (str): the table to export (give table or query).
        schema (str): the table's schema (default: the search path).
        query (str): a SELECT to export instead of a table; %s placeholders for args.
        args (list): values for the query's placeholders, as text (PostgreSQL casts each one).
        header (bool): write the column names as the first line.
        delimiter (str): the field separator (one character).

    Returns {"path", "rows", "bytes"}. The server produces the CSV (COPY ... TO STDOUT) and it
    is written block by block, so memory use does not grow with the table.
    """
    if bool(table) == bool(query):
        raise ValueError("give either table or query")
    if table:
        source = sql.Identifier(schema, table) if schema else sql.Identifier(table)
    else:
        source = sql.SQL("({})").format(sql.SQL(query.strip().rstrip(";")))
    statement = sql.SQL("COPY {} TO STDOUT WITH (FORMAT csv, HEADER {}, DELIMITER {})").format(
        source, sql.SQL("true" if header else "false"), sql.Literal(delimiter)
    )
    written = 0
    with _connect(db, prepare_threshold=None) as conn, conn.cursor() as cur:
        with open(path, "wb") as out, cur.copy(statement, args or None) as copy:
            for block in copy:
                out.write(block)
                written += len(block)
        rows = cur.rowcount
    return {"path": path, "rows": rows, "bytes": written}
