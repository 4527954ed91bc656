"""The installed gcs plugin as users meet it: listing, schema, export, every parse format."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from storage_connectors_gcs.testing import service_account_key

FORMATS = [
    ("env", "GCS_BUCKET=my-bucket"),
    ("airflow", '"conn_type": "google_cloud_platform"'),
    ("dlt", 'bucket_url = "gs://my-bucket"'),
    ("wmill", "resource_type: gcloud_storage"),
]


def cli(*args):
    return subprocess.run(
        [sys.executable, "-c", "from connectors.cli import main; main()", *args],
        capture_output=True, text=True, env=os.environ.copy(), check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def key_text():
    return json.dumps({"bucket": "my-bucket", "serviceAccountKey": service_account_key()})


def test_every_parse_format_is_tested():
    offered = re.search(r"--format \[([a-z|]+)\]", cli("parse", "--help").stdout)
    assert offered is not None
    assert sorted(offered.group(1).split("|")) == sorted(fmt for fmt, _ in FORMATS)


def test_listed_by_plugins_and_types():
    plugins = json.loads(cli("plugins", "--json").stdout)["plugins"]
    ours = [p for p in plugins if "gcloud_storage" in p["types"]]
    assert ours and ours[0]["distribution"] == "storage-connectors-gcs"
    types = {t["name"]: t for t in json.loads(cli("types", "--json").stdout)}
    assert types["gcloud_storage"]["secret_fields"] == [
        "serviceAccountKey.private_key",
        "hmacSecret",
    ]


def test_schema_write_dir_and_hub_export(tmp_path):
    assert cli("schema", "gcloud_storage", "--write-dir", str(tmp_path)).returncode == 0
    document = json.loads((tmp_path / "gcloud_storage.json").read_text())
    assert document["schema"]["properties"]["serviceAccountKey"]["format"] == "resource-gcloud"
    wmill = tmp_path / "wmill"
    assert cli("hub", "export", str(wmill), "--format", "wmill").returncode == 0
    assert (wmill / "gcloud_storage.resource-type.yaml").is_file()
    for name in ("list_objects", "upload_object", "download_object", "signed_url"):
        assert (wmill / "f" / "gcloud_storage" / f"{name}.script.yaml").is_file()


@pytest.mark.parametrize(("fmt", "expected"), FORMATS)
def test_every_parse_format_masks_the_private_key(key_text, fmt, expected):
    done = cli("parse", key_text, "--format", fmt)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout
    body = json.loads(key_text)["serviceAccountKey"]["private_key"].splitlines()[1]
    assert body[:20] not in done.stdout


def test_a_broken_key_is_one_line_with_a_position(key_text):
    done = cli("parse", key_text[:-30])
    assert done.returncode == 2
    assert "not valid JSON" in done.stderr and "position" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "PRIVATE KEY" not in done.stderr
