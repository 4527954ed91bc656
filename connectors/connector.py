"""The Connector base class: what every plugin, built-in or third-party, subclasses."""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from connectors.errors import ParseError
from connectors.resource import CheckResult, Resource, ResourceType

if TYPE_CHECKING:
    from connectors.objectstore.base import ObjectStore


class Match:
    """Scores returned by ``Connector.detect``; the highest score wins auto-detection."""

    NONE = 0
    #: the text could be this type, but another type may claim it more specifically
    GENERIC = 10
    #: the text uses this type's own scheme or syntax
    SCHEME = 20
    #: the text names a vendor of this type (``*.upstash.io``, ``*.r2.cloudflarestorage.com``)
    PROVIDER = 30


@dataclass(frozen=True)
class EnvSource:
    """Environment variables that describe one resource, for ``connectors env import``.

    ``variables`` are read in order. Alone, the first one set is the text parsed; with ``block``
    every one set is handed to the parser as ``KEY=VALUE`` lines. A text that starts with ``{``
    is read as the value itself (JSON). ``detect``: the text's type is detected (``DATABASE_URL``
    may name any SQL database) rather than taken to be the connector's. The resource is stored
    at ``<base>/<name>``.
    """

    name: str
    variables: tuple[str, ...]
    block: bool = False
    detect: bool = False


class Connector:
    """One resource type: its schema, parser, serializer, driver and live check.

    Subclasses set the class attributes and override the methods they support. Drivers are
    imported inside ``connect`` and ``check`` only, so importing a connector stays cheap.
    """

    name: ClassVar[str]
    description: ClassVar[str]
    #: the resource model: a ``connectors.models.ResourceModel`` subclass, or ``"module:Name"``
    #: imported on first use. Without ``schema``, the hub schema is generated from it.
    model: ClassVar[Any] = None
    #: a committed hub document (``<name>.json``) that ``schema`` reads instead of generating it
    #: from ``model``, so that reading a schema does not import pydantic (the built-in types)
    schema_file: ClassVar[Path | None] = None
    #: vendors this type recognises, for documentation and ``connectors types``
    providers: ClassVar[tuple[str, ...]] = ()
    #: the pip extra that installs the driver, for error messages
    extra: ClassVar[str | None] = None
    #: folder holding ``<name>.py`` + ``<name>.script.yaml`` hub scripts, if any
    scripts_dir: ClassVar[Path | None] = None
    #: connection strings that parse, shown in docs and checked by tests
    examples: ClassVar[tuple[str, ...]] = ()
    #: the module holding this type's live-server recipe: its ``add_services(factory)`` offers
    #: them to ``connectors.testing`` (``ServerFactory.add_service``); imported by tests only
    testing: ClassVar[str | None] = None
    #: the module of this type's ``--format`` mappings, each a function of the value and each
    #: optional: ``env_vars``, ``airflow_connection``, ``dlt_tables`` (imported on first use)
    exports: ClassVar[str | None] = None
    #: the URL schemes ``detect`` can claim (lower case, the part before any ``+``:
    #: ``mongodb`` covers ``mongodb+srv://``), or None. When set, auto-detection does not ask
    #: ``detect`` about a ``scheme://`` text of another scheme; texts without a scheme are
    #: always asked. An optimisation only: leaving it None is always correct.
    url_schemes: ClassVar[frozenset[str] | None] = None
    #: the keys (upper case) that start a text of this type's own ``KEY=value`` forms, or None:
    #: ``HOST`` for ``host=h dbname=d``, ``ACCOUNTNAME`` for ``AccountName=a;AccountKey=k``.
    #: When set, auto-detection shows a text that is not a URL and starts with ``KEY=`` only to
    #: the types that declare KEY and to those that declare None: the first key decides, as the
    #: scheme decides for a URL (``connectors.parsing.leading_key``). A text whose first key no
    #: type declares is shown to every type. An empty set: ``detect`` claims no such text.
    text_keys: ClassVar[frozenset[str] | None] = None

    @cached_property
    def schema(self) -> dict[str, Any]:
        """The JSON Schema (2020-12, hub format); secret properties carry ``"password": true``.

        A plugin sets it as a class attribute (a dict), or declares ``model`` and gets it
        generated (``connectors.model_schema.hub_schema``), or read from ``schema_file``.
        """
        if self.schema_file is not None and self.schema_file.is_file():
            document = json.loads(self.schema_file.read_text(encoding="utf-8"))
            return document["schema"]  # type: ignore[no-any-return]
        if self.model is None:
            raise NotImplementedError(f"{self.name} declares neither a schema nor a model")
        from connectors.model_schema import hub_schema
        from connectors.models import model_of

        return hub_schema(model_of(self))

    @property
    def resource_type(self) -> ResourceType:
        return ResourceType(self.name, self.description, self.schema)

    def detect(self, text: str) -> int:
        """How specifically ``text`` looks like this type's connection string (a ``Match``)."""
        return Match.NONE

    def parse(self, text: str) -> Resource:
        """Parse a connection string into a Resource, or raise ParseError."""
        raise ParseError(f"{self.name} has no connection-string parser", type_name=self.name)

    def to_connection_string(self, resource: Resource) -> str:
        """The native connection string for ``resource``; ``parse`` of it gives it back."""
        raise NotImplementedError(f"{self.name} cannot render a connection string")

    def normalise(self, value: dict[str, Any]) -> dict[str, Any]:
        """A schema-valid value put in canonical form (called by ``connectors.validate``)."""
        return value

    def secret_values(self, value: dict[str, Any]) -> list[str]:
        """The secret strings in ``value``; by default the fields marked secret in the schema."""
        found: list[str] = []
        for path in self.resource_type.secret_fields:
            found.extend(_values_at(value, path.split(".")))
        return [item for item in found if isinstance(item, str) and item]

    def connect(self, resource: Resource) -> Any:
        """A native client for ``resource`` (the driver's own object)."""
        raise NotImplementedError(f"{self.name} has no driver")

    def check(self, resource: Resource, timeout: float = 10.0) -> CheckResult:
        """Check the live server in timed steps; never waits past ``timeout`` seconds."""
        raise NotImplementedError(f"{self.name} has no live check")

    def env_vars(self, resource: Resource) -> dict[str, str] | None:
        """The environment variables this type's usual clients read (``parse --format env``).

        ``env_vars(value)`` of the ``exports`` module, else ``<TYPE>_URL`` holding the connection
        string, or ``<TYPE>_JSON`` holding the value when the type renders none
        (``connectors.formats.generic``). None: the type has no such mapping.
        """
        found: dict[str, str] | None = self._export("env_vars", resource)
        return found

    def airflow_connection(self, resource: Resource) -> dict[str, Any] | None:
        """The Airflow connection (``conn_type``, ``host``, ``login``, ``password``, ``schema``,
        ``port``, ``extra``) for ``parse --format airflow``.

        ``airflow_connection(value)`` of the ``exports`` module, else a ``generic`` connection from
        the value's usual field names (or a URL connection string), the other fields in ``extra``.
        None: the type has no such mapping.
        """
        found: dict[str, Any] | None = self._export("airflow_connection", resource)
        return found

    def dlt_tables(self, resource: Resource) -> dict[str, dict[str, Any]] | None:
        """TOML table name -> keys of dlt's ``secrets.toml`` (``parse --format dlt``).

        ``dlt_tables(value)`` of the ``exports`` module, else ``[sources.<type>.credentials]``
        holding the value's fields. None: the type has no such mapping.
        """
        found: dict[str, dict[str, Any]] | None = self._export("dlt_tables", resource)
        return found

    def _export(self, name: str, resource: Resource) -> Any:
        if self.exports is not None:
            function = getattr(importlib.import_module(self.exports), name, None)
            if function is not None:
                return function(resource.value)
        from connectors.formats import generic

        return getattr(generic, name)(self, resource)

    def env_sources(self) -> tuple[EnvSource, ...]:
        """The environment variables that describe a resource of this type (``env import``).

        By default ``<TYPE>_URL`` (a connection string) or ``<TYPE>_JSON`` (a value as JSON),
        the pair ``env_vars`` writes by default.
        """
        from connectors.formats.generic import env_prefix

        prefix = env_prefix(self.name)
        return (EnvSource(self.name, (f"{prefix}_URL", f"{prefix}_JSON")),)

    def detect_value(self, value: dict[str, Any]) -> int:
        """How specifically a bare value (a dict with no type) looks like one of this type's.

        Object storage asks it of the types that implement ``object_store``, to type a value
        given without one. By default ``Match.SCHEME`` when every field the schema requires is
        there (at least one) and every key is a property of the schema, else ``Match.NONE``.
        """
        schema = self.schema
        required = set(schema.get("required") or ())
        known = set(schema.get("properties") or ())
        fits = bool(required) and required <= value.keys() and value.keys() <= known
        return Match.SCHEME if fits else Match.NONE

    def object_store(self, resource: Resource) -> ObjectStore:
        """The objects of this resource (for types that hold objects: s3, azure_blob)."""
        raise NotImplementedError(f"{self.name} resources do not hold objects")


def _values_at(value: Any, parts: list[str]) -> list[Any]:
    if not parts:
        return [value]
    head, rest = parts[0], parts[1:]
    if head.endswith("[]"):
        items = value.get(head[:-2]) if isinstance(value, dict) else None
        if not isinstance(items, list):
            return []
        return [found for item in items for found in _values_at(item, rest)]
    if isinstance(value, dict) and head in value:
        return _values_at(value[head], rest)
    return []
