"""Download an object from a Google Cloud Storage bucket, as text or base64."""

import base64
from typing import Any, Dict, TypedDict

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


def main(gcs: gcloud_storage, name: str, as_text: bool = True) -> Dict[str, Any]:
    """Read a whole object.

    Args:
        gcs (gcloud_storage): the Cloud Storage resource.
        name (str): the object name.
        as_text (bool): decode the content as UTF-8 (else return it as base64).

    Returns {"name", "size", "content_type", "content"} (content is base64 unless as_text).
    """
    blob = _bucket(gcs).blob(name)
    data = blob.download_as_bytes()
    content = data.decode() if as_text else base64.b64encode(data).decode("ascii")
    return {"name": name, "size": len(data), "content_type": blob.content_type, "content": content}
