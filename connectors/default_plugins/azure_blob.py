"""The azure_blob connector: Azure Blob Storage and Azurite."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from connectors.connector import Connector, Match
from connectors.default_plugins._paths import scripts_dir
from connectors.hookspecs import hookimpl

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "order": ["accountName", "containerName", "accessKey", "useSSL", "endpoint"],
    "properties": {
        "accountName": {"type": "string", "description": "", "default": ""},
        "containerName": {"type": "string", "description": "", "default": ""},
        "accessKey": {"type": "string", "description": "", "default": "", "password": True},
        "useSSL": {"type": "boolean", "description": "", "default": True},
        "endpoint": {"type": "string", "description": "", "default": ""},
    },
    "required": ["accountName", "containerName", "useSSL"],
}

_AZURE = re.compile(
    r"(^|;)\s*(AccountName|UseDevelopmentStorage|BlobEndpoint|DefaultEndpointsProtocol)\s*=|"
    r"\.blob\.core\.|^(az|abfss?|wasbs?)://",
    re.IGNORECASE,
)


class AzureBlob(Connector):
    name = "azure_blob"
    description = "An Azure Blob Storage connection info"
    schema = SCHEMA
    providers = ("azure", "azurite")
    extra = "azure"
    scripts_dir = scripts_dir("azure_blob")

    def detect(self, text: str) -> int:
        return Match.SCHEME if _AZURE.search(text) else Match.NONE


@hookimpl
def register_connectors(register: Callable[[Connector], None]) -> None:
    register(AzureBlob())
