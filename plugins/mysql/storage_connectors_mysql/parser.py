"""MySQL and MariaDB connection strings, in every form a console or a driver's docs print.

- URLs: ``mysql://``, ``mariadb://``, SQLAlchemy ``mysql+<driver>://`` / ``mariadb+<driver>://``
  (user info and database percent-decoded strictly, options in the query);
- JDBC: ``jdbc:mysql://`` and ``jdbc:mariadb://`` (query values URL-decoded, ``+`` is a space);
- the Go driver's DSN: ``user:password@tcp(host:3306)/db?tls=true`` (PlanetScale's Go snippet);
- keyword strings: ``host=h user=u password=p database=d`` (space-separated, ``'`` quotes) and
  .NET's ``Server=h;Port=3306;Uid=u;Pwd=p;Database=d;SslMode=Required`` (Azure's console);
- the mysql / mariadb command line: ``mysql -h h -P 25060 -u doadmin -p... -D db --ssl-mode=...``.

Positions in errors are 0-based offsets into the text; no message quotes a password.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

from connectors import ParseError
from connectors.parsing import (
    PLACEHOLDER_NOTE,
    check_host,
    is_password_placeholder,
    parse_port,
    percent_decode,
    shown_name,
    split_host_port,
)
from storage_connectors_mysql.forms import JDBC_PREFIXES as JDBC_PREFIXES, KEYWORDS
from storage_connectors_mysql.options import Options

URL_SCHEMES = ("mysql://", "mariadb://")
_SQLALCHEMY = re.compile(r"(mysql|mariadb)\+([A-Za-z0-9_]+)://")
_GO_DSN = re.compile(
    r"(?:(?P<userinfo>.*)@)?(?P<net>tcp|unix)\((?P<addr>[^)]*)\)(?P<rest>.*)\Z", re.S
)
_COMMAND = re.compile(r"(mysql|mariadb)(\s|\Z)")
_KEY_START = re.compile(r"\s*([A-Za-z][A-Za-z _-]*?)\s*=")


@dataclass
class Parsed:
    """What a string says: the value's fields (raw), its options, and notes about the form."""

    fields: dict[str, Any] = field(default_factory=dict)
    options: Options = field(default_factory=Options)
    notes: list[str] = field(default_factory=list)
    form: str = "url"


def parse_text(text: str) -> Parsed:
    """Any supported form (ParseError when it is none of them)."""
    if "\0" in text:  # no client can send it, and no URL can carry it back
        raise ParseError("a NUL character in the string", position=text.index("\0"),
                         type_name="mysql")  # fmt: skip
    lowered = text[:16].lower()
    if lowered.startswith(URL_SCHEMES):
        parsed = parse_url(text)
    elif _SQLALCHEMY.match(text):
        parsed = _parse_sqlalchemy(text)
    elif lowered.startswith(JDBC_PREFIXES):
        parsed = _parse_jdbc(text)
    elif _COMMAND.match(text):
        parsed = _parse_command(text)
    elif _GO_DSN.match(text):
        parsed = _parse_go(text)
    elif _KEY_START.match(text):
        parsed = parse_keywords(text)
    else:
        raise ParseError(
            "not a MySQL connection string (expected mysql://, mariadb://, jdbc:mysql://, "
            "a Go DSN user@tcp(host)/db, or host=... user=... keywords)",
            position=0,
            type_name="mysql",
        )
    password = parsed.fields.get("password")
    if isinstance(password, str) and is_password_placeholder(password):
        del parsed.fields["password"]
        parsed.notes.append(PLACEHOLDER_NOTE)
    return parsed


# -- URLs ----------------------------------------------------------------------------------------


def parse_url(text: str, *, start: int | None = None, decode_query: bool = False) -> Parsed:
    """``scheme://[user[:password]@]host[:port][/database][?options]`` from ``start``."""
    if start is None:
        start = text.index("//") + 2
    parsed = Parsed()
    auth_end = _authority_end(text, start)
    authority = text[start:auth_end]
    _check_userinfo(text, start, auth_end)
    host_at = start
    if "@" in authority:
        at = start + authority.rindex("@")
        user, colon, password = text[start:at].partition(":")
        if user:
            parsed.fields["user"] = percent_decode(user, offset=start, what="user name")
        if colon:
            parsed.fields["password"] = percent_decode(
                password, offset=start + len(user) + 1, what="password"
            )
        host_at = at + 1
    _read_host(text[host_at:auth_end], host_at, parsed)
    rest = text[auth_end:]
    path, _, query = rest.partition("?")
    if path.startswith("#"):
        raise ParseError("unexpected '#' after the host", position=auth_end, type_name="mysql")
    if path not in ("", "/"):
        database = path[1:]
        if "/" in database:
            at = auth_end + 1 + database.index("/")
            raise ParseError(
                "unexpected '/' in the database name (percent-encode it as %2F)",
                position=at,
                type_name="mysql",
            )
        parsed.fields["database"] = percent_decode(database, offset=auth_end + 1, what="database")
    if query:
        _read_query(text, auth_end + len(path) + 1, parsed, decode_plus=decode_query)
    return parsed


def _authority_end(text: str, start: int) -> int:
    for index in range(start, len(text)):
        if text[index] in "/?#":
            return index
    return len(text)


def _check_userinfo(text: str, start: int, end: int) -> None:
    """A reserved character left unencoded in the user info, reported where it is."""
    authority = text[start:end]
    if authority.count("@") > 1:
        raise ParseError(
            "unencoded '@' in the user name or password (percent-encode it as %40; Azure's "
            "user@server names too)",
            position=start + authority.index("@"),
            type_name="mysql",
        )
    if "@" in authority or end >= len(text):
        return
    later = text.find("@", end)
    if later < 0:
        return
    between = text[end:later]
    if "=" in between or "&" in between:
        return  # the '@' is in the query (a JDBC user or an e-mail), not in the user info
    char = text[end]
    raise ParseError(
        f"unencoded {char!r} in the password (percent-encode it as %{ord(char):02X}); the user "
        "info ends at the first '/', '?' or '#'",
        position=end,
        type_name="mysql",
    )


def _read_host(hostport: str, offset: int, parsed: Parsed) -> None:
    if "," in hostport:
        raise ParseError(
            "several hosts (failover or replication) are not supported: give one host",
            position=offset + hostport.index(","),
            type_name="mysql",
        )
    if not hostport:
        return
    hp = split_host_port(percent_decode(hostport, offset=offset, what="host"), offset=offset)
    if hp.host:
        check_host(hp.host, position=offset + (1 if hostport.startswith("[") else 0),
                   type_name="mysql")  # fmt: skip
        parsed.fields["host"] = hp.host
    if hp.port is not None:
        parsed.fields["port"] = hp.port


def _read_query(text: str, start: int, parsed: Parsed, *, decode_plus: bool) -> None:
    at = start
    for pair in text[start:].split("&"):
        here = at
        at += len(pair) + 1
        if not pair:
            continue
        name, _, raw = pair.partition("=")
        if not name:
            raise ParseError("an option with no name", position=here, type_name="mysql")
        value = unquote_plus(raw) if decode_plus else _decode(raw, here + len(name) + 1, name)
        if "\0" in value:  # JDBC's decoding lets %00 through: no string could carry it back
            at_escape = here + len(name) + 1 + max(raw.find("%00"), 0)
            message = f"forbidden %00 in the value of {shown_name(name)}"
            raise ParseError(message, position=at_escape, type_name="mysql")
        lowered = name.lower()
        if lowered in ("user", "password"):
            parsed.fields[lowered] = value
            continue
        parsed.options.set(
            name,
            value,
            position=here,
            lenient=parsed.form == "jdbc",
            password=parsed.fields.get("password"),
        )


def _decode(raw: str, offset: int, name: str) -> str:
    what = f"value of {shown_name(name)}"  # a name may be a pasted URL with its password
    return percent_decode(raw, offset=offset, what=what) if "%" in raw else raw


def _parse_sqlalchemy(text: str) -> Parsed:
    match = _SQLALCHEMY.match(text)
    assert match is not None
    parsed = parse_url(text, start=match.end())
    parsed.form = "sqlalchemy"
    parsed.notes.append(
        f"converted from a SQLAlchemy URL (driver {match[2]} left out: the resource is "
        "driver-neutral)"
    )
    return parsed


_JDBC_SUBPROTOCOL = re.compile(
    r"(loadbalance|replication|failover|sequential|aurora|address)[:/(]", re.IGNORECASE
)


def _parse_jdbc(text: str) -> Parsed:
    prefix = "jdbc:mysql:" if text[:11].lower() == "jdbc:mysql:" else "jdbc:mariadb:"
    offset = len(prefix)
    if not text.startswith("//", offset):
        # only a known sub-protocol word is quoted: other text here may be a pasted secret
        sub = _JDBC_SUBPROTOCOL.match(text, offset)
        what = f"JDBC sub-protocol {sub[1]!r} (several hosts)" if sub else "this JDBC form"
        raise ParseError(
            f"{what} is not supported: give one host as jdbc:mysql://host:port/database",
            position=offset,
            type_name="mysql",
        )
    parsed = Parsed(form="jdbc")
    base = parse_url(text[: _query_start(text)], start=offset + 2)
    parsed.fields, parsed.options = base.fields, base.options
    query_at = _query_start(text)
    if query_at < len(text):
        _read_query(text, query_at + 1, parsed, decode_plus=True)
    parsed.notes.append("converted from a JDBC URL")
    return parsed


def _query_start(text: str) -> int:
    index = text.find("?")
    return len(text) if index < 0 else index


def _parse_go(text: str) -> Parsed:
    """``[user[:password]@][tcp(host:port)]/db[?params]``: the password is not encoded."""
    match = _GO_DSN.match(text)
    assert match is not None
    parsed = Parsed(form="go")
    userinfo = match["userinfo"]
    if userinfo is not None:
        user, colon, password = userinfo.partition(":")
        if user:
            parsed.fields["user"] = user
        if colon:
            parsed.fields["password"] = password
    if match["net"] == "unix":
        raise ParseError("a unix socket DSN has no host to connect to", position=match.start("net"),
                         type_name="mysql")  # fmt: skip
    _read_host(match["addr"], match.start("addr"), parsed)
    rest, rest_at = match["rest"], match.start("rest")
    if not rest.startswith("/"):
        raise ParseError("expected '/' and the database after the address", position=rest_at,
                         type_name="mysql")  # fmt: skip
    database, _, query = rest[1:].partition("?")
    if database:
        parsed.fields["database"] = database
    if query:
        _read_query(text, rest_at + 2 + len(database), parsed, decode_plus=False)
    parsed.notes.append("converted from a Go MySQL driver DSN")
    return parsed


# -- keyword strings -----------------------------------------------------------------------------

_SEMICOLON_PAIR = re.compile(
    r"\s*([^=;]+?)\s*=\s*(\"(?:[^\"]|\"\")*\"|'(?:[^']|'')*'|[^;]*)\s*(?:;|\Z)"
)
_SPACE_PAIR = re.compile(r"\s*([^=\s]+)\s*=\s*('(?:[^'\\]|\\.)*'|\S*)")


def parse_keywords(text: str) -> Parsed:
    """``host=h user=u ...`` or ``Server=h;Uid=u;...``; keys are case-insensitive."""
    semicolons = ";" in text
    parsed = Parsed(form="dotnet" if semicolons else "keyword")
    pattern = _SEMICOLON_PAIR if semicolons else _SPACE_PAIR
    at = 0
    while at < len(text):
        if not text[at:].strip():
            break
        match = pattern.match(text, at)
        if match is None or match.end() == at:
            raise ParseError("expected key=value", position=at + _lead(text, at), type_name="mysql")
        name, raw = match[1], _unquote(match[2])
        _keyword(name, raw, match.start(1), parsed)
        at = match.end()
    return parsed


def _lead(text: str, at: int) -> int:
    return len(text[at:]) - len(text[at:].lstrip())


def _unquote(raw: str) -> str:
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        inner = raw[1:-1]
        return inner.replace(raw[0] * 2, raw[0]).replace("\\" + raw[0], raw[0])
    return raw


def _keyword(name: str, raw: str, position: int, parsed: Parsed) -> None:
    key = " ".join(name.lower().split())
    target = KEYWORDS.get(key)
    if target == "port":
        parsed.fields["port"] = parse_port(raw, offset=position + len(name) + 1)
    elif target == "host":
        _read_host(raw, position + len(name) + 1, parsed)
    elif target is not None:
        parsed.fields[target] = raw
    else:
        parsed.options.set(name, raw, position=position, password=parsed.fields.get("password"))


# -- the command line ----------------------------------------------------------------------------

_SHORT = {"-h": "host", "-P": "port", "-u": "user", "-p": "password", "-D": "database"}
_LONG = {"--host": "host", "--port": "port", "--user": "user", "--password": "password",
         "--database": "database"}  # fmt: skip


def _parse_command(text: str) -> Parsed:
    """``mysql -h host -P port -u user -pPASSWORD -D db --ssl-mode=REQUIRED [db]``."""
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise ParseError(f"the command line does not split into words: {exc}", position=0,
                         type_name="mysql") from None  # fmt: skip
    parsed = Parsed(form="command")
    index = 1
    cursor = 0
    while index < len(words):
        word = words[index]
        index += 1
        found = text.find(word, cursor)  # -1 when shlex removed quotes from the word
        position = found if found >= 0 else min(cursor, len(text))
        cursor = position + (len(word) if found >= 0 else 0)
        if word in ("-p", "--password"):
            parsed.notes.append("the command asks for the password when run: it is not in it")
            continue
        if word in _SHORT or word in _LONG:
            if index >= len(words):
                raise ParseError(f"{word} needs a value", position=position, type_name="mysql")
            _command_field(_SHORT.get(word) or _LONG[word], words[index], position, parsed)
            index += 1
        elif word[:2] in _SHORT and len(word) > 2 and not word.startswith("--"):
            _command_field(_SHORT[word[:2]], word[2:], position, parsed)
        elif word.startswith("--"):
            name, eq, raw = word[2:].partition("=")
            if name in ("host", "port", "user", "password", "database"):
                _command_field(name, raw, position, parsed)
            else:
                parsed.options.set(
                    name,
                    raw if eq else "",
                    position=position,
                    password=parsed.fields.get("password"),
                )
        elif not word.startswith("-") and "database" not in parsed.fields:
            parsed.fields["database"] = word
        else:
            raise ParseError(f"unknown option {shown_name(word.split('=')[0].lstrip('-'))}",
                             position=position, type_name="mysql")  # fmt: skip
    parsed.notes.append("converted from a mysql command line")
    return parsed


def _command_field(name: str, raw: str, position: int, parsed: Parsed) -> None:
    if name == "port":
        parsed.fields["port"] = parse_port(raw, offset=position)
    elif name == "host":
        _read_host(raw, position, parsed)
    else:
        parsed.fields[name] = raw
