"""The one-match reading of the usual PostgreSQL URI gives what reading its libpq keywords gives,
or steps aside (every error is the keyword reader's, with its position)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from connectors.errors import ParseError
from connectors.postgresql.reader import Reading, _usual_uri, read, read_by_keywords

SCHEMES = ("postgresql://", "postgres://")
USERINFO = ("", "u@", ":p@", "us.er-x_1:pa:ss@", "u:p%40@", ":@", "a b:c@", "ü:p@h@")
HOSTS = ("", "localhost", "db.example.com", "10.0.0.1", "[::1]", "[2001:db8::1]", "h,h2", "a_b")
PORTS = ("", ":", ":5432", ":99999", ":0", ":65536", ":5x", ":05432", ":000005432")
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
    "?sslmode=bogus",
    "?connect_timeout=0&keepalives=1",
    "?connect_timeout=&user=other",
    "?connect_timeout=x",
    "?password=q&dbname=d2",
    "?host=h3&port=7",
)
PASSWORDS = ("u:[YOUR-PASSWORD]@", "u:%5BYOUR-PASSWORD%5D@")


def outcome(reader: Callable[[str], Reading], text: str) -> Any:
    try:
        value, notes, provider = reader(text)
    except ParseError as exc:
        return ("error", exc.message, exc.position, exc.hint)
    return (value, list(value), notes, provider)  # the order of the fields too


def test_shortcut_agrees_with_the_keyword_reader() -> None:
    checked = taken = 0
    userinfo = USERINFO + PASSWORDS
    for parts in itertools.product(SCHEMES, userinfo, HOSTS, PORTS, PATHS, QUERIES):
        text = "".join(parts)
        assert outcome(read, text) == outcome(read_by_keywords, text), text
        checked += 1
        taken += _usual_uri(text) is not None
    assert checked > 60_000
    assert taken > 10_000  # the shortcut is taken, not only stepped around


def test_shortcut_reads_the_usual_uri() -> None:
    reading = _usual_uri("postgres://app:pw@[2001:db8::1]:6432/app?sslmode=require")
    assert reading is not None
    value, notes, provider = reading
    assert value == {
        "host": "2001:db8::1",
        "port": 6432,
        "user": "app",
        "password": "pw",
        "dbname": "app",
        "sslmode": "require",
    }
    assert list(value) == ["host", "port", "user", "password", "dbname", "sslmode"]
    assert (notes, provider) == ([], None)
