"""The SQL stores' database layer: the tables, statements scoped to a workspace, and its key.

Tables (one set per database; the ``workspace`` column lets one PostgreSQL database hold
several workspaces): ``connectors_meta``, ``connectors_resource``, ``connectors_variable``,
``connectors_flow_user_state``. Values are JSON text. Secret variables, and every string of a
resource value that holds a secret of its type (``secrets_of``: the schema's secret fields, or
secret-looking keys for ``any``/``state``), are stored as AES-GCM ciphertext (see sealing.py).
"""

from __future__ import annotations

import json
from abc import abstractmethod
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from connectors.redact import looks_secret, redact_value
from connectors.workspace import crypto, sealing
from connectors.workspace.keys import key_source
from connectors.workspace.store import Store

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


class SqlDatabase(Store):
    """The tables and the workspace key; subclasses supply connection, transactions, location."""

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
        with self.transaction(write=True) as cur:
            return self.cipher(cur).encrypt(text, label)

    def open_secret(self, token: str, label: str) -> str:
        """A ``seal_secret`` ciphertext decrypted (for import files)."""
        with self.transaction(write=True) as cur:
            return self.cipher(cur).decrypt(token, label)

    def _seal_value(self, cur: Any, path: str, resource_type: str, value: Any) -> str:
        secrets = sealing.secrets_in(resource_type, value)
        shown = redact_value(resource_type, value)  # what display masks is sealed too
        if secrets or shown != value or sealing.any_string(value, looks_secret):
            value = sealing.seal(value, secrets, self.cipher(cur), f"resource:{path}", shown)
        return json.dumps(value, ensure_ascii=False)

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
        with self.transaction(write=True) as cur:
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
