"""Azure Blob Storage: Azurite from npm (blob service only) with the development account."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from connectors.testing.process import free_port, running, spawn, wait_port, wait_until, workdir
from connectors.testing.secrets import AZURITE_ACCOUNT, AZURITE_KEY
from connectors.testing.servers import Products, npm_executable, require_module

CONTAINER = "connectors-live"
"""The container that exists on every session server; ``fresh_azure_blob`` makes one per test."""

if TYPE_CHECKING:
    from connectors.testing.factory import ServerFactory


def value_for(endpoint: str, container: str = CONTAINER) -> dict[str, Any]:
    """The Windmill-shaped value of the development account behind ``endpoint``."""
    return {
        "accountName": AZURITE_ACCOUNT,
        "containerName": container,
        "accessKey": AZURITE_KEY,
        "useSSL": False,
        "endpoint": endpoint,
    }


@contextlib.contextmanager
def local(root: Path) -> Iterator[Products]:
    """azurite-blob on a free port; telemetry off (it would call out) and any API version."""
    require_module("azure.storage.blob", "azure")
    exe = npm_executable(
        root, what="Azurite", bin_name="azurite-blob", package="azurite@3.35.0", env="AZURITE_BIN"
    )
    with workdir("connectors-azurite-") as base:
        log = base / "azurite.log"
        port = free_port()
        cmd = [
            exe, "--blobHost", "127.0.0.1", "--blobPort", str(port),
            "--location", str(base / "data"),
            "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry",
        ]  # fmt: skip
        proc = spawn(cmd, log, cwd=base)
        with running(proc):
            # Wait on the port, not the SDK: its retries would hide a bad key (backends.md).
            wait_port(port, what="azurite", proc=proc, log=log)
            value = value_for(f"http://127.0.0.1:{port}/{AZURITE_ACCOUNT}")
            wait_until(lambda: _create(value, CONTAINER), what="azurite", proc=proc, log=log)
            yield {"azure_blob": value}


@contextlib.contextmanager
def container() -> Iterator[Products]:
    """Azurite through testcontainers (the same development account)."""
    require_module("azure.storage.blob", "azure")
    from testcontainers.community.azurite import AzuriteContainer

    az = AzuriteContainer("mcr.microsoft.com/azure-storage/azurite:3.35.0")
    az.with_command(
        ["azurite-blob", "--blobHost", "0.0.0.0", "--skipApiVersionCheck", "--loose",
         "--disableTelemetry"]
    )  # fmt: skip
    with az:
        host, port = az.get_container_host_ip(), az.get_exposed_port(10000)
        value = value_for(f"http://{host}:{port}/{AZURITE_ACCOUNT}")
        wait_until(lambda: _create(value, CONTAINER), what="azurite container")
        yield {"azure_blob": value}


@contextlib.contextmanager
def fresh(value: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A new container in ``value["containerName"]``, deleted afterwards."""
    name = f"test-{uuid.uuid4().hex[:16]}"
    _create(value, name)
    try:
        yield {**value, "containerName": name}
    finally:
        from azure.core.exceptions import ResourceNotFoundError

        with contextlib.suppress(ResourceNotFoundError):
            client(value).delete_container(name)


def client(value: dict[str, Any]) -> Any:
    """An azure-storage-blob BlobServiceClient from a Windmill value (account key)."""
    from azure.storage.blob import BlobServiceClient

    scheme = "https" if value.get("useSSL", True) else "http"
    endpoint = value.get("endpoint") or f"{scheme}://{value['accountName']}.blob.core.windows.net"
    credential = {"account_name": value["accountName"], "account_key": value["accessKey"]}
    return BlobServiceClient(account_url=endpoint, credential=credential, retry_total=0)


def _create(value: dict[str, Any], name: str) -> None:
    from azure.core.exceptions import ResourceExistsError

    with contextlib.suppress(ResourceExistsError):
        client(value).create_container(name)


def add_services(factory: ServerFactory) -> None:
    """Offer this type's live servers to the session's ServerFactory."""
    factory.add_service("azure_blob", "azure_blob", local, container=container, fresh=fresh)
