"""The redis connector: any server speaking the Redis protocol (Redis, Valkey, KeyDB, ...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connectors.connector import Connector, Match
from connectors.default_plugins._paths import scripts_dir
from connectors.hookspecs import hookimpl

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "order": ["host", "port", "db", "username", "password", "tls"],
    "properties": {
        "host": {"type": "string", "description": "Server host", "default": "localhost"},
        "port": {"type": "integer", "description": "Server port", "default": 6379},
        "db": {"type": "integer", "description": "Database number", "default": 0, "minimum": 0},
        "username": {"type": "string", "description": "ACL user name (Redis 6+)", "default": ""},
        "password": {"type": "string", "description": "Password", "default": "", "password": True},
        "tls": {"type": "boolean", "description": "Connect with TLS (rediss://)", "default": False},
    },
    "required": ["host"],
}


class Redis(Connector):
    name = "redis"
    description = "A Redis (or Valkey) server reached over TCP, TLS or a Unix socket"
    schema = SCHEMA
    extra = "redis"
    scripts_dir = scripts_dir("redis")

    def detect(self, text: str) -> int:
        return Match.SCHEME if text.startswith(("redis://", "rediss://", "unix://")) else Match.NONE


@hookimpl
def register_connectors(register: Callable[[Connector], None]) -> None:
    register(Redis())
