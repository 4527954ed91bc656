"""write_s3_file / load_s3_file against boto3's upload_fileobj / download_fileobj.

Same object (64 MiB by default), same local moto server (its own process), one run, alternating
the two sides; prints the median seconds, MiB/s and the ratio (boto3 time / ours: >= 1.0 means
ours is as fast). Target: >= 0.9x.

    .venv/bin/python benchmarks/bench_s3_transfer.py [--mib 64] [--rounds 5]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def start_moto() -> tuple[subprocess.Popen, str]:
    from connectors.testing.process import free_port, wait_port

    port = free_port()
    exe = Path(sys.executable).with_name("moto_server")
    proc = subprocess.Popen(
        [str(exe), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_port(port, what="moto_server", proc=proc)
    return proc, f"http://127.0.0.1:{port}"


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    for name, default in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        os.environ.setdefault(name, default)
    home = tempfile.mkdtemp(prefix="bench-s3-")
    os.environ["CONNECTORS_HOME"] = home

    from connectors import client
    from connectors.objectstore import S3Object, load_s3_file, write_s3_file
    from connectors.s3.client import make_client

    proc, endpoint = start_moto()
    try:
        value = {
            "bucket": "bench-bucket",
            "region": "us-east-1",
            "endPoint": endpoint,
            "pathStyle": True,
            "accessKey": "testing",
            "secretKey": "testing",
            "useSSL": False,
        }
        client.set_resource("f/bench/s3", value, "s3")
        path = "f/bench/s3"
        s3 = make_client(value)  # boto3 side: same client configuration, boto3's defaults
        s3.create_bucket(Bucket="bench-bucket")
        payload = os.urandom(args.mib * 1024 * 1024)
        obj = S3Object(s3="bench/object.bin")
        # warm both paths (client creation, connection pools)
        write_s3_file(obj, payload[:1024], s3_resource_path=path)
        s3.upload_fileobj(io.BytesIO(payload[:1024]), "bench-bucket", "bench/boto.bin")

        names = ("ours_up", "ours_up_stream", "boto_up", "ours_down", "boto_down")
        results: dict[str, list[float]] = {k: [] for k in names}
        boto_up = lambda: s3.upload_fileobj(io.BytesIO(payload), "bench-bucket", "bench/boto.bin")  # noqa: E731
        actions = {
            "ours_up": lambda: write_s3_file(obj, payload, s3_resource_path=path),
            "ours_up_stream": lambda: write_s3_file(
                obj, io.BytesIO(payload), s3_resource_path=path
            ),
            "boto_up": boto_up,
            "ours_down": lambda: load_s3_file(obj, s3_resource_path=path),
            "boto_down": lambda: s3.download_fileobj(
                "bench-bucket", "bench/boto.bin", io.BytesIO()
            ),
        }
        for round_number in range(args.rounds):
            # alternate the order, so neither side always runs on a warmer server
            order = list(names) if round_number % 2 == 0 else list(reversed(names))
            for name in order:
                results[name].append(timed(actions[name]))
        assert load_s3_file(obj, s3_resource_path=path) == payload
        check = io.BytesIO()
        s3.download_fileobj("bench-bucket", "bench/boto.bin", check)
        assert check.getvalue() == payload
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(home, ignore_errors=True)

    median = {k: statistics.median(v) for k, v in results.items()}
    mib = args.mib
    print(f"S3 transfer, {mib} MiB object, local moto server, median of {args.rounds} rounds")
    print(
        f"{'operation':<12} {'ours (s)':>9} {'boto3 (s)':>10} {'ours MiB/s':>11} "
        f"{'boto3 MiB/s':>12} {'ratio':>6}"
    )
    rows = (
        ("upload", "ours_up", "boto_up"),
        ("upload*", "ours_up_stream", "boto_up"),
        ("download", "ours_down", "boto_down"),
    )
    for label, ours, boto in rows:
        ratio = median[boto] / median[ours]
        print(
            f"{label:<12} {median[ours]:>9.3f} {median[boto]:>10.3f} {mib / median[ours]:>11.1f} "
            f"{mib / median[boto]:>12.1f} {ratio:>5.2f}x"
        )
    print("ratio = boto3 time / ours (>= 0.9x is the target)")
    print("upload: write_s3_file(bytes); upload*: write_s3_file(stream), 5 parts of 5 MiB")
    print("boto3: upload_fileobj(BytesIO) / download_fileobj(BytesIO), default TransferConfig")


if __name__ == "__main__":
    main()
