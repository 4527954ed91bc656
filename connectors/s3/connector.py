"""The s3 connector: AWS S3, Cloudflare R2, MinIO and other S3-compatible stores.

The schema is the 2026 hub ``s3`` type plus two documented extension fields: ``token`` (a session
token for temporary credentials; Windmill's backend ``S3Resource`` has the same field) and
``prefix`` (the key or prefix the parsed string pointed at; informational, the object helpers
always take full keys). Parsing rules: ``connectors.s3.parser``; client: ``connectors.s3.client``;
check: ``connectors.s3.check``; objects: ``connectors.objectstore.s3``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from connectors.connector import Connector, EnvSource, Match
from connectors.data_paths import resource_type_file, scripts_dir
from connectors.hookspecs import hookimpl
from connectors.lazy import lazy_import
from connectors.parsing import url_scheme
from connectors.resource import CheckResult, Resource
from connectors.s3.variables import KNOWN_VARS

if TYPE_CHECKING:
    from connectors.objectstore.base import ObjectStore
    from connectors.s3.parser import looks_like_env_block
else:  # imported when a text is detected that is no other family's URL
    lazy_import(globals(), "connectors.s3.parser", "looks_like_env_block")


_S3_HOSTS = re.compile(
    r"^(https?://)?[^/\s;]*\bs3[\w.-]*\.amazonaws\.com(\.cn)?(:\d+)?(/|$)", re.IGNORECASE
)
# None: not a URL (an environment block, a bare host name).
_SCHEMES = frozenset({None, "s3", "s3a", "s3n", "http", "https"})
_VENDOR_HOSTS = re.compile(
    r"^(https?://)?[^/\s@]*(\.backblazeb2\.com|\.wasabisys\.com|\.your-objectstorage\.com"
    r"|\.digitaloceanspaces\.com|storage\.googleapis\.com|console\.aws\.amazon\.com)(:\d+)?(/|\?|$)"
)
#: a substring each _VENDOR_HOSTS match holds: the pattern backtracks over a long text
_VENDOR_WORDS = (
    "backblazeb2.com",
    "wasabisys.com",
    "your-objectstorage.com",
    "digitaloceanspaces.com",
    "storage.googleapis.com",
    "console.aws.amazon.com",
)
_URI_SCHEMES = frozenset({"s3", "s3a", "s3n"})


def _vendor_host(lowered: str) -> bool:
    for word in _VENDOR_WORDS:  # a loop, not any(): detection runs on every text
        if word in lowered:
            return _VENDOR_HOSTS.match(lowered) is not None
    return False


_HTTP_WITH_PATH = re.compile(r"^https?://[^/\s@]+/[^/\s?#]+")

_AWS_ENV = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
    "S3_BUCKET",
    "AWS_S3_BUCKET",
    "AWS_BUCKET",
)


class S3(Connector):
    name = "s3"
    description = "An s3 bucket connection info"
    model = "connectors.s3.model:S3"
    schema_file = resource_type_file("s3")
    providers = ("aws", "r2", "minio", "backblaze", "wasabi", "hetzner", "digitalocean", "gcs")
    extra = "s3"
    scripts_dir = scripts_dir("s3")
    url_schemes = frozenset(scheme for scheme in _SCHEMES if scheme)
    #: environment blocks, by their first variable
    text_keys = KNOWN_VARS
    testing = "connectors.s3.testing"
    exports = "connectors.s3.exports"
    examples = (
        "s3://my-bucket/exports/",
        "https://my-bucket.s3.eu-west-1.amazonaws.com/data/file.parquet",
        "https://s3.dualstack.us-west-2.amazonaws.com/my-bucket",
        "https://0123456789abcdef0123456789abcdef.eu.r2.cloudflarestorage.com/my-bucket",
        "http://127.0.0.1:9000/my-bucket",
        "AWS_ACCESS_KEY_ID=AKIAEXAMPLE\nAWS_SECRET_ACCESS_KEY=example\nAWS_REGION=eu-west-1\n"
        "S3_BUCKET=my-bucket",
    )

    def detect(self, text: str) -> int:
        scheme = url_scheme(text)
        if scheme not in _SCHEMES:
            return Match.NONE
        if scheme in _URI_SCHEMES:
            return Match.SCHEME
        lowered = text.strip().lower()
        if ".com" in lowered:  # every host below ends in .com
            if ".r2.cloudflarestorage.com" in lowered and "\n" not in lowered:
                return Match.PROVIDER
            if "amazonaws.com" in lowered and _S3_HOSTS.search(lowered):
                return Match.PROVIDER
            if "\n" not in lowered and _vendor_host(lowered):
                # a GCS type (the gcs plugin) is the more specific reading of a GCS host
                return Match.GENERIC if "storage.googleapis.com" in lowered else Match.PROVIDER
        if looks_like_env_block(text):
            return Match.SCHEME
        if scheme is not None and _HTTP_WITH_PATH.match(lowered):
            return Match.GENERIC  # MinIO and other endpoints: http(s)://host[:port]/<bucket>
        return Match.NONE

    def parse(self, text: str) -> Resource:
        from connectors.s3.parser import parse

        return parse(text)

    def to_connection_string(self, resource: Resource) -> str:
        from connectors.s3.parser import to_connection_string

        return to_connection_string(resource)

    def normalise(self, value: dict[str, Any]) -> dict[str, Any]:
        value.setdefault("pathStyle", True)
        value.setdefault("useSSL", True)
        for key in ("endPoint", "region", "accessKey", "secretKey"):
            value.setdefault(key, "")
        return value

    def env_sources(self) -> tuple[EnvSource, ...]:
        """The AWS SDK's variables and the usual bucket ones, as one block."""
        return (EnvSource("s3", _AWS_ENV, block=True),)

    def detect_value(self, value: dict[str, Any]) -> int:
        """A value of this schema, or any value with a ``bucket`` (generic: other stores have
        buckets too)."""
        return max(super().detect_value(value), Match.GENERIC if "bucket" in value else Match.NONE)

    def connect(self, resource: Resource) -> Any:
        """A boto3 S3 client configured for the provider (see ``connectors.s3.client``)."""
        from connectors.s3.client import make_client

        return make_client(resource.value)

    def check(self, resource: Resource, timeout: float = 10.0) -> CheckResult:
        from connectors.s3.check import check

        return check(resource, timeout)

    def object_store(self, resource: Resource) -> ObjectStore:
        from connectors.objectstore.s3 import S3Store

        return S3Store(resource.value)


@hookimpl
def register_connectors(register: Callable[[Connector], None]) -> None:
    register(S3())
