"""The mongodb connector against a real server (SecantusDB, SCRAM-SHA-256 required)."""

from __future__ import annotations

import copy

import pytest

import connectors
from connectors.resource import Resource
from connectors.testing.secrets import PASSWORD
from connectors.testing.tls import make_server_certificate

pytestmark = pytest.mark.live


def _with(resource: Resource, **changes: object) -> Resource:
    value = copy.deepcopy(resource.value)
    value.update(changes)
    return Resource("mongodb", value)


def test_check_passes_every_step(live_mongodb: Resource) -> None:
    result = connectors.check(live_mongodb, timeout=10)
    assert result.ok, result.to_dict()
    names = [step.name for step in result.steps]
    assert names == ["tcp", "hello", "authentication", "ping", "server version"]
    assert result.server_version and result.server_version[0].isdigit()
    assert "authenticated as connectors@admin" in result.steps[2].detail


def test_wrong_password_fails_at_authentication(live_mongodb: Resource) -> None:
    value = copy.deepcopy(live_mongodb.value)
    value["credential"]["password"] = "not-the-password"
    result = connectors.check(Resource("mongodb", value), timeout=10)
    assert not result.ok
    failed = result.failed_step
    assert failed is not None and failed.name == "authentication"
    assert "authentication failed for user 'connectors'" in failed.detail
    assert "code 18" in failed.detail
    assert [step.name for step in result.steps] == ["tcp", "hello", "authentication"]
    assert "not-the-password" not in str(result.to_dict())


def test_unreachable_server_fails_at_tcp(live_mongodb: Resource) -> None:
    unreachable = _with(live_mongodb, servers=[{"host": "127.0.0.1", "port": 1}])
    result = connectors.check(unreachable, timeout=5)
    assert not result.ok
    assert [step.name for step in result.steps] == ["tcp"]
    assert "connection refused by 127.0.0.1:1" in result.steps[0].detail


def test_tls_against_a_plain_server_fails_at_tls(live_mongodb: Resource) -> None:
    result = connectors.check(_with(live_mongodb, tls=True), timeout=1.5)
    assert not result.ok
    assert result.failed_step is not None and result.failed_step.name == "tls"
    assert "TLS" in result.failed_step.detail


def test_parsed_connection_string_connects(live_mongodb: Resource) -> None:
    text = connectors.to_connection_string(live_mongodb)
    assert PASSWORD not in repr(connectors.parse(text))
    parsed = connectors.parse(text)
    assert parsed == live_mongodb
    client = connectors.connect(parsed)
    try:
        assert client.admin.command("ping")["ok"] == 1
    finally:
        client.close()


def test_connect_reads_and_writes(fresh_mongodb: Resource) -> None:
    client = connectors.connect(fresh_mongodb)
    try:
        database = client[fresh_mongodb.value["db"]]
        database.items.insert_one({"name": "a", "n": 1})
        assert database.items.find_one({"name": "a"}, {"_id": 0}) == {"name": "a", "n": 1}
    finally:
        client.close()


# TLS: a second SecantusDB that wraps every connection in TLS (a certificate from a test CA).


def test_tls_check_passes_every_step(live_mongodb_tls: Resource) -> None:
    assert live_mongodb_tls.value["tls"] is True
    assert live_mongodb_tls.value["options"]["tlsCAFile"].endswith("ca.pem")
    result = connectors.check(live_mongodb_tls, timeout=10)
    assert result.ok, result.to_dict()
    names = [step.name for step in result.steps]
    assert names == ["tcp", "tls", "hello", "authentication", "ping", "server version"]
    assert result.steps[1].detail.startswith("TLSv1.")


def test_tls_connect_through_the_connection_string(live_mongodb_tls: Resource) -> None:
    text = connectors.to_connection_string(live_mongodb_tls)
    assert "tlsCAFile=" in text
    parsed = connectors.parse(text)
    assert parsed == live_mongodb_tls and parsed.value["tls"] is True
    client = connectors.connect(parsed)
    try:
        collection = client[live_mongodb_tls.value["db"]].tls_items
        collection.insert_one({"over": "tls"})
        assert collection.find_one({}, {"_id": 0}) == {"over": "tls"}
        collection.drop()
    finally:
        client.close()


def test_tls_with_a_wrong_ca_fails_at_tls(live_mongodb_tls: Resource, tmp_path) -> None:
    other_ca = tmp_path / "other-ca.pem"
    other_ca.write_text(make_server_certificate().ca_pem)
    wrong = _with(live_mongodb_tls, options={"tlsCAFile": str(other_ca)})
    result = connectors.check(wrong, timeout=5)
    assert not result.ok
    assert [step.name for step in result.steps] == ["tcp", "tls"]
    assert result.failed_step.detail.startswith("server certificate rejected: ")


def test_plain_client_against_a_tls_server_fails_at_hello(live_mongodb_tls: Resource) -> None:
    plain = _with(live_mongodb_tls, tls=False, options={})
    result = connectors.check(plain, timeout=2)
    assert not result.ok
    assert [step.name for step in result.steps] == ["tcp", "hello"]
    # pymongo's own error comes 0.1 s before the check's deadline; on a loaded machine the
    # deadline can come first, and says so
    detail = result.failed_step.detail
    assert "no server could be selected" in detail or detail == "no answer within the 2 s timeout"
