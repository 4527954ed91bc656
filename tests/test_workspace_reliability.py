"""Several processes on one workspace, on every store: no lost update, a killed writer leaves it
consistent; a read-only or full disk is a clear error and writes nothing partial."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import connectors
from connectors.errors import WorkspaceError
from connectors.workspace.store import close_store, workspace_files

CLI = [sys.executable, "-c", "from connectors.cli import main; main()"]
WORKERS = 4
UPDATES = 500

INCREMENT = """
import connectors
for _ in range({n}):
    connectors.update_state(lambda s: {{"n": (s or {{"n": 0}})["n"] + 1}}, "u/test/counter")
"""

WRITE_FOREVER = """
import sys
import connectors
i = 0
while True:
    i += 1
    blob = "x" * 200_000
    connectors.set_state({"i": i, "blob": blob, "check": len(blob) + i}, "u/test/big")
    connectors.set_variable("u/test/secret", f"secret-{i}-" + blob[:1000], is_secret=True)
    if i == 3:
        print("ready", flush=True)
"""


def _spawn(code: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code], env=dict(os.environ), **kw)


@pytest.mark.slow
def test_concurrent_read_modify_write_loses_nothing():
    connectors.set_state({"n": 0}, "u/test/counter")  # create the workspace (and its tables)
    procs = [_spawn(INCREMENT.format(n=UPDATES)) for _ in range(WORKERS)]
    for proc in procs:
        assert proc.wait(timeout=600) == 0
    assert connectors.get_state("u/test/counter") == {"n": WORKERS * UPDATES}


def test_killed_writer_leaves_store_consistent():
    connectors.set_state({"i": 0}, "u/test/big")
    close_store()
    for attempt in range(3):
        proc = _spawn(WRITE_FOREVER, stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(0.05 * (attempt + 1))  # land somewhere in the middle of a write
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL

        with sqlite3.connect(workspace_files()["database"]) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        state = connectors.get_state("u/test/big")
        assert state["check"] == len(state["blob"]) + state["i"] and state["i"] >= 3
        secret = connectors.get_variable("u/test/secret")
        assert secret.startswith("secret-") and len(secret.split("-", 2)[2]) == 1000
        # and the store still takes writes
        connectors.set_state({"i": -1, "blob": "", "check": -1}, "u/test/big")
        assert connectors.get_state("u/test/big")["i"] == -1
        close_store()


# -- PostgreSQL ---------------------------------------------------------------------------------


@pytest.fixture
def postgres_workspace(fresh_postgresql, monkeypatch) -> Iterator[None]:
    """The workspace on a fresh PostgreSQL database (subprocesses inherit it)."""
    close_store()
    monkeypatch.setenv(
        "CONNECTORS_WORKSPACE_URL", connectors.to_connection_string(fresh_postgresql)
    )
    yield
    close_store()


@pytest.mark.slow
def test_postgres_concurrent_read_modify_write_loses_nothing(postgres_workspace):
    connectors.set_state({"n": 0}, "u/test/counter")
    procs = [_spawn(INCREMENT.format(n=UPDATES)) for _ in range(WORKERS)]
    for proc in procs:
        assert proc.wait(timeout=600) == 0
    assert connectors.get_state("u/test/counter") == {"n": WORKERS * UPDATES}


def test_postgres_killed_writer_leaves_store_consistent(postgres_workspace):
    connectors.set_state({"i": 0}, "u/test/big")
    for attempt in range(3):
        proc = _spawn(WRITE_FOREVER, stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(0.05 * (attempt + 1))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        close_store()
        state = connectors.get_state("u/test/big")
        assert state["check"] == len(state["blob"]) + state["i"] and state["i"] >= 3
        secret = connectors.get_variable("u/test/secret")
        assert secret.startswith("secret-") and len(secret.split("-", 2)[2]) == 1000
        connectors.set_state({"i": -1, "blob": "", "check": -1}, "u/test/big")
        assert connectors.get_state("u/test/big")["i"] == -1


# -- a full disk, a read-only disk ----------------------------------------------------------------

FILL_UNTIL_REFUSED = """
import resource, signal, sys
import connectors
from connectors.errors import WorkspaceError
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
written = 0
try:
    for i in range(1, 200):
        blob = "x" * 100_000
        connectors.set_state({"i": i, "blob": blob, "check": len(blob) + i}, f"u/test/s{i}")
        written = i
except WorkspaceError as exc:
    print(written)
    print(exc)
    sys.exit(0)
print(written)
print("never refused")
"""


def test_a_full_disk_is_refused_cleanly_and_writes_nothing_partial():
    connectors.set_state({"i": 0}, "u/test/s0")
    close_store()
    database = workspace_files()["database"]
    limit = database.stat().st_size + 600_000  # room for a few states, then "disk full"
    done = subprocess.run(
        [sys.executable, "-c", FILL_UNTIL_REFUSED, str(limit)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    written_text, message = done.stdout.strip().splitlines()
    written = int(written_text)
    assert 0 < written < 199, done.stdout
    assert "nothing was written" in message and str(database) in message, message
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for i in range(1, written + 1):
        state = connectors.get_state(f"u/test/s{i}")
        assert state["check"] == len(state["blob"]) + i
    assert connectors.get_state(f"u/test/s{written + 1}") is None
    connectors.set_state({"i": -1}, "u/test/after")  # and it takes writes again
    assert connectors.get_state("u/test/after") == {"i": -1}


@contextlib.contextmanager
def read_only(directory: Path) -> Iterator[None]:
    """``directory`` read-only: its permissions, or (as root, who ignores them) a read-only
    bind mount over it."""
    if os.geteuid() != 0:
        modes = {path: path.stat().st_mode for path in [directory, *directory.iterdir()]}
        for path in modes:
            path.chmod(0o500 if path.is_dir() else 0o400)
        try:
            yield
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    mount = ["mount", "--bind", str(directory), str(directory)]
    if subprocess.run(mount, capture_output=True, check=False).returncode != 0:
        pytest.skip("cannot make a read-only file system here (mount refused)")
    try:
        subprocess.run(
            ["mount", "-o", "remount,ro,bind", str(directory)], capture_output=True, check=True
        )
        yield
    finally:
        subprocess.run(["umount", "-l", str(directory)], capture_output=True, check=False)


def assert_cli_write_refused() -> None:
    """``connectors state set`` exits 2 with one line saying the store is read-only."""
    done = subprocess.run(
        [*CLI, "state", "set", "u/test/kept", '{"n": 3}'],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "read-only" in lines[0], done.stderr


def test_a_read_only_disk_is_refused_cleanly():
    connectors.set_state({"n": 1}, "u/test/kept")
    close_store()
    database = workspace_files()["database"]
    with read_only(database.parent):
        with pytest.raises(WorkspaceError, match="read-only") as caught:
            connectors.set_state({"n": 2}, "u/test/kept")
        assert str(database) in str(caught.value)
        close_store()
        assert_cli_write_refused()
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert connectors.get_state("u/test/kept") == {"n": 1}


def test_a_read_only_postgres_database_is_refused_cleanly(postgres_workspace, fresh_postgresql):
    connectors.set_state({"n": 1}, "u/test/kept")
    close_store()
    import psycopg

    v = fresh_postgresql.value
    admin = {k: v[k] for k in ("host", "port", "user", "password")}
    with psycopg.connect(**admin, dbname=v["dbname"], autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{v["dbname"]}" SET default_transaction_read_only = on')
    try:
        with pytest.raises(WorkspaceError, match="read-only transaction") as caught:
            connectors.update_state(lambda s: {"n": s["n"] + 1}, "u/test/kept")
        assert str(caught.value).endswith("nothing was written")
        assert v["password"] not in str(caught.value)
        assert connectors.get_state("u/test/kept") == {"n": 1}
        close_store()
        assert_cli_write_refused()
    finally:
        close_store()
        with psycopg.connect(**admin, dbname=v["dbname"], autocommit=True) as conn:
            conn.execute("SET default_transaction_read_only = off")
            conn.execute(f'ALTER DATABASE "{v["dbname"]}" RESET default_transaction_read_only')
    assert connectors.get_state("u/test/kept") == {"n": 1}
