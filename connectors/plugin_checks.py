"""What a third-party connector is held to: a valid schema when it registers, and parser output
that fits that schema before anyone sees it (in the spirit of pluggy, which verifies a hook
implementation when it is registered, not when it is first called).

Checking a schema imports jsonschema, which would cost every start of the CLI: the verdict is
kept in the entry-point cache's notes (``connectors.entry_point_cache``), so it is worked out
again only when the installed distributions change or the module defining the connector is
edited. The built-ins' schemas are checked by the tests, not at run time.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from connectors import entry_point_cache

if TYPE_CHECKING:
    from connectors.connector import Connector
    from connectors.resource import Resource

_NOTE = "schema_verdicts"


class SchemaVerdicts:
    """The schema verdict of each third-party connector, from the cache or worked out."""

    def __init__(self, group: str) -> None:
        self.group = group
        self._notes = entry_point_cache.notes(group)
        kept = self._notes.get(_NOTE)
        self._kept: dict[str, Any] = kept if isinstance(kept, dict) else {}
        self._found: dict[str, list[str | None]] = {}

    def problem(self, connector: Connector) -> str | None:
        """What is wrong with ``connector``'s schema, or None when it is sound."""
        stamp = _stamp(connector)
        kept = self._kept.get(connector.name)
        if isinstance(kept, list) and len(kept) == 2 and kept[0] == stamp:
            verdict: str | None = kept[1]
        else:
            verdict = schema_problem(connector)
        self._found[connector.name] = [stamp, verdict]
        return verdict

    def save(self) -> None:
        """Keep the verdicts for the next start (nothing is written when they are unchanged;
        those of plugins not loaded this time are kept for when they are)."""
        verdicts = {**self._kept, **self._found}
        if verdicts != self._kept:
            entry_point_cache.save_notes(self.group, {**self._notes, _NOTE: verdicts})


def _stamp(connector: Connector) -> str:
    """The modification times of the files the schema comes from: the connector's module and
    its ``schema_file``."""
    module = sys.modules.get(type(connector).__module__)
    files = [getattr(module, "__file__", None), connector.schema_file]
    stamps = []
    for path in files:
        try:
            stamps.append(str(os.stat(path).st_mtime_ns) if path else "-")
        except OSError:
            stamps.append("?")
    return " ".join(stamps)


def schema_problem(connector: Connector) -> str | None:
    """What is wrong with the schema: not valid JSON Schema (checked against its metaschema),
    not an object with properties (the hub format), or a secret mark that does not mark a
    string field (``"password": true`` is Windmill's flag). None when it is sound."""
    try:
        schema: Any = connector.schema  # a plugin's, so any object at all
    except Exception as exc:
        return f"its schema cannot be read ({type(exc).__name__}: {exc})"
    if not isinstance(schema, dict):
        return f"its schema is a {type(schema).__name__}, not a JSON object"
    import jsonschema

    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as exc:
        where = "/".join(str(part) for part in exc.absolute_path)
        return f"its schema is not valid JSON Schema: {exc.message} (at /{where})"
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        return 'its schema is not {"type": "object", "properties": {...}} (the hub format)'
    return _secret_problem(schema, "")


def _secret_problem(schema: dict[str, Any], prefix: str) -> str | None:
    for name, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, dict):
            continue
        path = f"{prefix}{name}"
        mark = prop.get("password", False)
        if mark is not True and mark is not False:
            return f'secret field {path!r} is marked "password": {mark!r}, not true'
        kinds = prop.get("type")
        if mark and "string" not in (kinds if isinstance(kinds, list) else [kinds]):
            return f"secret field {path!r} is not a string field (type {kinds!r})"
        found = _secret_problem(prop, f"{path}.")
        items = prop.get("items")
        if found is None and isinstance(items, dict):
            found = _secret_problem(items, f"{path}[].")
        if found is not None:
            return found
    return None


def output_problem(connector: Connector, resource: Any) -> str | None:
    """What is wrong with what ``connector.parse`` returned: not a Resource of its own type, or
    a value outside its schema (each problem with its JSON pointer, secrets masked)."""
    from connectors.resource import Resource

    if not isinstance(resource, Resource):
        return f"returned a {type(resource).__name__}, not a connectors.Resource"
    if resource.resource_type != connector.name:
        return f"returned a resource of type {resource.resource_type!r}"
    value: Any = resource.value  # a plugin's, so any object at all
    if not isinstance(value, dict):
        return f"returned a value that is a {type(value).__name__}, not a dict"
    return _value_problem(connector, resource)


def _value_problem(connector: Connector, resource: Resource) -> str | None:
    from connectors.api import schema_problems
    from connectors.redact import redactor_for

    problems = schema_problems(connector.name, resource.value)
    if not problems:
        return None
    redact = redactor_for(connector.name, resource.value)
    listed = "; ".join(redact(str(problem)) for problem in problems)
    return f"returned a value outside its schema: {listed}"
