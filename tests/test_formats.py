"""`connectors parse --format airflow|dlt|env|wmill`: each type's exports and the generic ones."""

from __future__ import annotations

import json
import subprocess
import tomllib

import pytest
import yaml

from connectors.cli import main
from connectors.formats import FormatError, airflow_connection, env_vars, render
from connectors.parsing import parse_env_block
from connectors.redact import MASK
from connectors.resource import Resource

PW = "p@ss w'rd\"x"

PG = Resource(
    "postgresql",
    {
        "host": "db.example.com",
        "port": 5432,
        "user": "app",
        "password": PW,
        "dbname": "shop",
        "sslmode": "require",
    },
)
MONGO = Resource(
    "mongodb",
    {
        "db": "shop",
        "tls": True,
        "servers": [
            {"host": "a.example.com", "port": 27017},
            {"host": "b.example.com", "port": 27018},
        ],
        "credential": {
            "username": "app",
            "password": PW,
            "db": "admin",
            "mechanism": "SCRAM-SHA-256",
        },
    },
)
REDIS = Resource(
    "redis",
    {
        "host": "r.example.com",
        "port": 6380,
        "db": 2,
        "username": "app",
        "password": PW,
        "tls": True,
    },
)
UPSTASH = Resource("upstash_redis", {"url": "https://eu1-cat-123.upstash.io", "token": "AXtoken99"})
S3 = Resource(
    "s3",
    {
        "bucket": "data",
        "region": "auto",
        "accessKey": "AKIAEXAMPLE",
        "secretKey": "wJalrXUtnFEMI/K7MDENG",
        "pathStyle": True,
        "useSSL": True,
        "endPoint": "https://acct.r2.cloudflarestorage.com",
    },
)
AZ = Resource(
    "azure_blob",
    {
        "accountName": "acct",
        "containerName": "box",
        "accessKey": "a2V5a2V5a2V5a2V5",
        "useSSL": True,
        "endpoint": "",
    },
)
ALL = [PG, MONGO, REDIS, UPSTASH, S3, AZ]
SECRETS = [PW, "AXtoken99", "wJalrXUtnFEMI/K7MDENG", "a2V5a2V5a2V5a2V5"]


def test_airflow_postgres():
    assert airflow_connection(PG) == {
        "conn_type": "postgres",
        "host": "db.example.com",
        "login": "app",
        "password": PW,
        "schema": "shop",
        "port": 5432,
        "extra": {"sslmode": "require"},
    }


def test_airflow_other_types():
    mongo = airflow_connection(MONGO)
    assert mongo["conn_type"] == "mongo"
    assert mongo["host"] == "a.example.com:27017,b.example.com:27018" and "port" not in mongo
    assert mongo["extra"] == {"ssl": True, "authSource": "admin", "authMechanism": "SCRAM-SHA-256"}
    assert airflow_connection(REDIS) == {
        "conn_type": "redis",
        "host": "r.example.com",
        "login": "app",
        "password": PW,
        "port": 6380,
        "extra": {"db": 2, "ssl": True},
    }
    upstash = airflow_connection(UPSTASH)
    assert upstash["host"] == "eu1-cat-123.upstash.io" and upstash["password"] == "AXtoken99"
    s3 = airflow_connection(S3)
    assert s3["conn_type"] == "aws" and s3["login"] == "AKIAEXAMPLE"
    assert s3["extra"]["endpoint_url"] == "https://acct.r2.cloudflarestorage.com"
    assert s3["extra"]["service_config"] == {"s3": {"bucket_name": "data"}}
    assert s3["extra"]["config_kwargs"] == {"s3": {"addressing_style": "path"}}
    assert airflow_connection(AZ) == {
        "conn_type": "wasb",
        "login": "acct",
        "password": "a2V5a2V5a2V5a2V5",
    }


def test_dlt_sections_are_valid_toml():
    pg = tomllib.loads(render(PG, "dlt", show_secrets=True))
    assert pg["destination"]["postgres"]["credentials"] == {
        "database": "shop",
        "username": "app",
        "password": PW,
        "host": "db.example.com",
        "port": 5432,
        "query": {"sslmode": "require"},
    }
    s3 = tomllib.loads(render(S3, "dlt", show_secrets=True))["destination"]["filesystem"]
    assert s3["bucket_url"] == "s3://data"
    assert s3["credentials"]["aws_secret_access_key"] == "wJalrXUtnFEMI/K7MDENG"
    assert s3["credentials"]["region_name"] == "auto"
    az = tomllib.loads(render(AZ, "dlt", show_secrets=True))["destination"]["filesystem"]
    assert az["bucket_url"] == "az://box"
    assert az["credentials"]["azure_storage_account_name"] == "acct"
    mongo = tomllib.loads(render(MONGO, "dlt", show_secrets=True))["sources"]["mongodb"]
    assert mongo["connection_url"].startswith("mongodb://app:")
    up = tomllib.loads(render(UPSTASH, "dlt", show_secrets=True))["sources"]["upstash_redis"]
    assert up == {"url": "https://eu1-cat-123.upstash.io", "token": "AXtoken99"}


def test_env_lines_round_trip():
    lines = render(PG, "env", show_secrets=True)
    shell = subprocess.run(
        ["bash", "-c", lines + 'printf %s "$PGPASSWORD"'], capture_output=True, text=True
    )
    assert shell.stdout == PW  # the quoting survives a real shell
    pg = parse_env_block(render(REDIS, "env", show_secrets=True) + lines)
    assert pg["DATABASE_URL"].startswith("postgresql://app:")
    assert pg["PGPORT"] == "5432" and pg["PGSSLMODE"] == "require"
    assert env_vars(UPSTASH) == {
        "UPSTASH_REDIS_REST_URL": "https://eu1-cat-123.upstash.io",
        "UPSTASH_REDIS_REST_TOKEN": "AXtoken99",
    }
    s3 = env_vars(S3)
    assert s3["AWS_ACCESS_KEY_ID"] == "AKIAEXAMPLE" and s3["AWS_REGION"] == "auto"
    assert s3["AWS_ENDPOINT_URL_S3"] == "https://acct.r2.cloudflarestorage.com"
    az = env_vars(AZ)
    assert "AccountKey=a2V5a2V5a2V5a2V5" in az["AZURE_STORAGE_CONNECTION_STRING"]
    assert env_vars(REDIS)["REDIS_URL"].startswith("rediss://app:")
    assert env_vars(MONGO)["MONGODB_URI"].startswith("mongodb://app:")


def test_wmill_resource_yaml():
    data = yaml.safe_load(render(PG, "wmill", show_secrets=True))
    assert data == {"description": "", "value": PG.value, "resource_type": "postgresql"}


@pytest.mark.parametrize("resource", ALL, ids=[r.resource_type for r in ALL])
@pytest.mark.parametrize("fmt", ["airflow", "dlt", "env", "wmill"])
def test_secrets_masked_by_default(resource, fmt):
    text = render(resource, fmt)
    for secret in SECRETS:
        assert secret not in text
        assert json.dumps(secret)[1:-1] not in text
    assert MASK in text


def test_unknown_type_and_format():
    odd = Resource("other", {"x": 1})
    with pytest.raises(FormatError, match="no Airflow connection mapping for other"):
        render(odd, "airflow")
    with pytest.raises(FormatError, match="unknown format"):
        render(PG, "xml")


def test_cli_parse_format(monkeypatch, capsys):
    import connectors.api

    monkeypatch.setattr(connectors.api, "parse", lambda text, type=None: UPSTASH)
    try:
        main(["parse", "anything", "--format", "env"])
    except SystemExit as exc:
        assert not exc.code
    out = capsys.readouterr().out
    assert (
        out
        == f"UPSTASH_REDIS_REST_URL=https://eu1-cat-123.upstash.io\nUPSTASH_REDIS_REST_TOKEN={MASK}\n".replace(
            MASK, "'********'"
        )
    )
