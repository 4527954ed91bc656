"""Workspace storage (placeholder until the workspace issue lands)."""

from __future__ import annotations

from connectors.errors import WorkspaceError
from connectors.resource import Resource


def load_resource(spec: str, *, type_name: str | None = None) -> Resource:
    raise WorkspaceError(f"no workspace store yet: cannot load {spec!r}")
