"""The upstash_redis connector: Upstash Redis over its REST API (url + token).

Parsing is in ``connectors.upstash_redis.parser``. The native connection string is the pair of lines
``UPSTASH_REDIS_REST_URL=...`` / ``UPSTASH_REDIS_REST_TOKEN=...`` that ``Redis.from_env()`` reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from connectors.connector import Connector, EnvSource, Match
from connectors.data_paths import resource_type_file, scripts_dir
from connectors.errors import ParseError, Problem, ValidationError
from connectors.hookspecs import hookimpl
from connectors.lazy import lazy_import
from connectors.parsing import url_scheme
from connectors.resource import CheckResult, Resource
from connectors.upstash_redis.variables import TEXT_KEYS

if TYPE_CHECKING:
    from connectors.upstash_redis.parser import (
        check_token,
        check_url,
        parse_upstash,
        provider_of,
        render_env,
        value_notes,
    )
else:  # imported when a text is parsed, not when another family's is detected
    lazy_import(
        globals(),
        "connectors.upstash_redis.parser",
        "check_token",
        "check_url",
        "parse_upstash",
        "provider_of",
        "render_env",
        "value_notes",
    )

_UPSTASH_HOST = re.compile(r"[\w.-]+\.upstash\.io\b", re.IGNORECASE)


def _place(text: str, message: str) -> int:
    """Where the part an error is about is: the REST URL, the missing token (the end), else 0."""
    if "token" in message and "missing" in message:
        return len(text.rstrip())
    if "URL" in message or "host" in message:
        found = max(text.find("http"), text.find("redis"))
        return found if found >= 0 else 0
    return 0


class UpstashRedis(Connector):
    name = "upstash_redis"
    description = "Upstash Redis over its REST API (URL and token)"
    model = "connectors.upstash_redis.model:UpstashRedis"
    schema_file = resource_type_file("upstash_redis")
    providers = ("upstash",)
    extra = "upstash"
    scripts_dir = scripts_dir("upstash_redis")
    testing = "connectors.upstash_redis.testing"
    exports = "connectors.upstash_redis.exports"
    examples = (
        "UPSTASH_REDIS_REST_URL=https://eu1-merry-cat-32748.upstash.io\n"
        "UPSTASH_REDIS_REST_TOKEN=AX8sAAIjcDE",
        "rediss://default:AX8sAAIjcDE@eu1-merry-cat-32748.upstash.io:6379",
    )

    url_schemes = frozenset(("redis", "rediss", "http", "https"))
    text_keys = TEXT_KEYS

    def detect(self, text: str) -> int:
        scheme = url_scheme(text)
        if scheme is not None and scheme not in self.url_schemes:
            return Match.NONE  # another family's URL naming UPSTASH_REDIS_ in its query
        if "_" in text and ("UPSTASH_REDIS_" in text or "KV_REST_API_" in text):  # '_': cheap
            return Match.PROVIDER
        if ".upstash.io" in text.lower() and _UPSTASH_HOST.search(text):
            return Match.PROVIDER
        return Match.NONE

    def parse(self, text: str) -> Resource:
        try:
            value, notes = parse_upstash(text)
        except ParseError as exc:
            if exc.position is None:
                exc.position = _place(text, exc.message)
            raise
        return Resource(self.name, value, provider_of(value), [*notes, *value_notes(value)])

    def to_connection_string(self, resource: Resource) -> str:
        return render_env(resource.value)

    def normalise(self, value: dict[str, Any]) -> dict[str, Any]:
        normalised = dict(value)
        for name, check in (("url", check_url), ("token", check_token)):
            try:
                normalised[name] = check(value[name])
            except ParseError as exc:
                raise ValidationError(self.name, [Problem(f"/{name}", exc.message)]) from exc
        return normalised

    def env_sources(self) -> tuple[EnvSource, ...]:
        """What ``Redis.from_env()`` reads: the REST URL and token."""
        return (
            EnvSource(
                "upstash_redis", ("UPSTASH_REDIS_REST_URL", "UPSTASH_REDIS_REST_TOKEN"), block=True
            ),
        )

    def connect(self, resource: Resource) -> Any:
        from connectors.upstash_redis.driver import make_client

        return make_client(resource.value)

    def check(self, resource: Resource, timeout: float = 10.0) -> CheckResult:
        from connectors.redact import redactor_for
        from connectors.upstash_redis.driver import check_upstash

        redactor = redactor_for(self.name, resource.value)
        return check_upstash(resource.value, timeout, redactor)


@hookimpl
def register_connectors(register: Callable[[Connector], None]) -> None:
    register(UpstashRedis())
