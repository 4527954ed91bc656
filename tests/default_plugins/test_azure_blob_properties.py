"""azure_blob: azure-storage-blob as an oracle, round trips and redaction, with hypothesis."""

from __future__ import annotations

import base64
import contextlib
import json
from urllib.parse import quote, quote_plus, unquote, urlsplit

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

import connectors
from connectors.azure_blob.values import DEV_KEY, account_url, provider_of
from connectors.cli import cli
from connectors.errors import ParseError
from connectors.plugins import get_connector

azure_blob_base = pytest.importorskip("azure.storage.blob._shared.base_client")
from azure.storage.blob import BlobServiceClient  # noqa: E402

KEY = base64.b64encode(b"k" * 64).decode()
SIG = "Q2hlY2tzdW0%2Bb2Y%2FYWxs%3D"
SAS = f"sv=2022-11-02&sr=c&sp=rl&se=2030-01-01T00%3A00%3A00Z&sig={SIG}"

CORPUS = [
    f"DefaultEndpointsProtocol=https;AccountName=myaccount;AccountKey={KEY}",
    f"DefaultEndpointsProtocol=https;AccountName=myaccount;AccountKey={KEY};EndpointSuffix=core.windows.net",
    f"DefaultEndpointsProtocol=http;AccountName=myaccount;AccountKey={KEY};EndpointSuffix=core.windows.net",
    f"DefaultEndpointsProtocol=http;AccountName=myaccount;AccountKey={KEY}",
    f"DefaultEndpointsProtocol=https;AccountName=cn1;AccountKey={KEY};EndpointSuffix=core.chinacloudapi.cn",
    f"DefaultEndpointsProtocol=https;AccountName=gov1;AccountKey={KEY};EndpointSuffix=core.usgovcloudapi.net;",
    f"AccountName=myaccount;AccountKey={KEY};EndpointSuffix=core.chinacloudapi.cn",
    f"AccountName=myaccount;AccountKey={KEY}",
    f"accountname=myaccount;ACCOUNTKEY={KEY};;;",
    f"DefaultEndpointsProtocol=https;BlobEndpoint=http://www.mydomain.com;AccountName=myaccount;AccountKey={KEY}",
    f"BlobEndpoint=https://storagesample.blob.core.windows.net;SharedAccessSignature={SAS}",
    f"BlobEndpoint=https://storagesample.blob.core.windows.net/;SharedAccessSignature={SAS}",
    f"BlobEndpoint=https://storagesample.blob.core.windows.net;QueueEndpoint=https://storagesample.queue.core.windows.net;SharedAccessSignature={SAS}",
    f"AccountName=myaccount;SharedAccessSignature={SAS}",
    f"AccountName=myaccount;AccountKey={KEY};SharedAccessSignature={SAS}",
    "UseDevelopmentStorage=true",
    "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://myProxyUri",
    f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DEV_KEY};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;",
    f"DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey={DEV_KEY};BlobEndpoint=https://localhost:10000/devstoreaccount1;",
    f"AccountName=myaccount;AccountKey={KEY};BlobEndpoint=https://myaccount.blob.core.windows.net;BlobSecondaryEndpoint=https://myaccount-secondary.blob.core.windows.net",
    f"AccountName=myaccount;AccountKey={KEY};FooBar=1",
    f"AccountName=myaccount;AccountKey={KEY};AccountName=other",
]
MALFORMED = [
    "AccountName=a;;AccountKey=b",
    "AccountName",
    "=;",
    "AccountKey=abc",
    "DefaultEndpointsProtocol=https;EndpointSuffix=core.windows.net",
    f"AccountName=myaccount;AccountKey={KEY};BlobSecondaryEndpoint=https://x",
]


def _sdk_endpoint(primary: str) -> str:
    url = primary if "://" in primary else f"https://{primary}"
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme.lower()}://{parts.hostname}{port}{parts.path.rstrip('/')}"


def _assert_agrees_with_sdk(text: str) -> None:
    primary, _, credential = azure_blob_base.parse_connection_str(text, None, "blob")
    value = connectors.parse(text, type="azure_blob").value
    assert account_url(value) == _sdk_endpoint(primary)
    if isinstance(credential, dict):
        assert value["accessKey"] == credential["account_key"]
        assert value["accountName"] == credential["account_name"]
    elif credential == DEV_KEY:
        assert value["accessKey"] == DEV_KEY
    elif credential:
        assert value["sasToken"] == credential
        assert "accessKey" not in value
    else:
        assert "accessKey" not in value and "sasToken" not in value
    client = BlobServiceClient.from_connection_string(text)
    assert _sdk_endpoint(client.url.split("?")[0]) == account_url(value)
    if value["accountName"] and ".blob." in client.url:
        assert client.account_name == value["accountName"]


@pytest.mark.parametrize("text", CORPUS)
def test_corpus_agrees_with_the_sdk(text):
    _assert_agrees_with_sdk(text)


@pytest.mark.parametrize("text", MALFORMED)
def test_malformed_corpus_is_rejected_like_the_sdk(text):
    with pytest.raises(ValueError):
        azure_blob_base.parse_connection_str(text, None, "blob")
    with pytest.raises(ParseError):
        connectors.parse(text, type="azure_blob")


URLS = [
    f"https://acct.blob.core.windows.net/?{SAS}",
    f"https://acct.blob.core.windows.net/c1?{SAS}",
    f"https://acct.blob.core.windows.net/c1/dir/a%3Bb%25c.csv?{SAS}",
    "https://acct-secondary.blob.core.chinacloudapi.cn/c1/",
    "http://127.0.0.1:10000/devstoreaccount1/c1/x",
    "http://devstoreaccount1.blob.localhost:10000/c1",
    "https://files.example.com/c1/blob",
    "abfss://c1@acct.dfs.core.usgovcloudapi.net/x/y",
    "AZURE_STORAGE_ACCOUNT=acct\nAZURE_STORAGE_KEY=" + KEY,
]


@pytest.mark.parametrize("text", CORPUS + URLS)
def test_corpus_round_trips(text):
    first = connectors.parse(text, type="azure_blob")
    again = connectors.parse(connectors.to_connection_string(first))
    assert (again.value, again.provider) == (first.value, first.provider)
    assert connectors.parse(connectors.to_connection_string(again)) == again


# -- hypothesis ---------------------------------------------------------------------------------

accounts = st.from_regex(r"[a-z0-9]{3,24}", fullmatch=True)
keys = st.binary(min_size=16, max_size=64).map(lambda b: base64.b64encode(b).decode())
sigs = st.binary(min_size=8, max_size=40).map(
    lambda b: quote(base64.b64encode(b).decode(), safe="")
)
containers = st.one_of(st.just(""), st.from_regex(r"[a-z0-9](-?[a-z0-9]){2,20}", fullmatch=True))
prefixes = st.one_of(
    st.none(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30),
)
suffixes = st.sampled_from(
    [None, "core.windows.net", "core.chinacloudapi.cn", "core.usgovcloudapi.net"]
)
endpoints = st.sampled_from(
    [
        None,
        "http://127.0.0.1:10000/{a}",
        "https://localhost:10443/{a}",
        "https://files.example.com",
        "http://{a}.blob.core.windows.net",
        "https://{a}.blob.core.windows.net",
    ]
)


@st.composite
def values(draw):
    account = draw(st.one_of(accounts, st.just("")))
    if not account:  # a custom domain: the account is unknown, the endpoint says where
        value = {"accountName": "", "containerName": draw(containers), "useSSL": True}
        value["endpoint"] = draw(
            st.sampled_from(["https://files.example.com", "http://cdn.example.org:8080"])
        )
        if draw(st.booleans()):
            value["sasToken"] = f"sv=2022-11-02&sr=c&sp=rl&sig={draw(sigs)}"
        return get_connector("azure_blob").normalise(value)
    value = {"accountName": account, "containerName": draw(containers), "useSSL": True}
    credential = draw(st.sampled_from(["key", "sas", "both", "none"]))
    if credential in ("key", "both"):
        value["accessKey"] = draw(keys)
    if credential in ("sas", "both"):
        value["sasToken"] = f"sv=2022-11-02&sr=c&sp=rl&sig={draw(sigs)}"
    suffix = draw(suffixes)
    endpoint = draw(endpoints)
    if suffix:
        value["endpointSuffix"] = suffix
    if endpoint:
        value["endpoint"] = endpoint.format(a=account)
    prefix = draw(prefixes)
    if prefix:
        value["blobPrefix"] = prefix
    return get_connector("azure_blob").normalise(value)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values())
def test_to_connection_string_round_trips(value):
    resource = connectors.Resource("azure_blob", value, provider_of(value))
    text = connectors.to_connection_string(resource)
    back = connectors.parse(text)
    assert back.value == value
    assert back.provider == resource.provider
    assert connectors.parse(connectors.to_connection_string(back)) == back
    _assert_agrees_with_sdk(text.split(";ContainerName=")[0].split(";BlobPrefix=")[0])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "AccountName",
                    "AccountKey",
                    "EndpointSuffix",
                    "DefaultEndpointsProtocol",
                    "BlobEndpoint",
                    "SharedAccessSignature",
                    "Foo",
                ]
            ),
            st.text("abcAB=+/&;%:.", max_size=12),
        ),
        max_size=6,
    ),
    st.booleans(),
)
def test_random_strings_parse_or_raise_parse_error(pairs, upper):
    text = ";".join(f"{k.upper() if upper else k}={v}" for k, v in pairs)
    with contextlib.suppress(ParseError):
        connectors.parse(text, type="azure_blob")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text_never_crashes(text):
    with contextlib.suppress(ParseError):
        connectors.parse(text, type="azure_blob")


# -- redaction ----------------------------------------------------------------------------------


def _forms(secret: str) -> set[str]:
    raw = secret.encode()
    return {
        secret,
        quote(secret, safe=""),
        quote_plus(secret),
        base64.b64encode(raw).decode(),
        base64.b64encode(raw).decode().rstrip("="),
        base64.urlsafe_b64encode(raw).decode(),
    }


def _secret_forms(key: str, sig: str) -> set[str]:
    return _forms(key) | _forms(unquote(sig)) | {sig}


def _assert_hidden(output: str, key: str, sig: str) -> None:
    for form in _secret_forms(key, sig):
        assert form not in output


@settings(max_examples=40, deadline=None)
@given(keys, sigs, accounts)
def test_cli_parse_and_repr_never_show_the_key_or_sig(key, sig, account):
    runner = CliRunner()
    inputs = [
        f"DefaultEndpointsProtocol=https;AccountName={account};AccountKey={key};EndpointSuffix=core.windows.net",
        f"BlobEndpoint=https://{account}.blob.core.windows.net;SharedAccessSignature=sv=2022-11-02&sr=c&sig={sig}",
        f"https://{account}.blob.core.windows.net/c1/f.csv?sv=2022-11-02&sr=b&sp=r&sig={sig}",
        f"AccountName={account};AccountKey={key};SharedAccessSignature=sv=1&srt=sco&sig={sig}",
    ]
    for text in inputs:
        for flags in ([], ["--json"]):
            result = runner.invoke(cli, ["parse", *flags, text])
            assert result.exit_code == 0, result.output
            _assert_hidden(result.output, key, sig)
        resource = connectors.parse(text)
        _assert_hidden(repr(resource), key, sig)
        _assert_hidden(json.dumps(resource.to_dict()), key, sig)


def test_show_secrets_shows_them():
    text = f"AccountName=acct;AccountKey={KEY}"
    result = CliRunner().invoke(cli, ["parse", "--json", "--show-secrets", text])
    assert json.loads(result.output)["value"]["accessKey"] == KEY


def test_parse_error_output_hides_the_sas():
    text = f"BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=1&sp=r&sx={SIG}"
    result = CliRunner().invoke(cli, ["parse", text])
    assert result.exit_code != 0
    assert SIG not in result.output and unquote(SIG) not in result.output


def test_validate_normalises_a_windmill_value():
    windmill = {
        "accountName": "acct",
        "containerName": "c1",
        "accessKey": KEY,
        "useSSL": True,
        "endpoint": "",
    }
    assert connectors.validate("azure_blob", windmill) == {
        "accountName": "acct",
        "containerName": "c1",
        "accessKey": KEY,
        "useSSL": True,
    }
    azurite = {**windmill, "useSSL": True, "endpoint": "http://127.0.0.1:10000/devstoreaccount1/"}
    normal = connectors.validate("azure_blob", azurite)
    assert normal["endpoint"] == "http://127.0.0.1:10000/devstoreaccount1"
    assert normal["useSSL"] is False


def test_a_value_without_account_or_endpoint_has_no_connection_string():
    resource = connectors.parse("az://c1/data/")
    with pytest.raises(connectors.ValidationError, match="accountName"):
        connectors.to_connection_string(resource)
