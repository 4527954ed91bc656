"""The embedded store: one SQLite file per workspace, WAL, safe for several processes.

Every connection sets ``journal_mode=WAL`` (readers never block the writer), ``busy_timeout``
(30 s; a writer waits for another instead of failing), ``secure_delete`` and
``synchronous=NORMAL`` (a process
killed at any point leaves the last committed state; WAL keeps the file consistent). Writes use
``BEGIN IMMEDIATE``, which takes the write lock before reading, so a read-modify-write
(``update_state``) in one process cannot interleave with another's.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from types import TracebackType

from connectors.errors import WorkspaceError
from connectors.workspace.sql_store import SqlStore

BUSY_TIMEOUT_MS = 30_000


class SqliteStore(SqlStore):
    kind = "sqlite"

    def __init__(self, database: Path, *, workspace: str, key_file: Path) -> None:
        super().__init__(workspace=workspace, key_file=key_file)
        self.database = database
        try:
            database.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not database.exists():
                # Owner-only from the start (SQLite gives the -wal/-shm files the same mode).
                os.close(os.open(database, os.O_WRONLY | os.O_CREAT, 0o600))
        except OSError as exc:
            raise WorkspaceError(
                f"cannot create workspace database {database}: {exc.strerror or exc}"
            ) from None
        opened: sqlite3.Connection | None = None
        try:
            self._conn = opened = sqlite3.connect(
                database,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            self._reader = self._conn  # reads run in autocommit: each sees one committed snapshot
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            # Deleted or replaced rows are overwritten, so an old value (a secret stored before
            # it was marked secret, a ciphertext under a rotated key) does not linger in free pages.
            self._conn.execute("PRAGMA secure_delete = ON")
            with self.transaction() as cur:
                self._create_tables(cur)
        except (sqlite3.Error, WorkspaceError) as exc:
            if opened is not None:
                opened.close()  # no file left open (a read-only mount stays busy)
            if isinstance(exc, WorkspaceError):
                raise
            raise WorkspaceError(f"cannot open {self._explain(exc)}") from None

    @property
    def location(self) -> str:
        return str(self.database)

    def transaction(self) -> _WriteTransaction:
        return _WriteTransaction(self)

    def _writable(self) -> bool:
        """Whether the database's directory takes writes (SQLite makes its -wal file there)."""
        folder = self.database.parent
        try:
            return os.access(folder, os.W_OK) and not os.statvfs(folder).f_flag & os.ST_RDONLY
        except OSError:
            return False

    def _explain(self, exc: sqlite3.Error) -> str:
        """What a SQLite error means for the user, naming the database."""
        text, where = str(exc), f"workspace database {self.database}"
        if "readonly" in text or "read-only" in text or not self._writable():
            return f"{where} is read-only ({text}): nothing was written"
        if "full" in text:
            return f"no space left for {where} ({text}): nothing was written"
        if "disk I/O error" in text:
            return f"{where}: the disk refused a write ({text}): nothing was written"
        return f"workspace database {self.database}: {text}"

    def rotate_key(self) -> int:
        count = super().rotate_key()
        # Push the rewritten pages into the main file and empty the WAL of the old ones.
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return count

    def close(self) -> None:
        self._conn.close()


class _WriteTransaction:
    """``BEGIN IMMEDIATE`` (the write lock at once) ... ``COMMIT``, or ``ROLLBACK`` on error; a
    SQLite error becomes a WorkspaceError that says what it means (read-only, full disk)."""

    __slots__ = ("_conn", "_store")

    def __init__(self, store: SqliteStore) -> None:
        self._store = store
        self._conn = store._conn

    def __enter__(self) -> sqlite3.Connection:
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if self._store._writable():
                raise WorkspaceError(
                    f"workspace database {self._store.database} is busy: {exc}"
                ) from None
            raise WorkspaceError(self._store._explain(exc)) from None
        return self._conn

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        conn = self._conn
        try:
            if kind is None:
                conn.execute("COMMIT")
                return
        except sqlite3.Error as failed:
            exc = failed
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise WorkspaceError(self._store._explain(exc)) from None
