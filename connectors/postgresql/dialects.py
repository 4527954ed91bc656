"""What other tools put in a PostgreSQL URL, read into libpq terms.

Django and SQLAlchemy projects keep PostgreSQL-protocol databases in ``DATABASE_URL`` under their
own scheme names (dj-database-url, django-environ: ``postgis``, ``pgsql``, ``redshift``,
``cockroach``, ``timescale``; SQLAlchemy: ``cockroachdb``, ``redshift+psycopg2``). Prisma, pgjdbc,
django-environ and asyncpg add query parameters libpq does not know: those with a libpq
equivalent are translated (``currentSchema`` becomes ``options=-c search_path=...``), the others
are kept aside in ``driver_parameters`` and never sent to the server.
"""

from __future__ import annotations

import re

from connectors.postgresql.keywords import KEYWORDS

#: scheme alias -> (provider, what the note says it is)
SCHEME_ALIASES: dict[str, tuple[str | None, str]] = {
    "pgsql": (None, "the pgsql scheme of dj-database-url (plain PostgreSQL)"),
    "postgis": (None, "the postgis scheme of Django (PostgreSQL with the PostGIS extension)"),
    "timescale": ("timescale", "the timescale scheme of dj-database-url (TimescaleDB)"),
    "timescalegis": ("timescale", "the timescalegis scheme of dj-database-url (TimescaleDB)"),
    "cockroach": ("cockroachdb", "the cockroach scheme of dj-database-url (CockroachDB)"),
    "cockroachdb": ("cockroachdb", "the cockroachdb scheme of SQLAlchemy (CockroachDB)"),
    "redshift": ("redshift", "the redshift scheme of Django and SQLAlchemy (Amazon Redshift)"),
}
ALIAS_URL = re.compile(r"(" + "|".join(SCHEME_ALIASES) + r")(?:\+([A-Za-z0-9_]+))?://")

#: driver parameter -> libpq keyword, with the value as libpq wants it
_SSL = {"true": "require", "1": "require", "false": "disable", "0": "disable"}
_TARGETS = {
    "any": "any",
    "primary": "primary",
    "master": "primary",
    "secondary": "standby",
    "slave": "standby",
    "preferSecondary": "prefer-standby",
    "preferSlave": "prefer-standby",
}
RENAMED = {
    "ApplicationName": "application_name",
    "connectTimeout": "connect_timeout",
    "loginTimeout": "connect_timeout",
    "gssEncMode": "gssencmode",
    "channelBinding": "channel_binding",
    "kerberosServerName": "krbsrvname",
}
#: parameters of other drivers with no libpq equivalent, kept aside as known (any other
#: unknown name is kept aside too, unless it is one typo away from a libpq keyword)
DRIVER_ONLY = frozenset(
    {
        # Prisma (prisma.io/docs, "PostgreSQL connection URL arguments")
        "pgbouncer",
        "connection_limit",
        "pool_timeout",
        "socket_timeout",
        "statement_cache_size",
        "schema",
        "sslaccept",
        "sslidentity",
        # pgjdbc
        "prepareThreshold",
        "preparedStatementCacheQueries",
        "defaultRowFetchSize",
        "sslfactory",
        "socketTimeout",
        "reWriteBatchedInserts",
        "stringtype",
        "binaryTransfer",
        "autosave",
        # django-environ (Django settings in the query)
        "CONN_MAX_AGE",
        "CONN_HEALTH_CHECKS",
        "ATOMIC_REQUESTS",
        "AUTOCOMMIT",
        "DISABLE_SERVER_SIDE_CURSORS",
        # asyncpg / SQLAlchemy
        "command_timeout",
        "prepared_statement_cache_size",
        "server_settings",
    }
)


def translate(name: str, value: str, params: dict[str, str]) -> bool:
    """Put a driver parameter with a libpq equivalent into ``params``; False when it has none."""
    if name == "ssl":
        mode = _SSL.get(value.lower(), value.lower())
        if mode not in ("disable", "allow", "prefer", "require", "verify-ca", "verify-full"):
            return False
        params.setdefault("sslmode", mode)
    elif name == "currentSchema":
        extra = f"-c search_path={value}"
        params["options"] = f"{params['options']} {extra}" if params.get("options") else extra
    elif name == "loadBalanceHosts":
        params["load_balance_hosts"] = "random" if value.lower() == "true" else "disable"
    elif name == "targetServerType" and value in _TARGETS:
        params["target_session_attrs"] = _TARGETS[value]
    elif name == "tcpKeepAlive":
        params["keepalives"] = "1" if value.lower() == "true" else "0"
    elif name in RENAMED:
        params[RENAMED[name]] = value
    else:
        return False
    return True


def near_keyword(name: str) -> str | None:
    """The libpq keyword ``name`` is one typo away from (``uzer`` -> ``user``), if any."""
    if name in DRIVER_ONLY or len(name) < 3:
        return None
    lowered = name.lower().replace("-", "_")
    for keyword in sorted(KEYWORDS):
        if lowered == keyword or _one_edit(lowered, keyword):
            return keyword
    return None


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one insertion, deletion, substitution or swap."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (
            a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]
        )
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1 :] == shorter[i:]


def aside_note(names: list[str]) -> str:
    """The note for parameters kept aside."""
    note = (
        f"kept aside in driver_parameters (not libpq parameters, never sent to the server): "
        f"{', '.join(names)}"
    )
    if "pgbouncer" in names:
        note += "; pgbouncer=true is Prisma's flag for a transaction pooler: connect turns "
        note += "prepared statements off"
    return note
