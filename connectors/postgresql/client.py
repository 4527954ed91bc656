"""Connecting to PostgreSQL with psycopg 3, and the timed live check.

psycopg is imported inside the functions: importing this module costs nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import socket
import ssl
import struct
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from connectors.checks import (
    CheckSteps,
    StepFailed,
    confirm_server,
    describe,
    first_reachable,
)
from connectors.postgresql.providers import uses_transaction_pooler
from connectors.postgresql.value import host_entries, value_to_conninfo
from connectors.redact import redactor_for
from connectors.resource import CheckResult
from connectors.timeouts import connect_timeout

_SSL_REQUEST = struct.pack("!ii", 8, 80877103)
_TLS_MODES = ("require", "verify-ca", "verify-full")


@contextlib.contextmanager
def root_certificate_file(value: dict[str, Any]) -> Iterator[str | None]:
    """``root_certificate_pem`` written to a private (0600) temporary file, removed on exit."""
    pem = value.get("root_certificate_pem")
    if not pem:
        yield None
        return
    fd, path = tempfile.mkstemp(prefix="connectors-pg-root-", suffix=".pem")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(pem)
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def connection_params(value: dict[str, Any], root_path: str | None) -> dict[str, Any]:
    """psycopg ``connect`` keyword arguments for a value (and the root certificate file)."""
    params: dict[str, Any] = dict(value_to_conninfo(value))
    if root_path:
        params["sslrootcert"] = root_path
    params["prepare_threshold"] = None if uses_transaction_pooler(value) else 5
    return params


def connect(value: dict[str, Any], **kwargs: Any) -> Any:
    """A ``psycopg.Connection``; prepared statements are off behind a transaction pooler."""
    import psycopg

    with root_certificate_file(value) as root_path:
        params = connection_params(value, root_path)
        if "connect_timeout" not in params:  # libpq: whole seconds, at least 2
            params["connect_timeout"] = max(2, math.ceil(connect_timeout()))
        params.update(kwargs)
        return psycopg.connect(**params)


def check(value: dict[str, Any], timeout: float = 10.0) -> CheckResult:
    """tcp, tls (when sslmode asks for it), authentication, query, server version."""
    steps = CheckSteps(timeout, redactor_for("postgresql", value))
    targets = _tcp_targets(value)
    with steps:
        if targets:
            reached = steps.run(
                "tcp",
                lambda: _reach(targets, steps),
                detail=lambda hp: f"{hp[0]}:{hp[1]}",
            )
            if value.get("sslmode") in _TLS_MODES and value.get("sslnegotiation") != "direct":
                host, port = reached
                steps.run(
                    "tls", lambda: probe_tls(host, port, value, steps.remaining()), detail=str
                )
        _check_session(value, steps)
    return steps.result()


def _reach(targets: list[tuple[str, int]], steps: CheckSteps) -> tuple[str, int]:
    """The first target that accepts a connection, and answers like PostgreSQL."""
    host, port = first_reachable(targets, steps.remaining, 5432)
    confirm_server(host, port, "PostgreSQL", steps.remaining)
    return host, port


def _check_session(value: dict[str, Any], steps: CheckSteps) -> None:
    """The authentication, query and server version steps over one async psycopg session.

    Async so that ``asyncio.wait_for`` can cut each step off at the check's deadline.
    """
    loop = asyncio.new_event_loop()
    try:
        with root_certificate_file(value) as root_path:
            params = connection_params(value, root_path)

            async def login() -> Any:
                import psycopg

                params["connect_timeout"] = max(2, math.ceil(steps.remaining()))
                return await psycopg.AsyncConnection.connect(autocommit=True, **params)

            conn = steps.run(
                "authentication",
                lambda: _bounded(loop, login(), steps),
                explain=lambda exc: explain_error(exc, value, steps.timeout),
                detail=lambda c: session_detail(c, value),
            )
        try:

            async def select_one() -> Any:
                cursor = await conn.execute("SELECT 1")
                return (await cursor.fetchone())[0]

            steps.run(
                "query",
                lambda: _bounded(loop, select_one(), steps),
                explain=lambda exc: explain_error(exc, value, steps.timeout),
                detail=lambda one: f"SELECT 1 returned {one}",
            )
            steps.server_version = steps.run(
                "server version", lambda: server_version(conn), detail=lambda v: v
            )
        finally:
            loop.run_until_complete(conn.close())
    finally:
        loop.close()


def session_detail(conn: Any, value: dict[str, Any]) -> str:
    """Who logged in where, and whether the session is encrypted (``prefer`` may fall back)."""
    where = f"as {conn.info.user} to database {conn.info.dbname}"
    if conn.pgconn.ssl_in_use:
        return f"{where}, over TLS"
    if str(conn.info.host).startswith("/"):
        return f"{where}, TLS not used (unix socket)"
    mode = value.get("sslmode") or "prefer"
    if mode == "prefer":
        return f"{where}, TLS not used: the server does not offer it (sslmode=prefer)"
    return f"{where}, TLS not used (sslmode={mode})"


def _bounded(loop: asyncio.AbstractEventLoop, coro: Any, steps: CheckSteps) -> Any:
    """Run ``coro`` on ``loop``, cancelled when the check's deadline passes."""
    return loop.run_until_complete(asyncio.wait_for(coro, steps.remaining()))


def server_version(conn: Any) -> str:
    """``15.18`` style version of a (sync or async) psycopg connection's server."""
    reported = conn.info.parameter_status("server_version")
    if reported:
        return str(reported.decode() if isinstance(reported, bytes) else reported).split()[0]
    number = int(conn.info.server_version)
    return f"{number // 10000}.{number % 10000}"


def _tcp_targets(value: dict[str, Any]) -> list[tuple[str, int]]:
    """The (address, port) pairs to try over TCP: hostaddr wins over host; sockets are skipped."""
    entries = host_entries(value) or [{}]  # hostaddr alone still names a server
    addresses = str(value.get("hostaddr") or "").split(",")
    targets = []
    for index, entry in enumerate(entries):
        host = str(entry.get("host") or "")
        if index < len(addresses) and addresses[index]:
            host = addresses[index]
        if host and not host.startswith("/"):
            targets.append((host, int(entry.get("port") or 5432)))
    return targets


def probe_tls(host: str, port: int, value: dict[str, Any], timeout: float) -> str:
    """Ask for TLS the way libpq does (SSLRequest) and complete a handshake."""
    mode = str(value.get("sslmode"))
    context = _tls_context(value)
    verify = context.verify_mode == ssl.CERT_REQUIRED
    sni = host if value.get("sslsni") != "0" else None
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(_SSL_REQUEST)
        answer = sock.recv(1)
        if answer == b"N":
            raise StepFailed(f"the server does not offer TLS, but sslmode={mode} requires it")
        if answer != b"S":
            raise StepFailed("the server did not answer the TLS request like PostgreSQL")
        try:
            with context.wrap_socket(sock, server_hostname=sni) as tls:
                checked = "certificate verified" if verify else "certificate not verified"
                if mode == "verify-full":
                    checked += f" for {host}"
                return f"{tls.version()}, {checked}"
        except ssl.SSLCertVerificationError as exc:
            raise StepFailed(
                f"the server certificate is not trusted: {exc.verify_message}"
            ) from exc


def _tls_context(value: dict[str, Any]) -> ssl.SSLContext:
    """The TLS context libpq would use for the value's sslmode and root certificate.

    As libpq: ``require`` verifies the server only when a root certificate is given;
    ``verify-ca``/``verify-full`` need one (``~/.postgresql/root.crt`` by default, or
    ``sslrootcert=system`` for the system store); ``verify-full`` also checks the host name.
    """
    mode = str(value.get("sslmode"))
    context = ssl.create_default_context()
    pem = value.get("root_certificate_pem")
    root = value.get("sslrootcert")
    default_root = Path.home() / ".postgresql" / "root.crt"
    if pem:
        context.load_verify_locations(cadata=pem)
    elif root and root != "system":
        context.load_verify_locations(cafile=root)
    elif mode != "require" and root != "system" and default_root.is_file():
        context.load_verify_locations(cafile=str(default_root))
    elif mode != "require" and root != "system":
        raise StepFailed(
            f"sslmode={mode} needs a root certificate (root_certificate_pem or sslrootcert)"
        )
    verify = mode != "require" or bool(pem or (root and root != "system"))
    context.check_hostname = mode == "verify-full"
    context.verify_mode = ssl.CERT_REQUIRED if verify else ssl.CERT_NONE
    return context


def explain_error(exc: BaseException, value: dict[str, Any], timeout: float) -> str | None:
    """Why a login or query failed, in words (None: use the exception's own first line)."""
    if isinstance(exc, TimeoutError):
        return f"no answer within the {timeout:g} s timeout"
    text = describe(exc)
    lowered = text.lower()
    user = value.get("user") or "(default user)"
    if "password authentication failed" in lowered:
        return f"wrong password for user {user} (password authentication failed)"
    if "no password supplied" in lowered:
        return "the server asks for a password and the resource has none"
    if "does not exist" in lowered and "database" in lowered:
        return f"unknown database {value.get('dbname')!r}: the server has no such database"
    if "does not exist" in lowered and "role" in lowered:
        return f"unknown user {user!r}: the server has no such role"
    if "server does not support ssl" in lowered:
        return "the server does not offer TLS, but the sslmode requires it"
    if "timeout" in lowered or "timed out" in lowered:
        return f"no answer within the {timeout:g} s timeout"
    if "pg_hba.conf" in lowered:
        return f"the server refuses this client (pg_hba.conf): {text}"
    if "certificate verify failed" in lowered:
        return f"the server certificate is not trusted: {text}"
    return None
