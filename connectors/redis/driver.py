"""redis-py clients and the live check for ``redis`` resources (redis-py imported lazily)."""

from __future__ import annotations

import contextlib
from typing import Any

from connectors.checks import CheckSteps, describe, open_tcp, open_unix, reach_kind
from connectors.redact import Redactor
from connectors.redis.parser import DEFAULT_PORT, TYPED_FIELDS
from connectors.resource import CheckResult
from connectors.timeouts import connect_timeout


def connection_kwargs(value: dict[str, Any]) -> dict[str, Any]:
    """``redis.ConnectionPool`` keyword arguments for a value, as ``from_url`` builds them."""
    import redis
    from redis.connection import URL_QUERY_ARGUMENT_PARSERS

    kwargs: dict[str, Any] = {"db": int(value.get("db") or 0)}
    for name, item in (value.get("options") or {}).items():
        parser: Any = URL_QUERY_ARGUMENT_PARSERS.get(name)
        kwargs[name] = parser(item) if parser and isinstance(item, str) else item
    for name in ("username", "password"):
        if value.get(name):
            kwargs[name] = value[name]
    tls = bool(value.get("tls")) and not value.get("unix_socket_path")
    for name in TYPED_FIELDS:
        if value.get(name) not in (None, "") and (tls or not name.startswith("ssl_")):
            kwargs[name] = value[name]
    if value.get("unix_socket_path"):
        kwargs["connection_class"] = redis.UnixDomainSocketConnection
        kwargs["path"] = value["unix_socket_path"]
    else:
        kwargs["host"] = value.get("host") or "localhost"
        kwargs["port"] = int(value.get("port") or DEFAULT_PORT)
        if tls:
            kwargs["connection_class"] = redis.SSLConnection
    return kwargs


def make_client(value: dict[str, Any], **overrides: Any) -> Any:
    """A ``redis.Redis`` for the value; ``overrides`` win over the value's own settings."""
    import redis

    kwargs = {**connection_kwargs(value), **overrides}
    kwargs.setdefault("socket_connect_timeout", connect_timeout())
    pool = redis.ConnectionPool(**kwargs)
    client = redis.Redis(connection_pool=pool)
    client.auto_close_connection_pool = True
    return client


def check_redis(value: dict[str, Any], timeout: float, redactor: Redactor) -> CheckResult:
    """Steps: tcp (or unix socket), authentication (TLS, AUTH, SELECT), ping, server version."""
    steps = CheckSteps(timeout, redactor)
    socket_path = value.get("unix_socket_path")

    def why(exc: BaseException) -> str | None:
        return _explain(exc, value)

    with steps:
        if socket_path:
            steps.run("unix socket", lambda: open_unix(socket_path, steps.remaining()))
        else:
            host, port = value.get("host") or "localhost", int(value.get("port") or DEFAULT_PORT)
            if value.get("tls"):
                steps.run("tcp", lambda: open_tcp(host, port, steps.remaining()))
            else:
                steps.run("tcp", lambda: reach_kind(host, port, "Redis", steps.remaining))
        budget = steps.remaining()
        client = make_client(value, socket_timeout=budget, socket_connect_timeout=budget)
        with contextlib.closing(client):
            steps.run(
                "authentication",
                lambda: _authenticate(client),
                explain=why,
                detail=lambda user: f"authenticated as {user}",
            )
            steps.run("ping", client.ping, explain=why, detail=_pong)
            info = steps.run(
                "server version", lambda: client.info("server"), explain=why, detail=_version_detail
            )
            steps.server_version = str(info.get("redis_version") or "") or None
    return steps.result()


def _authenticate(client: Any) -> str:
    """Open one connection: TLS handshake, HELLO/AUTH, SELECT db; returns who we are."""
    import redis

    connection = client.connection_pool.get_connection()
    try:
        connection.connect()
        connection.send_command("ACL", "WHOAMI", check_health=False)
        try:
            user = connection.read_response()
        except redis.ResponseError:  # ACL is Redis 6+ and may be denied (NOPERM)
            user = b"default"
    finally:
        client.connection_pool.release(connection)
    return user.decode() if isinstance(user, bytes) else str(user)


def _pong(answer: Any) -> str:
    return "PONG" if answer is True else repr(answer)


def _version_detail(info: dict[str, Any]) -> str:
    name = "valkey" if info.get("valkey_version") else "redis"
    version = info.get("valkey_version") or info.get("redis_version") or "unknown"
    return f"{name} {version} ({info.get('redis_mode', 'standalone')})"


def _explain(exc: BaseException, value: dict[str, Any]) -> str | None:
    """Name the cause: wrong credentials, missing password, bad db, TLS, timeouts."""
    import redis

    text = describe(exc)
    if isinstance(exc, redis.AuthenticationError) or "WRONGPASS" in text:
        lowered = text.lower()
        if "noauth" in lowered or "required" in lowered or "already authenticated" in lowered:
            return "authentication failed: the server requires a password and none was given"
        if "without any password configured" in text or "no password is set" in text:
            return "authentication failed: a password was given but the server has none set"
        user = value.get("username") or "default"
        return f"authentication failed: wrong password or user name (user {user!r}) [{text}]"
    if isinstance(exc, redis.ResponseError) and "DB index is out of range" in text:
        return f"database {value.get('db')} does not exist on this server [{text}]"
    if isinstance(exc, redis.ResponseError) and "NOPERM" in text:
        return f"the user may not run this command (ACL) [{text}]"
    if isinstance(exc, redis.TimeoutError):
        return f"the server did not answer in time [{text}]"
    if isinstance(exc, redis.ConnectionError) and ("SSL" in text or "certificate" in text):
        return f"TLS failed (is the server speaking TLS? is its certificate trusted?) [{text}]"
    return None
