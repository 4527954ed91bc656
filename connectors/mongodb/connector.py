"""The mongodb connector: self-hosted MongoDB and Atlas."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from connectors.connector import Connector, EnvSource, Match
from connectors.data_paths import resource_type_file, scripts_dir
from connectors.hookspecs import hookimpl
from connectors.lazy import lazy_import
from connectors.parsing import PLACEHOLDER_NOTE, is_password_placeholder
from connectors.resource import CheckResult, Resource

if TYPE_CHECKING:
    from connectors.mongodb.auth import build_credential
    from connectors.mongodb.parser import parse_uri
    from connectors.mongodb.value import (
        atlas_notes,
        build_value,
        is_atlas,
        normalise,
        to_connection_string,
    )
else:  # imported when a text is parsed, not when another family's is detected
    lazy_import(globals(), "connectors.mongodb.auth", "build_credential")
    lazy_import(globals(), "connectors.mongodb.parser", "parse_uri")
    lazy_import(
        globals(),
        "connectors.mongodb.value",
        "atlas_notes",
        "build_value",
        "is_atlas",
        "normalise",
        "to_connection_string",
    )

EXAMPLES = (
    "mongodb://localhost:27017/app",
    "mongodb://alice:s3cret@db1.example.com:27017,db2.example.com:27018/app"
    "?replicaSet=rs0&authSource=admin",
    "mongodb+srv://app:p%40ss@cluster0.ab1cd.mongodb.net/shop?retryWrites=true&w=majority"
    "&appName=Cluster0",
    "mongodb://%2Ftmp%2Fmongodb-27017.sock/app",
)


class MongoDB(Connector):
    """``mongodb://`` and ``mongodb+srv://`` strings, read by the connection-string spec."""

    name = "mongodb"
    description = "MongoDB connection infos"
    model = "connectors.mongodb.model:MongoDB"
    schema_file = resource_type_file("mongodb")
    providers = ("atlas",)
    extra = "mongodb"
    scripts_dir = scripts_dir("mongodb")
    url_schemes = frozenset(("mongodb",))
    text_keys = frozenset[str]()  # no KEY=value form
    testing = "connectors.mongodb.testing"
    exports = "connectors.mongodb.exports"
    examples = EXAMPLES

    def detect(self, text: str) -> int:
        if not text.startswith(("mongodb://", "mongodb+srv://")):
            return Match.NONE
        return Match.PROVIDER if ".mongodb.net" in text.lower() else Match.SCHEME

    def parse(self, text: str) -> Resource:
        parsed = parse_uri(text.strip())
        placeholder = is_password_placeholder(parsed.password or "")
        if placeholder:  # Atlas's console prints <db_password>
            parsed.password = None
        credential, auth_notes = build_credential(parsed)
        value = build_value(parsed, credential)
        notes = parsed.warnings + ([PLACEHOLDER_NOTE] if placeholder else []) + auth_notes
        provider = None
        if is_atlas(value):
            provider = "atlas"
            notes += atlas_notes(value, explicit_source="authSource" in parsed.options)
        return Resource(self.name, value, provider=provider, notes=notes)

    def to_connection_string(self, resource: Resource) -> str:
        return to_connection_string(resource.value)

    def normalise(self, value: dict[str, Any]) -> dict[str, Any]:
        return normalise(value)

    def env_sources(self) -> tuple[EnvSource, ...]:
        """``MONGODB_URI`` or ``MONGODB_URL``."""
        return (EnvSource("mongodb", ("MONGODB_URI", "MONGODB_URL"), detect=True),)

    def connect(self, resource: Resource) -> Any:
        from connectors.mongodb.check import connect

        return connect(resource.value)

    def check(self, resource: Resource, timeout: float = 10.0) -> CheckResult:
        from connectors.mongodb.check import check

        return check(resource.value, timeout)


@hookimpl
def register_connectors(register: Callable[[Connector], None]) -> None:
    register(MongoDB())
