"""The s3 type in the formats of the tools next door (``connectors parse --format``)."""

from __future__ import annotations

from typing import Any

from connectors.formats import FormatError, clean


def airflow_connection(v: dict[str, Any]) -> dict[str, Any]:
    extra = clean(
        {
            "region_name": v.get("region"),
            "endpoint_url": v.get("endPoint"),
            "aws_session_token": v.get("token"),
            "service_config": {"s3": {"bucket_name": v["bucket"]}} if v.get("bucket") else None,
        }
    )
    if v.get("pathStyle"):
        extra["config_kwargs"] = {"s3": {"addressing_style": "path"}}
    return {
        "conn_type": "aws",
        "login": v.get("accessKey"),
        "password": v.get("secretKey"),
        "extra": extra,
    }


def dlt_tables(v: dict[str, Any]) -> dict[str, dict[str, Any]]:
    if not v.get("bucket"):
        raise FormatError(
            "dlt's filesystem destination writes to one bucket (bucket_url s3://<bucket>): "
            "this s3 resource has no bucket"
        )
    credentials = {
        "aws_access_key_id": v.get("accessKey"),
        "aws_secret_access_key": v.get("secretKey"),
        "aws_session_token": v.get("token"),
        "region_name": v.get("region"),
        "endpoint_url": v.get("endPoint"),
    }
    return {
        "destination.filesystem": {"bucket_url": f"s3://{v['bucket']}"},
        "destination.filesystem.credentials": clean(credentials),
    }


def env_vars(v: dict[str, Any]) -> dict[str, str]:
    pairs = {
        "AWS_ACCESS_KEY_ID": v.get("accessKey"),
        "AWS_SECRET_ACCESS_KEY": v.get("secretKey"),
        "AWS_SESSION_TOKEN": v.get("token"),
        "AWS_REGION": v.get("region"),
        "AWS_DEFAULT_REGION": v.get("region"),
        "AWS_ENDPOINT_URL_S3": v.get("endPoint"),
        "S3_BUCKET": v.get("bucket"),
    }
    return {k: str(val) for k, val in pairs.items() if val not in (None, "")}
