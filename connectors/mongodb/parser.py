"""The MongoDB connection string, as its specification reads it (not a generic URL parser).

``parse_uri(text)`` follows the connection-string spec's reference order: strip the scheme,
end the host list at the first ``/`` (or ``?``), split user info from hosts at the last ``@``,
split the user info at the first ``:``, split hosts on ``,``, split the database from the options
at the first ``?``, split options on ``&``; every part is percent-decoded strictly. Option keys
are case-insensitive and kept in the canonical spelling of the uri-options table; an unknown key
or an invalid value is a warning, never an error; a conflict the specs call an error is a
ParseError. ``spec_shape`` gives the result in the official test suites' shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from connectors.errors import ParseError
from connectors.mongodb.options import (
    CANONICAL,
    INVALID,
    LIST_OPTIONS,
    NO_REPEAT,
    TLS_CONFLICTS,
    convert,
)
from connectors.parsing import percent_decode, shown_name, split_host_port

TYPE_NAME = "mongodb"
SCHEME = "mongodb://"
SRV_SCHEME = "mongodb+srv://"
DEFAULT_PORT = 27017

_IPV4 = re.compile(r"^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$")
_DB_FORBIDDEN = frozenset('/\\ "$')


@dataclass(frozen=True)
class Host:
    """One seed: ``type`` is ``hostname``, ``ipv4``, ``ip_literal`` or ``unix``."""

    type: str
    host: str
    port: int | None = None


@dataclass
class ParsedURI:
    """A connection string split into its parts, before credentials are built from them."""

    srv: bool
    hosts: list[Host]
    username: str | None = None
    password: str | None = None
    database: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _error(message: str, position: int | None = None, hint: str | None = None) -> ParseError:
    """A ParseError of the mongodb type."""
    return ParseError(message, position=position, type_name=TYPE_NAME, hint=hint)


def parse_uri(text: str) -> ParsedURI:
    """Split and validate ``text``; a ParseError names the problem and its position."""
    if text.startswith(SCHEME):
        srv, start = False, len(SCHEME)
    elif text.startswith(SRV_SCHEME):
        srv, start = True, len(SRV_SCHEME)
    else:
        raise _error(
            "expected the scheme mongodb:// or mongodb+srv://",
            0,
            hint="did you mean mongodb://...? (the scheme is lowercase, with two slashes)",
        )
    if "\0" in text:  # a driver reads a C string: write a NUL as %00 where it is allowed
        raise _error("a NUL character in the connection string", text.index("\0"))
    slash = text.find("/", start)
    question = text.find("?", start)
    ends = [i for i in (slash, question) if i >= 0]
    end = min(ends) if ends else len(text)
    parsed = ParsedURI(srv=srv, hosts=[])
    at = text.rfind("@", start, end)
    hosts_at = start
    if at >= 0:
        _parse_userinfo(text, start, at, parsed)
        hosts_at = at + 1
    parsed.hosts = _parse_hosts(text, hosts_at, end, srv)
    if end < len(text):
        path_at = end + 1 if text[end] == "/" else end
        query_mark = text.find("?", path_at)
        db_end = query_mark if query_mark >= 0 else len(text)
        if db_end > path_at:
            parsed.database = _parse_database(text, path_at, db_end)
        if query_mark >= 0:
            _parse_options(text, query_mark + 1, parsed)
    _validate(parsed)
    return parsed


def _parse_userinfo(text: str, start: int, at: int, parsed: ParsedURI) -> None:
    """``user[:password]`` between ``start`` and the ``@`` at ``at``, into ``parsed``."""
    userinfo = text[start:at]
    if "@" in userinfo:
        raise _error(
            "unescaped '@' in the user info (write it as %40)",
            start + userinfo.find("@"),
            hint="percent-encode '@' in the user name or password as %40 (the MongoDB "
            "connection-string spec refuses a bare one)",
        )
    user_raw, colon, password_raw = userinfo.partition(":")
    if ":" in password_raw:
        where = start + len(user_raw) + 1 + password_raw.find(":")
        raise _error(
            "unescaped ':' in the password (write it as %3A)",
            where,
            hint="percent-encode ':' in the password as %3A",
        )
    if not user_raw:
        raise _error("empty user name before '@'", start)
    parsed.username = percent_decode(user_raw, offset=start, what="user name")
    if colon:
        at_password = start + len(user_raw) + 1
        parsed.password = percent_decode(password_raw, offset=at_password, what="password")


def _parse_hosts(text: str, start: int, end: int, srv: bool) -> list[Host]:
    """The comma-separated seed list; a ``mongodb+srv://`` string takes one bare host name."""
    if start >= end:
        raise _error("no host given", start)
    hosts = []
    offset = start
    for item in text[start:end].split(","):
        hosts.append(_parse_host(item, offset))
        offset += len(item) + 1
    if srv:
        if len(hosts) != 1:
            raise _error(
                "mongodb+srv:// takes exactly one host name",
                start,
                hint="did you mean mongodb://host1,host2/...? (a seed list without SRV)",
            )
        if hosts[0].port is not None:
            host = hosts[0].host
            # the host is quoted back only when it is a host name: other text may be a secret
            named = all(char.isalnum() or char in "-._" for char in host)
            raise _error(
                "mongodb+srv:// takes no port (the SRV record gives the ports)",
                start + len(host) + 1 if text.startswith(host, start) else start,
                hint=f"did you mean mongodb+srv://{host}/ (without the port) or "
                f"mongodb://{host}:{hosts[0].port}/ (no SRV lookup)?"
                if named
                else "remove the port, or write mongodb:// (no SRV lookup)",
            )
        if hosts[0].type != "hostname":
            raise _error("mongodb+srv:// needs a DNS host name", start)
    return hosts


def _parse_host(item: str, offset: int) -> Host:
    """One seed: ``[ipv6]:port``, ``host:port``, or a percent-encoded ``.sock`` path."""
    if not item:
        raise _error("empty host in the host list", offset)
    raw_host, port, _ = split_host_port(item, offset=offset, empty_port=False, type_name=TYPE_NAME)
    if item[0] == "[":
        return Host("ip_literal", raw_host, port)
    host = percent_decode(raw_host, offset=offset, what="host")
    if not host:
        raise _error("empty host name", offset)
    if "/" in host:
        if not host.endswith(".sock"):
            raise _error("a host containing '/' must be a Unix socket path ending in .sock", offset)
        if port is not None:
            raise _error("a Unix socket path takes no port", offset)
        return Host("unix", host)
    if ":" in host:  # decoded from %3A: written back, it would read as an IPv6 address
        raise _error("a percent-encoded ':' in a host name (an IPv6 address goes in [])", offset)
    return Host("ipv4" if _IPV4.match(host) else "hostname", host, port)


def _parse_database(text: str, start: int, end: int) -> str | None:
    """The database name, which may not hold any of ``/\\ "$`` once decoded."""
    database = percent_decode(text[start:end], offset=start, what="database name")
    for i, char in enumerate(database):
        if char in _DB_FORBIDDEN:
            raise _error(f"a database name cannot contain {char!r}", start + i)
    return database or None


def _parse_options(text: str, start: int, parsed: ParsedURI) -> None:
    """The ``&``-separated options from ``start`` into ``parsed`` (warnings for the ignored)."""
    options = parsed.options
    warnings = parsed.warnings
    given: set[str] = set()
    unknown: set[str] = set()
    tls_values: set[bool] = set()
    offset = start
    for item in text[start:].split("&"):
        item_at, offset = offset, offset + len(item) + 1
        if not item:
            continue
        key_raw, equals, value_raw = item.partition("=")
        if not equals:
            raise _error("option without '=' (expected key=value)", item_at)
        key = percent_decode(key_raw, offset=item_at, what="option name")
        name = CANONICAL.get(key.lower())
        if name is None:
            if key not in unknown:  # one note per name, however often it is repeated
                unknown.add(key)
                warnings.append(f"unknown option {shown_name(key)} ignored")
            continue
        value_at = item_at + len(key_raw) + 1
        value = percent_decode(value_raw, offset=value_at, what=f"{name} value")
        if name in given and name in NO_REPEAT:
            raise _error(f"option {name} given more than once", item_at)
        repeated = name in given and name not in LIST_OPTIONS and name != "tls"
        given.add(name)
        if value == "" and name == "authSource":
            raise _error("empty authSource", item_at)
        if value == "" and name not in LIST_OPTIONS:
            warnings.append(f"option {name} has an empty value; ignored")
            continue
        converted = convert(name, value)
        if converted is INVALID:
            warnings.append(f"invalid value for option {name}; ignored")
            continue
        if repeated:
            warnings.append(f"option {name} given more than once; the last value is used")
        if name in LIST_OPTIONS:
            options.setdefault(name, []).append(converted)
            continue
        if name == "tls":
            tls_values.add(converted)
        options[name] = converted
    _check_conflicts(parsed.options, given, tls_values, start)


def _check_conflicts(
    options: dict[str, Any], given: set[str], tls_values: set[bool], start: int
) -> None:
    """The option combinations the uri-options and SOCKS5 specs call errors."""
    if len(tls_values) > 1:
        raise _error("tls and ssl are given with different values", start)
    for first, second in TLS_CONFLICTS:
        if first in given and second in given:
            raise _error(f"options {first} and {second} cannot both be given", start)
    # An ignored (empty or invalid) option counts as not given: the value must stand alone.
    if "proxyHost" not in options and options.keys() & {
        "proxyPort",
        "proxyUsername",
        "proxyPassword",
    }:
        raise _error("proxyPort, proxyUsername and proxyPassword need proxyHost", start)
    if ("proxyUsername" in options) != ("proxyPassword" in options):
        raise _error("proxyUsername and proxyPassword must be given together", start)


def _validate(parsed: ParsedURI) -> None:
    """What the specs forbid across hosts, scheme and options (directConnection, loadBalanced,
    srvMaxHosts)."""
    options = parsed.options
    several = len(parsed.hosts) > 1
    if options.get("directConnection") is True and (several or parsed.srv):
        raise _error("directConnection=true needs exactly one host and no mongodb+srv://")
    if options.get("loadBalanced") is True:
        if several:
            raise _error("loadBalanced=true takes exactly one host")
        if options.get("directConnection") is True:
            raise _error("loadBalanced=true cannot be combined with directConnection=true")
        if "replicaSet" in options:
            raise _error("loadBalanced=true cannot be combined with replicaSet")
    if not parsed.srv:
        for name in ("srvMaxHosts", "srvServiceName"):
            if name in options:
                raise _error(f"{name} is only allowed with mongodb+srv://")
    elif options.get("srvMaxHosts", 0) > 0:
        if "replicaSet" in options:
            raise _error("srvMaxHosts cannot be combined with replicaSet")
        if options.get("loadBalanced") is True:
            raise _error("srvMaxHosts cannot be combined with loadBalanced=true")


def spec_shape(parsed: ParsedURI) -> dict[str, Any]:
    """The connection-string test suites' shape: hosts, auth, options and the warning flag."""
    return {
        "hosts": [{"type": h.type, "host": h.host, "port": h.port} for h in parsed.hosts],
        "auth": {"username": parsed.username, "password": parsed.password, "db": parsed.database},
        "options": dict(parsed.options),
        "warning": bool(parsed.warnings),
    }
