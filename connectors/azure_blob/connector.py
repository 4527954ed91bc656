"""The azure_blob connector: Azure Blob Storage (public and sovereign clouds) and Azurite."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from connectors.azure_blob.keys import TEXT_KEYS
from connectors.connector import Connector, EnvSource, Match
from connectors.data_paths import resource_type_file, scripts_dir
from connectors.hookspecs import hookimpl
from connectors.lazy import lazy_import
from connectors.parsing import url_scheme
from connectors.resource import CheckResult, Resource

if TYPE_CHECKING:
    from connectors.azure_blob.parser import parse as parse_azure
    from connectors.azure_blob.values import provider_of, value_notes
    from connectors.objectstore.base import ObjectStore
else:  # imported when a text is parsed, not when another family's is detected
    lazy_import(globals(), "connectors.azure_blob.parser", "parse as parse_azure")
    lazy_import(globals(), "connectors.azure_blob.values", "provider_of", "value_notes")


# None: not a URL (a connection string or an environment block).
_SCHEMES = frozenset({None, "az", "azure", "abfs", "abfss", "wasb", "wasbs", "http", "https"})
_AZURE_KEYS = re.compile(
    r"(^|;)\s*(AccountName|AccountKey|UseDevelopmentStorage|BlobEndpoint|DefaultEndpointsProtocol"
    r"|SharedAccessSignature|EndpointSuffix)\s*=|^\s*(export\s+)?AZURE_STORAGE_[A-Z_]+\s*=",
    re.IGNORECASE,
)
#: how the connection strings the portal and Azurite's documentation show begin
_USUAL_STARTS = ("DefaultEndpointsProtocol=", "AccountName=", "UseDevelopmentStorage=")
_AZURE_URLS = re.compile(
    r"^(az|azure|abfss?|wasbs?)://|^https?://[^/?#]*\.(blob|dfs)\.core\.|"
    r"^https?://[^/?#]*\.blob\.localhost[:/]|^https?://[^/?#]+/devstoreaccount1(/|\?|$)|"
    r"^https?://[^?#]*\?(.*&)?sv=[^&]*&(.*&)?sig=",
    re.IGNORECASE,
)


class AzureBlob(Connector):
    """Azure Blob Storage (public and sovereign clouds) and the Azurite emulator."""

    name = "azure_blob"
    description = "An Azure Blob Storage connection info"
    model = "connectors.azure_blob.model:AzureBlob"
    schema_file = resource_type_file("azure_blob")
    providers = ("azure", "azurite")
    extra = "azure"
    scripts_dir = scripts_dir("azure_blob")
    url_schemes = frozenset(scheme for scheme in _SCHEMES if scheme)
    text_keys = TEXT_KEYS
    testing = "connectors.azure_blob.testing"
    exports = "connectors.azure_blob.exports"
    examples = (
        "DefaultEndpointsProtocol=https;AccountName=myaccount;AccountKey=bXlrZXk=;"
        "EndpointSuffix=core.windows.net",
        "UseDevelopmentStorage=true",
        "https://myaccount.blob.core.windows.net/mycontainer?sv=2022-11-02&sr=c&sp=rl&sig=c2ln",
        "abfss://mycontainer@myaccount.dfs.core.windows.net/data/",
    )

    def detect(self, text: str) -> int:
        scheme = url_scheme(text)
        if scheme is None and text.startswith(_USUAL_STARTS):  # _AZURE_KEYS matches at its start
            return Match.SCHEME
        if scheme not in _SCHEMES:
            return Match.NONE
        # each key ends in '=', each URL form starts with a scheme: skip what cannot match
        if ("=" in text and _AZURE_KEYS.search(text)) or (
            scheme is not None and _AZURE_URLS.search(text.strip())
        ):
            return Match.SCHEME
        return Match.NONE

    def parse(self, text: str) -> Resource:
        value, notes = parse_azure(text)
        provider = provider_of(value)
        return Resource(self.name, value, provider, notes + value_notes(value, provider))

    def to_connection_string(self, resource: Resource) -> str:
        from connectors.azure_blob import values

        return values.to_connection_string(resource.value)

    def normalise(self, value: dict[str, Any]) -> dict[str, Any]:
        """Canonical form: ``endpoint`` only when it is not the default account URL."""
        from connectors.azure_blob import values

        out = dict(value)
        if out.get("accountName") or out.get("endpoint"):
            values.set_endpoint(out, values.account_url(out))
        for optional in ("sasToken", "endpointSuffix", "blobPrefix"):
            if not out.get(optional):
                out.pop(optional, None)
        known = [key for key in values.FIELD_ORDER if key in out]
        return {key: out[key] for key in known + [key for key in out if key not in known]}

    def secret_values(self, value: dict[str, Any]) -> list[str]:
        """The key, the whole SAS token and its signature alone (raw and decoded)."""
        found = super().secret_values(value)
        token = value.get("sasToken")
        if isinstance(token, str):
            for part in token.lstrip("?").split("&"):
                key, _, sig = part.partition("=")
                if key == "sig" and sig:
                    found.extend({sig, unquote(sig)})
        return found

    def env_sources(self) -> tuple[EnvSource, ...]:
        """The connection string Azure's SDKs and CLI read."""
        return (EnvSource("azure_blob", ("AZURE_STORAGE_CONNECTION_STRING",)),)

    def detect_value(self, value: dict[str, Any]) -> int:
        """A value naming an account or a container."""
        named = "accountName" in value or "containerName" in value
        return Match.SCHEME if named else super().detect_value(value)

    def connect(self, resource: Resource) -> Any:
        from connectors.azure_blob.client import connect

        return connect(resource.value)

    def check(self, resource: Resource, timeout: float = 10.0) -> CheckResult:
        from connectors.azure_blob.check import check

        return check(resource.value, timeout)

    def object_store(self, resource: Resource) -> ObjectStore:
        from connectors.objectstore.azure import AzureObjectStore

        return AzureObjectStore(resource.value)


@hookimpl
def register_connectors(register: Callable[[Connector], None]) -> None:
    register(AzureBlob())
