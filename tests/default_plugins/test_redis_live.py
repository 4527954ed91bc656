"""The redis connector against a real redis-server with requirepass on."""

from __future__ import annotations

import contextlib
import dataclasses

import pytest

import connectors
from connectors.testing.process import free_port

pytestmark = pytest.mark.live
redis = pytest.importorskip("redis")


def _with(resource, **changes):
    return dataclasses.replace(resource, value={**resource.value, **changes})


def test_connect_round_trip(fresh_redis):
    with contextlib.closing(connectors.connect(fresh_redis)) as client:
        assert client.set("greeting", "héllo", ex=60) is True
        assert client.get("greeting") == "héllo".encode()
        assert 0 < client.ttl("greeting") <= 60


def test_connection_string_with_awkward_password_works_in_redis_py(fresh_redis):
    url = connectors.to_connection_string(fresh_redis)
    assert connectors.parse(url).value == fresh_redis.value
    with contextlib.closing(redis.Redis.from_url(url)) as client:  # the oracle, live
        assert client.ping() is True
    with contextlib.closing(connectors.connect(connectors.parse(url))) as client:
        assert client.ping() is True


def test_db_and_client_options(fresh_redis):
    other = _with(fresh_redis, db=3, decode_responses=True, client_name="connectors-test")
    with contextlib.closing(connectors.connect(other)) as client:
        client.set("k", "in db 3")
        assert client.get("k") == "in db 3"
        assert client.client_getname() == "connectors-test"
    with contextlib.closing(connectors.connect(fresh_redis)) as client:
        assert client.get("k") is None


def test_check_ok(live_redis):
    result = connectors.check(live_redis, timeout=10)
    assert result.ok, result.to_dict()
    assert [s.name for s in result.steps] == ["tcp", "authentication", "ping", "server version"]
    with contextlib.closing(connectors.connect(live_redis)) as client:
        assert result.server_version == client.info("server")["redis_version"]
    assert result.steps[1].detail == "authenticated as default"
    assert result.steps[3].detail.startswith(f"redis {result.server_version}")


def test_check_wrong_password(live_redis):
    wrong = _with(live_redis, password="not-the-password")
    result = connectors.check(wrong, timeout=10)
    assert not result.ok
    assert [(s.name, s.ok) for s in result.steps] == [("tcp", True), ("authentication", False)]
    detail = result.steps[1].detail
    assert "wrong password" in detail
    assert "not-the-password" not in detail


def test_check_missing_password(live_redis):
    result = connectors.check(_with(live_redis, password=""), timeout=10)
    assert result.failed_step.name == "authentication"
    assert "requires a password" in result.failed_step.detail


def test_check_unreachable_server():
    port = free_port()
    result = connectors.check(connectors.parse(f"redis://:pw@127.0.0.1:{port}/0"), timeout=5)
    assert not result.ok
    assert [(s.name, s.ok) for s in result.steps] == [("tcp", False)]
    assert "connection refused" in result.steps[0].detail


def test_check_database_out_of_range(live_redis):
    result = connectors.check(_with(live_redis, db=999), timeout=10)
    assert result.failed_step.name == "authentication"
    assert "database 999 does not exist" in result.failed_step.detail


def test_check_tls_against_plain_server(live_redis):
    result = connectors.check(_with(live_redis, tls=True, ssl_cert_reqs="none"), timeout=5)
    assert result.failed_step.name == "authentication"
    assert live_redis.value["password"] not in result.failed_step.detail
