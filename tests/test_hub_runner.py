"""The local runner: resource resolution, argument conversion and validation, wmill, state."""

from __future__ import annotations

import json

import pytest
from hub_demo import SECRET, install

from connectors.cli import main
from connectors.hub.catalog import HubError, discover, find
from connectors.hub.runner import convert, jsonable, run
from connectors.redact import MASK

CONN = f"demo://:{SECRET}@db.example"


@pytest.fixture
def demo(monkeypatch, tmp_path):
    return install(monkeypatch, tmp_path / "scripts" / "demo")


def test_run_resolves_converts_and_masks(demo):
    done = run(
        "demo/echo",
        resource=CONN,
        pairs=["count=3", "flag=yes", 'tags=["x", "1"]', "when=2024-05-01T10:00:00Z", "data=aGk="],
    )
    result = done.result
    assert result["host"] == "db.example"
    assert result["count"] == 3 and result["flag"] is True and result["tags"] == ["x", "1"]
    assert result["when"] == "2024-05-01T10:00:00+00:00"
    assert result["data"] == "aGk="  # bytes in, bytes out (base64 in JSON)
    assert result["mode"] == "append"
    assert result["wmill"] == "connectors.wmill"
    assert result["job_path"] == "f/demo/echo"
    assert result["state_path"] == "f/demo/echo/user"
    # The result is what the user asked for, printed as it is; the arguments are masked.
    assert result["raw"] == SECRET
    assert result["leak"] == f"demo://u:{SECRET}@db.example"
    assert done.args["conn"] == {"host": "db.example", "password": MASK}
    assert SECRET not in json.dumps(done.args)


def test_state_persists_per_script(demo):
    first = run("demo/echo", resource=CONN, pairs=["count=1"]).result
    second = run("demo/echo", resource=CONN, pairs=["count=1"]).result
    assert first["state"] == {"runs": 1}
    assert second["state"] == {"runs": 2}
    import connectors

    assert connectors.get_state("f/demo/echo/user") == {"runs": 2}


def test_show_secrets(demo):
    assert (
        run("demo/echo", resource=CONN, pairs=["count=1"], show_secrets=True).result["raw"]
        == SECRET
    )


def test_json_args_and_overrides(demo):
    done = run(
        "demo/echo", resource=CONN, json_args={"count": 5, "mode": "replace"}, pairs=["count=6"]
    )
    assert done.result["count"] == 6 and done.result["mode"] == "replace"


def test_resource_value_as_dict(demo):
    done = run("demo/echo", json_args={"conn": {"host": "h", "password": SECRET}, "count": 1})
    assert done.result["host"] == "h" and done.result["raw"] == SECRET
    assert done.args["conn"] == {"host": "h", "password": MASK}


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (["count=abc"], "argument 'count' must be an integer"),
        (["count=1", "flag=maybe"], "argument 'flag' must be true or false"),
        (["count=1", "tags={"], "argument 'tags' must be JSON"),
        (["count=1", "mode=upsert"], "argument 'mode' must be one of: append, replace"),
        (["count=1", "nope=1"], "has no argument 'nope' (main takes: conn, count, flag"),
        ([], "missing required argument 'count'"),
        (["count"], "--arg takes NAME=VALUE"),
    ],
)
def test_argument_errors_name_the_argument(demo, pairs, message):
    with pytest.raises(HubError) as info:
        run("demo/echo", resource=CONN, pairs=pairs)
    assert message in str(info.value)
    assert SECRET not in str(info.value)


def test_missing_resource_and_wrong_type(demo):
    with pytest.raises(HubError, match="needs a demo resource: give --resource"):
        run("demo/echo", pairs=["count=1"])
    with pytest.raises(HubError, match="argument 'count' must be of type integer"):
        run("demo/echo", resource=CONN, json_args={"count": "x"})


def test_script_failure_is_redacted(demo, tmp_path):
    (demo.scripts_dir / "boom.py").write_text(
        "class demo(dict): pass\n"
        "def main(conn: demo):\n    raise RuntimeError('cannot reach ' + conn['password'])\n"
    )
    with pytest.raises(HubError) as info:
        run("demo/boom", resource=CONN)
    assert "demo/boom failed: RuntimeError: cannot reach" in str(info.value)
    assert SECRET not in str(info.value)


def test_find_errors(demo):
    with pytest.raises(HubError, match="scripts of demo: echo"):
        find("demo/missing")
    with pytest.raises(HubError, match="TYPE/NAME"):
        find("echo")


def test_discover_lists_the_demo_plugin(demo):
    refs = [s.ref for s in discover()]
    assert "demo/echo" in refs
    script = find("demo/echo")
    assert script.summary == "Echo" and script.kind == "script"
    assert script.job_path == "f/demo/echo"


def test_convert_untyped_and_numbers():
    assert convert("x", '{"a": 1}', {}) == {"a": 1}
    assert convert("x", "plain", {}) == "plain"
    assert convert("x", "2", {"type": "number"}) == 2
    assert convert("x", "2.5", {"type": "number"}) == 2.5
    assert convert("x", "f/a/b", {"type": "object", "format": "resource-demo"}) == "f/a/b"


def test_jsonable():
    import datetime as dt
    import decimal
    import uuid

    value = {
        "d": decimal.Decimal("1.5"),
        "i": decimal.Decimal("2"),
        "u": uuid.UUID(int=1),
        "t": (1, 2),
        "b": b"\x00",
        "dt": dt.date(2024, 1, 2),
        "f": float("nan"),
    }
    assert jsonable(value) == {
        "d": 1.5,
        "i": 2,
        "u": "00000000-0000-0000-0000-000000000001",
        "t": [1, 2],
        "b": "AA==",
        "dt": "2024-01-02",
        "f": "nan",
    }


def cli(*argv):
    """Run the CLI in-process; returns the exit code (0 when it returned normally)."""
    try:
        main(list(argv))
    except SystemExit as exc:
        return exc.code or 0
    return 0


def test_cli_scripts_and_run(demo, capsys):
    assert cli("scripts", "demo", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in listed] == ["echo"]
    assert listed[0]["schema"]["required"] == ["conn", "count"]

    assert cli("scripts", "demo") == 0
    table = capsys.readouterr().out
    assert "demo/echo" in table and "[flag]" in table

    assert cli("run", "demo/echo", "--resource", CONN, "--arg", "count=2", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["result"]["count"] == 2 and out["result"]["raw"] == SECRET  # the result, as is
    assert out["args"]["conn"]["password"] == MASK and SECRET not in json.dumps(out["args"])


def test_cli_run_error_is_one_line(demo, capsys, tmp_path):
    args = tmp_path / "args.json"
    args.write_text(json.dumps({"count": "nope"}))
    assert cli("run", "demo/echo", "--resource", CONN, "--args-json", str(args)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "argument 'count' must be of type integer" in err
