import base64
from typing import Any, TypedDict

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


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


def main(s3: s3, key: str, as_text: bool = False, max_bytes: int = 10485760) -> dict:
    """Download an object (at most max_bytes of it) as text or base64.

    Args:
        s3 (s3): the S3 bucket
        key (str): the object key to read
        as_text (bool): decode the content as UTF-8 text instead of returning base64
        max_bytes (int): read at most this many bytes (a ranged GET); truncated tells if cut
    """
    if max_bytes < 1:
        raise ValueError("max_bytes must be at least 1")
    client = _client(s3)
    try:
        response = client.get_object(Bucket=s3["bucket"], Key=key, Range=f"bytes=0-{max_bytes - 1}")
    except ClientError as exc:
        # An empty object has no byte 0: S3 answers any range with 416 InvalidRange.
        if exc.response.get("Error", {}).get("Code") != "InvalidRange":
            raise
        response = client.get_object(Bucket=s3["bucket"], Key=key)
    with response["Body"] as body:
        data = body.read()
    content_range = response.get("ContentRange") or ""
    total = int(content_range.rsplit("/", 1)[1]) if "/" in content_range else len(data)
    return {
        "key": key,
        "size": total,
        "content_type": response.get("ContentType"),
        "truncated": total > len(data),
        "content": data.decode("utf-8", errors="replace")
        if as_text
        else base64.b64encode(data).decode(),
    }
