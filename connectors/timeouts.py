"""The default connect timeout, and what a timeout may be.

``connectors.connect()`` (and the clients the workspace, object stores and the hub runner make)
wait at most ``connect_timeout()`` seconds to establish a connection when the resource value
sets no timeout of its own: 10 s, or ``CONNECTORS_CONNECT_TIMEOUT``. What "establish" covers
per driver: psycopg the whole connection start-up (libpq ``connect_timeout``, whole seconds,
at least 2); pymongo ``connectTimeoutMS`` and ``serverSelectionTimeoutMS``; redis
``socket_connect_timeout`` (per attempt: redis-py retries a connection up to 3 times); boto3
``connect_timeout``; azure ``connection_timeout``; the Upstash REST client its HTTP connect
timeout, and 30 s per request (the SDK sets none). Other request timeouts stay the drivers'
own.
"""

from __future__ import annotations

import math
import os

DEFAULT_CONNECT_TIMEOUT = 10.0
ENV_CONNECT_TIMEOUT = "CONNECTORS_CONNECT_TIMEOUT"


def positive_seconds(value: object, what: str = "timeout") -> float:
    """``value`` as seconds when it is a positive finite number, else a ValueError that says so."""
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        seconds = math.nan
    if isinstance(value, bool) or not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"{what} must be a positive number of seconds")
    return seconds


def connect_timeout() -> float:
    """Seconds to wait for a connection: ``CONNECTORS_CONNECT_TIMEOUT``, else 10."""
    text = os.environ.get(ENV_CONNECT_TIMEOUT, "").strip()
    return positive_seconds(text, ENV_CONNECT_TIMEOUT) if text else DEFAULT_CONNECT_TIMEOUT
