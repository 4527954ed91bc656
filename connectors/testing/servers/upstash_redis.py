"""Upstash Redis: the test-only REST front (``upstash_front``) over its own redis-server."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from connectors.testing import upstash_front
from connectors.testing.process import wait_until
from connectors.testing.secrets import UPSTASH_TOKEN
from connectors.testing.servers import Products, redis, require_module


@contextlib.contextmanager
def _front(backend: AbstractContextManager[Products]) -> Iterator[Products]:
    require_module("redis", "redis")
    with backend as products:
        server = upstash_front.serve(products["redis"], UPSTASH_TOKEN)
        try:
            value = {"url": f"http://127.0.0.1:{server.server_address[1]}", "token": UPSTASH_TOKEN}
            wait_until(lambda: _command(value, "PING"), what="upstash front")
            yield {"upstash_redis": value}
        finally:
            server.shutdown()
            server.server_close()


def local(root: Path) -> AbstractContextManager[Products]:
    """The front over a local redis-server of its own (its password is random)."""
    return _front(redis.local(root, password=secrets.token_urlsafe(16)))


def container() -> AbstractContextManager[Products]:
    """The front over a Redis container."""
    return _front(redis.container(password=secrets.token_urlsafe(16)))


@contextlib.contextmanager
def fresh(value: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The same database, emptied with FLUSHALL (through the REST API, so any Upstash works)."""
    _command(value, "FLUSHALL")
    yield value


def _command(value: dict[str, Any], *command: str) -> Any:
    import httpx

    response = httpx.post(
        value["url"],
        json=list(command),
        headers={"Authorization": f"Bearer {value['token']}"},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["result"]
