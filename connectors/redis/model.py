"""The redis resource as a pydantic model: the source of ``resource_types/redis.json``."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr

from connectors.model_base import ResourceModel, Secret


class Redis(ResourceModel):
    """A Redis (or Valkey) server: the fields redis-py reads from a URL."""

    hub_order = ("host", "port", "db", "username", "password", "tls", "unix_socket_path")

    host: str = Field("localhost", description="Server host name or IP address")
    port: int = Field(6379, description="Server port", ge=1, le=65535)
    db: int = Field(0, description="Database number (SELECT)", ge=0)
    username: str | None = Field(
        None, description="ACL user name (Redis 6+); empty for the default user"
    )
    password: Secret = Field(SecretStr(""), description="Password (AUTH)")
    tls: bool = Field(False, description="Connect with TLS (rediss://)")
    unix_socket_path: str | None = Field(
        None,
        description="Unix socket path (unix://); when set, host, port and tls are not used",
        pattern="^/",
    )
    ssl_cert_reqs: Literal["none", "optional", "required"] | None = Field(
        None, description="TLS certificate verification: required (default), optional or none"
    )
    ssl_check_hostname: bool | None = Field(
        None, description="Check the server's host name against its certificate (default true)"
    )
    ssl_ca_certs: str | None = Field(None, description="Path of a CA bundle file to trust")
    ssl_ca_data: str | None = Field(
        None, description="CA certificates to trust, PEM content (not a path)"
    )
    ssl_certfile: str | None = Field(
        None, description="Path of the client certificate (mutual TLS)"
    )
    ssl_keyfile: str | None = Field(None, description="Path of the client private key (mutual TLS)")
    ssl_password: Secret | None = Field(None, description="Password of the client private key")
    socket_timeout: int | float | None = Field(
        None, description="Seconds to wait for a reply", gt=0
    )
    socket_connect_timeout: int | float | None = Field(
        None, description="Seconds to wait for the connection", gt=0
    )
    socket_keepalive: bool | None = Field(None, description="Enable TCP keep-alive")
    retry_on_timeout: bool | None = Field(None, description="Retry a command once after a timeout")
    health_check_interval: int | None = Field(
        None, description="Seconds idle before a connection is checked with PING", ge=0
    )
    max_connections: int | None = Field(None, description="Size limit of the connection pool", ge=1)
    protocol: Literal[2, 3] | None = Field(None, description="RESP protocol version")
    client_name: str | None = Field(None, description="Connection name shown by CLIENT LIST")
    decode_responses: bool | None = Field(
        None, description="Return str instead of bytes (redis-py)"
    )
    options: dict[str, str] | None = Field(
        None, description="Other redis-py connection arguments, as written in the URL query"
    )
