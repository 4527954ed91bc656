"""The ``mongodb`` resource value: built from a parsed string, and rendered back as one.

The value is Windmill's shape (``db``, ``tls``, ``servers``, ``credential``) plus two documented
extension fields, so nothing in the string is lost:

- ``srv: true`` for a ``mongodb+srv://`` string (``servers`` then holds the one SRV host name,
  without a port);
- ``options``: every other URI option, typed, under its canonical name from the uri-options
  table. ``authMechanism`` and ``authSource`` live in ``credential`` (``mechanism``, ``db``) when
  a credential is configured; ``tls``/``ssl`` live in ``tls``.

``tls`` is true for ``mongodb+srv://`` and when any ``tls*`` option is given (pymongo's rule),
unless ``tls``/``ssl`` says otherwise. ``credential.db`` is always the effective
authentication database (the auth spec's default when ``authSource`` is absent).
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import quote

from connectors.mongodb.auth import Credential, default_source
from connectors.mongodb.options import OPTIONS, render
from connectors.mongodb.parser import DEFAULT_PORT, SCHEME, SRV_SCHEME, ParsedURI

ATLAS_SUFFIX = ".mongodb.net"
_HOST_SAFE = "-._~!$&'()*+;="
_VALUE_SAFE = ":,/$@!'()*+;-._~"


def implied_tls(srv: bool, options: dict[str, Any]) -> bool:
    """TLS when nothing says otherwise: on for SRV strings and when a ``tls*`` option is set."""
    return srv or any(name.startswith("tls") for name in options)


def build_value(parsed: ParsedURI, credential: Credential | None) -> dict[str, Any]:
    """The resource value for a parsed string and its credential."""
    options = dict(parsed.options)
    tls = options.pop("tls", None)
    if tls is None:
        tls = implied_tls(parsed.srv, options)
    servers: list[dict[str, Any]] = []
    for host in parsed.hosts:
        if host.type == "unix" or parsed.srv:
            servers.append({"host": host.host})
        else:
            servers.append({"host": host.host, "port": host.port or DEFAULT_PORT})
    value: dict[str, Any] = {"db": parsed.database or "", "tls": tls, "servers": servers}
    if parsed.srv:
        value["srv"] = True
    if credential is not None:
        cred: dict[str, Any] = {}
        if credential.username is not None:
            cred["username"] = credential.username
        if credential.password is not None:
            cred["password"] = credential.password
        cred["db"] = credential.source
        if credential.mechanism is not None:
            cred["mechanism"] = credential.mechanism
        options.pop("authMechanism", None)
        options.pop("authSource", None)
        value["credential"] = cred
    if options:
        value["options"] = options
    return value


def normalise(value: dict[str, Any]) -> dict[str, Any]:
    """A copy with the defaults filled in: ``db``, ``tls`` (on for SRV) and each TCP port."""
    result = copy.deepcopy(value)
    result.setdefault("db", "")
    result.setdefault("tls", bool(result.get("srv")))
    if not result.get("srv"):
        for server in result.get("servers", []):
            if "/" not in str(server.get("host", "")):  # a Unix socket path has no port
                server.setdefault("port", DEFAULT_PORT)
    return result


def is_atlas(value: dict[str, Any]) -> bool:
    """True when a server is an Atlas host (``*.mongodb.net``)."""
    return any(
        str(server.get("host", "")).lower().endswith(ATLAS_SUFFIX)
        for server in value.get("servers", [])
    )


def atlas_notes(value: dict[str, Any], *, explicit_source: bool = False) -> list[str]:
    """What an Atlas user needs to know about this value."""
    notes = ["MongoDB Atlas: the cluster only accepts clients whose IP is on its access list"]
    if value.get("srv"):
        notes.append(
            "Atlas SRV string: DNS gives the members (SRV) and authSource/replicaSet (TXT); "
            "connecting needs dnspython (installed with pymongo)"
        )
        source = (value.get("credential") or {}).get("db")
        if source and source != "admin" and not explicit_source:
            notes.append(
                f"credential.db is the spec default {source!r}; Atlas users live in 'admin' and "
                "the cluster's TXT record (authSource=admin) overrides it when connecting"
            )
    else:
        notes.append("Atlas: the console's mongodb+srv:// string is shorter and follows changes")
    if not value.get("tls"):
        notes.append("Atlas requires TLS, but this string turns it off: connections will fail")
    return notes


def to_connection_string(value: dict[str, Any]) -> str:
    """The connection string of ``value``; parsing it gives ``value`` back."""
    srv = bool(value.get("srv"))
    parts = [SRV_SCHEME if srv else SCHEME]
    credential = value.get("credential") or {}
    username = credential.get("username")
    if username is not None:
        parts.append(quote(username, safe=""))
        if credential.get("password") is not None:
            parts.append(":" + quote(credential["password"], safe=""))
        parts.append("@")
    parts.append(",".join(_render_server(server, srv) for server in value.get("servers", [])))
    parts.append("/" + quote(value.get("db") or "", safe=""))
    query = _query(value, srv, credential)
    if query:
        parts.append(
            "?" + "&".join(f"{name}={quote(text, safe=_VALUE_SAFE)}" for name, text in query)
        )
    return "".join(parts)


def _render_server(server: dict[str, Any], srv: bool) -> str:
    host = str(server["host"])
    if "/" in host:
        return quote(host, safe="")
    text = f"[{host}]" if ":" in host else quote(host, safe=_HOST_SAFE)
    port = server.get("port")
    if port is not None and not srv and port != DEFAULT_PORT:
        text += f":{port}"
    return text


def _query(value: dict[str, Any], srv: bool, credential: dict[str, Any]) -> list[tuple[str, str]]:
    options = dict(value.get("options") or {})
    query: list[tuple[str, str]] = []
    if credential:
        mechanism = credential.get("mechanism")
        if mechanism:
            query.append(("authMechanism", mechanism))
        source = credential.get("db")
        has_user = credential.get("username") is not None
        if source and (
            not (has_user or mechanism)
            or source != default_source(mechanism, value.get("db") or None)
        ):
            query.append(("authSource", source))
    tls = value.get("tls")
    if tls is not None and bool(tls) != implied_tls(srv, options):
        query.append(("tls", "true" if tls else "false"))
    for name in OPTIONS:
        if name in options and name != "tls":
            query.extend((name, text) for text in render(name, options[name]))
    return query
