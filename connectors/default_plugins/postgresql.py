"""The postgresql connector: plain PostgreSQL, Supabase and Neon."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connectors.connector import Connector, Match
from connectors.default_plugins._paths import scripts_dir
from connectors.hookspecs import hookimpl

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "order": ["host", "port", "user", "password", "dbname", "sslmode", "root_certificate_pem"],
    "properties": {
        "host": {"type": "string", "description": "The instance host"},
        "port": {"type": "integer", "description": "The instance port", "default": 5432},
        "user": {"type": "string", "description": "The postgres username"},
        "password": {
            "type": "string",
            "description": "The postgres users password",
            "password": True,
        },
        "dbname": {"type": "string", "description": "The database name"},
        "sslmode": {
            "type": "string",
            "description": "Most cloud databases (Heroku, AWS, Supabase, etc.) require SSL. "
            "Self-hosted databases typically don't.",
            "enum": ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"],
        },
        "root_certificate_pem": {
            "type": "string",
            "description": "The root certificate in PEM format (content, not a path)",
            "default": "",
        },
    },
    "required": ["host"],
}


class PostgreSQL(Connector):
    name = "postgresql"
    description = "PostgreSQL connection"
    schema = SCHEMA
    providers = ("supabase", "neon")
    extra = "postgresql"
    scripts_dir = scripts_dir("postgresql")

    def detect(self, text: str) -> int:
        if text.startswith(("postgresql://", "postgres://", "jdbc:postgresql://", "postgresql+")):
            return Match.SCHEME
        return Match.NONE


@hookimpl
def register_connectors(register: Callable[[Connector], None]) -> None:
    register(PostgreSQL())
