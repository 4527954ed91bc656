"""A PostgreSQL string to the resource value: the usual URI in one match, every other form (and
every error) through libpq's rules in ``parser`` and ``value``.

tests/default_plugins/test_postgresql_fast_path.py checks that both readings agree.
"""

from __future__ import annotations

import re
from typing import Any

from connectors.errors import ParseError
from connectors.parsing import PLACEHOLDER_NOTE, is_password_placeholder, port_number
from connectors.postgresql.parser import decode_part, parse_conninfo, parse_query
from connectors.postgresql.value import URI_PARTS, add_keyword_fields, conninfo_to_value

#: the value, the notes on reading it and the provider a scheme alias names
Reading = tuple[dict[str, Any], list[str], str | None]

#: the usual URI: one host (a name, an address or a bracketed IPv6 literal), a port of digits
#: and no second '@'
_USUAL_URI = re.compile(
    r"postgres(?:ql)?://"
    r"(?:([^:@/?#\[\],\x00]*)(?::([^@/?\x00]*))?@)?"
    r"([A-Za-z0-9._\-]*|\[[0-9A-Fa-f:.]+\])"
    r"(?::([0-9]{1,5}))?"
    r"(?:/([^?@\x00]*))?"
    r"(?:\?([^@\x00]*))?\Z"
)


def read(text: str) -> Reading:
    """The value of any PostgreSQL string ``connectors.parse`` reads (ParseError if none)."""
    usual = _usual_uri(text)
    return usual if usual is not None else read_by_keywords(text)


def read_by_keywords(text: str) -> Reading:
    """The value through the libpq keywords the string gives (``parser.parse_conninfo``)."""
    parsed = parse_conninfo(text, lenient=True)
    value = conninfo_to_value(parsed.params, text)
    if parsed.aside:
        value["driver_parameters"] = dict(parsed.aside)
    return value, parsed.notes, parsed.provider


def _usual_uri(text: str) -> Reading | None:
    """The reading of a text ``_USUAL_URI`` matches whose query holds libpq keywords only;
    None for anything else, and on any error, for ``read_by_keywords`` to say where."""
    match = _USUAL_URI.match(text)
    if match is None:
        return None
    user, password, host, port, dbname, query = match.groups()
    value: dict[str, Any] = {}
    notes: list[str] = []
    try:
        if host:
            value["host"] = host[1:-1] if host[0] == "[" else host
        if port:
            number = port_number(port)
            if number is None:
                return None
            value["port"] = number
        # the '%' tests spare a call for the usual parts, which have none
        if user:
            value["user"] = decode_part(user, 0, "user name") if "%" in user else user
        if password:
            if "%" in password:
                password = decode_part(password, 0, "password")
            if is_password_placeholder(password):
                notes.append(PLACEHOLDER_NOTE)
            else:
                value["password"] = password
        if dbname:
            value["dbname"] = decode_part(dbname, 0, "dbname") if "%" in dbname else dbname
        if query is not None:
            keywords: dict[str, str] = {}
            aside: dict[str, str] = {}
            parse_query(text, match.start(6), keywords, aside)
            # a query key that sets a part the URI sets too: the keyword reader orders them
            if aside or not URI_PARTS.isdisjoint(keywords):
                return None
            add_keyword_fields(keywords, value)
    except ParseError:
        return None
    return value, notes, None
