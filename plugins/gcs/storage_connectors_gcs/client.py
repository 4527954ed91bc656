"""The google-cloud-storage client of a ``gcloud_storage`` value, and the live check.

Credentials are the value's service-account key. A value with an ``endpoint`` other than
Google's (an emulator such as fake-gcs-server) is reached without credentials, as emulators take
none; signing still uses the key. google-cloud-storage is imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connectors import CheckResult, ParseError
from connectors.checks import CheckSteps, StepFailed
from connectors.redact import redactor_for
from storage_connectors_gcs.parser import check_key

GOOGLE_ENDPOINT = "https://storage.googleapis.com"
INSTALL_HINT = "google-cloud-storage is not installed: pip install 'storage-connectors-gcs[google]'"


def endpoint(value: dict[str, Any]) -> str:
    return str(value.get("endpoint") or GOOGLE_ENDPOINT).rstrip("/")


def is_emulator(value: dict[str, Any]) -> bool:
    return endpoint(value) != GOOGLE_ENDPOINT


def service_account_info(value: dict[str, Any]) -> dict[str, Any]:
    """The value's ``serviceAccountKey`` (the nested ``gcloud`` resource), checked as a pasted
    key is: a ValueError names what is missing or malformed, never the key's content."""
    key = value.get("serviceAccountKey")
    if not key:
        raise ValueError("the resource has no service-account key (serviceAccountKey)")
    try:
        check_key(key, "")
    except ParseError as exc:
        # a stored value has no text to point into: the JSON pointer is the position
        raise ValueError(f"{exc.message} (at /serviceAccountKey)") from None
    info: dict[str, Any] = key
    return info


def credentials(value: dict[str, Any]) -> Any:
    """``google.oauth2.service_account.Credentials`` built from ``serviceAccountKey``
    (ValueError when it is missing or its private key does not load)."""
    from google.oauth2 import service_account

    info = service_account_info(value)
    scopes = ["https://www.googleapis.com/auth/devstorage.read_write"]
    try:
        return service_account.Credentials.from_service_account_info(info, scopes=scopes)  # type: ignore[no-untyped-call]
    except ValueError as exc:
        # cryptography's reasons name the failing structure, never the key's bytes
        reason = str(exc).split(". ")[0].rstrip(".")
        raise ValueError(f"the service-account key's private_key does not load: {reason}") from None


def storage_client(value: dict[str, Any]) -> Any:
    """A ``google.cloud.storage.Client`` for the value."""
    try:
        from google.cloud import storage
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc
    key = value.get("serviceAccountKey") or {}
    project = key.get("project_id") or "-"
    if is_emulator(value):
        from google.auth.credentials import AnonymousCredentials

        return storage.Client(
            project=project,
            credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
            client_options={"api_endpoint": endpoint(value)},
        )
    return storage.Client(project=project, credentials=credentials(value))


def check(value: dict[str, Any], timeout: float = 10.0) -> CheckResult:
    """credentials (the key loads and can sign), bucket (list one object)."""
    steps = CheckSteps(timeout, redactor_for("gcloud_storage", value))
    with steps:
        if value.get("serviceAccountKey"):
            steps.run(
                "credentials",
                lambda: _sign_probe(value),
                detail=lambda email: f"service account {email}, private key loads and signs",
            )
        elif not is_emulator(value):
            steps.run("credentials", _no_key)
        bucket = str(value.get("bucket") or "")
        if not bucket:
            steps.run("bucket", _no_bucket)
        steps.run(
            "bucket",
            lambda: _list_one(value, bucket, steps.remaining),
            explain=lambda exc: explain_error(exc, bucket),
            detail=lambda found: f"gs://{bucket} listed ({found})",
        )
    return steps.result()


def _no_key() -> None:
    raise StepFailed("the resource has no service-account key (serviceAccountKey)")


def _no_bucket() -> None:
    raise StepFailed("the resource names no bucket")


def _sign_probe(value: dict[str, Any]) -> str:
    try:
        creds = credentials(value)
    except ValueError as exc:
        raise StepFailed(str(exc)) from None
    creds.sign_bytes(b"connectors check")
    return str(creds.service_account_email)


def _list_one(value: dict[str, Any], bucket: str, remaining: Callable[[], float]) -> str:
    client = storage_client(value)
    # the time left once the client is made, and no retries (the default retries timeouts for
    # 120 s): the client's own error comes before the check's deadline
    blobs = list(client.list_blobs(bucket, max_results=1, timeout=remaining(), retry=None))
    return "it holds objects" if blobs else "it is empty"


def explain_error(exc: BaseException, bucket: str) -> str | None:
    name = type(exc).__name__
    if isinstance(exc, ImportError):
        return INSTALL_HINT
    if name == "NotFound":
        return f"no bucket {bucket!r} (or it is not visible to this service account)"
    if name == "Forbidden":
        return f"the service account may not list gs://{bucket} (storage.objects.list denied)"
    if name == "RefreshError":
        return "Google refused the service-account key (revoked, or a wrong project)"
    return None
