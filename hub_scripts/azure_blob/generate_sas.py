from datetime import datetime, timedelta, timezone
from typing import Optional, TypedDict
from urllib.parse import quote

from azure.storage.blob import generate_blob_sas, generate_container_sas


class azure_blob(TypedDict):
    accountName: str
    containerName: str
    accessKey: str
    useSSL: bool
    endpoint: str
    sasToken: str
    endpointSuffix: str


def main(
    azure_blob: azure_blob,
    blob_name: Optional[str] = None,
    permissions: str = "r",
    expiry_minutes: int = 60,
) -> dict:
    """Sign a SAS URL for one blob, or for the whole container when no blob is named.

    Args:
        azure_blob (azure_blob): the storage account and container; needs accessKey
        blob_name (str): the blob to sign; empty signs the container
        permissions (str): SAS permission letters, e.g. r (read), rw, racwdl
        expiry_minutes (int): minutes until the URL stops working
    """
    if not azure_blob.get("accessKey"):
        raise ValueError("signing a SAS needs the account key (accessKey) in the resource")
    now = datetime.now(timezone.utc)
    expiry = now + timedelta(minutes=expiry_minutes)
    start = now - timedelta(minutes=5)
    account, container = azure_blob["accountName"], azure_blob["containerName"]
    scheme = "https" if azure_blob.get("useSSL", True) else "http"
    suffix = azure_blob.get("endpointSuffix") or "core.windows.net"
    base = (azure_blob.get("endpoint") or f"{scheme}://{account}.blob.{suffix}").rstrip("/")
    if blob_name:
        token = generate_blob_sas(
            account,
            container,
            blob_name,
            account_key=azure_blob["accessKey"],
            permission=permissions,
            expiry=expiry,
            start=start,
        )
        url = f"{base}/{quote(container)}/{quote(blob_name)}?{token}"
    else:
        token = generate_container_sas(
            account,
            container,
            account_key=azure_blob["accessKey"],
            permission=permissions,
            expiry=expiry,
            start=start,
        )
        url = f"{base}/{quote(container)}?{token}"
    return {"url": url, "sas_token": token, "expires_on": expiry.isoformat()}
