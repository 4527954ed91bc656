"""Pydantic models of the resource types: ``connectors.models.PostgreSQL`` and the others.

Each built-in model lives in its type's package (``connectors/postgresql/model.py``) and is
imported on first use, so ``import connectors.models`` costs nothing until a model is named.
Plugin types get theirs from ``model_for(type_name)``: the model the connector declares, or one
generated from its schema dict.

    >>> r = connectors.parse("postgresql://app:secret@db.example.com/shop")
    >>> m = r.model()                      # connectors.models.PostgreSQL
    >>> m.password                         # SecretStr('**********')
    >>> m.model_dump() == r.value          # True: secrets revealed, nothing added

For plugin authors: ``ResourceModel`` is the base class and ``Secret`` the type of a secret field.
"""

from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from connectors.azure_blob.model import AzureBlob as AzureBlob
    from connectors.connector import Connector
    from connectors.model_base import (
        ResourceModel as ResourceModel,
        Secret as Secret,
        ValueModel as ValueModel,
    )
    from connectors.model_schema import (
        hub_schema as hub_schema,
        model_from_schema as model_from_schema,
    )
    from connectors.mongodb.model import MongoDB as MongoDB
    from connectors.postgresql.model import PostgreSQL as PostgreSQL
    from connectors.redis.model import Redis as Redis
    from connectors.s3.model import S3 as S3
    from connectors.upstash_redis.model import UpstashRedis as UpstashRedis

#: public name -> "module:attribute", imported on first access
_EXPORTS: dict[str, str] = {
    "PostgreSQL": "connectors.postgresql.model:PostgreSQL",
    "MongoDB": "connectors.mongodb.model:MongoDB",
    "Redis": "connectors.redis.model:Redis",
    "UpstashRedis": "connectors.upstash_redis.model:UpstashRedis",
    "S3": "connectors.s3.model:S3",
    "AzureBlob": "connectors.azure_blob.model:AzureBlob",
    "ResourceModel": "connectors.model_base:ResourceModel",
    "ValueModel": "connectors.model_base:ValueModel",
    "Secret": "connectors.model_base:Secret",
    "hub_schema": "connectors.model_schema:hub_schema",
    "model_from_schema": "connectors.model_schema:model_from_schema",
}

__all__ = sorted([*_EXPORTS, "model_for", "model_of"])

#: models generated from schema dicts, by connector class
_generated: dict[type[Connector], type[ResourceModel]] = {}


def _load(reference: str) -> Any:
    module_name, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def __getattr__(name: str) -> Any:
    reference = _EXPORTS.get(name)
    if reference is None:
        raise AttributeError(f"module 'connectors.models' has no attribute {name!r}")
    value = _load(reference)
    globals()[name] = value
    return value


def model_of(connector: Connector) -> type[ResourceModel]:
    """The model ``connector`` declares (a class or ``"module:Name"``), or one from its schema."""
    declared = connector.model
    if isinstance(declared, str):
        return _load(declared)  # type: ignore[no-any-return]
    if declared is not None:
        return declared  # type: ignore[no-any-return]
    kind = type(connector)
    if kind not in _generated:
        from connectors.model_schema import model_from_schema

        class_name = re.sub(r"(?:^|[^0-9A-Za-z]+)(\w)", lambda m: m[1].upper(), connector.name)
        _generated[kind] = model_from_schema(class_name, connector.schema)
    return _generated[kind]


def model_for(type_name: str) -> type[ResourceModel]:
    """The model of a registered resource type (built-in or plugin)."""
    from connectors.plugins import get_connector

    return model_of(get_connector(type_name))
