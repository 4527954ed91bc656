"""The azure_blob hub scripts, run with load_script(...).main(resource.value, ...) on Azurite."""

from __future__ import annotations

import base64
import hashlib
import os

import httpx
import pytest

import connectors
from connectors.hub.loader import load_script

pytestmark = pytest.mark.live
pytest.importorskip("azure.storage.blob")


def run(name, *args, **kwargs):
    return load_script("azure_blob", name).main(*args, **kwargs)


def test_upload_download_list_delete(fresh_azure_blob):
    value = fresh_azure_blob.value
    done = run("upload_blob", value, "docs/a.txt", "héllo", content_type="text/plain")
    assert done == {
        "container": value["containerName"],
        "blob": "docs/a.txt",
        "size": len("héllo".encode()),
        "etag": done["etag"],
        "content_type": "text/plain",
    }
    run(
        "upload_blob",
        value,
        "docs/b.bin",
        base64.b64encode(b"\x00\x01\xff").decode(),
        base64_encoded=True,
    )
    run("upload_blob", value, "other.txt", "x")

    got = run("download_blob", value, "docs/a.txt")
    assert (got["content"], got["size"], got["content_type"]) == ("héllo", 6, "text/plain")
    raw = run("download_blob", value, "docs/b.bin", as_text=False)
    assert base64.b64decode(raw["content"]) == b"\x00\x01\xff"
    with pytest.raises(ValueError, match="max_bytes"):
        run("download_blob", value, "docs/a.txt", max_bytes=2)

    listed = run("list_blobs", value, prefix="docs/")
    assert [item["name"] for item in listed] == ["docs/a.txt", "docs/b.bin"]
    assert [item["size"] for item in listed] == [6, 3]
    assert len(run("list_blobs", value, limit=1)) == 1
    assert len(run("list_blobs", value)) == 3

    assert run("delete_blob", value, "docs/a.txt") == {"blob": "docs/a.txt", "deleted": True}
    assert run("delete_blob", value, "docs/a.txt") == {"blob": "docs/a.txt", "deleted": False}
    with pytest.raises(Exception, match=r"BlobNotFound|does not exist"):
        run("delete_blob", value, "docs/a.txt", missing_ok=False)
    assert [item["name"] for item in run("list_blobs", value)] == ["docs/b.bin", "other.txt"]


def test_upload_without_overwrite_refuses_an_existing_blob(fresh_azure_blob):
    run("upload_blob", fresh_azure_blob.value, "once.txt", "1")
    with pytest.raises(Exception, match=r"BlobAlreadyExists|already exists"):
        run("upload_blob", fresh_azure_blob.value, "once.txt", "2", overwrite=False)


def test_generate_sas_for_a_blob_and_the_container(fresh_azure_blob):
    value = fresh_azure_blob.value
    run("upload_blob", value, "shared/r.txt", "readable")
    signed = run("generate_sas", value, "shared/r.txt", expiry_minutes=5)
    assert httpx.get(signed["url"]).text == "readable"
    container = run("generate_sas", value, permissions="rl")
    listing = httpx.get(container["url"] + "&restype=container&comp=list")
    assert listing.status_code == 200 and "shared/r.txt" in listing.text
    # the container SAS URL is itself a resource that parses and passes the list step
    resource = connectors.parse(container["url"])
    assert resource.value["containerName"] == value["containerName"]
    assert run("list_blobs", resource.value)[0]["name"] == "shared/r.txt"


def test_generate_sas_needs_the_key(fresh_azure_blob):
    value = {k: v for k, v in fresh_azure_blob.value.items() if k != "accessKey"}
    with pytest.raises(ValueError, match="accessKey"):
        run("generate_sas", value, "x")


def test_copy_between_s3_and_azure_streams_both_ways(fresh_s3, fresh_azure_blob):
    import boto3

    s3v = fresh_s3.value
    s3 = boto3.client(
        "s3",
        endpoint_url=s3v["endPoint"],
        region_name=s3v["region"],
        aws_access_key_id=s3v["accessKey"],
        aws_secret_access_key=s3v["secretKey"],
    )
    data = os.urandom(11 * 1024 * 1024 + 3)
    s3.put_object(
        Bucket=s3v["bucket"], Key="in/data.bin", Body=data, ContentType="application/x-test"
    )

    done = run(
        "copy_s3_to_azure", s3v, fresh_azure_blob.value, "in/data.bin", "copied.bin", chunk_mib=4
    )
    assert done == {
        "direction": "s3_to_azure",
        "from": "in/data.bin",
        "to": "copied.bin",
        "bytes": len(data),
        "blocks": 3,
    }
    container = connectors.connect(fresh_azure_blob).get_container_client(
        fresh_azure_blob.value["containerName"]
    )
    blob = container.download_blob("copied.bin")
    assert hashlib.sha256(blob.readall()).digest() == hashlib.sha256(data).digest()
    from connectors import progress

    assert progress.get_progress() == 99  # wmill.set_progress followed the bytes copied
    assert blob.properties.content_settings.content_type == "application/x-test"

    back = run(
        "copy_s3_to_azure",
        s3v,
        fresh_azure_blob.value,
        "out/back.bin",
        "copied.bin",
        direction="azure_to_s3",
        chunk_mib=5,
    )
    assert back["bytes"] == len(data)
    assert progress.get_progress() == 99
    body = s3.get_object(Bucket=s3v["bucket"], Key="out/back.bin")["Body"].read()
    assert body == data
