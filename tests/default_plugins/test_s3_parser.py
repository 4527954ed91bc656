"""s3 parser: URIs, AWS/R2/MinIO URLs, environment blocks, round trips, secrets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

import connectors
from connectors.errors import ParseError
from connectors.resource import Resource

AWS_NOTE = (
    "no access keys: clients use the default AWS credential chain "
    "(environment, shared config, instance or task role)"
)


def value(**fields):
    base = {
        "endPoint": "",
        "region": "",
        "pathStyle": True,
        "bucket": "",
        "accessKey": "",
        "secretKey": "",
        "useSSL": True,
    }
    base.update(fields)
    return base


@pytest.mark.parametrize(
    ("text", "expected", "provider"),
    [
        ("s3://my-bucket", value(bucket="my-bucket", pathStyle=False), "aws"),
        (
            "s3://my-bucket/exports/2026/",
            value(bucket="my-bucket", pathStyle=False, prefix="exports/2026/"),
            "aws",
        ),
        ("s3a://data.lake/x%20y", value(bucket="data.lake", prefix="x%20y"), "aws"),
        # virtual-hosted, dot region
        (
            "https://amzn-s3-demo-bucket.s3.us-west-2.amazonaws.com/puppy.png",
            value(
                endPoint="https://s3.us-west-2.amazonaws.com",
                region="us-west-2",
                pathStyle=False,
                bucket="amzn-s3-demo-bucket",
                prefix="puppy.png",
            ),
            "aws",
        ),
        # path style
        (
            "https://s3.us-west-2.amazonaws.com/amzn-s3-demo-bucket/dir/puppy%20dog.png",
            value(
                endPoint="https://s3.us-west-2.amazonaws.com",
                region="us-west-2",
                bucket="amzn-s3-demo-bucket",
                prefix="dir/puppy dog.png",
            ),
            "aws",
        ),
        # legacy dash region
        (
            "https://bucket.s3-eu-west-1.amazonaws.com",
            value(
                endPoint="https://s3-eu-west-1.amazonaws.com",
                region="eu-west-1",
                pathStyle=False,
                bucket="bucket",
            ),
            "aws",
        ),
        # global endpoint signs as us-east-1
        (
            "https://s3.amazonaws.com/bucket",
            value(endPoint="https://s3.amazonaws.com", region="us-east-1", bucket="bucket"),
            "aws",
        ),
        (
            "https://bucket.s3-external-1.amazonaws.com",
            value(
                endPoint="https://s3-external-1.amazonaws.com",
                region="us-east-1",
                pathStyle=False,
                bucket="bucket",
            ),
            "aws",
        ),
        # dual-stack, FIPS, FIPS + dual-stack
        (
            "https://bucket.s3.dualstack.ap-southeast-2.amazonaws.com",
            value(
                endPoint="https://s3.dualstack.ap-southeast-2.amazonaws.com",
                region="ap-southeast-2",
                pathStyle=False,
                bucket="bucket",
            ),
            "aws",
        ),
        (
            "https://s3-fips.us-gov-west-1.amazonaws.com/bucket.with.dots",
            value(
                endPoint="https://s3-fips.us-gov-west-1.amazonaws.com",
                region="us-gov-west-1",
                bucket="bucket.with.dots",
            ),
            "aws",
        ),
        (
            "https://bucket.s3-fips.dualstack.us-east-2.amazonaws.com/k",
            value(
                endPoint="https://s3-fips.dualstack.us-east-2.amazonaws.com",
                region="us-east-2",
                pathStyle=False,
                bucket="bucket",
                prefix="k",
            ),
            "aws",
        ),
        # China
        (
            "https://bucket.s3.cn-north-1.amazonaws.com.cn",
            value(
                endPoint="https://s3.cn-north-1.amazonaws.com.cn",
                region="cn-north-1",
                pathStyle=False,
                bucket="bucket",
            ),
            "aws",
        ),
        # a bare host is taken as https
        (
            "data-bucket.s3.eu-central-1.amazonaws.com",
            value(
                endPoint="https://s3.eu-central-1.amazonaws.com",
                region="eu-central-1",
                pathStyle=False,
                bucket="data-bucket",
            ),
            "aws",
        ),
        # R2: account endpoint, jurisdiction, virtual-hosted
        (
            "https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com/media",
            value(
                endPoint="https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com",
                region="auto",
                bucket="media",
            ),
            "r2",
        ),
        (
            "https://0123456789abcdef0123456789abcdef.eu.r2.cloudflarestorage.com/media",
            value(
                endPoint="https://0123456789abcdef0123456789abcdef.eu.r2.cloudflarestorage.com",
                region="auto",
                bucket="media",
            ),
            "r2",
        ),
        (
            "https://media.0123456789abcdef0123456789abcdef.fedramp.r2.cloudflarestorage.com",
            value(
                endPoint="https://0123456789abcdef0123456789abcdef.fedramp.r2.cloudflarestorage.com",
                region="auto",
                pathStyle=False,
                bucket="media",
            ),
            "r2",
        ),
        # MinIO / local endpoints: path style, MinIO's default region
        (
            "http://127.0.0.1:9000/my-bucket/a/b",
            value(
                endPoint="http://127.0.0.1:9000",
                region="us-east-1",
                bucket="my-bucket",
                useSSL=False,
                prefix="a/b",
            ),
            "minio",
        ),
        (
            "http://[::1]:9000/bkt",
            value(endPoint="http://[::1]:9000", region="us-east-1", bucket="bkt", useSSL=False),
            "minio",
        ),
        (
            "https://storage.example.com/bkt",
            value(endPoint="https://storage.example.com", region="us-east-1", bucket="bkt"),
            None,
        ),
    ],
)
def test_parse_urls(text, expected, provider):
    resource = connectors.parse(text, type="s3")
    assert resource.value == expected
    assert resource.provider == provider
    assert resource.resource_type == "s3"


def test_auto_detection():
    assert connectors.parse("s3://bucket-a").resource_type == "s3"
    assert connectors.parse("https://b.s3.us-east-2.amazonaws.com").resource_type == "s3"
    assert connectors.parse("https://abc.r2.cloudflarestorage.com/x").provider == "r2"
    assert connectors.parse("http://localhost:9000/bucket").provider == "minio"
    block = "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalr/K7MDENG+bPxRfi"
    assert connectors.parse(block).resource_type == "s3"


def test_notes():
    r = connectors.parse("s3://bucket-a")
    assert AWS_NOTE in r.notes
    assert "no region: set `region` (Windmill derives the AWS endpoint from it)" in r.notes
    r2 = connectors.parse("https://acct.r2.cloudflarestorage.com/b")
    assert "Cloudflare R2: region 'auto'" in r2.notes
    assert "R2 account ids are 32 hex characters" in r2.notes
    minio = connectors.parse("http://127.0.0.1:9000/b")
    assert "custom endpoint: path-style addressing (<endpoint>/<bucket>/<key>)" in minio.notes
    assert "plain HTTP endpoint: traffic and credentials are not encrypted" in minio.notes
    acc = connectors.parse("https://b.s3-accelerate.amazonaws.com")
    assert acc.value["region"] == ""
    assert "transfer acceleration endpoint: it names no region; set `region`" in acc.notes
    q = connectors.parse("https://b.s3.us-east-2.amazonaws.com/k?X-Amz-Signature=abc#f")
    assert "the URL's query string and fragment are not part of the resource" in q.notes
    assert q.value["prefix"] == "k"


ENV_BLOCK = """
# from the AWS console
export AWS_ACCESS_KEY_ID="ASIAEXAMPLEKEY"
export AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
export AWS_SESSION_TOKEN="IQoJb3JpZ2luX2VjEXAMPLE+TOKEN/abc=="
export AWS_DEFAULT_REGION=eu-west-3
export S3_BUCKET=reports
"""


def test_env_block_aws():
    r = connectors.parse(ENV_BLOCK)
    assert r.value == value(
        region="eu-west-3",
        pathStyle=False,
        bucket="reports",
        accessKey="ASIAEXAMPLEKEY",
        secretKey="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        token="IQoJb3JpZ2luX2VjEXAMPLE+TOKEN/abc==",
    )
    assert r.provider == "aws"
    assert "temporary credentials (session token): they expire" in r.notes
    shown = repr(r) + str(r.to_dict()) + " ".join(r.notes)
    for secret in ("wJalrXUtnFEMI", "IQoJb3JpZ2luX2VjEXAMPLE"):
        assert secret not in shown


def test_env_block_r2_and_minio():
    r2 = connectors.parse(
        "AWS_ENDPOINT_URL_S3=https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com\n"
        "AWS_ACCESS_KEY_ID=k\nAWS_SECRET_ACCESS_KEY=s\nAWS_S3_BUCKET=media"
    )
    assert r2.provider == "r2"
    assert r2.value["region"] == "auto"
    assert r2.value["pathStyle"] is True
    assert r2.value["bucket"] == "media"
    minio = connectors.parse(
        "AWS_ENDPOINT_URL=http://localhost:9000\nAWS_REGION=eu-1-minio\n"
        "AWS_ACCESS_KEY_ID=minioadmin\nAWS_SECRET_ACCESS_KEY=minioadmin\nBUCKET=b1b\nOTHER=1"
    )
    assert minio.value == value(
        endPoint="http://localhost:9000",
        region="eu-1-minio",
        bucket="b1b",
        accessKey="minioadmin",
        secretKey="minioadmin",
        useSSL=False,
    )
    assert minio.provider == "minio"
    assert "ignored variables: OTHER" in minio.notes


def test_env_block_precedence_and_style():
    r = connectors.parse(
        "AWS_REGION=us-west-1\nAWS_DEFAULT_REGION=us-east-1\nS3_BUCKET=b-b\n"
        "AWS_ENDPOINT_URL=https://s3.eu-west-1.amazonaws.com\n"
        "AWS_ENDPOINT_URL_S3=https://s3.us-west-1.amazonaws.com\nS3_FORCE_PATH_STYLE=true"
    )
    assert r.value["region"] == "us-west-1"
    assert r.value["endPoint"] == "https://s3.us-west-1.amazonaws.com"
    assert r.value["pathStyle"] is True
    assert "AWS_REGION and AWS_DEFAULT_REGION differ; AWS_REGION is used" in r.notes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("s3://", "no bucket"),
        ("s3://user:pw@bucket/x", "not supported"),
        ("https://user:hunter2@s3.amazonaws.com/b", "credentials inside an endpoint URL"),
        ("https://ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com", "access point"),
        ("https://example.amazonaws.com/b", "not an S3 endpoint host"),
        ("https://s3.us-west-2.amazonaws.com/b%zz", "invalid percent-encoding"),
        ("AWS_ACCESS_KEY_ID=AKIA123\nS3_BUCKET=b", "secret access key"),
        ("AWS_ENDPOINT_URL_S3=localhost:9000\nAWS_ACCESS_KEY_ID=a\nAWS_SECRET_ACCESS_KEY=b", "URL"),
        ("S3_BUCKET=b\nAWS_S3_ADDRESSING_STYLE=sideways", "addressing style"),
        ("ftp://bucket", "not an s3:// URI"),
    ],
)
def test_errors(text, message):
    with pytest.raises(ParseError) as info:
        connectors.parse(text, type="s3")
    assert message in str(info.value)
    assert "hunter2" not in str(info.value)


def test_error_position():
    with pytest.raises(ParseError) as info:
        connectors.parse("https://s3.us-west-2.amazonaws.com/b%zz", type="s3")
    assert info.value.position == len("https://s3.us-west-2.amazonaws.com/b")


ROUND_TRIP = [
    "s3://my-bucket/exports/",
    "s3://b/x",
    "https://amzn-s3-demo-bucket.s3.us-west-2.amazonaws.com/puppy.png",
    "https://s3.dualstack.us-west-2.amazonaws.com/my-bucket",
    "https://0123456789abcdef0123456789abcdef.eu.r2.cloudflarestorage.com/my-bucket",
    "http://127.0.0.1:9000/my-bucket",
    ENV_BLOCK,
    "AWS_ENDPOINT_URL=http://localhost:9000\nAWS_REGION=eu-1\nAWS_ACCESS_KEY_ID=a\n"
    "AWS_SECRET_ACCESS_KEY=b\nBUCKET=b1b",
    "AWS_REGION=\nS3_BUCKET=virtual-b\nAWS_ENDPOINT_URL_S3=https://s3.eu-west-1.amazonaws.com",
]


@pytest.mark.parametrize("text", ROUND_TRIP)
def test_round_trip(text):
    r = connectors.parse(text)
    native = connectors.to_connection_string(r)
    back = connectors.parse(native)
    assert back.value == r.value
    assert back.provider == r.provider
    assert connectors.parse(connectors.to_connection_string(back)) == back


def test_native_forms():
    assert (
        connectors.to_connection_string(connectors.parse("s3://my-bucket/x")) == "s3://my-bucket/x"
    )
    minio = connectors.parse("http://127.0.0.1:9000/my-bucket")
    assert connectors.to_connection_string(minio) == "http://127.0.0.1:9000/my-bucket"
    env = connectors.to_connection_string(connectors.parse(ENV_BLOCK))
    assert env.splitlines()[0] == "AWS_ACCESS_KEY_ID=ASIAEXAMPLEKEY"
    assert "AWS_S3_ADDRESSING_STYLE=virtual" in env


def test_legacy_bare_host_value_renders_full_url():
    legacy = Resource(
        "s3",
        {
            "bucket": "b1b",
            "region": "us-east-1",
            "endPoint": "minio.internal",
            "port": 9000,
            "useSSL": False,
            "pathStyle": True,
            "accessKey": "a",
            "secretKey": "s",
        },
    )
    native = connectors.to_connection_string(legacy)
    assert "AWS_ENDPOINT_URL_S3=http://minio.internal:9000" in native
    assert connectors.parse(native).value["endPoint"] == "http://minio.internal:9000"


_label = st.from_regex(r"[a-z0-9][a-z0-9-]{1,20}[a-z0-9]", fullmatch=True)
_key = st.from_regex(r"[A-Za-z0-9/_.-]{0,20}", fullmatch=True).filter(
    lambda k: not k.startswith("/")
)
_secret = st.from_regex(r"[A-Za-z0-9+/]{1,40}", fullmatch=True)
_region = st.sampled_from(["us-east-1", "eu-west-3", "cn-north-1", "us-gov-west-1", "auto", ""])
_endpoint = st.sampled_from(
    [
        "",
        "https://s3.eu-west-1.amazonaws.com",
        "http://127.0.0.1:9000",
        "https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com",
        "https://minio.example.org:8443",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    bucket=_label,
    region=_region,
    endpoint=_endpoint,
    path_style=st.booleans(),
    keys=st.one_of(st.none(), st.tuples(_secret, _secret)),
    token=st.one_of(st.none(), _secret),
    prefix=_key,
)
def test_round_trip_property(bucket, region, endpoint, path_style, keys, token, prefix):
    v = value(
        endPoint=endpoint,
        region=region,
        pathStyle=path_style,
        bucket=bucket,
        useSSL=not endpoint.startswith("http://"),
    )
    if keys:
        v["accessKey"], v["secretKey"] = keys
    if token and keys:
        v["token"] = token
    if prefix:
        v["prefix"] = prefix
    native = connectors.to_connection_string(Resource("s3", v))
    back = connectors.parse(native, type="s3")
    assert back.value == v
    # The access key id is an identifier, not a secret. Masking is by field: a secret whose text
    # is also a non-secret field's (an access key id equal to the token) shows there.
    shown = [str(item) for key, item in v.items() if key not in ("secretKey", "token")]
    for secret in [keys[1] if keys else None, token if keys else None]:
        if secret and len(secret) > 8 and not any(secret in item for item in shown):
            assert secret not in repr(back)
        if secret:
            assert secret not in (back.to_dict()["value"].get(k) for k in ("secretKey", "token"))
