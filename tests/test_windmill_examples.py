"""Windmill's persistent-storage examples (tests/windmill_examples) through ``connectors run``.

Each runs unchanged in a fresh ``connectors`` process, ``import wmill`` served by
``connectors.wmill``, against a live S3 server (moto) stored as ``u/admin/windmill-cloud-demo``
and set as the workspace object storage (``CONNECTORS_OBJECT_STORAGE``).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import connectors

EXAMPLES = Path(__file__).parent / "windmill_examples"
STORAGE_PATH = "u/admin/windmill-cloud-demo"


def connectors_run(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from connectors.cli import main; main()", "run", *args],
        capture_output=True,
        text=True,
        timeout=180,
        input=stdin,
        env={**os.environ, **(env or {})},
    )


def result_of(done: subprocess.CompletedProcess):
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# -- states: the temperature example, its wttr.in answered through HTTP_PROXY ---------------------


class Weather:
    def __init__(self) -> None:
        self.temperature = "+12°F"
        self.requests: list[str] = []

    def __enter__(self):
        weather = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                weather.requests.append(self.path)
                body = weather.temperature.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def env(self) -> dict[str, str]:
        proxy = f"http://127.0.0.1:{self.server.server_address[1]}"
        return {"HTTP_PROXY": proxy, "http_proxy": proxy, "NO_PROXY": "", "no_proxy": ""}

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_states_across_runs():
    script = str(EXAMPLES / "state_temperature.py")
    with Weather() as weather:
        first = connectors_run(script, env=weather.env)
        # as in Windmill: the first run has no state, and the example compares None with a str
        # after storing the temperature
        assert first.returncode == 2
        assert first.stderr.strip().endswith(
            "failed: TypeError: '<' not supported between instances of 'NoneType' and 'str'"
        )
        assert result_of(connectors_run(script, env=weather.env)) == (
            "The temperature has remained the same."
        )
        weather.temperature = "+15°F"
        assert result_of(connectors_run(script, env=weather.env)) == (
            "The temperature has increased."
        )
        weather.temperature = "+11°F"  # the example compares the texts
        assert result_of(connectors_run(script, env=weather.env)) == (
            "The temperature has decreased."
        )
        assert weather.requests == ["http://wttr.in/Paris?format=%25t"] * 4  # as requests sends it
    states = connectors.list_resources("state")
    assert [s["path"] for s in states] == [f"{_job_path(script)}/user"]
    assert connectors.get_state(states[0]["path"]) == "+11"


def _job_path(script: str) -> str:
    from connectors.hub.runner import file_job_path

    return file_job_path(Path(script))


def test_custom_flow_user_state():
    done = connectors_run(str(EXAMPLES / "flow_user_state.py"), "--arg", "x=anything")
    assert result_of(done) == 43


# -- object storage -------------------------------------------------------------------------------


@pytest.fixture
def lake(fresh_s3, monkeypatch):
    connectors.set_resource(STORAGE_PATH, fresh_s3.value, "s3")
    monkeypatch.setenv("CONNECTORS_OBJECT_STORAGE", STORAGE_PATH)
    return fresh_s3


@pytest.mark.live
def test_write_then_read_a_file(lake):
    written = connectors_run(str(EXAMPLES / "write_s3_file.py"), "--arg", "s3_file_path=hello.txt")
    assert result_of(written) == {"s3": "hello.txt"}
    assert connectors.load_s3_file("s3:///hello.txt") == b"Hello Windmill!"
    read = connectors_run(
        str(EXAMPLES / "read_s3_file.py"),
        "--args-json",
        "-",
        stdin=json.dumps({"input_file": {"s3": "hello.txt"}}),
    )
    assert result_of(read) is None
    # the script's prints are its logs: on stderr, stdout keeps the JSON result
    assert "Hello Windmill!\nb'Hello Windmill!'" in read.stderr


def _parquet(frame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


@pytest.mark.live
def test_polars_reads_and_writes_through_the_workspace_storage(lake, tmp_path):
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"id": [1, 2, 3], "name": ["a", "b", "c"]})
    connectors.write_s3_file("s3:///input/data.parquet", _parquet(frame))
    # the documentation's placeholder, filled in as a user does
    text = (EXAMPLES / "polars_s3.py").read_text().replace("<PATH_TO_S3_RESOURCE>", STORAGE_PATH)
    script = tmp_path / "polars_s3.py"
    script.write_text(text)
    done = connectors_run(str(script), "--arg", "input_file=s3:///input/data.parquet")
    assert result_of(done) == {"s3": "output/result.parquet"}
    written = pl.read_parquet(io.BytesIO(connectors.load_s3_file("s3:///output/result.parquet")))
    assert written.to_dicts() == frame.to_dicts()


@pytest.mark.live
def test_duckdb_reads_and_writes_through_the_workspace_storage(lake):
    pl = pytest.importorskip("polars")
    duckdb = pytest.importorskip("duckdb")
    from duckdb_extensions import import_extension

    # a worker has httpfs in its DuckDB home; the job directory links ~/.duckdb
    import_extension("httpfs", con=duckdb.connect())
    frame = pl.DataFrame({"n": [1, 2, 3, 4]})
    connectors.write_s3_file("s3:///input/n.parquet", _parquet(frame))
    done = connectors_run(
        str(EXAMPLES / "duckdb_s3.py"), "--arg", 'input_file={"s3": "input/n.parquet"}'
    )
    assert result_of(done) == {"s3": "output/result.parquet"}
    written = pl.read_parquet(io.BytesIO(connectors.load_s3_file("s3:///output/result.parquet")))
    assert written.rows() == [(4,)]
