"""The credentials of the local test servers: real authentication, awkward characters.

Every password holds ``@ : / % #``, a ``+``, a space and a non-ASCII letter, so each parser,
connection-string builder and redactor is exercised on the characters that need encoding.
"""

from __future__ import annotations

PASSWORD = "p@ss:w/rd%40#+ é"
"""The password of the ``connectors`` user (PostgreSQL, MongoDB) and of ``redis-server``."""

USERNAME = "connectors"
"""The superuser of the local PostgreSQL and the admin user of the local MongoDB."""

UPSTASH_TOKEN = "AbC@:/%40#+=tok3n"
"""The bearer token of the test-only Upstash REST front (ASCII: it travels in an HTTP header)."""

S3_ACCESS_KEY = "testing"
S3_SECRET_KEY = "testing"
"""moto accepts any key; these are also exported as AWS_* so no client reaches for metadata."""

S3RVER_KEY = "S3RVER"
"""s3rver's fixed access key and secret key; it rejects any other key."""

AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)
"""Azurite's well-known development account and key (from azurite's constants.js)."""
