"""The shortcuts get_state/set_state take keep the results of the general path."""

from __future__ import annotations

import pytest

import connectors
from connectors.errors import WorkspaceError
from connectors.workspace.paths import validate_path
from connectors.workspace.store import open_store

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
