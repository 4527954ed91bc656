"""MongoDB: SecantusDB (a MongoDB-compatible server in Python) with SCRAM-SHA-256 required."""

from __future__ import annotations

import contextlib
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from connectors.testing.process import free_port, running, spawn, wait_until, workdir
from connectors.testing.secrets import PASSWORD, USERNAME
from connectors.testing.servers import Products, require_module
from connectors.testing.tls import ServerCertificate, make_server_certificate

if TYPE_CHECKING:
    from connectors.testing.factory import ServerFactory


def value_for(host: str, port: int) -> dict[str, Any]:
    """The Windmill-shaped value: the ``connectors`` user of ``admin``, SCRAM-SHA-256."""
    return {
        "db": "test",
        "tls": False,
        "servers": [{"host": host, "port": port}],
        "credential": {
            "username": USERNAME,
            "password": PASSWORD,
            "db": "admin",
            "mechanism": "SCRAM-SHA-256",
        },
    }


@contextlib.contextmanager
def local(root: Path) -> Iterator[Products]:
    """``secantusd-py`` in a subprocess with SCRAM-SHA-256 required: ``mongodb``."""
    with _server("connectors-mongodb-", None) as value:
        yield {"mongodb": value}


@contextlib.contextmanager
def tls(root: Path) -> Iterator[Products]:
    """A second SecantusDB that wraps every connection in TLS: ``mongodb_tls``.

    Its certificate is signed by a throwaway CA (``connectors.testing.tls``); the value points
    ``options.tlsCAFile`` at that CA's PEM file, which lives as long as the server.
    """
    with _server("connectors-mongodb-tls-", make_server_certificate()) as value:
        yield {"mongodb_tls": value}


@contextlib.contextmanager
def _server(prefix: str, cert: ServerCertificate | None) -> Iterator[dict[str, Any]]:
    """Provisioned without auth, then restarted with ``--auth`` on the same storage.

    SecantusDB has no localhost exception, so the user is created on a first run without auth
    and the server restarted (backends.md, MongoDB). Each stop takes ~2 s. With a certificate,
    both runs serve TLS only (``--tls-cert-file``/``--tls-key-file``).
    """
    require_module("pymongo", "mongodb")
    require_module("secantus", "test")
    with workdir(prefix) as base:
        log = base / "secantus.log"
        flags: list[str] = []
        client_tls: dict[str, Any] = {}
        if cert is not None:
            for name, pem in (("ca", cert.ca_pem), ("server", cert.cert_pem)):
                (base / f"{name}.pem").write_text(pem, encoding="utf-8")
            key = base / "server.key"
            key.touch(0o600)
            key.write_text(cert.key_pem, encoding="utf-8")
            flags = ["--tls-cert-file", str(base / "server.pem"), "--tls-key-file", str(key)]
            client_tls = {"tls": True, "tlsCAFile": str(base / "ca.pem")}

        def serve(*more: str) -> Any:
            port = free_port()
            cmd = [
                sys.executable, "-m", "secantus", "--host", "127.0.0.1", "--port", str(port),
                "--storage-path", str(base / "data"), "--log-level", "WARNING", *flags, *more,
            ]  # fmt: skip
            return port, spawn(cmd, log, cwd=base)

        port, proc = serve()
        with running(proc):
            admin = _client([f"127.0.0.1:{port}"], directConnection=True, **client_tls)
            with contextlib.closing(admin):
                wait_until(
                    lambda: admin.admin.command("ping"), what="secantusd", proc=proc, log=log
                )
                admin.admin.command(
                    "createUser", USERNAME, pwd=PASSWORD, roles=["root"],
                    mechanisms=["SCRAM-SHA-1", "SCRAM-SHA-256"],
                )  # fmt: skip
        port, proc = serve("--auth")
        with running(proc):
            value = value_for("127.0.0.1", port)
            if cert is not None:
                value["tls"] = True
                value["options"] = {"tlsCAFile": client_tls["tlsCAFile"]}
            wait_until(lambda: _ping(value), what="secantusd --auth", proc=proc, log=log)
            yield value


@contextlib.contextmanager
def container() -> Iterator[Products]:
    """The official image through testcontainers, with the same root user."""
    require_module("pymongo", "mongodb")
    from testcontainers.community.mongodb import MongoDbContainer

    with MongoDbContainer("mongo:7", username=USERNAME, password=PASSWORD) as mc:
        value = value_for(mc.get_container_host_ip(), int(mc.get_exposed_port(27017)))
        wait_until(lambda: _ping(value), what="mongodb container")
        yield {"mongodb": value}


@contextlib.contextmanager
def fresh(value: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A new database name in ``value["db"]``, dropped afterwards."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    try:
        yield {**value, "db": name}
    finally:
        with contextlib.closing(client(value)) as conn:
            conn.drop_database(name)


def client(value: dict[str, Any]) -> Any:
    """A pymongo client from a Windmill value."""
    hosts = [f"{s['host']}:{s.get('port') or 27017}" for s in value["servers"]]
    credential = value.get("credential") or {}
    auth: dict[str, Any] = {}
    if credential.get("username"):
        auth = {
            "username": credential["username"],
            "password": credential.get("password"),
            "authSource": credential.get("db") or "admin",
            "authMechanism": credential.get("mechanism") or "DEFAULT",
        }
    options = value.get("options") or {}
    tls = {key: val for key, val in options.items() if key.startswith("tls")}
    return _client(hosts, tls=bool(value.get("tls")), **tls, **auth)


def _client(hosts: list[str], **kwargs: Any) -> Any:
    import pymongo

    return pymongo.MongoClient(hosts, serverSelectionTimeoutMS=5000, **kwargs)


def _ping(value: dict[str, Any]) -> None:
    with contextlib.closing(client(value)) as conn:
        conn.admin.command("ping")


def add_services(factory: ServerFactory) -> None:
    """Offer this type's live servers to the session's ServerFactory."""
    factory.add_service("mongodb", "mongodb", local, container=container, fresh=fresh)
    factory.add_service("mongodb_tls", "mongodb", tls, fresh=fresh)
