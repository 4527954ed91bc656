"""`connectors hub publish` against a local HTTP server that checks every request's shape.

The server implements the documented endpoints (reference/windmill.md §2.1 and the openapi
``ResourceType`` / ``EditResourceType`` / ``NewScript`` components) with an in-memory store and
answers 400 to any request that does not match them. Like Windmill, a workspace also sees the
resource types of the ``admins`` workspace, and an update of one of those sent to another
workspace changes nothing (``resources.rs``: reads ``workspace_id = $1 OR 'admins'``, updates
``workspace_id = $1``).
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hub_demo import install

from connectors.cli import main
from connectors.hub.catalog import HubError, discover
from connectors.hub.publish import Publisher
from connectors.schemas import resource_type_documents

TOKEN = "tok-very-secret-123"
WS = "team"
NEW_SCRIPT_KEYS = {
    "path",
    "summary",
    "description",
    "content",
    "schema",
    "language",
    "kind",
    "lock",
}
NEW_SCRIPT_REQUIRED = {"path", "summary", "description", "content", "language"}


class FakeWindmill:
    def __init__(self):
        self.types: dict[str, dict] = {}
        self.admin_types: dict[str, dict] = {}
        self.scripts: dict[str, dict] = {}
        self.requests: list[tuple[str, str, object]] = []
        self.problems: list[str] = []
        self.hashes = 0

    def handle(self, method, path, headers, body):
        self.requests.append((method, path, body))
        if headers.get("Authorization") != f"Bearer {TOKEN}":
            return 401, "Unauthorized"
        workspace = next((w for w in (WS, "admins") if path.startswith(f"/api/w/{w}/")), None)
        if workspace is None:
            return self.bad(f"unexpected path {path}")
        tail = path[len(f"/api/w/{workspace}/") :]
        if workspace == "admins" and not tail.startswith("resources/type/"):
            return self.bad(f"only resource types go to admins, not {tail}")
        routes = [
            ("GET", r"resources/type/exists/([\w-]+)", self.type_exists),
            ("GET", r"resources/type/get/([\w-]+)", self.type_get),
            ("POST", r"resources/type/create", self.type_create),
            ("POST", r"resources/type/update/([\w-]+)", self.type_update),
            ("GET", r"scripts/exists/p/(.+)", self.script_exists),
            ("GET", r"scripts/get/p/(.+)", self.script_get),
            ("POST", r"scripts/create", self.script_create),
        ]
        for verb, pattern, handler in routes:
            match = re.fullmatch(pattern, tail)
            if verb == method and match:
                if handler.__name__.startswith("type_"):
                    return handler(body, *match.groups(), workspace=workspace)
                return handler(body, *match.groups())
        return self.bad(f"no route {method} {tail}")

    def bad(self, problem):
        self.problems.append(problem)
        return 400, problem

    def _types(self, workspace):
        return self.admin_types if workspace == "admins" else self.types

    def type_exists(self, body, name, workspace):
        return 200, json.dumps(name in self._types(workspace) or name in self.admin_types)

    def type_get(self, body, name, workspace):
        for owner in (workspace, "admins"):
            if name in self._types(owner):
                return 200, json.dumps(
                    {"workspace_id": owner, "name": name, **self._types(owner)[name]}
                )
        return 404, "not found"

    def type_create(self, body, *_, workspace):
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            return self.bad("ResourceType needs a name")
        if set(body) - {"name", "schema", "description", "format_extension", "is_fileset"}:
            return self.bad(f"unknown ResourceType keys {set(body)}")
        if not isinstance(body.get("schema"), dict) or not isinstance(body.get("description"), str):
            return self.bad("schema must be an object and description a string")
        types = self._types(workspace)
        if body["name"] in types:
            return 400, f"Resource type {body['name']} already exists"
        types[body["name"]] = {"schema": body["schema"], "description": body["description"]}
        return 201, body["name"]

    def type_update(self, body, name, workspace):
        if not isinstance(body, dict) or set(body) - {"schema", "description"}:
            return self.bad(f"EditResourceType takes schema and description, got {body}")
        if name in self.admin_types and name not in self._types(workspace):
            return 200, name  # Windmill: the UPDATE matches no row of this workspace
        if name not in self._types(workspace):
            return 404, "not found"
        self._types(workspace)[name].update(body)
        return 200, name

    def script_exists(self, body, path):
        return 200, json.dumps(path in self.scripts)

    def script_get(self, body, path):
        if path not in self.scripts:
            return 404, "not found"
        return 200, json.dumps(self.scripts[path])

    def script_create(self, body, *_):
        if not isinstance(body, dict):
            return self.bad("NewScript must be an object")
        missing = NEW_SCRIPT_REQUIRED - set(body)
        extra = set(body) - NEW_SCRIPT_KEYS - {"parent_hash"}
        if missing or extra:
            return self.bad(f"NewScript missing {missing} extra {extra}")
        if body["language"] != "python3" or body["kind"] not in ("script", "trigger"):
            return self.bad("language/kind")
        if not re.fullmatch(r"[uf]/[\w-]+/[\w-]+", body["path"]):
            return self.bad("path")
        current = self.scripts.get(body["path"])
        if current is not None and body.get("parent_hash") != current["hash"]:
            return 400, "path already exists and parent_hash is not its current hash"
        self.hashes += 1
        self.scripts[body["path"]] = {**body, "hash": f"h{self.hashes}", "archived": False}
        return 201, f"h{self.hashes}"

    def posts(self):
        return [(path, body) for method, path, body in self.requests if method == "POST"]


@pytest.fixture
def windmill():
    fake = FakeWindmill()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = None
            if raw:
                if self.headers.get("Content-Type") != "application/json":
                    fake.bad("body is not application/json")
                body = json.loads(raw)
            status, text = fake.handle(self.command, self.path, dict(self.headers), body)
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if status == 200 else "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _serve

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()
    server.server_close()
    assert fake.problems == []


@pytest.fixture
def demo(monkeypatch, tmp_path):
    return install(monkeypatch, tmp_path / "scripts" / "demo")


def demo_docs():
    return {"demo": resource_type_documents()["demo"]}


def publisher(windmill, token=TOKEN):
    return Publisher(windmill.url, WS, token)


def test_first_publish_creates_then_nothing_changes(windmill, demo):
    pub = publisher(windmill)
    changes = pub.plan(demo_docs(), discover("demo"))
    assert [(c.kind, c.name, c.action) for c in changes] == [
        ("resource_type", "demo", "create"),
        ("script", "f/demo/echo", "create"),
    ]
    assert windmill.posts() == []  # planning writes nothing
    pub.apply(changes)
    (type_path, type_body), (script_path, script_body) = windmill.posts()
    assert type_path == f"/api/w/{WS}/resources/type/create"
    assert type_body == {"name": "demo", "schema": demo.schema, "description": "A demo server"}
    assert script_path == f"/api/w/{WS}/scripts/create"
    assert script_body["path"] == "f/demo/echo"
    assert script_body["content"] == (demo.scripts_dir / "echo.py").read_text()
    assert script_body["schema"]["properties"]["conn"]["format"] == "resource-demo"
    assert "parent_hash" not in script_body
    # the demo script imports wmill: its lock pins it, resolved as Windmill's worker would
    assert script_body["lock"].startswith("# py: 3.11\n") and "\nwmill==" in script_body["lock"]
    again = publisher(windmill).plan(demo_docs(), discover("demo"))
    assert [c.action for c in again] == ["unchanged", "unchanged"]


def test_dry_run_cli_shows_diff_and_writes_nothing(windmill, demo, capsys):
    windmill.types["demo"] = {
        "schema": {
            **demo.schema,
            "properties": {**demo.schema["properties"], "port": {"type": "integer"}},
        },
        "description": "old",
    }
    code = cli(
        "hub",
        "publish",
        "--url",
        windmill.url,
        "--workspace",
        WS,
        "--token",
        TOKEN,
        "--type",
        "demo",
        "--dry-run",
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "~ resource type demo: update" in out
    assert "port: property removed (breaking)" in out
    assert "description changed" in out
    assert "+ script f/demo/echo: create" in out
    assert windmill.posts() == []


def test_breaking_change_is_refused_unless_allowed(windmill, demo, capsys):
    old = {"type": "object", "properties": {"host": {"type": "integer"}}, "required": []}
    windmill.types["demo"] = {"schema": old, "description": "A demo server"}
    args = [
        "hub",
        "publish",
        "--url",
        windmill.url,
        "--workspace",
        WS,
        "--token",
        TOKEN,
        "--type",
        "demo",
    ]
    assert cli(*args) == 2
    err = capsys.readouterr().err
    assert "breaking changes" in err and "host: type 'integer' -> 'string' (breaking)" in err
    assert "host: now required (breaking)" in err
    assert windmill.posts() == []  # nothing at all was written
    assert cli(*args, "--allow-breaking") == 0
    paths = [path for path, _ in windmill.posts()]
    assert paths == [f"/api/w/{WS}/resources/type/update/demo", f"/api/w/{WS}/scripts/create"]
    assert windmill.types["demo"]["schema"] == demo.schema


def test_script_update_names_parent_hash(windmill, demo):
    pub = publisher(windmill)
    pub.apply(pub.plan(demo_docs(), discover("demo")))
    path = demo.scripts_dir / "echo.py"
    path.write_text(path.read_text().replace("Echo what it got.", "Echo what it received."))
    changes = pub.plan(demo_docs(), discover("demo"))
    assert changes[1].action == "update" and changes[1].notes == ["content changed"]
    assert changes[1].breaking == []
    pub.apply(changes)
    _, body = windmill.posts()[-1]
    assert body["parent_hash"] == "h1"
    assert windmill.scripts["f/demo/echo"]["hash"] == "h2"


def test_script_input_removed_is_breaking(windmill, demo):
    pub = publisher(windmill)
    pub.apply(pub.plan(demo_docs(), discover("demo")))
    path = demo.scripts_dir / "echo.py"
    path.write_text(path.read_text().replace("    flag: bool = False,\n", ""))
    changes = pub.plan(demo_docs(), discover("demo"))
    assert [str(c) for c in changes[1].breaking] == ["flag: property removed (breaking)"]
    with pytest.raises(HubError, match="f/demo/echo: flag: property removed"):
        pub.apply(changes)


def test_bad_token_error_does_not_show_it(windmill, demo):
    wrong = "tok-wrong-but-secret-456"
    with pytest.raises(HubError) as info:
        publisher(windmill, token=wrong).plan(demo_docs(), [])
    assert "HTTP 401" in str(info.value)
    assert wrong not in str(info.value)


def test_unreachable_server(demo):
    pub = Publisher("http://127.0.0.1:9", WS, TOKEN)
    with pytest.raises(HubError, match="GET resources/type/exists/demo: ConnectError"):
        pub.plan(demo_docs(), [])


def cli(*argv):
    try:
        main(list(argv))
    except SystemExit as exc:
        return exc.code or 0
    return 0


def postgresql_docs():
    return {"postgresql": resource_type_documents()["postgresql"]}


def publish_args(windmill, *extra):
    return ["hub", "publish", "--url", windmill.url, "--token", TOKEN, *extra]


def test_hub_type_to_another_workspace_is_refused_with_the_reason(windmill, capsys):
    windmill.admin_types["postgresql"] = {"schema": {"type": "object"}, "description": "old"}
    code = cli(*publish_args(windmill, "--workspace", WS, "--type", "postgresql", "--dry-run"))
    out = capsys.readouterr().out
    assert code == 0
    assert "! resource type postgresql: refuse" in out
    assert "Windmill keeps the hub type postgresql in its admins workspace" in out
    assert cli(*publish_args(windmill, "--workspace", WS, "--type", "postgresql")) == 2
    err = capsys.readouterr().err
    assert "postgresql: Windmill keeps these hub resource types in its admins workspace" in err
    assert "use --admins" in err and "nothing was published" in err
    assert windmill.posts() == []
    assert windmill.types == {}


def test_admins_flag_publishes_hub_types_to_admins_and_scripts_here(windmill, capsys):
    code = cli(*publish_args(windmill, "--workspace", WS, "--type", "postgresql", "--admins"))
    assert code == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "+ resource type postgresql: create (in admins)" in out
    paths = [path for path, _ in windmill.posts()]
    assert paths[0] == "/api/w/admins/resources/type/create"
    assert paths[1:] and all(p == f"/api/w/{WS}/scripts/create" for p in paths[1:])
    assert windmill.admin_types["postgresql"]["schema"] == postgresql_docs()["postgresql"]["schema"]
    assert windmill.types == {}
    again = Publisher(windmill.url, WS, TOKEN, admins=True).plan(postgresql_docs(), [])
    assert [(c.action, c.workspace) for c in again] == [("unchanged", "admins")]


def test_publishing_to_admins_itself_needs_no_flag(windmill):
    pub = Publisher(windmill.url, "admins", TOKEN)
    changes = pub.plan(postgresql_docs(), [])
    assert [(c.action, c.workspace) for c in changes] == [("create", None)]
    pub.apply(changes)
    assert windmill.posts()[0][0] == "/api/w/admins/resources/type/create"


def test_scripts_are_sent_with_locks_of_the_right_packages(windmill, capsys):
    args = publish_args(windmill, "--workspace", WS, "--type", "mongodb", "--admins")
    assert cli(*args) == 0, capsys.readouterr().err
    bodies = {body["path"]: body for path, body in windmill.posts() if "scripts" in path}
    pins = {line.split("==")[0] for line in bodies["f/mongodb/find"]["lock"].splitlines()[1:]}
    assert "pymongo" in pins and "bson" not in pins  # from bson import ...


def test_no_locks_leaves_resolution_to_windmill(windmill, demo):
    pub = Publisher(windmill.url, WS, TOKEN, locks=False)
    pub.apply(pub.plan(demo_docs(), discover("demo")))
    assert "lock" not in windmill.posts()[-1][1]


def test_types_windmill_has_no_hub_type_for_go_to_the_workspace(windmill):
    redis = {"redis": resource_type_documents()["redis"]}
    changes = Publisher(windmill.url, WS, TOKEN).plan(redis, [])
    assert [(c.action, c.workspace) for c in changes] == [("create", None)]
