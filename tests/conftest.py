"""Shared test setup: the live-server harness, and isolation from the user's environment."""

from __future__ import annotations

import os

import pytest

pytest_plugins = ["connectors.testing"]

# Variables the tests must not inherit from the developer's shell or the CI machine.
_ISOLATED_PREFIXES = ("CONNECTORS_", "WM_", "BASE_INTERNAL_URL", "UPSTASH_", "AZURE_STORAGE_")
_KEPT = (
    "CONNECTORS_TEST_",
    "CONNECTORS_REQUIRE_LIVE",
    "CONNECTORS_STRICT_PLUGINS",
    "CONNECTORS_CONFORMANCE_DIR",
)


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    """Each test gets its own CONNECTORS_HOME and no inherited WM_* or CONNECTORS_* settings."""
    for name in list(os.environ):
        if name.startswith(_ISOLATED_PREFIXES) and not name.startswith(_KEPT):
            monkeypatch.delenv(name)
    home = tmp_path_factory.mktemp("connectors-home")
    monkeypatch.setenv("CONNECTORS_HOME", str(home))
    return home
