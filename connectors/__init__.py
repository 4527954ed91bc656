"""storage-connectors: connection strings to typed, Windmill-compatible resources.

Everything public is importable from here; nothing heavy is imported until it is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from connectors.lazy import lazy_exports

__version__ = "0.1.0"

# name -> module that defines it; resolved on first attribute access (PEP 562).
_EXPORTS: dict[str, str] = {
    # resource model and errors
    "Resource": "connectors.resource",
    "ResourceType": "connectors.resource",
    "CheckResult": "connectors.resource",
    "CheckStep": "connectors.resource",
    "ConnectorsError": "connectors.errors",
    "ParseError": "connectors.errors",
    "ValidationError": "connectors.errors",
    "CheckError": "connectors.errors",
    "PluginError": "connectors.errors",
    "UnknownTypeError": "connectors.errors",
    "MissingDriverError": "connectors.errors",
    "WorkspaceError": "connectors.errors",
    # plugin authors
    "Connector": "connectors.connector",
    "Match": "connectors.connector",
    "EnvSource": "connectors.connector",
    "hookimpl": "connectors.hookspecs",
    # core functions
    "parse": "connectors.api",
    "to_connection_string": "connectors.api",
    "resource_types": "connectors.api",
    "validate": "connectors.api",
    "connect": "connectors.api",
    "check": "connectors.api",
    "redact": "connectors.redact",
    # Windmill-compatible client: resources, variables, states
    "get_resource": "connectors.client",
    "set_resource": "connectors.client",
    "list_resources": "connectors.client",
    "get_variable": "connectors.client",
    "set_variable": "connectors.client",
    "get_state": "connectors.client",
    "set_state": "connectors.client",
    "get_state_path": "connectors.client",
    "set_flow_user_state": "connectors.client",
    "get_flow_user_state": "connectors.client",
    "set_shared_state": "connectors.client",
    "get_shared_state": "connectors.client",
    "set_shared_state_pickle": "connectors.client",
    "get_shared_state_pickle": "connectors.client",
    "get_workspace": "connectors.client",
    "get_root_job_id": "connectors.client",
    "parse_resource_syntax": "connectors.client",
    "parse_variable_syntax": "connectors.client",
    "update_state": "connectors.client",
    # Windmill-compatible client: object storage
    "S3Object": "connectors.objectstore",
    "load_s3_file": "connectors.objectstore",
    "load_s3_file_reader": "connectors.objectstore",
    "write_s3_file": "connectors.objectstore",
    "delete_s3_object": "connectors.objectstore",
    "sign_s3_object": "connectors.objectstore",
    "sign_s3_objects": "connectors.objectstore",
    "get_presigned_s3_public_url": "connectors.objectstore",
    "get_presigned_s3_public_urls": "connectors.objectstore",
    "parse_s3_object": "connectors.objectstore",
    "PolarsConnectionSettings": "connectors.objectstore.types",
    "DuckDbConnectionSettings": "connectors.objectstore.types",
    "Boto3ConnectionSettings": "connectors.objectstore.types",
    "polars_connection_settings": "connectors.objectstore",
    "duckdb_connection_settings": "connectors.objectstore",
    "boto3_connection_settings": "connectors.objectstore",
}

__all__ = sorted(_EXPORTS)


lazy_exports(globals(), _EXPORTS)


if TYPE_CHECKING:
    from connectors import redact as redact
    from connectors.api import (
        check as check,
        connect as connect,
        parse as parse,
        resource_types as resource_types,
        to_connection_string as to_connection_string,
        validate as validate,
    )
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
        update_state as update_state,
    )
    from connectors.connector import Connector as Connector, EnvSource as EnvSource, Match as Match
    from connectors.errors import (
        CheckError as CheckError,
        ConnectorsError as ConnectorsError,
        MissingDriverError as MissingDriverError,
        ParseError as ParseError,
        PluginError as PluginError,
        UnknownTypeError as UnknownTypeError,
        ValidationError as ValidationError,
        WorkspaceError as WorkspaceError,
    )
    from connectors.hookspecs import hookimpl as hookimpl
    from connectors.objectstore import (
        S3Object as S3Object,
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
    )
    from connectors.resource import (
        CheckResult as CheckResult,
        CheckStep as CheckStep,
        Resource as Resource,
        ResourceType as ResourceType,
    )
