"""Object storage: S3Object and Windmill's load/write/delete/sign helpers, on any store.

Same names, signatures and return shapes as the ``wmill`` client (reference/windmill.md 1.8-1.10).
Which storage a call uses:

- ``s3_resource_path`` given (``f/x/y``, ``$res:f/x/y`` or ``res://f/x/y``): that resource,
  read with ``connectors.client.get_resource``;
- else the S3Object's ``storage`` name: the resource path in ``CONNECTORS_OBJECT_STORAGE_<NAME>``
  (name upper-cased, ``-`` and ``.`` as ``_``), Windmill's secondary storages;
- else the workspace default: the resource path in ``CONNECTORS_OBJECT_STORAGE``.

The resource's type picks the store: ``get_connector(type).object_store(resource)``; a value read
by path is typed by the resource type it is stored with (any registered type whose connector
implements ``object_store``, plugins included), else by its shape: the object-storage type whose
``Connector.detect_value`` scores highest (``accountName`` -> azure_blob, ``bucket`` -> s3).
``presigned`` holds the full presigned
URL of the store itself (there is no Windmill s3_proxy locally).

Inside a Windmill worker (the workspace's detection: ``BASE_INTERNAL_URL``/``WM_BASE_URL``,
``WM_TOKEN`` and ``WM_WORKSPACE`` set) none of this applies: every call goes to Windmill's REST
API as ``wmill`` sends it (``connectors.objectstore.windmill``), with or without a resource path.
"""

from __future__ import annotations

import os
import re
import uuid
from typing import IO, TYPE_CHECKING, Any

from connectors.errors import ConnectorsError
from connectors.objectstore.types import (
    Boto3ConnectionSettings,
    DuckDbConnectionSettings,
    PolarsConnectionSettings,
    S3Object,
    polars_settings_of,
)
from connectors.resource import Resource

if TYPE_CHECKING:
    from connectors.objectstore.base import ObjectStore
    from connectors.objectstore.windmill import WindmillObjectStorage

DEFAULT_STORAGE_ENV = "CONNECTORS_OBJECT_STORAGE"
DEFAULT_EXPIRY_SECS = 43200
MIN_EXPIRY_SECS, MAX_EXPIRY_SECS = 60, 604800


def parse_s3_object(s3_object: S3Object | dict[str, Any] | str) -> S3Object:
    """``s3://<storage>/<key>`` (``s3:///<key>``: default storage) or a dict -> S3Object.

    Any other string is a ValueError, as in wmill (an automatic key is asked for with ``None``).
    """
    if isinstance(s3_object, S3Object):
        return s3_object
    if isinstance(s3_object, dict):
        return S3Object(s3_object)
    if isinstance(s3_object, str):
        match = re.match(r"^s3://([^/]*)/(.+)$", s3_object)
        if not match:
            raise ValueError(
                f"invalid S3 object {s3_object!r}: expected an S3Object or an "
                "'s3://<storage>/<key>' URI ('s3:///<key>' for the default storage)"
            )
        storage, key = match.groups()
        return S3Object(s3=key, storage=storage or None)
    raise TypeError(f"expected an S3Object, a dict or a str, not {type(s3_object).__name__}")


# -- resolving the store ------------------------------------------------------------------------


def _type_of_value(value: dict[str, Any]) -> str:
    """The type of a bare value: the object-storage type whose ``detect_value`` scores highest
    (the first registered on a tie, so a built-in before a plugin)."""
    from connectors.connector import Connector, Match
    from connectors.plugins import get_registry

    best, found = Match.NONE, None
    for name, connector in get_registry().connectors.items():
        if type(connector).object_store is Connector.object_store:
            continue
        score = connector.detect_value(value)
        if score > best:
            best, found = score, name
    if found is None:
        raise ConnectorsError("the resource is not object storage (no bucket or container)")
    return found


def store_for(resource: Resource | dict[str, Any]) -> ObjectStore:
    """The ObjectStore of a Resource or of a bare value (typed by ``Connector.detect_value``)."""
    from connectors.plugins import get_connector

    if not isinstance(resource, Resource):
        if not isinstance(resource, dict):
            raise TypeError("expected a Resource or a resource value (dict)")
        resource = Resource(_type_of_value(resource), resource)
    return get_connector(resource.resource_type).object_store(resource)


def _load(path: str) -> Resource | dict[str, Any]:
    """The resource at ``path``, typed by the type it was stored with when that type is
    registered (a plugin's storage, such as gcloud_storage), else by its shape."""
    from connectors.plugins import get_registry
    from connectors.workspace.resolve import load_resource

    found = load_resource(path)
    if found.resource_type in get_registry().connectors:
        return found
    return found.value


def _storage_env(storage: str) -> str:
    return f"{DEFAULT_STORAGE_ENV}_{re.sub(r'[^A-Za-z0-9]', '_', storage).upper()}"


def resolve_store(s3_resource_path: str | None = None, storage: str | None = None) -> ObjectStore:
    """The store a helper call addresses (see the module docstring for the order)."""
    if s3_resource_path:
        return store_for(_load(s3_resource_path))
    if storage:
        path = os.environ.get(_storage_env(storage))
        if not path:
            raise ConnectorsError(
                f"unknown storage {storage!r}: set {_storage_env(storage)} to a resource path"
            )
        return store_for(_load(path))
    path = os.environ.get(DEFAULT_STORAGE_ENV)
    if not path:
        raise ConnectorsError(
            f"no object storage: pass s3_resource_path or set {DEFAULT_STORAGE_ENV} "
            "to the path of an s3 or azure_blob resource"
        )
    return store_for(_load(path))


def windmill_storage() -> WindmillObjectStorage | None:
    """Windmill's object storage (REST API) inside a Windmill worker, else None."""
    from connectors.workspace.store import open_store, windmill_settings

    if windmill_settings() is None:
        return None
    from connectors.objectstore.windmill import WindmillObjectStorage
    from connectors.workspace.windmill_store import WindmillStore

    store = open_store()
    if not isinstance(store, WindmillStore):  # pragma: no cover - same detection as open_store
        return None
    return WindmillObjectStorage(store.api)


def _store_of(s3object: S3Object, s3_resource_path: str | None) -> ObjectStore:
    return resolve_store(s3_resource_path or None, s3object.get("storage"))


# -- the Windmill functions ---------------------------------------------------------------------


def load_s3_file_reader(s3object: S3Object | str, s3_resource_path: str | None = None) -> IO[bytes]:
    """A streaming reader of the object (use it as a context manager)."""
    obj = parse_s3_object(s3object)
    windmill = windmill_storage()
    if windmill is not None:
        return windmill.open_reader(obj, s3_resource_path)
    return _store_of(obj, s3_resource_path).open_reader(obj["s3"])


def load_s3_file(s3object: S3Object | str, s3_resource_path: str | None = None) -> bytes:
    """The object's bytes."""
    obj = parse_s3_object(s3object)
    windmill = windmill_storage()
    if windmill is not None:
        return windmill.read_all(obj, s3_resource_path)
    store = _store_of(obj, s3_resource_path)
    read_all = getattr(store, "read_all", None)
    if read_all is not None:
        data: bytes = read_all(obj["s3"])
        return data
    with store.open_reader(obj["s3"]) as reader:
        return reader.read()


def write_s3_file(
    s3object: S3Object | str | None,
    file_content: IO[bytes] | bytes,
    s3_resource_path: str | None = None,
    content_type: str | None = None,
    content_disposition: str | None = None,
) -> S3Object:
    """Store bytes or a stream (sent in parts, constant memory); ``None`` makes a key."""
    windmill = windmill_storage()
    if windmill is not None:
        parsed = None if s3object is None else parse_s3_object(s3object)
        return windmill.write(
            parsed, file_content, s3_resource_path, content_type, content_disposition
        )
    if s3object is None:
        obj = S3Object(s3=f"windmill_uploads/{uuid.uuid4().hex}", storage=None)
    else:
        obj = parse_s3_object(s3object)
    store = _store_of(obj, s3_resource_path)
    store.write(
        obj["s3"],
        file_content,
        content_type=content_type,
        content_disposition=content_disposition,
    )
    return S3Object(s3=obj["s3"], storage=obj.get("storage"))


def delete_s3_object(s3object: S3Object | str, s3_resource_path: str | None = None) -> None:
    """Delete the object (no error when it does not exist)."""
    obj = parse_s3_object(s3object)
    windmill = windmill_storage()
    if windmill is not None:
        windmill.delete(obj, s3_resource_path)
        return
    _store_of(obj, s3_resource_path).delete(obj["s3"])


def _expiry(expiry_secs: int | None) -> int:
    seconds = DEFAULT_EXPIRY_SECS if expiry_secs is None else int(expiry_secs)
    return min(max(seconds, MIN_EXPIRY_SECS), MAX_EXPIRY_SECS)


def sign_s3_objects(
    s3_objects: list[S3Object | str], expiry_secs: int | None = None
) -> list[S3Object]:
    """Presigned GET URLs (default 12 h, clamped to 1 min - 7 days) in ``presigned``."""
    windmill = windmill_storage()
    if windmill is not None:
        return windmill.sign([parse_s3_object(item) for item in s3_objects], expiry_secs)
    seconds = _expiry(expiry_secs)
    signed = []
    for item in s3_objects:
        obj = S3Object(parse_s3_object(item))
        obj["presigned"] = _store_of(obj, None).presign(obj["s3"], seconds)
        signed.append(obj)
    return signed


def sign_s3_object(s3_object: S3Object | str, expiry_secs: int | None = None) -> S3Object:
    """One object's presigned GET URL in ``presigned`` (as ``sign_s3_objects``)."""
    return sign_s3_objects([s3_object], expiry_secs)[0]


def polars_connection_settings(s3_resource_path: str = "") -> PolarsConnectionSettings:
    """``{"s3fs_args", "storage_options", "s3_bucket"}`` for polars, s3fs and pyarrow."""
    windmill = windmill_storage()
    if windmill is not None:
        return windmill.polars_settings(s3_resource_path)
    return polars_settings_of(resolve_store(s3_resource_path or None).polars_settings())


def duckdb_connection_settings(s3_resource_path: str = "") -> DuckDbConnectionSettings:
    """``{"connection_settings_str", "s3_bucket"}``: run the string before querying s3://."""
    windmill = windmill_storage()
    if windmill is not None:
        return windmill.duckdb_settings(s3_resource_path)
    return DuckDbConnectionSettings(resolve_store(s3_resource_path or None).duckdb_settings())


def boto3_connection_settings(s3_resource_path: str = "") -> Boto3ConnectionSettings:
    """``boto3.client("s3", **settings)`` keyword arguments (s3 resources only)."""
    windmill = windmill_storage()
    if windmill is not None:
        return windmill.boto3_settings(s3_resource_path)
    store = resolve_store(s3_resource_path or None)
    settings = getattr(store, "boto3_settings", None)
    if settings is None:
        raise ConnectorsError("boto3 connection settings need an s3 resource")
    return Boto3ConnectionSettings(settings())


def get_presigned_s3_public_urls(
    s3_objects: list[S3Object | str],
    base_url: str | None = None,
    expiry_secs: int | None = None,
) -> list[str]:
    """Public URLs of the objects, signing those not signed yet.

    Inside Windmill: ``{base_url or WM_BASE_URL}/api/w/{ws}/s3_proxy/{storage}/{key}?{presigned}``,
    as wmill builds them. Locally there is no s3_proxy: the URL is the store's own presigned URL
    (``base_url`` is not used).
    """
    windmill = windmill_storage()
    if windmill is not None:
        return windmill.public_urls([parse_s3_object(o) for o in s3_objects], base_url, expiry_secs)
    objects = [parse_s3_object(item) for item in s3_objects]
    missing = [index for index, obj in enumerate(objects) if obj.get("presigned") is None]
    signed = sign_s3_objects([objects[index] for index in missing], expiry_secs)
    for index, obj in zip(missing, signed, strict=True):
        objects[index] = obj
    return [str(obj["presigned"]) for obj in objects]


def get_presigned_s3_public_url(
    s3_object: S3Object | str,
    base_url: str | None = None,
    expiry_secs: int | None = None,
) -> str:
    """One object's public URL (as ``get_presigned_s3_public_urls``)."""
    return get_presigned_s3_public_urls([s3_object], base_url, expiry_secs)[0]


__all__ = [
    "Boto3ConnectionSettings",
    "DuckDbConnectionSettings",
    "PolarsConnectionSettings",
    "S3Object",
    "boto3_connection_settings",
    "delete_s3_object",
    "duckdb_connection_settings",
    "get_presigned_s3_public_url",
    "get_presigned_s3_public_urls",
    "load_s3_file",
    "load_s3_file_reader",
    "parse_s3_object",
    "polars_connection_settings",
    "resolve_store",
    "sign_s3_object",
    "sign_s3_objects",
    "store_for",
    "windmill_storage",
    "write_s3_file",
]
