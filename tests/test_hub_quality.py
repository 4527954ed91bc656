"""Quality gates on the shipped data: resource types, examples, hub scripts.

- every ``resource_types/*.json`` is a valid JSON Schema 2020-12 and equals what the plugins
  generate (``connectors schema --write-dir resource_types`` rewrites them);
- every built-in type's ``examples`` parse and validate against its schema;
- every hub script imports in a clean interpreter (``python -I``) where only its own driver can
  be imported: the other drivers and ``connectors`` are blocked and ``wmill`` is a stub;
- every hub script is referenced by name from some ``tests/**/test_*.py`` (its live test).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from connectors.hub.catalog import discover
from connectors.plugins import get_registry
from connectors.schemas import builtin_documents

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
RESOURCE_TYPES = sorted((ROOT / "resource_types").glob("*.json"))
#: the top-level modules of each built-in type's driver
DRIVERS = {
    "postgresql": ["psycopg", "psycopg_binary", "psycopg_pool", "psycopg2"],
    "mongodb": ["pymongo", "bson", "gridfs", "motor"],
    "redis": ["redis"],
    "upstash_redis": ["upstash_redis"],
    "s3": ["boto3", "botocore", "s3transfer", "aiobotocore"],
    "azure_blob": ["azure"],
}
SCRIPTS = discover(builtin_only=True)
SCRIPT_IDS = [s.ref for s in SCRIPTS]

WMILL_STUB = textwrap.dedent(
    '''
    """A stand-in for the wmill client: every function exists and does nothing."""


    class S3Object(dict):
        pass


    def __getattr__(name):
        def stub(*args, **kwargs):
            return None

        return stub
    '''
)

CLEAN_IMPORT = textwrap.dedent(
    """
    import importlib.abc, importlib.util, sys
    stub_dir, script, blocked = sys.argv[1], sys.argv[2], set(sys.argv[3].split(","))

    class Blocker(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in blocked:
                raise ImportError(f"{name} is not installed in this clean interpreter")
            return None

    sys.meta_path.insert(0, Blocker())
    sys.path.insert(0, stub_dir)
    spec = importlib.util.spec_from_file_location("hub_script", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert callable(module.main), "no main()"
    print("ok")
    """
)


def clean_import(
    script: Path, type_names: set[str], stub_dir: Path
) -> subprocess.CompletedProcess[str]:
    """Import ``script`` in ``python -I`` with only the drivers of ``type_names`` importable.

    A script's own type and the resource types of its arguments (copy_s3_to_azure takes an
    ``s3`` and an ``azure_blob``) are allowed; the other drivers and ``connectors`` are blocked.
    """
    (stub_dir / "wmill.py").write_text(WMILL_STUB, encoding="utf-8")
    blocked = {"connectors"}
    for other, modules in DRIVERS.items():
        if other not in type_names:
            blocked.update(modules)
    for allowed in type_names:
        blocked -= set(DRIVERS.get(allowed, []))
    return subprocess.run(
        [sys.executable, "-I", "-c", CLEAN_IMPORT, str(stub_dir), str(script), ",".join(blocked)],
        capture_output=True,
        text=True,
        timeout=120,
    )


# -- resource types ------------------------------------------------------------------------------


def test_resource_type_files_exist_for_every_builtin():
    assert sorted(p.stem for p in RESOURCE_TYPES) == sorted(builtin_documents())


@pytest.mark.parametrize("path", RESOURCE_TYPES, ids=[p.stem for p in RESOURCE_TYPES])
def test_resource_type_is_valid_json_schema_2020_12(path):
    document = json.loads(path.read_text(encoding="utf-8"))
    assert set(document) == {"description", "schema"}
    schema = document["schema"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)  # raises on an invalid schema
    assert schema["type"] == "object"
    for name in schema.get("required", []):
        assert name in schema["properties"], f"required {name!r} is not a property"
    for name in schema.get("order", []):
        assert name in schema["properties"], f"order names {name!r}, not a property"


@pytest.mark.parametrize("path", RESOURCE_TYPES, ids=[p.stem for p in RESOURCE_TYPES])
def test_resource_type_file_matches_the_plugin(path):
    """Drift: rerun `connectors schema --write-dir resource_types` after changing a schema."""
    assert json.loads(path.read_text(encoding="utf-8")) == builtin_documents()[path.stem]


BUILTIN_EXAMPLES = [
    (name, example)
    for info in get_registry().plugins
    if info.builtin
    for name in info.registered
    for example in get_registry().connectors[name].examples
]


@pytest.mark.parametrize(
    ("type_name", "example"),
    BUILTIN_EXAMPLES,
    ids=[f"{t}-{i}" for i, (t, _) in enumerate(BUILTIN_EXAMPLES)],
)
def test_builtin_examples_parse_and_validate(type_name, example):
    from connectors.api import parse, validate

    resource = parse(example, type=type_name)
    assert resource.resource_type == type_name
    schema = get_registry().connectors[type_name].schema
    Draft202012Validator(schema).validate(resource.value)
    validate(type_name, resource.value)


# -- hub scripts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("script", SCRIPTS, ids=SCRIPT_IDS)
def test_hub_script_imports_with_only_its_driver(script, tmp_path):
    allowed = {script.type_name, *script.signature().resource_args.values()}
    done = clean_import(script.path, allowed, tmp_path)
    assert done.returncode == 0, done.stderr.strip().splitlines()[-1:]
    assert done.stdout.strip() == "ok"


def test_the_clean_interpreter_blocks_other_drivers(tmp_path):
    good = tmp_path / "good.py"
    good.write_text("import wmill\nimport redis\nclass redis_(dict): pass\ndef main(): pass\n")
    assert clean_import(good, {"redis"}, tmp_path).returncode == 0
    for line in ("import psycopg", "import connectors", "from boto3 import client"):
        bad = tmp_path / "bad.py"
        bad.write_text(f"{line}\ndef main(): pass\n")
        done = clean_import(bad, {"redis"}, tmp_path)
        assert done.returncode != 0 and "not installed in this clean interpreter" in done.stderr


def _test_texts() -> dict[Path, str]:
    return {
        path: path.read_text(encoding="utf-8")
        for path in TESTS.rglob("test_*.py")
        if path.name != Path(__file__).name
    }


@pytest.mark.parametrize("script", SCRIPTS, ids=SCRIPT_IDS)
def test_hub_script_has_a_test(script):
    """Each hub_scripts/<type>/<name>.py is named (as a string) in some tests/**/test_*.py."""
    quoted = re.compile(rf"""["']{re.escape(script.name)}["']""")
    users = [
        path
        for path, text in _test_texts().items()
        if quoted.search(text) and script.type_name in text
    ]
    assert users, f"no test file under tests/ runs {script.ref}"
