"""Against a live Cloud Storage emulator (fake-gcs-server): check, the object-storage adapter
behind Windmill's helpers, polars, and the hub scripts through `connectors run`."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import httpx
import pytest

import connectors

pytestmark = pytest.mark.live


def cli(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-c", "from connectors.cli import main; main()", *args],
        input=stdin, capture_output=True, text=True, env=os.environ.copy(), check=False,
    )  # fmt: skip


def run(name, resource, args):
    done = cli("run", f"gcloud_storage/{name}", "--resource", connectors.to_connection_string(
        resource), "--json", "--args-json", "-", stdin=json.dumps(args))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert resource.value["serviceAccountKey"]["private_key"].splitlines()[1] not in done.stdout
    return json.loads(done.stdout)["result"]


def test_check_lists_the_bucket(live_gcloud_storage):
    result = connectors.check(live_gcloud_storage, timeout=15)
    assert result.ok, result.to_dict()
    assert [s.name for s in result.steps] == ["credentials", "bucket"]
    assert "connectors-test@" in result.steps[0].detail


def test_check_of_a_missing_bucket_fails(live_gcloud_storage):
    value = {**live_gcloud_storage.value, "bucket": "no-such-bucket"}
    result = connectors.check(connectors.Resource("gcloud_storage", value), timeout=15)
    assert not result.ok and result.failed_step.name == "bucket"
    assert "no bucket 'no-such-bucket'" in result.failed_step.detail


@pytest.fixture
def workspace_storage(fresh_gcloud_storage, monkeypatch):
    """The workspace object storage is a gcloud_storage resource, as Windmill allows."""
    connectors.set_resource("f/lake/gcs", fresh_gcloud_storage.value, "gcloud_storage")
    monkeypatch.setenv("CONNECTORS_OBJECT_STORAGE", "f/lake/gcs")
    return fresh_gcloud_storage


def test_windmill_helpers_on_gcs_workspace_storage(workspace_storage):
    obj = connectors.write_s3_file(connectors.S3Object(s3="dir/a.txt"), b"hello gcs")
    assert obj == {"s3": "dir/a.txt", "storage": None}
    assert connectors.load_s3_file("s3:///dir/a.txt") == b"hello gcs"
    with connectors.load_s3_file_reader(obj) as reader:
        assert reader.read() == b"hello gcs"
    streamed = connectors.write_s3_file("s3:///dir/big.bin", io.BytesIO(b"x" * 9_000_000))
    assert len(connectors.load_s3_file(streamed)) == 9_000_000
    signed = connectors.sign_s3_object(obj, expiry_secs=120)
    assert "X-Goog-Signature=" in signed["presigned"]
    assert httpx.get(signed["presigned"]).content == b"hello gcs"
    connectors.delete_s3_object(obj)
    connectors.delete_s3_object(obj)  # no error when it is gone
    bucket = connectors.connect(workspace_storage)
    assert [b.name for b in bucket.client.list_blobs(bucket.name)] == ["dir/big.bin"]


def test_polars_reads_with_the_settings(workspace_storage):
    # fake-gcs-server does not take object_store's XML-API PUT, so the file is written with
    # write_s3_file and read by polars natively (object_store, gs://).
    pl = pytest.importorskip("polars")
    buffer = io.BytesIO()
    pl.DataFrame({"a": [1, 2], "b": ["x", "é"]}).write_parquet(buffer)
    connectors.write_s3_file("s3:///t.parquet", buffer.getvalue())
    settings = connectors.polars_connection_settings()
    assert settings["gcs_bucket"] == workspace_storage.value["bucket"]
    url = f"gs://{settings['gcs_bucket']}/t.parquet"
    frame = pl.read_parquet(url, storage_options=settings["storage_options"])
    assert frame.to_dict(as_series=False) == {"a": [1, 2], "b": ["x", "é"]}


def test_duckdb_settings_explain_hmac(workspace_storage):
    with pytest.raises(connectors.ConnectorsError, match="HMAC"):
        connectors.duckdb_connection_settings()


def test_duckdb_reads_with_an_hmac_key(fresh_gcloud_storage, monkeypatch):
    # fake-gcs-server checks no signature; DuckDB still sends its HMAC-signed requests to it
    duckdb = pytest.importorskip("duckdb")
    pl = pytest.importorskip("polars")
    from duckdb_extensions import import_extension  # the wheel carries httpfs: no download

    import_extension("httpfs")
    value = {**fresh_gcloud_storage.value, "hmacAccessId": "GOOG1EXAMPLE", "hmacSecret": "s'cr"}
    connectors.set_resource("f/lake/gcs", value, "gcloud_storage")
    monkeypatch.setenv("CONNECTORS_OBJECT_STORAGE", "f/lake/gcs")
    buffer = io.BytesIO()
    pl.DataFrame({"a": [1, 2]}).write_parquet(buffer)
    connectors.write_s3_file("s3:///t.parquet", buffer.getvalue())
    settings = connectors.duckdb_connection_settings()
    con = duckdb.connect()
    con.execute(settings["connection_settings_str"])
    url = f"gs://{settings['gcs_bucket']}/t.parquet"
    assert con.execute(f"SELECT a FROM read_parquet('{url}')").fetchall() == [(1,), (2,)]


def test_hub_scripts_upload_list_download_sign(fresh_gcloud_storage):
    r = fresh_gcloud_storage
    assert run("upload_object", r, {"name": "n/a.txt", "content": "héllo"}) == {
        "bucket": r.value["bucket"], "name": "n/a.txt", "size": 6, "content_type": "text/plain",
    }  # fmt: skip
    run("upload_object", r, {"name": "n/b.bin", "content": "AAEC", "base64_encoded": True})
    listed = run("list_objects", r, {"prefix": "n/"})
    assert [(o["name"], o["size"]) for o in listed] == [("n/a.txt", 6), ("n/b.bin", 3)]
    got = run("download_object", r, {"name": "n/b.bin", "as_text": False})
    assert (got["content"], got["size"]) == ("AAEC", 3)
    assert run("download_object", r, {"name": "n/a.txt"})["content"] == "héllo"
    signed = run("signed_url", r, {"name": "n/a.txt", "expiry_secs": 60})
    assert signed["method"] == "GET" and "X-Goog-Credential=" in signed["url"]
    assert httpx.get(signed["url"]).content == "héllo".encode()


def test_sidecars_are_current():
    done = cli("hub", "sidecars", "gcloud_storage", "--check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_bare_value_with_a_key_is_typed_gcs_by_the_core():
    from storage_connectors_gcs.store import GCSObjectStore
    from storage_connectors_gcs.testing import service_account_key

    from connectors.objectstore import store_for

    value = {"bucket": "acme-data", "serviceAccountKey": service_account_key()}
    assert isinstance(store_for(value), GCSObjectStore)
    assert type(store_for({"bucket": "acme-data"})).__name__ == "S3Store"  # s3 first on a tie
