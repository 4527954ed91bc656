"""S3: moto's threaded server (accepts any key) and s3rver from npm (checks its fixed key);
MinIO in a container when Docker answers.
"""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from connectors.testing.process import free_port, running, spawn, wait_port, wait_until, workdir
from connectors.testing.secrets import S3_ACCESS_KEY, S3_SECRET_KEY, S3RVER_KEY
from connectors.testing.servers import Products, npm_executable, require_module

BUCKET = "connectors-live"
"""The bucket that exists on every session server; ``fresh_s3`` makes a new one per test."""

# Exported while an S3 server runs, so that no client (botocore, polars' object_store) falls back
# to instance metadata at 169.254.169.254 (backends.md gotcha 3).
_AWS_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": S3_ACCESS_KEY,
    "AWS_SECRET_ACCESS_KEY": S3_SECRET_KEY,
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
}

if TYPE_CHECKING:
    from connectors.testing.factory import ServerFactory


def value_for(
    endpoint: str, access_key: str, secret_key: str, bucket: str = BUCKET
) -> dict[str, Any]:
    """The Windmill-shaped value of a path-style, plain-HTTP S3 endpoint."""
    return {
        "bucket": bucket,
        "region": "us-east-1",
        "endPoint": endpoint,
        "pathStyle": True,
        "accessKey": access_key,
        "secretKey": secret_key,
        "useSSL": False,
    }


@contextlib.contextmanager
def aws_environment() -> Iterator[None]:
    """Set the AWS_* variables that are not set yet; restore them afterwards."""
    added = {k: v for k, v in _AWS_ENVIRONMENT.items() if k not in os.environ}
    os.environ.update(added)
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)


# The image testcontainers' own MinIO module defaults to (that module needs the `minio` client,
# so the generic container is used instead).
MINIO_IMAGE = "minio/minio:RELEASE.2022-12-02T19-19-22Z"
MINIO_USER, MINIO_PASSWORD = "connectors", "connectors-minio"  # MinIO wants 3+ and 8+ chars


@contextlib.contextmanager
def container() -> Iterator[Products]:
    """MinIO through testcontainers: path-style, and it checks the keys (unlike moto)."""
    require_module("boto3", "s3")
    from testcontainers.core.container import DockerContainer

    minio = (
        DockerContainer(MINIO_IMAGE)
        .with_env("MINIO_ROOT_USER", MINIO_USER)
        .with_env("MINIO_ROOT_PASSWORD", MINIO_PASSWORD)
        .with_command("server /data")
        .with_exposed_ports(9000)
    )
    with aws_environment(), minio:
        endpoint = f"http://{minio.get_container_host_ip()}:{minio.get_exposed_port(9000)}"
        value = value_for(endpoint, MINIO_USER, MINIO_PASSWORD)
        wait_until(lambda: client(value).create_bucket(Bucket=BUCKET), what="minio container")
        yield {"s3": value}


@contextlib.contextmanager
def local(root: Path) -> Iterator[Products]:
    """moto's ThreadedMotoServer, in this process, on a free port."""
    require_module("boto3", "s3")
    require_module("moto", "s3")
    from moto.server import ThreadedMotoServer

    # werkzeug logs every request to stderr; keep test output readable.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with aws_environment():
        port = free_port()
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        try:
            value = value_for(f"http://127.0.0.1:{port}", S3_ACCESS_KEY, S3_SECRET_KEY)
            wait_until(lambda: client(value).create_bucket(Bucket=BUCKET), what="moto server")
            yield {"s3": value}
        finally:
            server.stop()


@contextlib.contextmanager
def strict(root: Path) -> Iterator[Products]:
    """s3rver: it rejects any key but S3RVER/S3RVER, so bad credentials can be tested."""
    require_module("boto3", "s3")
    exe = npm_executable(
        root, what="s3rver", bin_name="s3rver", package="s3rver@3.7.1", env="S3RVER_BIN"
    )
    with aws_environment(), workdir("connectors-s3rver-") as base:
        log = base / "s3rver.log"
        port = free_port()
        cmd = [exe, "-d", str(base / "data"), "-a", "127.0.0.1", "-p", str(port), "--silent"]
        proc = spawn(cmd, log, cwd=base)
        with running(proc):
            wait_port(port, what="s3rver", proc=proc, log=log)
            value = value_for(f"http://127.0.0.1:{port}", S3RVER_KEY, S3RVER_KEY)
            wait_until(lambda: client(value).create_bucket(Bucket=BUCKET), what="s3rver", log=log)
            yield {"s3_strict": value}


@contextlib.contextmanager
def fresh(value: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A new, empty bucket; emptied and deleted afterwards."""
    s3 = client(value)
    bucket = f"connectors-test-{uuid.uuid4().hex[:16]}"
    region = value.get("region") or "us-east-1"
    if value.get("endPoint") or region == "us-east-1":
        s3.create_bucket(Bucket=bucket)
    else:
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    try:
        yield {**value, "bucket": bucket}
    finally:
        _delete_bucket(s3, bucket)


def _delete_bucket(s3: Any, bucket: str) -> None:
    from botocore.exceptions import ClientError

    with contextlib.suppress(ClientError):
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for obj in page.get("Contents", []):
                s3.delete_object(Bucket=bucket, Key=obj["Key"])
        s3.delete_bucket(Bucket=bucket)


def client(value: dict[str, Any]) -> Any:
    """A boto3 S3 client from a Windmill value."""
    import boto3
    from botocore.config import Config

    endpoint = value.get("endPoint") or None
    if endpoint and "://" not in endpoint:
        scheme = "https" if value.get("useSSL", True) else "http"
        port = f":{value['port']}" if value.get("port") else ""
        endpoint = f"{scheme}://{endpoint}{port}"
    style = "path" if value.get("pathStyle") else "auto"
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=value.get("region") or "us-east-1",
        aws_access_key_id=value.get("accessKey"),
        aws_secret_access_key=value.get("secretKey"),
        config=Config(s3={"addressing_style": style}, retries={"max_attempts": 2}),
    )


def add_services(factory: ServerFactory) -> None:
    """Offer this type's live servers to the session's ServerFactory."""
    factory.add_service("s3", "s3", local, container=container, fresh=fresh)
    factory.add_service("s3_strict", "s3", strict, fresh=fresh)
