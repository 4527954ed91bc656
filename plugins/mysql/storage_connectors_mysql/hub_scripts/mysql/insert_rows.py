"""Insert many rows (a list of JSON objects) into a MySQL or MariaDB table, in one transaction."""

import json
import ssl
from typing import Any, Dict, List, Optional, TypedDict

import pymysql


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


def _ident(name: str) -> str:
    """A quoted MySQL identifier (backticks doubled), so any table or column name is safe."""
    if not name or "\0" in name:
        raise ValueError("an identifier must be a non-empty string without NUL")
    return "`" + name.replace("`", "``") + "`"


def _cell(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, (dict, list)) else value


def main(
    db: mysql,
    table: str,
    rows: List[dict],
    columns: Optional[List[str]] = None,
    batch_size: int = 1000,
) -> Dict[str, Any]:
    """Insert rows with multi-row INSERT statements; all rows or none are inserted.

    Args:
        db (mysql): the MySQL resource.
        table (str): the table to insert into (as database.table for another database).
        rows (list): the rows, each an object of column -> value; objects and lists are
            written as JSON text (for JSON columns).
        columns (list): the columns to fill (default: the keys of the first row).
        batch_size (int): rows per INSERT statement.

    Returns {"inserted": n, "columns": [...]}.
    """
    if not rows:
        return {"inserted": 0, "columns": columns or []}
    names = list(columns or rows[0].keys())
    target = ".".join(_ident(part) for part in table.split(".", 1))
    statement = "INSERT INTO {} ({}) VALUES ({})".format(
        target, ", ".join(_ident(n) for n in names), ", ".join(["%s"] * len(names))
    )
    conn = _connect(db, autocommit=False)
    try:
        with conn.cursor() as cur:
            for start in range(0, len(rows), max(1, batch_size)):
                batch = rows[start : start + max(1, batch_size)]
                cur.executemany(statement, [[_cell(row.get(n)) for n in names] for row in batch])
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.close()
    return {"inserted": len(rows), "columns": names}
