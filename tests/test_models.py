"""Resource types as pydantic models: connectors.models, Resource.model(), schemas from models."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

import connectors
from connectors import models
from connectors.model_schema import hub_schema, model_from_schema
from connectors.plugins import get_registry
from connectors.schemas import render

ROOT = Path(__file__).resolve().parents[1]
BUILTIN = {
    "postgresql": "PostgreSQL",
    "mongodb": "MongoDB",
    "redis": "Redis",
    "upstash_redis": "UpstashRedis",
    "s3": "S3",
    "azure_blob": "AzureBlob",
}
EXAMPLES = [
    (name, example) for name in BUILTIN for example in get_registry().connectors[name].examples
]


@pytest.mark.parametrize("type_name", BUILTIN)
def test_every_builtin_type_has_its_model_in_its_own_package(type_name):
    model = getattr(models, BUILTIN[type_name])
    assert model.__module__ == f"connectors.{type_name}.model"
    assert models.model_for(type_name) is model
    assert issubclass(model, models.ResourceModel)


@pytest.mark.parametrize(("type_name", "example"), EXAMPLES)
def test_model_dump_gives_back_exactly_the_value(type_name, example):
    resource = connectors.parse(example, type=type_name)
    model = resource.model()
    assert type(model) is models.model_for(type_name)
    assert model.model_dump() == resource.value
    assert json.loads(json.dumps(model.model_dump())) == resource.value
    assert type(model).model_validate(model.model_dump()) == model


@pytest.mark.parametrize("type_name", BUILTIN)
def test_generated_schema_is_the_committed_file_byte_for_byte(type_name):
    connector = get_registry().connectors[type_name]
    schema = hub_schema(models.model_of(connector))
    document = {"description": connector.description, "schema": schema}
    committed = (ROOT / "resource_types" / f"{type_name}.json").read_text(encoding="utf-8")
    assert render(document) == committed


@pytest.mark.parametrize("type_name", BUILTIN)
def test_a_schema_dict_survives_model_from_schema_and_back(type_name):
    """The path a plugin written with a schema dict takes: dict -> model -> the same dict."""
    schema = get_registry().connectors[type_name].schema
    assert hub_schema(model_from_schema("Copy", schema)) == schema


@pytest.mark.parametrize("type_name", BUILTIN)
def test_secret_fields_are_secretstr(type_name):
    model = models.model_for(type_name)
    secret = connectors.resource_types()
    fields = next(rt for rt in secret if rt.name == type_name).secret_fields
    top_level = [path for path in fields if "." not in path and "[]" not in path]
    assert top_level or type_name == "mongodb"
    for name in top_level:
        assert SecretStr in _members(model.model_fields[name].annotation), name


def _members(annotation: Any) -> set[Any]:
    from typing import get_args

    found = {annotation}
    for arg in get_args(annotation):
        found |= _members(arg)
    return found


def test_defaults_are_the_schema_defaults_and_are_not_added_to_the_value():
    pg = models.PostgreSQL(host="db.example.com")
    assert pg.port == 5432
    assert pg.root_certificate_pem == ""
    assert pg.model_dump() == {"host": "db.example.com"}
    redis = models.Redis()
    assert (redis.host, redis.port, redis.db, redis.tls) == ("localhost", 6379, 0, False)
    s3 = models.S3(bucket="data")
    assert (s3.pathStyle, s3.useSSL, s3.region) == (True, True, "")
    mongo = models.MongoDB(servers=[{"host": "h"}])
    assert mongo.servers[0].port == 27017
    assert mongo.model_dump() == {"servers": [{"host": "h"}]}


def test_secrets_are_hidden_in_repr_and_json_and_revealed_on_request():
    resource = connectors.parse("mongodb://app:pa55word@db.example.com/shop?authSource=admin")
    model = resource.model()
    assert "pa55word" not in repr(model) + str(model)
    assert isinstance(model.credential.password, SecretStr)
    assert model.credential.password.get_secret_value() == "pa55word"
    assert "pa55word" not in model.model_dump_json()
    assert json.loads(model.model_dump_json())["credential"]["password"] == "********"
    shown = json.loads(model.model_dump_json(context={"show_secrets": True}))
    assert shown == resource.value


def test_unknown_fields_are_kept_and_masked_in_repr():
    model = models.Redis.model_validate({"host": "r", "vendor_key": "k3y-value"})
    assert model.model_dump() == {"host": "r", "vendor_key": "k3y-value"}
    assert "k3y-value" not in repr(model)


def test_validation_errors_of_a_model_never_show_the_input():
    value = {"user": "app", "password": "pa55word-secret", "port": "not-a-port"}
    with pytest.raises(ValidationError) as caught:
        models.PostgreSQL.model_validate(value)
    assert caught.value.errors()[0]["loc"] == ("port",)
    assert "pa55word-secret" not in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        models.UpstashRedis.model_validate({"token": "pa55word-secret"})
    assert caught.value.errors()[0]["type"] == "missing"
    assert "pa55word-secret" not in str(caught.value)


def test_constraints_and_enums_are_enforced():
    with pytest.raises(ValidationError):
        models.Redis(port=70000)
    with pytest.raises(ValidationError):
        models.PostgreSQL(sslmode="sometimes")
    with pytest.raises(ValidationError):
        models.MongoDB(servers=[])
    with pytest.raises(ValidationError):
        models.MongoDB(servers=[{"host": "h", "extra": 1}])  # additionalProperties: false
    with pytest.raises(ValidationError):
        models.UpstashRedis(url="ftp://x", token="t")


def test_sslmode_choices_are_the_parsers():
    from typing import get_args

    from connectors.postgresql.keywords import SSLMODES

    annotation = models.PostgreSQL.model_fields["sslmode"].annotation
    literal = next(arg for arg in get_args(annotation) if arg is not type(None))
    assert get_args(literal) == SSLMODES


# -- plugins -------------------------------------------------------------------------------------


def test_a_plugin_may_declare_its_type_as_a_model():
    from pydantic import Field

    class Thing(models.ResourceModel):
        hub_order = ("host", "port")

        host: str = Field(description="Server")
        port: int = Field(8000, description="Port", ge=1, le=65535)
        api_key: models.Secret | None = Field(None, description="API key")

    class ThingConnector(connectors.Connector):
        name = "thing"
        description = "A thing server"
        model = Thing

    connector = ThingConnector()
    assert connector.schema == {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "order": ["host", "port"],
        "properties": {
            "host": {"type": "string", "description": "Server"},
            "port": {
                "type": "integer",
                "description": "Port",
                "default": 8000,
                "minimum": 1,
                "maximum": 65535,
            },
            "api_key": {"type": "string", "description": "API key", "password": True},
        },
        "required": ["host"],
    }
    assert connector.resource_type.secret_fields == ("api_key",)
    assert models.model_of(connector) is Thing


def test_a_plugin_with_a_schema_dict_gets_a_generated_model():
    class Legacy(connectors.Connector):
        name = "legacy_kv"
        description = "An old-style plugin"
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {
                "host": {"type": "string"},
                "port": {"type": "integer", "default": 7000},
                "token": {"type": "string", "password": True},
            },
            "required": ["host"],
        }

    model = models.model_of(Legacy())
    assert model.__name__ == "LegacyKv"
    value = {"host": "kv.example.com", "token": "t0ken-value"}
    instance = model.model_validate(value)
    assert instance.port == 7000
    assert isinstance(instance.token, SecretStr)
    assert instance.model_dump() == value
    assert "t0ken-value" not in repr(instance)


def test_the_example_plugin_gets_its_model_through_the_same_mechanism(tmp_path):
    from tests.test_plugins import install

    install(tmp_path, "example")
    probe = (
        "import connectors\n"
        "r = connectors.parse('kv://t0ken@kv.example.com:7001/ns')\n"
        "m = r.model()\n"
        "print(type(m).__name__, m.model_dump() == r.value, repr(m))\n"
    )
    env = {"PYTHONPATH": f"{tmp_path}:{ROOT}", "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    name, same, shown = result.stdout.split(" ", 2)
    assert (name, same) == ("ExampleKv", "True")
    assert "t0ken" not in shown


# -- no cost where unused ------------------------------------------------------------------------

PROBE = """
import sys
sys.argv = ["connectors", *sys.argv[1:]]
from connectors.cli import main
try:
    main()
except SystemExit:
    pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"pydantic", "pydantic_core", "jsonschema"})
print("HEAVY", heavy, file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args",
    [
        ["parse", "postgresql://app:pw@db.example.com/shop"],
        ["parse", "--json", "mongodb+srv://app:pw@cluster0.ab1cd.mongodb.net/shop"],
        ["types"],
        ["types", "--json"],
        ["schema", "postgresql"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_cli_paths_that_only_parse_do_not_import_pydantic(args):
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60
    )
    assert "HEAVY []" in result.stderr, result.stderr


def test_importing_connectors_models_imports_no_model_until_one_is_named():
    probe = (
        "import sys, connectors, connectors.models\n"
        "r = connectors.parse('redis://localhost:6379/0')\n"
        "print('pydantic' in sys.modules)\n"
        "connectors.models.Redis\n"
        "print('pydantic' in sys.modules, 'connectors.postgresql.model' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.split() == ["False", "True", "False"], result.stderr


def test_errors_mask_secrets_also_when_the_model_is_a_field_of_yours():
    from pydantic import BaseModel

    class App(BaseModel):
        cache: models.UpstashRedis
        mongo: models.MongoDB | None = None

    with pytest.raises(ValidationError) as caught:
        App(cache={"token": "pa55word-secret"})
    (error,) = caught.value.errors()
    assert (error["type"], error["loc"]) == ("missing", ("cache", "url"))
    assert error["input"] == {"token": "********"}

    mongo = {"servers": [{"host": "h"}], "credential": {"password": "pa55word-secret", "x": 1}}
    with pytest.raises(ValidationError) as caught:
        App(cache={"url": "https://eu1-x.upstash.io", "token": "t"}, mongo=mongo)
    assert caught.value.errors()[0]["loc"] == ("mongo", "credential", "x")
    assert "pa55word-secret" not in str(caught.value) + caught.value.json()
