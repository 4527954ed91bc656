"""The postgresql type in the formats of the tools next door (``connectors parse --format``)."""

from __future__ import annotations

from typing import Any

from connectors.formats import clean
from connectors.postgresql.value import to_uri

#: libpq's environment variables and the value fields they hold
_LIBPQ_ENV = {
    "PGHOST": "host",
    "PGPORT": "port",
    "PGUSER": "user",
    "PGPASSWORD": "password",
    "PGDATABASE": "dbname",
    "PGSSLMODE": "sslmode",
}
_AIRFLOW_FIELDS = {"host", "port", "user", "password", "dbname", "root_certificate_pem"}


def airflow_connection(v: dict[str, Any]) -> dict[str, Any]:
    return {
        "conn_type": "postgres",
        "host": v.get("host"),
        "login": v.get("user"),
        "password": v.get("password"),
        "schema": v.get("dbname"),
        "port": v.get("port"),
        "extra": {k: val for k, val in v.items() if k not in _AIRFLOW_FIELDS},
    }


def dlt_tables(v: dict[str, Any]) -> dict[str, dict[str, Any]]:
    credentials = {
        "database": v.get("dbname"),
        "username": v.get("user"),
        "password": v.get("password"),
        "host": v.get("host"),
        "port": v.get("port"),
        "query": clean({"sslmode": v.get("sslmode")}),
    }
    return {"destination.postgres.credentials": clean(credentials)}


def env_vars(v: dict[str, Any]) -> dict[str, str]:
    found = {"DATABASE_URL": to_uri(v)}
    return found | {
        env: str(v[key]) for env, key in _LIBPQ_ENV.items() if v.get(key) not in (None, "")
    }
