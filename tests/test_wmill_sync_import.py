"""`connectors workspace import|export` with the files `wmill sync pull` writes.

A secret pulled without --plain-secrets is Windmill's ciphertext: imported as a secret marked so,
never readable as if it were the secret, exported back unchanged. A resource type this
installation does not know is imported untyped with a warning. Nothing is exported in clear
unless asked.
"""

from __future__ import annotations

import base64
import io
import json
import sys

import pytest
import yaml

import connectors
from connectors.cli import main
from connectors.errors import WorkspaceError
from connectors.workspace import windmill_secrets
from connectors.workspace.store import open_store

# what `wmill sync pull` writes for a secret: base64 of AES-256-CBC blocks (48 bytes here)
CIPHERTEXT = base64.b64encode(bytes(range(48))).decode()
PLAIN = "hunter2-Plain-Secret"
MYSQL_PASSWORD = "my-Sql-Secret-9"


def run(capsys, monkeypatch, *argv):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = 0
    try:
        main(list(argv))
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli(capsys, monkeypatch):
    return lambda *argv: run(capsys, monkeypatch, *argv)


def _write(root, path, document):
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(document))


@pytest.fixture
def pulled(tmp_path):
    """A directory as `wmill sync pull` (without --plain-secrets) leaves it."""
    root = tmp_path / "pulled"
    _write(
        root,
        "f/data/warehouse.resource.yaml",
        {
            "value": {"host": "db.example.com", "port": 5432, "user": "app", "dbname": "sales",
                      "password": "$var:f/data/warehouse"},
            "description": "the warehouse",
            "resource_type": "postgresql",
        },
    )  # fmt: skip
    _write(
        root,
        "f/data/warehouse.variable.yaml",
        {"value": CIPHERTEXT, "is_secret": True, "description": ""},
    )
    _write(root, "u/me/plain.variable.yaml", {"value": PLAIN, "is_secret": True})
    _write(root, "u/me/note.variable.yaml", {"value": CIPHERTEXT, "is_secret": False})
    _write(
        root,
        "f/legacy/orders.resource.yaml",
        {
            "value": {"host": "mysql.example.com", "port": 3306, "password": MYSQL_PASSWORD},
            "description": "",
            "resource_type": "mysql",
        },
    )
    return root


def test_windmill_ciphertext_is_imported_marked_not_as_the_secret(cli, pulled):
    code, out, err = cli("workspace", "import", str(pulled), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["resources"] == 2 and report["variables"] == 3
    assert report["windmill_encrypted"] == 1
    assert "1 secret(s) kept in Windmill's ciphertext" in err
    stored = open_store().get_variable("f/data/warehouse")
    assert stored.is_secret and windmill_secrets.is_marked(stored.value)
    assert windmill_secrets.ciphertext(stored.value) == CIPHERTEXT
    with pytest.raises(WorkspaceError, match="encrypted by a Windmill workspace"):
        connectors.get_variable("f/data/warehouse")
    with pytest.raises(WorkspaceError, match="encrypted by a Windmill workspace"):
        connectors.get_resource("f/data/warehouse")
    assert connectors.get_variable("u/me/plain") == PLAIN
    assert connectors.get_variable("u/me/note") == CIPHERTEXT  # not a secret: plain text


def test_the_cli_shows_it_marked(cli, pulled):
    cli("workspace", "import", str(pulled))
    code, out, err = cli("variable", "get", "f/data/warehouse", "--show-secrets")
    assert code == 0, err
    assert out.strip() == windmill_secrets.MARK + CIPHERTEXT
    code, _, err = cli("resource", "get", "f/data/warehouse", "--show-secrets")
    assert code == 2 and err.count("\n") == 1 and "wmill sync pull" in err


def test_flags_say_how_the_secrets_were_pulled(cli, pulled):
    code, out, err = cli("workspace", "import", str(pulled), "--plain-secrets", "--json")
    assert code == 0, err
    assert json.loads(out)["windmill_encrypted"] == 0
    assert connectors.get_variable("f/data/warehouse") == CIPHERTEXT

    code, out, err = cli("workspace", "import", str(pulled), "--windmill-encrypted-secrets")
    assert code == 0, err
    assert windmill_secrets.is_marked(open_store().get_variable("u/me/plain").value)


def test_unknown_type_is_imported_untyped_with_a_warning(cli, pulled, monkeypatch):
    from connectors import plugins

    # storage-connectors-mysql (plugins/mysql) may be installed, as CI does: not here
    monkeypatch.setenv("CONNECTORS_DISABLE_PLUGINS", "mysql")
    plugins.reset()
    try:
        code, _, err = cli("workspace", "import", str(pulled))
        assert code == 0, err
        assert "resource f/legacy/orders: type 'mysql' is not installed here" in err
        assert MYSQL_PASSWORD not in err
        stored = open_store().get_resource("f/legacy/orders")
        assert stored.resource_type == "any" and stored.value["port"] == 3306
    finally:
        plugins.reset()


def test_export_writes_windmill_ciphertext_back_and_no_secret_in_clear(cli, pulled, tmp_path):
    cli("workspace", "import", str(pulled))
    out_dir = tmp_path / "again"
    code, out, err = cli("workspace", "export", str(out_dir), "--json")
    assert code == 0, err
    assert json.loads(out)["windmill_encrypted"] == 1
    variable = yaml.safe_load((out_dir / "f/data/warehouse.variable.yaml").read_text())
    assert variable == {"value": CIPHERTEXT, "is_secret": True, "description": ""}
    orders = yaml.safe_load((out_dir / "f/legacy/orders.resource.yaml").read_text())
    assert orders["value"]["password"] == "$var:f/legacy/orders"
    everything = "".join(p.read_text() for p in out_dir.rglob("*.yaml"))
    assert PLAIN not in everything and MYSQL_PASSWORD not in everything
    assert windmill_secrets.MARK not in everything


def test_windmill_ciphertext_test_is_windmills():
    assert windmill_secrets.looks_like_workspace_ciphertext(CIPHERTEXT)
    assert windmill_secrets.looks_like_workspace_ciphertext("$vault:secret/data/x")
    assert not windmill_secrets.looks_like_workspace_ciphertext(PLAIN)
    assert not windmill_secrets.looks_like_workspace_ciphertext(
        base64.b64encode(b"x" * 20).decode()
    )
