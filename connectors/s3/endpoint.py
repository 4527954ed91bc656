"""S3 endpoints: host classification and Windmill's ``render_endpoint`` rules (no driver).

An ``s3`` value names its endpoint in one of two ways (reference/windmill.md section 3.5):

- ``endPoint`` is a full URL (``https://s3.us-west-2.amazonaws.com``, ``http://127.0.0.1:9000``):
  it is used as is; ``useSSL`` and ``port`` are ignored;
- ``endPoint`` is a bare host (the 2023 shape): the scheme comes from ``useSSL`` and ``:port`` is
  appended when ``port`` is set.

``endPoint`` empty means AWS: the endpoint is ``https://s3.<region>.amazonaws.com`` (``.com.cn``
in China). ``pathStyle`` missing means ``true``. Everything here is pure string work, shared by the
parser, the client factory and the connection-settings helpers.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from connectors.parsing import split_url, whole_number

#: an AWS region name: us-east-1, us-gov-west-1, cn-north-1, eusc-de-east-1, us-isob-east-1
REGION = re.compile(r"^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$")
_DNS_BUCKET = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
R2_SUFFIX = ".r2.cloudflarestorage.com"
R2_JURISDICTIONS = ("eu", "fedramp", "us")


class Endpoint(NamedTuple):
    """Where an ``s3`` value's requests go, without the bucket."""

    scheme: str
    host: str
    port: int | None

    @property
    def use_ssl(self) -> bool:
        return self.scheme == "https"

    @property
    def netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}" if self.port else host

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.netloc}"

    def with_bucket(self, bucket: str) -> str:
        """The virtual-hosted URL: ``<scheme>://<bucket>.<host>[:port]``."""
        return f"{self.scheme}://{bucket}.{self.netloc}"


def aws_host(region: str) -> str:
    """The regional AWS endpoint host for ``region`` (``s3.amazonaws.com`` when empty)."""
    if not region:
        return "s3.amazonaws.com"
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"s3.{region}.{suffix}"


def endpoint_of(value: dict[str, Any]) -> Endpoint:
    """The endpoint of an ``s3`` value, full-URL or bare-host form (Windmill's rules)."""
    raw = str(value.get("endPoint") or "").strip()
    if raw.lower().startswith(("http://", "https://")):
        return _url_endpoint(raw)
    use_ssl = value.get("useSSL", True) is not False
    scheme = "https" if use_ssl else "http"
    port_value = value.get("port")
    port = int(port_value) if isinstance(port_value, int | float) and port_value else None
    if not raw:
        return Endpoint("https", aws_host(str(value.get("region") or "")), port)
    host, _, port_text = raw.rpartition(":") if raw.count(":") == 1 else (raw, "", "")
    if whole_number(port_text) is not None and port is None:
        return Endpoint(scheme, host, whole_number(port_text))
    unbracketed = raw.strip("[]")  # an IPv6 literal, kept without brackets as URLs give it
    return Endpoint(scheme, unbracketed if ":" in unbracketed else raw, port)


@lru_cache(maxsize=1)  # a parse reads its endpoint twice (provider, notes): the last one kept
def _url_endpoint(url: str) -> Endpoint:
    parts = split_url(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return Endpoint(parts.scheme.lower(), parts.hostname or "", port)


def path_style(value: dict[str, Any]) -> bool:
    """``pathStyle``, true when missing (Windmill's default since 2026)."""
    return value.get("pathStyle", True) is not False


def has_endpoint(value: dict[str, Any]) -> bool:
    """Whether the value names an endpoint (none: AWS, from the region)."""
    return bool(str(value.get("endPoint") or "").strip())


def is_aws(value: dict[str, Any]) -> bool:
    """Whether the value's requests go to AWS: no ``endPoint``, or one under amazonaws.com."""
    return not has_endpoint(value) or is_aws_host(endpoint_of(value).host)


def is_aws_host(host: str) -> bool:
    """Whether ``host`` is under ``amazonaws.com`` (or ``amazonaws.com.cn``)."""
    host = host.lower()
    return host.endswith((".amazonaws.com", ".amazonaws.com.cn"))


def is_r2_host(host: str) -> bool:
    """Whether ``host`` is a Cloudflare R2 endpoint (``*.r2.cloudflarestorage.com``)."""
    return host.lower().endswith(R2_SUFFIX)


def is_virtual_hostable(bucket: str) -> bool:
    """Whether AWS can address ``bucket`` as ``<bucket>.s3...`` over TLS (no dots, DNS label)."""
    return bool(_DNS_BUCKET.match(bucket))


def is_local(host: str) -> bool:
    """Loopback, private or single-label hosts: a MinIO-like server on the developer's network."""
    host = host.lower()
    if host in ("localhost", "::1") or host.endswith(".localhost") or host.startswith("127."):
        return True
    if _IPV4.match(host):
        first, second = (int(part) for part in host.split(".")[:2])
        return (
            first == 10 or (first == 192 and second == 168) or (first == 172 and 16 <= second < 32)
        )
    return "." not in host or "minio" in host
