"""azure_blob against a live Azurite: connect, check, the object helpers, polars and adlfs."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime, timedelta

import httpx
import pytest

import connectors
from connectors import S3Object
from connectors.plugins import get_connector
from connectors.resource import Resource

pytestmark = pytest.mark.live
azure_blob = pytest.importorskip("azure.storage.blob")


def _with(resource: Resource, **changes) -> Resource:
    value = {**resource.value, **changes}
    return Resource("azure_blob", {k: v for k, v in value.items() if v is not None}, "azurite")


def _container_sas(resource: Resource, permission: str = "racwdl") -> str:
    v = resource.value
    return azure_blob.generate_container_sas(
        v["accountName"],
        v["containerName"],
        account_key=v["accessKey"],
        permission=permission,
        expiry=datetime.now(UTC) + timedelta(hours=1),
    )


def _sas_resource(resource: Resource, permission: str = "racwdl") -> Resource:
    value = resource.value
    url = f"{value['endpoint']}/{value['containerName']}?{_container_sas(resource, permission)}"
    return connectors.parse(url)


# -- connect and check -------------------------------------------------------------------


def test_connect_gives_a_service_client(live_azure_blob):
    client = connectors.connect(live_azure_blob)
    assert type(client).__name__ == "BlobServiceClient"
    names = [c.name for c in client.list_containers()]
    assert live_azure_blob.value["containerName"] in names


def test_connect_with_a_container_sas_gives_a_container_client(fresh_azure_blob):
    resource = _sas_resource(fresh_azure_blob)
    client = connectors.connect(resource)
    assert type(client).__name__ == "ContainerClient"
    client.upload_blob("x.txt", b"hello")
    assert client.download_blob("x.txt").readall() == b"hello"


def test_check_passes_with_the_account_key(fresh_azure_blob):
    result = connectors.check(fresh_azure_blob, timeout=10)
    assert result.ok, result.to_dict()
    assert [s.name for s in result.steps] == ["endpoint", "container", "put", "get", "delete"]
    assert result.server_version.startswith("Azurite-Blob/")
    client = connectors.connect(fresh_azure_blob).get_container_client(
        fresh_azure_blob.value["containerName"]
    )
    assert list(client.list_blobs()) == []  # the probe is gone


def test_check_works_with_a_container_scoped_sas(fresh_azure_blob):
    resource = _sas_resource(fresh_azure_blob)
    assert "accessKey" not in resource.value
    result = connectors.check(resource, timeout=10)
    assert result.ok, result.to_dict()
    assert "listed with the SAS" in result.steps[1].detail


def test_check_without_container_lists_the_account(live_azure_blob):
    result = connectors.check(_with(live_azure_blob, containerName=""), timeout=10)
    assert result.ok, result.to_dict()
    assert [s.name for s in result.steps] == ["endpoint", "account"]


def test_check_reports_a_bad_key(live_azure_blob):
    key = live_azure_blob.value["accessKey"]
    bad = "QUJD" + key[4:]
    result = connectors.check(_with(live_azure_blob, accessKey=bad), timeout=10)
    assert not result.ok
    failed = result.failed_step
    assert failed.name == "container"
    assert "authentication failed" in failed.detail
    assert bad not in str(result.to_dict())


def test_check_reports_a_missing_container(live_azure_blob):
    result = connectors.check(_with(live_azure_blob, containerName="no-such-container"), timeout=10)
    assert result.failed_step.name == "container"
    assert "does not exist" in result.failed_step.detail


def test_check_reports_a_read_only_sas_at_the_put_step(fresh_azure_blob):
    result = connectors.check(_sas_resource(fresh_azure_blob, permission="rl"), timeout=10)
    assert result.failed_step.name == "put"
    assert "not allowed" in result.failed_step.detail


def test_check_reports_an_unreachable_endpoint(live_azure_blob):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}/devstoreaccount1"
    result = connectors.check(_with(live_azure_blob, endpoint=endpoint), timeout=5)
    assert result.failed_step.name == "endpoint"
    assert "connection refused" in result.failed_step.detail


# -- object helpers ----------------------------------------------------------------------


@pytest.fixture
def stored(fresh_azure_blob):
    connectors.set_resource("u/test/az", fresh_azure_blob.value, "azure_blob")
    return fresh_azure_blob


def test_write_load_delete_through_the_windmill_helpers(stored):
    obj = connectors.write_s3_file(
        S3Object(s3="dir/a.txt"), b"hello azure", "u/test/az", content_type="text/plain"
    )
    assert obj["s3"] == "dir/a.txt"
    assert connectors.load_s3_file(obj, "u/test/az") == b"hello azure"
    with connectors.load_s3_file_reader(obj, "u/test/az") as reader:
        assert reader.read(5) == b"hello"
    blob = connectors.connect(stored).get_blob_client(stored.value["containerName"], "dir/a.txt")
    assert blob.get_blob_properties().content_settings.content_type == "text/plain"
    connectors.delete_s3_object(obj, "u/test/az")
    connectors.delete_s3_object(obj, "u/test/az")  # absent: no error
    assert not blob.exists()


def test_streamed_write_stages_blocks(stored):
    store = get_connector("azure_blob").object_store(stored)
    data = os.urandom(9 * 1024 * 1024 + 7)
    store.write("big.bin", io.BytesIO(data))
    blob = store.container.get_blob_client("big.bin")
    committed, _ = blob.get_block_list("committed")
    assert len(committed) == 3
    with store.open_reader("big.bin") as reader:
        assert reader.read() == data


def test_presigned_url_reads_without_credentials(stored):
    connectors.write_s3_file(S3Object(s3="p/q.txt"), b"signed", "u/test/az")
    store = get_connector("azure_blob").object_store(stored)
    url = store.presign("p/q.txt", 120)
    assert "sig=" in url
    assert httpx.get(url).content == b"signed"
    assert httpx.get(url.split("?")[0]).status_code in (401, 403, 404)


def test_presign_with_the_resource_sas(stored):
    connectors.write_s3_file(S3Object(s3="s.txt"), b"via sas", "u/test/az")
    store = get_connector("azure_blob").object_store(_sas_resource(stored, "r"))
    assert httpx.get(store.presign("s.txt", 120)).content == b"via sas"


def test_polars_writes_and_reads_parquet(stored):
    pl = pytest.importorskip("polars")
    settings = connectors.polars_connection_settings("u/test/az")
    options = settings["storage_options"]
    assert options["endpoint"] == stored.value["endpoint"]
    assert options["allow_http"] == "true"
    url = f"{settings['azure_container_path']}/tables/t.parquet"
    frame = pl.DataFrame({"id": list(range(500)), "name": [f"n{i}" for i in range(500)]})
    frame.write_parquet(url, storage_options=options)
    back = pl.read_parquet(url, storage_options=options)
    assert back.equals(frame)
    total = pl.scan_parquet(url, storage_options=options).select(pl.col("id").sum()).collect()
    assert total.item() == sum(range(500))
    assert connectors.load_s3_file(S3Object(s3="tables/t.parquet"), "u/test/az")[:4] == b"PAR1"


def test_polars_with_a_container_sas(stored):
    pl = pytest.importorskip("polars")
    resource = _sas_resource(stored)
    options = (
        get_connector("azure_blob").object_store(resource).polars_settings()["storage_options"]
    )
    assert "sas_token" in options
    url = f"az://{stored.value['containerName']}/sas.parquet"
    pl.DataFrame({"a": [1, 2, 3]}).write_parquet(url, storage_options=options)
    assert pl.read_parquet(url, storage_options=options)["a"].to_list() == [1, 2, 3]


def test_adlfs_args_open_the_container(stored):
    adlfs = pytest.importorskip("adlfs")
    connectors.write_s3_file(S3Object(s3="fs/one.txt"), b"1", "u/test/az")
    args = connectors.polars_connection_settings("u/test/az")["adlfs_args"]
    fs = adlfs.AzureBlobFileSystem(**args)
    container = stored.value["containerName"]
    assert fs.ls(f"{container}/fs") == [f"{container}/fs/one.txt"]


def test_duckdb_reads_parquet_through_the_settings(stored):
    import duckdb
    import polars as pl
    from duckdb_extensions import import_extension  # the wheel carries the extension: offline

    settings = connectors.duckdb_connection_settings("u/test/az")
    sql = settings["connection_settings_str"]
    assert "TYPE azure" in sql and "CONNECTION_STRING" in sql
    container_path = settings["azure_container_path"]
    assert container_path == f"az://{stored.value['containerName']}"
    options = connectors.polars_connection_settings("u/test/az")["storage_options"]
    url = f"{container_path}/duck/data.parquet"
    pl.DataFrame({"a": [1, 2, 3]}).write_parquet(url, storage_options=options)
    con = duckdb.connect()
    import_extension("azure", con=con)  # so the settings' own INSTALL needs no download
    con.execute(sql)
    assert con.execute(f"SELECT sum(a) FROM read_parquet('{url}')").fetchone() == (6,)


def test_check_with_a_blob_scoped_sas_reads_that_blob(fresh_azure_blob):
    v = fresh_azure_blob.value
    container = connectors.connect(fresh_azure_blob).get_container_client(v["containerName"])
    container.upload_blob("only/this.txt", b"12345")
    sas = azure_blob.generate_blob_sas(
        v["accountName"],
        v["containerName"],
        "only/this.txt",
        account_key=v["accessKey"],
        permission="r",
        expiry=datetime.now(UTC) + timedelta(hours=1),
    )
    resource = connectors.parse(f"{v['endpoint']}/{v['containerName']}/only/this.txt?{sas}")
    assert resource.value["blobPrefix"] == "only/this.txt"
    result = connectors.check(resource, timeout=10)
    assert result.ok, result.to_dict()
    assert [s.name for s in result.steps] == ["endpoint", "blob"]
    assert "5 bytes" in result.steps[1].detail


def test_check_of_a_value_without_account_or_endpoint_fails_at_the_first_step():
    resource = Resource("azure_blob", {"accountName": "", "containerName": "c", "useSSL": True})
    result = connectors.check(resource, timeout=2)
    assert result.failed_step.name == "endpoint"
    assert "neither accountName nor endpoint" in result.failed_step.detail
