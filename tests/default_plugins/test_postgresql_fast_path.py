"""The one-match shortcut of the PostgreSQL URI reader gives what the full reader gives, or
steps aside (every error is the full reader's, with its position)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from connectors.errors import ParseError
from connectors.postgresql.parser import Conninfo, _read_full_uri, _read_uri

SCHEMES = ("postgresql://", "postgres://")
USERINFO = ("", "u@", ":p@", "us.er-x_1:pa:ss@", "u:p%40@", ":@", "a b:c@", "ü:p@h@")
HOSTS = ("", "localhost", "db.example.com", "10.0.0.1", "[::1]", "[2001:db8::1]", "h,h2", "a_b")
PORTS = ("", ":", ":5432", ":99999", ":5x", ":05432")
PATHS = ("", "/", "/db", "/d%C3%B6", "/a/b", "/d@x", "/d%zz")
QUERIES = (
    "",
    "?",
    "?sslmode=require&application_name=a&",
    "?options=-c%20x",
    "?a=b@c",
    "?ssl=true&target_session_attrs=read-write",
    "?sslmod=require",
    "?prepareThreshold=0",
    "? sslmode = require",
)


def outcome(read: Callable[[str], Conninfo], text: str) -> Any:
    try:
        result = read(text)
    except ParseError as exc:
        return ("error", exc.message, exc.position, exc.hint)
    return (result.params, result.notes, result.form, result.aside, result.provider)


def test_shortcut_agrees_with_the_full_reader() -> None:
    checked = 0
    for parts in itertools.product(SCHEMES, USERINFO, HOSTS, PORTS, PATHS, QUERIES):
        text = "".join(parts)
        assert outcome(_read_uri, text) == outcome(_read_full_uri, text), text
        checked += 1
    assert checked > 30_000


def test_shortcut_reads_the_usual_uri() -> None:
    result = _read_uri("postgres://app:pw@[2001:db8::1]:6432/app?sslmode=require")
    assert result.params == {
        "user": "app",
        "password": "pw",
        "host": "2001:db8::1",
        "port": "6432",
        "dbname": "app",
        "sslmode": "require",
    }
    assert list(result.params) == ["user", "password", "host", "port", "dbname", "sslmode"]
