"""s3 against live servers: connect, check (ok, bad keys, missing bucket, unreachable), memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

import connectors
from connectors.resource import Resource
from connectors.s3.client import config_kwargs
from connectors.testing.process import free_port


def test_client_configuration_per_provider():
    minio = connectors.connect(connectors.parse("http://127.0.0.1:9000/my-bucket"))
    assert minio.meta.endpoint_url == "http://127.0.0.1:9000"
    assert minio.meta.region_name == "us-east-1"
    config = minio.meta.config
    assert config.s3["addressing_style"] == "path"
    assert config.signature_version == "s3v4"
    assert config.request_checksum_calculation == "when_required"
    assert config.response_checksum_validation == "when_required"
    r2 = connectors.connect(
        connectors.parse("https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com/m")
    )
    assert r2.meta.region_name == "auto"
    aws = connectors.parse("https://reports.s3.eu-west-3.amazonaws.com")
    options = config_kwargs(aws.value)
    assert options["s3"] == {"addressing_style": "virtual"}
    assert "request_checksum_calculation" not in options
    client = connectors.connect(aws)
    assert client.meta.region_name == "eu-west-3"
    assert client.meta.config.s3["addressing_style"] == "virtual"


@pytest.mark.live
def test_check_ok(live_s3):
    result = connectors.check(live_s3, timeout=20)
    assert result.ok, result.to_dict()
    assert [s.name for s in result.steps] == ["tcp", "list", "put", "get", "delete"]
    assert result.server_version  # the Server header
    s3 = connectors.connect(live_s3)
    listed = s3.list_objects_v2(Bucket=live_s3.value["bucket"], Prefix=".connectors-check/")
    assert listed.get("KeyCount", 0) == 0  # the probe was deleted


@pytest.mark.live
def test_check_missing_bucket(live_s3):
    value = {**live_s3.value, "bucket": "no-such-bucket-here"}
    result = connectors.check(Resource("s3", value), timeout=20)
    assert not result.ok
    failed = result.failed_step
    assert failed.name == "list"
    assert failed.detail.startswith("bucket 'no-such-bucket-here' does not exist")


def test_check_unreachable():
    value = connectors.parse(f"http://127.0.0.1:{free_port()}/bkt").value
    result = connectors.check(Resource("s3", value), timeout=5)
    assert not result.ok
    assert result.failed_step.name == "tcp"
    assert "connection refused" in result.failed_step.detail


@pytest.mark.live
def test_check_bad_credentials(live_s3_strict):
    good = connectors.check(live_s3_strict, timeout=20)
    assert good.ok, good.to_dict()
    value = {**live_s3_strict.value, "accessKey": "WRONGKEY", "secretKey": "wrong-secret-123"}
    result = connectors.check(Resource("s3", value), timeout=20)
    assert not result.ok
    assert result.failed_step.name == "list"
    assert result.failed_step.detail.startswith("bad credentials")
    assert "wrong-secret-123" not in json.dumps(result.to_dict())


@pytest.mark.live
def test_connect_round_trip(fresh_s3):
    s3 = connectors.connect(fresh_s3)
    s3.put_object(Bucket=fresh_s3.value["bucket"], Key="a", Body=b"1")
    assert s3.get_object(Bucket=fresh_s3.value["bucket"], Key="a")["Body"].read() == b"1"


_MEMORY_SCRIPT = textwrap.dedent(
    """
    import hashlib, json, sys
    from connectors.objectstore import store_for

    value = json.loads(sys.argv[1])
    size = int(sys.argv[2])
    most = int(sys.argv[3])  # the longest answer of one read, as a socket or pipe gives

    def vm_hwm():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024

    class Source:
        # a non-seekable stream of `size` bytes, made on the fly
        def __init__(self):
            self.left = size
            self.block = bytes(range(256)) * 4096  # 1 MiB
            self.digest = hashlib.sha256()
        def read(self, n=-1):
            n = self.left if n is None or n < 0 else min(n, self.left, most)
            whole, rest = divmod(n, len(self.block))
            out = b"".join([self.block] * whole + [self.block[:rest]])
            self.left -= n
            self.digest.update(out)
            return out
        def readable(self):
            return True

    store_for(value).write("warm", b"x")  # import boto3, make the client: before the baseline
    baseline = vm_hwm()
    source = Source()
    store_for(value).write("big.bin", source)
    after_upload = vm_hwm()
    digest = hashlib.sha256()
    with store_for(value).open_reader("big.bin") as reader:
        while chunk := reader.read(1024 * 1024):
            digest.update(chunk)
    after_download = vm_hwm()
    print(json.dumps({
        "baseline": baseline, "upload": after_upload, "download": after_download,
        "same": digest.hexdigest() == source.digest.hexdigest(),
    }))
    """
)


@pytest.mark.live
@pytest.mark.slow
@pytest.mark.parametrize("most", [1 << 30, 64 * 1024], ids=["full-reads", "short-reads"])
def test_200_mib_stream_in_constant_memory(fresh_s3, most):
    size = 200 * 1024 * 1024
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    value = json.dumps(fresh_s3.value)
    done = subprocess.run(
        [sys.executable, "-c", _MEMORY_SCRIPT, value, str(size), str(most)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    print("memory", {k: v // 1048576 for k, v in report.items() if k != "same"})
    assert report["same"] is True
    limit = 64 * 1024 * 1024
    assert report["upload"] - report["baseline"] < limit, report
    assert report["download"] - report["baseline"] < limit, report
    head = connectors.connect(fresh_s3).head_object(Bucket=fresh_s3.value["bucket"], Key="big.bin")
    assert head["ContentLength"] == size
