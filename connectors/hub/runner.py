"""Run a hub script locally, as a Windmill worker would.

The resource argument is resolved from a workspace path, a ``$res:`` reference or a connection
string; ``--arg k=v`` strings are converted by the schema's types and the whole set is validated
against the schema inferred from ``main()`` (errors name the argument, never quote a secret).
The script gets ``wmill`` from this package and runs with ``WM_JOB_PATH=f/<type>/<name>``, so
``get_state_path()`` gives ``f/<type>/<name>/user`` (the worker's formula) and each script keeps
its own state; its result comes back JSON-safe with the resource's secrets masked.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import datetime as dt
import decimal
import enum
import inspect
import json
import os
import uuid
from collections.abc import Iterator, Mapping
from pathlib import PurePath
from typing import Any

from connectors.hub.catalog import HubError, HubScript, find
from connectors.hub.loader import load_path
from connectors.redact import Redactor, mask_value, redact_value, redactor_for
from connectors.resource import Resource

_TRUE = {"true", "1", "yes", "on", "y"}
_FALSE = {"false", "0", "no", "off", "n"}


def convert(name: str, text: str, prop: Mapping[str, Any]) -> Any:
    """A ``--arg name=text`` string as the JSON value the schema property wants."""
    kind = prop.get("type")
    if str(prop.get("format", "")).startswith("resource-") and not text.lstrip().startswith("{"):
        return text  # a workspace path, $res: reference or connection string, resolved later
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            number = float(text)
            return int(number) if number.is_integer() and "." not in text else number
        if kind == "boolean":
            if text.lower() in _TRUE | _FALSE:
                return text.lower() in _TRUE
            raise ValueError
        if kind in ("object", "array"):
            return json.loads(text)
    except ValueError:
        wanted = {"integer": "an integer", "number": "a number", "boolean": "true or false"}
        expected = wanted.get(str(kind), f"JSON ({kind})")
        raise HubError(f"argument {name!r} must be {expected}") from None
    if kind is None:
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def build_args(
    script: HubScript,
    schema: dict[str, Any],
    pairs: list[str],
    json_args: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """``--args-json`` values, overridden by ``k=v`` pairs converted per the schema."""
    properties: dict[str, Any] = schema["properties"]
    args: dict[str, Any] = dict(json_args or {})
    for pair in pairs:
        name, sep, text = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise HubError(f"--arg takes NAME=VALUE, got an argument without '=' ({name!r})")
        if name not in properties:
            raise HubError(_unknown(script, name, properties))
        args[name] = convert(name, text, properties[name])
    for name in args:
        if name not in properties:
            raise HubError(_unknown(script, name, properties))
    return args


def _unknown(script: HubScript, name: str, properties: Mapping[str, Any]) -> str:
    takes = ", ".join(properties) or "no arguments"
    return f"{script.ref} has no argument {name!r} (main takes: {takes})"


def validate_args(script: HubScript, schema: dict[str, Any], args: dict[str, Any]) -> None:
    """Raise a HubError naming every argument that does not fit the schema."""
    from jsonschema import Draft202012Validator

    problems: list[str] = []
    for error in sorted(Draft202012Validator(schema).iter_errors(args), key=lambda e: e.path):
        if error.validator == "required":
            missing = [n for n in schema.get("required", []) if n not in args]
            problems.extend(f"missing required argument {n!r}" for n in missing)
            continue
        name = str(error.path[0]) if error.path else "?"
        prop = schema["properties"].get(name, {})
        if error.validator == "type":
            problems.append(f"argument {name!r} must be of type {error.validator_value}")
        elif error.validator == "enum":
            choices = ", ".join(map(str, prop.get("enum", [])))
            problems.append(f"argument {name!r} must be one of: {choices}")
        else:
            problems.append(
                f"argument {name!r}: {error.validator} {error.validator_value!r} not met"
            )
    if problems:
        unique = list(dict.fromkeys(problems))
        raise HubError(f"{script.ref}: " + "; ".join(unique))


def _to_python(value: Any, prop: Mapping[str, Any]) -> Any:
    """JSON argument -> the Python value main() expects (bytes, datetime, date, S3Object)."""
    if value is None:
        return None
    fmt = prop.get("format")
    if prop.get("contentEncoding") == "base64" and isinstance(value, str):
        return base64.b64decode(value)
    if fmt == "date-time" and isinstance(value, str):
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if fmt == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if fmt == "resource-s3_object":
        return _s3_object(value)
    return value


def _s3_object(value: Any) -> Any:
    from connectors.objectstore import S3Object

    return S3Object({"s3": value} if isinstance(value, str) else dict(value))


def _resolve(spec: Any, type_name: str) -> Resource:
    if isinstance(spec, Resource):
        return spec
    if isinstance(spec, dict):
        from connectors.api import validate

        return Resource(type_name, validate(type_name, spec))
    from connectors.workspace.resolve import resolve_resource

    return resolve_resource(str(spec), type_name=type_name)


@contextlib.contextmanager
def job_environment(job_path: str) -> Iterator[None]:
    """``WM_JOB_PATH`` for one run, restored afterwards.

    An inherited ``WM_STATE_PATH`` is hidden during the run, so ``get_state_path()`` applies the
    worker's formula to the script path (``f/<type>/<name>/user``): one state per script.
    """
    names = ("WM_JOB_PATH", "WM_STATE_PATH", "WM_STATE_PATH_NEW")
    saved = {name: os.environ.pop(name, None) for name in names}
    os.environ["WM_JOB_PATH"] = job_path
    try:
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old


def jsonable(value: Any) -> Any:
    """A JSON-serialisable form of whatever a script returned."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return (
            value if value == value and value not in (float("inf"), float("-inf")) else str(value)
        )
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, uuid.UUID | PurePath):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if hasattr(value, "model_dump"):
        return jsonable(value.model_dump())
    return str(value)  # ObjectId, driver-specific scalars


def _shown_args(
    args: dict[str, Any], resources: dict[str, Resource], redactor: Redactor
) -> dict[str, Any]:
    """The arguments as printed: resource arguments masked by field, others as free text."""
    shown = {}
    for name, value in jsonable(args).items():
        if name in resources:
            shown[name] = redact_value(resources[name].resource_type, value)
        else:
            shown[name] = redact_value("", {name: value})[name]
            shown[name] = mask_value(shown[name], redactor)
    return shown


@dataclasses.dataclass
class Run:
    """A finished run: the script, the (masked) arguments and the JSON-safe result."""

    script: HubScript
    args: dict[str, Any]
    result: Any


def run(
    ref: str | HubScript,
    *,
    resource: Any = None,
    pairs: list[str] | None = None,
    json_args: Mapping[str, Any] | None = None,
    show_secrets: bool = False,
) -> Run:
    """Run the hub script ``TYPE/NAME`` and return its JSON-safe, redacted result."""
    script = find(ref) if isinstance(ref, str) else ref
    signature = script.signature()
    schema = signature.schema
    args = build_args(script, schema, pairs or [], json_args)
    redactor = Redactor()
    resolved_args: dict[str, Resource] = {}
    resource_args = signature.resource_args
    own = [name for name, rtype in resource_args.items() if rtype == script.type_name]
    if resource is not None:
        if not own:
            raise HubError(f"{script.ref} takes no {script.type_name} resource argument")
        args[own[0]] = resource
    for name, rtype in resource_args.items():
        if name in args and rtype != "s3_object":
            resolved = _resolve(args[name], rtype)
            redactor.extend(redactor_for(resolved.resource_type, resolved.value))
            resolved_args[name] = resolved
            args[name] = resolved.value
    if own and own[0] not in args and own[0] in schema["required"]:
        raise HubError(f"{script.ref} needs a {script.type_name} resource: give --resource")
    validate_args(script, schema, args)
    call = {name: _to_python(value, schema["properties"][name]) for name, value in args.items()}
    module = load_path(script.path, f"hub_script_{script.type_name}_{script.name}")
    with job_environment(script.job_path):
        try:
            result = module.main(**call)
            if inspect.isawaitable(result):
                result = asyncio.run(_await(result))
        except Exception as exc:
            message = redactor(" ".join(f"{type(exc).__name__}: {exc}".split()))
            raise HubError(f"{script.ref} failed: {message}") from exc
    # The result is what the user asked for (a presigned URL, a SAS token): shown as it is.
    shown_args = jsonable(args) if show_secrets else _shown_args(args, resolved_args, redactor)
    return Run(script, shown_args, jsonable(result))


async def _await(awaitable: Any) -> Any:
    return await awaitable
