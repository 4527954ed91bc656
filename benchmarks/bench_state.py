"""get_state / set_state per second on SQLite and PostgreSQL, next to raw driver round trips.

Run: .venv/bin/python benchmarks/bench_state.py [--n 2000]
PostgreSQL: CONNECTORS_TEST_POSTGRESQL_URL if set, else a local server started the way the
test harness does (connectors.testing.ServerFactory). Prints ops/s and the ratio of each
workspace operation to the raw round trip it is built on.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STATE = {"last_id": 12345, "seen": list(range(20)), "cursor": "2026-01-01T00:00:00Z"}


def rate(fn, n: int) -> float:
    fn()  # warm up
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return n / (time.perf_counter() - start)


def raw_sqlite(path: Path, n: int) -> tuple[float, float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
    text = json.dumps(STATE)

    def write() -> None:
        conn.execute(
            "INSERT INTO kv VALUES ('s', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v", (text,)
        )

    def read() -> None:
        json.loads(conn.execute("SELECT v FROM kv WHERE k = 's'").fetchone()[0])

    w = rate(write, n)
    return rate(read, n), w


def raw_postgres(value: dict, n: int) -> tuple[float, float]:
    import psycopg

    conn = psycopg.connect(
        host=value["host"],
        port=value["port"],
        user=value["user"],
        password=value["password"],
        dbname=value["dbname"],
        autocommit=True,
    )
    conn.execute("CREATE TABLE IF NOT EXISTS bench_kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
    text = json.dumps(STATE)

    def write() -> None:
        conn.execute(
            "INSERT INTO bench_kv VALUES ('s', %s) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
            (text,),
        )

    def read() -> None:
        json.loads(conn.execute("SELECT v FROM bench_kv WHERE k = 's'").fetchone()[0])

    w = rate(write, n)
    r = rate(read, n)
    conn.close()
    return r, w


def workspace(n: int) -> tuple[float, float, float]:
    import connectors
    from connectors.workspace.store import close_store

    close_store()
    path = "u/bench/state"
    w = rate(lambda: connectors.set_state(STATE, path), n)
    r = rate(lambda: connectors.get_state(path), n)
    u = rate(lambda: connectors.update_state(lambda s: s, path), n)
    close_store()
    return r, w, u


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
    parser.add_argument("--n", type=int, default=2000)
    n = parser.parse_args().n
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CONNECTORS_HOME"] = tmp
        for name in list(os.environ):
            if name.startswith(("WM_", "BASE_INTERNAL_URL")) or name == "CONNECTORS_WORKSPACE_URL":
                del os.environ[name]
        raw_r, raw_w = raw_sqlite(Path(tmp) / "raw.sqlite", n)
        ws_r, ws_w, ws_u = workspace(n)
        rows.append(("sqlite", raw_r, raw_w, ws_r, ws_w, ws_u))

        value, factory = postgres_value()
        try:
            raw_r, raw_w = raw_postgres(value, n)
            os.environ["CONNECTORS_WORKSPACE_URL"] = (
                f"postgresql://{quote(value['user'], safe='')}:{quote(value['password'], safe='')}"
                f"@{value['host']}:{value['port']}/{value['dbname']}"
            )
            ws_r, ws_w, ws_u = workspace(n)
            rows.append(("postgresql", raw_r, raw_w, ws_r, ws_w, ws_u))
        finally:
            if factory is not None:
                factory.close()  # type: ignore[attr-defined]

    print(f"n = {n} operations each, one process, state = {len(json.dumps(STATE))} bytes of JSON")
    header = (
        f"{'store':<11}{'raw read/s':>12}{'raw write/s':>13}{'get_state/s':>13}"
        f"{'set_state/s':>13}{'update/s':>10}{'get/raw':>9}{'set/raw':>9}"
    )
    print(header)
    print("-" * len(header))
    for store, rr, rw, gr, gw, gu in rows:
        print(
            f"{store:<11}{rr:>12,.0f}{rw:>13,.0f}{gr:>13,.0f}{gw:>13,.0f}{gu:>10,.0f}"
            f"{gr / rr:>9.2f}{gw / rw:>9.2f}"
        )


if __name__ == "__main__":
    main()
