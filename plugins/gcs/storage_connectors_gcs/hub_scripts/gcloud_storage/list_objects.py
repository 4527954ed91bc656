"""List the objects of a Google Cloud Storage bucket under a prefix."""

from typing import Any, Dict, List, Optional, TypedDict

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
    gcs: gcloud_storage, prefix: str = "", max_results: int = 1000, delimiter: Optional[str] = None
) -> List[Dict[str, Any]]:
    """List objects, sorted by name.

    Args:
        gcs (gcloud_storage): the Cloud Storage resource.
        prefix (str): only objects whose name starts with this.
        max_results (int): stop after this many objects.
        delimiter (str): "/" lists one folder level (folders are not listed).

    Returns [{"name", "size", "content_type", "updated"}].
    """
    bucket = _bucket(gcs)
    blobs = bucket.client.list_blobs(
        bucket.name, prefix=prefix or None, max_results=max_results, delimiter=delimiter
    )
    return [
        {
            "name": blob.name,
            "size": blob.size,
            "content_type": blob.content_type,
            "updated": blob.updated.isoformat() if blob.updated else None,
        }
        for blob in blobs
    ]
