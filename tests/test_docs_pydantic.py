"""docs/pydantic.md as written: its Python blocks run on live servers and print what it shows."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import connectors

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "pydantic.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```\n(?:\nprints\n\n```text\n(.*?)^```)?", re.S | re.M)


def page_blocks() -> tuple[str, str]:
    """Every Python block of the page, in order, and the output the page says they print."""
    code, output = [], []
    for language, body, printed in BLOCK.findall(PAGE.read_text(encoding="utf-8")):
        if language == "python":
            code.append(body)
            output.append(printed)
    return "\n".join(code), "".join(output)


def test_every_python_block_shows_what_it_prints():
    code, output = page_blocks()
    assert code.count("class Settings(BaseSettings)") == 1
    assert output.startswith("(2,)\nb'hello'\nb'hello'\n")


@pytest.mark.live
def test_the_page_runs_as_written(live_postgresql, live_redis, live_azure_blob, tmp_path):
    code, output = page_blocks()
    azure = connectors.to_connection_string(live_azure_blob)
    assert connectors.parse(azure).value["endpoint"] == live_azure_blob.value["endpoint"]
    (tmp_path / ".env").write_text(f'AZURE_STORAGE_CONNECTION_STRING="{azure}"\n', "utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": connectors.to_connection_string(live_postgresql),
        "REDIS_URL": connectors.to_connection_string(live_redis),
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == output
    for secret in (live_postgresql.value["password"], live_redis.value["password"]):
        assert secret not in result.stdout
