"""A Resource in the formats of the tools next door (``connectors parse --format``).

- ``airflow``: an Airflow connection in JSON form (``AIRFLOW_CONN_<ID>`` accepts it):
  ``conn_type, host, login, password, schema, port, extra`` (reference/peers.md §1).
- ``dlt``: a ``secrets.toml`` section (``[destination.postgres.credentials]``,
  ``[destination.filesystem.credentials]``, ``[sources.mongodb]`` ...; peers.md §3).
- ``env``: environment-variable lines (``DATABASE_URL``, ``PG*``, ``MONGODB_URI``, ...).
- ``wmill``: a ``*.resource.yaml`` for ``wmill sync`` (windmill.md §5).

What a type gives in each format is its connector's business: ``Connector.airflow_connection``,
``dlt_tables`` and ``env_vars``, each with a generic fallback (``connectors.formats.generic``)
for a type that defines none, and returning None when the type has no such mapping.

Unless ``show_secrets``, every output is built from the value with its secret fields replaced by
a placeholder that no format escapes, which becomes ``********`` in the text: a secret is masked
wherever the format puts it (a password field, a connection string's password position) and no
other field changes.
"""

from __future__ import annotations

import json
from typing import Any

from connectors.errors import ConnectorsError
from connectors.resource import Resource

FORMATS = ("airflow", "dlt", "env", "wmill")
# Stands for a secret while a format is built: letters and digits only (no format escapes it,
# percent-encoding leaves it alone) and valid base64, as an account key must be.
_MASKED = "MaskedSecret0000"


class FormatError(ConnectorsError, ValueError):
    """A resource that cannot be written in the asked format."""


def render(resource: Resource, fmt: str, *, show_secrets: bool = False) -> str:
    """``resource`` in format ``fmt`` (text ending in a newline), secrets masked by default.

    Masking is by field: see the module docstring.
    """
    from connectors.formats.text import shell_quoted, toml_tables, wmill_resource_yaml
    from connectors.redact import MASK, redact_value

    if fmt not in FORMATS:
        raise FormatError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt == "wmill":  # YAML quotes ******** itself; secrets are whole values there
        shown = (
            resource.value if show_secrets else redact_value(resource.resource_type, resource.value)
        )
        return wmill_resource_yaml(Resource(resource.resource_type, shown))
    if not show_secrets:
        masked = redact_value(resource.resource_type, resource.value, mask=_MASKED)
        resource = Resource(resource.resource_type, masked, resource.provider, resource.notes)
    if fmt == "airflow":
        text = json.dumps(airflow_connection(resource), indent=2, ensure_ascii=False)
    elif fmt == "dlt":
        text = toml_tables(dlt_tables(resource))
    else:
        pairs = env_vars(resource).items()
        text = "\n".join(f"{k}={shell_quoted(v.replace(_MASKED, MASK))}" for k, v in pairs)
    return text.replace(_MASKED, MASK).rstrip("\n") + "\n"


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without its empty entries (None, ``""``, ``{}``, ``[]``)."""
    return {k: v for k, v in data.items() if v not in (None, "", {}, [])}


def _mapped(resource: Resource, method: str, what: str) -> Any:
    """What the type's connector answers to ``method`` (a ``Connector`` format method), or a
    FormatError naming ``what`` when the type is not installed or has no such mapping."""
    from connectors.plugins import get_registry

    connector = get_registry().connectors.get(resource.resource_type)
    if connector is None:
        raise FormatError(f"no {what} for {resource.resource_type} (not an installed type)")
    found = getattr(connector, method)(resource)
    if found is None:
        raise FormatError(f"no {what} for {resource.resource_type}")
    return found


def airflow_connection(resource: Resource) -> dict[str, Any]:
    """The Airflow connection JSON of ``resource`` (``Connector.airflow_connection``)."""
    conn = _mapped(resource, "airflow_connection", "Airflow connection mapping")
    return clean(conn) | {"conn_type": conn["conn_type"]}


def dlt_tables(resource: Resource) -> dict[str, dict[str, Any]]:
    """TOML table name -> keys of the ``secrets.toml`` fragment dlt reads for ``resource``."""
    tables: dict[str, dict[str, Any]] = _mapped(resource, "dlt_tables", "dlt secrets mapping")
    return tables


def env_vars(resource: Resource) -> dict[str, str]:
    """The environment variables the usual clients of this type read."""
    return dict(_mapped(resource, "env_vars", "environment-variable mapping"))
