from typing import Optional, TypedDict

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


def main(upstash_redis: upstash_redis, key: str) -> Optional[str]:
    """Get the value of a key.

    Args:
        upstash_redis (upstash_redis): the Upstash Redis database
        key (str): the key to read
    """
    return _client(upstash_redis).get(key)
