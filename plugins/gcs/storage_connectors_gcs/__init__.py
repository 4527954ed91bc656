"""storage-connectors-gcs: the ``gcloud_storage`` resource type (Google Cloud Storage), as a plugin.

Written against the public plugin API only, as any third-party connector would be. The value
is Windmill's: ``bucket`` and ``serviceAccountKey`` (a nested ``gcloud`` resource: the
service-account JSON key), plus the extension fields ``prefix`` (what a parsed URL pointed at
inside the bucket; not prepended to keys), ``endpoint`` (another Cloud Storage endpoint, such as
an emulator) and ``hmacAccessId``/``hmacSecret`` (an HMAC key, which DuckDB needs).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from connectors import CheckResult, Connector, Match, Resource, hookimpl
from connectors.parsing import url_scheme
from storage_connectors_gcs.hosts import API_HOST, BROWSER_HOST, CONSOLE_HOST

if TYPE_CHECKING:
    from storage_connectors_gcs.store import GCSObjectStore

__version__ = "0.1.0"

_KEY_PROPERTIES = {
    "type": {"type": "string", "default": "service_account"},
    "project_id": {"type": "string"},
    "private_key_id": {"type": "string"},
    "private_key": {"type": "string", "password": True},
    "client_email": {"type": "string"},
    "client_id": {"type": "string"},
    "auth_uri": {"type": "string"},
    "token_uri": {"type": "string"},
    "auth_provider_x509_cert_url": {"type": "string"},
    "client_x509_cert_url": {"type": "string"},
    "universe_domain": {"type": "string"},
}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "order": ["bucket", "serviceAccountKey"],
    "properties": {
        "bucket": {"type": "string", "default": ""},
        "serviceAccountKey": {
            "type": "object",
            "format": "resource-gcloud",
            "description": "The service account's JSON key (IAM > Service accounts > Keys)",
            "properties": _KEY_PROPERTIES,
        },
        "prefix": {
            "type": "string",
            "description": "Extension: the object or folder a parsed URL pointed at (not "
            "prepended to keys)",
        },
        "endpoint": {
            "type": "string",
            "description": "Extension: another Cloud Storage endpoint (an emulator); default "
            "https://storage.googleapis.com",
        },
        "hmacAccessId": {
            "type": "string",
            "description": "Extension: an HMAC key's access ID (Cloud Storage > Settings > "
            "Interoperability), for DuckDB",
        },
        "hmacSecret": {
            "type": "string",
            "description": "Extension: that HMAC key's secret",
            "password": True,
        },
    },
    # Windmill requires both; a pasted gs:// URL has no key and a pasted key has no bucket.
    "required": ["bucket"],
}


class GCloudStorage(Connector):
    """gs:// and https URLs, console URLs, service-account JSON keys."""

    name = "gcloud_storage"
    url_schemes = frozenset(("gs", "http", "https"))
    text_keys = frozenset[str]()  # no KEY=value form
    description = "Google Cloud Storage bucket (service account)"
    schema = SCHEMA
    providers = ("google",)
    extra = "google"
    scripts_dir = Path(__file__).parent / "hub_scripts" / "gcloud_storage"
    examples = (
        "gs://my-bucket/exports/2024/",
        "https://storage.googleapis.com/my-bucket/data/file.parquet",
        "https://my-bucket.storage.googleapis.com/data/file.parquet",
        "https://storage.cloud.google.com/my-bucket/report.pdf",
        "https://console.cloud.google.com/storage/browser/my-bucket/exports?project=acme-prod",
        "https://console.cloud.google.com/storage/browser/_details/my-bucket/a/b.csv;"
        "tab=live_object?project=acme-prod",
        # a resource value pasted as JSON, with an HMAC key: the example that carries a secret
        '{"bucket": "my-bucket", "hmacAccessId": "GOOG1EXAMPLEACCESSID", '
        '"hmacSecret": "bGAaHm4cExampleHmacSecret"}',
    )

    def detect(self, text: str) -> int:
        scheme = url_scheme(text)
        if scheme is None:
            return _json_match(text) if text.startswith("{") else Match.NONE
        if scheme == "gs":
            return Match.SCHEME
        if scheme in ("https", "http"):
            host = text.split("//", 1)[1].split("/", 1)[0].lower()
            if host in (API_HOST, BROWSER_HOST) or host.endswith("." + API_HOST):
                return Match.PROVIDER
            if host == CONSOLE_HOST and "/storage/" in text:
                return Match.PROVIDER
        return Match.NONE

    def parse(self, text: str) -> Resource:
        from storage_connectors_gcs.parser import parse_text  # not imported with the plugin

        parsed = parse_text(text)
        notes = list(parsed.notes)
        if parsed.form not in ("key", "resource"):
            notes.append(
                "no credentials in a URL: add serviceAccountKey (paste the service account's "
                "JSON key) before connecting"
            )
        return Resource(self.name, parsed.value, "google", notes)

    def to_connection_string(self, resource: Resource) -> str:
        """``gs://bucket/prefix``, or the value as JSON when it holds a key (a URL cannot)."""
        value = resource.value
        if any(
            value.get(k) for k in ("serviceAccountKey", "endpoint", "hmacAccessId", "hmacSecret")
        ):
            return json.dumps(value, separators=(",", ":"))
        # the path is percent-decoded when read: encoded here, so "%41" stays "%41"
        prefix = quote(value.get("prefix") or "", safe="/")
        return f"gs://{value.get('bucket', '')}" + (f"/{prefix}" if prefix else "")

    def connect(self, resource: Resource) -> Any:
        """A ``google.cloud.storage.Bucket``."""
        from storage_connectors_gcs.client import storage_client

        return storage_client(resource.value).bucket(resource.value.get("bucket"))

    def check(self, resource: Resource, timeout: float = 10.0) -> CheckResult:
        from storage_connectors_gcs.client import check

        return check(resource.value, timeout)

    def object_store(self, resource: Resource) -> GCSObjectStore:
        from storage_connectors_gcs.store import GCSObjectStore

        return GCSObjectStore(resource.value)

    def env_vars(self, resource: Resource) -> dict[str, str]:
        """What object_store (polars), gcsfs and the Google libraries read."""
        v = resource.value
        key = v.get("serviceAccountKey") or {}
        found = {"GCS_BUCKET": str(v.get("bucket") or "")}
        if key:
            found["GOOGLE_SERVICE_ACCOUNT_KEY"] = json.dumps(key, separators=(",", ":"))
            if key.get("project_id"):
                found["GOOGLE_CLOUD_PROJECT"] = str(key["project_id"])
        if v.get("endpoint"):
            found["STORAGE_EMULATOR_HOST"] = str(v["endpoint"])
        return found

    def airflow_connection(self, resource: Resource) -> dict[str, Any]:
        key = resource.value.get("serviceAccountKey") or {}
        extra: dict[str, Any] = {"keyfile_dict": json.dumps(key)} if key else {}
        if key.get("project_id"):
            extra["project"] = key["project_id"]
        return {"conn_type": "google_cloud_platform", "extra": extra}

    def dlt_tables(self, resource: Resource) -> dict[str, dict[str, Any]]:
        v = resource.value
        key = v.get("serviceAccountKey") or {}
        credentials = {
            name: key[name]
            for name in ("project_id", "private_key", "client_email")
            if key.get(name)
        }
        return {
            "destination.filesystem": {"bucket_url": f"gs://{v.get('bucket', '')}"},
            "destination.filesystem.credentials": credentials,
        }


def _json_match(text: str) -> int:
    """A service account's JSON key, or a value naming a key."""
    if '"service_account"' in text:
        return Match.SCHEME
    if '"serviceAccountKey"' in text or '"hmacAccessId"' in text:
        return Match.SCHEME
    return Match.NONE


@hookimpl
def register_connectors(register: Callable[[Connector], None]) -> None:
    register(GCloudStorage())
