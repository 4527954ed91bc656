"""The object-store contract behind Windmill's ``*_s3_*`` helpers.

A connector whose resources hold objects (s3, azure_blob, a plugin's gcs) implements
``Connector.object_store(resource) -> ObjectStore``; ``load_s3_file`` and friends pick the store
from the resource's type, so the same helpers work on every kind of storage, as in Windmill.
A store may subclass ``ObjectStore`` (mypy then checks its signatures), and may define
``read_all(key) -> bytes`` when it reads a whole object faster than through ``open_reader``.
The helpers below, and ``connectors.objectstore.streams``, are public for every store to use.
"""

from __future__ import annotations

from typing import IO, Any, Protocol

#: the content type of an object written without one
DEFAULT_CONTENT_TYPE = "application/octet-stream"


def sql_literal(text: object) -> str:
    """``text`` as a SQL string literal (quotes doubled), for ``duckdb_settings`` strings."""
    return "'" + str(text).replace("'", "''") + "'"


class ObjectStore(Protocol):
    """One bucket or container, addressed by object key."""

    #: the bucket or container name
    bucket: str

    def open_reader(self, key: str) -> IO[bytes]:
        """A streaming, closable reader of the object's bytes."""

    def write(
        self,
        key: str,
        data: IO[bytes] | bytes,
        *,
        content_type: str | None = None,
        content_disposition: str | None = None,
    ) -> None:
        """Store ``data`` at ``key``; a stream is sent in parts, in constant memory."""

    def delete(self, key: str) -> None:
        """Delete the object (no error when it does not exist)."""

    def presign(self, key: str, expiry_secs: int) -> str:
        """A URL that GETs the object without credentials until it expires."""

    def polars_settings(self) -> dict[str, Any]:
        """What ``polars_connection_settings`` returns for this store."""

    def duckdb_settings(self) -> dict[str, Any]:
        """What ``duckdb_connection_settings`` returns for this store."""
