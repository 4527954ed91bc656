"""The mongodb connector: self-hosted MongoDB and Atlas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connectors.connector import Connector, Match
from connectors.default_plugins._paths import scripts_dir
from connectors.hookspecs import hookimpl

# Windmill's published mongodb schema is not valid JSON Schema (credential and servers lack
# "type"); this one describes the same value shape correctly.
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "order": ["servers", "db", "credential", "tls"],
    "properties": {
        "db": {"type": "string", "description": "The default database", "default": ""},
        "tls": {"type": "boolean", "description": "Connect with TLS", "default": True},
        "servers": {
            "type": "array",
            "description": "Seed list of servers",
            "items": {
                "type": "object",
                "properties": {
                    "host": {"type": "string", "description": "Host name, IP or socket path"},
                    "port": {"type": "integer", "description": "Port", "default": 27017},
                },
                "required": ["host"],
            },
        },
        "credential": {
            "type": "object",
            "description": "How to authenticate",
            "properties": {
                "username": {"type": "string", "description": "User name"},
                "password": {"type": "string", "description": "Password", "password": True},
                "db": {"type": "string", "description": "Authentication database"},
                "mechanism": {
                    "type": "string",
                    "description": "Authentication mechanism",
                    "default": "SCRAM-SHA-1",
                },
            },
        },
    },
    "required": ["servers"],
}


class MongoDB(Connector):
    name = "mongodb"
    description = "MongoDB connection infos"
    schema = SCHEMA
    providers = ("atlas",)
    extra = "mongodb"
    scripts_dir = scripts_dir("mongodb")

    def detect(self, text: str) -> int:
        return Match.SCHEME if text.startswith(("mongodb://", "mongodb+srv://")) else Match.NONE


@hookimpl
def register_connectors(register: Callable[[Connector], None]) -> None:
    register(MongoDB())
