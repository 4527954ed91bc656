"""The plugin's own test setup, as a third-party distribution would have it."""

from __future__ import annotations

import os

import pytest

pytest_plugins = ["connectors.testing", "storage_connectors_gcs.testing"]


@pytest.fixture(autouse=True)
def isolated_home(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    """Each test gets its own workspace (CONNECTORS_HOME) and no inherited WM_* settings."""
    for name in list(os.environ):
        if name.startswith(("WM_", "CONNECTORS_OBJECT_STORAGE", "CONNECTORS_WORKSPACE")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CONNECTORS_HOME", str(tmp_path_factory.mktemp("connectors-home")))
