"""The upstash_redis connector against the Upstash REST protocol (test front over redis-server)."""

from __future__ import annotations

import dataclasses

import pytest

import connectors
from connectors.testing.process import free_port
from connectors.upstash_redis.driver import make_client

pytestmark = pytest.mark.live
upstash_redis = pytest.importorskip("upstash_redis")
OPTIONS = {"rest_retries": 0, "allow_telemetry": False}


def test_connect_is_an_upstash_client(live_upstash_redis):
    client = connectors.connect(live_upstash_redis)
    assert isinstance(client, upstash_redis.Redis)


@pytest.mark.parametrize("encoding", ["base64", None])
def test_commands(fresh_upstash_redis, encoding):
    client = make_client(fresh_upstash_redis.value, rest_encoding=encoding, **OPTIONS)
    assert client.set("greeting", "héllo wörld", ex=60) is True
    assert client.get("greeting") == "héllo wörld"
    assert client.incr("n") == 1
    assert client.hset("h", values={"a": "1", "b": "two"}) == 2
    assert client.hgetall("h") == {"a": "1", "b": "two"}
    assert client.mget("greeting", "missing") == ["héllo wörld", None]


def test_pipeline_and_multi_exec(fresh_upstash_redis):
    client = make_client(fresh_upstash_redis.value, **OPTIONS)
    pipe = client.pipeline()
    pipe.set("a", "1")
    pipe.incr("a")
    assert pipe.exec() == [True, 2]
    tx = client.multi()
    tx.incr("a")
    tx.get("a")
    assert tx.exec() == [3, "3"]


def test_wrong_token_is_an_error(live_upstash_redis):
    wrong = {**live_upstash_redis.value, "token": "wrong-token"}
    with pytest.raises(upstash_redis.errors.UpstashError):
        make_client(wrong, **OPTIONS).get("k")


def test_native_string_round_trip(live_upstash_redis):
    text = connectors.to_connection_string(live_upstash_redis)
    again = connectors.parse(text, type="upstash_redis")
    assert again.value == live_upstash_redis.value
    assert make_client(again.value, **OPTIONS).ping() == "PONG"


def test_check_ok(live_upstash_redis):
    result = connectors.check(live_upstash_redis, timeout=10)
    assert result.ok, result.to_dict()
    assert [s.name for s in result.steps] == ["tcp", "authentication", "server version"]
    info = make_client(live_upstash_redis.value, **OPTIONS).execute(["INFO", "server"])
    assert f"redis_version:{result.server_version}" in info
    assert result.steps[1].detail == "PING: PONG"


def test_check_wrong_token(live_upstash_redis):
    wrong = dataclasses.replace(
        live_upstash_redis, value={**live_upstash_redis.value, "token": "wrong-token-123"}
    )
    result = connectors.check(wrong, timeout=10)
    assert [(s.name, s.ok) for s in result.steps] == [("tcp", True), ("authentication", False)]
    assert "token was rejected (HTTP 401)" in result.steps[1].detail
    assert "wrong-token-123" not in result.steps[1].detail


def test_check_unreachable():
    r = connectors.parse(f"http://127.0.0.1:{free_port()} tok", type="upstash_redis")
    result = connectors.check(r, timeout=5)
    assert [(s.name, s.ok) for s in result.steps] == [("tcp", False)]
    assert "connection refused" in result.steps[0].detail
