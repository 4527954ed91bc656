"""Turn what a user typed into a Resource: a workspace path, a `$res:` reference or a string."""

from __future__ import annotations

import re

from connectors.resource import Resource

_PATH = re.compile(r"^(\$res:|res://)?[ufg]/[^/\s]+/\S+$")


def resolve_resource(spec: str, *, type_name: str | None = None, typed: bool = False) -> Resource:
    """A Resource from a workspace path (``f/x/y``, ``$res:f/x/y``) or a connection string.

    ``typed``: refuse a workspace resource stored without a connector type (``any``).
    """
    from connectors.api import parse

    if _PATH.match(spec):
        from connectors.workspace.store import load_resource

        return load_resource(spec, type_name=type_name, typed=typed)
    return parse(spec, type=type_name)
