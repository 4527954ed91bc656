"""connect and check against the harness's real PostgreSQL (SCRAM, TLS)."""

from __future__ import annotations

import os
import socket
import stat

import pytest

import connectors
from connectors.postgresql import client as postgresql_client
from connectors.resource import Resource
from connectors.testing.process import free_port

pytestmark = pytest.mark.live


def with_value(resource: Resource, **changes) -> Resource:
    return Resource("postgresql", {**resource.value, **changes})


def test_connect(live_postgresql):
    with connectors.connect(live_postgresql) as conn:
        assert conn.execute("SELECT 1 + 1").fetchone() == (2,)
        assert conn.info.user == live_postgresql.value["user"]


def test_connect_through_the_parsed_string(live_postgresql):
    text = connectors.to_connection_string(live_postgresql)
    with connectors.connect(connectors.parse(text)) as conn:
        assert conn.execute("SELECT current_database()").fetchone() == ("postgres",)


def test_scram_authentication(live_postgresql):
    with connectors.connect(live_postgresql) as conn:
        assert conn.execute("SHOW password_encryption").fetchone() == ("scram-sha-256",)
        stored = conn.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = current_user"
        ).fetchone()[0]
        assert stored.startswith("SCRAM-SHA-256$")
    # SCRAM-SHA-256-PLUS (channel binding) over TLS
    bound = with_value(live_postgresql, sslmode="require", channel_binding="require")
    with connectors.connect(bound) as conn:
        assert conn.pgconn.ssl_in_use


def test_check_ok(live_postgresql):
    result = connectors.check(live_postgresql, timeout=20)
    assert result.ok, result.to_dict()
    assert [s.name for s in result.steps] == ["tcp", "authentication", "query", "server version"]
    assert result.server_version and result.server_version[0].isdigit()
    assert result.steps[2].detail == "SELECT 1 returned 1"


def test_check_tls(live_postgresql_tls):
    result = connectors.check(live_postgresql_tls, timeout=20)
    assert result.ok, result.to_dict()
    names = [s.name for s in result.steps]
    assert names == ["tcp", "tls", "authentication", "query", "server version"]
    assert "certificate verified" in result.steps[1].detail


def test_check_tls_untrusted_certificate(live_postgresql_tls):
    untrusted = with_value(live_postgresql_tls, root_certificate_pem="")
    result = connectors.check(untrusted, timeout=20)
    assert not result.ok
    assert result.failed_step.name == "tls"
    assert "root certificate" in result.failed_step.detail


def test_check_wrong_password(live_postgresql):
    wrong = with_value(live_postgresql, password="not-the-password-123")
    result = connectors.check(wrong, timeout=20)
    assert not result.ok
    step = result.failed_step
    assert step.name == "authentication"
    assert "wrong password" in step.detail
    assert "not-the-password-123" not in str(result.to_dict())


def test_check_unreachable_port(live_postgresql):
    closed = with_value(live_postgresql, port=free_port())
    result = connectors.check(closed, timeout=5)
    assert not result.ok
    assert result.failed_step.name == "tcp"
    assert "refused" in result.failed_step.detail
    assert len(result.steps) == 1


def test_check_unknown_database(live_postgresql):
    missing = with_value(live_postgresql, dbname="no_such_database_xyz")
    result = connectors.check(missing, timeout=20)
    assert result.failed_step.name == "authentication"
    assert "unknown database 'no_such_database_xyz'" in result.failed_step.detail


def test_check_timeout_on_a_silent_server(live_postgresql):
    # a real listening socket that never speaks: the login must give up at the deadline
    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        result = connectors.check(with_value(live_postgresql, port=port), timeout=2)
    assert not result.ok
    assert result.steps[0].ok  # tcp connects
    assert result.failed_step.name == "authentication"
    assert "no answer within the 2 s timeout" in result.failed_step.detail


def test_tls_with_root_certificate_pem_and_private_temp_file(live_postgresql_tls, monkeypatch):
    created = []
    original = postgresql_client.tempfile.mkstemp

    def recording_mkstemp(*args, **kwargs):
        fd, path = original(*args, **kwargs)
        created.append(path)
        return fd, path

    seen_modes = []
    original_connect = __import__("psycopg").connect

    def spying_connect(*args, **kwargs):
        seen_modes.append(stat.S_IMODE(os.stat(kwargs["sslrootcert"]).st_mode))
        return original_connect(*args, **kwargs)

    monkeypatch.setattr(postgresql_client.tempfile, "mkstemp", recording_mkstemp)
    monkeypatch.setattr("psycopg.connect", spying_connect)
    with connectors.connect(live_postgresql_tls) as conn:
        assert conn.pgconn.ssl_in_use
        assert conn.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone()[
            0
        ]
    assert seen_modes == [0o600]
    assert len(created) == 1 and not os.path.exists(created[0])
    # the file is removed when the connection fails, too
    with pytest.raises(Exception, match="password authentication failed"):
        connectors.connect(with_value(live_postgresql_tls, password="wrong-password-x"))
    assert len(created) == 2 and not os.path.exists(created[1])


# A server that offers no TLS at all (ssl=off): what each sslmode does.


def test_check_require_against_a_server_without_tls(live_postgresql_plain):
    result = connectors.check(with_value(live_postgresql_plain, sslmode="require"), timeout=20)
    assert not result.ok
    assert [s.name for s in result.steps] == ["tcp", "tls"]
    assert result.failed_step.detail == (
        "the server does not offer TLS, but sslmode=require requires it"
    )


def test_check_verify_full_against_a_server_without_tls(live_postgresql_plain, live_postgresql_tls):
    pem = live_postgresql_tls.value["root_certificate_pem"]
    strict = with_value(live_postgresql_plain, sslmode="verify-full", root_certificate_pem=pem)
    result = connectors.check(strict, timeout=20)
    assert result.failed_step.name == "tls"
    assert "does not offer TLS, but sslmode=verify-full requires it" in result.failed_step.detail


def test_check_prefer_falls_back_and_says_so(live_postgresql_plain):
    assert live_postgresql_plain.value["sslmode"] == "prefer"
    result = connectors.check(live_postgresql_plain, timeout=20)
    assert result.ok, result.to_dict()
    assert [s.name for s in result.steps] == ["tcp", "authentication", "query", "server version"]
    assert result.steps[1].detail == (
        "as connectors to database postgres, TLS not used: the server does not offer it "
        "(sslmode=prefer)"
    )


def test_check_prefer_uses_tls_when_offered(live_postgresql):
    result = connectors.check(live_postgresql, timeout=20)
    assert result.ok, result.to_dict()
    assert result.steps[1].detail == "as connectors to database postgres, over TLS"


def test_check_disable_against_a_server_without_tls(live_postgresql_plain):
    result = connectors.check(with_value(live_postgresql_plain, sslmode="disable"), timeout=20)
    assert result.ok, result.to_dict()
    assert "tls" not in [s.name for s in result.steps]
    assert result.steps[1].detail.endswith("TLS not used (sslmode=disable)")
    with connectors.connect(with_value(live_postgresql_plain, sslmode="disable")) as conn:
        assert not conn.pgconn.ssl_in_use
        assert conn.execute("SHOW ssl").fetchone() == ("off",)
