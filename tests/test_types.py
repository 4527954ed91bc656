"""connectors.types: resource fields for pydantic models and pydantic-settings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

import connectors
from connectors import models, types
from connectors.plugins import get_registry
from connectors.types import (
    AzureBlobResource,
    MongoDBResource,
    PostgreSQLResource,
    RedisResource,
    ResourceOf,
    S3Resource,
    UpstashRedisResource,
)

ROOT = Path(__file__).resolve().parents[1]
FIELD_TYPES = {
    "postgresql": PostgreSQLResource,
    "mongodb": MongoDBResource,
    "redis": RedisResource,
    "upstash_redis": UpstashRedisResource,
    "s3": S3Resource,
    "azure_blob": AzureBlobResource,
}
EXAMPLES = [
    (name, example) for name in FIELD_TYPES for example in get_registry().connectors[name].examples
]
SECRET = "pa55-w0rd-secret"


def holder(type_name: str) -> type[BaseModel]:
    class Holder(BaseModel):
        resource: FIELD_TYPES[type_name]  # type: ignore[valid-type]

    return Holder


def assert_no_secret(error: ValidationError, secret: str = SECRET) -> None:
    shown = str(error) + error.json() + repr(error.errors())
    assert secret not in shown


@pytest.mark.parametrize(("type_name", "example"), EXAMPLES)
def test_a_connection_string_is_read_by_this_packages_parser(type_name, example):
    field = holder(type_name)(resource=example).resource
    expected = connectors.parse(example, type=type_name)
    assert isinstance(field, connectors.Resource)
    assert field == expected  # value, provider and notes


@pytest.mark.parametrize(("type_name", "example"), EXAMPLES)
def test_a_value_its_json_a_resource_and_a_model_are_accepted(type_name, example):
    parsed = connectors.parse(example, type=type_name)
    model = holder(type_name)
    expected = connectors.validate(type_name, parsed.value)
    assert model(resource=parsed.value).resource.value == expected
    assert model(resource=json.dumps(parsed.value)).resource.value == expected
    assert model(resource=parsed).resource is parsed
    assert model(resource=parsed.model()).resource.value == expected


def test_notes_and_provider_are_kept():
    text = (
        "postgresql://postgres.abcdefghijklmnopqrst:pw@aws-0-eu-west-1.pooler.supabase.com:6543"
        "/postgres"
    )
    field = holder("postgresql")(resource=text).resource
    assert field.provider == "supabase"
    assert field.notes == connectors.parse(text).notes
    assert field.notes


def test_a_value_is_coerced_as_pydantic_does_then_validated_and_normalised():
    field = holder("postgresql")(resource={"host": "db", "port": "5433"}).resource
    assert field.value == {"host": "db", "port": 5433, "sslmode": "prefer"}
    redis = holder("redis")(resource={"host": "r.example.com", "password": SECRET}).resource
    assert redis.value == connectors.validate(
        "redis", {"host": "r.example.com", "password": SECRET}
    )


# -- errors --------------------------------------------------------------------------------------

WRONG_FAMILY = [
    ("postgresql", f"redis://:{SECRET}@localhost:6379/0", "redis"),
    ("postgresql", f"mongodb://app:{SECRET}@db.example.com/shop", "mongodb"),
    ("redis", f"postgresql://app:{SECRET}@db.example.com/shop", "postgresql"),
    ("mongodb", f"rediss://default:{SECRET}@eu1-merry-cat-32748.upstash.io:6379", "upstash_redis"),
    ("s3", f"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={SECRET}", "azure_blob"),
    ("azure_blob", "s3://my-bucket/exports/", "s3"),
    ("s3", f"https://acct.blob.core.windows.net/c?sv=2022-11-02&sr=c&sig={SECRET}", "azure_blob"),
    ("upstash_redis", f"postgres://app:{SECRET}@localhost/db", "postgresql"),
]


@pytest.mark.parametrize(("type_name", "text", "family"), WRONG_FAMILY)
def test_a_string_of_another_family_says_which_family_it_is(type_name, text, family):
    with pytest.raises(ValidationError) as caught:
        holder(type_name)(resource=text)
    (error,) = caught.value.errors()
    assert error["type"] == "resource_type"
    assert error["loc"] == ("resource",)
    assert error["msg"] == f"Input is a {family} connection string, not {type_name}"
    assert error["ctx"] == {"found": family, "expected": type_name}
    assert_no_secret(caught.value)


def test_a_resource_of_another_type_is_refused():
    with pytest.raises(ValidationError) as caught:
        holder("postgresql")(resource=connectors.parse("redis://localhost"))
    assert caught.value.errors()[0]["msg"] == "Input is a redis resource, not postgresql"
    with pytest.raises(ValidationError) as caught:
        holder("postgresql")(resource=models.Redis(host="cache"))
    assert caught.value.errors()[0]["msg"] == "Input is a Redis model, not postgresql"


def test_a_parse_error_keeps_its_position_and_message_without_the_secret():
    text = f"postgresql://app:{SECRET}@db.example.com:5432/shop?sslmode=sometimes"
    with pytest.raises(connectors.ParseError) as parsed:
        connectors.parse(text, type="postgresql")
    with pytest.raises(ValidationError) as caught:
        holder("postgresql")(resource=text)
    (error,) = caught.value.errors()
    assert error["type"] == "connection_string"
    assert error["ctx"]["message"] == parsed.value.message
    assert error["ctx"]["position"] == parsed.value.position
    assert error["msg"].startswith(f"Invalid postgresql connection string: {parsed.value.message}")
    if parsed.value.position is not None:
        assert f"(at position {parsed.value.position})" in error["msg"]
    assert "hint" in error["ctx"]
    assert_no_secret(caught.value)
    assert "input_value='postgresql://…'" in str(caught.value)


def test_value_errors_are_pydantic_errors_inside_the_field_with_secrets_masked():
    value = {"host": "db", "port": "not-a-port", "password": SECRET}
    with pytest.raises(ValidationError) as caught:
        holder("postgresql")(resource=value)
    (error,) = caught.value.errors()
    assert (error["type"], error["loc"]) == ("int_parsing", ("resource", "port"))
    assert_no_secret(caught.value)

    with pytest.raises(ValidationError) as caught:
        holder("upstash_redis")(resource={"token": SECRET})
    (error,) = caught.value.errors()
    assert (error["type"], error["loc"]) == ("missing", ("resource", "url"))
    assert error["input"] == {"token": "********"}
    assert_no_secret(caught.value)

    with pytest.raises(ValidationError) as caught:
        holder("postgresql")(resource={"host": "db", "password": 12345678})
    assert caught.value.errors()[0]["input"] == "********"
    assert_no_secret(caught.value, "12345678")


def test_a_value_the_normaliser_refuses_is_a_field_error():
    value = {"url": "https://eu1-merry-cat-32748.upstash.io", "token": f"{SECRET} x"}
    with pytest.raises(ValidationError) as caught:
        holder("upstash_redis")(resource=value)
    (error,) = caught.value.errors()
    assert (error["type"], error["loc"]) == ("resource_value", ("resource", "token"))
    assert "the REST token has characters" in error["msg"]
    assert_no_secret(caught.value)


@pytest.mark.parametrize("bad", [12, None, ["postgresql://x"], "{not json"])
def test_other_inputs_are_refused(bad):
    with pytest.raises(ValidationError) as caught:
        holder("postgresql")(resource=bad)
    assert caught.value.errors()[0]["type"] in ("resource_input", "resource_json")


def test_nothing_is_half_filled():
    class Settings(BaseModel):
        database: PostgreSQLResource
        cache: RedisResource

    with pytest.raises(ValidationError) as caught:
        Settings(database="postgresql://app@db/shop", cache="postgresql://app@db/shop")
    assert [e["loc"] for e in caught.value.errors()] == [("cache",)]


# -- serialisation -------------------------------------------------------------------------------


def test_serialises_to_the_value_with_secrets_masked_unless_asked():
    class Settings(BaseModel):
        database: PostgreSQLResource

    settings = Settings(database=f"postgresql://app:{SECRET}@db.example.com/shop")
    assert SECRET not in repr(settings)
    masked = settings.model_dump()["database"]
    assert masked["password"] == "********"
    assert SECRET not in settings.model_dump_json()
    shown = settings.model_dump(context={"show_secrets": True})
    assert shown["database"] == settings.database.value
    again = Settings.model_validate_json(settings.model_dump_json(context={"show_secrets": True}))
    assert again.database.value == settings.database.value


def test_json_schema_offers_a_string_or_the_value():
    class Settings(BaseModel):
        database: PostgreSQLResource

    schema = Settings.model_json_schema()["properties"]["database"]
    text, value = schema["anyOf"]
    assert text == {"type": "string", "description": "A postgresql connection string"}
    assert value["properties"]["port"]["default"] == 5432


def test_resource_of_is_the_mechanism_and_distinguishes_types():
    assert ResourceOf("redis") == ResourceOf("redis") != ResourceOf("postgresql")
    assert PostgreSQLResource != RedisResource
    assert sorted(t for t in types.__all__ if t.endswith("Resource")) == sorted(
        f"{models.model_for(n).__name__}Resource" for n in FIELD_TYPES
    )


# -- pydantic-settings ---------------------------------------------------------------------------


def test_settings_read_database_url_from_the_environment_and_dotenv(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"postgresql://app:{SECRET}@db.example.com:5432/shop")
    (tmp_path / ".env").write_text(
        "REDIS_URL=rediss://default:token@cache.example.com:6380/2\n"
        'AZURE_STORAGE_CONNECTION_STRING="UseDevelopmentStorage=true"\n'
        'S3_RESOURCE=\'{"bucket": "data", "region": "eu-west-1"}\'\n',
        encoding="utf-8",
    )

    class Settings(BaseSettings):
        model_config = SettingsConfigDict(env_file=".env")

        database_url: PostgreSQLResource
        redis_url: RedisResource
        azure_storage_connection_string: AzureBlobResource
        s3_resource: S3Resource

    settings = Settings()
    assert settings.database_url.value["host"] == "db.example.com"
    assert settings.database_url.value["password"] == SECRET
    assert settings.redis_url.value["db"] == 2 and settings.redis_url.value["tls"] is True
    assert settings.azure_storage_connection_string.provider == "azurite"
    assert settings.s3_resource.value["region"] == "eu-west-1"
    assert SECRET not in repr(settings) + str(settings.model_dump())


def test_settings_with_a_wrong_family_in_the_environment_fail_without_the_secret(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"redis://:{SECRET}@localhost:6379/0")

    class Settings(BaseSettings):
        database_url: PostgreSQLResource

    with pytest.raises(ValidationError) as caught:
        Settings()
    assert caught.value.errors()[0]["msg"] == "Input is a redis connection string, not postgresql"
    assert_no_secret(caught.value)


def test_a_plugin_type_gets_a_field_type_through_resource_of(tmp_path):
    from tests.test_plugins import install

    install(tmp_path, "example")
    probe = (
        "from pydantic import BaseModel\n"
        "from connectors.types import ResourceOf, Annotated, Resource\n"
        "class S(BaseModel):\n"
        "    kv: Annotated[Resource, ResourceOf('example_kv')]\n"
        "print(S(kv='kv://t0ken@kv.example.com:7001/ns').kv.value['port'])\n"
        "print(S(kv={'host': 'h', 'namespace': 'n', 'port': '7002'}).kv.value['port'])\n"
    )
    env = {"PYTHONPATH": f"{tmp_path}:{ROOT}", "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["7001", "7002"]


class Target(BaseModel):
    """A FastAPI body (at module level: FastAPI resolves the annotations in its globals)."""

    database: PostgreSQLResource


def test_in_a_fastapi_app_bodies_take_either_form_and_answers_are_masked():
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    app = FastAPI()

    @app.post("/targets")
    def add_target(target: Target) -> Target:
        assert target.database.value["password"] == SECRET
        return target

    client = TestClient(app)
    text = f"postgresql://app:{SECRET}@db.example.com/shop"
    value = connectors.parse(text).value
    for body in ({"database": text}, {"database": value}):
        answer = client.post("/targets", json=body)
        assert answer.status_code == 200, answer.text
        assert answer.json()["database"]["password"] == "********"
    refused = client.post("/targets", json={"database": f"redis://:{SECRET}@cache:6379"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["input"] == "redis://…"
    assert SECRET not in refused.text
    refused = client.post("/targets", json={"database": {"port": "x", "password": SECRET}})
    assert refused.status_code == 422
    assert SECRET not in refused.text
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    target = schema.get("Target-Input", schema.get("Target"))
    assert target["properties"]["database"]["anyOf"][0]["type"] == "string"


def test_a_res_reference_reads_the_resource_stored_in_the_workspace():
    value = {"host": "db.example.com", "user": "app", "password": SECRET}
    connectors.set_resource("f/data/shop", value, "postgresql")
    connectors.set_resource("f/data/cache", {"host": "cache.example.com"}, "redis")
    field = holder("postgresql")(resource="$res:f/data/shop").resource
    assert field.value == connectors.validate("postgresql", value)
    assert holder("postgresql")(resource="res://f/data/shop").resource == field

    with pytest.raises(ValidationError) as caught:
        holder("postgresql")(resource="$res:f/data/cache")
    assert caught.value.errors()[0]["msg"] == "Input is a redis resource, not postgresql"
    with pytest.raises(ValidationError) as caught:
        holder("postgresql")(resource="$res:f/data/missing")
    (error,) = caught.value.errors()
    assert (error["type"], error["msg"]) == (
        "resource_reference",
        "resource f/data/missing not found",
    )
