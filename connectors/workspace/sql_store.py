"""The workspace store on SQL (SQLite or PostgreSQL): resources, variables, flow user state.

Tables (one set per database; the ``workspace`` column lets one PostgreSQL database hold
several workspaces): ``connectors_meta``, ``connectors_resource``, ``connectors_variable``,
``connectors_flow_user_state``. Values are JSON text. Secret variables, and every string of a
resource value that display would mask (``sealing.py``: the type's secret fields, secret-looking
keys, secrets by their shape), are stored as AES-GCM ciphertext under the workspace key.
``sqlite_store.py`` and ``postgres_store.py`` supply the connection and transactions.
"""

from __future__ import annotations

import json
import os
import uuid
from abc import abstractmethod
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from connectors.errors import NotFoundError, WorkspaceError
from connectors.redact import looks_secret, may_hold_secret, redact_value
from connectors.text import describe_surrogate, surrogate_at
from connectors.workspace import crypto, references, sealing
from connectors.workspace.interface import (
    FREE_TYPES,
    Store,
    StoredResource,
    StoredVariable,
    checked_json,
)
from connectors.workspace.keys import key_source

SCHEMA_VERSION = "1"
DDL = (
    "CREATE TABLE IF NOT EXISTS connectors_meta (workspace TEXT NOT NULL, key TEXT NOT NULL, "
    "value TEXT NOT NULL, PRIMARY KEY (workspace, key))",
    "CREATE TABLE IF NOT EXISTS connectors_resource (workspace TEXT NOT NULL, path TEXT NOT NULL, "
    "resource_type TEXT NOT NULL, value TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', "
    "edited_at TEXT NOT NULL, PRIMARY KEY (workspace, path))",
    "CREATE TABLE IF NOT EXISTS connectors_variable (workspace TEXT NOT NULL, path TEXT NOT NULL, "
    "value TEXT NOT NULL, is_secret INTEGER NOT NULL, description TEXT NOT NULL DEFAULT '', "
    "edited_at TEXT NOT NULL, PRIMARY KEY (workspace, path))",
    "CREATE TABLE IF NOT EXISTS connectors_flow_user_state (workspace TEXT NOT NULL, "
    "run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, edited_at TEXT NOT NULL, "
    "PRIMARY KEY (workspace, run_id, key))",
)


# What ``info`` counts: (name, table and condition).
_COUNTS = (
    ("resources", "connectors_resource WHERE workspace = ? AND resource_type <> 'state'"),
    ("states", "connectors_resource WHERE workspace = ? AND resource_type = 'state'"),
    ("variables", "connectors_variable WHERE workspace = ?"),
    ("secret_variables", "connectors_variable WHERE workspace = ? AND is_secret = 1"),
)
# The resource upsert by (description given, same type only): an existing description is
# kept unless one is given; "same type only" leaves a resource of another type alone.
_UPSERT_RESOURCE = {
    (described, same_type): (
        "INSERT INTO connectors_resource (workspace, path, resource_type, value, description, "
        "edited_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workspace, path) DO UPDATE SET "
        "resource_type = excluded.resource_type, value = excluded.value, "
        "edited_at = excluded.edited_at"
        + (", description = excluded.description" if described else "")
        + (" WHERE connectors_resource.resource_type = excluded.resource_type" if same_type else "")
    )
    for described in (False, True)
    for same_type in (False, True)
}
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


class SqlStore(Store):
    """The Store interface over the SQL tables; subclasses supply connection and transactions.

    ``_reader`` is the connection reads run on, in autocommit: one statement, one snapshot.
    """

    _reader: Any

    def __init__(self, *, workspace: str, key_file: Path) -> None:
        self.workspace = workspace
        self.key_file = key_file
        self._cipher: crypto.Cipher | None = None

    # --- dialect hooks -------------------------------------------------------------------------
    @abstractmethod
    def transaction(self) -> AbstractContextManager[Any]:
        """A write transaction, its lock taken at once: a context manager yielding a cursor-like
        object with ``execute(sql, params)``; commits on success, rolls back on error."""

    def lock_path(self, cur: Any, path: str) -> None:
        """Serialise read-modify-write of one path (PostgreSQL: an advisory lock)."""

    @property
    @abstractmethod
    def location(self) -> str: ...

    def _execute(self, cur: Any, sql: str, params: tuple[Any, ...] = ()) -> Any:
        """Run ``sql`` written with ``?`` placeholders (PostgreSQL translates them)."""
        return cur.execute(sql, params)

    def _in_workspace(self, cur: Any, sql: str, *params: Any) -> Any:
        """Run ``sql`` whose first placeholder is this workspace (every row is scoped by it)."""
        return self._execute(cur, sql, (self.workspace, *params))

    def _create_tables(self, cur: Any) -> None:
        """The tables (when missing) and this workspace's schema version."""
        for statement in DDL:
            cur.execute(statement)
        self._in_workspace(
            cur,
            "INSERT INTO connectors_meta (workspace, key, value) VALUES (?, 'schema_version', ?) "
            "ON CONFLICT (workspace, key) DO NOTHING",
            SCHEMA_VERSION,
        )

    # --- keys and sealed values (see sealing.py) ------------------------------------------------
    def _meta(self, cur: Any, key: str) -> str | None:
        row = self._in_workspace(
            cur, "SELECT value FROM connectors_meta WHERE workspace = ? AND key = ?", key
        ).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, cur: Any, key: str, value: str) -> None:
        self._in_workspace(
            cur,
            "INSERT INTO connectors_meta (workspace, key, value) VALUES (?, ?, ?) "
            "ON CONFLICT (workspace, key) DO UPDATE SET value = excluded.value",
            key,
            value,
        )

    def cipher(self, cur: Any) -> crypto.Cipher:
        """The workspace key, created on first use; a key that does not match is refused."""
        if self._cipher is None:
            expected = self._meta(cur, "key_id")
            source = key_source(self.key_file)
            key = sealing.load_key(source, expected)
            if expected is None:
                # Another process may record its first key at the same moment: whichever
                # insert lands first wins, and the loser's key is refused below.
                self._in_workspace(
                    cur,
                    "INSERT INTO connectors_meta (workspace, key, value) VALUES (?, 'key_id', ?) "
                    "ON CONFLICT (workspace, key) DO NOTHING",
                    crypto.key_id(key),
                )
                expected = self._meta(cur, "key_id")
            self._cipher = sealing.checked_cipher(key, expected, source)
        return self._cipher

    def seal_secret(self, text: str, label: str) -> str:
        """``text`` encrypted with the workspace key (for export files)."""
        with self.transaction() as cur:
            return self.cipher(cur).encrypt(text, label)

    def open_secret(self, token: str, label: str) -> str:
        """A ``seal_secret`` ciphertext decrypted (for import files)."""
        with self.transaction() as cur:
            return self.cipher(cur).decrypt(token, label)

    def _seal_value(self, cur: Any, path: str, resource_type: str, value: Any, text: str) -> str:
        """``text`` (the JSON of ``value``) with every string display would mask encrypted."""
        if resource_type in FREE_TYPES and not may_hold_secret(text):
            return text  # the usual state: no secret-looking key or string, nothing to walk
        secrets = sealing.secrets_in(resource_type, value)
        shown = redact_value(resource_type, value)  # what display masks is sealed too
        if secrets or shown != value or sealing.any_string(value, looks_secret):
            value = sealing.seal(value, secrets, self.cipher(cur), f"resource:{path}", shown)
            return json.dumps(value, ensure_ascii=False)
        return text

    def _open_value(self, cur: Any, path: str, text: str) -> Any:
        value = json.loads(text)
        if crypto.PREFIX not in text:
            return value
        return sealing.unseal(value, self.cipher(cur), f"resource:{path}")

    def _open_variable(self, cur: Any, path: str, text: str, is_secret: bool) -> str:
        return self.cipher(cur).decrypt(text, f"variable:{path}") if is_secret else text

    def rotate_key(self) -> int:
        """Re-encrypt every secret with a new key in one transaction; returns how many values.

        The new key is written to ``<key>.new`` first, the transaction commits, then the file is
        renamed over the old key; an interruption between the two is finished on next open.
        """
        new_key = crypto.new_key()
        source = key_source(self.key_file)
        with self.transaction() as cur:
            old, new = self.cipher(cur), crypto.Cipher(new_key)
            count = self._reseal_resources(cur, old, new) + self._reseal_variables(cur, old, new)
            source.write_pending(new_key)
            self._set_meta(cur, "key_id", new.key_id)
        source.commit_pending()
        self._cipher = new
        return count

    def _reseal_resources(self, cur: Any, old: crypto.Cipher, new: crypto.Cipher) -> int:
        rows = self._in_workspace(
            cur, "SELECT path, value FROM connectors_resource WHERE workspace = ?"
        ).fetchall()
        sealed = [(path, text) for path, text in rows if crypto.PREFIX in text]
        for path, text in sealed:
            value = sealing.reseal(json.loads(text), old, new, f"resource:{path}")
            self._execute(
                cur,
                "UPDATE connectors_resource SET value = ? WHERE workspace = ? AND path = ?",
                (json.dumps(value, ensure_ascii=False), self.workspace, path),
            )
        return len(sealed)

    def _reseal_variables(self, cur: Any, old: crypto.Cipher, new: crypto.Cipher) -> int:
        rows = self._in_workspace(
            cur, "SELECT path, value FROM connectors_variable WHERE workspace = ? AND is_secret = 1"
        ).fetchall()
        for path, text in rows:
            label = f"variable:{path}"
            self._execute(
                cur,
                "UPDATE connectors_variable SET value = ? WHERE workspace = ? AND path = ?",
                (new.encrypt(old.decrypt(text, label), label), self.workspace, path),
            )
        return len(rows)

    # --- resources -------------------------------------------------------------------------------
    def get_resource(self, path: str) -> StoredResource | None:
        return self._read_resource(self._reader, path)

    def get_resource_value(self, path: str, interpolated: bool = True) -> Any:
        """As ``Store.get_resource_value``; a value whose JSON has no ``$`` holds no reference,
        so it is not walked (a reference is never sealed, and ``json.dumps`` never escapes ``$``).
        """
        cur = self._reader
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
        checked: tuple[Any, str],
        description: str | None,
        *,
        same_type_only: bool = False,
    ) -> bool:
        """Insert or replace ``checked`` (``checked_json``'s value and text); with
        ``same_type_only`` an existing resource of another type is left alone. Whether a row
        was written."""
        sealed = self._seal_value(cur, path, resource_type, *checked)
        upsert = _UPSERT_RESOURCE[description is not None, same_type_only]
        written = self._in_workspace(
            cur, upsert, path, resource_type, sealed, description or "", _now()
        )
        return bool(written.rowcount)

    def put_resource(
        self,
        path: str,
        resource_type: str,
        value: Any,
        description: str | None = None,
        *,
        keep_type: bool = False,
    ) -> None:
        with self.transaction() as cur:
            if keep_type and resource_type in FREE_TYPES:
                # The usual case (set_state on a state): written unless the path holds another
                # type, without reading the type first; that other type is handled below.
                checked = checked_json(resource_type, value)
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
            self._write_resource(
                cur, path, resource_type, checked_json(resource_type, value), description
            )

    def update_resource(
        self, path: str, fn: Callable[[Any], Any], resource_type: str = "state"
    ) -> Any:
        with self.transaction() as cur:
            self.lock_path(cur, path)
            current = self._read_resource(cur, path)
            new = fn(None if current is None else current.value)
            kind = current.resource_type if current else resource_type
            checked = checked_json(kind, new)
            self._write_resource(cur, path, kind, checked, None)
            return checked[0]

    def delete_resource(self, path: str) -> bool:
        with self.transaction() as cur:
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
        cur = self._reader
        rows = self._execute(cur, sql, tuple(params)).fetchall()
        if not values:
            return [StoredResource(r[0], r[1], None, r[3], r[4]) for r in rows]
        return [
            StoredResource(r[0], r[1], self._open_value(cur, r[0], r[2]), r[3], r[4]) for r in rows
        ]

    # --- variables -------------------------------------------------------------------------------
    def get_variable(self, path: str) -> StoredVariable | None:
        cur = self._reader
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
        with self.transaction() as cur:
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
        with self.transaction() as cur:
            return bool(
                self._in_workspace(
                    cur, "DELETE FROM connectors_variable WHERE workspace = ? AND path = ?", path
                ).rowcount
            )

    def list_variables(self) -> list[StoredVariable]:
        cur = self._reader
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
        cur = self._reader
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
        with self.transaction() as cur:
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
        cur = self._reader
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
