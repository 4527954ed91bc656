"""Windmill's client functions (``wmill``), same names and signatures, on the workspace store.

The same script runs locally (embedded SQLite workspace, or PostgreSQL for a team) and inside a
Windmill worker (REST API); ``connectors.workspace.store.open_store`` picks the store. Inside a
worker the requests are wmill's own: paths are sent as given (only the ``$res:``/``res://`` and
``var://`` prefixes wmill strips are stripped) and Windmill's server validates them; values are
sent verbatim. Locally paths are checked by ``connectors.workspace.paths``. Extra, not in
``wmill``: :func:`update_state`, an atomic read-modify-write of a state.
"""

from __future__ import annotations

import inspect
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from connectors.errors import ConnectorsError, WorkspaceError
from connectors.workspace.paths import (
    resource_path,
    sanitize_segment,
    strip_resource_prefix,
    user_segment,
    variable_path,
)
from connectors.workspace.store import Store, open_store

__all__ = [
    "get_flow_user_state",
    "get_resource",
    "get_root_job_id",
    "get_shared_state",
    "get_shared_state_pickle",
    "get_state",
    "get_state_path",
    "get_variable",
    "get_workspace",
    "list_resources",
    "parse_resource_syntax",
    "parse_variable_syntax",
    "set_flow_user_state",
    "set_resource",
    "set_shared_state",
    "set_shared_state_pickle",
    "set_state",
    "set_variable",
    "update_state",
]

_PACKAGE_DIR = Path(__file__).resolve().parent


def _windmill(store: Store) -> Any:
    """The store when it is Windmill's REST API (inside a worker), else None."""
    return store if store.kind == "windmill" else None


def parse_resource_syntax(s: str | None) -> str | None:
    """``$res:x`` or ``res://x`` -> ``x``; any other text None (as wmill)."""
    if s is None:
        return None
    stripped = strip_resource_prefix(s)
    return stripped if len(stripped) < len(s) else None


def parse_variable_syntax(s: str) -> str | None:
    """``var://x`` -> ``x``; any other text None (as wmill: ``$var:`` is not stripped)."""
    if s.startswith("var://"):
        return s[6:]
    return None


def get_workspace() -> str:
    """The workspace: ``WM_WORKSPACE`` inside Windmill, else the local workspace's name."""
    windmill = _windmill(open_store())
    if windmill is not None:
        return str(windmill.workspace)
    from connectors.workspace.store import workspace_name

    return workspace_name()


def get_root_job_id(job_id: str | None = None) -> str:
    """The root job of ``job_id`` (default ``WM_JOB_ID``) inside Windmill; locally the flow run.

    Locally the flow run is ``CONNECTORS_FLOW_RUN_ID`` (or ``WM_ROOT_FLOW_JOB_ID``) when set,
    else one id per process: the key flow user state is kept under.
    """
    windmill = _windmill(open_store())
    if windmill is not None:
        job = job_id or os.environ.get("WM_JOB_ID")
        return str(windmill.api.request("GET", f"jobs_u/get_root_job_id/{job}"))
    from connectors.workspace.sql_store import flow_run_id

    return flow_run_id()


# --- resources ---------------------------------------------------------------------------------
def get_resource(path: str, none_if_undefined: bool = False, interpolated: bool = True) -> Any:
    """The resource value at ``path`` (``$res:``/``res://`` prefixes accepted).

    ``interpolated`` resolves ``$var:``/``$res:`` references; with ``none_if_undefined`` any
    error (missing resource, bad path) gives ``None`` as in ``wmill``.
    """
    store = open_store()
    windmill = _windmill(store)
    try:
        if windmill is not None:
            return windmill.get_resource_value(parse_resource_syntax(path) or path, interpolated)
        clean = resource_path(path)
        return store.get_resource_value(clean, interpolated=interpolated)
    except ConnectorsError:
        if none_if_undefined:
            return None
        raise


def set_resource(path: str, value: Any, resource_type: str = "any") -> None:
    """Create the resource, or update its value (an existing resource keeps its type)."""
    store = open_store()
    windmill = _windmill(store)
    if windmill is not None:
        windmill.wmill_set_resource(parse_resource_syntax(path) or path, value, resource_type)
        return
    clean = resource_path(path)
    store.put_resource(clean, resource_type, value, keep_type=True)


def list_resources(
    resource_type: str | None = None, page: int | None = None, per_page: int | None = None
) -> list[dict[str, Any]]:
    """``ListableResource`` dicts as Windmill's ``resources/list`` returns (``value`` is None).

    ``resource_type`` may list several types separated by commas; states are left out unless
    asked for by type.
    """
    store = open_store()
    windmill = _windmill(store)
    if windmill is not None:
        params = {"resource_type": resource_type, "page": page, "per_page": per_page}
        answer: list[dict[str, Any]] = windmill.wmill_list_resources(
            {k: v for k, v in params.items() if v is not None}
        )
        return answer
    types = [t for t in (resource_type or "").split(",") if t] or None
    found = store.list_resources(types, page=page, per_page=per_page, values=False)
    return [
        {
            "path": item.path,
            "resource_type": item.resource_type,
            "description": item.description,
            "value": None,
            "is_oauth": False,
            "edited_at": item.edited_at,
        }
        for item in found
    ]


# --- variables ---------------------------------------------------------------------------------
def get_variable(path: str) -> str:
    """The variable's value (secrets decrypted); ``var://`` and ``$var:`` prefixes accepted."""
    store = open_store()
    windmill = _windmill(store)
    if windmill is not None:
        value: str = windmill.wmill_get_variable(parse_variable_syntax(path) or path)
        return value
    clean = variable_path(path)
    return store.get_variable_value(clean)


def set_variable(path: str, value: str, is_secret: bool = False) -> None:
    """Create the variable, or update its value (``is_secret`` is kept on update, as in wmill)."""
    store = open_store()
    windmill = _windmill(store)
    if windmill is not None:
        windmill.wmill_set_variable(parse_variable_syntax(path) or path, value, is_secret)
        return
    clean = variable_path(path)
    store.put_variable(clean, value, is_secret, keep_secret=True)


# --- states ------------------------------------------------------------------------------------
def get_state_path() -> str:
    """Where this script's state lives.

    1. ``WM_STATE_PATH_NEW``, else ``WM_STATE_PATH`` (set by a Windmill worker);
    2. Windmill's worker formula when ``WM_FLOW_PATH`` or ``WM_JOB_PATH`` is set (the hub runner
       sets ``WM_JOB_PATH`` per script): ``{flow}/{step or 'nostep'}_{trigger}`` or
       ``{script}/{trigger}``, where trigger is the user name when ``WM_SCHEDULE_PATH`` is set,
       else ``user``;
    3. locally: ``u/<user>/<script file stem>_state``, the user being ``WM_USERNAME`` or the OS
       user, the file the first caller outside this package (``__main__`` as a last resort).
    """
    explicit = os.environ.get("WM_STATE_PATH_NEW") or os.environ.get("WM_STATE_PATH")
    if explicit:
        return explicit
    username = user_segment(os.environ.get("WM_USERNAME"))
    trigger = username if os.environ.get("WM_SCHEDULE_PATH") else "user"
    flow_path = os.environ.get("WM_FLOW_PATH")
    script_path = os.environ.get("WM_JOB_PATH")
    if flow_path:
        step = os.environ.get("WM_FLOW_STEP_ID") or "nostep"
        return f"{flow_path}/{step}_{trigger}"
    if script_path:
        return f"{script_path}state" if script_path.endswith("/") else f"{script_path}/{trigger}"
    return f"u/{username}/{sanitize_segment(_caller_stem(), 'script')}_state"


def _caller_stem() -> str:
    for frame in inspect.stack()[2:]:
        filename = frame.filename
        if filename.startswith("<"):
            continue
        try:
            inside = Path(filename).resolve().is_relative_to(_PACKAGE_DIR)
        except OSError:
            continue
        if not inside:
            return Path(filename).stem
    import __main__

    main_file = getattr(__main__, "__file__", None)
    return Path(main_file).stem if main_file else "tmp"


def get_state(path: str | None = None) -> Any:
    """The state at ``path`` (default ``get_state_path()``), ``None`` on the first run."""
    return get_resource(path or get_state_path(), none_if_undefined=True)


def set_state(value: Any, path: str | None = None) -> None:
    """Store ``value`` (any JSON) as the state at ``path`` (default ``get_state_path()``)."""
    set_resource(path or get_state_path(), value, resource_type="state")


def update_state(fn: Callable[[Any], Any], path: str | None = None) -> Any:
    """Atomically replace the state by ``fn(current state or None)`` and return the new state.

    On SQLite and PostgreSQL the read and the write happen in one transaction holding the
    state's lock, so concurrent updates from several processes are never lost. Inside Windmill
    (no compare-and-set in its API) it is a read then a write.
    """
    clean = resource_path(path or get_state_path(), "state")
    return open_store().update_resource(clean, fn, "state")


# --- flow user state ---------------------------------------------------------------------------
def set_flow_user_state(key: str, value: Any) -> None:
    """Store ``value`` under ``key`` for the current flow run.

    The run is WM_ROOT_FLOW_JOB_ID's root job inside Windmill; locally CONNECTORS_FLOW_RUN_ID
    (or WM_ROOT_FLOW_JOB_ID) when set, else one id per process.
    """
    open_store().set_flow_user_state(_checked_key(key), value)


def get_flow_user_state(key: str) -> Any:
    """The value stored under ``key`` for the current flow run, ``None`` if none."""
    return open_store().get_flow_user_state(_checked_key(key))


def _checked_key(key: str) -> str:
    if not isinstance(key, str) or not key or "/" in key:
        raise WorkspaceError(f"invalid flow user state key {key!r}: a non-empty name without '/'")
    return key


# --- shared directory --------------------------------------------------------------------------
def _shared_dir() -> Path:
    root = Path("/shared")
    return root if root.is_dir() else Path("shared")


def set_shared_state(value: Any, path: str = "state.json") -> None:
    """Write ``value`` as JSON to ``/shared/<path>`` (Windmill's mount) or ``./shared/<path>``.

    Ephemeral by design: shared only by the steps of one flow run on one worker.
    """
    target = _shared_dir() / path
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=4)


def get_shared_state(path: str = "state.json") -> Any:
    """The JSON value in ``/shared/<path>`` or ``./shared/<path>`` (FileNotFoundError if none)."""
    with (_shared_dir() / path).open(encoding="utf-8") as f:
        return json.load(f)


def set_shared_state_pickle(value: Any, path: str = "state.pickle") -> None:
    """Pickle ``value`` to ``/shared/<path>`` or ``./shared/<path>`` (as wmill)."""
    import pickle

    target = _shared_dir() / path
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)


def get_shared_state_pickle(path: str = "state.pickle") -> Any:
    """The pickled value in ``/shared/<path>`` or ``./shared/<path>`` (deprecated in wmill).

    Pickle runs code from the file: read only what a step of the same flow wrote.
    """
    import pickle
    import warnings

    warnings.warn(
        "The 'get_shared_state_pickle' method is deprecated and may be removed in the future. "
        "Consider Windmill.get_shared_state_pickle(...)",
        DeprecationWarning,
        stacklevel=2,
    )
    with (_shared_dir() / path).open("rb") as handle:
        return pickle.load(handle)
