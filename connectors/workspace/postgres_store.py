"""The team store: the same tables in a PostgreSQL database, shared across machines.

Selected by ``CONNECTORS_WORKSPACE_URL`` (or ``{"url": ...}`` in the workspace settings file):
any string the postgresql connector parses (URL or keyword/value, Supabase and Neon poolers
included). The connection is the connector's own (``connectors.connect``), so its rules apply:
the default connect timeout, the root certificate, and no prepared statements behind a
transaction pooler. The tables are created on first use (under an advisory lock, so two
machines starting at once do not collide). A read-modify-write (``update_state``) holds a
transaction-scoped advisory lock on the path, which a transaction pooler keeps. Secrets are
encrypted before they leave the machine with the workspace key, which every member of the team
needs a copy of (same path, ``CONNECTORS_WORKSPACE_KEY_FILE``, the environment or the keyring).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from connectors.errors import ConnectorsError, WorkspaceError
from connectors.resource import Resource
from connectors.workspace.sql_store import SqlStore

_SCHEMA_LOCK = 7_301_001  # advisory lock key for creating the tables


def workspace_database(target: str | dict[str, Any]) -> Resource:
    """The postgresql resource of a connection string or of a resource value."""
    from connectors.api import parse, validate

    try:
        if isinstance(target, str):
            return parse(target, type="postgresql")
        return Resource("postgresql", validate("postgresql", target))
    except (ValueError, ConnectorsError) as exc:  # ParseError, ValidationError: no secret
        raise WorkspaceError(
            f"the workspace database is not a PostgreSQL resource: {exc}"
        ) from None


class PostgresStore(SqlStore):
    kind = "postgresql"

    def __init__(self, target: str | dict[str, Any], *, workspace: str, key_file: Path) -> None:
        """``target``: a PostgreSQL connection string, or a postgresql resource value."""
        super().__init__(workspace=workspace, key_file=key_file)
        import psycopg

        from connectors.api import connect

        resource = workspace_database(target)
        value = resource.value
        self._where = f"{value.get('host', '')}:{value.get('port', '')}/{value.get('dbname', '')}"
        try:
            self._conn = connect(resource)
            self._conn.autocommit = True  # reads: one statement, one round trip
        except psycopg.Error as exc:
            from connectors.checks import describe
            from connectors.redact import redactor_for

            shown = redactor_for("postgresql", value)(describe(exc))
            raise WorkspaceError(f"cannot connect to the workspace database: {shown}") from None
        self._reader = self._conn
        if not self._has_tables():  # a read-only database holding them is opened for reading
            with self.transaction() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                self._create_tables(cur)

    def _has_tables(self) -> bool:
        import psycopg

        try:
            return self._meta(self._reader, "schema_version") is not None
        except psycopg.errors.UndefinedTable:
            return False

    @property
    def location(self) -> str:
        return f"postgresql://{self._where}"

    def _execute(self, cur: Any, sql: str, params: tuple[Any, ...] = ()) -> Any:
        return cur.execute(sql.replace("?", "%s"), params)

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        import psycopg

        try:
            with self._conn.transaction(), self._conn.cursor() as cur:
                yield cur
        except psycopg.Error as exc:
            from connectors.checks import describe
            from connectors.redact import redact_text

            shown = redact_text(describe(exc))
            raise WorkspaceError(
                f"workspace database {self.location}: {shown}: nothing was written"
            ) from None

    def lock_path(self, cur: Any, path: str) -> None:
        cur.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"{self.workspace}\n{path}",)
        )

    def close(self) -> None:
        self._conn.close()
