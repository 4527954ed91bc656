"""Windmill's object-storage helpers on a live S3 (moto), and S3Object parsing."""

from __future__ import annotations

import io

import pytest

import connectors
from connectors import client
from connectors.errors import ConnectorsError
from connectors.hub.jobdir import job_directory
from connectors.objectstore import (
    S3Object,
    boto3_connection_settings,
    delete_s3_object,
    duckdb_connection_settings,
    load_s3_file,
    load_s3_file_reader,
    parse_s3_object,
    polars_connection_settings,
    sign_s3_object,
    sign_s3_objects,
    store_for,
    write_s3_file,
)
from connectors.resource import Resource

# -- S3Object -----------------------------------------------------------------------------------


def test_s3object_is_a_dict_with_attributes():
    obj = S3Object(s3="a/b.csv", storage=None)
    assert obj.s3 == "a/b.csv"
    assert obj["s3"] == "a/b.csv"
    assert isinstance(obj, dict)
    obj.presigned = "x"
    assert obj == {"s3": "a/b.csv", "storage": None, "presigned": "x"}
    with pytest.raises(AttributeError):
        _ = obj.filename
    assert connectors.S3Object is S3Object


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("s3:///data/x.parquet", {"s3": "data/x.parquet", "storage": None}),
        ("s3://secondary/data/x.parquet", {"s3": "data/x.parquet", "storage": "secondary"}),
        ("s3://st/a//b", {"s3": "a//b", "storage": "st"}),
    ],
)
def test_parse_s3_object(text, expected):
    assert parse_s3_object(text) == expected
    assert parse_s3_object({"s3": "k"}) == {"s3": "k"}


@pytest.mark.parametrize("text", ["data/x.parquet", "s3://", "s3:///", "https://x/y"])
def test_parse_s3_object_rejects(text):
    with pytest.raises(ValueError, match="s3://<storage>/<key>"):
        parse_s3_object(text)


def test_no_storage_configured():
    with pytest.raises(ConnectorsError, match="CONNECTORS_OBJECT_STORAGE"):
        load_s3_file("s3:///k")
    with pytest.raises(ConnectorsError, match="CONNECTORS_OBJECT_STORAGE_ARCHIVE_2"):
        load_s3_file("s3://archive-2/k")


def test_store_for_types_a_bare_value():
    store = store_for({"bucket": "b1b", "endPoint": "http://127.0.0.1:1", "region": "us-east-1"})
    assert store.bucket == "b1b"
    with pytest.raises(ConnectorsError, match="not object storage"):
        store_for({"host": "x"})


def test_stores_share_the_public_helpers():
    from connectors.objectstore.azure import AzureObjectStore
    from connectors.objectstore.base import ObjectStore, sql_literal
    from connectors.objectstore.s3 import S3Store

    assert sql_literal("it's") == "'it''s'" and sql_literal(3) == "'3'"
    assert ObjectStore in S3Store.__mro__ and ObjectStore in AzureObjectStore.__mro__


# -- settings, without a server -----------------------------------------------------------------


def _settings_for(value, monkeypatch):
    client.set_resource("f/storage/main", value, "s3")
    monkeypatch.setenv("CONNECTORS_OBJECT_STORAGE", "f/storage/main")
    return (
        polars_connection_settings(),
        duckdb_connection_settings(),
        boto3_connection_settings(),
    )


# Windmill's own client test (python-client/wmill/tests) expects these for its MinIO resource.
WINDMILL_MINIO = {
    "bucket": "windmill",
    "region": "fr-paris",
    "endPoint": "localhost:9000",
    "useSSL": False,
    "pathStyle": True,
    "accessKey": "IeuKPSYLKTO2h9CWfCVR",
    "secretKey": "80yMndIMcyXwEujxVNINQbf0tBlIzRaLPyM2m1n4",
}


def test_settings_are_windmills_for_its_own_minio_resource(monkeypatch):
    polars, duck, boto = _settings_for(WINDMILL_MINIO, monkeypatch)
    assert duck == {
        "connection_settings_str": "SET home_directory='./';\nINSTALL 'httpfs';\n"
        "SET s3_url_style='path';\nSET s3_region='fr-paris';\n"
        "SET s3_endpoint='localhost:9000';\nSET s3_use_ssl=0;\n"
        "SET s3_access_key_id='IeuKPSYLKTO2h9CWfCVR';\n"
        "SET s3_secret_access_key='80yMndIMcyXwEujxVNINQbf0tBlIzRaLPyM2m1n4';\n",
        "s3_bucket": "windmill",
    }
    assert duck.connection_settings_str == duck["connection_settings_str"]
    assert polars == {
        "s3fs_args": {
            "endpoint_url": "http://localhost:9000",
            "key": "IeuKPSYLKTO2h9CWfCVR",
            "secret": "80yMndIMcyXwEujxVNINQbf0tBlIzRaLPyM2m1n4",
            "use_ssl": False,
            "cache_regions": False,
            "client_kwargs": {"region_name": "fr-paris"},
        },
        "storage_options": {
            "aws_endpoint_url": "http://localhost:9000",
            "aws_access_key_id": "IeuKPSYLKTO2h9CWfCVR",
            "aws_secret_access_key": "80yMndIMcyXwEujxVNINQbf0tBlIzRaLPyM2m1n4",
            "aws_region": "fr-paris",
            "aws_allow_http": "true",
        },
        "s3_bucket": "windmill",
    }
    assert list(polars.s3fs_args) == [
        "endpoint_url",
        "key",
        "secret",
        "use_ssl",
        "cache_regions",
        "client_kwargs",
    ]
    assert polars.storage_options.aws_region == "fr-paris"
    assert polars.s3fs_args.client_kwargs.region_name == "fr-paris"
    assert boto == {
        "endpoint_url": "http://localhost:9000",
        "region_name": "fr-paris",
        "use_ssl": False,
        "aws_access_key_id": "IeuKPSYLKTO2h9CWfCVR",
        "aws_secret_access_key": "80yMndIMcyXwEujxVNINQbf0tBlIzRaLPyM2m1n4",
    }
    assert type(polars).__name__ == "PolarsConnectionSettings"
    assert type(duck).__name__ == "DuckDbConnectionSettings"
    assert type(boto).__name__ == "Boto3ConnectionSettings"


def test_settings_full_url_endpoint_and_quotes(monkeypatch):
    value = {
        "bucket": "b1b",
        "region": "us-east-1",
        "endPoint": "http://127.0.0.1:9000",
        "pathStyle": True,
        "accessKey": "ak",
        "secretKey": "sk'q",
        "useSSL": False,
    }
    polars, duck, boto = _settings_for(value, monkeypatch)
    assert polars["s3_bucket"] == "b1b"
    assert polars["s3fs_args"]["endpoint_url"] == "http://127.0.0.1:9000"
    assert polars["storage_options"]["aws_endpoint_url"] == "http://127.0.0.1:9000"
    # DuckDB takes the host (a URL would become http://http://...), quotes doubled
    assert duck["connection_settings_str"] == (
        "SET home_directory='./';\nINSTALL 'httpfs';\nSET s3_url_style='path';\n"
        "SET s3_region='us-east-1';\nSET s3_endpoint='127.0.0.1:9000';\nSET s3_use_ssl=0;\n"
        "SET s3_access_key_id='ak';\nSET s3_secret_access_key='sk''q';\n"
    )
    assert boto["endpoint_url"] == "http://127.0.0.1:9000"


def test_settings_aws_virtual_hosted_and_token(monkeypatch):
    value = {
        "bucket": "reports",
        "region": "eu-west-3",
        "endPoint": "",
        "pathStyle": False,
        "useSSL": True,
    }
    polars, duck, boto = _settings_for(value, monkeypatch)
    # render_endpoint: no endPoint -> s3.<region>.amazonaws.com, the bucket in front when
    # virtual-hosted; no key in the value -> none in the settings (the default chain)
    assert polars["storage_options"] == {
        "aws_endpoint_url": "https://reports.s3.eu-west-3.amazonaws.com",
        "aws_region": "eu-west-3",
        "aws_allow_http": "false",
    }
    assert "key" not in polars["s3fs_args"]
    assert duck["connection_settings_str"] == (
        "SET home_directory='./';\nINSTALL 'httpfs';\nSET s3_region='eu-west-3';\n"
        "SET s3_endpoint='s3.eu-west-3.amazonaws.com';\n"
    )
    assert boto["aws_access_key_id"] is None
    assert boto["endpoint_url"] == "https://s3.eu-west-3.amazonaws.com"
    value.update(accessKey="ASIA1", secretKey="s", token="tok")
    polars, duck, boto = _settings_for(value, monkeypatch)
    assert boto["aws_session_token"] == "tok"
    assert polars["storage_options"]["aws_session_token"] == "tok"
    assert polars["s3fs_args"]["token"] == "tok"
    assert "SET s3_session_token='tok';" in duck["connection_settings_str"]


# -- live ---------------------------------------------------------------------------------------


@pytest.fixture
def storage(fresh_s3, monkeypatch):
    """The fresh bucket stored at f/storage/main and made the workspace default."""
    client.set_resource("f/storage/main", fresh_s3.value, "s3")
    monkeypatch.setenv("CONNECTORS_OBJECT_STORAGE", "f/storage/main")
    return fresh_s3


@pytest.mark.live
def test_internal_store_round_trip(fresh_s3):
    for target in (fresh_s3, fresh_s3.value):
        store = store_for(target)
        store.write("k/one.txt", b"hello")
        with store.open_reader("k/one.txt") as reader:
            assert reader.read() == b"hello"
        store.delete("k/one.txt")
        store.delete("k/one.txt")  # no error when missing


@pytest.mark.live
def test_write_load_delete_default_storage(storage):
    written = write_s3_file(S3Object(s3="dir/a.bin"), b"\x00\x01data")
    assert written == {"s3": "dir/a.bin", "storage": None}
    assert isinstance(written, S3Object)
    assert load_s3_file("s3:///dir/a.bin") == b"\x00\x01data"
    assert load_s3_file(written) == b"\x00\x01data"
    with load_s3_file_reader(written) as reader:
        assert reader.read(2) == b"\x00\x01"
        assert reader.read() == b"data"
    delete_s3_object(written)
    s3 = connectors.connect(storage)
    assert s3.list_objects_v2(Bucket=storage.value["bucket"]).get("KeyCount", 0) == 0


@pytest.mark.live
@pytest.mark.parametrize("prefix", ["", "$res:", "res://"])
def test_explicit_resource_path(fresh_s3, prefix):
    client.set_resource("u/me/bucket", fresh_s3.value, "s3")
    path = f"{prefix}u/me/bucket"
    obj = write_s3_file("s3:///x.txt", io.BytesIO(b"streamed"), s3_resource_path=path)
    assert load_s3_file(obj, s3_resource_path=path) == b"streamed"
    assert boto3_connection_settings(path)["endpoint_url"] == fresh_s3.value["endPoint"]


@pytest.mark.live
def test_secondary_storage(fresh_s3, monkeypatch):
    client.set_resource("f/storage/archive", fresh_s3.value, "s3")
    monkeypatch.setenv("CONNECTORS_OBJECT_STORAGE_ARCHIVE", "f/storage/archive")
    obj = write_s3_file("s3://archive/y.txt", b"old")
    assert obj == {"s3": "y.txt", "storage": "archive"}
    assert load_s3_file("s3://archive/y.txt") == b"old"


@pytest.mark.live
def test_generated_key_and_headers(storage):
    obj = write_s3_file(
        None, b"a,b\n1,2\n", content_type="text/csv", content_disposition="attachment"
    )
    assert obj.s3.startswith("windmill_uploads/")
    head = connectors.connect(storage).head_object(Bucket=storage.value["bucket"], Key=obj.s3)
    assert head["ContentType"] == "text/csv"
    assert head["ContentDisposition"] == "attachment"


@pytest.mark.live
def test_multipart_stream(storage):
    size = 20 * 1024 * 1024 + 123
    payload = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    obj = write_s3_file("s3:///big.bin", io.BufferedReader(io.BytesIO(payload)))
    head = connectors.connect(storage).head_object(Bucket=storage.value["bucket"], Key=obj.s3)
    assert head["ContentLength"] == size
    assert "-" in head["ETag"]  # a multipart upload
    assert load_s3_file(obj) == payload


@pytest.mark.live
def test_sign(storage):
    import httpx

    write_s3_file("s3:///pub/a.txt", b"public")
    signed = sign_s3_object("s3:///pub/a.txt", expiry_secs=5)
    assert signed.s3 == "pub/a.txt"
    assert "X-Amz-Expires=60" in signed.presigned  # clamped to at least 60 s
    assert httpx.get(signed.presigned).content == b"public"
    many = sign_s3_objects([S3Object(s3="pub/a.txt"), "s3:///pub/a.txt"])
    assert all("X-Amz-Expires=43200" in o.presigned for o in many)


@pytest.mark.live
def test_polars_writes_and_reads_parquet(storage):
    pl = pytest.importorskip("polars")
    settings = polars_connection_settings()
    url = f"s3://{settings['s3_bucket']}/tables/t.parquet"
    frame = pl.DataFrame({"id": [1, 2, 3], "name": ["a", "b", "c"]})
    frame.write_parquet(url, storage_options=settings["storage_options"])
    back = pl.read_parquet(url, storage_options=settings["storage_options"])
    assert back.to_dicts() == frame.to_dicts()
    s3fs = pytest.importorskip("s3fs")
    fs = s3fs.S3FileSystem(**settings["s3fs_args"])
    assert fs.ls(f"{settings['s3_bucket']}/tables") == [f"{settings['s3_bucket']}/tables/t.parquet"]
    with fs.open(f"{settings['s3_bucket']}/tables/t.parquet", "rb") as handle:
        assert pl.read_parquet(handle).to_dicts() == frame.to_dicts()


@pytest.mark.live
def test_boto3_settings_work(storage):
    boto3 = pytest.importorskip("boto3")
    s3 = boto3.client("s3", **boto3_connection_settings())
    s3.put_object(Bucket=storage.value["bucket"], Key="b.txt", Body=b"b")
    assert load_s3_file("s3:///b.txt") == b"b"


def _duckdb_with_httpfs():
    import duckdb
    from duckdb_extensions import import_extension  # the wheel carries httpfs: no download

    con = duckdb.connect()
    import_extension("httpfs", con=con)
    con.execute("LOAD httpfs")
    return con


@pytest.mark.live
def test_duckdb_reads_parquet(storage):
    pl = pytest.importorskip("polars")
    settings = polars_connection_settings()
    url = f"s3://{settings['s3_bucket']}/d.parquet"
    pl.DataFrame({"n": [1, 2]}).write_parquet(url, storage_options=settings["storage_options"])
    con = _duckdb_with_httpfs()
    with job_directory():  # Windmill's settings set home_directory='./', as in a job directory
        con.execute(duckdb_connection_settings()["connection_settings_str"])
        assert con.execute(f"select sum(n) from read_parquet('{url}')").fetchone() == (3,)


def test_resource_object_store_dispatch():
    from connectors.plugins import get_connector

    store = get_connector("s3").object_store(Resource("s3", {"bucket": "abc"}))
    assert store.bucket == "abc"
