"""connectors.parse vs redis-py's redis.connection.parse_url on the same Redis URLs, one run.

    .venv/bin/python benchmarks/bench_parse_redis.py

parse_url returns connection keyword arguments; connectors.parse returns a full Resource (value,
provider, notes, type detection among every registered connector). Both are timed on the same
strings in the same process; the table prints microseconds per call and the ratio.
"""

from __future__ import annotations

import timeit

from redis.connection import parse_url

import connectors
from connectors.redis.parser import parse_redis_url

URLS = {
    "plain": "redis://localhost:6379/0",
    "auth + db": "redis://default:s3cr%40t@cache.example.com:6380/2",
    "tls + options": "rediss://u:p@h.example.com:6380/1?ssl_cert_reqs=none&socket_timeout=5"
    "&protocol=3&health_check_interval=30",
    "ipv6": "redis://:pw@[2001:db8::1]:6379?db=3",
    "unix": "unix:///run/redis/redis.sock?db=2",
}


def per_call_us(function, text, number):
    best = min(timeit.repeat(lambda: function(text), number=number, repeat=5))
    return best / number * 1e6


def main():
    number = 2000
    connectors.parse(URLS["plain"])  # load the plugins once, outside the timing
    rows = []
    for label, url in URLS.items():
        oracle = per_call_us(parse_url, url, number)
        parser = per_call_us(parse_redis_url, url, number)
        full = per_call_us(lambda text: connectors.parse(text, type="redis"), url, number)
        detect = per_call_us(connectors.parse, url, number)
        rows.append((label, oracle, parser, full, detect))
    header = ("string", "redis-py µs", "parser µs", "ratio", "parse(type=) µs", "ratio",
              "parse() µs", "ratio")  # fmt: skip
    print(" | ".join(f"{h:>15}" for h in header))
    for label, oracle, parser, full, detect in rows:
        cells = [label, f"{oracle:.2f}"]
        for measured in (parser, full, detect):
            cells += [f"{measured:.2f}", f"{measured / oracle:.2f}x"]
        print(" | ".join(f"{c:>15}" for c in cells))


if __name__ == "__main__":
    main()
