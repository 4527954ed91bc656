"""The installed plugin as users meet it: every CLI command that lists or writes types."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

import connectors

URL = "mysql://app:s3cr%40t@db.example.com/shop?ssl-mode=REQUIRED"


FORMATS = [
    ("env", "MYSQL_PWD='********'"),
    ("airflow", '"conn_type": "mysql"'),
    ("dlt", 'drivername = "mysql+pymysql"'),
    ("wmill", "resource_type: mysql"),
]


def cli(*args):
    return subprocess.run(
        [sys.executable, "-c", "from connectors.cli import main; main()", *args],
        capture_output=True, text=True, env=os.environ.copy(), check=False,
    )  # fmt: skip


def test_every_parse_format_is_tested():
    offered = re.search(r"--format \[([a-z|]+)\]", cli("parse", "--help").stdout)
    assert offered is not None
    assert sorted(offered.group(1).split("|")) == sorted(fmt for fmt, _ in FORMATS)


def test_listed_by_plugins_and_types():
    plugins = json.loads(cli("plugins", "--json").stdout)["plugins"]
    ours = [p for p in plugins if "mysql" in p["types"]]
    assert ours and ours[0]["distribution"] == "storage-connectors-mysql"
    types = {t["name"]: t for t in json.loads(cli("types", "--json").stdout)}
    assert types["mysql"]["secret_fields"] == ["password"]
    assert "storage-connectors-mysql" in types["mysql"]["plugin"]


def test_schema_write_dir(tmp_path):
    done = cli("schema", "mysql", "--write-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    document = json.loads((tmp_path / "mysql.json").read_text())
    assert document["schema"]["properties"]["password"]["password"] is True
    assert document["schema"]["order"] == ["host", "port", "user", "database", "password", "ssl"]


def test_hub_export_has_type_and_scripts(tmp_path):
    assert cli("hub", "export", str(tmp_path)).returncode == 0
    assert (tmp_path / "resource_types" / "mysql.json").is_file()
    for name in ("execute_query", "list_tables", "insert_rows", "export_to_parquet"):
        assert (tmp_path / "hub_scripts" / "mysql" / f"{name}.script.yaml").is_file()
    wmill = tmp_path / "wmill"
    assert cli("hub", "export", str(wmill), "--format", "wmill").returncode == 0
    assert (wmill / "mysql.resource-type.yaml").is_file()
    assert (wmill / "f" / "mysql" / "execute_query.script.yaml").is_file()


@pytest.mark.parametrize(("fmt", "expected"), FORMATS)
def test_every_parse_format_masks_the_password(fmt, expected):
    done = cli("parse", URL, "--format", fmt)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout
    assert "s3cr" not in done.stdout and "%40t" not in done.stdout


def test_show_secrets_shows_it():
    done = cli("parse", URL, "--format", "env", "--show-secrets")
    assert "MYSQL_PWD=s3cr@t" in done.stdout


@pytest.mark.parametrize(
    "text",
    [
        "mysql://app:p@ss@localhost/shop",
        "mysql://app:hunter2@localhost:99999/shop",
        "mysql://app:hunter2@localhost/shop?sslmod=REQUIRED",
    ],
)
def test_bad_strings_exit_2_with_one_line_and_no_secret(text):
    done = cli("parse", text)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "position" in done.stderr
    assert "hunter2" not in done.stderr and "p@ss" not in done.stderr


@pytest.mark.live
def test_check_command(live_mysql):
    done = cli("check", connectors.to_connection_string(live_mysql), "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout)
    assert result["ok"] and "MariaDB" in result["server_version"]
    assert live_mysql.value["password"] not in done.stdout
