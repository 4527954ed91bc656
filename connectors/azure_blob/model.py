"""The azure_blob resource as a pydantic model: the source of ``resource_types/azure_blob.json``.

Windmill's hub shape plus three extension fields Windmill ignores: sasToken, endpointSuffix,
blobPrefix.
"""

from __future__ import annotations

from pydantic import Field, SecretStr

from connectors.azure_blob.values import FIELD_ORDER
from connectors.model_base import ResourceModel, Secret


class AzureBlob(ResourceModel):
    """An Azure Blob Storage container (public and sovereign clouds, Azurite)."""

    hub_order = FIELD_ORDER

    # Windmill requires these three and shows the default in a new form.
    accountName: str = Field(description="", json_schema_extra={"default": ""})
    containerName: str = Field(description="", json_schema_extra={"default": ""})
    accessKey: Secret = Field(SecretStr(""), description="")
    useSSL: bool = Field(description="", json_schema_extra={"default": True})
    endpoint: str = Field("", description="")
    sasToken: Secret | None = Field(
        None,
        description="Extension: a shared access signature (the query string without '?'), "
        "used when there is no accessKey",
    )
    endpointSuffix: str | None = Field(
        None,
        description="Extension: the DNS suffix of a sovereign cloud (e.g. core.chinacloudapi.cn, "
        "core.usgovcloudapi.net); default core.windows.net",
    )
    blobPrefix: str | None = Field(
        None,
        description="Extension: the blob name or name prefix the connection string pointed at "
        "(blob-level SAS URLs, az:// URIs with a path)",
    )
