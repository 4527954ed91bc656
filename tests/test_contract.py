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


# The contract itself, run in a nested session on a connector that breaks it.

pytest_plugins = ["pytester"]

_FLAWED = """
import pytest

from connectors import Connector, Match, ParseError, Resource
from connectors.plugins import get_registry
from connectors.testing.contract import ConnectorContract


class Flawed(Connector):
    name = "flawed"
    description = "A connector that breaks the contract"
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "host": {"type": "string"},
            "password": {"type": "string", "password": True},
        },
        "required": ["host"],
    }
    examples = ("flawed://hunter2hunter2@db.example",)

    def detect(self, text):
        return Match.PROVIDER if "://" in text else Match.NONE  # other types' strings too

    def parse(self, text):
        scheme, _, rest = text.partition("://")
        password, _, host = rest.rpartition("@")
        if scheme != "flawed" or not host.isascii():
            raise ParseError(f"cannot read {text}", position=0)  # quotes the password
        notes = [f"signed in with {password}"]  # a secret in a note
        return Resource("flawed", {"host": host, "password": password}, notes=notes)

    def to_connection_string(self, resource):
        return "flawed://" + resource.value["host"]  # loses the password


@pytest.fixture(scope="module", autouse=True)
def installed():
    connectors = get_registry().connectors
    connectors["flawed"] = Flawed()
    yield
    del connectors["flawed"]


class TestContract(ConnectorContract):
    connector = "flawed"
"""


def test_the_contract_catches_a_flawed_connector(pytester):
    pytester.makepyfile(test_flawed=_FLAWED)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    # the CLI masks notes like the value (connectors.Resource.to_dict): the note's secret is
    # caught in the Python outputs, where the raw notes count
    result.assert_outcomes(passed=10, failed=4)
    failed = sorted(
        line.split("::")[-1].split(" ")[0] for line in result.outlines if "FAILED" in line
    )
    assert failed == [
        "test_broken_examples_hide_secrets",
        "test_detect_does_not_claim_other_types",
        "test_examples_round_trip",
        "test_python_outputs_hide_secrets",
    ]


def test_an_unregistered_type_is_named(pytester):
    pytester.makepyfile(
        "from connectors.testing.contract import ConnectorContract\n"
        "class TestContract(ConnectorContract):\n"
        "    connector = 'nosuch'\n"
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-k", "schema_is_valid")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*no connector 'nosuch' is registered*pip install -e .*"])
