"""Connecting with PyMySQL, and the staged live check (tcp, tls, authentication, query).

PyMySQL is imported inside the functions: importing this module costs nothing.
"""

from __future__ import annotations

import socket
import ssl
import struct
from typing import Any

from connectors import CheckResult
from connectors.checks import CheckSteps, StepFailed, describe, open_tcp
from connectors.redact import redactor_for
from storage_connectors_mysql.options import TLS_MODES
from storage_connectors_mysql.value import DEFAULT_PORT

INSTALL_HINT = "PyMySQL is not installed: pip install 'storage-connectors-mysql[pymysql]'"
_CLIENT_SSL = 0x0800
_CLIENT_PROTOCOL_41 = 0x0200
_CLIENT_SECURE_CONNECTION = 0x8000
_CLIENT_LONG_PASSWORD = 0x0001


def ssl_mode(value: dict[str, Any]) -> str:
    """The mode a value asks for: ``ssl_mode``, else ``ssl`` (true encrypts; the certificate is
    verified, host name included, when root_certificate_pem is given), else DISABLED."""
    mode = value.get("ssl_mode")
    if mode:
        return str(mode)
    if value.get("ssl"):
        return "VERIFY_IDENTITY" if value.get("root_certificate_pem") else "REQUIRED"
    return "DISABLED"


def tls_context(value: dict[str, Any]) -> ssl.SSLContext:
    """The TLS context of the value's mode: REQUIRED encrypts only; VERIFY_CA checks the chain
    (root_certificate_pem, else the system store); VERIFY_IDENTITY the host name too."""
    mode = ssl_mode(value)
    pem = value.get("root_certificate_pem")
    if mode in ("VERIFY_CA", "VERIFY_IDENTITY"):
        context = ssl.create_default_context(cadata=pem or None)
        context.check_hostname = mode == "VERIFY_IDENTITY"
        return context
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def connect_params(value: dict[str, Any], timeout: float | None = None) -> dict[str, Any]:
    """``pymysql.connect`` keyword arguments for a value."""
    params: dict[str, Any] = {
        "host": value.get("host") or "localhost",
        "port": int(value.get("port") or DEFAULT_PORT),
        "user": value.get("user") or None,
        # PyMySQL sends a str password as latin-1; servers hash what clients send as UTF-8
        "password": str(value.get("password") or "").encode(),
        "database": value.get("database") or None,
        "charset": value.get("charset") or "utf8mb4",
    }
    connect_timeout = timeout if timeout is not None else value.get("connect_timeout")
    if connect_timeout:
        params["connect_timeout"] = max(1, round(float(connect_timeout)))
    mode = ssl_mode(value)
    if mode == "DISABLED":
        params["ssl_disabled"] = True
    elif mode in TLS_MODES:
        params["ssl"] = tls_context(value)
    return params


def connect(value: dict[str, Any], **kwargs: Any) -> Any:
    """A ``pymysql.connections.Connection``; a TLS mode that the server does not honour fails."""
    try:
        import pymysql
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc
    params = connect_params(value)
    params.update(kwargs)
    return pymysql.connect(**params)


def check(value: dict[str, Any], timeout: float = 10.0) -> CheckResult:
    """tcp (and the server's greeting), tls, authentication, ``SELECT VERSION()``."""
    steps = CheckSteps(timeout, redactor_for("mysql", value))
    host = str(value.get("host") or "localhost")
    port = int(value.get("port") or DEFAULT_PORT)
    mode = ssl_mode(value)
    with steps:
        steps.run(
            "tcp",
            lambda: (
                open_tcp(host, port, steps.remaining()),
                read_greeting(host, port, steps.remaining()),
            ),
            detail=lambda found: f"{found[0]}, {found[1]}",
        )
        if mode in TLS_MODES:
            steps.run("tls", lambda: probe_tls(host, port, value, steps.remaining()), detail=str)
        conn = steps.run(
            "authentication",
            lambda: connect(value, connect_timeout=max(1, round(steps.remaining()))),
            explain=lambda exc: explain_error(exc, value, timeout),
            detail=lambda c: _session(c, value),
        )
        try:
            version = steps.run(
                "query",
                lambda: _select_version(conn),
                explain=lambda exc: explain_error(exc, value, timeout),
                detail=lambda v: f"SELECT VERSION() returned {v}",
            )
            steps.server_version = version
        finally:
            conn.close()
    return steps.result()


class Greeting:
    """The server's first packet: its version and whether it offers TLS."""

    def __init__(self, version: str, capabilities: int) -> None:
        self.version = version
        self.capabilities = capabilities

    @property
    def offers_tls(self) -> bool:
        return bool(self.capabilities & _CLIENT_SSL)

    def __str__(self) -> str:
        tls = "offers TLS" if self.offers_tls else "does not offer TLS"
        return f"MySQL protocol 10, server {self.version}, {tls}"


def _read_packet(sock: socket.socket) -> bytes:
    header = _read_exactly(sock, 4)
    length = header[0] | header[1] << 8 | header[2] << 16
    return _read_exactly(sock, length)


def _read_exactly(sock: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise StepFailed("the server closed the connection during the handshake")
        data += chunk
    return data


def parse_greeting(payload: bytes) -> Greeting:
    """The initial handshake packet (protocol 10), or a StepFailed saying what answered."""
    if payload[:1] == b"\xff":
        message = payload[9:].decode("utf-8", "replace") if len(payload) > 9 else ""
        raise StepFailed(f"the server refused the connection: {message}")
    if payload[:1] != b"\x0a" or b"\0" not in payload[1:64]:
        raise StepFailed("the server did not answer like MySQL (no protocol 10 greeting)")
    end = payload.index(b"\0", 1)
    version = payload[1:end].decode("ascii", "replace")
    at = end + 1 + 4 + 8 + 1  # connection id, auth data part 1, filler
    lower = struct.unpack_from("<H", payload, at)[0] if len(payload) >= at + 2 else 0
    upper = struct.unpack_from("<H", payload, at + 5)[0] if len(payload) >= at + 7 else 0
    return Greeting(version, lower | upper << 16)


def read_greeting(host: str, port: int, timeout: float) -> Greeting:
    with socket.create_connection((host, port), timeout=timeout) as sock:
        try:
            return parse_greeting(_read_packet(sock))
        except TimeoutError as exc:
            raise StepFailed(
                f"{host}:{port} accepted the connection but sent no MySQL greeting"
            ) from exc


def probe_tls(host: str, port: int, value: dict[str, Any], timeout: float) -> str:
    """Ask for TLS as a MySQL client does (an SSLRequest packet) and complete a handshake."""
    context = tls_context(value)
    with socket.create_connection((host, port), timeout=timeout) as sock:
        greeting = parse_greeting(_read_packet(sock))
        if not greeting.offers_tls:
            raise StepFailed(
                f"the server does not offer TLS, but ssl_mode {ssl_mode(value)} requires it"
            )
        flags = (
            _CLIENT_SSL | _CLIENT_PROTOCOL_41 | _CLIENT_SECURE_CONNECTION | _CLIENT_LONG_PASSWORD
        )
        body = struct.pack("<IIB23s", flags, 1 << 24, 45, b"\0" * 23)
        sock.sendall(struct.pack("<I", len(body))[:3] + b"\x01" + body)
        try:
            with context.wrap_socket(sock, server_hostname=host) as tls:
                verified = context.verify_mode == ssl.CERT_REQUIRED
                checked = "certificate verified" if verified else "certificate not verified"
                if context.check_hostname:
                    checked += f" for {host}"
                return f"{tls.version()}, {checked}"
        except ssl.SSLCertVerificationError as exc:
            raise StepFailed(
                f"the server certificate is not trusted: {exc.verify_message}"
            ) from exc


def _session(conn: Any, value: dict[str, Any]) -> str:
    encrypted = isinstance(getattr(conn, "_sock", None), ssl.SSLSocket)
    where = f"as {value.get('user') or '(default user)'}"
    if value.get("database"):
        where += f" to database {value['database']}"
    return f"{where}, {'over TLS' if encrypted else 'TLS not used'}"


def _select_version(conn: Any) -> str:
    with conn.cursor() as cursor:
        cursor.execute("SELECT VERSION()")
        row = cursor.fetchone()
    return str(row[0])


def explain_error(exc: BaseException, value: dict[str, Any], timeout: float) -> str | None:
    """Why a login or query failed, in words (None: the exception's own first line)."""
    if isinstance(exc, ImportError):
        return INSTALL_HINT
    code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
    user = value.get("user") or "(default user)"
    text = describe(exc)
    if code == 1045:
        return f"wrong user name or password (access denied for user {user})"
    if code == 1049:
        return f"unknown database {value.get('database')!r}: the server has no such database"
    if code == 1044:
        return f"user {user} may not use database {value.get('database')!r}"
    if code == 3159 or "secure transport" in text.lower():
        return "the server requires TLS (require_secure_transport): set ssl to true"
    if "timed out" in text.lower() or isinstance(exc, TimeoutError):
        return f"no answer within the {timeout:g} s timeout"
    if "certificate verify failed" in text.lower():
        return f"the server certificate is not trusted: {text}"
    return None
