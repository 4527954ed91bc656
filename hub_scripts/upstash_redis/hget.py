from typing import Dict, List, Optional, TypedDict

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
    upstash_redis: upstash_redis, key: str, fields: Optional[List[str]] = None
) -> Dict[str, Optional[str]]:
    """Get fields of a hash.

    Args:
        upstash_redis (upstash_redis): the Upstash Redis database
        key (str): the hash key
        fields (list[str]): the fields to read; empty reads the whole hash
    """
    client = _client(upstash_redis)
    if not fields:
        return client.hgetall(key)
    return dict(zip(fields, client.hmget(key, *fields), strict=True))
