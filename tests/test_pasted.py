"""Strings as people paste them (issue 14 item 2, issue 13 item 8): each vendor's documented
example gives the right fields and a note of what was assumed or changed; near misses get a
"did you mean"; every error carries a position and a hint."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

import connectors
from connectors.parsing import _unquote, parse_env_block

PG = {"port": 5432, "sslmode": "prefer"}


def parse(text, **kwargs):
    resource = connectors.parse(text, **kwargs)
    # what is parsed is canonical and survives its own connection string
    assert connectors.validate(resource.resource_type, resource.value) == resource.value
    again = connectors.parse(connectors.to_connection_string(resource), **kwargs)
    assert again.value == resource.value
    return resource


def noted(resource, fragment):
    return any(fragment in note for note in resource.notes)


# -- issue 13 item 8: the Windmill documentation's Neon example --------------------------------


@pytest.mark.parametrize("password", ["<password>", "AbC123dEf"])
def test_windmill_neon_example(password):
    r = parse(f"postgres://daniel:{password}@ep-mute-rain-952417.us-east-2.aws.neon.tech/neondb")
    assert r.provider == "neon"
    assert {k: r.value[k] for k in ("host", "port", "user", "dbname", "sslmode")} == {
        "host": "ep-mute-rain-952417.us-east-2.aws.neon.tech",
        "port": 5432,
        "user": "daniel",
        "dbname": "neondb",
        "sslmode": "require",
    }
    assert noted(r, "the string has no port: port 5432 filled in")
    assert noted(r, "sslmode require filled in: the provider requires TLS")


def test_every_postgresql_resource_carries_port_and_sslmode():
    # Render's external URL has no port (render.com/docs/databases)
    r = parse("postgres://render_user:pw@dpg-abc123def456-a.oregon-postgres.render.com/mydb")
    assert r.value["port"] == 5432 and r.value["sslmode"] == "prefer"
    assert noted(r, "port 5432 and sslmode prefer filled in")
    # what the string says is kept, and then nothing is noted
    r = parse("postgresql://u@h:6000/db?sslmode=disable")
    assert (r.value["port"], r.value["sslmode"]) == (6000, "disable")
    assert not noted(r, "filled in")
    # a value stored without them (Windmill's own UI allows it) gets them when validated
    assert connectors.validate("postgresql", {"host": "h", "dbname": "d"}) == {
        "host": "h",
        "dbname": "d",
        **PG,
    }
    supabase = {"host": "db.abcdefghijklmnopqrst.supabase.co", "user": "postgres"}
    assert connectors.validate("postgresql", supabase)["sslmode"] == "require"


def test_the_written_string_says_port_and_sslmode():
    r = parse("postgresql://app:pw@db.example.com/shop")
    assert connectors.to_connection_string(r) == (
        "postgresql://app:pw@db.example.com:5432/shop?sslmode=prefer"
    )


# -- what surrounds the string ------------------------------------------------------------------

URL = "postgresql://app:s3cr%40t@db.example.com:5432/shop"


@pytest.mark.parametrize(
    ("text", "note"),
    [
        (f"'{URL}'", "the quotes around the string were removed"),
        (f'"{URL}"', "the quotes around the string were removed"),
        (f"DATABASE_URL={URL}", None),
        (f'export DATABASE_URL="{URL}"', None),
        (f"\n\n   {URL}  \n", None),
        (f"  '{URL}'\n", "the quotes around the string were removed"),
        (f"psql '{URL}'", "read from a psql command line"),
        (f"psql {URL}", "read from a psql command line"),
    ],
)
def test_postgresql_string_with_its_wrapping(text, note):
    r = parse(text)
    assert r.value == {
        "host": "db.example.com",
        "port": 5432,
        "user": "app",
        "password": "s3cr@t",
        "dbname": "shop",
        "sslmode": "prefer",
    }
    if note:
        assert r.notes[0] == note


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ('REDIS_URL="rediss://:pw@cache.example.com:6380/1"', "read the value of REDIS_URL"),
        ("export REDIS_URL=rediss://:pw@cache.example.com:6380/1", "read the value of REDIS_URL"),
        ("REDIS_URL: rediss://:pw@cache.example.com:6380/1", "read the value of REDIS_URL"),
        ("'rediss://:pw@cache.example.com:6380/1'", "the quotes around the string were removed"),
        ("redis-cli --tls -h cache.example.com -p 6380 -a pw -n 1", "redis-cli command line"),
        ("redis-cli -u rediss://:pw@cache.example.com:6380/1", "redis-cli command line"),
    ],
)
def test_redis_string_with_its_wrapping(text, note):
    r = parse(text)
    assert (r.value["host"], r.value["port"], r.value["db"], r.value["tls"]) == (
        "cache.example.com",
        6380,
        1,
        True,
    )
    assert r.value["password"] == "pw"
    assert note in r.notes[0]


def test_psql_command_lines():
    r = parse("psql -h localhost -p 5433 -U postgres -d mydb")
    assert r.value == {
        "host": "localhost",
        "port": 5433,
        "user": "postgres",
        "dbname": "mydb",
        "sslmode": "prefer",
    }
    r = parse("PGPASSWORD=s3cret psql -h db.example.com -U app shop")
    assert r.value["password"] == "s3cret" and r.value["dbname"] == "shop"
    # Neon's console "psql" tab
    r = parse(
        "psql 'postgresql://alex:AbC123dEf@ep-cool-darkness-a1b2c3d4.us-east-2.aws.neon.tech"
        "/dbname?sslmode=require&channel_binding=require'"
    )
    assert r.provider == "neon" and r.value["channel_binding"] == "require"


def test_mongosh_command_lines():
    # the Atlas console's "Shell" connection string
    r = parse(
        'mongosh "mongodb+srv://cluster0.ab1cd.mongodb.net/" --apiVersion 1 --username dbUser'
    )
    assert r.provider == "atlas"
    assert r.value["servers"] == [{"host": "cluster0.ab1cd.mongodb.net"}]
    assert r.value["credential"]["username"] == "dbUser"
    assert "--apiVersion" in r.notes[0]
    r = parse(
        "mongosh --host db.example.com --port 27018 -u admin -p pw "
        "--authenticationDatabase admin app"
    )
    assert r.value["servers"] == [{"host": "db.example.com", "port": 27018}]
    assert r.value["credential"] == {"username": "admin", "password": "pw", "db": "admin"}
    assert r.value["db"] == "app"


# -- drivers' URLs --------------------------------------------------------------------------------


def test_prisma_and_pgbouncer_parameters_are_kept_aside():
    # Supabase's Prisma guide: the transaction pooler with pgbouncer=true&connection_limit=1
    r = parse(
        "postgres://postgres.abcdefghijklmnopqrst:pw@aws-0-eu-west-1.pooler.supabase.com:6543"
        "/postgres?pgbouncer=true&connection_limit=1"
    )
    assert r.provider == "supabase"
    assert r.value["driver_parameters"] == {"pgbouncer": "true", "connection_limit": "1"}
    assert noted(r, "kept aside in driver_parameters")
    from connectors.postgresql.client import connection_params

    params = connection_params(r.value, None)
    assert "pgbouncer" not in params and "connection_limit" not in params
    assert "driver_parameters" not in params
    assert params["prepare_threshold"] is None
    # Prisma's own docs, a plain PgBouncer
    r = parse("postgresql://USER:PASSWORD@pgbouncer.internal:6432/DATABASE?pgbouncer=true")
    assert connection_params(r.value, None)["prepare_threshold"] is None


def test_pgjdbc_and_django_parameters_are_translated():
    r = parse("jdbc:postgresql://localhost:5432/test?currentSchema=myschema&ssl=true")
    assert r.value["options"] == "-c search_path=myschema"
    assert r.value["sslmode"] == "require"
    # django-environ reads currentSchema from DATABASE_URL as well
    r = parse("postgres://user:pw@localhost/db?currentSchema=app&CONN_MAX_AGE=600")
    assert r.value["options"] == "-c search_path=app"
    assert r.value["driver_parameters"] == {"CONN_MAX_AGE": "600"}
    r = parse("postgresql://u@h/db?ApplicationName=etl&targetServerType=primary")
    assert r.value["application_name"] == "etl"
    assert r.value["target_session_attrs"] == "primary"


@pytest.mark.parametrize(
    ("text", "provider", "what"),
    [
        ("postgis://user:password@localhost:5432/geodjango", None, "postgis"),
        ("pgsql://user:password@localhost/app", None, "pgsql"),
        ("cockroach://root@localhost:26257/defaultdb?sslmode=disable", "cockroachdb", "cockroach"),
        ("cockroachdb://root@localhost:26257/defaultdb", "cockroachdb", "cockroachdb"),
        ("timescale://tsdbadmin:pw@abc123.tsdb.cloud.timescale.com:34567/tsdb", "timescale", ""),
        (
            "redshift://awsuser:pw@examplecluster.abc123.us-west-2.redshift.amazonaws.com:5439/dev",
            "redshift",
            "redshift",
        ),
        ("DATABASE_URL=postgis://user:password@localhost:5432/geodjango", None, "postgis"),
    ],
)
def test_scheme_aliases_of_django_and_sqlalchemy(text, provider, what):
    r = connectors.parse(text)
    assert r.resource_type == "postgresql"
    assert r.provider == provider
    assert noted(r, f"the {what}") or not what
    assert connectors.to_connection_string(r).startswith("postgresql://")


# -- passwords with reserved characters ----------------------------------------------------------


def test_unencoded_at_in_a_password_is_read_up_to_the_last_at():
    r = parse("postgresql://app:p@ss@db.example.com/shop")
    assert (r.value["user"], r.value["password"], r.value["host"]) == (
        "app",
        "p@ss",
        "db.example.com",
    )
    assert r.notes[0].startswith("the password has an unencoded '@'")
    assert "%40" in r.notes[0]
    # Azure Database for PostgreSQL (single server) documented user@server names
    r = parse(
        "postgresql://myadmin@mydemoserver:pw@mydemoserver.postgres.database.azure.com/postgres"
    )
    assert r.value["user"] == "myadmin@mydemoserver" and r.value["password"] == "pw"


def test_unencoded_slash_in_a_password_is_refused_with_position_and_encoding():
    with pytest.raises(connectors.ParseError) as info:
        connectors.parse("postgresql://app:p/ss@db.example.com/shop")
    error = info.value
    assert error.position == 18
    assert "%2F" in error.hint
    assert "p/ss" not in str(error)


# -- Redis: StackExchange.Redis, and cloud databases -------------------------------------------


def test_azure_cache_for_redis_stackexchange_string():
    key = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFG="
    r = parse(f"contoso5.redis.cache.windows.net:6380,password={key},ssl=True,abortConnect=False")
    assert r.resource_type == "redis" and r.provider == "azure"
    assert r.value == {
        "host": "contoso5.redis.cache.windows.net",
        "port": 6380,
        "db": 0,
        "username": "",
        "password": key,
        "tls": True,
    }
    assert noted(r, "StackExchange.Redis") and noted(r, "abortConnect")
    assert key not in repr(r)
    # the Azure docs' .NET quickstart order, without a port: ssl means 6380
    r = parse(f"contoso5.redis.cache.windows.net,abortConnect=false,ssl=true,password={key}")
    assert r.value["port"] == 6380


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        (
            "redis://default:pw@redis-12345.c1.us-east-1-2.ec2.redns.redis-cloud.com/12345",
            "did you mean port 12345",
        ),
        ("rediss://:pw@contoso5.redis.cache.windows.net:6380/16", "numbered 0-15"),
    ],
)
def test_a_cloud_database_beyond_15_is_refused_with_a_hint(text, hint):
    with pytest.raises(connectors.ParseError) as info:
        connectors.parse(text)
    assert hint in info.value.hint
    assert text[info.value.position] == "/"
    assert connectors.parse("redis://localhost:6379/16").value["db"] == 16  # self-hosted: allowed


# -- S3-compatible vendors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "provider", "endpoint", "region", "bucket", "path_style"),
    [
        # Backblaze B2 "S3 Compatible API": the endpoint shown on the bucket page
        (
            "https://s3.us-west-004.backblazeb2.com/my-bucket",
            "backblaze",
            "https://s3.us-west-004.backblazeb2.com",
            "us-west-004",
            "my-bucket",
            True,
        ),
        (
            "https://my-bucket.s3.us-west-004.backblazeb2.com/data.csv",
            "backblaze",
            "https://s3.us-west-004.backblazeb2.com",
            "us-west-004",
            "my-bucket",
            False,
        ),
        # Wasabi service URLs
        (
            "https://s3.eu-central-1.wasabisys.com/my-bucket",
            "wasabi",
            "https://s3.eu-central-1.wasabisys.com",
            "eu-central-1",
            "my-bucket",
            True,
        ),
        (
            "https://s3.wasabisys.com/my-bucket",
            "wasabi",
            "https://s3.us-east-1.wasabisys.com",
            "us-east-1",
            "my-bucket",
            True,
        ),
        # Hetzner Object Storage endpoints (fsn1, nbg1, hel1)
        (
            "https://my-bucket.fsn1.your-objectstorage.com/",
            "hetzner",
            "https://fsn1.your-objectstorage.com",
            "fsn1",
            "my-bucket",
            False,
        ),
        # DigitalOcean Spaces: origin and CDN endpoints
        (
            "https://nyc3.digitaloceanspaces.com/example-space-name",
            "digitalocean",
            "https://nyc3.digitaloceanspaces.com",
            "nyc3",
            "example-space-name",
            True,
        ),
        (
            "https://example-space-name.nyc3.cdn.digitaloceanspaces.com/file.txt",
            "digitalocean",
            "https://nyc3.digitaloceanspaces.com",
            "nyc3",
            "example-space-name",
            False,
        ),
        # Google Cloud Storage XML API (interoperability)
        (
            "https://storage.googleapis.com/my-bucket/object.csv",
            "gcs",
            "https://storage.googleapis.com",
            "auto",
            "my-bucket",
            True,
        ),
        (
            "https://my-bucket.storage.googleapis.com/object.csv",
            "gcs",
            "https://storage.googleapis.com",
            "auto",
            "my-bucket",
            False,
        ),
        # AWS PrivateLink for S3 (interface endpoint DNS names)
        (
            "https://bucket.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com/my-bucket/key",
            "aws",
            "https://bucket.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com",
            "us-east-1",
            "my-bucket",
            True,
        ),
        (
            "https://my-bucket.bucket.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com/key",
            "aws",
            "https://bucket.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com",
            "us-east-1",
            "my-bucket",
            False,
        ),
        # the AWS console's bucket page
        (
            "https://s3.console.aws.amazon.com/s3/buckets/amzn-s3-demo-bucket?region=us-west-2"
            "&bucketType=general&tab=objects",
            "aws",
            "",
            "us-west-2",
            "amzn-s3-demo-bucket",
            False,
        ),
        (
            "https://us-west-2.console.aws.amazon.com/s3/object/amzn-s3-demo-bucket?region=us-west-2"
            "&prefix=photos/puppy.jpg",
            "aws",
            "",
            "us-west-2",
            "amzn-s3-demo-bucket",
            False,
        ),
    ],
)
def test_s3_compatible_vendors(text, provider, endpoint, region, bucket, path_style):
    # a GCS host is the gcs plugin's when it is installed: the s3 reading is asked for by type
    r = parse(text, type="s3") if provider == "gcs" else parse(text)
    assert r.resource_type == "s3" and r.provider == provider
    value = r.value
    assert (value["endPoint"], value["region"], value["bucket"], value["pathStyle"]) == (
        endpoint,
        region,
        bucket,
        path_style,
    )


def test_console_url_keeps_the_prefix_and_says_where_it_came_from():
    r = parse(
        "https://s3.console.aws.amazon.com/s3/buckets/amzn-s3-demo-bucket?region=eu-west-1"
        "&prefix=exports/2024/&showversions=false"
    )
    assert r.value["prefix"] == "exports/2024/"
    assert noted(r, "AWS console URL")


def test_vendor_endpoint_in_an_environment_block_gives_the_region():
    r = parse(
        "AWS_ACCESS_KEY_ID=K\nAWS_SECRET_ACCESS_KEY=S\n"
        "AWS_ENDPOINT_URL_S3=https://s3.us-west-004.backblazeb2.com\nS3_BUCKET=b2-bucket"
    )
    assert (r.provider, r.value["region"], r.value["bucket"]) == (
        "backblaze",
        "us-west-004",
        "b2-bucket",
    )


# -- near misses and errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("postgress://u@h/db", "did you mean postgresql://"),
        ("postgresq://u@h/db", "did you mean postgresql://"),
        ("postgresql:/h/db", "did you mean postgresql://"),
        ("mongdb://h/db", "did you mean mongodb://"),
        ("rediss:/h:6380", "did you mean rediss://"),
        ("mongodb+srv://u:p@cluster0.example.net:27017/", "did you mean mongodb+srv://cluster0"),
        ("postgresql://h/db?uzer=x", "did you mean 'user'?"),
        ("postgresql://h/db?sslmod=require", "did you mean 'sslmode'?"),
    ],
)
def test_near_misses_get_a_did_you_mean(text, hint):
    with pytest.raises(connectors.ParseError) as info:
        connectors.parse(text)
    assert hint in info.value.hint
    assert info.value.position is not None
    assert f"hint: {info.value.hint}" in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "postgresql://h:99999/db",
        "host=h sslmode=sometimes",
        "mongodb://h/?authSource=",
        "redis://h:port/0",
        "s3://",
        "AccountName=acct;AccountKey=a2V5;DefaultEndpointsProtocol=gopher",
        "UPSTASH_REDIS_REST_URL=https://eu1-cat.upstash.io",
        "just some words",
        "psql -h",
    ],
)
def test_every_parse_error_has_a_position_and_a_hint(text):
    with pytest.raises(connectors.ParseError) as info:
        connectors.parse(text)
    assert info.value.position is not None and 0 <= info.value.position <= len(text)
    assert info.value.hint


# -- the KEY=value scanner (issue 19 item 2) ------------------------------------------------------

_PAIR = re.compile(
    r"""(?:export\s+)?([A-Za-z_]\w*)(?:\s*=\s*|:\s+)"""
    r"""("(?:[^"\\]|\\.)*"|'[^']*'|.*?)"""
    r"""(?=[;\s]+(?:export\s+)?[A-Za-z_]\w*(?:\s*=|:\s)|\s*$)"""
)


def quadratic_env_block(text):
    """The former regular-expression reader, as the oracle of the scanner (small inputs only)."""
    result = {}
    for raw_line in text.strip().splitlines():
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        position = 0
        while position < len(line):
            match = _PAIR.match(line, position)
            if match is None:
                return {}
            result[match[1]] = _unquote(match[2])
            position = re.compile(r"[;\s]*").match(line, match.end()).end()
    return result


env_text = st.lists(
    st.sampled_from(
        [
            "A",
            "B",
            "x",
            "_",
            "=",
            " ",
            ";",
            '"',
            "'",
            "\\",
            ":",
            "#",
            "\n",
            "export ",
            "\t",
            "1",
            "é",
            "\u00a0",
        ]
    ),
    max_size=16,
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(st.sampled_from(["", "A=", "export A=", "A: ", "B = "]), env_text)
def test_the_env_scanner_reads_what_the_pattern_read(head, tail):
    text = head + tail
    assert parse_env_block(text) == quadratic_env_block(text)


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("mongo db://alice@h", 6, "did you mean mongodb://...? (without the space)"),
        ("mongosh --host h --port 99999 -u bob db", 8, "invalid port"),
        ("redis-cli -h h -p 99999", 10, "invalid port"),
        ("PGPASSWORD=x psql -h h -p 70000", 18, "invalid port"),
    ],
)
def test_an_error_in_a_string_built_from_a_command_line_points_into_the_line(
    text: str, position: int, words: str
) -> None:
    # the string was built from the options: a position inside it means nothing in the line,
    # so the error points at the command's arguments (fuzz: position 23 in an 18-character text)
    with pytest.raises(connectors.ParseError) as caught:
        connectors.parse(text)
    assert caught.value.position == position < len(text)
    assert words in str(caught.value)
