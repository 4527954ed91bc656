"""Google Cloud Storage strings: bucket URLs, console URLs and service-account JSON keys.

- ``gs://bucket/key``;
- ``https://storage.googleapis.com/bucket/key``, ``https://bucket.storage.googleapis.com/key``
  and the browser's ``https://storage.cloud.google.com/bucket/key``;
- console URLs: ``https://console.cloud.google.com/storage/browser/bucket/folder?project=p`` and
  ``.../storage/browser/_details/bucket/key;tab=live_object``;
- a service-account JSON key as downloaded from IAM (``"type": "service_account"``), or a whole
  resource value (``{"bucket": ..., "serviceAccountKey": {...}}``).

Positions in errors are 0-based offsets into the text; no message quotes a key's content.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from connectors import ParseError
from connectors.parsing import shown_name
from connectors.text import long_number_at
from storage_connectors_gcs.hosts import API_HOST, BROWSER_HOST, CONSOLE_HOST

#: the fields of a gcloud_storage value
VALUE_FIELDS = ("bucket", "serviceAccountKey", "prefix", "endpoint", "hmacAccessId", "hmacSecret")
#: the fields a service-account key must have to sign requests
KEY_FIELDS = ("private_key", "client_email")
# bucket names: 3-63 characters (up to 222 with dots), lowercase letters, digits, - _ .
_BUCKET = re.compile(r"[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]")


@dataclass
class Parsed:
    value: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    form: str = "url"


def parse_text(text: str) -> Parsed:
    if "\0" in text:
        raise ParseError("a NUL character in the string", position=text.index("\0"),
                         type_name="gcloud_storage")  # fmt: skip
    if text.startswith("{"):
        return parse_json(text)
    lowered = text[:8].lower()
    if lowered.startswith("gs://"):
        return _from_path(text, 5, "gs")
    if lowered.startswith(("https://", "http://")):
        return _parse_https(text)
    raise ParseError(
        "not a Google Cloud Storage string (expected gs://bucket/key, a storage.googleapis.com "
        "or console URL, or a service-account JSON key)",
        position=0,
        type_name="gcloud_storage",
    )


def _parse_https(text: str) -> Parsed:
    # urlsplit drops tabs and line breaks (WHATWG), so the host it reads is not in the text;
    # a URL holds none (RFC 3986)
    blank = next((i for i, char in enumerate(text) if char in "\t\r\n"), -1)
    if blank >= 0:
        raise ParseError(
            "a tab or line break in the URL", position=blank, type_name="gcloud_storage"
        )
    try:
        parts = urlsplit(text)
    except ValueError:
        raise ParseError(
            "not a valid URL (a bracketed host or a bad port)",
            position=text.index("//") + 2,
            type_name="gcloud_storage",
        ) from None
    host = (parts.hostname or "").lower()
    authority_at = text.index("//") + 2
    slash = text.find("/", authority_at)
    if host in (API_HOST, BROWSER_HOST):
        parsed = _from_path(text, len(text) if slash < 0 else slash + 1, "url")
        if host == BROWSER_HOST:
            parsed.notes.append(
                "storage.cloud.google.com is the browser's URL (it asks for a Google sign-in); "
                "programs use storage.googleapis.com"
            )
        return parsed
    if host.endswith("." + API_HOST):
        bucket = host[: -len(API_HOST) - 1]
        value = {"bucket": _bucket(bucket, authority_at)}
        key = _object_path(parts.path.lstrip("/"), slash + 1)
        if key:
            value["prefix"] = key
        return Parsed(value, form="url")
    if host == CONSOLE_HOST:
        return _parse_console(text, parts)
    raise ParseError(
        # the host is not quoted: text in its place may be a pasted secret
        f"not a Cloud Storage host (expected {API_HOST}, {BROWSER_HOST} or {CONSOLE_HOST})",
        position=authority_at,
        type_name="gcloud_storage",
    )


def _from_path(text: str, start: int, form: str, stops: str = "?#") -> Parsed:
    """``bucket[/key]`` from ``start`` (query and fragment dropped)."""
    end = len(text)
    for mark in stops:
        found = text.find(mark, start)
        if found >= 0:
            end = min(end, found)
    bucket, _, key = text[start:end].partition("/")
    value: dict[str, Any] = {"bucket": _bucket(bucket, start)}
    if key:
        value["prefix"] = _object_path(key, start + len(bucket) + 1)
    return Parsed(value, form=form)


def _object_path(raw: str, position: int) -> str:
    """An object path percent-decoded; ``%00`` is refused, as a raw NUL is (no string could
    carry it back)."""
    key = unquote(raw)
    if "\0" in key:
        at = position + max(raw.find("%00"), 0)
        raise ParseError(
            "forbidden %00 in the object path", position=at, type_name="gcloud_storage"
        )
    return key


def _bucket(name: str, position: int) -> str:
    if not name:
        raise ParseError("no bucket name", position=position, type_name="gcloud_storage")
    if not _BUCKET.fullmatch(name):
        bad = next(
            (i for i, c in enumerate(name) if not (c.islower() or c.isdigit() or c in "._-")), None
        )
        where = position + (bad if bad is not None else 0)
        raise ParseError(
            "invalid bucket name (3-63 lowercase letters, digits, '-', '_' and '.')",
            position=where,
            type_name="gcloud_storage",
        )
    return name


def _parse_console(text: str, parts: Any) -> Parsed:
    path = parts.path
    for prefix in ("/storage/browser/_details/", "/storage/browser/"):
        if path.startswith(prefix):
            start = text.index(prefix) + len(prefix)
            parsed = _from_path(text, start, "console", stops="?#;")
            query = dict(pair.partition("=")[::2] for pair in parts.query.split("&") if "=" in pair)
            if query.get("project"):
                parsed.notes.append(f"from the console of project {query['project']}")
            return parsed
    raise ParseError(
        "a console URL names a bucket under /storage/browser/",
        position=text.index(CONSOLE_HOST) + len(CONSOLE_HOST),
        type_name="gcloud_storage",
    )


def parse_json(text: str) -> Parsed:
    """A service-account key, or a whole ``gcloud_storage`` value, as JSON."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # exc.msg never holds the text itself, so no key material is shown
        raise ParseError(
            f"the service-account key is not valid JSON: {exc.msg}",
            position=exc.pos,
            type_name="gcloud_storage",
        ) from None
    except ValueError:  # Python's own limit on the digits of an integer
        raise ParseError(
            "a number with too many digits",
            position=long_number_at(text),
            type_name="gcloud_storage",
        ) from None
    if not isinstance(data, dict):
        raise ParseError("expected a JSON object", position=0, type_name="gcloud_storage")
    if "serviceAccountKey" in data or "bucket" in data:
        for name, item in data.items():
            if name not in VALUE_FIELDS:
                raise ParseError(
                    f"unknown field {shown_name(name)} in a gcloud_storage value (expected "
                    f"{', '.join(VALUE_FIELDS)})",
                    position=max(text.find(json.dumps(name)), 0),
                    type_name="gcloud_storage",
                )
            if name != "serviceAccountKey" and not isinstance(item, str):
                raise ParseError(
                    f"{name} must be a string",
                    position=max(text.find(json.dumps(name)), 0),
                    type_name="gcloud_storage",
                )
        value = dict(data)
        key = value.get("serviceAccountKey")
        if key is not None:
            check_key(key, text)
        if value.get("bucket") == "" and key is not None:  # what a pasted key alone gives
            return Parsed(value, [_NO_BUCKET], form="resource")
        if "bucket" in value:
            value["bucket"] = _bucket(str(value["bucket"]), text.find('"bucket"'))
        return Parsed(value, form="resource")
    check_key(data, text)
    return Parsed({"bucket": "", "serviceAccountKey": data}, [_NO_BUCKET], form="key")


_NO_BUCKET = "a service-account key without a bucket: set bucket before using it"


def check_key(key: Any, text: str) -> None:
    """A service-account key has ``type: service_account``, ``private_key`` and
    ``client_email``; a ParseError names what is missing (never the content)."""
    if not isinstance(key, dict):
        raise ParseError(
            "serviceAccountKey must be a JSON object", position=0, type_name="gcloud_storage"
        )
    kind = key.get("type")
    if kind != "service_account":
        at = text.find('"type"')
        shown = repr(kind) if isinstance(kind, str) and kind.isidentifier() else "missing"
        raise ParseError(
            f"not a service-account key (type is {shown}, expected 'service_account')",
            position=at if at >= 0 else 0,
            type_name="gcloud_storage",
        )
    for name in KEY_FIELDS:
        if not isinstance(key.get(name), str) or not key[name]:
            raise ParseError(
                f"the service-account key has no {name}",
                position=len(text.rstrip()) - 1,
                type_name="gcloud_storage",
            )
    if "-----BEGIN" not in key["private_key"]:
        raise ParseError(
            "private_key is not a PEM private key (-----BEGIN PRIVATE KEY-----)",
            position=text.find('"private_key"'),
            type_name="gcloud_storage",
        )
