"""Stream a MySQL or MariaDB query's result into a Parquet file, locally or in object storage."""

import json
import os
import ssl
import tempfile
from typing import Any, Dict, List, Optional, TypedDict

import pyarrow as pa
import pyarrow.parquet as pq
import pymysql
import pymysql.cursors
import wmill
from wmill import S3Object


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


def _column(values: List[Any]) -> pa.Array:
    """An Arrow array of the values' own type; JSON text for mixed or unknown values."""
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if v is None else _text(v) for v in values], type=pa.string())


def _text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def main(
    db: mysql,
    query: str,
    path: str = "",
    s3_object: Optional[S3Object] = None,
    args: Optional[List[str]] = None,
    batch_size: int = 50000,
    compression: str = "zstd",
) -> Dict[str, Any]:
    """Export the rows of a query to Parquet, batch by batch (an unbuffered cursor).

    Args:
        db (mysql): the MySQL resource.
        query (str): the SELECT to export; %s placeholders for args.
        path (str): a local Parquet file to write (give path or s3_object).
        s3_object (S3Object): write to the workspace object storage at this key instead.
        args (list): values for the query's placeholders, as text.
        batch_size (int): rows fetched and written per batch (memory is bounded by it).
        compression (str): Parquet compression codec (zstd, snappy, gzip, none).

    Returns {"rows", "columns", "path"} or {"rows", "columns", "s3_object"}. The first batch
    fixes each column's type; a column whose values do not fit one type is written as text.
    """
    if bool(path) == bool(s3_object):
        raise ValueError("give either path or s3_object")
    target = path
    if s3_object:
        fd, target = tempfile.mkstemp(suffix=".parquet")
        os.close(fd)
    rows = 0
    names: List[str] = []
    try:
        conn = _connect(db, cursorclass=pymysql.cursors.SSCursor)
        try:
            with conn.cursor() as cur:
                cur.execute(query, args or None)
                names = [c[0] for c in cur.description or []]
                writer = None
                batch = cur.fetchmany(batch_size)
                while batch:
                    columns = [_column(list(col)) for col in zip(*batch, strict=True)]
                    table = pa.Table.from_arrays(columns, names=names)
                    if writer is None:
                        writer = pq.ParquetWriter(target, table.schema, compression=compression)
                    writer.write_table(table.cast(writer.schema))
                    rows += len(batch)
                    batch = cur.fetchmany(batch_size)
                if writer is None:
                    schema = pa.schema([(n, pa.string()) for n in names])
                    writer = pq.ParquetWriter(target, schema, compression=compression)
                writer.close()
        finally:
            conn.close()
        if not s3_object:
            return {"rows": rows, "columns": names, "path": path}
        with open(target, "rb") as handle:
            stored = wmill.write_s3_file(s3_object, handle)
        return {"rows": rows, "columns": names, "s3_object": stored}
    finally:
        if s3_object:
            os.unlink(target)
