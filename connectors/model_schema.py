"""Hub JSON Schemas from pydantic models, and models from hub JSON Schemas.

``hub_schema(Model)`` writes the Windmill hub format, not pydantic's own JSON Schema: no titles,
no ``anyOf`` for optional fields, nested models inline, ``"password": true`` on secret fields,
``order`` from ``Model.hub_order``. The mapping, field by field:

- ``str`` string, ``int`` integer, ``bool`` boolean, ``float`` and ``int | float`` number,
  ``Secret`` string with ``"password": true``, ``Literal[...]`` ``enum``, ``list[X]`` array,
  ``dict[str, X]`` object with ``additionalProperties``, a nested model an object with
  ``properties`` (``"additionalProperties": false`` when it forbids extra fields);
- ``X | None = None`` an optional field without a default; any other default is ``default``;
  a field without a default is ``required``;
- ``ge``/``gt``/``le``/``lt``/``pattern``/``min_length``/``max_length`` the JSON Schema keywords;
- ``Field(json_schema_extra={...})`` keys added as given (a required field's ``default``).

``model_from_schema`` is the way back, used for plugin types that declare a schema dict; both
directions keep every keyword above, so a schema written in that vocabulary survives the round
trip exactly.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types as at
from pydantic import BaseModel, Field, SecretStr, create_model
from pydantic.fields import FieldInfo

from connectors.model_base import ClosedValueModel, ResourceModel, Secret, ValueModel
from connectors.resource import HUB_SCHEMA_DIALECT

#: the order of keywords in a property, as the committed resource types write them
_KEY_ORDER = (
    "type",
    "description",
    "default",
    "minimum",
    "exclusiveMinimum",
    "maximum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "enum",
    "items",
    "properties",
    "required",
    "additionalProperties",
)
_JSON_TYPES: dict[Any, str] = {str: "string", bool: "boolean", int: "integer", float: "number"}
_PYTHON_TYPES: dict[str, Any] = {name: kind for kind, name in _JSON_TYPES.items()}
_BOUNDS = {"minimum": "ge", "exclusiveMinimum": "gt", "maximum": "le", "exclusiveMaximum": "lt"}


# -- model -> schema -----------------------------------------------------------------------------


def hub_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The hub-format JSON Schema of a resource model."""
    properties = {name: field_schema(field) for name, field in model.model_fields.items()}
    order = getattr(model, "hub_order", None)
    return {
        "$schema": HUB_SCHEMA_DIALECT,
        "type": "object",
        "order": list(properties if order is None else order),
        "properties": properties,
        "required": [name for name, field in model.model_fields.items() if field.is_required()],
    }


def field_schema(field: FieldInfo) -> dict[str, Any]:
    """One property: its type's schema, description, default and extra keywords."""
    prop = type_schema(field.annotation, field.metadata)
    if field.description is not None:
        prop["description"] = field.description
    if not field.is_required():
        default = field.get_default(call_default_factory=True)
        if isinstance(default, SecretStr):
            default = default.get_secret_value()
        if default is not None:
            prop["default"] = default
    if isinstance(field.json_schema_extra, dict):
        prop.update(field.json_schema_extra)
    return _ordered(prop)


def type_schema(annotation: Any, metadata: list[Any] | tuple[Any, ...] = ()) -> dict[str, Any]:
    """The schema of a type annotation with its constraints (``metadata``)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *extra = get_args(annotation)
        return type_schema(inner, [*_flatten(extra), *metadata])
    if origin in (Union, types.UnionType):
        members = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(members) > 1:
            return _ordered(_union_schema(members, metadata))
        annotation, origin = members[0], get_origin(members[0])
        if origin is Annotated:
            return type_schema(annotation, metadata)
    schema = _base_schema(annotation, origin)
    schema.update(_constraints(metadata, schema.get("type")))
    return _ordered(schema)


def _base_schema(annotation: Any, origin: Any) -> dict[str, Any]:
    if annotation is SecretStr:
        return {"type": "string", "password": True}
    if origin is Literal:
        values = list(get_args(annotation))
        return {"type": _JSON_TYPES[type(values[0])], "enum": values}
    if origin is list:
        (item,) = get_args(annotation)
        return {"type": "array", "items": type_schema(item)}
    if origin is dict:
        _, item = get_args(annotation)
        return {"type": "object", "additionalProperties": type_schema(item)}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return object_schema(annotation)
    if annotation in _JSON_TYPES:
        return {"type": _JSON_TYPES[annotation]}
    return {}  # Any: no constraint


def object_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A nested model inline: properties, required (when any), closed when it forbids extras."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {name: field_schema(field) for name, field in model.model_fields.items()},
    }
    required = [name for name, field in model.model_fields.items() if field.is_required()]
    if required:
        schema["required"] = required
    if model.model_config.get("extra") == "forbid":
        schema["additionalProperties"] = False
    return schema


def _union_schema(members: list[Any], metadata: list[Any] | tuple[Any, ...]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    kinds: list[Any] = []
    for member in members:
        schema = type_schema(member, metadata)
        kinds.append(schema.pop("type", None))
        merged.update(schema)
    if set(kinds) == {"integer", "number"}:
        return {"type": "number", **merged}
    return {"type": kinds, **merged}


def _flatten(metadata: list[Any]) -> list[Any]:
    """``Annotated`` metadata with ``Field(...)`` objects replaced by their constraints."""
    flat: list[Any] = []
    for item in metadata:
        flat.extend(item.metadata if isinstance(item, FieldInfo) else [item])
    return flat


def _constraints(metadata: list[Any] | tuple[Any, ...], kind: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in metadata:
        for keyword, attribute in _BOUNDS.items():
            if isinstance(getattr(item, attribute, None), int | float):
                found[keyword] = getattr(item, attribute)
        if isinstance(item, at.MinLen):
            found["minItems" if kind == "array" else "minLength"] = item.min_length
        if isinstance(item, at.MaxLen):
            found["maxItems" if kind == "array" else "maxLength"] = item.max_length
        if isinstance(getattr(item, "pattern", None), str):
            found["pattern"] = item.pattern
    return found


def _ordered(prop: dict[str, Any]) -> dict[str, Any]:
    known = [key for key in _KEY_ORDER if key in prop]
    other = [key for key in prop if key not in _KEY_ORDER and key != "password"]
    tail = ["password"] if "password" in prop else []
    return {key: prop[key] for key in known + other + tail}


# -- schema -> model -----------------------------------------------------------------------------


def model_from_schema(name: str, schema: dict[str, Any]) -> type[ResourceModel]:
    """A resource model for a hub-format schema (a plugin type declared the old way)."""
    model = create_model(name, __base__=ResourceModel, **fields_from_schema(schema, name))
    order = schema.get("order")
    if isinstance(order, list):
        model.hub_order = tuple(order)
    return model


def fields_from_schema(schema: dict[str, Any], prefix: str) -> dict[str, Any]:
    """``create_model`` field definitions for the properties of an object schema."""
    required = set(schema.get("required", []))
    fields: dict[str, Any] = {}
    for key, prop in schema.get("properties", {}).items():
        annotation = annotation_from_schema(prop, f"{prefix}_{key}")
        extra = {k: v for k, v in prop.items() if k not in _KEY_ORDER and k != "password"}
        info: dict[str, Any] = {"description": prop.get("description")}
        if extra:
            info["json_schema_extra"] = extra
        if key in required:
            if "default" in prop:
                info["json_schema_extra"] = {**extra, "default": prop["default"]}
            fields[key] = (annotation, Field(**info))
        else:
            fields[key] = (annotation | None, Field(prop.get("default"), **info))
    return fields


def annotation_from_schema(prop: dict[str, Any], name: str) -> Any:
    """The Python type (with its constraints) of one property schema."""
    kinds = prop.get("type")
    if isinstance(kinds, list):
        members = [annotation_from_schema({**prop, "type": kind}, name) for kind in kinds]
        return Union[tuple(members)]  # noqa: UP007 (a runtime union of computed members)
    if kinds == "string" and prop.get("password") is True:
        base: Any = Secret
    elif "enum" in prop:
        base = Literal[tuple(prop["enum"])]
    elif kinds == "number":
        base = int | float
    elif kinds == "array":
        base = list[annotation_from_schema(prop.get("items", {}), name)]  # type: ignore[misc]
    elif kinds == "object":
        base = _object_annotation(prop, name)
    else:
        base = _PYTHON_TYPES.get(str(kinds), Any)
    constraints = _field_constraints(prop)
    return Annotated[base, Field(**constraints)] if constraints else base


def _object_annotation(prop: dict[str, Any], name: str) -> Any:
    if "properties" in prop:
        closed = prop.get("additionalProperties") is False
        return create_model(
            name.title().replace("_", ""),
            __base__=ClosedValueModel if closed else ValueModel,
            **fields_from_schema(prop, name),
        )
    extra = prop.get("additionalProperties")
    return dict[str, annotation_from_schema(extra, name) if isinstance(extra, dict) else Any]  # type: ignore[misc]


#: the constraint keywords that apply to each JSON type, and the Field argument of each
_APPLIES = {
    "integer": _BOUNDS,
    "string": {"pattern": "pattern", "minLength": "min_length", "maxLength": "max_length"},
    "array": {"minItems": "min_length", "maxItems": "max_length"},
}
_APPLIES["number"] = _APPLIES["integer"]


def _field_constraints(prop: dict[str, Any]) -> dict[str, Any]:
    applies = _APPLIES.get(prop.get("type"), {})  # type: ignore[arg-type]
    return {argument: prop[key] for key, argument in applies.items() if key in prop}
