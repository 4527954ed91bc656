"""The mongodb connector's parser, value shape, schema and to_connection_string."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings, strategies as st

import connectors
from connectors.api import detect
from connectors.connector import Match
from connectors.default_plugins.mongodb import EXAMPLES, MongoDB
from connectors.errors import ParseError
from connectors.plugins import get_connector
from connectors.resource import Resource


def parse(text: str) -> Resource:
    return connectors.parse(text, type="mongodb")


def test_standard_string_gives_windmill_shape() -> None:
    r = parse("mongodb://alice:s3cret@db1.example.com,db2.example.com:27018/app?replicaSet=rs0")
    assert r.resource_type == "mongodb"
    assert r.provider is None
    assert r.value == {
        "db": "app",
        "tls": False,
        "servers": [
            {"host": "db1.example.com", "port": 27017},
            {"host": "db2.example.com", "port": 27018},
        ],
        "credential": {"username": "alice", "password": "s3cret", "db": "app"},
        "options": {"replicaSet": "rs0"},
    }
    assert r.notes == []


def test_srv_string_keeps_srv_form_and_turns_tls_on() -> None:
    r = parse("mongodb+srv://u:p@cluster0.example.com/?authSource=admin")
    assert r.value == {
        "db": "",
        "tls": True,
        "servers": [{"host": "cluster0.example.com"}],
        "srv": True,
        "credential": {"username": "u", "password": "p", "db": "admin"},
    }
    assert parse("mongodb+srv://cluster0.example.com/?tls=false").value["tls"] is False
    assert parse("mongodb+srv://cluster0.example.com/?ssl=false").value["tls"] is False


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("mongodb+srv://a.example.com:27017/", "takes no port"),
        ("mongodb+srv://a.example.com,b.example.com/", "exactly one host"),
        ("mongodb://a.example.com/?srvMaxHosts=2", "only allowed with mongodb"),
        ("mongodb://a.example.com/?srvServiceName=x", "only allowed with mongodb"),
        ("mongodb+srv://a.example.com/?directConnection=true", "directConnection"),
        ("mongodb+srv://a.example.com/?srvMaxHosts=1&replicaSet=rs", "replicaSet"),
        ("mongodb://h/?tlsInsecure=true&tlsAllowInvalidHostnames=true", "cannot both be given"),
        ("mongodb://h/?tls=true&ssl=false", "different values"),
        ("mongodb://h:0/", "invalid port"),
        ("mongodb://h/?w", "without '='"),
        ("mongodb://h/?authSource=", "empty authSource"),
        ("mongodb://h/my db", "cannot contain"),
        ("mongodb:///tmp/mongodb.sock", "no host"),
        ("postgres://h/", "expected the scheme"),
    ],
)
def test_spec_errors(text: str, problem: str) -> None:
    with pytest.raises(ParseError, match=problem):
        parse(text)


def test_unix_socket_and_ipv6_hosts() -> None:
    r = parse("mongodb://%2Ftmp%2Fmongodb-27017.sock,[::1]:27018,rel%2Fm.sock/db")
    assert r.value["servers"] == [
        {"host": "/tmp/mongodb-27017.sock"},
        {"host": "::1", "port": 27018},
        {"host": "rel/m.sock"},
    ]
    assert connectors.to_connection_string(r) == (
        "mongodb://%2Ftmp%2Fmongodb-27017.sock,[::1]:27018,rel%2Fm.sock/db"
    )


def test_percent_decoding_of_user_password_and_db() -> None:
    r = parse("mongodb://us%40er:p%3Ass%2Fw%25rd@h/my%3Ddb")
    assert r.value["credential"] == {"username": "us@er", "password": "p:ss/w%rd", "db": "my=db"}
    assert r.value["db"] == "my=db"


def test_options_case_insensitive_typed_and_canonical() -> None:
    r = parse(
        "mongodb://h/?REPLICASET=rs0&AppName=app&MAXPOOLSIZE=5&retrywrites=false&w=majority"
        "&readPreference=secondary&readPreferenceTags=dc:ny,rack:1&readPreferenceTags="
        "&compressors=zstd,zlib&authMechanismProperties=SERVICE_NAME:x"
    )
    assert r.value["options"] == {
        "replicaSet": "rs0",
        "appname": "app",
        "maxPoolSize": 5,
        "retryWrites": False,
        "w": "majority",
        "readPreference": "secondary",
        "readPreferenceTags": [{"dc": "ny", "rack": "1"}, {}],
        "compressors": ["zstd", "zlib"],
        "authMechanismProperties": {"SERVICE_NAME": "x"},
    }
    assert r.notes == []


def test_warnings_become_notes() -> None:
    r = parse("mongodb://h/?foo=bar&maxPoolSize=-1&replicaSet=a&replicaSet=b&journal=")
    assert r.value["options"] == {"replicaSet": "b"}
    assert r.notes == [
        "unknown option 'foo' ignored",
        "invalid value for option maxPoolSize; ignored",
        "option replicaSet given more than once; the last value is used",
        "option journal has an empty value; ignored",
    ]


def test_tls_implied_by_tls_options() -> None:
    assert parse("mongodb://h/?tlsCAFile=ca.pem").value["tls"] is True
    assert parse("mongodb://h/?tlsCAFile=ca.pem&tls=false").value["tls"] is False
    assert parse("mongodb://h/").value["tls"] is False


@pytest.mark.parametrize(
    ("text", "credential"),
    [
        ("mongodb://u:p@h", {"username": "u", "password": "p", "db": "admin"}),
        ("mongodb://u:p@h/app", {"username": "u", "password": "p", "db": "app"}),
        ("mongodb://u:p@h/app?authSource=admin", {"username": "u", "password": "p", "db": "admin"}),
        (
            "mongodb://u:p@h/?authMechanism=PLAIN",
            {"username": "u", "password": "p", "db": "$external", "mechanism": "PLAIN"},
        ),
        (
            "mongodb://h/app?authMechanism=MONGODB-X509",
            {"db": "$external", "mechanism": "MONGODB-X509"},
        ),
        (
            "mongodb://u:p@h/?authMechanism=SCRAM-SHA-256",
            {"username": "u", "password": "p", "db": "admin", "mechanism": "SCRAM-SHA-256"},
        ),
    ],
)
def test_auth_database_rules(text: str, credential: dict[str, Any]) -> None:
    assert parse(text).value["credential"] == credential


def test_auth_source_alone_configures_no_credential() -> None:
    r = parse("mongodb://h/app?authSource=other")
    assert "credential" not in r.value
    assert r.value["options"] == {"authSource": "other"}


def test_user_without_password_is_a_note() -> None:
    r = parse("mongodb://alice@h")
    assert r.value["credential"] == {"username": "alice", "db": "admin"}
    assert r.notes == [
        "no password given: the default mechanism (SCRAM) will fail until one is set"
    ]


def test_atlas_is_detected_with_notes() -> None:
    text = (
        "mongodb+srv://app:D1fficultP%40ssw0rd@cluster0.ab1cd.mongodb.net/shop"
        "?retryWrites=true&w=majority&appName=Cluster0"
    )
    assert detect(text)[0] == ("mongodb", Match.PROVIDER)
    r = connectors.parse(text)
    assert r.provider == "atlas"
    assert r.value["credential"]["password"] == "D1fficultP@ssw0rd"
    assert r.value["options"] == {"retryWrites": True, "w": "majority", "appname": "Cluster0"}
    assert any("access list" in note for note in r.notes)
    assert any("TXT" in note for note in r.notes)
    assert any("Atlas users live in 'admin'" in note for note in r.notes)
    plain = connectors.parse("mongodb://a-shard-00-00.ab1cd.mongodb.net:27017/?tls=true")
    assert plain.provider == "atlas"


def test_errors_and_repr_never_show_the_password() -> None:
    for text in ("mongodb://u:top%ZZsecret@h", "mongodb://u:top:secret@h"):
        with pytest.raises(ParseError) as info:
            parse(text)
        assert "secret" not in str(info.value)
    r = parse("mongodb://u:topsecret@h/?proxyHost=p&proxyUsername=x&proxyPassword=proxysecret")
    shown = repr(r) + str(r.to_dict())
    assert "topsecret" not in shown and "proxysecret" not in shown


def test_schema_is_valid_json_schema_and_values_validate() -> None:
    jsonschema.Draft202012Validator.check_schema(MongoDB().schema)
    for text in EXAMPLES:
        connectors.validate("mongodb", parse(text).value)
    windmill = {
        "db": "app",
        "tls": True,
        "servers": [{"host": "h", "port": 27017}],
        "credential": {"username": "u", "password": "p", "db": "admin", "mechanism": "SCRAM-SHA-1"},
    }
    assert connectors.validate("mongodb", windmill) == windmill
    secret_fields = get_connector("mongodb").resource_type.secret_fields
    assert "credential.password" in secret_fields
    assert "options.proxyPassword" in secret_fields


def test_windmill_value_renders_a_connection_string() -> None:
    value = {
        "db": "app",
        "tls": True,
        "servers": [{"host": "h", "port": 27017}],
        "credential": {"username": "u", "password": "p", "db": "admin", "mechanism": "SCRAM-SHA-1"},
    }
    text = connectors.to_connection_string(Resource("mongodb", value))
    assert text == "mongodb://u:p@h/app?authMechanism=SCRAM-SHA-1&authSource=admin&tls=true"
    assert parse(text).value == value


@pytest.mark.parametrize("text", EXAMPLES)
def test_examples_round_trip(text: str) -> None:
    r = connectors.parse(text)
    assert connectors.parse(connectors.to_connection_string(r)) == r


_NO_NUL = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))
_HOST = st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z][a-z0-9-]{0,10}){0,2}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(
    username=st.text(_NO_NUL, min_size=1),
    password=st.none() | st.text(_NO_NUL),
    db=st.text(st.characters(exclude_characters='\x00/\\ "$', exclude_categories=("Cs",))),
    hosts=st.lists(st.tuples(_HOST, st.integers(1, 65535)), min_size=1, max_size=3),
    tls=st.booleans(),
)
def test_round_trip_property(
    username: str, password: str | None, db: str, hosts: list[tuple[str, int]], tls: bool
) -> None:
    credential: dict[str, Any] = {"username": username, "db": db or "admin"}
    if password is not None:
        credential["password"] = password
    value = {
        "db": db,
        "tls": tls,
        "servers": [{"host": host, "port": port} for host, port in hosts],
        "credential": credential,
    }
    resource = Resource("mongodb", value, notes=[] if password is not None else _no_pw_note())
    again = connectors.parse(connectors.to_connection_string(resource), type="mongodb")
    assert again == resource


@settings(max_examples=100, deadline=None)
@given(
    username=st.text(_NO_NUL, min_size=1),
    password=st.text(_NO_NUL),
    db=st.text(st.characters(exclude_characters='\x00/\\ "$', exclude_categories=("Cs",))),
    host=_HOST,
)
def test_srv_round_trip_property(username: str, password: str, db: str, host: str) -> None:
    value = {
        "db": db,
        "tls": True,
        "servers": [{"host": host}],
        "srv": True,
        "credential": {"username": username, "password": password, "db": "admin"},
    }
    again = connectors.parse(connectors.to_connection_string(Resource("mongodb", value)))
    assert again.value == value


def _no_pw_note() -> list[str]:
    return ["no password given: the default mechanism (SCRAM) will fail until one is set"]
