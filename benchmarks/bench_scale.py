"""Scale: 10^5 connection strings parsed in one process, and workspaces of 10^3..10^5 resources.

    .venv/bin/python benchmarks/bench_scale.py [--strings 100000] [--sizes 1000,10000,100000]

1. Parse ``--strings`` distinct strings of every built-in family (round robin, each with its
   own host and user) with ``connectors.parse`` (auto-detected). Prints the wall and CPU time
   (target: under 2 s) and the resident memory at 10 %, 50 % and 100 % of the run (flat: the
   results are dropped as they come, so it must not grow with the count).
2. For each size N: a fresh workspace (SQLite) filled with N resources through
   ``set_resource``, then ``list_resources()`` (target at 10^5: under 1 s) and
   ``get_resource`` of random paths (µs per call; O(1): the same at every size). Both in
   process CPU time (SQLite works in this process; other users' load does not count).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
FAMILIES: tuple[Callable[[int], str], ...] = (
    lambda i: f"postgresql://user{i}:pw{i}@db{i}.example.com:5432/app?sslmode=require",
    lambda i: f"postgresql://postgres.ref{i}:pw@aws-0-eu-west-1.pooler.supabase.com:6543/postgres",
    lambda i: f"redis://default:s3cret{i}@cache{i}.example.com:6380/{i % 16}",
    lambda i: f"rediss://default:tok{i}@eu1-cat-{i}.upstash.io:6379",
    lambda i: f"mongodb://app{i}:pw@db{i}.example.com:27017/app?authSource=admin",
    lambda i: f"mongodb+srv://app:pw{i}@cluster{i}.ab1cd.mongodb.net/shop?retryWrites=true",
    lambda i: f"s3://bucket-{i}/exports/",
    lambda i: f"https://bucket-{i}.s3.eu-west-1.amazonaws.com/data/file.parquet",
    lambda i: (
        f"DefaultEndpointsProtocol=https;AccountName=acct{i};AccountKey={KEY};"
        "EndpointSuffix=core.windows.net"
    ),
)


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def parse_many(count: int) -> None:
    import connectors

    texts = (FAMILIES[i % len(FAMILIES)](i) for i in range(count))
    connectors.parse(FAMILIES[0](0))  # plugins loaded outside the timing
    marks = {count // 10: "10%", count // 2: "50%", count: "100%"}
    memory = {"start": rss_mib()}
    wall, cpu = time.perf_counter(), time.process_time()
    for i, text in enumerate(texts, start=1):
        connectors.parse(text)
        if i in marks:
            memory[marks[i]] = rss_mib()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"parse {count:,} strings of {len(FAMILIES)} kinds (auto-detected): "
          f"{wall:.2f} s wall, {cpu:.2f} s CPU (target < 2 s)")  # fmt: skip
    print("  resident MiB: " + ", ".join(f"{k} {v:.1f}" for k, v in memory.items()))


def workspace(size: int) -> tuple[float, float, float]:
    import connectors
    from connectors.workspace.store import close_store

    with tempfile.TemporaryDirectory() as home:
        os.environ["CONNECTORS_HOME"] = home
        close_store()
        started = time.perf_counter()
        for i in range(size):
            value = {"host": f"db{i}.example.com", "port": 5432, "tags": ["etl", str(i)]}
            connectors.set_resource(f"f/data/r{i:06d}", value)
        fill = time.perf_counter() - started
        listings = []
        for _ in range(3):
            started = time.process_time()
            listed = connectors.list_resources()
            listings.append(time.process_time() - started)
            assert len(listed) == size
        rng = random.Random(size)
        paths = [f"f/data/r{rng.randrange(size):06d}" for _ in range(2000)]
        started = time.process_time()
        for path in paths:
            connectors.get_resource(path)
        get_us = (time.process_time() - started) / len(paths) * 1e6
        close_store()
    return fill, statistics.median(listings), get_us


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--strings", type=int, default=100_000)
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    for name in list(os.environ):
        if name.startswith(("WM_", "BASE_INTERNAL_URL", "CONNECTORS_WORKSPACE")):
            del os.environ[name]
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    parse_many(args.strings)
    print(f"{'resources':>10}{'fill (s)':>10}{'list_resources (s)':>20}{'get_resource (µs)':>19}")
    for size in (int(s) for s in args.sizes.split(",")):
        fill, listing, get_us = workspace(size)
        print(f"{size:>10,}{fill:>10.1f}{listing:>20.3f}{get_us:>19.1f}")
    print(
        "list_resources: median of 3, CPU s; get_resource: 2000 random paths, CPU µs "
        "(target: flat in size); fill: wall s"
    )


if __name__ == "__main__":
    main()
