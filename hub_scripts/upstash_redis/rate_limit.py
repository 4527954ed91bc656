import time
from typing import Any, Dict, TypedDict

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


def main(
    upstash_redis: upstash_redis,
    identifier: str,
    limit: int = 10,
    window_seconds: int = 60,
    prefix: str = "ratelimit",
) -> Dict[str, Any]:
    """Fixed-window rate limiting: at most `limit` hits per identifier per window.

    One INCR and one EXPIRE in a MULTI/EXEC transaction: the first hit of a window creates the
    counter, which expires with the window, so no cleanup job is needed.

    Args:
        upstash_redis (upstash_redis): the Upstash Redis database
        identifier (str): who is limited (a user id, an API key, an IP address)
        limit (int): hits allowed per window
        window_seconds (int): the window length in seconds
        prefix (str): the key prefix; keys are <prefix>:<identifier>:<window number>
    """
    if limit < 1 or window_seconds < 1:
        raise ValueError("limit and window_seconds must be at least 1")
    now = time.time()
    window = int(now // window_seconds)
    key = f"{prefix}:{identifier}:{window}"
    tx = _client(upstash_redis).multi()
    tx.incr(key)
    tx.expire(key, window_seconds, nx=True)
    count = tx.exec()[0]
    reset_at = (window + 1) * window_seconds
    allowed = count <= limit
    return {
        "allowed": allowed,
        "count": count,
        "limit": limit,
        "remaining": max(limit - count, 0),
        "reset_at": reset_at,
        "retry_after_seconds": 0 if allowed else max(int(reset_at - now + 0.999), 1),
    }
