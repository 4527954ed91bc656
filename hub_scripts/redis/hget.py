from typing import Any, Dict, List, Optional, TypedDict

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


def main(redis: redis, key: str, fields: Optional[List[str]] = None) -> Dict[str, Optional[str]]:
    """Get fields of a hash.

    Args:
        redis (redis): the Redis server
        key (str): the hash key
        fields (list[str]): the fields to read; empty reads the whole hash
    """
    with _client(redis) as client:
        if not fields:
            return client.hgetall(key)
        return dict(zip(fields, client.hmget(key, fields), strict=True))
