"""The built-in azure_blob plugin: its connector lives in ``connectors.azure_blob.connector``."""

from connectors.azure_blob.connector import AzureBlob, register_connectors

__all__ = ["AzureBlob", "register_connectors"]
