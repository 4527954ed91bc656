from typing import Any, Optional, TypedDict

import boto3
from botocore.config import Config


class s3(TypedDict):
    bucket: str
    region: str
    endPoint: str
    pathStyle: bool
    accessKey: str
    secretKey: str
    useSSL: bool
    port: int
    token: str


def _client(resource: s3) -> Any:
    """A boto3 client with Windmill's endpoint rules (full URL or bare host + useSSL + port)."""
    endpoint = resource.get("endPoint") or ""
    if endpoint and "://" not in endpoint:
        endpoint = ("https://" if resource.get("useSSL", True) else "http://") + endpoint
        if resource.get("port"):
            endpoint += f":{int(resource['port'])}"
    aws = not endpoint or ".amazonaws.com" in endpoint
    options: dict = {
        "signature_version": "s3v4",
        "connect_timeout": 10,  # seconds
        "s3": {"addressing_style": "path" if resource.get("pathStyle", True) else "virtual"},
    }
    if not aws:
        options["request_checksum_calculation"] = "when_required"
        options["response_checksum_validation"] = "when_required"
    return boto3.client(
        "s3",
        endpoint_url=endpoint or None,
        region_name=resource.get("region") or ("us-east-1" if not aws else None),
        aws_access_key_id=resource.get("accessKey") or None,
        aws_secret_access_key=resource.get("secretKey") or None,
        aws_session_token=resource.get("token") or None,
        config=Config(**options),
    )


def main(
    s3: s3,
    prefix: str = "",
    max_keys: int = 1000,
    start_after: Optional[str] = None,
    delimiter: Optional[str] = None,
) -> dict:
    """List the objects under a prefix, page by page, up to max_keys.

    Args:
        s3 (s3): the S3 bucket
        prefix (str): only keys that start with this prefix
        max_keys (int): stop after this many keys (1 to 100000)
        start_after (str): list keys after this one (pass next_start_after to continue)
        delimiter (str): group keys by this character (e.g. /) into common_prefixes
    """
    if not 1 <= max_keys <= 100000:
        raise ValueError("max_keys must be between 1 and 100000")
    params: dict = {"Bucket": s3["bucket"], "Prefix": prefix}
    if start_after:
        params["StartAfter"] = start_after
    if delimiter:
        params["Delimiter"] = delimiter
    paging = {"MaxItems": max_keys + 1, "PageSize": min(max_keys + 1, 1000)}
    paginator = _client(s3).get_paginator("list_objects_v2")
    pages = paginator.paginate(**params, PaginationConfig=paging)
    objects, prefixes = [], []
    for page in pages:
        for item in page.get("Contents", []):
            objects.append(
                {
                    "key": item["Key"],
                    "size": item["Size"],
                    "last_modified": item["LastModified"].isoformat(),
                    "etag": item.get("ETag"),
                }
            )
        prefixes.extend(p["Prefix"] for p in page.get("CommonPrefixes", []))
    truncated = len(objects) > max_keys  # one more key than asked for was fetched to know
    objects = objects[:max_keys]
    return {
        "objects": objects,
        "common_prefixes": prefixes,
        "truncated": truncated,
        "next_start_after": objects[-1]["key"] if truncated and objects else None,
    }
