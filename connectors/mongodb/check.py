"""pymongo client and the timed live check of a ``mongodb`` resource.

Steps, in order, against one deadline: ``srv`` (DNS SRV + TXT, only for ``srv: true``), ``tcp``
(the first seed that answers), ``tls`` (a handshake with the value's TLS options, only when TLS
is on), ``hello`` (without credentials), ``authentication`` (only with a credential), ``ping``
and ``server version``. Each pymongo client gets the time left as its server-selection,
connect and socket timeouts. pymongo and dnspython are imported here only.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Sequence
from typing import Any

from connectors.checks import CheckSteps, StepFailed, confirm_server, describe, first_reachable
from connectors.mongodb.parser import DEFAULT_PORT
from connectors.mongodb.value import to_connection_string
from connectors.redact import redactor_for
from connectors.resource import CheckResult
from connectors.timeouts import connect_timeout

# server error codes (MongoDB's error_codes.yml)
AUTH_FAILED = 18
UNAUTHORIZED = 13
COMMAND_NOT_FOUND = 59


def connect(value: dict[str, Any], **kwargs: Any) -> Any:
    """A ``pymongo.MongoClient`` for ``value``; keyword arguments override URI options."""
    from pymongo import MongoClient

    given = {name.lower() for name in (value.get("options") or {})} | {k.lower() for k in kwargs}
    limit = int(connect_timeout() * 1000)
    for name in ("connectTimeoutMS", "serverSelectionTimeoutMS"):
        if name.lower() not in given and "timeoutms" not in given:
            kwargs[name] = limit
    client: Any = MongoClient(to_connection_string(value), **kwargs)
    return client


def _reach(seeds: Any, tls: bool, steps: CheckSteps) -> Any:
    """The first seed that accepts a connection, and (without TLS) answers like MongoDB."""
    host, port = first_reachable(seeds, steps.remaining, DEFAULT_PORT)
    if not tls and "/" not in host:
        confirm_server(host, port or DEFAULT_PORT, "MongoDB", steps.remaining)
    return host, port


def check(value: dict[str, Any], timeout: float = 10.0) -> CheckResult:
    """The timed live check of a ``mongodb`` value (the steps are in the module docstring)."""
    steps = CheckSteps(timeout, redactor_for("mongodb", value))
    options = value.get("options") or {}
    with steps:
        seeds = _seeds(value, options, steps)
        reached = steps.run(
            "tcp",
            lambda: _reach(seeds, bool(value.get("tls")), steps),
            detail=lambda found: found[0] if found[1] is None else f"{found[0]}:{found[1]}",
        )
        if value.get("tls"):
            steps.run(
                "tls",
                lambda: _tls_handshake(reached, options, steps.remaining()),
                detail=str,
                silence="no TLS answer: does the server speak TLS? set tls=false if not",
            )
        anonymous = {k: v for k, v in value.items() if k != "credential"}
        steps.run(
            "hello",
            lambda: _command(anonymous, "admin", "hello", steps.remaining()),
            explain=_explain_selection,
            detail=_describe_hello,
        )
        credential = value.get("credential") or {}
        if credential:
            steps.run(
                "authentication",
                lambda: _authenticate(value, steps.remaining()),
                explain=lambda exc: _explain_auth(exc, credential),
                detail=str,
            )
        database = value.get("db") or "admin"
        steps.run(
            "ping",
            lambda: _command(value, database, "ping", steps.remaining()),
            explain=_explain_selection,
            detail=lambda _: f"database {database!r}",
        )
        info = steps.run(
            "server version",
            lambda: _command(value, "admin", "buildInfo", steps.remaining()),
            detail=lambda found: f"MongoDB {found.get('version', '?')}",
        )
        steps.server_version = str(info.get("version")) if info.get("version") else None
    return steps.result()


def _seeds(
    value: dict[str, Any], options: dict[str, Any], steps: CheckSteps
) -> Sequence[tuple[str, int | None]]:
    """The (host, port) seeds to reach: the servers, or for ``srv`` what its SRV record lists."""
    seeds = [(str(s["host"]), s.get("port")) for s in value.get("servers", [])]
    if not seeds:
        steps.run("tcp", _no_servers)
    if not value.get("srv"):
        return seeds
    service = options.get("srvServiceName", "mongodb")
    host = seeds[0][0]
    return steps.run(
        "srv",
        lambda: resolve_srv(host, service, steps.remaining()),
        detail=lambda found: f"{len(found)} hosts: " + ", ".join(f"{h}:{p}" for h, p in found),
    )


def _no_servers() -> None:
    raise StepFailed("the value has no servers")


def resolve_srv(host: str, service: str, timeout: float) -> list[tuple[str, int]]:
    """The seed list of ``_<service>._tcp.<host>`` (the SRV targets, in DNS order)."""
    import dns.exception
    import dns.resolver

    name = f"_{service}._tcp.{host}"
    try:
        answer = dns.resolver.resolve(name, "SRV", lifetime=timeout)
    except dns.resolver.NXDOMAIN as exc:
        raise StepFailed(f"no SRV record {name} (NXDOMAIN): is the host name right?") from exc
    except dns.resolver.NoAnswer as exc:
        raise StepFailed(f"{name} has no SRV record") from exc
    except dns.exception.Timeout as exc:
        raise StepFailed(f"DNS lookup of {name} timed out") from exc
    except dns.exception.DNSException as exc:
        raise StepFailed(f"DNS lookup of {name} failed: {describe(exc)}") from exc
    return [(str(record.target).rstrip("."), int(record.port)) for record in answer]


def _tls_context(options: dict[str, Any]) -> ssl.SSLContext:
    """The TLS context the value's ``tls*`` options ask for."""
    context = ssl.create_default_context(cafile=options.get("tlsCAFile"))
    insecure = options.get("tlsInsecure") or options.get("tlsAllowInvalidCertificates")
    if insecure or options.get("tlsAllowInvalidHostnames"):
        context.check_hostname = False
    if insecure:
        context.verify_mode = ssl.CERT_NONE
    if options.get("tlsCertificateKeyFile"):
        context.load_cert_chain(
            options["tlsCertificateKeyFile"],
            password=options.get("tlsCertificateKeyFilePassword"),
        )
    return context


def _tls_handshake(reached: tuple[str, int | None], options: dict[str, Any], timeout: float) -> str:
    """A TLS handshake with the reached seed; the detail is the protocol and cipher."""
    host, port = reached
    if "/" in host:
        return "Unix socket: no TLS handshake to check"
    context = _tls_context(options)
    try:
        address = (host, port or DEFAULT_PORT)
        with (
            socket.create_connection(address, timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            cipher = tls.cipher()
            return f"{tls.version()} {cipher[0] if cipher else ''}".strip()
    except ssl.SSLCertVerificationError as exc:
        raise StepFailed(f"server certificate rejected: {exc.verify_message}") from exc
    except ssl.SSLError as exc:
        if "WRONG_VERSION_NUMBER" in str(exc) or "wrong version" in str(exc):
            raise StepFailed("the server does not speak TLS (set tls=false?)") from exc
        raise StepFailed(f"TLS handshake failed: {exc.reason or exc}") from exc
    except TimeoutError as exc:
        raise StepFailed(
            f"no TLS answer from {host}:{port} within {timeout:.1f} s "
            "(does the server speak TLS? set tls=false if not)"
        ) from exc
    except OSError as exc:
        raise StepFailed(f"TLS handshake failed: {describe(exc)}") from exc


def _client(value: dict[str, Any], timeout: float) -> Any:
    """A client whose every timeout is the time left, so no step outlives the deadline."""
    ms = max(int(timeout * 1000), 1)
    return connect(
        value,
        serverSelectionTimeoutMS=ms,
        connectTimeoutMS=ms,
        socketTimeoutMS=ms,
        appname="connectors-check",
    )


def _command(value: dict[str, Any], database: str, command: str, timeout: float) -> Any:
    client = _client(value, timeout)
    try:
        return client[database].command(command)
    finally:
        client.close()


def _authenticate(value: dict[str, Any], timeout: float) -> str:
    from pymongo.errors import OperationFailure

    client = _client(value, timeout)
    try:
        status = client.admin.command("connectionStatus")
    except OperationFailure as exc:
        if exc.code != COMMAND_NOT_FOUND:
            raise
        status = {}
    finally:
        client.close()
    users = status.get("authInfo", {}).get("authenticatedUsers", [])
    names = ", ".join(f"{u.get('user')}@{u.get('db')}" for u in users)
    return f"authenticated as {names}" if names else "authenticated"


def _describe_hello(reply: Any) -> str:
    if reply.get("setName"):
        role = "primary" if reply.get("isWritablePrimary") else "member"
        kind = f"{role} of replica set {reply['setName']!r}"
    elif reply.get("msg") == "isdbgrid":
        kind = "mongos"
    else:
        kind = "standalone"
    return f"{kind}, wire version {reply.get('maxWireVersion', '?')}"


def _explain_selection(exc: BaseException) -> str | None:
    from pymongo.errors import ConfigurationError, ServerSelectionTimeoutError

    if isinstance(exc, ServerSelectionTimeoutError):
        text = str(exc).split(", Timeout:")[0].split(" (configured timeouts")[0]
        return f"no server could be selected: {text}"
    if isinstance(exc, ConfigurationError):
        return f"pymongo configuration error: {exc}"
    return None


def _explain_auth(exc: BaseException, credential: dict[str, Any]) -> str | None:
    from pymongo.errors import OperationFailure

    if isinstance(exc, OperationFailure) and exc.code in (AUTH_FAILED, UNAUTHORIZED):
        user = credential.get("username", "")
        source = credential.get("db", "admin")
        mechanism = credential.get("mechanism") or "the negotiated mechanism"
        return (
            f"authentication failed for user {user!r} on database {source!r} with {mechanism} "
            f"(code {exc.code}): wrong user name or password, or the user lives in another "
            "database (authSource)"
        )
    return _explain_selection(exc)
