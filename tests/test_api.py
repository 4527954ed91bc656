"""parse / validate / detect: the type-independent behaviour."""

from __future__ import annotations

import pytest

import connectors
from connectors import Connector, Match, ParseError, ValidationError
from connectors.plugins import get_registry


def test_empty_string_is_a_parse_error():
    with pytest.raises(ParseError, match="empty connection string"):
        connectors.parse("   ")


def test_unknown_string_lists_the_known_types():
    with pytest.raises(ParseError) as info:
        connectors.parse("ftp://example.com")
    assert isinstance(info.value, ValueError)
    for name in ("postgresql", "mongodb", "redis", "upstash_redis", "s3", "azure_blob"):
        assert name in str(info.value)


class _Twin(Connector):
    description = "test double"
    schema = {"type": "object"}

    def __init__(self, name: str) -> None:
        self.name = name

    def detect(self, text: str) -> int:
        return Match.SCHEME if text.startswith("twin://") else Match.NONE


def test_ambiguous_string_names_every_candidate(monkeypatch):
    registry = get_registry()
    monkeypatch.setitem(registry.connectors, "twin_a", _Twin("twin_a"))
    monkeypatch.setitem(registry.connectors, "twin_b", _Twin("twin_b"))
    with pytest.raises(ParseError, match="ambiguous: could be twin_a, twin_b"):
        connectors.parse("twin://x")


def test_detection_prefers_the_most_specific_type():
    ranked = dict(connectors.api.detect("rediss://default:tok@eu1-fine-cat-123.upstash.io:6379"))
    assert ranked["upstash_redis"] > ranked["redis"]


def test_validate_reports_every_problem_with_its_pointer():
    with pytest.raises(ValidationError) as info:
        connectors.validate(
            "mongodb", {"servers": [{"host": 1, "port": "x"}], "tls": "yes", "credential": []}
        )
    pointers = [p.pointer for p in info.value.problems]
    assert pointers == ["/credential", "/servers/0/host", "/servers/0/port", "/tls"]
    assert "/servers/0/port: 'x' is not of type 'integer'" in str(info.value)


def test_validation_errors_never_show_a_secret_value():
    with pytest.raises(ValidationError) as info:
        connectors.validate("postgresql", {"host": "h", "password": ["hunter2-secret"]})
    with pytest.raises(ValidationError) as info2:
        connectors.validate("s3", {"bucket": "b", "secretKey": 12345678})
    assert "hunter2-secret" not in str(info.value)
    assert "12345678" not in str(info2.value)
    assert info2.value.problems[0].pointer == "/secretKey"


def test_validate_returns_a_normalised_copy():
    value = {"host": "h", "port": 5432, "sslmode": "prefer"}
    out = connectors.validate("postgresql", value)
    assert out == value and out is not value


def test_resource_types_have_names_schemas_and_secret_fields():
    by_name = {rt.name: rt for rt in connectors.resource_types()}
    assert "password" in by_name["postgresql"].secret_fields
    assert "credential.password" in by_name["mongodb"].secret_fields
    assert by_name["upstash_redis"].secret_fields == ("token",)
    for rt in by_name.values():
        assert rt.schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_error_positions_count_in_the_text_as_given():
    with pytest.raises(ParseError) as bare:
        connectors.parse("postgresql://h/d%zzb")
    with pytest.raises(ParseError) as padded:
        connectors.parse("   postgresql://h/d%zzb")
    assert bare.value.position is not None
    assert padded.value.position == bare.value.position + 3
    assert f"(at position {padded.value.position})" in str(padded.value)
