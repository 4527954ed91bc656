import datetime
import decimal
from typing import Any, TypedDict

import boto3
import pyarrow.parquet as pq
from botocore.config import Config


class s3(TypedDict):
    bucket: str
    region: str
    endPoint: str
    pathStyle: bool
    accessKey: str
    secretKey: str
    useSSL: bool
    port: int
    token: str


def _client(resource: s3) -> Any:
    """A boto3 client with Windmill's endpoint rules (full URL or bare host + useSSL + port)."""
    endpoint = resource.get("endPoint") or ""
    if endpoint and "://" not in endpoint:
        endpoint = ("https://" if resource.get("useSSL", True) else "http://") + endpoint
        if resource.get("port"):
            endpoint += f":{int(resource['port'])}"
    aws = not endpoint or ".amazonaws.com" in endpoint
    options: dict = {
        "signature_version": "s3v4",
        "connect_timeout": 10,  # seconds
        "s3": {"addressing_style": "path" if resource.get("pathStyle", True) else "virtual"},
    }
    if not aws:
        options["request_checksum_calculation"] = "when_required"
        options["response_checksum_validation"] = "when_required"
    return boto3.client(
        "s3",
        endpoint_url=endpoint or None,
        region_name=resource.get("region") or ("us-east-1" if not aws else None),
        aws_access_key_id=resource.get("accessKey") or None,
        aws_secret_access_key=resource.get("secretKey") or None,
        aws_session_token=resource.get("token") or None,
        config=Config(**options),
    )


class _RangeFile:
    """A read-only, seekable file over ranged GETs: pyarrow reads the footer and row groups only."""

    def __init__(self, client: Any, bucket: str, key: str) -> None:
        self.client, self.bucket, self.key, self.position = client, bucket, key, 0
        self.size = client.head_object(Bucket=bucket, Key=key)["ContentLength"]
        self.closed = False

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self.position, 2: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def tell(self) -> int:
        return self.position

    def read(self, size: int = -1) -> bytes:
        end = self.size if size is None or size < 0 else min(self.size, self.position + size)
        if end <= self.position:
            return b""
        rng = f"bytes={self.position}-{end - 1}"
        data = self.client.get_object(Bucket=self.bucket, Key=self.key, Range=rng)["Body"].read()
        self.position += len(data)
        return data

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return False

    def close(self) -> None:
        self.closed = True


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta, decimal.Decimal)):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def main(s3: s3, key: str, limit: int = 20) -> dict:
    """The schema and first rows of a Parquet object, read with ranged GETs (not downloaded whole).

    Args:
        s3 (s3): the S3 bucket
        key (str): the key of the Parquet file
        limit (int): how many rows to return (1 to 10000)
    """
    if not 1 <= limit <= 10000:
        raise ValueError("limit must be between 1 and 10000")
    source = _RangeFile(_client(s3), s3["bucket"], key)
    parquet = pq.ParquetFile(source)
    rows: list = []
    for group in range(parquet.num_row_groups):
        if len(rows) >= limit:
            break
        rows.extend(parquet.read_row_group(group).slice(0, limit - len(rows)).to_pylist())
    return {
        "columns": [{"name": f.name, "type": str(f.type)} for f in parquet.schema_arrow],
        "num_rows": parquet.metadata.num_rows,
        "num_row_groups": parquet.num_row_groups,
        "size": source.size,
        "rows": [_plain(row) for row in rows],
    }
