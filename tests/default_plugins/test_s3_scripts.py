"""hub_scripts/s3 against the live S3 (moto)."""

from __future__ import annotations

import base64
import io

import pytest

import connectors
from connectors.hub.loader import load_script

pytestmark = pytest.mark.live


def run(name, resource, **kwargs):
    return load_script("s3", name).main(resource.value, **kwargs)


def test_upload_and_download(fresh_s3):
    up = run("upload_file", fresh_s3, key="a/hello.txt", content="héllo", content_type="text/plain")
    assert up["size"] == len("héllo".encode())
    down = run("download_file", fresh_s3, key="a/hello.txt", as_text=True)
    assert down == {
        "key": "a/hello.txt",
        "size": 6,
        "content_type": "text/plain",
        "truncated": False,
        "content": "héllo",
    }
    raw = bytes(range(256))
    run(
        "upload_file",
        fresh_s3,
        key="bin",
        content=base64.b64encode(raw).decode(),
        encoding="base64",
    )
    part = run("download_file", fresh_s3, key="bin", max_bytes=10)
    assert base64.b64decode(part["content"]) == raw[:10]
    assert part["truncated"] is True
    assert part["size"] == 256


def test_list_objects_paginated_and_bounded(fresh_s3):
    s3 = connectors.connect(fresh_s3)
    bucket = fresh_s3.value["bucket"]
    for i in range(7):
        s3.put_object(Bucket=bucket, Key=f"logs/{i:02d}.txt", Body=b"x" * i)
    s3.put_object(Bucket=bucket, Key="logs/sub/deep.txt", Body=b"")
    s3.put_object(Bucket=bucket, Key="other.txt", Body=b"")
    first = run("list_objects", fresh_s3, prefix="logs/", max_keys=3)
    assert [o["key"] for o in first["objects"]] == ["logs/00.txt", "logs/01.txt", "logs/02.txt"]
    assert first["truncated"] is True
    assert first["next_start_after"] == "logs/02.txt"
    rest = run(
        "list_objects",
        fresh_s3,
        prefix="logs/",
        max_keys=100,
        start_after=first["next_start_after"],
    )
    assert len(rest["objects"]) == 5
    assert rest["truncated"] is False
    assert rest["next_start_after"] is None
    grouped = run("list_objects", fresh_s3, prefix="logs/", delimiter="/")
    assert grouped["common_prefixes"] == ["logs/sub/"]
    assert len(grouped["objects"]) == 7
    assert grouped["objects"][3]["size"] == 3
    with pytest.raises(ValueError, match="max_keys"):
        run("list_objects", fresh_s3, max_keys=0)


def test_presign(fresh_s3):
    import httpx

    signed_put = run("presign", fresh_s3, key="p.txt", method="put_object", expires_in=60)
    assert signed_put["method"] == "PUT"
    assert httpx.put(signed_put["url"], content=b"via url").status_code == 200
    signed_get = run("presign", fresh_s3, key="p.txt")
    assert httpx.get(signed_get["url"]).content == b"via url"
    with pytest.raises(ValueError, match="expires_in"):
        run("presign", fresh_s3, key="p.txt", expires_in=700000)


def test_copy_and_delete(fresh_s3):
    s3 = connectors.connect(fresh_s3)
    bucket = fresh_s3.value["bucket"]
    s3.put_object(Bucket=bucket, Key="src/a.txt", Body=b"abc")
    copied = run("copy_object", fresh_s3, source_key="src/a.txt", destination_key="dst/a.txt")
    assert copied == {"bucket": bucket, "key": "dst/a.txt", "size": 3}
    from connectors import progress

    assert progress.get_progress() == 99  # wmill.set_progress followed the bytes copied
    assert s3.get_object(Bucket=bucket, Key="dst/a.txt")["Body"].read() == b"abc"
    for i in range(3):
        s3.put_object(Bucket=bucket, Key=f"tmp/{i}", Body=b"")
    result = run("delete_objects", fresh_s3, keys=["src/a.txt"], prefix="tmp/")
    assert result == {"deleted": 4, "errors": []}
    remaining = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert remaining == ["dst/a.txt"]
    with pytest.raises(ValueError, match="empty prefix"):
        run("delete_objects", fresh_s3, prefix="")


def test_read_parquet_preview(fresh_s3):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    import datetime

    table = pa.table(
        {
            "id": list(range(100)),
            "name": [f"n{i}" for i in range(100)],
            "day": [datetime.date(2026, 1, 1) + datetime.timedelta(days=i) for i in range(100)],
        }
    )
    sink = io.BytesIO()
    pq.write_table(table, sink, row_group_size=30)
    s3 = connectors.connect(fresh_s3)
    s3.put_object(Bucket=fresh_s3.value["bucket"], Key="t.parquet", Body=sink.getvalue())
    preview = run("read_parquet_preview", fresh_s3, key="t.parquet", limit=35)
    assert preview["num_rows"] == 100
    assert preview["num_row_groups"] == 4
    assert preview["columns"] == [
        {"name": "id", "type": "int64"},
        {"name": "name", "type": "string"},
        {"name": "day", "type": "date32[day]"},
    ]
    assert len(preview["rows"]) == 35
    assert preview["rows"][34] == {"id": 34, "name": "n34", "day": "2026-02-04"}


def test_scripts_declare_the_s3_type():
    for name in (
        "upload_file",
        "download_file",
        "list_objects",
        "presign",
        "copy_object",
        "delete_objects",
        "read_parquet_preview",
    ):
        module = load_script("s3", name)
        assert module.s3.__name__ == "s3"
        assert "Args:" in module.main.__doc__


def test_download_of_an_empty_object(fresh_s3):
    run("upload_file", fresh_s3, key="empty", content="")
    down = run("download_file", fresh_s3, key="empty", as_text=True)
    assert (down["size"], down["content"], down["truncated"]) == (0, "", False)


def test_presign_refuses_other_methods(fresh_s3):
    with pytest.raises(ValueError, match="get_object or put_object"):
        run("presign", fresh_s3, key="k", method="delete_object")
