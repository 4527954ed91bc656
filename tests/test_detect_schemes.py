"""``Connector.url_schemes``: auto-detection skips a connector for a URL of another scheme only
where its ``detect`` would have said no anyway."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, strategies as st

import connectors
from connectors.api import detect
from connectors.connector import Connector, Match
from connectors.parsing import leading_key, url_scheme
from connectors.plugins import PluginWarning, get_registry

EXTRA_SCHEMES = ("ftp", "jdbc", "mysql+pymysql", "postgresql+psycopg", "mongodb+srv", "S3", "REDIS")


def texts() -> list[str]:
    """Every example of every connector, and its rest written after every scheme in use."""
    registry = get_registry()
    schemes = set(EXTRA_SCHEMES)
    for connector in registry.connectors.values():
        schemes.update(connector.url_schemes or ())
    found = []
    for connector in registry.connectors.values():
        for example in connector.examples:
            found.append(example)
            _, sep, rest = example.partition("://")
            if sep:
                found += [f"{scheme}://{rest}" for scheme in sorted(schemes)]
    return found


def test_a_connector_skipped_for_its_scheme_would_not_have_claimed_the_text() -> None:
    checked = 0
    for text in texts():
        scheme = url_scheme(text)
        if scheme is None:
            continue
        base = scheme.partition("+")[0]
        for connector in get_registry().connectors.values():
            if connector.url_schemes is not None and base not in connector.url_schemes:
                assert connector.detect(text) == Match.NONE, (connector.name, text)
                checked += 1
    assert checked > 500


def test_detection_still_finds_each_family() -> None:
    assert detect("postgresql+psycopg://u@h/d") == [("postgresql", Match.SCHEME)]
    assert detect("mongodb+srv://u:p@c.ab1cd.mongodb.net/shop")[0][0] == "mongodb"
    assert connectors.parse("cockroach://u@h:26257/d").provider == "cockroachdb"
    assert detect("unix:///run/redis.sock?db=2") == [("redis", Match.SCHEME)]


def test_another_familys_url_naming_upstash_is_not_upstash() -> None:
    # found by tests/default_plugins/test_postgresql_parse.py::test_round_trip_uri
    text = "postgresql://:5432?sslmode=prefer&application_name=UPSTASH_REDIS_"
    assert connectors.parse(text).resource_type == "postgresql"


def test_every_s3_variable_holds_a_word_the_detector_looks_for_first() -> None:
    from connectors.s3.variables import KNOWN_VARS, VAR_WORDS

    assert [name for name in KNOWN_VARS if not any(word in name for word in VAR_WORDS)] == []


def test_every_s3_word_but_bucket_holds_the_character_looked_for_first() -> None:
    from connectors.s3.variables import VAR_WORDS

    assert [word for word in VAR_WORDS if "_" not in word] == ["BUCKET"]


class _Declares(Connector):
    """A test connector that claims every text and declares its schemes as it is told."""

    description = "test double"
    schema = {"type": "object"}

    def __init__(self, name: str, schemes: object) -> None:
        self.name = name
        self._schemes = schemes

    @property
    def url_schemes(self) -> frozenset[str] | None:  # type: ignore[override]
        if isinstance(self._schemes, Exception):
            raise self._schemes
        return self._schemes  # type: ignore[return-value]

    def detect(self, text: str) -> int:
        return Match.GENERIC


def test_connectors_are_asked_by_the_schemes_they_declare(monkeypatch) -> None:
    registry = get_registry()
    monkeypatch.setattr(registry, "problems", list(registry.problems))  # the warning: this test's
    monkeypatch.setitem(registry.connectors, "any_scheme", _Declares("any_scheme", None))
    monkeypatch.setitem(registry.connectors, "only_x", _Declares("only_x", frozenset({"x"})))
    monkeypatch.setitem(registry.connectors, "failing", _Declares("failing", RuntimeError("no")))
    with pytest.warns(PluginWarning):
        asked = dict(detect("x://h"))
    assert "any_scheme" in asked and "only_x" in asked and "failing" not in asked
    asked = dict(detect("postgresql://h/d"))
    assert "any_scheme" in asked and "only_x" not in asked and "failing" not in asked
    assert asked["postgresql"] == Match.SCHEME
    asked = dict(detect("not a url"))  # a text without a scheme is shown to every connector
    assert {"any_scheme", "only_x", "failing"} <= set(asked)
    monkeypatch.delitem(registry.connectors, "only_x")  # the table follows the registry
    assert "only_x" not in dict(detect("x://h"))


#: what leading_key answers, written as a regular expression
LEADING_KEY = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=")


@given(st.text(alphabet=st.sampled_from("aZ9_-= ;:/\té"), max_size=12))
def test_leading_key_answers_as_the_pattern(text: str) -> None:
    match = LEADING_KEY.match(text)
    assert leading_key(text) == (match[1].upper() if match else None)
    leading_key("another=text")
    assert leading_key(text) == (match[1].upper() if match else None)  # from what it saw


class _Keys(Connector):
    """A test connector that claims every text and declares the keys it is told."""

    description = "test double"
    schema = {"type": "object"}

    def __init__(self, name: str, keys: frozenset[str] | None) -> None:
        self.name = name
        self.text_keys = keys  # type: ignore[misc]

    def detect(self, text: str) -> int:
        return Match.GENERIC


def test_connectors_are_asked_by_the_first_key_they_declare(monkeypatch) -> None:
    registry = get_registry()
    monkeypatch.setitem(registry.connectors, "any_key", _Keys("any_key", None))
    monkeypatch.setitem(registry.connectors, "only_x", _Keys("only_x", frozenset({"X"})))
    monkeypatch.setitem(registry.connectors, "no_key", _Keys("no_key", frozenset()))
    asked = dict(detect("x = 1;AccountName=a"))  # the first key decides, in any case
    assert {"any_key", "only_x"} <= set(asked) and "no_key" not in asked
    assert "azure_blob" not in asked
    asked = dict(detect("AccountName=a;x=1"))
    assert {"any_key", "azure_blob"} <= set(asked) and not {"only_x", "no_key"} & set(asked)
    asked = dict(detect("nobody_names_this=1;AccountName=a"))  # shown to every type
    assert {"any_key", "only_x", "no_key", "azure_blob"} <= set(asked)
    asked = dict(detect("export X=1"))  # not KEY=: every type
    assert {"any_key", "only_x", "no_key"} <= set(asked)


def routed_and_asked_of_all(text: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """``detect(text)``, and what every type's detect says (sorted as detect sorts)."""
    everyone = []
    for name, connector in get_registry().connectors.items():
        score = connector.detect(text)
        if score > Match.NONE:
            everyone.append((name, score))
    everyone.sort(key=lambda pair: (-pair[1], pair[0]))
    return detect(text), everyone


def test_a_keyed_text_is_detected_by_the_types_its_first_key_admits() -> None:
    """Over the fuzz corpus and its mutations: what detect says is what every type's detect
    says, less the types whose ``text_keys`` leave out the text's first key."""
    import random

    from connectors.testing.fuzz import corpus, mutate

    connectors_ = get_registry().connectors
    rng = random.Random(18)
    texts = corpus()
    texts += [mutate(rng.choice(texts), rng, texts) for _ in range(4000)]
    checked = narrowed = 0
    for text in texts:
        key = leading_key(text) if url_scheme(text) is None else None
        if key is None:
            continue
        routed, everyone = routed_and_asked_of_all(text)
        if any(c.text_keys is not None and key in c.text_keys for c in connectors_.values()):
            admitted = [
                (name, score)
                for name, score in everyone
                if connectors_[name].text_keys is None or key in connectors_[name].text_keys
            ]
        else:  # a first key no type declares: every type is asked
            admitted = everyone
        assert routed == admitted, text
        checked += 1
        narrowed += admitted != everyone
    assert checked > 300
    assert narrowed > 5  # texts that two families claim, decided by the first key


def test_a_first_key_decides_between_families_that_both_claim_the_text() -> None:
    # an S3 environment block would claim it too (it names AWS_ACCESS_KEY_ID): the first key
    # says it is Azure's connection string
    text = "AccountName=acct;AccountKey=a2V5;AWS_ACCESS_KEY_ID=AKIAEXAMPLE"
    routed, everyone = routed_and_asked_of_all(text)
    assert [name for name, _ in everyone] == ["azure_blob", "s3"]
    assert routed == [("azure_blob", Match.SCHEME)]
