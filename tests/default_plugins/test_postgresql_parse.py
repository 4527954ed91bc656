"""The postgresql parser: libpq's own parser as an oracle, every pasted form, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

import connectors
from connectors.api import detect
from connectors.errors import ParseError
from connectors.postgresql.parser import parse_conninfo
from connectors.postgresql.value import to_keyword_value, to_uri

psycopg = pytest.importorskip("psycopg")
psycopg_conninfo = pytest.importorskip("psycopg.conninfo")

# Strings libpq accepts: our keyword dict must equal PQconninfoParse's.
ORACLE_OK = [
    "postgresql://",
    "postgres://",
    "postgresql://localhost",
    "postgresql://localhost:5433",
    "postgresql://localhost/mydb",
    "postgresql://user@localhost",
    "postgresql://user:secret@localhost",
    "postgresql://other@localhost/otherdb?connect_timeout=10&application_name=myapp",
    "postgresql://host1:123,host2:456/somedb?target_session_attrs=any&application_name=myapp",
    "postgresql:///mydb?host=localhost&port=5433",
    "postgresql://user@host/db?user=other",
    "postgresql://host:5432/db?host=other",
    "postgresql://h/?host=a&host=b",
    "postgresql://%68ost/",
    "postgresql://h/?u%73er=x",
    "postgresql://user:pa+ss@host/d+b?application_name=a+b",
    "postgresql://user:pa:ss@host",
    "postgresql://user:p@ss@host",
    "postgres://@host",
    "postgresql://u:@h",
    "postgresql://:pw@h",
    "postgresql://[2001:db8::1234]/",
    "postgresql://[200z:db8::1234]/",
    "postgresql://[fe80::1%25eth0]/d",
    "postgresql://%2Fvar%2Flib%2Fpostgresql/dbname",
    "postgresql:///dbname?host=/var/lib/postgresql",
    "postgres://host:/",
    "postgres://:12345/",
    "postgresql://host1,host2:5433,host3/db",
    "postgresql://[::1]:5432,[2001:db8::1]:6543/db",
    "postgresql://h,/db",
    "postgresql://host/db#frag",
    "postgresql://h//db",
    "postgresql://h/d/e",
    "postgresql://host?",
    "postgresql://h/?port=1&",
    "postgresql://h/db?ssl=true",
    "postgresql://h/d?  user = uri-user & port  = 12345 ",
    "postgresql://host?user=a@b",
    "postgresql://u@h:5432@x/db",
    "postgresql://h/db?options=-c%20synchronous_commit%3Doff",
    "postgresql://h/db?sslmode=verify-full&sslrootcert=system&sslsni=0",
    "postgresql://h/db?application_name=",
    "postgresql://h/?password=&user=",
    "postgresql://%C3%BCser:p%C3%A4ss@h/d%C3%B6",
    "postgresql://h%2Cx/d",
    "host=localhost port=5432 dbname=mydb connect_timeout=10",
    "dbname='my db' password=''",
    r"password='it\'s' user=a\ b",
    "dbname='x'user=y",
    "dbname =  x",
    "dbname=x\\",
    "host=a,b port=1,2",
    "   ",
    "",
    "dbname=postgresql://u@h/db2",
    "options='-c search_path=app' target_session_attrs=read-write",
]

# Strings libpq rejects: we must reject them too.
ORACLE_ERROR = [
    "postgresql://h/?port=1&&user=a",
    "postgresql://h/d?user=a b",
    "postgresql://[::1]z",
    "postgresql://[]",
    "postgresql://[::1",
    "postgresql://h/?zzz",
    "postgresql://h/?key=key=value",
    "postgresql://h/?uzer=x",
    "postgresql://%zz",
    "postgresql://%1",
    "postgresql://%",
    "postgresql://h/%00",
    "postgresql://h/?user=%E9",
    "postgresql://h/?=x",
    "postgresql://h/db?ssl=false",
    "postgre://host",
    "POSTGRESQL://host/db",
    "a=b",
    "dbname",
    "dbname='x",
    "unknownkw=1",
    "dbname=foo bar",
]


@pytest.mark.parametrize("text", ORACLE_OK)
def test_same_keywords_as_libpq(text):
    assert parse_conninfo(text).params == psycopg_conninfo.conninfo_to_dict(text)


@pytest.mark.parametrize("text", ORACLE_ERROR)
def test_rejected_like_libpq(text):
    with pytest.raises((psycopg.ProgrammingError, UnicodeDecodeError)):
        psycopg_conninfo.conninfo_to_dict(text)
    with pytest.raises(ParseError):
        parse_conninfo(text)


def test_error_positions_and_no_secret():
    with pytest.raises(ParseError) as info:
        connectors.parse("postgresql://user:s3cr%zzet@host/db")
    assert info.value.position == 22
    assert "s3cr" not in str(info.value)
    assert "password" in str(info.value)
    with pytest.raises(ParseError) as info:
        connectors.parse("postgresql://[::1]z/db")
    assert info.value.position == 18
    with pytest.raises(ParseError, match="unknown URI query parameter 'uzer'"):
        connectors.parse("postgresql://h/db?uzer=x")
    with pytest.raises(ParseError, match="lowercase"):
        connectors.parse("POSTGRESQL://h/db", type="postgresql")


#: what every postgresql value carries when the string does not say it (issue 13 item 8)
DEFAULTS = {"port": 5432, "sslmode": "prefer"}


def value(text):
    return connectors.parse(text, type="postgresql").value


def test_windmill_shape_and_extensions():
    assert value(
        "postgresql://u:p%40ss@h1:5432,[::1]:6543/db?options=-c%20x%3Dy&connect_timeout=10"
        "&ssl=true&target_session_attrs=read-write&application_name=app"
    ) == {
        "host": "h1",
        "port": 5432,
        "hosts": [{"host": "h1", "port": 5432}, {"host": "::1", "port": 6543}],
        "user": "u",
        "password": "p@ss",
        "dbname": "db",
        "options": "-c x=y",
        "connect_timeout": 10,
        "sslmode": "require",
        "target_session_attrs": "read-write",
        "application_name": "app",
    }
    assert value("postgresql://h1,h2/db?port=6000")["hosts"] == [
        {"host": "h1", "port": 6000},
        {"host": "h2", "port": 6000},
    ]
    assert value("postgresql://h1,h2:5433,h3/db")["hosts"] == [
        {"host": "h1", "port": 5432},
        {"host": "h2", "port": 5433},
        {"host": "h3", "port": 5432},
    ]
    assert value("postgresql://") == DEFAULTS
    assert value("postgres://:12345/") == {"port": 12345, "sslmode": "prefer"}
    assert value("postgresql://%2Fvar%2Frun%2Fpostgresql/db") == {
        **DEFAULTS,
        "host": "/var/run/postgresql",
        "dbname": "db",
    }
    assert value("sslcert=/c.pem sslkey=/k.pem channel_binding=require") == {
        **DEFAULTS,
        "sslcert": "/c.pem",
        "sslkey": "/k.pem",
        "channel_binding": "require",
    }


@pytest.mark.parametrize(
    "text",
    [
        "postgresql://h:notaport/db",
        "postgresql://h:0/db",
        "postgresql://h/db?sslmode=bogus",
        "postgresql://h/db?connect_timeout=soon",
        "host=a,b,c port=1,2",
    ],
)
def test_stricter_than_libpq_parse(text):
    # libpq's parser accepts these and fails at connect time; a resource must be valid now.
    with pytest.raises(ParseError):
        connectors.parse(text, type="postgresql")


def test_keyword_value_quoting_and_escapes():
    assert value(r"host=h dbname='my \'db\'' password='a\\b c' user=x\ y") == {
        **DEFAULTS,
        "host": "h",
        "dbname": "my 'db'",
        "password": "a\\b c",
        "user": "x y",
    }
    assert value("password=''") == {**DEFAULTS, "password": ""}


def test_jdbc():
    r = connectors.parse(
        "jdbc:postgresql://db.example.com:5433,db2.example.com/app?user=me&password=p%26w+x"
        "&ssl=true&ApplicationName=etl&targetServerType=primary&currentSchema=s1"
        "&prepareThreshold=0&loadBalanceHosts=true"
    )
    assert r.value == {
        "host": "db.example.com",
        "port": 5433,
        "hosts": [
            {"host": "db.example.com", "port": 5433},
            {"host": "db2.example.com", "port": 5432},
        ],
        "dbname": "app",
        "user": "me",
        "password": "p&w x",
        "sslmode": "require",
        "application_name": "etl",
        "target_session_attrs": "primary",
        "options": "-c search_path=s1",
        "load_balance_hosts": "random",
        "driver_parameters": {"prepareThreshold": "0"},
    }
    assert "prepareThreshold" in r.notes[1] and "kept aside" in r.notes[1]
    assert value("jdbc:postgresql:mydb") == {**DEFAULTS, "dbname": "mydb"}
    assert value("jdbc:postgresql:/") == DEFAULTS
    assert value("jdbc:postgresql://h/db?sslmode=verify-full&ssl=true")["sslmode"] == "verify-full"


def test_sqlalchemy():
    # unencoded '?' and '@' in the password: the last '@' before the host ends it
    r = connectors.parse("postgresql+psycopg2://app:s?c@ret@localhost:5432/mydb?sslmode=require")
    assert r.value == {
        "host": "localhost",
        "port": 5432,
        "user": "app",
        "password": "s?c@ret",
        "dbname": "mydb",
        "sslmode": "require",
    }
    assert "unencoded '@'" in r.notes[1]
    r = connectors.parse("postgresql+asyncpg://app:pw@localhost/mydb?ssl=require&command_timeout=5")
    assert r.value == {
        "host": "localhost",
        "port": 5432,
        "user": "app",
        "password": "pw",
        "dbname": "mydb",
        "sslmode": "require",
        "driver_parameters": {"command_timeout": "5"},
    }
    assert "asyncpg" in r.notes[0] and "command_timeout" in r.notes[1]


def test_other_pasted_forms():
    assert value("psql 'postgresql://u@h/db?sslmode=require'") == {
        "port": 5432,
        "host": "h",
        "user": "u",
        "dbname": "db",
        "sslmode": "require",
    }
    neon_env = (
        "PGHOST='ep-cool-darkness-a1b2c3d4.us-east-2.aws.neon.tech'\nPGDATABASE='neondb'\n"
        "PGUSER='neondb_owner'\nPGPASSWORD='npg_secret'\nPGSSLMODE='require'\n"
        "PGCHANNELBINDING='require'\n"
    )
    r = connectors.parse(neon_env)
    assert r.provider == "neon"
    assert r.value == {
        "port": 5432,
        "host": "ep-cool-darkness-a1b2c3d4.us-east-2.aws.neon.tech",
        "dbname": "neondb",
        "user": "neondb_owner",
        "password": "npg_secret",
        "sslmode": "require",
        "channel_binding": "require",
    }
    assert value('DATABASE_URL="postgres://u:p@h:6000/db"') == {
        "sslmode": "prefer",
        "host": "h",
        "port": 6000,
        "user": "u",
        "password": "p",
        "dbname": "db",
    }


@pytest.mark.parametrize(
    "placeholder", ["[YOUR-PASSWORD]", "[YOUR_PASSWORD]", "<password>", "YOUR_PASSWORD", "*****"]
)
def test_console_placeholder_is_not_a_password(placeholder):
    r = connectors.parse(
        f"postgresql://postgres:{placeholder}@db.abcdefghijklmnopqrst.supabase.co:5432/postgres"
    )
    assert "password" not in r.value
    assert any("placeholder" in note for note in r.notes)


def test_real_password_named_password_is_kept():
    assert value("postgresql://postgres:password@localhost/db")["password"] == "password"


def test_every_parsed_value_validates():
    for text in ORACLE_OK:
        if text.strip():
            try:
                r = connectors.parse(text, type="postgresql")
            except ParseError:
                continue  # our stricter checks (e.g. ports) may refuse what libpq takes
            assert connectors.validate("postgresql", r.value) == r.value


def test_detection():
    assert detect("host=h dbname=d")[0] == ("postgresql", 20)
    assert detect("postgresql://u@db.abcdefghijklmnopqrst.supabase.co/postgres")[0] == (
        "postgresql",
        30,
    )
    assert connectors.parse("jdbc:postgresql://h/db").resource_type == "postgresql"
    assert connectors.parse("PGHOST=h PGUSER=u").value == {**DEFAULTS, "host": "h", "user": "u"}


def test_repr_and_errors_hide_the_password():
    r = connectors.parse("postgresql://u:hunter2secret@h/db")
    assert "hunter2secret" not in repr(r)
    assert "hunter2secret" not in str(r.to_dict())


# --- round trips --------------------------------------------------------------------------

text_st = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=20,
)
tricky = st.sampled_from(["@", ":", "/", "?", "#", "%", "+", " ", "'", "\\", "&", "=", "é", "ü"])
name_st = st.one_of(text_st, st.lists(tricky, min_size=1, max_size=6).map("".join))
host_st = st.sampled_from(["localhost", "db.example.com", "::1", "2001:db8::7", "/tmp", "10.0.0.1"])


@st.composite
def values(draw):
    v = {}
    hosts = draw(st.lists(st.tuples(host_st, st.none() | st.integers(1, 65535)), max_size=3))
    if len(hosts) == 1:
        v["host"] = hosts[0][0]
        if hosts[0][1]:
            v["port"] = hosts[0][1]
    elif hosts:
        v["hosts"] = [{"host": h, **({"port": p} if p else {})} for h, p in hosts]
        v["host"] = hosts[0][0]
        if hosts[0][1]:
            v["port"] = hosts[0][1]
    for key in ("user", "dbname"):
        if draw(st.booleans()):
            v[key] = draw(name_st)
    if draw(st.booleans()):
        v["password"] = draw(st.one_of(st.just(""), name_st))
    if draw(st.booleans()):
        v["sslmode"] = draw(st.sampled_from(["disable", "prefer", "require", "verify-full"]))
    if draw(st.booleans()):
        v["options"] = draw(st.sampled_from(["-c search_path=a,b", "endpoint=ep-x-1", "-c x='y'"]))
    if draw(st.booleans()):
        v["connect_timeout"] = draw(st.integers(0, 600))
    if draw(st.booleans()):
        v["application_name"] = draw(name_st)
    return v


@settings(max_examples=300, deadline=None)
@given(values())
def test_round_trip_uri(v):
    # validate fills port and sslmode (5432, prefer) as parse does: the canonical value
    canonical = connectors.validate("postgresql", dict(v))
    assert canonical == {**DEFAULTS, **v} | _mirrored_hosts(v)
    assert connectors.validate("postgresql", canonical) == canonical
    # the canonical value round-trips exactly, its port and sslmode written in the string
    text = connectors.to_connection_string(connectors.Resource("postgresql", canonical))
    again = connectors.parse(text)
    assert again.value == canonical
    assert parse_conninfo(text).params == psycopg_conninfo.conninfo_to_dict(text)
    # a resource as parsed (provider and notes included) comes back equal
    assert connectors.parse(connectors.to_connection_string(again)) == again
    # a value without them renders without them, and reads back with the same defaults
    bare = connectors.to_connection_string(connectors.Resource("postgresql", v))
    assert connectors.parse(bare).value == canonical
    assert parse_conninfo(bare).params == psycopg_conninfo.conninfo_to_dict(bare)


def _mirrored_hosts(v):
    """The hosts of ``v`` with the default port, as the canonical value holds them."""
    if "hosts" not in v:
        return {}
    hosts = [{"port": 5432, **entry} for entry in v["hosts"]]
    return {"hosts": hosts, "port": hosts[0]["port"]}


@settings(max_examples=200, deadline=None)
@given(values())
def test_round_trip_keyword_value(v):
    text = to_keyword_value(v)
    if text:
        assert connectors.parse(text, type="postgresql").value == connectors.validate(
            "postgresql", dict(v)
        )
    assert parse_conninfo(text).params == psycopg_conninfo.conninfo_to_dict(text)


def test_to_uri_examples():
    assert to_uri({"user": "a@b", "password": "p:/?#% +", "host": "h", "dbname": "d b"}) == (
        "postgresql://a%40b:p%3A%2F%3F%23%25%20%2B@h/d%20b"
    )
    assert to_uri({"password": "", "user": "", "host": "::1", "port": 5433}) == (
        "postgresql://[::1]:5433?user=&password="
    )
