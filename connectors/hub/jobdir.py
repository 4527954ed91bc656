"""The working directory of one local run, as a Windmill worker gives each job its own.

A fresh temporary directory, removed after the run, holding ``shared/`` (the flow's shared
directory of a one-step run) and ``.duckdb`` linked to ``~/.duckdb``: Windmill's DuckDB settings
start with ``SET home_directory='./'``, so DuckDB looks for its extensions under ``./.duckdb``, and
the link lets it find those already installed instead of downloading them. Paths in
``CONNECTORS_HOME`` and ``CONNECTORS_WORKSPACE_KEY_FILE`` are made absolute first, so the
workspace stays the same.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

PATH_VARIABLES = ("CONNECTORS_HOME", "CONNECTORS_WORKSPACE_KEY_FILE")


@contextlib.contextmanager
def job_directory() -> Iterator[Path]:
    """Run inside a fresh job directory (the current directory is restored afterwards)."""
    for name in PATH_VARIABLES:
        value = os.environ.get(name)
        if value and not Path(value).expanduser().is_absolute():
            os.environ[name] = str(Path(value).expanduser().resolve())
    before = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="connectors-job-") as tmp:
        root = Path(tmp)
        (root / "shared").mkdir()
        duckdb_home = Path.home() / ".duckdb"
        if duckdb_home.is_dir():
            (root / ".duckdb").symlink_to(duckdb_home, target_is_directory=True)
        os.chdir(root)
        try:
            yield root
        finally:
            os.chdir(before)
