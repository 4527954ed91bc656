import base64
from typing import Any, Literal, Optional, TypedDict

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
    key: str,
    content: str,
    encoding: Literal["utf-8", "base64"] = "utf-8",
    content_type: Optional[str] = None,
) -> dict:
    """Upload text or base64-encoded bytes to an object in the bucket.

    Args:
        s3 (s3): the S3 bucket
        key (str): the object key to write
        content (str): the object's content, as text or base64
        encoding (str): utf-8 (default) for text, base64 for binary content
        content_type (str): the Content-Type to store (default: none)
    """
    body = base64.b64decode(content, validate=True) if encoding == "base64" else content.encode()
    extra = {"ContentType": content_type} if content_type else {}
    response = _client(s3).put_object(Bucket=s3["bucket"], Key=key, Body=body, **extra)
    return {"bucket": s3["bucket"], "key": key, "size": len(body), "etag": response["ETag"]}
