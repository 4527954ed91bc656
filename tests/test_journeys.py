"""Acceptance tests: the user journeys of DESIGN.md, end to end through the real CLI.

Every command runs as ``connectors ...`` in a subprocess against the live servers of the
harness. Each call goes through ``Cli.__call__``, which checks what every output must satisfy:
no secret of the test in any encoded form (unless ``--show-secrets``), no traceback, and on
failure exactly one ``error:`` line on stderr (exit 2), or a printed check table (exit 1).
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import connectors
from connectors.redact import encoded_forms
from connectors.resource import Resource
from connectors.testing import secrets

pytestmark = pytest.mark.live

SUPABASE = (
    "postgresql://postgres.abcd:[YOUR-PASSWORD]@aws-0-eu-west-1.pooler.supabase.com:6543/postgres"
)
NEON = (
    "postgresql://neondb_owner:npg_Xy7@ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech"
    "/neondb?sslmode=require"
)
ATLAS = (
    "mongodb+srv://app:<db_password>@cluster0.ab1cd.mongodb.net/"
    "?retryWrites=true&w=majority&appName=Cluster0"
)
UPSTASH = "rediss://default:AXc5AAIjcDE@eu1-fine-cat-12345.upstash.io:6379"
WRONG_PASSWORD = "Wr0ng:pa/ss%20+ ü@#"
WRONG_TOKEN = "Wr0ng@:/%40#+=t0ken"  # a REST token travels in an HTTP header: ASCII only


@dataclass
class Result:
    args: tuple[str, ...]
    code: int
    out: str
    err: str

    def json(self) -> object:
        return json.loads(self.out)


@dataclass
class Cli:
    """Runs ``connectors`` and checks every output for leaks and for the error contract."""

    secrets: set[str] = field(default_factory=set)

    def forbid(self, *values: str) -> None:
        self.secrets.update(v for v in values if v)

    def __call__(self, *args: str, expect: int = 0, stdin: str | None = None) -> Result:
        done = subprocess.run(
            [sys.executable, "-c", "from connectors.cli import main; main()", *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )
        result = Result(args, done.returncode, done.stdout, done.stderr)
        where = f"connectors {' '.join(args)!r} -> {result.code}\n{result.out}\n{result.err}"
        assert result.code == expect, where
        assert "Traceback" not in result.out + result.err, where
        if "--show-secrets" not in args:
            assert_no_secret(result.out + result.err, self.secrets, where)
        if result.code == 2:
            lines = result.err.splitlines()
            assert len(lines) == 1 and lines[0].startswith("error: "), where
        elif result.code == 1:  # a failed check: the steps on stdout, nothing on stderr
            assert not result.err.strip(), where
            failed = '"ok": false' in result.out if "--json" in args else "FAILED" in result.out
            assert failed, where
        else:
            assert not result.err.strip(), where
        return result


def assert_no_secret(text: str, secret_values: set[str], where: str = "") -> None:
    for secret in secret_values:
        for form in encoded_forms(secret):
            assert form not in text, f"a form of a secret ({form[:2]}...) leaked: {where}"


@pytest.fixture
def cli() -> Cli:
    runner = Cli()
    runner.forbid(
        secrets.PASSWORD,
        secrets.UPSTASH_TOKEN,
        WRONG_PASSWORD,
        WRONG_TOKEN,
        "npg_Xy7",
        "AXc5AAIjcDE",
    )
    return runner


def _with(resource: Resource, **changes: object) -> Resource:
    return Resource(resource.resource_type, {**resource.value, **changes}, resource.provider)


# 1. Paste a console string, get a correct resource --------------------------------------


def test_parse_supabase_pooler_string_table_and_json(cli: Cli) -> None:
    table = cli("parse", SUPABASE).out
    assert "provider: supabase" in table
    assert "transaction mode" in table and "prepared statements" in table
    assert not any(line.startswith("password") for line in table.splitlines())
    assert "placeholder" in table
    data = cli("parse", "--json", SUPABASE).json()
    assert isinstance(data, dict)
    assert data["resource_type"] == "postgresql" and data["provider"] == "supabase"
    assert data["value"] == {
        "host": "aws-0-eu-west-1.pooler.supabase.com",
        "port": 6543,
        "user": "postgres.abcd",
        "dbname": "postgres",
        "sslmode": "require",
    }
    assert any("placeholder" in note for note in data["notes"])
    assert any("prepared statements" in note for note in data["notes"])
    shown = cli("parse", "--json", "--show-secrets", SUPABASE).json()
    assert isinstance(shown, dict) and "password" not in shown["value"]


def test_parse_neon_pooled_string(cli: Cli) -> None:
    data = cli("parse", "--json", NEON).json()
    assert isinstance(data, dict)
    assert (data["resource_type"], data["provider"]) == ("postgresql", "neon")
    assert data["value"]["password"] == "********"
    assert data["value"]["sslmode"] == "require"
    assert any("pooled" in note.lower() for note in data["notes"])
    shown = cli("parse", "--json", "--show-secrets", NEON).json()
    assert isinstance(shown, dict) and shown["value"]["password"] == "npg_Xy7"
    placeholder = NEON.replace("npg_Xy7", "[YOUR-PASSWORD]")
    data = cli("parse", "--json", "--show-secrets", placeholder).json()
    assert isinstance(data, dict) and "password" not in data["value"]
    assert any("placeholder" in note for note in data["notes"])


def test_parse_atlas_srv_string(cli: Cli) -> None:
    table = cli("parse", ATLAS.replace("<db_password>", "s3cr3t!")).out
    assert "provider: atlas" in table and "s3cr3t!" not in table
    data = cli("parse", "--json", "--show-secrets", ATLAS).json()
    assert isinstance(data, dict)
    assert (data["resource_type"], data["provider"]) == ("mongodb", "atlas")
    assert data["value"]["srv"] is True and data["value"]["tls"] is True
    assert data["value"]["servers"] == [{"host": "cluster0.ab1cd.mongodb.net"}]
    assert data["value"]["credential"]["username"] == "app"
    # Atlas's console placeholder is not a password.
    assert "password" not in data["value"]["credential"]
    assert any("placeholder" in note for note in data["notes"])


def test_parse_upstash_rediss_string_is_upstash_redis(cli: Cli) -> None:
    table = cli("parse", UPSTASH).out
    assert "type:     upstash_redis" in table and "provider: upstash" in table
    data = cli("parse", "--json", UPSTASH).json()
    assert isinstance(data, dict)
    assert data["resource_type"] == "upstash_redis"
    assert data["value"] == {"url": "https://eu1-fine-cat-12345.upstash.io", "token": "********"}
    assert any("upstash_redis" in note and "redis" in note for note in data["notes"])
    shown = cli("parse", "--json", "--show-secrets", UPSTASH).json()
    assert isinstance(shown, dict) and shown["value"]["token"] == "AXc5AAIjcDE"
    # a console placeholder is not a token, and the type needs one: a one-line error
    err = cli("parse", UPSTASH.replace("AXc5AAIjcDE", "[YOUR-PASSWORD]"), expect=2).err
    assert "placeholder" in err


@pytest.mark.parametrize("fmt", ["env", "airflow", "dlt", "wmill"])
def test_parse_formats_mask_secrets(
    cli: Cli,
    fmt: str,
    live_postgresql: Resource,
    live_redis: Resource,
    live_mongodb: Resource,
    live_upstash_redis: Resource,
) -> None:
    for resource, secret in (
        (live_postgresql, secrets.PASSWORD),
        (live_redis, secrets.PASSWORD),
        (live_mongodb, secrets.PASSWORD),
        (live_upstash_redis, secrets.UPSTASH_TOKEN),
    ):
        text = connectors.to_connection_string(resource)
        out = cli("parse", "--format", fmt, text).out
        assert "********" in out, (resource.resource_type, out)
        shown = cli("parse", "--format", fmt, "--show-secrets", text).out
        assert any(form in shown for form in encoded_forms(secret)), resource.resource_type


# 2. Store, check and run: PostgreSQL ----------------------------------------------------


def test_postgresql_store_check_run(cli: Cli, live_postgresql: Resource) -> None:
    url = connectors.to_connection_string(live_postgresql)
    added = cli("resource", "add", "f/data/warehouse", url)
    assert "added f/data/warehouse (postgresql)" in added.out

    got = cli("resource", "get", "--json", "f/data/warehouse").json()
    assert isinstance(got, dict)
    assert got["resource_type"] == "postgresql"
    assert got["value"]["password"] == "********"
    assert got["value"]["user"] == secrets.USERNAME
    table = cli("resource", "get", "f/data/warehouse").out
    assert "********" in table
    clear = cli("resource", "get", "--json", "--show-secrets", "f/data/warehouse").json()
    assert isinstance(clear, dict) and clear["value"]["password"] == secrets.PASSWORD

    checked = cli("check", "f/data/warehouse").out
    for step in ("tcp", "authentication"):
        assert step in checked
    assert "FAILED" not in checked and "server version" in checked
    steps = cli("check", "--json", "f/data/warehouse").json()
    assert isinstance(steps, dict) and steps["ok"] is True
    assert all(step["ok"] for step in steps["steps"]) and len(steps["steps"]) >= 3

    # '-' reads the string from stdin, so it stays out of the shell history
    cli("resource", "add", "f/data/from_stdin", "-", stdin=url + "\n")
    assert cli("check", "--json", "f/data/from_stdin").json()["ok"] is True  # type: ignore[index]

    for spec in ("f/data/warehouse", "$res:f/data/warehouse", url):
        ran = cli(
            "run", "postgresql/execute_query", "--resource", spec, "--arg", "query=select 1 as x"
        )
        assert ran.json() == [{"x": 1}], spec
    ran = cli(
        "run",
        "--json",
        "postgresql/execute_query",
        "--resource",
        url,
        "--arg",
        "query=select 2 as y",
    )
    data = ran.json()
    assert isinstance(data, dict) and data["result"] == [{"y": 2}]
    assert data["args"]["db"]["password"] == "********"


def test_postgresql_wrong_password_check_fails_on_auth(cli: Cli, live_postgresql: Resource) -> None:
    wrong = connectors.to_connection_string(_with(live_postgresql, password=WRONG_PASSWORD))
    cli("resource", "add", "f/data/wrong", wrong)
    failed = cli("check", "f/data/wrong", expect=1).out
    failed_steps = [line.split()[0] for line in failed.splitlines() if "FAILED" in line]
    assert failed_steps == ["authentication"], failed
    data = cli("check", "--json", "f/data/wrong", expect=1).json()
    assert isinstance(data, dict) and data["ok"] is False
    assert [s["name"] for s in data["steps"] if not s["ok"]] == ["authentication"]
    # the connection string itself, given on the command line
    cli("check", wrong, expect=1)
    # running a script with it: one error line, no secret
    err = cli(
        "run", "postgresql/execute_query", "--resource", wrong, "--arg", "query=select 1", expect=2
    ).err
    assert "password" in err.lower() or "auth" in err.lower()


def test_errors_are_one_line_without_secrets(cli: Cli, live_postgresql: Resource) -> None:
    url = connectors.to_connection_string(live_postgresql)
    cli("resource", "add", "f/data/warehouse", url)
    run = ("run", "postgresql/execute_query", "--resource", "f/data/warehouse")
    err = cli(*run, "--arg", "nope=1", expect=2).err
    assert "nope" in err and "query" in err
    err = cli(*run, "--arg", "query", expect=2).err
    assert "NAME=VALUE" in err
    err = cli(*run, "--arg", "query=select 1", "--arg", "max_rows=many", expect=2).err
    assert "max_rows" in err
    err = cli(*run, "--arg", "query=select * from no_such_table", expect=2).err
    assert "no_such_table" in err
    err = cli(*run, expect=2).err
    assert "query" in err
    for args in (
        ("check", "f/data/missing"),
        ("resource", "get", "f/data/missing"),
        ("run", "postgresql/execute_query", "--resource", "f/data/missing", "--arg", "query=1"),
        ("run", "postgresql/no_such_script", "--resource", url),
        ("check", "--type", "redis", url),
        ("parse", url.replace("postgresql://", "postgresq://")),
        ("parse", url.replace("@", "@[", 1)),
        ("resource", "add", "not a path", url),
    ):
        cli(*args, expect=2)


# 3. The same for Redis, MongoDB and Upstash ----------------------------------------------


def _store_check(cli: Cli, path: str, resource: Resource, kind: str) -> str:
    text = connectors.to_connection_string(resource)
    assert f"({kind})" in cli("resource", "add", path, text).out
    got = cli("resource", "get", "--json", path).json()
    assert isinstance(got, dict) and got["resource_type"] == kind
    assert "********" in json.dumps(got)
    clear = cli("resource", "get", "--json", "--show-secrets", path).json()
    assert isinstance(clear, dict) and clear["value"] == connectors.parse(text).value
    checked = cli("check", "--json", path).json()
    assert isinstance(checked, dict) and checked["ok"] is True, checked
    return text


def test_redis_store_check_run(cli: Cli, fresh_redis: Resource) -> None:
    text = _store_check(cli, "f/cache/redis", fresh_redis, "redis")
    ok = cli(
        "run", "redis/set", "--resource", "f/cache/redis", "--arg", "key=k", "--arg", "value=v"
    )
    assert ok.json() in (True, "OK", {"ok": True}) or ok.json()
    got = cli("run", "redis/get", "--resource", text, "--arg", "key=k").json()
    assert got == "v" or (isinstance(got, dict) and got.get("value") == "v"), got
    wrong = connectors.to_connection_string(_with(fresh_redis, password=WRONG_PASSWORD))
    data = cli("check", "--json", wrong, expect=1).json()
    assert isinstance(data, dict)
    assert [s["name"] for s in data["steps"] if not s["ok"]] == ["authentication"]


def test_mongodb_store_check_run(cli: Cli, fresh_mongodb: Resource) -> None:
    _store_check(cli, "f/docs/mongo", fresh_mongodb, "mongodb")
    docs = json.dumps([{"n": 1}, {"n": 2}])
    spec = "$res:f/docs/mongo"
    inserted = cli(
        "run", "mongodb/insert_many", "--resource", spec, "--arg", "collection=c",
        "--arg", f"documents={docs}",
    ).json()  # fmt: skip
    assert inserted
    found = cli(
        "run", "mongodb/find", "--resource", spec, "--arg", "collection=c",
        "--arg", 'projection={"_id": 0}', "--arg", 'sort={"n": 1}',
    ).json()  # fmt: skip
    assert found == [{"n": 1}, {"n": 2}]
    wrong = _with(
        fresh_mongodb, credential={**fresh_mongodb.value["credential"], "password": WRONG_PASSWORD}
    )
    data = cli("check", "--json", connectors.to_connection_string(wrong), expect=1).json()
    assert isinstance(data, dict)
    assert [s["name"] for s in data["steps"] if not s["ok"]] == ["authentication"]


def test_upstash_store_check_run(cli: Cli, fresh_upstash_redis: Resource) -> None:
    text = _store_check(cli, "f/cache/upstash", fresh_upstash_redis, "upstash_redis")
    cli("run", "upstash_redis/set", "--resource", "f/cache/upstash", "--arg", "key=k",
        "--arg", "value=v")  # fmt: skip
    got = cli("run", "upstash_redis/get", "--resource", text, "--arg", "key=k").json()
    assert got == "v" or (isinstance(got, dict) and got.get("value") == "v"), got
    wrong = connectors.to_connection_string(_with(fresh_upstash_redis, token=WRONG_TOKEN))
    failed = cli("check", wrong, expect=1).out
    assert [line.split()[0] for line in failed.splitlines() if "FAILED" in line] == [
        "authentication"
    ], failed


def test_azure_blob_store_check_run(cli: Cli, fresh_azure_blob: Resource) -> None:
    cli.forbid(secrets.AZURITE_KEY)
    _store_check(cli, "f/blob/azurite", fresh_azure_blob, "azure_blob")
    cli("run", "azure_blob/upload_blob", "--resource", "f/blob/azurite", "--arg", "blob_name=a.txt",
        "--arg", "content=hi")  # fmt: skip
    listed = cli("run", "azure_blob/list_blobs", "--resource", "$res:f/blob/azurite").json()
    assert "a.txt" in json.dumps(listed)
    wrong = _with(fresh_azure_blob, accessKey=base64.b64encode(b"not the key" * 6).decode())
    cli.forbid(wrong.value["accessKey"])
    cli("check", connectors.to_connection_string(wrong), expect=1)


# 4. Secrets in exported files ------------------------------------------------------------


def test_workspace_export_writes_references_not_secrets(
    cli: Cli, tmp_path: Path, live_postgresql: Resource, live_redis: Resource
) -> None:
    cli("resource", "add", "f/data/warehouse", connectors.to_connection_string(live_postgresql))
    cli("resource", "add", "f/cache/redis", connectors.to_connection_string(live_redis))
    out = tmp_path / "export"
    cli("workspace", "export", str(out))
    files = sorted(p for p in out.rglob("*") if p.is_file())
    assert files
    text = "\n".join(p.read_text(encoding="utf-8") for p in files)
    assert_no_secret(text, cli.secrets)
    assert "$var:f/data/warehouse" in text and "$var:f/cache/redis" in text


# 5. env import ----------------------------------------------------------------------------


def test_env_import_then_check(
    cli: Cli,
    tmp_path: Path,
    live_postgresql: Resource,
    live_redis: Resource,
    live_mongodb: Resource,
) -> None:
    env = tmp_path / ".env"
    lines = [
        f"DATABASE_URL='{connectors.to_connection_string(live_postgresql)}'",
        f"REDIS_URL='{connectors.to_connection_string(live_redis)}'",
        f"export MONGODB_URI='{connectors.to_connection_string(live_mongodb)}'",
    ]
    env.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dry = cli("env", "import", "--file", str(env), "--folder", "prod", "--dry-run").out
    assert dry.count("would store") == 3, dry
    rows = cli("env", "import", "--file", str(env), "--folder", "prod", "--json").json()
    assert isinstance(rows, list)
    assert {(r["path"], r["resource_type"], r["stored"]) for r in rows} == {
        ("f/prod/database", "postgresql", True),
        ("f/prod/redis", "redis", True),
        ("f/prod/mongodb", "mongodb", True),
    }
    for path in ("f/prod/database", "f/prod/redis", "f/prod/mongodb"):
        cli("check", path)


# 6. States through wmill -------------------------------------------------------------------


def test_trigger_returns_exactly_the_new_documents(cli: Cli, fresh_mongodb: Resource) -> None:
    from pymongo import MongoClient

    cli("resource", "add", "f/docs/mongo", connectors.to_connection_string(fresh_mongodb))
    collection = fresh_mongodb.value["db"]
    run = (
        "run", "mongodb/get_new_documents", "--resource", "f/docs/mongo",
        "--arg", "collection=events",
    )  # fmt: skip
    client: MongoClient[dict[str, object]] = connectors.connect(fresh_mongodb)
    try:
        events = client[collection]["events"]
        events.insert_many([{"n": 1}, {"n": 2}])
        assert cli(*run).json() == []  # the first run records the baseline
        events.insert_many([{"n": 3}, {"n": 4}])
        new = cli(*run).json()
        assert isinstance(new, list) and [d["n"] for d in new] == [3, 4]
        assert cli(*run).json() == []
        state = cli("state", "get", "--json", "f/mongodb/get_new_documents/user")
        assert "events" in state.out
    finally:
        client.close()
