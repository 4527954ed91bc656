"""AWS and R2 endpoint hosts: which labels are the bucket, the service, the region.

AWS: the service label is the rightmost ``s3``-family label followed only by ``dualstack`` and at
most one region (``s3``, ``s3-<region>``, ``s3-fips``, ``s3-accelerate``, ``s3-external-1``,
``s3express-<zone>``, ...); the labels before it are the bucket (virtual-hosted style). R2: the
account label (32 hex) with an optional jurisdiction (``eu``, ``fedramp``, ``us``) after it.
"""

from __future__ import annotations

import re

from connectors.errors import ParseError
from connectors.s3.endpoint import R2_JURISDICTIONS, R2_SUFFIX, REGION

_SERVICE = re.compile(
    r"^s3(?P<kind>-fips|-accelerate|-accesspoint(?:-fips)?|-object-lambda(?:-fips)?|-control"
    r"|-outposts|-global|-website)?(?:-(?P<region>[a-z]{2,4}(?:-[a-z]+)+-\d{1,2})|-external-1)?$"
)
_EXPRESS = re.compile(r"^s3express(?P<control>-control)?(?:-fips)?(?:-[a-z0-9-]+)?$")
_UNSUPPORTED = {
    "-accesspoint": "access point",
    "-accesspoint-fips": "access point",
    "-object-lambda": "Object Lambda",
    "-object-lambda-fips": "Object Lambda",
    "-control": "S3 Control",
    "-outposts": "Outposts",
    "-global": "Multi-Region Access Point",
    "-website": "static website",
}
_R2_ACCOUNT = re.compile(r"^[0-9a-f]{32}$")


def aws_host_parts(host: str, position: int) -> tuple[str, str, str, list[str]]:
    """(bucket from the host, region, endpoint host without the bucket, notes) for AWS."""
    labels = host.split(".")
    suffix = labels[-3:] if host.endswith(".com.cn") else labels[-2:]
    core = labels[: len(labels) - len(suffix)]
    for index in range(len(core) - 1, -1, -1):
        label, rest = core[index], core[index + 1 :]
        service = _SERVICE.match(label)
        express = _EXPRESS.match(label)
        if not (service or express):
            continue
        regions = [part for part in rest if REGION.match(part)]
        if len(regions) > 1 or any(p != "dualstack" and not REGION.match(p) for p in rest):
            continue
        notes: list[str] = []
        kind = service["kind"] if service else None
        if kind in _UNSUPPORTED:
            raise ParseError(
                f"an S3 {_UNSUPPORTED[kind]} endpoint is not a bucket endpoint; "
                "use the bucket's regional endpoint",
                position=position,
                type_name="s3",
            )
        region = regions[0] if regions else (service["region"] if service else None) or ""
        if not region:
            if kind == "-accelerate":
                notes.append("transfer acceleration endpoint: it names no region; set `region`")
            else:
                region = "us-east-1"  # s3.amazonaws.com, s3-external-1: the aws-global endpoint
        bucket = ".".join(core[:index])
        if express and express["control"] and bucket:
            raise ParseError(
                "an S3 Express control endpoint is not a bucket endpoint",
                position=position,
                type_name="s3",
            )
        return bucket, region, ".".join(core[index:] + suffix), notes
    raise ParseError(
        "not an S3 endpoint host under amazonaws.com", position=position, type_name="s3"
    )


def r2_host_parts(host: str) -> tuple[str, str, str, list[str]]:
    """(bucket from the host, ``auto``, account endpoint host, notes) for Cloudflare R2."""
    labels = host[: -len(R2_SUFFIX)].split(".")
    tail: list[str] = []
    if len(labels) > 1 and labels[-1] in R2_JURISDICTIONS:
        tail.append(labels.pop())
    account = labels[-1]
    notes = [] if _R2_ACCOUNT.match(account) else ["R2 account ids are 32 hex characters"]
    base = ".".join([account, *tail]) + R2_SUFFIX
    return ".".join(labels[:-1]), "auto", base, notes
