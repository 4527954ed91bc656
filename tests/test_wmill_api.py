"""``connectors.wmill`` against the real ``wmill`` package (1.850.0, a test dependency).

Every storage-side name and every job/flow function of wmill exists in ``connectors.wmill`` with
the same parameter names, kinds, order and defaults (``inspect.signature``); the typed dicts are
dict subclasses with attribute access; job functions raise one clear error outside a worker.
"""

from __future__ import annotations

import asyncio
import inspect
import subprocess
import sys

import pytest

import connectors.wmill as ours
from connectors.jobs import WorkerRequiredError, real_wmill

WMILL_VERSION = "1.850.0"

STORAGE = [
    "get_resource",
    "set_resource",
    "list_resources",
    "get_variable",
    "set_variable",
    "get_state",
    "set_state",
    "get_state_path",
    "get_flow_user_state",
    "set_flow_user_state",
    "get_shared_state",
    "set_shared_state",
    "get_shared_state_pickle",
    "set_shared_state_pickle",
    "load_s3_file",
    "load_s3_file_reader",
    "write_s3_file",
    "delete_s3_object",
    "sign_s3_object",
    "sign_s3_objects",
    "get_presigned_s3_public_url",
    "get_presigned_s3_public_urls",
    "parse_s3_object",
    "get_workspace",
    "get_root_job_id",
    "parse_resource_syntax",
    "parse_variable_syntax",
    "polars_connection_settings",
    "duckdb_connection_settings",
    "boto3_connection_settings",
]
TYPES = [
    "S3Object",
    "PolarsConnectionSettings",
    "DuckDbConnectionSettings",
    "Boto3ConnectionSettings",
    "S3FsArgs",
    "S3FsClientKwargs",
    "StorageOptions",
]
# wmill's public functions that are not part of its API for scripts: internal helpers
NOT_API = {
    "init_global_client": "decorator wmill uses on its own functions",
    "deprecate": "decorator wmill uses on its own functions",
    "bytes_generator": "upload helper of the client class",
    "infer_sql_type": "helper of the datatable client",
    "parse_sql_client_name": "helper of the datatable client",
}
# callable locally (no worker needed), as in wmill outside a job
LOCAL = {
    "set_progress",
    "get_progress",
    "append_to_result_stream",
    "stream_result",
    "workflow",
    "task",
    "task_script",
    "task_flow",
    "step",
    "sleep",
    "parallel",
}


@pytest.fixture(scope="module")
def wmill():
    module = real_wmill()
    from importlib.metadata import version

    assert version("wmill") == WMILL_VERSION
    return module


def _shape(function):
    """(name, kind, default) of every parameter: what a caller depends on."""
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


def _public_functions(module):
    return sorted(
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and inspect.isfunction(value)
        and value.__module__.startswith(module.__name__)
    )


@pytest.mark.parametrize("name", STORAGE)
def test_storage_signatures_match_wmill(wmill, name):
    assert _shape(getattr(ours, name)) == _shape(getattr(wmill, name))


def test_every_wmill_function_exists_here(wmill):
    job_functions = [n for n in _public_functions(wmill) if n not in NOT_API]
    missing = [n for n in job_functions if not hasattr(ours, n)]
    assert missing == []
    differ = [n for n in job_functions if _shape(getattr(ours, n)) != _shape(getattr(wmill, n))]
    assert differ == []
    coroutine = [n for n in job_functions if inspect.iscoroutinefunction(getattr(wmill, n))]
    assert [n for n in coroutine if not inspect.iscoroutinefunction(getattr(ours, n))] == []


def test_windmill_class_and_task_error_signatures(wmill):
    assert _shape(ours.Windmill.__new__)[1:] == _shape(wmill.Windmill.__init__)[1:]
    assert _shape(ours.TaskError.__init__) == _shape(wmill.TaskError.__init__)


@pytest.mark.parametrize("name", TYPES)
def test_types_are_attribute_dicts(wmill, name):
    ours_type, theirs = getattr(ours, name), getattr(wmill, name)
    assert issubclass(ours_type, dict) and issubclass(theirs, dict)
    value = ours_type({"a": 1})
    assert value.a == 1 and value["a"] == 1 and value == {"a": 1}
    with pytest.raises(AttributeError):
        _ = value.missing
    assert not hasattr(value, "missing")


def test_parse_helpers_agree_with_wmill(wmill):
    for text in ["$res:f/a/b", "res://u/x/y", "f/a/b", "var://f/v", "$var:f/v", ""]:
        assert ours.parse_resource_syntax(text) == wmill.parse_resource_syntax(text)
        assert ours.parse_variable_syntax(text) == wmill.parse_variable_syntax(text)
    for text in ["s3:///k/a.csv", "s3://archive/k", "s3://x/y/z"]:
        assert dict(ours.parse_s3_object(text)) == dict(wmill.parse_s3_object(text))
    for bad in ["k/a.csv", "s3://only-storage", "s3:///"]:
        with pytest.raises(ValueError):
            wmill.parse_s3_object(bad)
        with pytest.raises(ValueError):
            ours.parse_s3_object(bad)


JOB_CALLS = {
    "run_script_by_path": ("f/x/y",),
    "run_script_async": ("f/x/y",),
    "run_flow_async": ("f/x/flow",),
    "get_job_status": ("0190",),
    "get_result": ("0190",),
    "get_resume_urls": (),
    "whoami": (),
    "cancel_running": (),
    "datatable": (),
}


@pytest.mark.parametrize("name", sorted(JOB_CALLS))
def test_job_functions_need_a_worker(name, monkeypatch):
    for var in ("WM_BASE_URL", "BASE_INTERNAL_URL", "WM_TOKEN", "WM_WORKSPACE"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(WorkerRequiredError) as caught:
        getattr(ours, name)(*JOB_CALLS[name])
    message = str(caught.value)
    assert message == (
        f"wmill.{name}() needs a Windmill worker (WM_BASE_URL, WM_TOKEN and WM_WORKSPACE set): "
        "a local run has no Windmill jobs"
    )


def test_every_job_function_fails_the_same_way_locally(wmill, monkeypatch):
    for var in ("WM_BASE_URL", "BASE_INTERNAL_URL", "WM_TOKEN", "WM_WORKSPACE"):
        monkeypatch.delenv(var, raising=False)
    for name in _public_functions(wmill):
        if name in NOT_API or name in LOCAL or name in STORAGE:
            continue
        function = getattr(ours, name)
        arguments = [
            "x"
            for p in inspect.signature(function).parameters.values()
            if p.default is inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD
        ]
        with pytest.raises(WorkerRequiredError, match=rf"^wmill\.{name}\(\) needs a Windmill"):
            result = function(*arguments)
            if inspect.iscoroutine(result):
                asyncio.run(result)


def test_local_workflow_helpers_run_in_place(monkeypatch):
    for var in ("WM_BASE_URL", "BASE_INTERNAL_URL", "WM_TOKEN", "WM_WORKSPACE"):
        monkeypatch.delenv(var, raising=False)

    @ours.task
    def double(n):
        return (n * 2, "x")

    @ours.workflow
    async def flow():
        step = await ours.step("now", lambda: {"t": (1, 2)})
        many = await ours.parallel([1, 2, 3], _async_double, concurrency=2)
        return double(4), step, many

    assert asyncio.run(flow()) == ([8, "x"], {"t": [1, 2]}, [2, 4, 6])
    late = ours.task_script("f/x/y")
    with pytest.raises(WorkerRequiredError):
        late(1)
    with pytest.raises(WorkerRequiredError):
        asyncio.run(ours.wait_for_approval())


async def _async_double(n):
    return n * 2


def test_progress_locally_without_a_terminal(monkeypatch):
    for var in ("WM_BASE_URL", "BASE_INTERNAL_URL", "WM_TOKEN", "WM_WORKSPACE"):
        monkeypatch.delenv(var, raising=False)
    assert ours.get_progress("job-a") is None
    ours.set_progress(40, "job-a")
    assert ours.get_progress("job-a") == 40
    ours.set_progress(150)
    assert ours.get_progress() == 100


def test_import_connectors_stays_cheap():
    code = (
        "import sys, connectors, connectors.wmill; "
        "heavy = {'httpx', 'boto3', 'polars', 'duckdb', 'jsonschema', 'pydantic', 'wmill', "
        "'connectors.client', 'connectors.objectstore'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
