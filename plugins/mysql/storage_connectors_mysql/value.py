"""The ``mysql`` resource value: Windmill's hub shape plus a few documented extension fields.

Windmill: ``host, port, user, database, password, ssl``. Extensions: ``ssl_mode`` (the mysql
client's DISABLED / PREFERRED / REQUIRED / VERIFY_CA / VERIFY_IDENTITY, when the string named
one), ``root_certificate_pem`` (the CA's PEM text, as the postgresql type has it), ``charset``
and ``connect_timeout`` (seconds).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from storage_connectors_mysql.options import TLS_MODES

if TYPE_CHECKING:
    from storage_connectors_mysql.parser import Parsed

DEFAULT_PORT = 3306
WINDMILL_FIELDS = ("host", "port", "user", "database", "password", "ssl")


def to_value(parsed: Parsed, *, tls_required: bool = False) -> tuple[dict[str, Any], list[str]]:
    """The resource value of a parsed string, and notes on what was filled in."""
    value: dict[str, Any] = {}
    fields = parsed.fields
    for key in ("host", "port", "user", "database", "password"):
        if key in fields and (fields[key] != "" or key == "password"):
            value[key] = fields[key]  # an empty user, host or database is no setting
    value.setdefault("port", DEFAULT_PORT)
    notes = parsed.options.notes()
    parsed.options.apply(value)
    if "ssl" not in value:
        value["ssl"] = tls_required
        if tls_required:
            notes.append("ssl set to true: this provider refuses connections without TLS")
    elif tls_required and not value["ssl"]:
        notes.append("TLS is off in the string, but this provider refuses connections without it")
    ordered = {key: value.pop(key) for key in WINDMILL_FIELDS if key in value}
    return ordered | value, notes


def normalise(value: dict[str, Any]) -> dict[str, Any]:
    """``ssl`` follows ``ssl_mode`` when both are given."""
    mode = value.get("ssl_mode")
    if mode:
        value["ssl"] = mode in TLS_MODES
    return value


def to_url(value: dict[str, Any]) -> str:
    """A ``mysql://`` URL; ``parse_url`` of it gives the same value back."""
    out = ["mysql://"]
    user, password = value.get("user"), value.get("password")
    if user is not None or password is not None:
        out.append(_q(str(user or "")))
        if password is not None:
            out.append(":" + _q(str(password)))
        out.append("@")
    host = str(value.get("host") or "")
    out.append(f"[{host}]" if ":" in host else _q(host))
    if value.get("port") is not None:
        out.append(f":{value['port']}")
    if value.get("database") is not None:
        out.append("/" + _q(str(value["database"])))
    query = []
    if value.get("ssl_mode"):
        query.append(f"ssl-mode={value['ssl_mode']}")
    elif "ssl" in value:
        query.append(f"ssl={'true' if value['ssl'] else 'false'}")
    for key in ("charset", "connect_timeout"):
        if value.get(key) not in (None, ""):
            query.append(f"{key}={_q(str(value[key]))}")
    if query:
        out.append("?" + "&".join(query))
    return "".join(out)


def _q(text: str) -> str:
    return quote(text, safe="")
