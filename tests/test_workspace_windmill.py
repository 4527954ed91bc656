"""The Windmill REST store against a stdlib HTTP test double of Windmill's API.

The double answers the endpoints of reference/windmill.md §1-2 and checks every request: the
method and path, the Bearer token, and the exact JSON body each endpoint documents. A request
outside the documented shapes fails the test.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

import connectors
from connectors.errors import NotFoundError, ValidationError, WorkspaceError
from connectors.workspace.store import open_store

TOKEN = "wm-token-123"
WS = "demo"
ROOT_JOB = "0190-root-job"

# (method, path regex under /api/w/demo/, allowed body keys or None for no body)
DOCUMENTED = [
    ("GET", r"resources/get_value_interpolated/(?P<path>.+)", None),
    ("GET", r"resources/get_value/(?P<path>.+)", None),
    ("GET", r"resources/get/(?P<path>.+)", None),
    ("POST", r"resources/create", {"path", "value", "resource_type", "description"}),
    ("POST", r"resources/update_value/(?P<path>.+)", {"value"}),
    ("POST", r"resources/update/(?P<path>.+)", {"path", "description", "value"}),
    ("GET", r"resources/list", None),
    ("DELETE", r"resources/delete/(?P<path>.+)", None),
    ("GET", r"variables/get_value/(?P<path>.+)", None),
    ("GET", r"variables/get/(?P<path>.+)", None),
    ("POST", r"variables/create", {"path", "value", "is_secret", "description"}),
    ("POST", r"variables/update/(?P<path>.+)", {"path", "value", "is_secret", "description"}),
    ("GET", r"variables/list", None),
    ("DELETE", r"variables/delete/(?P<path>.+)", None),
    ("GET", r"jobs_u/get_root_job_id/(?P<job>[^/]+)", None),
    ("GET", r"jobs/flow/user_states/(?P<job>[^/]+)/(?P<key>[^/]+)", None),
    ("POST", r"jobs/flow/user_states/(?P<job>[^/]+)/(?P<key>[^/]+)", "any"),
]
REQUIRED = {
    "resources/create": {"path", "value", "resource_type"},
    "variables/create": {"path", "value", "is_secret", "description"},
    "resources/update_value": {"value"},
}


class FakeWindmill:
    def __init__(self) -> None:
        self.resources: dict[str, dict[str, Any]] = {}
        self.variables: dict[str, dict[str, Any]] = {}
        self.user_states: dict[tuple[str, str], Any] = {}
        self.requests: list[tuple[str, str, Any]] = []
        self.problems: list[str] = []

    def interpolate(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self.interpolate(v) for k, v in value.items()}
        if isinstance(value, str) and value.startswith("$var:"):
            return self.variables[value[5:]]["value"]
        if isinstance(value, str) and value.startswith("$res:"):
            return self.interpolate(self.resources[value[5:]]["value"])
        return value

    def handle(self, method: str, raw_path: str, headers: Any, body: bytes) -> tuple[int, Any]:
        path, _, query = raw_path.partition("?")
        if headers.get("Authorization") != f"Bearer {TOKEN}":
            self.problems.append(f"{method} {path}: bad Authorization header")
            return 401, "unauthorized"
        prefix = f"/api/w/{WS}/"
        if not path.startswith(prefix):
            self.problems.append(f"{method} {path}: not under {prefix}")
            return 400, "bad prefix"
        endpoint = path[len(prefix) :]
        found = [
            (m, keys)
            for doc_method, pattern, keys in DOCUMENTED
            if doc_method == method and (m := re.fullmatch(pattern, endpoint))
        ]
        if not found:
            self.problems.append(f"undocumented request {method} {endpoint}")
            return 400, "undocumented"
        match, keys = found[0]
        data = None
        if keys is None:
            if body:
                self.problems.append(f"{method} {endpoint}: unexpected body")
        else:
            if headers.get("Content-Type") != "application/json":
                self.problems.append(f"{method} {endpoint}: not JSON")
            data = json.loads(body)
            if keys != "any":
                base = endpoint.split("/")[0] + "/" + endpoint.split("/")[1]
                if not isinstance(data, dict) or not set(data) <= keys:
                    self.problems.append(f"{method} {endpoint}: body keys {sorted(data)}")
                elif not REQUIRED.get(base, set()) <= set(data):
                    self.problems.append(f"{method} {endpoint}: missing {REQUIRED[base]}")
        self.requests.append((method, endpoint + (f"?{query}" if query else ""), data))
        return self.answer(method, endpoint, match.groupdict(), data, query)

    def answer(self, method: str, endpoint: str, args: dict, data: Any, query: str) -> Any:
        p = args.get("path")
        if endpoint.startswith("resources/get_value_interpolated/"):
            found = self.resources.get(p)
            return (200, self.interpolate(found["value"])) if found else (404, "not found")
        if endpoint.startswith("resources/get_value/"):
            return (200, self.resources[p]["value"]) if p in self.resources else (404, "nf")
        if endpoint.startswith("resources/get/"):
            return (200, {"path": p, **self.resources[p]}) if p in self.resources else (404, "nf")
        if endpoint == "resources/create":
            self.resources[data["path"]] = {
                "value": data["value"],
                "resource_type": data["resource_type"],
                "description": data.get("description", ""),
            }
            return 201, f"resource {data['path']} created"
        if endpoint.startswith("resources/update_value/"):
            self.resources[p]["value"] = data["value"]
            return 200, "updated"
        if endpoint == "resources/list":
            items = [
                {"path": k, "resource_type": v["resource_type"], "value": None, "description": ""}
                for k, v in sorted(self.resources.items())
            ]
            return 200, items
        if endpoint.startswith("resources/delete/"):
            self.variables.pop(p, None)
            return (200, "deleted") if self.resources.pop(p, None) else (404, "nf")
        if endpoint.startswith("variables/get_value/"):
            return (200, self.variables[p]["value"]) if p in self.variables else (404, "nf")
        if endpoint.startswith("variables/get/"):
            return (200, {"path": p, **self.variables[p]}) if p in self.variables else (404, "nf")
        if endpoint == "variables/create":
            self.variables[data["path"]] = {
                k: data[k] for k in ("value", "is_secret", "description")
            }
            return 201, "created"
        if endpoint.startswith("variables/update/"):
            self.variables[p].update(data)
            return 200, "updated"
        if endpoint == "variables/list":
            return 200, [{"path": k, **v} for k, v in sorted(self.variables.items())]
        if endpoint.startswith("jobs_u/get_root_job_id/"):
            return 200, ROOT_JOB
        if endpoint.startswith("jobs/flow/user_states/"):
            key = (args["job"], args["key"])
            if args["job"] != ROOT_JOB:
                return 404, "not a flow"
            if method == "POST":
                self.user_states[key] = data
                return 200, "set"
            return 200, self.user_states.get(key)
        return 500, "unhandled"


@pytest.fixture
def windmill(monkeypatch):
    fake = FakeWindmill()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            status, payload = fake.handle(
                self.command, self.path, self.headers, self.rfile.read(length)
            )
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_DELETE = _serve

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    monkeypatch.setenv("WM_BASE_URL", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.setenv("WM_TOKEN", TOKEN)
    monkeypatch.setenv("WM_WORKSPACE", WS)
    yield fake
    server.shutdown()
    server.server_close()
    assert fake.problems == []


def test_store_selected_from_env(windmill, monkeypatch):
    assert open_store().kind == "windmill"
    monkeypatch.setenv("BASE_INTERNAL_URL", open_store().base_url[:-4])
    assert open_store().info()["location"].endswith("/api")


def test_set_and_get_resource_sequence(windmill):
    connectors.set_variable("u/admin/pw", "s3cret", is_secret=True)
    value = {"host": "h", "port": 5432, "sslmode": "prefer", "password": "$var:u/admin/pw"}
    connectors.set_resource("$res:f/x/pg", value, "postgresql")
    connectors.set_resource("f/x/pg", {**value, "port": 6543})
    assert connectors.get_resource("f/x/pg") == {
        "host": "h",
        "port": 6543,
        "sslmode": "prefer",
        "password": "s3cret",
    }
    assert (
        connectors.get_resource("res://f/x/pg", interpolated=False)["password"] == "$var:u/admin/pw"
    )
    assert connectors.get_resource("f/x/none", none_if_undefined=True) is None
    with pytest.raises(NotFoundError):
        connectors.get_resource("f/x/none")
    assert windmill.requests == [
        ("GET", "variables/get/u/admin/pw", None),
        (
            "POST",
            "variables/create",
            {"path": "u/admin/pw", "value": "s3cret", "is_secret": True, "description": ""},
        ),
        ("GET", "resources/get/f/x/pg", None),
        (
            "POST",
            "resources/create",
            {"path": "f/x/pg", "value": value, "resource_type": "postgresql"},
        ),
        ("GET", "resources/get/f/x/pg", None),
        ("POST", "resources/update_value/f/x/pg", {"value": {**value, "port": 6543}}),
        ("GET", "resources/get_value_interpolated/f/x/pg", None),
        ("GET", "resources/get_value/f/x/pg", None),
        ("GET", "resources/get_value_interpolated/f/x/none", None),
        ("GET", "resources/get_value_interpolated/f/x/none", None),
    ]
    assert windmill.resources["f/x/pg"]["resource_type"] == "postgresql"  # type kept on update


def test_variables(windmill):
    connectors.set_variable("u/admin/v", "one")
    connectors.set_variable("u/admin/v", "two", is_secret=True)
    assert connectors.get_variable("var://u/admin/v") == "two"
    assert windmill.requests[-3:] == [
        ("GET", "variables/get/u/admin/v", None),
        ("POST", "variables/update/u/admin/v", {"value": "two"}),
        ("GET", "variables/get_value/u/admin/v", None),
    ]
    assert windmill.variables["u/admin/v"]["is_secret"] is False  # as wmill: flag not changed
    with pytest.raises(NotFoundError):
        connectors.get_variable("u/admin/missing")


def test_states_use_state_path(windmill, monkeypatch):
    monkeypatch.setenv("WM_STATE_PATH", "f/jobs/poll/user")
    assert connectors.get_state() is None
    connectors.set_state({"last_id": 7})
    assert connectors.get_state() == {"last_id": 7}
    assert windmill.resources["f/jobs/poll/user"] == {
        "value": {"last_id": 7},
        "resource_type": "state",
        "description": "",
    }
    assert connectors.update_state(lambda s: {"last_id": s["last_id"] + 1}) == {"last_id": 8}
    assert ("POST", "resources/update_value/f/jobs/poll/user", {"value": {"last_id": 8}}) in (
        windmill.requests
    )


def test_list_resources_passes_query(windmill):
    connectors.set_resource("f/x/a", {"k": 1})
    assert [r["path"] for r in connectors.list_resources("any,state", page=1, per_page=10)] == [
        "f/x/a"
    ]
    assert windmill.requests[-1] == (
        "GET",
        "resources/list?resource_type=any%2Cstate&page=1&per_page=10",
        None,
    )


def test_flow_user_state(windmill, monkeypatch):
    monkeypatch.setenv("WM_JOB_ID", "0190-step-job")
    connectors.set_flow_user_state("cursor", {"page": 2})
    assert connectors.get_flow_user_state("cursor") == {"page": 2}
    assert windmill.requests == [
        ("GET", "jobs_u/get_root_job_id/0190-step-job", None),
        ("POST", f"jobs/flow/user_states/{ROOT_JOB}/cursor", {"page": 2}),
        ("GET", "jobs_u/get_root_job_id/0190-step-job", None),
        ("GET", f"jobs/flow/user_states/{ROOT_JOB}/cursor", None),
    ]


def test_delete_and_errors(windmill):
    store = open_store()
    connectors.set_resource("f/x/a", {"k": 1})
    assert store.delete_resource("f/x/a")
    assert not store.delete_resource("f/x/a")
    with pytest.raises(ValidationError, match="/port"):
        store.put_resource("f/x/b", "postgresql", {"port": "x"})  # validated before sending
    assert windmill.requests[-1] == ("GET", "resources/get/f/x/b", None)
    assert "f/x/b" not in windmill.resources


def test_bad_token_is_one_clear_error(windmill, monkeypatch):
    monkeypatch.setenv("WM_TOKEN", "wrong")
    with pytest.raises(WorkspaceError, match="401"):
        connectors.get_variable("u/admin/v")
    windmill.problems.clear()


def test_set_resource_and_variable_send_values_verbatim(windmill):
    # wmill sends the value as given: no normalisation, no defaults added, unknown keys kept
    value = {"host": "h", "port": "5432", "sslmode": "REQUIRE", "extra": [1, {"a": None}]}
    connectors.set_resource("f/x/raw", value, "postgresql")
    connectors.set_resource("f/x/raw", {"port": 1})
    connectors.set_variable("f/x/v", " spaced value\n", is_secret=True)
    connectors.set_variable("f/x/v", "")
    bodies = [data for method, _, data in windmill.requests if method == "POST"]
    assert bodies == [
        {"path": "f/x/raw", "value": value, "resource_type": "postgresql"},
        {"value": {"port": 1}},
        {"path": "f/x/v", "value": " spaced value\n", "is_secret": True, "description": ""},
        {"value": ""},
    ]


def test_paths_are_sent_as_given_for_windmill_to_validate(windmill):
    # locally "f/x/a.b c" is refused (a space); inside a worker Windmill's server decides, as
    # with wmill: only the $res:/res:// and var:// prefixes are stripped
    assert connectors.get_resource("$res:f/x/a.b c", none_if_undefined=True) is None
    assert connectors.get_resource("res://u/admin/x", none_if_undefined=True) is None
    with pytest.raises(NotFoundError):
        connectors.get_variable("$var:u/admin/v")  # wmill strips var:// only
    assert [(m, p) for m, p, _ in windmill.requests] == [
        ("GET", "resources/get_value_interpolated/f/x/a.b%20c"),
        ("GET", "resources/get_value_interpolated/u/admin/x"),
        ("GET", "variables/get_value/$var:u/admin/v"),
    ]
