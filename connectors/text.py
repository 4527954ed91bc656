"""Text hygiene: what input must be before a parser or the workspace sees it.

Input reaches the package as ``str`` (arguments, Python callers) or bytes (stdin, files). Bytes
must be UTF-8; a ``str`` must be valid Unicode, with no lone surrogate (what Python puts in
``sys.argv`` for bytes that are not UTF-8, and what a JSON ``"\\udcff"`` escape yields). JSON
values are nested at most ``MAX_JSON_DEPTH`` deep. Each refusal names where the problem is.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from connectors.errors import ConnectorsError

#: deeper than any resource value or state needs; Python's own parser would hit its recursion
#: limit near 1,000 (a RecursionError instead of an error message)
MAX_JSON_DEPTH = 100


#: the longest text ``parse`` reads (1 MiB): far beyond any connection string, PEM included
MAX_INPUT = 1 << 20
_DIGITS = re.compile(r"\d+")


class InputError(ConnectorsError, ValueError):
    """Input that is not text, or JSON nested too deeply: named with its position."""


def surrogate_at(text: str) -> int | None:
    """The index of the first lone surrogate in ``text``, or None when it is valid Unicode."""
    if text.isascii():  # a flag CPython keeps on every string: no scan
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return int(exc.start)
    return None


def describe_surrogate(text: str, index: int) -> str:
    """What a lone surrogate at ``index`` means, for a message (the byte it stands for)."""
    code = ord(text[index])
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: an undecodable byte
        return f"byte 0x{code - 0xDC00:02x} is not valid UTF-8"
    return f"lone surrogate U+{code:04X} is not valid Unicode"


def check_text(text: str, where: str) -> str:
    """``text`` unchanged, or an InputError naming the first lone surrogate's position."""
    index = surrogate_at(text)
    if index is not None:
        raise InputError(f"{where}: {describe_surrogate(text, index)} (at position {index})")
    return text


def decode_utf8(data: bytes, where: str) -> str:
    """``data`` decoded as UTF-8 (a leading BOM dropped), or an InputError with the offset."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        message = f"{where}: byte 0x{byte:02x} is not valid UTF-8 (at byte {exc.start})"
        raise InputError(message) from None


def read_stdin() -> str:
    """All of stdin as text, refused with its position when it is not UTF-8."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # replaced by a text stream (tests, embedding)
        return check_text(sys.stdin.read(), "stdin")
    return check_text(decode_utf8(stream.read(), "stdin"), "stdin")


def read_file(path: Path) -> str:
    """The file as text, refused with its position when it is not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    return decode_utf8(data, str(path))


def json_depth_at(text: str, limit: int = MAX_JSON_DEPTH) -> int | None:
    """The index where JSON ``text`` first nests deeper than ``limit``, else None (one pass,
    strings skipped)."""
    depth = 0
    in_string = escaped = False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return index
        elif char in "]}":
            depth -= 1
    return None


def check_json_depth(text: str, where: str) -> str:
    """``text`` unchanged, or an InputError when its JSON nests deeper than MAX_JSON_DEPTH."""
    deep = json_depth_at(text)
    if deep is not None:
        raise InputError(
            f"{where}: JSON nested more than {MAX_JSON_DEPTH} levels deep (at position {deep})"
        )
    return text


def load_json(text: str, where: str) -> Any:
    """``json.loads`` for input: bounded nesting, no lone surrogate, errors with positions."""
    check_json_depth(text, where)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: invalid JSON: {exc.msg} (at position {exc.pos})") from None
    except ValueError:  # Python's own limit on the digits of an integer
        message = f"{where}: a number of more than {sys.get_int_max_str_digits():,} digits"
        raise InputError(f"{message} (at position {long_number_at(text)})") from None
    check_value_text(value, where)
    return value


def long_number_at(text: str) -> int | None:
    """Where the first run of digits longer than Python converts (``json.loads`` raises its own
    ValueError on it) starts in ``text``, or None."""
    limit = sys.get_int_max_str_digits()
    for run in _DIGITS.finditer(text):
        if run.end() - run.start() > limit:
            return run.start()
    return None


def too_deep(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``value`` (dicts and lists) nests deeper than ``limit`` (no recursion)."""
    level = [value]
    for _ in range(limit + 1):
        level = [
            child
            for item in level
            if isinstance(item, dict | list)
            for child in (item.values() if isinstance(item, dict) else item)
        ]
        if not any(isinstance(item, dict | list) for item in level):
            return False
    return True


def surrogate_problem(value: Any, pointer: str = "") -> tuple[str, str] | None:
    """``(JSON pointer, problem)`` of the first string or key in ``value`` holding a lone
    surrogate, or None."""
    if isinstance(value, str):
        index = surrogate_at(value)
        if index is not None:
            return pointer or "/", f"{describe_surrogate(value, index)} (at character {index})"
    elif isinstance(value, dict):
        for key, item in value.items():
            shown = str(key).encode("utf-8", "backslashreplace").decode()
            step = f"{pointer}/{shown.replace('~', '~0').replace('/', '~1')}"
            found = surrogate_problem(str(key), step) or surrogate_problem(item, step)
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = surrogate_problem(item, f"{pointer}/{index}")
            if found:
                return found
    return None


def check_value_text(value: Any, where: str) -> None:
    """An InputError naming the first string in ``value`` that is not valid Unicode."""
    found = surrogate_problem(value)
    if found:
        raise InputError(f"{where}: {found[0]}: {found[1]}")
