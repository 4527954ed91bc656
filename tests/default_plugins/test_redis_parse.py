"""The redis parser against redis-py's own ``parse_url`` (the oracle), plus round trips."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings, strategies as st

import connectors
from connectors import ParseError
from connectors.redis.parser import CHECKED_OPTIONS, TYPED_FIELDS, to_bool

redis_connection = pytest.importorskip("redis.connection")


def oracle(url: str) -> dict:
    """redis-py's ``parse_url`` result in the shape of a redis resource value."""
    kwargs = redis_connection.parse_url(url)
    cls = kwargs.pop("connection_class", None)
    value: dict = {}
    if cls is redis_connection.UnixDomainSocketConnection:
        value["unix_socket_path"] = kwargs.pop("path")
    else:
        value["host"] = kwargs.pop("host", "localhost")
        value["port"] = int(kwargs.pop("port", 6379))
    value["db"] = kwargs.pop("db", 0)
    value["username"] = kwargs.pop("username", "")
    value["password"] = kwargs.pop("password", "")
    value["tls"] = cls is redis_connection.SSLConnection
    for name in TYPED_FIELDS:
        if name in kwargs:
            item = kwargs.pop(name)
            if name == "decode_responses":  # redis-py passes it on as a string
                item = to_bool(item)
            value[name] = item.lower() if name == "ssl_cert_reqs" else item
    if kwargs:
        value["options"] = kwargs
    return value


def ours(url: str) -> dict:
    """Our value, with the options redis-py types converted by redis-py's own parsers."""
    value = connectors.parse(url, type="redis").value
    options = value.get("options", {})
    for name in CHECKED_OPTIONS:
        if name in options:
            options[name] = redis_connection.URL_QUERY_ARGUMENT_PARSERS[name](options[name])
    return value


AGREES = [
    "redis://localhost",
    "redis://",
    "redis://localhost:6380/3",
    "rediss://user:pass@host:6380/1",
    "redis://:mypassword@localhost",
    "redis://myuser:@localhost",
    "redis://myuser@localhost",
    "redis://u%40x:p%3Aw%2Fd@h",
    "redis://user:pa+ss@h",
    "redis://user:p%zz%2@h",
    "redis://user:pa:ss:x@h",
    "redis://us@er:pa@ss@h",
    "redis://user:%C3%A9t%C3%A9%20x@h",
    "redis://[::1]:6380/1",
    "redis://[2001:db8::1]/2",
    "redis://[fe80::1%25eth0]:6379",
    "redis://HOST.Example.COM/0",
    "redis://%68ost",
    "redis://h/abc",
    "redis://h/?db=3",
    "redis://h/2?db=5",
    "redis://h/%33",
    "redis://h/1/",
    "redis://h?db=5&db=6",
    "redis://h?socket_timeout=0.5&socket_connect_timeout=2&socket_keepalive=yes"
    "&retry_on_timeout=0&health_check_interval=30&max_connections=10&protocol=3",
    "redis://h?client_name=my+app",
    "redis://h?foo=bar%2520baz",
    "redis://h?a=&b=2",
    "redis://h?flag&x=1",
    "redis://h?x%2By=1+2",
    "redis://h?decode_responses=True",
    "redis://h?socket_keepalive=No&retry_on_timeout=F&ssl_check_hostname=n",
    "rediss://h?ssl_cert_reqs=none&ssl_ca_certs=%2Fetc%2Fca.pem&ssl_check_hostname=false",
    "rediss://h?ssl_cert_reqs=optional&ssl_certfile=/c.pem&ssl_keyfile=/k.pem&ssl_password=x",
    "rediss://h?ssl_cert_reqs=REQUIRED",
    "rediss://h?ssl_min_version=771&socket_read_size=65536&timeout=3"
    "&ssl_include_verify_flags=VERIFY_X509_STRICT,VERIFY_X509_PARTIAL_CHAIN",
    "rediss://h?ssl_ca_data=-----BEGIN+CERTIFICATE-----%0AMIIB%0A-----END+CERTIFICATE-----",
    "unix:///tmp/redis.sock",
    "unix:///tmp/redis.sock?db=3",
    "unix://:pw@/var/run/redis.sock?db=1",
    "unix:///path%20with%20space.sock",
    "redis://?host=h2&port=6390",
    "redis://h1?host=h2",
    "redis://?password=pw&username=u",
    "redis://u:p@h?password=other",
    "redis://h#frag",
    "redis://h/0#x?db=4",
    "redis://h:6379/0?legacy_responses=1",
]


@pytest.mark.parametrize("url", AGREES)
def test_agrees_with_redis_py(url):
    assert ours(url) == oracle(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://h",
        "redis:h:6379",
        "redis//h",
        "redis://h:abc",
        "redis://h:70000",
        "redis://h?db=x",
        "redis://h?socket_timeout=soon",
        "redis://h?max_connections=1.5",
        "redis://[::1",
        "redis://h?ssl_include_verify_flags=NOPE",
        "redis://::1:6379",
        "redis://[zz]:1",
    ],
)
def test_rejected_like_redis_py(url):
    with pytest.raises(ValueError):
        redis_connection.parse_url(url)
    with pytest.raises(ParseError):
        connectors.parse(url, type="redis")


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("redis://h?protocol=4", "protocol must be 2 or 3"),
        ("rediss://h?ssl_cert_reqs=maybe", "ssl_cert_reqs must be"),
        ("redis://h:0", "invalid port"),
        ("redis://h/-1", "0 or more"),
        ("redis://h?db=-2", "0 or more"),
        ("redis://u:p%C3@h", "not UTF-8"),
        ("unix://", "socket path"),
        ("redis://h\n/0", "line break"),
    ],
)
def test_stricter_than_redis_py(url, problem):
    with pytest.raises(ParseError, match=problem):
        connectors.parse(url, type="redis")


def test_value_shape_and_defaults():
    r = connectors.parse("redis://localhost")
    assert r.resource_type == "redis"
    assert r.value == {
        "host": "localhost",
        "port": 6379,
        "db": 0,
        "username": "",
        "password": "",
        "tls": False,
    }
    assert r.provider is None and r.notes == []


def test_unix_socket_value():
    r = connectors.parse("unix://:pw@/run/redis/redis.sock?db=2&socket_timeout=3")
    assert r.value == {
        "unix_socket_path": "/run/redis/redis.sock",
        "db": 2,
        "username": "",
        "password": "pw",
        "tls": False,
        "socket_timeout": 3.0,
    }
    assert (
        connectors.to_connection_string(r)
        == "unix://:pw@/run/redis/redis.sock?db=2&socket_timeout=3.0"
    )


def test_tls_options_and_notes():
    r = connectors.parse("rediss://default:s3cret@cache.example.com:6380/2?ssl_cert_reqs=none")
    assert r.value["tls"] is True
    assert r.value["ssl_cert_reqs"] == "none"
    assert any("certificate is not checked" in note for note in r.notes)
    plain = connectors.parse("redis://:s3cret@cache.example.com")
    assert any("unencrypted" in note for note in plain.notes)
    assert connectors.parse("redis://:s3cret@127.0.0.1").notes == []


@pytest.mark.parametrize(
    ("host", "provider"),
    [
        ("my-cache.abc123.ng.0001.use1.cache.amazonaws.com", "aws"),
        ("myname.redis.cache.windows.net", "azure"),
        ("redis-12345.c1.us-east-1-2.ec2.redns.redis-cloud.com", "redis-cloud"),
        ("example.com", None),
    ],
)
def test_providers(host, provider):
    assert connectors.parse(f"rediss://:pw@{host}:6380").provider == provider


def test_upstash_host_is_upstash_redis_unless_forced():
    url = "rediss://default:AX8s@eu1-merry-cat-32748.upstash.io:6379"
    assert connectors.parse(url).resource_type == "upstash_redis"
    forced = connectors.parse(url, type="redis")
    assert forced.provider == "upstash"
    assert forced.value["host"] == "eu1-merry-cat-32748.upstash.io"
    assert connectors.parse("redis://localhost:6379").resource_type == "redis"


def test_errors_never_quote_the_password():
    secret = "hunter2-very-secret"
    for url in (
        f"redis://:{secret}",  # no '@': the password reads as a port
        f"redis://:{secret}#x@h",  # unencoded '#'
        f"redis://u:{secret}/x@h:1",
        f"redis://h?password={secret}&db=x",
    ):
        with pytest.raises(ParseError) as info:
            connectors.parse(url, type="redis")
        assert secret not in str(info.value)


def test_unencoded_hash_gets_a_hint():
    with pytest.raises(ParseError, match="must be percent-encoded"):
        connectors.parse("redis://:pa#ss@h:6379", type="redis")


def test_repr_hides_secrets():
    r = connectors.parse("rediss://u:p%40ss-w0rd@h?ssl_password=keypass1")
    assert "p@ss-w0rd" not in repr(r) and "keypass1" not in repr(r)


@pytest.mark.parametrize("url", AGREES)
def test_round_trip_of_corpus(url):
    first = connectors.parse(url, type="redis")
    again = connectors.parse(connectors.to_connection_string(first))
    assert again.value == first.value
    assert connectors.parse(connectors.to_connection_string(again)) == again
    assert oracle(connectors.to_connection_string(first)) == ours(url)


def test_validate_normalises():
    value = connectors.validate("redis", {"host": "Cache.Example.com", "password": "x"})
    assert value == connectors.parse("redis://:x@cache.example.com").value


def test_validate_reports_bad_options():
    with pytest.raises(connectors.ValidationError, match="socket_read_size"):
        connectors.validate("redis", {"host": "h", "options": {"socket_read_size": "big"}})


def test_windmill_mongodb_shaped_value_is_converted():
    value = {
        "db": 2,
        "tls": True,
        "servers": [{"host": "cache.example.com", "port": 6380}],
        "credential": {"password": "pw-secret"},
    }
    assert (
        connectors.validate("redis", value)
        == connectors.parse("rediss://:pw-secret@cache.example.com:6380/2").value
    )
    assert "pw-secret" not in repr(connectors.Resource("redis", value))


# --- property tests ------------------------------------------------------------------------

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=24)
_awkward = st.text(st.sampled_from("@:/?#%+ &=[]é€\x00\t😀aZ9"), max_size=12)
_secret = st.one_of(_text, _awkward)
_host = st.one_of(
    st.from_regex(r"[a-z][a-z0-9-]{0,20}(\.[a-z][a-z0-9-]{0,10}){0,3}", fullmatch=True),
    st.ip_addresses().map(str),
)
_optional = {
    "socket_timeout": st.floats(0.01, 1e6, allow_nan=False),
    "protocol": st.sampled_from([2, 3]),
    "client_name": _text.filter(bool),
    "ssl_cert_reqs": st.sampled_from(["none", "optional", "required"]),
    "ssl_check_hostname": st.booleans(),
    "ssl_ca_certs": _text.filter(bool),
    "max_connections": st.integers(1, 10_000),
}


@st.composite
def values(draw):
    value = {}
    if draw(st.booleans()):
        value["host"] = draw(_host)
        value["port"] = draw(st.integers(1, 65535))
    else:
        value["unix_socket_path"] = "/" + draw(_text)
    value["db"] = draw(st.integers(0, 10_000))
    value["username"] = draw(_secret)
    value["password"] = draw(_secret)
    value["tls"] = draw(st.booleans()) and "host" in value
    for name, strategy in _optional.items():
        if draw(st.booleans()):
            value[name] = draw(strategy)
    options = draw(
        st.dictionaries(st.from_regex(r"x_[a-z]{1,8}", fullmatch=True), _text.filter(bool))
    )
    if options:
        value["options"] = options
    return value


@settings(max_examples=300, deadline=None)
@given(values())
def test_property_round_trip_and_oracle(value):
    r = connectors.Resource("redis", value)
    url = connectors.to_connection_string(r)
    parsed = connectors.parse(url, type="redis")
    assert parsed.value == value
    assert ours(url) == oracle(url)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_property_only_parse_errors(tail):
    for scheme in ("redis://", "rediss://", "unix://"):
        with contextlib.suppress(ParseError):
            connectors.parse(scheme + tail, type="redis")


def test_console_password_placeholder_is_not_taken_as_the_password():
    r = connectors.parse("rediss://default:[YOUR-PASSWORD]@redis-1.c1.cloud.example.com:6380")
    assert r.value["password"] == ""
    assert "console placeholder" in r.notes[0]
