"""Masking by field, as properties: every output form shows every non-secret field unchanged and
no secret, for random users, databases, hosts and passwords (equal ones, one-character ones,
pieces of the scheme included). Also: the URL and ``key=value`` scanners are linear."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from urllib.parse import quote, unquote, urlsplit

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

import connectors
from connectors.checks import CheckSteps
from connectors.cli import cli
from connectors.redact import MASK, Redactor, redact_text, redactor_for

NAME = st.one_of(
    st.sampled_from(["postgres", "test_user", "default", "p", "ql", "s", "admin", "user-1"]),
    st.text("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789_.-", min_size=1, max_size=12),
)
HOST = st.one_of(
    st.sampled_from(["localhost", "db.example.com", "p", "postgres"]),
    st.lists(
        st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8).map(
            lambda s: "h" + s
        ),
        min_size=1,
        max_size=3,
    ).map(".".join),
)
PIECES = ["postgres", "postgresql", "ql", "sql", "p", "s", "://", "redis", "mongodb", "test", "*"]
PRINTABLE = st.characters(min_codepoint=33, max_codepoint=126) | st.sampled_from(["é", "€", " "])


@st.composite
def fields(draw: st.DrawFn) -> dict[str, str]:
    user, dbname, host = draw(NAME), draw(NAME), draw(HOST)
    password = draw(
        st.one_of(
            st.sampled_from([user, dbname, host, *PIECES]),
            st.text(PRINTABLE, min_size=1, max_size=14).filter(lambda s: s.strip() == s),
        )
    )
    return {"user": user, "dbname": dbname, "host": host, "password": password}


def _string(family: str, f: dict[str, str]) -> str:
    user, pw = quote(f["user"], safe=""), quote(f["password"], safe="")
    db = quote(f["dbname"], safe="")
    if family == "postgresql":
        return f"postgresql://{user}:{pw}@{f['host']}:5432/{db}"
    if family == "redis":
        return f"redis://{user}:{pw}@{f['host']}:6379/0"
    return f"mongodb://{user}:{pw}@{f['host']}:27017/{db}"


# What each output form shows of the fields: read back from the output's own structure.


def _from_url(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    seen = {
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "host": parts.hostname or "",
    }
    if not url.startswith("redis"):
        seen["dbname"] = unquote(parts.path[1:])
    return seen


def _from_value(family: str, value: dict) -> dict[str, str]:
    if family == "postgresql":
        return {k: value[k] for k in ("user", "dbname", "host", "password")}
    if family == "redis":
        return {"user": value["username"], "host": value["host"], "password": value["password"]}
    cred = value["credential"]
    return {
        "user": cred["username"],
        "password": cred["password"],
        "host": value["servers"][0]["host"],
        "dbname": value["db"],
    }


def _read(family: str, form: str, out: str) -> list[dict[str, str]]:
    if form == "json":
        return [_from_value(family, json.loads(out)["value"])]
    if form == "wmill":
        return [_from_value(family, yaml.safe_load(out)["value"])]
    if form == "table":
        rows = dict(line.split(None, 1) for line in out.splitlines()[4:] if line.strip())
        if family == "mongodb":
            rows["servers"] = json.loads(rows["servers"])
            value = {
                "db": rows["db"],
                "servers": rows["servers"],
                "credential": {
                    "username": rows["credential.username"],
                    "password": rows["credential.password"],
                },
            }
            return [_from_value(family, value)]
        return [_from_value(family, rows)]
    if form == "airflow":
        conn = json.loads(out)
        seen = {"user": conn["login"], "password": conn["password"], "host": conn["host"]}
        if family != "redis":
            seen["dbname"] = conn["schema"]
        return [seen]
    if form == "dlt":
        tables = tomllib.loads(out)
        if family == "postgresql":
            c = tables["destination"]["postgres"]["credentials"]
            return [
                {
                    "user": c["username"],
                    "password": c["password"],
                    "host": c["host"],
                    "dbname": c["database"],
                }
            ]
        return [_from_url(tables["sources"][family]["connection_url"])]
    assert form == "env"
    env = dict(line.split("=", 1) for line in shlex.split(out, posix=True))
    if family == "postgresql":
        libpq = {
            "user": "PGUSER",
            "password": "PGPASSWORD",
            "host": "PGHOST",
            "dbname": "PGDATABASE",
        }
        return [_from_url(env["DATABASE_URL"]), {k: env[v] for k, v in libpq.items()}]
    return [_from_url(env["REDIS_URL" if family == "redis" else "MONGODB_URI"])]


FORMS = {
    "table": [],
    "json": ["--json"],
    "airflow": ["--format", "airflow"],
    "dlt": ["--format", "dlt"],
    "env": ["--format", "env"],
    "wmill": ["--format", "wmill"],
}


def _scaffold(family: str, form: str) -> str:
    """The text of a form with its fields taken out: a password found in it is no leak."""
    f = {"user": "UU1", "dbname": "DD1", "host": "hh1.example", "password": "PP1"}
    out = _cli(_string(family, f), FORMS[form])
    for text in f.values():
        out = out.replace(text, "")
    return out


def _cli(text: str, args: list[str]) -> str:
    result = CliRunner().invoke(cli, ["parse", *args, "--", text])
    assert result.exit_code == 0, result.output
    return result.output


def _assert_no_leak(out: str, f: dict[str, str], scaffold: str) -> None:
    secret = f["password"]
    if secret in scaffold or any(secret in f[k] for k in ("user", "dbname", "host")):
        return  # the read-back above proved it is masked where it stands
    # an occurrence that overlaps a non-secret field's text is that field, not the secret
    # ("/0" across ":5432/00" with the dbname "00")
    fields = [
        range(m.start(), m.end())
        for key in ("user", "dbname", "host")
        if f[key]
        for m in re.finditer(re.escape(f[key]), out)
    ]
    for forms in (quote(secret, safe=""), secret):
        for m in re.finditer(re.escape(forms), out):
            assert any(m.start() in r or m.end() - 1 in r for r in fields), out


def _expected(family: str, f: dict[str, str]) -> dict[str, str]:
    expected = {**f, "password": MASK}
    if family == "redis":
        expected.pop("dbname")
    return expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(f=fields(), family=st.sampled_from(["postgresql", "redis", "mongodb"]))
def test_every_cli_form_shows_fields_and_masks_the_secret(f, family):
    text = _string(family, f)
    for form, args in FORMS.items():
        out = _cli(text, args)
        for seen in _read(family, form, out):
            assert seen == _expected(family, f), (form, out)
        _assert_no_leak(out, f, _scaffold(family, form))


@settings(max_examples=80, deadline=None)
@given(f=fields())
def test_repr_errors_and_logs_show_fields_and_mask_the_secret(f):
    resource = connectors.parse(_string("postgresql", f))
    shown = repr(resource)
    for key in ("user", "dbname", "host"):
        assert f"'{key}': {f[key]!r}" in shown
    assert f"'password': '{MASK}'" in shown

    redactor = redactor_for("postgresql", resource.value)
    url = connectors.to_connection_string(resource)
    message = (
        f'connection to server at "{f["host"]}" failed: password authentication failed for '
        f'user "{f["user"]}" on database "{f["dbname"]}" (password "{f["password"]}", {url})'
    )
    steps = CheckSteps(5.0, redactor)
    with steps:
        steps.run("connect", lambda: (_ for _ in ()).throw(RuntimeError(message)))
    secret = f["password"]
    # A secret that is also the text of a non-secret field cannot be told apart from it in free
    # text: the field wins. Elsewhere the secret is masked.
    ambiguous = any(secret in f[key] for key in ("user", "dbname", "host"))
    # nor from the message's own words and punctuation ("(" in "(password"), the check step's
    # detail included ("RuntimeError: ...")
    fixed = (
        'RuntimeError: connection to server at "" failed: password authentication failed for '
        'user "" on database "" (password "", )'
    )
    ambiguous = ambiguous or secret in fixed
    url_around = url.replace(f":{quote(secret, safe='')}@", ":@")
    around = message.replace(f'"{secret}"', "").replace(url, url_around)
    for out in (redactor(message), steps.steps[0].detail):
        for key in ("user", "dbname", "host"):
            # a secret that is the message's own quote mark is masked there too: the fields stay
            shown_field = f[key] if secret in fixed else f'"{f[key]}"'
            assert shown_field in out, out
        if not ambiguous:
            assert f'(password "{MASK}"' in out
        if secret not in url_around:
            assert f"//{quote(f['user'], safe='')}:{MASK}@" in out
        if not ambiguous and secret not in around and secret not in MASK:
            assert secret not in out


def test_the_issue_examples():
    out = _cli("postgresql://postgres:postgres@localhost:5432/postgres", ["--format", "env"])
    assert out.startswith(
        "DATABASE_URL='postgresql://postgres:********@localhost:5432/postgres?sslmode=prefer'"
    )
    value = json.loads(_cli("postgresql://test_user:test@h/test_user", ["--json"]))["value"]
    assert value["user"] == value["dbname"] == "test_user" and value["password"] == MASK
    value = json.loads(_cli("redis://default:default@localhost:6379", ["--json"]))["value"]
    assert value["username"] == "default" and value["password"] == MASK


def test_free_text_keeps_non_secret_fields_whole():
    redactor = Redactor(["test"], public=["test_user", "my-test"])
    assert redactor('user "test_user" on my-test, password test') == (
        f'user "test_user" on my-test, password {MASK}'
    )
    assert Redactor(["ql"])("postgresql://u:ql@h") == f"postgresql://u:{MASK}@h"


# -- linear time ----------------------------------------------------------------------------------
# No clock: a scan is linear when the characters its regular expressions are asked to cover add up
# to a constant times the input. Each search or match covers from where it starts to where its
# match ends (or to the end of the text when it finds nothing); the old URL pattern covered the rest
# of the text once per start position.


class _Covering:
    """A compiled pattern that adds up the characters each search/match call covers."""

    def __init__(self, pattern):
        self.pattern, self.covered = pattern, 0

    def search(self, text, pos=0):
        found = self.pattern.search(text, pos)
        self.covered += (found.end() if found else len(text)) - pos
        return found

    def match(self, text, pos=0):
        found = self.pattern.match(text, pos)
        self.covered += (found.end() if found else pos) - pos
        return found


SHAPES = {
    "url password": lambda n: "postgresql://u:" + "p" * n + "@h/db",
    "long authority without @": lambda n: "x://" + "a:" * (n // 2),
    "many schemes": lambda n: "a://b:" * (n // 6),
    "unterminated quotes": lambda n: "password='" * (n // 10),
    "escaped quotes": lambda n: "password='" + "\\'" * (n // 3),
    "many pairs": lambda n: "password=x " * (n // 11),
    "letters": lambda n: "a" * n,
    "at signs": lambda n: "s://" + "@" * n,
}


def test_scanners_cover_each_character_a_bounded_number_of_times(monkeypatch):
    import connectors.redact as redact

    patterns = redact._SECRET_PAIR, redact._AUTHORITY
    for name, make in SHAPES.items():
        text = make(1_000_000)
        pair, authority = _Covering(patterns[0]), _Covering(patterns[1])
        monkeypatch.setattr(redact, "_SECRET_PAIR", pair)
        monkeypatch.setattr(redact, "_AUTHORITY", authority)
        redact_text(text)
        assert pair.covered + authority.covered <= 2 * len(text), name


def test_a_1mb_value_prints():
    pw = "p" * 1_000_000
    out = _cli(f"postgresql://u:{pw}@h/db", ["--format", "env"])
    assert pw not in out and "PGPASSWORD='********'" in out
    out = _cli(f"postgresql://u:{pw}@h/db", ["--json"])
    assert pw not in out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(f=fields(), family=st.sampled_from(["postgresql", "redis", "mongodb"]))
def test_workspace_forms_show_fields_and_mask_the_secret(f, family):
    """``resource add`` then ``resource get`` (table and --json) read back like ``parse``."""
    runner = CliRunner()
    added = runner.invoke(cli, ["resource", "add", "f/p/r", "--", _string(family, f)])
    assert added.exit_code == 0, added.output
    for args, form in (([], "table"), (["--json"], "json")):
        out = runner.invoke(cli, ["resource", "get", "f/p/r", *args]).output
        if form == "table":  # the same field table as parse, after path and type lines
            out = "\n".join(["", *out.splitlines()[1:]])
        for seen in _read(family, form, out):
            assert seen == _expected(family, f), (form, out)
        _assert_no_leak(out, f, _scaffold(family, form))


@pytest.mark.live
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(f=fields())
def test_a_real_authentication_error_shows_the_user_and_masks_the_password(f, live_postgresql):
    """PostgreSQL's own error quotes the user: it stays whole, the password is masked."""
    v = live_postgresql.value

    def check(password: str) -> str:
        text = (
            f"postgresql://{quote(f['user'], safe='')}:{quote(password, safe='')}"
            f"@{v['host']}:{v['port']}/{quote(f['dbname'], safe='')}?sslmode=disable"
        )
        result = CliRunner().invoke(cli, ["check", "--json", "--", text])
        assert result.exit_code == 1, result.output
        return result.output

    out = check(f["password"])
    step = json.loads(out)["steps"][-1]
    # What the output holds besides the user: a password found there is no leak.
    scaffold = check("Pw-00000000").replace(f["user"], "").replace(f["dbname"], "")
    # a password that is the message's own punctuation ("(") is masked there too
    after_user = "" if f["password"] in scaffold else " ("
    assert step["name"] == "authentication"
    assert f"for user {f['user']}{after_user}" in step["detail"]
    if f["password"] not in f["user"] + f["dbname"] + scaffold:
        assert f["password"] not in out
