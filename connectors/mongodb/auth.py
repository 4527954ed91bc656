"""MongoDB credentials from a parsed connection string, by the rules of the auth spec.

A credential is configured when the string has a user name or an ``authMechanism``
(``authSource`` alone does not enable authentication). The authentication database
defaults per mechanism: SCRAM (and no mechanism) -> ``authSource``, else the URI database,
else ``admin``; PLAIN -> the same with ``$external`` last; GSSAPI, MONGODB-X509,
MONGODB-AWS and MONGODB-OIDC -> ``$external`` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connectors.errors import ParseError
from connectors.mongodb.parser import TYPE_NAME, ParsedURI

MECHANISMS = (
    "SCRAM-SHA-1",
    "SCRAM-SHA-256",
    "PLAIN",
    "GSSAPI",
    "MONGODB-X509",
    "MONGODB-AWS",
    "MONGODB-OIDC",
)
EXTERNAL = "$external"
_EXTERNAL_ONLY = frozenset({"GSSAPI", "MONGODB-X509", "MONGODB-AWS", "MONGODB-OIDC"})
_GSSAPI_PROPERTIES = frozenset(
    {"SERVICE_NAME", "CANONICALIZE_HOST_NAME", "SERVICE_REALM", "SERVICE_HOST"}
)
_CANONICALIZE = frozenset({"true", "false", "none", "forward", "forwardAndReverse"})
_OIDC_ENVIRONMENTS = frozenset({"test", "azure", "gcp", "k8s"})


@dataclass(frozen=True)
class Credential:
    """What the driver authenticates with (the auth suite's ``credential`` shape)."""

    username: str | None
    password: str | None
    source: str
    mechanism: str | None
    mechanism_properties: dict[str, str] | None

    def as_dict(self) -> dict[str, Any]:
        """The credential as the auth test suite writes it."""
        return {
            "username": self.username,
            "password": self.password,
            "source": self.source,
            "mechanism": self.mechanism,
            "mechanism_properties": self.mechanism_properties,
        }


def _error(message: str) -> ParseError:
    """A ParseError of the mongodb type (credential errors have no single position)."""
    return ParseError(message, type_name=TYPE_NAME)


def default_source(mechanism: str | None, database: str | None) -> str:
    """The authentication database the spec implies when ``authSource`` is not given."""
    if mechanism in _EXTERNAL_ONLY:
        return EXTERNAL
    if mechanism == "PLAIN":
        return database or EXTERNAL
    return database or "admin"


def build_credential(parsed: ParsedURI) -> tuple[Credential | None, list[str]]:
    """The credential and the advice it implies; a ParseError for what the auth spec forbids."""
    options = parsed.options
    mechanism = options.get("authMechanism")
    username, password = parsed.username, parsed.password
    if mechanism is None and username is None:
        return None, []
    if mechanism is not None and mechanism not in MECHANISMS:
        raise _error(f"unsupported authMechanism {mechanism!r} (known: {', '.join(MECHANISMS)})")
    source = options.get("authSource")
    if mechanism in _EXTERNAL_ONLY and source not in (None, EXTERNAL):
        raise _error(f"{mechanism} authenticates against $external only, not authSource {source!r}")
    if source is None:
        source = default_source(mechanism, parsed.database)
    properties: dict[str, str] | None = options.get("authMechanismProperties")
    notes: list[str] = []
    label = mechanism or "the default mechanism (SCRAM)"
    if mechanism in (None, "SCRAM-SHA-1", "SCRAM-SHA-256", "PLAIN", "GSSAPI") and not username:
        raise _error(f"{label} needs a user name")
    if mechanism in (None, "SCRAM-SHA-1", "SCRAM-SHA-256", "PLAIN") and password is None:
        notes.append(f"no password given: {label} will fail until one is set")
    if mechanism == "GSSAPI":
        properties = _gssapi_properties(properties)
    elif mechanism == "MONGODB-X509" and password is not None:
        raise _error("MONGODB-X509 takes no password (the client certificate authenticates)")
    elif mechanism == "MONGODB-AWS":
        _check_aws(username, password, properties)
    elif mechanism == "MONGODB-OIDC":
        _check_oidc(username, password, properties)
    credential = Credential(username, password, source, mechanism, properties)
    return credential, notes


def _gssapi_properties(properties: dict[str, str] | None) -> dict[str, str]:
    """GSSAPI properties with the default SERVICE_NAME; unknown names are an error."""
    result = {"SERVICE_NAME": "mongodb", **(properties or {})}
    unknown = sorted(set(result) - _GSSAPI_PROPERTIES)
    if unknown:
        raise _error(f"unknown GSSAPI authMechanismProperties: {', '.join(unknown)}")
    canonicalize = result.get("CANONICALIZE_HOST_NAME")
    if canonicalize is not None and canonicalize not in _CANONICALIZE:
        raise _error(f"invalid CANONICALIZE_HOST_NAME (expected one of {sorted(_CANONICALIZE)})")
    return result


def _check_aws(username: str | None, password: str | None, props: dict[str, str] | None) -> None:
    """MONGODB-AWS takes its credentials from the AWS environment, never from the string."""
    if username is not None or password is not None:
        raise _error(
            "MONGODB-AWS takes no user name or password in the string "
            "(credentials come from the AWS environment)"
        )
    if props and "AWS_SESSION_TOKEN" in props:
        raise _error("MONGODB-AWS takes no AWS_SESSION_TOKEN in the string")


def _check_oidc(username: str | None, password: str | None, props: dict[str, str] | None) -> None:
    """MONGODB-OIDC: an ENVIRONMENT, TOKEN_RESOURCE exactly for azure/gcp, a user only for azure."""
    if password is not None:
        raise _error("MONGODB-OIDC takes no password")
    props = props or {}
    unknown = sorted(set(props) - {"ENVIRONMENT", "TOKEN_RESOURCE"})
    if unknown:
        raise _error(f"unknown MONGODB-OIDC authMechanismProperties: {', '.join(unknown)}")
    environment = props.get("ENVIRONMENT")
    if environment is None:
        raise _error(
            "MONGODB-OIDC in a connection string needs authMechanismProperties ENVIRONMENT"
        )
    if environment not in _OIDC_ENVIRONMENTS:
        raise _error(f"invalid OIDC ENVIRONMENT (expected one of {sorted(_OIDC_ENVIRONMENTS)})")
    needs_resource = environment in ("azure", "gcp")
    if needs_resource and "TOKEN_RESOURCE" not in props:
        raise _error(f"MONGODB-OIDC ENVIRONMENT:{environment} needs TOKEN_RESOURCE")
    if not needs_resource and "TOKEN_RESOURCE" in props:
        raise _error(f"MONGODB-OIDC ENVIRONMENT:{environment} takes no TOKEN_RESOURCE")
    if username is not None and environment != "azure":
        raise _error(f"MONGODB-OIDC ENVIRONMENT:{environment} takes no user name")
