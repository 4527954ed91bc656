"""The upstash_redis connector: Upstash Redis over its REST API."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from connectors.connector import Connector, Match
from connectors.default_plugins._paths import scripts_dir
from connectors.hookspecs import hookimpl

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "order": ["url", "token"],
    "properties": {
        "url": {
            "type": "string",
            "description": "REST URL (UPSTASH_REDIS_REST_URL), e.g. https://us1-merry-cat-32748.upstash.io",
        },
        "token": {
            "type": "string",
            "description": "REST token (UPSTASH_REDIS_REST_TOKEN)",
            "password": True,
        },
    },
    "required": ["url", "token"],
}

_UPSTASH_HOST = re.compile(r"[\w.-]+\.upstash\.io\b", re.IGNORECASE)


class UpstashRedis(Connector):
    name = "upstash_redis"
    description = "Upstash Redis over its REST API (URL and token)"
    schema = SCHEMA
    providers = ("upstash",)
    extra = "upstash"
    scripts_dir = scripts_dir("upstash_redis")

    def detect(self, text: str) -> int:
        if "UPSTASH_REDIS_REST_" in text or _UPSTASH_HOST.search(text):
            return Match.PROVIDER
        return Match.NONE


@hookimpl
def register_connectors(register: Callable[[Connector], None]) -> None:
    register(UpstashRedis())
