from typing import Any, Optional, TypedDict

import boto3
import wmill
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
    source_key: str,
    destination_key: str,
    destination_bucket: Optional[str] = None,
) -> dict:
    """Copy an object server-side (multipart copy for large objects), within or across buckets.

    The job's progress (wmill.set_progress) follows the bytes copied.

    Args:
        s3 (s3): the S3 bucket holding the source object
        source_key (str): the key to copy
        destination_key (str): the key to write
        destination_bucket (str): the bucket to write to (default: the same bucket)
    """
    client = _client(s3)
    bucket = destination_bucket or s3["bucket"]
    size = client.head_object(Bucket=s3["bucket"], Key=source_key)["ContentLength"]
    copied = [0]

    def progress(count: int) -> None:
        copied[0] += count
        if size:
            wmill.set_progress(min(99, copied[0] * 100 // size))

    source = {"Bucket": s3["bucket"], "Key": source_key}
    client.copy(source, bucket, destination_key, Callback=progress)
    head = client.head_object(Bucket=bucket, Key=destination_key)
    return {"bucket": bucket, "key": destination_key, "size": head["ContentLength"]}
