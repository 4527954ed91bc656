"""Stream a query's result into a Parquet file, locally or in the workspace object storage."""

import json
import os
import tempfile
from typing import Any, Dict, List, Optional, TypedDict

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import wmill
from wmill import S3Object


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


# PostgreSQL type OID -> Arrow type; anything else is exported as text.
_ARROW_TYPES = {
    16: pa.bool_(),
    17: pa.binary(),
    20: pa.int64(),
    21: pa.int16(),
    23: pa.int32(),
    26: pa.int64(),
    700: pa.float32(),
    701: pa.float64(),
    1082: pa.date32(),
    1083: pa.time64("us"),
    1114: pa.timestamp("us"),
    1184: pa.timestamp("us", tz="UTC"),
    1186: pa.duration("us"),
}
_NUMERIC = 1700


def _arrow_type(column: Any) -> pa.DataType:
    if column.type_code == _NUMERIC and column.precision and column.precision <= 38:
        return pa.decimal128(column.precision, column.scale or 0)
    return _ARROW_TYPES.get(column.type_code, pa.string())


def _as_text(value: Any) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str)
    return str(value)


def main(
    db: postgresql,
    query: str,
    path: str = "",
    s3_object: Optional[S3Object] = None,
    args: Optional[List[str]] = None,
    batch_size: int = 50000,
    compression: str = "zstd",
) -> Dict[str, Any]:
    """Export the rows of a query to Parquet, batch by batch (a server-side cursor).

    Args:
        db (postgresql): the PostgreSQL resource.
        query (str): the SELECT to export; %s placeholders for args.
        path (str): a local Parquet file to write (give path or s3_object).
        s3_object (S3Object): write to the workspace object storage at this key instead.
        args (list): values for the query's placeholders, as text (PostgreSQL casts each one).
        batch_size (int): rows fetched and written per batch (memory is bounded by it).
        compression (str): Parquet compression codec (zstd, snappy, gzip, none).

    Returns {"rows", "columns", "path"} or {"rows", "columns", "s3_object"}. Numeric columns
    with a declared precision become decimals, other unknown types text (JSON for json/jsonb).
    """
    if bool(path) == bool(s3_object):
        raise ValueError("give either path or s3_object")
    target = path
    if s3_object:
        fd, target = tempfile.mkstemp(suffix=".parquet")
        os.close(fd)
    rows = 0
    try:
        with (
            _connect(db, prepare_threshold=None) as conn,
            conn.cursor(name="connectors_export_to_parquet") as cur,
        ):
            cur.execute(query, args or None)
            batch = cur.fetchmany(batch_size)
            description = cur.description or []
            schema = pa.schema([(c.name, _arrow_type(c)) for c in description])
            text = [t == pa.string() for t in schema.types]
            with pq.ParquetWriter(target, schema, compression=compression) as writer:
                while batch:
                    columns = zip(*batch, strict=True)
                    arrays = [
                        pa.array([_as_text(v) for v in col] if is_text else list(col), type=t)
                        for col, t, is_text in zip(columns, schema.types, text, strict=True)
                    ]
                    writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
                    rows += len(batch)
                    batch = cur.fetchmany(batch_size)
        names = [c.name for c in description]
        if not s3_object:
            return {"rows": rows, "columns": names, "path": path}
        with open(target, "rb") as handle:
            stored = wmill.write_s3_file(s3_object, handle)
        return {"rows": rows, "columns": names, "s3_object": stored}
    finally:
        if s3_object:
            os.unlink(target)
