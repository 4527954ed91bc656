"""upstash-redis clients and the live REST check for ``upstash_redis`` resources.

The check talks to the REST API with httpx directly (upstash-redis has no request timeout): a
``POST {url}`` with ``["PING"]`` and ``Authorization: Bearer <token>``, as the SDK sends it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from connectors.checks import CheckSteps, StepFailed, open_tcp
from connectors.redact import Redactor
from connectors.resource import CheckResult
from connectors.timeouts import connect_timeout

if TYPE_CHECKING:
    import httpx


#: seconds per REST request of the SDK client (it sets none)
REQUEST_TIMEOUT = 30.0


def make_client(value: dict[str, Any], **options: Any) -> Any:
    """An ``upstash_redis.Redis`` for the value.

    ``options`` go to its constructor (``rest_retries``, ``allow_telemetry``, ``rest_encoding``,
    ``read_your_writes``, ...).
    """
    import httpx
    from upstash_redis import Redis

    client = Redis(url=value["url"], token=value["token"], **options)
    # The SDK's httpx client has no timeout at all: the default connect timeout, and
    # REQUEST_TIMEOUT for each request.
    http = getattr(getattr(client, "_http", None), "_client", None)
    if isinstance(http, httpx.Client):
        http.timeout = httpx.Timeout(REQUEST_TIMEOUT, connect=connect_timeout())
    return client


def check_upstash(value: dict[str, Any], timeout: float, redactor: Redactor) -> CheckResult:
    """Steps: tcp, authentication (REST PING with the token), server version (INFO server)."""
    import httpx

    steps = CheckSteps(timeout, redactor)
    parts = urlsplit(value["url"])
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    headers = {"Authorization": f"Bearer {value['token']}"}
    with steps, httpx.Client(headers=headers) as http:

        def command(*args: Any) -> Any:
            return _command(http, value["url"], list(args), steps.remaining())

        steps.run("tcp", lambda: open_tcp(host, port, steps.remaining()))
        steps.run("authentication", lambda: command("PING"), detail=lambda pong: f"PING: {pong}")
        info = steps.run("server version", lambda: _info(command), detail=_version_detail)
        steps.server_version = info.get("redis_version") or None
    return steps.result()


def _command(http: httpx.Client, url: str, body: list[Any], timeout: float) -> Any:
    import httpx

    try:
        response = http.post(url, json=body, timeout=timeout)
    except httpx.ConnectError as exc:
        raise StepFailed(f"cannot connect: {exc}") from exc
    except httpx.TimeoutException as exc:
        raise StepFailed(f"no answer within {timeout:.1f} s") from exc
    if response.status_code in (401, 403):
        raise StepFailed(
            f"authentication failed: the REST token was rejected (HTTP {response.status_code}); "
            "check UPSTASH_REDIS_REST_TOKEN"
        )
    try:
        payload = response.json()
    except ValueError as exc:
        raise StepFailed(
            f"not an Upstash REST endpoint: HTTP {response.status_code} with a non-JSON body"
        ) from exc
    if not isinstance(payload, dict) or not ("result" in payload or "error" in payload):
        raise StepFailed(f"not an Upstash REST endpoint: HTTP {response.status_code}")
    if payload.get("error"):
        error = str(payload["error"])
        if "WRONGPASS" in error or "NOAUTH" in error or "auth" in error.lower():
            raise StepFailed(f"authentication failed: {error}")
        raise StepFailed(f"command failed: {error}")
    return payload["result"]


def _info(command: Callable[..., Any]) -> dict[str, str]:
    """INFO server as a dict; an endpoint without INFO reports no version (not a failure)."""
    try:
        text = command("INFO", "server")
    except StepFailed as exc:
        if str(exc).startswith("authentication failed"):
            raise
        return {}
    fields: dict[str, str] = {}
    for line in str(text).splitlines():
        key, sep, item = line.partition(":")
        if sep:
            fields[key.strip()] = item.strip()
    return fields


def _version_detail(info: dict[str, str]) -> str:
    if not info.get("redis_version"):
        return "not reported by this endpoint"
    return f"redis {info['redis_version']}"
