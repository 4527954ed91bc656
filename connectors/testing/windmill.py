"""Windmill's own script parser (npm windmill-parser-wasm-py) on hub scripts, and how its reading
of a script compares with the script's sidecar schema.

The npm packages are found in ``CONNECTORS_TEST_NODE_MODULES``, in ``.ci/node/node_modules`` of
this checkout or of the working directory, or next to ``AZURITE_BIN``/``S3RVER_BIN``. Absent
tools skip the tests that need them, or fail them under ``CONNECTORS_REQUIRE_LIVE=1``, as the
live-server harness does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, NoReturn

import pytest

from connectors.testing.factory import REQUIRE_LIVE_ENV, live_required

PARSE_SCRIPT = Path(__file__).with_name("windmill_parse.mjs")
#: where to look for node_modules first
NODE_MODULES_ENV = "CONNECTORS_TEST_NODE_MODULES"
_CHECKOUT = Path(__file__).resolve().parents[2]


def _candidates() -> list[Path]:
    found = []
    if os.environ.get(NODE_MODULES_ENV):
        found.append(Path(os.environ[NODE_MODULES_ENV]))
    found += [_CHECKOUT / ".ci/node/node_modules", Path.cwd() / ".ci/node/node_modules"]
    for env in ("AZURITE_BIN", "S3RVER_BIN"):  # the node_modules the harness was pointed at
        binary = os.environ.get(env)
        if binary and Path(binary).parent.name == ".bin":
            found.append(Path(binary).parent.parent)
    return found


def unavailable(message: str) -> NoReturn:
    """Skip, or fail under CONNECTORS_REQUIRE_LIVE=1."""
    if live_required():
        pytest.fail(f"{message} ({REQUIRE_LIVE_ENV}=1)", pytrace=False)
    pytest.skip(message)


def node() -> str:
    """The node executable."""
    found = shutil.which("node")
    if found is None:
        unavailable("node is not installed (bash .ci/run installs it)")
    return found


def package(name: str) -> Path:
    """The directory of the npm package ``name`` (windmill-parser-wasm-py, windmill-cli)."""
    for modules in _candidates():
        if (modules / name / "package.json").is_file():
            return modules / name
    unavailable(f"npm package {name} not found (npm install --prefix .ci/node {name}, or .ci/run)")


def parse_python(files: list[Path]) -> dict[Path, dict[str, Any]]:
    """Windmill's parser on each file: ``{file: MainArgSignature}``."""
    modules = package("windmill-parser-wasm-py").parent
    done = subprocess.run(
        [node(), str(PARSE_SCRIPT), str(modules), *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return {Path(name): sig for name, sig in json.loads(done.stdout).items()}


# -- what `wmill generate-metadata` makes of the parser's answer (argSigToJsonSchemaType) ------

_SIMPLE = {
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "email": {"type": "string", "format": "email"},
    "sql": {"type": "string", "format": "sql"},
    "yaml": {"type": "string", "format": "yaml"},
    "bytes": {"type": "string", "contentEncoding": "base64"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
}
#: Windmill reads ``Any`` and ``object`` as resource types of those names; the sidecars leave
#: them untyped (connectors/hub/signature.py says why)
_UNTYPED_RESOURCES = {"Any", "object"}


def windmill_schema(typ: Any) -> dict[str, Any] | None:
    """The schema keys Windmill writes for one parsed type; None for a type it does not know."""
    if isinstance(typ, str):
        return dict(_SIMPLE[typ]) if typ in _SIMPLE else None
    if "str" in typ:
        return {"type": "string", **({"enum": typ["str"]} if typ["str"] else {})}
    if "resource" in typ:
        if typ["resource"] in _UNTYPED_RESOURCES:
            return {}
        return {"type": "object", "format": f"resource-{typ['resource']}"}
    if "object" in typ:
        name = typ["object"].get("name")
        return {"type": "object", **({"format": f"resource-{name}"} if name else {})}
    for kind in ("dynselect", "dynmultiselect"):
        if kind in typ:
            return {"type": "object", "format": f"{kind}-{typ[kind]}"}
    if "list" in typ:
        items = _items(typ["list"])
        return {"type": "array", **({"items": items} if items else {})}
    return None


def _items(item: Any) -> dict[str, Any]:
    if item in ("int", "float"):
        return {"type": "number"}
    if item == "bytes":
        return {"type": "string", "contentEncoding": "base64"}
    if isinstance(item, dict) and "str" in item:
        return {"type": "string", **({"enum": item["str"]} if item["str"] else {})}
    if isinstance(item, dict) and "resource" in item:
        if item["resource"] in _UNTYPED_RESOURCES:
            return {}
        # Windmill writes {"type": "resource", "resourceType": name}, which is not JSON Schema
        return {"type": "object", "format": f"resource-{item['resource']}"}
    return {"type": "object"}


_COMPARED = ("type", "format", "contentEncoding", "enum")


def disagreements(parsed: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """How Windmill's reading of a script differs from its sidecar schema ([] when it agrees)."""
    if parsed.get("type") == "Invalid" or "args" not in parsed:
        return [f"Windmill cannot parse the script: {parsed.get('error', parsed)}"]
    found = []
    args = parsed["args"]
    names = [arg["name"] for arg in args]
    properties = schema.get("properties", {})
    if names != list(properties) or names != schema.get("order", names):
        found.append(f"arguments: Windmill {names}, sidecar {list(properties)}")
    required = [arg["name"] for arg in args if not arg["has_default"]]
    if required != schema.get("required", []):
        found.append(f"required: Windmill {required}, sidecar {schema.get('required')}")
    for arg in args:
        if arg["name"] in properties:
            found.extend(_argument_disagreements(arg, properties[arg["name"]]))
    return found


def _argument_disagreements(arg: dict[str, Any], prop: dict[str, Any]) -> list[str]:
    name = arg["name"]
    expected = windmill_schema(arg["typ"])
    if expected is None:
        return [f"{name}: Windmill does not know its type ({arg['typ']})"]
    found = [
        f"{name}.{key}: Windmill {expected.get(key)!r}, sidecar {prop.get(key)!r}"
        for key in _COMPARED
        if expected.get(key) != prop.get(key)
    ]
    want_items, have_items = expected.get("items"), prop.get("items")
    if expected.get("type") == "array" and _keys(want_items) != _keys(have_items):
        found.append(f"{name}.items: Windmill {want_items!r}, sidecar {have_items!r}")
    if arg["has_default"]:
        default = arg["default"]
        if default == "<function call>":
            found.append(f"{name}: the default is a call, not a literal")
        elif default != prop.get("default"):
            found.append(f"{name}.default: Windmill {default!r}, sidecar {prop.get('default')!r}")
    return found


def _keys(items: Any) -> dict[str, Any]:
    return {k: v for k, v in (items or {}).items() if k in _COMPARED}
