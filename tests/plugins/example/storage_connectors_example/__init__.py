"""An example plugin: `kv://[token@]host[:port]/namespace` strings for a key-value store."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import connectors
from connectors import Connector, Match, ParseError, Resource


class KeyValue(Connector):
    name = "example_kv"
    description = "An example key-value store"
    providers = ("example",)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "host": {"type": "string"},
            "port": {"type": "integer", "default": 7000},
            "namespace": {"type": "string"},
            "token": {"type": "string", "password": True},
        },
        "required": ["host", "namespace"],
    }

    def detect(self, text: str) -> int:
        return Match.SCHEME if text.startswith("kv://") else Match.NONE

    def parse(self, text: str) -> Resource:
        parts = urlsplit(text)
        if not parts.hostname:
            raise ParseError("missing host", position=5, type_name=self.name)
        value = {
            "host": parts.hostname,
            "port": parts.port or 7000,
            "namespace": parts.path.lstrip("/"),
            "token": parts.username or "",
        }
        return Resource(self.name, value, provider="example")


@connectors.hookimpl
def register_connectors(register: Callable[[Connector], None]) -> None:
    register(KeyValue())
