import base64
from typing import Optional, TypedDict

from azure.storage.blob import ContainerClient, ContentSettings


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
    azure_blob: azure_blob,
    blob_name: str,
    content: str,
    base64_encoded: bool = False,
    content_type: Optional[str] = None,
    overwrite: bool = True,
) -> dict:
    """Upload text or base64-encoded bytes as a block blob.

    Args:
        azure_blob (azure_blob): the storage account and container
        blob_name (str): the blob name, slashes allowed (e.g. reports/2024/01.csv)
        content (str): the text to store, or base64 when base64_encoded is true
        base64_encoded (bool): decode content from base64 before uploading
        content_type (str): the Content-Type to set (default application/octet-stream)
        overwrite (bool): replace an existing blob; when false an existing blob is an error
    """
    data = base64.b64decode(content) if base64_encoded else content.encode("utf-8")
    settings = ContentSettings(content_type=content_type or "application/octet-stream")
    blob = _container(azure_blob).upload_blob(
        blob_name, data, overwrite=overwrite, content_settings=settings
    )
    props = blob.get_blob_properties()
    return {
        "container": azure_blob["containerName"],
        "blob": blob_name,
        "size": props.size,
        "etag": props.etag,
        "content_type": props.content_settings.content_type,
    }
