"""A Resource in the formats of the tools next door (``connectors parse --format``).

- ``airflow``: an Airflow connection in JSON form (``AIRFLOW_CONN_<ID>`` accepts it):
  ``conn_type, host, login, password, schema, port, extra`` (reference/peers.md §1).
- ``dlt``: a ``secrets.toml`` section (``[destination.postgres.credentials]``,
  ``[destination.filesystem.credentials]``, ``[sources.mongodb]`` ...; peers.md §3).
- ``env``: environment-variable lines (``DATABASE_URL``, ``PG*``, ``MONGODB_URI``, ``REDIS_URL``,
  ``UPSTASH_REDIS_REST_*``, ``AWS_*``, ``AZURE_STORAGE_CONNECTION_STRING``).
- ``wmill``: a ``*.resource.yaml`` for ``wmill sync`` (windmill.md §5).

Unless ``show_secrets``, every output is built from the value with its secret fields replaced by
a placeholder that no format escapes, which becomes ``********`` in the text: a secret is masked
wherever the format puts it (a password field, a connection string's password position) and no
other field changes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from connectors.errors import ConnectorsError
from connectors.hub.catalog import dump_yaml
from connectors.redact import MASK, redact_value
from connectors.resource import Resource

FORMATS = ("airflow", "dlt", "env", "wmill")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
# Stands for a secret while a format is built: letters and digits only (no format escapes it,
# percent-encoding leaves it alone) and valid base64, as an account key must be.
_MASKED = "MaskedSecret0000"


class FormatError(ConnectorsError, ValueError):
    """A resource that cannot be written in the asked format."""


def render(resource: Resource, fmt: str, *, show_secrets: bool = False) -> str:
    """``resource`` in format ``fmt`` (text ending in a newline), secrets masked by default.

    Masking is by field: see the module docstring.
    """
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
        lines = (f"{k}={_shell(v.replace(_MASKED, MASK))}" for k, v in env_vars(resource).items())
        text = "\n".join(lines)
    return text.replace(_MASKED, MASK).rstrip("\n") + "\n"


def _connection_string(resource: Resource) -> str:
    from connectors.api import to_connection_string

    try:
        return to_connection_string(resource)
    except NotImplementedError as exc:
        raise FormatError(f"{resource.resource_type}: no connection string renderer yet") from exc


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", {}, [])}


# -- Airflow -------------------------------------------------------------------------------------


def airflow_connection(resource: Resource) -> dict[str, Any]:
    """The Airflow connection JSON of ``resource``."""
    build = _AIRFLOW.get(resource.resource_type)
    conn = build(resource.value) if build is not None else _plugin(resource, "airflow_connection")
    if conn is None:
        raise FormatError(f"no Airflow connection mapping for {resource.resource_type}")
    return _clean(conn) | {"conn_type": conn["conn_type"]}


def _airflow_postgresql(v: dict[str, Any]) -> dict[str, Any]:
    known = {"host", "port", "user", "password", "dbname", "root_certificate_pem"}
    return {
        "conn_type": "postgres",
        "host": v.get("host"),
        "login": v.get("user"),
        "password": v.get("password"),
        "schema": v.get("dbname"),
        "port": v.get("port"),
        "extra": {k: val for k, val in v.items() if k not in known},
    }


def _airflow_mongodb(v: dict[str, Any]) -> dict[str, Any]:
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
    extra.update(
        _clean(
            {
                "srv": bool(v.get("srv")) or None,
                "ssl": v.get("tls"),
                "authSource": mongodb_auth_source(v),
                "authMechanism": cred.get("mechanism"),
            }
        )
    )
    return {
        "conn_type": "mongo",
        "host": host,
        "login": cred.get("username"),
        "password": cred.get("password"),
        "schema": v.get("db"),
        "port": servers[0].get("port") if single else None,
        "extra": extra,
    }


def mongodb_auth_source(value: dict[str, Any]) -> str | None:
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


def _airflow_redis(v: dict[str, Any]) -> dict[str, Any]:
    if v.get("unix_socket_path"):
        raise FormatError("Airflow's redis connection reaches a host and port, not a Unix socket")
    return {
        "conn_type": "redis",
        "host": v.get("host"),
        "login": v.get("username"),
        "password": v.get("password"),
        "port": v.get("port"),
        "extra": _clean({"db": v.get("db"), "ssl": v.get("tls") or None}),
    }


def _airflow_upstash_redis(v: dict[str, Any]) -> dict[str, Any]:
    return {
        "conn_type": "redis",
        "host": urlsplit(str(v.get("url", ""))).hostname,
        "login": "default",
        "password": v.get("token"),
        "port": 6379,
        "extra": {"ssl": True},
    }


def _airflow_s3(v: dict[str, Any]) -> dict[str, Any]:
    extra = _clean(
        {
            "region_name": v.get("region"),
            "endpoint_url": v.get("endPoint"),
            "aws_session_token": v.get("token"),
            "service_config": {"s3": {"bucket_name": v["bucket"]}} if v.get("bucket") else None,
        }
    )
    if v.get("pathStyle"):
        extra["config_kwargs"] = {"s3": {"addressing_style": "path"}}
    return {
        "conn_type": "aws",
        "login": v.get("accessKey"),
        "password": v.get("secretKey"),
        "extra": extra,
    }


def _airflow_azure_blob(v: dict[str, Any]) -> dict[str, Any]:
    from connectors.azure_blob.values import account_url

    extra = {}
    if v.get("sasToken"):  # a full https URL is taken as the account URL by WasbHook
        extra["sas_token"] = f"{account_url(v)}/?{str(v['sasToken']).lstrip('?')}"
    return {
        "conn_type": "wasb",
        "host": v.get("endpoint") or None,
        "login": v.get("accountName"),
        "password": v.get("accessKey"),
        "extra": extra,
    }


_AIRFLOW: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "postgresql": _airflow_postgresql,
    "mongodb": _airflow_mongodb,
    "redis": _airflow_redis,
    "upstash_redis": _airflow_upstash_redis,
    "s3": _airflow_s3,
    "azure_blob": _airflow_azure_blob,
}


# -- dlt -----------------------------------------------------------------------------------------


def dlt_tables(resource: Resource) -> dict[str, dict[str, Any]]:
    """TOML table name -> keys of the ``secrets.toml`` fragment dlt reads for ``resource``."""
    v = resource.value
    kind = resource.resource_type
    tables: dict[str, dict[str, Any]]
    if kind == "postgresql":
        query = _clean({"sslmode": v.get("sslmode")})
        tables = {
            "destination.postgres.credentials": _clean(
                {
                    "database": v.get("dbname"),
                    "username": v.get("user"),
                    "password": v.get("password"),
                    "host": v.get("host"),
                    "port": v.get("port"),
                    "query": query,
                }
            )
        }
    elif kind in ("mongodb", "redis"):
        tables = {f"sources.{kind}": {"connection_url": _connection_string(resource)}}
    elif kind == "upstash_redis":
        tables = {"sources.upstash_redis": _clean({"url": v.get("url"), "token": v.get("token")})}
    elif kind == "s3":
        if not v.get("bucket"):
            raise FormatError(
                "dlt's filesystem destination writes to one bucket (bucket_url s3://<bucket>): "
                "this s3 resource has no bucket"
            )
        tables = {
            "destination.filesystem": {"bucket_url": f"s3://{v.get('bucket', '')}"},
            "destination.filesystem.credentials": _clean(
                {
                    "aws_access_key_id": v.get("accessKey"),
                    "aws_secret_access_key": v.get("secretKey"),
                    "aws_session_token": v.get("token"),
                    "region_name": v.get("region"),
                    "endpoint_url": v.get("endPoint"),
                }
            ),
        }
    elif kind == "azure_blob":
        if not v.get("containerName"):
            raise FormatError(
                "dlt's filesystem destination writes to one container (bucket_url "
                "az://<container>): this azure_blob resource has no containerName"
            )
        endpoint = urlsplit(str(v.get("endpoint") or "")).netloc
        tables = {
            "destination.filesystem": {"bucket_url": f"az://{v['containerName']}"},
            "destination.filesystem.credentials": _clean(
                {
                    "azure_storage_account_name": v.get("accountName"),
                    "azure_storage_account_key": v.get("accessKey"),
                    "azure_storage_sas_token": v.get("sasToken"),
                    "azure_account_host": endpoint,
                }
            ),
        }
    else:
        found = _plugin(resource, "dlt_tables")
        if found is None:
            raise FormatError(f"no dlt secrets mapping for {kind}")
        tables = found
    return tables


def toml_tables(tables: dict[str, dict[str, Any]]) -> str:
    """``[name]`` tables of ``key = value`` lines."""
    blocks = []
    for name, table in tables.items():
        lines = [f"[{name}]", *(f"{_toml_key(k)} = {_toml(val)}" for k, val in table.items())]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        inner = ", ".join(f"{_toml_key(k)} = {_toml(v)}" for k, v in value.items() if v is not None)
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value))  # a JSON string is a TOML basic string


# -- environment variables -----------------------------------------------------------------------


def env_vars(resource: Resource) -> dict[str, str]:
    """The environment variables the usual clients of this type read."""
    v = resource.value
    kind = resource.resource_type
    if kind == "postgresql":
        found = {"DATABASE_URL": _connection_string(resource)}
        libpq = {
            "PGHOST": "host",
            "PGPORT": "port",
            "PGUSER": "user",
            "PGPASSWORD": "password",
            "PGDATABASE": "dbname",
            "PGSSLMODE": "sslmode",
        }
        found |= {env: str(v[key]) for env, key in libpq.items() if v.get(key) not in (None, "")}
        return found
    if kind == "mongodb":
        return {"MONGODB_URI": _connection_string(resource)}
    if kind == "redis":
        return {"REDIS_URL": _connection_string(resource)}
    if kind == "upstash_redis":
        return {
            "UPSTASH_REDIS_REST_URL": str(v.get("url", "")),
            "UPSTASH_REDIS_REST_TOKEN": str(v.get("token", "")),
        }
    if kind == "s3":
        pairs = {
            "AWS_ACCESS_KEY_ID": v.get("accessKey"),
            "AWS_SECRET_ACCESS_KEY": v.get("secretKey"),
            "AWS_SESSION_TOKEN": v.get("token"),
            "AWS_REGION": v.get("region"),
            "AWS_DEFAULT_REGION": v.get("region"),
            "AWS_ENDPOINT_URL_S3": v.get("endPoint"),
            "S3_BUCKET": v.get("bucket"),
        }
        return {k: str(val) for k, val in pairs.items() if val not in (None, "")}
    if kind == "azure_blob":
        found = {
            "AZURE_STORAGE_CONNECTION_STRING": _connection_string(resource),
            "AZURE_STORAGE_ACCOUNT": str(v.get("accountName", "")),
        }
        if v.get("accessKey"):
            found["AZURE_STORAGE_KEY"] = str(v["accessKey"])
        return found
    found = _plugin(resource, "env_vars")
    if found is None:
        raise FormatError(f"no environment-variable mapping for {kind}")
    return dict(found)


def _plugin(resource: Resource, method: str) -> Any:
    """What the type's connector returns for a format (``Connector.env_vars`` and the
    others; None when it has no mapping), for types outside the tables above."""
    from connectors.plugins import get_registry

    connector = get_registry().connectors.get(resource.resource_type)
    return None if connector is None else getattr(connector, method)(resource)


def _shell(value: str) -> str:
    """Quoted for a shell and for .env readers, only when it needs to be."""
    if re.fullmatch(r"[A-Za-z0-9_@%+=:,./\-]*", value):
        return value
    if "'" not in value:
        return f"'{value}'"
    return '"' + re.sub(r'(["\\$`])', r"\\\1", value) + '"'


# -- wmill ---------------------------------------------------------------------------------------


def wmill_resource_yaml(resource: Resource, description: str = "") -> str:
    """``<path>.resource.yaml``: ``{description, value, resource_type}``, as in ``wmill sync``."""
    body = {
        "description": description,
        "value": resource.value,
        "resource_type": resource.resource_type,
    }
    return dump_yaml(body)
