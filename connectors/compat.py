"""Field-level differences between two JSON Schemas, and which of them break existing values.

Breaking: a property removed (a rename is a removal plus an addition), a property newly
required, a property's type or format changed, an enum value removed. Not breaking: a new
optional property, a property no longer required, changed descriptions or defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SchemaChange:
    """One difference: where (``port``, ``credential.password``), what, and whether it breaks."""

    where: str
    what: str
    breaking: bool

    def __str__(self) -> str:
        mark = " (breaking)" if self.breaking else ""
        return f"{self.where}: {self.what}{mark}" if self.where else f"{self.what}{mark}"


def schema_changes(old: Any, new: Any, prefix: str = "") -> list[SchemaChange]:
    """Every difference from ``old`` to ``new`` that matters to a value or a form."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return [] if old == new else [SchemaChange(prefix, "schema replaced", True)]
    changes: list[SchemaChange] = []
    old_props: dict[str, Any] = old.get("properties") or {}
    new_props: dict[str, Any] = new.get("properties") or {}
    old_required = set(old.get("required") or [])
    new_required = set(new.get("required") or [])
    for name in old_props:
        if name not in new_props:
            changes.append(SchemaChange(_join(prefix, name), "property removed", True))
    for name in new_props:
        where = _join(prefix, name)
        if name not in old_props:
            required = name in new_required
            what = "property added" + (" as required" if required else "")
            changes.append(SchemaChange(where, what, required))
            continue
        changes.extend(_property_changes(old_props[name], new_props[name], where))
        if name in new_required and name not in old_required:
            changes.append(SchemaChange(where, "now required", True))
        elif name in old_required and name not in new_required:
            changes.append(SchemaChange(where, "no longer required", False))
    return changes


def _property_changes(old: Any, new: Any, where: str) -> list[SchemaChange]:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return [] if old == new else [SchemaChange(where, "definition replaced", True)]
    changes = []
    for key in ("type", "format", "contentEncoding"):
        if old.get(key) != new.get(key):
            what = f"{key} {old.get(key)!r} -> {new.get(key)!r}"
            changes.append(SchemaChange(where, what, True))
    if "enum" in old or "enum" in new:
        old_enum, new_enum = old.get("enum"), new.get("enum")
        if new_enum is not None and old_enum is None:
            changes.append(SchemaChange(where, "values now restricted to an enum", True))
        elif old_enum is not None and new_enum is not None:
            removed = [v for v in old_enum if v not in new_enum]
            added = [v for v in new_enum if v not in old_enum]
            if removed:
                changes.append(SchemaChange(where, f"enum values removed: {removed}", True))
            if added:
                changes.append(SchemaChange(where, f"enum values added: {added}", False))
    for key in ("description", "default", "password"):
        if old.get(key) != new.get(key):
            changes.append(SchemaChange(where, f"{key} changed", False))
    changes.extend(schema_changes(_object_part(old), _object_part(new), where))
    old_items, new_items = old.get("items"), new.get("items")
    if isinstance(old_items, dict) and isinstance(new_items, dict):
        changes.extend(_property_changes(old_items, new_items, f"{where}[]"))
    return changes


def _object_part(schema: dict[str, Any]) -> dict[str, Any]:
    return {"properties": schema.get("properties") or {}, "required": schema.get("required") or []}


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def breaking(changes: list[SchemaChange]) -> list[SchemaChange]:
    """The changes among ``changes`` that break existing values."""
    return [change for change in changes if change.breaking]
