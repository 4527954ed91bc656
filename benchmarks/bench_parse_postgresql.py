"""Parse the same PostgreSQL connection strings with connectors and with three other parsers.

    .venv/bin/python benchmarks/bench_parse_postgresql.py [--seconds 0.5]

Prints ops/s (strings parsed per second, best of interleaved rounds) and each parser's ratio to
SQLAlchemy's make_url. The corpus holds only URIs every parser accepts, so all do the same work.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

CORPUS = [
    "postgresql://localhost/mydb",
    "postgresql://user:secret@localhost:5432/mydb",
    "postgres://app:p%40ss%3Aw0rd@db.example.com:6432/app?sslmode=require",
    "postgresql://other@localhost/otherdb?connect_timeout=10&application_name=myapp",
    "postgresql://postgres.apbkobhfnmcqqzqeeqss:pw@aws-0-eu-central-1.pooler.supabase.com:6543"
    "/postgres",
    "postgresql://postgres:pw@db.apbkobhfnmcqqzqeeqss.supabase.co:5432/postgres",
    "postgresql://alex:AbC123dEf@ep-cool-darkness-a1b2c3d4-pooler.us-east-2.aws.neon.tech/dbname"
    "?sslmode=require&channel_binding=require",
    "postgresql://u:p@[2001:db8::1]:5433/db?target_session_attrs=read-write",
    "postgresql://%C3%BCser:p%C3%A4ss@h/d%C3%B6?options=-c%20search_path%3Dapp",
    "postgresql://app:pw@10.0.0.5:5432/warehouse?sslmode=verify-full&sslrootcert=/etc/ca.pem",
]


def parsers() -> dict[str, Callable[[str], object]]:
    import connectors
    from connectors.postgresql.parser import parse_conninfo

    found: dict[str, Callable[[str], object]] = {
        "connectors.parse(type=)": lambda s: connectors.parse(s, type="postgresql"),
        "connectors.parse (auto)": connectors.parse,
        "parse_conninfo (keywords)": parse_conninfo,
    }
    try:
        from psycopg.conninfo import conninfo_to_dict

        found["psycopg conninfo_to_dict"] = conninfo_to_dict
    except ImportError:
        pass
    try:
        from sqlalchemy.engine import make_url

        found["sqlalchemy make_url"] = make_url
    except ImportError:
        pass
    try:
        from pydantic import PostgresDsn, TypeAdapter

        found["pydantic PostgresDsn"] = TypeAdapter(PostgresDsn).validate_python
    except ImportError:
        pass
    return found


def ops_per_second(parse: Callable[[str], object], corpus: list[str], seconds: float) -> float:
    done = 0
    started = time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        for text in corpus:
            parse(text)
        done += len(corpus)
    return done / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=0.2, help="per round, per parser")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    all_parsers = parsers()
    for name, parse in all_parsers.items():  # every parser must accept the whole corpus
        for text in CORPUS:
            parse(text)
        del name
    # Rounds interleave the parsers, so a change in machine load hits all of them alike.
    results = dict.fromkeys(all_parsers, 0.0)
    for _ in range(args.rounds):
        for name, parse in all_parsers.items():
            results[name] = max(results[name], ops_per_second(parse, CORPUS, args.seconds))
    baseline = results.get("sqlalchemy make_url") or max(results.values())
    print(
        f"{len(CORPUS)} connection strings, best of {args.rounds} interleaved rounds of "
        f"{args.seconds:g} s\n"
    )
    print(f"{'parser':<28}{'ops/s':>12}{'vs make_url':>14}")
    for name, rate in sorted(results.items(), key=lambda item: -item[1]):
        print(f"{name:<28}{rate:>12,.0f}{rate / baseline:>13.2f}x")


if __name__ == "__main__":
    main()
