"""wmill's job and flow functions, with wmill 1.850.0's signatures.

They act on Windmill jobs (run a script, read a job's result, resume a flow ...), which exist only
inside a Windmill worker. There (``WM_BASE_URL``/``BASE_INTERNAL_URL``, ``WM_TOKEN`` and
``WM_WORKSPACE`` set) each call is the real ``wmill`` client's, loaded from the installed ``wmill``
package; outside, each raises :class:`WorkerRequiredError`, one line naming the function.

Some work locally as they do in wmill outside a job: ``set_progress``/``get_progress`` (a bar on
the terminal during ``connectors run``, see ``connectors.progress``), ``append_to_result_stream``
and ``stream_result`` (print), and the workflow-as-code helpers run standalone (``workflow``,
``task``, ``step``, ``sleep``, ``parallel``: the function runs in place, its result JSON
round-tripped as a job's would be).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import importlib.machinery
import importlib.util
import json
import sys
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any, Literal

from connectors.errors import ConnectorsError

_REAL_NAME = "_connectors_real_wmill"


class WorkerRequiredError(ConnectorsError):
    """A wmill function that needs a Windmill job was called outside a Windmill worker."""

    def __init__(self, function: str) -> None:
        super().__init__(
            f"wmill.{function}() needs a Windmill worker (WM_BASE_URL, WM_TOKEN and WM_WORKSPACE "
            "set): a local run has no Windmill jobs"
        )


def in_worker() -> bool:
    """Whether the Windmill worker variables are set."""
    from connectors.workspace.store import windmill_settings

    return windmill_settings() is not None


def real_wmill() -> ModuleType:
    """The installed ``wmill`` package, even when ``import wmill`` is served by this package."""
    loaded = sys.modules.get(_REAL_NAME)
    if loaded is not None:
        return loaded
    current = sys.modules.get("wmill")
    if current is not None and hasattr(current, "Windmill") and not _is_ours(current):
        return current
    spec = importlib.machinery.PathFinder.find_spec("wmill")
    if spec is None or spec.origin is None:
        raise ConnectorsError(
            "this wmill function runs Windmill's own client inside a worker: pip install wmill"
        )
    spec = importlib.util.spec_from_file_location(
        _REAL_NAME, spec.origin, submodule_search_locations=spec.submodule_search_locations
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[_REAL_NAME] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[_REAL_NAME]
        raise
    return module


def _is_ours(module: ModuleType) -> bool:
    return str(getattr(module, "__name__", "")).startswith("connectors")


def _worker(function: str) -> Any:
    if not in_worker():
        raise WorkerRequiredError(function)
    return getattr(real_wmill(), function)


# --- jobs ---------------------------------------------------------------------------------------
def get_version() -> str:
    """The Windmill server's version."""
    return str(_worker("get_version")())


def run_script_async(
    hash_or_path: str,
    args: dict[str, Any] | None = None,
    scheduled_in_secs: int | None = None,
    tag: str | None = None,
) -> str:
    """Start a script (by hash, or by path when it has a '/') and return the job id."""
    return str(_worker("run_script_async")(hash_or_path, args, scheduled_in_secs, tag))


def run_flow_async(
    path: str,
    args: dict[str, Any] | None = None,
    scheduled_in_secs: int | None = None,
    do_not_track_in_parent: bool = True,
    tag: str | None = None,
) -> str:
    """Start a flow and return the job id."""
    call = _worker("run_flow_async")
    return str(call(path, args, scheduled_in_secs, do_not_track_in_parent, tag))


def run_script_sync(
    hash: str,
    args: dict[str, Any] | None = None,
    verbose: bool = False,
    assert_result_is_not_none: bool = True,
    cleanup: bool = True,
    timeout: dt.timedelta | None = None,
    tag: str | None = None,
) -> Any:
    """Run a script by hash and wait for its result."""
    call = _worker("run_script_sync")
    return call(hash, args, verbose, assert_result_is_not_none, cleanup, timeout, tag)


def run_script_by_path_async(
    path: str,
    args: dict[str, Any] | None = None,
    scheduled_in_secs: int | None = None,
    tag: str | None = None,
    retry: dict[str, Any] | None = None,
) -> str:
    """Start a script by path and return the job id."""
    return str(_worker("run_script_by_path_async")(path, args, scheduled_in_secs, tag, retry))


def run_script_by_hash_async(
    hash_: str,
    args: dict[str, Any] | None = None,
    scheduled_in_secs: int | None = None,
    tag: str | None = None,
    retry: dict[str, Any] | None = None,
) -> str:
    """Start a script by hash and return the job id."""
    return str(_worker("run_script_by_hash_async")(hash_, args, scheduled_in_secs, tag, retry))


def run_script_by_path_sync(
    path: str,
    args: dict[str, Any] | None = None,
    verbose: bool = False,
    assert_result_is_not_none: bool = True,
    cleanup: bool = True,
    timeout: dt.timedelta | None = None,
    tag: str | None = None,
) -> Any:
    """Run a script by path and wait for its result."""
    call = _worker("run_script_by_path_sync")
    return call(path, args, verbose, assert_result_is_not_none, cleanup, timeout, tag)


def run_script(
    path: str | None = None,
    hash_: str | None = None,
    args: dict[str, Any] | None = None,
    timeout: dt.timedelta | int | float | None = None,
    verbose: bool = False,
    cleanup: bool = True,
    assert_result_is_not_none: bool = True,
    tag: str | None = None,
) -> Any:
    """Run a script by path or hash and wait for its result (deprecated in wmill)."""
    call = _worker("run_script")
    return call(path, hash_, args, timeout, verbose, cleanup, assert_result_is_not_none, tag)


def run_script_by_path(
    path: str,
    args: dict[str, Any] | None = None,
    timeout: dt.timedelta | int | float | None = None,
    verbose: bool = False,
    cleanup: bool = True,
    assert_result_is_not_none: bool = True,
    tag: str | None = None,
) -> Any:
    """Run a script by path and wait for its result."""
    call = _worker("run_script_by_path")
    return call(path, args, timeout, verbose, cleanup, assert_result_is_not_none, tag)


def run_script_by_hash(
    hash_: str,
    args: dict[str, Any] | None = None,
    timeout: dt.timedelta | int | float | None = None,
    verbose: bool = False,
    cleanup: bool = True,
    assert_result_is_not_none: bool = True,
    tag: str | None = None,
) -> Any:
    """Run a script by hash and wait for its result."""
    call = _worker("run_script_by_hash")
    return call(hash_, args, timeout, verbose, cleanup, assert_result_is_not_none, tag)


def run_inline_script_preview(
    content: str, language: str, args: dict[str, Any] | None = None
) -> Any:
    """Run code on the current worker without creating a job."""
    return _worker("run_inline_script_preview")(content, language, args)


def get_id_token(audience: str) -> str:
    """An OIDC token for ``audience``."""
    return str(_worker("get_id_token")(audience))


def get_job_status(job_id: str) -> Literal["RUNNING", "WAITING", "COMPLETED"]:
    """RUNNING, WAITING or COMPLETED."""
    status: Literal["RUNNING", "WAITING", "COMPLETED"] = _worker("get_job_status")(job_id)
    return status


def get_job(job_id: str) -> dict[str, Any]:
    """The job's details."""
    job: dict[str, Any] = _worker("get_job")(job_id)
    return job


def get_result(job_id: str, assert_result_is_not_none: bool = True) -> Any:
    """A completed job's result."""
    return _worker("get_result")(job_id, assert_result_is_not_none)


def whoami() -> dict[str, Any]:
    """The user the job runs as."""
    user: dict[str, Any] = _worker("whoami")()
    return user


def worker_is_draining(job_id: str | None = None) -> bool:
    """Whether the job's worker has been asked to shut down."""
    return bool(_worker("worker_is_draining")(job_id))


def cancel_job(job_id: str, reason: str | None = None) -> str:
    """Cancel a job."""
    return str(_worker("cancel_job")(job_id, reason))


def cancel_running() -> dict[str, Any]:
    """Cancel the other running jobs of this script."""
    done: dict[str, Any] = _worker("cancel_running")()
    return done


def username_to_email(username: str) -> str:
    """A workspace user's email (deprecated in wmill)."""
    return str(_worker("username_to_email")(username))


def commit_kafka_offsets(trigger_path: str, topic: str, partition: int, offset: int) -> None:
    """Commit Kafka offsets of a trigger without auto-commit."""
    _worker("commit_kafka_offsets")(trigger_path, topic, partition, offset)


def datatable(name: str = "main", *, role: str | None = None) -> Any:
    """A client of the workspace's data table ``name``."""
    return _worker("datatable")(name, role=role)


def ducklake(name: str = "main") -> Any:
    """A client of the workspace's DuckLake ``name``."""
    return _worker("ducklake")(name)


# --- flows and approvals ------------------------------------------------------------------------
def get_resume_urls(approver: str | None = None, flow_level: bool | None = None) -> dict[str, Any]:
    """The approval page, resume and cancel URLs of the current flow step."""
    urls: dict[str, Any] = _worker("get_resume_urls")(approver, flow_level)
    return urls


def get_approval_urls(step_key: str = "approval", approver: str | None = None) -> dict[str, Any]:
    """The resume URLs bound to one ``wait_for_approval`` step."""
    urls: dict[str, Any] = _worker("get_approval_urls")(step_key, approver)
    return urls


def request_interactive_slack_approval(
    slack_resource_path: str,
    channel_id: str,
    message: str | None = None,
    approver: str | None = None,
    default_args_json: dict[str, Any] | None = None,
    dynamic_enums_json: dict[str, Any] | None = None,
) -> None:
    """Ask for an approval in Slack (inside a flow)."""
    _worker("request_interactive_slack_approval")(
        slack_resource_path, channel_id, message, approver, default_args_json, dynamic_enums_json
    )


def send_teams_message(
    conversation_id: str, text: str, success: bool, card_block: dict[str, Any] | None = None
) -> Any:
    """Post to a Microsoft Teams conversation."""
    return _worker("send_teams_message")(conversation_id, text, success, card_block)


# --- progress and result streams: local too -----------------------------------------------------
def set_progress(value: int, job_id: str | None = None) -> None:
    """The job's progress (0-99); locally drawn as a bar on the terminal of ``connectors run``."""
    if in_worker():
        _worker("set_progress")(value, job_id)
        return
    from connectors import progress

    progress.set_progress(value, job_id)


def get_progress(job_id: str | None = None) -> Any:
    """The progress last set for the job (None if none)."""
    if in_worker():
        return _worker("get_progress")(job_id)
    from connectors import progress

    return progress.get_progress(job_id)


def append_to_result_stream(text: str) -> None:
    """Append text to the job's result stream (a ``WM_STREAM:`` line on stdout, as wmill)."""
    print("WM_STREAM: {}".format(text.replace(chr(10), "\\n")))


def stream_result(stream: Iterable[str]) -> None:
    """Append every text of ``stream`` to the result stream."""
    for text in stream:
        append_to_result_stream(text)


# --- workflow as code: standalone outside a worker ----------------------------------------------
def _round_trip(value: Any) -> Any:
    return json.loads(json.dumps(value))


def workflow(func: Any) -> Any:
    """Mark an async function as a workflow entry point."""
    if in_worker():
        return _worker("workflow")(func)
    func._is_workflow = True
    return func


def task(
    _func: Any = None,
    *,
    path: str | None = None,
    tag: str | None = None,
    timeout: int | None = None,
    cache_ttl: int | None = None,
    priority: int | None = None,
    concurrency_limit: int | None = None,
    concurrency_key: str | None = None,
    concurrency_time_window_s: int | None = None,
    retry: dict[str, Any] | None = None,
) -> Any:
    """Mark a function as a workflow task; outside a worker it runs in place."""
    if in_worker():
        return _worker("task")(
            _func,
            path=path,
            tag=tag,
            timeout=timeout,
            cache_ttl=cache_ttl,
            priority=priority,
            concurrency_limit=concurrency_limit,
            concurrency_key=concurrency_key,
            concurrency_time_window_s=concurrency_time_window_s,
            retry=retry,
        )

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            result = func(*args, **kwargs)
            if asyncio.iscoroutine(result):

                async def awaited() -> Any:
                    return _round_trip(await result)

                return awaited()
            return _round_trip(result)

        wrapper._is_task = True  # type: ignore[attr-defined]
        wrapper._task_path = path  # type: ignore[attr-defined]
        return wrapper

    return decorator(_func) if _func is not None else decorator


def _remote_task(function: str, path: str, options: dict[str, Any]) -> Any:
    if in_worker():
        return _worker(function)(path, **options)

    def unavailable(*args: Any, **kwargs: Any) -> Any:
        raise WorkerRequiredError(function)

    return unavailable


def task_script(
    path: str,
    *,
    timeout: int | None = None,
    tag: str | None = None,
    cache_ttl: int | None = None,
    priority: int | None = None,
    concurrency_limit: int | None = None,
    concurrency_key: str | None = None,
    concurrency_time_window_s: int | None = None,
    retry: dict[str, Any] | None = None,
) -> Any:
    """A task that runs the workspace script ``path`` (needs a worker when called)."""
    options = dict(locals())
    del options["path"]
    return _remote_task("task_script", path, options)


def task_flow(
    path: str,
    *,
    timeout: int | None = None,
    tag: str | None = None,
    cache_ttl: int | None = None,
    priority: int | None = None,
    concurrency_limit: int | None = None,
    concurrency_key: str | None = None,
    concurrency_time_window_s: int | None = None,
    retry: dict[str, Any] | None = None,
) -> Any:
    """A task that runs the workspace flow ``path`` (needs a worker when called)."""
    options = dict(locals())
    del options["path"]
    return _remote_task("task_flow", path, options)


async def step(name: str, fn: Callable[[], Any]) -> Any:
    """Run ``fn`` and return its JSON round-tripped result (checkpointed inside a workflow)."""
    if in_worker():
        return await _worker("step")(name, fn)
    result = fn()
    if asyncio.iscoroutine(result):
        result = await result
    return _round_trip(result)


async def sleep(seconds: int) -> None:
    """Sleep (a server-side suspension inside a workflow)."""
    if in_worker():
        await _worker("sleep")(seconds)
        return
    await asyncio.sleep(seconds)


async def wait_for_approval(
    timeout: int = 1800,
    form: dict[str, Any] | None = None,
    self_approval: bool = True,
    key: str | None = None,
    skin: Literal["detailed", "minimal"] | None = None,
    description: str | dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Suspend the workflow until approved (needs a worker)."""
    approved: dict[str, Any] = await _worker("wait_for_approval")(
        timeout, form, self_approval, key, skin, description
    )
    return approved


async def parallel(items: Any, fn: Callable[[Any], Any], *, concurrency: int | None = None) -> Any:
    """``fn(item)`` for every item, ``concurrency`` at a time (all at once by default)."""
    if in_worker():
        return await _worker("parallel")(items, fn, concurrency=concurrency)
    if not items:
        return []
    size = concurrency if concurrency and concurrency > 0 else len(items)
    results: list[Any] = []
    for start in range(0, len(items), size):
        batch = items[start : start + size]
        results.extend(await asyncio.gather(*(fn(item) for item in batch)))
    return results


class TaskError(Exception):
    """A workflow task that failed (wmill's ``TaskError``)."""

    def __init__(
        self,
        message: str,
        *,
        step_key: str = "",
        child_job_id: str | None = None,
        result: Any = None,
    ) -> None:
        super().__init__(message)
        self.step_key = step_key
        self.child_job_id = child_job_id
        self.result = result


class Windmill:
    """wmill's client class: the real one inside a worker (``Windmill(...)`` returns it)."""

    def __new__(
        cls,
        base_url: str | None = None,
        token: str | None = None,
        workspace: str | None = None,
        verify: bool = True,
    ) -> Any:
        return _worker("Windmill")(base_url, token, workspace, verify)
