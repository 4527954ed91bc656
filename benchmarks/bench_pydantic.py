"""Validate connection strings through the pydantic field types, against connectors.parse alone.

    .venv/bin/python benchmarks/bench_pydantic.py [--seconds 0.2] [--rounds 7]

For PostgreSQL, MongoDB and Redis: ops/s of ``TypeAdapter(PostgreSQLResource).validate_python``
(and of a one-field pydantic model), of ``connectors.parse(type=...)`` and ``connectors.parse``
(auto-detected), and of pydantic's own ``PostgresDsn``/``MongoDsn``/``RedisDsn`` on the same
strings. The target: the field type within 1.5x of ``connectors.parse``; the time ratios to
``parse`` auto-detected and to ``parse(type=...)`` are printed. The corpora are the ones of the
parse benchmarks.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from bench_parse import STRINGS

MONGODB, POSTGRESQL, REDIS = STRINGS["mongodb"], STRINGS["postgresql"], STRINGS["redis"]


def candidates(type_name: str) -> dict[str, Callable[[str], object]]:
    from pydantic import BaseModel, MongoDsn, PostgresDsn, RedisDsn, TypeAdapter

    import connectors
    from connectors import types

    field_type = {
        "postgresql": types.PostgreSQLResource,
        "mongodb": types.MongoDBResource,
        "redis": types.RedisResource,
    }[type_name]
    dsn: Any = {"postgresql": PostgresDsn, "mongodb": MongoDsn, "redis": RedisDsn}[type_name]

    class Settings(BaseModel):
        url: field_type  # type: ignore[valid-type]

    return {
        "connectors.parse (auto)": connectors.parse,
        "connectors.parse(type=)": lambda s: connectors.parse(s, type=type_name),
        "TypeAdapter(field type)": TypeAdapter(field_type).validate_python,
        "model with the field": lambda s: Settings(url=s),
        f"pydantic {dsn.__name__}": TypeAdapter(dsn).validate_python,
    }


def ops_per_second(function: Callable[[str], object], corpus: list[str], seconds: float) -> float:
    done = 0
    started = time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        for text in corpus:
            function(text)
        done += len(corpus)
    return done / elapsed


def run(type_name: str, corpus: list[str], seconds: float, rounds: int) -> None:
    functions = candidates(type_name)
    usable = {}
    for name, function in functions.items():
        try:
            for text in corpus:
                function(text)
        except Exception:  # a peer that refuses part of the corpus is measured on the rest
            usable[name] = [text for text in corpus if _accepts(function, text)]
        else:
            usable[name] = corpus
    results = dict.fromkeys(functions, 0.0)
    for _ in range(rounds):  # interleaved, so a change in machine load hits all alike
        for name, function in functions.items():
            rate = ops_per_second(function, usable[name], seconds)
            results[name] = max(results[name], rate)
    auto = results["connectors.parse (auto)"]
    typed = results["connectors.parse(type=)"]
    print(f"\n{type_name}: {len(corpus)} strings, best of {rounds} rounds of {seconds:g} s")
    print(f"{'':<28}{'ops/s':>10}{'µs':>8}{'time vs auto':>14}{'vs type=':>10}")
    for name, rate in results.items():
        note = "" if len(usable[name]) == len(corpus) else f"  ({len(usable[name])} accepted)"
        print(
            f"{name:<28}{rate:>10,.0f}{1e6 / rate:>8.1f}{auto / rate:>13.2f}x"
            f"{typed / rate:>9.2f}x{note}"
        )


def _accepts(function: Callable[[str], object], text: str) -> bool:
    try:
        function(text)
    except Exception:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=0.2, help="per round, per candidate")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    for type_name, corpus in (("postgresql", POSTGRESQL), ("mongodb", MONGODB), ("redis", REDIS)):
        run(type_name, corpus, args.seconds, args.rounds)


if __name__ == "__main__":
    main()
