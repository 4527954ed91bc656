"""The mongodb type in the formats of the tools next door (``connectors parse --format``)."""

from __future__ import annotations

from typing import Any

from connectors.formats import clean
from connectors.mongodb.value import to_connection_string


def auth_source(value: dict[str, Any]) -> str | None:
    """The authSource a connection states, where the database travels with it (a connection
    string, Airflow's ``schema``): ``credential.db`` unless it is the spec default (the database,
    else admin), which the driver applies itself, or for an SRV string the cluster's TXT record
    replaces (Atlas: admin). ``to_connection_string`` and the hub scripts follow the same rule."""
    from connectors.mongodb.auth import default_source

    cred = value.get("credential") or {}
    source = cred.get("db")
    has_user = cred.get("username") is not None or cred.get("mechanism")
    if not source or (
        has_user and source == default_source(cred.get("mechanism"), value.get("db") or None)
    ):
        return None
    return str(source)


def airflow_connection(v: dict[str, Any]) -> dict[str, Any]:
    servers = v.get("servers") or []
    cred = v.get("credential") or {}
    single = len(servers) == 1 and not v.get("srv")
    if single:
        host = servers[0].get("host", "")
    else:
        host = ",".join(
            f"{s['host']}:{s['port']}" if s.get("port") and not v.get("srv") else s.get("host", "")
            for s in servers
        )
    extra = dict(v.get("options") or {})
    stated = {
        "srv": bool(v.get("srv")) or None,
        "ssl": v.get("tls"),
        "authSource": auth_source(v),
        "authMechanism": cred.get("mechanism"),
    }
    extra.update(clean(stated))
    return {
        "conn_type": "mongo",
        "host": host,
        "login": cred.get("username"),
        "password": cred.get("password"),
        "schema": v.get("db"),
        "port": servers[0].get("port") if single else None,
        "extra": extra,
    }


def dlt_tables(v: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {"sources.mongodb": {"connection_url": to_connection_string(v)}}


def env_vars(v: dict[str, Any]) -> dict[str, str]:
    return {"MONGODB_URI": to_connection_string(v)}
