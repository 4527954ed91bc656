"""Timed check steps with one deadline: what every connector's ``check`` is written with.

    steps = CheckSteps(timeout, redactor)
    with steps:
        steps.run("tcp", lambda: open_tcp(host, port, steps.remaining()))
        conn = steps.run("authentication", login, explain=explain_auth_error)
        steps.server_version = conn.server_version
    return steps.result()

A step that raises is recorded as failed with a one-line reason (redacted) and ends the check:
the ``with`` block swallows the stop, so later steps do not run. A driver that is not
installed is not a failed step: it goes up to ``connectors.check``, which names the
``pip install`` that brings it.

One deadline for every wait: each step runs in a daemon thread that the check stops waiting
for at the deadline (plus ``GRACE``, so a driver's own timeout error, which names the cause,
wins when it comes in time). Whatever a driver does (DNS that hangs, retries, a TLS handshake
on a socket that never answers), ``check`` returns within its timeout.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Sequence
from contextvars import ContextVar, copy_context
from types import TracebackType
from typing import Any, TypeVar

from connectors.drivers import is_missing_driver
from connectors.redact import Redactor
from connectors.resource import CheckResult, CheckStep
from connectors.timeouts import positive_seconds

T = TypeVar("T")
P = TypeVar("P", int, int | None)

#: how long past the deadline a step may take to report its own timeout
GRACE = 0.3
#: drivers are given the time left minus this, so their own timeout error (which names the
#: cause) usually comes before the check stops waiting
HEAD_START = 0.1
#: when ``connectors.check`` was called: the deadline counts from there, so the time a
#: connector spends importing its driver before its first step counts too
CHECK_STARTED: ContextVar[float | None] = ContextVar("connectors_check_started", default=None)


class StepFailed(Exception):
    """Raised inside a step to fail it with a chosen reason."""


class _Stop(Exception):
    pass


def describe(exc: BaseException) -> str:
    """A one-line reason for an exception: its first non-empty line, else its class name."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = lines[0] if lines else ""
    if isinstance(exc, StepFailed):
        return text
    if isinstance(exc, TimeoutError | socket.timeout) and not text:
        return "timed out"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class CheckSteps:
    """Runs check steps in order against one deadline and records each as a CheckStep."""

    def __init__(self, timeout: float, redactor: Redactor | None = None) -> None:
        timeout = positive_seconds(timeout)
        self.timeout = timeout
        started = CHECK_STARTED.get()
        self.deadline = (time.monotonic() if started is None else started) + timeout
        self.steps: list[CheckStep] = []
        self.server_version: str | None = None
        self._redact = redactor or Redactor()

    def remaining(self, floor: float = 0.05) -> float:
        """Seconds left before the deadline (at least ``floor``, so a timeout arg is valid)."""
        return max(self.deadline - HEAD_START - time.monotonic(), floor)

    def run(
        self,
        name: str,
        action: Callable[[], T],
        *,
        explain: Callable[[BaseException], str | None] | None = None,
        detail: Callable[[T], str] | None = None,
        silence: str = "",
    ) -> T:
        """Run one step; on failure record why and stop the check.

        ``silence``: what no answer by the deadline means for this step (said after "no
        answer within the N s timeout").
        """
        if time.monotonic() >= self.deadline:
            self._record(name, False, 0.0, f"not started: the {self.timeout:g} s timeout passed")
            raise _Stop
        started = time.perf_counter()
        try:
            outcome = self._before_deadline(name, action, silence)
        except Exception as exc:
            if is_missing_driver(exc):  # not the server's failure: connectors.check says so
                raise
            ms = (time.perf_counter() - started) * 1000
            reason = (explain(exc) if explain else None) or describe(exc)
            self._record(name, False, ms, reason)
            raise _Stop from exc
        ms = (time.perf_counter() - started) * 1000
        self._record(name, True, ms, detail(outcome) if detail else "")
        return outcome

    def _before_deadline(self, name: str, action: Callable[[], T], silence: str = "") -> T:
        """``action()``, or a StepFailed when it has not returned by the deadline (its thread
        is left to finish on its own timeout)."""
        done, outcome = run_until(action, self.deadline + GRACE, f"connectors-check-{name}")
        if not done:
            meaning = f" ({silence})" if silence else ""
            raise StepFailed(f"no answer within the {self.timeout:g} s timeout{meaning}")
        return outcome

    def _record(self, name: str, ok: bool, ms: float, detail: str) -> None:
        self.steps.append(CheckStep(name, ok, ms, self._redact(detail)))

    def __enter__(self) -> CheckSteps:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        return exc_type is _Stop

    def result(self) -> CheckResult:
        ok = bool(self.steps) and all(step.ok for step in self.steps)
        return CheckResult(ok=ok, steps=self.steps, server_version=self.server_version)


def run_until(action: Callable[[], T], deadline: float, name: str) -> tuple[bool, T]:
    """``(True, action())`` when it returns before ``deadline`` (monotonic), its exception
    when it raises; ``(False, None)`` when it is still running (a daemon thread left behind)."""
    box: dict[str, Any] = {}
    context = copy_context()

    def target() -> None:
        try:
            box["value"] = context.run(action)
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=target, name=name, daemon=True)
    worker.start()
    worker.join(max(deadline - time.monotonic(), 0.0))
    if worker.is_alive():
        return False, None  # type: ignore[return-value]
    if "error" in box:
        raise box["error"]
    return True, box["value"]


def open_tcp(host: str, port: int, timeout: float) -> str:
    """Open and close a TCP connection; the step detail is the address reached."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            peer = sock.getpeername()
    except socket.gaierror as exc:
        raise StepFailed(f"cannot resolve host {host!r}: {exc.strerror}") from exc
    except ConnectionRefusedError as exc:
        raise StepFailed(f"connection refused by {host}:{port} (is the server running?)") from exc
    except TimeoutError as exc:
        raise StepFailed(f"no answer from {host}:{port} within {timeout:.1f} s") from exc
    except OSError as exc:
        raise StepFailed(f"cannot reach {host}:{port}: {exc.strerror or exc}") from exc
    return f"{peer[0]}:{peer[1]}"


def open_unix(path: str, timeout: float) -> str:
    """Connect to and close a Unix-domain socket; the step detail is its path."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(path)
        except FileNotFoundError as exc:
            raise StepFailed(f"no socket at {path} (is the server running?)") from exc
        except OSError as exc:
            raise StepFailed(f"cannot connect to {path}: {exc.strerror or exc}") from exc
    return path


def reach_kind(host: str, port: int, expected: str, remaining: Callable[[], float]) -> str:
    """``open_tcp``, then ``confirm_server``: the address reached, of the kind expected."""
    reached = open_tcp(host, port, remaining())
    confirm_server(host, port, expected, remaining)
    return reached


def first_reachable(
    targets: Sequence[tuple[str, P]], remaining: Callable[[], float], default_port: int
) -> tuple[str, P]:
    """The first ``(host, port)`` that accepts a connection, tried in order as drivers do; a
    host with a ``/`` is a Unix socket path. Fails with every target's reason."""
    reasons = []
    for host, port in targets:
        try:
            if "/" in host:
                open_unix(host, remaining())
            else:
                open_tcp(host, port or default_port, remaining())
            return host, port
        except StepFailed as exc:
            reasons.append(str(exc))
    raise StepFailed("; ".join(reasons))


# -- which kind of server answers ------------------------------------------------------------
# A check pointed at the wrong port (a Redis port given as PostgreSQL) would otherwise fail
# with the driver's own confusion, or time out. Each probe is a message its own server answers
# at once and the others refuse or ignore: a RESP PING, PostgreSQL's SSLRequest, a MongoDB
# OP_MSG hello, an HTTP GET. None of them logs in or changes anything.

_RESP_PING = b"*1\r\n$4\r\nPING\r\n"
_SSL_REQUEST = b"\x00\x00\x00\x08\x04\xd2\x16\x2f"
_HTTP_GET = b"GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
HTTP = "an HTTP server"


def _mongo_hello() -> bytes:
    """An OP_MSG ``{hello: 1, $db: "admin"}`` (what every MongoDB driver sends first). Its
    request id is 10, a line feed: a Redis server reads the message as a line and answers."""
    body = b"\x10hello\x00\x01\x00\x00\x00" + b"\x02$db\x00\x06\x00\x00\x00admin\x00"
    document = (len(body) + 5).to_bytes(4, "little") + body + b"\x00"
    message = b"\x00\x00\x00\x00" + b"\x00" + document  # flag bits, section kind 0
    header = (16 + len(message)).to_bytes(4, "little") + b"\x0a\x00\x00\x00" + b"\x00" * 4
    return header + (2013).to_bytes(4, "little") + message


def _ask(host: str, port: int, payload: bytes, deadline: float) -> tuple[bytes, bool]:
    """What the server sends back to ``payload`` before the deadline, and whether it answered
    at all (sent something or closed the connection) rather than staying silent."""
    timeout = deadline - time.monotonic()
    if timeout <= 0:
        return b"", False
    reply = b""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(payload)
            while len(reply) < 512:
                sock.settimeout(max(deadline - time.monotonic(), 0.01))
                chunk = sock.recv(512)
                if not chunk:
                    return reply, True
                reply += chunk
                if _classify(reply, payload) is not None and (
                    not reply.startswith(b"HTTP/") or b"\r\n\r\n" in reply
                ):
                    break
    except TimeoutError:
        return reply, bool(reply)
    except OSError:
        return reply, True  # refused or reset: an answer of its kind
    return reply, True


def _classify(reply: bytes, payload: bytes) -> str | None:
    """The kind of server a reply comes from, or None when it does not tell."""
    if reply.startswith(b"HTTP/"):
        head = reply.split(b"\r\n\r\n", 1)[0].lower()
        if b"x-ms-" in head or b"azurite" in head:
            return "Azure Blob Storage"
        if any(mark in head for mark in (b"x-amz-", b"x-amzn-", b"amazon", b"minio", b"s3")):
            return "S3"
        return HTTP
    if reply.lstrip()[:5].lower() in (b"<!doc", b"<html"):  # an HTTP/0.9-style error page
        return HTTP
    if reply[:1] in (b"+", b"-"):  # a RESP simple string or error
        return "Redis"
    if payload == _SSL_REQUEST and reply[:1] in (b"S", b"N") and len(reply) == 1:
        return "PostgreSQL"
    if reply[:1] == b"E" and reply[1:3] == b"\x00\x00":  # a PostgreSQL ErrorResponse
        return "PostgreSQL"
    if len(reply) >= 16 and int.from_bytes(reply[12:16], "little") in (1, 2013):
        return "MongoDB"
    return None


def _probes(host: str) -> dict[str, bytes]:
    """The probe of each kind (S3 and Azure share the HTTP GET)."""
    http_get = _HTTP_GET % host.encode("ascii", errors="replace")
    return {
        "PostgreSQL": _SSL_REQUEST,
        "Redis": _RESP_PING,
        "MongoDB": _mongo_hello(),
        "S3": http_get,
        "Azure Blob Storage": http_get,
    }


def server_kind(host: str, port: int, deadline: float) -> str | None:
    """Which kind of server answers at ``host:port`` (PostgreSQL, Redis, MongoDB, S3, Azure Blob
    Storage, an HTTP server), or None when none of the probes tells before the deadline. The
    probes go at once, each on its own connection, so a server that waits on one of them does
    not delay the others."""
    from concurrent.futures import ThreadPoolExecutor

    probes = list(dict.fromkeys(_probes(host).values()))
    with ThreadPoolExecutor(len(probes)) as pool:
        replies = list(pool.map(lambda payload: _ask(host, port, payload, deadline), probes))
    kinds = [_classify(reply, payload) for (reply, _), payload in zip(replies, probes, strict=True)]
    # a protocol's own answer first; a generic HTTP answer to another protocol's probe last
    named = [kind for kind in kinds if kind is not None and kind != HTTP]
    return named[0] if named else (HTTP if HTTP in kinds else None)


def confirm_server(host: str, port: int, expected: str, remaining: Callable[[], float]) -> None:
    """Fail with ``port 6379 answered like Redis, not PostgreSQL`` when another kind of server
    answers; do nothing when it is the expected kind or the probes cannot tell.

    The expected kind's own probe goes first and alone: a server of that kind is confirmed in
    one round trip and sees nothing else. A server silent to it gets the other probes at once
    for as long again (Redis waits on PostgreSQL's SSLRequest, MongoDB on a RESP PING), so a
    silent server costs at most a quarter of the time left (at most 2 s).
    """
    probes = _probes(host)
    wait = min(remaining() / 8, 1.0)
    lead = probes[expected]
    reply, answered = _ask(host, port, lead, time.monotonic() + wait)
    kind = _classify(reply, lead)
    if _same_kind(kind, expected):
        return
    if not answered:
        # silent to its own protocol: the other probes, at once, for no longer than that
        kind = server_kind(host, port, time.monotonic() + wait)
    elif kind is None or kind == HTTP:
        kind = server_kind(host, port, time.monotonic() + min(remaining() / 4, 2.0)) or kind
    if kind is not None and not _same_kind(kind, expected):
        raise StepFailed(f"port {port} answered like {kind}, not {expected}")


def _same_kind(kind: str | None, expected: str) -> bool:
    return kind == expected or (kind == HTTP and expected in HTTP_KINDS)


#: the kinds reached over HTTP (a generic HTTP answer does not tell them apart)
HTTP_KINDS = ("S3", "Azure Blob Storage")
