"""The workspace store's interface: what the SQLite, PostgreSQL and Windmill stores provide.

``store.py`` picks one from the environment; ``sql_store.py`` (under ``sqlite_store.py`` and
``postgres_store.py``) and ``windmill_store.py`` implement it. Every write is checked here
(``check_value``) before anything is stored.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from connectors.errors import NotFoundError, WorkspaceError
from connectors.text import MAX_JSON_DEPTH, surrogate_at, surrogate_problem, too_deep
from connectors.workspace import references

FREE_TYPES = ("state", "any")  # free JSON, not validated


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


def check_value(resource_type: str, value: Any, *, allow_unknown: bool = False) -> Any:
    """The value to store: validated and normalised for a registered type, as is for free types.

    An unknown type is a WorkspaceError listing the known ones (unless ``allow_unknown``).
    """
    return checked_json(resource_type, value, allow_unknown=allow_unknown)[0]


def checked_json(resource_type: str, value: Any, *, allow_unknown: bool = False) -> tuple[Any, str]:
    """``check_value``'s value and its JSON text (``ensure_ascii=False``), serialised once."""
    if not isinstance(resource_type, str) or not resource_type:
        raise WorkspaceError("resource type must be a non-empty string")
    text = _json_text(value)
    if resource_type in FREE_TYPES:
        return value, text
    from connectors.plugins import get_registry

    if resource_type not in get_registry().connectors:
        if allow_unknown:
            return value, text
        from connectors.errors import UnknownTypeError

        known = [*sorted(get_registry().connectors), *FREE_TYPES]
        raise WorkspaceError(str(UnknownTypeError(resource_type, known)))
    from connectors.api import validate

    checked = validate(resource_type, value)
    return checked, _json_text(checked)


def _too_deep() -> WorkspaceError:
    return WorkspaceError(f"value is nested more than {MAX_JSON_DEPTH} levels deep")


def _json_text(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except RecursionError:
        raise _too_deep() from None
    except (TypeError, ValueError) as exc:
        raise WorkspaceError(f"value is not JSON-serialisable: {exc}") from None
    # Each level opens a bracket: fewer brackets than the limit cannot nest deeper.
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH and too_deep(value):
        raise _too_deep()
    if not text.isascii() and surrogate_at(text) is not None:
        # Only a lone surrogate in a string or key makes the text unencodable: name where.
        bad_text = surrogate_problem(value) or ("/", "a lone surrogate")
        raise WorkspaceError(f"value at {bad_text[0]}: {bad_text[1]}")
    return text


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
