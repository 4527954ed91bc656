"""A check that reaches a server of another kind says so (issue 14 item 4).

Every pair of the live servers: a resource of one type pointed at another type's port fails its
check with "port N answered like <kind>, not <expected>", and the servers are told apart by the
probes alone (``connectors.checks.server_kind``).
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest

import connectors
from connectors.checks import server_kind
from connectors.s3.endpoint import endpoint_of

pytestmark = pytest.mark.live

#: the fixture of each live server, and the kind its probes must find
SERVERS = {
    "postgresql": ("live_postgresql_plain", "PostgreSQL"),
    "mongodb": ("live_mongodb", "MongoDB"),
    "redis": ("live_redis", "Redis"),
    "s3": ("live_s3", "S3"),
    "azure_blob": ("live_azure_blob", "Azure Blob Storage"),
}


def address(resource: connectors.Resource) -> tuple[str, int]:
    """The host and TCP port a live resource's server listens on."""
    value = resource.value
    if resource.resource_type == "postgresql":
        return value["host"], value["port"]
    if resource.resource_type == "mongodb":
        server = value["servers"][0]
        return server["host"], server["port"]
    if resource.resource_type == "redis":
        return value["host"], value["port"]
    if resource.resource_type == "s3":
        endpoint = endpoint_of(value)
        return endpoint.host, endpoint.port or 80
    url = urlsplit(value["endpoint"])
    return url.hostname or "", url.port or 80


def pointed_at(type_name: str, host: str, port: int) -> connectors.Resource:
    """A resource of ``type_name`` whose server is ``host:port`` (no TLS)."""
    strings = {
        "postgresql": f"postgresql://app:pw@{host}:{port}/app?sslmode=disable",
        "mongodb": f"mongodb://app:pw@{host}:{port}/app",
        "redis": f"redis://:pw@{host}:{port}/0",
        "s3": f"AWS_ACCESS_KEY_ID=AKIAX\nAWS_SECRET_ACCESS_KEY=x\n"
        f"AWS_ENDPOINT_URL_S3=http://{host}:{port}\nS3_BUCKET=bucket",
        "azure_blob": f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;"
        f"BlobEndpoint=http://{host}:{port}/devstoreaccount1",
    }
    return connectors.parse(strings[type_name], type=type_name)


@pytest.mark.parametrize("server", sorted(SERVERS))
def test_each_live_server_is_told_apart(server, request):
    fixture, kind = SERVERS[server]
    host, port = address(request.getfixturevalue(fixture))
    assert server_kind(host, port, time.monotonic() + 5) == kind


@pytest.mark.parametrize(
    ("checked", "server"),
    [
        (checked, server)
        for checked in sorted(SERVERS)
        for server in sorted(SERVERS)
        if checked != server
    ],
)
def test_a_check_against_another_kind_of_server_says_so(checked, server, request):
    fixture, kind = SERVERS[server]
    host, port = address(request.getfixturevalue(fixture))
    started = time.monotonic()
    result = connectors.check(pointed_at(checked, host, port), timeout=8)
    assert time.monotonic() - started < 8.5
    assert not result.ok
    expected = SERVERS[checked][1]
    assert result.failed_step.detail == f"port {port} answered like {kind}, not {expected}"


@pytest.mark.parametrize("server", sorted(SERVERS))
def test_the_right_kind_of_server_passes_the_probe(server, request):
    resource = request.getfixturevalue(SERVERS[server][0])
    result = connectors.check(resource, timeout=10)
    assert "answered like" not in " ".join(step.detail for step in result.steps)
