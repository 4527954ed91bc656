"""Live MariaDB for tests: a pytest plugin on top of ``connectors.testing``.

Load both: ``pytest_plugins = ["connectors.testing", "storage_connectors_mysql.testing"]``.

- ``live_mysql``: a local ``mariadbd`` (Debian's ``mariadb-server``) on a free port with password
  authentication and TLS available: host 127.0.0.1, port, user ``connectors`` (all privileges),
  password (``connectors.testing.secrets.PASSWORD``), database ``connectors``, ssl false.
- ``live_mysql_tls``: the same server, ssl true, ssl_mode VERIFY_IDENTITY, root_certificate_pem
  the test CA.
- ``fresh_mysql``: a new database on it (``value["database"]``), dropped after the test.

``CONNECTORS_TEST_MYSQL_URL`` points the fixtures at a server of your own instead. As root the
server runs as the ``mysql`` user (it refuses root), in a directory that user can reach.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connectors import Resource
from connectors.testing import ServerFactory
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
from connectors.testing.tls import make_server_certificate

DATABASE = "connectors"


def binaries() -> tuple[Path, Path]:
    """``mariadbd`` and ``mariadb-install-db`` ($MARIADB_BIN, else PATH, else /usr/sbin)."""
    folder = os.environ.get("MARIADB_BIN")
    found = []
    for name in ("mariadbd", "mariadb-install-db"):
        if folder:  # only there: a folder that lacks them stands for a machine without them
            path = shutil.which(name, path=folder)
        else:
            path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
        if path is None:
            where = f" in {folder} (MARIADB_BIN)" if folder else ""
            raise ServerUnavailable(
                f"{name} not found{where} (apt-get install mariadb-server, or MARIADB_BIN)"
            )
        found.append(Path(path))
    return found[0], found[1]


@contextlib.contextmanager
def local(root: Path) -> Iterator[Products]:
    """mariadb-install-db + mariadbd with TLS on: ``mysql`` and ``mysql_tls``."""
    require_module("pymysql", "pymysql")
    mariadbd, install_db = binaries()
    owner = "mysql" if os.geteuid() == 0 else None
    cert = make_server_certificate()
    with contextlib.ExitStack() as stack:
        base = stack.enter_context(workdir("connectors-mariadb-", owner))
        log = base / "mariadb.log"
        check_output(
            [str(install_db), "--no-defaults", f"--datadir={base / 'data'}",
             "--auth-root-authentication-method=normal", "--skip-test-db",
             "--skip-name-resolve"],
            "mariadb-install-db",
            cwd=base,
            **run_as(owner),
        )  # fmt: skip
        _write(base / "server.crt", cert.cert_pem, owner)
        _write(base / "server.key", cert.key_pem, owner)
        _write(base / "init.sql", _init_sql(), owner)
        port = free_port()
        cmd = [
            str(mariadbd), "--no-defaults", f"--datadir={base / 'data'}", f"--port={port}",
            "--bind-address=127.0.0.1", f"--socket={base / 'mysqld.sock'}",
            f"--pid-file={base / 'mariadb.pid'}", f"--init-file={base / 'init.sql'}",
            f"--ssl-cert={base / 'server.crt'}", f"--ssl-key={base / 'server.key'}",
            "--skip-name-resolve", "--skip-log-bin", "--innodb-buffer-pool-size=16M",
            "--innodb-flush-log-at-trx-commit=0", "--skip-innodb-doublewrite",
        ]  # fmt: skip
        proc = spawn(cmd, log, cwd=base, **run_as(owner))
        stack.enter_context(running(proc))
        value = {
            "host": "127.0.0.1",
            "port": port,
            "user": USERNAME,
            "database": DATABASE,
            "password": PASSWORD,
            "ssl": False,
        }
        wait_until(lambda: _connect(value).close(), what="mariadbd", proc=proc, log=log)
        (base / "init.sql").unlink()
        tls = {**value, "ssl": True, "ssl_mode": "VERIFY_IDENTITY",
               "root_certificate_pem": cert.ca_pem}  # fmt: skip
        yield {"mysql": value, "mysql_tls": tls}


def _init_sql() -> str:
    password = PASSWORD.replace("\\", "\\\\").replace("'", "\\'")
    return (
        f"CREATE USER IF NOT EXISTS '{USERNAME}'@'%' IDENTIFIED BY '{password}';\n"
        f"GRANT ALL PRIVILEGES ON *.* TO '{USERNAME}'@'%' WITH GRANT OPTION;\n"
        f"CREATE DATABASE IF NOT EXISTS `{DATABASE}`;\n"
    )


def _write(path: Path, text: str, owner: str | None) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    if owner is not None:
        shutil.chown(path, owner, owner)


def _connect(value: dict[str, Any]) -> Any:
    import pymysql

    return pymysql.connect(
        host=value["host"], port=int(value["port"]), user=value["user"],
        password=value["password"].encode(), connect_timeout=5, autocommit=True,
    )  # fmt: skip


@contextlib.contextmanager
def fresh(value: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A new database, dropped afterwards."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    conn = _connect(value)
    try:
        with conn.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE `{name}`")
    finally:
        conn.close()
    try:
        yield {**value, "database": name}
    finally:
        conn = _connect(value)
        try:
            with conn.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        finally:
            conn.close()


def _add(factory: ServerFactory) -> None:
    factory.add_service("mysql", "mysql", local, fresh=fresh, also=("mysql_tls",))


@pytest.fixture(scope="session")
def live_mysql(connectors_servers: ServerFactory) -> Resource:
    """MariaDB with password authentication; TLS available (ssl false)."""
    _add(connectors_servers)
    return connectors_servers.resource("mysql")


@pytest.fixture(scope="session")
def live_mysql_tls(connectors_servers: ServerFactory) -> Resource:
    """The same MariaDB, ssl_mode VERIFY_IDENTITY against its test CA."""
    _add(connectors_servers)
    return connectors_servers.resource("mysql_tls")


@pytest.fixture
def fresh_mysql(connectors_servers: ServerFactory, request: pytest.FixtureRequest) -> Resource:
    """A new database on the live MariaDB, dropped after the test."""
    _add(connectors_servers)
    return connectors_servers.fresh("mysql", request)
