"""Run one parameterised SQL statement and return its rows as JSON-safe dicts."""

import base64
import datetime
import math
import os
import tempfile
from decimal import Decimal
from typing import Any, Dict, List, Optional, TypedDict

import psycopg
from psycopg.rows import dict_row
from psycopg.types.range import Range


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


def _json_safe(value: Any) -> Any:
    """A JSON-serialisable form: Decimal -> exact string, dates -> ISO 8601, UUID -> string,
    bytes -> base64, intervals -> seconds, ranges -> {lower, upper, bounds}."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, Range):
        return {
            "lower": _json_safe(value.lower),
            "upper": _json_safe(value.upper),
            "bounds": value.bounds,
        }
    return str(value)  # UUID, IP addresses, enums, ...


def main(
    db: postgresql,
    query: str,
    args: Optional[List[str]] = None,
    max_rows: int = 10000,
) -> List[Dict[str, Any]]:
    """Run a parameterised query and return the rows it produces.

    Args:
        db (postgresql): the PostgreSQL resource.
        query (str): one SQL statement; use %s placeholders for the values in args.
        args (list): values for the placeholders, in order, as text: PostgreSQL casts each to
            the type the query needs (never formatted into the SQL).
        max_rows (int): stop after this many rows (0 = no limit).

    Returns a list of rows, each a dict of column -> JSON-safe value; a statement without a
    result (INSERT, UPDATE, DDL) returns [] and is committed.
    """
    with _connect(db, prepare_threshold=None, row_factory=dict_row) as conn, conn.cursor() as cur:
        cur.execute(query, args or None)
        if cur.description is None:
            return []
        rows = cur.fetchmany(max_rows) if max_rows > 0 else cur.fetchall()
        return [{k: _json_safe(v) for k, v in row.items()} for row in rows]
