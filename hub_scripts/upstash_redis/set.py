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
    upstash_redis: upstash_redis,
    key: str,
    value: str,
    ttl_seconds: int = 0,
    only_if: str = "always",
) -> Dict[str, Any]:
    """Set a key to a string value.

    Args:
        upstash_redis (upstash_redis): the Upstash Redis database
        key (str): the key to write
        value (str): the value to store
        ttl_seconds (int): expire the key after this many seconds; 0 keeps it forever
        only_if (str): always, absent (SET NX) or present (SET XX)
    """
    if only_if not in ("always", "absent", "present"):
        raise ValueError("only_if must be always, absent or present")
    client = _client(upstash_redis)
    written = client.set(
        key,
        value,
        ex=ttl_seconds if ttl_seconds > 0 else None,
        nx=True if only_if == "absent" else None,
        xx=True if only_if == "present" else None,
    )
    return {"key": key, "written": bool(written), "ttl_seconds": client.ttl(key)}
