"""``connectors run PATH.py``: any script file, Windmill's argument rules, state path, errors."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import connectors
from connectors.hub.catalog import HubError
from connectors.hub.runner import file_job_path, run

PG = "postgresql://app:pw-Secret-1@db.example.com:6543/shop?sslmode=require"


def write(folder: Path, name: str, code: str, sidecar: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(code))
    if sidecar is not None:
        path.with_name(path.stem + ".script.yaml").write_text(textwrap.dedent(sidecar))
    return path


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from connectors.cli import main; main()", "run", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
    )


KINDS = """
import datetime
from typing import List, Optional, TypedDict

import wmill


class postgresql(TypedDict):
    host: str
    port: int
    password: str


def main(
    db: postgresql,
    n: int,
    ratio: float,
    flag: bool,
    items: List[str],
    options: dict,
    when: datetime.datetime,
    blob: bytes,
    label: str = "x",
    limit: Optional[int] = None,
):
    return {
        "host": db["host"],
        "port": db["port"],
        "password": db["password"],
        "n": n,
        "ratio": ratio,
        "flag": flag,
        "items": items,
        "options": options,
        "when": when.isoformat(),
        "when_type": type(when).__name__,
        "blob": blob.decode(),
        "label": label,
        "limit": limit,
        "wmill": wmill.__name__,
    }
"""


def test_arguments_converted_with_windmills_rules(tmp_path):
    script = write(tmp_path, "kinds.py", KINDS)
    done = run(
        script,
        pairs=[
            f"db={PG}",
            "n=3",
            "ratio=0.5",
            "flag=true",
            'items=["a", "b"]',
            'options={"k": 1}',
            "when=2026-01-02T03:04:05Z",
            "blob=" + base64.b64encode(b"raw bytes").decode(),
        ],
    )
    assert done.result == {
        "host": "db.example.com",
        "port": 6543,
        "password": "pw-Secret-1",  # the result is printed as it is (output policy)
        "n": 3,
        "ratio": 0.5,
        "flag": True,
        "items": ["a", "b"],
        "options": {"k": 1},
        "when": "2026-01-02T03:04:05+00:00",
        "when_type": "datetime",
        "blob": "raw bytes",
        "label": "x",
        "limit": None,
        "wmill": "connectors.wmill",
    }
    assert done.args["db"]["password"] == "********"


def test_resource_argument_from_the_workspace(tmp_path):
    connectors.set_resource("f/data/pg", connectors.parse(PG).value, "postgresql")
    script = write(tmp_path, "kinds.py", KINDS)
    base = {
        "n": 1,
        "ratio": 1,
        "flag": False,
        "items": [],
        "options": {},
        "when": "2026-01-02T03:04:05+00:00",
        "blob": "",
    }
    for spec in ("f/data/pg", "$res:f/data/pg"):
        done = run(script, json_args={**base, "db": spec}, show_secrets=True)
        assert (done.result["host"], done.result["password"]) == ("db.example.com", "pw-Secret-1")
    done = run(script, resource="f/data/pg", json_args=base)
    assert done.result["host"] == "db.example.com"


COUNTER = """
import wmill


def main(step: int = 1):
    runs = (wmill.get_state() or 0) + step
    wmill.set_state(runs)
    return {"runs": runs, "state_path": wmill.get_state_path()}
"""


def test_state_path_rule_and_persistence(tmp_path, monkeypatch):
    monkeypatch.setenv("WM_USERNAME", "ana")
    loose = write(tmp_path / "scripts", "counter.py", COUNTER)
    synced = write(tmp_path / "repo" / "f" / "etl" / "nightly", "counter.py", COUNTER)
    assert file_job_path(synced) == "f/etl/nightly/counter"
    digest = file_job_path(loose).rsplit("_", 1)[1]
    assert file_job_path(loose) == f"u/ana/counter_{digest}" and len(digest) == 8
    assert run(loose).result == {"runs": 1, "state_path": f"u/ana/counter_{digest}/user"}
    assert run(loose, pairs=["step=2"]).result["runs"] == 3
    assert run(synced).result == {"runs": 1, "state_path": "f/etl/nightly/counter/user"}
    assert connectors.get_state("f/etl/nightly/counter/user") == 1
    assert connectors.get_state(f"u/ana/counter_{digest}/user") == 3


def test_sidecar_defaults(tmp_path):
    script = write(
        tmp_path,
        "greet.py",
        """
        def main(name: str, punctuation: str = "."):
            return name + punctuation
        """,
        sidecar="""
        summary: Greet
        schema:
          properties:
            name: {type: string, default: World}
            punctuation: {type: string, default: '!'}
        """,
    )
    assert run(script).result == "World!"
    assert run(script, pairs=["name=Ada"]).result == "Ada!"


def test_flow_user_state_lives_for_one_run(tmp_path):
    script = write(
        tmp_path,
        "flow.py",
        """
        import wmill

        def main():
            before = wmill.get_flow_user_state("k")
            wmill.set_flow_user_state("k", {"v": 1})
            return [before, wmill.get_flow_user_state("k"), wmill.get_root_job_id()]
        """,
    )
    first, second = run(script).result, run(script).result
    assert first[:2] == [None, {"v": 1}] and second[:2] == [None, {"v": 1}]
    assert first[2] != second[2]


def test_cli_prints_json_and_keeps_logs_on_stderr(tmp_path):
    script = write(
        tmp_path,
        "hello.py",
        """
        import wmill

        def main(who: str):
            print("log line")
            wmill.set_progress(50)
            return {"hello": who, "progress": wmill.get_progress()}
        """,
    )
    done = cli(str(script), "--arg", "who=you")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"hello": "you", "progress": 50}
    assert done.stderr == "log line\n"  # not a terminal: no progress bar
    done = cli(str(script), "--args-json", "-", "--json", stdin='{"who": "me"}')
    assert json.loads(done.stdout) == {
        "script": str(script),
        "args": {"who": "me"},
        "result": {"hello": "me", "progress": 50},
    }


def test_progress_bar_on_a_terminal():
    import io

    from connectors import progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    assert progress.wanted(False, stream) and not progress.wanted(True, stream)
    assert not progress.wanted(False, io.StringIO())
    progress.start(stream, "job.py")
    progress.set_progress(40)
    progress.finish()
    assert stream.getvalue() == "\rjob.py [############..................]  40%\r\x1b[2K"


MAIN_N = "def main(n: int):\n    return n\n"


@pytest.mark.parametrize(
    ("code", "args", "message"),
    [
        ("def run():\n    return 1\n", [], "no top-level def main(...)"),
        (MAIN_N, ["--arg", "n=abc"], "argument 'n' must be an integer"),
        (MAIN_N, [], "missing required argument 'n'"),
        (MAIN_N, ["--arg", "m=1"], "has no argument 'm' (main takes: n)"),
        (
            "from typing import TypedDict\nclass postgresql(TypedDict):\n    host: str\n"
            "def main(db: postgresql):\n    return db\n",
            ["--arg", "db=$res:f/nowhere/pg"],
            "resource f/nowhere/pg not found",
        ),
        (
            "import wmill\ndef main():\n    return wmill.run_script_by_path('f/x/y')\n",
            [],
            "wmill.run_script_by_path() needs a Windmill worker",
        ),
        (
            "#requirements:\n#not-a-real-package-xyz==1.0\n#wmill\ndef main():\n    return 1\n",
            [],
            "requires not-a-real-package-xyz==1.0 (its requirements comment), not installed: "
            "pip install not-a-real-package-xyz==1.0",
        ),
        (
            "#extra_requirements:\n#another-missing-pkg\nimport json\ndef main():\n    return 1\n",
            [],
            "pip install another-missing-pkg",
        ),
        (
            "import not_installed_module_xyz\ndef main():\n    return 1\n",
            [],
            "imports 'not_installed_module_xyz', which is not installed: "
            "pip install not-installed-module-xyz",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2_nothing_written(tmp_path, code, args, message):
    script = write(tmp_path, "bad.py", code)
    done = cli(str(script), *args)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert "Traceback" not in done.stderr
    assert connectors.list_resources("state") == []


def test_hub_refs_still_work_and_missing_files_are_named(tmp_path):
    with pytest.raises(HubError, match="no script file"):
        run(str(tmp_path / "absent.py"))
    done = cli("redis/nope")
    assert done.returncode == 2 and "no hub script 'redis/nope'" in done.stderr
