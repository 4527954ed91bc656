"""The official MongoDB specification test suites, run against connectors.mongodb.parser.

connection-string/*.json and uri-options/*.json exercise ``parse_uri`` (the URI layer: hosts,
auth parts, options, warnings); auth/connection-string.json exercises ``build_credential`` (the
credential layer), as drivers split them. Cases are parametrised from the JSON files; the whole
module is skipped when ../shared/conformance is absent.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from conformance import conformance_dir

from connectors.errors import ParseError
from connectors.mongodb.auth import build_credential
from connectors.mongodb.parser import parse_uri, spec_shape

SUITES = conformance_dir("mongodb")

# The auth suite holds both the old and the current MONGODB-AWS rules; they contradict each
# other. We follow the current auth spec (no user name, password or AWS_SESSION_TOKEN in the
# string: credentials come from the AWS environment), so the two older cases cannot pass.
KNOWN_FAILURES = {
    "should use username and password if specified (MONGODB-AWS)": "older MONGODB-AWS rule "
    "(credentials in the URI), contradicted by 'should throw an exception if username and "
    "password provided (MONGODB-AWS)' in the same file",
    "should use username, password and session token if specified (MONGODB-AWS)": "older "
    "MONGODB-AWS rule, contradicted by 'should throw an exception if AWS_SESSION_TOKEN "
    "provided (MONGODB-AWS)' in the same file",
}


def _cases(pattern: str) -> list[Any]:
    if not SUITES.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{SUITES} is absent"))]
    params = []
    for path in sorted(SUITES.glob(pattern)):
        for index, case in enumerate(json.loads(path.read_text())["tests"]):
            marks = []
            if case["description"] in KNOWN_FAILURES:
                reason = KNOWN_FAILURES[case["description"]]
                marks.append(pytest.mark.xfail(reason=reason, strict=True))
            params.append(pytest.param(case, id=f"{path.stem}-{index}", marks=marks))
    return params


def _lower(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key.lower(): value for key, value in mapping.items()}


def _assert_uri_case(case: dict[str, Any]) -> None:
    if not case["valid"]:
        with pytest.raises(ParseError):
            parse_uri(case["uri"])
        return
    parsed = parse_uri(case["uri"])
    shape = spec_shape(parsed)
    if case.get("warning") is not None:
        assert shape["warning"] is case["warning"], parsed.warnings
    if case.get("hosts"):
        assert len(shape["hosts"]) == len(case["hosts"])
        for expected, got in zip(case["hosts"], shape["hosts"], strict=True):
            for key, value in expected.items():
                if value is not None:
                    assert got[key] == value, (key, got)
    if case.get("auth"):
        for key, value in case["auth"].items():
            if value is not None:
                assert shape["auth"][key] == value, key
    if case.get("options") is not None:
        got_options = _lower(shape["options"])
        for key, value in case["options"].items():
            assert got_options.get(key.lower(), "<missing>") == value, key


@pytest.mark.parametrize("case", _cases("connection-string/*.json"))
def test_connection_string_suite(case: dict[str, Any]) -> None:
    _assert_uri_case(case)


@pytest.mark.parametrize("case", _cases("uri-options/*.json"))
def test_uri_options_suite(case: dict[str, Any]) -> None:
    _assert_uri_case(case)


@pytest.mark.parametrize("case", _cases("auth/connection-string.json"))
def test_auth_suite(case: dict[str, Any]) -> None:
    if not case["valid"]:
        with pytest.raises(ParseError):
            build_credential(parse_uri(case["uri"]))
        return
    credential, _notes = build_credential(parse_uri(case["uri"]))
    expected = case.get("credential")
    if expected is None:
        assert credential is None
        return
    assert credential is not None
    got = credential.as_dict()
    for key, value in expected.items():
        if key == "mechanism_properties" and value is not None:
            assert got[key] is not None
            for name, item in value.items():
                assert got[key].get(name) == item, name
        else:
            assert got[key] == value, key
