"""The Windmill-compatible functions: names, signatures, state paths, shared directory."""

from __future__ import annotations

import getpass
import inspect
import json
import os
import subprocess
import sys

import pytest

import connectors

E = inspect.Parameter.empty
# wmill's functions (reference/windmill.md §1.3-1.7): parameter names and defaults, in order.
WMILL_SIGNATURES = {
    "get_resource": [("path", E), ("none_if_undefined", False), ("interpolated", True)],
    "set_resource": [("path", E), ("value", E), ("resource_type", "any")],
    "list_resources": [("resource_type", None), ("page", None), ("per_page", None)],
    "get_variable": [("path", E)],
    "set_variable": [("path", E), ("value", E), ("is_secret", False)],
    "get_state": [("path", None)],
    "set_state": [("value", E), ("path", None)],
    "get_state_path": [],
    "set_flow_user_state": [("key", E), ("value", E)],
    "get_flow_user_state": [("key", E)],
    "set_shared_state": [("value", E), ("path", "state.json")],
    "get_shared_state": [("path", "state.json")],
}


@pytest.mark.parametrize(("name", "signature"), sorted(WMILL_SIGNATURES.items()))
def test_wmill_names_and_signatures_importable_from_connectors(name, signature):
    function = getattr(connectors, name)
    params = inspect.signature(function).parameters.values()
    assert [(p.name, p.default) for p in params] == signature
    assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in params)


def _clear_wm(monkeypatch):
    for name in ("WM_STATE_PATH_NEW", "WM_STATE_PATH", "WM_FLOW_PATH", "WM_JOB_PATH"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"WM_STATE_PATH": "u/a/old", "WM_STATE_PATH_NEW": "u/a/new"}, "u/a/new"),
        ({"WM_STATE_PATH": "u/a/old"}, "u/a/old"),
        ({"WM_JOB_PATH": "f/etl/poll", "WM_USERNAME": "ann"}, "f/etl/poll/user"),
        (
            {"WM_JOB_PATH": "f/etl/poll", "WM_USERNAME": "ann", "WM_SCHEDULE_PATH": "f/etl/s"},
            "f/etl/poll/ann",
        ),
        ({"WM_JOB_PATH": "f/etl/", "WM_USERNAME": "ann"}, "f/etl/state"),
        (
            {"WM_FLOW_PATH": "f/etl/flow", "WM_FLOW_STEP_ID": "b", "WM_JOB_PATH": "f/etl/poll"},
            "f/etl/flow/b_user",
        ),
        (
            {"WM_FLOW_PATH": "f/etl/flow", "WM_USERNAME": "ann", "WM_SCHEDULE_PATH": "x"},
            "f/etl/flow/nostep_ann",
        ),
    ],
)
def test_state_path_windmill_formula(monkeypatch, env, expected):
    _clear_wm(monkeypatch)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert connectors.get_state_path() == expected


def test_state_path_local_rule_uses_calling_file(monkeypatch):
    _clear_wm(monkeypatch)
    monkeypatch.setenv("WM_USERNAME", "bob")
    assert connectors.get_state_path() == "u/bob/test_client_state"
    monkeypatch.delenv("WM_USERNAME")
    user = "".join(c if c.isalnum() or c in "_-." else "_" for c in getpass.getuser())
    assert connectors.get_state_path() == f"u/{user}/test_client_state"


def test_state_path_local_rule_in_a_script(tmp_path):
    script = tmp_path / "poll_orders.py"
    script.write_text(
        "import connectors\n"
        "assert connectors.get_state() is None\n"
        "connectors.set_state({'seen': [1, 2]})\n"
        "print(connectors.get_state_path())\n"
    )
    env = {**os.environ, "WM_USERNAME": "carol"}
    out = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "u/carol/poll_orders_state"
    assert connectors.get_state("u/carol/poll_orders_state") == {"seen": [1, 2]}


def test_watch_for_changes_pattern(monkeypatch):
    monkeypatch.setenv("WM_JOB_PATH", "f/watch/members")

    def run(members):
        last = connectors.get_state() or []
        connectors.set_state(members)
        return sorted(set(members) - set(last))

    assert run(["a", "b"]) == ["a", "b"]
    assert run(["a", "b", "c"]) == ["c"]
    assert connectors.get_state("f/watch/members/user") == ["a", "b", "c"]


def test_update_state_default_path(monkeypatch):
    monkeypatch.setenv("WM_STATE_PATH", "u/me/count")
    for _ in range(3):
        connectors.update_state(lambda s: (s or 0) + 1)
    assert connectors.get_state() == 3


def test_get_resource_none_if_undefined():
    assert connectors.get_resource("f/nothing/here", none_if_undefined=True) is None
    assert connectors.get_resource("not a path", none_if_undefined=True) is None
    with pytest.raises(connectors.WorkspaceError, match="not found"):
        connectors.get_resource("f/nothing/here")


def test_shared_state_in_local_shared_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    connectors.set_shared_state({"rows": ["é"]})
    connectors.set_shared_state([1], path="sub/other.json")
    assert json.loads((tmp_path / "shared" / "state.json").read_text()) == {"rows": ["é"]}
    assert "    " in (tmp_path / "shared" / "state.json").read_text()  # indent=4, as wmill
    assert connectors.get_shared_state() == {"rows": ["é"]}
    assert connectors.get_shared_state("sub/other.json") == [1]
    with pytest.raises(FileNotFoundError):
        connectors.get_shared_state("missing.json")


def test_shared_state_prefers_slash_shared(tmp_path, monkeypatch):
    from connectors import client

    monkeypatch.setattr(
        client, "Path", lambda p: tmp_path / "root" if p == "/shared" else tmp_path / p
    )
    (tmp_path / "root").mkdir()
    assert client._shared_dir() == tmp_path / "root"


def test_flow_user_state_local_run_id_per_process(monkeypatch):
    connectors.set_flow_user_state("k", 1)
    assert connectors.get_flow_user_state("k") == 1
    code = "import connectors; print(connectors.get_flow_user_state('k'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "None"  # another process is another run
    env = {**os.environ, "CONNECTORS_FLOW_RUN_ID": "r1"}
    subprocess.run(
        [sys.executable, "-c", "import connectors; connectors.set_flow_user_state('k', 5)"],
        env=env,
        check=True,
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "5"
    with pytest.raises(connectors.WorkspaceError, match="invalid flow user state key"):
        connectors.set_flow_user_state("a/b", 1)
