"""The team store: the same tables in a PostgreSQL database, shared across machines.

Selected by ``CONNECTORS_WORKSPACE_URL=postgresql://...`` (or ``{"url": ...}`` in the workspace
settings file). The tables are created on first use (under an advisory lock, so two machines
starting at once do not collide). A read-modify-write (``update_state``) holds a transaction-
scoped advisory lock on the path. Secrets are encrypted before they leave the machine with the
workspace key file, which every member of the team needs a copy of (same path, or
``CONNECTORS_WORKSPACE_KEY_FILE``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from connectors.errors import WorkspaceError
from connectors.redact import redact_text
from connectors.workspace.sql_store import SqlStore

_SCHEMA_LOCK = 7_301_001  # advisory lock key for creating the tables


def _conninfo_kwargs(target: str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(target, str):
        return {"conninfo": target}
    keys = ("host", "port", "user", "password", "dbname", "sslmode")
    return {k: target[k] for k in keys if target.get(k) not in (None, "")}


class PostgresStore(SqlStore):
    kind = "postgresql"

    def __init__(self, target: str | dict[str, Any], *, workspace: str, key_file: Path) -> None:
        """``target``: a libpq URL/conninfo, or a postgresql resource value (host, port, ...)."""
        super().__init__(workspace=workspace, key_file=key_file)
        import psycopg

        kwargs = _conninfo_kwargs(target)
        self._where = (
            f"{kwargs.get('host', '')}:{kwargs.get('port', '')}/{kwargs.get('dbname', '')}"
        )
        if "conninfo" in kwargs:
            from psycopg.conninfo import conninfo_to_dict

            parts = conninfo_to_dict(kwargs["conninfo"])
            self._where = (
                f"{parts.get('host', '')}:{parts.get('port', '')}/{parts.get('dbname', '')}"
            )
        try:
            self._conn = psycopg.connect(autocommit=True, connect_timeout=10, **kwargs)
        except psycopg.Error as exc:
            from connectors.checks import describe

            raise WorkspaceError(
                f"cannot connect to the workspace database: {redact_text(describe(exc))}"
            ) from None
        with self.transaction(write=True) as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            self._create_tables(cur)

    @property
    def location(self) -> str:
        return f"postgresql://{self._where}"

    def _execute(self, cur: Any, sql: str, params: tuple[Any, ...] = ()) -> Any:
        return cur.execute(sql.replace("?", "%s"), params)

    @contextmanager
    def transaction(self, write: bool = False) -> Iterator[Any]:
        if not write:
            # Reads are single statements in autocommit: one round trip, no BEGIN/COMMIT.
            with self._conn.cursor() as cur:
                yield cur
            return
        with self._conn.transaction(), self._conn.cursor() as cur:
            yield cur

    def lock_path(self, cur: Any, path: str) -> None:
        cur.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"{self.workspace}\n{path}",)
        )

    def close(self) -> None:
        self._conn.close()
