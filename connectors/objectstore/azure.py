"""The ObjectStore of an ``azure_blob`` resource: one container, addressed by blob name.

Keys are blob names inside ``containerName`` (``blobPrefix`` is not prepended: it records what
a parsed URL pointed at). Reads stream 4 MiB ranges; writes of a stream stage 4 MiB blocks,
``STAGING_CONCURRENCY`` at a time, and commit the block list, so memory stays constant whatever
the size (at most that many blocks and the one being read).
"""

from __future__ import annotations

import base64
import contextlib
import io
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import IO, Any
from urllib.parse import quote

from connectors.azure_blob.client import CHUNK_SIZE, container_client
from connectors.azure_blob.values import account_url, default_endpoint, to_connection_string
from connectors.objectstore.base import DEFAULT_CONTENT_TYPE, ObjectStore, sql_literal
from connectors.objectstore.streams import ChunkReader, read_full

#: blocks of a stream staged at once (the Azure SDK stages one at a time by default)
STAGING_CONCURRENCY = 4


class AzureObjectStore(ObjectStore):
    """``connectors.objectstore.base.ObjectStore`` over an Azure Blob container."""

    def __init__(self, value: dict[str, Any], *, chunk_size: int = CHUNK_SIZE) -> None:
        self.value = value
        self.bucket: str = value.get("containerName") or ""
        self.chunk_size = chunk_size

    def __repr__(self) -> str:
        return (
            f"AzureObjectStore(account={self.value.get('accountName')!r}, bucket={self.bucket!r})"
        )

    @cached_property
    def container(self) -> Any:
        """The ``azure.storage.blob.ContainerClient``."""
        return container_client(self.value)

    def open_reader(self, key: str) -> IO[bytes]:
        downloader = self.container.download_blob(key, max_concurrency=1)
        return io.BufferedReader(ChunkReader(downloader.chunks()), buffer_size=self.chunk_size)

    def write(
        self,
        key: str,
        data: IO[bytes] | bytes,
        *,
        content_type: str | None = None,
        content_disposition: str | None = None,
    ) -> None:
        from azure.storage.blob import ContentSettings

        settings = ContentSettings(
            content_type=content_type or DEFAULT_CONTENT_TYPE,
            content_disposition=content_disposition,
        )
        blob = self.container.get_blob_client(key)
        if isinstance(data, bytes | bytearray | memoryview):
            blob.upload_blob(bytes(data), overwrite=True, content_settings=settings)
            return
        block_ids: list[str] = []
        in_flight: deque[Future[Any]] = deque()
        with ThreadPoolExecutor(STAGING_CONCURRENCY, thread_name_prefix="azure-stage") as pool:
            while True:
                chunk = read_full(data, self.chunk_size)
                if not chunk:
                    break
                block_id = base64.b64encode(f"{len(block_ids):08d}".encode()).decode()
                in_flight.append(pool.submit(blob.stage_block, block_id, chunk, len(chunk)))
                block_ids.append(block_id)
                del chunk
                if len(in_flight) == STAGING_CONCURRENCY:  # the memory bound: wait for one
                    in_flight.popleft().result()
            for staged in in_flight:
                staged.result()
        blob.commit_block_list(block_ids, content_settings=settings)

    def delete(self, key: str) -> None:
        from azure.core.exceptions import ResourceNotFoundError

        with contextlib.suppress(ResourceNotFoundError):
            self.container.delete_blob(key)

    def presign(self, key: str, expiry_secs: int) -> str:
        """A read-only SAS URL: signed with the account key, else the resource's own SAS."""
        url = f"{account_url(self.value)}/{quote(self.bucket)}/{quote(key)}"
        if self.value.get("accessKey"):
            from azure.storage.blob import BlobSasPermissions, generate_blob_sas

            now = datetime.now(UTC)
            sas = generate_blob_sas(
                self.value["accountName"],
                self.bucket,
                key,
                account_key=self.value["accessKey"],
                permission=BlobSasPermissions(read=True),
                start=now - timedelta(minutes=5),
                expiry=now + timedelta(seconds=expiry_secs),
            )
            return f"{url}?{sas}"
        if self.value.get("sasToken"):
            return f"{url}?{str(self.value['sasToken']).lstrip('?')}"
        raise ValueError("cannot sign a URL without accessKey or sasToken in the resource")

    def polars_settings(self) -> dict[str, Any]:
        """``storage_options`` for polars (object_store keys) and ``adlfs_args`` for adlfs."""
        options: dict[str, str] = {"account_name": self.value.get("accountName", "")}
        if self.value.get("accessKey"):
            options["account_key"] = self.value["accessKey"]
        elif self.value.get("sasToken"):
            options["sas_token"] = str(self.value["sasToken"]).lstrip("?")
        endpoint = account_url(self.value)
        if endpoint != default_endpoint(options["account_name"]):
            options["endpoint"] = endpoint
        if endpoint.startswith("http:"):
            options["allow_http"] = "true"
        return {
            "storage_options": options,
            "adlfs_args": {
                "account_name": options["account_name"],
                "connection_string": self._account_connection_string(),
            },
            "s3_bucket": self.bucket,
            "azure_container_path": f"az://{self.bucket}",
        }

    def duckdb_settings(self) -> dict[str, Any]:
        """SQL for DuckDB's azure extension (a secret holding the connection string)."""
        secret = sql_literal(self._account_connection_string())
        sql = (
            "INSTALL azure;\nLOAD azure;\n"
            "CREATE OR REPLACE SECRET connectors_azure_blob "
            f"(TYPE azure, CONNECTION_STRING {secret});"
        )
        return {"connection_settings_str": sql, "azure_container_path": f"az://{self.bucket}"}

    def _account_connection_string(self) -> str:
        account = {k: v for k, v in self.value.items() if k not in ("containerName", "blobPrefix")}
        return to_connection_string(account)
