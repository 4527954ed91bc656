"""A plugin whose types are refused or misbehave: a schema that is not JSON Schema, a secret
mark that is not ``true``, a parser that answers outside its schema, a type with no check, a
check that raises and a driver that is not installed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import connectors
from connectors import CheckResult, Connector, Match, Resource

SCHEMA = {
    "type": "object",
    "properties": {
        "host": {"type": "string"},
        "port": {"type": "integer"},
        "token": {"type": "string", "password": True},
    },
    "required": ["host"],
}


class NotJsonSchema(Connector):
    name = "unsound_schema"
    description = "a schema that is not valid JSON Schema"
    schema = {"type": "objekt", "properties": {"host": {"type": "string"}}}


class SecretMark(Connector):
    name = "unsound_secret"
    description = "a secret marked with a string, not true"
    schema = {"type": "object", "properties": {"key": {"type": "string", "password": "yes"}}}


class WrongOutput(Connector):
    """``wrong://TOKEN@host:port``: the port comes back as a string, outside the schema."""

    name = "unsound_output"
    description = "a parser that answers outside its schema"
    schema = SCHEMA

    def detect(self, text: str) -> int:
        return Match.SCHEME if text.startswith("wrong://") else Match.NONE

    def parse(self, text: str) -> Resource:
        token, _, rest = text.removeprefix("wrong://").partition("@")
        host, _, port = rest.partition(":")
        return Resource(self.name, {"host": host, "port": port, "token": token})


class NeedsDriver(Connector):
    """``driver://host``: parses, but its driver is not installed."""

    name = "unsound_driver"
    description = "a driver that is not installed"
    schema = SCHEMA
    extra = "driver"

    def detect(self, text: str) -> int:
        return Match.SCHEME if text.startswith("driver://") else Match.NONE

    def parse(self, text: str) -> Resource:
        return Resource(self.name, {"host": text.removeprefix("driver://")})

    def connect(self, resource: Resource) -> Any:
        import a_driver_that_is_not_installed  # noqa: F401

        raise AssertionError("unreachable")

    def check(self, resource: Resource, timeout: float = 10.0) -> CheckResult:
        from connectors.checks import CheckSteps

        steps = CheckSteps(timeout)
        with steps:
            steps.run("import", lambda: __import__("a_driver_that_is_not_installed"))
        return steps.result()


class NoCheck(Connector):
    """``nocheck://host``: schema and parser only."""

    name = "unsound_nocheck"
    description = "a type with no live check"
    schema = SCHEMA

    def detect(self, text: str) -> int:
        return Match.SCHEME if text.startswith("nocheck://") else Match.NONE

    def parse(self, text: str) -> Resource:
        return Resource(self.name, {"host": text.removeprefix("nocheck://")})


class RaisingCheck(NoCheck):
    """``raisingcheck://TOKEN@host``: its check raises instead of failing a step."""

    name = "unsound_raising_check"
    description = "a check that raises"

    def detect(self, text: str) -> int:
        return Match.SCHEME if text.startswith("raisingcheck://") else Match.NONE

    def parse(self, text: str) -> Resource:
        token, _, host = text.removeprefix("raisingcheck://").partition("@")
        return Resource(self.name, {"host": host, "token": token})

    def check(self, resource: Resource, timeout: float = 10.0) -> CheckResult:
        value = resource.value
        raise ConnectionError(f"cannot reach {value['host']} with token {value['token']}")


@connectors.hookimpl
def register_connectors(register: Callable[[Connector], None]) -> None:
    for connector in (
        NotJsonSchema(),
        SecretMark(),
        WrongOutput(),
        NeedsDriver(),
        NoCheck(),
        RaisingCheck(),
    ):
        register(connector)
