"""Loads the live-server fixtures of the extra connectors installed here, for their tests.

A plugin's own repository would list them in the conftest.py at its root; in this repository
that root is here (pytest loads a non-root conftest's ``pytest_plugins`` only from the
directories it starts in). A plugin that is not installed is not loaded, and its tests are not
collected (its tests/conftest.py says so).
"""

from __future__ import annotations

import importlib.util

pytest_plugins = ["connectors.testing"] + [
    f"{package}.testing"
    for package in ("storage_connectors_mysql", "storage_connectors_gcs")
    if importlib.util.find_spec(package) is not None
]
