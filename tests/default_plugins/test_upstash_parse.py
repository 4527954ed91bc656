"""The upstash_redis parser: every textual form of the REST pair, detection, round trips."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st

import connectors
import connectors.api
from connectors import ParseError

URL = "https://eu1-merry-cat-32748.upstash.io"
TOKEN = "AX8sAAIjcDE2YjQ5NGE0ZTBmNTI0NDUyODg2MDQ2NjI5NDI4ZjE5ZnAxMA="
EXPECTED = {"url": URL, "token": TOKEN}


@pytest.mark.parametrize(
    "text",
    [
        f"UPSTASH_REDIS_REST_URL={URL}\nUPSTASH_REDIS_REST_TOKEN={TOKEN}",
        f'UPSTASH_REDIS_REST_URL="{URL}"\nUPSTASH_REDIS_REST_TOKEN="{TOKEN}"\n',
        f"export UPSTASH_REDIS_REST_URL='{URL}'\nexport UPSTASH_REDIS_REST_TOKEN='{TOKEN}'",
        f"UPSTASH_REDIS_REST_URL={URL} UPSTASH_REDIS_REST_TOKEN={TOKEN}",
        f"# from the console\nUPSTASH_REDIS_REST_TOKEN={TOKEN}\n\nUPSTASH_REDIS_REST_URL={URL}/",
        f"KV_REST_API_URL={URL}\nKV_REST_API_TOKEN={TOKEN}\nKV_REST_API_READ_ONLY_TOKEN=x",
        json.dumps(EXPECTED),
        json.dumps({"UPSTASH_REDIS_REST_URL": URL, "UPSTASH_REDIS_REST_TOKEN": TOKEN}),
        f"curl {URL}/set/foo/bar -H 'Authorization: Bearer {TOKEN}'",
        f'curl -X POST -H "Authorization: Bearer {TOKEN}" -d \'["PING"]\' {URL}',
        f"{URL}?_token={TOKEN}",
        f"{URL} {TOKEN}",
        f"{URL}\n{TOKEN}",
        f"{URL}, {TOKEN}",
    ],
)
def test_rest_pair_forms(text):
    r = connectors.parse(text)
    assert r.resource_type == "upstash_redis"
    assert r.value == EXPECTED
    assert r.provider == "upstash"


@pytest.mark.parametrize(
    "text",
    [
        f"rediss://default:{TOKEN}@eu1-merry-cat-32748.upstash.io:6379",
        f"rediss://:{TOKEN}@eu1-merry-cat-32748.upstash.io:6379",
        f"redis-cli --tls -a {TOKEN} -h eu1-merry-cat-32748.upstash.io -p 6379",
        f"redis-cli -u rediss://default:{TOKEN}@eu1-merry-cat-32748.upstash.io:6379",
        f"UPSTASH_REDIS_URL=rediss://default:{TOKEN}@eu1-merry-cat-32748.upstash.io:6379",
    ],
)
def test_tcp_endpoint_yields_rest_pair(text):
    r = connectors.parse(text)
    assert r.resource_type == "upstash_redis"
    assert r.value == EXPECTED
    assert r.provider == "upstash"
    assert any("REST URL derived" in note for note in r.notes)


def test_tcp_endpoint_is_detected_over_redis_and_says_so():
    r = connectors.parse(f"rediss://default:{TOKEN}@eu1-merry-cat-32748.upstash.io:6379")
    assert any("also matched: redis" in note for note in r.notes)
    assert connectors.api.detect("rediss://default:x@eu1-a.upstash.io:6379")[0] == (
        "upstash_redis",
        30,
    )
    assert connectors.parse("rediss://default:x@cache.example.com:6379").resource_type == "redis"


def test_percent_encoded_tcp_password_is_decoded():
    r = connectors.parse("rediss://default:ab%2Bc%3D@x.upstash.io:6379")
    assert r.value == {"url": "https://x.upstash.io", "token": "ab+c="}


def test_plain_redis_scheme_notes_tls():
    r = connectors.parse("redis://default:tok@x.upstash.io:6379")
    assert r.value == {"url": "https://x.upstash.io", "token": "tok"}
    assert any("always uses TLS" in note for note in r.notes)


def test_acl_user_is_noted():
    r = connectors.parse("rediss://reader:tok@x.upstash.io:6379")
    assert any("ACL user 'reader'" in note for note in r.notes)


def test_self_hosted_rest_endpoint_needs_explicit_type():
    text = "UPSTASH_REDIS_REST_URL=http://127.0.0.1:8079\nUPSTASH_REDIS_REST_TOKEN=local"
    r = connectors.parse(text)
    assert r.value == {"url": "http://127.0.0.1:8079", "token": "local"}
    assert r.provider is None and r.notes == []
    other = connectors.parse("http://srh.internal:8079 tok", type="upstash_redis")
    assert any("unencrypted" in note for note in other.notes)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (f"UPSTASH_REDIS_REST_URL={URL}", "token"),
        (f"UPSTASH_REDIS_REST_TOKEN={TOKEN}", "URL"),
        (URL, "token is missing"),
        (f"{URL} {TOKEN} extra", "one URL and one token"),
        ("rediss://default:tok@cache.example.com:6379", "upstash.io"),
        ("rediss://eu1-x.upstash.io:6379", "no password"),
        (f"UPSTASH_REDIS_REST_URL=ftp://x.upstash.io\nUPSTASH_REDIS_REST_TOKEN={TOKEN}", "https"),
        ('{"url": "https://x.upstash.io", "token": "has space"}', "cannot have"),
        ("{not json upstash.io", "invalid JSON"),
    ],
)
def test_errors(text, problem):
    with pytest.raises(ParseError, match=problem) as info:
        connectors.parse(text, type="upstash_redis")
    assert TOKEN not in str(info.value)


def test_native_form_and_round_trip():
    r = connectors.parse(f"{URL} {TOKEN}")
    text = connectors.to_connection_string(r)
    assert text == f"UPSTASH_REDIS_REST_URL={URL}\nUPSTASH_REDIS_REST_TOKEN={TOKEN}"
    assert connectors.parse(text) == r


def test_round_trip_from_tcp_keeps_value_and_provider():
    r = connectors.parse(f"rediss://default:{TOKEN}@eu1-merry-cat-32748.upstash.io:6379")
    again = connectors.parse(connectors.to_connection_string(r))
    assert (again.value, again.provider) == (r.value, r.provider)


def test_secrets_hidden():
    r = connectors.parse(f"{URL} {TOKEN}")
    assert TOKEN not in repr(r)
    assert r.to_dict()["value"]["token"] == "********"


def test_validate():
    assert connectors.validate("upstash_redis", {"url": URL + "/", "token": TOKEN}) == EXPECTED
    with pytest.raises(connectors.ValidationError):
        connectors.validate("upstash_redis", {"url": URL})
    with pytest.raises(connectors.ValidationError, match="/token") as info:
        connectors.validate("upstash_redis", {"url": URL, "token": "has a space-secret"})
    assert "space-secret" not in str(info.value)


_token = st.text(
    st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters="\"'"),
    min_size=1,
    max_size=80,
)
_host = st.from_regex(r"[a-z][a-z0-9-]{0,30}\.upstash\.io", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(_host, _token)
def test_property_round_trip(host, token):
    r = connectors.Resource("upstash_redis", {"url": f"https://{host}", "token": token}, "upstash")
    assert connectors.parse(connectors.to_connection_string(r)) == r
