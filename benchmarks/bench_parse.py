"""Parsing speed of every built-in family against the fastest correct peer, in one run.

    .venv/bin/python benchmarks/bench_parse.py [--rounds 15] [--number 300] [--family redis]

For each family, the same strings go through our parser with the type given
(``connectors.parse(text, type=...)``), auto-detected (``connectors.parse(text)``) and through
the peer:

- postgresql: SQLAlchemy ``make_url`` (libpq URIs every parser accepts; target <= 1.0x)
- redis: redis-py ``redis.connection.parse_url`` (target <= 1.0x)
- mongodb: pymongo ``uri_parser.parse_uri`` (``_validate_uri`` for mongodb+srv://, which
  would otherwise query DNS; target <= 0.5x)
- azure_blob: the SDK's ``parse_connection_str`` (target <= 3x)
- s3: botocore has no parser of S3 URLs (it builds them); what it does with a custom
  ``endpoint_url`` is ``is_valid_endpoint_url``, timed on the endpoint strings (target <= 1.0x,
  though ours also finds the bucket, region, provider and style)

``urllib.parse.urlsplit`` keeps the last 128 URLs it split (Python 3.11+), and redis-py and
botocore split with it: a few strings parsed over and over would time its cache, which parsing a
connection string once never meets. Every call of every side is made on an empty cache
(``urlsplit.cache_clear()`` before it, 0.03 µs, counted on both sides); ``--cached`` keeps the
cache, to show the difference.

Timing is process CPU time (``time.process_time``): parsing is all in this process, and the
load of other users of a shared machine does not count. Rounds interleave ours and the peer
(order rotating); each round times ``number`` passes over the strings. Printed: the minimum
and median microseconds per string over rounds, and the median over rounds of the per-round
ratio ours / peer (below 1.00x is faster than the peer).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

STRINGS: dict[str, list[str]] = {
    "postgresql": [
        "postgresql://localhost/mydb",
        "postgresql://user:secret@localhost:5432/mydb",
        "postgres://app:p%40ss%3Aw0rd@db.example.com:6432/app?sslmode=require",
        "postgresql://other@localhost/otherdb?connect_timeout=10&application_name=myapp",
        "postgresql://postgres.apbkobhfnmcqqzqeeqss:pw@aws-0-eu-central-1.pooler.supabase.com"
        ":6543/postgres",
        "postgresql://postgres:pw@db.apbkobhfnmcqqzqeeqss.supabase.co:5432/postgres",
        "postgresql://alex:AbC123dEf@ep-cool-darkness-a1b2c3d4-pooler.us-east-2.aws.neon.tech"
        "/dbname?sslmode=require&channel_binding=require",
        "postgresql://u:p@[2001:db8::1]:5433/db?target_session_attrs=read-write",
        "postgresql://%C3%BCser:p%C3%A4ss@h/d%C3%B6?options=-c%20search_path%3Dapp",
        "postgresql://app:pw@10.0.0.5:5432/warehouse?sslmode=verify-full&sslrootcert=/etc/ca.pem",
    ],
    "redis": [
        "redis://localhost:6379/0",
        "redis://default:s3cr%40t@cache.example.com:6380/2",
        "rediss://u:p@h.example.com:6380/1?ssl_cert_reqs=none&socket_timeout=5&protocol=3"
        "&health_check_interval=30",
        "redis://:pw@[2001:db8::1]:6379?db=3",
        "unix:///run/redis/redis.sock?db=2",
    ],
    "mongodb": [
        "mongodb://localhost:27017/app",
        "mongodb://alice:s3cret@db1.example.com:27017,db2.example.com:27018,db3.example.com:27019"
        "/app?replicaSet=rs0&authSource=admin&readPreference=secondaryPreferred&w=majority",
        "mongodb://u%40corp:p%3Ass@[::1]:27018/db?maxPoolSize=50&connectTimeoutMS=2000"
        "&retryWrites=true&compressors=zlib&readPreferenceTags=dc:ny,rack:1",
        "mongodb://%2Ftmp%2Fmongodb-27017.sock/app?appName=bench",
        "mongodb+srv://app:D1fficultP%40ssw0rd@cluster0.ab1cd.mongodb.net/shop"
        "?retryWrites=true&w=majority&appName=Cluster0",
    ],
    "azure_blob": [
        "DefaultEndpointsProtocol=https;AccountName=myacct;AccountKey=Eby8vdM02xNOcqFlqUwJPLl"
        "mEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
        "EndpointSuffix=core.windows.net",
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqF"
        "lqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
        "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;",
    ],
    "s3": [
        "http://127.0.0.1:9000/my-bucket",
        "https://s3.dualstack.us-west-2.amazonaws.com/my-bucket",
        "https://my-bucket.s3.eu-west-1.amazonaws.com/data/file.parquet",
        "https://0123456789abcdef0123456789abcdef.eu.r2.cloudflarestorage.com/my-bucket",
    ],
}


def peer(family: str) -> tuple[str, Callable[[str], Any]]:
    if family == "postgresql":
        from sqlalchemy.engine import make_url

        return "sqlalchemy make_url", make_url
    if family == "redis":
        from redis.connection import parse_url

        return "redis-py parse_url", parse_url
    if family == "mongodb":
        from pymongo import uri_parser
        from pymongo.uri_parser_shared import _validate_uri

        def parse_uri(text: str) -> Any:
            if text.startswith("mongodb+srv://"):
                return _validate_uri(text)
            return uri_parser.parse_uri(text)

        return "pymongo parse_uri", parse_uri
    if family == "azure_blob":
        from azure.storage.blob._shared.base_client import parse_connection_str

        return "azure parse_connection_str", lambda text: parse_connection_str(text, None, "blob")
    from botocore.utils import is_valid_endpoint_url

    return "botocore is_valid_endpoint_url", is_valid_endpoint_url


def uncached(fn: Callable[[str], Any]) -> Callable[[str], Any]:
    """``fn`` called on an empty ``urlsplit`` cache, as for a string met for the first time."""
    clear = urlsplit.cache_clear

    def call(text: str) -> Any:
        clear()
        return fn(text)

    return call


def per_string(fn: Callable[[str], Any], strings: list[str], number: int) -> float:
    started = time.process_time()
    for _ in range(number):
        for text in strings:
            fn(text)
    return (time.process_time() - started) / number / len(strings) * 1e6


def run_family(
    family: str, rounds: int, number: int, cached: bool = False
) -> list[tuple[str, float, float, float]]:
    import connectors

    strings = STRINGS[family]
    peer_name, peer_fn = peer(family)
    sides: dict[str, Callable[[str], Any]] = {
        f"parse(type={family!r})": lambda text: connectors.parse(text, type=family),
        "parse() auto-detected": connectors.parse,
        peer_name: peer_fn,
    }
    if not cached:
        sides = {name: uncached(fn) for name, fn in sides.items()}
    for name, fn in sides.items():  # every side accepts every string, and types agree
        for text in strings:
            result = fn(text)
            if name == "parse() auto-detected":
                assert result.resource_type == family, (text, result.resource_type)
    times: dict[str, list[float]] = {name: [] for name in sides}
    names = list(sides)
    for round_number in range(rounds):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(per_string(sides[name], strings, number))
    rows = []
    for name in names:
        ratios = [ours / theirs for ours, theirs in zip(times[name], times[peer_name], strict=True)]
        rows.append(
            (name, min(times[name]), statistics.median(times[name]), statistics.median(ratios))
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--number", type=int, default=300, help="passes over the strings per round")
    parser.add_argument("--family", choices=sorted(STRINGS), action="append")
    parser.add_argument("--cached", action="store_true", help="keep urlsplit's cache of URLs")
    args = parser.parse_args()
    import connectors

    connectors.parse(STRINGS["redis"][0])  # load the plugins once, outside the timing
    print(
        f"parse: process CPU time, {args.rounds} interleaved rounds of {args.number} passes, "
        f"urlsplit cache {'kept' if args.cached else 'emptied before each call'}; "
        "ratio = median over rounds of ours / peer in the same round"
    )
    print(f"{'family':<11}{'parser':<32}{'min µs':>9}{'median µs':>11}{'vs peer':>9}")
    for family in args.family or list(STRINGS):
        for name, low, median, ratio in run_family(family, args.rounds, args.number, args.cached):
            print(f"{family:<11}{name:<32}{low:>9.2f}{median:>11.2f}{ratio:>8.2f}x")


if __name__ == "__main__":
    main()
