"""The check, the driver and the TLS probe against a real MariaDB (connectors.testing)."""

from __future__ import annotations

import dataclasses

import pytest

import connectors

pytestmark = pytest.mark.live


def test_check_passes_every_stage(live_mysql):
    result = connectors.check(live_mysql, timeout=15)
    assert result.ok, result.to_dict()
    assert [step.name for step in result.steps] == ["tcp", "authentication", "query"]
    assert "MariaDB" in result.server_version
    assert "offers TLS" in result.steps[0].detail


def test_check_over_verified_tls(live_mysql_tls):
    result = connectors.check(live_mysql_tls, timeout=15)
    assert result.ok, result.to_dict()
    assert [step.name for step in result.steps] == ["tcp", "tls", "authentication", "query"]
    assert "certificate verified for 127.0.0.1" in result.steps[1].detail
    assert result.steps[2].detail.endswith("over TLS")


def test_wrong_password_fails_authentication_without_showing_it(live_mysql):
    wrong = dataclasses.replace(live_mysql, value={**live_mysql.value, "password": "n0t-it!"})
    result = connectors.check(wrong, timeout=15)
    assert not result.ok
    assert result.failed_step.name == "authentication"
    assert "wrong user name or password" in result.failed_step.detail
    assert "n0t-it!" not in str(result.to_dict())


def test_untrusted_certificate_fails_tls(live_mysql_tls):
    from connectors.testing.tls import make_server_certificate

    other_ca = make_server_certificate().ca_pem
    value = {**live_mysql_tls.value, "root_certificate_pem": other_ca}
    result = connectors.check(connectors.Resource("mysql", value), timeout=15)
    assert not result.ok
    assert result.failed_step.name == "tls"
    assert "not trusted" in result.failed_step.detail


def test_unknown_database_is_named(live_mysql):
    value = {**live_mysql.value, "database": "no_such_db"}
    result = connectors.check(connectors.Resource("mysql", value), timeout=15)
    assert result.failed_step.name == "authentication"
    assert "unknown database 'no_such_db'" in result.failed_step.detail


def test_a_postgresql_port_is_not_taken_for_mysql(live_postgresql):
    value = {"host": "127.0.0.1", "port": live_postgresql.value["port"], "user": "x", "ssl": False}
    result = connectors.check(connectors.Resource("mysql", value), timeout=5)
    assert result.failed_step.name == "tcp"
    assert "did not answer like MySQL" in result.failed_step.detail or "no MySQL greeting" in (
        result.failed_step.detail
    )


def test_connect_round_trips_rows(fresh_mysql):
    with connectors.connect(fresh_mysql) as conn, conn.cursor() as cursor:
        cursor.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20))")
        cursor.execute("INSERT INTO t VALUES (%s, %s)", (1, "é"))
        cursor.execute("SELECT name FROM t WHERE id = %s", (1,))
        assert cursor.fetchone() == ("é",)


def test_parsed_url_of_the_live_server_connects(live_mysql):
    text = connectors.to_connection_string(live_mysql)
    parsed = connectors.parse(text)
    assert parsed.value == live_mysql.value
    assert connectors.check(parsed, timeout=15).ok
