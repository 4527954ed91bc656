"""Azure Blob Storage strings -> ``azure_blob`` values, and back.

Accepted inputs (reference/connstrings.md section 5):

- storage connection strings ``Key=Value;...`` parsed as azure-storage-blob does: segments split
  on ``;`` and each on its first ``=``, keys case-insensitive, trailing ``;`` stripped, an empty
  or ``=``-less segment is an error, the last of a repeated key wins, unknown keys are ignored
  (with a note), values are not percent-decoded. The blob endpoint is derived with the SDK's
  rules: ``UseDevelopmentStorage=true`` (Azurite), else ``BlobEndpoint``, else
  ``{DefaultEndpointsProtocol}://{AccountName}.blob.{EndpointSuffix}`` when all three are given,
  else ``https://{AccountName}.blob.{EndpointSuffix or core.windows.net}``;
- URLs ``https://<account>.blob.<suffix>/<container>/<blob>?<sas>`` at account, container and
  blob level, Azurite's IP-style ``http://127.0.0.1:10000/<account>/<container>/...`` and custom
  domains;
- ``az://``, ``azure://``, ``abfs[s]://`` and ``wasb[s]://`` URIs: ``<container>/<path>`` or
  ``<container>@<account>[.blob|.dfs.<suffix>]/<path>``.

The value is Windmill's ``azure_blob`` shape (accountName, containerName, accessKey, useSSL,
endpoint) plus the extension fields ``sasToken``, ``endpointSuffix`` and ``blobPrefix``.
``endpoint`` is kept only when it is not ``https://<account>.blob.core.windows.net``.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any
from urllib.parse import SplitResult, unquote

from connectors.azure_blob.keys import ENV_KEYS, KNOWN_KEYS, OTHER_SERVICES
from connectors.azure_blob.values import (
    DEFAULT_SUFFIX,
    DEV_VALUE,
    FIELD_ORDER,
    TYPE,
    default_endpoint,
    is_local_host,
    set_endpoint,
)
from connectors.errors import ParseError
from connectors.parsing import (
    check_host,
    parse_env_block,
    percent_decode,
    port_number,
    split_host_port,
    split_url,
    url_scheme,
)

#: query keys the SDK treats as SAS parameters (QueryStringConstants)
# fmt: off
SAS_KEYS = frozenset({
    "sv", "ss", "srt", "sp", "st", "se", "spr", "sip", "sr", "si", "sig", "rscc", "rscd",
    "rsce", "rscl", "rsct", "skoid", "sktid", "skt", "ske", "sks", "skv", "sdd", "ses", "srh",
    "srq", "skdutid", "sduoid", "saoid", "suoid", "scid", "spk", "srk", "epk", "erk",
})
# fmt: on
URI_SCHEMES = ("az", "azure", "abfs", "abfss", "wasb", "wasbs")
_SERVICE_HOST = re.compile(r"^(?P<label>[^.]+)\.(?P<service>blob|dfs)\.(?P<suffix>.+)$", re.I)
_FEATURE_SUFFIX = re.compile(r"(-secondary|-ipv6|-dualstack)+$")


def _error(message: str, position: int | None = None, hint: str | None = None) -> ParseError:
    return ParseError(message, position=position, type_name=TYPE, hint=hint)


def parse(text: str) -> tuple[dict[str, Any], list[str]]:
    """Parse any accepted form; returns the value and the notes about the input."""
    stripped = text.strip()
    value = _one_match_value(stripped)
    if value is not None:
        return value, []
    value, notes = _read(stripped)
    return {key: value[key] for key in FIELD_ORDER if key in value}, notes


def _read(stripped: str) -> tuple[dict[str, Any], list[str]]:
    if not stripped:
        raise _error("empty connection string")
    if "\0" in stripped:  # a NUL cannot be written back (the SDK rejects %00 too)
        raise _error("a NUL character in the connection string", stripped.index("\0"))
    if stripped.startswith(("AZURE_STORAGE_", "export")) and _ENV_START.match(stripped):
        stripped = _from_environment(stripped)
    if url_scheme(stripped) is not None:
        return parse_url(stripped)
    return parse_connection_string(stripped)


# The connection strings the Azure portal and Azurite's documentation show, each read in one
# match; anything else (other keys, order or case, a bad key or port) goes through
# parse_connection_string, which gives the same value for these
# (tests/default_plugins/test_azure_blob_parser.py).
_PORTAL_FORM = re.compile(
    r"DefaultEndpointsProtocol=(https?);AccountName=([a-z0-9]{1,63});"
    r"AccountKey=([A-Za-z0-9+/]++={0,2});EndpointSuffix=([a-z0-9][a-z0-9.-]{0,200});?"
)
# The endpoint as _endpoint_url writes it, once its host is lower-cased, its port read and its
# path's trailing '/' taken off.
_ENDPOINT_FORM = re.compile(
    r"(?:DefaultEndpointsProtocol=https?;)?AccountName=([a-z0-9]{1,63});"
    r"AccountKey=([A-Za-z0-9+/]++={0,2});BlobEndpoint=(https?://[A-Za-z0-9.-]++)(?::([0-9]{1,5}))?"
    r"(/[A-Za-z0-9._~/-]*+)?;?"
)


def _one_match_value(stripped: str) -> dict[str, Any] | None:
    """The value (in FIELD_ORDER) of a ``_PORTAL_FORM`` or ``_ENDPOINT_FORM`` string; None for
    any other string, and for one of these the full reader must refuse (it says where)."""
    # the patterns cost more than these tests on other strings (a long key is read char by char)
    if ";EndpointSuffix=" in stripped:
        portal = _PORTAL_FORM.fullmatch(stripped)
        if portal is not None:
            protocol, account, key, suffix = portal.groups()
            default = protocol == "https" and suffix == DEFAULT_SUFFIX
            endpoint = None if default else f"{protocol}://{account}.blob.{suffix}"
            return _ordered_value(account, key, endpoint, suffix)
    elif ";BlobEndpoint=" in stripped:
        emulator = _ENDPOINT_FORM.fullmatch(stripped)
        if emulator is not None:
            account, key, origin, port, path = emulator.groups()
            url = _endpoint_of(origin, port, path or "")
            if url is None:
                return None
            default = url.startswith("https:") and url == default_endpoint(account)
            endpoint = None if default else url
            return _ordered_value(account, key, endpoint, "")
    return None


def _endpoint_of(origin: str, port: str | None, path: str) -> str | None:
    """What _endpoint_url makes of an ``_ENDPOINT_FORM`` endpoint; None when the port is out
    of range."""
    if not port:
        return origin.lower() + path.rstrip("/")
    number = port_number(port)
    if number is None:
        return None
    return f"{origin.lower()}:{number}{path.rstrip('/')}"


def _ordered_value(
    account: str, key: str, endpoint: str | None, suffix: str
) -> dict[str, Any] | None:
    """The value parse_connection_string gives for these parts, in FIELD_ORDER; ``endpoint``
    is None when it is the account's default (https) one, which set_endpoint leaves out. None
    when ``key`` may not be base64."""
    if len(key) % 4:  # the patterns' key is base64 (_check_base64 accepts it) when it is not
        return None
    value: dict[str, Any] = {
        "accountName": account,
        "containerName": "",
        "accessKey": key,
        "useSSL": endpoint is None or endpoint.startswith("https:"),
    }
    if endpoint is not None:
        value["endpoint"] = endpoint
    if suffix:
        value["endpointSuffix"] = suffix
    return value


_ENV_START = re.compile(r"^(export\s+)?AZURE_STORAGE_[A-Z_]+\s*=")


def _from_environment(text: str) -> str:
    """A ``KEY=VALUE`` block of AZURE_STORAGE_* variables as one connection string."""
    env = parse_env_block(text)
    if not env:
        raise _error("cannot read the AZURE_STORAGE_* variables (expected KEY=VALUE lines)", 0)
    if env.get("AZURE_STORAGE_CONNECTION_STRING"):
        container = env.get("AZURE_STORAGE_CONTAINER") or env.get("AZURE_STORAGE_CONTAINER_NAME")
        extra = f";ContainerName={container}" if container else ""
        return env["AZURE_STORAGE_CONNECTION_STRING"].rstrip(";") + extra
    pairs = {ENV_KEYS[k]: v for k, v in env.items() if k in ENV_KEYS and v}
    if "SharedAccessSignature" in pairs:
        pairs["SharedAccessSignature"] = pairs["SharedAccessSignature"].lstrip("?")
    if not pairs:
        raise _error("no AZURE_STORAGE_ACCOUNT, _KEY, _SAS_TOKEN or _CONNECTION_STRING found", 0)
    return ";".join(f"{key}={value}" for key, value in pairs.items())


# -- connection strings ------------------------------------------------------------------------


def split_settings(text: str) -> dict[str, tuple[str, int]]:
    """``KEY -> (value, offset of the value)``, keys upper-cased, with the SDK's rules."""
    body = text.rstrip(";")
    settings: dict[str, tuple[str, int]] = {}
    offset = 0
    for segment in body.split(";"):
        key, equals, value = segment.partition("=")
        if not equals:
            what = "an empty segment (two ';' in a row)" if not segment.strip() else "a segment"
            raise _error(f"{what} without 'Key=Value'", position=offset)
        name = key.strip()
        if not name:
            raise _error("a segment with an empty key", position=offset)
        lead = value.lstrip()
        settings[name.upper()] = (lead.rstrip(), offset + len(key) + 1 + len(value) - len(lead))
        offset += len(segment) + 1
    return settings


def parse_connection_string(text: str) -> tuple[dict[str, Any], list[str]]:
    """A ``Key=Value;...`` storage connection string -> (value, notes)."""
    settings = split_settings(text)
    notes: list[str] = []
    get = {key: item[0] for key, item in settings.items()}
    if get.get("USEDEVELOPMENTSTORAGE", "").lower() == "true":
        ignored = sorted(set(get) - {"USEDEVELOPMENTSTORAGE", "CONTAINERNAME", "BLOBPREFIX"})
        if ignored:
            notes.append(f"UseDevelopmentStorage=true: ignored {', '.join(ignored)} (as the SDK)")
        dev = dict(DEV_VALUE)
        _set_extensions(dev, get, settings)
        return dev, notes
    for key in sorted(set(get) - KNOWN_KEYS):
        if key not in OTHER_SERVICES:
            notes.append(f"unknown key {key} ignored (at position {settings[key][1]})")
    if "BLOBSECONDARYENDPOINT" in get and "BLOBENDPOINT" not in get:
        key_at = settings["BLOBSECONDARYENDPOINT"][1] - len("BlobSecondaryEndpoint=")
        raise _error(
            "the connection string gives only a secondary blob endpoint (no BlobEndpoint)",
            max(key_at, 0),
            hint="add BlobEndpoint=<the primary endpoint URL>",
        )
    protocol = get.get("DEFAULTENDPOINTSPROTOCOL")
    if protocol is not None and protocol.lower() not in ("http", "https"):
        raise _error(
            "DefaultEndpointsProtocol must be http or https",
            settings["DEFAULTENDPOINTSPROTOCOL"][1],
        )
    account, endpoint = _account_and_endpoint(get, settings, notes)
    value: dict[str, Any] = {"accountName": account, "containerName": ""}
    if get.get("ACCOUNTKEY"):  # an empty AccountKey= is no key, as to_connection_string writes
        key_text, at = settings["ACCOUNTKEY"]
        _check_base64(key_text, "AccountKey", at)
        value["accessKey"] = key_text
    if get.get("ENDPOINTSUFFIX"):
        value["endpointSuffix"] = get["ENDPOINTSUFFIX"]
    set_endpoint(value, endpoint)
    if "SHAREDACCESSSIGNATURE" in get:
        sas, at = settings["SHAREDACCESSSIGNATURE"]
        value["sasToken"] = _check_sas(sas.removeprefix("?"), at)
    _set_extensions(value, get, settings)
    return value, notes


def _account_and_endpoint(
    get: dict[str, str], settings: dict[str, tuple[str, int]], notes: list[str]
) -> tuple[str, str]:
    """The account name and blob endpoint, derived as azure-storage-blob does (module docstring)."""
    account = get.get("ACCOUNTNAME", "")
    protocol = get.get("DEFAULTENDPOINTSPROTOCOL", "").lower()
    suffix = get.get("ENDPOINTSUFFIX", "")
    if suffix:  # a host name's tail: anything else could not be written back unchanged
        at = settings["ENDPOINTSUFFIX"][1]
        check_host(suffix, position=at, type_name=TYPE, what="EndpointSuffix")
    if "BLOBENDPOINT" in get:
        raw, at = settings["BLOBENDPOINT"]
        endpoint = _endpoint_url(raw if "://" in raw else f"https://{raw}", at)
        return account or _account_from_endpoint(endpoint), endpoint
    if not account:
        raise _error(
            "the connection string has neither AccountName nor BlobEndpoint",
            0,
            hint="add AccountName=<account> (or BlobEndpoint=<URL>)",
        )
    if protocol and suffix:
        return account, f"{protocol}://{account}.blob.{suffix}"
    if protocol == "http":
        notes.append(
            "DefaultEndpointsProtocol=http has no effect without EndpointSuffix or "
            "BlobEndpoint (azure-storage-blob uses https)"
        )
    return account, f"https://{account}.blob.{suffix or DEFAULT_SUFFIX}"


def _set_extensions(
    value: dict[str, Any], get: dict[str, str], settings: dict[str, tuple[str, int]]
) -> None:
    if get.get("CONTAINERNAME"):
        value["containerName"] = get["CONTAINERNAME"]
    if get.get("BLOBPREFIX"):
        raw, at = settings["BLOBPREFIX"]
        value["blobPrefix"] = percent_decode(raw, offset=at, what="BlobPrefix")


def _check_base64(text: str, what: str, position: int) -> None:
    try:
        base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise _error(f"{what} is not valid base64", position) from None


def _check_sas(token: str, position: int) -> str:
    """``token`` when it is a SAS a connection string can carry back: named parameters, a
    ``sig``, no ``;`` (the connection string's separator), space or control character."""
    keys = []
    at = position
    for part in token.split("&"):
        key = part.split("=", 1)[0]
        if part and not key:
            raise _error("the SAS token has a parameter with no name", at)
        bad = next((i for i, char in enumerate(part) if char == ";" or not char.isprintable()), -1)
        if bad >= 0 or " " in part:
            where = at + (bad if bad >= 0 else part.index(" "))
            raise _error("the SAS token has a ';', a space or a control character", where)
        keys.append(key)
        at += len(part) + 1
    if "sig" not in keys:
        raise _error("the SAS token has no 'sig' (signature) parameter", position)
    return token


# -- URLs and URIs -----------------------------------------------------------------------------


def parse_url(text: str) -> tuple[dict[str, Any], list[str]]:
    """An http(s) blob URL or an ``az://``-family URI -> (value, notes)."""
    scheme = text.split("://", 1)[0].lower()
    if scheme in URI_SCHEMES:
        return _parse_uri(text, scheme)
    if scheme not in ("http", "https"):
        raise _error(f"unsupported scheme {scheme!r} (expected https, http or az)", 0)
    parts, host, port = _split_url(text, len(scheme) + 3, "URL")
    path_at = text.find(parts.path, len(scheme) + 3) if parts.path else len(text)
    segments = _path_segments(parts.path, path_at)
    if segments:
        _check_name(segments[0], "account or container name", path_at + 1)
    origin = f"{scheme}://{_host_text(host)}{f':{port}' if port else ''}"
    notes: list[str] = []
    matched = _SERVICE_HOST.match(host)
    if is_local_host(host) and not matched:
        if not segments:
            raise _error("an emulator URL needs the account as its first path segment", path_at)
        account = segments.pop(0)
        if segments:
            _check_name(segments[0], "container name", path_at + 1)
        endpoint = f"{origin}/{account}"
    elif matched:
        account = _FEATURE_SUFFIX.sub("", matched["label"])
        endpoint = origin.replace(".dfs.", ".blob.", 1)
    else:
        account = ""
        endpoint = origin
    value = _location_value(account, endpoint, segments, parts.path.endswith("/"))
    if matched and matched["suffix"] != DEFAULT_SUFFIX and not is_local_host(host):
        value["endpointSuffix"] = matched["suffix"]
    _add_query(value, parts.query, notes, text.find("?"))
    return value, notes


def _parse_uri(text: str, scheme: str) -> tuple[dict[str, Any], list[str]]:
    rest = text[len(scheme) + 3 :]
    rest, _, query = rest.partition("?")
    authority, _, path = rest.partition("/")
    container, at, host = authority.partition("@")
    offset = len(scheme) + 3
    if not container:
        raise _error("the URI names no container", offset)
    notes: list[str] = []
    host = host.lower()
    matched = _SERVICE_HOST.match(host)
    suffix = DEFAULT_SUFFIX
    if not at:
        account = ""
    elif matched:
        account, suffix = _FEATURE_SUFFIX.sub("", matched["label"]), matched["suffix"].lower()
    elif host and "." not in host:
        account = host
    else:
        raise _error("expected <container>@<account>[.blob|.dfs.<suffix>]", offset + len(container))
    if at:
        check_host(host, position=offset + len(container) + 1, type_name=TYPE, what="account host")
    if scheme in ("abfs", "wasb"):
        notes.append(f"{scheme}:// is treated as TLS, as adlfs and object_store do")
    endpoint = f"https://{account}.blob.{suffix}" if account else ""
    path_at = offset + len(authority) + 1
    segments = [
        _check_name(
            percent_decode(container, offset=offset, what="container name"),
            "container name",
            offset,
        )
    ]
    segments += _path_segments(path, path_at)
    value = _location_value(account, endpoint, segments, path.endswith("/"))
    value["useSSL"] = True
    if suffix != DEFAULT_SUFFIX:
        value["endpointSuffix"] = suffix
    _add_query(value, query, notes, text.find("?"))
    return value, notes


def _location_value(
    account: str, endpoint: str, segments: list[str], trailing: bool
) -> dict[str, Any]:
    value: dict[str, Any] = {"accountName": account, "containerName": ""}
    if segments:
        value["containerName"] = segments[0]
    value["useSSL"] = not endpoint.startswith("http:")
    if endpoint and endpoint != default_endpoint(account):
        value["endpoint"] = endpoint
    if len(segments) > 1:
        value["blobPrefix"] = "/".join(segments[1:]) + ("/" if trailing else "")
    return value


def _path_segments(path: str, offset: int) -> list[str]:
    segments = []
    position = offset
    for raw in path.split("/"):
        if raw:
            segments.append(percent_decode(raw, offset=position, what="path"))
        position += len(raw) + 1
    return segments


def _add_query(value: dict[str, Any], query: str, notes: list[str], position: int) -> None:
    if not query:
        return
    kept: list[str] = []
    dropped: list[str] = []
    at = position + 1
    for part in query.split("&"):
        key = part.split("=", 1)[0]
        if part and not key:
            raise _error("a query parameter with no name in the URL", at)
        (kept if key in SAS_KEYS else dropped).append(part)
        at += len(part) + 1
    if dropped:
        names = ", ".join(sorted({p.split("=", 1)[0] for p in dropped if p}))
        notes.append(f"query parameters that are not SAS ignored: {names}")
    if kept:
        value["sasToken"] = _check_sas("&".join(kept), position + 1)


def _host_text(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _split_url(text: str, position: int, what: str) -> tuple[SplitResult, str, int | None]:
    """The parts of the URL, its checked host (lower case) and its port; errors do not quote
    the URL (user info)."""
    # urlsplit drops tabs and line breaks (WHATWG), so what it reads is not the text; a URL
    # holds none (RFC 3986)
    if "\t" in text or "\r" in text or "\n" in text:
        blank = min(i for i in (text.find("\t"), text.find("\r"), text.find("\n")) if i >= 0)
        raise _error(f"a tab or line break in the {what}", blank)
    try:
        parts = split_url(text)
        _, at, hostport = parts.netloc.rpartition("@")
        host, port, _ = split_host_port(hostport)
    except (ValueError, ParseError):
        raise _error(f"the {what} has a malformed host or port", position) from None
    if not host:
        raise _error(f"the {what} has no host", position)
    if at:
        raise _error(
            f"credentials inside the {what} are not supported (Azure ignores them)", position
        )
    host = host.lower()  # before the check: 'İ'.lower() is two characters, one not a letter
    check_host(host, position=position, type_name=TYPE, what=f"{what} host")
    return parts, host, port


def _check_name(name: str, what: str, position: int) -> str:
    """A container or account name that a connection string can carry back unchanged."""
    if ";" in name or any(char.isspace() or not char.isprintable() for char in name):
        raise _error(f"the {what} has a ';', a space or a control character", position)
    if "/" in name:  # a decoded %2F: the endpoint could not carry it back
        raise _error(f"the {what} has a '/'", position)
    return name


def _endpoint_url(text: str, position: int) -> str:
    if text.split("://", 1)[0].lower() not in ("http", "https"):
        raise _error("BlobEndpoint must be an http(s) URL with a host", position)
    parts, host, port = _split_url(text, position, "BlobEndpoint")
    host = _host_text(host)
    path = parts.path.rstrip("/")
    return f"{parts.scheme.lower()}://{host}{f':{port}' if port else ''}{path}"


def _account_from_endpoint(endpoint: str) -> str:
    parts = split_url(endpoint)
    host = parts.hostname or ""
    matched = _SERVICE_HOST.match(host)
    if matched:
        return _FEATURE_SUFFIX.sub("", matched["label"])
    segments = [s for s in parts.path.split("/") if s]
    if is_local_host(host) and segments:
        return unquote(segments[0])
    return ""
