from typing import Any, Dict, TypedDict

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


def main(
    redis: redis,
    key: str,
    value: str,
    ttl_seconds: int = 0,
    only_if: str = "always",
) -> Dict[str, Any]:
    """Set a key to a string value.

    Args:
        redis (redis): the Redis server
        key (str): the key to write
        value (str): the value to store
        ttl_seconds (int): expire the key after this many seconds; 0 keeps it forever
        only_if (str): always, absent (SET NX) or present (SET XX)
    """
    if only_if not in ("always", "absent", "present"):
        raise ValueError("only_if must be always, absent or present")
    with _client(redis) as client:
        written = client.set(
            key,
            value,
            ex=ttl_seconds if ttl_seconds > 0 else None,
            nx=only_if == "absent",
            xx=only_if == "present",
        )
        return {"key": key, "written": bool(written), "ttl_seconds": client.ttl(key)}
