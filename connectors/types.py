"""Field types for pydantic models and pydantic-settings: a resource from a string or a value.

    from pydantic_settings import BaseSettings
    from connectors.types import PostgreSQLResource

    class Settings(BaseSettings):
        database_url: PostgreSQLResource      # DATABASE_URL from the environment or .env

    connectors.connect(Settings().database_url)

A field accepts a connection string (read by this package's parser, notes kept), a resource value
(a dict, or its JSON text), a ``$res:`` path of the workspace, a ``connectors.Resource`` or a
``connectors.models`` instance, and holds a ``connectors.Resource``. It serialises to the
resource value with its secrets masked, in Python and JSON mode alike;
``context={"show_secrets": True}`` writes them, and that dump validates back into the same value.

Errors are pydantic's, with the parser's message, position and hint in ``ctx``; no error shows
a secret: a string's ``input_value`` is its scheme only, a value's has its secrets masked.
A string of another family (``redis://`` for a PostgreSQL field) is a ``resource_type`` error
naming the family. ``ResourceOf("my_type")`` gives a plugin type the same field type.
"""

from __future__ import annotations

import copy
import json
import re
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    Json,
    ValidationError as PydanticValidationError,
)
from pydantic_core import CoreSchema, InitErrorDetails, PydanticCustomError, core_schema

from connectors.api import detect, parse, validate
from connectors.connector import Match
from connectors.errors import ConnectorsError, ParseError, ValidationError
from connectors.model_base import ResourceModel
from connectors.models import model_for
from connectors.plugins import get_connector
from connectors.redact import redact_value
from connectors.resource import Resource
from connectors.workspace.paths import RESOURCE_PREFIXES

if TYPE_CHECKING:
    from pydantic.json_schema import JsonSchemaValue

__all__ = [
    "AzureBlobResource",
    "MongoDBResource",
    "PostgreSQLResource",
    "RedisResource",
    "ResourceOf",
    "S3Resource",
    "UpstashRedisResource",
]

#: Windmill's references to a stored resource (connectors.get_resource reads both)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
# pydantic-settings JSON-decodes the environment value of a "complex" field (a dataclass such as
# Resource) unless its metadata is a Json marker; this field reads strings and JSON itself.
_DECODES_ITSELF: Any = Json


class RedactedInput(str):
    """The input of a failed validation, as its errors show it: never a secret.

    A string shows its scheme only (``redis://…``), a value its secrets masked, anything else its
    type. A str, so that error reports serialise it as they would the input (FastAPI's 422s).
    """

    __slots__ = ()

    @classmethod
    def of(cls, raw: Any, type_name: str) -> RedactedInput:
        if isinstance(raw, str):
            scheme = _SCHEME.match(raw.strip())
            return cls(f"{scheme[0] if scheme else ''}…")
        if isinstance(raw, dict):
            return cls(repr(redact_value(type_name, raw)))
        return cls(f"<{type(raw).__name__}>")


class ResourceOf(_DECODES_ITSELF):  # type: ignore[misc]
    """A resource field of type ``type_name``: ``Annotated[Resource, ResourceOf(type_name)]``."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"ResourceOf({self.type_name!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ResourceOf) and other.type_name == self.type_name

    def __hash__(self) -> int:
        return hash((ResourceOf, self.type_name))

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(
            self._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                _serialise, info_arg=True
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        value = {
            key: item
            for key, item in get_connector(self.type_name).schema.items()
            if key not in ("$schema", "order")
        }
        text = {"type": "string", "description": f"A {self.type_name} connection string"}
        return {"anyOf": [text, value]}

    # -- validation ------------------------------------------------------------------------------

    def _validate(self, raw: Any) -> Resource:
        try:
            return self._resource(raw)
        except PydanticCustomError as exc:
            # Re-raised as a ValidationError to name the input redacted, not as given.
            detail = InitErrorDetails(type=exc, loc=(), input=RedactedInput.of(raw, self.type_name))
            raise PydanticValidationError.from_exception_data(self.type_name, [detail]) from None

    def _resource(self, raw: Any) -> Resource:
        if isinstance(raw, str) and not _is_json_object(raw):
            return self._from_text(raw)
        if isinstance(raw, Resource):
            self._check_type(raw.resource_type, "resource")
            return raw
        if isinstance(raw, ResourceModel):
            expected = model_for(self.type_name)
            if not isinstance(raw, expected):
                self._check_type(type(raw).__name__, "model")
            raw = raw.model_dump()
        if isinstance(raw, str):
            raw = _json_value(raw)
        if isinstance(raw, dict):
            return Resource(self.type_name, self._from_value(raw))
        raise PydanticCustomError(
            "resource_input",
            "Input should be a {type_name} connection string or resource value",
            {"type_name": self.type_name},
        )

    def _check_type(self, found: str, what: str) -> None:
        if found != self.type_name:
            raise PydanticCustomError(
                "resource_type",
                "Input is a {found} " + what + ", not {expected}",
                {"found": found, "expected": self.type_name},
            )

    def _from_text(self, text: str) -> Resource:
        stripped = text.strip()
        if stripped.startswith(RESOURCE_PREFIXES):
            return self._from_workspace(stripped)
        score = get_connector(self.type_name).detect(stripped) if stripped else Match.SCHEME
        if score < Match.SCHEME:  # not in our syntax: does another family claim it more?
            candidates = detect(stripped)
            if candidates and candidates[0][1] > score and candidates[0][0] != self.type_name:
                self._check_type(candidates[0][0], "connection string")
        try:
            return parse(text, type=self.type_name)
        except ParseError as exc:
            raise _parse_error(self.type_name, exc) from None

    def _from_workspace(self, reference: str) -> Resource:
        """A ``$res:`` path: the resource stored in the workspace (or Windmill, in a worker)."""
        from connectors.workspace.resolve import load_resource

        try:
            stored = load_resource(reference)
        except ConnectorsError as exc:
            raise PydanticCustomError(
                "resource_reference", "{detail}", {"detail": str(exc)}
            ) from None
        if stored.resource_type not in ("any", self.type_name):
            self._check_type(stored.resource_type, "resource")
        return Resource(self.type_name, self._from_value(stored.value))

    def _from_value(self, value: dict[str, Any]) -> dict[str, Any]:
        # The model's own errors (pydantic's types, secrets masked) go out as they are.
        model = model_for(self.type_name).model_validate(value)
        try:
            return validate(self.type_name, model.model_dump())
        except ValidationError as exc:
            raise _value_errors(exc) from None


def _is_json_object(text: str) -> bool:
    return text[:1] == "{" or (text[:1].isspace() and text.lstrip()[:1] == "{")


def _json_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise PydanticCustomError(
            "resource_json", "Input looks like a JSON resource value but is not valid JSON"
        ) from None


def _parse_error(type_name: str, exc: ParseError) -> PydanticCustomError:
    hint = getattr(exc, "hint", None)
    detail = f"Invalid {type_name} connection string: {exc.message}"
    if exc.position is not None:
        detail += f" (at position {exc.position})"
    if hint:
        detail += f"; hint: {hint}"
    context = {"detail": detail, "message": exc.message, "position": exc.position, "hint": hint}
    return PydanticCustomError("connection_string", "{detail}", context)


def _value_errors(exc: ValidationError) -> PydanticValidationError:
    details: list[InitErrorDetails] = []
    for problem in exc.problems:
        loc = tuple(
            int(part) if part.isdigit() else part.replace("~1", "/").replace("~0", "~")
            for part in problem.pointer.split("/")[1:]
        )
        error = PydanticCustomError("resource_value", "{detail}", {"detail": problem.message})
        details.append(InitErrorDetails(type=error, loc=loc, input=RedactedInput("…")))
    return PydanticValidationError.from_exception_data(exc.type_name, details)


def _serialise(resource: Resource, info: core_schema.SerializationInfo) -> Any:
    context = info.context
    if isinstance(context, dict) and context.get("show_secrets"):
        return copy.deepcopy(resource.value)
    return redact_value(resource.resource_type, resource.value)


PostgreSQLResource = Annotated[Resource, ResourceOf("postgresql")]
MongoDBResource = Annotated[Resource, ResourceOf("mongodb")]
RedisResource = Annotated[Resource, ResourceOf("redis")]
UpstashRedisResource = Annotated[Resource, ResourceOf("upstash_redis")]
S3Resource = Annotated[Resource, ResourceOf("s3")]
AzureBlobResource = Annotated[Resource, ResourceOf("azure_blob")]
