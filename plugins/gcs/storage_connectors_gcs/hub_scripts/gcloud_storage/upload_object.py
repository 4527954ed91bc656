"""Upload text or base64 bytes to an object in a Google Cloud Storage bucket."""

import base64
from typing import Any, Dict, Optional, TypedDict

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
    content: str,
    base64_encoded: bool = False,
    content_type: Optional[str] = None,
) -> Dict[str, Any]:
    """Create or replace an object.

    Args:
        gcs (gcloud_storage): the Cloud Storage resource.
        name (str): the object name (its key in the bucket).
        content (str): the content, as text (UTF-8) or base64.
        base64_encoded (bool): content is base64 (binary data).
        content_type (str): the object's content type (default: text/plain or
            application/octet-stream).

    Returns {"bucket", "name", "size", "content_type"}.
    """
    data = base64.b64decode(content) if base64_encoded else content.encode()
    kind = content_type or ("application/octet-stream" if base64_encoded else "text/plain")
    blob = _bucket(gcs).blob(name)
    blob.upload_from_string(data, content_type=kind)
    return {"bucket": gcs["bucket"], "name": name, "size": len(data), "content_type": kind}
