"""Job progress outside a Windmill worker: ``set_progress``/``get_progress`` and a terminal bar.

``set_progress(value)`` records the value (clamped to 0-100, as a percentage) for the job
(``None``: the current run). ``connectors run`` turns the bar on when stderr is a terminal and
the output is not ``--json``: each new value redraws one line on stderr, erased when the run ends,
so nothing extra reaches piped or JSON output.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

WIDTH = 30
_values: dict[str | None, int] = {}
_bar: dict[str, Any] = {"stream": None, "label": "", "drawn": False}


def set_progress(value: int, job_id: str | None = None) -> None:
    """Record ``value`` for ``job_id`` and redraw the bar when one is shown."""
    percent = max(0, min(100, int(value)))
    _values[job_id] = percent
    stream: TextIO | None = _bar["stream"]
    if stream is not None and job_id is None:
        filled = WIDTH * percent // 100
        line = f"\r{_bar['label']} [{'#' * filled}{'.' * (WIDTH - filled)}] {percent:3d}%"
        stream.write(line)
        stream.flush()
        _bar["drawn"] = True


def get_progress(job_id: str | None = None) -> Any:
    """The value last set for ``job_id`` (None when never set)."""
    return _values.get(job_id)


def start(stream: TextIO, label: str) -> None:
    """Show the bar on ``stream`` (a terminal) for one run; values start empty."""
    _values.clear()
    _bar.update(stream=stream, label=label, drawn=False)


def finish() -> None:
    """Erase the bar and stop drawing."""
    stream: TextIO | None = _bar["stream"]
    if stream is not None and _bar["drawn"]:
        stream.write("\r\x1b[2K")
        stream.flush()
    _bar.update(stream=None, label="", drawn=False)


def wanted(json_output: bool, stream: TextIO | None = None) -> bool:
    """Whether a bar belongs on ``stream`` (default stderr): a terminal, and not ``--json``."""
    target = stream if stream is not None else sys.stderr
    return not json_output and bool(getattr(target, "isatty", lambda: False)())
