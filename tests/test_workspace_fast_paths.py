"""The shortcuts get_state/set_state take keep the results of the general path."""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import given, settings, strategies as st

import connectors
from connectors.errors import WorkspaceError
from connectors.redact import is_secret_key, may_hold_secret, redact_value
from connectors.workspace.paths import validate_path
from connectors.workspace.store import open_store, workspace_files

PG = {"host": "db.example.com", "port": 5432, "user": "app", "password": "pw-1", "dbname": "x"}


def stored_type(path: str) -> str:
    found = open_store().get_resource(path)
    assert found is not None
    return found.resource_type


def test_set_resource_on_another_type_keeps_and_validates_that_type():
    connectors.set_resource("f/data/pg", PG, "postgresql")
    connectors.set_resource("f/data/pg", {**PG, "dbname": "y"})  # default type "any"
    assert stored_type("f/data/pg") == "postgresql"
    assert connectors.get_resource("f/data/pg")["dbname"] == "y"


def test_set_state_on_a_free_resource_keeps_its_type():
    connectors.set_resource("u/me/thing", {"a": 1})
    connectors.set_state({"a": 2}, "u/me/thing")
    assert stored_type("u/me/thing") == "any"
    assert connectors.get_state("u/me/thing") == {"a": 2}


def test_set_state_creates_then_replaces():
    connectors.set_state([1, 2], "u/me/st")
    connectors.set_state({"n": 3}, "u/me/st")
    assert stored_type("u/me/st") == "state"
    assert connectors.get_state("u/me/st") == {"n": 3}


def test_references_resolve_and_plain_values_are_returned_as_stored():
    connectors.set_variable("u/me/token", "tok-123", is_secret=True)
    connectors.set_resource("u/me/ref", {"token": "$var:u/me/token", "n": [1, {"m": "$x"}]})
    assert connectors.get_resource("u/me/ref") == {"token": "tok-123", "n": [1, {"m": "$x"}]}
    plain = {"text": "no reference here", "list": list(range(5)), "price": "12 €"}
    connectors.set_state(plain, "u/me/plain")
    assert connectors.get_state("u/me/plain") == plain
    assert connectors.get_resource("u/me/ref", interpolated=False)["token"] == "$var:u/me/token"


def test_a_valid_path_seen_before_does_not_make_an_invalid_one_pass():
    assert validate_path("u/me/ok") == "u/me/ok"
    assert validate_path("u/me/ok") == "u/me/ok"
    with pytest.raises(WorkspaceError):
        validate_path("u/me/../ok")
    with pytest.raises(WorkspaceError):
        validate_path(None)


def test_the_store_follows_a_changed_environment(tmp_path, monkeypatch):
    connectors.set_state(1, "u/me/where")
    monkeypatch.setenv("CONNECTORS_HOME", str(tmp_path / "other"))
    assert connectors.get_state("u/me/where") is None
    connectors.set_state(2, "u/me/where")
    monkeypatch.undo()


def test_listing_reads_no_values_unless_asked():
    connectors.set_resource("f/data/a", {"password": "pw-a", "n": 1})
    connectors.set_resource("f/data/b", {"n": 2})
    listed = connectors.list_resources()
    assert [(r["path"], r["value"]) for r in listed] == [("f/data/a", None), ("f/data/b", None)]
    assert [r.value for r in open_store().list_resources()] == [
        {"password": "pw-a", "n": 1},
        {"n": 2},
    ]
    assert [r.value for r in open_store().list_resources(values=False)] == [None, None]


# -- the sealing decision: one scan of the JSON text, the same definition as display ------------

#: every key form the secret-key definition names (each alternative, cases and Unicode folds)
SECRET_KEYS = [
    *("pass", "password", "passwd", "db_pass", "passphrase", "key_passphrase", "pwd", "Pwd"),
    *("client_secret", "token", "refresh_token", "apikey", "api_key", "accesskey", "access_key"),
    *("AccountKey", "account_key", "credential", "credentials", "private", "private_key"),
    *("Authorization", "authorisation", "auth_header", "authheader", "cookie", "signature"),
    *("sig", "SAS", "sessionkey", "session_key", "PASSWORD", "pa\u017fsword", "api_\u212aey"),
]


@pytest.mark.parametrize("key", SECRET_KEYS)
def test_a_secret_key_anywhere_in_a_value_is_seen_by_the_text_scan(key):
    assert is_secret_key(key)
    for value in ({key: "v"}, {"a": [1, {"b": {key: "v"}}]}, [{"x": 1}, {key: "v"}]):
        assert may_hold_secret(json.dumps(value, ensure_ascii=False))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=24), st.text(max_size=24))
def test_the_text_scan_never_misses_what_display_masks(key, text):
    value = {"k": 1, key: text, "list": [text]}
    shown = redact_value("state", value)
    if shown != value:
        assert may_hold_secret(json.dumps(value, ensure_ascii=False))


def test_a_plain_state_is_stored_as_its_json_and_a_secret_one_sealed():
    plain = {"last_id": 12345, "seen": list(range(20)), "cursor": "2026-01-01T00:00:00Z"}
    connectors.set_state(plain, "u/me/plain")
    connectors.set_state({**plain, "dsn": "redis://:pw-42@cache:6379"}, "u/me/sealed")
    assert stored_text("u/me/plain") == json.dumps(plain)
    assert "pw-42" not in stored_text("u/me/sealed") and "$enc:v1:" in stored_text("u/me/sealed")
    assert connectors.get_state("u/me/sealed")["dsn"] == "redis://:pw-42@cache:6379"


def test_values_too_deep_or_not_json_are_refused_before_anything_is_written():
    deep: list = []
    for _ in range(150):
        deep = [deep]
    with pytest.raises(WorkspaceError, match="nested more than 100 levels deep"):
        connectors.set_state(deep, "u/me/deep")
    very_deep: list = []
    for _ in range(100_000):
        very_deep = [very_deep]
    with pytest.raises(WorkspaceError, match="nested more than 100 levels deep"):
        connectors.set_state(very_deep, "u/me/deep")
    with pytest.raises(WorkspaceError, match="not JSON-serialisable"):
        connectors.set_state({"when": object()}, "u/me/deep")
    with pytest.raises(WorkspaceError, match=r"value at /a~1b/0: byte 0xff is not valid UTF-8"):
        connectors.set_state({"a/b": ["ok \udcff"]}, "u/me/deep")
    assert connectors.get_state("u/me/deep") is None


def stored_text(path: str) -> str:
    with sqlite3.connect(workspace_files()["database"]) as conn:
        row = conn.execute("SELECT value FROM connectors_resource WHERE path = ?", (path,))
        return str(row.fetchone()[0])
