"""The object store of a ``gcloud_storage`` resource, behind Windmill's ``*_s3_*`` helpers.

Implements ``connectors.objectstore.base.ObjectStore``, so ``load_s3_file``, ``write_s3_file``,
``delete_s3_object``, ``sign_s3_object(s)`` and ``polars_connection_settings`` work when the
workspace storage (``CONNECTORS_OBJECT_STORAGE``) is a GCS resource, as Windmill supports GCS
as workspace storage.
"""

from __future__ import annotations

import contextlib
import datetime
import json
from functools import cached_property
from typing import IO, Any

from connectors import ConnectorsError
from connectors.objectstore.base import DEFAULT_CONTENT_TYPE, ObjectStore, sql_literal
from storage_connectors_gcs.client import credentials, endpoint, is_emulator, storage_client

CHUNK_SIZE = 8 * 1024 * 1024  # resumable uploads and ranged reads, in constant memory


class GCSObjectStore(ObjectStore):
    """One bucket, addressed by object name."""

    def __init__(self, value: dict[str, Any]) -> None:
        self.value = value
        self.bucket: str = str(value.get("bucket") or "")

    def __repr__(self) -> str:
        return f"GCSObjectStore(bucket={self.bucket!r})"

    @cached_property
    def _bucket(self) -> Any:
        return storage_client(self.value).bucket(self.bucket)

    def open_reader(self, key: str) -> IO[bytes]:
        reader: IO[bytes] = self._bucket.blob(key).open("rb", chunk_size=CHUNK_SIZE)
        return reader

    def read_all(self, key: str) -> bytes:
        data: bytes = self._bucket.blob(key).download_as_bytes()
        return data

    def write(
        self,
        key: str,
        data: IO[bytes] | bytes,
        *,
        content_type: str | None = None,
        content_disposition: str | None = None,
    ) -> None:
        blob = self._bucket.blob(key, chunk_size=CHUNK_SIZE)
        if content_disposition:
            blob.content_disposition = content_disposition
        kind = content_type or DEFAULT_CONTENT_TYPE
        if isinstance(data, bytes | bytearray | memoryview):
            blob.upload_from_string(bytes(data), content_type=kind)
        else:
            blob.upload_from_file(data, content_type=kind)

    def delete(self, key: str) -> None:
        from google.api_core.exceptions import NotFound

        with contextlib.suppress(NotFound):
            self._bucket.blob(key).delete()

    def presign(self, key: str, expiry_secs: int) -> str:
        """A V4 signed GET URL, signed locally with the service-account key."""
        extra = {"api_access_endpoint": endpoint(self.value)} if is_emulator(self.value) else {}
        url: str = self._bucket.blob(key).generate_signed_url(
            version="v4",
            expiration=datetime.timedelta(seconds=expiry_secs),
            method="GET",
            credentials=credentials(self.value),
            **extra,
        )
        return url

    def polars_settings(self) -> dict[str, Any]:
        """``storage_options`` for polars (object_store's GCS keys) and ``gcsfs_args`` for
        gcsfs; read ``gs://<bucket>/<key>`` with them."""
        key = dict(self.value.get("serviceAccountKey") or {})
        gcsfs: dict[str, Any] = {"token": key or "anon", "project": key.get("project_id")}
        if is_emulator(self.value):
            # object_store reads these two fields of the key (its fake-gcs-server support)
            key |= {"gcs_base_url": endpoint(self.value), "disable_oauth": True}
            gcsfs = {"token": "anon", "endpoint_url": endpoint(self.value)}
        return {
            "storage_options": {"google_service_account_key": json.dumps(key)},
            "gcsfs_args": gcsfs,
            "gcs_bucket": self.bucket,
        }

    def duckdb_settings(self) -> dict[str, Any]:
        """``{"connection_settings_str", "gcs_bucket"}``: run the string, then read
        ``gs://<bucket>/<key>``. DuckDB signs with an HMAC key (``hmacAccessId``/``hmacSecret``),
        not with the service-account key."""
        access, secret = self.value.get("hmacAccessId"), self.value.get("hmacSecret")
        if not access or not secret:
            raise ConnectorsError(
                "DuckDB reads Cloud Storage with an HMAC key, not a service-account key: add "
                "hmacAccessId and hmacSecret (Cloud Storage > Settings > Interoperability)"
            )
        options = [f"KEY_ID {sql_literal(access)}", f"SECRET {sql_literal(secret)}"]
        if is_emulator(self.value):
            scheme, _, host = endpoint(self.value).partition("://")
            options += [f"ENDPOINT {sql_literal(host)}", "URL_STYLE 'path'"]
            options.append(f"USE_SSL {'true' if scheme == 'https' else 'false'}")
        lines = [
            "INSTALL 'httpfs';",
            "LOAD 'httpfs';",
            f"CREATE OR REPLACE SECRET connectors_gcs (TYPE gcs, {', '.join(options)});",
        ]
        return {"connection_settings_str": "\n".join(lines), "gcs_bucket": self.bucket}
