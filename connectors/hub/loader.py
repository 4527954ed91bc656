"""Load a hub script as a module, with ``wmill`` provided by this package."""

from __future__ import annotations

import contextlib
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType


@contextlib.contextmanager
def serve_wmill() -> Iterator[None]:
    """While inside, ``import wmill`` gives ``connectors.wmill`` (never the real wmill client);
    what ``sys.modules["wmill"]`` held before is put back afterwards."""
    from connectors import wmill

    before = sys.modules.get("wmill")
    sys.modules["wmill"] = wmill
    try:
        yield
    finally:
        if before is None:
            sys.modules.pop("wmill", None)
        else:
            sys.modules["wmill"] = before


def script_path(type_name: str, script_name: str) -> Path:
    """``<scripts_dir>/<script_name>.py`` of the connector registered for ``type_name``."""
    from connectors.plugins import get_connector

    folder = get_connector(type_name).scripts_dir
    if folder is None:
        raise FileNotFoundError(f"{type_name} has no hub scripts")
    path = folder / f"{script_name}.py"
    if not path.is_file():
        raise FileNotFoundError(f"no hub script {type_name}/{script_name} ({path})")
    return path


def load_script(type_name: str, script_name: str) -> ModuleType:
    """Import ``hub_scripts/<type>/<name>.py`` as a fresh module."""
    return load_path(script_path(type_name, script_name), f"hub_script_{type_name}_{script_name}")


def load_path(path: Path, module_name: str) -> ModuleType:
    """Import the script at ``path`` as a fresh module named ``module_name``."""
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with serve_wmill():
        spec.loader.exec_module(module)
    return module
