"""Run a script locally, as a Windmill worker would: a hub script (``TYPE/NAME``) or any file.

Arguments come from ``--args-json``, then ``--arg k=v`` (converted by the schema's types), then
the defaults of the script's ``<name>.script.yaml`` when it has one; the set is validated against
the schema inferred from ``main()`` with Windmill's rules (errors name the argument, never quote a
secret). Resource arguments (TypedDicts named after a resource type) are resolved from a
workspace path, a ``$res:`` reference or a connection string; ``bytes`` arrive base64-decoded,
``datetime``/``date`` parsed, ``S3Object`` as one. Nothing runs before all of this succeeds.

The script runs in a job directory (``connectors.hub.jobdir``) with ``import wmill`` served by
``connectors.wmill`` (the real wmill client is not used), ``WM_JOB_PATH`` set to its Windmill path
and its own flow run, so ``get_state_path()`` is ``<job path>/user`` (the worker's formula) and
flow user state lives as long as the run. The job path of a hub script is ``f/<type>/<name>``; of
a file, see :func:`file_job_path`. ``#requirements:``/``#extra_requirements:`` comments are
checked first (``connectors.hub.installed``). The result comes back JSON-safe and as it is;
the arguments shown are masked (docs/hub.md, output policy).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import datetime as dt
import decimal
import enum
import hashlib
import inspect
import json
import os
import shlex
import sys
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePath
from typing import Any

from connectors.hub.catalog import HubError, HubScript, find, read_sidecar
from connectors.hub.jobdir import job_directory
from connectors.hub.loader import load_path, serve_wmill
from connectors.hub.signature import Signature, infer_file
from connectors.redact import Redactor, mask_value, redact_value, redactor_for
from connectors.resource import Resource
from connectors.workspace.resolve import resolve_resource

#: the folder names of a ``wmill sync`` tree: ``f/<folder>/...``, ``u/<user>/...``
_SYNC_ROOTS = ("f", "u")

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
    script: HubScript | ScriptFile,
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


def _unknown(script: HubScript | ScriptFile, name: str, properties: Mapping[str, Any]) -> str:
    takes = ", ".join(properties) or "no arguments"
    return f"{script.ref} has no argument {name!r} (main takes: {takes})"


def validate_args(
    script: HubScript | ScriptFile, schema: dict[str, Any], args: dict[str, Any]
) -> None:
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
    from connectors.objectstore import S3Object, parse_s3_object

    if isinstance(value, str):
        return parse_s3_object(value) if value.startswith("s3://") else S3Object(s3=value)
    return S3Object(value)


@contextlib.contextmanager
def job_environment(job_path: str) -> Iterator[None]:
    """``WM_JOB_PATH`` and a flow run of its own for one run, restored afterwards.

    An inherited ``WM_STATE_PATH`` is hidden during the run, so ``get_state_path()`` applies the
    worker's formula to the script path (``<job path>/user``): one state per script. The flow run
    (``CONNECTORS_FLOW_RUN_ID``, kept when the caller set it) scopes flow user state to the run.
    """
    names = ("WM_JOB_PATH", "WM_STATE_PATH", "WM_STATE_PATH_NEW", "CONNECTORS_FLOW_RUN_ID")
    saved = {name: os.environ.pop(name, None) for name in names}
    os.environ["WM_JOB_PATH"] = job_path
    os.environ["CONNECTORS_FLOW_RUN_ID"] = saved["CONNECTORS_FLOW_RUN_ID"] or uuid.uuid4().hex
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
class ScriptFile:
    """Any script file run with ``connectors run PATH.py``; its sidecar is optional."""

    path: Path
    metadata: dict[str, Any] = dataclasses.field(default_factory=dict)
    type_name: str | None = None

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def ref(self) -> str:
        """How errors and ``--json`` name the script: the path as given."""
        return str(self.path)

    @property
    def job_path(self) -> str:
        return file_job_path(self.path)

    def signature(self) -> Signature:
        return infer_file(self.path)


def file_job_path(path: Path) -> str:
    """The Windmill path a local file runs as (its state is ``<this>/user``).

    Inside a ``wmill sync`` tree (a directory ``f`` or ``u`` above the file, with a folder or
    user below it) it is the path ``wmill sync push`` gives the script: ``.../f/etl/load.py`` ->
    ``f/etl/load``. Elsewhere it is ``u/<user>/<stem>_<8 hex digits of the absolute path>``
    (user: ``WM_USERNAME``, else the OS user), so each file keeps its own state and a moved file
    starts afresh, as a script moved to a new path does in Windmill.
    """
    from connectors.workspace.paths import sanitize_segment, user_segment

    resolved = path.resolve()
    parts = resolved.with_suffix("").parts
    for index in range(len(parts) - 3, -1, -1):
        if parts[index] in _SYNC_ROOTS:
            segments = [sanitize_segment(part, "x") for part in parts[index + 1 :]]
            return "/".join([parts[index], *segments])
    digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:8]
    user = user_segment(os.environ.get("WM_USERNAME"))
    return f"u/{user}/{sanitize_segment(resolved.stem, 'script')}_{digest}"


def script_file(path: Path) -> ScriptFile:
    """A script file and its ``<name>.script.yaml`` (when present); a HubError if unreadable."""
    if not path.is_file():
        raise HubError(f"no script file {str(path)!r}")
    sidecar = path.with_name(path.stem + ".script.yaml")
    return ScriptFile(path, read_sidecar(sidecar))


def is_file_ref(ref: str) -> bool:
    """Whether ``connectors run REF`` names a file (``*.py`` or an existing file)."""
    return ref.endswith(".py") or Path(ref).is_file()


def _sidecar_defaults(metadata: Mapping[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    stored = metadata.get("schema")
    if not isinstance(stored, dict) or not isinstance(stored.get("properties"), dict):
        return {}
    return {
        name: prop["default"]
        for name, prop in stored["properties"].items()
        if isinstance(prop, dict) and "default" in prop and name in schema["properties"]
    }


@dataclasses.dataclass
class Run:
    """A finished run: the script, the (masked) arguments and the JSON-safe result."""

    script: HubScript | ScriptFile
    args: dict[str, Any]
    result: Any


def run(
    ref: str | Path | HubScript | ScriptFile,
    *,
    resource: Any = None,
    pairs: list[str] | None = None,
    json_args: Mapping[str, Any] | None = None,
    show_secrets: bool = False,
    progress: bool = False,
) -> Run:
    """Run the hub script ``TYPE/NAME`` or the script file at ``ref``; return its result.

    ``progress``: draw the script's ``set_progress`` values as a bar on stderr.
    """
    script: HubScript | ScriptFile
    if isinstance(ref, Path) or (isinstance(ref, str) and is_file_ref(ref)):
        script = script_file(Path(ref))
    elif isinstance(ref, str):
        script = find(ref)
    else:
        script = ref
    signature = script.signature()
    schema = signature.schema
    args = build_args(script, schema, pairs or [], json_args)
    for name, value in _sidecar_defaults(script.metadata, schema).items():
        args.setdefault(name, value)
    redactor = Redactor()
    resolved_args: dict[str, Resource] = {}
    resource_args = {n: t for n, t in signature.resource_args.items() if t != "s3_object"}
    if isinstance(script, ScriptFile):
        own = list(resource_args)[:1]
    else:
        own = [name for name, rtype in resource_args.items() if rtype == script.type_name]
    if resource is not None:
        if not own:
            wanted = f"{script.type_name} " if script.type_name else ""
            raise HubError(f"{script.ref} takes no {wanted}resource argument")
        args[own[0]] = resource
    for name, rtype in resource_args.items():
        if name in args and args[name] is not None:
            resolved = resolve_resource(args[name], type_name=rtype)
            redactor.extend(redactor_for(resolved.resource_type, resolved.value))
            resolved_args[name] = resolved
            args[name] = resolved.value
    for name, rtype in signature.resource_args.items():
        if rtype == "s3_object" and isinstance(args.get(name), str):
            args[name] = dict(_s3_object(args[name]))  # a key or an s3:// URI
    if own and own[0] not in args and own[0] in schema["required"]:
        wanted = script.type_name or resource_args[own[0]]
        raise HubError(f"{script.ref} needs a {wanted} resource: give --resource")
    validate_args(script, schema, args)
    call = {name: _to_python(value, schema["properties"][name]) for name, value in args.items()}
    if isinstance(script, ScriptFile):
        from connectors.hub.installed import check_installed

        check_installed(script.path.read_text(encoding="utf-8"), script.ref)
    result = _execute(script, call, redactor, progress)
    # The result is what the user asked for (a presigned URL, a SAS token): shown as it is.
    shown_args = jsonable(args) if show_secrets else _shown_args(args, resolved_args, redactor)
    return Run(script, shown_args, jsonable(result))


def _module_name(script: HubScript | ScriptFile) -> str:
    if isinstance(script, ScriptFile):
        digest = hashlib.sha256(str(script.path.resolve()).encode()).hexdigest()[:12]
        return f"connectors_script_{digest}"
    return f"hub_script_{script.type_name}_{script.name}"


@contextlib.contextmanager
def _logs_to_stderr() -> Iterator[None]:
    """The script's prints (Python's and the C libraries') go to stderr, as a job's logs do,
    so stdout keeps only the result."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
        os.dup2(2, 1)
    except OSError:
        saved = -1
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        sys.stderr.flush()
        if saved >= 0:
            os.dup2(saved, 1)
            os.close(saved)


def _execute(
    script: HubScript | ScriptFile, call: dict[str, Any], redactor: Redactor, progress: bool
) -> Any:
    from connectors import progress as bar

    path = script.path.resolve()
    with job_directory(), job_environment(script.job_path), serve_wmill(), _logs_to_stderr():
        if progress:
            bar.start(sys.stderr, script.ref)
        try:
            module = load_path(path, _module_name(script))
            main = getattr(module, "main", None)
            if not callable(main):
                raise HubError(f"{script.ref}: no top-level def main(...)")
            result = main(**call)
            if inspect.isawaitable(result):
                result = asyncio.run(_await(result))
            return result
        except HubError:
            raise
        except ModuleNotFoundError as exc:
            from connectors.hub.requirements import requirements

            _missing_driver(script, exc)
            missing = exc.name or str(exc)
            package = (requirements(f"import {missing}\n") or [missing.split(".")[0]])[0]
            raise HubError(
                f"{script.ref} imports {missing!r}, which is not installed: "
                f"pip install {shlex.quote(package)}"
            ) from None
        except Exception as exc:
            message = redactor(" ".join(f"{type(exc).__name__}: {exc}".split()))
            raise HubError(f"{script.ref} failed: {message}") from exc
        finally:
            if progress:
                bar.finish()


def _missing_driver(script: HubScript | ScriptFile, exc: ModuleNotFoundError) -> None:
    """A hub script of an installed type that lacks its driver: the type's own ``pip install``
    (``storage-connectors[EXTRA]``, or the plugin's distribution) as a MissingDriverError."""
    from connectors.drivers import needs_driver
    from connectors.plugins import get_registry

    connector = get_registry().connectors.get(script.type_name or "")
    if isinstance(script, HubScript) and connector is not None:
        try:
            with needs_driver(connector):
                raise exc
        except ModuleNotFoundError:
            return  # not the type's driver: said as for any script


async def _await(awaitable: Any) -> Any:
    return await awaitable
