from typing import Any, Literal, TypedDict

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
    expires_in: int = 3600,
    method: Literal["get_object", "put_object"] = "get_object",
) -> dict:
    """A presigned URL that downloads (or uploads) one object without credentials.

    Args:
        s3 (s3): the S3 bucket
        key (str): the object key
        expires_in (int): seconds until the URL expires (1 to 604800)
        method (str): get_object (download, default) or put_object (upload with HTTP PUT)
    """
    if method not in ("get_object", "put_object"):
        raise ValueError("method must be get_object or put_object")
    if not 1 <= expires_in <= 604800:
        raise ValueError("expires_in must be between 1 and 604800 seconds (7 days)")
    url = _client(s3).generate_presigned_url(
        method, Params={"Bucket": s3["bucket"], "Key": key}, ExpiresIn=expires_in
    )
    return {
        "url": url,
        "method": "GET" if method == "get_object" else "PUT",
        "expires_in": expires_in,
    }
