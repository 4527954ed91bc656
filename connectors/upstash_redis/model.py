"""The upstash_redis resource as a pydantic model: the source of its hub JSON Schema."""

from __future__ import annotations

from pydantic import Field

from connectors.model_base import ResourceModel, Secret


class UpstashRedis(ResourceModel):
    """Upstash Redis over its REST API: the URL and token ``Redis.from_env()`` reads."""

    url: str = Field(
        description="REST URL (UPSTASH_REDIS_REST_URL), e.g. https://us1-merry-cat-32748.upstash.io",
        pattern="^https?://[^/?#]+(/[^?#]*)?$",
    )
    token: Secret = Field(
        description="REST token (UPSTASH_REDIS_REST_TOKEN); a read-only token reads only"
    )
