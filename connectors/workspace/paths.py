"""Windmill paths: ``u/<user>/<name>``, ``f/<folder>/<name>``, ``g/<group>/<name>``.

A path has a kind letter, an owner (user, folder or group) and a name that may itself contain
``/`` (``f/etl/sources/orders``). Segments use letters, digits, ``_``, ``-`` and ``.``; no
segment is empty or ``.``/``..``. The ``$res:`` / ``res://`` and ``$var:`` / ``var://``
prefixes Windmill accepts are stripped by :func:`strip_resource_prefix` and
:func:`strip_variable_prefix`.
"""

from __future__ import annotations

import getpass
import re

from connectors.errors import WorkspaceError

MAX_LENGTH = 255
_SEGMENT = re.compile(r"^[A-Za-z0-9_.\-]+$")
_KINDS = {"u": "user", "f": "folder", "g": "group"}
RESOURCE_PREFIXES = ("$res:", "res://")
_VARIABLE_PREFIXES = ("$var:", "var://")


def strip_resource_prefix(path: str) -> str:
    """``$res:f/x/y`` or ``res://f/x/y`` -> ``f/x/y``; other text unchanged."""
    return _strip_prefix(path, RESOURCE_PREFIXES)


def strip_variable_prefix(path: str) -> str:
    """``$var:f/x/y`` or ``var://f/x/y`` -> ``f/x/y``; other text unchanged."""
    return _strip_prefix(path, _VARIABLE_PREFIXES)


def _strip_prefix(path: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if path.startswith(prefix):
            return path[len(prefix) :]
    return path


def resource_path(text: str, what: str = "resource") -> str:
    """``text`` as a valid resource (or state) path, a ``$res:``/``res://`` prefix removed."""
    return validate_path(strip_resource_prefix(text), what)


def variable_path(text: str) -> str:
    """``text`` as a valid variable path, a ``$var:``/``var://`` prefix removed."""
    return validate_path(strip_variable_prefix(text), "variable")


_VALID: set[str] = set()  # paths found valid (a state path is checked at every get/set)


def validate_path(path: object, what: str = "resource") -> str:
    """``path`` if it is a valid Windmill path, else a WorkspaceError saying what is wrong."""
    if type(path) is str and path in _VALID:
        return path
    if not isinstance(path, str):
        raise WorkspaceError(f"{what} path must be a string, not {type(path).__name__}")
    if not path:
        raise WorkspaceError(
            f"{what} path is empty (expected u/<user>/<name> or f/<folder>/<name>)"
        )
    if len(path) > MAX_LENGTH:
        raise WorkspaceError(f"{what} path is longer than {MAX_LENGTH} characters")
    parts = path.split("/")
    if parts[0] not in _KINDS:
        raise WorkspaceError(
            f"invalid {what} path {path!r}: must start with u/ (user), f/ (folder) or g/ (group)"
        )
    if len(parts) < 3:
        raise WorkspaceError(
            f"invalid {what} path {path!r}: expected {parts[0]}/<{_KINDS[parts[0]]}>/<name>"
        )
    for index, segment in enumerate(parts[1:], start=2):
        if segment in ("", ".", ".."):
            raise WorkspaceError(f"invalid {what} path {path!r}: segment {index} is {segment!r}")
        if not _SEGMENT.match(segment):
            raise WorkspaceError(
                f"invalid {what} path {path!r}: segment {index} {segment!r} may only use "
                "letters, digits, '_', '-' and '.'"
            )
    if len(_VALID) >= 4096:
        _VALID.clear()
    _VALID.add(path)
    return path


def sanitize_segment(text: str, default: str = "user") -> str:
    """``text`` made into a valid path segment (for user names and file stems)."""
    cleaned = re.sub(r"[^A-Za-z0-9_.\-]+", "_", text).strip("._")
    return cleaned or default


def user_segment(name: str | None = None) -> str:
    """``name`` (default: the OS user, else ``user``) made into a path segment."""
    return sanitize_segment(name or _os_user())


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "user"
