"""``azure_blob`` values: constants, canonical form, account URL, notes and connection strings.

Shared by the parser (connectors.azure_blob.parser), the client, the check and the object
store. ``endpoint`` is kept in a value only when it is not ``https://<account>.blob.core.windows.net``
(or when a sovereign ``endpointSuffix`` is named, so Windmill, which ignores the suffix, still
reaches the right host).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import quote, unquote

from connectors.errors import Problem, ValidationError
from connectors.parsing import split_url

TYPE = "azure_blob"
DEFAULT_SUFFIX = "core.windows.net"
DEV_ACCOUNT = "devstoreaccount1"
DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
DEV_ENDPOINT = f"http://127.0.0.1:10000/{DEV_ACCOUNT}"
#: the value ``UseDevelopmentStorage=true`` stands for
DEV_VALUE: dict[str, Any] = {
    "accountName": DEV_ACCOUNT,
    "containerName": "",
    "accessKey": DEV_KEY,
    "useSSL": False,
    "endpoint": DEV_ENDPOINT,
}
FIELD_ORDER = (
    "accountName",
    "containerName",
    "accessKey",
    "useSSL",
    "endpoint",
    "sasToken",
    "endpointSuffix",
    "blobPrefix",
)
#: hosts that are Azurite (or a local emulator) and use IP-style URLs: /<account>/<container>
_LOCAL_HOSTS = ("localhost", "host.docker.internal", "azurite")
_ACCOUNT_NAME = re.compile(r"^[a-z0-9]{3,24}$")
#: what ipaddress.IPv4Address reads: four decimal octets 0-255, no leading zeros
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")


def is_local_host(host: str) -> bool:
    """Whether ``host`` (lower case) is an IP address or an emulator's name like ``localhost``.

    Such hosts take IP-style URLs, ``/<account>/<container>``, as Azurite does.
    """
    if host in _LOCAL_HOSTS or host.endswith(".localhost"):
        return True
    if _IPV4.fullmatch(host):
        return True
    if ":" not in host:  # not IPv6 either
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def default_endpoint(account: str) -> str:
    """The public-cloud blob endpoint of ``account``, which a value leaves out."""
    return f"https://{account}.blob.{DEFAULT_SUFFIX}"


def set_endpoint(value: dict[str, Any], endpoint: str) -> None:
    """Store ``endpoint`` and ``useSSL`` canonically: ``endpoint`` is left out only when it is
    ``https://<account>.blob.core.windows.net`` and no other suffix is named."""
    value.pop("endpoint", None)
    value["useSSL"] = endpoint.startswith("https:")
    suffix = value.get("endpointSuffix") or DEFAULT_SUFFIX
    if endpoint != default_endpoint(value.get("accountName", "")) or suffix != DEFAULT_SUFFIX:
        value["endpoint"] = endpoint


def account_url(value: dict[str, Any]) -> str:
    """The blob service URL of a value (what ``BlobServiceClient`` takes)."""
    if value.get("endpoint"):
        return str(value["endpoint"]).rstrip("/")
    scheme = "https" if value.get("useSSL", True) else "http"
    return f"{scheme}://{value['accountName']}.blob.{value.get('endpointSuffix') or DEFAULT_SUFFIX}"


def sas_parameters(token: str) -> dict[str, str]:
    """The decoded parameters of a SAS token."""
    pairs = (part.split("=", 1) for part in token.lstrip("?").split("&") if part)
    return {pair[0]: unquote(pair[1]) if len(pair) > 1 else "" for pair in pairs}


def is_local_endpoint(endpoint: str) -> bool:
    """Whether the URL ``endpoint`` points at a local emulator (false when it is malformed)."""
    try:
        host = split_url(endpoint).hostname or ""
    except ValueError:  # a value given by hand may hold anything
        return False
    return is_local_host(host.lower())


def provider_of(value: dict[str, Any]) -> str:
    """``azurite`` for the development account or a local endpoint, else ``azure``."""
    endpoint = value.get("endpoint") or ""
    if value.get("accountName") == DEV_ACCOUNT or (endpoint and is_local_endpoint(endpoint)):
        return "azurite"
    return "azure"


def value_notes(value: dict[str, Any], provider: str) -> list[str]:
    """Advice that follows from a value alone; ``provider`` is ``provider_of(value)``."""
    notes = []
    account = value.get("accountName")
    if not account:
        notes.append(
            "the account name is unknown (custom domain or URI without it): set accountName"
        )
    if provider == "azurite" and value.get("accessKey") == DEV_KEY:
        notes.append("Azurite's well-known development account (devstoreaccount1)")
    if account and not _ACCOUNT_NAME.match(account):
        notes.append("storage account names are 3-24 lowercase letters and digits")
    if not value.get("containerName"):
        notes.append("no container named: set containerName before using objects")
    sas = value.get("sasToken")
    if sas:
        params = sas_parameters(sas)
        if "se" in params:
            notes.append(f"the SAS token expires at {params['se']}")
        if "srt" not in params:
            notes.append("service SAS: scoped to one container or blob, no account operations")
    elif not value.get("accessKey"):
        notes.append("no credential: anonymous (public read) access only")
    return notes


def to_connection_string(value: dict[str, Any]) -> str:
    """A storage connection string; ``parse`` of it gives ``value`` back.

    ``ContainerName`` and ``BlobPrefix`` are this package's extension keys (the Azure SDKs
    ignore unknown keys); ``BlobPrefix`` is percent-encoded.
    """
    base = {k: v for k, v in value.items() if k not in ("containerName", "blobPrefix")}
    parts: list[str] = []
    if base == {k: v for k, v in DEV_VALUE.items() if k != "containerName"}:
        parts.append("UseDevelopmentStorage=true")
    else:
        account = value.get("accountName", "")
        if not account and not value.get("endpoint"):
            problem = Problem("/accountName", "a connection string needs accountName or endpoint")
            raise ValidationError(TYPE, [problem])
        endpoint = account_url(value)
        suffix = value.get("endpointSuffix")
        scheme = endpoint.split("://", 1)[0]
        parts.append(f"DefaultEndpointsProtocol={scheme}")
        if account:
            parts.append(f"AccountName={account}")
        if value.get("accessKey"):
            parts.append(f"AccountKey={value['accessKey']}")
        if suffix:
            parts.append(f"EndpointSuffix={suffix}")
        derived = f"{scheme}://{account}.blob.{suffix}" if suffix else default_endpoint(account)
        if endpoint != derived or not account:
            parts.append(f"BlobEndpoint={endpoint}")
        if value.get("sasToken"):
            parts.append(f"SharedAccessSignature={value['sasToken']}")
    if value.get("containerName"):
        parts.append(f"ContainerName={value['containerName']}")
    if value.get("blobPrefix"):
        parts.append(f"BlobPrefix={quote(value['blobPrefix'], safe='/')}")
    return ";".join(parts)
