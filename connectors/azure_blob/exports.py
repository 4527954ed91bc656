"""The azure_blob type in the formats of the tools next door (``connectors parse --format``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from connectors.azure_blob.values import account_url, to_connection_string
from connectors.formats import FormatError, clean


def airflow_connection(v: dict[str, Any]) -> dict[str, Any]:
    extra = {}
    if v.get("sasToken"):  # a full https URL is taken as the account URL by WasbHook
        extra["sas_token"] = f"{account_url(v)}/?{str(v['sasToken']).lstrip('?')}"
    return {
        "conn_type": "wasb",
        "host": v.get("endpoint") or None,
        "login": v.get("accountName"),
        "password": v.get("accessKey"),
        "extra": extra,
    }


def dlt_tables(v: dict[str, Any]) -> dict[str, dict[str, Any]]:
    if not v.get("containerName"):
        raise FormatError(
            "dlt's filesystem destination writes to one container (bucket_url "
            "az://<container>): this azure_blob resource has no containerName"
        )
    credentials = {
        "azure_storage_account_name": v.get("accountName"),
        "azure_storage_account_key": v.get("accessKey"),
        "azure_storage_sas_token": v.get("sasToken"),
        "azure_account_host": urlsplit(str(v.get("endpoint") or "")).netloc,
    }
    return {
        "destination.filesystem": {"bucket_url": f"az://{v['containerName']}"},
        "destination.filesystem.credentials": clean(credentials),
    }


def env_vars(v: dict[str, Any]) -> dict[str, str]:
    found = {
        "AZURE_STORAGE_CONNECTION_STRING": to_connection_string(v),
        "AZURE_STORAGE_ACCOUNT": str(v.get("accountName", "")),
    }
    if v.get("accessKey"):
        found["AZURE_STORAGE_KEY"] = str(v["accessKey"])
    return found
