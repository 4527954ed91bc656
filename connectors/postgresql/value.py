"""libpq keywords <-> the ``postgresql`` resource value, and the value back to strings.

The value is Windmill's shape (host, port, user, password, dbname, sslmode,
root_certificate_pem) plus extension fields: ``hosts`` for several hosts and every other libpq
keyword under its own name (``options``, ``target_session_attrs``, ``connect_timeout``, ...).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from connectors.errors import ParseError
from connectors.parsing import find_first, parse_port, shown_name, whole_number
from connectors.postgresql.keywords import INTEGER_KEYWORDS, SSLMODES

DEFAULT_PORT = 5432
DEFAULT_SSLMODE = "prefer"

#: the Windmill fields after host and port, written first (in this order) into libpq keywords
_LOGIN_FIELDS = ("user", "password", "dbname", "sslmode")
#: value fields that are not libpq keywords (or not written as one)
_NOT_LIBPQ = frozenset(("hosts", "host", "port", "root_certificate_pem", "driver_parameters"))
#: the keywords a URI carries outside its query
URI_PARTS = frozenset(("host", "port", "user", "password", "dbname"))


def conninfo_to_value(params: dict[str, str], source: str = "") -> dict[str, Any]:
    """The resource value for libpq keywords (ParseError for a bad port, sslmode or timeout,
    placed where the keyword is in ``source``, the text the keywords were read from)."""
    try:
        return _conninfo_to_value(params)
    except ParseError as exc:
        if exc.position is None and source:
            exc.position = _place(source, exc.message)
        raise


def _place(source: str, message: str) -> int:
    """Where the keyword an error names is in ``source`` (its start when it cannot be found)."""
    for key in ("sslmode", "connect_timeout"):
        if message.startswith((key, f"unknown {key}", f"invalid {key}")):
            found = source.find(key)
            return max(found, 0)
    if "port" in message:
        found = source.rfind(":", 0, _find_path(source))
        return max(found + 1, 0) if found >= 0 else max(source.find("port"), 0)
    return 0


def _find_path(source: str) -> int:
    start = source.find("://")
    return find_first(source, "/?", start + 3 if start >= 0 else 0)


def _conninfo_to_value(params: dict[str, str]) -> dict[str, Any]:
    value: dict[str, Any] = {}
    host, port = params.get("host", ""), params.get("port", "")
    if "," in host or "," in port:
        hosts = _hosts(host, port)
        value.update(hosts[0])
        if len(hosts) > 1:
            value["hosts"] = hosts
    else:
        if host:
            value["host"] = host
        if port and (number := _port(port)) is not None:
            value["port"] = number
    add_keyword_fields(params, value)
    return value


def add_keyword_fields(params: dict[str, str], value: dict[str, Any]) -> None:
    """Add to ``value``, in order, the fields of the libpq keywords other than host and port: an
    sslmode checked, an integer keyword's number (left out when blank), any other one's text."""
    password = params.get("password")  # kept out of error messages
    for key, text in params.items():
        if key not in _CHECKED:
            value[key] = text
        elif key == "sslmode":
            if text not in SSLMODES:
                raise ParseError(
                    f"unknown sslmode {shown_name(text, password)}",
                    hint=f"sslmode is one of {', '.join(SSLMODES)}",
                )
            value[key] = text
        elif key in INTEGER_KEYWORDS and text.strip():
            number = whole_number(text.strip(), signed=True)
            if number is None:
                raise ParseError(f"{key} must be a whole number of seconds", hint=f"{key}=10")
            value[key] = number


#: the keywords whose text is not their field as it is
_CHECKED = frozenset(("host", "port", "sslmode", *INTEGER_KEYWORDS))


def _hosts(host_text: str, port_text: str) -> list[dict[str, Any]]:
    """``hosts`` entries for libpq's comma-separated host and port lists (one port or one each)."""
    names = host_text.split(",") if host_text else []
    ports = [_port(p) for p in port_text.split(",")] if port_text else []
    if not names:
        if len(ports) > 1:
            raise ParseError(f"{len(ports)} ports given without hosts")
        return [{"port": ports[0]}] if ports and ports[0] is not None else []
    if len(ports) == 1:
        ports *= len(names)
    elif ports and len(ports) != len(names):
        raise ParseError(f"{len(names)} hosts but {len(ports)} ports (give one port or one each)")
    entries: list[dict[str, Any]] = []
    for index, name in enumerate(names):
        entry: dict[str, Any] = {"host": name} if name or len(names) > 1 else {}
        port = ports[index] if ports else None
        if port is not None:
            entry["port"] = port
        entries.append(entry)
    return entries


def _port(text: str) -> int | None:
    """A port number, None when blank (ParseError when it is not 1-65535)."""
    text = text.strip()
    if not text:
        return None
    # placed by conninfo_to_value: the keywords no longer know where they were read
    return parse_port(
        text,
        offset=None,
        hint="write the port as digits after the host (host:5432); a '/' in a password "
        "must be percent-encoded as %2F",
    )


def value_to_conninfo(value: dict[str, Any]) -> dict[str, str]:
    """libpq keywords for a value (root_certificate_pem, content not a path, is left out)."""
    params: dict[str, str] = {}
    hosts = host_entries(value)
    names = [str(entry.get("host", "")) for entry in hosts]
    ports = ["" if entry.get("port") is None else str(entry["port"]) for entry in hosts]
    if any(names):
        params["host"] = ",".join(names)
    if any(ports):
        params["port"] = ",".join(ports)
    for key in _LOGIN_FIELDS:
        if value.get(key) is not None:
            params[key] = str(value[key])
    for key, item in value.items():
        if key in _NOT_LIBPQ or key in _LOGIN_FIELDS or item is None:
            continue
        params[key] = str(item)
    return params


def host_entries(value: dict[str, Any]) -> list[dict[str, Any]]:
    """Every ``{host, port}`` of the value, in order: ``hosts``, else its own host and port."""
    if value.get("hosts"):
        return list(value["hosts"])
    if "host" in value or "port" in value:
        return [{key: value[key] for key in ("host", "port") if key in value}]
    return []


def to_uri(value: dict[str, Any]) -> str:
    """A libpq URI for the value; ``parse_uri`` of it gives the same keywords back."""
    params = value_to_conninfo(value)
    out = ["postgresql://"]
    user, password = params.get("user"), params.get("password")
    if user or password:
        out.append(_q(user or ""))
        if password:
            out.append(":" + _q(password))
        out.append("@")
    rendered = []
    for entry in host_entries(value):
        name = str(entry.get("host", ""))
        text = f"[{quote(name, safe=':')}]" if ":" in name else _q(name)
        if entry.get("port") is not None:
            text += f":{entry['port']}"
        rendered.append(text)
    out.append(",".join(rendered))
    if params.get("dbname"):
        out.append("/" + _q(params["dbname"]))
    # an empty user, password or dbname has no place before the query: libpq reads it there
    query = [
        f"{key}={_q(text)}"
        for key, text in params.items()
        if key not in URI_PARTS or (text == "" and key in ("user", "password", "dbname"))
    ]
    driver = value.get("driver_parameters") or {}
    query += [f"{_q(str(key))}={_q(str(text))}" for key, text in driver.items()]
    if query:
        out.append("?" + "&".join(query))
    return "".join(out)


def to_keyword_value(value: dict[str, Any]) -> str:
    """A libpq keyword/value string (``host=h port=5432 dbname='my db'``) for the value."""
    parts = []
    for key, text in value_to_conninfo(value).items():
        plain = text and not any(c.isspace() or c in "'\\" for c in text)
        shown = text if plain else "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
        parts.append(f"{key}={shown}")
    return " ".join(parts)


def _q(text: str) -> str:
    """``text`` percent-encoded for any part of a URI (nothing left unescaped)."""
    return quote(text, safe="")


def fill_defaults(value: dict[str, Any], preset: dict[str, str] | None = None) -> list[str]:
    """Give ``value`` a port and an sslmode when it has none, as Windmill's worker assumes
    (5432, prefer; ``preset`` holds what the provider requires instead); the notes say what."""
    hosts = value.get("hosts")
    if "port" in value and "sslmode" in value and not hosts:
        return []
    filled = []
    if isinstance(hosts, list) and any("port" not in entry for entry in hosts):
        for entry in hosts:
            entry.setdefault("port", DEFAULT_PORT)
        filled.append(f"port {DEFAULT_PORT} for the hosts without one")
    if "port" not in value:
        value["port"] = DEFAULT_PORT
        if not hosts:
            filled.append(f"port {DEFAULT_PORT}")
    notes = []
    if "sslmode" not in value:
        required = (preset or {}).get("sslmode")
        value["sslmode"] = required or DEFAULT_SSLMODE
        if required:
            notes.append(f"sslmode {required} filled in: the provider requires TLS")
        else:
            filled.append(f"sslmode {DEFAULT_SSLMODE}")
    if filled:
        notes.insert(0, _NOTES.get(tuple(filled)) or _filled_note(filled))
    return notes


def _filled_note(filled: list[str]) -> str:
    missing = " or ".join(item.split(" ", 1)[0] for item in filled)
    return (
        f"the string has no {missing}: {' and '.join(filled)} filled in "
        "(the defaults of libpq and Windmill's worker)"
    )


_NOTES = {
    tuple(filled): _filled_note(filled)
    for filled in (
        [f"port {DEFAULT_PORT}", f"sslmode {DEFAULT_SSLMODE}"],
        [f"port {DEFAULT_PORT}"],
        [f"sslmode {DEFAULT_SSLMODE}"],
    )
}


def normalise(value: dict[str, Any], preset: dict[str, str] | None = None) -> dict[str, Any]:
    """Canonical form: ``host``/``port`` mirror the first of ``hosts``; one host needs no list;
    port and sslmode filled in as ``fill_defaults`` does."""
    fill_defaults(value, preset)
    hosts = value.get("hosts")
    if isinstance(hosts, list) and hosts:
        first = hosts[0]
        for key in ("host", "port"):
            if key in first:
                value[key] = first[key]
            else:
                value.pop(key, None)
        if len(hosts) == 1:
            del value["hosts"]
    return value
