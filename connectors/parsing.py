"""Small parsing helpers shared by the connection-string parsers.

Each family's own rules live in its parser; what is here is what several families share:
strict percent-decoding with positions, host[:port] splitting with IPv6 literals, and
``KEY=VALUE`` environment blocks as pasted from a console or a ``.env`` file.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import SplitResult, unquote_to_bytes

from connectors.errors import ParseError

_HEX = "0123456789abcdefABCDEF"
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
# What consoles print where the password goes: Supabase [YOUR-PASSWORD], Atlas <db_password>,
# {password}, your_password, a masked ********.
_PLACEHOLDER = re.compile(
    r"\[[^\]]*password[^\]]*\]|<[^>]*password[^>]*>|\{[^}]*password[^}]*\}|"
    r"your[-_ ]?password|\*{3,}",
    re.IGNORECASE,
)
PLACEHOLDER_NOTE = (
    "the password in the string is a console placeholder (such as [YOUR-PASSWORD]), not a "
    "password: it was left out; set the real password before connecting"
)


def is_password_placeholder(password: str) -> bool:
    """Whether ``password`` is a console's placeholder (``[YOUR-PASSWORD]``, ``<db_password>``)."""
    if not password or (password[0] not in "[<{*" and "ASSWORD" not in password.upper()):
        return False
    return _PLACEHOLDER.fullmatch(password) is not None


def percent_decode(
    text: str, *, offset: int = 0, what: str = "value", allow_nul: bool = False
) -> str:
    """Decode ``%XX`` escapes strictly (``+`` stays ``+``), as libpq and the MongoDB spec do.

    A bad escape is a ParseError naming ``what`` and the escape's position in the whole input
    (``offset`` is where ``text`` starts in it). The escape's text is not quoted, since
    ``what`` may be a password.
    """
    if "%" not in text:
        return text
    bad = _BAD_ESCAPE.search(text)
    if bad is None and (allow_nul or "%00" not in text):
        try:
            return _unescaped(text).decode()  # every escape is well formed: decode at once
        except UnicodeDecodeError as exc:
            message = f"percent-encoded bytes in the {what} are not UTF-8"
            raise ParseError(message, position=offset) from exc
    out = bytearray()
    i = 0
    while i < len(text):
        char = text[i]
        if char != "%":
            out += char.encode()
            i += 1
            continue
        pair = text[i + 1 : i + 3]
        if len(pair) < 2 or pair[0] not in _HEX or pair[1] not in _HEX:
            raise ParseError(f"invalid percent-encoding in the {what}", position=offset + i)
        byte = int(pair, 16)
        if byte == 0 and not allow_nul:
            raise ParseError(f"forbidden %00 in the {what}", position=offset + i)
        out.append(byte)
        i += 3
    try:
        return out.decode()
    except UnicodeDecodeError as exc:
        message = f"percent-encoded bytes in the {what} are not UTF-8"
        raise ParseError(message, position=offset) from exc


def _unescaped(text: str) -> bytes:
    """The bytes of ``text``, whose every ``%`` starts two hex digits, with those decoded."""
    if "\\" in text:
        return unquote_to_bytes(text)
    # as '\xXX' escapes, decoded in C: a third of unquote_to_bytes's cost
    return codecs.escape_decode(text.replace("%", "\\x").encode())[0]


def url_scheme(text: str) -> str | None:
    """The lower-cased scheme when ``text`` starts with ``scheme://``, else None.

    Detectors use it to turn down another family's URL before running their costlier checks.
    Every detector asks about the same text in turn: the last answer is kept.
    """
    global _last_scheme
    last_text, last_scheme = _last_scheme
    if text is last_text:
        return last_scheme
    end = text.find("://")
    scheme = _schemes.name(text[:end]) if end > 0 else None
    _last_scheme = (text, scheme)
    return scheme


_last_scheme: tuple[str | None, str | None] = (None, None)


def leading_key(text: str) -> str | None:
    """The upper-cased key when ``text`` (not a URL) starts with ``KEY=``, else None.

    A key is ASCII letters, digits, ``_`` and ``-``, not starting with a digit or ``-``; spaces
    around it are allowed (``host = h``). Auto-detection routes a text by it (``text_keys``).
    """
    end = text.find("=")
    return _keys.name(text[:end]) if end > 0 else None


class _Names:
    """What the head of a text names (a scheme, a key), remembered for the usual few heads: a
    dictionary lookup is the cheapest check. A new head is read with a pattern, not str
    methods: a long head that names nothing (a connection string holding a URL) is told at its
    first other character."""

    LIMIT = 256

    def __init__(self, pattern: str, case: Callable[[str], str]) -> None:
        self.pattern = re.compile(pattern)
        self.case = case
        self.seen: dict[str, str] = {}

    def name(self, head: str) -> str | None:
        found = self.seen.get(head)
        if found is not None:
            return found
        match = self.pattern.fullmatch(head)
        if match is None:
            return None
        found = self.case(match[1])
        if len(self.seen) < self.LIMIT:
            self.seen[head] = found
        return found


_schemes = _Names(r"\s*+([A-Za-z][A-Za-z0-9+.\-]*+)", str.lower)
_keys = _Names(r"\s*+([A-Za-z_][A-Za-z0-9_-]*+)\s*+", str.upper)


def find_first(text: str, stops: str, start: int = 0) -> int:
    """Where the first of the characters ``stops`` is in ``text`` from ``start`` on, else
    ``len(text)`` (each later search stops where an earlier one found its character)."""
    end = len(text)
    for stop in stops:
        found = text.find(stop, start, end)
        if found >= 0:
            end = found
    return end


def split_url(text: str) -> SplitResult:
    """``urllib.parse.urlsplit`` of a ``scheme://`` text without its work for other texts: no
    cache, no stripping of tabs and line breaks (refuse them first), no check of the host (read
    it with ``split_host_port`` and ``check_host``). Three times as fast, the same parts."""
    scheme, _, rest = text.partition("://")
    end = find_first(rest, "/?#")
    netloc, rest = rest[:end], rest[end:]
    rest, _, fragment = rest.partition("#")
    path, _, query = rest.partition("?")
    return SplitResult(scheme.lower(), netloc, path, query, fragment)


class HostPort(NamedTuple):
    """A host and its port, as ``split_host_port`` reads them."""

    host: str
    port: int | None
    #: the port exactly as written, for formats that keep a non-numeric port (libpq)
    port_text: str = ""


def split_host_port(
    text: str,
    *,
    offset: int = 0,
    default_port: int | None = None,
    numeric_port: bool = True,
    empty_port: bool = True,
    type_name: str | None = None,
) -> HostPort:
    """Split ``host``, ``host:port``, ``[v6]`` or ``[v6]:port``; brackets are removed.

    The one reader of an authority's host and port for every family's parser; plugins use it
    too. ``offset`` is where ``text`` starts in the whole input: each ParseError (carrying
    ``type_name``) is placed where its problem is, and quotes nothing but one character:

    - ``IPv6 address is missing its closing ']'`` and ``empty IPv6 address '[]'``, at the ``[``;
    - ``unexpected 'x' after an IPv6 address (expected ':')``, at that character;
    - ``an IPv6 address must be written in brackets`` (a host with a ``:``), at the host;
    - ``invalid port (expected 1-65535)`` (``parse_port``), at the port.

    A missing or empty port (``host:``) gives ``default_port``, or the port error when
    ``empty_port`` is False. With ``numeric_port=False`` a port that is not a number is kept
    in ``port_text`` (``port`` None) for the caller to judge, as libpq does.
    """
    if text[:1] == "[":
        end = text.find("]")
        if end < 0:
            raise ParseError(
                "IPv6 address is missing its closing ']'", position=offset, type_name=type_name
            )
        if end == 1:
            raise ParseError("empty IPv6 address '[]'", position=offset, type_name=type_name)
        host = text[1:end]
        if end + 1 < len(text) and text[end + 1] != ":":
            raise ParseError(
                f"unexpected {text[end + 1]!r} after an IPv6 address (expected ':')",
                position=offset + end + 1,
                type_name=type_name,
            )
        colon = end + 1 if end + 1 < len(text) else -1
    else:
        colon = text.rfind(":")
        host = text if colon < 0 else text[:colon]
        if ":" in host:
            raise ParseError(
                "an IPv6 address must be written in brackets", position=offset, type_name=type_name
            )
    port_text = text[colon + 1 :] if colon >= 0 else ""
    if not port_text and (colon < 0 or empty_port):
        return HostPort(host, default_port, "")
    if not numeric_port:
        return HostPort(host, whole_number(port_text), port_text)
    return HostPort(
        host, parse_port(port_text, offset=offset + colon + 1, type_name=type_name), port_text
    )


#: what the loop in check_host accepts: regular expressions' \w is str.isalnum() or '_'
_HOST_NAME = re.compile(r"[\w.\-]+")


def check_host(
    host: str, *, position: int | None = None, type_name: str | None = None, what: str = "host"
) -> str:
    """``host`` when it can be a host name or an IPv6 address (without brackets), else a
    ParseError at ``position`` (where ``host`` starts in the input).

    A name is letters and digits (any script, as an IDN is pasted), ``-``, ``_`` and ``.``:
    what URL libraries and the connection-string formats accept and can write back unchanged.
    """
    if not host:
        raise ParseError(f"empty {what}", position=position, type_name=type_name)
    if ":" in host:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            message = f"the {what} has ':' but is not an IPv6 address"
            raise ParseError(message, position=position, type_name=type_name) from None
        return host
    if _HOST_NAME.fullmatch(host):
        return host
    for index, char in enumerate(host):
        if not (char.isalnum() or char in "-._"):
            at = None if position is None else position + index
            shown = (
                repr(char)
                if char.isprintable() and not char.isspace()
                else "a space or control character"
            )
            message = f"unexpected {shown} in the {what}"
            raise ParseError(message, position=at, type_name=type_name)
    return host


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,39}")


def shown_name(name: str, password: str | None = None) -> str:
    """``name`` quoted for an error message when it looks like a key, else ``(name not shown)``.

    A password pasted without its percent-encoding can be split at a ``&``, ``?`` or space and
    read as a key: such a fragment (punctuation, or too long to be a key) is not quoted, nor a
    name that ``shares_text`` with ``password`` (the password as read so far: where a string
    is split is not always where the password was read to).
    """
    if not _NAME.fullmatch(name) or shares_text(name, password or ""):
        return "(name not shown)"
    return repr(name)


def shares_text(text: str, secret: str, run: int = 4) -> bool:
    """Whether ``text`` holds ``secret`` or ``run`` of its characters in a row."""
    if not secret:
        return False
    if secret in text:
        return True
    return any(text[i : i + run] in secret for i in range(len(text) - run + 1))


#: more digits than any port, count or timeout needs; checked before conversion, since Python
#: refuses to convert more than 4,300 digits (with its own ValueError)
MAX_DIGITS = 18


def whole_number(text: str, *, signed: bool = False) -> int | None:
    """The integer ``text`` writes in ASCII digits (a leading ``+``/``-`` when ``signed``), or
    None: not such a number, or more than ``MAX_DIGITS`` significant digits. The one place the
    parsers turn text into an integer, so a huge number is a clean error and never Python's."""
    sign = text[:1] if signed and text[:1] in "+-" else ""
    digits = text[len(sign) :]
    if not digits or not digits.isascii() or not digits.isdigit():
        return None
    significant = digits.lstrip("0") or "0"
    if len(significant) > MAX_DIGITS:
        return None
    return -int(significant) if sign == "-" else int(significant)


def port_number(text: str) -> int | None:
    """The TCP port 1-65535 that ``text`` writes in ASCII digits, else None."""
    port = whole_number(text)
    return port if port is not None and 0 < port < 65536 else None


def parse_port(
    text: str, *, offset: int | None = 0, type_name: str | None = None, hint: str | None = None
) -> int:
    """A TCP port 1-65535, or a ParseError at its position (not quoting the text: a
    password with an unencoded ``/`` or ``?`` can end up where the port is read)."""
    port = port_number(text)
    if port is None:
        raise ParseError(
            "invalid port (expected 1-65535)", position=offset, type_name=type_name, hint=hint
        )
    return port


# The start of one `NAME=value` (or `NAME: value`, as YAML shows it) pair, and the same test
# as a lookahead: an unquoted value runs to the next pair or the end of the line, so it may
# contain `=` and `;` (base64 padding, tokens). The value is found by a scanner, not a regular
# expression: a lazy value with a lookahead is quadratic in runs of spaces.
_PAIR_HEAD = re.compile(r"(?:export\s+)?([A-Za-z_]\w*)(?:\s*=\s*|:\s+)")
_PAIR_AHEAD = re.compile(r"(?:export\s+)?[A-Za-z_]\w*(?:\s*=|:\s)")
_SEPARATORS = re.compile(r"[;\s]*")
_NEXT_PAIR = re.compile(r"(?<![;\s])[;\s]++(?:export\s++)?[A-Za-z_]\w*+(?:\s*+=|:\s)")
_DOUBLE_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_SINGLE_QUOTED = re.compile(r"'[^']*'")


def parse_env_block(text: str) -> dict[str, str]:
    """``KEY=VALUE`` lines (``export`` prefix, quotes, ``#`` comments, ``;``/space separators).

    Returns an empty dict when the text is not such a block. Pairs may also sit on one line,
    separated by spaces or ``;``, as consoles sometimes show them. Linear in the text's length.
    """
    result: dict[str, str] = {}
    for raw_line in text.strip().splitlines():
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        position = 0
        while position < len(line):
            head = _PAIR_HEAD.match(line, position)
            if head is None:
                return {}
            start = head.end()
            end = _quoted_end(line, start)
            if end < 0:
                end = _value_end(line, start)
            result[head[1]] = _unquote(line[start:end])
            position = _separator_end(line, end)
    return result


def _is_separator(char: str) -> bool:
    return char == ";" or char.isspace()


def _separator_end(line: str, at: int) -> int:
    """Where the run of spaces and ``;`` starting at ``at`` ends."""
    return _SEPARATORS.match(line, at).end()  # type: ignore[union-attr]  # matches ""


def _quoted_end(line: str, start: int) -> int:
    """The end of a quoted value at ``start`` when a pair or the line's end follows it, else -1."""
    if start >= len(line) or line[start] not in "\"'":
        return -1
    quoted = (_DOUBLE_QUOTED if line[start] == '"' else _SINGLE_QUOTED).match(line, start)
    if quoted is None or not _value_ends_at(line, quoted.end()):
        return -1
    return quoted.end()


def _value_ends_at(line: str, at: int) -> bool:
    """Whether an unquoted value may end at ``at``: only spaces follow, or separators and a pair."""
    if at >= len(line) or line[at:].isspace():
        return True
    if not _is_separator(line[at]):
        return False
    after = _separator_end(line, at)
    return after < len(line) and _PAIR_AHEAD.match(line, after) is not None


def _value_end(line: str, start: int) -> int:
    """The first place from ``start`` where an unquoted value may end: a run of separators that
    a pair follows (found at the run's start only, with possessive quantifiers: linear), else
    the end of the line."""
    if _value_ends_at(line, start):
        return start
    found = _NEXT_PAIR.search(line, start + 1)
    return found.start() if found else len(line)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    if " #" in value:
        value = value.split(" #", 1)[0].rstrip()
    return value
