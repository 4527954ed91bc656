"""The plugin author kit: the contract every connector keeps, as a pytest test class.

A plugin runs it on its own connector in one line of its test suite::

    from connectors.testing.contract import ConnectorContract

    class TestContract(ConnectorContract):
        connector = "foo"          # the type name your plugin registers

pytest collects the inherited tests; each names the example or script that broke the rule:

- the schema is valid JSON Schema (2020-12, the hub dialect) and marks at least one secret
  field (``"password": true``), each on a string property;
- every one of ``examples`` parses as the type and by auto-detection, gives a canonical value
  (``connectors.validate`` returns it unchanged) and comes back from ``to_connection_string``;
- no secret is shown: not in ``repr``/``str``, ``--json``, any ``parse --format``, the notes,
  the ``connectors parse`` command's output, nor in the ParseError of a broken example
  (``MUTATIONS_PER_EXAMPLE`` seeded mutants of each, made by ``connectors.testing.fuzz``); only
  ParseError escapes ``parse``;
- ``detect`` does not claim another registered type's examples: its score stays below the
  owner's, or equal only when its ``parse`` refuses the string;
- ``url_schemes`` and ``text_keys``, when declared, are sets of what auto-detection reads off a
  text (lower-case schemes, upper-case keys), so that no declared word goes unmatched;
- each hub script has a sidecar whose schema is what ``connectors hub sidecars`` writes, and
  Windmill's own parser (npm windmill-parser-wasm-py; the test skips without Node) reads the
  script as the sidecar says.

The connector must be installed (its entry point registered), as the CLI only sees installed
types: ``pip install -e .`` in the plugin's checkout. The built-ins run the same class
(tests/test_contract.py), by overriding the ``contract_connector`` fixture with params.
"""

from __future__ import annotations

import contextlib
import io
import random
from pathlib import Path
from typing import Any, ClassVar

import pytest

from connectors.connector import Connector, Match
from connectors.errors import ParseError
from connectors.resource import Resource

#: mutated strings examined per example by ``test_broken_examples_hide_secrets``
MUTATIONS_PER_EXAMPLE = 40
# a secret this short may equal other text of an output by chance (as in connectors.testing.fuzz)
_MIN_SECRET = 6


def registered(type_name: str) -> Connector:
    """The installed connector of ``type_name``; fails the test, saying how to install it."""
    from connectors.plugins import get_registry

    connectors = get_registry().connectors
    if type_name not in connectors:
        pytest.fail(
            f"no connector {type_name!r} is registered (installed: {', '.join(sorted(connectors))})"
            "; install the distribution (pip install -e .) so its entry point is seen",
            pytrace=False,
        )
    return connectors[type_name]


def examples(connector: Connector) -> list[str]:
    """The connector's example strings, without repeats (the contract's and the fuzzer's seeds)."""
    return list(dict.fromkeys(connector.examples))


def secrets(resource: Resource) -> list[str]:
    """The secrets of ``resource`` long enough to look for in an output."""
    from connectors.redact import secrets_of

    found = secrets_of(resource.resource_type, resource.value)
    return [s for s in found if isinstance(s, str) and len(s) >= _MIN_SECRET]


def shown_secrets(resource: Resource, output: str) -> list[str]:
    """The secrets of ``resource`` found in ``output`` (any encoded form), other than where the
    same text is also a non-secret field of the value (a host that contains the password)."""
    from connectors.redact import encoded_forms, public_strings

    public = "\n".join(public_strings(resource.resource_type, resource.value))
    return [
        secret
        for secret in secrets(resource)
        if any(form in output and form not in public for form in encoded_forms(secret))
    ]


def run_cli(*args: str) -> tuple[int, str]:
    """``connectors ARGS`` in this process: (exit code, stdout and stderr together)."""
    from connectors.cli import main

    out = io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue()


class ConnectorContract:
    """The contract tests; subclass it and set ``connector`` to your type's name."""

    #: the type name the connector under test registers
    connector: ClassVar[str]

    @pytest.fixture(scope="class")
    @classmethod
    def contract_connector(cls) -> Connector:
        """The connector under test (override it, with ``params``, to run several)."""
        name = getattr(cls, "connector", None)
        if not isinstance(name, str):
            pytest.fail(f"{cls.__name__} sets no `connector = 'type_name'`", pytrace=False)
        return registered(name)

    @pytest.fixture(scope="class")
    @classmethod
    def parsed_examples(cls, contract_connector: Connector) -> list[tuple[str, Resource]]:
        """Each example with what it parses to as the connector's type."""
        import connectors

        found = []
        for text in examples(contract_connector):
            try:
                found.append((text, connectors.parse(text, type=contract_connector.name)))
            except ParseError as error:
                pytest.fail(f"example {text!r} does not parse: {error}", pytrace=False)
        return found

    # -- the schema ---------------------------------------------------------------------------

    def test_schema_is_valid_json_schema(self, contract_connector: Connector) -> None:
        import jsonschema

        schema = contract_connector.schema
        validator = jsonschema.validators.validator_for(
            schema, default=jsonschema.Draft202012Validator
        )
        validator.check_schema(schema)
        assert validator is jsonschema.Draft202012Validator, "write it in JSON Schema 2020-12"
        assert schema.get("type") == "object" and isinstance(schema.get("properties"), dict)

    def test_schema_marks_its_secret_fields(self, contract_connector: Connector) -> None:
        fields = contract_connector.resource_type.secret_fields
        assert fields, 'no property is marked secret: add "password": true to each secret one'
        for path in fields:
            prop = _property_at(contract_connector.schema, path)
            assert prop.get("type") == "string", f"secret field {path} is not a string property"

    # -- examples: parse, validate, round trip --------------------------------------------------

    def test_has_examples(self, contract_connector: Connector) -> None:
        assert examples(contract_connector), "set `examples`: connection strings your parser reads"

    def test_examples_give_canonical_values(
        self, parsed_examples: list[tuple[str, Resource]]
    ) -> None:
        import connectors

        for text, resource in parsed_examples:
            assert resource.resource_type == parsed_examples[0][1].resource_type
            canonical = connectors.validate(resource.resource_type, resource.value)
            assert canonical == resource.value, f"{text!r}: validate() changes the parsed value"

    def test_examples_are_detected_as_the_type(
        self, contract_connector: Connector, parsed_examples: list[tuple[str, Resource]]
    ) -> None:
        import connectors

        for text, _ in parsed_examples:
            assert contract_connector.detect(text) > Match.NONE, f"detect() misses {text!r}"
            detected = connectors.parse(text).resource_type
            assert detected == contract_connector.name, f"{text!r} is detected as {detected}"

    def test_examples_round_trip(self, parsed_examples: list[tuple[str, Resource]]) -> None:
        import connectors

        for text, resource in parsed_examples:
            native = connectors.to_connection_string(resource)
            again = connectors.parse(native, type=resource.resource_type)
            assert again.value == resource.value, f"{text!r} -> {native!r} parses differently"

    # -- secrets --------------------------------------------------------------------------------

    def test_examples_have_secrets(self, parsed_examples: list[tuple[str, Resource]]) -> None:
        # without one, the tests below prove nothing: give an example with a password
        assert any(secrets(resource) for _, resource in parsed_examples), (
            f"no example carries a secret of {_MIN_SECRET}+ characters"
        )

    def test_python_outputs_hide_secrets(self, parsed_examples: list[tuple[str, Resource]]) -> None:
        from connectors.testing.fuzz import examine

        for text, resource in parsed_examples:
            # display masks notes too, but a program may print them: they hold no secret
            shown = "\n".join([repr(resource), str(resource), *resource.notes])
            assert shown_secrets(resource, shown) == [], f"{text!r}: a secret is shown"
            accepted, failure = examine(text, resource.resource_type, secrets(resource))
            assert accepted and failure is None, f"{text!r}: {failure}"

    def test_cli_output_hides_secrets(self, parsed_examples: list[tuple[str, Resource]]) -> None:
        from connectors.testing.fuzz import FORMATS

        for text, resource in parsed_examples:
            for extra in ([], ["--json"], *(["--format", fmt] for fmt in FORMATS)):
                code, output = run_cli("parse", text, "--type", resource.resource_type, *extra)
                assert "Traceback" not in output, f"connectors parse {text!r} {extra}: {output}"
                leaked = shown_secrets(resource, output)
                assert leaked == [], f"connectors parse {text!r} {' '.join(extra)} shows a secret"
                assert code in (0, 2), f"connectors parse {text!r} {extra} exited {code}: {output}"

    def test_broken_examples_hide_secrets(
        self, parsed_examples: list[tuple[str, Resource]]
    ) -> None:
        from connectors.testing.fuzz import corpus, examine, mutate

        rng = random.Random(15)
        others = corpus()
        failures = []
        for text, resource in parsed_examples:
            known = secrets(resource)
            for _ in range(MUTATIONS_PER_EXAMPLE):
                broken = mutate(text, rng, others)
                accepted, failure = examine(broken, resource.resource_type, known)
                # an accepted mutant's outputs are the fuzzer's to judge (its --count campaign)
                if failure is not None and not accepted:
                    failures.append(f"{broken!r}: {failure.kind}: {failure.detail}")
        assert failures == []

    # -- detection ------------------------------------------------------------------------------

    def test_detect_does_not_claim_other_types(self, contract_connector: Connector) -> None:
        from connectors.plugins import get_registry

        claimed = []
        for owner in get_registry().connectors.values():
            if owner.name == contract_connector.name:
                continue
            for text in examples(owner):
                score = contract_connector.detect(text)
                if score > owner.detect(text) or (
                    score == owner.detect(text) > Match.NONE and _accepts(contract_connector, text)
                ):
                    claimed.append(f"{owner.name} example {text!r} (score {score})")
        assert claimed == [], f"{contract_connector.name} claims strings of other types"

    def test_declared_schemes_and_keys_are_read_as_written(
        self, contract_connector: Connector
    ) -> None:
        from connectors.parsing import leading_key, url_scheme

        def scheme(word: str) -> str | None:
            return url_scheme(f"{word}://h")

        def key(word: str) -> str | None:
            return leading_key(f"{word}=v")

        for name, declared, read in (
            ("url_schemes", contract_connector.url_schemes, scheme),
            ("text_keys", contract_connector.text_keys, key),
        ):
            if declared is None:
                continue
            assert isinstance(declared, frozenset), f"{name} is not a frozenset"
            unread = sorted(word for word in declared if read(word) != word)
            assert unread == [], f"{name} that detection never reads as written: {unread}"

    # -- hub scripts ----------------------------------------------------------------------------

    def test_hub_scripts_match_their_sidecars(self, contract_connector: Connector) -> None:
        from connectors.hub.catalog import SIDECAR_SUFFIX, drift

        for script in _scripts(contract_connector):
            sidecar = script.path.with_name(script.name + SIDECAR_SUFFIX)
            assert sidecar.is_file(), f"{script.path.name} has no {sidecar.name}"
            assert drift(script) is None, f"{drift(script)} (run `connectors hub sidecars TYPE`)"

    def test_hub_scripts_agree_with_windmill(self, contract_connector: Connector) -> None:
        from connectors.testing.windmill import disagreements, parse_python

        scripts = _scripts(contract_connector)
        if not scripts:
            return
        parsed = parse_python([script.path for script in scripts])
        found = {
            script.ref: problems
            for script in scripts
            if (problems := disagreements(parsed[script.path], script.metadata.get("schema", {})))
        }
        assert found == {}


def _property_at(schema: dict[str, Any], path: str) -> dict[str, Any]:
    """The property schema at a dotted secret-field path (``a.b``, ``items[].key``)."""
    node = schema
    for part in path.split("."):
        node = node["properties"][part.removesuffix("[]")]
        if part.endswith("[]"):
            node = node["items"]
    return node


def _accepts(connector: Connector, text: str) -> bool:
    try:
        connector.parse(text)
    except ParseError:
        return False
    return True


def _scripts(connector: Connector) -> list[Any]:
    from connectors.hub.catalog import scripts_in

    if connector.scripts_dir is None:
        return []
    return scripts_in(Path(connector.scripts_dir), connector.name)
