"""botocore's S3 endpoint-rules tests, read backwards: parse each expected endpoint URL.

Each test case gives input parameters (Bucket, Region, ForcePathStyle, Endpoint, ...) and the
URL botocore resolves them to. Where a URL is expected, we parse it and check that the bucket,
the signing region and the addressing style we infer agree with the case's parameters. Cases
that a URL cannot answer are skipped with the reason (counted in ``test_summary``).
"""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import urlsplit

import pytest
from conformance import conformance_dir

from connectors.errors import ParseError
from connectors.s3.parser import parse

SUITE = conformance_dir("s3") / "botocore_s3_endpoint_tests-1.json"


def _cases() -> list[dict]:
    if not SUITE.is_file():
        return []
    return json.loads(SUITE.read_text())["testCases"]


CASES = _cases()


def skip_reason(case: dict) -> str | None:
    """Why a case cannot be checked from its URL, or None."""
    endpoint = case["expect"].get("endpoint")
    if endpoint is None:
        return "expects an error, not an endpoint URL"
    params = case["params"]
    bucket = params.get("Bucket")
    if bucket is None:
        return "no bucket (service-level endpoint)"
    if bucket.startswith("arn:"):
        return "ARN (access point, Outposts, Object Lambda): not a bucket endpoint"
    host = (urlsplit(endpoint["url"]).hostname or "").lower()
    if "Endpoint" in params:
        in_path = urlsplit(endpoint["url"]).path.lstrip("/").split("/")[0]
        if not in_path:
            return "custom endpoint, virtual-hosted: the bucket cannot be told from the host"
    if ".vpce." in host:
        return "VPC interface endpoint"
    if ".op-" in host or "--op-s3" in bucket:
        return "Outposts access point alias"
    return None


def _expected_region(endpoint: dict) -> str | None:
    schemes = endpoint.get("properties", {}).get("authSchemes", [{}])
    region = schemes[0].get("signingRegion")
    return region if isinstance(region, str) else None


CHECKED = [c for c in CASES if skip_reason(c) is None]


@pytest.mark.skipif(not CASES, reason="shared/conformance/s3 not present")
@pytest.mark.parametrize(
    "case", CHECKED, ids=[f"{i}-{c['documentation'][:50]}" for i, c in enumerate(CHECKED)]
)
def test_endpoint_url(case):
    params = case["params"]
    url = case["expect"]["endpoint"]["url"]
    resource = parse(url)
    value = resource.value
    assert value["bucket"] == params["Bucket"]
    parts = urlsplit(url)
    bucket_in_path = bool(parts.path.strip("/"))
    assert value["pathStyle"] is bucket_in_path
    if params.get("ForcePathStyle"):
        assert value["pathStyle"] is True
    if "Endpoint" in params:
        # A custom endpoint names no region; the endpoint itself must be the case's Endpoint.
        assert value["endPoint"] == params["Endpoint"].rstrip("/")
        return
    region = _expected_region(case["expect"]["endpoint"])
    if ".s3-accelerate." in url and f".{region}." not in url:
        assert value["region"] == ""  # this accelerate host names no region: botocore signs
        # with the client's region, which a URL cannot tell
    elif region is not None:
        assert value["region"] == region
    assert resource.provider == "aws"
    assert value["useSSL"] is (parts.scheme == "https")


SERVICE_LEVEL = [
    c
    for c in CASES
    if skip_reason(c) == "no bucket (service-level endpoint)"
    and "Endpoint" not in c["params"]
    and _expected_region(c["expect"]["endpoint"])
    and "s3-object-lambda" not in c["expect"]["endpoint"]["url"]
    and "s3express-control" not in c["expect"]["endpoint"]["url"]
]


@pytest.mark.skipif(not CASES, reason="shared/conformance/s3 not present")
@pytest.mark.parametrize(
    "case", SERVICE_LEVEL, ids=[c["documentation"][:50] for c in SERVICE_LEVEL]
)
def test_service_endpoint_region(case):
    """A service-level URL parses to no bucket and the region botocore signs with."""
    resource = parse(case["expect"]["endpoint"]["url"])
    assert resource.value["bucket"] == ""
    assert resource.value["region"] == _expected_region(case["expect"]["endpoint"])
    assert "no bucket: set `bucket` before use" in resource.notes


@pytest.mark.skipif(not CASES, reason="shared/conformance/s3 not present")
def test_summary(capsys):
    """Every case is either checked or skipped for a stated reason; print the counts."""
    reasons = Counter(skip_reason(c) or "checked" for c in CASES)
    failures = 0
    for case in CHECKED:
        try:
            test_endpoint_url(case)
        except (AssertionError, ParseError):
            failures += 1
    with capsys.disabled():
        print(f"\nbotocore S3 endpoint tests: {len(CASES)} cases")
        for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
            print(f"  {count:4d}  {reason}")
        print(f"  checked: {len(CHECKED) - failures} passed / {len(CHECKED)}")
    assert failures == 0
    assert sum(reasons.values()) == len(CASES)
