"""The SQL store shared by SQLite and PostgreSQL: tables, encryption, atomic updates.

Tables (one set per database; the ``workspace`` column lets one PostgreSQL database hold
several workspaces): ``connectors_meta``, ``connectors_resource``, ``connectors_variable``,
``connectors_flow_user_state``. Values are JSON text. Secret variables, and every string of a
resource value that holds a secret of its type (``secrets_of``: the schema's secret fields, or
secret-looking keys for ``any``/``state``), are stored as AES-GCM ciphertext (see crypto.py).
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

from connectors.errors import WorkspaceError
from connectors.workspace import crypto
from connectors.workspace.store import (
    Store,
    StoredResource,
    StoredVariable,
    check_value,
)

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
    """Shared SQL logic; subclasses supply the connection, transactions and a location."""

    def __init__(self, *, workspace: str, key_file: Path) -> None:
        self.workspace = workspace
        self.key_file = key_file
        self._cipher: crypto.Cipher | None = None

    # --- dialect hooks -------------------------------------------------------------------------
    @abstractmethod
    def transaction(self, write: bool = False) -> AbstractContextManager[Any]:
        """A context manager yielding a cursor-like object with ``execute(sql, params)``;
        commits on success, rolls back on error. ``write`` takes the write lock at once."""

    def lock_path(self, cur: Any, path: str) -> None:
        """Serialise read-modify-write of one path (PostgreSQL: an advisory lock)."""

    @property
    @abstractmethod
    def location(self) -> str: ...

    def _q(self, cur: Any, sql: str, params: tuple[Any, ...] = ()) -> Any:
        return cur.execute(sql, params)

    # --- keys ----------------------------------------------------------------------------------
    def _meta(self, cur: Any, key: str) -> str | None:
        row = self._q(
            cur,
            "SELECT value FROM connectors_meta WHERE workspace = ? AND key = ?",
            (self.workspace, key),
        ).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, cur: Any, key: str, value: str) -> None:
        self._q(
            cur,
            "INSERT INTO connectors_meta (workspace, key, value) VALUES (?, ?, ?) "
            "ON CONFLICT (workspace, key) DO UPDATE SET value = excluded.value",
            (self.workspace, key, value),
        )

    def cipher(self, cur: Any) -> crypto.Cipher:
        """The workspace key, created on first use; a key that does not match is refused."""
        if self._cipher is not None:
            return self._cipher
        expected = self._meta(cur, "key_id")
        pending = self.key_file.with_name(self.key_file.name + ".new")
        if expected and pending.exists():
            # A rotate-key committed but was interrupted before renaming the new key file.
            new = crypto.read_key_file(pending)
            if crypto.key_id(new) == expected:
                os.replace(pending, self.key_file)
            else:  # a rotation that never committed
                pending.unlink(missing_ok=True)
        if not self.key_file.exists():
            if expected:
                raise WorkspaceError(
                    f"workspace key file {self.key_file} is missing but this workspace holds "
                    f"secrets encrypted with key {expected}; copy that key file here "
                    "(or point CONNECTORS_WORKSPACE_KEY_FILE at it)"
                )
            crypto.create_key_file(self.key_file, crypto.new_key())
        key = crypto.read_key_file(self.key_file)
        kid = crypto.key_id(key)
        if expected is None:
            self._q(
                cur,
                "INSERT INTO connectors_meta (workspace, key, value) VALUES (?, 'key_id', ?) "
                "ON CONFLICT (workspace, key) DO NOTHING",
                (self.workspace, kid),
            )
            expected = self._meta(cur, "key_id")
        if expected != kid:
            raise WorkspaceError(
                f"workspace key file {self.key_file} holds key {kid} but this workspace's "
                f"secrets are encrypted with key {expected}"
            )
        self._cipher = crypto.Cipher(key)
        return self._cipher

    def seal_secret(self, text: str, label: str) -> str:
        """``text`` encrypted with the workspace key (for export files)."""
        with self.transaction(write=True) as cur:
            return self.cipher(cur).encrypt(text, label)

    def open_secret(self, token: str, label: str) -> str:
        """A ``seal_secret`` ciphertext decrypted (for import files)."""
        with self.transaction(write=True) as cur:
            return self.cipher(cur).decrypt(token, label)

    # --- value encryption ------------------------------------------------------------------------
    def _seal_value(self, cur: Any, path: str, resource_type: str, value: Any) -> str:
        from connectors.redact import secrets_of

        secrets = [s for s in secrets_of(resource_type, value) if isinstance(s, str) and s]
        if not secrets:
            return json.dumps(value, ensure_ascii=False)
        cipher = self.cipher(cur)
        label = f"resource:{path}"

        def seal(item: Any) -> Any:
            if isinstance(item, dict):
                return {k: seal(v) for k, v in item.items()}
            if isinstance(item, list):
                return [seal(v) for v in item]
            if isinstance(item, str) and holds_secret(item, secrets):
                return cipher.encrypt(item, label)
            return item

        return json.dumps(seal(value), ensure_ascii=False)

    def _open_value(self, cur: Any, path: str, text: str) -> Any:
        value = json.loads(text)
        if crypto.PREFIX not in text:
            return value
        cipher = self.cipher(cur)
        label = f"resource:{path}"

        def unseal(item: Any) -> Any:
            if isinstance(item, dict):
                return {k: unseal(v) for k, v in item.items()}
            if isinstance(item, list):
                return [unseal(v) for v in item]
            if crypto.is_encrypted(item):
                return cipher.decrypt(item, label)
            return item

        return unseal(value)

    # --- resources -------------------------------------------------------------------------------
    def get_resource(self, path: str) -> StoredResource | None:
        with self.transaction() as cur:
            return self._read_resource(cur, path)

    def _read_resource(self, cur: Any, path: str) -> StoredResource | None:
        row = self._q(
            cur,
            "SELECT resource_type, value, description, edited_at FROM connectors_resource "
            "WHERE workspace = ? AND path = ?",
            (self.workspace, path),
        ).fetchone()
        if row is None:
            return None
        return StoredResource(path, row[0], self._open_value(cur, path, row[1]), row[2], row[3])

    def _write_resource(
        self, cur: Any, path: str, resource_type: str, value: Any, description: str | None
    ) -> None:
        sealed = self._seal_value(cur, path, resource_type, value)
        self._q(
            cur,
            "INSERT INTO connectors_resource (workspace, path, resource_type, value, description, "
            "edited_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workspace, path) DO UPDATE SET "
            "resource_type = excluded.resource_type, value = excluded.value, edited_at = "
            "excluded.edited_at"
            + (", description = excluded.description" if description is not None else ""),
            (self.workspace, path, resource_type, sealed, description or "", _now()),
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
            if keep_type:
                row = self._q(
                    cur,
                    "SELECT resource_type FROM connectors_resource "
                    "WHERE workspace = ? AND path = ?",
                    (self.workspace, path),
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
            gone = self._q(
                cur,
                "DELETE FROM connectors_resource WHERE workspace = ? AND path = ?",
                (self.workspace, path),
            ).rowcount
            self._q(
                cur,
                "DELETE FROM connectors_variable WHERE workspace = ? AND path = ?",
                (self.workspace, path),
            )
            return bool(gone)

    def list_resources(
        self,
        resource_types: list[str] | None = None,
        page: int | None = None,
        per_page: int | None = None,
    ) -> list[StoredResource]:
        sql = (
            "SELECT path, resource_type, value, description, edited_at FROM connectors_resource "
            "WHERE workspace = ?"
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
            rows = self._q(cur, sql, tuple(params)).fetchall()
            return [
                StoredResource(r[0], r[1], self._open_value(cur, r[0], r[2]), r[3], r[4])
                for r in rows
            ]

    # --- variables -------------------------------------------------------------------------------
    def get_variable(self, path: str) -> StoredVariable | None:
        with self.transaction() as cur:
            row = self._q(
                cur,
                "SELECT value, is_secret, description, edited_at FROM connectors_variable "
                "WHERE workspace = ? AND path = ?",
                (self.workspace, path),
            ).fetchone()
            if row is None:
                return None
            value = self.cipher(cur).decrypt(row[0], f"variable:{path}") if row[1] else row[0]
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
        with self.transaction(write=True) as cur:
            row = self._q(
                cur,
                "SELECT is_secret, description FROM connectors_variable "
                "WHERE workspace = ? AND path = ?",
                (self.workspace, path),
            ).fetchone()
            keep = is_secret is None or keep_secret
            secret = bool(row[0]) if keep and row else bool(is_secret)
            text = description if description is not None else (row[1] if row else "")
            stored = self.cipher(cur).encrypt(value, f"variable:{path}") if secret else value
            self._q(
                cur,
                "INSERT INTO connectors_variable (workspace, path, value, is_secret, description, "
                "edited_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workspace, path) DO UPDATE SET "
                "value = excluded.value, is_secret = excluded.is_secret, "
                "description = excluded.description, edited_at = excluded.edited_at",
                (self.workspace, path, stored, int(secret), text, _now()),
            )

    def delete_variable(self, path: str) -> bool:
        with self.transaction(write=True) as cur:
            return bool(
                self._q(
                    cur,
                    "DELETE FROM connectors_variable WHERE workspace = ? AND path = ?",
                    (self.workspace, path),
                ).rowcount
            )

    def list_variables(self) -> list[StoredVariable]:
        with self.transaction() as cur:
            rows = self._q(
                cur,
                "SELECT path, value, is_secret, description, edited_at FROM connectors_variable "
                "WHERE workspace = ? ORDER BY path",
                (self.workspace,),
            ).fetchall()
            return [
                StoredVariable(
                    r[0],
                    self.cipher(cur).decrypt(r[1], f"variable:{r[0]}") if r[2] else r[1],
                    bool(r[2]),
                    r[3],
                    r[4],
                )
                for r in rows
            ]

    # --- flow user state -------------------------------------------------------------------------
    def get_flow_user_state(self, key: str) -> Any:
        with self.transaction() as cur:
            row = self._q(
                cur,
                "SELECT value FROM connectors_flow_user_state WHERE workspace = ? AND run_id = ? "
                "AND key = ?",
                (self.workspace, flow_run_id(), key),
            ).fetchone()
            return None if row is None else json.loads(row[0])

    def set_flow_user_state(self, key: str, value: Any) -> None:
        text = json.dumps(value, ensure_ascii=False)
        with self.transaction(write=True) as cur:
            self._q(
                cur,
                "INSERT INTO connectors_flow_user_state (workspace, run_id, key, value, edited_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (workspace, run_id, key) DO UPDATE SET "
                "value = excluded.value, edited_at = excluded.edited_at",
                (self.workspace, flow_run_id(), key, text, _now()),
            )

    # --- administration --------------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        with self.transaction() as cur:
            counts = {}
            for name, sql in (
                (
                    "resources",
                    "SELECT COUNT(*) FROM connectors_resource WHERE workspace = ? "
                    "AND resource_type <> 'state'",
                ),
                (
                    "states",
                    "SELECT COUNT(*) FROM connectors_resource WHERE workspace = ? "
                    "AND resource_type = 'state'",
                ),
                ("variables", "SELECT COUNT(*) FROM connectors_variable WHERE workspace = ?"),
                (
                    "secret_variables",
                    "SELECT COUNT(*) FROM connectors_variable "
                    "WHERE workspace = ? AND is_secret = 1",
                ),
            ):
                counts[name] = int(self._q(cur, sql, (self.workspace,)).fetchone()[0])
            key_id = self._meta(cur, "key_id")
        return {
            "store": self.kind,
            "workspace": self.workspace,
            "location": self.location,
            "key_file": str(self.key_file),
            "key_file_exists": self.key_file.exists(),
            "key_id": key_id,
            **counts,
        }

    def rotate_key(self) -> int:
        """Re-encrypt every secret with a new key in one transaction; returns how many values.

        The new key is written to ``<key>.new`` first, the transaction commits, then the file is
        renamed over the old key; an interruption between the two is finished on next open.
        """
        new_key = crypto.new_key()
        pending = self.key_file.with_name(self.key_file.name + ".new")
        count = 0
        with self.transaction(write=True) as cur:
            old = self.cipher(cur)
            new = crypto.Cipher(new_key)
            rows = self._q(
                cur,
                "SELECT path, value FROM connectors_resource WHERE workspace = ?",
                (self.workspace,),
            ).fetchall()
            for path, text in rows:
                if crypto.PREFIX in text:
                    value = _map_strings(json.loads(text), _reencrypt(old, new, f"resource:{path}"))
                    self._q(
                        cur,
                        "UPDATE connectors_resource SET value = ? WHERE workspace = ? AND path = ?",
                        (json.dumps(value, ensure_ascii=False), self.workspace, path),
                    )
                    count += 1
            rows = self._q(
                cur,
                "SELECT path, value FROM connectors_variable WHERE workspace = ? AND is_secret = 1",
                (self.workspace,),
            ).fetchall()
            for path, text in rows:
                label = f"variable:{path}"
                self._q(
                    cur,
                    "UPDATE connectors_variable SET value = ? WHERE workspace = ? AND path = ?",
                    (new.encrypt(old.decrypt(text, label), label), self.workspace, path),
                )
                count += 1
            crypto.write_key_file(pending, new_key)
            self._set_meta(cur, "key_id", new.key_id)
        os.replace(pending, self.key_file)
        self._cipher = new
        return count


def holds_secret(text: str, secrets: list[str]) -> bool:
    if text.startswith(("$var:", "$res:")):
        return False
    return any(text == s or (len(s) >= 4 and s in text) for s in secrets)


def _reencrypt(old: crypto.Cipher, new: crypto.Cipher, label: str) -> Callable[[str], str]:
    def convert(text: str) -> str:
        return new.encrypt(old.decrypt(text, label), label) if crypto.is_encrypted(text) else text

    return convert


def _map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(value, dict):
        return {k: _map_strings(v, fn) for k, v in value.items()}
    if isinstance(value, list):
        return [_map_strings(v, fn) for v in value]
    if isinstance(value, str):
        return fn(value)
    return value
