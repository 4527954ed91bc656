"""The ``wmill`` client's public API in one module: ``import connectors.wmill as wmill``.

Every storage-side name of wmill 1.850.0, with its parameter names, order and defaults (a test
compares them with the real package by ``inspect.signature``): resources, variables, states,
flow user state, the shared directory, object storage (``S3Object``, load/write/delete/sign,
presigned public URLs, the polars/DuckDB/boto3 connection settings and their typed dicts) and
the path helpers. Locally they work on the workspace store and its object storage; inside a
Windmill worker (``WM_BASE_URL``, ``WM_TOKEN``, ``WM_WORKSPACE``) they send wmill's requests to
Windmill's API. The job and flow functions (``run_script*``, ``get_result``, ``get_resume_urls``,
...) are in ``connectors.jobs``: the real wmill client inside a worker, a one-line error outside.

``connectors run PATH.py`` makes ``import wmill`` give this module. Names are resolved on first
use, so importing it costs nothing until a function is called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from connectors.lazy import lazy_exports

_CLIENT = "connectors.client"
_STORE = "connectors.objectstore"
_TYPES = "connectors.objectstore.types"
_JOBS = "connectors.jobs"

#: name -> module that defines it
STORAGE: dict[str, str] = {
    "get_resource": _CLIENT,
    "set_resource": _CLIENT,
    "list_resources": _CLIENT,
    "get_variable": _CLIENT,
    "set_variable": _CLIENT,
    "get_state": _CLIENT,
    "set_state": _CLIENT,
    "get_state_path": _CLIENT,
    "get_flow_user_state": _CLIENT,
    "set_flow_user_state": _CLIENT,
    "get_shared_state": _CLIENT,
    "set_shared_state": _CLIENT,
    "get_shared_state_pickle": _CLIENT,
    "set_shared_state_pickle": _CLIENT,
    "get_workspace": _CLIENT,
    "get_root_job_id": _CLIENT,
    "parse_resource_syntax": _CLIENT,
    "parse_variable_syntax": _CLIENT,
    "load_s3_file": _STORE,
    "load_s3_file_reader": _STORE,
    "write_s3_file": _STORE,
    "delete_s3_object": _STORE,
    "sign_s3_object": _STORE,
    "sign_s3_objects": _STORE,
    "get_presigned_s3_public_url": _STORE,
    "get_presigned_s3_public_urls": _STORE,
    "parse_s3_object": _STORE,
    "polars_connection_settings": _STORE,
    "duckdb_connection_settings": _STORE,
    "boto3_connection_settings": _STORE,
    "S3Object": _TYPES,
    "S3FsClientKwargs": _TYPES,
    "S3FsArgs": _TYPES,
    "StorageOptions": _TYPES,
    "PolarsConnectionSettings": _TYPES,
    "DuckDbConnectionSettings": _TYPES,
    "Boto3ConnectionSettings": _TYPES,
}
JOBS: dict[str, str] = {
    name: _JOBS
    for name in (
        "get_version",
        "run_script_async",
        "run_flow_async",
        "run_script_sync",
        "run_script_by_path_async",
        "run_script_by_hash_async",
        "run_script_by_path_sync",
        "run_script",
        "run_script_by_path",
        "run_script_by_hash",
        "run_inline_script_preview",
        "get_id_token",
        "get_job_status",
        "get_job",
        "get_result",
        "whoami",
        "worker_is_draining",
        "cancel_job",
        "cancel_running",
        "username_to_email",
        "commit_kafka_offsets",
        "datatable",
        "ducklake",
        "get_resume_urls",
        "get_approval_urls",
        "request_interactive_slack_approval",
        "send_teams_message",
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
        "wait_for_approval",
        "parallel",
        "TaskError",
        "Windmill",
        "WorkerRequiredError",
    )
}
_EXPORTS = {**STORAGE, **JOBS}

__all__ = sorted(_EXPORTS)


lazy_exports(globals(), _EXPORTS)


if TYPE_CHECKING:
    from connectors.client import (
        get_flow_user_state as get_flow_user_state,
        get_resource as get_resource,
        get_root_job_id as get_root_job_id,
        get_shared_state as get_shared_state,
        get_shared_state_pickle as get_shared_state_pickle,
        get_state as get_state,
        get_state_path as get_state_path,
        get_variable as get_variable,
        get_workspace as get_workspace,
        list_resources as list_resources,
        parse_resource_syntax as parse_resource_syntax,
        parse_variable_syntax as parse_variable_syntax,
        set_flow_user_state as set_flow_user_state,
        set_resource as set_resource,
        set_shared_state as set_shared_state,
        set_shared_state_pickle as set_shared_state_pickle,
        set_state as set_state,
        set_variable as set_variable,
    )
    from connectors.jobs import (
        TaskError as TaskError,
        Windmill as Windmill,
        WorkerRequiredError as WorkerRequiredError,
        append_to_result_stream as append_to_result_stream,
        cancel_job as cancel_job,
        cancel_running as cancel_running,
        commit_kafka_offsets as commit_kafka_offsets,
        datatable as datatable,
        ducklake as ducklake,
        get_approval_urls as get_approval_urls,
        get_id_token as get_id_token,
        get_job as get_job,
        get_job_status as get_job_status,
        get_progress as get_progress,
        get_result as get_result,
        get_resume_urls as get_resume_urls,
        get_version as get_version,
        parallel as parallel,
        request_interactive_slack_approval as request_interactive_slack_approval,
        run_flow_async as run_flow_async,
        run_inline_script_preview as run_inline_script_preview,
        run_script as run_script,
        run_script_async as run_script_async,
        run_script_by_hash as run_script_by_hash,
        run_script_by_hash_async as run_script_by_hash_async,
        run_script_by_path as run_script_by_path,
        run_script_by_path_async as run_script_by_path_async,
        run_script_by_path_sync as run_script_by_path_sync,
        run_script_sync as run_script_sync,
        send_teams_message as send_teams_message,
        set_progress as set_progress,
        sleep as sleep,
        step as step,
        stream_result as stream_result,
        task as task,
        task_flow as task_flow,
        task_script as task_script,
        username_to_email as username_to_email,
        wait_for_approval as wait_for_approval,
        whoami as whoami,
        worker_is_draining as worker_is_draining,
        workflow as workflow,
    )
    from connectors.objectstore import (
        boto3_connection_settings as boto3_connection_settings,
        delete_s3_object as delete_s3_object,
        duckdb_connection_settings as duckdb_connection_settings,
        get_presigned_s3_public_url as get_presigned_s3_public_url,
        get_presigned_s3_public_urls as get_presigned_s3_public_urls,
        load_s3_file as load_s3_file,
        load_s3_file_reader as load_s3_file_reader,
        parse_s3_object as parse_s3_object,
        polars_connection_settings as polars_connection_settings,
        sign_s3_object as sign_s3_object,
        sign_s3_objects as sign_s3_objects,
        write_s3_file as write_s3_file,
    )
    from connectors.objectstore.types import (
        Boto3ConnectionSettings as Boto3ConnectionSettings,
        DuckDbConnectionSettings as DuckDbConnectionSettings,
        PolarsConnectionSettings as PolarsConnectionSettings,
        S3FsArgs as S3FsArgs,
        S3FsClientKwargs as S3FsClientKwargs,
        S3Object as S3Object,
        StorageOptions as StorageOptions,
    )
