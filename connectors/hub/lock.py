"""Windmill lock files for Python scripts, resolved with ``uv pip compile`` as Windmill does.

Windmill's worker resolves a script's requirements with ``uv pip compile --no-header
--strip-extras`` and stores ``# py: <version>`` followed by the pinned lines, comments dropped
(``python_executor.rs``, ``uv_pip_compile``); ``wmill`` keeps that text in
``<path>.script.lock``. ``Locker`` resolves each distinct requirement set once, in parallel.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from connectors.hub.catalog import HubError

#: the Python version Windmill resolves for by default (instance setting, 3.11 since 1.4xx)
PYTHON_VERSION = "3.11"


def uv_executable() -> str:
    """The ``uv`` binary: beside this Python (the ``uv`` package's), else one on PATH."""
    beside = Path(sys.executable).with_name("uv")
    if beside.is_file():
        return str(beside)
    found = shutil.which("uv")
    if found is None:
        raise HubError("uv is not installed (pip install uv), needed to resolve lock files")
    return found


def compile_lock(requirements: Iterable[str], python_version: str = PYTHON_VERSION) -> str:
    """The Windmill lock text for ``requirements`` ('' when there are none, as Windmill)."""
    wanted = "\n".join(requirements)
    if not wanted:
        return ""
    command = [
        uv_executable(),
        "pip",
        "compile",
        "-",
        "--quiet",
        "--no-header",
        "--no-annotate",
        "--strip-extras",
        "--python-version",
        python_version,
    ]
    try:
        done = subprocess.run(
            command, input=wanted, capture_output=True, text=True, timeout=300, check=False
        )
    except subprocess.TimeoutExpired:
        raise HubError(f"uv pip compile timed out resolving {wanted!r}") from None
    if done.returncode != 0:
        reason = " ".join((done.stderr or done.stdout).split())[:400]
        raise HubError(f"uv pip compile could not resolve {wanted.splitlines()}: {reason}")
    pinned = [line for line in done.stdout.splitlines() if not line.strip().startswith("#")]
    return f"# py: {python_version}\n" + "\n".join(line for line in pinned if line.strip())


class Locker:
    """Resolves requirement sets to lock texts, each distinct set once."""

    def __init__(self, python_version: str = PYTHON_VERSION) -> None:
        self.python_version = python_version
        self._done: dict[tuple[str, ...], str] = {}

    def lock_all(self, sets: Iterable[Iterable[str]], *, workers: int = 4) -> None:
        """Resolve every set not resolved yet, ``workers`` at a time."""
        todo = list(dict.fromkeys(tuple(s) for s in sets if tuple(s) not in self._done))
        if not todo:
            return
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(todo)))) as pool:
            locks = pool.map(lambda s: compile_lock(s, self.python_version), todo)
            self._done.update(zip(todo, locks, strict=True))

    def lock(self, requirements: Iterable[str]) -> str:
        """The lock text of one requirement set (resolved now if needed)."""
        key = tuple(requirements)
        if key not in self._done:
            self.lock_all([key], workers=1)
        return self._done[key]

    @property
    def resolutions(self) -> int:
        """How many distinct sets were resolved."""
        return len(self._done)
