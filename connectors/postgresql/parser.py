"""PostgreSQL connection strings to libpq keywords, following libpq's own parser.

Forms: the libpq URI (``postgresql://`` / ``postgres://``) and keyword/value strings exactly as
``PQconninfoParse`` reads them (libpq 18: spaces around URI query keys and values are trimmed),
plus what users paste from elsewhere: ``jdbc:postgresql:``, SQLAlchemy ``postgresql+<driver>://``,
``psql '<uri>'`` command lines and ``PGHOST=...`` / ``DATABASE_URL=...`` environment blocks.

The result is the dict libpq would build (keyword -> string), plus notes about what the input
implied. Positions in errors are 0-based offsets into the text; no message quotes a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote_plus

from connectors.errors import ParseError
from connectors.parsing import (
    PLACEHOLDER_NOTE,
    find_first,
    is_password_placeholder,
    parse_env_block,
    percent_decode,
    shown_name,
    split_host_port,
)
from connectors.postgresql.dialects import (
    ALIAS_URL,
    SCHEME_ALIASES,
    aside_note,
    near_keyword,
    translate,
)
from connectors.postgresql.keywords import ENVIRONMENT, KEYWORDS, URI_PREFIXES
from connectors.redact import is_secret_key

_SPACE = " \t\n\r\f\v"
_USERINFO_END = re.compile(r"[@/]")
_HOSTSPEC = re.compile(r"([^:/?,]*)(?::([^/?,]*))?")
_PORT = re.compile(r"(?::([^/?,]*))?")
_SQLALCHEMY = re.compile(r"postgres(?:ql)?\+([A-Za-z0-9_]+)://")
_KEY = re.compile(r"[^ \t\n\r\f\v=]*")
_UNQUOTED = re.compile(r"(?:[^ \t\n\r\f\v\\]|\\.)*", re.DOTALL)
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'", re.DOTALL)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_KEYWORD_START = re.compile(r"\s*([a-z_]+)\s*=")
_PSQL = re.compile(r"psql\s+(['\"])(.*)\1\s*$", re.DOTALL)


@dataclass
class Conninfo:
    """What a string says, as libpq keywords, and what the parser noticed on the way."""

    params: dict[str, str]
    notes: list[str] = field(default_factory=list)
    form: str = "uri"
    #: parameters of other drivers, kept aside (never sent to libpq)
    aside: dict[str, str] = field(default_factory=dict)
    #: the provider a scheme alias names (cockroach://, timescale://)
    provider: str | None = None


def parse_conninfo(text: str, *, lenient: bool = False) -> Conninfo:
    """Any supported form to libpq keywords (ParseError when it is not one).

    Strict (the default), a URI is read exactly as libpq reads it. ``lenient`` is what
    ``connectors.parse`` uses: scheme aliases, driver parameters kept aside, and a password with
    an unencoded ``@`` read up to the last ``@`` before the host.
    """
    if "\0" in text:  # libpq reads a C string: it would end there
        raise ParseError("a NUL character in the connection string", position=text.index("\0"))
    if text.startswith(URI_PREFIXES):
        result = _read_uri(text) if lenient else Conninfo(parse_uri(text))
    elif text.startswith("jdbc:postgresql:"):
        result = _parse_jdbc(text)
    elif text.startswith(("postgresql+", "postgres+")) or (lenient and ALIAS_URL.match(text)):
        if not (_SQLALCHEMY.match(text) or ALIAS_URL.match(text)):
            raise ParseError(
                "a SQLAlchemy URL looks like postgresql+<driver>://...",
                position=0,
                hint="postgresql+psycopg://user:password@host:5432/dbname",
            )
        result = _read_uri(text)
    elif text.startswith("psql"):
        match = _PSQL.match(text)
        if not match:
            raise ParseError(
                "a psql command line needs the connection string in quotes",
                position=0,
                hint="psql 'postgresql://user@host:5432/dbname'",
            )
        inner = match[2].strip()
        result = _shifted(lambda: parse_conninfo(inner, lenient=lenient), text.index(inner))
    elif text.lower().startswith(("postgresql:", "postgres:")):
        raise ParseError(
            "a PostgreSQL URI starts with exactly 'postgresql://' or 'postgres://' (lowercase)",
            position=0,
            hint="did you mean postgresql://...?",
        )
    else:
        env = _parse_environment(text, lenient)
        result = env if env is not None else Conninfo(parse_keyword_value(text), form="keyword")
    _drop_placeholder_password(result)
    return result


def _shifted(read: Callable[[], Conninfo], offset: int) -> Conninfo:
    """``read()``, with error positions moved by ``offset`` (it reads a part of the text)."""
    try:
        return read()
    except ParseError as exc:
        if exc.position is not None:
            exc.position += offset
        raise


def _read_uri(text: str) -> Conninfo:
    """A URI as ``connectors.parse`` reads it: libpq's rules, plus what pasted URLs carry.

    ``postgresql+<driver>://`` (SQLAlchemy) and the Django/SQLAlchemy scheme aliases are read as
    ``postgresql://``; query parameters of other drivers are translated or kept aside; an
    unencoded ``@`` in the password is read up to the last ``@`` before the host.
    """
    notes: list[str] = []
    provider = None
    scheme_end = text.index("://")
    scheme, _, driver = text[:scheme_end].partition("+")
    if scheme not in ("postgresql", "postgres"):
        provider, what = SCHEME_ALIASES[scheme]
        notes.append(f"read as postgresql://: {what}")
    if driver:
        notes.append(
            f"converted from a SQLAlchemy URL (driver {driver} left out: the resource is "
            "driver-neutral)"
        )
    shift = scheme_end + 3 - len("postgresql://")
    uri = "postgresql://" + text[scheme_end + 3 :]
    at = uri.find("@")
    # the common case: no '@', or one that ends the user info before any '/'
    plain = at < 0 or (uri.find("@", at + 1) < 0 and at < find_first(uri, "/", 13))
    uri, host_at = (uri, len(uri)) if plain else _repair_userinfo(uri, notes)
    moved = len(uri) - len(text) + shift  # two characters more for each '@' encoded

    def position(at: int) -> int:
        return at + shift - (moved if at >= host_at else 0)

    aside: dict[str, str] = {}
    try:
        if not plain:
            _check_unencoded(uri)
        params, query_at = _parse_uri_head(uri)
        if query_at >= 0:
            parse_query(uri, query_at, params, aside)
    except ParseError as exc:
        if exc.position is not None:
            exc.position = position(exc.position)
        raise
    if aside:
        notes.append(aside_note(sorted(aside)))
    return Conninfo(
        params, notes, form="sqlalchemy" if driver else "uri", aside=aside, provider=provider
    )


def _repair_userinfo(uri: str, notes: list[str]) -> tuple[str, int]:
    """``uri`` with the ``@`` of the user info percent-encoded when the host libpq would read
    holds an ``@``: the last ``@`` before the host ends the user info (what the user meant; libpq
    takes the first and reads the rest as the host). Returns the text and where the host is."""
    start = len("postgresql://")
    slash = find_first(uri, "/", start)
    first = uri.find("@", start, slash)
    if first < 0:
        return uri, len(uri)
    host_end = find_first(uri, "/?", first + 1)
    last = uri.rfind("@", first + 1, host_end)
    if last < 0 or not _HOST_LIST.fullmatch(uri[last + 1 : host_end]):
        return uri, len(uri)
    userinfo = uri[start:last]
    user, colon, _password = userinfo.partition(":")
    where = "password" if colon and "@" not in user else "user name"
    notes.append(
        f"the {where} has an unencoded '@': read up to the last '@' before the host "
        "(write '@' as %40 in a URI)"
    )
    encoded = userinfo.replace("@", "%40")
    return uri[:start] + encoded + uri[last:], start + len(encoded)


_HOST_LIST = re.compile(r"[A-Za-z0-9.\-_%\[\]:,]+")


def _check_unencoded(uri: str) -> None:
    """A ``/`` in a password ends libpq's user info early and moves the rest of it with the host
    into the dbname: refuse such a string rather than store wrong fields."""
    start = len("postgresql://")
    slash = find_first(uri, "/", start)
    path_end = find_first(uri, "?", slash)
    if "@" in uri[start:slash] or "@" not in uri[slash:path_end]:
        return
    raise ParseError(
        "an unencoded '/' in the password (or user name) cuts the URI short",
        position=slash,
        hint="percent-encode it as %2F (in a password: '/' is %2F, '?' %3F, '#' %23, '@' %40)",
    )


def parse_uri(text: str) -> dict[str, str]:
    """A libpq URI, as libpq's ``conninfo_uri_parse_options`` reads it."""
    params, query_at = _parse_uri_head(text)
    if query_at >= 0:
        parse_query(text, query_at, params)
    return params


def _parse_uri_head(text: str) -> tuple[dict[str, str], int]:
    """Everything before the query; returns the params and where the query starts (or -1)."""
    start = text.index("//") + 2
    params: dict[str, str] = {}
    n = len(text)
    i = start
    found = _USERINFO_END.search(text, start)
    if found is not None and found.group() == "@":
        at = found.start()
        user, _, password = text[start:at].partition(":")
        if user:
            params["user"] = decode_part(user, start, "user name")
        if password:
            params["password"] = decode_part(password, start + len(user) + 1, "password")
        i = at + 1
    i = _parse_host_list(text, i, params)
    if i < n and text[i] == "/":
        query_at = text.find("?", i + 1)
        end = n if query_at < 0 else query_at
        if end > i + 1:
            params["dbname"] = decode_part(text[i + 1 : end], i + 1, "dbname")
        i = end
    return params, (i + 1 if i < n else -1)  # text[i] == "?" when i < n


def _parse_host_list(text: str, i: int, params: dict[str, str]) -> int:
    """``host[:port][,host[:port]...]`` from ``i`` into ``params``; returns where it ends."""
    n = len(text)
    hosts: list[str] = []
    ports: list[str] = []
    host_at = i
    while True:
        if i < n and text[i] == "[":
            end = find_first(text, ",/?", i)
            host, _, _ = split_host_port(text[i:end], offset=i, numeric_port=False)
            hosts.append(host)
            i += len(host) + 2
            spec = _PORT.match(text, i)
            assert spec is not None  # the pattern matches the empty string
        else:
            spec = _HOSTSPEC.match(text, i)
            assert spec is not None
            hosts.append(spec[1])
        ports.append(spec[spec.re.groups] or "")
        i = spec.end()
        if i >= n or text[i] != ",":
            break
        i += 1
    host = ",".join(hosts)
    if host:
        params["host"] = decode_part(host, host_at, "host")
    port = ",".join(ports)
    if port:
        params["port"] = decode_part(port, host_at, "port")
    return i


def decode_part(part: str, offset: int, what: str) -> str:
    """``part`` percent-decoded (strictly, as libpq does) when it holds a ``%``."""
    return percent_decode(part, offset=offset, what=what) if "%" in part else part


def parse_query(
    text: str, start: int, params: dict[str, str], aside: dict[str, str] | None = None
) -> None:
    """The URI query from ``start`` into ``params`` (libpq accepts ``ssl=true`` as sslmode).

    With ``aside``, parameters of other drivers are translated or kept there (``dialects``);
    without it an unknown parameter is an error, as in libpq.
    """
    at = start
    secret = params.get("password")  # read from the user info before the query
    for pair in text[start:].split("&"):
        here = at
        at += len(pair) + 1
        if not pair and at > len(text):
            break  # a trailing '&' (or an empty query) is allowed
        key, eq, value = pair.partition("=")
        if not eq:
            raise ParseError("missing '=' in a URI query parameter", position=here)
        if "=" in value:
            raise ParseError(
                f"extra '=' in the URI query parameter {shown_name(key, secret)}", position=here
            )
        if " " in pair:
            key, value = key.strip(" "), value.strip(" ")
            if " " in key or " " in value:
                raise ParseError(
                    "unexpected space in a URI query parameter (write it as %20)", position=here
                )
        if "%" in pair:
            value_at = here + len(key) + 1
            key = decode_part(key, here, "query parameter name")
            value = decode_part(value, value_at, f"value of {shown_name(key, secret)}")
        if key in KEYWORDS:
            params[key] = value
        elif key == "ssl" and value == "true":
            params["sslmode"] = "require"
        elif aside is None:
            raise ParseError(
                f"unknown URI query parameter {shown_name(key, secret)}", position=here
            )
        else:
            _driver_parameter(key, value, params, aside, here)


def _driver_parameter(
    key: str, value: str, params: dict[str, str], aside: dict[str, str], position: int
) -> None:
    """A query parameter libpq does not know: translated, kept aside, or a typo (an error)."""
    if translate(key, value, params):
        return
    near = near_keyword(key)
    if near is not None or not key:
        raise ParseError(
            f"unknown URI query parameter {shown_name(key, params.get('password'))}",
            position=position,
            hint=f"did you mean {near!r}?" if near else "a query parameter needs a name",
        )
    aside[key] = value


def parse_keyword_value(text: str) -> dict[str, str]:
    """A keyword/value string (``host=h dbname='my db'``), as libpq's ``conninfo_parse``."""
    params: dict[str, str] = {}
    n = len(text)
    i = 0
    after_secret = False  # a word after an unquoted password may be the rest of it
    while True:
        while i < n and text[i] in _SPACE:
            i += 1
        if i >= n:
            return params
        key_at = i
        key = _KEY.match(text, i).group()  # type: ignore[union-attr]
        i += len(key)
        while i < n and text[i] in _SPACE:
            i += 1
        if i >= n or text[i] != "=":
            # only a keyword is named: another word may be a password or a token pasted alone
            shown = "a word (not shown: it may be a secret)"
            if not after_secret and key in KEYWORDS:
                shown = repr(key)
            raise ParseError(f"missing '=' after {shown}", position=key_at)
        i += 1
        while i < n and text[i] in _SPACE:
            i += 1
        if i < n and text[i] == "'":
            quoted = _QUOTED.match(text, i)
            if quoted is None:
                raise ParseError("unterminated quoted string", position=i)
            raw = quoted.group(1)
            i = quoted.end()
            unquoted = False
        else:
            unquoted = True
            raw = _UNQUOTED.match(text, i).group()  # type: ignore[union-attr]
            i += len(raw)
            if i == n - 1 and text[i] == "\\":
                i = n  # libpq drops a backslash that ends the string
        if key not in KEYWORDS:
            shown = "(not shown: it may be part of the password)"
            # a password written without its '=' (passwordXYZ) is not shown either
            hidden = after_secret or (
                key not in KEYWORDS and (is_secret_key(key) or key.lower().startswith("pass"))
            )
            shown = shown if hidden else shown_name(key)
            raise ParseError(f"unknown connection keyword {shown}", position=key_at)
        after_secret = unquoted and key in ("password", "sslpassword")
        params[key] = _ESCAPE.sub(r"\1", raw) if "\\" in raw else raw


def looks_like_keyword_value(text: str) -> bool:
    """True when ``text`` starts with a libpq keyword and '=' (cheap, for detection)."""
    match = _KEYWORD_START.match(text)
    return match is not None and match[1] in KEYWORDS


_URL_PREFIXES = (*URI_PREFIXES, "jdbc:postgresql:", "postgresql+", "postgres+")
_ENV_START = re.compile(r"\s*(?:export\s+)?([A-Z][A-Z0-9_]*)\s*=\s*['\"]?(\S{0,20})")


def looks_like_environment(text: str) -> bool:
    """True for ``PGHOST=...`` blocks and ``DATABASE_URL=postgresql://...`` (cheap)."""
    match = _ENV_START.match(text)
    if match is None:
        return False
    return match[1] in ENVIRONMENT or match[2].startswith(("postgres", "jdbc:postgresql"))


def _parse_environment(text: str, lenient: bool = False) -> Conninfo | None:
    """``PGHOST=... PGUSER=...`` blocks, or one ``*_URL=postgresql://...`` assignment."""
    if _ENV_START.match(text) is None:
        return None
    variables = parse_env_block(text)
    urls = [v for v in variables.values() if v.startswith(_URL_PREFIXES) or ALIAS_URL.match(v)]
    if len(urls) == 1 and not any(name in ENVIRONMENT for name in variables):
        url = urls[0]
        result = _shifted(lambda: parse_conninfo(url, lenient=lenient), max(text.find(url), 0))
        result.form = "environment"
        return result
    params = {ENVIRONMENT[k]: v for k, v in variables.items() if k in ENVIRONMENT}
    if not params:
        return None
    ignored = sorted(k for k in variables if k not in ENVIRONMENT)
    notes = [f"ignored variables that are not libpq settings: {', '.join(ignored)}"]
    return Conninfo(params, notes if ignored else [], form="environment")


def _parse_jdbc(text: str) -> Conninfo:
    """``jdbc:postgresql://host:port/db?user=..&password=..`` (pgjdbc: query values are
    URL-decoded, ``+`` is a space) and the short ``jdbc:postgresql:db`` form."""
    offset = len("jdbc:postgresql:")
    if text.startswith("//", offset):
        params, query_at = _parse_uri_head(text)
        query = text[query_at:] if query_at >= 0 else ""
    else:
        body, _, query = text[offset:].partition("?")
        query_at = offset + len(body) + 1
        params = {}
        if body not in ("", "/"):
            params["dbname"] = percent_decode(body, offset=offset, what="dbname")
    notes = ["converted from a JDBC URL"]
    aside: dict[str, str] = {}
    for name, value, here in _query_pairs(query, query_at):
        if name in KEYWORDS:
            params[name] = value
        elif name == "ssl" and value == "":
            params.setdefault("sslmode", "require")
        elif name:
            _driver_parameter(name, value, params, aside, here)
    if aside:
        notes.append(aside_note(sorted(aside)))
    return Conninfo(params, notes, form="jdbc", aside=aside)


def _query_pairs(query: str, offset: int) -> list[tuple[str, str, int]]:
    """``(name, value, position)`` of each pair of a JDBC query starting at ``offset``, values
    URL-decoded (``+`` = space). A NUL (``%00``) is refused: libpq cannot carry it."""
    pairs: list[tuple[str, str, int]] = []
    at = offset
    for pair in query.split("&") if query else []:
        name, _, raw = pair.partition("=")
        value = unquote_plus(raw)
        if "\0" in value:
            escape = at + len(name) + 1 + max(raw.find("%00"), 0)
            message = f"forbidden %00 in the value of {shown_name(name)}"
            raise ParseError(message, position=escape)
        pairs.append((name, value, at))
        at += len(pair) + 1
    return pairs


def _drop_placeholder_password(result: Conninfo) -> None:
    """A console placeholder such as ``[YOUR-PASSWORD]`` is no password: drop it, say so."""
    if is_password_placeholder(result.params.get("password", "")):
        del result.params["password"]
        result.notes.append(PLACEHOLDER_NOTE)
