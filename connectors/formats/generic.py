"""The export formats of a type whose connector defines none of its own.

- env: ``<TYPE>_URL=<connection string>``, or ``<TYPE>_JSON=<the value as JSON>`` when the
  type renders no connection string (``connectors env import`` reads both back);
- airflow: a ``generic`` connection: host, port, login, password and schema from the value's
  usual field names (else from the connection string when it is a URL), the rest in ``extra``;
- dlt: ``[sources.<type>.credentials]`` holding the value's fields.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from connectors.resource import Resource

if TYPE_CHECKING:
    from connectors.connector import Connector

#: Airflow connection field -> the value fields that usually hold it, first found wins
_AIRFLOW_FIELDS = {
    "host": ("host", "hostname", "server", "endpoint", "url"),
    "port": ("port",),
    "login": ("user", "username", "login"),
    "schema": ("database", "dbname", "db", "schema"),
}


def env_prefix(type_name: str) -> str:
    """``<TYPE>`` of the generic variables: the type name upper-cased, other characters ``_``."""
    return re.sub(r"[^A-Z0-9]", "_", type_name.upper())


def connection_string(connector: Connector, resource: Resource) -> str | None:
    """The type's connection string, or None when it renders none."""
    try:
        return connector.to_connection_string(resource)
    except NotImplementedError:
        return None


def env_vars(connector: Connector, resource: Resource) -> dict[str, str]:
    prefix = env_prefix(connector.name)
    text = connection_string(connector, resource)
    if text is not None:
        return {f"{prefix}_URL": text}
    return {f"{prefix}_JSON": json.dumps(resource.value, ensure_ascii=False, sort_keys=True)}


def airflow_connection(connector: Connector, resource: Resource) -> dict[str, Any]:
    value = resource.value
    conn: dict[str, Any] = {"conn_type": "generic"}
    used: set[str] = set()
    for target, names in _AIRFLOW_FIELDS.items():
        found = next((n for n in names if value.get(n) not in (None, "")), None)
        if found is not None:
            conn[target] = value[found]
            used.add(found)
    secrets = [path for path in connector.resource_type.secret_fields if "." not in path]
    secret = next((name for name in secrets if value.get(name) not in (None, "")), None)
    if secret is not None:
        conn["password"] = value[secret]
        used.add(secret)
    if "host" not in conn:
        for key, item in _url_parts(connection_string(connector, resource)).items():
            conn.setdefault(key, item)
    conn["extra"] = {k: v for k, v in value.items() if k not in used and v not in (None, "")}
    return conn


def _url_parts(text: str | None) -> dict[str, Any]:
    """Airflow's fields of a URL-shaped connection string (nothing for other strings)."""
    if not text or "://" not in text:
        return {}
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return {}
    found = {
        "host": parts.hostname,
        "port": port,
        "login": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
        "schema": parts.path.lstrip("/") or None,
    }
    return {key: item for key, item in found.items() if item is not None}


def dlt_tables(connector: Connector, resource: Resource) -> dict[str, dict[str, Any]]:
    fields = {k: v for k, v in resource.value.items() if v not in (None, "", {}, [])}
    return {f"sources.{connector.name}.credentials": fields}
