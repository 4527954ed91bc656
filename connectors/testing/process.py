"""Start, wait for and stop the local server processes of the live-test harness."""

from __future__ import annotations

import contextlib
import ctypes
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1


class ServerStartError(RuntimeError):
    """A local server could not be started; the message carries the tail of its log."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _die_with_parent() -> None:
    # Linux only: the kernel sends SIGTERM to the server when pytest dies, even on SIGKILL
    # (backends.md gotcha 5); elsewhere the finalizers are the only cleanup.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def run_as(owner: str | None) -> dict[str, Any]:
    """Popen keyword arguments that drop to ``owner`` (user and group of that name), if given."""
    return {} if owner is None else {"user": owner, "group": owner}


def make_workdir(prefix: str, owner: str | None = None) -> Path:
    """A fresh temporary directory, owned by ``owner`` when given.

    When it must be reached by another user, the temp root must be traversable by everyone
    (``$TMPDIR`` may sit under root's 0700 home); ``/tmp`` is used otherwise.
    """
    root = Path(tempfile.gettempdir())
    if owner is not None and not _world_traversable(root):
        root = Path("/tmp")
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=root))
    if owner is not None:
        shutil.chown(path, owner, owner)
    return path


def _world_traversable(path: Path) -> bool:
    return all(p.stat().st_mode & stat.S_IXOTH for p in [path.resolve(), *path.resolve().parents])


def spawn(cmd: Sequence[str], log: Path, **popen: Any) -> subprocess.Popen[bytes]:
    """Start ``cmd`` with stdout and stderr appended to ``log``; it dies with this process."""
    with open(log, "ab") as out:
        return subprocess.Popen(
            list(cmd),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
            **popen,
        )


def terminate(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL after ``timeout`` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def log_tail(log: Path, lines: int = 20) -> str:
    """The last lines of a server log, for failure messages."""
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


def wait_until(
    probe: Callable[[], T],
    *,
    what: str,
    timeout: float = 30.0,
    proc: subprocess.Popen[bytes] | None = None,
    log: Path | None = None,
) -> T:
    """Call ``probe`` until it returns without raising; fail with the log tail otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            raise ServerStartError(_failure(f"{what} exited with {proc.returncode}", log))
        try:
            return probe()
        except Exception as exc:
            if time.monotonic() > deadline:
                reason = f"{what} not ready after {timeout:.0f}s ({exc.__class__.__name__})"
                raise ServerStartError(_failure(reason, log)) from exc
            time.sleep(0.05)


def _failure(reason: str, log: Path | None) -> str:
    return reason if log is None else f"{reason}; last lines of {log.name}:\n{log_tail(log)}"


def wait_port(port: int, **kwargs: Any) -> None:
    """Wait until 127.0.0.1:``port`` accepts a TCP connection."""
    wait_until(lambda: socket.create_connection(("127.0.0.1", port), 0.5).close(), **kwargs)


@contextlib.contextmanager
def workdir(prefix: str, owner: str | None = None) -> Iterator[Path]:
    """A temporary directory removed on exit, whatever the server left in it."""
    path = make_workdir(prefix, owner)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def running(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> Iterator[None]:
    """Terminate ``proc`` on exit."""
    try:
        yield
    finally:
        terminate(proc, timeout)


def check_output(cmd: Sequence[str], what: str, **kwargs: Any) -> str:
    """Run a setup command; a failure raises ServerStartError with its output."""
    done = subprocess.run(list(cmd), capture_output=True, text=True, check=False, **kwargs)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-20:])
        raise ServerStartError(f"{what} failed with exit code {done.returncode}:\n{tail}")
    return str(done.stdout)
