"""List the tables and views of a MySQL or MariaDB database."""

import ssl
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


def main(
    db: mysql, database: Optional[str] = None, include_views: bool = True
) -> List[Dict[str, Any]]:
    """List tables (and views) with their estimated row counts.

    Args:
        db (mysql): the MySQL resource.
        database (str): this database (default: the resource's database).
        include_views (bool): also list views.

    Returns [{"database", "name", "type", "estimated_rows"}], sorted by name.
    """
    kinds = ["BASE TABLE"] + (["VIEW", "SYSTEM VIEW"] if include_views else [])
    query = """
        SELECT table_schema AS `database`, table_name AS name,
               CASE table_type WHEN 'BASE TABLE' THEN 'table' ELSE 'view' END AS type,
               COALESCE(table_rows, 0) AS estimated_rows
        FROM information_schema.tables
        WHERE table_schema = COALESCE(%s, DATABASE()) AND table_type IN %s
        ORDER BY table_name
    """
    conn = _connect(db, cursorclass=pymysql.cursors.DictCursor)
    try:
        with conn.cursor() as cur:
            cur.execute(query, (database or None, kinds))
            return [{**row, "estimated_rows": int(row["estimated_rows"])} for row in cur.fetchall()]
    finally:
        conn.close()
