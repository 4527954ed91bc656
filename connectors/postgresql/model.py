"""The postgresql resource as a pydantic model: the source of ``resource_types/postgresql.json``.

The Windmill fields are declared here; the libpq extension fields (``hosts`` and every other
keyword) come from the keyword table in ``connectors.postgresql.keywords``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, create_model

from connectors.model_base import ResourceModel, Secret
from connectors.model_schema import fields_from_schema
from connectors.postgresql.keywords import WINDMILL_FIELDS, extension_properties


class _WindmillPostgreSQL(ResourceModel):
    hub_order = WINDMILL_FIELDS

    host: str | None = Field(None, description="The instance host")
    port: int = Field(5432, description="The instance port")
    user: str | None = Field(None, description="The postgres username")
    password: Secret | None = Field(None, description="The postgres users password")
    dbname: str | None = Field(None, description="The database name")
    sslmode: Literal["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] | None = (
        Field(
            None,
            description="Most cloud databases (Heroku, AWS, Supabase, etc.) require SSL. "
            "Self-hosted databases typically don't.",
        )
    )
    root_certificate_pem: str = Field(
        "", description="The root certificate in PEM format (content, not a path)"
    )


PostgreSQL = create_model(
    "PostgreSQL",
    __base__=_WindmillPostgreSQL,
    __module__=__name__,
    __doc__="A PostgreSQL connection (Windmill's ``postgresql`` type plus libpq keywords).",
    **fields_from_schema({"properties": extension_properties()}, "PostgreSQL"),
)
