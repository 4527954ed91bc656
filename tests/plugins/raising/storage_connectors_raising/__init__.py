"""A plugin whose detect and parse raise something other than ParseError."""

from __future__ import annotations

from collections.abc import Callable

import connectors
from connectors import Connector, Match, Resource

SCHEMA = {
    "type": "object",
    "properties": {"host": {"type": "string"}, "token": {"type": "string", "password": True}},
}


class RaisingDetect(Connector):
    """Its detect fails on every string: it used to break parsing of every string."""

    name = "raising_detect"
    description = "detect raises IndexError"
    schema = SCHEMA

    def detect(self, text: str) -> int:
        return [Match.SCHEME][len(text)]


class RaisingParse(Connector):
    """Claims ``crash://`` strings, and its parser raises with the string in the message."""

    name = "raising_parse"
    description = "parse raises KeyError"
    schema = SCHEMA

    def detect(self, text: str) -> int:
        return Match.PROVIDER if text.startswith(("crash://", "redis://crash")) else Match.NONE

    def parse(self, text: str) -> Resource:
        raise KeyError(text)


@connectors.hookimpl
def register_connectors(register: Callable[[Connector], None]) -> None:
    register(RaisingDetect())
    register(RaisingParse())
