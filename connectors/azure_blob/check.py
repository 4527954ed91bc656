"""The live check of an ``azure_blob`` resource, in timed steps.

    endpoint   TCP connection to the blob endpoint
    container  container properties (account key, account SAS) or a one-item list (service SAS,
               which cannot read properties, or no credential); ``account`` (a one-item
               container list) when the value names no container; ``blob`` (the blob's
               properties, and no probe) for a blob-scoped SAS that names its blob
    put        upload a small probe blob
    get        download it and compare
    delete     delete it

The client is built without retries and with the check's remaining time as its timeouts, so a
bad key or an unreachable endpoint fails at once with the reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from connectors.azure_blob.client import connect, container_client, credential, is_service_sas
from connectors.azure_blob.values import account_url, sas_parameters
from connectors.checks import CheckSteps, StepFailed, describe, open_tcp, reach_kind
from connectors.redact import redactor_for
from connectors.resource import CheckResult

PROBE_PREFIX = ".connectors-check-"


def check(value: dict[str, Any], timeout: float = 10.0) -> CheckResult:
    """Run the steps of the module docstring within ``timeout`` seconds in all."""
    steps = CheckSteps(timeout, redactor_for("azure_blob", value))
    container = value.get("containerName") or ""
    servers: list[str] = []

    def hook(response: Any) -> None:
        server = response.http_response.headers.get("Server")
        if server and not servers:
            servers.append(server)

    def options() -> dict[str, Any]:
        limit = steps.remaining()
        return {
            "retry_total": 0,
            "connection_timeout": limit,
            "read_timeout": limit,
            "raw_response_hook": hook,
        }

    def explain(exc: BaseException) -> str | None:
        return explain_error(exc, container)

    with steps:
        steps.run("endpoint", lambda: _reach(value, steps), detail=str)
        # Clients are made inside the steps: importing the SDK counts against the deadline.
        if not container:
            steps.run(
                "account",
                lambda: _first_container(connect(value, **options())),
                explain=explain,
                detail=str,
            )
        else:
            made: list[Any] = []

            def client() -> Any:
                if not made:
                    made.append(container_client(value, **options()))
                return made[0]

            scope = sas_parameters(value.get("sasToken") or "").get("sr", "")
            if is_service_sas(value) and scope.startswith("b") and value.get("blobPrefix"):
                # a blob SAS reaches one blob only: read its properties, no probe
                steps.run(
                    "blob",
                    lambda: _blob_properties(client().get_blob_client(value["blobPrefix"])),
                    explain=explain,
                    detail=str,
                )
            else:
                uses_list = is_service_sas(value) or credential(value) is None
                step = _first_blob if uses_list else _properties
                steps.run("container", lambda: step(client()), explain=explain, detail=str)
                _probe(client(), steps, explain)
    steps.server_version = servers[0] if servers else None
    return steps.result()


def _reach(value: dict[str, Any], steps: CheckSteps) -> str:
    if not value.get("accountName") and not value.get("endpoint"):
        raise StepFailed("the value has neither accountName nor endpoint")
    url = urlsplit(account_url(value))
    port = url.port or (443 if url.scheme == "https" else 80)
    if url.scheme == "https":
        return open_tcp(url.hostname or "", port, steps.remaining())
    return reach_kind(url.hostname or "", port, "Azure Blob Storage", steps.remaining)


def _probe(client: Any, steps: CheckSteps, explain: Callable[[BaseException], str | None]) -> None:
    """Put, get and delete a small probe blob."""
    name = f"{PROBE_PREFIX}{uuid.uuid4().hex}"
    payload = f"storage-connectors check {name}".encode()
    blob = client.get_blob_client(name)
    steps.run(
        "put",
        lambda: blob.upload_blob(payload, overwrite=True, timeout=_secs(steps)),
        explain=explain,
        detail=lambda _: f"wrote {name} ({len(payload)} bytes)",
    )
    steps.run("get", lambda: _read_back(blob, payload, steps), explain=explain, detail=str)
    steps.run(
        "delete",
        lambda: blob.delete_blob(timeout=_secs(steps)),
        explain=explain,
        detail=lambda _: f"deleted {name}",
    )


def _blob_properties(blob: Any) -> str:
    props = blob.get_blob_properties()
    return f"blob {blob.blob_name!r} readable with the SAS ({props.size} bytes)"


def _secs(steps: CheckSteps) -> int:
    return max(1, int(steps.remaining()))


def _first_container(service: Any) -> str:
    page: Any = next(iter(service.list_containers(results_per_page=1).by_page()), [])
    names = [item.name for item in page]
    return f"listed containers (first: {names[0]})" if names else "listed containers (none)"


def _first_blob(client: Any) -> str:
    page: Any = next(iter(client.list_blobs(results_per_page=1).by_page()), [])
    names = [item.name for item in page]
    first = f"first blob: {names[0]}" if names else "no blobs"
    return f"container {client.container_name!r} listed with the SAS ({first})"


def _properties(client: Any) -> str:
    props = client.get_container_properties()
    return f"container {client.container_name!r} exists (last modified {props.last_modified})"


def _read_back(blob: Any, payload: bytes, steps: CheckSteps) -> str:
    data = blob.download_blob(timeout=_secs(steps)).readall()
    if data != payload:
        raise StepFailed(f"read back {len(data)} bytes that differ from the {len(payload)} written")
    return f"read back {len(data)} bytes"


def explain_error(exc: BaseException, container: str) -> str | None:
    """The reason an SDK error means, in one line; None to use the default description."""
    from azure.core.exceptions import HttpResponseError, ResourceNotFoundError, ServiceRequestError

    raw_code = getattr(exc, "error_code", None)
    code = str(getattr(raw_code, "value", raw_code) or "")
    status = getattr(exc, "status_code", None)
    message = str(exc)
    if isinstance(exc, StepFailed):
        return None
    if code == "AuthenticationFailed" or "failed to authenticate" in message:
        return f"authentication failed: the account key or SAS token was rejected ({code})"
    if code.startswith("Authorization") or status == 403:
        return f"not allowed: the credential lacks the permission for this step ({code or 403})"
    if code == "ContainerNotFound" or (isinstance(exc, ResourceNotFoundError) and container):
        return f"container {container!r} does not exist ({code or 404})"
    if code == "InvalidHeaderValue" and "x-ms-version" in message:
        return "the server rejected the API version (start Azurite with --skipApiVersionCheck)"
    if isinstance(exc, ServiceRequestError):
        return f"cannot reach the blob endpoint: {describe(exc)}"
    if isinstance(exc, HttpResponseError):
        return f"the service answered {status} {code}".rstrip()
    return None
