"""Windmill's own parser (npm windmill-parser-wasm-py) reads every script as its sidecar says.

Every bundled hub script (hub_scripts/**) and every script `connectors hub export --format wmill`
writes is parsed by the parser Windmill's UI and CLI use; argument names, types, resource
formats, enums, list items, required lists and defaults must equal the `.script.yaml` schema.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from windmill_tools import ROOT, disagreements, parse_python

from connectors.hub.export import export

BUNDLED = sorted((ROOT / "hub_scripts").glob("*/*.py"))


def _sidecar_schema(script: Path) -> dict:
    return yaml.safe_load(script.with_suffix(".script.yaml").read_text(encoding="utf-8"))["schema"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("wmill-export")
    export(folder, "wmill", locks=False)
    return sorted((folder / "f").glob("*/*.py"))


@pytest.fixture(scope="module")
def parsed(exported) -> dict[Path, dict]:
    return parse_python([*BUNDLED, *exported])


def test_every_bundled_script_is_checked():
    assert len(BUNDLED) >= 41


@pytest.mark.parametrize("script", BUNDLED, ids=[f"{p.parent.name}/{p.stem}" for p in BUNDLED])
def test_bundled_script_agrees_with_windmill(script, parsed):
    assert disagreements(parsed[script], _sidecar_schema(script)) == []


def test_exported_scripts_agree_with_windmill(exported, parsed):
    assert len(exported) >= len(BUNDLED)
    found = {
        f"{p.parent.name}/{p.stem}": problems
        for p in exported
        if (problems := disagreements(parsed[p], _sidecar_schema(p)))
    }
    assert found == {}


RULES = textwrap.dedent(
    """
    from typing import Any, Dict, List, Literal, Optional

    def main(
        db: postgresql,
        rows: List[dict],
        names: List[str],
        numbers: List[int],
        flags: list,
        table: Optional[str] = None,
        mode: Literal["a", "b"] = "a",
        limit: int = 65536,
        shift: int = 1 << 16,
        negative: int = -1,
        pair: tuple = (1, 2),
        mapping: Dict[str, str] = {},
        kinds: Optional[List[str]] = None,
        untyped=3,
        listed: list = [1, 2],
        *,
        keyword_only: str = "x",
    ):
        pass
    """
)


def test_signature_rules_agree_with_windmill(tmp_path):
    """The inference's rules, on the cases the bundled scripts once got wrong."""
    from connectors.hub.signature import infer_source

    script = tmp_path / "rules.py"
    script.write_text(RULES)
    schema = infer_source(RULES).schema
    assert schema["required"] == [
        "db",
        "rows",
        "names",
        "numbers",
        "flags",
        "shift",
        "negative",
        "pair",
    ]
    assert disagreements(parse_python([script])[script], schema) == []
