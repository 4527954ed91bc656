"""Several processes on one workspace: no lost update, a killed writer leaves it consistent."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

import connectors
from connectors.workspace.store import close_store, workspace_files

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
