from typing import Any, Dict, Set, TypedDict

from redis import Redis


class redis(TypedDict):
    host: str
    port: int
    db: int
    username: str
    password: str
    tls: bool


def _client(resource: redis) -> Redis:
    """A client for the resource (replies decoded as UTF-8 text)."""
    settings: Dict[str, Any] = {
        "db": resource.get("db") or 0,
        "username": resource.get("username") or None,
        "password": resource.get("password") or None,
        "decode_responses": True,
    }
    for name in ("socket_timeout", "socket_connect_timeout", "client_name", "protocol"):
        if resource.get(name) is not None:
            settings[name] = resource[name]
    settings.setdefault("socket_connect_timeout", 10)  # seconds
    if resource.get("unix_socket_path"):
        return Redis(unix_socket_path=resource["unix_socket_path"], **settings)
    if resource.get("tls"):
        settings["ssl"] = True
        for name, value in resource.items():
            if name.startswith("ssl_") and value is not None:
                settings[name] = value
    return Redis(
        host=resource.get("host") or "localhost", port=resource.get("port") or 6379, **settings
    )


def main(redis: redis, pattern: str = "*", limit: int = 1000, key_type: str = "") -> Dict[str, Any]:
    """List keys matching a pattern without blocking the server.

    Args:
        redis (redis): the Redis server
        pattern (str): a glob-style pattern, e.g. user:* or session:??
        limit (int): return at most this many keys (1-100000)
        key_type (str): only keys of this type (string, hash, list, set, zset, stream), or all
    """
    if not 1 <= limit <= 100_000:
        raise ValueError("limit must be between 1 and 100000")
    keys: Set[str] = set()  # SCAN may return a key more than once
    with _client(redis) as client:
        for key in client.scan_iter(match=pattern, count=min(limit, 1000), _type=key_type or None):
            if key in keys:
                continue
            if len(keys) == limit:
                return {"keys": sorted(keys), "truncated": True}
            keys.add(key)
    return {"keys": sorted(keys), "truncated": False}
