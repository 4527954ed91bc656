"""The command line: one-line errors, exit codes, --json everywhere, no driver at start-up."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

DRIVERS = ("psycopg", "pymongo", "redis", "upstash_redis", "boto3", "botocore", "azure")


def connectors_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from connectors.cli import main; main()", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
    )


def test_parse_imports_no_driver():
    probe = (
        "import sys\n"
        "from connectors.cli import main\n"
        "try:\n"
        "    main(['parse', 'kv-unknown://x'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "for text in ['postgresql://u@h/db', 'redis://h:6379/0', 'mongodb://h/db',\n"
        "             's3://bucket/key', 'UseDevelopmentStorage=true']:\n"
        "    try:\n"
        "        main(['parse', text, '--json'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {DRIVERS!r})\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert "LOADED []" in result.stderr, result.stderr


def test_unknown_string_is_one_line_on_stderr_with_exit_2():
    result = connectors_cli("parse", "definitely not a connection string")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: not a connection string of any known type")
    assert "postgresql" in lines[0] and "azure_blob" in lines[0]


def test_debug_shows_the_traceback():
    result = connectors_cli("--debug", "parse", "definitely not a connection string")
    assert result.returncode != 0
    assert "Traceback" in result.stderr
    assert "ParseError" in result.stderr


def test_unknown_type_is_a_clear_error():
    result = connectors_cli("schema", "nosuchtype")
    assert result.returncode == 2
    # installed plugins (the mysql and gcs distributions in CI) are known types too
    from connectors.plugins import get_registry

    known = ", ".join(sorted(get_registry().connectors))
    assert "azure_blob, " in known and "upstash_redis" in known
    expected = f"error: unknown resource type 'nosuchtype' (installed: {known})"
    assert result.stderr.strip() == expected


def test_usage_error_exits_2_without_traceback():
    result = connectors_cli("parse")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "Missing argument" in result.stderr


@pytest.mark.parametrize("command", [["types"], ["plugins"], ["schema", "postgresql"]])
def test_json_output_is_json(command):
    result = connectors_cli(*command, "--json")
    assert result.returncode == 0, result.stderr
    json.loads(result.stdout)


def test_types_table_lists_the_builtin_types():
    result = connectors_cli("types")
    assert result.returncode == 0
    header, rule, *rows = result.stdout.splitlines()
    assert header.split()[:2] == ["type", "providers"]
    assert set(rule) <= {"-", " "}
    names = [row.split()[0] for row in rows]
    builtins = ["azure_blob", "mongodb", "postgresql", "redis", "s3", "upstash_redis"]
    assert names == sorted(names) and set(builtins) <= set(names)  # plus any installed plugin


def test_schema_prints_the_hub_document():
    result = connectors_cli("schema", "s3")
    document = json.loads(result.stdout)
    assert document["description"] == "An s3 bucket connection info"
    assert document["schema"]["properties"]["secretKey"]["password"] is True


def test_unexpected_exception_is_one_line_and_redacted(monkeypatch, capsys):
    from connectors import cli

    def explode(*args, **kwargs):
        raise RuntimeError("driver said: postgresql://admin:hunter2secret@db.internal/prod failed")

    monkeypatch.setattr(cli.cli, "main", explode)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["plugins"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "hunter2secret" not in err
    assert err.count("\n") == 1
    assert "RuntimeError" in err and "--debug" in err


def test_debug_is_accepted_after_the_command():
    result = connectors_cli("parse", "definitely not a connection string", "--debug")
    assert "Traceback" in result.stderr and "ParseError" in result.stderr


def test_format_with_json_wraps_the_rendered_text():
    result = connectors_cli(
        "parse", "redis://:pw1234@localhost:6379/0", "--format", "env", "--json"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["format"] == "env"
    assert data["content"].startswith("REDIS_URL=")
    assert "pw1234" not in result.stdout
