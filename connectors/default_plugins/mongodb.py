"""The built-in mongodb plugin: its connector lives in ``connectors.mongodb.connector``."""

from connectors.mongodb.connector import EXAMPLES, MongoDB, register_connectors

__all__ = ["EXAMPLES", "MongoDB", "register_connectors"]
