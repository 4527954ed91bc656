"""Environment variables that name a storage service, turned into workspace resources.

- DATABASE_URL -> <base>/database (type detected: postgresql, ...)
- REDIS_URL -> <base>/redis (redis, or upstash_redis for an Upstash host)
- MONGODB_URI (or MONGODB_URL) -> <base>/mongodb
- AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION / AWS_DEFAULT_REGION,
  AWS_ENDPOINT_URL(_S3), S3_BUCKET / AWS_S3_BUCKET / AWS_BUCKET -> <base>/s3 (s3)
- AZURE_STORAGE_CONNECTION_STRING -> <base>/azure_blob (azure_blob)
- UPSTASH_REDIS_REST_URL + UPSTASH_REDIS_REST_TOKEN -> <base>/upstash_redis (upstash_redis)

``<base>`` is ``u/<user>`` (the OS user) unless a folder or user is given. Blocks of several
variables are handed to the parser as ``KEY=VALUE`` lines, the form consoles show them in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from connectors.errors import ConnectorsError
from connectors.resource import Resource

_AWS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
    "S3_BUCKET",
    "AWS_S3_BUCKET",
    "AWS_BUCKET",
)
_UPSTASH = ("UPSTASH_REDIS_REST_URL", "UPSTASH_REDIS_REST_TOKEN")
# (name in the path, resource type or None to detect, variables, single string or block)
SOURCES: tuple[tuple[str, str | None, tuple[str, ...], bool], ...] = (
    ("database", None, ("DATABASE_URL",), False),
    ("redis", None, ("REDIS_URL",), False),
    ("mongodb", None, ("MONGODB_URI", "MONGODB_URL"), False),
    ("s3", "s3", _AWS, True),
    ("azure_blob", "azure_blob", ("AZURE_STORAGE_CONNECTION_STRING",), False),
    ("upstash_redis", "upstash_redis", _UPSTASH, True),
)


@dataclass
class Planned:
    """One resource to import: where it goes, from which variables, and the parse outcome."""

    path: str
    variables: list[str]
    resource: Resource | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)


def plan_env_import(env: Mapping[str, str], base: str) -> list[Planned]:
    """The resources ``env`` describes, each parsed (or with the parser's error)."""
    from connectors.api import parse

    planned: list[Planned] = []
    for name, type_name, names, block in SOURCES:
        present = [n for n in names if env.get(n)]
        if not present:
            continue
        if block:
            text = "\n".join(f"{n}={env[n]}" for n in present)
        else:
            present = present[:1]
            text = env[present[0]]
        item = Planned(f"{base}/{name}", present)
        try:
            item.resource = parse(text, type=type_name)
            item.notes = list(item.resource.notes)
        except ConnectorsError as exc:
            item.error = str(exc)
        planned.append(item)
    return planned
