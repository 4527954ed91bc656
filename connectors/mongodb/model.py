"""The mongodb resource as a pydantic model: the source of ``resource_types/mongodb.json``.

Windmill's published schema is not valid JSON Schema (credential and servers lack ``type``); this
one describes the same value correctly, plus two extension fields (``srv``, ``options``) that keep
a connection string without loss. The options come from the URI options table.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, create_model

from connectors.model_base import ClosedValueModel, ResourceModel, Secret
from connectors.model_schema import fields_from_schema
from connectors.mongodb.options import options_schema

_OPTIONS = options_schema()

#: every URI option of the spec's table, typed (tls and authMechanism live elsewhere in the value)
MongoDBOptions: Any = create_model(
    "MongoDBOptions",
    __base__=ClosedValueModel,
    __module__=__name__,
    **fields_from_schema(_OPTIONS, "MongoDBOptions"),
)


class MongoDBServer(ClosedValueModel):
    """One seed of the list (with srv: the SRV host name, no port)."""

    host: str = Field(description="Host name, IP or socket path")
    port: int = Field(27017, description="Port", ge=1, le=65535)


class MongoDBCredential(ClosedValueModel):
    """How to authenticate."""

    username: str | None = Field(None, description="User name")
    password: Secret | None = Field(None, description="Password")
    db: str | None = Field(None, description="Authentication database (authSource)")
    mechanism: (
        Literal[
            "SCRAM-SHA-1",
            "SCRAM-SHA-256",
            "PLAIN",
            "GSSAPI",
            "MONGODB-X509",
            "MONGODB-AWS",
            "MONGODB-OIDC",
        ]
        | None
    ) = Field(
        None,
        description="Authentication mechanism; absent: negotiated by the driver "
        "(SCRAM-SHA-256 on MongoDB 4.0+)",
    )


class MongoDB(ResourceModel):
    """A MongoDB deployment (self-hosted or Atlas), from a mongodb:// or mongodb+srv:// string."""

    hub_order = ("servers", "db", "credential", "tls", "srv", "options")

    db: str = Field("", description="The default database")
    tls: bool = Field(True, description="Connect with TLS")
    servers: list[MongoDBServer] = Field(
        description="Seed list of servers (with srv: the one SRV host name, no port)",
        min_length=1,
    )
    credential: MongoDBCredential | None = Field(None, description="How to authenticate")
    srv: bool = Field(
        False, description="Extension: a mongodb+srv:// string (DNS SRV seed list, TLS on)"
    )
    options: MongoDBOptions | None = Field(None, description=_OPTIONS["description"])
