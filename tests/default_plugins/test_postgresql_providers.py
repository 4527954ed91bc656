"""Supabase and Neon: every documented connection string gives the right provider and mode."""

from __future__ import annotations

import re

import pytest

import connectors
from connectors.postgresql.providers import identify, uses_transaction_pooler

REF = "apbkobhfnmcqqzqeeqss"

# (string, provider, mode, project, transaction pooling, expected value)
CASES = [
    (
        f"postgresql://postgres:[YOUR-PASSWORD]@db.{REF}.supabase.co:5432/postgres",
        "supabase",
        "direct",
        REF,
        False,
        {"host": f"db.{REF}.supabase.co", "port": 5432, "user": "postgres", "dbname": "postgres"},
    ),
    (
        f"postgres://postgres.{REF}:[YOUR-PASSWORD]@aws-0-eu-central-1.pooler.supabase.com:5432"
        "/postgres",
        "supabase",
        "session pooler",
        REF,
        False,
        {
            "host": "aws-0-eu-central-1.pooler.supabase.com",
            "port": 5432,
            "user": f"postgres.{REF}",
            "dbname": "postgres",
        },
    ),
    (
        f"postgres://postgres.{REF}:[YOUR-PASSWORD]@aws-1-us-east-1.pooler.supabase.com:6543"
        "/postgres",
        "supabase",
        "transaction pooler",
        REF,
        True,
        {
            "host": "aws-1-us-east-1.pooler.supabase.com",
            "port": 6543,
            "user": f"postgres.{REF}",
            "dbname": "postgres",
        },
    ),
    (
        f"postgresql://postgres:[YOUR-PASSWORD]@db.{REF}.supabase.co:6543/postgres",
        "supabase",
        "dedicated pooler",
        REF,
        True,
        {"host": f"db.{REF}.supabase.co", "port": 6543, "user": "postgres", "dbname": "postgres"},
    ),
    (
        "postgresql://alex:AbC123dEf@ep-cool-darkness-a1b2c3d4-pooler.us-east-2.aws.neon.tech"
        "/dbname?sslmode=require&channel_binding=require",
        "neon",
        "pooled",
        "ep-cool-darkness-a1b2c3d4",
        True,
        {
            "host": "ep-cool-darkness-a1b2c3d4-pooler.us-east-2.aws.neon.tech",
            "user": "alex",
            "password": "AbC123dEf",
            "dbname": "dbname",
            "sslmode": "require",
            "channel_binding": "require",
        },
    ),
    (
        "postgresql://alex:AbC123dEf@ep-cool-darkness-a1b2c3d4.us-east-2.aws.neon.tech/dbname"
        "?sslmode=require",
        "neon",
        "direct",
        "ep-cool-darkness-a1b2c3d4",
        False,
        {
            "host": "ep-cool-darkness-a1b2c3d4.us-east-2.aws.neon.tech",
            "user": "alex",
            "password": "AbC123dEf",
            "dbname": "dbname",
            "sslmode": "require",
        },
    ),
    (
        "postgresql://neondb_owner:npg_x@ep-wispy-sun-a5b6c7d8-pooler.c-2.eu-central-1.aws.neon.tech"
        "/neondb?sslmode=require",
        "neon",
        "pooled",
        "ep-wispy-sun-a5b6c7d8",
        True,
        {
            "host": "ep-wispy-sun-a5b6c7d8-pooler.c-2.eu-central-1.aws.neon.tech",
            "user": "neondb_owner",
            "password": "npg_x",
            "dbname": "neondb",
            "sslmode": "require",
        },
    ),
    (
        "postgresql://alex:pw@ep-cool-darkness-a1b2c3d4.eastus2.azure.neon.tech/neondb"
        "?sslmode=require&options=endpoint%3Dep-cool-darkness-a1b2c3d4",
        "neon",
        "direct",
        "ep-cool-darkness-a1b2c3d4",
        False,
        {
            "host": "ep-cool-darkness-a1b2c3d4.eastus2.azure.neon.tech",
            "user": "alex",
            "password": "pw",
            "dbname": "neondb",
            "sslmode": "require",
            "options": "endpoint=ep-cool-darkness-a1b2c3d4",
        },
    ),
]


@pytest.mark.parametrize(("text", "provider", "mode", "project", "pooling", "value"), CASES)
def test_documented_examples(text, provider, mode, project, pooling, value):
    r = connectors.parse(text)
    assert r.resource_type == "postgresql"
    assert r.provider == provider
    # what the string leaves out comes from the provider preset (TLS required) and the port default
    assert r.value == {"port": 5432, "sslmode": "require", **value}
    info = identify(r.value)
    assert info is not None
    assert (info.provider, info.mode, info.project, info.transaction_pooling) == (
        provider,
        mode,
        project,
        pooling,
    )
    assert uses_transaction_pooler(r.value) is pooling
    assert any("prepared statements are disabled" in n for n in r.notes) is pooling
    assert connectors.validate("postgresql", r.value) == r.value
    assert connectors.parse(connectors.to_connection_string(r)).provider == provider


def test_placeholder_note_for_console_strings():
    r = connectors.parse(CASES[2][0])
    assert r.notes[0].startswith("the password in the string is a console placeholder")
    assert any("Supavisor), transaction mode" in note for note in r.notes)


def test_supabase_pooler_without_project_ref_user():
    r = connectors.parse(
        "postgresql://postgres:pw@aws-0-eu-west-1.pooler.supabase.com:6543/postgres"
    )
    assert any("<role>.<project-ref>" in note for note in r.notes)


def test_supabase_direct_with_pooler_user():
    r = connectors.parse(f"postgresql://postgres.{REF}:pw@db.{REF}.supabase.co/postgres")
    assert identify(r.value).mode == "direct"
    assert any("plain role name" in note for note in r.notes)


def test_neon_notes():
    plain = connectors.parse("postgresql://a:b@ep-x-y-123.us-east-2.aws.neon.tech/neondb")
    assert plain.value["sslmode"] == "require"
    assert any("sslmode require filled in" in n for n in plain.notes)
    assert any("options=endpoint=ep-x-y-123" in n for n in plain.notes)
    insecure = connectors.parse(
        "postgresql://a:b@ep-x-y-123.us-east-2.aws.neon.tech/neondb?sslmode=disable"
    )
    assert insecure.value["sslmode"] == "disable"  # what the string says is kept
    assert any("TLS connections only" in n for n in insecure.notes)
    wrong = connectors.parse(
        "host=ep-x-y-123.us-east-2.aws.neon.tech dbname=neondb sslmode=require "
        "options=endpoint=ep-other-1"
    )
    assert any("names ep-other-1" in n for n in wrong.notes)
    by_password = connectors.parse(
        "postgresql://a:endpoint%3Dep-x-y-123%3Bsecret@ep-x-y-123.us-east-2.aws.neon.tech/db"
        "?sslmode=require"
    )
    assert any("password carries the endpoint id" in n for n in by_password.notes)
    assert "secret" not in " ".join(by_password.notes)


def test_plain_postgres_has_no_provider():
    r = connectors.parse("postgresql://u:p@db.internal:6543/app")
    assert r.provider is None
    assert r.notes == [
        "the string has no sslmode: sslmode prefer filled in (the defaults of libpq and "
        "Windmill's worker)"
    ]
    assert uses_transaction_pooler(r.value) is False


def test_prepared_statements_off_for_transaction_poolers():
    from connectors.postgresql.client import connection_params

    for text, pooling in [(case[0], case[4]) for case in CASES]:
        params = connection_params(connectors.parse(text).value, None)
        assert params["prepare_threshold"] == (None if pooling else 5)
    plain = connection_params({"host": "h", "root_certificate_pem": "x"}, "/tmp/ca.pem")
    assert plain == {"host": "h", "sslrootcert": "/tmp/ca.pem", "prepare_threshold": 5}


#: how the endpoint and the pooler were read before: one pattern with a lazy endpoint
_NEON_LAZY = re.compile(r"(ep-[a-z0-9-]+?)(-pooler)?\.(?:[a-z0-9-]+\.)*neon\.tech", re.IGNORECASE)


@pytest.mark.parametrize(
    "label",
    [
        "ep-a",
        "ep-a-pooler",
        "ep--pooler",
        "ep-x-pooler",
        "ep-x-POOLER",
        "ep-x-pooler-pooler",
        "ep-pooler",
        "ep-cool-darkness-a1b2c3d4-pooler",
        "EP-Cool-1",
    ],
)
def test_neon_endpoint_and_pooler_as_the_lazy_pattern_reads_them(label):
    host = f"{label}.us-east-2.aws.neon.tech"
    expected = _NEON_LAZY.fullmatch(host)
    assert expected is not None
    info = identify({"host": host, "sslmode": "require"})
    assert info is not None
    assert (info.project, info.transaction_pooling) == (expected[1], bool(expected[2]))
