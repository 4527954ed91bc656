"""The redis connector over TLS (a private CA) and over a unix socket, against redis-server."""

from __future__ import annotations

import contextlib

import pytest

import connectors
from connectors.redis.testing import executable
from connectors.testing import own_server
from connectors.testing.process import free_port, running, spawn, wait_until, workdir
from connectors.testing.secrets import PASSWORD
from connectors.testing.tls import make_server_certificate

pytestmark = pytest.mark.live
pytest.importorskip("redis")


@pytest.fixture(scope="module")
def tls_server():
    """redis-server: requirepass, TLS on TCP, a unix socket -> (port, socket, CA pem, CA path)."""
    certificate = make_server_certificate()
    with own_server("redis (tls)"), workdir("connectors-redis-tls-") as base:
        for name, pem in (("ca", certificate.ca_pem), ("cert", certificate.cert_pem),
                          ("key", certificate.key_pem)):  # fmt: skip
            (base / f"{name}.pem").write_text(pem)
        port, sock = free_port(), base / "redis.sock"
        cmd = [
            executable(), "--port", "0", "--tls-port", str(port), "--bind", "127.0.0.1",
            "--tls-cert-file", str(base / "cert.pem"), "--tls-key-file", str(base / "key.pem"),
            "--tls-ca-cert-file", str(base / "ca.pem"), "--tls-auth-clients", "no",
            "--unixsocket", str(sock), "--unixsocketperm", "700", "--requirepass", PASSWORD,
            "--save", "", "--appendonly", "no", "--dir", str(base),
        ]  # fmt: skip
        proc = spawn(cmd, base / "redis.log", cwd=base)
        with running(proc):
            wait_until(sock.stat, what="redis-server (tls)", proc=proc, log=base / "redis.log")
            yield port, str(sock), certificate.ca_pem, str(base / "ca.pem")


def _tls(port, **fields):
    value = {"host": "127.0.0.1", "port": port, "db": 0, "username": "", "password": PASSWORD}
    return connectors.Resource("redis", {**value, "tls": True, **fields})


def test_tls_with_ca_pem_content(tls_server):
    port, _, ca_pem, _ = tls_server
    r = _tls(port, ssl_ca_data=ca_pem)
    result = connectors.check(r, timeout=10)
    assert result.ok, result.to_dict()
    with contextlib.closing(connectors.connect(r)) as client:
        assert client.set("k", "over tls") and client.get("k") == b"over tls"


def test_tls_with_ca_path_from_a_url(tls_server):
    port, _, _, ca_path = tls_server
    r = connectors.parse(connectors.to_connection_string(_tls(port, ssl_ca_certs=ca_path)))
    assert r.value["ssl_ca_certs"] == ca_path
    assert connectors.check(r, timeout=10).ok


def test_untrusted_certificate_is_a_tls_failure(tls_server):
    port = tls_server[0]
    result = connectors.check(_tls(port), timeout=10)
    assert [(s.name, s.ok) for s in result.steps] == [("tcp", True), ("authentication", False)]
    assert "TLS failed" in result.steps[1].detail


def test_cert_reqs_none_connects_and_says_so(tls_server):
    r = connectors.parse(connectors.to_connection_string(_tls(tls_server[0], ssl_cert_reqs="none")))
    assert any("not checked" in note for note in r.notes)
    assert connectors.check(r, timeout=10).ok


def test_plain_client_against_tls_port_fails_at_authentication(tls_server):
    r = _tls(tls_server[0], tls=False)
    result = connectors.check(r, timeout=3)
    assert result.failed_step.name == "authentication"


def test_unix_socket(tls_server):
    _, sock, _, _ = tls_server
    r = connectors.parse(connectors.to_connection_string(
        connectors.Resource("redis", {"unix_socket_path": sock, "db": 1, "username": "",
                                      "password": PASSWORD, "tls": False})))  # fmt: skip
    result = connectors.check(r, timeout=10)
    assert result.ok, result.to_dict()
    assert result.steps[0].name == "unix socket"
    with contextlib.closing(connectors.connect(r)) as client:
        assert client.incr("n") == 1


def test_missing_unix_socket():
    r = connectors.parse("unix:///nonexistent/redis.sock")
    result = connectors.check(r, timeout=3)
    assert [(s.name, s.ok) for s in result.steps] == [("unix socket", False)]
    assert "no socket" in result.steps[0].detail
