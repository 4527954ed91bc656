"""The upstash_redis type in the formats of the tools next door (``connectors parse --format``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from connectors.formats import clean


def airflow_connection(v: dict[str, Any]) -> dict[str, Any]:
    """Airflow's redis connection to the same database over the Redis protocol (TLS)."""
    return {
        "conn_type": "redis",
        "host": urlsplit(str(v.get("url", ""))).hostname,
        "login": "default",
        "password": v.get("token"),
        "port": 6379,
        "extra": {"ssl": True},
    }


def dlt_tables(v: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {"sources.upstash_redis": clean({"url": v.get("url"), "token": v.get("token")})}


def env_vars(v: dict[str, Any]) -> dict[str, str]:
    """What ``Redis.from_env()`` reads."""
    return {
        "UPSTASH_REDIS_REST_URL": str(v.get("url", "")),
        "UPSTASH_REDIS_REST_TOKEN": str(v.get("token", "")),
    }
