"""Secrets at rest: AES-GCM, an owner-only key file, no plaintext in the database file."""

from __future__ import annotations

import base64
import os
import sqlite3
import stat
from urllib.parse import quote, quote_plus

import pytest

import connectors
from connectors.errors import WorkspaceError
from connectors.workspace import crypto
from connectors.workspace.store import close_store, open_store, workspace_files

SECRETS = {
    "variable": "var-Secret/with+chars=",
    "pg": "pg-Pass/w0rd+x?",
    "s3": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "embedded": "tok-embedded-9f8e",
}


def _forms(secret: str) -> list[bytes]:
    raw = secret.encode()
    return [
        raw,
        quote(secret, safe="").encode(),
        quote_plus(secret).encode(),
        base64.b64encode(raw),
        base64.b64encode(raw).rstrip(b"="),
        base64.urlsafe_b64encode(raw).rstrip(b"="),
    ]


def _store_secrets() -> None:
    connectors.set_variable("u/me/api", SECRETS["variable"], is_secret=True)
    connectors.set_resource(
        "f/x/pg",
        {"host": "h", "port": 5432, "user": "u", "password": SECRETS["pg"], "dbname": "d"},
        "postgresql",
    )
    connectors.set_resource(
        "f/x/s3",
        {"bucket": "b", "region": "r", "accessKey": "AKIA1", "secretKey": SECRETS["s3"]},
        "s3",
    )
    connectors.set_resource(
        "f/x/any", {"api_token": SECRETS["embedded"], "note": f"uses {SECRETS['embedded']}"}
    )


def _raw_files() -> bytes:
    db = workspace_files()["database"]
    return b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name))


def test_no_plaintext_secret_in_database_files():
    _store_secrets()
    raw = _raw_files()  # the database and its -wal file, before any checkpoint
    assert b"connectors_variable" in raw  # we are reading the right file
    for secret in SECRETS.values():
        for form in _forms(secret):
            assert form not in raw, f"{form!r} found in the database file"
    close_store()  # checkpoints the WAL into the main file
    raw = _raw_files()
    for secret in SECRETS.values():
        for form in _forms(secret):
            assert form not in raw
    # and the values read back in clear
    assert connectors.get_variable("u/me/api") == SECRETS["variable"]
    assert connectors.get_resource("f/x/s3")["secretKey"] == SECRETS["s3"]
    assert connectors.get_resource("f/x/any")["note"] == f"uses {SECRETS['embedded']}"


def test_key_file_made_on_first_use_owner_only():
    key_file = workspace_files()["key"]
    assert not key_file.exists()
    connectors.set_variable("u/me/api", "x", is_secret=True)
    mode = stat.S_IMODE(key_file.stat().st_mode)
    assert mode == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert len(base64.b64decode(key_file.read_bytes().strip())) == 32


def test_key_file_readable_by_others_is_refused():
    connectors.set_variable("u/me/api", "x", is_secret=True)
    key_file = workspace_files()["key"]
    os.chmod(key_file, 0o644)
    close_store()
    with pytest.raises(WorkspaceError, match="chmod 600"):
        connectors.get_variable("u/me/api")


def test_missing_or_wrong_key_is_reported(tmp_path, monkeypatch):
    connectors.set_variable("u/me/api", "x", is_secret=True)
    kid = open_store().info()["key_id"]
    other = tmp_path / "other.key"
    crypto.write_key_file(other, crypto.new_key())
    monkeypatch.setenv("CONNECTORS_WORKSPACE_KEY_FILE", str(other))
    with pytest.raises(WorkspaceError, match=f"encrypted with key {kid}"):
        connectors.get_variable("u/me/api")
    monkeypatch.setenv("CONNECTORS_WORKSPACE_KEY_FILE", str(tmp_path / "absent.key"))
    with pytest.raises(WorkspaceError, match="is missing"):
        connectors.get_variable("u/me/api")


def test_ciphertext_is_bound_to_its_path():
    cipher = crypto.Cipher(crypto.new_key())
    token = cipher.encrypt("v", "variable:u/a/b")
    assert cipher.decrypt(token, "variable:u/a/b") == "v"
    with pytest.raises(WorkspaceError, match="does not decrypt"):
        cipher.decrypt(token, "variable:u/a/c")


def test_rotate_key_reencrypts_everything():
    _store_secrets()
    store = open_store()
    db = workspace_files()["database"]
    before = sqlite3.connect(db).execute("SELECT value FROM connectors_variable").fetchall()
    old_kid = store.info()["key_id"]
    count = store.rotate_key()
    assert count == 4  # one variable, three resources holding secrets
    new_kid = store.info()["key_id"]
    assert new_kid != old_kid
    assert crypto.key_id(crypto.read_key_file(workspace_files()["key"])) == new_kid
    after = sqlite3.connect(db).execute("SELECT value FROM connectors_variable").fetchall()
    assert before != after and f":{new_kid}:" in after[0][0]
    close_store()  # a fresh process view: reads the new key file
    assert connectors.get_variable("u/me/api") == SECRETS["variable"]
    assert connectors.get_resource("f/x/pg")["password"] == SECRETS["pg"]
    assert f":{old_kid}:".encode() not in _raw_files()


def test_interrupted_rotation_is_finished_on_next_open(monkeypatch):
    _store_secrets()
    store = open_store()

    real_replace = os.replace

    def crash(src, dst):
        if str(src).endswith(".key.new"):
            raise SystemExit("killed between commit and rename")
        real_replace(src, dst)

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", crash)
        with pytest.raises(SystemExit):
            store.rotate_key()
    assert workspace_files()["key"].with_name("default.key.new").exists()
    close_store()
    assert connectors.get_variable("u/me/api") == SECRETS["variable"]
    assert not workspace_files()["key"].with_name("default.key.new").exists()
