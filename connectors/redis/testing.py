"""Redis: the Debian ``redis-server`` with ``--requirepass``, no persistence."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from connectors.testing.process import free_port, running, spawn, wait_until, workdir
from connectors.testing.secrets import PASSWORD
from connectors.testing.servers import Products, ServerUnavailable, require_module

if TYPE_CHECKING:
    from connectors.testing.factory import ServerFactory


def executable() -> str:
    """``$REDIS_SERVER_BIN``, else ``redis-server`` from /usr/bin or PATH."""
    given = os.environ.get("REDIS_SERVER_BIN")
    if given:
        if not os.access(given, os.X_OK):
            raise ServerUnavailable(f"redis-server not found at {given} (REDIS_SERVER_BIN)")
        return given
    found = shutil.which("redis-server", path="/usr/bin:/usr/local/bin") or shutil.which(
        "redis-server"
    )
    if not found:
        raise ServerUnavailable("redis-server not found (apt-get install redis-server)")
    return found


def value_for(host: str, port: int, password: str) -> dict[str, Any]:
    """The Windmill-shaped value of a plain-TCP Redis with the default user."""
    return {"host": host, "port": port, "db": 0, "username": "", "password": password, "tls": False}


@contextlib.contextmanager
def local(root: Path, password: str = PASSWORD) -> Iterator[Products]:
    """``redis-server`` on a free port with a password; stdout goes to a log in its temp dir."""
    require_module("redis", "redis")
    exe = executable()
    with workdir("connectors-redis-") as base:
        log = base / "redis.log"
        port = free_port()
        cmd = [
            exe, "--port", str(port), "--bind", "127.0.0.1", "--requirepass", password,
            "--save", "", "--appendonly", "no", "--dir", str(base),
        ]  # fmt: skip
        proc = spawn(cmd, log, cwd=base)
        with running(proc):
            value = value_for("127.0.0.1", port, password)
            wait_until(lambda: client(value).ping(), what="redis-server", proc=proc, log=log)
            yield {"redis": value}


@contextlib.contextmanager
def container(password: str = PASSWORD) -> Iterator[Products]:
    """The official image through testcontainers, with the same password."""
    require_module("redis", "redis")
    from testcontainers.community.redis import RedisContainer

    rc = RedisContainer("redis:7-alpine", password=password)
    # its own command is one string split on spaces; a list keeps the password whole
    rc.with_command(["redis-server", "--requirepass", password])
    with rc:
        value = value_for(rc.get_container_host_ip(), int(rc.get_exposed_port(6379)), password)
        wait_until(lambda: client(value).ping(), what="redis container")
        yield {"redis": value}


@contextlib.contextmanager
def fresh(value: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The same server, emptied with FLUSHALL first."""
    with contextlib.closing(client(value)) as conn:
        conn.flushall()
    yield value


def client(value: dict[str, Any]) -> Any:
    """A redis-py client from a Windmill value."""
    import redis

    return redis.Redis(
        host=value["host"],
        port=value["port"],
        db=value.get("db") or 0,
        username=value.get("username") or None,
        password=value.get("password") or None,
        ssl=bool(value.get("tls")),
        socket_timeout=5,
    )


def add_services(factory: ServerFactory) -> None:
    """Offer this type's live servers to the session's ServerFactory."""
    factory.add_service("redis", "redis", local, container=container, fresh=fresh)
