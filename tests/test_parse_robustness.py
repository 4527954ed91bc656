"""Every built-in parser under hostile input (DESIGN.md "Parsing" and "Secrets").

The standard: bad input gets a clear error that names the problem and where it is, and loses
nothing; no secret reaches an exception. Three properties, for every built-in type:

1. mutated strings (the type's examples and the tricky valid strings of its own tests, with
   nasty characters inserted, deleted or replaced, truncated, segments duplicated, percent
   garbage) give either a Resource whose value validates, is already canonical and survives
   ``to_connection_string`` -> ``parse`` unchanged, or a ``ParseError``: never another exception;
2. a string with a random secret in its password / token / key / SAS position and a defect
   elsewhere is a ParseError whose text holds no form of the secret (``encoded_forms``), also
   when the secret is pasted without the percent-encoding the format asks for;
3. every ParseError message is a sentence about the problem, not Python's own exception text,
   and its position, when set, lies inside the input.
"""

from __future__ import annotations

import ast
import base64
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

import connectors
from connectors.plugins import get_connector
from connectors.redact import encoded_forms
from connectors.testing import fuzz

TYPES = ("postgresql", "mongodb", "redis", "upstash_redis", "s3", "azure_blob")
TESTS_DIR = Path(__file__).resolve().parent / "default_plugins"
#: the parser tests whose string literals are the corpus of tricky, valid strings
CORPUS_FILES = {
    "postgresql": ("test_postgresql_parse.py", "test_postgresql_providers.py"),
    "mongodb": ("test_mongodb_parse.py",),
    "redis": ("test_redis_parse.py",),
    "upstash_redis": ("test_upstash_parse.py",),
    "s3": ("test_s3_parser.py",),
    "azure_blob": ("test_azure_blob_parser.py", "test_azure_blob_properties.py"),
}
#: Python's own exception texts, which must never be a ParseError's message
RAW_PYTHON = (
    "invalid literal for",
    "index out of range",
    "substring not found",
    "object has no attribute",
    "not enough values to unpack",
    "too many values to unpack",
    "NoneType",
    "unhashable",
    "codec can't",
    "Invalid IPv6 URL",
    "does not appear to be an IPv4 or IPv6 address",
    "NFKC",
    "could not convert string",
    "Traceback",
    "Incorrect padding",
    "Non-base64 digit",
)
FAST = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# -- the corpus --------------------------------------------------------------------------------


def _literals(path: Path) -> list[str]:
    """The string constants of a test module (f-string pieces included; they are filtered)."""
    tree = ast.parse(path.read_text())
    found = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) > 5
    ]
    return list(dict.fromkeys(found))


@cache
def corpus(type_name: str) -> tuple[str, ...]:
    """The type's examples, then every literal of its parser tests that parses as that type."""
    strings = list(get_connector(type_name).examples)
    for name in CORPUS_FILES[type_name]:
        for text in _literals(TESTS_DIR / name):
            try:
                connectors.parse(text, type=type_name)
            except connectors.ParseError:
                continue
            strings.append(text)
    return tuple(dict.fromkeys(strings))


def test_the_corpus_is_large_enough():
    for type_name in TYPES:
        assert len(corpus(type_name)) >= 8, type_name


# -- the properties ----------------------------------------------------------------------------


def assert_good_error(error: connectors.ParseError, text: str) -> None:
    """Property 3: a message that names the problem, and a position inside the input."""
    assert isinstance(error.message, str) and error.message.strip(), repr(error)
    for raw in RAW_PYTHON:
        assert raw not in str(error), f"raw Python text in {str(error)!r}"
    if error.position is not None:
        assert 0 <= error.position <= len(text), (error.position, len(text), str(error))


def assert_parses_or_fails_cleanly(text: str, type_name: str | None) -> None:
    """Property 1: a valid, canonical, round-tripping Resource, or a clean ParseError."""
    try:
        resource = connectors.parse(text, type=type_name)
    except connectors.ParseError as error:
        assert_good_error(error, text)
        return
    kind = resource.resource_type
    if type_name is not None:
        assert kind == type_name
    assert json.loads(json.dumps(resource.value)) == resource.value
    assert connectors.validate(kind, resource.value) == resource.value, "not canonical"
    try:
        native = connectors.to_connection_string(resource)
    except connectors.ValidationError:
        # The one value with no connection string (tests/default_plugins/
        # test_azure_blob_properties.py): a container URI naming neither account nor endpoint.
        assert kind == "azure_blob", resource.value
        assert not resource.value["accountName"] and not resource.value.get("endpoint")
        return
    again = connectors.parse(native, type=kind)
    assert again.value == resource.value, native


#: inputs that broke the standard before this file existed (type, text); each is now a clean
#: ParseError or a value that round-trips
REGRESSIONS = [
    # lower-cased after the host check: 'İ' became 'i' and a combining dot, refused when re-read
    ("azure_blob", "https://my-bucket.s3.eu-west-1.amazonaws.İcom/data/file.parquet"),
    ("azure_blob", "http://127.0.İ0.1:9000/my-bucket"),
    # a query parameter name quoted in an error: it can be the rest of an unencoded password
    (
        "postgresql",
        "postgresql://h1:5432,h2:5433/app?target_sessiolt:s3cret@redis.example.com:6380/2?x"
        "=r%fe%ffq,ired",
    ),
    # a host decoded from %3A holds ':': written back in brackets, read as IPv6 (or refused by SRV)
    ("mongodb", "mongodb+srv://u:p@cluster0.ex%3ample.com/?authSource=admin"),
    ("mongodb", "mongodb://db%3A1.example.com:27017/app"),
    # urlsplit's ValueError ("Invalid IPv6 URL", NFKC netloc, bad bracketed host) escaped
    ("azure_blob", "abfss://c1@[acct.dfs.core.usgov;loudapi.net/x"),
    ("azure_blob", "https://acct.b\uff03lob.core.windows.net%/c1?"),
    ("azure_blob", "http://127.0.0.1]1000%g00/destoreaccou"),
    ("s3", "http://[:1]:9000"),
    ("s3", "http://\uff03"),
    ("s3", 'http://"localhos[:9000'),
    ("upstash_redis", "http://srh.internal:80[9 tok"),
    ("upstash_redis", "http://srh.in\uff03ternal:8079 tok"),
    (
        "upstash_redis",
        "UPSTASH_REDIS_REST_URL=https://eu1-mer\uff03ry.upstash.io\n"
        "UPSTASH_REDIS_REST_TOKEN=AX8sAAIjcDE",
    ),
    # hosts with spaces, line separators or ';' that the native form could not carry back
    ("azure_blob", "abfss://c1@acct.dfs.\u2028core."),
    ("azure_blob", "https://acct.b;ob.core"),
    ("s3", "https:// b\u2028."),
    ("s3", "https://://s3eu-west-"),
    ("s3", "https://s3.:/ /s3.eu-central-1.amazonaws.com"),
    ("s3", "https://bucket.s3.cn-north-1.//bucke\u2028t.s3.cn-north-1.amazonaws.com.cn"),
    # a raw NUL, written back as %00, which the parser itself rejects
    ("postgresql", "postgresql://a:b@ep-x-y-123\x00.us-east-"),
    ("mongodb", "mongodb://u:p@h/\x00"),
    ("azure_blob", "https://acct.blob.core.windows.net/c1/ir/\x00a.csv"),
    # an empty AccountKey= kept as "" and dropped by to_connection_string
    ("azure_blob", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="),
    # an ignored empty proxyHost still counted as given
    ("mongodb", "mongodb://u:pw@h/?proxyHost=&proxyUsername=x&proxyPassword=proxysecret"),
    # values the schema refuses: a query host with ':', a zero timeout, NaN
    ("redis", "redis://?host=his://?host=h2&port=6390"),
    ("redis", "redis://h?socket_timeout=0"),
    ("redis", "redis://h?socket_timeout=nan"),
    ("redis", "redis://%440"),
    # int() of a Unicode digit: ValueError instead of a ParseError
    ("postgresql", "postgresql://h:\u00b2/db"),
    ("mongodb", "mongodb://h:\u00b2/db"),
    ("mongodb", "mongodb://h/?w=--5"),
    # found by the fuzz campaign (connectors.testing.fuzz)
    # numbers of more than 4,300 digits: Python's own ValueError
    ("redis", "redis://h:" + "9" * 5000),
    ("postgresql", "postgresql://h:" + "1" * 5000 + "/db"),
    ("mongodb", "mongodb://h/?connectTimeoutMS=" + "1" * 5000),
    ("s3", "http://minio:" + "1" * 5000),
    # a lone surrogate (an undecodable argv byte): UnicodeEncodeError on the way back
    ("postgresql", "postgresql://u:\udcff@h/db"),
    ("postgresql", "postgresql://u:%ff\udcff@h/db"),
    # an EndpointSuffix with '/', which the endpoint then lost
    (
        "azure_blob",
        "DefaultEndpointsProtocol=https;AccountName=myaccount;AccountKey=bXlrZXk=;"
        "EndpointSuffix=core.s/",
    ),
]


@pytest.mark.parametrize(("type_name", "text"), REGRESSIONS)
def test_regressions(type_name, text):
    assert_parses_or_fails_cleanly(text, type_name)
    assert_parses_or_fails_cleanly(text, None)


#: accepted by the parsers before and not writable back (found by the fuzz campaign): now a
#: ParseError with this message at this position
REFUSED = [
    # pgjdbc decodes %00 to NUL, which libpq cannot carry
    (
        "postgresql",
        "jdbc:postgresql://h/db?user=u&ssl=%00",
        "forbidden %00 in the value of 'ssl'",
        34,
    ),
    (
        "postgresql",
        "jdbc:postgresql://h/db?user=u&password=se%00cret",
        "forbidden %00 in the value of 'password'",
        41,
    ),
    # a raw NUL in a URL path, as %00 is (written back, it became an env block that split at ';')
    ("s3", "https://minio.local/bucket/a\x00b;tab=x", "a NUL character in the URL path", 28),
    (
        "s3",
        "AWS_REGION=eu west!\nS3_BUCKET=b",
        "AWS_REGION is not a region name (letters, digits and dashes only)",
        0,
    ),
    (
        "s3",
        "S3_BUCKET=b\nAWS_DEFAULT_REGION=eu_1",
        "AWS_DEFAULT_REGION is not a region name (letters, digits and dashes only)",
        12,
    ),
    (
        "s3",
        "https://s3.console.aws.amazon.com/s3/buckets/b1?region=eu%20x",
        "the console URL's region is not a region name (letters, digits and dashes only)",
        48,
    ),
    (
        "azure_blob",
        "BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=1&sig=abc&=c",
        "the SAS token has a parameter with no name",
        80,
    ),
    (
        "azure_blob",
        "https://acct.blob.core.windows.net/c?sv=1&sig=abc&=c",
        "a query parameter with no name in the URL",
        50,
    ),
    (
        "azure_blob",
        "https://acct.blob.core.windows.net/c?sv=2022-1;-02&sr=c&sig=c2ln",
        "the SAS token has a ';', a space or a control character",
        46,
    ),
]


REFUSED += [
    # urlsplit drops a line break, so the account read was not in the text (not canonical)
    ("azure_blob", "http://127\n.0.0.1:9000/acct", "a tab or line break in the URL", 10),
    ("azure_blob", "http://127.0.0.1:9000/a%2Fb/c", "the account or container name has a '/'", 22),
    # json.loads raises Python's own ValueError on a number of more than 4,300 digits
    ("upstash_redis", '{"url": ' + "9" * 5000 + "}", "a number with too many digits", 8),
    # a "command line" of NAME=value words only: IndexError before
    ("mongodb", "mongo\u2028b6/shop?user=app&password=secret", "no command in the command line", 0),
]


@pytest.mark.parametrize(("type_name", "text", "message", "position"), REFUSED)
def test_refused_with_the_problem_and_its_position(type_name, text, message, position):
    with pytest.raises(connectors.ParseError) as caught:
        connectors.parse(text, type=type_name)
    assert (caught.value.message, caught.value.position) == (message, position)
    assert fuzz.examine(text, type_name, []) == (False, None)
    assert fuzz.examine(text, None, [])[1] is None  # another type may read it, cleanly


@pytest.mark.parametrize(
    ("type_name", "text", "field", "expected"),
    [
        # PyYAML writes U+0085 raw in a single-quoted scalar and reads it back as a space
        ("postgresql", "postgresql://u@h/postgre\x85s", "dbname", "postgre\x85s"),
        ("s3", "AWS_REGION=auto\nS3_BUCKET=b1", "region", "auto"),
        ("s3", "AWS_REGION=\nS3_BUCKET=b1", "region", ""),
    ],
)
def test_accepted_and_written_back(type_name, text, field, expected):
    resource = connectors.parse(text, type=type_name)
    assert resource.value[field] == expected
    assert fuzz.examine(text, type_name, []) == (True, None)


@pytest.mark.parametrize("type_name", TYPES)
def test_every_corpus_string_round_trips(type_name):
    for text in corpus(type_name):
        assert_parses_or_fails_cleanly(text, type_name)
        assert_parses_or_fails_cleanly(text, None)


# -- mutations ---------------------------------------------------------------------------------

pieces = st.one_of(
    st.sampled_from(fuzz.PIECES),  # what has broken parsers before (the campaign's pieces)
    st.text(min_size=1, max_size=3),
)
positions = st.integers(min_value=0, max_value=10_000)
operations = st.one_of(
    st.tuples(st.just("insert"), positions, pieces),
    st.tuples(st.just("replace"), positions, pieces),
    st.tuples(st.just("delete"), positions, st.integers(min_value=1, max_value=4)),
    st.tuples(st.just("truncate"), positions),
    st.tuples(st.just("duplicate"), positions, st.integers(min_value=1, max_value=12)),
)


def mutate(text: str, ops: list[tuple]) -> str:
    for op in ops:
        at = op[1] % (len(text) + 1)
        if op[0] == "insert":
            text = text[:at] + op[2] + text[at:]
        elif op[0] == "replace":
            text = text[:at] + op[2] + text[at + 1 :]
        elif op[0] == "delete":
            text = text[:at] + text[at + op[2] :]
        elif op[0] == "truncate":
            text = text[:at]
        else:
            text = text[: at + op[2]] + text[at : at + op[2]] + text[at + op[2] :]
    return text


@pytest.mark.parametrize("type_name", TYPES)
@FAST
@given(data=st.data())
def test_mutated_strings_parse_or_fail_with_a_parse_error(type_name, data):
    base = data.draw(st.sampled_from(corpus(type_name)), label="base")
    ops = data.draw(st.lists(operations, min_size=1, max_size=4), label="mutations")
    text = mutate(base, ops)
    assert_parses_or_fails_cleanly(text, type_name)
    assert_parses_or_fails_cleanly(text, None)


@FAST
@given(st.text(max_size=60))
def test_arbitrary_text_parses_or_fails_with_a_parse_error(text):
    for type_name in (None, *TYPES):
        assert_parses_or_fails_cleanly(text, type_name)


# -- secrets in errors -------------------------------------------------------------------------

_PRINTABLE = "".join(chr(c) for c in range(0x21, 0x7F))


def sprinkle(secret: str) -> str:
    """A '^' after every 4 characters: no message text can equal the secret, or a 6-character
    piece of it, by chance (hypothesis also draws the string literals of the code under test)."""
    return "".join(secret[i : i + 4] + "^" for i in range(0, len(secret), 4))


passwords = st.text(alphabet=_PRINTABLE + " éß\u00a0😀", min_size=10, max_size=24).map(sprinkle)
#: what an HTTP bearer token can hold (upstash_redis checks this alphabet)
tokens = st.text(
    alphabet="".join(c for c in _PRINTABLE if c not in "'\""), min_size=12, max_size=40
).map(sprinkle)
#: AWS secret access keys: base64-like, as consoles print them
aws_secrets = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123456789+/=", min_size=16)
account_keys = st.binary(min_size=16, max_size=64).map(lambda b: base64.b64encode(b).decode())


def pct(secret: str) -> str:
    return quote(secret, safe="")


def libpq_quoted(secret: str) -> str:
    return "'" + secret.replace("\\", "\\\\").replace("'", "\\'") + "'"


Template = Callable[[str], str]
#: type -> (secret strategy, templates with the secret in place and a defect elsewhere)
SECRET_CASES: dict[str, tuple[st.SearchStrategy[str], list[Template]]] = {
    "postgresql": (
        passwords,
        [
            lambda s: f"postgresql://app:{pct(s)}@db.example.com:99999/app",
            lambda s: f"postgresql://app:{pct(s)}@db.example.com:5x/app",
            lambda s: f"postgresql://app:{pct(s)}@db%zz.example.com/app",
            lambda s: f"postgresql://app:{pct(s)}@db.example.com/app?sslmode=sometimes",
            lambda s: f"postgresql://app:{pct(s)}@db.example.com/app?sslmod=require",
            lambda s: f"postgresql://app:{pct(s)}@db.example.com/app?connect_timeout=soon",
            lambda s: f"postgresql://app:{pct(s)}@[::1/app",
            lambda s: f"postgresql://h/app?password={pct(s)}&port=0",
            lambda s: f"host=h port=99999 password={libpq_quoted(s)}",
            lambda s: f"host=h password={libpq_quoted(s)} bogus=1",
            lambda s: f"host=h password={libpq_quoted(s)} sslmode=nope",
            lambda s: f"password={libpq_quoted(s)} host='unterminated",
            lambda s: f"jdbc:postgresql://h:abc/app?user=a&password={pct(s)}",
            lambda s: f"PGHOST=h\nPGPASSWORD={libpq_quoted(s)}\nPGPORT=70000",
        ],
    ),
    "mongodb": (
        passwords,
        [
            lambda s: f"mongodb://app:{pct(s)}@db.example.com:99999/app",
            lambda s: f"mongodb://app:{pct(s)}@db%zz.example.com/app",
            lambda s: f"mongodb://app:{pct(s)}@db.example.com/a b",
            lambda s: f"mongodb://app:{pct(s)}@[::1/app",
            lambda s: f"mongodb://app:{pct(s)}@h1,h2/?directConnection=true",
            lambda s: f"mongodb://app:{pct(s)}@h/?tls=true&ssl=false",
            lambda s: f"mongodb://app:{pct(s)}@h/?authSource=",
            lambda s: f"mongodb+srv://app:{pct(s)}@cluster0.example.net:27017/",
            lambda s: f"mongodb://app:{pct(s)}@h/?authMechanism=MONGODB-X509",
            lambda s: f"mongodb://app:{pct(s)}@h/?authMechanism=NOPE",
        ],
    ),
    "redis": (
        passwords,
        [
            lambda s: f"redis://app:{pct(s)}@cache.example.com:99999/0",
            lambda s: f"redis://:{pct(s)}@cache.example.com:port/0",
            lambda s: f"redis://app:{pct(s)}@cache.example.com/0?socket_timeout=soon",
            lambda s: f"redis://app:{pct(s)}@cache.example.com/0?protocol=9",
            lambda s: f"redis://app:{pct(s)}@cache%ff.example.com/0",
            lambda s: f"redis://app:{pct(s)}@[zz]:6379/0",
            lambda s: f"rediss://app:{pct(s)}@cache.example.com/0?ssl_cert_reqs=maybe",
            lambda s: f"redis://app:{pct(s)}@cache.example.com/0?db=-1",
            lambda s: f"redis://cache.example.com/0?password={pct(s)}&port=0",
        ],
    ),
    "upstash_redis": (
        tokens,
        [
            lambda s: (
                f"UPSTASH_REDIS_REST_URL=ftp://eu1-cat.upstash.io\nUPSTASH_REDIS_REST_TOKEN={s}"
            ),
            lambda s: (
                f"UPSTASH_REDIS_REST_URL=https://eu1-cat.upstash.io:99999\n"
                f"UPSTASH_REDIS_REST_TOKEN={s}"
            ),
            lambda s: (
                f"UPSTASH_REDIS_REST_URL=https://eu1-cat.upstash.io?x=1\n"
                f"UPSTASH_REDIS_REST_TOKEN={s}"
            ),
            lambda s: (
                f"UPSTASH_REDIS_REST_URL=https://eu1-cat.ups[tash.io\nUPSTASH_REDIS_REST_TOKEN={s}"
            ),
            lambda s: f"rediss://default:{pct(s)}@eu1-cat.upstash.io:99999",
            lambda s: f"rediss://default:{pct(s)}@cache.example.com:6379",
            lambda s: json.dumps({"url": "https://eu1 cat.upstash.io", "token": s}),
            lambda s: f"redis-cli --tls -a {s} -h cache.example.com -p 6379",
            lambda s: f"https://eu1-cat.upstash.io:abc?_token={pct(s)}",
        ],
    ),
    "s3": (
        aws_secrets,
        [
            lambda s: (
                f"AWS_ACCESS_KEY_ID=AKIAEXAMPLE\nAWS_SECRET_ACCESS_KEY={s}\n"
                "AWS_ENDPOINT_URL_S3=ftp://minio.local"
            ),
            lambda s: (
                f"AWS_ACCESS_KEY_ID=AKIAEXAMPLE\nAWS_SECRET_ACCESS_KEY={s}\n"
                "AWS_ENDPOINT_URL_S3=http://minio.local:99999"
            ),
            lambda s: (
                f"AWS_ACCESS_KEY_ID=AKIAEXAMPLE\nAWS_SECRET_ACCESS_KEY={s}\n"
                "AWS_ENDPOINT_URL_S3=http://min[io.local:9000"
            ),
            lambda s: (
                f"AWS_ACCESS_KEY_ID=AKIAEXAMPLE\nAWS_SECRET_ACCESS_KEY={s}\n"
                "AWS_ENDPOINT_URL_S3=http://minio.local/b%zz"
            ),
            lambda s: (
                f"AWS_ACCESS_KEY_ID=AKIAEXAMPLE\nAWS_SECRET_ACCESS_KEY={s}\n"
                "S3_FORCE_PATH_STYLE=maybe"
            ),
            lambda s: (
                f"AWS_ACCESS_KEY_ID=AKIAEXAMPLE\nAWS_SECRET_ACCESS_KEY={s}\n"
                "AWS_ENDPOINT_URL_S3=https://b.s3-object-lambda.us-east-1.amazonaws.com"
            ),
            lambda s: f"AWS_SECRET_ACCESS_KEY={s}\nAWS_REGION=eu-west-1",
            lambda s: f"https://AKIAEXAMPLE:{pct(s)}@minio.local:9000/bucket",
        ],
    ),
    "azure_blob": (
        account_keys,
        [
            lambda k: f"AccountName=acct;AccountKey={k};DefaultEndpointsProtocol=gopher",
            lambda k: f"AccountName=acct;AccountKey={k};BlobEndpoint=ftp://x.example.com",
            lambda k: f"AccountName=acct;AccountKey={k};BlobEndpoint=https://h:99999",
            lambda k: f"AccountName=acct;AccountKey={k};BlobEndpoint=https://h[x",
            lambda k: f"AccountName=acct;AccountKey={k};;EndpointSuffix=core.windows.net",
            lambda k: f"AccountName=acct;AccountKey={k};BlobSecondaryEndpoint=https://x",
            lambda k: f"AccountKey={k};EndpointSuffix=core.windows.net",
            lambda k: f"AccountName=acct;AccountKey={k}!!",
            lambda k: f"AccountName=acct;AccountKey={k};ContainerName",
            lambda k: f"https://acct.blob.core.windows.net:99999/c?sv=2022-11-02&sig={pct(k)}",
            lambda k: f"https://acct.blob.core.windows.net/c%zz?sv=2022-11-02&sig={pct(k)}",
            lambda k: f"https://[acct.blob.core.windows.net/c?sv=2022-11-02&sig={pct(k)}",
            lambda k: (
                f"BlobEndpoint=https://acct.blob.core.windows.net:0x;"
                f"SharedAccessSignature=sv=2022-11-02&sig={pct(k)}"
            ),
            lambda k: (
                f"AZURE_STORAGE_ACCOUNT=acct\nAZURE_STORAGE_KEY={k}\nAZURE_STORAGE_ENDPOINT=ftp://x"
            ),
        ],
    ),
}
#: the same secret pasted without the encoding the format asks for (a common mistake)
RAW_SECRET_CASES: dict[str, list[Template]] = {
    "postgresql": [
        lambda s: f"postgresql://app:{s}@db.example.com:99999/app",
        lambda s: f"postgresql://app:{s}@db.example.com/app?sslmod=require",
        lambda s: f"host=h password={s} port=99999",
        lambda s: f"jdbc:postgresql://h:5432/app?password={s}&ssl=maybe",
    ],
    "mongodb": [
        lambda s: f"mongodb://app:{s}@db.example.com:99999/app",
        lambda s: f"mongodb://app:{s}@db.example.com/app?authSource=",
    ],
    "redis": [
        lambda s: f"redis://app:{s}@cache.example.com:99999/0",
        lambda s: f"redis://:{s}@cache.example.com/0?protocol=9",
    ],
    "upstash_redis": [
        lambda s: f"rediss://default:{s}@eu1-cat.upstash.io:99999",
        lambda s: (
            f"UPSTASH_REDIS_REST_URL=https://eu1-cat.upstash.io\nUPSTASH_REDIS_REST_TOKEN={s} x"
        ),
    ],
    "s3": [
        lambda s: f"https://AKIAEXAMPLE:{s}@minio.local:9000/bucket",
        lambda s: f"AWS_SECRET_ACCESS_KEY={s}",
    ],
    "azure_blob": [
        lambda k: f"https://acct.blob.core.windows.net:99999/c?sv=2022-11-02&sig={k}",
        lambda k: f"AccountName=acct;AccountKey={k};DefaultEndpointsProtocol=gopher",
    ],
}


def assert_error_hides(text: str, secret: str, type_name: str) -> None:
    with pytest.raises(connectors.ParseError) as caught:
        connectors.parse(text, type=type_name)
    assert_good_error(caught.value, text.strip())
    shown = "\n".join({str(caught.value), repr(caught.value), caught.value.message})
    for form in encoded_forms(secret):
        assert form not in shown, f"a form of the secret is in {shown!r}"


@pytest.mark.parametrize(
    ("type_name", "index"),
    [(name, i) for name, (_, templates) in SECRET_CASES.items() for i in range(len(templates))],
)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_errors_never_quote_the_secret(type_name, index, data):
    secrets, templates = SECRET_CASES[type_name]
    secret = data.draw(secrets, label="secret")
    assume(secret.strip() == secret)
    assert_error_hides(templates[index](secret), secret, type_name)


@pytest.mark.parametrize(
    ("type_name", "index"),
    [(name, i) for name, templates in RAW_SECRET_CASES.items() for i in range(len(templates))],
)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_errors_never_quote_a_secret_pasted_unencoded(type_name, index, data):
    secrets, _ = SECRET_CASES[type_name]
    secret = data.draw(secrets, label="secret")
    assume(secret.strip() == secret)
    text = RAW_SECRET_CASES[type_name][index](secret)
    for type_or_none in (type_name, None):
        try:
            connectors.parse(text, type=type_or_none)
        except connectors.ParseError as error:
            assert_good_error(error, text)
            shown = f"{error}\n{error!r}"
            for form in encoded_forms(secret):
                assert form not in shown, f"a form of the secret is in {shown!r}"
            # nor a piece of it, where the secret was split at a '&', '/', '?' or space
            pieces = {secret[i : i + 6] for i in range(len(secret) - 5)}
            assert not [piece for piece in pieces if piece in str(error)], str(error)


def test_an_srv_port_hint_quotes_only_a_host_name():
    """Found by the fuzz campaign: the hint quoted whatever stood where the host goes."""
    with pytest.raises(connectors.ParseError) as caught:
        connectors.parse("mongodb+srv://app:pw@h\nAWS_KEY=s3cretvalue:6379", type="mongodb")
    assert caught.value.hint == "remove the port, or write mongodb:// (no SRV lookup)"
    with pytest.raises(connectors.ParseError) as caught:
        connectors.parse("mongodb+srv://cluster0.example.net:27017/", type="mongodb")
    assert (
        caught.value.hint is not None and "mongodb+srv://cluster0.example.net/" in caught.value.hint
    )


@pytest.mark.parametrize(
    "text",
    [
        # found by the fuzz campaign (seed 23): the password spliced into the sslmode value
        "postgresql://user:secret@localhost:5432/mydb?sslmode=reqsecret&x=true",
        "postgresql://user:secret@localhost:5432/mydb?sslmode=secret",
        "postgresql://user:secret@localhost:5432/mydb?secretx=%ff",
    ],
)
def test_a_name_sharing_text_with_the_password_is_not_quoted(text):
    with pytest.raises(connectors.ParseError) as raised:
        connectors.parse(text)
    assert "secret" not in str(raised.value)
    assert "(name not shown)" in raised.value.message


def test_a_word_without_its_equals_sign_is_named_only_when_it_is_a_keyword():
    # found by the fuzz campaign (seed 23): an example's token pasted alone, quoted back
    with pytest.raises(connectors.ParseError) as raised:
        connectors.parse("AX8sAAIjcDE", type="postgresql")
    assert "AX8sAAIjcDE" not in str(raised.value)
    assert raised.value.message == "missing '=' after a word (not shown: it may be a secret)"
    with pytest.raises(connectors.ParseError, match="missing '=' after 'host'"):
        connectors.parse("host localhost", type="postgresql")
