from typing import Dict, List, TypedDict

from upstash_redis import Redis


class upstash_redis(TypedDict):
    url: str
    token: str


def _client(resource: upstash_redis) -> Redis:
    return Redis(url=resource["url"].rstrip("/"), token=resource["token"])


def main(upstash_redis: upstash_redis, keys: List[str]) -> Dict[str, int]:
    """Delete keys.

    Args:
        upstash_redis (upstash_redis): the Upstash Redis database
        keys (list[str]): the keys to delete
    """
    if not keys:
        return {"deleted": 0}
    return {"deleted": _client(upstash_redis).delete(*keys)}
