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


def main(upstash_redis: upstash_redis, channel: str, message: str) -> Dict[str, Any]:
    """Publish a message on a channel.

    Args:
        upstash_redis (upstash_redis): the Upstash Redis database
        channel (str): the channel name
        message (str): the message text (JSON stays a string)
    """
    return {"channel": channel, "receivers": _client(upstash_redis).publish(channel, message)}
