"""The object-storage helpers inside a Windmill worker, against a stdlib double of Windmill's API.

The double answers the endpoints of reference/windmill.md 1.8-1.10 and checks every request: the
method and path, the query keys allowed and required, the Bearer token, the content type and the
JSON body. A request outside the documented shapes fails the test. Streaming is shown without
timing: the double holds the rest of a download until the client has read its start, and the
client's upload source holds the rest of its bytes until the double has received the start; a
client that buffered the whole object would block there and the test would fail.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest

import connectors
from connectors.errors import ConnectorsError, WorkspaceError
from connectors.objectstore import (
    S3Object,
    boto3_connection_settings,
    delete_s3_object,
    duckdb_connection_settings,
    load_s3_file,
    load_s3_file_reader,
    polars_connection_settings,
    sign_s3_object,
    sign_s3_objects,
    windmill_storage,
    write_s3_file,
)
from connectors.objectstore.windmill import UPLOAD_CHUNK, boto3_from_resource

TOKEN = "wm-token-123"
WS = "demo"
MiB = 1024 * 1024
OBJECT_QUERY = {"file_key", "s3_resource_path", "storage"}

# endpoint -> (method, allowed query keys, required query keys, body kind, allowed JSON keys)
DOCUMENTED: dict[str, tuple[str, set[str], set[str], str | None, set[str]]] = {
    "job_helpers/download_s3_file": ("GET", OBJECT_QUERY, {"file_key"}, None, set()),
    "job_helpers/upload_s3_file": (
        "POST",
        OBJECT_QUERY | {"content_type", "content_disposition"},
        set(),
        "application/octet-stream",
        set(),
    ),
    "job_helpers/delete_s3_file": ("DELETE", OBJECT_QUERY, {"file_key"}, None, set()),
    "apps/sign_s3_objects": (
        "POST",
        set(),
        set(),
        "application/json",
        {"s3_objects", "expiry_secs"},
    ),
    "job_helpers/v2/polars_connection_settings": (
        "POST",
        set(),
        set(),
        "application/json",
        {"s3_resource_path"},
    ),
    "job_helpers/v2/duckdb_connection_settings": (
        "POST",
        set(),
        set(),
        "application/json",
        {"s3_resource_path"},
    ),
    "job_helpers/v2/s3_resource_info": (
        "POST",
        set(),
        set(),
        "application/json",
        {"s3_resource_path"},
    ),
    "job_helpers/v2/s3_proxy_bucket": ("GET", set(), set(), None, set()),
}
S3_OBJECT_KEYS = {"s3", "storage", "presigned", "filename"}

POLARS = {
    "s3fs_args": {
        "endpoint_url": "http://minio:9000",
        "key": "AK",
        "secret": "SK",
        "use_ssl": False,
        "cache_regions": False,
        "client_kwargs": {"region_name": "eu-west-1"},
    },
    "storage_options": {
        "aws_endpoint_url": "http://minio:9000",
        "aws_access_key_id": "AK",
        "aws_secret_access_key": "SK",
        "aws_region": "eu-west-1",
        "aws_allow_http": "true",
    },
}
DUCKDB = "SET home_directory='./';\nINSTALL 'httpfs';\nSET s3_region='eu-west-1';"
S3_RESOURCE = {
    "bucket": "wm-lfs",
    "region": "eu-west-1",
    "endPoint": "minio",
    "useSSL": False,
    "accessKey": "AK",
    "secretKey": "SK",
    "pathStyle": True,
    "port": 9000,
}


class FakeWindmill:
    def __init__(self) -> None:
        self.token = TOKEN
        self.storages: dict[str, dict[str, bytes]] = {}
        self.requests: list[tuple[str, str, dict[str, str], Any]] = []
        self.problems: list[str] = []
        self.proxy_bucket: str | None = None
        #: keys a newer server adds to the settings answers
        self.extra_settings: dict[str, Any] = {}
        # streaming checks (see the module docstring)
        self.hold_download: threading.Event | None = None
        self.upload_started = threading.Event()
        self.last_upload: dict[str, Any] = {}

    def problem(self, text: str) -> None:
        self.problems.append(text)

    def check(self, method: str, raw_path: str, headers: Any) -> tuple[str, dict[str, str]] | None:
        path, _, query = raw_path.partition("?")
        if headers.get("Authorization") != f"Bearer {self.token}":
            self.problem(f"{method} {path}: bad Authorization header")
            return None
        prefix = f"/api/w/{WS}/"
        if not path.startswith(prefix):
            self.problem(f"{method} {path}: not under {prefix}")
            return None
        endpoint = path[len(prefix) :]
        doc = DOCUMENTED.get(endpoint)
        if doc is None or doc[0] != method:
            self.problem(f"undocumented request {method} {endpoint}")
            return None
        _, allowed, required, body_kind, _ = doc
        parsed = parse_qs(query, keep_blank_values=True)
        if any(len(v) != 1 for v in parsed.values()):
            self.problem(f"{method} {endpoint}: repeated query keys")
        params = {k: v[0] for k, v in parsed.items()}
        if not set(params) <= allowed or not required <= set(params):
            self.problem(f"{method} {endpoint}: query keys {sorted(params)}")
        if any(v == "" for v in params.values()):
            self.problem(f"{method} {endpoint}: empty query value")
        content_type = headers.get("Content-Type")
        if body_kind is not None and content_type != body_kind:
            self.problem(f"{method} {endpoint}: Content-Type {content_type}")
        if body_kind is None and (headers.get("Content-Length") not in (None, "0")):
            self.problem(f"{method} {endpoint}: unexpected body")
        return endpoint, params

    def check_json(self, endpoint: str, raw: bytes) -> Any:
        data = json.loads(raw)
        allowed = DOCUMENTED[endpoint][4]
        if not isinstance(data, dict) or not set(data) <= allowed:
            self.problem(f"{endpoint}: body {data!r}")
            return data
        if endpoint == "apps/sign_s3_objects":
            objects = data.get("s3_objects")
            if not isinstance(objects, list) or not all(
                isinstance(o, dict) and "s3" in o and set(o) <= S3_OBJECT_KEYS for o in objects
            ):
                self.problem(f"{endpoint}: s3_objects {objects!r}")
            if "expiry_secs" in data and not isinstance(data["expiry_secs"], int):
                self.problem(f"{endpoint}: expiry_secs {data['expiry_secs']!r}")
        return data

    def storage_of(self, params: dict[str, str]) -> dict[str, bytes]:
        name = params.get("s3_resource_path") or params.get("storage") or "_default_"
        return self.storages.setdefault(name, {})


@pytest.fixture
def windmill(monkeypatch):
    fake = FakeWindmill()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def body_chunks(self) -> Any:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                while True:
                    size = int(self.rfile.readline().split(b";")[0], 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        return
                    yield self.rfile.read(size)
                    self.rfile.readline()
            remaining = int(self.headers.get("Content-Length") or 0)
            while remaining:
                chunk = self.rfile.read(min(remaining, 64 * 1024))
                remaining -= len(chunk)
                yield chunk

        def reply(self, status: int, payload: Any) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _serve(self) -> None:
            checked = fake.check(self.command, self.path, self.headers)
            if checked is None:
                for _ in self.body_chunks():
                    pass
                self.reply(401 if "Authorization" in str(fake.problems[-1:]) else 400, "bad")
                return
            endpoint, params = checked
            if endpoint == "job_helpers/upload_s3_file":
                self.upload(params)
                return
            raw = b"".join(self.body_chunks())
            data = fake.check_json(endpoint, raw) if raw else None
            fake.requests.append((self.command, endpoint, params, data))
            if endpoint == "job_helpers/download_s3_file":
                self.download(params)
            else:
                self.reply(*self.answer(endpoint, params, data))

        def upload(self, params: dict[str, str]) -> None:
            digest, size, parts = hashlib.sha256(), 0, []
            for chunk in self.body_chunks():
                digest.update(chunk)
                parts.append(chunk)
                size += len(chunk)
                if size >= MiB:
                    fake.upload_started.set()
            fake.last_upload = {
                "chunked": self.headers.get("Transfer-Encoding") == "chunked",
                "size": size,
                "sha256": digest.hexdigest(),
            }
            fake.requests.append((self.command, "job_helpers/upload_s3_file", params, size))
            key = params.get("file_key") or f"windmill_uploads/{uuid.uuid4().hex}"
            fake.storage_of(params)[key] = b"".join(parts)
            self.reply(200, {"file_key": key})

        def download(self, params: dict[str, str]) -> None:
            data = fake.storage_of(params).get(params["file_key"])
            if data is None:
                self.reply(404, f"object {params['file_key']} not found")
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            step = 64 * 1024
            for offset in range(0, len(data), step):
                hold = fake.hold_download if offset == MiB else None
                if hold is not None and not hold.wait(20):
                    fake.problem("download: the client did not read before the end")
                chunk = data[offset : offset + step]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")

        def answer(self, endpoint: str, params: dict[str, str], data: Any) -> tuple[int, Any]:
            if endpoint == "job_helpers/delete_s3_file":
                fake.storage_of(params).pop(params["file_key"], None)
                return 200, "deleted"
            if endpoint == "apps/sign_s3_objects":
                expiry = min(max(data.get("expiry_secs", 43200), 60), 604800)
                return 200, [
                    {**o, "presigned": f"X-Amz-Expires={expiry}&X-Amz-Signature=abc"}
                    for o in data["s3_objects"]
                ]
            if endpoint == "job_helpers/v2/polars_connection_settings":
                return 200, {**POLARS, **fake.extra_settings}
            if endpoint == "job_helpers/v2/duckdb_connection_settings":
                return 200, {"connection_settings_str": DUCKDB, **fake.extra_settings}
            if endpoint == "job_helpers/v2/s3_resource_info":
                return 200, S3_RESOURCE
            if endpoint == "job_helpers/v2/s3_proxy_bucket":
                if fake.proxy_bucket is None:
                    return 400, "no s3 proxy"
                return 200, {"bucket": fake.proxy_bucket}
            return 500, "unhandled"

        do_GET = do_POST = do_DELETE = _serve

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    fake.base = f"http://127.0.0.1:{server.server_port}"  # type: ignore[attr-defined]
    monkeypatch.setenv("WM_BASE_URL", fake.base)  # type: ignore[attr-defined]
    monkeypatch.setenv("WM_TOKEN", TOKEN)
    monkeypatch.setenv("WM_WORKSPACE", WS)
    yield fake
    server.shutdown()
    server.server_close()
    assert fake.problems == []


# -- objects ------------------------------------------------------------------------------------


def test_detection_is_the_workspaces(windmill, monkeypatch):
    assert windmill_storage() is not None
    monkeypatch.delenv("WM_TOKEN")
    assert windmill_storage() is None
    monkeypatch.setenv("WM_TOKEN", TOKEN)
    monkeypatch.delenv("WM_BASE_URL")
    monkeypatch.setenv("BASE_INTERNAL_URL", windmill.base)
    assert windmill_storage() is not None


def test_write_then_load_on_the_workspace_storage(windmill):
    written = write_s3_file(
        "s3:///reports/a.csv",
        b"id,name\n1,x\n",
        content_type="text/csv",
        content_disposition="attachment",
    )
    assert written == S3Object(s3="reports/a.csv", storage=None)
    assert load_s3_file(S3Object(s3="reports/a.csv")) == b"id,name\n1,x\n"
    with load_s3_file_reader("s3:///reports/a.csv") as reader:
        assert reader.read(3) == b"id,"
        assert reader.read() == b"name\n1,x\n"
    assert connectors.load_s3_file is load_s3_file
    assert windmill.requests == [
        (
            "POST",
            "job_helpers/upload_s3_file",
            {
                "file_key": "reports/a.csv",
                "content_type": "text/csv",
                "content_disposition": "attachment",
            },
            12,
        ),
        ("GET", "job_helpers/download_s3_file", {"file_key": "reports/a.csv"}, None),
        ("GET", "job_helpers/download_s3_file", {"file_key": "reports/a.csv"}, None),
    ]
    assert windmill.storages == {"_default_": {"reports/a.csv": b"id,name\n1,x\n"}}


def test_secondary_storage_and_resource_path(windmill):
    obj = write_s3_file("s3://archive/x.bin", b"\x00\x01")
    assert obj == {"s3": "x.bin", "storage": "archive"}
    assert load_s3_file(obj) == b"\x00\x01"
    write_s3_file(S3Object(s3="y.bin"), b"y", s3_resource_path="$res:f/data/lake")
    assert load_s3_file("s3:///y.bin", s3_resource_path="res://f/data/lake") == b"y"
    delete_s3_object("s3:///y.bin", "f/data/lake")
    delete_s3_object(obj)
    assert [(r[0], r[1].split("/")[-1], r[2]) for r in windmill.requests] == [
        ("POST", "upload_s3_file", {"file_key": "x.bin", "storage": "archive"}),
        ("GET", "download_s3_file", {"file_key": "x.bin", "storage": "archive"}),
        ("POST", "upload_s3_file", {"file_key": "y.bin", "s3_resource_path": "f/data/lake"}),
        ("GET", "download_s3_file", {"file_key": "y.bin", "s3_resource_path": "f/data/lake"}),
        ("DELETE", "delete_s3_file", {"file_key": "y.bin", "s3_resource_path": "f/data/lake"}),
        ("DELETE", "delete_s3_file", {"file_key": "x.bin", "storage": "archive"}),
    ]
    assert windmill.storages == {"archive": {}, "f/data/lake": {}}


def test_server_generates_the_key(windmill):
    obj = write_s3_file(None, b"payload")
    assert re.fullmatch(r"windmill_uploads/[0-9a-f]{32}", obj.s3)
    assert obj.storage is None
    assert windmill.requests[0][2] == {}  # no file_key: Windmill picks it
    assert load_s3_file(obj) == b"payload"


def test_missing_object_is_one_clear_error(windmill):
    with pytest.raises(WorkspaceError, match=r"download_s3_file: 404 .*not found"):
        load_s3_file("s3:///nope.txt")
    with pytest.raises(WorkspaceError, match="404"):
        load_s3_file_reader("s3:///nope.txt")


def test_bad_token_is_reported_without_it(windmill, monkeypatch):
    monkeypatch.setenv("WM_TOKEN", "wrong-secret-token")
    with pytest.raises(WorkspaceError, match="401") as caught:
        load_s3_file("s3:///a")
    assert "wrong-secret-token" not in str(caught.value)
    windmill.problems.clear()


class GatedSource:
    """A reader of ``size`` bytes that waits, after 3 MiB, until the server has seen 1 MiB."""

    def __init__(self, size: int, started: threading.Event) -> None:
        self.size, self.sent, self.started = size, 0, started
        self.digest = hashlib.sha256()
        self.largest_read = 0
        self.waited_ok: bool | None = None

    def read(self, n: int = -1) -> bytes:
        self.largest_read = max(self.largest_read, n)
        if self.sent >= 3 * MiB and self.waited_ok is None:
            self.waited_ok = self.started.wait(20)
        n = min(n if n > 0 else self.size, self.size - self.sent)
        chunk = bytes((self.sent + i) % 251 for i in range(min(n, 251))) * (n // 251 + 1)
        chunk = chunk[:n]
        self.sent += n
        self.digest.update(chunk)
        return chunk


def test_multi_mib_upload_and_download_stream(windmill):
    size = 12 * MiB + 12345
    source = GatedSource(size, windmill.upload_started)
    obj = write_s3_file("s3:///big/blob.bin", source, content_type="application/x-test")  # type: ignore[arg-type]
    assert obj == {"s3": "big/blob.bin", "storage": None}
    assert source.waited_ok is True  # the server had the start before the source was drained
    assert source.largest_read == UPLOAD_CHUNK
    assert windmill.last_upload == {
        "chunked": True,
        "size": size,
        "sha256": source.digest.hexdigest(),
    }

    windmill.hold_download = threading.Event()
    digest, total = hashlib.sha256(), 0
    with load_s3_file_reader(obj) as reader:
        while chunk := reader.read(256 * 1024):
            digest.update(chunk)
            total += len(chunk)
            windmill.hold_download.set()  # only a streaming reader gets here before the end
    assert (total, digest.hexdigest()) == (size, source.digest.hexdigest())


def test_bytes_upload_is_one_body(windmill):
    data = bytes(range(256)) * 8 * 1024 * 3  # 6 MiB
    write_s3_file("s3:///b.bin", data)
    assert windmill.last_upload["chunked"] is False
    assert windmill.last_upload["size"] == len(data)
    assert load_s3_file("s3:///b.bin") == data


# -- signing ------------------------------------------------------------------------------------


def test_sign_objects(windmill):
    signed = sign_s3_objects(["s3:///a.csv", S3Object(s3="b.csv", storage="archive")], 30)
    assert signed == [
        {"s3": "a.csv", "storage": None, "presigned": "X-Amz-Expires=60&X-Amz-Signature=abc"},
        {"s3": "b.csv", "storage": "archive", "presigned": "X-Amz-Expires=60&X-Amz-Signature=abc"},
    ]
    assert all(isinstance(o, S3Object) for o in signed)
    one = sign_s3_object("s3:///c.csv")
    assert one.presigned == "X-Amz-Expires=43200&X-Amz-Signature=abc"
    assert [r[3] for r in windmill.requests] == [
        {
            "s3_objects": [{"s3": "a.csv", "storage": None}, {"s3": "b.csv", "storage": "archive"}],
            "expiry_secs": 30,
        },
        {"s3_objects": [{"s3": "c.csv", "storage": None}]},
    ]


# -- connection settings ------------------------------------------------------------------------


def test_settings_from_the_server(windmill):
    assert polars_connection_settings() == {**POLARS, "s3_bucket": None}
    assert duckdb_connection_settings("$res:f/data/lake") == {
        "connection_settings_str": DUCKDB,
        "s3_bucket": None,
    }
    assert boto3_connection_settings("") == {
        "endpoint_url": "http://minio:9000",
        "region_name": "eu-west-1",
        "use_ssl": False,
        "aws_access_key_id": "AK",
        "aws_secret_access_key": "SK",
    }
    assert [(r[1].split("/")[-1], r[3]) for r in windmill.requests] == [
        ("polars_connection_settings", {}),
        ("duckdb_connection_settings", {"s3_resource_path": "f/data/lake"}),
        ("s3_resource_info", {}),
    ]


def test_settings_keep_every_key_the_server_returns(windmill):
    windmill.extra_settings = {
        "s3_bucket": "wm-lfs",
        "azure_container_path": "az://lake",
        "added_later": {"x": 1},
    }
    polars = polars_connection_settings()
    assert polars == {**POLARS, **windmill.extra_settings}
    assert polars.s3_bucket == "wm-lfs" and polars.storage_options.aws_region == "eu-west-1"
    duck = duckdb_connection_settings()
    assert duck == {"connection_settings_str": DUCKDB, **windmill.extra_settings}
    assert duck.azure_container_path == "az://lake"


def test_boto3_mapping_of_an_s3_resource():
    assert boto3_from_resource({**S3_RESOURCE, "useSSL": True, "port": None, "token": "T"}) == {
        "endpoint_url": "https://minio",
        "region_name": "eu-west-1",
        "use_ssl": True,
        "aws_access_key_id": "AK",
        "aws_secret_access_key": "SK",
        "aws_session_token": "T",
    }
    full = boto3_from_resource({**S3_RESOURCE, "endPoint": "https://s3.eu-west-1.amazonaws.com"})
    assert (full["endpoint_url"], full["use_ssl"]) == ("https://s3.eu-west-1.amazonaws.com", True)


def test_job_token_uses_the_s3_proxy(windmill, monkeypatch):
    token = "jwt_eyJhbGciOi.eyJ3b3Jrc3BhY2UiOi.c2lnbmF0dXJl"
    windmill.token = token
    monkeypatch.setenv("WM_TOKEN", token)
    windmill.proxy_bucket = "wm-lfs"
    endpoint = f"{windmill.base}/api/w/{WS}/s3_proxy/_wm_bucket_/_default_"
    access, secret = "jwt_eyJhbGciOi.eyJ3b3Jrc3BhY2UiOi", "c2lnbmF0dXJl"
    polars = polars_connection_settings()
    assert polars["s3_bucket"] == "wm-lfs"
    assert polars["s3fs_args"] == {
        "endpoint_url": endpoint,
        "key": access,
        "secret": secret,
        "use_ssl": False,
        "cache_regions": False,
        "client_kwargs": {"region_name": "us-east-1"},
        "config_kwargs": {"s3": {"addressing_style": "path"}},
    }
    assert polars["storage_options"] == {
        "aws_endpoint_url": endpoint,
        "aws_access_key_id": access,
        "aws_secret_access_key": secret,
        "aws_region": "us-east-1",
        "aws_allow_http": "true",
        "aws_virtual_hosted_style_request": "false",
    }
    duck = duckdb_connection_settings()
    assert duck["s3_bucket"] == "wm-lfs"
    assert duck["connection_settings_str"].split("\n")[:-1] == [
        "SET home_directory='./';",
        "INSTALL 'httpfs';",
        "SET s3_url_style='path';",
        "SET s3_region='us-east-1';",
        f"SET s3_endpoint='{endpoint.split('://')[1]}';",
        f"SET s3_access_key_id='{access}';",
        f"SET s3_secret_access_key='{secret}';",
        "SET s3_use_ssl=0;",
    ]
    assert boto3_connection_settings() == {
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "use_ssl": False,
        "aws_access_key_id": access,
        "aws_secret_access_key": secret,
    }
    assert boto3_connection_settings("f/data/lake")["endpoint_url"] == "http://minio:9000"
    windmill.proxy_bucket = None  # proxy unavailable: the server path
    assert polars_connection_settings() == {**POLARS, "s3_bucket": None}
    assert [(r[0], r[1].split("/")[-1], r[3]) for r in windmill.requests] == [
        ("GET", "s3_proxy_bucket", None),
        ("GET", "s3_proxy_bucket", None),
        ("GET", "s3_proxy_bucket", None),
        ("POST", "s3_resource_info", {"s3_resource_path": "f/data/lake"}),
        ("GET", "s3_proxy_bucket", None),
        ("POST", "polars_connection_settings", {}),
    ]


# -- outside Windmill ---------------------------------------------------------------------------


def test_outside_windmill_nothing_is_sent(windmill, monkeypatch):
    monkeypatch.delenv("WM_WORKSPACE")
    with pytest.raises(ConnectorsError, match="CONNECTORS_OBJECT_STORAGE"):
        load_s3_file("s3:///a.csv")
    with pytest.raises(ConnectorsError, match="CONNECTORS_OBJECT_STORAGE"):
        polars_connection_settings()
    assert windmill.requests == []
