"""The output policy of hub scripts (docs/hub.md): the result is printed as it is (a presigned URL,
a SAS token: what the user asked for), while the resources, the arguments and errors are masked."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

import connectors
from connectors.cli import cli, main
from connectors.redact import MASK

ROOT = Path(__file__).resolve().parent.parent


def _run(*argv: str) -> dict:
    result = CliRunner().invoke(cli, ["run", *argv, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.live
def test_presign_prints_its_url_and_masks_the_resource(fresh_s3):
    secret = fresh_s3.value["secretKey"]
    connectors.connect(fresh_s3).put_object(Bucket=fresh_s3.value["bucket"], Key="k", Body=b"hi")
    text = connectors.to_connection_string(fresh_s3)
    done = _run("s3/presign", "--resource", text, "--arg", "key=k")
    url = done["result"]["url"]
    assert "X-Amz-Signature=" in url and MASK not in url
    assert httpx.get(url).content == b"hi"  # the URL printed is the one that works
    assert done["args"]["s3"]["secretKey"] == MASK
    shown = {k: v for k, v in done["args"]["s3"].items() if k != "secretKey"}
    if secret not in json.dumps(shown):  # moto's key id equals its secret: that field shows it
        assert secret not in json.dumps(done["args"])


@pytest.mark.live
def test_generate_sas_prints_its_token_and_masks_the_key(fresh_azure_blob):
    value = fresh_azure_blob.value
    connectors.connect(fresh_azure_blob).get_blob_client(
        value["containerName"], "b.txt"
    ).upload_blob(b"readable")
    text = connectors.to_connection_string(fresh_azure_blob)
    done = _run("azure_blob/generate_sas", "--resource", text, "--arg", "blob_name=b.txt")
    token, url = done["result"]["sas_token"], done["result"]["url"]
    assert "sig=" in token and MASK not in token and url.endswith(token)
    assert httpx.get(url).text == "readable"
    assert done["args"]["azure_blob"]["accessKey"] == MASK
    assert value["accessKey"] not in json.dumps(done["args"])


def test_errors_are_masked(capsys):
    secret = "Zq8-not-in-any-field"
    text = f"postgresql://app:{secret}@127.0.0.1:1/db?connect_timeout=1"
    try:
        main(["run", "postgresql/list_tables", "--resource", text])
    except SystemExit as exc:
        assert exc.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: postgresql/list_tables failed") and secret not in err


def test_no_bundled_script_masks_its_own_output():
    """Masking is the runner's job (arguments, errors); a script returns its result whole."""
    for path in sorted((ROOT / "hub_scripts").glob("*/*.py")):
        source = path.read_text(encoding="utf-8")
        assert "********" not in source and "redact" not in source, path
