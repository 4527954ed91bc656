"""The MySQL vendors recognised by host name, with what each one's strings imply."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Provider:
    name: str
    pattern: re.Pattern[str]
    #: the vendor refuses connections without TLS
    tls_required: bool
    notes: tuple[str, ...]


PROVIDERS = (
    Provider(
        "planetscale",
        re.compile(r"(^|\.)psdb\.cloud$"),
        True,
        (
            "PlanetScale requires TLS with a verified certificate (ssl_mode VERIFY_IDENTITY; "
            "the system CA store is enough)",
            "PlanetScale passwords (pscale_pw_...) belong to one branch and one role: a "
            "password made for another branch fails to log in; the user name comes with it",
        ),
    ),
    Provider(
        "aiven",
        re.compile(r"\.aivencloud\.com$"),
        True,
        (
            "Aiven requires TLS; to verify the server, download the project's CA certificate "
            "from the console into root_certificate_pem",
        ),
    ),
    Provider(
        "aws",
        re.compile(r"\.rds\.amazonaws\.com(\.cn)?$"),
        False,
        (
            "AWS RDS / Aurora: TLS is optional unless require_secure_transport is set; to "
            "verify, use the RDS CA bundle (global-bundle.pem) as root_certificate_pem",
        ),
    ),
    Provider(
        "azure",
        re.compile(r"\.mysql\.database\.azure\.com$"),
        True,
        ("Azure Database for MySQL requires TLS by default (require_secure_transport=ON)",),
    ),
    Provider(
        "digitalocean",
        re.compile(r"\.db\.ondigitalocean\.com$"),
        True,
        (
            "DigitalOcean managed MySQL requires TLS (ssl-mode=REQUIRED) and listens on port "
            "25060; its CA certificate is on the cluster's page",
        ),
    ),
)


def identify(value: dict[str, Any]) -> Provider | None:
    host = str(value.get("host") or "").lower().rstrip(".")
    return next((p for p in PROVIDERS if p.pattern.search(host)), None)


def provider_notes(provider: Provider, value: dict[str, Any]) -> list[str]:
    """The provider's notes plus what this value says about it (Aurora, Azure user names)."""
    notes = list(provider.notes)
    host = str(value.get("host") or "").lower()
    user = str(value.get("user") or "")
    if provider.name == "aws" and ".cluster-ro-" in host:
        notes.append("an Aurora reader endpoint: connections are read-only")
    elif provider.name == "aws" and ".cluster-" in host:
        notes.append("an Aurora cluster (writer) endpoint")
    if provider.name == "azure":
        server = host.split(".", 1)[0]
        if "@" in user:
            notes.append(
                "Azure Single Server user name form user@server kept as given; Flexible "
                "Server takes the plain user name"
            )
            if user.rsplit("@", 1)[1].lower() != server:
                notes.append(f"the user name's server part is not the host's server {server!r}")
        else:
            notes.append(
                "Azure Flexible Server takes the plain user name; a Single Server (retired) "
                f"needed user@{server}"
            )
    return notes


def looks_like_provider(text: str) -> bool:
    """Whether a provider's host name appears in ``text`` (cheap, for detection)."""
    lowered = text.lower()
    return any(
        marker in lowered
        for marker in (
            "psdb.cloud",
            ".aivencloud.com",
            ".rds.amazonaws.com",
            ".mysql.database.azure.com",
            ".db.ondigitalocean.com",
        )
    )
