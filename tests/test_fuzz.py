"""The fuzz suite, bounded for CI (the long campaign: ``python -m connectors.testing.fuzz``).

Every registered type (plugins included) and auto-detection get a seeded slice of the mutation
corpus and hypothesis-drawn mutations; ``connectors.testing.fuzz.examine`` checks that only
ParseError escapes, that accepted values survive every output form and the workspace, and that
no secret shows. docs/reliability.md has the long campaign's figures.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from connectors.testing import fuzz

FAMILIES = fuzz.families()
IDS = [family or "auto" for family in FAMILIES]


@pytest.mark.parametrize("family", FAMILIES, ids=IDS)
def test_seeded_corpus(family):
    tally = fuzz.run(family, 80, seed=19, store=True)
    assert tally.strings == 80
    assert not tally.failures, [(f.kind, f.text, f.detail) for f in tally.failures[:3]]


pieces = st.one_of(st.sampled_from(fuzz.PIECES), st.text(min_size=1, max_size=3))


@pytest.mark.parametrize("family", FAMILIES, ids=IDS)
@settings(
    max_examples=25,
    derandomize=True,  # the same strings on every CI run; the campaign explores
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_hypothesis_mutations(family, data):
    base = data.draw(st.sampled_from(fuzz.corpus()), label="base")
    seed = data.draw(st.integers(min_value=0, max_value=2**32), label="seed")
    text = fuzz.mutate(base, random.Random(seed), fuzz.corpus())
    text = data.draw(st.just(text) | pieces.map(lambda piece: text + piece), label="text")
    _, failure = fuzz.examine(text, family, fuzz.secrets_in_text(base))
    assert failure is None, (failure.kind, failure.text, failure.detail)


def test_the_corpus_holds_every_registered_type():
    from connectors.plugins import get_registry

    corpus = set(fuzz.corpus())
    for connector in get_registry().connectors.values():
        assert set(connector.examples) <= corpus, connector.name


def test_a_failure_is_reported():
    """The oracle does fail: a value that is not canonical is a round-trip failure."""
    import connectors

    resource = connectors.parse("redis://h:6379/0")
    resource.value["port"] = "6379"  # a string where the schema wants a number
    with pytest.raises(connectors.ValidationError):
        fuzz._outputs(resource, store=False)  # examine() reports it as "unexpected"


def test_a_leak_is_reported():
    """A secret in a masked output (here a repr that shows the password) is a leak."""
    import connectors

    class Leaky(connectors.Resource):
        def __repr__(self) -> str:
            return super().__repr__() + self.value["password"]

    resource = connectors.parse("postgresql://app:s3cretpw@h/db")
    leaky = Leaky(resource.resource_type, resource.value, resource.provider, resource.notes)
    failure = fuzz._outputs(leaky, store=False)
    assert failure is not None and failure.kind == "leak", failure


def test_a_note_is_masked():
    """A note naming text set aside (the rest of a password pasted unencoded) is masked."""
    import connectors

    pytest.importorskip("storage_connectors_mysql")
    text = "jdbc:mysql://h:3306/shop?user=app&password=s3cretpw&s3cretpw&sslMode=REQUIRED"
    resource = connectors.parse(text, type="mysql")
    assert resource.to_dict()["notes"][-1].endswith("left out: ********")
    assert "s3cretpw" not in repr(resource)
    assert fuzz._outputs(resource, store=False) is None


def test_a_secret_equal_to_another_field_is_not_a_leak():
    """The user name shows, and it is the password's text too: not a leak of the password."""
    import connectors

    resource = connectors.parse("postgresql://s3cretpw:s3cretpw@h/db")
    assert fuzz._outputs(resource, store=False) is None
