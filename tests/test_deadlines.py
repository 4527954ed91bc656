"""One deadline for every wait, against a real listener that accepts and never answers.

``check`` returns within its timeout (+0.5 s) for every type, with a CheckResult that says
which step got no answer; ``connect()`` applies the default connect timeout
(``CONNECTORS_CONNECT_TIMEOUT``, 10 s); ``--timeout`` takes positive finite seconds only.
These test behaviour (the call returns, and with what), not speed.
"""

from __future__ import annotations

import importlib
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import connectors
import connectors.plugins
from connectors.hub.loader import load_path

AZURITE_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)


def strings(port: int) -> dict[str, str]:
    """A connection string of each built-in type aimed at 127.0.0.1:port."""
    return {
        "postgresql": f"postgresql://app:pw@127.0.0.1:{port}/app",
        "mongodb": f"mongodb://app:pw@127.0.0.1:{port}/app",
        "redis": f"redis://:pw@127.0.0.1:{port}/0",
        "upstash_redis": (
            f"UPSTASH_REDIS_REST_URL=http://127.0.0.1:{port}\nUPSTASH_REDIS_REST_TOKEN=AXtoken1234"
        ),
        "s3": (
            "AWS_ACCESS_KEY_ID=AKIAEXAMPLE\nAWS_SECRET_ACCESS_KEY=secret-example-key\n"
            f"AWS_ENDPOINT_URL_S3=http://127.0.0.1:{port}\nS3_BUCKET=b\nAWS_REGION=us-east-1"
        ),
        "azure_blob": (
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
            f"AccountKey={AZURITE_KEY};BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;"
        ),
    }


TYPES = tuple(strings(1))
ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-c", "from connectors.cli import main; main()"]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A TCP listener that accepts every connection and never sends a byte."""
    server = socket.create_server(("127.0.0.1", 0), backlog=64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(5)
    for conn in held:
        conn.close()
    server.close()


def warm_up(resource: connectors.Resource) -> None:
    """Import the driver and load its data files first: this tests the waits, and a first
    import holds the interpreter lock for long stretches on a loaded machine."""
    if resource.resource_type == "postgresql":
        import psycopg  # noqa: F401  (connect() would wait on the listener)

        return
    client = connectors.connect(resource)  # lazy clients: no I/O yet
    close = getattr(client, "close", None)
    if callable(close):
        close()


@pytest.mark.parametrize("type_name", TYPES)
def test_check_returns_by_its_deadline(type_name, silent_port):
    resource = connectors.parse(strings(silent_port)[type_name], type=type_name)
    warm_up(resource)
    timeout = 1.5
    started = time.monotonic()
    result = connectors.check(resource, timeout=timeout)
    elapsed = time.monotonic() - started
    assert elapsed <= timeout + 0.5, f"{type_name} took {elapsed:.2f} s"
    assert not result.ok
    assert result.steps[0].ok, result.steps  # the listener does accept
    failed = [step for step in result.steps if not step.ok]
    assert len(failed) == 1 and failed[0] is result.steps[-1], result.steps
    # pymongo's own error when its server selection times out: "no server could be selected"
    expected = r"timed out|timeout|no answer|did not answer|no server could be selected"
    assert re.search(expected, failed[0].detail), failed[0]


def plugin_strings(port: int) -> dict[str, str]:
    """A string of each extra connector of this repository (plugins/) aimed at 127.0.0.1:port."""
    return {
        "mysql": f"mysql://app:pw@127.0.0.1:{port}/app",
        "gcloud_storage": f'{{"bucket": "my-bucket", "endpoint": "http://127.0.0.1:{port}"}}',
    }


PLUGIN_DRIVERS = {"mysql": "pymysql", "gcloud_storage": "google.cloud.storage"}


@pytest.mark.parametrize("type_name", tuple(plugin_strings(1)))
def test_a_plugin_check_returns_by_its_deadline(type_name, silent_port):
    if type_name not in connectors.plugins.get_registry().connectors:
        pytest.skip(f"the {type_name} plugin is not installed")
    resource = connectors.parse(plugin_strings(silent_port)[type_name], type=type_name)
    importlib.import_module(PLUGIN_DRIVERS[type_name])  # as warm_up does for the built-ins
    timeout = 1.5
    started = time.monotonic()
    result = connectors.check(resource, timeout=timeout)
    elapsed = time.monotonic() - started
    assert elapsed <= timeout + 0.5, f"{type_name} took {elapsed:.2f} s"
    assert not result.ok and not result.steps[-1].ok, result.steps
    assert re.search(r"timeout|sent no", result.steps[-1].detail), result.steps


#: the driver setting each built-in type's hub scripts use for the default connect timeout
#: (upstash-redis: its httpx client's, with 30 s per request); azure_blob/generate_sas signs
#: locally
HUB_SCRIPT_TIMEOUTS = {
    "postgresql": r'"connect_timeout", 10\)',
    "mongodb": r'"connectTimeoutMS", 10_000\)',
    "redis": r'"socket_connect_timeout", 10\)',
    "s3": r'"?connect_timeout"?\s*[:=]\s*10\b',
    "azure_blob": r"connection_timeout=10\b",
    "upstash_redis": r"http\.timeout = \(10, 30, 30, 30\)",
}
NO_CONNECTION = {"azure_blob/generate_sas.py"}


@pytest.mark.parametrize("type_name", tuple(HUB_SCRIPT_TIMEOUTS))
def test_hub_scripts_set_the_default_connect_timeout(type_name):
    scripts = sorted((ROOT / "hub_scripts" / type_name).glob("*.py"))
    assert scripts
    for script in scripts:
        if f"{type_name}/{script.name}" in NO_CONNECTION:
            continue
        assert re.search(HUB_SCRIPT_TIMEOUTS[type_name], script.read_text()), script.name


UPSTASH_SCRIPT_ARGS = {
    "get": {"key": "k"},
    "set": {"key": "k", "value": "v"},
    "delete": {"keys": ["k"]},
    "scan_keys": {},
    "hget": {"key": "h"},
    "hset": {"key": "h", "values": {"a": "1"}},
    "increment": {"key": "n"},
    "publish": {"channel": "c", "message": "m"},
    "rate_limit": {"identifier": "x"},
}


def upstash_script(name: str) -> ModuleType:
    return load_path(ROOT / "hub_scripts" / "upstash_redis" / f"{name}.py", f"deadline_{name}")


def test_every_upstash_script_is_listed():
    found = {path.stem for path in (ROOT / "hub_scripts" / "upstash_redis").glob("*.py")}
    assert found == set(UPSTASH_SCRIPT_ARGS)


@pytest.mark.parametrize("name", tuple(UPSTASH_SCRIPT_ARGS))
def test_upstash_scripts_give_the_sdk_client_its_timeouts(name):
    """The timeout reaches the SDK's own httpx client (its place is private to the SDK)."""
    import httpx

    client = upstash_script(name)._client({"url": "http://127.0.0.1:9/", "token": "t"})
    assert client._http._client.timeout == httpx.Timeout(30, connect=10)


@pytest.fixture
def hanging_up_port() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP listener that reads each request, keeps it, and closes without an answer."""
    server = socket.create_server(("127.0.0.1", 0), backlog=64)
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                received.append(_http_request(conn))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join(5)
    server.close()


def _http_request(conn: socket.socket) -> bytes:
    """One HTTP request as it arrives: its head, then as many bytes as Content-Length says."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = re.search(rb"content-length: *(\d+)", head, re.IGNORECASE)
    while length is not None and len(body) < int(length[1]):
        body += conn.recv(65536)
    return head + b"\r\n\r\n" + body


@pytest.mark.parametrize("name", ["increment", "rate_limit"])
def test_counting_scripts_send_their_transaction_once(name, hanging_up_port):
    """A reply lost after the server counted: sent again, the hit would count twice (the SDK
    retries any failed request once, 3 s later)."""
    import httpx

    port, received = hanging_up_port
    value = {"url": f"http://127.0.0.1:{port}", "token": "AXtoken1234"}
    with pytest.raises(httpx.HTTPError):
        upstash_script(name).main(value, **UPSTASH_SCRIPT_ARGS[name])
    assert len(received) == 1  # main() has returned: no attempt is left to come
    assert received[0].startswith(b"POST /multi-exec ") and b'"INCR' in received[0].upper()


def test_reading_scripts_keep_the_sdks_retry(hanging_up_port):
    """The retry stays where sending twice changes nothing (GET)."""
    import httpx

    port, received = hanging_up_port
    value = {"url": f"http://127.0.0.1:{port}", "token": "AXtoken1234"}
    with pytest.raises(httpx.HTTPError):
        upstash_script("get").main(value, key="k")
    assert len(received) == 2


@pytest.mark.slow
def test_upstash_scripts_end_on_an_endpoint_that_never_answers(silent_port):
    """Each script raises httpx's ReadTimeout: one attempt of 30 s, or two (the SDK retries
    once, 3 s later, but for the counting scripts); without the timeout they would wait for
    ever."""
    import httpx

    value = {"url": f"http://127.0.0.1:{silent_port}", "token": "AXtoken1234"}
    outcome: dict[str, BaseException | None] = {}

    def attempt(name: str) -> None:
        try:
            upstash_script(name).main(value, **UPSTASH_SCRIPT_ARGS[name])
            outcome[name] = None
        except Exception as exc:
            outcome[name] = exc

    workers = {
        name: threading.Thread(target=attempt, args=(name,), daemon=True)
        for name in UPSTASH_SCRIPT_ARGS
    }
    for worker in workers.values():
        worker.start()
    deadline = time.monotonic() + 2 * 30 + 3 + 15  # a generous margin for a loaded machine
    for worker in workers.values():
        worker.join(max(deadline - time.monotonic(), 0))
    assert not [name for name, worker in workers.items() if worker.is_alive()]
    assert {name: type(error) for name, error in outcome.items()} == dict.fromkeys(
        UPSTASH_SCRIPT_ARGS, httpx.ReadTimeout
    )


@pytest.mark.parametrize("type_name", ["mongodb", "s3"])
def test_cli_check_returns_by_its_deadline(type_name, silent_port):
    text = strings(silent_port)[type_name]
    started = time.monotonic()
    done = subprocess.run(
        [*CLI, "check", "--timeout", "1", "-"],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    assert "FAILED" in done.stdout
    # the interpreter's start-up comes on top of the 1 s: a generous margin for a loaded machine
    assert elapsed < 1.0 + 0.5 + 5.0, elapsed


@pytest.mark.parametrize("bad", ["nan", "inf", "-inf", "-5", "0", "soon", "1e999"])
def test_timeout_must_be_positive_and_finite(bad):
    done = subprocess.run(
        [*CLI, "check", "--timeout", bad, "redis://127.0.0.1:9/0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "--timeout must be a positive number of seconds" in lines[0], lines


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -1.0, 0, "10", True])
def test_check_refuses_a_bad_timeout(bad):
    resource = connectors.parse("redis://127.0.0.1:9/0")
    if bad == "10":  # a numeric string is a number of seconds
        assert not connectors.check(resource, timeout=bad).ok
        return
    with pytest.raises(ValueError, match="timeout must be a positive number of seconds"):
        connectors.check(resource, timeout=bad)


@pytest.mark.parametrize(
    ("type_name", "first_call", "limit"),
    [
        ("postgresql", lambda c: c.execute("select 1"), 2),  # libpq: whole seconds, at least 2
        ("mongodb", lambda c: c.admin.command("ping"), 1),
        ("redis", lambda c: c.ping(), 4),  # per attempt: redis-py tries a connection 3 times
    ],
)
def test_connect_applies_the_default_connect_timeout(
    type_name, first_call, limit, silent_port, monkeypatch
):
    monkeypatch.setenv("CONNECTORS_CONNECT_TIMEOUT", "1")
    resource = connectors.parse(strings(silent_port)[type_name], type=type_name)
    outcome: dict[str, BaseException] = {}

    def attempt() -> None:
        try:
            first_call(connectors.connect(resource))
        except Exception as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(limit + 10)  # generous: this checks that it returns, not how fast
    assert not worker.is_alive(), f"{type_name}: connect() has not returned"
    assert "error" in outcome
    assert "time" in str(outcome["error"]).lower() or "Timeout" in type(outcome["error"]).__name__


#: where each lazy client (no I/O until the first request) keeps its connect timeout
LAZY_CLIENT_TIMEOUT = {
    "s3": lambda client: client._client_config.connect_timeout,
    "azure_blob": lambda client: client._pipeline._transport.connection_config.timeout,
    "upstash_redis": lambda client: client._http._client.timeout.connect,
}


@pytest.mark.parametrize("type_name", tuple(LAZY_CLIENT_TIMEOUT))
@pytest.mark.parametrize(("setting", "seconds"), [(None, 10.0), ("1.5", 1.5)])
def test_connect_gives_lazy_clients_the_default_connect_timeout(
    type_name, setting, seconds, monkeypatch
):
    if setting is None:
        monkeypatch.delenv("CONNECTORS_CONNECT_TIMEOUT", raising=False)
    else:
        monkeypatch.setenv("CONNECTORS_CONNECT_TIMEOUT", setting)
    resource = connectors.parse(strings(9)[type_name], type=type_name)
    assert LAZY_CLIENT_TIMEOUT[type_name](connectors.connect(resource)) == seconds


def test_a_bad_default_connect_timeout_is_refused(monkeypatch):
    monkeypatch.setenv("CONNECTORS_CONNECT_TIMEOUT", "nan")
    with pytest.raises(ValueError, match="CONNECTORS_CONNECT_TIMEOUT must be a positive"):
        connectors.connect(connectors.parse("redis://127.0.0.1:9/0"))
