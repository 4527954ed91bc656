import base64
from typing import TypedDict

from azure.storage.blob import ContainerClient


class azure_blob(TypedDict):
    accountName: str
    containerName: str
    accessKey: str
    useSSL: bool
    endpoint: str
    sasToken: str
    endpointSuffix: str


def _container(resource: azure_blob) -> ContainerClient:
    scheme = "https" if resource.get("useSSL", True) else "http"
    suffix = resource.get("endpointSuffix") or "core.windows.net"
    url = resource.get("endpoint") or f"{scheme}://{resource['accountName']}.blob.{suffix}"
    if resource.get("accessKey"):
        credential = {"account_name": resource["accountName"], "account_key": resource["accessKey"]}
    else:
        credential = resource.get("sasToken") or None
    return ContainerClient(
        url.rstrip("/"), resource["containerName"], credential=credential, connection_timeout=10
    )


def main(
    azure_blob: azure_blob, blob_name: str, as_text: bool = True, max_bytes: int = 10485760
) -> dict:
    """Download a blob and return its content as text or base64.

    Args:
        azure_blob (azure_blob): the storage account and container
        blob_name (str): the blob to read
        as_text (bool): decode the bytes as UTF-8; false returns base64
        max_bytes (int): refuse blobs larger than this (results are held in memory)
    """
    blob = _container(azure_blob).get_blob_client(blob_name)
    props = blob.get_blob_properties()
    if props.size > max_bytes:
        raise ValueError(f"{blob_name} has {props.size} bytes, more than max_bytes={max_bytes}")
    data = blob.download_blob().readall()
    return {
        "blob": blob_name,
        "size": len(data),
        "content_type": props.content_settings.content_type,
        "last_modified": props.last_modified.isoformat(),
        "content": data.decode("utf-8") if as_text else base64.b64encode(data).decode("ascii"),
    }
