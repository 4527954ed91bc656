"""Authentication with a service-account key, tested for real where no Google server is needed:
V4 signed URLs verified against the key's public half and fetched from the emulator, the
credentials that connect and check build from ``serviceAccountKey``, and unusable keys."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from urllib.parse import parse_qsl, quote, urlsplit

import httpx
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from storage_connectors_gcs.testing import CLIENT_EMAIL, service_account_key

import connectors


def cli(*args):
    return subprocess.run(
        [sys.executable, "-c", "from connectors.cli import main; main()", *args],
        capture_output=True, text=True, env=os.environ.copy(), check=False,
    )  # fmt: skip


def public_key_of(key):
    private = serialization.load_pem_private_key(key["private_key"].encode(), password=None)
    return private.public_key()


def verify_v4(url, key, method="GET"):
    """Check a V4 signed URL as Cloud Storage does (cloud.google.com/storage/docs/access-control/
    signing-urls-manually): rebuild the canonical request and verify the RSA-SHA256 signature."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    signature = bytes.fromhex(query.pop("X-Goog-Signature"))
    canonical_query = "&".join(
        f"{quote(name, safe='~')}={quote(value, safe='~')}" for name, value in sorted(query.items())
    )
    assert query["X-Goog-SignedHeaders"] == "host"
    canonical = "\n".join(
        [method, parts.path, canonical_query, f"host:{parts.netloc}\n", "host", "UNSIGNED-PAYLOAD"]
    )
    email, scope = query["X-Goog-Credential"].split("/", 1)
    to_sign = "\n".join([
        "GOOG4-RSA-SHA256", query["X-Goog-Date"], scope,
        hashlib.sha256(canonical.encode()).hexdigest(),
    ])  # fmt: skip
    public_key_of(key).verify(signature, to_sign.encode(), padding.PKCS1v15(), hashes.SHA256())
    return email


@pytest.fixture
def workspace_storage(fresh_gcloud_storage, monkeypatch):
    connectors.set_resource("f/lake/gcs", fresh_gcloud_storage.value, "gcloud_storage")
    monkeypatch.setenv("CONNECTORS_OBJECT_STORAGE", "f/lake/gcs")
    return fresh_gcloud_storage


@pytest.mark.live
def test_signed_url_verifies_with_the_public_key_and_fetches(workspace_storage):
    key = workspace_storage.value["serviceAccountKey"]
    connectors.write_s3_file("s3:///dir/a b.txt", b"signed")
    url = connectors.sign_s3_object("s3:///dir/a b.txt", expiry_secs=300)["presigned"]
    assert verify_v4(url, key) == CLIENT_EMAIL
    assert dict(parse_qsl(urlsplit(url).query))["X-Goog-Expires"] == "300"
    assert httpx.get(url).content == b"signed"
    with pytest.raises(InvalidSignature):  # a longer lifetime is not what was signed
        verify_v4(url.replace("X-Goog-Expires=300", "X-Goog-Expires=3000"), key)
    with pytest.raises(InvalidSignature):  # nor is it signed by another key
        verify_v4(url, service_account_key())


def test_connect_builds_credentials_from_the_key():
    key = service_account_key(project="acme-prod")
    value = {"bucket": "acme-data", "serviceAccountKey": key}  # Google's endpoint: no emulator
    bucket = connectors.connect(connectors.Resource("gcloud_storage", value))
    creds = bucket.client._credentials
    assert (bucket.name, bucket.client.project) == ("acme-data", "acme-prod")
    assert (creds.service_account_email, creds.project_id) == (CLIENT_EMAIL, "acme-prod")
    assert creds.scopes == ["https://www.googleapis.com/auth/devstorage.read_write"]
    signature = creds.sign_bytes(b"payload")
    public_key_of(key).verify(signature, b"payload", padding.PKCS1v15(), hashes.SHA256())


def _without(key, name):
    return {k: v for k, v in key.items() if k != name}


def _garbled(key):
    lines = key["private_key"].splitlines()
    lines[3] = "A" * len(lines[3])
    return {**key, "private_key": "\n".join(lines)}


UNUSABLE = [
    (lambda k: _without(k, "private_key"), "key has no private_key (at /serviceAccountKey)"),
    (lambda k: _without(k, "client_email"), "the service-account key has no client_email"),
    (lambda k: {**k, "type": "authorized_user"}, "not a service-account key"),
    (_garbled, "private_key does not load"),
]


@pytest.mark.parametrize(("spoil", "message"), UNUSABLE)
def test_connect_with_an_unusable_key_says_why_and_shows_nothing(spoil, message):
    key = service_account_key()
    value = {"bucket": "acme-data", "serviceAccountKey": spoil(key)}
    with pytest.raises(ValueError, match=re.escape(message)) as caught:
        connectors.connect(connectors.Resource("gcloud_storage", value))
    body = key["private_key"].splitlines()[1]
    assert body[:16] not in str(caught.value) and "PRIVATE KEY" not in str(caught.value)


@pytest.mark.live
@pytest.mark.parametrize(("spoil", "message"), UNUSABLE)
def test_check_fails_at_credentials_with_an_unusable_key(live_gcloud_storage, spoil, message):
    key = live_gcloud_storage.value["serviceAccountKey"]
    value = {**live_gcloud_storage.value, "serviceAccountKey": spoil(key)}
    result = connectors.check(connectors.Resource("gcloud_storage", value), timeout=15)
    assert not result.ok and result.failed_step.name == "credentials"
    assert result.failed_step.detail.startswith(("the service-account key", "not a service"))
    assert message in result.failed_step.detail
    shown = json.dumps(result.to_dict())
    assert key["private_key"].splitlines()[1][:16] not in shown and "PRIVATE KEY" not in shown


@pytest.mark.live
def test_check_command_on_a_stored_resource_without_private_key(live_gcloud_storage):
    key = _without(live_gcloud_storage.value["serviceAccountKey"], "private_key")
    value = {**live_gcloud_storage.value, "serviceAccountKey": key}
    # stored as Windmill stores it: the workspace takes what the schema allows
    stored = cli("resource", "add", "f/lake/gcs", json.dumps(value), "--type", "gcloud_storage")
    assert stored.returncode == 0, stored.stderr
    done = cli("check", "f/lake/gcs")
    assert done.returncode == 1
    assert "credentials  FAILED" in done.stdout
    assert "the service-account key has no private_key (at /serviceAccountKey)" in done.stdout
    assert "Traceback" not in done.stderr
