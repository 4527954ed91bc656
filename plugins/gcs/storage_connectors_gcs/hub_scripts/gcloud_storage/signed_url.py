"""A V4 signed URL for an object, signed locally with the service-account key."""

import datetime
from typing import Any, Dict, Literal, TypedDict

from google.auth.credentials import AnonymousCredentials
from google.cloud import storage
from google.oauth2 import service_account


class gcloud_storage(TypedDict):
    bucket: str
    serviceAccountKey: dict


def _bucket(gcs: gcloud_storage) -> storage.Bucket:
    """The resource's bucket, with its service-account key (an emulator at endpoint, such as
    fake-gcs-server, is reached without credentials)."""
    endpoint = (gcs.get("endpoint") or "https://storage.googleapis.com").rstrip("/")
    key = gcs.get("serviceAccountKey") or {}
    project = key.get("project_id") or "-"
    if endpoint != "https://storage.googleapis.com":
        client = storage.Client(
            project=project,
            credentials=AnonymousCredentials(),
            client_options={"api_endpoint": endpoint},
        )
    else:
        creds = service_account.Credentials.from_service_account_info(key)
        client = storage.Client(project=project, credentials=creds)
    return client.bucket(gcs["bucket"])


def main(
    gcs: gcloud_storage,
    name: str,
    expiry_secs: int = 3600,
    method: Literal["GET", "PUT"] = "GET",
) -> Dict[str, Any]:
    """Sign a URL that reads (GET) or writes (PUT) the object without credentials.

    Args:
        gcs (gcloud_storage): the Cloud Storage resource.
        name (str): the object name.
        expiry_secs (int): how long the URL works, 1 s to 7 days.
        method (str): GET to download, PUT to upload.

    Returns {"url", "expires_at", "method"}.
    """
    if not 1 <= expiry_secs <= 604800:
        raise ValueError("expiry_secs must be between 1 and 604800 (7 days)")
    key = gcs.get("serviceAccountKey") or {}
    creds = service_account.Credentials.from_service_account_info(key)
    endpoint = (gcs.get("endpoint") or "https://storage.googleapis.com").rstrip("/")
    url = (
        _bucket(gcs)
        .blob(name)
        .generate_signed_url(
            version="v4",
            expiration=datetime.timedelta(seconds=expiry_secs),
            method=method,
            credentials=creds,
            api_access_endpoint=endpoint,
        )
    )
    expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=expiry_secs)
    return {"url": url, "expires_at": expires.isoformat(), "method": method}
