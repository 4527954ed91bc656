"""The live check of an ``s3`` resource, as Windmill's ``test_s3_bucket`` does it.

Steps: ``tcp`` (the endpoint answers), ``list`` (ListObjectsV2 with MaxKeys=1: credentials and
bucket), then ``put``, ``get`` and ``delete`` of a probe object ``.connectors-check/<uuid>``.
No STS call. Failures are told apart: an unreachable endpoint fails ``tcp``; a rejected key or
signature, a missing bucket and a denied permission fail ``list`` with different reasons.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from connectors.checks import CheckSteps, StepFailed, open_tcp, reach_kind
from connectors.redact import redactor_for
from connectors.resource import CheckResult, Resource
from connectors.s3.client import make_client
from connectors.s3.endpoint import endpoint_of

_CREDENTIAL_CODES = {
    "InvalidAccessKeyId": "the access key id is not known to the server",
    "SignatureDoesNotMatch": "the secret key does not match the access key (signature rejected)",
    "InvalidToken": "the session token is invalid",
    "ExpiredToken": "the session token has expired",
    "InvalidSecurity": "the credentials were rejected",
}


def explain(exc: BaseException, bucket: str) -> str | None:
    """A one-line reason for a botocore error, naming what is wrong (never a secret)."""
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        name = type(exc).__name__
        if name == "NoCredentialsError":
            return "no credentials: the value has no keys and the default chain found none"
        if name in ("EndpointConnectionError", "ConnectTimeoutError", "ReadTimeoutError"):
            return f"endpoint unreachable: {exc}"
        return None
    error = response.get("Error", {})
    code = str(error.get("Code", ""))
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if code in _CREDENTIAL_CODES:
        return f"bad credentials: {_CREDENTIAL_CODES[code]} ({code})"
    if code in ("NoSuchBucket", "404", "NotFound") or (status == 404 and not code):
        return f"bucket {bucket!r} does not exist ({code or 404})"
    if code in ("AccessDenied", "403", "Forbidden") or status == 403:
        return f"access denied to bucket {bucket!r} ({code or 403})"
    if code == "PermanentRedirect" or status == 301:
        return f"bucket {bucket!r} is in another region than the one configured ({code})"
    return f"{code or status}: {error.get('Message', '')}".strip()


def check(resource: Resource, timeout: float = 10.0) -> CheckResult:
    """Check the resource in steps (tcp, list, put, get, delete) within ``timeout`` seconds."""
    value = resource.value
    bucket = str(value.get("bucket") or "")
    steps = CheckSteps(timeout, redactor_for("s3", value))
    endpoint = endpoint_of(value)
    port = endpoint.port or (443 if endpoint.use_ssl else 80)

    def why(exc: BaseException) -> str | None:
        return explain(exc, bucket)

    with steps:
        if endpoint.use_ssl:
            steps.run("tcp", lambda: open_tcp(endpoint.host, port, steps.remaining()))
        else:
            steps.run("tcp", lambda: reach_kind(endpoint.host, port, "S3", steps.remaining))
        if not bucket:
            steps.run("list", lambda: _fail("the resource has no bucket"))
        budget = steps.remaining()
        made: list[Any] = []

        def list_objects() -> Any:
            # made inside the step: importing boto3 counts against the deadline
            client = make_client(value, connect_timeout=budget, read_timeout=budget, max_attempts=1)
            # Making the client takes a while on a loaded machine: each call waits only for the
            # time left when it starts (botocore reads a per-request read_timeout from the
            # request context), so botocore's own error comes before the check's deadline.
            client.meta.events.register("before-call.s3", _wait_at_most(steps.remaining))
            made.append(client)
            return client.list_objects_v2(Bucket=bucket, MaxKeys=1)

        listed = steps.run(
            "list",
            list_objects,
            explain=why,
            detail=lambda r: f"{r.get('KeyCount', 0)} key(s) seen",
        )
        s3 = made[0]
        headers = listed.get("ResponseMetadata", {}).get("HTTPHeaders", {})
        steps.server_version = headers.get("server")
        key = f".connectors-check/{uuid.uuid4().hex}"
        probe = b"connectors check"
        steps.run("put", lambda: s3.put_object(Bucket=bucket, Key=key, Body=probe), explain=why)

        def get() -> str:
            body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            if body != probe:
                raise StepFailed("the probe object came back different")
            return f"{len(body)} bytes"

        steps.run("get", get, explain=why, detail=lambda d: d)
        steps.run("delete", lambda: s3.delete_object(Bucket=bucket, Key=key), explain=why)
    return steps.result()


def _wait_at_most(remaining: Callable[[], float]) -> Callable[..., None]:
    def limit(context: dict[str, Any], **_: Any) -> None:
        context["read_timeout"] = remaining()

    return limit


def _fail(reason: str) -> None:
    raise StepFailed(reason)
