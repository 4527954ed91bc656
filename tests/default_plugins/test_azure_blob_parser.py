"""azure_blob parser: every connection-string key, SAS URLs, az:// URIs, the SDK as an oracle."""

from __future__ import annotations

import itertools
import re

import pytest

import connectors
from connectors.api import detect
from connectors.azure_blob import parser
from connectors.azure_blob.values import DEV_ENDPOINT, DEV_KEY, FIELD_ORDER, account_url
from connectors.errors import ParseError
from connectors.parsing import url_scheme

KEY = "bXlBY2NvdW50S2V5MTIzNDU2Nzg5MA=="
SIG = "pXzB%2Bq0t1YfQ6c%2FO8H8Zl2n1j%3D"
SAS = f"sv=2022-11-02&ss=b&srt=sco&sp=rwdlac&se=2030-01-01T00%3A00%3A00Z&spr=https&sig={SIG}"
CSAS = f"sv=2022-11-02&sr=c&sp=racwdl&se=2030-01-01T00%3A00%3A00Z&sig={SIG}"


def parse(text: str) -> connectors.Resource:
    return connectors.parse(text)


def test_account_key_string_is_windmill_shape():
    r = parse(
        f"DefaultEndpointsProtocol=https;AccountName=myacct;AccountKey={KEY};EndpointSuffix=core.windows.net"
    )
    assert r.resource_type == "azure_blob"
    assert r.provider == "azure"
    assert r.value == {
        "accountName": "myacct",
        "containerName": "",
        "accessKey": KEY,
        "useSSL": True,
        "endpointSuffix": "core.windows.net",
    }
    assert account_url(r.value) == "https://myacct.blob.core.windows.net"


@pytest.mark.parametrize(
    ("suffix", "endpoint"),
    [
        ("core.chinacloudapi.cn", "https://acct.blob.core.chinacloudapi.cn"),
        ("core.usgovcloudapi.net", "https://acct.blob.core.usgovcloudapi.net"),
    ],
)
def test_sovereign_cloud_suffix(suffix, endpoint):
    r = parse(
        f"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={KEY};EndpointSuffix={suffix}"
    )
    assert r.value["endpointSuffix"] == suffix
    assert r.value["endpoint"] == endpoint
    assert r.provider == "azure"


def test_http_protocol_with_suffix_gives_http_endpoint():
    r = parse(
        f"DefaultEndpointsProtocol=http;AccountName=acct;AccountKey={KEY};EndpointSuffix=core.windows.net"
    )
    assert r.value["useSSL"] is False
    assert r.value["endpoint"] == "http://acct.blob.core.windows.net"


def test_http_protocol_without_suffix_is_ignored_like_the_sdk():
    r = parse(f"DefaultEndpointsProtocol=http;AccountName=acct;AccountKey={KEY}")
    assert r.value["useSSL"] is True
    assert "endpoint" not in r.value
    assert any("has no effect" in note for note in r.notes)


def test_keys_are_case_insensitive_and_trailing_semicolons_stripped():
    r = parse(f"defaultendpointsprotocol=https;ACCOUNTNAME=acct;accountkey={KEY};;;")
    assert r.value["accountName"] == "acct"
    assert r.value["accessKey"] == KEY


def test_split_on_first_equals_keeps_base64_padding():
    r = parse(f"AccountName=acct;AccountKey={KEY}")
    assert r.value["accessKey"].endswith("==")


def test_blob_endpoint_custom_domain():
    r = parse(
        f"DefaultEndpointsProtocol=https;BlobEndpoint=http://www.mydomain.com;AccountName=acct;AccountKey={KEY}"
    )
    assert r.value["endpoint"] == "http://www.mydomain.com"
    assert r.value["useSSL"] is False
    assert r.value["accountName"] == "acct"


def test_blob_endpoint_without_scheme_is_https():
    r = parse(f"BlobEndpoint=www.mydomain.com;AccountName=acct;AccountKey={KEY}")
    assert r.value["endpoint"] == "https://www.mydomain.com"


def test_sas_connection_string_takes_account_from_endpoint():
    r = parse(
        f"BlobEndpoint=https://storagesample.blob.core.windows.net;SharedAccessSignature={SAS}"
    )
    assert r.value == {
        "accountName": "storagesample",
        "containerName": "",
        "useSSL": True,
        "sasToken": SAS,
    }


def test_use_development_storage_is_azurite():
    r = parse("UseDevelopmentStorage=true")
    assert r.provider == "azurite"
    assert r.value == {
        "accountName": "devstoreaccount1",
        "containerName": "",
        "accessKey": DEV_KEY,
        "useSSL": False,
        "endpoint": DEV_ENDPOINT,
    }
    assert DEV_KEY.startswith("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq")


def test_development_storage_ignores_the_proxy_uri():
    r = parse("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://myProxyUri")
    assert r.value["endpoint"] == DEV_ENDPOINT
    assert any("DEVELOPMENTSTORAGEPROXYURI" in note for note in r.notes)


def test_full_azurite_string_equals_the_shortcut():
    full = (
        f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DEV_KEY};"
        "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"
        "QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;"
        "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;"
    )
    assert parse(full) == parse("UseDevelopmentStorage=true")


def test_unknown_key_is_ignored_with_a_note():
    r = parse(f"AccountName=acct;AccountKey={KEY};Foo=bar")
    assert any("FOO" in note for note in r.notes)


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        (f"AccountName=acct;;AccountKey={KEY}", 17, "empty segment"),
        (f"AccountName=acct;junk;AccountKey={KEY}", 17, "without 'Key=Value'"),
        ("DefaultEndpointsProtocol=https;AccountKey=abc", 0, "neither AccountName"),
        ("AccountName=acct;AccountKey=not*base64", 28, "not valid base64"),
        ("DefaultEndpointsProtocol=ftp;AccountName=acct", 25, "http or https"),
        ("AccountName=acct;BlobSecondaryEndpoint=https://x", 17, "secondary"),
        ("BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=1&sp=r", 67, "sig"),
    ],
)
def test_malformed_strings_name_problem_and_position(text, position, words):
    with pytest.raises(ParseError) as info:
        connectors.parse(text, type="azure_blob")
    assert words in str(info.value)
    assert info.value.position == position


def test_error_never_quotes_the_key():
    with pytest.raises(ParseError) as info:
        connectors.parse("AccountName=acct;AccountKey=s3cr3t!!", type="azure_blob")
    assert "s3cr3t" not in str(info.value)


# -- URLs ---------------------------------------------------------------------------------------


def test_account_sas_url():
    r = parse(f"https://acct.blob.core.windows.net/?{SAS}")
    assert r.value == {"accountName": "acct", "containerName": "", "useSSL": True, "sasToken": SAS}


def test_container_sas_url():
    r = parse(f"https://acct.blob.core.windows.net/mycontainer?{CSAS}")
    assert r.value["containerName"] == "mycontainer"
    assert r.value["sasToken"] == CSAS
    assert any("service SAS" in note for note in r.notes)


def test_blob_sas_url_keeps_the_blob_path():
    r = parse(f"https://acct.blob.core.windows.net/c1/dir/my%20file.csv?{CSAS}&snapshot=x")
    assert r.value["containerName"] == "c1"
    assert r.value["blobPrefix"] == "dir/my file.csv"
    assert r.value["sasToken"] == CSAS
    assert any("snapshot" in note for note in r.notes)


def test_plain_https_url():
    r = parse("https://acct.blob.core.windows.net/c1")
    assert r.value == {"accountName": "acct", "containerName": "c1", "useSSL": True}
    assert any("anonymous" in note for note in r.notes)


def test_secondary_and_sovereign_hosts():
    r = parse("https://acct-secondary.blob.core.chinacloudapi.cn/c1")
    assert r.value["accountName"] == "acct"
    assert r.value["endpointSuffix"] == "core.chinacloudapi.cn"


def test_azurite_ip_style_url():
    r = parse(f"http://127.0.0.1:10000/devstoreaccount1/c1/a/b.txt?{CSAS}")
    assert r.provider == "azurite"
    assert r.value["endpoint"] == "http://127.0.0.1:10000/devstoreaccount1"
    assert (r.value["containerName"], r.value["blobPrefix"]) == ("c1", "a/b.txt")


def test_azurite_production_style_url():
    r = parse("http://devstoreaccount1.blob.localhost:10000/c1")
    assert r.provider == "azurite"
    assert r.value["endpoint"] == "http://devstoreaccount1.blob.localhost:10000"


@pytest.mark.parametrize(
    ("uri", "account", "container", "prefix"),
    [
        ("az://c1/data/x.parquet", "", "c1", "data/x.parquet"),
        ("az://c1@acct/data", "acct", "c1", "data"),
        ("abfs://c1@acct.dfs.core.windows.net/data/", "acct", "c1", "data/"),
        ("abfss://c1@acct.dfs.core.windows.net/a/b", "acct", "c1", "a/b"),
        ("wasbs://c1@acct.blob.core.windows.net/", "acct", "c1", None),
    ],
)
def test_object_store_uris(uri, account, container, prefix):
    r = parse(uri)
    assert r.value["accountName"] == account
    assert r.value["containerName"] == container
    assert r.value.get("blobPrefix") == prefix
    assert r.value["useSSL"] is True
    assert "endpoint" not in r.value


def test_uri_on_sovereign_cloud():
    r = parse("abfss://c1@acct.dfs.core.usgovcloudapi.net/x")
    assert r.value["endpointSuffix"] == "core.usgovcloudapi.net"
    assert r.value["endpoint"] == "https://acct.blob.core.usgovcloudapi.net"


def test_detection_does_not_claim_other_types():
    detected = dict(detect("postgresql://u:p@h/db"))
    assert "azure_blob" not in detected
    assert "azure_blob" not in dict(detect("s3://bucket/key"))
    assert dict(detect("UseDevelopmentStorage=true"))["azure_blob"] > 0


def test_environment_block_with_a_connection_string():
    text = (
        f'export AZURE_STORAGE_CONNECTION_STRING="AccountName=acct;AccountKey={KEY}"\n'
        "AZURE_STORAGE_CONTAINER=c1"
    )
    r = parse(text)
    assert r.value == {
        "accountName": "acct",
        "containerName": "c1",
        "accessKey": KEY,
        "useSSL": True,
    }


def test_environment_block_with_account_and_key():
    r = parse(
        f"AZURE_STORAGE_ACCOUNT=acct\nAZURE_STORAGE_KEY={KEY}\nAZURE_STORAGE_SAS_TOKEN=?{CSAS}"
    )
    assert (r.value["accountName"], r.value["accessKey"], r.value["sasToken"]) == (
        "acct",
        KEY,
        CSAS,
    )


def test_a_blob_prefix_naming_an_s3_host_stays_azure():
    # found by hypothesis: the S3 host test read across ';' into the BlobPrefix value
    text = (
        "DefaultEndpointsProtocol=https;AccountName=abc;AccountKey=YWJj;"
        "EndpointSuffix=core.windows.net;ContainerName=c;BlobPrefix=S3.AMAZONAWS.COM"
    )
    resource = connectors.parse(text)
    assert resource.resource_type == "azure_blob"
    assert resource.value["blobPrefix"] == "S3.AMAZONAWS.COM"


def outcome(read, text):
    try:
        value, notes = read(text)
    except ParseError as exc:
        return ("error", exc.message, exc.position)
    return {key: value[key] for key in FIELD_ORDER if key in value}, notes


def listed(read, text):
    """``outcome`` with the value's keys in the order ``read`` gives them."""
    try:
        value, notes = read(text)
    except ParseError as exc:
        return ("error", exc.message, exc.position)
    return list(value.items()), notes


def full_reader(text):
    """parse_connection_string's value in FIELD_ORDER, as parse() gives it."""
    value, notes = parser.parse_connection_string(text)
    return {key: value[key] for key in FIELD_ORDER if key in value}, notes


def test_the_portal_form_read_in_one_match_agrees_with_the_full_reader():
    protocols = ("https", "http", "HTTPS", "ftp")
    accounts = ("myacct", "a", "ACCT", "a" * 63, "a" * 64, "my-acct", "")
    keys = (DEV_KEY, "bXlrZXk=", "bXlrZXk", "bXl=rZXk", "====", "a+/b")
    suffixes = ("core.windows.net", "core.chinacloudapi.cn", "x", "a..b", "-x", "x.", "X.net")
    tails = ("", ";", ";;", ";ContainerName=c", " ")
    checked = one_match = 0
    for protocol, account, key, suffix, tail in itertools.product(
        protocols, accounts, keys, suffixes, tails
    ):
        text = (
            f"DefaultEndpointsProtocol={protocol};AccountName={account};AccountKey={key};"
            f"EndpointSuffix={suffix}{tail}"
        )
        assert listed(parser.parse, text) == listed(full_reader, text), text
        checked += 1
        one_match += parser._PORTAL_FORM.fullmatch(text.strip()) is not None
    assert checked > 5000 and one_match > 300


def test_a_key_the_one_match_forms_take_is_base64():
    key = re.compile(parser._PORTAL_FORM.pattern.split("AccountKey=")[1].split(";")[0])
    assert key.pattern == parser._ENDPOINT_FORM.pattern.split("AccountKey=")[1].split(";")[0]
    taken = 0
    for size in range(1, 10):
        for chars in itertools.product("Ab/+=", repeat=size):
            text = "".join(chars)
            if key.fullmatch(text) and size % 4 == 0:
                parser._check_base64(text, "AccountKey", 0)  # raises when it is not
                taken += 1
    assert taken > 1000


def test_the_endpoint_form_read_in_one_match_agrees_with_the_full_reader():
    protocols = ("DefaultEndpointsProtocol=http;", "DefaultEndpointsProtocol=https;", "")
    protocols += ("DefaultEndpointsProtocol=HTTP;", "DefaultEndpointsProtocol=ftp;")
    accounts = ("devstoreaccount1", "myacct", "a" * 63, "a" * 64, "ACCT", "")
    keys = (DEV_KEY, "bXlrZXk", "====", "a+/b")
    endpoints = (
        "http://127.0.0.1:10000/devstoreaccount1",
        "https://myacct.blob.core.windows.net",
        "https://myacct.blob.core.windows.net/",
        "https://MyAcct.Blob.Example.COM",
        "HTTP://h/a",
        "http://h:0/x",
        "http://h:65535",
        "http://h:65536",
        "http://h:00080/",
        "http://h:/x",
        "http://h//a//",
        "http://-h./A_b~.c",
        "http://h/a%20b",
        "http://h/a?x=1",
        "http://[::1]:10000/a",
        "http://u@h/a",
        "ftp://h",
        "h.example.com",
    )
    tails = ("", ";", ";;", ";ContainerName=c", " ")
    checked = one_match = 0
    for protocol, account, key, endpoint, tail in itertools.product(
        protocols, accounts, keys, endpoints, tails
    ):
        text = f"{protocol}AccountName={account};AccountKey={key};BlobEndpoint={endpoint}{tail}"
        assert listed(parser.parse, text) == listed(full_reader, text), text
        checked += 1
        one_match += parser._ENDPOINT_FORM.fullmatch(text.strip()) is not None
    assert checked > 10000 and one_match > 500


def test_the_detectors_usual_starts_are_connection_strings_the_key_pattern_finds():
    from connectors.azure_blob.connector import _AZURE_KEYS, _USUAL_STARTS

    for start in _USUAL_STARTS:
        assert _AZURE_KEYS.match(start) is not None
        assert url_scheme(f"{start}https://host") is None  # no URL: the pattern is asked
