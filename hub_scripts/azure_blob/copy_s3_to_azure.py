import base64
import io
from typing import Any, Iterator, Literal, Optional, TypedDict

import boto3
import wmill
from azure.storage.blob import ContainerClient, ContentSettings
from boto3.s3.transfer import TransferConfig
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


class azure_blob(TypedDict):
    accountName: str
    containerName: str
    accessKey: str
    useSSL: bool
    endpoint: str
    sasToken: str
    endpointSuffix: str


def _container(resource: azure_blob) -> ContainerClient:
    scheme = "https" if resource.get("useSSL", True) else "http"
    suffix = resource.get("endpointSuffix") or "core.windows.net"
    url = resource.get("endpoint") or f"{scheme}://{resource['accountName']}.blob.{suffix}"
    if resource.get("accessKey"):
        credential = {"account_name": resource["accountName"], "account_key": resource["accessKey"]}
    else:
        credential = resource.get("sasToken") or None
    return ContainerClient(
        url.rstrip("/"),
        resource["containerName"],
        credential=credential,
        connection_timeout=10,  # seconds
        max_single_get_size=4 * 1024 * 1024,
        max_chunk_get_size=4 * 1024 * 1024,
    )


def _s3_client(resource: s3) -> Any:
    endpoint = resource.get("endPoint") or ""
    if endpoint and "://" not in endpoint:
        endpoint = ("https://" if resource.get("useSSL", True) else "http://") + endpoint
        if resource.get("port"):
            endpoint += f":{int(resource['port'])}"
    style = "path" if resource.get("pathStyle", True) else "virtual"
    return boto3.client(
        "s3",
        endpoint_url=endpoint or None,
        region_name=resource.get("region") or "us-east-1",
        aws_access_key_id=resource.get("accessKey") or None,
        aws_secret_access_key=resource.get("secretKey") or None,
        config=Config(s3={"addressing_style": style}, connect_timeout=10),
    )


def _read_full(stream: Any, size: int) -> bytes:
    parts, missing = [], size
    while missing > 0:
        piece = stream.read(missing)
        if not piece:
            break
        parts.append(piece)
        missing -= len(piece)
    return b"".join(parts)


class _ChunkStream(io.RawIOBase):
    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks, self._current = iter(chunks), b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._current:
            self._current = next(self._chunks, None)
            if self._current is None:
                self._current = b""
                return 0
        count = min(len(buffer), len(self._current))
        buffer[:count] = self._current[:count]
        self._current = self._current[count:]
        return count


def _progress(done: int, size: int) -> None:
    if size:
        wmill.set_progress(min(99, done * 100 // size))


def main(
    s3: s3,
    azure_blob: azure_blob,
    s3_key: str,
    blob_name: Optional[str] = None,
    direction: Literal["s3_to_azure", "azure_to_s3"] = "s3_to_azure",
    chunk_mib: int = 8,
) -> dict:
    """Copy one object between an S3 bucket and an Azure container, streamed in chunks.

    Memory stays at about one chunk whatever the object size: S3 -> Azure stages one block per
    chunk and commits the list; Azure -> S3 is a multipart upload fed from ranged downloads.
    The job's progress (wmill.set_progress) follows the bytes copied.

    Args:
        s3 (s3): the S3 bucket
        azure_blob (azure_blob): the Azure storage account and container
        s3_key (str): the object key in the bucket
        blob_name (str): the blob name in the container (default: the same as s3_key)
        direction (str): s3_to_azure (default) or azure_to_s3
        chunk_mib (int): the block or part size in MiB (S3 parts need at least 5)
    """
    blob_name = blob_name or s3_key
    chunk = max(1, chunk_mib) * 1024 * 1024
    client = _s3_client(s3)
    container = _container(azure_blob)
    if direction == "azure_to_s3":
        downloader = container.download_blob(blob_name, max_concurrency=1)
        reader = io.BufferedReader(_ChunkStream(downloader.chunks()), buffer_size=1024 * 1024)
        config = TransferConfig(
            multipart_chunksize=max(chunk, 5 * 1024 * 1024), max_concurrency=1, use_threads=False
        )
        extra = {}
        if downloader.properties.content_settings.content_type:
            extra["ContentType"] = downloader.properties.content_settings.content_type
        sent = [0]

        def uploaded(count: int) -> None:
            sent[0] += count
            _progress(sent[0], downloader.size)

        client.upload_fileobj(
            reader, s3["bucket"], s3_key, ExtraArgs=extra, Config=config, Callback=uploaded
        )
        size = downloader.size
        return {"direction": direction, "from": blob_name, "to": s3_key, "bytes": size}
    response = client.get_object(Bucket=s3["bucket"], Key=s3_key)
    body, size = response["Body"], int(response.get("ContentLength") or 0)
    blob = container.get_blob_client(blob_name)
    block_ids, total = [], 0
    while True:
        data = _read_full(body, chunk)
        if not data:
            break
        block_id = base64.b64encode(f"{len(block_ids):08d}".encode()).decode()
        blob.stage_block(block_id, data, length=len(data))
        block_ids.append(block_id)
        total += len(data)
        del data
        _progress(total, size)
    settings = ContentSettings(
        content_type=response.get("ContentType") or "application/octet-stream"
    )
    blob.commit_block_list(block_ids, content_settings=settings)
    return {
        "direction": direction,
        "from": s3_key,
        "to": blob_name,
        "bytes": total,
        "blocks": len(block_ids),
    }
