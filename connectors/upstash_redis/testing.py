"""Upstash Redis: the test-only REST front (``rest_front``) over its own redis-server."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from connectors.redis import testing as redis
from connectors.testing.process import wait_until
from connectors.testing.secrets import UPSTASH_TOKEN
from connectors.testing.servers import Products, require_module
from connectors.upstash_redis import rest_front

if TYPE_CHECKING:
    from connectors.testing.factory import ServerFactory


@contextlib.contextmanager
def _front(backend: AbstractContextManager[Products]) -> Iterator[Products]:
    require_module("redis", "redis")
    with backend as products:
        server = rest_front.serve(products["redis"], UPSTASH_TOKEN)
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


def add_services(factory: ServerFactory) -> None:
    """Offer this type's live servers to the session's ServerFactory."""
    factory.add_service("upstash_redis", "upstash_redis", local, container=container, fresh=fresh)
