"""Linear time on every input (issue 19 item 2): each shape that was superlinear, parsed and
printed by ``connectors parse -`` at 1/8 MB and at 1 MB, takes at most 3 times 8 times as long
at the larger size (a quadratic pass takes 64 times as long).

A comparison of growth, not a time limit: CPU time of this process (``time.process_time``),
the better of two runs at each size, so a loaded machine slows both sizes alike.
docs/reliability.md has the times measured at 1 MB.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable

import pytest

from connectors.cli import main

N = 1_000_000
GROWTH = 8  # the larger input is this many times the smaller
SLACK = 3  # linear growth, with room for noise and for caches a larger input misses
SHAPES: dict[str, Callable[[int], str]] = {
    "s3 host, many empty labels": lambda n: "https://b" + "." * n + "s3.amazonaws.com/key",
    "s3 endpoint, many empty labels": lambda n: "http://minio" + "." * n + ":9000/bucket",
    "url password": lambda n: "postgresql://u:" + "p" * n + "@h/db",
    "url password, no host": lambda n: "postgresql://u:" + "p" * n,
    "a scheme-like run": lambda n: "a" * n + "://x",
    "KEY=value block": lambda n: "AWS_ACCESS_KEY_ID=" + "A" * n + "\nAWS_SECRET_ACCESS_KEY=x",
    "KEY= then spaces": lambda n: "A=" + " B" * (n // 2),
    "long host": lambda n: "redis://" + "h" * n + ":6379",
    "long query": lambda n: "mongodb://h/?" + "a=1&" * (n // 4),
    "azure pairs": lambda n: "AccountName=a;" + "x=y;" * (n // 4),
    "jdbc parameters": lambda n: "jdbc:postgresql://h/db?" + "a=b&" * (n // 4),
    "libpq keywords": lambda n: "host=h " + "a=b " * (n // 4),
    "percent escapes": lambda n: "redis://:" + "%41" * (n // 3) + "@h",
    "s3 path escapes": lambda n: "https://minio.local/b/" + "%41b" * (n // 4),
}


def parse_and_print(text: str) -> float:
    """CPU seconds ``connectors parse -`` takes on ``text`` (it must exit 0 or 2)."""
    old = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8")
    sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
    started = time.process_time()
    try:
        main(["parse", "-"])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        spent = time.process_time() - started
        err = sys.stderr.getvalue()
        sys.stdin, sys.stdout, sys.stderr = old
    assert code in (0, 2), err
    return spent


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_a_megabyte_takes_linear_time(shape):
    small, large = shape(N // GROWTH), shape(N)
    parse_and_print(small)  # imports and caches: not part of either size
    small_time = min(parse_and_print(small) for _ in range(2))
    large_time = min(parse_and_print(large) for _ in range(2))
    bound = SLACK * GROWTH * max(small_time, 0.005)  # below 5 ms the clock is too coarse
    assert large_time <= bound, (
        f"{len(large):,} characters took {large_time:.3f} s, "
        f"{len(small):,} took {small_time:.3f} s: more than linear"
    )


def test_beyond_the_maximum_input_size_is_a_clear_error():
    old = sys.stdin, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(b"x" * (2 << 20)), encoding="utf-8")
    sys.stderr = io.StringIO()
    try:
        with pytest.raises(SystemExit) as caught:
            main(["parse", "-"])
        err = sys.stderr.getvalue()
    finally:
        sys.stdin, sys.stderr = old
    assert caught.value.code == 2
    assert "input too long for a connection string" in err and "1,048,576" in err
