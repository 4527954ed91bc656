"""The workspace commands: resource, variable, state, workspace, env."""

from __future__ import annotations

import io
import json
import sys

import pytest
import yaml

import connectors
from connectors.cli import main
from connectors.plugins import get_registry
from connectors.redact import MASK

PG_URL = "postgresql://app:pg-Secret-77@db.example.com:5432/sales"


def run(capsys, monkeypatch, *argv, stdin: str | None = None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = 0
    try:
        main(list(argv))
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli(capsys, monkeypatch):
    return lambda *argv, stdin=None: run(capsys, monkeypatch, *argv, stdin=stdin)


def test_resource_add_parses_connection_string(cli):
    code, out, err = cli("resource", "add", "f/data/sales", PG_URL, "--description", "sales db")
    assert code == 0, err
    assert out.startswith("added f/data/sales (postgresql)")
    assert connectors.get_resource("f/data/sales")["password"] == "pg-Secret-77"
    code, out, _ = cli("resource", "get", "f/data/sales", "--json")
    data = json.loads(out)
    assert data["value"]["password"] == MASK and data["description"] == "sales db"
    assert "pg-Secret-77" not in out
    code, out, _ = cli("resource", "get", "f/data/sales", "--show-secrets", "--json")
    assert json.loads(out)["value"]["password"] == "pg-Secret-77"
    code, out, _ = cli("resource", "get", "$res:f/data/sales")
    assert "db.example.com" in out and "pg-Secret-77" not in out


def test_resource_add_json_from_stdin_validated(cli):
    code, out, err = cli(
        "resource",
        "add",
        "u/me/r",
        "-",
        "--type",
        "redis",
        stdin='{"host": "h", "port": 6379, "password": "r-Secret-1"}',
    )
    assert code == 0, err
    code, out, err = cli("resource", "add", "u/me/bad", '{"host": 5}', "--type", "redis")
    assert code == 2 and err.startswith("error: invalid redis value: /host")
    code, out, err = cli("resource", "add", "u/me/bad", "{nope", "--type", "redis")
    assert code == 2 and "invalid JSON value" in err
    code, out, err = cli("resource", "add", "bad/path", "{}")
    assert code == 2 and "invalid resource path 'bad/path'" in err
    code, out, err = cli("resource", "add", "u/me/x", "{}", "--type", "nosuch")
    assert code == 2 and "unknown resource type 'nosuch'" in err
    code, out, _ = cli("resource", "list", "--json")
    assert json.loads(out) == [{"path": "u/me/r", "resource_type": "redis", "description": ""}]


def test_resource_list_and_rm(cli):
    cli("resource", "add", "f/a/one", '{"k": 1}')
    cli("resource", "add", "f/a/two", PG_URL)
    code, out, _ = cli("resource", "list")
    assert out.splitlines()[0].split() == ["path", "type", "description"]
    assert "f/a/one" in out and "postgresql" in out
    code, out, _ = cli("resource", "list", "--type", "postgresql", "--json")
    assert [r["path"] for r in json.loads(out)] == ["f/a/two"]
    assert cli("resource", "rm", "f/a/one")[0] == 0
    code, out, err = cli("resource", "rm", "f/a/one")
    assert code == 2 and err == "error: resource f/a/one not found\n"


def test_variable_secret_from_stdin_never_echoed(cli):
    code, out, err = cli("variable", "set", "u/me/token", "-", "--secret", stdin="tk-Secret-5\n")
    assert code == 0 and out == "set u/me/token (secret)\n" and "tk-Secret-5" not in err
    assert connectors.get_variable("u/me/token") == "tk-Secret-5"
    code, out, _ = cli("variable", "get", "u/me/token")
    assert out.strip() == MASK
    code, out, _ = cli("variable", "get", "u/me/token", "--show-secrets")
    assert out.strip() == "tk-Secret-5"
    cli("variable", "set", "u/me/plain", "hello")
    code, out, _ = cli("variable", "list", "--json")
    assert json.loads(out) == [
        {"path": "u/me/plain", "value": "hello", "is_secret": False, "description": ""},
        {"path": "u/me/token", "value": MASK, "is_secret": True, "description": ""},
    ]
    code, out, _ = cli("variable", "list")
    assert "tk-Secret-5" not in out and "hello" in out


def test_state_get_set(cli):
    code, out, _ = cli("state", "get", "u/me/s")
    assert json.loads(out) is None
    assert cli("state", "set", "u/me/s", '{"last": [1, 2]}')[0] == 0
    code, out, _ = cli("state", "get", "u/me/s", "--json")
    assert json.loads(out) == {"path": "u/me/s", "value": {"last": [1, 2]}}
    code, out, _ = cli("state", "list", "--json")
    assert [s["path"] for s in json.loads(out)] == ["u/me/s"]
    cli("resource", "add", "u/me/pg", PG_URL)
    code, _, err = cli("state", "set", "u/me/pg", "1")
    assert code == 2 and "not a state" in err


def test_workspace_info_and_rotate(cli, isolated_environment):
    cli("variable", "set", "u/me/token", "tk-1", "--secret")
    _, out, _ = cli("workspace", "info", "--json")
    info = json.loads(out)
    assert info["store"] == "sqlite" and info["secret_variables"] == 1
    assert info["location"] == str(isolated_environment / "workspaces" / "default.sqlite")
    _, out, _ = cli("workspace", "rotate-key", "--json")
    rotated = json.loads(out)
    assert rotated["reencrypted"] == 1 and rotated["key_id"] != info["key_id"]
    assert connectors.get_variable("u/me/token") == "tk-1"


def test_export_import_wmill_sync_format(cli, tmp_path, monkeypatch):
    cli("resource", "add", "f/data/sales", PG_URL, "--description", "sales")
    cli("variable", "set", "u/me/token", "-", "--secret", stdin="tk-Secret-5")
    cli("variable", "set", "u/me/plain", "hello")
    out_dir = tmp_path / "sync"
    code, out, err = cli("workspace", "export", str(out_dir), "--json")
    assert code == 0, err
    assert json.loads(out) == {
        "directory": str(out_dir),
        "resources": 1,
        "variables": 2,
        "linked_secrets": 1,
        "windmill_encrypted": 0,
    }
    resource = yaml.safe_load((out_dir / "f/data/sales.resource.yaml").read_text())
    assert resource["resource_type"] == "postgresql" and resource["description"] == "sales"
    assert resource["value"]["password"] == "$var:f/data/sales"
    linked = yaml.safe_load((out_dir / "f/data/sales.variable.yaml").read_text())
    assert linked["is_secret"] is True and linked["value"].startswith("$enc:v1:")
    plain = yaml.safe_load((out_dir / "u/me/plain.variable.yaml").read_text())
    assert plain == {"value": "hello", "is_secret": False, "description": ""}
    everything = "".join(p.read_text() for p in out_dir.rglob("*.yaml"))
    assert "pg-Secret-77" not in everything and "tk-Secret-5" not in everything

    clear_dir = tmp_path / "clear"
    cli("workspace", "export", str(clear_dir), "--plain-secrets")
    assert yaml.safe_load((clear_dir / "u/me/token.variable.yaml").read_text())["value"] == (
        "tk-Secret-5"
    )

    # import into another workspace sharing the key file
    monkeypatch.setenv("CONNECTORS_WORKSPACE", "copy")
    monkeypatch.setenv("CONNECTORS_WORKSPACE_KEY_FILE", str(connectors_key()))
    code, out, err = cli("workspace", "import", str(out_dir))
    assert code == 0, err
    assert out == "imported 1 resource(s) and 3 variable(s)\n"
    assert connectors.get_resource("f/data/sales")["password"] == "pg-Secret-77"
    assert connectors.get_resource("f/data/sales", interpolated=False)["password"] == (
        "$var:f/data/sales"
    )
    assert connectors.get_variable("u/me/token") == "tk-Secret-5"


#: strings YAML writers get wrong: line breaks of other kinds (PyYAML writes U+0085 raw in single
#: quotes and reads it back as a space), lone carriage returns, other control characters
AWKWARD_TEXT = [
    "next\x85line",
    "\x85",
    " \x85 ",
    "line\u2028separator",
    "paragraph\u2029separator",
    "lone\rreturn",
    "crlf\r\nend",
    "trailing newline\n",
    "tab\tbell\x07escape\x1bdelete\x7f",
    "".join(map(chr, range(1, 32))),
    "bom\ufeff and no-break\xa0space",
]


@pytest.mark.parametrize("plain_secrets", [False, True])
def test_export_import_keeps_awkward_text(cli, tmp_path, monkeypatch, plain_secrets):
    """Resources, states and variables, secret or not, come back with the very same strings."""
    texts = {f"t{i}": text for i, text in enumerate(AWKWARD_TEXT)}
    connectors.set_resource("f/data/notes", {"texts": texts, "list": AWKWARD_TEXT}, "any")
    connectors.set_resource("u/me/state", {"last": AWKWARD_TEXT}, "state")
    redis = {"host": "cache.example.com", "port": 6379, "password": "pw\x85\u2028\r!"}
    connectors.set_resource("f/data/cache", redis, "redis")
    cache = connectors.get_resource("f/data/cache")  # normalised: db, tls, username added
    assert cache["password"] == redis["password"]
    for i, text in enumerate(AWKWARD_TEXT):
        connectors.set_variable(f"u/me/plain{i}", text)
        connectors.set_variable(f"u/me/secret{i}", text, is_secret=True)
    out_dir = tmp_path / "sync"
    flags = ["--plain-secrets"] if plain_secrets else []
    code, _, err = cli("workspace", "export", str(out_dir), "--include-states", *flags)
    assert code == 0, err

    monkeypatch.setenv("CONNECTORS_WORKSPACE", "copy")
    monkeypatch.setenv("CONNECTORS_WORKSPACE_KEY_FILE", str(connectors_key()))
    code, _, err = cli("workspace", "import", str(out_dir))
    assert code == 0, err
    assert connectors.get_resource("f/data/notes") == {"texts": texts, "list": AWKWARD_TEXT}
    assert connectors.get_resource("u/me/state") == {"last": AWKWARD_TEXT}
    assert connectors.get_resource("f/data/cache") == cache
    for i, text in enumerate(AWKWARD_TEXT):
        assert connectors.get_variable(f"u/me/plain{i}") == text
        assert connectors.get_variable(f"u/me/secret{i}") == text


def connectors_key():
    from connectors.workspace.store import home_dir

    return home_dir() / "workspaces" / "default.key"


def test_import_refuses_everything_when_one_file_is_bad(cli, tmp_path):
    (tmp_path / "f" / "x").mkdir(parents=True)
    (tmp_path / "f/x/good.resource.yaml").write_text(
        yaml.safe_dump({"value": {"a": 1}, "resource_type": "any", "description": ""})
    )
    (tmp_path / "f/x/bad.resource.yaml").write_text(
        yaml.safe_dump({"value": {"port": "x"}, "resource_type": "postgresql"})
    )
    code, _, err = cli("workspace", "import", str(tmp_path))
    assert code == 2 and "nothing imported" in err and "f/x/bad.resource.yaml" in err
    assert connectors.list_resources() == []


def test_env_import(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", PG_URL)
    monkeypatch.setenv("REDIS_URL", "redis://:r-Secret-3@cache.example.com:6379/0")
    monkeypatch.setenv("MONGODB_URI", "mongodb://u:m-Secret-4@mongo.example.com/app")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "aws-Secret-5")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("S3_BUCKET", "reports")
    monkeypatch.setenv(
        "AZURE_STORAGE_CONNECTION_STRING",
        "DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey=YXotU2VjcmV0LTY=;"
        "EndpointSuffix=core.windows.net",
    )
    monkeypatch.setenv("UPSTASH_REDIS_REST_URL", "https://eu1-cat-123.upstash.io")
    monkeypatch.setenv("UPSTASH_REDIS_REST_TOKEN", "up-Secret-7")
    code, out, err = cli("env", "import", "--user", "ann", "--json")
    assert code == 0, err
    rows = {r["path"]: r["resource_type"] for r in json.loads(out)}
    assert rows == {
        "u/ann/database": "postgresql",
        "u/ann/redis": "redis",
        "u/ann/mongodb": "mongodb",
        "u/ann/s3": "s3",
        "u/ann/azure_blob": "azure_blob",
        "u/ann/upstash_redis": "upstash_redis",
    }
    assert "Secret" not in out
    assert connectors.get_resource("u/ann/s3")["secretKey"] == "aws-Secret-5"
    assert connectors.get_resource("u/ann/s3")["bucket"] == "reports"
    assert connectors.get_resource("u/ann/upstash_redis") == {
        "url": "https://eu1-cat-123.upstash.io",
        "token": "up-Secret-7",
    }
    assert connectors.get_resource("u/ann/redis")["password"] == "r-Secret-3"


def test_env_import_from_file_dry_run_and_errors(cli, tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(f"DATABASE_URL={PG_URL}\nREDIS_URL=notaurl\n")
    code, out, err = cli("env", "import", "--file", str(env_file), "--folder", "app", "--dry-run")
    assert "f/app/database" in out and "would store" in out
    assert code == 2 and "REDIS_URL" in err
    assert connectors.list_resources() == []
    code, out, err = cli("env", "import", "--file", str(env_file), "--folder", "app")
    assert [r["path"] for r in connectors.list_resources()] == ["f/app/database"]


def test_check_of_an_untyped_resource_says_how_to_add_a_type(cli):
    code, out, err = cli("resource", "add", "f/data/loose", '{"host": "db.example.com"}')
    assert code == 0 and out.startswith("added f/data/loose (any)")
    code, out, err = cli("check", "f/data/loose")
    assert code == 2 and out == ""
    types = ", ".join(sorted(get_registry().connectors))
    assert "postgresql, redis" in types
    assert err == (
        "error: resource f/data/loose has no connector type (stored as 'any', from JSON added "
        "without --type); re-add it with one: connectors resource add f/data/loose "
        f"'<JSON value>' --type TYPE (TYPE: one of {types})\n"
    )
    code, out, err = cli("check", "$res:f/data/loose", "--type", "postgresql")
    assert code == 2
    assert err.startswith("error: resource f/data/loose has no connector type")
    assert err.endswith("connectors resource add f/data/loose '<JSON value>' --type postgresql\n")
    # following the advice works: the resource is replaced with a typed one and checked
    value = '{"host": "127.0.0.1", "port": 1, "user": "u", "dbname": "d"}'
    code, out, err = cli("resource", "add", "f/data/loose", value, "--type", "postgresql")
    assert code == 0, err
    code, out, err = cli("check", "f/data/loose", "--timeout", "2")
    assert code == 1 and "tcp" in out and "FAILED" in out
