"""azure_blob: parse speed against the SDK's own parser, and streamed writes and reads.

Run: .venv/bin/python benchmarks/bench_azure_blob.py ['<connection string with ContainerName>']
(default: a local Azurite started as the test harness does, container "bench").
"""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

import connectors
from connectors.plugins import get_connector

KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
STRING = (
    f"DefaultEndpointsProtocol=https;AccountName=myacct;AccountKey={KEY};"
    "EndpointSuffix=core.windows.net"
)


def per_call(fn, n):
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n


def main() -> None:
    from azure.storage.blob._shared.base_client import parse_connection_str

    rows = []
    sdk = per_call(lambda: parse_connection_str(STRING, None, "blob"), 5000)
    typed = per_call(lambda: connectors.parse(STRING, type="azure_blob"), 5000)
    auto = per_call(lambda: connectors.parse(STRING), 2000)
    rows.append(("parse, type given (us/call)", typed * 1e6, sdk * 1e6))
    rows.append(("parse, auto-detected (us/call)", auto * 1e6, sdk * 1e6))

    factory = None
    if len(sys.argv) > 1:
        resource = connectors.parse(sys.argv[1])
    else:
        from connectors.testing.factory import ServerFactory

        factory = ServerFactory(Path(__file__).resolve().parents[1], require_live=True)
        live = factory.resource("azure_blob")
        resource = connectors.Resource("azure_blob", {**live.value, "containerName": "bench"})
    service = connectors.connect(resource)
    name = resource.value["containerName"]
    if not service.get_container_client(name).exists():
        service.create_container(name)
    store = get_connector("azure_blob").object_store(resource)
    data = os.urandom(64 << 20)

    t = time.perf_counter()
    store.write("bench/ours.bin", io.BytesIO(data))
    ours_w = time.perf_counter() - t
    t = time.perf_counter()
    store.container.upload_blob(
        "bench/sdk.bin", io.BytesIO(data), overwrite=True, max_concurrency=1
    )
    sdk_w = time.perf_counter() - t
    rows.append(("write 64 MiB stream (s)", ours_w, sdk_w))

    t = time.perf_counter()
    with store.open_reader("bench/ours.bin") as reader:
        while reader.read(1 << 20):
            pass
    ours_r = time.perf_counter() - t
    t = time.perf_counter()
    store.container.download_blob("bench/sdk.bin", max_concurrency=1).readall()
    sdk_r = time.perf_counter() - t
    rows.append(("read 64 MiB (s)", ours_r, sdk_r))
    for key in ("bench/ours.bin", "bench/sdk.bin"):
        store.delete(key)

    print(f"{'what':38} {'connectors':>12} {'azure SDK':>12} {'ratio':>7}")
    for what, a, b in rows:
        print(f"{what:38} {a:12.3f} {b:12.3f} {a / b:7.2f}")
    print("(SDK write: upload_blob(stream, max_concurrency=1); SDK read: readall() into memory)")
    if factory is not None:
        factory.close()


if __name__ == "__main__":
    main()
