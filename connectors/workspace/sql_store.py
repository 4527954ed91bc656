"""The workspace store on SQL (SQLite or PostgreSQL): resources, variables, flow user state.

The tables, the workspace key and the sealing of secrets are in ``sql_database.py``; values are
JSON text, secret strings in them AES-GCM ciphertext.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from connectors.errors import NotFoundError, WorkspaceError
from connectors.text import describe_surrogate, surrogate_at
from connectors.workspace import references
from connectors.workspace.keys import key_source
from connectors.workspace.sql_database import SqlDatabase
from connectors.workspace.store import FREE_TYPES, StoredResource, StoredVariable, check_value

# What ``info`` counts: (name, table and condition).
_COUNTS = (
    ("resources", "connectors_resource WHERE workspace = ? AND resource_type <> 'state'"),
    ("states", "connectors_resource WHERE workspace = ? AND resource_type = 'state'"),
    ("variables", "connectors_variable WHERE workspace = ?"),
    ("secret_variables", "connectors_variable WHERE workspace = ? AND is_secret = 1"),
)
_PROCESS_RUN_ID = uuid.uuid4().hex


def flow_run_id() -> str:
    """WM_ROOT_FLOW_JOB_ID, else CONNECTORS_FLOW_RUN_ID, else one id per process."""
    return (
        os.environ.get("WM_ROOT_FLOW_JOB_ID")
        or os.environ.get("CONNECTORS_FLOW_RUN_ID")
        or _PROCESS_RUN_ID
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class SqlStore(SqlDatabase):
    """The Store interface over the SQL tables; subclasses supply the connection."""

    # --- resources -------------------------------------------------------------------------------
    def get_resource(self, path: str) -> StoredResource | None:
        with self.transaction() as cur:
            return self._read_resource(cur, path)

    def get_resource_value(self, path: str, interpolated: bool = True) -> Any:
        """As ``Store.get_resource_value``; a value whose JSON has no ``$`` holds no reference,
        so it is not walked (a reference is never sealed, and ``json.dumps`` never escapes ``$``).
        """
        with self.transaction() as cur:
            row = self._in_workspace(
                cur,
                "SELECT value FROM connectors_resource WHERE workspace = ? AND path = ?",
                path,
            ).fetchone()
            if row is None:
                raise NotFoundError(f"resource {path} not found")
            value = self._open_value(cur, path, row[0])
        if not interpolated or ("$" not in row[0] and "\\u" not in row[0]):
            return value
        return references.resolve(
            value, self._raw_resource_value, self.get_variable_value, origin=path
        )

    def _read_resource(self, cur: Any, path: str) -> StoredResource | None:
        row = self._in_workspace(
            cur,
            "SELECT resource_type, value, description, edited_at FROM connectors_resource "
            "WHERE workspace = ? AND path = ?",
            path,
        ).fetchone()
        if row is None:
            return None
        return StoredResource(path, row[0], self._open_value(cur, path, row[1]), row[2], row[3])

    def _write_resource(
        self,
        cur: Any,
        path: str,
        resource_type: str,
        value: Any,
        description: str | None,
        *,
        same_type_only: bool = False,
    ) -> bool:
        """Insert or replace; with ``same_type_only`` an existing resource of another type is
        left alone. Whether a row was written."""
        sealed = self._seal_value(cur, path, resource_type, value)
        return bool(
            self._in_workspace(
                cur,
                "INSERT INTO connectors_resource (workspace, path, resource_type, value, "
                "description, edited_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workspace, path) "
                "DO UPDATE SET resource_type = excluded.resource_type, value = excluded.value, "
                "edited_at = excluded.edited_at"
                + (", description = excluded.description" if description is not None else "")
                + (
                    " WHERE connectors_resource.resource_type = excluded.resource_type"
                    if same_type_only
                    else ""
                ),
                path,
                resource_type,
                sealed,
                description or "",
                _now(),
            ).rowcount
        )

    def put_resource(
        self,
        path: str,
        resource_type: str,
        value: Any,
        description: str | None = None,
        *,
        keep_type: bool = False,
    ) -> None:
        with self.transaction(write=True) as cur:
            if keep_type and resource_type in FREE_TYPES:
                # The usual case (set_state on a state): written unless the path holds another
                # type, without reading the type first; that other type is handled below.
                checked = check_value(resource_type, value)
                if self._write_resource(
                    cur, path, resource_type, checked, description, same_type_only=True
                ):
                    return
            if keep_type:
                row = self._in_workspace(
                    cur,
                    "SELECT resource_type FROM connectors_resource "
                    "WHERE workspace = ? AND path = ?",
                    path,
                ).fetchone()
                resource_type = row[0] if row else resource_type
            checked = check_value(resource_type, value)
            self._write_resource(cur, path, resource_type, checked, description)

    def update_resource(
        self, path: str, fn: Callable[[Any], Any], resource_type: str = "state"
    ) -> Any:
        with self.transaction(write=True) as cur:
            self.lock_path(cur, path)
            current = self._read_resource(cur, path)
            new = fn(None if current is None else current.value)
            kind = current.resource_type if current else resource_type
            checked = check_value(kind, new)
            self._write_resource(cur, path, kind, checked, None)
            return checked

    def delete_resource(self, path: str) -> bool:
        with self.transaction(write=True) as cur:
            gone = self._in_workspace(
                cur, "DELETE FROM connectors_resource WHERE workspace = ? AND path = ?", path
            ).rowcount
            self._in_workspace(
                cur, "DELETE FROM connectors_variable WHERE workspace = ? AND path = ?", path
            )
            return bool(gone)

    def list_resources(
        self,
        resource_types: list[str] | None = None,
        page: int | None = None,
        per_page: int | None = None,
        *,
        values: bool = True,
    ) -> list[StoredResource]:
        column = "value" if values else "NULL"
        sql = (
            f"SELECT path, resource_type, {column}, description, edited_at "
            "FROM connectors_resource WHERE workspace = ?"
        )
        params: list[Any] = [self.workspace]
        if resource_types:
            sql += f" AND resource_type IN ({', '.join('?' for _ in resource_types)})"
            params += resource_types
        else:
            sql += " AND resource_type <> 'state'"
        sql += " ORDER BY path"
        if per_page is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [per_page, (max(page or 1, 1) - 1) * per_page]
        with self.transaction() as cur:
            rows = self._execute(cur, sql, tuple(params)).fetchall()
            if not values:
                return [StoredResource(r[0], r[1], None, r[3], r[4]) for r in rows]
            return [
                StoredResource(r[0], r[1], self._open_value(cur, r[0], r[2]), r[3], r[4])
                for r in rows
            ]

    # --- variables -------------------------------------------------------------------------------
    def get_variable(self, path: str) -> StoredVariable | None:
        with self.transaction() as cur:
            row = self._in_workspace(
                cur,
                "SELECT value, is_secret, description, edited_at FROM connectors_variable "
                "WHERE workspace = ? AND path = ?",
                path,
            ).fetchone()
            if row is None:
                return None
            value = self._open_variable(cur, path, row[0], row[1])
            return StoredVariable(path, value, bool(row[1]), row[2], row[3])

    def put_variable(
        self,
        path: str,
        value: str,
        is_secret: bool | None = None,
        description: str | None = None,
        *,
        keep_secret: bool = False,
    ) -> None:
        if not isinstance(value, str):
            raise WorkspaceError(
                f"variable {path}: a variable holds a string, not {type(value).__name__}"
            )
        bad = surrogate_at(value)
        if bad is not None:
            raise WorkspaceError(f"variable {path}: {describe_surrogate(value, bad)} (at {bad})")
        with self.transaction(write=True) as cur:
            row = self._in_workspace(
                cur,
                "SELECT is_secret, description FROM connectors_variable "
                "WHERE workspace = ? AND path = ?",
                path,
            ).fetchone()
            keep = is_secret is None or keep_secret
            secret = bool(row[0]) if keep and row else bool(is_secret)
            text = description if description is not None else (row[1] if row else "")
            stored = self.cipher(cur).encrypt(value, f"variable:{path}") if secret else value
            self._in_workspace(
                cur,
                "INSERT INTO connectors_variable (workspace, path, value, is_secret, description, "
                "edited_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workspace, path) DO UPDATE SET "
                "value = excluded.value, is_secret = excluded.is_secret, "
                "description = excluded.description, edited_at = excluded.edited_at",
                path,
                stored,
                int(secret),
                text,
                _now(),
            )

    def delete_variable(self, path: str) -> bool:
        with self.transaction(write=True) as cur:
            return bool(
                self._in_workspace(
                    cur, "DELETE FROM connectors_variable WHERE workspace = ? AND path = ?", path
                ).rowcount
            )

    def list_variables(self) -> list[StoredVariable]:
        with self.transaction() as cur:
            rows = self._in_workspace(
                cur,
                "SELECT path, value, is_secret, description, edited_at FROM connectors_variable "
                "WHERE workspace = ? ORDER BY path",
            ).fetchall()
            return [
                StoredVariable(
                    r[0],
                    self._open_variable(cur, r[0], r[1], r[2]),
                    bool(r[2]),
                    r[3],
                    r[4],
                )
                for r in rows
            ]

    # --- flow user state -------------------------------------------------------------------------
    def get_flow_user_state(self, key: str) -> Any:
        with self.transaction() as cur:
            row = self._in_workspace(
                cur,
                "SELECT value FROM connectors_flow_user_state WHERE workspace = ? AND run_id = ? "
                "AND key = ?",
                flow_run_id(),
                key,
            ).fetchone()
            return None if row is None else json.loads(row[0])

    def set_flow_user_state(self, key: str, value: Any) -> None:
        text = json.dumps(value, ensure_ascii=False)
        with self.transaction(write=True) as cur:
            self._in_workspace(
                cur,
                "INSERT INTO connectors_flow_user_state (workspace, run_id, key, value, edited_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (workspace, run_id, key) DO UPDATE SET "
                "value = excluded.value, edited_at = excluded.edited_at",
                flow_run_id(),
                key,
                text,
                _now(),
            )

    # --- administration --------------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        with self.transaction() as cur:
            counts = {
                name: int(self._in_workspace(cur, f"SELECT COUNT(*) FROM {where}").fetchone()[0])
                for name, where in _COUNTS
            }
            key_id = self._meta(cur, "key_id")
        return {
            "store": self.kind,
            "workspace": self.workspace,
            "location": self.location,
            "key_source": key_source(self.key_file).description,
            "key_file": str(self.key_file),
            "key_file_exists": self.key_file.exists(),
            "key_id": key_id,
            **counts,
        }
