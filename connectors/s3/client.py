"""boto3 clients for ``s3`` values, configured per provider (boto3 is imported lazily).

- endpoint: ``endpoint_of(value).url`` (Windmill's render rules), none for plain AWS so that
  botocore picks the regional endpoint from the region;
- addressing style: ``path`` when ``pathStyle`` (the default), else ``virtual``;
- region: the value's region; ``auto`` for R2; ``us-east-1`` when empty on a custom endpoint;
- signature v4 always; ``request_checksum_calculation`` / ``response_checksum_validation`` =
  ``when_required`` on non-AWS endpoints (R2, MinIO and older servers reject or mangle the
  default CRC checksums that botocore >= 1.36 sends);
- credentials: accessKey/secretKey/token when set, else the default credential chain.
"""

from __future__ import annotations

import functools
from typing import Any

from connectors.s3.endpoint import endpoint_of, has_endpoint, is_aws, path_style
from connectors.timeouts import connect_timeout as default_connect_timeout


def region_of(value: dict[str, Any]) -> str | None:
    """The value's region; if empty, None on AWS (botocore reads its config), else us-east-1."""
    region = str(value.get("region") or "")
    if region:
        return region
    return None if is_aws(value) else "us-east-1"


def client_kwargs(value: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments for ``boto3.client("s3", ...)`` except ``config``."""
    kwargs: dict[str, Any] = {"region_name": region_of(value)}
    if has_endpoint(value):
        kwargs["endpoint_url"] = endpoint_of(value).url
    if value.get("accessKey") or value.get("secretKey"):
        kwargs["aws_access_key_id"] = value.get("accessKey") or ""
        kwargs["aws_secret_access_key"] = value.get("secretKey") or ""
        if value.get("token"):
            kwargs["aws_session_token"] = value["token"]
    return kwargs


def config_kwargs(value: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments for ``botocore.config.Config``."""
    options: dict[str, Any] = {
        "signature_version": "s3v4",
        "s3": {"addressing_style": "path" if path_style(value) else "virtual"},
    }
    if not is_aws(value):
        options["request_checksum_calculation"] = "when_required"
        options["response_checksum_validation"] = "when_required"
    return options


def make_client(
    value: dict[str, Any],
    *,
    connect_timeout: float | None = None,
    read_timeout: float | None = None,
    max_attempts: int | None = None,
    max_pool_connections: int = 10,
) -> Any:
    """A boto3 S3 client for ``value``."""
    import boto3
    from botocore.config import Config

    options = config_kwargs(value)
    options["max_pool_connections"] = max_pool_connections
    options["connect_timeout"] = connect_timeout or default_connect_timeout()
    if read_timeout is not None:
        options["read_timeout"] = read_timeout
    if max_attempts is not None:
        # total_max_attempts counts the first attempt; botocore's max_attempts counts retries
        options["retries"] = {"total_max_attempts": max_attempts, "mode": "standard"}
    session = boto3.session.Session(botocore_session=_botocore_session())
    return session.client("s3", config=Config(**options), **client_kwargs(value))


def _botocore_session() -> Any:
    """A new botocore session (credentials and settings read afresh) that shares one data
    loader: a fresh loader parses the S3 model again, 0.2 s of CPU per client, during which
    the interpreter lock is held and a check's deadline passes unnoticed."""
    import botocore.session

    session = botocore.session.get_session()
    session.register_component("data_loader", _data_loader())
    return session


@functools.cache
def _data_loader() -> Any:
    import botocore.loaders

    return botocore.loaders.create_loader()
