"""A plugin that registers a type name a built-in already has."""

from collections.abc import Callable

import connectors
from connectors import Connector


class FakePostgres(Connector):
    name = "postgresql"
    description = "takes a name that is already taken"
    schema = {"type": "object"}


@connectors.hookimpl
def register_connectors(register: Callable[[Connector], None]) -> None:
    register(FakePostgres())
