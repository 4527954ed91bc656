"""The MongoDB URI options table (the uri-options spec) and the conversion of each option's value.

Every option of the spec's table is here with its type. ``convert(name, raw)`` turns the
percent-decoded text of a value into the typed value, or returns ``INVALID`` with the reason
(the spec says an invalid value is ignored with a warning, never an error). Names are matched
case-insensitively through ``CANONICAL`` and kept in the table's canonical spelling.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connectors.parsing import whole_number

INT32_MAX = 2**31 - 1


class _Invalid:
    """The type of ``INVALID``, a marker that reads well in reprs."""

    def __repr__(self) -> str:
        return "INVALID"


#: returned by a converter for a value the option does not accept
INVALID: Any = _Invalid()

Converter = Callable[[str], Any]


def _boolean(raw: str) -> Any:
    lowered = raw.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    return INVALID


def _integer(check: Callable[[int], bool]) -> Converter:
    def convert(raw: str) -> Any:
        number = whole_number(raw, signed=True)
        if number is None or not -INT32_MAX - 1 <= number <= INT32_MAX or not check(number):
            return INVALID
        return number

    return convert


def _string(raw: str) -> Any:
    return raw


def _choice(*allowed: str) -> Converter:
    def convert(raw: str) -> Any:
        return raw if raw in allowed else INVALID

    return convert


def _pairs(raw: str) -> Any:
    """``k1:v1,k2:v2`` (split on ``,`` then the first ``:``), as authMechanismProperties."""
    result: dict[str, str] = {}
    for item in raw.split(","):
        key, sep, value = item.partition(":")
        if not sep or not key:
            return INVALID
        result[key] = value
    return result


def _tags(raw: str) -> Any:
    """One readPreferenceTags tag set; the empty string is the empty set (matches any)."""
    if raw == "":
        return {}
    return _pairs(raw)


_COMPRESSORS = ("snappy", "zlib", "zstd")


def _compressors(raw: str) -> Any:
    """A comma-separated list of known compressors (empty names skipped)."""
    names = [name for name in raw.split(",") if name]
    if not names or any(name not in _COMPRESSORS for name in names):
        return INVALID
    return names


def _write_concern(raw: str) -> Any:
    """``w``: a non-negative number of nodes, or a tag name such as ``majority``."""
    if raw.isascii() and raw.removeprefix("-").isdigit():
        number = whole_number(raw, signed=True)
        return number if number is not None and 0 <= number <= INT32_MAX else INVALID
    return raw if raw else INVALID


_READ_PREFERENCES = ("primary", "primaryPreferred", "secondary", "secondaryPreferred", "nearest")
_MONITORING_MODES = ("stream", "poll", "auto")
_non_negative = _integer(lambda n: n >= 0)
_positive = _integer(lambda n: n > 0)

#: canonical name -> converter, in the spec table's order
OPTIONS: dict[str, Converter] = {
    "appname": _string,
    "authMechanism": _string,
    "authMechanismProperties": _pairs,
    "authSource": _string,
    "compressors": _compressors,
    "connectTimeoutMS": _non_negative,
    "directConnection": _boolean,
    "heartbeatFrequencyMS": _integer(lambda n: n >= 500),
    "journal": _boolean,
    "loadBalanced": _boolean,
    "localThresholdMS": _non_negative,
    "maxIdleTimeMS": _non_negative,
    "maxPoolSize": _non_negative,
    "maxConnecting": _positive,
    "maxStalenessSeconds": _integer(lambda n: n == -1 or n >= 90),
    "minPoolSize": _non_negative,
    "proxyHost": _string,
    "proxyPort": _integer(lambda n: 0 <= n <= 65535),
    "proxyUsername": _string,
    "proxyPassword": _string,
    "readConcernLevel": _string,
    "readPreference": _choice(*_READ_PREFERENCES),
    "readPreferenceTags": _tags,
    "replicaSet": _string,
    "retryReads": _boolean,
    "retryWrites": _boolean,
    "serverMonitoringMode": _choice(*_MONITORING_MODES),
    "serverSelectionTimeoutMS": _positive,
    "serverSelectionTryOnce": _boolean,
    "socketTimeoutMS": _non_negative,
    "srvMaxHosts": _non_negative,
    "srvServiceName": _string,
    "tls": _boolean,
    "tlsAllowInvalidCertificates": _boolean,
    "tlsAllowInvalidHostnames": _boolean,
    "tlsCAFile": _string,
    "tlsCertificateKeyFile": _string,
    "tlsCertificateKeyFilePassword": _string,
    "tlsDisableCertificateRevocationCheck": _boolean,
    "tlsDisableOCSPEndpointCheck": _boolean,
    "tlsInsecure": _boolean,
    "w": _write_concern,
    "waitQueueTimeoutMS": _positive,
    "wTimeoutMS": _non_negative,
    "zlibCompressionLevel": _integer(lambda n: -1 <= n <= 9),
    "timeoutMS": _non_negative,
    # client backpressure (client-backpressure-options tests)
    "maxAdaptiveRetries": _non_negative,
    "enableOverloadRetargeting": _boolean,
}

#: ``ssl`` is the spec's alias of ``tls``; it is stored as ``tls``
ALIASES = {"ssl": "tls"}

#: lower-cased name (and alias) -> canonical name
CANONICAL: dict[str, str] = {name.lower(): name for name in OPTIONS} | ALIASES

#: options given as several instances that accumulate into a list
LIST_OPTIONS = frozenset({"readPreferenceTags"})

#: options a repeated instance of which is an error, not a warning (SOCKS5 spec)
NO_REPEAT = frozenset({"proxyHost", "proxyPort", "proxyUsername", "proxyPassword"})

#: pairs of TLS options that must not both appear (uri-options spec, "Conflicting TLS options")
TLS_CONFLICTS = (
    ("tlsInsecure", "tlsAllowInvalidCertificates"),
    ("tlsInsecure", "tlsAllowInvalidHostnames"),
    ("tlsInsecure", "tlsDisableOCSPEndpointCheck"),
    ("tlsInsecure", "tlsDisableCertificateRevocationCheck"),
    ("tlsAllowInvalidCertificates", "tlsDisableOCSPEndpointCheck"),
    ("tlsAllowInvalidCertificates", "tlsDisableCertificateRevocationCheck"),
    ("tlsDisableOCSPEndpointCheck", "tlsDisableCertificateRevocationCheck"),
)

#: options whose value is a secret (masked in notes, marked in the schema)
SECRET_OPTIONS = frozenset({"proxyPassword", "tlsCertificateKeyFilePassword"})


def convert(name: str, raw: str) -> Any:
    """The typed value of canonical option ``name`` for the decoded text ``raw``, or INVALID."""
    return OPTIONS[name](raw)


def render(name: str, value: Any) -> list[str]:
    """The text of each URI instance of option ``name`` (not yet percent-encoded)."""
    if name == "readPreferenceTags":
        return [",".join(f"{k}:{v}" for k, v in tags.items()) for tags in value]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, dict):
        return [",".join(f"{k}:{v}" for k, v in value.items())]
    if isinstance(value, list):
        return [",".join(str(item) for item in value)]
    return [str(value)]


def _json_type(name: str) -> dict[str, Any]:
    """The JSON Schema type of option ``name``, read from its converter."""
    converter = OPTIONS[name]
    if converter is _boolean:
        return {"type": "boolean"}
    if converter is _string:
        return {"type": "string"}
    if converter is _pairs:
        return {"type": "object", "additionalProperties": {"type": "string"}}
    if converter is _tags:
        pairs = {"type": "object", "additionalProperties": {"type": "string"}}
        return {"type": "array", "items": pairs}
    if converter is _compressors:
        return {"type": "array", "items": {"type": "string", "enum": list(_COMPRESSORS)}}
    if converter is _write_concern:
        return {"type": ["integer", "string"], "minimum": 0}
    if name == "readPreference":
        return {"type": "string", "enum": list(_READ_PREFERENCES)}
    if name == "serverMonitoringMode":
        return {"type": "string", "enum": list(_MONITORING_MODES)}
    return {"type": "integer", **_INTEGER_BOUNDS.get(name, {"minimum": 0})}


_INTEGER_BOUNDS: dict[str, dict[str, int]] = {
    "heartbeatFrequencyMS": {"minimum": 500},
    "maxConnecting": {"minimum": 1},
    "maxStalenessSeconds": {"minimum": -1},
    "proxyPort": {"minimum": 0, "maximum": 65535},
    "serverSelectionTimeoutMS": {"minimum": 1},
    "waitQueueTimeoutMS": {"minimum": 1},
    "zlibCompressionLevel": {"minimum": -1, "maximum": 9},
}


def options_schema() -> dict[str, Any]:
    """The JSON Schema of the ``options`` extension field: every option of the table, typed."""
    properties: dict[str, Any] = {}
    for name in OPTIONS:
        if name in ("tls", "authMechanism"):
            continue  # kept in the value's ``tls`` and ``credential.mechanism``
        prop = _json_type(name)
        if name in SECRET_OPTIONS:
            prop["password"] = True
        properties[name] = prop
    return {
        "type": "object",
        "description": "Extension: the other URI options (uri-options spec names and types); "
        "authSource is here only when no credential is configured",
        "properties": properties,
        "additionalProperties": False,
    }
