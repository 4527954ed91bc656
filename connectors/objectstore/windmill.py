"""The object-storage helpers inside a Windmill worker: Windmill's REST API, as ``wmill`` sends it.

Requests (reference/windmill.md 1.8-1.10), all under ``/api/w/{WM_WORKSPACE}/`` with the job's
Bearer token (``connectors.windmill_api``, the client the workspace store uses too):

- read: ``GET job_helpers/download_s3_file?file_key=[&s3_resource_path=][&storage=]``, streamed;
- write: ``POST job_helpers/upload_s3_file?[file_key=][&s3_resource_path=][&storage=]
  [&content_type=][&content_disposition=]``, ``Content-Type: application/octet-stream``, a stream
  sent chunked in ``UPLOAD_CHUNK`` pieces; the answer's ``file_key`` is the object's key;
- delete: ``DELETE job_helpers/delete_s3_file?file_key=[&s3_resource_path=][&storage=]``;
- sign: ``POST apps/sign_s3_objects {"s3_objects": [...], "expiry_secs"?}``;
- settings: ``POST job_helpers/v2/{polars_connection_settings|duckdb_connection_settings|
  s3_resource_info} {"s3_resource_path"?}`` (the server path), except that without a resource
  path and with a job token (``jwt_...``) the S3 proxy is used when
  ``GET job_helpers/v2/s3_proxy_bucket`` answers 200: keys derived from the token, endpoint
  ``{base}/api/w/{ws}/s3_proxy/_wm_bucket_/_default_``, path style, ``us-east-1``.

Windmill's server resolves the storage (workspace default, a named secondary ``storage``, or the
resource at ``s3_resource_path``) and clamps the expiry; nothing is resolved here.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from connectors.client import parse_resource_syntax
from connectors.errors import WorkspaceError
from connectors.objectstore.streams import ChunkReader
from connectors.objectstore.types import (
    Boto3ConnectionSettings,
    DuckDbConnectionSettings,
    PolarsConnectionSettings,
    S3Object,
    polars_settings_of,
)

if TYPE_CHECKING:
    from connectors.windmill_api import WindmillApi

#: wmill streams an upload in 50 KB pieces
UPLOAD_CHUNK = 50 * 1024
PROXY_REGION = "us-east-1"


def _path(s3_resource_path: str | None) -> str:
    """The settings endpoints' path: wmill strips ``$res:``/``res://``; '' means none."""
    path = s3_resource_path or ""
    return parse_resource_syntax(path) or path


def _query(
    obj: S3Object | None, s3_resource_path: str | None, **extra: str | None
) -> dict[str, str]:
    """The object endpoints' query, as wmill builds it; a ``$res:``/``res://`` prefix of the
    resource path is removed (wmill strips it for the settings endpoints only)."""
    params: dict[str, str] = {}
    if obj is not None and obj.get("s3"):
        params["file_key"] = str(obj["s3"])
    if _path(s3_resource_path):
        params["s3_resource_path"] = _path(s3_resource_path)
    if obj is not None and obj.get("storage") is not None:
        params["storage"] = str(obj["storage"])
    params.update({k: v for k, v in extra.items() if v is not None})
    return params


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(UPLOAD_CHUNK):
        yield bytes(chunk)


class WindmillObjectStorage:
    """Windmill's workspace object storage (and its secondary storages) over the REST API."""

    def __init__(self, api: WindmillApi) -> None:
        self.api = api

    # --- objects ---------------------------------------------------------------------------------
    def open_reader(self, obj: S3Object, s3_resource_path: str | None = None) -> IO[bytes]:
        params = _query(obj, s3_resource_path)
        response = self.api.stream(
            "GET", "job_helpers/download_s3_file", params=params, timeout=None
        )
        return io.BufferedReader(
            ChunkReader(response.iter_bytes(), on_close=response.close), buffer_size=256 * 1024
        )

    def read_all(self, obj: S3Object, s3_resource_path: str | None = None) -> bytes:
        params = _query(obj, s3_resource_path)
        response = self.api.stream(
            "GET", "job_helpers/download_s3_file", params=params, timeout=None
        )
        try:
            return response.read()
        finally:
            response.close()

    def write(
        self,
        obj: S3Object | None,
        content: IO[bytes] | bytes,
        s3_resource_path: str | None = None,
        content_type: str | None = None,
        content_disposition: str | None = None,
    ) -> S3Object:
        params = _query(
            obj,
            s3_resource_path,
            content_type=content_type,
            content_disposition=content_disposition,
        )
        body: bytes | Iterator[bytes]
        if isinstance(content, bytes | bytearray | memoryview):
            body = bytes(content)
        elif hasattr(content, "read"):
            body = _chunks(content)
        else:
            raise TypeError(f"file_content must be bytes or a reader, not {type(content).__name__}")
        answer = self.api.request(
            "POST",
            "job_helpers/upload_s3_file",
            params=params,
            content=body,
            headers={"Content-Type": "application/octet-stream"},
            timeout=None,
        )
        if not isinstance(answer, dict) or not answer.get("file_key"):
            raise WorkspaceError("Windmill API upload_s3_file: the answer has no file_key")
        storage = obj.get("storage") if obj is not None else None
        return S3Object(s3=answer["file_key"], storage=storage)

    def delete(self, obj: S3Object, s3_resource_path: str | None = None) -> None:
        params = _query(obj, s3_resource_path)
        self.api.request("DELETE", "job_helpers/delete_s3_file", params=params)

    def sign(self, objects: list[S3Object], expiry_secs: int | None = None) -> list[S3Object]:
        body: dict[str, Any] = {"s3_objects": [dict(obj) for obj in objects]}
        if expiry_secs is not None:
            body["expiry_secs"] = int(expiry_secs)
        answer = self.api.request("POST", "apps/sign_s3_objects", json=body)
        if not isinstance(answer, list):
            raise WorkspaceError("Windmill API sign_s3_objects: the answer is not a list")
        return [S3Object(item) for item in answer]

    def public_urls(
        self, objects: list[S3Object], base_url: str | None = None, expiry_secs: int | None = None
    ) -> list[str]:
        """wmill's ``get_presigned_s3_public_urls``: sign the unsigned ones, then build URLs."""
        base = base_url or os.environ.get("WM_BASE_URL", "http://localhost:3000")
        missing = [index for index, obj in enumerate(objects) if obj.get("presigned") is None]
        if missing:
            signed = self.sign([objects[index] for index in missing], expiry_secs)
            for index, obj in zip(missing, signed, strict=True):
                objects[index] = obj
        return [
            f"{base}/api/w/{self.api.workspace}/s3_proxy/{obj.get('storage', '_default_')}/"
            f"{obj.get('s3', '')}?{obj.get('presigned', '')}"
            for obj in objects
        ]

    # --- connection settings ---------------------------------------------------------------------
    def _server(self, endpoint: str, s3_resource_path: str | None) -> dict[str, Any]:
        path = _path(s3_resource_path)
        body = {"s3_resource_path": path} if path else {}
        answer = self.api.request("POST", f"job_helpers/v2/{endpoint}", json=body)
        if not isinstance(answer, dict):
            raise WorkspaceError(f"Windmill API {endpoint}: the answer is not an object")
        return answer

    def _proxy(self, s3_resource_path: str | None) -> dict[str, Any] | None:
        """The S3 proxy's bucket, endpoint and token-derived keys, when wmill would use it."""
        token = self.api.token
        if _path(s3_resource_path) or not token.startswith("jwt_") or "." not in token:
            return None
        if token.startswith(("jwt_ext_", "jwt_agent_")):
            return None
        try:
            answer = self.api.request("GET", "job_helpers/v2/s3_proxy_bucket")
        except WorkspaceError:
            return None
        if not isinstance(answer, dict) or not answer.get("bucket"):
            return None
        access, secret = token.rsplit(".", 1)
        endpoint = f"{self.api.base_url}/w/{self.api.workspace}/s3_proxy/_wm_bucket_/_default_"
        return {
            "bucket": answer["bucket"],
            "endpoint": endpoint,
            "use_ssl": endpoint.startswith("https"),
            "access": access,
            "secret": secret,
        }

    def polars_settings(self, s3_resource_path: str | None = None) -> PolarsConnectionSettings:
        proxy = self._proxy(s3_resource_path)
        if proxy is None:
            return polars_settings_of(self._server("polars_connection_settings", s3_resource_path))
        s3fs_args = {
            "endpoint_url": proxy["endpoint"],
            "key": proxy["access"],
            "secret": proxy["secret"],
            "use_ssl": proxy["use_ssl"],
            "cache_regions": False,
            "client_kwargs": {"region_name": PROXY_REGION},
            "config_kwargs": {"s3": {"addressing_style": "path"}},
        }
        options = {
            "aws_endpoint_url": proxy["endpoint"],
            "aws_access_key_id": proxy["access"],
            "aws_secret_access_key": proxy["secret"],
            "aws_region": PROXY_REGION,
            "aws_allow_http": "false" if proxy["use_ssl"] else "true",
            "aws_virtual_hosted_style_request": "false",
        }
        return polars_settings_of(
            {"s3fs_args": s3fs_args, "storage_options": options, "s3_bucket": proxy["bucket"]}
        )

    def duckdb_settings(self, s3_resource_path: str | None = None) -> DuckDbConnectionSettings:
        proxy = self._proxy(s3_resource_path)
        if proxy is None:
            answer = self._server("duckdb_connection_settings", s3_resource_path)
            settings = DuckDbConnectionSettings(answer)
            settings.setdefault("s3_bucket", None)
            return settings
        endpoint = str(proxy["endpoint"]).split("://", 1)[1]
        lines = [
            "SET home_directory='./';",
            "INSTALL 'httpfs';",
            "SET s3_url_style='path';",
            f"SET s3_region='{PROXY_REGION}';",
            f"SET s3_endpoint='{endpoint}';",
            f"SET s3_access_key_id='{proxy['access']}';",
            f"SET s3_secret_access_key='{proxy['secret']}';",
        ]
        if not proxy["use_ssl"]:
            lines.append("SET s3_use_ssl=0;")
        text = "".join(line + "\n" for line in lines)
        return DuckDbConnectionSettings(
            {"connection_settings_str": text, "s3_bucket": proxy["bucket"]}
        )

    def boto3_settings(self, s3_resource_path: str | None = None) -> Boto3ConnectionSettings:
        proxy = self._proxy(s3_resource_path)
        if proxy is not None:
            return Boto3ConnectionSettings(
                endpoint_url=proxy["endpoint"],
                region_name=PROXY_REGION,
                use_ssl=proxy["use_ssl"],
                aws_access_key_id=proxy["access"],
                aws_secret_access_key=proxy["secret"],
            )
        resource = self._server("s3_resource_info", s3_resource_path)
        return Boto3ConnectionSettings(boto3_from_resource(resource))


def boto3_from_resource(resource: dict[str, Any]) -> dict[str, Any]:
    """wmill's client-side mapping of an ``S3Resource`` to ``boto3.client`` keyword arguments.

    wmill prefixes ``endPoint`` with the scheme unconditionally; an ``endPoint`` that already is a
    full URL (the 2026 hub shape) is kept as is here (``use_ssl`` from its scheme), where wmill
    would build ``https://https://...``.
    """
    use_ssl = bool(resource.get("useSSL"))
    endpoint = str(resource.get("endPoint") or "")
    if endpoint.startswith(("http://", "https://")):
        use_ssl = endpoint.startswith("https://")
    else:
        endpoint = ("https://" if use_ssl else "http://") + endpoint
        if resource.get("port"):
            endpoint += f":{resource['port']}"
    settings: dict[str, Any] = {
        "endpoint_url": endpoint,
        "region_name": resource.get("region"),
        "use_ssl": use_ssl,
        "aws_access_key_id": resource.get("accessKey"),
        "aws_secret_access_key": resource.get("secretKey"),
    }
    if resource.get("token"):
        settings["aws_session_token"] = resource["token"]
    return settings
