"""Supabase and Neon: which provider, which connection mode, and the advice that follows.

Sources: Supabase "Connecting to Postgres" and Neon "Connect from any app" / "Connection
pooling" (reference: connstrings.md sections 1.6 and 1.7). Everything is derived from the value
alone, so parsing the rendered string of a resource gives the same provider and notes back.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

_SUPABASE_DIRECT = re.compile(r"db\.([a-z0-9]+)\.supabase\.co", re.IGNORECASE)
_SUPABASE_POOLER = re.compile(r"(?:[a-z0-9-]+\.)?pooler\.supabase\.com", re.IGNORECASE)
_NEON = re.compile(r"(ep-[a-z0-9-]+)\.(?:[a-z0-9-]+\.)*neon\.tech", re.IGNORECASE)
_POOLER = "-pooler"
_NEON_ENDPOINT_OPTION = re.compile(r"(?:^|\s)(?:endpoint|project)=([A-Za-z0-9-]+)")
_NEON_ENDPOINT_PASSWORD = re.compile(r"endpoint=[A-Za-z0-9-]+[;$]")
_SECURE = ("require", "verify-ca", "verify-full")

PREPARED_OFF = "prepared statements are disabled (connect uses prepare_threshold=None)"


class ProviderInfo(NamedTuple):
    """What the host says: the provider, its connection mode and the advice for it."""

    provider: str
    #: direct, session pooler, transaction pooler, dedicated pooler, pooled
    mode: str
    #: the Supabase project ref or the Neon endpoint id, when the string shows it
    project: str | None = None
    #: statements go through a transaction-mode pooler (no prepared statements)
    transaction_pooling: bool = False
    notes: tuple[str, ...] = ()


#: what each provider requires, filled in when the string does not say it (Neon and Supabase
#: accept TLS connections only)
PRESETS: dict[str, dict[str, str]] = {
    "neon": {"sslmode": "require"},
    "supabase": {"sslmode": "require"},
}


def provider_of(value: dict[str, Any]) -> str | None:
    """``supabase`` or ``neon`` by the value's host, None for a plain PostgreSQL server."""
    host = str(value.get("host") or "")
    if host.endswith((".supabase.co", ".supabase.com")):
        return "supabase"
    if host.endswith(".neon.tech"):
        return "neon"
    return None


def preset(value: dict[str, Any]) -> dict[str, str]:
    """The fields the value's provider requires (empty for a plain server)."""
    return PRESETS.get(provider_of(value) or "", {})


def identify(value: dict[str, Any]) -> ProviderInfo | None:
    """The provider of a postgresql value, its connection mode and the advice for it; None for
    a plain PostgreSQL server."""
    provider = provider_of(value)
    if provider is None:
        return None
    host = str(value["host"])
    return _supabase(value, host) if provider == "supabase" else _neon(value, host)


def _supabase(value: dict[str, Any], host: str) -> ProviderInfo:
    port = value.get("port") or 5432
    user = str(value.get("user") or "")
    direct = _SUPABASE_DIRECT.fullmatch(host)
    notes: list[str] = []
    if direct:
        ref = direct[1]
        if port == 6543:
            notes.append(
                "Supabase dedicated pooler (PgBouncer, port 6543): always transaction mode; "
                + PREPARED_OFF
            )
            return ProviderInfo("supabase", "dedicated pooler", ref, True, tuple(notes))
        notes.append(
            "Supabase direct connection (port 5432): IPv6 only unless the project has the IPv4 "
            "add-on; from IPv4-only networks use the shared pooler (*.pooler.supabase.com)"
        )
        if user.startswith("postgres."):
            notes.append("direct connections use the plain role name (postgres), not role.<ref>")
        _unusual_port(port, notes)
        return ProviderInfo("supabase", "direct", ref, False, tuple(notes))
    if _SUPABASE_POOLER.fullmatch(host):
        role, dot, ref = user.partition(".")
        if not dot or not role or not ref:
            notes.append(
                "the Supabase shared pooler needs the user as <role>.<project-ref> "
                "(e.g. postgres.abcdefghijklmnopqrst): it finds the project from the user name"
            )
        if port == 6543:
            notes.append("Supabase shared pooler (Supavisor), transaction mode: " + PREPARED_OFF)
            return ProviderInfo("supabase", "transaction pooler", ref or None, True, tuple(notes))
        notes.append(
            "Supabase shared pooler (Supavisor), session mode: one server connection per "
            "client, for persistent clients on IPv4"
        )
        _unusual_port(port, notes)
        return ProviderInfo("supabase", "session pooler", ref or None, False, tuple(notes))
    notes.append("a Supabase host that is neither db.<ref>.supabase.co nor the shared pooler")
    return ProviderInfo("supabase", "unknown", None, False, tuple(notes))


def _unusual_port(port: int, notes: list[str]) -> None:
    if port not in (5432, 6543):
        notes.append(f"unusual port {port} for Supabase (5432 session/direct, 6543 transaction)")


def _neon(value: dict[str, Any], host: str) -> ProviderInfo:
    match = _NEON.fullmatch(host)
    notes: list[str] = []
    if match is None:
        notes.append("a Neon host that is not an endpoint host (ep-<name>[-pooler].<region>...)")
        return ProviderInfo("neon", "unknown", None, False, tuple(notes))
    endpoint = match[1]
    pooled = endpoint[-len(_POOLER) :].lower() == _POOLER and len(endpoint) > len("ep-" + _POOLER)
    if pooled:
        endpoint = endpoint[: -len(_POOLER)]
    if pooled:
        notes.append(
            "Neon pooled connection (PgBouncer, transaction mode): "
            + PREPARED_OFF
            + "; use the direct host (without -pooler) for migrations, pg_dump, LISTEN/NOTIFY "
            "and session SET"
        )
    if value.get("sslmode") not in _SECURE:
        notes.append("Neon accepts TLS connections only: use sslmode=require (or verify-full)")
    options = str(value.get("options") or "")
    given = _NEON_ENDPOINT_OPTION.search(options)
    if given and given[1] != endpoint:
        notes.append(f"the endpoint option names {given[1]}, but the host is endpoint {endpoint}")
    elif given:
        notes.append(f"options carries endpoint={endpoint} for clients without TLS SNI")
    elif _NEON_ENDPOINT_PASSWORD.match(str(value.get("password") or "")):
        notes.append(
            "the password carries the endpoint id (endpoint=<id>;<password>): a workaround for "
            "clients without TLS SNI that downgrades SCRAM to a cleartext password over TLS"
        )
    else:
        notes.append(
            f"for old clients without TLS SNI add options=endpoint={endpoint} "
            "(in a URI: options=endpoint%3D" + endpoint + ")"
        )
    if value.get("channel_binding") == "require":
        notes.append(
            "channel_binding=require needs SCRAM-SHA-256-PLUS, which some drivers (asyncpg) "
            "do not support"
        )
    mode = "pooled" if pooled else "direct"
    return ProviderInfo("neon", mode, endpoint, pooled, tuple(notes))


def uses_transaction_pooler(value: dict[str, Any]) -> bool:
    """True when prepared statements must be off (a transaction-mode pooler)."""
    info = identify(value)
    if info is not None and info.transaction_pooling:
        return True
    driver = value.get("driver_parameters") or {}
    return str(driver.get("pgbouncer", "")).lower() == "true"  # Prisma's pooler flag
