"""Benchmark: connectors.parse vs pymongo's URI parser vs pydantic's MongoDsn, same strings.

pymongo: ``uri_parser.parse_uri`` for mongodb:// strings; for mongodb+srv:// strings the
no-DNS validator ``uri_parser_shared._validate_uri`` (``parse_uri`` would query DNS).
pydantic: ``TypeAdapter(MongoDsn).validate_python`` (a generic URL parser: no option
semantics, no credential rules). One run, best of 5 repeats; prints microseconds per string
and the ratio of each time to pymongo's (below 1.00x is faster than pymongo).

Run: .venv/bin/python benchmarks/bench_parse_mongodb.py
"""

from __future__ import annotations

import timeit
from collections.abc import Callable
from typing import Any

STRINGS = [
    "mongodb://localhost:27017/app",
    "mongodb://alice:s3cret@db1.example.com:27017,db2.example.com:27018,db3.example.com:27019"
    "/app?replicaSet=rs0&authSource=admin&readPreference=secondaryPreferred&w=majority",
    "mongodb://u%40corp:p%3Ass@[::1]:27018/db?maxPoolSize=50&connectTimeoutMS=2000"
    "&retryWrites=true&compressors=zlib&readPreferenceTags=dc:ny,rack:1",
    "mongodb://%2Ftmp%2Fmongodb-27017.sock/app?appName=bench",
    "mongodb+srv://app:D1fficultP%40ssw0rd@cluster0.ab1cd.mongodb.net/shop"
    "?retryWrites=true&w=majority&appName=Cluster0",
]


def _connectors(type_name: str | None) -> Callable[[str], Any]:
    import connectors

    connectors.parse(STRINGS[0])  # load the plugins once, outside the timing
    return lambda text: connectors.parse(text, type=type_name)


def _pymongo() -> Callable[[str], Any]:
    from pymongo import uri_parser
    from pymongo.uri_parser_shared import _validate_uri

    def parse(text: str) -> Any:
        if text.startswith("mongodb+srv://"):
            return _validate_uri(text)
        return uri_parser.parse_uri(text)

    return parse


def _pydantic() -> Callable[[str], Any]:
    from pydantic import MongoDsn, TypeAdapter

    adapter = TypeAdapter(MongoDsn)
    return adapter.validate_python


def measure(parse: Callable[[str], Any], number: int = 2000) -> float:
    """Microseconds per string, best of 5 repeats over all STRINGS."""

    def run() -> None:
        for text in STRINGS:
            parse(text)

    best = min(timeit.repeat(run, number=number, repeat=5))
    return best / number / len(STRINGS) * 1e6


def main() -> None:
    parsers = {
        "connectors.parse(text, type='mongodb')": _connectors("mongodb"),
        "connectors.parse(text) (auto-detect)": _connectors(None),
        "pymongo uri_parser": _pymongo(),
        "pydantic MongoDsn": _pydantic(),
    }
    results = {name: measure(parse) for name, parse in parsers.items()}
    base = results["pymongo uri_parser"]
    print(f"{len(STRINGS)} strings (4 mongodb://, 1 mongodb+srv://), best of 5 repeats")
    print(f"{'parser':<40} {'us/string':>10} {'time vs pymongo':>16}")
    for name, micros in results.items():
        print(f"{name:<40} {micros:>10.2f} {micros / base:>15.2f}x")
    print("auto-detect asks every registered connector's detect() first; see docs/mongodb.md")


if __name__ == "__main__":
    main()
