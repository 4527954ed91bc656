"""Environment variables that name a storage service, turned into workspace resources.

Which variables make which resource is each connector's business (``Connector.env_sources``):

- DATABASE_URL -> <base>/database (type detected: postgresql, or a plugin's SQL type)
- REDIS_URL -> <base>/redis (redis, or upstash_redis for an Upstash host)
- MONGODB_URI (or MONGODB_URL) -> <base>/mongodb
- AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION / AWS_DEFAULT_REGION,
  AWS_ENDPOINT_URL(_S3), S3_BUCKET / AWS_S3_BUCKET / AWS_BUCKET -> <base>/s3 (s3)
- AZURE_STORAGE_CONNECTION_STRING -> <base>/azure_blob (azure_blob)
- UPSTASH_REDIS_REST_URL + UPSTASH_REDIS_REST_TOKEN -> <base>/upstash_redis (upstash_redis)
- any other type: <TYPE>_URL (a connection string) or <TYPE>_JSON (a value) -> <base>/<type>

``<base>`` is ``u/<user>`` (the OS user) unless a folder or user is given. Blocks of several
variables are handed to the parser as ``KEY=VALUE`` lines, the form consoles show them in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from connectors.connector import EnvSource
from connectors.errors import ConnectorsError
from connectors.resource import Resource


@dataclass
class Planned:
    """One resource to import: where it goes, from which variables, and the parse outcome."""

    path: str
    variables: list[str]
    resource: Resource | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)


def env_sources() -> list[tuple[str, EnvSource]]:
    """(type, source) of every registered connector; a resource name already taken is skipped."""
    from connectors.plugins import get_registry

    found: dict[str, tuple[str, EnvSource]] = {}
    for type_name, connector in get_registry().connectors.items():
        for source in connector.env_sources():
            found.setdefault(source.name, (type_name, source))
    return list(found.values())


def plan_env_import(env: Mapping[str, str], base: str) -> list[Planned]:
    """The resources ``env`` describes, each parsed (or with the parser's error)."""
    planned: list[Planned] = []
    for type_name, source in env_sources():
        present = [n for n in source.variables if env.get(n)]
        if not present:
            continue
        if source.block:
            text = "\n".join(f"{n}={env[n]}" for n in present)
        else:
            present = present[:1]
            text = env[present[0]]
        item = Planned(f"{base}/{source.name}", present)
        try:
            item.resource = _read(text, None if source.detect else type_name)
            item.notes = list(item.resource.notes)
        except ConnectorsError as exc:
            item.error = str(exc)
        planned.append(item)
    return planned


def _read(text: str, type_name: str | None) -> Resource:
    """A connection string parsed, or a JSON value validated (of ``type_name`` when given)."""
    from connectors.api import parse, validate

    if type_name is None or not text.lstrip().startswith("{"):
        return parse(text, type=type_name)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConnectorsError(f"not a JSON value: {exc.msg} at character {exc.pos}") from None
    return Resource(type_name, validate(type_name, value))
