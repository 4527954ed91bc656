"""The redis and upstash_redis hub scripts, run with load_script against live servers.

The same behaviour is asserted for both types: each script is called with the resource value,
as Windmill would call it.
"""

from __future__ import annotations

import ast
import contextlib
from pathlib import Path

import pytest

from connectors.hub.loader import load_script, script_path

pytestmark = pytest.mark.live
pytest.importorskip("redis")
pytest.importorskip("upstash_redis")

COMMON = ["get", "set", "delete", "scan_keys", "hget", "hset", "increment", "publish"]
DRIVER = {"redis": "redis", "upstash_redis": "upstash_redis"}


@pytest.fixture(params=["redis", "upstash_redis"])
def target(request):
    """(type name, fresh resource) for each connector."""
    return request.param, request.getfixturevalue(f"fresh_{request.param}")


def run(target, script, **kwargs):
    type_name, resource = target
    return load_script(type_name, script).main(resource.value, **kwargs)


@pytest.mark.parametrize("type_name", ["redis", "upstash_redis"])
@pytest.mark.parametrize("script", COMMON)
def test_scripts_are_standalone(type_name, script):
    """Each script imports only its driver (and the standard library)."""
    tree = ast.parse(Path(script_path(type_name, script)).read_text())
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported - {"typing", "time"} == {DRIVER[type_name]}
    classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    assert classes == [type_name]


def test_set_get_ttl_delete(target):
    assert run(target, "get", key="k") is None
    out = run(target, "set", key="k", value="v é", ttl_seconds=100)
    assert out["written"] is True and 0 < out["ttl_seconds"] <= 100
    assert run(target, "get", key="k") == "v é"
    assert run(target, "set", key="k", value="x", only_if="absent")["written"] is False
    assert run(target, "set", key="k", value="w", only_if="present")["ttl_seconds"] == -1
    assert run(target, "get", key="k") == "w"
    assert run(target, "delete", keys=["k", "missing"]) == {"deleted": 1}
    assert run(target, "delete", keys=[]) == {"deleted": 0}
    with pytest.raises(ValueError):
        run(target, "set", key="k", value="v", only_if="sometimes")


def test_scan_keys_pattern_and_limit(target):
    for i in range(25):
        run(target, "set", key=f"user:{i:02d}", value="1")
    run(target, "set", key="other", value="1")
    run(target, "hset", key="user:hash", values={"a": 1})
    found = run(target, "scan_keys", pattern="user:*")
    assert found == {
        "keys": sorted([f"user:{i:02d}" for i in range(25)] + ["user:hash"]),
        "truncated": False,
    }
    limited = run(target, "scan_keys", pattern="user:*", limit=5)
    assert len(limited["keys"]) == 5 and limited["truncated"] is True
    typed = run(target, "scan_keys", pattern="user:*", key_type="hash")
    assert typed["keys"] == ["user:hash"]


def test_hash_get_set(target):
    out = run(target, "hset", key="h", values={"name": "Ada", "age": 36}, ttl_seconds=50)
    assert out == {"key": "h", "added": 2, "updated": 0}
    assert run(target, "hset", key="h", values={"age": 37})["updated"] == 1
    assert run(target, "hget", key="h") == {"name": "Ada", "age": "37"}
    assert run(target, "hget", key="h", fields=["name", "nope"]) == {"name": "Ada", "nope": None}


def test_increment_with_ttl(target):
    assert run(target, "increment", key="c") == 1
    assert run(target, "increment", key="c", amount=41, ttl_seconds=30) == 42
    assert run(target, "increment", key="c", amount=-2) == 40


def test_publish_reaches_a_subscriber(target, live_redis):
    type_name, resource = target
    if type_name == "upstash_redis":
        # The REST front sits on its own redis-server: publish with nobody listening.
        assert run(target, "publish", channel="news", message="hi") == {
            "channel": "news",
            "receivers": 0,
        }
        return
    with contextlib.closing(load_script("redis", "get")._client(resource.value)) as client:
        pubsub = client.pubsub()
        pubsub.subscribe("news")
        assert pubsub.get_message(timeout=5)["type"] == "subscribe"
        assert run(target, "publish", channel="news", message='{"a": 1}')["receivers"] == 1
        message = pubsub.get_message(timeout=5)
        assert message["data"] == '{"a": 1}'
        pubsub.close()


def test_rate_limiter(fresh_upstash_redis):
    limiter = load_script("upstash_redis", "rate_limit").main

    def hit(identifier):  # an hour-long window: the five hits cannot straddle two windows
        return limiter(
            fresh_upstash_redis.value, identifier=identifier, limit=3, window_seconds=3600
        )

    results = [hit("ip-1") for _ in range(5)]
    assert [r["allowed"] for r in results] == [True, True, True, False, False]
    assert [r["remaining"] for r in results] == [2, 1, 0, 0, 0]
    assert results[-1]["retry_after_seconds"] >= 1
    assert hit("ip-2")["count"] == 1
    with pytest.raises(ValueError):
        limiter(fresh_upstash_redis.value, identifier="x", limit=0)
