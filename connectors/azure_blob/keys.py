"""The keys an Azure storage string is written with: connection-string keys and the
environment variables of the az CLI and object_store. Imported for detection, without the parser."""

from __future__ import annotations

#: connection-string keys the parser reads (upper case: keys are case-insensitive)
KNOWN_KEYS = {
    "DEFAULTENDPOINTSPROTOCOL",
    "ACCOUNTNAME",
    "ACCOUNTKEY",
    "ENDPOINTSUFFIX",
    "BLOBENDPOINT",
    "BLOBSECONDARYENDPOINT",
    "SHAREDACCESSSIGNATURE",
    "USEDEVELOPMENTSTORAGE",
    "DEVELOPMENTSTORAGEPROXYURI",
    "CONTAINERNAME",
    "BLOBPREFIX",
}
OTHER_SERVICES = {
    f"{service}{kind}ENDPOINT"
    for service in ("QUEUE", "TABLE", "FILE", "DFS")
    for kind in ("", "SECONDARY")
}

#: environment variables (az CLI, object_store) -> connection-string keys
ENV_KEYS = {
    "AZURE_STORAGE_ACCOUNT": "AccountName",
    "AZURE_STORAGE_ACCOUNT_NAME": "AccountName",
    "AZURE_STORAGE_KEY": "AccountKey",
    "AZURE_STORAGE_ACCOUNT_KEY": "AccountKey",
    "AZURE_STORAGE_ACCESS_KEY": "AccountKey",
    "AZURE_STORAGE_SAS_TOKEN": "SharedAccessSignature",
    "AZURE_STORAGE_SAS_KEY": "SharedAccessSignature",
    "AZURE_STORAGE_ENDPOINT": "BlobEndpoint",
    "AZURE_STORAGE_CONTAINER": "ContainerName",
    "AZURE_STORAGE_CONTAINER_NAME": "ContainerName",
}

#: what an Azure string starts with (``Connector.text_keys``)
TEXT_KEYS = frozenset({*KNOWN_KEYS, *OTHER_SERVICES, *ENV_KEYS, "AZURE_STORAGE_CONNECTION_STRING"})
