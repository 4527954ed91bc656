from typing import TypedDict

from upstash_redis import Redis


class upstash_redis(TypedDict):
    url: str
    token: str


def _client(resource: upstash_redis) -> Redis:
    """A client whose requests end: 10 s to connect, 30 s per request (the SDK sets none).

    It sends each request once: the SDK would send it again after any error, a timed-out
    reply included, and the server may have counted the first one.
    """
    url = resource["url"].rstrip("/")
    client = Redis(url=url, token=resource["token"], rest_retries=0)
    http = getattr(getattr(client, "_http", None), "_client", None)  # the SDK's httpx client
    if http is not None:
        http.timeout = (10, 30, 30, 30)  # seconds: connect, read, write, pool
    return client


def main(upstash_redis: upstash_redis, key: str, amount: int = 1, ttl_seconds: int = 0) -> int:
    """Increment an integer counter and return its new value.

    Args:
        upstash_redis (upstash_redis): the Upstash Redis database
        key (str): the counter key
        amount (int): how much to add (negative to decrement)
        ttl_seconds (int): when the counter is created, expire it after this many seconds
    """
    tx = _client(upstash_redis).multi()
    tx.incrby(key, amount)
    if ttl_seconds > 0:
        tx.expire(key, ttl_seconds, nx=True)
    return tx.exec()[0]
