"""The built-in upstash_redis plugin: its connector is ``connectors.upstash_redis.connector``."""

from connectors.upstash_redis.connector import UpstashRedis, register_connectors

__all__ = ["UpstashRedis", "register_connectors"]
