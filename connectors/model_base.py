"""The base of every resource model: Windmill field names, secrets as SecretStr, dump = the value.

``model_dump()`` gives back exactly the resource value the model was validated from: the fields
it was given (defaults are read from the attributes, not added to the value), unknown fields kept,
secrets revealed. In JSON mode (``model_dump(mode="json")``, ``model_dump_json()``, a FastAPI
response) secrets are masked unless ``context={"show_secrets": True}``, as pydantic's SecretStr is.
Validation errors show their input with the secrets masked, even inside a model of yours.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import cache
from typing import Annotated, Any, ClassVar, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    PlainSerializer,
    SecretStr,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    ValidationError,
    ValidatorFunctionWrapHandler,
    model_serializer,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from connectors.redact import MASK, Redactor, mask_value


def shows_secrets(info: SerializationInfo) -> bool:
    """Secrets are written in Python mode, and in JSON mode with ``show_secrets`` in the context."""
    context = info.context
    return not info.mode_is_json() or (
        isinstance(context, dict) and bool(context.get("show_secrets"))
    )


def _secret_out(secret: SecretStr, info: SerializationInfo) -> str:
    return secret.get_secret_value() if shows_secrets(info) else MASK


#: a secret field: SecretStr in the model, ``"password": true`` in the hub schema
Secret = Annotated[SecretStr, PlainSerializer(_secret_out)]


class ValueModel(BaseModel):
    """A part of a resource value (a MongoDB server, a credential): dumps only what was given."""

    model_config = ConfigDict(extra="allow")

    @model_serializer(mode="wrap")
    def _as_given(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        dumped: dict[str, Any] = handler(self)
        given = self.model_fields_set
        return {key: item for key, item in dumped.items() if key in given}

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        # The fields given, as the dump; a secret field shows SecretStr('**********').
        given = self.model_fields_set
        for key, item in super().__repr_args__():
            if key in given:
                yield key, MASK if key in (self.model_extra or {}) else item


class ClosedValueModel(ValueModel):
    """A part of a resource value that takes no other fields (``additionalProperties: false``)."""

    model_config = ConfigDict(extra="forbid")


class ResourceModel(ValueModel):
    """A resource value as a pydantic model; unknown fields are kept (Windmill may add some).

    ``hub_order`` is the ``order`` of the generated hub schema (the fields a form shows first);
    ``None`` orders every field as declared.
    """

    model_config = ConfigDict(extra="allow")

    hub_order: ClassVar[tuple[str, ...] | None] = None

    @model_validator(mode="wrap")
    @classmethod
    def _masked_errors(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(data)
        except ValidationError as exc:
            raise masked(exc, data, secret_names(cls)) from None


@cache
def secret_names(model: type[BaseModel]) -> frozenset[str]:
    """The names of the secret fields of ``model`` and of the models nested in it."""
    names: set[str] = set()
    for name, field in model.model_fields.items():
        for kind in _members(field.annotation):
            if kind is SecretStr:
                names.add(name)
            elif isinstance(kind, type) and issubclass(kind, BaseModel):
                names |= secret_names(kind)
    return frozenset(names)


def _members(annotation: Any) -> Iterator[Any]:
    yield annotation
    for arg in get_args(annotation):
        yield from _members(arg)


def masked(exc: ValidationError, data: Any, names: frozenset[str]) -> ValidationError:
    """``exc`` with every secret of ``data`` masked in the inputs its errors show."""
    redactor = Redactor(_secrets_in(data, names))
    details: list[InitErrorDetails] = []
    for error in exc.errors():
        keys = [part for part in error["loc"] if isinstance(part, str)]
        if keys and keys[-1] in names:
            shown: Any = MASK
        else:
            shown = mask_value(copy.deepcopy(error["input"]), redactor)
        detail = InitErrorDetails(type=error["type"], loc=error["loc"], input=shown)
        if "ctx" in error:
            detail["ctx"] = error["ctx"]
        try:  # a custom error type of a plugin's validator is unknown to pydantic-core
            ValidationError.from_exception_data(exc.title, [detail])
        except (KeyError, TypeError, ValueError):
            message = error["msg"].replace("{", "{{").replace("}", "}}")
            detail = InitErrorDetails(
                type=PydanticCustomError(error["type"], message), loc=error["loc"], input=shown
            )
        details.append(detail)
    return ValidationError.from_exception_data(exc.title, details)


def _secrets_in(data: Any, names: frozenset[str]) -> Iterator[str]:
    if isinstance(data, dict):
        for key, item in data.items():
            if key in names and isinstance(item, str):
                yield item
            else:
                yield from _secrets_in(item, names)
    elif isinstance(data, list):
        for item in data:
            yield from _secrets_in(item, names)
