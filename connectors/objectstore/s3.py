"""The ObjectStore of an ``s3`` resource: one bucket through boto3.

Uploads go through boto3's managed transfer (s3transfer) in parts of ``PART_SIZE`` bytes. A
stream is read in parts of ``STREAM_PART_SIZE`` with at most ``STREAM_CONCURRENCY`` parts in memory
and in flight (25 MiB whatever the object's size).
Bytes already in memory are sent with ``BYTES_CONCURRENCY`` parallel parts, as boto3's
``upload_fileobj`` does by default. Downloads stream the GET body: ``open_reader`` holds one read
at a time; ``read_all`` is a single GET.
"""

from __future__ import annotations

import io
import threading
from typing import IO, Any

from connectors.objectstore.base import ObjectStore
from connectors.objectstore.streams import FullReads, seekable
from connectors.s3 import settings as s3_settings
from connectors.s3.client import make_client

MiB = 1024 * 1024
PART_SIZE = 8 * MiB
#: a stream goes up in S3's smallest parts, more of them at once: the same memory bound as
#: 3 parts of 8 MiB, with twice the parallelism.
STREAM_PART_SIZE = 5 * MiB
STREAM_CONCURRENCY = 5
BYTES_CONCURRENCY = 10

_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def _client_for(value: dict[str, Any]) -> Any:
    """One boto3 client per distinct value (creating a client costs tens of milliseconds)."""
    import json

    cache_key = json.dumps(value, sort_keys=True, default=str)
    with _clients_lock:
        client = _clients.get(cache_key)
        if client is None:
            if len(_clients) >= 16:
                _clients.clear()
            client = make_client(value, max_pool_connections=BYTES_CONCURRENCY + 2)
            _clients[cache_key] = client
        return client


class _BodyReader(io.RawIOBase):
    """A raw stream over a botocore StreamingBody (so io.BufferedReader can wrap it)."""

    def __init__(self, body: Any) -> None:
        self._body = body

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        chunk = self._body.read(len(view))
        view[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


class S3Store(ObjectStore):
    """One bucket of an ``s3`` value."""

    def __init__(self, value: dict[str, Any]) -> None:
        self.value = value
        self.bucket = str(value.get("bucket") or "")

    @property
    def client(self) -> Any:
        """The boto3 S3 client of this value (shared by stores of equal values)."""
        return _client_for(self.value)

    def _transfer_config(self, concurrency: int, part_size: int) -> Any:
        from boto3.s3.transfer import TransferConfig

        config = TransferConfig(
            multipart_threshold=part_size,
            multipart_chunksize=part_size,
            max_concurrency=concurrency,
            io_chunksize=256 * 1024,
        )
        # s3transfer options that boto3's TransferConfig does not take as arguments: they bound
        # how many parts sit in memory, which is what keeps a stream upload constant-memory.
        config.max_in_memory_upload_chunks = concurrency
        config.max_in_memory_download_chunks = concurrency
        return config

    def open_reader(self, key: str) -> IO[bytes]:
        response = self.client.get_object(Bucket=self.bucket, Key=key)
        return io.BufferedReader(_BodyReader(response["Body"]), buffer_size=256 * 1024)

    def read_all(self, key: str) -> bytes:
        """The whole object in one GET (no extra copy through a buffered reader)."""
        response = self.client.get_object(Bucket=self.bucket, Key=key)
        with response["Body"] as body:
            data: bytes = body.read()
        return data

    def write(
        self,
        key: str,
        data: IO[bytes] | bytes,
        *,
        content_type: str | None = None,
        content_disposition: str | None = None,
    ) -> None:
        extra: dict[str, str] = {}
        if content_type:
            extra["ContentType"] = content_type
        if content_disposition:
            extra["ContentDisposition"] = content_disposition
        source: IO[bytes] | FullReads
        if isinstance(data, bytes | bytearray | memoryview):
            if len(data) <= PART_SIZE:
                self.client.put_object(Bucket=self.bucket, Key=key, Body=bytes(data), **extra)
                return
            source, concurrency, part_size = io.BytesIO(data), BYTES_CONCURRENCY, PART_SIZE
        else:
            source = data if seekable(data) else FullReads(data)
            concurrency, part_size = STREAM_CONCURRENCY, STREAM_PART_SIZE
        config = self._transfer_config(concurrency, part_size)
        self.client.upload_fileobj(source, self.bucket, key, ExtraArgs=extra or None, Config=config)

    def download_to(self, key: str, sink: IO[bytes]) -> None:
        """Copy the object into a writable stream with boto3's managed (parallel) download."""
        config = self._transfer_config(BYTES_CONCURRENCY, PART_SIZE)
        self.client.download_fileobj(self.bucket, key, sink, Config=config)

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def presign(self, key: str, expiry_secs: int) -> str:
        url: str = self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expiry_secs
        )
        return url

    def polars_settings(self) -> dict[str, Any]:
        return s3_settings.polars_settings(self.value)

    def duckdb_settings(self) -> dict[str, Any]:
        return s3_settings.duckdb_settings(self.value)

    def boto3_settings(self) -> dict[str, Any]:
        return s3_settings.boto3_settings(self.value)
