"""The built-in postgresql plugin: its connector lives in ``connectors.postgresql.connector``."""

from connectors.postgresql.connector import PostgreSQL, register_connectors

__all__ = ["PostgreSQL", "register_connectors"]
