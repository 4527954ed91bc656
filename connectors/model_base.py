"""The base of every resource model: Windmill field names, secrets as SecretStr, dump = the value.

``model_dump()`` gives back exactly the resource value the model was validated from: the fields
it was given (defaults are read from the attributes, not added to the value), unknown fields kept,
secrets revealed. In JSON mode (``model_dump(mode="json")``, ``model_dump_json()``, a FastAPI
response) secrets are masked unless ``context={"show_secrets": True}``, as pydantic's SecretStr is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    PlainSerializer,
    SecretStr,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from connectors.redact import MASK


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

    model_config = ConfigDict(extra="allow", hide_input_in_errors=True)

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

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)


class ResourceModel(ValueModel):
    """A resource value as a pydantic model; unknown fields are kept (Windmill may add some).

    ``hub_order`` is the ``order`` of the generated hub schema (the fields a form shows first);
    ``None`` orders every field as declared.
    """

    model_config = ConfigDict(extra="allow", hide_input_in_errors=True)

    hub_order: ClassVar[tuple[str, ...] | None] = None
