"""The resource model: Resource, ResourceType and the results of a live check."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from connectors.model_base import ResourceModel

HUB_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass
class Resource:
    """A typed connection: the Windmill-compatible ``value`` of a ``resource_type``.

    ``provider`` names the vendor the value was recognised as (supabase, neon, atlas, ...) and
    ``notes`` carries the advice the input implies. ``repr`` never shows a secret.
    """

    resource_type: str
    value: dict[str, Any]
    provider: str | None = None
    notes: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        from connectors.redact import redact_value

        shown = redact_value(self.resource_type, self.value)
        return (
            f"Resource(resource_type={self.resource_type!r}, value={shown!r}, "
            f"provider={self.provider!r}, notes={self._masked_notes()!r})"
        )

    def _masked_notes(self) -> list[str]:
        """The notes with the value's secrets masked: a note may name text the parser set aside
        (a driver option), which can be the rest of a password pasted without its encoding."""
        from connectors.redact import redactor_for

        if not self.notes:
            return []
        redactor = redactor_for(self.resource_type, self.value)
        return [redactor(note) for note in self.notes]

    __str__ = __repr__

    def model(self) -> ResourceModel:
        """The value as its type's pydantic model (``connectors.models``); imports pydantic.

        ``model_dump()`` of it gives back exactly ``value``, secrets revealed.
        """
        from connectors.models import model_for

        return model_for(self.resource_type).model_validate(self.value)

    def to_dict(self, *, show_secrets: bool = False) -> dict[str, Any]:
        """A JSON-serialisable form, secrets masked unless ``show_secrets``."""
        from connectors.redact import redact_value

        value = self.value if show_secrets else redact_value(self.resource_type, self.value)
        return {
            "resource_type": self.resource_type,
            "provider": self.provider,
            "value": copy.deepcopy(value),
            "notes": list(self.notes) if show_secrets else self._masked_notes(),
        }


@dataclass(frozen=True)
class ResourceType:
    """A resource type: its name, description, hub-format JSON Schema and secret fields.

    ``secret_fields`` are dotted paths into the value (``password``, ``credential.password``),
    derived from the ``"password": true`` marks in the schema (Windmill's own flag).
    """

    name: str
    description: str
    schema: dict[str, Any]

    @property
    def secret_fields(self) -> tuple[str, ...]:
        return tuple(_secret_paths(self.schema, ""))

    def hub_document(self) -> dict[str, Any]:
        """The ``resource_types/<name>.json`` document: Windmill hub format."""
        return {"description": self.description, "schema": self.schema}


def _secret_paths(schema: dict[str, Any], prefix: str) -> Iterator[str]:
    for name, prop in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        if prop.get("password") is True:
            yield path
        if prop.get("type") == "object":
            yield from _secret_paths(prop, f"{path}.")
        items = prop.get("items")
        if prop.get("type") == "array" and isinstance(items, dict):
            yield from _secret_paths(items, f"{path}[].")


@dataclass
class CheckStep:
    """One timed step of a live check."""

    name: str
    ok: bool
    ms: float
    detail: str = ""


@dataclass
class CheckResult:
    """The outcome of ``connectors.check``: every step run, in order, and the server version."""

    ok: bool
    steps: list[CheckStep] = field(default_factory=list)
    server_version: str | None = None

    @property
    def failed_step(self) -> CheckStep | None:
        return next((step for step in self.steps if not step.ok), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "server_version": self.server_version,
            "steps": [
                {"name": s.name, "ok": s.ok, "ms": round(s.ms, 1), "detail": s.detail}
                for s in self.steps
            ],
        }
