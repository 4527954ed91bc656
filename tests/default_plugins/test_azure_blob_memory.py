"""A 200 MiB streamed round trip through the azure_blob object store in bounded memory.

The transfer runs in a subprocess that reads its own peak RSS (VmHWM in /proc/self/status)
after setup and again after writing and reading back; the growth must stay under 64 MiB.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = [pytest.mark.live, pytest.mark.slow]

SIZE_MIB = 200
LIMIT_MIB = 64

CHILD = textwrap.dedent(
    """
    import hashlib, io, json, sys

    def hwm_kib():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        raise SystemExit("no VmHWM")

    class Source(io.RawIOBase):
        # deterministic bytes, produced 1 MiB at a time, never held whole
        def __init__(self, total):
            self.left, self.counter, self.digest = total, 0, hashlib.sha256()
            self.pending = b""
        def readable(self):
            return True
        def readinto(self, buffer):
            if not self.pending:
                if self.left <= 0:
                    return 0
                block = hashlib.sha256(str(self.counter).encode()).digest() * 32768
                self.counter += 1
                self.pending = block[: min(len(block), self.left)]
                self.left -= len(self.pending)
                self.digest.update(self.pending)
            n = min(len(buffer), len(self.pending))
            buffer[:n] = self.pending[:n]
            self.pending = self.pending[n:]
            return n

    from connectors.objectstore.azure import AzureObjectStore
    from connectors.resource import Resource
    from connectors.plugins import get_connector

    value, size = json.loads(sys.argv[1]), int(sys.argv[2])
    store = get_connector("azure_blob").object_store(Resource("azure_blob", value))
    store.write("warmup.bin", io.BufferedReader(Source(8 << 20)))
    with store.open_reader("warmup.bin") as reader:
        while reader.read(1 << 20):
            pass
    baseline = hwm_kib()
    source = Source(size)
    store.write("big.bin", io.BufferedReader(source, buffer_size=1 << 20))
    after_write = hwm_kib()
    digest, total = hashlib.sha256(), 0
    with store.open_reader("big.bin") as reader:
        while chunk := reader.read(1 << 20):
            digest.update(chunk)
            total += len(chunk)
    print(json.dumps({
        "baseline_kib": baseline, "after_write_kib": after_write, "peak_kib": hwm_kib(),
        "bytes": total, "same": digest.hexdigest() == source.digest.hexdigest(),
    }))
    """
)


def test_200_mib_round_trip_in_bounded_memory(fresh_azure_blob):
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(fresh_azure_blob.value), str(SIZE_MIB << 20)],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["bytes"] == SIZE_MIB << 20
    assert report["same"]
    growth_mib = (report["peak_kib"] - report["baseline_kib"]) / 1024
    print(f"peak RSS growth {growth_mib:.1f} MiB for {SIZE_MIB} MiB (report {report})")
    assert growth_mib < LIMIT_MIB
