"""The built-in connectors keep the plugin author kit's contract, as a plugin must."""

from __future__ import annotations

import pytest

from connectors.connector import Connector
from connectors.plugins import DEFAULT_PLUGINS, get_registry
from connectors.testing.contract import ConnectorContract, registered

BUILTIN_TYPES = sorted(
    name
    for name in get_registry().connectors
    if (origin := get_registry().origin(name)) is not None and origin.builtin
)


def test_every_builtin_is_covered():
    assert len(BUILTIN_TYPES) == len(DEFAULT_PLUGINS)


class TestBuiltinContract(ConnectorContract):
    @pytest.fixture(scope="class", params=BUILTIN_TYPES)
    @classmethod
    def contract_connector(cls, request) -> Connector:
        return registered(request.param)
