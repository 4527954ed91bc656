"""The built-in s3 plugin: its connector lives in ``connectors.s3.connector``."""

from connectors.s3.connector import S3, register_connectors

__all__ = ["S3", "register_connectors"]
