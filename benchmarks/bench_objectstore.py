"""Object storage through the workspace: streaming against boto3, and polars/duckdb settings.

    .venv/bin/python benchmarks/bench_objectstore.py [--stream-mib 1024] [--parquet-mib 100]
                                                     [--rounds 3]

Against one local moto server (its own process), with the workspace's s3 resource pointing at
it:

1. Streaming ``--stream-mib`` (default 1 GiB) up and down, never held in memory on either side:
   ``write_s3_file(obj, stream)`` against ``upload_fileobj(stream)`` (boto3's default
   TransferConfig), ``load_s3_file_reader`` read in 1 MiB chunks against ``download_fileobj``
   into a sink. The stream is generated as it is read. Memory: the peak resident set (sampled
   every 5 ms) over the resident set before each operation (target: <= 64 MiB). Ratio =
   boto3 time / ours (target >= 0.9).
2. A ``--parquet-mib`` parquet file read back with polars (``pl.read_parquet(url,
   storage_options=...)``) and duckdb (``read_parquet`` after running the settings string),
   configured from ``polars_connection_settings`` / ``duckdb_connection_settings`` and by hand
   (the same keys typed in, as a user would without this package). Ratio = by-hand time / ours
   (target >= 0.9). The two configurations name the same server, so the ratio says the
   settings add no cost (a wrong setting, such as virtual-host addressing against moto, would
   fail or go slow).
Rounds interleave ours and the peer (order alternating); medians are printed.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_s3_transfer import start_moto  # noqa: E402

BUCKET = "bench-objects"
CHUNK = 1 << 20


class Generated(io.RawIOBase):
    """``size`` bytes of a repeated random block, made as they are read."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.block = os.urandom(CHUNK)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self.left, CHUNK)
        buffer[:n] = self.block[:n]
        self.left -= n
        return n


class Sink:
    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measured(action: Callable[[], object]) -> tuple[float, float]:
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


def streaming(s3, mib: int, rounds: int) -> list[tuple[str, float, float, float, float]]:
    from connectors import S3Object, load_s3_file_reader, write_s3_file

    sizes = {"size": 8 << 20}  # a warm-up round first: clients, pools and buffers made
    ours_obj = S3Object(s3="bench/ours.bin")

    def ours_up() -> None:
        write_s3_file(ours_obj, Generated(sizes["size"]), s3_resource_path="f/bench/s3")

    def boto_up() -> None:
        s3.upload_fileobj(Generated(sizes["size"]), BUCKET, "bench/boto.bin")

    def ours_down() -> None:
        with load_s3_file_reader(ours_obj, s3_resource_path="f/bench/s3") as reader:
            total = 0
            while chunk := reader.read(CHUNK):
                total += len(chunk)
        assert total == sizes["size"]

    def boto_down() -> None:
        sink = Sink()
        s3.download_fileobj(BUCKET, "bench/boto.bin", sink)
        assert sink.size == sizes["size"]

    pairs = (("upload", ours_up, boto_up), ("download", ours_down, boto_down))
    for _, ours, boto in pairs:
        ours()
        boto()
    sizes["size"] = mib << 20
    rows = []
    for label, ours, boto in pairs:
        times: dict[str, list[float]] = {"ours": [], "boto3": []}
        memory: dict[str, list[float]] = {"ours": [], "boto3": []}
        for round_number in range(rounds):
            order = [("ours", ours), ("boto3", boto)]
            for name, action in order if round_number % 2 == 0 else reversed(order):
                elapsed, grown = measured(action)
                times[name].append(elapsed)
                memory[name].append(grown)
        ours_t, boto_t = statistics.median(times["ours"]), statistics.median(times["boto3"])
        rows.append((label, ours_t, boto_t, max(memory["ours"]), max(memory["boto3"])))
    return rows


def dataframes(endpoint: str, mib: int, rounds: int) -> list[tuple[str, float, float]]:
    import duckdb
    import polars as pl
    from duckdb_extensions import import_extension

    from connectors import duckdb_connection_settings, polars_connection_settings

    rows_count = max(1, (mib << 20) // 16)  # two 8-byte columns of random numbers
    ids = pl.int_range(0, rows_count, eager=True)
    frame = pl.DataFrame({"id": ids, "x": ids.hash() // 256})  # hashes: incompressible
    polars_settings = polars_connection_settings("f/bench/s3")
    url = f"s3://{BUCKET}/bench/table.parquet"
    frame.write_parquet(url, storage_options=polars_settings["storage_options"],
                        compression="uncompressed")  # fmt: skip
    by_hand_options = {
        "aws_endpoint_url": endpoint,
        "aws_region": "us-east-1",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
        "aws_allow_http": "true",
    }
    host = endpoint.split("://", 1)[1]
    by_hand_sql = (
        f"SET s3_endpoint='{host}'; SET s3_use_ssl=false; SET s3_url_style='path'; "
        "SET s3_region='us-east-1'; SET s3_access_key_id='testing'; "
        "SET s3_secret_access_key='testing';"
    )

    def duck(settings_sql: str) -> Callable[[], object]:
        con = duckdb.connect()
        import_extension("httpfs", con=con)  # the wheel carries httpfs: no download
        con.execute("LOAD httpfs")
        con.execute(settings_sql)
        return lambda: con.execute(f"SELECT sum(x), count(*) FROM read_parquet('{url}')").fetchone()

    ours_sql = duckdb_connection_settings("f/bench/s3")["connection_settings_str"]
    sides = {
        "polars": (
            lambda: pl.read_parquet(url, storage_options=polars_settings["storage_options"]),
            lambda: pl.read_parquet(url, storage_options=by_hand_options),
        ),
        "duckdb": (duck(ours_sql), duck(by_hand_sql)),
    }
    expected = (int(frame["x"].sum()), rows_count)
    for ours, by_hand in sides.values():  # warm-up; both configurations read the table back
        assert ours() is not None and by_hand() is not None
    got = sides["duckdb"][0](), sides["duckdb"][1]()
    assert got[0] == got[1] and got[0][1] == rows_count, (got, expected)
    rows = []
    for label, (ours, by_hand) in sides.items():
        times: dict[str, list[float]] = {"ours": [], "hand": []}
        for round_number in range(rounds):
            order = [("ours", ours), ("hand", by_hand)]
            for name, action in order if round_number % 2 == 0 else reversed(order):
                started = time.perf_counter()
                action()
                times[name].append(time.perf_counter() - started)
        rows.append((label, statistics.median(times["ours"]), statistics.median(times["hand"])))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stream-mib", type=int, default=1024)
    parser.add_argument("--parquet-mib", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for name, default in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        os.environ.setdefault(name, default)
    home = tempfile.mkdtemp(prefix="bench-objects-")
    os.environ["CONNECTORS_HOME"] = home
    import connectors
    from connectors.s3.client import make_client

    proc, endpoint = start_moto()
    try:
        value = {
            "bucket": BUCKET,
            "region": "us-east-1",
            "endPoint": endpoint,
            "pathStyle": True,
            "accessKey": "testing",
            "secretKey": "testing",
            "useSSL": False,
        }
        connectors.set_resource("f/bench/s3", value, "s3")
        s3 = make_client(value)
        s3.create_bucket(Bucket=BUCKET)
        stream_rows = streaming(s3, args.stream_mib, args.rounds)
        frame_rows = dataframes(endpoint, args.parquet_mib, args.rounds)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    load = os.getloadavg()[0]
    print(f"object storage, local moto server, median of {args.rounds} interleaved rounds, "
          f"load average {load:.2f}")  # fmt: skip
    print(f"streaming {args.stream_mib} MiB")
    print(
        f"{'':<10}{'ours (s)':>9}{'boto3 (s)':>10}{'ratio':>7}{'ours +MiB':>11}{'boto3 +MiB':>12}"
    )
    for label, ours_t, boto_t, ours_m, boto_m in stream_rows:
        print(f"{label:<10}{ours_t:>9.2f}{boto_t:>10.2f}{boto_t / ours_t:>6.2f}x"
              f"{ours_m:>11.1f}{boto_m:>12.1f}")  # fmt: skip
    print(f"reading a {args.parquet_mib} MiB parquet file (uncompressed) from the same bucket")
    print(f"{'':<10}{'settings (s)':>13}{'by hand (s)':>12}{'ratio':>7}")
    for label, ours_t, hand_t in frame_rows:
        print(f"{label:<10}{ours_t:>13.2f}{hand_t:>12.2f}{hand_t / ours_t:>6.2f}x")
    print(
        "ratio = peer (boto3 / by hand) time / ours: >= 0.9x is the target; +MiB = peak RSS "
        "over the RSS before the operation (target <= 64 MiB)"
    )


if __name__ == "__main__":
    main()
