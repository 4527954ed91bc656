from typing import Optional, TypedDict

from upstash_redis import Redis


class upstash_redis(TypedDict):
    url: str
    token: str


def _client(resource: upstash_redis) -> Redis:
    return Redis(url=resource["url"].rstrip("/"), token=resource["token"])


def main(upstash_redis: upstash_redis, key: str) -> Optional[str]:
    """Get the value of a key.

    Args:
        upstash_redis (upstash_redis): the Upstash Redis database
        key (str): the key to read
    """
    return _client(upstash_redis).get(key)
