"""redis-py ``from_url`` semantics: redis://, rediss:// and unix:// URLs to a redis value.

The rules are those of ``redis.connection.parse_url`` (redis-py 8.1):

- user name, password, host and unix socket path are percent-decoded like ``unquote``
  (``+`` stays ``+``; a ``%`` that starts no escape is kept as written);
- the host is lower-cased (``urlsplit``); ``[v6]`` literals lose their brackets;
- the query is read like ``parse_qs``: ``&``-separated, ``+`` is a space, values decoded once,
  the first of repeated keys wins, empty values and fields without ``=`` are dropped;
- the database number comes from ``?db=`` first, then from the path (``/3``; a path that is not
  an integer is ignored), then 0; for ``unix://`` the path is the socket, so only ``?db=``;
- the parameters redis-py types are checked with its rules (``int``, ``float``, ``to_bool``),
  ``ssl_cert_reqs`` must be none, optional or required, and any other parameter is kept as a
  string in ``options``.

Where this parser is stricter than redis-py it raises a ParseError rather than building a value
that fails later: port 0, a negative database, a ``protocol`` other than 2 or 3, invalid UTF-8
in an escape, an unencoded tab or line break. Messages never quote user info or query values.
"""

from __future__ import annotations

import ipaddress
import math
import re
from typing import Any
from urllib.parse import quote

from connectors.errors import ParseError
from connectors.parsing import parse_port, shown_name, split_host_port
from connectors.redis.schemes import DEFAULT_PORT as DEFAULT_PORT, SCHEMES as SCHEMES

TYPE = "redis"

#: query parameters that become typed fields of the value, with their kind
TYPED_FIELDS: dict[str, str] = {
    "socket_timeout": "float",
    "socket_connect_timeout": "float",
    "socket_keepalive": "bool",
    "retry_on_timeout": "bool",
    "health_check_interval": "int",
    "max_connections": "int",
    "protocol": "int",
    "client_name": "str",
    "decode_responses": "bool",
    "ssl_cert_reqs": "str",
    "ssl_check_hostname": "bool",
    "ssl_ca_certs": "str",
    "ssl_ca_data": "str",
    "ssl_certfile": "str",
    "ssl_keyfile": "str",
    "ssl_password": "str",
}
#: parameters redis-py types that stay strings in ``options`` (checked, kept as written)
CHECKED_OPTIONS: dict[str, str] = {
    "socket_read_size": "int",
    "ssl_min_version": "int",
    "timeout": "float",
    "legacy_responses": "bool",
    "ssl_include_verify_flags": "verify_flags",
    "ssl_exclude_verify_flags": "verify_flags",
}
SSL_CERT_REQS = ("none", "optional", "required")
#: lower bounds of typed fields, as the schema has them: name -> (bound, exclusive)
_LOWEST = {
    "socket_timeout": (0, True),
    "socket_connect_timeout": (0, True),
    "health_check_interval": (0, False),
    "max_connections": (1, False),
}
_FALSE_STRINGS = ("0", "F", "FALSE", "N", "NO")
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_NETLOC_END = re.compile(r"[/?#]")
_PREFIXES = tuple((scheme, f"{scheme}://") for scheme in SCHEMES)  # longest first


def to_bool(text: str) -> bool:
    """redis-py's ``to_bool`` for a non-empty string: 0/F/FALSE/N/NO (any case) are false."""
    return text.upper() not in _FALSE_STRINGS


def unquote(text: str, *, offset: int, what: str) -> str:
    """``urllib.parse.unquote``, except that escaped bytes must be UTF-8 (else a ParseError)."""
    if "%" not in text:
        return text

    def decode(match: re.Match[str]) -> str:
        raw = bytes.fromhex(match.group().replace("%", ""))
        try:
            return raw.decode()
        except UnicodeDecodeError as exc:
            message = f"percent-encoded bytes in the {what} are not UTF-8"
            raise ParseError(message, position=offset + match.start(), type_name=TYPE) from exc

    return _ESCAPES.sub(decode, text)


# The form most URLs take: lower-case scheme and host, unreserved characters and escapes in the
# user name and password, a numeric port and database, a query. It is read in one match; anything
# else (brackets, upper case, a fragment, a port out of range, a query naming the host, port, user
# or password) goes through the full parser, which gives the same value for these
# (tests/default_plugins/test_redis_fast_path.py).
_SIMPLE = re.compile(
    r"(rediss?)://(?:([\w.~%-]*)(?::([\w.~%-]*))?@)?"
    r"([a-z0-9][a-z0-9.-]*)(?::([1-9][0-9]{0,4}))?(?:/([0-9]{0,9}))?(?:\?([^#]*))?",
    re.ASCII,
)
#: query parameters that stand in for parts of the URL: the full parser weighs them
_URL_PARTS = frozenset(("host", "port", "username", "password", "path"))


def parse_redis_url(text: str) -> dict[str, Any]:
    """The redis resource value of a ``redis://``, ``rediss://`` or ``unix://`` URL."""
    simple = _SIMPLE.fullmatch(text)
    if simple is None:
        return parse_full_url(text)
    scheme, username, password, host, port, db, query = simple.groups()
    if port is not None and int(port) > 65535:
        return parse_full_url(text)
    if username and "%" in username:
        username = unquote(username, offset=simple.start(2), what="user name")
    if password and "%" in password:
        password = unquote(password, offset=simple.start(3), what="password")
    params = _query(query, simple.start(7)) if query else {}
    if params and not params.keys().isdisjoint(_URL_PARTS):
        return parse_full_url(text)
    value: dict[str, Any] = {
        "host": host,
        "port": int(port) if port else DEFAULT_PORT,
        "db": params.pop("db") if "db" in params else int(db) if db else 0,
        "username": username or "",
        "password": password or "",
        "tls": scheme == "rediss",
    }
    if params:
        _add_params(value, params)
    return value


def parse_full_url(text: str) -> dict[str, Any]:
    """``parse_redis_url`` without the shortcut for the simple form."""
    scheme = _scheme(text)
    start = len(scheme) + 3
    found = _NETLOC_END.search(text, start)
    end = found.start() if found else len(text)
    netloc = text[start:end]
    tail, _, _fragment = text[end:].partition("#")
    path, _, query = tail.partition("?")
    path_at, query_at = end, end + len(path) + 1

    value: dict[str, Any] = {}
    userinfo, at, hostport = netloc.rpartition("@")
    username, password = _userinfo(userinfo, start)
    params = _query(query, query_at) if query else {}

    # Query values of these redis-py keyword arguments count only when the URL lacks them.
    fallback = {
        name: params.pop(name)
        for name in ("host", "port", "username", "password")
        if name in params
    }
    if scheme == "unix":
        socket_path = unquote(path, offset=path_at, what="socket path") or params.pop("path", "")
        if not socket_path:
            raise ParseError("a unix:// URL needs a socket path", position=end, type_name=TYPE)
        value["unix_socket_path"] = socket_path
        value["db"] = params.pop("db", 0)
    else:
        host, port = _host_port(hostport, start + len(userinfo) + len(at), text)
        if not host and fallback.get("host"):
            host = _query_host(fallback["host"])
        value["host"] = host or "localhost"
        value["port"] = port or _query_port(fallback.get("port")) or DEFAULT_PORT
        db = params.pop("db") if "db" in params else _path_db(path, path_at)
        value["db"] = db if db is not None else 0
    value["username"] = username or fallback.get("username", "")
    value["password"] = password or fallback.get("password", "")
    value["tls"] = scheme == "rediss"
    if params:
        _add_params(value, params)
    return value


def _add_params(value: dict[str, Any], params: dict[str, Any]) -> None:
    """The typed fields of the query into ``value``, then the rest as its ``options``."""
    options = {name: item for name, item in params.items() if name not in TYPED_FIELDS}
    value.update((name, item) for name, item in params.items() if name in TYPED_FIELDS)
    if options:
        value["options"] = options


def _scheme(text: str) -> str:
    """The URL's scheme, lower-cased; a ParseError for another scheme or an unencoded tab."""
    for bad in ("\t", "\r", "\n"):
        if bad in text:
            raise ParseError(
                "unencoded tab or line break in the URL (percent-encode it)",
                position=text.index(bad),
                type_name=TYPE,
            )
    head = text[:9].lower()
    scheme = next((s for s, prefix in _PREFIXES if head.startswith(prefix)), None)
    if scheme is None:
        raise ParseError(
            "a Redis URL must start with redis://, rediss:// or unix://", position=0, type_name=TYPE
        )
    return scheme


def _userinfo(userinfo: str, offset: int) -> tuple[str, str]:
    raw_user, colon, raw_password = userinfo.partition(":")
    username = unquote(raw_user, offset=offset, what="user name")
    password = unquote(raw_password, offset=offset + len(raw_user) + len(colon), what="password")
    return username, password


def _host_port(hostport: str, offset: int, text: str) -> tuple[str, int | None]:
    if ("]" in hostport and not hostport.startswith("[")) or "[" in hostport[1:]:
        raise ParseError("malformed IPv6 address in brackets", position=offset, type_name=TYPE)
    try:
        host, port, _ = split_host_port(hostport, offset=offset, type_name=TYPE)
    except ParseError as exc:
        if not exc.message.startswith("invalid port"):
            raise
        hint = ""
        if "@" in text[offset:]:
            hint = "; a '/', '?' or '#' in a user name or password must be percent-encoded"
        raise ParseError(f"{exc.message}{hint}", position=exc.position, type_name=TYPE) from None
    if hostport[:1] == "[":
        try:
            ipaddress.ip_address(unquote(host, offset=offset + 1, what="host"))
        except ValueError as exc:
            raise ParseError(
                "the bracketed host is not an IPv6 address", position=offset + 1, type_name=TYPE
            ) from exc
    # lower-cased after decoding too (redis-py lowers before): %44 is D, written back as d
    return unquote(host.lower(), offset=offset, what="host").lower(), port


def _query_host(host: str) -> str:
    """``?host=``: a name or an IPv6 address, as the URL's own host could be."""
    if ":" in host:
        try:
            ipaddress.IPv6Address(host.strip("[]"))
        except ValueError:
            raise ParseError("the host in the query is not a host name", type_name=TYPE) from None
        return host.strip("[]").lower()
    return host.lower()


def _query_port(raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        return parse_port(raw)
    except ParseError:
        raise ParseError("invalid port in the query (expected 1-65535)", type_name=TYPE) from None


def _path_db(path: str, offset: int) -> int | None:
    if not path:
        return None
    try:
        db = int(unquote(path, offset=offset, what="path").replace("/", ""))
    except ValueError:
        return None  # redis-py ignores a path that is not a database number
    if db < 0:
        raise ParseError("the database number must be 0 or more", position=offset, type_name=TYPE)
    return db


def _query(query: str, offset: int) -> dict[str, Any]:
    """``parse_qs`` of the query (first value wins), each value typed or checked."""
    params: dict[str, Any] = {}
    at = offset
    for field in query.split("&"):
        field_at, at = at, at + len(field) + 1
        raw_name, _, item = field.partition("=")
        if not item:
            continue
        name = raw_name.replace("+", " ")
        if "%" in name:
            name = unquote(name, offset=field_at, what="query parameter name")
        if name in params:
            continue
        value_at = field_at + len(raw_name) + 1
        item = item.replace("+", " ")
        if "%" in item:
            item = unquote(item, offset=value_at, what=f"value of {shown_name(name)}")
        kind = _KINDS.get(name)
        params[name] = item if kind is None else _typed(name, kind, item, value_at)
    return params


#: the kind of each query parameter that is more than a string
_KINDS = {
    "db": "int",
    **{name: kind for name, kind in TYPED_FIELDS.items() if kind != "str"},
    "ssl_cert_reqs": "cert_reqs",
    **CHECKED_OPTIONS,
}
_EXPECTED = {"int": "an integer", "float": "a finite number", "verify_flags": "ssl.VerifyFlags"}


def _typed(name: str, kind: str, text: str, position: int) -> Any:
    try:
        converted = _convert(kind, text)
    except ValueError as exc:
        raise ParseError(
            f"invalid value for {name!r} in the query (expected {_EXPECTED[kind]})",
            position=position,
            type_name=TYPE,
        ) from exc
    if name in CHECKED_OPTIONS:
        return text
    if name == "db" and converted < 0:
        raise ParseError("the database number must be 0 or more", position=position, type_name=TYPE)
    low = _LOWEST.get(name)
    if low is not None and (converted <= low[0] if low[1] else converted < low[0]):
        bound = f"more than {low[0]}" if low[1] else f"{low[0]} or more"
        raise ParseError(f"{name} must be {bound}", position=position, type_name=TYPE)
    if name == "protocol" and converted not in (2, 3):
        raise ParseError("protocol must be 2 or 3", position=position, type_name=TYPE)
    if kind == "cert_reqs" and converted not in SSL_CERT_REQS:
        raise ParseError(
            "ssl_cert_reqs must be none, optional or required", position=position, type_name=TYPE
        )
    return converted


def _convert(kind: str, text: str) -> Any:
    if kind == "int":
        return int(text)
    if kind == "float":
        number = float(text)
        if not math.isfinite(number):
            raise ValueError(text)
        return number
    if kind == "bool":
        return to_bool(text)
    if kind == "cert_reqs":
        return text.lower()
    if kind == "verify_flags":
        import ssl

        for flag in text.replace("[", "").replace("]", "").split(","):
            if not hasattr(ssl.VerifyFlags, flag.strip()):
                raise ValueError(flag)
    return text


# --- rendering ---------------------------------------------------------------------------------

_HOST_SAFE = "!$&'()*+,;=-._~"


def render_redis_url(value: dict[str, Any]) -> str:
    """The URL redis-py's ``from_url`` (and ``parse_redis_url``) reads back as ``value``."""
    username = str(value.get("username") or "")
    password = str(value.get("password") or "")
    userinfo = quote(username, safe="")
    if password:
        userinfo += ":" + quote(password, safe="")
    if userinfo:
        userinfo += "@"
    query: list[tuple[str, Any]] = []
    socket_path = value.get("unix_socket_path")
    db = int(value.get("db") or 0)
    if socket_path:
        head = f"unix://{userinfo}{quote(str(socket_path), safe='/')}"
        query.append(("db", db))
    else:
        scheme = "rediss" if value.get("tls") else "redis"
        host = str(value.get("host") or "localhost")
        shown = f"[{quote(host, safe=':')}]" if ":" in host else quote(host, safe=_HOST_SAFE)
        port = int(value.get("port") or DEFAULT_PORT)
        head = f"{scheme}://{userinfo}{shown}:{port}/{db}"
    query += [(name, value[name]) for name in TYPED_FIELDS if value.get(name) not in (None, "")]
    query += [(k, v) for k, v in (value.get("options") or {}).items() if v not in (None, "")]
    if not query:
        return head
    return head + "?" + "&".join(f"{quote(k, safe='')}={_render(v)}" for k, v in query)


def _render(item: Any) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    return quote(str(item), safe="")
