"""S3-compatible services other than AWS and R2: which labels of the host are the bucket and
the region, and AWS's own PrivateLink and console hosts.

Documented endpoint forms (each vendor's S3-compatibility page):

- Backblaze B2: ``s3.<region>.backblazeb2.com`` (``us-west-004``), bucket as a first label or in
  the path;
- Wasabi: ``s3.<region>.wasabisys.com`` and ``s3.wasabisys.com`` (us-east-1);
- Hetzner Object Storage: ``<location>.your-objectstorage.com`` (fsn1, nbg1, hel1);
- DigitalOcean Spaces: ``<region>.digitaloceanspaces.com`` and the CDN hosts
  ``<bucket>.<region>.cdn.digitaloceanspaces.com``;
- Google Cloud Storage interoperability: ``storage.googleapis.com``, region ``auto``;
- S3 PrivateLink: ``[<bucket>.]bucket.vpce-<id>.s3.<region>.vpce.amazonaws.com``;
- the AWS console: ``https://s3.console.aws.amazon.com/s3/buckets/<bucket>?region=<region>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"


@dataclass(frozen=True)
class Vendor:
    """An S3-compatible service: its name and how its hosts are built."""

    name: str
    pattern: re.Pattern[str]
    #: the endpoint host for a region (``{region}`` is replaced)
    endpoint: str
    #: the region when the host names none
    default_region: str = ""


VENDORS = (
    Vendor(
        "backblaze",
        re.compile(rf"(?:(?P<bucket>.+?)\.)?s3\.(?P<region>{_LABEL})\.backblazeb2\.com"),
        "s3.{region}.backblazeb2.com",
    ),
    Vendor(
        "wasabi",
        re.compile(rf"(?:(?P<bucket>.+?)\.)?s3(?:\.(?P<region>{_LABEL}))?\.wasabisys\.com"),
        "s3.{region}.wasabisys.com",
        "us-east-1",
    ),
    Vendor(
        "hetzner",
        re.compile(rf"(?:(?P<bucket>.+?)\.)?(?P<region>{_LABEL})\.your-objectstorage\.com"),
        "{region}.your-objectstorage.com",
    ),
    Vendor(
        "digitalocean",
        re.compile(
            rf"(?:(?P<bucket>.+?)\.)?(?P<region>{_LABEL})(?P<cdn>\.cdn)?\.digitaloceanspaces\.com"
        ),
        "{region}.digitaloceanspaces.com",
    ),
    Vendor(
        "gcs",
        re.compile(r"(?:(?P<bucket>.+?)\.)?storage\.googleapis\.com"),
        "storage.googleapis.com",
        "auto",
    ),
)
SUFFIXES = (
    ".backblazeb2.com",
    ".wasabisys.com",
    ".your-objectstorage.com",
    ".digitaloceanspaces.com",
    "storage.googleapis.com",
)
_PRIVATELINK = re.compile(
    rf"(?:(?P<bucket>.+?)\.)?(?P<base>(?:bucket\.)?vpce-{_LABEL}\.s3\.(?P<region>{_LABEL})"
    r"\.vpce\.amazonaws\.com)"
)
CONSOLE_SUFFIX = "console.aws.amazon.com"


def vendor_of(host: str) -> Vendor | None:
    """The vendor whose endpoint ``host`` is (by its suffix), or None."""
    if not host.endswith(SUFFIXES):
        return None
    return next((v for v in VENDORS if v.pattern.fullmatch(host)), None)


def vendor_host_parts(host: str, vendor: Vendor) -> tuple[str, str, str, list[str]]:
    """(bucket from the host, region, endpoint host without the bucket, notes)."""
    match = vendor.pattern.fullmatch(host)
    assert match is not None  # vendor_of matched it
    region = match.groupdict().get("region") or vendor.default_region
    notes = []
    if match.groupdict().get("cdn"):
        notes.append("a Spaces CDN host serves reads only: the resource uses the region's endpoint")
    return match["bucket"] or "", region, vendor.endpoint.format(region=region), notes


def privatelink_parts(host: str) -> tuple[str, str, str, list[str]] | None:
    """(bucket, region, endpoint host, notes) of an S3 PrivateLink interface endpoint host."""
    # The endpoint's own name starts with the label "bucket." (for bucket operations); any
    # labels before it are a bucket addressed virtual-host style.
    base_at = host.find("bucket.vpce-")
    base_at = base_at if base_at >= 0 else host.find("vpce-")
    if base_at < 0 or (base_at > 0 and host[base_at - 1] != "."):
        return None
    base = host[base_at:]
    match = _PRIVATELINK.fullmatch(base.removeprefix("bucket."))
    if match is None:
        return None
    notes = ["S3 PrivateLink interface endpoint: reachable only from inside its VPC"]
    return host[: max(base_at - 1, 0)], match["region"], base, notes


def provider_of_host(host: str) -> str | None:
    """The vendor name of an endpoint host (backblaze, wasabi, ...), or None."""
    vendor = vendor_of(host)
    return vendor.name if vendor else None
