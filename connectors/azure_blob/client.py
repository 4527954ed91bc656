"""azure-storage-blob clients for an ``azure_blob`` value (the driver is imported lazily).

An account key gives a ``BlobServiceClient`` with shared-key auth; a SAS token is passed as
the credential. A service SAS (no ``srt``: scoped to a container or a blob) cannot list
containers or read account information, so ``connect`` then returns a ``ContainerClient``.
Against a local emulator (Azurite), the client pins an API version Azurite 3.35 accepts, so
it also works when Azurite runs without ``--skipApiVersionCheck``.
"""

from __future__ import annotations

from typing import Any

from connectors.azure_blob.values import account_url, is_local_endpoint, sas_parameters
from connectors.timeouts import connect_timeout

#: the newest service version Azurite 3.35 accepts
AZURITE_API_VERSION = "2025-11-05"
#: sizes that bound memory: the first GET and later ranges of a download, and one staged block
CHUNK_SIZE = 4 * 1024 * 1024


def credential(value: dict[str, Any]) -> Any:
    """The SDK credential: shared key, else the SAS token, else None (anonymous)."""
    if value.get("accessKey"):
        return {"account_name": value["accountName"], "account_key": value["accessKey"]}
    if value.get("sasToken"):
        return str(value["sasToken"]).lstrip("?")
    return None


def is_service_sas(value: dict[str, Any]) -> bool:
    """True when the only credential is a SAS scoped to a container or blob."""
    token = value.get("sasToken")
    if not isinstance(token, str) or not token or value.get("accessKey"):
        return False
    return "srt" not in sas_parameters(token)


def client_options(value: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """SDK client keywords: 4 MiB transfers, Azurite's API version locally, then ``overrides``."""
    options: dict[str, Any] = {
        "max_single_get_size": CHUNK_SIZE,
        "max_chunk_get_size": CHUNK_SIZE,
        "max_block_size": CHUNK_SIZE,
        "max_single_put_size": CHUNK_SIZE,
    }
    if is_local_endpoint(account_url(value)):
        from azure.storage.blob._serialize import _SUPPORTED_API_VERSIONS

        if AZURITE_API_VERSION in _SUPPORTED_API_VERSIONS:
            options["api_version"] = AZURITE_API_VERSION
    options["connection_timeout"] = connect_timeout()
    options.update(overrides)
    return options


def service_client(value: dict[str, Any], **overrides: Any) -> Any:
    """A ``BlobServiceClient`` for the account."""
    from azure.storage.blob import BlobServiceClient

    return BlobServiceClient(
        account_url(value), credential=credential(value), **client_options(value, **overrides)
    )


def container_client(value: dict[str, Any], container: str | None = None, **overrides: Any) -> Any:
    """A ``ContainerClient`` for ``container`` (default: the value's containerName)."""
    from azure.storage.blob import ContainerClient

    name = container or value.get("containerName")
    if not name:
        raise ValueError("this azure_blob resource names no container (containerName is empty)")
    return ContainerClient(
        account_url(value),
        name,
        credential=credential(value),
        **client_options(value, **overrides),
    )


def connect(value: dict[str, Any], **overrides: Any) -> Any:
    """``BlobServiceClient``, or ``ContainerClient`` when only a service SAS is available."""
    if is_service_sas(value) and value.get("containerName"):
        return container_client(value, **overrides)
    return service_client(value, **overrides)
