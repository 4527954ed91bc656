"""The s3 connector: AWS S3, Cloudflare R2, MinIO and other S3-compatible stores."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from connectors.connector import Connector, Match
from connectors.default_plugins._paths import scripts_dir
from connectors.hookspecs import hookimpl

# The 2026 hub shape (reference/windmill.md section 3.5), with secrets marked.
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "order": [
        "endPoint",
        "region",
        "pathStyle",
        "bucket",
        "accessKey",
        "secretKey",
        "port",
        "useSSL",
    ],
    "properties": {
        "endPoint": {
            "type": "string",
            "description": "The full URL of the S3 endpoint (e.g. https://s3.us-east-1.amazonaws.com)",
            "default": "",
        },
        "region": {
            "type": "string",
            "description": "AWS region (e.g. us-east-1). Used to auto-generate the S3 endpoint URL "
            "when endPoint is not specified",
            "default": "",
        },
        "pathStyle": {
            "type": "boolean",
            "description": "<host>/<bucket>/<path> instead of <bucket>.<host>/<path>",
            "default": True,
        },
        "bucket": {"type": "string", "description": "", "default": ""},
        "accessKey": {"type": "string", "description": "", "default": ""},
        "secretKey": {"type": "string", "description": "", "default": "", "password": True},
        "port": {
            "type": "number",
            "description": "Deprecated: pass in a complete URL to `endPoint` instead, "
            "including a port number if needed",
        },
        "useSSL": {
            "type": "boolean",
            "description": "Deprecated: pass in a complete URL to `endPoint` instead, "
            "including 'https://' or 'http://'",
            "default": True,
        },
    },
    "required": ["bucket"],
}

_S3_HOSTS = re.compile(r"amazonaws\.com|r2\.cloudflarestorage\.com", re.IGNORECASE)


class S3(Connector):
    name = "s3"
    description = "An s3 bucket connection info"
    schema = SCHEMA
    providers = ("aws", "r2", "minio")
    extra = "s3"
    scripts_dir = scripts_dir("s3")

    def detect(self, text: str) -> int:
        if "r2.cloudflarestorage.com" in text:
            return Match.PROVIDER
        if text.startswith(("s3://", "s3a://")) or "AWS_ACCESS_KEY_ID" in text:
            return Match.SCHEME
        if _S3_HOSTS.search(text):
            return Match.SCHEME
        return Match.NONE


@hookimpl
def register_connectors(register: Callable[[Connector], None]) -> None:
    register(S3())
