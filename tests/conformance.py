"""Where the official conformance suites are: read in place, never copied (their licences)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def conformance_dir(name: str) -> Path:
    """``$CONNECTORS_CONFORMANCE_DIR/<name>``, else ``../shared/conformance/<name>`` beside the
    checkout. Tests skip when it does not exist."""
    base = os.environ.get("CONNECTORS_CONFORMANCE_DIR")
    folder = Path(base) if base else ROOT.parent / "shared" / "conformance"
    return folder / name
