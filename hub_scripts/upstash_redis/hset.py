from typing import Any, Dict, TypedDict

from upstash_redis import Redis


class upstash_redis(TypedDict):
    url: str
    token: str


def _client(resource: upstash_redis) -> Redis:
    """A client whose requests end: 10 s to connect, 30 s per request (the SDK sets none)."""
    client = Redis(url=resource["url"].rstrip("/"), token=resource["token"])
    http = getattr(getattr(client, "_http", None), "_client", None)  # the SDK's httpx client
    if http is not None:
        http.timeout = (10, 30, 30, 30)  # seconds: connect, read, write, pool
    return client


def main(
    upstash_redis: upstash_redis, key: str, values: dict, ttl_seconds: int = 0
) -> Dict[str, Any]:
    """Set fields of a hash.

    Args:
        upstash_redis (upstash_redis): the Upstash Redis database
        key (str): the hash key
        values (dict): field -> value; values are stored as text
        ttl_seconds (int): expire the whole hash after this many seconds; 0 keeps it
    """
    if not values:
        raise ValueError("values must hold at least one field")
    mapping = {str(field): str(value) for field, value in values.items()}
    tx = _client(upstash_redis).multi()
    tx.hset(key, values=mapping)
    if ttl_seconds > 0:
        tx.expire(key, ttl_seconds)
    added = tx.exec()[0]
    return {"key": key, "added": added, "updated": len(mapping) - added}
