"""What Windmill's polars/duckdb/boto3 connection-settings helpers return, for an ``s3`` value.

Computed locally with the keys of the ``wmill`` client (reference/windmill.md sections 1.9-1.10):

- polars: ``{"s3fs_args": {endpoint_url, key, secret, use_ssl, cache_regions, client_kwargs:
  {region_name}, config_kwargs: {"s3": {"addressing_style"}}}, "storage_options":
  {aws_endpoint_url, aws_access_key_id, aws_secret_access_key, aws_region, aws_allow_http,
  aws_virtual_hosted_style_request}, "s3_bucket": bucket}``; keys are omitted when empty (the
  default credential chain then applies) and the session token is added as ``token`` /
  ``aws_session_token``. ``storage_options`` uses object_store's names (polars' native reader);
  for virtual-hosted style its endpoint includes the bucket, as object_store requires;
- duckdb: ``{"connection_settings_str": "INSTALL 'httpfs';\\nSET ...;", "s3_bucket": bucket}``
  with the statements of Windmill's generator, in its order, except its first one,
  ``SET home_directory='./'``: Windmill needs it in job directories; locally it would make DuckDB
  look for (and download) httpfs under the current directory instead of ``~/.duckdb``;
- boto3: ``{endpoint_url, region_name, use_ssl, aws_access_key_id, aws_secret_access_key}`` (+
  ``aws_session_token``), ready for ``boto3.client("s3", **settings)``.
"""

from __future__ import annotations

from typing import Any

from connectors.s3.client import region_of
from connectors.s3.endpoint import endpoint_of, path_style


def _keys(value: dict[str, Any]) -> tuple[str, str, str]:
    return (
        str(value.get("accessKey") or ""),
        str(value.get("secretKey") or ""),
        str(value.get("token") or ""),
    )


def polars_settings(value: dict[str, Any]) -> dict[str, Any]:
    """``wmill.polars_connection_settings()``: s3fs arguments and object_store options."""
    endpoint = endpoint_of(value)
    region = region_of(value) or "us-east-1"
    path = path_style(value)
    bucket = str(value.get("bucket") or "")
    access, secret, token = _keys(value)
    s3fs_args: dict[str, Any] = {
        "endpoint_url": endpoint.url,
        "use_ssl": endpoint.use_ssl,
        "cache_regions": False,
        "client_kwargs": {"region_name": region},
        "config_kwargs": {"s3": {"addressing_style": "path" if path else "virtual"}},
    }
    store_url = endpoint.with_bucket(bucket) if bucket and not path else endpoint.url
    options: dict[str, Any] = {
        "aws_endpoint_url": store_url,
        "aws_region": region,
        "aws_allow_http": "false" if endpoint.use_ssl else "true",
        "aws_virtual_hosted_style_request": "false" if path else "true",
    }
    if access or secret:
        s3fs_args["key"], s3fs_args["secret"] = access, secret
        options["aws_access_key_id"], options["aws_secret_access_key"] = access, secret
    if token:
        s3fs_args["token"] = token
        options["aws_session_token"] = token
    return {"s3fs_args": s3fs_args, "storage_options": options, "s3_bucket": bucket or None}


def _sql(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def duckdb_settings(value: dict[str, Any]) -> dict[str, Any]:
    """``wmill.duckdb_connection_settings()``: the httpfs ``SET`` statements."""
    endpoint = endpoint_of(value)
    access, secret, token = _keys(value)
    lines = ["INSTALL 'httpfs';"]
    if path_style(value):
        lines.append("SET s3_url_style='path';")
    lines.append(f"SET s3_region={_sql(region_of(value) or 'us-east-1')};")
    lines.append(f"SET s3_endpoint={_sql(endpoint.netloc)};")
    if not endpoint.use_ssl:
        lines.append("SET s3_use_ssl=0;")
    if access or secret:
        lines.append(f"SET s3_access_key_id={_sql(access)};")
        lines.append(f"SET s3_secret_access_key={_sql(secret)};")
    if token:
        lines.append(f"SET s3_session_token={_sql(token)};")
    bucket = str(value.get("bucket") or "")
    return {"connection_settings_str": "\n".join(lines), "s3_bucket": bucket or None}


def boto3_settings(value: dict[str, Any]) -> dict[str, Any]:
    """``wmill.boto3_connection_settings()``: the ``boto3.client("s3", ...)`` arguments."""
    endpoint = endpoint_of(value)
    access, secret, token = _keys(value)
    settings: dict[str, Any] = {
        "endpoint_url": endpoint.url,
        "region_name": region_of(value) or "us-east-1",
        "use_ssl": endpoint.use_ssl,
        "aws_access_key_id": access or None,
        "aws_secret_access_key": secret or None,
    }
    if token:
        settings["aws_session_token"] = token
    return settings
