"""The redis type in the formats of the tools next door (``connectors parse --format``)."""

from __future__ import annotations

from typing import Any

from connectors.formats import FormatError, clean
from connectors.redis.parser import render_redis_url


def airflow_connection(v: dict[str, Any]) -> dict[str, Any]:
    if v.get("unix_socket_path"):
        raise FormatError("Airflow's redis connection reaches a host and port, not a Unix socket")
    return {
        "conn_type": "redis",
        "host": v.get("host"),
        "login": v.get("username"),
        "password": v.get("password"),
        "port": v.get("port"),
        "extra": clean({"db": v.get("db"), "ssl": v.get("tls") or None}),
    }


def dlt_tables(v: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {"sources.redis": {"connection_url": render_redis_url(v)}}


def env_vars(v: dict[str, Any]) -> dict[str, str]:
    return {"REDIS_URL": render_redis_url(v)}
