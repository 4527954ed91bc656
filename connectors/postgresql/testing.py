"""PostgreSQL: the Debian binaries run as the ``postgres`` user, SCRAM over TCP, TLS on (or off)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from connectors.testing.process import (
    check_output,
    free_port,
    run_as,
    running,
    spawn,
    wait_until,
    workdir,
)
from connectors.testing.secrets import PASSWORD, USERNAME
from connectors.testing.servers import Products, ServerUnavailable, require_module
from connectors.testing.tls import ServerCertificate, make_server_certificate

if TYPE_CHECKING:
    from connectors.testing.factory import ServerFactory


def bindir() -> Path:
    """``$PG_BIN``, else the newest ``/usr/lib/postgresql/*/bin``, else ``postgres`` on PATH."""
    if os.environ.get("PG_BIN"):
        given = Path(os.environ["PG_BIN"])
        if not (given / "postgres").exists():
            raise ServerUnavailable(f"PostgreSQL binaries not found in {given} (PG_BIN)")
        return given
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/postgres"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    on_path = shutil.which("postgres")
    if on_path:
        return Path(on_path).resolve().parent
    raise ServerUnavailable("PostgreSQL binaries not found (apt-get install postgresql, or PG_BIN)")


@contextlib.contextmanager
def local(root: Path) -> Iterator[Products]:
    """initdb + postgres with TLS on: ``postgresql`` (sslmode prefer) and ``postgresql_tls``."""
    cert = make_server_certificate()
    with _server("connectors-pg-", cert) as value:
        tls = {**value, "sslmode": "verify-full", "root_certificate_pem": cert.ca_pem}
        yield {"postgresql": value, "postgresql_tls": tls}


@contextlib.contextmanager
def plain(root: Path) -> Iterator[Products]:
    """A second server from the same binaries with ``ssl=off``: ``postgresql_plain``."""
    with _server("connectors-pg-plain-", None) as value:
        yield {"postgresql_plain": value}


@contextlib.contextmanager
def _server(prefix: str, cert: ServerCertificate | None) -> Iterator[dict[str, Any]]:
    """initdb + postgres on a free port, TLS on when given a certificate.

    PostgreSQL refuses root, so as root it runs as ``postgres``.
    """
    require_module("psycopg", "postgresql")
    bin_ = bindir()
    owner = "postgres" if os.geteuid() == 0 else None
    with contextlib.ExitStack() as stack:
        base = stack.enter_context(workdir(prefix, owner))
        log = base / "postgresql.log"
        _write(base / "pwfile", PASSWORD + "\n", owner)
        check_output(
            [
                str(bin_ / "initdb"), "-D", str(base / "data"), "-U", USERNAME,
                "--auth-host=scram-sha-256", "--auth-local=trust", f"--pwfile={base / 'pwfile'}",
                "-E", "UTF8", "--locale=C", "--no-sync",
            ],
            "initdb",
            cwd=base,
            **run_as(owner),
        )  # fmt: skip
        (base / "pwfile").unlink()
        port = free_port()
        settings = {
            "listen_addresses": "127.0.0.1",
            "unix_socket_directories": str(base),
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "ssl": "off",
        }
        if cert is not None:
            _write(base / "server.crt", cert.cert_pem, owner)
            _write(base / "server.key", cert.key_pem, owner)
            settings["ssl"] = "on"
            settings["ssl_cert_file"] = str(base / "server.crt")
            settings["ssl_key_file"] = str(base / "server.key")
        options = [arg for key, val in settings.items() for arg in ("-c", f"{key}={val}")]
        cmd = [str(bin_ / "postgres"), "-D", str(base / "data"), "-p", str(port), *options]
        proc = spawn(cmd, log, cwd=base, **run_as(owner))
        stack.enter_context(running(proc))
        value = {
            "host": "127.0.0.1",
            "port": port,
            "user": USERNAME,
            "password": PASSWORD,
            "dbname": "postgres",
            "sslmode": "prefer",
            "root_certificate_pem": "",
        }
        wait_until(lambda: _connect(value).close(), what="postgres", proc=proc, log=log)
        yield value


def _write(path: Path, text: str, owner: str | None) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    if owner is not None:
        shutil.chown(path, owner, owner)


@contextlib.contextmanager
def container() -> Iterator[Products]:
    """The official image through testcontainers, with the same credentials."""
    require_module("psycopg", "postgresql")
    from testcontainers.community.postgres import PostgresContainer

    pg = PostgresContainer(
        "postgres:16-alpine", username=USERNAME, password=PASSWORD, dbname="postgres", driver=None
    )
    with pg:
        value = {
            "host": pg.get_container_host_ip(),
            "port": int(pg.get_exposed_port(5432)),
            "user": USERNAME,
            "password": PASSWORD,
            "dbname": "postgres",
            "sslmode": "prefer",
            "root_certificate_pem": "",
        }
        wait_until(lambda: _connect(value).close(), what="postgres container")
        yield {"postgresql": value}


@contextlib.contextmanager
def fresh(value: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A new database (``CREATE DATABASE ... TEMPLATE template0``), dropped afterwards."""
    from psycopg import sql

    name = f"test_{uuid.uuid4().hex[:12]}"
    with _connect(value, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    try:
        yield {**value, "dbname": name}
    finally:
        with _connect(value, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _connect(value: dict[str, Any], *, autocommit: bool = False) -> Any:
    """A psycopg connection from a Windmill value (the CA PEM goes through a temporary file)."""
    import psycopg

    params = {
        key: value[key]
        for key in ("host", "port", "user", "password", "dbname", "sslmode")
        if value.get(key) not in (None, "")
    }
    pem = value.get("root_certificate_pem")
    if not pem:
        return psycopg.connect(**params, connect_timeout=5, autocommit=autocommit)
    with tempfile.NamedTemporaryFile("w", suffix=".pem") as ca:
        ca.write(pem)
        ca.flush()
        return psycopg.connect(
            **params, sslrootcert=ca.name, connect_timeout=5, autocommit=autocommit
        )


def add_services(factory: ServerFactory) -> None:
    """Offer this type's live servers to the session's ServerFactory."""
    factory.add_service(
        "postgresql",
        "postgresql",
        local,
        container=container,
        fresh=fresh,
        also=("postgresql_tls",),
    )
    factory.add_service("postgresql_plain", "postgresql", plain, fresh=fresh)
