from typing import Any, List, Optional, TypedDict

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


def main(s3: s3, keys: Optional[List[str]] = None, prefix: Optional[str] = None) -> dict:
    """Delete the given keys, or every object under a (non-empty) prefix, 1000 per request.

    Args:
        s3 (s3): the S3 bucket
        keys (list): the object keys to delete
        prefix (str): delete every object whose key starts with this (must not be empty)
    """
    if prefix is not None and not prefix:
        raise ValueError("refusing to delete with an empty prefix (the whole bucket)")
    client = _client(s3)
    targets = list(keys or [])
    if prefix:
        paginator = client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=s3["bucket"], Prefix=prefix):
            targets.extend(item["Key"] for item in page.get("Contents", []))
    deleted, errors = 0, []
    for start in range(0, len(targets), 1000):
        batch = [{"Key": key} for key in targets[start : start + 1000]]
        response = client.delete_objects(
            Bucket=s3["bucket"], Delete={"Objects": batch, "Quiet": True}
        )
        failed = response.get("Errors", [])
        errors.extend({"key": e.get("Key"), "code": e.get("Code")} for e in failed)
        deleted += len(batch) - len(failed)
    return {"deleted": deleted, "errors": errors}
