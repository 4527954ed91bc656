"""The built-in redis plugin: its connector lives in ``connectors.redis.connector``."""

from connectors.redis.connector import Redis, register_connectors

__all__ = ["Redis", "register_connectors"]
