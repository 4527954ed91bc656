"""wmill's job functions inside a Windmill worker: the real wmill client's requests.

``connectors.wmill`` hands job and flow calls to the installed ``wmill`` package, loaded under
its own name even while ``import wmill`` is served by ``connectors.wmill``. A stdlib double of
Windmill's API answers the documented endpoints (openapi: ``POST /w/{ws}/jobs/run/p/{path}``,
``GET /w/{ws}/jobs_u/get/{id}``, ``POST /w/{ws}/job_metrics/set_progress/{id}`` with
``{percent, flow_job_id}``, ``GET /w/{ws}/job_metrics/get_progress/{id}``,
``GET /w/{ws}/jobs_u/completed/get_result/{id}``) and fails the test on any other request.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import connectors.wmill as wmill
from connectors.hub.loader import serve_wmill

TOKEN = "wm-token-jobs"
WS = "demo"
JOB = "018f0000-0000-0000-0000-000000000001"

# (method, path under /api/w/demo/, JSON body keys or None)
DOCUMENTED = [
    ("POST", r"jobs/run/p/(?P<path>.+)", "any"),
    ("GET", r"jobs_u/get/(?P<id>[^/]+)", None),
    ("POST", r"job_metrics/set_progress/(?P<id>[^/]+)", {"percent", "flow_job_id"}),
    ("GET", r"job_metrics/get_progress/(?P<id>[^/]+)", None),
    ("GET", r"jobs_u/completed/get_result/(?P<id>[^/]+)", None),
]


class Fake:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str, str, object]] = []
        self.problems: list[str] = []
        self.progress: dict[str, int] = {}

    def handle(self, method, raw_path, headers, body):
        path, _, query = raw_path.partition("?")
        if headers.get("Authorization") != f"Bearer {TOKEN}":
            self.problems.append(f"{method} {path}: bad Authorization")
        prefix = f"/api/w/{WS}/"
        endpoint = path[len(prefix) :] if path.startswith(prefix) else None
        found = [
            (m, keys)
            for doc_method, pattern, keys in DOCUMENTED
            if endpoint is not None
            and doc_method == method
            and (m := re.fullmatch(pattern, endpoint))
        ]
        if not found:
            self.problems.append(f"undocumented {method} {path}")
            return 400, "undocumented"
        match, keys = found[0]
        data = json.loads(body) if body else None
        if keys not in (None, "any") and (not isinstance(data, dict) or set(data) != keys):
            self.problems.append(f"{method} {endpoint}: body {data!r}")
        self.requests.append((method, endpoint, query, data))
        if endpoint.startswith("jobs/run/p/"):
            return 201, JOB
        if endpoint.startswith("jobs_u/get/"):
            return 200, {"id": match["id"], "type": "QueuedJob", "running": True}
        if endpoint.startswith("job_metrics/set_progress/"):
            self.progress[match["id"]] = data["percent"]
            return 200, "ok"
        if endpoint.startswith("job_metrics/get_progress/"):
            return 200, self.progress.get(match["id"])
        return 200, {"rows": 3}


@pytest.fixture
def worker(monkeypatch):
    fake = Fake()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self):
            length = int(self.headers.get("Content-Length") or 0)
            status, answer = fake.handle(
                self.command, self.path, self.headers, self.rfile.read(length)
            )
            text = answer if isinstance(answer, str) else json.dumps(answer)
            body = text.encode()
            self.send_response(status)
            kind = "text/plain" if isinstance(answer, str) else "application/json"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _serve

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("WM_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setenv("WM_TOKEN", TOKEN)
    monkeypatch.setenv("WM_WORKSPACE", WS)
    monkeypatch.setenv("WM_JOB_ID", JOB)
    real = sys.modules.get("_connectors_real_wmill")
    if real is not None:
        monkeypatch.setattr(real.client, "_client", None)  # a client for this server
    yield fake
    server.shutdown()
    server.server_close()
    assert fake.problems == []


def test_job_functions_are_the_real_clients_requests(worker):
    with serve_wmill():  # as under connectors run: import wmill is connectors.wmill
        job = wmill.run_script_by_path_async("f/etl/load", args={"day": "2026-01-31"})
        wmill.set_progress(42)
        progress = wmill.get_progress()
        result = wmill.get_result(job)
    assert (job, progress, result) == (JOB, 42, {"rows": 3})
    assert [(m, e, d) for m, e, _, d in worker.requests] == [
        ("POST", "jobs/run/p/f/etl/load", {"day": "2026-01-31"}),
        ("GET", f"jobs_u/get/{JOB}", None),
        ("POST", f"job_metrics/set_progress/{JOB}", {"percent": 42, "flow_job_id": None}),
        ("GET", f"job_metrics/get_progress/{JOB}", None),
        ("GET", f"jobs_u/completed/get_result/{JOB}", None),
    ]
    assert "parent_job=" + JOB in worker.requests[0][2]
