"""Parsing Cloud Storage URLs, console URLs and service-account keys; bad input; secrets."""

from __future__ import annotations

import json

import pytest
from storage_connectors_gcs import GCloudStorage
from storage_connectors_gcs.testing import service_account_key

import connectors
from connectors import ParseError


@pytest.fixture(scope="module")
def key():
    return service_account_key()


@pytest.mark.parametrize("example", GCloudStorage.examples)
def test_examples_parse_validate_and_round_trip(example):
    r = connectors.parse(example)
    assert (r.resource_type, r.provider) == ("gcloud_storage", "google")
    assert connectors.validate("gcloud_storage", r.value) == r.value
    assert connectors.parse(connectors.to_connection_string(r)).value == r.value


@pytest.mark.parametrize(
    ("text", "bucket", "prefix"),
    [
        ("gs://my-bucket", "my-bucket", None),
        ("gs://my-bucket/a%20b/c.txt", "my-bucket", "a b/c.txt"),
        (
            "https://storage.googleapis.com/my-bucket/data/x.parquet?alt=media",
            "my-bucket",
            "data/x.parquet",
        ),
        ("https://my.bucket.storage.googleapis.com/x", "my.bucket", "x"),
        (
            "https://console.cloud.google.com/storage/browser/my-bucket;tab=objects?project=p",
            "my-bucket",
            None,
        ),
    ],
)
def test_urls(text, bucket, prefix):
    value = connectors.parse(text).value
    assert value["bucket"] == bucket
    assert value.get("prefix") == prefix


def test_pasted_key_is_recognised_and_its_private_key_is_secret(key):
    text = json.dumps(key, indent=2)
    r = connectors.parse(text)
    assert r.resource_type == "gcloud_storage"
    assert r.value["serviceAccountKey"] == key
    assert (
        "serviceAccountKey.private_key"
        in connectors.resource_types()[
            [t.name for t in connectors.resource_types()].index("gcloud_storage")
        ].secret_fields
    )
    body = key["private_key"].splitlines()[1]
    assert body not in repr(r) and body not in json.dumps(r.to_dict())
    assert any("without a bucket" in note for note in r.notes)
    # what it writes back (a whole value with an empty bucket) reads as the same resource
    assert connectors.parse(connectors.to_connection_string(r)) == r


def test_whole_resource_json_round_trips(key):
    value = {"bucket": "my-bucket", "serviceAccountKey": key}
    r = connectors.parse(json.dumps(value))
    assert r.value == value
    assert connectors.parse(connectors.to_connection_string(r)).value == value


@pytest.mark.parametrize(
    ("make", "message", "position"),
    [
        (lambda k: '{"type": "service_account", "private_key": "x"', "not valid JSON", 46),
        (
            lambda k: json.dumps({n: v for n, v in k.items() if n != "private_key"}),
            "has no private_key",
            None,
        ),
        (lambda k: json.dumps({**k, "type": "authorized_user"}), "not a service-account key", 1),
        (lambda k: json.dumps({**k, "private_key": "AAAA"}), "not a PEM private key", None),
        (lambda k: "gs://My_Bucket/x", "invalid bucket name", 5),
        (lambda k: "gs:///x", "no bucket name", 5),
        (lambda k: "https://example.com/b/x", None, None),
    ],
)
def test_bad_input(key, make, message, position):
    text = make(key)
    with pytest.raises(ParseError) as caught:
        connectors.parse(text, type="gcloud_storage")
    if message:
        assert message in str(caught.value)
    if position is not None:
        assert caught.value.position == position
    assert caught.value.position is not None
    assert key["private_key"].splitlines()[1] not in str(caught.value)


def test_s3_and_other_urls_are_not_claimed():
    assert GCloudStorage().detect("s3://bucket/key") == 0
    assert GCloudStorage().detect("https://s3.amazonaws.com/bucket/key") == 0
    assert connectors.parse("s3://bucket/key").resource_type == "s3"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"bucket": "abc", "aserviceAccountKey": {}}', "unknown field 'aserviceAccountKey'"),
        ('{"bucket": 12}', "bucket must be a string"),
        ("https://[my-bucket.storage.googleapis.com/x", "not a valid URL"),
        ("gs://bucket/a\x00b", "NUL"),
        ("gs://bucket/a%00b", "forbidden %00 in the object path"),  # no string carries it back
        ('{"bucket": ' + "9" * 5000 + "}", "a number with too many digits"),  # json's ValueError
        # urlsplit drops tabs and line breaks: the host it read was not in the text
        ("https://console.cloud.goo\tgle.com/storage", "a tab or line break in the URL"),
        ("https://co\nnsole.cloud.google.com/storage/orage/", "a tab or line break in the URL"),
        ("https://bucket.storage.googleapis.com/x%00", "forbidden %00 in the object path"),
    ],
)
def test_fuzz_regressions_are_clean_errors(text, message):
    with pytest.raises(ParseError, match=message) as caught:
        connectors.parse(text, type="gcloud_storage")
    assert 0 <= caught.value.position <= len(text)


def test_an_unknown_host_is_placed_not_quoted():
    # found by the fuzz campaign: the host text quoted back can be a pasted password
    with pytest.raises(ParseError) as caught:
        connectors.parse("https://uid=app;pwd=secret/x", type="gcloud_storage")
    assert "not a Cloud Storage host" in str(caught.value)
    assert "secret" not in str(caught.value)
    assert caught.value.position == len("https://")


@pytest.mark.parametrize(
    ("text", "prefix", "written"),
    [
        ("gs://my-bucket/a%2541", "a%41", "gs://my-bucket/a%2541"),  # found by the fuzz campaign
        ("gs://my-bucket/a%20b/c.txt", "a b/c.txt", "gs://my-bucket/a%20b/c.txt"),
        ("gs://my-bucket/exports/2024/", "exports/2024/", "gs://my-bucket/exports/2024/"),
    ],
)
def test_the_path_is_written_back_encoded(text, prefix, written):
    r = connectors.parse(text, type="gcloud_storage")
    assert r.value["prefix"] == prefix
    assert connectors.to_connection_string(r) == written
