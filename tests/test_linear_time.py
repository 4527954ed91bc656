"""Linear time on every input (issue 19 item 2): 1 MB of each shape that was superlinear, parsed
and printed by ``connectors parse -`` well within a second of CPU.

CPU time of this process (``time.process_time``), not wall time: the bound is about the
algorithm (a quadratic expression takes minutes on 1 MB), not about a loaded machine.
"""

from __future__ import annotations

import io
import sys
import time

import pytest

from connectors.cli import main

N = 1_000_000
SHAPES = {
    "s3 host, many empty labels": "https://b" + "." * N + "s3.amazonaws.com/key",
    "s3 endpoint, many empty labels": "http://minio" + "." * N + ":9000/bucket",
    "url password": "postgresql://u:" + "p" * N + "@h/db",
    "url password, no host": "postgresql://u:" + "p" * N,
    "a scheme-like run": "a" * N + "://x",
    "KEY=value block": "AWS_ACCESS_KEY_ID=" + "A" * N + "\nAWS_SECRET_ACCESS_KEY=x",
    "KEY= then spaces": "A=" + " B" * (N // 2),
    "long host": "redis://" + "h" * N + ":6379",
    "long query": "mongodb://h/?" + "a=1&" * (N // 4),
    "azure pairs": "AccountName=a;" + "x=y;" * (N // 4),
    "jdbc parameters": "jdbc:postgresql://h/db?" + "a=b&" * (N // 4),
    "libpq keywords": "host=h " + "a=b " * (N // 4),
    "percent escapes": "redis://:" + "%41" * (N // 3) + "@h",
}


@pytest.mark.parametrize("text", SHAPES.values(), ids=SHAPES.keys())
def test_a_megabyte_parses_and_prints_in_linear_time(text):
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
    assert spent < 1.0, f"{spent:.2f} s of CPU"


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
