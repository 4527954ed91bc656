from typing import Any, Dict, TypedDict

from upstash_redis import Redis


class upstash_redis(TypedDict):
    url: str
    token: str


def _client(resource: upstash_redis) -> Redis:
    return Redis(url=resource["url"].rstrip("/"), token=resource["token"])


def main(upstash_redis: upstash_redis, channel: str, message: str) -> Dict[str, Any]:
    """Publish a message on a channel.

    Args:
        upstash_redis (upstash_redis): the Upstash Redis database
        channel (str): the channel name
        message (str): the message text (JSON stays a string)
    """
    return {"channel": channel, "receivers": _client(upstash_redis).publish(channel, message)}
