"""What a user or a script gave, as a Resource: the one resolver behind ``connectors check``, the
script runner's resource arguments, pydantic resource fields and the object-storage helpers."""

from __future__ import annotations

import re
from typing import Any

from connectors.errors import NotFoundError, WorkspaceError
from connectors.resource import Resource
from connectors.workspace.interface import FREE_TYPES
from connectors.workspace.paths import resource_path

_PATH = re.compile(r"^(\$res:|res://)?[ufg]/[^/\s]+/\S+$")


def resolve_resource(spec: Any, *, type_name: str | None = None, typed: bool = False) -> Resource:
    """A Resource from a Resource (as it is), a value (a dict of type ``type_name``, validated),
    a workspace path (``f/x/y``, ``$res:f/x/y``, ``res://f/x/y``) or a connection string.

    A ``type_name`` no connector registers (a script's own TypedDict) takes a value or a path
    as it is. ``typed``: refuse a workspace resource stored without a connector type (``any``).
    """
    if isinstance(spec, Resource):
        return spec
    if isinstance(spec, dict):
        if not type_name:
            raise WorkspaceError("a resource value needs its resource type")
        if not _registered(type_name):
            return Resource(type_name, spec)
        from connectors.api import validate

        return Resource(type_name, validate(type_name, spec))
    text = str(spec)
    if _PATH.match(text) or (type_name and not _registered(type_name)):
        return load_resource(text, type_name=type_name, typed=typed)
    from connectors.api import parse

    return parse(text, type=type_name)


def load_resource(spec: str, *, type_name: str | None = None, typed: bool = False) -> Resource:
    """The workspace resource at ``spec`` (``f/x/y``, ``$res:f/x/y``), references resolved.

    ``typed``: the caller needs a connector type, so a free-JSON (``any``) resource is an error
    that says how to re-add it with ``--type`` (as is one when ``type_name`` is given).
    """
    from connectors.workspace.store import open_store

    path = resource_path(spec.strip())
    store = open_store()
    found = store.get_resource(path)
    if found is None:
        raise NotFoundError(f"resource {path} not found")
    kind = found.resource_type
    if type_name and not _registered(type_name):
        kind = type_name  # a script's own type: the stored value is taken as it is
    elif found.resource_type in FREE_TYPES and (typed or type_name):
        raise untyped_resource_error(path, found.resource_type, type_name)
    elif type_name and found.resource_type != type_name:
        raise WorkspaceError(f"resource {path} is a {found.resource_type}, not a {type_name}")
    value = store.get_resource_value(path, interpolated=True)
    if not isinstance(value, dict):
        raise WorkspaceError(f"resource {path} does not hold an object value")
    return Resource(kind, value)


def untyped_resource_error(path: str, stored: str, type_name: str | None) -> WorkspaceError:
    """A resource stored as free JSON has no connector: say how to store it with a type."""
    from connectors.plugins import get_registry

    wanted = type_name or "TYPE"
    hint = "" if type_name else f" (TYPE: one of {', '.join(sorted(get_registry().connectors))})"
    why = ", from JSON added without --type" if stored == "any" else ""
    return WorkspaceError(
        f"resource {path} has no connector type (stored as {stored!r}{why}); re-add it with "
        f"one: connectors resource add {path} '<JSON value>' --type {wanted}{hint}"
    )


def _registered(type_name: str) -> bool:
    from connectors.plugins import get_registry

    return type_name in get_registry().connectors
