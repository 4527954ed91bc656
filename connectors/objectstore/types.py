"""wmill's typed dicts: ``dict`` subclasses whose keys are also attributes (``wmill/s3_types.py``).

``settings.storage_options`` and ``settings["storage_options"]`` are the same object; a missing key
is an ``AttributeError`` (so ``hasattr``, ``copy`` and ``pickle`` work), as in wmill 1.850.0.
"""

from __future__ import annotations

from typing import Any


class AttrDict(dict[str, Any]):
    """A dict whose keys read (and write) as attributes."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


class S3Object(AttrDict):
    """``{"s3": key, "storage": name?, "presigned": query?}``: a pointer to an object."""


class S3FsClientKwargs(AttrDict):
    """``{"region_name"}`` for s3fs's botocore client."""


class S3FsArgs(AttrDict):
    """``s3fs.S3FileSystem(**args)``: endpoint_url, key, secret, use_ssl, cache_regions, ..."""


class StorageOptions(AttrDict):
    """polars/object_store options: aws_endpoint_url, aws_access_key_id, aws_region, ..."""


class PolarsConnectionSettings(AttrDict):
    """``{"s3fs_args", "storage_options", "s3_bucket"}`` and any key the server adds."""


class DuckDbConnectionSettings(AttrDict):
    """``{"connection_settings_str", "s3_bucket"}`` (+ ``azure_container_path`` for Azure)."""


class Boto3ConnectionSettings(AttrDict):
    """``boto3.client("s3", **settings)`` keyword arguments."""


def polars_settings_of(raw: dict[str, Any]) -> PolarsConnectionSettings:
    """Every key of ``raw``, with the nested dicts typed as wmill types them."""
    settings = PolarsConnectionSettings(raw)
    args = settings.get("s3fs_args")
    if isinstance(args, dict):
        args = S3FsArgs(args)
        if isinstance(args.get("client_kwargs"), dict):
            args["client_kwargs"] = S3FsClientKwargs(args["client_kwargs"])
        settings["s3fs_args"] = args
    if isinstance(settings.get("storage_options"), dict):
        settings["storage_options"] = StorageOptions(settings["storage_options"])
    settings.setdefault("s3_bucket", None)
    return settings
