"""The plugin's own test setup.

Its live-server fixtures (``storage_connectors_gcs.testing``, on top of
``connectors.testing``) are loaded by plugins/conftest.py; a repository of its own would
list both in the ``pytest_plugins`` of its root conftest.py.

When the distribution is not installed (`pip install ./plugins/gcs`), its tests are not
collected: the repository's test command then runs the core suite alone.
"""

from __future__ import annotations

import importlib.util
import os

import pytest

if importlib.util.find_spec("storage_connectors_gcs") is None:
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(autouse=True)
def isolated_home(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    """Each test gets its own workspace (CONNECTORS_HOME) and no inherited WM_* settings."""
    for name in list(os.environ):
        if name.startswith(("WM_", "CONNECTORS_OBJECT_STORAGE", "CONNECTORS_WORKSPACE")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CONNECTORS_HOME", str(tmp_path_factory.mktemp("connectors-home")))
