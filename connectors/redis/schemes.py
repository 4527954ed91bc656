"""What detection needs to know of Redis URLs without importing the parser."""

from __future__ import annotations

DEFAULT_PORT = 6379
SCHEMES = ("rediss", "redis", "unix")
