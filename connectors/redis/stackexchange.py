"""StackExchange.Redis configuration strings, as the Azure Cache for Redis portal shows them.

``name.redis.cache.windows.net:6380,password=...,ssl=True,abortConnect=False``: comma-separated
endpoints (``host[:port]``) and ``key=value`` options, keys case-insensitive (StackExchange.Redis
"Configuration" docs). The options with a redis-py equivalent become fields of the redis value;
the others configure the .NET client only and are left out with a note.
"""

from __future__ import annotations

from typing import Any

from connectors.errors import ParseError
from connectors.parsing import check_host, split_host_port

TYPE = "redis"
#: lower-cased option -> redis value field (timeouts are milliseconds there, seconds here)
_FIELDS = {
    "password": "password",
    "user": "username",
    "ssl": "tls",
    "defaultdatabase": "db",
    "name": "client_name",
    "connecttimeout": "socket_connect_timeout",
    "synctimeout": "socket_timeout",
}
#: the .NET client's own options (no redis-py equivalent)
CLIENT_ONLY = frozenset(
    {
        "abortconnect",
        "allowadmin",
        "asynctimeout",
        "channelprefix",
        "checkcertificaterevocation",
        "configchannel",
        "configcheckseconds",
        "connectretry",
        "keepalive",
        "proxy",
        "resolvedns",
        "servicename",
        "setlib",
        "sslhost",
        "sslprotocols",
        "tiebreaker",
        "version",
        "protocol",
        "highprioritysocketthreads",
        "responsetimeout",
        "writebuffer",
    }
)


def parse_stackexchange(text: str) -> tuple[dict[str, Any], list[str]]:
    """The redis value of a StackExchange.Redis string, and the notes on what was left out."""
    endpoints: list[tuple[str, int]] = []
    fields: dict[str, Any] = {}
    left_out: list[str] = []
    at = 0
    for part in text.split(","):
        here, at = at, at + len(part) + 1
        item = part.strip()
        lead = here + len(part) - len(part.lstrip())
        if not item:
            continue
        if "=" not in item:
            endpoint = split_host_port(item, offset=lead)
            check_host(endpoint.host, position=lead, type_name=TYPE)
            endpoints.append((endpoint.host.lower(), endpoint.port or 0))
            continue
        key, _, raw = item.partition("=")
        name = key.strip().lower()
        if name in _FIELDS:
            fields[_FIELDS[name]] = _convert(_FIELDS[name], raw.strip(), lead + len(key) + 1)
        else:
            left_out.append(key.strip() if name in CLIENT_ONLY else "(an unknown option)")
    if len(endpoints) != 1:
        raise ParseError(
            "a StackExchange.Redis string with "
            + ("no endpoint" if not endpoints else f"{len(endpoints)} endpoints"),
            position=0,
            type_name=TYPE,
            hint="keep one host:port (a redis resource has one server)",
        )
    host, port = endpoints[0]
    tls = bool(fields.pop("tls", False))
    value: dict[str, Any] = {
        "host": host,
        "port": port or (6380 if tls else 6379),
        "db": fields.pop("db", 0),
        "username": fields.pop("username", ""),
        "password": fields.pop("password", ""),
        "tls": tls,
        **fields,
    }
    notes = ["read as a StackExchange.Redis configuration string (.NET)"]
    if left_out:
        notes.append(
            "options of the .NET client with no redis-py equivalent were left out: "
            + ", ".join(dict.fromkeys(left_out))
        )
    return value, notes


def _convert(field: str, raw: str, position: int) -> Any:
    if field == "tls":
        if raw.lower() not in ("true", "false"):
            raise ParseError(
                "ssl must be true or false", position=position, type_name=TYPE, hint="ssl=True"
            )
        return raw.lower() == "true"
    if field == "db" or field in ("socket_connect_timeout", "socket_timeout"):
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
            raise ParseError(f"{field} must be a whole number", position=position, type_name=TYPE)
        number = int(raw)
        if field != "db" and number == 0:
            raise ParseError(f"{field} must be more than 0", position=position, type_name=TYPE)
        return number if field == "db" else number / 1000  # milliseconds -> seconds
    return raw
