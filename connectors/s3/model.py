"""The s3 resource as a pydantic model: the source of ``resource_types/s3.json``.

The 2026 hub ``s3`` shape plus two extension fields, ``token`` and ``prefix``.
"""

from __future__ import annotations

from pydantic import Field, SecretStr

from connectors.model_base import ResourceModel, Secret


class S3(ResourceModel):
    """An S3 bucket on AWS, Cloudflare R2, MinIO or another S3-compatible store."""

    hub_order = (
        "endPoint",
        "region",
        "pathStyle",
        "bucket",
        "accessKey",
        "secretKey",
        "port",
        "useSSL",
    )

    endPoint: str = Field(
        "",
        description="The full URL of the S3 endpoint (e.g. https://s3.us-east-1.amazonaws.com)",
    )
    region: str = Field(
        "",
        description="AWS region (e.g. us-east-1). Used to auto-generate the S3 endpoint URL "
        "when endPoint is not specified",
    )
    pathStyle: bool = Field(
        True, description="<host>/<bucket>/<path> instead of <bucket>.<host>/<path>"
    )
    # Windmill requires the bucket and shows "" in a new form.
    bucket: str = Field(description="", json_schema_extra={"default": ""})
    accessKey: str = Field("", description="")
    secretKey: Secret = Field(SecretStr(""), description="")
    port: int | float | None = Field(
        None,
        description="Deprecated: pass in a complete URL to `endPoint` instead, "
        "including a port number if needed",
    )
    useSSL: bool = Field(
        True,
        description="Deprecated: pass in a complete URL to `endPoint` instead, "
        "including 'https://' or 'http://'",
    )
    token: Secret | None = Field(
        None,
        description="Extension: session token of temporary credentials "
        "(AWS_SESSION_TOKEN); Windmill's backend reads it too",
    )
    prefix: str | None = Field(
        None,
        description="Extension: the key prefix the connection string pointed at (informational)",
    )
