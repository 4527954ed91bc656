"""What every server recipe is made of; the recipes live in their types' packages.

A recipe is a context manager that yields ``{resource name: Windmill value}``: most yield one
resource, PostgreSQL also yields ``postgresql_tls`` for the same server. Each built-in type's are
in ``connectors/<type>/testing.py`` (``local``, ``container``, ``fresh`` and ``add_services``,
which offers them to the ServerFactory), reached through ``Connector.testing`` as a plugin's are.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

Products = dict[str, dict[str, Any]]
"""What a recipe yields: each resource it provides, by name, with its Windmill value."""


class ServerUnavailable(RuntimeError):
    """The server cannot be started here: a binary or a driver is not installed."""


def require_module(module: str, extra: str) -> None:
    """Fail as unavailable when a driver the recipe needs is not installed."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise ServerUnavailable(
            f"{module} is not installed (pip install 'storage-connectors[{extra},test]')"
        )


def npm_executable(root: Path, *, what: str, bin_name: str, package: str, env: str) -> str:
    """``$<env>``, else ``<repo>/.ci/node/node_modules/.bin/<bin_name>``, as an absolute path.

    Unavailable when missing, naming ``what`` and the install command for ``package``.
    """
    found = os.path.abspath(os.environ.get(env) or root / ".ci/node/node_modules/.bin" / bin_name)
    if not Path(found).exists():
        raise ServerUnavailable(
            f"{what} not found at {found} (npm install --prefix .ci/node {package}, or {env})"
        )
    return found
