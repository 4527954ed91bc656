"""A tiny connector with one hub script in a tmp folder, for the hub tooling's tests."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, ClassVar

from connectors.connector import Connector, Match
from connectors.errors import ParseError
from connectors.resource import Resource

SECRET = "s3cr3t-Pa55word"

ECHO = textwrap.dedent(
    '''
    import datetime
    import os
    from typing import Literal, Optional, TypedDict

    import wmill


    class demo(TypedDict):
        host: str
        password: str


    def main(
        conn: demo,
        count: int,
        flag: bool = False,
        tags: list = [],
        mode: Literal["append", "replace"] = "append",
        when: Optional[datetime.datetime] = None,
        data: bytes = b"",
    ):
        """Echo what it got.

        Args:
            conn: The demo server.
            count: How many.
        """
        previous = wmill.get_state()
        wmill.set_state({"runs": (previous or {}).get("runs", 0) + 1})
        return {
            "host": conn["host"],
            "leak": "demo://u:" + conn["password"] + "@" + conn["host"],
            "raw": conn["password"],
            "count": count,
            "flag": flag,
            "tags": tags,
            "mode": mode,
            "when": when,
            "data": data,
            "wmill": wmill.__name__,
            "job_path": os.environ.get("WM_JOB_PATH"),
            "state_path": wmill.get_state_path(),
            "state": wmill.get_state(),
        }
    '''
)


class Demo(Connector):
    name = "demo"
    description = "A demo server"
    schema: ClassVar[dict[str, Any]] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "host": {"type": "string", "description": "Host"},
            "password": {"type": "string", "description": "Password", "password": True},
        },
        "required": ["host"],
    }

    def detect(self, text: str) -> int:
        return Match.SCHEME if text.startswith("demo://") else Match.NONE

    def parse(self, text: str) -> Resource:
        if not text.startswith("demo://") or "@" not in text:
            raise ParseError("expected demo://:PASSWORD@HOST", type_name="demo")
        password, host = text.removeprefix("demo://").lstrip(":").split("@", 1)
        return Resource("demo", {"host": host, "password": password})


def install(monkeypatch: Any, folder: Path) -> Demo:
    """Register the demo connector with its scripts in ``folder`` (undone after the test)."""
    from connectors.plugins import get_registry

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "echo.py").write_text(ECHO, encoding="utf-8")
    (folder / "echo.script.yaml").write_text(
        "summary: Echo\ndescription: Echoes its arguments.\nkind: script\n", encoding="utf-8"
    )
    demo = Demo()
    monkeypatch.setattr(demo, "scripts_dir", folder, raising=False)
    monkeypatch.setitem(get_registry().connectors, "demo", demo)
    return demo
