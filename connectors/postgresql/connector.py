"""The postgresql connector: plain PostgreSQL, Supabase and Neon."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from connectors.connector import Connector, EnvSource, Match
from connectors.data_paths import resource_type_file, scripts_dir
from connectors.errors import ParseError
from connectors.hookspecs import hookimpl
from connectors.lazy import lazy_import
from connectors.parsing import url_scheme
from connectors.postgresql.keywords import ALIAS_SCHEMES, ENVIRONMENT, KEYWORDS, URI_PREFIXES
from connectors.resource import CheckResult, Resource

if TYPE_CHECKING:
    from connectors.postgresql.parser import looks_like_environment, looks_like_keyword_value
    from connectors.postgresql.providers import identify, preset, provider_of
    from connectors.postgresql.reader import read
    from connectors.postgresql.value import fill_defaults, normalise, to_uri
else:  # imported when a text is parsed, not when another family's is detected
    lazy_import(
        globals(),
        "connectors.postgresql.parser",
        "looks_like_environment",
        "looks_like_keyword_value",
    )
    lazy_import(globals(), "connectors.postgresql.providers", "identify", "preset", "provider_of")
    lazy_import(globals(), "connectors.postgresql.reader", "read")
    lazy_import(globals(), "connectors.postgresql.value", "fill_defaults", "normalise", "to_uri")

#: the schemes of every URL form the parser reads (libpq, JDBC, SQLAlchemy)
_PREFIXES = (*URI_PREFIXES, "jdbc:postgresql:", "postgresql+", "postgres+")


class PostgreSQL(Connector):
    """libpq URIs and keyword/value strings, JDBC and SQLAlchemy URLs, psql lines, PG* blocks."""

    name = "postgresql"
    description = "PostgreSQL connection"
    model = "connectors.postgresql.model:PostgreSQL"
    schema_file = resource_type_file("postgresql")
    providers = ("supabase", "neon")
    extra = "postgresql"
    scripts_dir = scripts_dir("postgresql")
    url_schemes = frozenset(("postgresql", "postgres", *ALIAS_SCHEMES))
    #: keyword/value strings and PG* blocks (DATABASE_URL=postgres://... is asked as any text)
    text_keys = frozenset(name.upper() for name in (*KEYWORDS, *ENVIRONMENT))
    testing = "connectors.postgresql.testing"
    exports = "connectors.postgresql.exports"

    examples = (
        "postgresql://user:secret@localhost:5432/mydb?sslmode=require",
        "postgresql://host1:5432,host2:5433/app?target_session_attrs=read-write",
        "host=localhost port=5432 dbname='my db' user=app connect_timeout=10",
        "jdbc:postgresql://localhost:5432/mydb?user=app&password=secret&ssl=true",
        "postgresql+psycopg://app:secret@localhost/mydb",
        "postgresql://postgres.abcdefghijklmnopqrst:[YOUR-PASSWORD]"
        "@aws-0-eu-west-1.pooler.supabase.com:6543/postgres",
        "postgresql://alex:AbC123dEf@ep-cool-darkness-a1b2c3d4-pooler.us-east-2.aws.neon.tech"
        "/dbname?sslmode=require&channel_binding=require",
    )

    def detect(self, text: str) -> int:
        if not text.startswith(_PREFIXES):
            if url_scheme(text) is not None:
                # another family's URL, or a Django/SQLAlchemy alias (postgis://, cockroach://)
                written = text[: text.find("://")].partition("+")[0]
                return Match.SCHEME if written in ALIAS_SCHEMES else Match.NONE
            ours = (
                looks_like_keyword_value(text)
                or (text.startswith("psql") and "postgres" in text)
                or looks_like_environment(text)
            )
            if not ours:
                return Match.NONE
        if ".supabase.co" in text or ".neon.tech" in text:
            return Match.PROVIDER
        return Match.SCHEME

    def parse(self, text: str) -> Resource:
        try:
            value, notes, provider = read(text)
        except ParseError as exc:
            exc.type_name = exc.type_name or self.name
            raise
        if provider_of(value) is None:  # a plain server: no preset, no advice
            notes += fill_defaults(value)
        else:
            notes += fill_defaults(value, preset(value))
            info = identify(value)
            if info is not None:
                notes += info.notes
                provider = info.provider
        return Resource(self.name, value, provider, notes)

    def to_connection_string(self, resource: Resource) -> str:
        return to_uri(resource.value)

    def normalise(self, value: dict[str, Any]) -> dict[str, Any]:
        return normalise(value, preset(value))

    def env_sources(self) -> tuple[EnvSource, ...]:
        """``DATABASE_URL`` (its type detected: a plugin's SQL database may claim it)."""
        return (EnvSource("database", ("DATABASE_URL",), detect=True),)

    def connect(self, resource: Resource) -> Any:
        from connectors.postgresql.client import connect

        return connect(resource.value)

    def check(self, resource: Resource, timeout: float = 10.0) -> CheckResult:
        from connectors.postgresql.client import check

        return check(resource.value, timeout)


@hookimpl
def register_connectors(register: Callable[[Connector], None]) -> None:
    register(PostgreSQL())
