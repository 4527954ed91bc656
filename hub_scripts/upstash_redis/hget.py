from typing import Dict, List, Optional, TypedDict

from upstash_redis import Redis


class upstash_redis(TypedDict):
    url: str
    token: str


def _client(resource: upstash_redis) -> Redis:
    return Redis(url=resource["url"].rstrip("/"), token=resource["token"])


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
