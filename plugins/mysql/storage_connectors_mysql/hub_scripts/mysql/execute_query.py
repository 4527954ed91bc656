"""Run one parameterised SQL statement on MySQL or MariaDB; return its rows as JSON-safe dicts."""

import base64
import datetime
import math
import ssl
from decimal import Decimal
from typing import Any, Dict, List, Optional, TypedDict

import pymysql
import pymysql.cursors


class mysql(TypedDict):
    host: str
    port: int
    user: str
    database: str
    password: str
    ssl: bool


def _connect(db: mysql, **kwargs: Any) -> pymysql.connections.Connection:
    """Connect as the resource says: ssl (or ssl_mode) for TLS, root_certificate_pem (PEM
    content) to verify the server; the password is sent as UTF-8."""
    mode = db.get("ssl_mode") or ("REQUIRED" if db.get("ssl") else "DISABLED")
    if db.get("ssl") and not db.get("ssl_mode") and db.get("root_certificate_pem"):
        mode = "VERIFY_IDENTITY"
    params: Dict[str, Any] = {
        "host": db.get("host") or "localhost",
        "port": int(db.get("port") or 3306),
        "user": db.get("user") or None,
        "password": str(db.get("password") or "").encode(),
        "database": db.get("database") or None,
        "charset": db.get("charset") or "utf8mb4",
    }
    # a 10 s default, as the other hub scripts: an unreachable host fails instead of hanging
    params["connect_timeout"] = int(db.get("connect_timeout") or 10)
    if mode == "DISABLED":
        params["ssl_disabled"] = True
    elif mode != "PREFERRED":
        context = ssl.create_default_context(cadata=db.get("root_certificate_pem") or None)
        context.check_hostname = mode == "VERIFY_IDENTITY"
        if mode == "REQUIRED":
            context.verify_mode = ssl.CERT_NONE
        params["ssl"] = context
    params.update(kwargs)
    return pymysql.connect(**params)


def _json_safe(value: Any) -> Any:
    """Decimal -> exact string, dates -> ISO 8601, TIME -> seconds, bytes -> base64."""
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
    return str(value)


def main(
    db: mysql,
    query: str,
    args: Optional[List[str]] = None,
    max_rows: int = 10000,
) -> List[Dict[str, Any]]:
    """Run a parameterised query and return the rows it produces.

    Args:
        db (mysql): the MySQL resource.
        query (str): one SQL statement; use %s placeholders for the values in args.
        args (list): values for the placeholders, in order, as text (never formatted into the SQL).
        max_rows (int): stop after this many rows (0 = no limit).

    Returns a list of rows, each a dict of column -> JSON-safe value; a statement without a
    result (INSERT, UPDATE, DDL) returns [] and is committed.
    """
    conn = _connect(db, cursorclass=pymysql.cursors.DictCursor)
    try:
        with conn.cursor() as cur:
            cur.execute(query, args or None)
            if cur.description is None:
                conn.commit()
                return []
            rows = cur.fetchmany(max_rows) if max_rows > 0 else cur.fetchall()
            conn.commit()
            return [{k: _json_safe(v) for k, v in row.items()} for row in rows]
    finally:
        conn.close()
