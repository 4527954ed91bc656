"""The workspace store: one interface, three back ends (SQLite, PostgreSQL, Windmill's API).

``open_store()`` picks the back end from the environment, in this order:

1. Windmill's REST API when ``BASE_INTERNAL_URL`` or ``WM_BASE_URL``, plus ``WM_TOKEN`` and
   ``WM_WORKSPACE`` are set (inside a Windmill worker);
2. PostgreSQL when ``CONNECTORS_WORKSPACE_URL`` is a ``postgresql://`` URL, or the workspace
   settings file ``$CONNECTORS_HOME/workspaces/<workspace>.json`` holds ``{"url": ...}``;
3. else the embedded SQLite file ``$CONNECTORS_HOME/workspaces/<workspace>.sqlite``.

Every write is validated (path, resource type, value) before anything is stored.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from connectors.errors import NotFoundError, WorkspaceError
from connectors.resource import Resource
from connectors.text import MAX_JSON_DEPTH, surrogate_problem, too_deep
from connectors.workspace import references
from connectors.workspace.paths import resource_path

FREE_TYPES = ("state", "any")  # free JSON, not validated
_WORKSPACE_NAME = re.compile(r"^[A-Za-z0-9_\-]+$")


@dataclass
class StoredResource:
    """A resource (or state) as a store holds it; ``value`` may hold ``$var:``/``$res:``."""

    path: str
    resource_type: str
    value: Any
    description: str = ""
    edited_at: str | None = None


@dataclass
class StoredVariable:
    """A variable as a store holds it, its value decrypted."""

    path: str
    value: str
    is_secret: bool = False
    description: str = ""
    edited_at: str | None = None


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


def check_value(resource_type: str, value: Any, *, allow_unknown: bool = False) -> Any:
    """The value to store: validated and normalised for a registered type, as is for free types.

    An unknown type is a WorkspaceError listing the known ones (unless ``allow_unknown``).
    """
    from connectors.api import validate
    from connectors.plugins import get_registry

    if not isinstance(resource_type, str) or not resource_type:
        raise WorkspaceError("resource type must be a non-empty string")
    if too_deep(value):
        raise WorkspaceError(f"value is nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        json.dumps(value)
    except (TypeError, ValueError) as exc:
        raise WorkspaceError(f"value is not JSON-serialisable: {exc}") from None
    bad_text = surrogate_problem(value)
    if bad_text is not None:
        raise WorkspaceError(f"value at {bad_text[0]}: {bad_text[1]}")
    if resource_type in FREE_TYPES:
        return value
    if resource_type not in get_registry().connectors:
        if allow_unknown:
            return value
        from connectors.errors import UnknownTypeError

        known = [*sorted(get_registry().connectors), *FREE_TYPES]
        raise WorkspaceError(str(UnknownTypeError(resource_type, known)))
    return validate(resource_type, value)


class Store(ABC):
    """What every back end provides. Paths given here are already valid Windmill paths."""

    kind: str = ""

    # --- resources -------------------------------------------------------------------------
    @abstractmethod
    def get_resource(self, path: str) -> StoredResource | None: ...

    @abstractmethod
    def put_resource(
        self,
        path: str,
        resource_type: str,
        value: Any,
        description: str | None = None,
        *,
        keep_type: bool = False,
    ) -> None:
        """Create or replace; ``keep_type`` keeps an existing resource's type (Windmill's
        set_resource), ``description=None`` keeps an existing description."""

    @abstractmethod
    def delete_resource(self, path: str) -> bool:
        """Delete the resource and the variable at the same path (as Windmill does)."""

    @abstractmethod
    def list_resources(
        self,
        resource_types: list[str] | None = None,
        page: int | None = None,
        per_page: int | None = None,
        *,
        values: bool = True,
    ) -> list[StoredResource]:
        """Resources sorted by path; states only when ``resource_types`` asks for them.

        ``values=False`` may leave ``value`` None (a listing that shows no values reads none).
        """

    @abstractmethod
    def update_resource(
        self, path: str, fn: Callable[[Any], Any], resource_type: str = "state"
    ) -> Any:
        """Atomically replace the value by ``fn(old value or None)``; returns the new value."""

    def get_resource_value(self, path: str, interpolated: bool = True) -> Any:
        """The value at ``path``, with its ``$var:``/``$res:`` references resolved if asked."""
        found = self.get_resource(path)
        if found is None:
            raise NotFoundError(f"resource {path} not found")
        if not interpolated:
            return found.value
        return references.resolve(
            found.value, self._raw_resource_value, self.get_variable_value, origin=path
        )

    def _raw_resource_value(self, path: str) -> Any:
        found = self.get_resource(path)
        if found is None:
            raise NotFoundError(f"resource {path} not found")
        return found.value

    def get_variable_value(self, path: str) -> str:
        """The value of the variable at ``path`` (NotFoundError when there is none)."""
        from connectors.workspace import windmill_secrets

        found = self.get_variable(path)
        if found is None:
            raise NotFoundError(f"variable {path} not found")
        if windmill_secrets.is_marked(found.value):
            raise windmill_secrets.refuse(path)
        return found.value

    # --- variables -------------------------------------------------------------------------
    @abstractmethod
    def get_variable(self, path: str) -> StoredVariable | None: ...

    @abstractmethod
    def put_variable(
        self,
        path: str,
        value: str,
        is_secret: bool | None = None,
        description: str | None = None,
        *,
        keep_secret: bool = False,
    ) -> None:
        """Create or update. ``is_secret=None`` (or ``keep_secret``, wmill's rule) keeps an existing
        variable's flag; ``description=None`` keeps its description ('' when new)."""

    @abstractmethod
    def delete_variable(self, path: str) -> bool: ...

    @abstractmethod
    def list_variables(self) -> list[StoredVariable]: ...

    # --- flow user state ---------------------------------------------------------------------
    @abstractmethod
    def get_flow_user_state(self, key: str) -> Any: ...

    @abstractmethod
    def set_flow_user_state(self, key: str, value: Any) -> None: ...

    # --- administration ----------------------------------------------------------------------
    @abstractmethod
    def info(self) -> dict[str, Any]: ...

    def rotate_key(self) -> int:
        """Re-encrypt every secret with a new key; only stores with a local key can."""
        raise WorkspaceError(f"the {self.kind} store has no local key to rotate")

    def close(self) -> None:  # noqa: B027 - optional hook
        pass


def windmill_settings() -> tuple[str, str, str] | None:
    """(base URL, token, workspace) when running against Windmill's API, else None."""
    base = os.environ.get("BASE_INTERNAL_URL") or os.environ.get("WM_BASE_URL")
    token = os.environ.get("WM_TOKEN")
    workspace = os.environ.get("WM_WORKSPACE")
    if base and token and workspace:
        return base, token, workspace
    return None


def postgres_url() -> str | None:
    """The team store's URL: ``$CONNECTORS_WORKSPACE_URL``, else the settings file's ``url``."""
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
    if url and not url.startswith(("postgresql://", "postgres://")):
        raise WorkspaceError("CONNECTORS_WORKSPACE_URL must be a postgresql:// URL")
    return url or None


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


def load_resource(spec: str, *, type_name: str | None = None, typed: bool = False) -> Resource:
    """The workspace resource at ``spec`` (``f/x/y``, ``$res:f/x/y``), references resolved.

    ``typed``: the caller needs a connector type, so a free-JSON (``any``) resource is an error
    that says how to re-add it with ``--type`` (as is one when ``type_name`` is given).
    """
    path = resource_path(spec.strip())
    store = open_store()
    found = store.get_resource(path)
    if found is None:
        raise NotFoundError(f"resource {path} not found in the {store.kind} workspace")
    if found.resource_type in FREE_TYPES and (typed or type_name):
        raise untyped_resource_error(path, found.resource_type, type_name)
    if type_name and found.resource_type != type_name:
        raise WorkspaceError(f"resource {path} is a {found.resource_type}, not a {type_name}")
    value = store.get_resource_value(path, interpolated=True)
    if not isinstance(value, dict):
        raise WorkspaceError(f"resource {path} does not hold an object value")
    return Resource(found.resource_type, value)


def untyped_resource_error(path: str, stored: str, type_name: str | None) -> WorkspaceError:
    """A resource stored as free JSON has no connector: say how to store it with a type."""
    from connectors.plugins import get_registry

    wanted = type_name or "TYPE"
    hint = "" if type_name else f" (TYPE: one of {', '.join(sorted(get_registry().connectors))})"
    why = ", from JSON added without --type" if stored == "any" else ""
    return WorkspaceError(
        f"resource {path} has no connector type (stored as {stored!r}{why}); re-add it with "
        f"one: connectors resource add {path} '<JSON value>' --type {wanted}{hint}"
    )
