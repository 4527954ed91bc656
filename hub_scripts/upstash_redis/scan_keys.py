from typing import Any, Dict, Set, TypedDict

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
    upstash_redis: upstash_redis, pattern: str = "*", limit: int = 1000, key_type: str = ""
) -> Dict[str, Any]:
    """List keys matching a pattern, page by page.

    Args:
        upstash_redis (upstash_redis): the Upstash Redis database
        pattern (str): a glob-style pattern, e.g. user:* or session:??
        limit (int): return at most this many keys (1-100000)
        key_type (str): only keys of this type (string, hash, list, set, zset), or all
    """
    if not 1 <= limit <= 100_000:
        raise ValueError("limit must be between 1 and 100000")
    client = _client(upstash_redis)
    keys: Set[str] = set()  # SCAN may return a key more than once
    cursor = 0
    while True:
        cursor, page = client.scan(
            cursor, match=pattern, count=min(limit, 1000), type=key_type or None
        )
        for key in page:
            if key not in keys:
                if len(keys) == limit:
                    return {"keys": sorted(keys), "truncated": True}
                keys.add(key)
        if int(cursor) == 0:
            return {"keys": sorted(keys), "truncated": False}
