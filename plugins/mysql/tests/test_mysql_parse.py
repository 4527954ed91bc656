"""Parsing every MySQL string form, provider notes, round trips and bad input."""

from __future__ import annotations

import sys

import pytest
from storage_connectors_mysql import MySQL

import connectors
from connectors import ParseError


def parse(text, **kwargs):
    return connectors.parse(text, **kwargs)


@pytest.mark.parametrize("example", MySQL.examples)
def test_examples_parse_validate_and_round_trip(example):
    resource = parse(example)
    assert resource.resource_type == "mysql"
    assert connectors.validate("mysql", resource.value) == resource.value
    again = parse(connectors.to_connection_string(resource))
    assert (again.value, again.provider) == (resource.value, resource.provider)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "mysql://app:s%40cr%2Ft@db.example.com:3307/shop?ssl-mode=VERIFY_CA&charset=utf8mb4",
            {
                "host": "db.example.com",
                "port": 3307,
                "user": "app",
                "database": "shop",
                "password": "s@cr/t",
                "ssl": True,
                "ssl_mode": "VERIFY_CA",
                "charset": "utf8mb4",
            },
        ),
        (
            "mariadb://app@[::1]/shop",
            {"host": "::1", "port": 3306, "user": "app", "database": "shop", "ssl": False},
        ),
        (
            "mysql+pymysql://app:pw@localhost/shop?ssl=true",
            {
                "host": "localhost",
                "port": 3306,
                "user": "app",
                "database": "shop",
                "password": "pw",
                "ssl": True,
            },
        ),
        (
            "jdbc:mysql://localhost:3306/shop?user=app&password=p+w%21&useSSL=true"
            "&connectTimeout=2500",
            {
                "host": "localhost",
                "port": 3306,
                "user": "app",
                "database": "shop",
                "password": "p w!",
                "ssl": True,
                "connect_timeout": 3,
            },
        ),
        (
            "jdbc:mariadb://localhost/shop?user=app&sslMode=trust",
            {
                "host": "localhost",
                "port": 3306,
                "user": "app",
                "database": "shop",
                "ssl": True,
                "ssl_mode": "REQUIRED",
            },
        ),
        (
            "host=localhost port=3307 user=app password='a b' database=shop ssl-mode=DISABLED",
            {
                "host": "localhost",
                "port": 3307,
                "user": "app",
                "database": "shop",
                "password": "a b",
                "ssl": False,
                "ssl_mode": "DISABLED",
            },
        ),
        (
            "app:p@ss@tcp(localhost:3306)/shop?tls=true&parseTime=true",
            {
                "host": "localhost",
                "port": 3306,
                "user": "app",
                "database": "shop",
                "password": "p@ss",
                "ssl": True,
                "ssl_mode": "VERIFY_IDENTITY",
            },
        ),
        (
            "mysql -h 127.0.0.1 -P 3307 -u app -psecret shop",
            {
                "host": "127.0.0.1",
                "port": 3307,
                "user": "app",
                "database": "shop",
                "password": "secret",
                "ssl": False,
            },
        ),
    ],
)
def test_forms(text, value):
    assert parse(text, type="mysql").value == value


def test_planetscale_branch_password_and_tls():
    r = parse("mysql://k7x2p9q4:pscale_pw_abc@aws.connect.psdb.cloud/shop?sslaccept=strict")
    assert r.provider == "planetscale"
    assert r.value["ssl"] is True and r.value["ssl_mode"] == "VERIFY_IDENTITY"
    assert any("branch" in note for note in r.notes)
    bare = parse("mysql://k7x2p9q4:pscale_pw_abc@aws.connect.psdb.cloud/shop")
    assert bare.value["ssl"] is True
    assert any("ssl set to true" in note for note in bare.notes)


def test_azure_user_at_server_form():
    r = parse(
        "Server=shop.mysql.database.azure.com; Port=3306; Database=shop; Uid=admin@shop; "
        "Pwd={your_password}; SslMode=Required;"
    )
    assert r.provider == "azure"
    assert r.value["user"] == "admin@shop" and "password" not in r.value
    assert any("user@server" in note for note in r.notes)
    assert any("placeholder" in note for note in r.notes)
    url = connectors.to_connection_string(r)
    assert "admin%40shop@" in url


def test_azure_jdbc_with_encoded_user():
    r = parse("jdbc:mysql://shop.mysql.database.azure.com:3306/shop?useSSL=true"
              "&user=admin%40shop&password=pw")  # fmt: skip
    assert (r.provider, r.value["user"], r.value["ssl"]) == ("azure", "admin@shop", True)


@pytest.mark.parametrize(
    ("text", "provider", "port", "note"),
    [
        (
            "mysql://avnadmin:pw@mysql-1a2b-proj.aivencloud.com:12691/defaultdb?ssl-mode=REQUIRED",
            "aiven",
            12691,
            "CA certificate",
        ),
        (
            "mysql://admin:pw@app.abc123.eu-west-1.rds.amazonaws.com:3306/app",
            "aws",
            3306,
            "RDS CA bundle",
        ),
        (
            "mysql://admin:pw@c.cluster-ro-abc123.eu-west-1.rds.amazonaws.com/app",
            "aws",
            3306,
            "read-only",
        ),
        (
            "mysql://doadmin:pw@db-mysql-nyc1-1-do-user-1-0.b.db.ondigitalocean.com:25060/defaultdb"
            "?ssl-mode=REQUIRED",
            "digitalocean",
            25060,
            "25060",
        ),
    ],
)
def test_providers(text, provider, port, note):
    r = parse(text)
    assert (r.provider, r.value["port"]) == (provider, port)
    assert any(note in n for n in r.notes)


def test_aws_tls_is_not_forced():
    r = parse("mysql://admin:pw@app.abc123.eu-west-1.rds.amazonaws.com/app")
    assert r.value["ssl"] is False


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("mysql://app:p@ss@localhost/shop", "unencoded '@'", 13),
        ("mysql://app:pa/ss@localhost/shop", "unencoded '/' in the password", 14),
        ("mysql://app:pa#ss@localhost/shop", "unencoded '#' in the password", 14),
        ("mysql://app:secret@localhost:70000/shop", "invalid port (expected 1-65535)", 29),
        ("mysql://app:secret@localhost:0/shop", "invalid port", 29),
        ("mysql://app:secret@localhost/shop?sslmod=REQUIRED", "unknown option 'sslmod'", 34),
        ("mysql://app:secret@localhost/shop?ssl-mode=MAYBE", "ssl-mode must be one of", 34),
        ("mysql://app:secret@h1,h2/shop", "several hosts", 21),
        ("mysql://app:s%zzret@localhost/shop", "invalid percent-encoding in the password", 13),
        ("host=localhost port=99999 user=app", "invalid port", 20),
        ("Server=h;Uid=app;Colour=blue", "unknown option 'Colour'", 17),
    ],
)
def test_bad_input_names_problem_and_position(text, message, position):
    with pytest.raises(ParseError) as caught:
        parse(text, type="mysql")
    assert message in str(caught.value)
    assert caught.value.position == position
    for secret in ("p@ss", "pa/ss", "pa#ss", "secret", "s%zzret"):
        if secret in text:
            assert secret not in str(caught.value)


def test_did_you_mean_for_a_misspelt_option():
    with pytest.raises(ParseError, match="did you mean 'ssl-mode'"):
        parse("mysql://app@localhost/shop?ssl-mdoe=REQUIRED")


def test_secrets_are_masked_in_repr_and_dict():
    r = parse("mysql://app:hunter2@localhost/shop")
    assert "hunter2" not in repr(r)
    assert "hunter2" not in str(r.to_dict())


def test_other_families_are_not_claimed():
    assert MySQL().detect("postgresql://u:p@localhost/db") == 0
    assert MySQL().detect("redis://localhost:6379/0") == 0
    assert parse("postgresql://u:p@localhost/db").resource_type == "postgresql"
    assert parse("host=localhost dbname=app user=u").resource_type == "postgresql"


def test_keyword_string_with_mysql_keys_is_mysql_not_postgresql():
    r = parse("host=localhost user=app password=pw database=shop")
    assert r.resource_type == "mysql"


@pytest.mark.parametrize(
    "text",
    [
        "\x00app:secret@tcp(localhost:3306)/shop",  # a NUL no URL can carry back
        'mysql -h h -u u -"bucket":pX db',  # shlex removed the quotes: position still inside
        "UID=",  # an empty user is no setting
        "mariadb://u:p@h:3306/db?charset=",  # an empty charset is the default: not kept
    ],
)
def test_fuzz_regressions_parse_cleanly_or_round_trip(text):
    try:
        r = parse(text, type="mysql")
    except ParseError as error:
        assert 0 <= error.position <= len(text)
        return
    assert parse(connectors.to_connection_string(r), type="mysql").value == r.value


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("jdbc:mysql:loadbalance://h1,h2/shop", "JDBC sub-protocol 'loadbalance'"),
        ("jdbc:mysql:secret&ssl=true", "this JDBC form"),
        ("jdbc:mysql:/%2Fh:3306/shop?user=app&password=secret", "this JDBC form"),
    ],
)
def test_a_jdbc_form_without_two_slashes_quotes_no_text_but_a_known_word(text, named):
    # found by the fuzz campaign: the whole rest of the string, password included, was quoted
    with pytest.raises(ParseError) as caught:
        parse(text, type="mysql")
    message = str(caught.value)
    assert named in message and "secret" not in message
    assert caught.value.position == len("jdbc:mysql:")


def test_an_empty_charset_is_no_charset():
    value = parse("mariadb://u:p@h:3306/db?charset=", type="mysql").value
    assert "charset" not in value
    assert (
        parse("mariadb://u:p@h:3306/db?charset=latin1", type="mysql").value["charset"] == "latin1"
    )


def test_a_jdbc_value_with_percent_00_is_refused():
    # found by the fuzz campaign: JDBC's decoding let %00 through, and no string carries a NUL
    with pytest.raises(ParseError) as caught:
        parse("jdbc:mariadb://localhost:3306/shop?user=%00app&password=secret", type="mysql")
    assert caught.value.message == "forbidden %00 in the value of 'user'"
    assert caught.value.position == len("jdbc:mariadb://localhost:3306/shop?user=")


def test_text_read_as_an_option_name_is_not_shown():
    # found by the fuzz campaign: a pasted URL read as an option name showed its password
    with pytest.raises(ParseError) as caught:
        parse("app:pw@tcp(h:3306)/shop?x://u:pscale_pw_abc123@h/s?ssl={%2U}", type="mysql")
    assert "pscale_pw_abc123" not in str(caught.value)
    assert caught.value.message == "invalid percent-encoding in the value of (name not shown)"
    text = "jdbc:mysql://h:3306/shop?pooling=true&x://u:pscale_pw_abc123@h/s"
    assert parse(text, type="mysql").notes[-1] == (
        "driver options with no place in the resource were left out: "
        "pooling, 1 more (not shown: not option names)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # found by the fuzz campaign: 0 is outside the schema, 5,000 digits Python's ValueError
        ("host=localhost user=app connect_timeout=0", "connect_timeout must be at least 1 second"),
        ("host=localhost user=app connect_timeout=" + "9" * 5000, "must be a whole number"),
    ],
)
def test_a_connect_timeout_is_checked_before_conversion(text, message):
    with pytest.raises(ParseError, match=message):
        parse(text, type="mysql")


@pytest.mark.parametrize(
    "text",
    [
        # found by the fuzz campaign (seed 22): the password spliced into an option name
        "|pp:secret@tcp(loca@t(loca@tcp(localhost:3306)/shop?tlsecret&sslMode=VERIFY_IDENTITY",
        "app:hunter2@tcp(localhost:3306)/shop?hunter2=1",
        "mysql://app:s3cr3tpw@localhost/shop?xs3cr3t=1",
    ],
)
def test_an_unknown_option_sharing_text_with_the_password_is_not_named(text):
    with pytest.raises(ParseError) as raised:
        connectors.parse(text, type="mysql")
    assert "unknown option (name not shown)" in raised.value.message
    assert "secret" not in str(raised.value) and "hunter2" not in str(raised.value)
    assert "s3cr3t" not in str(raised.value)


def test_an_unknown_option_is_still_named_otherwise():
    with pytest.raises(ParseError, match="unknown option 'tlz'"):
        connectors.parse("app:pw@tcp(localhost:3306)/shop?tlz=true", type="mysql")


def test_no_other_character_lower_cases_to_the_first_letter_of_a_text_form() -> None:
    from storage_connectors_mysql import _HEADS, _INITIALS

    firsts = {head[0] for head in _HEADS}
    every = map(chr, range(sys.maxunicode + 1))
    assert [char for char in every if char.lower()[:1] in firsts and char not in _INITIALS] == []
