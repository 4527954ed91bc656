"""The redis connector: any server speaking the Redis protocol (Redis, Valkey, KeyDB, ...).

Connection strings follow redis-py's ``from_url`` (see ``connectors.redis.parser``); the value
keeps every field redis-py reads from a URL, so ``to_connection_string`` gives back a URL that
``redis.Redis.from_url`` and ``connectors.parse`` both read as the same value.
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
from connectors.parsing import PLACEHOLDER_NOTE, is_password_placeholder, url_scheme
from connectors.redis.schemes import DEFAULT_PORT, SCHEMES
from connectors.resource import CheckResult, Resource

if TYPE_CHECKING:
    from connectors.redis.parser import parse_redis_url, render_redis_url
else:  # imported when a text is parsed, not when another family's is detected
    lazy_import(globals(), "connectors.redis.parser", "parse_redis_url", "render_redis_url")


def _prop(kind: str, description: str, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "description": description, **extra}


# host suffix -> provider, for hosted Redis services reached over the Redis protocol
PROVIDERS = {
    ".upstash.io": "upstash",
    ".cache.amazonaws.com": "aws",
    ".memorydb.amazonaws.com": "aws",
    ".redis.cache.windows.net": "azure",
    ".redisenterprise.cache.azure.net": "azure",
    ".redislabs.com": "redis-cloud",
    ".redis-cloud.com": "redis-cloud",
    ".db.ondigitalocean.com": "digitalocean",
}
_SUFFIXES = tuple(PROVIDERS)
_LOOPBACK = ("localhost", "127.0.0.1", "::1")
_SSL_FIELDS = frozenset(("ssl_cert_reqs", "ssl_check_hostname", "ssl_ca_certs", "ssl_ca_data"))


def from_mongodb_shape(value: dict[str, Any]) -> dict[str, Any]:
    """A value in the shape Windmill's docs use for Redis (the ``mongodb`` type) converted."""
    if "servers" not in value and "credential" not in value:
        return value
    converted = {k: v for k, v in value.items() if k not in ("servers", "credential")}
    servers = value.get("servers") or [{}]
    credential = value.get("credential") or {}
    converted.setdefault("host", servers[0].get("host") or "localhost")
    converted.setdefault("port", servers[0].get("port") or DEFAULT_PORT)
    converted.setdefault("username", credential.get("username") or "")
    converted.setdefault("password", credential.get("password") or "")
    return converted


def provider_of(value: dict[str, Any]) -> str | None:
    """The hosted service the value's host belongs to (``PROVIDERS``), or None."""
    host = str(value.get("host") or "").rstrip(".")
    if not host.endswith(_SUFFIXES):
        return None
    return next((name for suffix, name in PROVIDERS.items() if host.endswith(suffix)), None)


def value_notes(value: dict[str, Any], provider: str | None) -> list[str]:
    """Advice that follows from the value (so a round trip keeps it); ``provider`` is
    ``provider_of(value)``."""
    notes = []
    unix = bool(value.get("unix_socket_path"))
    if value.get("tls") and not unix:
        if value.get("ssl_cert_reqs") == "none":
            notes.append(
                "ssl_cert_reqs=none: traffic is encrypted but the server's certificate is not "
                "checked"
            )
        elif value.get("ssl_check_hostname") is False:
            notes.append("ssl_check_hostname=false: the certificate's host name is not checked")
    else:
        if not _SSL_FIELDS.isdisjoint(value) and any(
            value.get(name) is not None for name in _SSL_FIELDS
        ):
            notes.append("the ssl_* settings are not used without TLS (use rediss://)")
        remote = str(value.get("host") or "localhost") not in _LOOPBACK
        if value.get("password") and not unix and remote:
            notes.append("no TLS: the password and data travel unencrypted (use rediss://)")
    if provider == "upstash":
        notes.append(
            "Upstash database: TLS is always on; for its REST API parse this as upstash_redis"
        )
    return notes


_PREFIXES = tuple(f"{scheme}://" for scheme in SCHEMES)
#: StackExchange.Redis (.NET): ``host[:port],key=value,...`` (connectors.redis.stackexchange)
_STACKEXCHANGE = re.compile(r"[A-Za-z0-9.\-_\[\]:]+,\s*[A-Za-z]+\s*=")


def looks_like_stackexchange(text: str) -> bool:
    """Whether ``text`` is a StackExchange.Redis configuration string (cheap, for detection)."""
    # the pattern needs a ',': finding none is the cheap answer for most texts
    return "," in text and "://" not in text[:20] and _STACKEXCHANGE.match(text) is not None


#: hosted services whose databases are numbered 0-15 at most (most offer only 0)
_CLOUD_DB_LIMIT = 15


def _check_cloud_db(value: dict[str, Any], provider: str | None, text: str) -> None:
    """A database number beyond 15 on a hosted service is a port or a typo: refuse it."""
    db = value.get("db") or 0
    if provider is None or db <= _CLOUD_DB_LIMIT:
        return
    found = text.rfind(f"/{db}")
    at = found if found >= 0 else max(text.find("db="), 0)
    host = value["host"]
    hint = (
        f"did you mean port {db} (redis://...@{host}:{db})?"
        if 1024 <= db <= 65535
        else f"{provider} databases are numbered 0-15 (most plans have only 0)"
    )
    raise ParseError(
        f"database {db} does not exist on {provider}", position=at, type_name="redis", hint=hint
    )


class Redis(Connector):
    name = "redis"
    description = "A Redis (or Valkey) server reached over TCP, TLS or a Unix socket"
    model = "connectors.redis.model:Redis"
    schema_file = resource_type_file("redis")
    providers = tuple(sorted(set(PROVIDERS.values())))
    extra = "redis"
    scripts_dir = scripts_dir("redis")
    url_schemes = frozenset(SCHEMES)
    text_keys = frozenset[str]()  # no KEY=value form
    testing = "connectors.redis.testing"
    exports = "connectors.redis.exports"
    examples = (
        "redis://localhost:6379/0",
        "rediss://default:s3cret@redis.example.com:6380/2?ssl_cert_reqs=required",
        "redis://:p%40ss@[::1]:6379?db=1&socket_timeout=5",
        "unix:///run/redis/redis.sock?db=2",
    )

    def detect(self, text: str) -> int:
        scheme = url_scheme(text)  # asked already by auto-detection: remembered
        if scheme is not None:
            return Match.SCHEME if scheme in self.url_schemes else Match.NONE
        if looks_like_stackexchange(text):
            return Match.PROVIDER if ".redis.cache.windows.net" in text else Match.GENERIC
        return Match.NONE

    def parse(self, text: str) -> Resource:
        text = text.strip()
        if not text[:9].lower().startswith(_PREFIXES) and looks_like_stackexchange(text):
            from connectors.redis.stackexchange import parse_stackexchange

            value, read_notes = parse_stackexchange(text)
            value = parse_redis_url(render_redis_url(value))
        else:
            value, read_notes = parse_redis_url(text), []
        provider = provider_of(value)
        _check_cloud_db(value, provider, text)
        notes = read_notes + value_notes(value, provider)
        if is_password_placeholder(value.get("password", "")):
            value["password"] = ""
            notes.insert(0, PLACEHOLDER_NOTE)
        return Resource(self.name, value, provider, notes)

    def to_connection_string(self, resource: Resource) -> str:
        return render_redis_url(resource.value)

    def normalise(self, value: dict[str, Any]) -> dict[str, Any]:
        """The value as the parser would give it: defaults filled, host lower-cased.

        Windmill's docs store Redis in the ``mongodb`` shape (``servers``, ``credential``);
        such a value is converted to this type's fields.
        """
        try:
            return parse_redis_url(render_redis_url(from_mongodb_shape(value)))
        except ParseError as exc:
            raise ValidationError(self.name, [Problem("", exc.message)]) from exc

    def secret_values(self, value: dict[str, Any]) -> list[str]:
        found = super().secret_values(value)
        credential = value.get("credential")
        if isinstance(credential, dict) and isinstance(credential.get("password"), str):
            found.append(credential["password"])
        return [item for item in found if item]

    def env_sources(self) -> tuple[EnvSource, ...]:
        """``REDIS_URL`` (an Upstash host makes it upstash_redis)."""
        return (EnvSource("redis", ("REDIS_URL",), detect=True),)

    def connect(self, resource: Resource) -> Any:
        from connectors.redis.driver import make_client

        return make_client(resource.value)

    def check(self, resource: Resource, timeout: float = 10.0) -> CheckResult:
        from connectors.redact import redactor_for
        from connectors.redis.driver import check_redis

        redactor = redactor_for(self.name, resource.value)
        return check_redis(resource.value, timeout, redactor)


@hookimpl
def register_connectors(register: Callable[[Connector], None]) -> None:
    register(Redis())
