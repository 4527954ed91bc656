"""One definition of a secret: what display masks is what the workspace encrypts at rest.

One corpus of shapes (connection strings with passwords, bearer tokens and Authorization
headers, secret-like keys such as passphrase and pwd inside ``any``/``state`` values, the
typed types' secret fields) goes through both: ``redact_value`` (every printer's masking) and
the SQLite store (read back from the raw database file). Then the key's other homes:
``CONNECTORS_WORKSPACE_KEY`` and the OS keyring.
"""

from __future__ import annotations

import base64
import json
import sqlite3

import pytest

import connectors
from connectors.errors import WorkspaceError
from connectors.redact import encoded_forms, is_secret_key, looks_secret, redact_value
from connectors.workspace import crypto
from connectors.workspace.store import close_store, open_store, workspace_files

S = "s3cr3t-Value_9f8e7d6c"
#: (resource type, value holding S): every shape a secret takes in a stored value
CORPUS = [
    ("any", {"dsn": f"postgresql://app:{S}@db.example.com/app"}),
    ("any", {"mongo": f"mongodb+srv://app:{S}@cluster0.example.net/?retryWrites=true"}),
    ("any", {"headers": {"Authorization": f"Bearer {S}"}}),
    ("any", {"headers": {"X-Custom": f"Authorization: Basic {S}"}}),
    ("any", {"note": f"curl -H 'Bearer {S}' https://api.example.com"}),
    ("any", {"passphrase": S}),
    ("any", {"pwd": S}),
    ("any", {"ssh": {"key_passphrase": S}}),
    ("any", {"api_key": S}),
    ("any", {"items": [{"name": "x", "token": S}]}),
    ("any", {"conninfo": f"host=db user=app password={S} dbname=app"}),
    ("any", {"odbc": f"Driver=x;Server=db;Uid=app;Pwd={S};"}),
    ("any", {"azure": f"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={S};"}),
    ("any", {"sas": f"https://acct.blob.core.windows.net/c?sv=2022-11-02&sig={S}"}),
    ("state", {"cursor": 41, "source": f"redis://default:{S}@cache.example.com:6379"}),
    ("state", {"client_secret": S}),
    ("postgresql", {"host": "db", "port": 5432, "user": "app", "dbname": "app", "password": S}),
    (
        "mongodb",
        {
            "db": "app",
            "tls": True,
            "servers": [{"host": "h", "port": 27017}],
            "options": {"tlsCertificateKeyFilePassword": S},
        },
    ),
    ("redis", {"host": "h", "port": 6379, "db": 0, "tls": True, "ssl_password": S}),
    ("s3", {"bucket": "b", "region": "eu-west-1", "accessKey": "AKIAX", "secretKey": S}),
]
#: values in which display masks nothing, so nothing is encrypted either
PLAIN = [
    ("any", {"host": "db.example.com", "port": 5432, "user": "app"}),
    ("any", {"url": "https://example.com/a?b=c", "note": "Basic information: see the docs"}),
    ("state", {"last_id": 1234, "seen": ["a", "b"], "link": "postgresql://db.example.com/app"}),
    ("any", {"password": "$var:f/x/password"}),
]


def _raw_database() -> bytes:
    close_store()  # checkpoint the WAL into the main file
    db = workspace_files()["database"]
    return b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name))


def _stored_text(path: str) -> str:
    with sqlite3.connect(workspace_files()["database"]) as conn:
        row = conn.execute("SELECT value FROM connectors_resource WHERE path = ?", (path,))
        return str(row.fetchone()[0])


@pytest.mark.parametrize(("resource_type", "value"), CORPUS)
def test_display_masks_and_storage_encrypts_the_same_secret(resource_type, value):
    shown = json.dumps(redact_value(resource_type, value))
    assert S not in shown, shown
    connectors.set_resource("f/x/r", value, resource_type)
    assert crypto.PREFIX in _stored_text("f/x/r")
    raw = _raw_database()
    for form in encoded_forms(S):
        assert form.encode() not in raw, form
    typed = resource_type not in ("any", "state")
    assert connectors.get_resource("f/x/r") == (
        connectors.validate(resource_type, value) if typed else value
    )


@pytest.mark.parametrize(("resource_type", "value"), PLAIN)
def test_what_display_leaves_alone_is_stored_readable(resource_type, value):
    assert redact_value(resource_type, value) == value
    connectors.set_resource("f/x/r", value, resource_type)
    assert crypto.PREFIX not in _stored_text("f/x/r")
    assert connectors.get_resource("f/x/r", interpolated=False) == value


def test_the_predicates():
    for key in ("password", "PASSWD", "pwd", "passphrase", "Authorization", "api_key", "token"):
        assert is_secret_key(key), key
    for key in ("host", "port", "user", "passenger", "bucket"):
        assert not is_secret_key(key), key
    assert looks_secret(f"Bearer {S}") and looks_secret(f"postgresql://u:{S}@h/d")
    assert not looks_secret("postgresql://u@h/d") and not looks_secret(f"$var:u/me/{S}")


# -- where the key lives -----------------------------------------------------------------------


def test_key_from_the_environment_writes_no_key_file(monkeypatch):
    key = crypto.new_key()
    monkeypatch.setenv("CONNECTORS_WORKSPACE_KEY", base64.b64encode(key).decode())
    connectors.set_variable("u/me/api", S, is_secret=True)
    assert not workspace_files()["key"].exists()
    assert open_store().info()["key_id"] == crypto.key_id(key)
    assert S.encode() not in _raw_database()
    assert connectors.get_variable("u/me/api") == S
    monkeypatch.setenv("CONNECTORS_WORKSPACE_KEY", base64.b64encode(crypto.new_key()).decode())
    with pytest.raises(WorkspaceError, match="CONNECTORS_WORKSPACE_KEY variable holds key"):
        connectors.get_variable("u/me/api")
    monkeypatch.setenv("CONNECTORS_WORKSPACE_KEY", "not-a-key")
    with pytest.raises(WorkspaceError, match="does not hold a 32-byte base64 key"):
        connectors.get_variable("u/me/api")
    monkeypatch.setenv("CONNECTORS_WORKSPACE_KEY", base64.b64encode(key).decode())
    with pytest.raises(WorkspaceError, match="cannot be rewritten"):
        open_store().rotate_key()
    assert connectors.get_variable("u/me/api") == S


@pytest.fixture
def file_keyring(tmp_path):
    """A real keyring back end (keyrings.alt's file keyring) in a temporary file."""
    keyring = pytest.importorskip("keyring")
    alt = pytest.importorskip("keyrings.alt.file")
    previous = keyring.get_keyring()
    ring = alt.PlaintextKeyring()
    ring.file_path = str(tmp_path / "keyring.cfg")
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


def test_key_from_the_os_keyring(monkeypatch, file_keyring):
    monkeypatch.setenv("CONNECTORS_WORKSPACE_KEY", "keyring")
    connectors.set_variable("u/me/api", S, is_secret=True)
    key_file = workspace_files()["key"]
    assert not key_file.exists()
    stored = file_keyring.get_password("storage-connectors", str(key_file))
    assert crypto.key_id(base64.b64decode(stored)) == open_store().info()["key_id"]
    assert open_store().rotate_key() == 1
    rotated = file_keyring.get_password("storage-connectors", str(key_file))
    assert rotated != stored
    assert file_keyring.get_password("storage-connectors", f"{key_file}.new") is None
    close_store()
    assert connectors.get_variable("u/me/api") == S
    file_keyring.delete_password("storage-connectors", str(key_file))
    close_store()
    with pytest.raises(WorkspaceError, match=r"OS keyring entry .* is missing"):
        connectors.get_variable("u/me/api")
