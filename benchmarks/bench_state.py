"""get_state / set_state against raw sqlite3 and psycopg doing the same durable work.

Run: .venv/bin/python benchmarks/bench_state.py [--n 500] [--rounds 9] [--skip-postgresql]

What each side does per operation (a 132-byte JSON state, one process, one open connection):
- raw write: ``json.dumps``, then one transaction: ``BEGIN IMMEDIATE`` (SQLite) / ``BEGIN``
  (psycopg, autocommit off), an ``INSERT ... ON CONFLICT (workspace, path) DO UPDATE`` of the
  value and its timestamp, ``COMMIT``. SQLite in the store's own settings: WAL,
  ``synchronous=NORMAL``, ``secure_delete=ON``; the commit is durable to the WAL as the store's.
- raw read: one ``SELECT value ... WHERE workspace = ? AND path = ?`` and ``json.loads``
  (SQLite: autocommit, psycopg: autocommit, one round trip).
- ``set_state``: path check, value check, secret scan and sealing, the same upsert in one
  write transaction; ``get_state``: the same select, unsealing and ``$var:``/``$res:``
  resolution.
Rounds interleave the four operations (order rotating), each round timing ``n`` calls of each;
prints the median ops/s over rounds and the median of the per-round ratios ours / raw (target
>= 0.5). SQLite is timed in process CPU time (the work is all in this process, and the load of
other users of a shared machine does not count), PostgreSQL in wall time.
PostgreSQL: CONNECTORS_TEST_POSTGRESQL_URL if set, else a local server started the way the
test harness does (connectors.testing.ServerFactory).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STATE = {"last_id": 12345, "seen": list(range(20)), "cursor": "2026-01-01T00:00:00Z"}
PATH = "u/bench/state"
TABLE = (
    "CREATE TABLE IF NOT EXISTS bench_state (workspace TEXT NOT NULL, path TEXT NOT NULL, "
    "value TEXT NOT NULL, edited_at TEXT NOT NULL, PRIMARY KEY (workspace, path))"
)
UPSERT = (
    "INSERT INTO bench_state (workspace, path, value, edited_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (workspace, path) DO UPDATE SET value = excluded.value, "
    "edited_at = excluded.edited_at"
)
SELECT = "SELECT value FROM bench_state WHERE workspace = ? AND path = ?"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def raw_sqlite(path: Path) -> tuple[Callable[[], None], Callable[[], None]]:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "secure_delete = ON"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute(TABLE)

    def write() -> None:
        text = json.dumps(STATE)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(UPSERT, ("default", PATH, text, now()))
        conn.execute("COMMIT")

    def read() -> None:
        json.loads(conn.execute(SELECT, ("default", PATH)).fetchone()[0])

    write()
    return read, write


def raw_postgres(value: dict) -> tuple[Callable[[], None], Callable[[], None]]:
    import psycopg

    keys = ("host", "port", "user", "password", "dbname")
    conn = psycopg.connect(autocommit=True, **{k: value[k] for k in keys})
    conn.execute(TABLE)
    upsert, select = UPSERT.replace("?", "%s"), SELECT.replace("?", "%s")

    def write() -> None:
        text = json.dumps(STATE)
        with conn.transaction():
            conn.execute(upsert, ("default", PATH, text, now()))

    def read() -> None:
        json.loads(conn.execute(select, ("default", PATH)).fetchone()[0])

    write()
    return read, write


def ours() -> tuple[Callable[[], None], Callable[[], None]]:
    import connectors
    from connectors.workspace.store import close_store

    close_store()
    connectors.set_state(STATE, PATH)
    return (lambda: connectors.get_state(PATH)), (lambda: connectors.set_state(STATE, PATH))


def compare(
    raw: tuple, mine: tuple, n: int, rounds: int, clock: Callable[[], float]
) -> dict[str, float]:
    """Median ops/s of each operation, and the median of the per-round ratios (ours / raw in
    the same round, so a change in machine load between rounds cancels out)."""
    actions = {"raw read": raw[0], "raw write": raw[1], "get_state": mine[0], "set_state": mine[1]}
    names = list(actions)
    rates: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(rounds):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            action = actions[name]
            started = clock()
            for _ in range(n):
                action()
            rates[name].append(n / (clock() - started))
    found = {name: statistics.median(values) for name, values in rates.items()}
    for ours_name, raw_name, key in (
        ("get_state", "raw read", "get/raw"),
        ("set_state", "raw write", "set/raw"),
    ):
        pairs = zip(rates[ours_name], rates[raw_name], strict=True)
        found[key] = statistics.median(a / b for a, b in pairs)
    return found


def postgres_value() -> tuple[dict, object | None]:
    url = os.environ.get("CONNECTORS_TEST_POSTGRESQL_URL")
    if url:
        import connectors

        return connectors.parse(url, type="postgresql").value, None
    from connectors.testing.factory import ServerFactory

    factory = ServerFactory(ROOT, require_live=True)
    return factory.resource("postgresql").value, factory


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200, help="calls per operation per round")
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--skip-postgresql", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CONNECTORS_HOME"] = tmp
        for name in list(os.environ):
            if name.startswith(("WM_", "BASE_INTERNAL_URL")) or name == "CONNECTORS_WORKSPACE_URL":
                del os.environ[name]
        raw = raw_sqlite(Path(tmp) / "raw.sqlite")
        # SQLite works inside this process: CPU time, which other engineers' load does not
        # inflate (WAL with synchronous=NORMAL does not wait for the disk at commit).
        results.append(("sqlite", compare(raw, ours(), args.n, args.rounds, time.process_time)))
        if not args.skip_postgresql:
            value, factory = postgres_value()
            try:
                raw = raw_postgres(value)
                os.environ["CONNECTORS_WORKSPACE_URL"] = (
                    f"postgresql://{quote(value['user'], safe='')}:"
                    f"{quote(value['password'], safe='')}"
                    f"@{value['host']}:{value['port']}/{value['dbname']}"
                )
                # the server's work is in another process: wall time
                mine = ours()
                results.append(
                    ("postgresql", compare(raw, mine, args.n, args.rounds, time.perf_counter))
                )
            finally:
                from connectors.workspace.store import close_store

                close_store()
                if factory is not None:
                    factory.close()  # type: ignore[attr-defined]

    load = os.getloadavg()[0]
    print(
        f"states: median ops/s of {args.rounds} interleaved rounds of {args.n} calls, "
        f"{len(json.dumps(STATE))}-byte JSON state, load average {load:.2f}"
    )
    header = (
        f"{'store':<11}{'raw read/s':>12}{'get_state/s':>13}{'get/raw':>9}"
        f"{'raw write/s':>13}{'set_state/s':>13}{'set/raw':>9}"
    )
    print(header)
    print("-" * len(header))
    for store, r in results:
        print(
            f"{store:<11}{r['raw read']:>12,.0f}{r['get_state']:>13,.0f}"
            f"{r['get/raw']:>9.2f}{r['raw write']:>13,.0f}"
            f"{r['set_state']:>13,.0f}{r['set/raw']:>9.2f}"
        )
    print("raw: the same durable upsert + commit per write, one SELECT + json.loads per read")
    print("get/raw, set/raw: median over rounds of ours / raw measured in the same round")


if __name__ == "__main__":
    main()
