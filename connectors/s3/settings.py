"""What Windmill's server answers for an ``s3`` resource, computed locally (no server needed).

The polars and DuckDB settings are Windmill's own generators (``windmill-api``
``job_helpers``/``s3_helpers``: ``polars_connection_settings_v2``,
``duckdb_connection_settings_internal``, ``render_endpoint``, ``endpoint_with_region_fallback``),
key for key and line for line:

- polars: ``{"s3fs_args": {endpoint_url, key?, secret?, use_ssl, cache_regions: false,
  client_kwargs: {region_name}}, "storage_options": {aws_endpoint_url, aws_access_key_id?,
  aws_secret_access_key?, aws_region, aws_allow_http: "true"|"false"}, "s3_bucket": bucket}``;
  ``key``/``secret`` are present when the value has ``accessKey``/``secretKey``;
  ``endpoint_url`` is ``render_endpoint``: a full-URL ``endPoint`` as is, else scheme from
  ``useSSL``, ``<bucket>.`` before the host when ``pathStyle`` is false, ``:port`` when set;
- DuckDB: ``SET home_directory='./';`` ``INSTALL 'httpfs';`` ``SET s3_url_style='path';`` (path
  style, the default) ``SET s3_region='...';`` ``SET s3_endpoint='...';`` ``SET s3_use_ssl=0;``
  (no TLS) ``SET s3_access_key_id='...';`` ``SET s3_secret_access_key='...';`` (when present),
  each line ending in ``\\n``; ``s3_bucket`` the bucket. ``home_directory='./'`` makes DuckDB keep
  its extensions under ``./.duckdb``: ``connectors run`` runs a script in a job directory whose
  ``.duckdb`` is ``~/.duckdb``, as a worker's job directory has its own.

Where the server's text could not work the local text differs, and only there: a full-URL
``endPoint`` gives DuckDB its host and port (DuckDB would read ``http://http://...``), an empty
key is left out (Windmill's server would send ``""``; its own object store, like boto3 here, then
uses the default credential chain), a quote in a value is doubled, and a session ``token`` is
added (``token`` / ``aws_session_token``, ``SET s3_session_token``). boto3: the endpoint by the
rules of ``connectors.s3.endpoint``, region, TLS and keys, as wmill maps an ``S3Resource``.
"""

from __future__ import annotations

from typing import Any

from connectors.objectstore.base import sql_literal
from connectors.s3.client import region_of
from connectors.s3.endpoint import endpoint_of

DEFAULT_REGION = "us-east-1"


def _endpoint_host(value: dict[str, Any]) -> str:
    """``endpoint_with_region_fallback``: ``endPoint``, or ``s3.<region>.amazonaws.com``."""
    raw = str(value.get("endPoint") or "")
    return raw or f"s3.{value.get('region') or DEFAULT_REGION}.amazonaws.com"


def _path_style(value: dict[str, Any]) -> bool:
    return value.get("pathStyle") is not False


def render_endpoint(value: dict[str, Any]) -> str:
    """Windmill's ``render_endpoint`` of the value (the URL polars and s3fs are given)."""
    raw = _endpoint_host(value)
    if raw.startswith(("http://", "https://")):
        url = raw
    else:
        scheme = "https" if _use_ssl(value) else "http"
        host = raw if _path_style(value) else f"{value.get('bucket') or ''}.{raw}"
        url = f"{scheme}://{host}"
    port = value.get("port")
    return f"{url}:{port}" if port else url


def _use_ssl(value: dict[str, Any]) -> bool:
    raw = str(value.get("endPoint") or "")
    if raw.startswith(("http://", "https://")):
        return raw.startswith("https://")
    return value.get("useSSL", True) is not False


def polars_settings(value: dict[str, Any]) -> dict[str, Any]:
    """``wmill.polars_connection_settings()``: Windmill's s3fs arguments and storage options."""
    endpoint = render_endpoint(value)
    region = str(value.get("region") or "")
    s3fs_args: dict[str, Any] = {"endpoint_url": endpoint}
    options: dict[str, Any] = {"aws_endpoint_url": endpoint}
    if value.get("accessKey"):
        s3fs_args["key"] = options["aws_access_key_id"] = value["accessKey"]
    if value.get("secretKey"):
        s3fs_args["secret"] = options["aws_secret_access_key"] = value["secretKey"]
    s3fs_args.update(
        use_ssl=_use_ssl(value), cache_regions=False, client_kwargs={"region_name": region}
    )
    options.update(aws_region=region, aws_allow_http="false" if _use_ssl(value) else "true")
    if value.get("token"):
        s3fs_args["token"] = options["aws_session_token"] = value["token"]
    return {"s3fs_args": s3fs_args, "storage_options": options, "s3_bucket": value.get("bucket")}


def _duckdb_endpoint(value: dict[str, Any]) -> str:
    raw = _endpoint_host(value)
    if raw.startswith(("http://", "https://")):
        return endpoint_of(value).netloc
    return raw


def duckdb_settings(value: dict[str, Any]) -> dict[str, Any]:
    """``wmill.duckdb_connection_settings()``: Windmill's ``SET`` statements for httpfs."""
    lines = ["SET home_directory='./';", "INSTALL 'httpfs';"]
    if _path_style(value):
        lines.append("SET s3_url_style='path';")
    lines.append(f"SET s3_region={sql_literal(value.get('region') or '')};")
    lines.append(f"SET s3_endpoint={sql_literal(_duckdb_endpoint(value))};")
    if not _use_ssl(value):
        lines.append("SET s3_use_ssl=0;")
    if value.get("accessKey"):
        lines.append(f"SET s3_access_key_id={sql_literal(value['accessKey'])};")
    if value.get("secretKey"):
        lines.append(f"SET s3_secret_access_key={sql_literal(value['secretKey'])};")
    if value.get("token"):
        lines.append(f"SET s3_session_token={sql_literal(value['token'])};")
    text = "".join(line + "\n" for line in lines)
    return {"connection_settings_str": text, "s3_bucket": value.get("bucket")}


def boto3_settings(value: dict[str, Any]) -> dict[str, Any]:
    """``wmill.boto3_connection_settings()``: the ``boto3.client("s3", ...)`` arguments."""
    endpoint = endpoint_of(value)
    access, secret = value.get("accessKey") or None, value.get("secretKey") or None
    settings: dict[str, Any] = {
        "endpoint_url": endpoint.url,
        "region_name": region_of(value) or DEFAULT_REGION,
        "use_ssl": endpoint.use_ssl,
        "aws_access_key_id": access,
        "aws_secret_access_key": secret,
    }
    if value.get("token"):
        settings["aws_session_token"] = value["token"]
    return settings
