"""Live-server fixtures for pytest: real PostgreSQL, MongoDB, Redis, Upstash, S3 and Azure Blob.

An opt-in pytest plugin: load it with ``pytest -p connectors.testing`` or
``pytest_plugins = ["connectors.testing"]`` in a conftest.py. Each session fixture yields a
``connectors.Resource`` for a real server with authentication on; each ``fresh_*`` fixture
yields one isolated for a single test. Values (Windmill shapes):

- ``live_postgresql``: host 127.0.0.1, port, user ``connectors`` (superuser), password
  (``secrets.PASSWORD``), dbname ``postgres``, sslmode ``prefer``, root_certificate_pem ``""``.
  The server has SCRAM-SHA-256 over TCP and TLS on.
- ``live_postgresql_tls``: the same server, sslmode ``verify-full``, root_certificate_pem the CA.
- ``live_postgresql_plain``: a second PostgreSQL with ``ssl=off`` (same shape, sslmode ``prefer``).
- ``live_mongodb``: db ``test``, tls false, servers [{host, port}], credential {username
  ``connectors``, password, db ``admin``, mechanism ``SCRAM-SHA-256``}.
- ``live_mongodb_tls``: a second SecantusDB serving TLS only; tls true, options {tlsCAFile: the
  test CA's PEM file, alive as long as the server}.
- ``live_redis``: host, port, db 0, username ``""``, password, tls false.
- ``live_upstash_redis``: url ``http://127.0.0.1:PORT`` (no trailing slash), token.
- ``live_s3``: moto; bucket ``connectors-live``, region us-east-1, endPoint, pathStyle true,
  accessKey/secretKey ``testing``, useSSL false.
- ``live_s3_strict``: s3rver, same shape, keys ``S3RVER``; it rejects an unknown access key.
- ``live_azure_blob``: Azurite; accountName ``devstoreaccount1``, containerName, accessKey,
  useSSL false, endpoint ``http://127.0.0.1:PORT/devstoreaccount1``.

Per test: ``fresh_postgresql`` (a new database), ``fresh_mongodb`` (a new db name, dropped
after), ``fresh_redis`` and ``fresh_upstash_redis`` (FLUSHALL first), ``fresh_s3`` (a new
bucket), ``fresh_azure_blob`` (a new container).
"""

from __future__ import annotations

import pytest

from connectors.resource import Resource
from connectors.testing.factory import ServerFactory, own_server

__all__ = ["ServerFactory", "own_server"]

factory_key = pytest.StashKey[ServerFactory]()


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``live`` marker, so suites that load the plugin can use --strict-markers."""
    config.addinivalue_line("markers", "live: needs a real server from connectors.testing")


@pytest.fixture(scope="session")
def connectors_servers(request: pytest.FixtureRequest) -> ServerFactory:
    """The session's ServerFactory; servers start on first use and stop at session end."""
    factory = ServerFactory(request.config.rootpath)
    request.config.stash[factory_key] = factory
    request.addfinalizer(factory.close)
    return factory


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """List the live servers the session used, where each came from and its start-up time."""
    factory = config.stash.get(factory_key, None)
    if factory is not None and (lines := factory.summary()):
        terminalreporter.write_sep("-", "connectors.testing live servers")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def live_postgresql(connectors_servers: ServerFactory) -> Resource:
    """PostgreSQL with SCRAM-SHA-256 and TLS available (sslmode prefer)."""
    return connectors_servers.resource("postgresql")


@pytest.fixture(scope="session")
def live_postgresql_tls(connectors_servers: ServerFactory) -> Resource:
    """The same PostgreSQL, sslmode verify-full against its test CA."""
    return connectors_servers.resource("postgresql_tls")


@pytest.fixture(scope="session")
def live_postgresql_plain(connectors_servers: ServerFactory) -> Resource:
    """A second PostgreSQL that offers no TLS (``ssl=off``), sslmode prefer."""
    return connectors_servers.resource("postgresql_plain")


@pytest.fixture(scope="session")
def live_mongodb(connectors_servers: ServerFactory) -> Resource:
    """MongoDB (SecantusDB) with SCRAM-SHA-256 authentication."""
    return connectors_servers.resource("mongodb")


@pytest.fixture(scope="session")
def live_mongodb_tls(connectors_servers: ServerFactory) -> Resource:
    """A second MongoDB (SecantusDB) that speaks TLS only, with SCRAM-SHA-256 required."""
    return connectors_servers.resource("mongodb_tls")


@pytest.fixture(scope="session")
def live_redis(connectors_servers: ServerFactory) -> Resource:
    """redis-server with a password."""
    return connectors_servers.resource("redis")


@pytest.fixture(scope="session")
def live_upstash_redis(connectors_servers: ServerFactory) -> Resource:
    """The Upstash REST protocol (a test-only front) over its own redis-server."""
    return connectors_servers.resource("upstash_redis")


@pytest.fixture(scope="session")
def live_s3(connectors_servers: ServerFactory) -> Resource:
    """An S3 endpoint (moto): path style, plain HTTP, any key accepted."""
    return connectors_servers.resource("s3")


@pytest.fixture(scope="session")
def live_s3_strict(connectors_servers: ServerFactory) -> Resource:
    """An S3 endpoint (s3rver) that rejects unknown access keys."""
    return connectors_servers.resource("s3_strict")


@pytest.fixture(scope="session")
def live_azure_blob(connectors_servers: ServerFactory) -> Resource:
    """Azure Blob Storage (Azurite) with the development account and key."""
    return connectors_servers.resource("azure_blob")


@pytest.fixture
def fresh_postgresql(connectors_servers: ServerFactory, request: pytest.FixtureRequest) -> Resource:
    """A new database on the live PostgreSQL, dropped after the test."""
    return connectors_servers.fresh("postgresql", request)


@pytest.fixture
def fresh_mongodb(connectors_servers: ServerFactory, request: pytest.FixtureRequest) -> Resource:
    """A new database name (value["db"]) on the live MongoDB, dropped after the test."""
    return connectors_servers.fresh("mongodb", request)


@pytest.fixture
def fresh_redis(connectors_servers: ServerFactory, request: pytest.FixtureRequest) -> Resource:
    """The live Redis, emptied (FLUSHALL) before the test."""
    return connectors_servers.fresh("redis", request)


@pytest.fixture
def fresh_upstash_redis(
    connectors_servers: ServerFactory, request: pytest.FixtureRequest
) -> Resource:
    """The live Upstash front, emptied (FLUSHALL) before the test."""
    return connectors_servers.fresh("upstash_redis", request)


@pytest.fixture
def fresh_s3(connectors_servers: ServerFactory, request: pytest.FixtureRequest) -> Resource:
    """A new bucket (value["bucket"]) on the live S3, deleted after the test."""
    return connectors_servers.fresh("s3", request)


@pytest.fixture
def fresh_azure_blob(connectors_servers: ServerFactory, request: pytest.FixtureRequest) -> Resource:
    """A new container (value["containerName"]) on the live Azurite, deleted after the test."""
    return connectors_servers.fresh("azure_blob", request)
