"""Which workspace store this process uses, and where a local workspace keeps its files.

``open_store()`` picks one of the interface's implementations (``interface.Store``) from the
environment, in this order:

1. Windmill's REST API when ``BASE_INTERNAL_URL`` or ``WM_BASE_URL``, plus ``WM_TOKEN`` and
   ``WM_WORKSPACE`` are set (inside a Windmill worker);
2. PostgreSQL when ``CONNECTORS_WORKSPACE_URL`` holds a PostgreSQL connection string (any form
   the postgresql connector parses), or the workspace settings file
   ``$CONNECTORS_HOME/workspaces/<workspace>.json`` holds ``{"url": ...}``;
3. else the embedded SQLite file ``$CONNECTORS_HOME/workspaces/<workspace>.sqlite``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from pathlib import Path
from typing import Any

from connectors.errors import WorkspaceError
from connectors.workspace.interface import (
    FREE_TYPES,
    Store,
    StoredResource,
    StoredVariable,
    check_value,
)

__all__ = [
    "FREE_TYPES",
    "Store",
    "StoredResource",
    "StoredVariable",
    "check_value",
    "close_store",
    "home_dir",
    "open_store",
    "postgres_url",
    "windmill_settings",
    "workspace_files",
    "workspace_name",
]

_WORKSPACE_NAME = re.compile(r"^[A-Za-z0-9_\-]+$")


def home_dir() -> Path:
    """``$CONNECTORS_HOME``, else ``$XDG_DATA_HOME/connectors``, else ``~/.connectors``."""
    if os.environ.get("CONNECTORS_HOME"):
        return Path(os.environ["CONNECTORS_HOME"]).expanduser()
    if os.environ.get("XDG_DATA_HOME"):
        return Path(os.environ["XDG_DATA_HOME"]).expanduser() / "connectors"
    return Path.home() / ".connectors"


def workspace_name() -> str:
    """``$CONNECTORS_WORKSPACE`` (default ``default``), checked to be a safe file name."""
    name = os.environ.get("CONNECTORS_WORKSPACE") or "default"
    if not _WORKSPACE_NAME.match(name):
        raise WorkspaceError(
            f"invalid workspace name {name!r}: use letters, digits, '_' and '-' only"
        )
    return name


def workspace_files(name: str | None = None) -> dict[str, Path]:
    """The database, key and settings files of a workspace."""
    name = name or workspace_name()
    base = home_dir() / "workspaces"
    key = os.environ.get("CONNECTORS_WORKSPACE_KEY_FILE")
    return {
        "database": base / f"{name}.sqlite",
        "key": Path(key).expanduser() if key else base / f"{name}.key",
        "settings": base / f"{name}.json",
    }


def windmill_settings() -> tuple[str, str, str] | None:
    """(base URL, token, workspace) when running against Windmill's API, else None."""
    base = os.environ.get("BASE_INTERNAL_URL") or os.environ.get("WM_BASE_URL")
    token = os.environ.get("WM_TOKEN")
    workspace = os.environ.get("WM_WORKSPACE")
    if base and token and workspace:
        return base, token, workspace
    return None


def postgres_url() -> str | None:
    """The team store's connection string: ``$CONNECTORS_WORKSPACE_URL``, else the settings
    file's ``url``."""
    url = os.environ.get("CONNECTORS_WORKSPACE_URL")
    if not url:
        settings = workspace_files()["settings"]
        if settings.is_file():
            try:
                url = json.loads(settings.read_text()).get("url")
            except (ValueError, AttributeError):
                raise WorkspaceError(
                    f"workspace settings {settings} are not a JSON object"
                ) from None
    if url is not None and not isinstance(url, str):
        raise WorkspaceError("the workspace database URL must be a string")
    return url or None  # parsed by the postgresql connector when the store opens


def _config() -> tuple[Any, ...]:
    wm = windmill_settings()
    if wm:
        return ("windmill", *wm)
    files = workspace_files()
    url = postgres_url()
    # A different CONNECTORS_WORKSPACE_KEY is a different store (its cipher); only a digest
    # of it is kept here.
    key = hashlib.sha256(os.environ.get("CONNECTORS_WORKSPACE_KEY", "").encode()).hexdigest()
    if url:
        return ("postgresql", url, workspace_name(), str(files["key"]), key)
    return ("sqlite", str(files["database"]), workspace_name(), str(files["key"]), key)


_lock = threading.Lock()
_cached: dict[str, Any] = {}


_ENV_KEYS = (
    "CONNECTORS_HOME",
    "XDG_DATA_HOME",
    "CONNECTORS_WORKSPACE",
    "CONNECTORS_WORKSPACE_URL",
    "CONNECTORS_WORKSPACE_KEY_FILE",
    "CONNECTORS_WORKSPACE_KEY",
    "BASE_INTERNAL_URL",
    "WM_BASE_URL",
    "WM_TOKEN",
    "WM_WORKSPACE",
)
# On POSIX os.environ keeps its bytes in a dict: reading that is ten times faster than
# os.environ.get for each key, and open_store runs at every get_state/set_state.
_ENVIRON = os.environ
_ENV_DATA: dict[bytes, bytes] | None = (
    getattr(os.environ, "_data", None) if os.name == "posix" else None
)
_ENV_BYTES = tuple(os.fsencode(k) for k in _ENV_KEYS)


def _environment_key() -> tuple[Any, ...]:
    if _ENV_DATA is not None and os.environ is _ENVIRON:
        return (os.getpid(), *map(_ENV_DATA.get, _ENV_BYTES))
    environ = os.environ
    return (os.getpid(), *(environ.get(k) for k in _ENV_KEYS))


def open_store() -> Store:
    """The store the environment selects (see the module docstring); cached per process.

    The choice is made again when one of the variables it depends on changes (the settings file
    is read when the choice is made, so a change to it is seen by the next process).
    """
    env_key = _environment_key()
    if _cached.get("env") == env_key:
        cached: Store = _cached["store"]
        return cached
    config = (os.getpid(), *_config())
    with _lock:
        if _cached.get("config") == config:
            store: Store = _cached["store"]
            _cached["env"] = env_key
            return store
        old = _cached.pop("store", None)
        if old is not None and _cached.get("config", (None,))[0] == os.getpid():
            old.close()
        store = _make(config[1:])
        _cached.update(config=config, store=store, env=env_key)
        return store


def close_store() -> None:
    """Close and forget this process's store (the next call opens it again)."""
    with _lock:
        old = _cached.pop("store", None)
        config = _cached.pop("config", None)
        _cached.pop("env", None)
        if old is not None and config and config[0] == os.getpid():
            old.close()


def _make(config: tuple[Any, ...]) -> Store:
    kind = config[0]
    if kind == "windmill":
        from connectors.workspace.windmill_store import WindmillStore

        return WindmillStore(config[1], config[2], config[3])
    if kind == "postgresql":
        from connectors.workspace.postgres_store import PostgresStore

        return PostgresStore(config[1], workspace=config[2], key_file=Path(config[3]))
    from connectors.workspace.sqlite_store import SqliteStore

    return SqliteStore(Path(config[1]), workspace=config[2], key_file=Path(config[3]))
