"""The one-match shortcut of the Redis parser gives what the full parser gives, or steps aside."""

from __future__ import annotations

import itertools

from connectors.errors import ParseError
from connectors.redis.parser import parse_full_url, parse_redis_url

SCHEMES = ("redis://", "rediss://", "REDIS://", "unix://")
USERINFO = (
    "",
    "u@",
    ":p@",
    "u:p@",
    "user.name~x-y_z:pa-ss@",
    "u:p%40@",
    "%75%FF:p@",
    "u:%C3%A4%zz@",
    "@",
    ":@",
    "a:b:c@",
)
HOSTS = ("localhost", "h", "cache.example.com", "Host.Example", "10.0.0.1", "a-b.c", "[::1]", "-x")
PORTS = ("", ":0", ":1", ":6379", ":65535", ":65536", ":99999", ":01", ":x", ":")
PATHS = ("", "/", "/0", "/15", "/007", "/x", "/2?db=3", "/1#frag", "/9999999999")
QUERIES = (
    "",
    "?",
    "?db=4&protocol=3",
    "?socket_timeout=5&x=%41+b&x=2",
    "?host=other&port=1",
    "?password=q",
    "?db=-1",
    "?client_name=%FF",
    "#f?db=2",
)


def outcome(parse, text):
    try:
        return parse(text)
    except ParseError as exc:
        return ("error", exc.message, exc.position)


def test_shortcut_agrees_with_the_full_parser():
    checked = 0
    for parts in itertools.product(SCHEMES, USERINFO, HOSTS, PORTS, PATHS, QUERIES):
        text = "".join(parts)
        assert outcome(parse_redis_url, text) == outcome(parse_full_url, text), text
        checked += 1
    assert checked > 200_000


def test_shortcut_keeps_the_field_order():
    value = parse_redis_url("rediss://default:tok@cache.example.com:6380/2")
    assert list(value) == list(parse_full_url("rediss://default:tok@cache.example.com:6380/2"))
