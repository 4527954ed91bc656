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


def main(azure_blob: azure_blob, prefix: str = "", limit: int = 1000) -> list:
    """List the blobs of the container, oldest name first, with their size and dates.

    Args:
        azure_blob (azure_blob): the storage account and container
        prefix (str): only blobs whose name starts with this
        limit (int): return at most this many blobs
    """
    found = []
    pages = _container(azure_blob).list_blobs(
        name_starts_with=prefix or None, results_per_page=min(max(limit, 1), 5000)
    )
    for item in pages:
        if len(found) >= limit:
            break
        found.append(
            {
                "name": item.name,
                "size": item.size,
                "last_modified": item.last_modified.isoformat() if item.last_modified else None,
                "content_type": item.content_settings.content_type,
                "etag": item.etag,
            }
        )
    return found
