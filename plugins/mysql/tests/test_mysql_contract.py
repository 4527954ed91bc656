"""The plugin author kit's contract, run on this distribution's connector."""

from connectors.testing.contract import ConnectorContract


class TestContract(ConnectorContract):
    connector = "mysql"
