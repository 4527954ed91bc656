from typing import TypedDict

from azure.core.exceptions import ResourceNotFoundError
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


def main(azure_blob: azure_blob, blob_name: str, missing_ok: bool = True) -> dict:
    """Delete a blob (and its snapshots).

    Args:
        azure_blob (azure_blob): the storage account and container
        blob_name (str): the blob to delete
        missing_ok (bool): a blob that does not exist is not an error
    """
    try:
        _container(azure_blob).delete_blob(blob_name, delete_snapshots="include")
    except ResourceNotFoundError:
        if not missing_ok:
            raise
        return {"blob": blob_name, "deleted": False}
    return {"blob": blob_name, "deleted": True}
