"""Every export format read back, for every type and provider example; and one authSource rule
for MongoDB in to_connection_string, the Airflow export and the hub scripts."""

from __future__ import annotations

import json
import shlex
import tomllib
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

import connectors
from connectors.formats import FormatError, render
from connectors.hub.loader import load_script
from connectors.mongodb.auth import default_source
from connectors.plugins import get_registry

# Beyond each connector's examples: one string per provider it recognises, and the shapes the
# examples lack (keyword DSN, several hosts, a SAS URL).
MORE = [
    ("redis", "rediss://default:pw@master.my-cache.abc123.use1.cache.amazonaws.com:6379"),
    ("redis", "rediss://:pw@myname.redis.cache.windows.net:6380/0"),
    ("redis", "rediss://default:pw@db-redis-fra1-12345-do-user-1-0.b.db.ondigitalocean.com:25061"),
    ("redis", "redis://default:pw@redis-12345.c1.us-east-1-2.ec2.cloud.redislabs.com:12345"),
    ("redis", "rediss://default:AX8sAAIjcDE@eu1-merry-cat-32748.upstash.io:6379"),
    (
        "postgresql",
        "postgresql://postgres.abcd:pw@aws-0-eu-west-1.pooler.supabase.com:6543/postgres",
    ),
    ("postgresql", "host=db.example.com port=5433 user=app password='se cret' dbname=shop"),
    ("postgresql", "postgresql://u:pw@h1:5432,h2:5433/db?target_session_attrs=read-write"),
    ("mongodb", "mongodb+srv://u:p@cluster0.abcde.mongodb.net/shop?retryWrites=true&w=majority"),
    ("s3", "https://mybucket.s3.eu-west-1.amazonaws.com"),
    (
        "azure_blob",
        "https://acct.blob.core.windows.net/cont?sv=2022-11-02&ss=b&srt=co&sp=rl"
        "&se=2030-01-01T00:00:00Z&sig=abc%2Bdef%3D",
    ),
]
EXAMPLES = [
    pytest.param(name, text, id=f"{name}-{i}")
    for name, connector in get_registry().connectors.items()
    for i, text in enumerate(connector.examples)
    if name in ("postgresql", "mongodb", "redis", "upstash_redis", "s3", "azure_blob")
] + [pytest.param(name, text, id=f"{name}-more-{i}") for i, (name, text) in enumerate(MORE)]
STRING_VARS = {
    "postgresql": "DATABASE_URL",
    "mongodb": "MONGODB_URI",
    "redis": "REDIS_URL",
    "azure_blob": "AZURE_STORAGE_CONNECTION_STRING",
}


def _n(item):
    """Empty and missing are the same to a reader of these formats."""
    if isinstance(item, tuple):
        return tuple(_n(i) for i in item)
    return None if item in ("", None, {}) else item


def _same(resource, text):
    back = connectors.parse(text, type=resource.resource_type)
    assert back.value == resource.value, text
    assert back.provider == resource.provider


@pytest.mark.parametrize(("name", "text"), EXAMPLES)
def test_wmill_and_env_read_back(name, text):
    resource = connectors.parse(text, type=name)
    wmill = yaml.safe_load(render(resource, "wmill", show_secrets=True))
    assert wmill["value"] == resource.value and wmill["resource_type"] == name

    env = dict(
        line.split("=", 1) for line in shlex.split(render(resource, "env", show_secrets=True))
    )
    v = resource.value
    if name in STRING_VARS:
        _same(resource, env[STRING_VARS[name]])
    if name == "postgresql":
        libpq = {"PGHOST": "host", "PGPORT": "port", "PGUSER": "user", "PGDATABASE": "dbname"}
        for var, key in libpq.items():
            assert env.get(var) == (str(v[key]) if v.get(key) not in (None, "") else None)
        assert env.get("PGPASSWORD") == (v.get("password") or None)
    if name == "upstash_redis":
        assert env["UPSTASH_REDIS_REST_URL"] == v["url"]
        assert env["UPSTASH_REDIS_REST_TOKEN"] == v["token"]
    if name == "s3":
        pairs = {
            "AWS_ACCESS_KEY_ID": "accessKey",
            "AWS_SECRET_ACCESS_KEY": "secretKey",
            "AWS_REGION": "region",
            "AWS_ENDPOINT_URL_S3": "endPoint",
            "S3_BUCKET": "bucket",
        }
        for var, key in pairs.items():
            assert env.get(var) == (str(v[key]) if v.get(key) not in (None, "") else None)
    if name == "azure_blob":
        assert env["AZURE_STORAGE_ACCOUNT"] == v.get("accountName", "")
        assert env.get("AZURE_STORAGE_KEY") == (v.get("accessKey") or None)


@pytest.mark.parametrize(("name", "text"), EXAMPLES)
def test_airflow_reads_back(name, text):
    """Read as Airflow's Connection.from_json does: the named fields, then ``extra``."""
    resource = connectors.parse(text, type=name)
    if resource.value.get("unix_socket_path"):
        with pytest.raises(FormatError, match="not a Unix socket"):
            render(resource, "airflow")
        return
    conn = json.loads(render(resource, "airflow", show_secrets=True))
    v, extra = resource.value, conn.get("extra", {})
    if name == "postgresql":
        assert _n(conn["conn_type"]) == _n("postgres")
        assert _n((conn.get("host"), conn.get("port"))) == _n((v.get("host"), v.get("port")))
        assert _n((conn.get("login"), conn.get("password"))) == _n(
            (v.get("user"), v.get("password"))
        )
        assert _n(conn.get("schema")) == _n(v.get("dbname"))
        assert _n(extra.get("sslmode")) == _n(v.get("sslmode"))
    elif name == "mongodb":
        cred = v.get("credential") or {}
        assert conn["conn_type"] == "mongo" and bool(extra.get("srv")) == bool(v.get("srv"))
        login = (conn.get("login"), conn.get("password"))
        assert _n(login) == _n((cred.get("username"), cred.get("password")))
        assert _n(conn.get("schema")) == _n(v.get("db") or None)
        hosts = [s["host"] for s in v["servers"]]
        assert all(host in conn["host"] for host in hosts)
    elif name == "redis":
        assert _n(conn["conn_type"]) == _n("redis")
        assert _n((conn.get("host"), conn.get("port"))) == _n((v["host"], v["port"]))
        assert _n(conn.get("password")) == _n(v.get("password"))
        assert extra.get("db", 0) == v.get("db", 0) and bool(extra.get("ssl")) == bool(v["tls"])
    elif name == "upstash_redis":
        assert conn["password"] == v["token"] and conn["host"] == urlsplit(v["url"]).hostname
    elif name == "s3":
        assert _n(conn["conn_type"]) == _n("aws")
        assert _n((conn.get("login"), conn.get("password"))) == _n(
            (v.get("accessKey"), v.get("secretKey"))
        )
        assert _n(extra.get("region_name")) == _n(v.get("region") or None)
        assert _n(extra.get("endpoint_url")) == _n(v.get("endPoint") or None)
        bucket = extra.get("service_config", {}).get("s3", {}).get("bucket_name")
        assert _n(bucket) == _n(v.get("bucket") or None)
    else:
        assert conn["conn_type"] == "wasb" and _n(conn.get("login")) == _n(v.get("accountName"))
        assert _n(conn.get("password")) == _n(v.get("accessKey"))
        if v.get("sasToken"):
            assert extra["sas_token"].startswith("https://")
            assert extra["sas_token"].endswith("?" + v["sasToken"].lstrip("?"))


@pytest.mark.parametrize(("name", "text"), EXAMPLES)
def test_dlt_reads_back(name, text):
    """Read as dlt resolves ``secrets.toml``: each section's keys are its credential fields."""
    resource = connectors.parse(text, type=name)
    v = resource.value
    needs = {"s3": "bucket", "azure_blob": "containerName"}
    if name in needs and not v.get(needs[name]):
        with pytest.raises(FormatError, match="dlt's filesystem destination writes to one"):
            render(resource, "dlt", show_secrets=True)
        return
    tables = tomllib.loads(render(resource, "dlt", show_secrets=True))
    if name == "postgresql":
        c = tables["destination"]["postgres"]["credentials"]
        seen = (c.get("host"), c.get("port"), c.get("username"))
        assert _n(seen) == _n((v.get("host"), v.get("port"), v.get("user")))
        assert _n((c.get("password"), c.get("database"))) == _n(
            (v.get("password"), v.get("dbname"))
        )
    elif name in ("mongodb", "redis"):
        _same(resource, tables["sources"][name]["connection_url"])
    elif name == "upstash_redis":
        assert _n(tables["sources"]["upstash_redis"]) == _n({"url": v["url"], "token": v["token"]})
    else:
        fs = tables["destination"]["filesystem"]
        c = fs["credentials"]
        if name == "s3":
            assert _n(fs["bucket_url"]) == _n(f"s3://{v['bucket']}")
            assert _n(c.get("aws_access_key_id")) == _n(v.get("accessKey"))
            assert _n(c.get("aws_secret_access_key")) == _n(v.get("secretKey"))
            assert _n(c.get("endpoint_url")) == _n(v.get("endPoint") or None)
        else:
            assert _n(fs["bucket_url"]) == _n(f"az://{v['containerName']}")
            assert _n(c.get("azure_storage_account_name")) == _n(v.get("accountName"))
            assert _n(c.get("azure_storage_account_key")) == _n(v.get("accessKey"))
            assert _n(c.get("azure_storage_sas_token")) == _n(v.get("sasToken"))


def test_dlt_of_a_container_less_azure_resource_is_refused():
    resource = connectors.parse("UseDevelopmentStorage=true")
    with pytest.raises(FormatError, match="no containerName"):
        render(resource, "dlt")


# -- MongoDB authSource: one rule --------------------------------------------------------------

MONGODB = [
    "mongodb+srv://u:p@cluster0.abcde.mongodb.net/shop?retryWrites=true&w=majority",
    "mongodb+srv://u:p@cluster0.abcde.mongodb.net/?retryWrites=true",
    "mongodb+srv://u:p@cluster0.abcde.mongodb.net/shop?authSource=admin",
    "mongodb+srv://u:p@cluster0.abcde.mongodb.net/shop?authSource=shop",
    "mongodb+srv://u:p@db.example.com/app?authMechanism=PLAIN",
    "mongodb://u:p@h1:27017,h2/shop?replicaSet=rs0",
    "mongodb://u:p@h/",
    "mongodb://u:p@h/shop?authSource=other",
    "mongodb://u@h/?authMechanism=MONGODB-X509",
    *get_registry().connectors["mongodb"].examples,
]
SCRIPTS = ["aggregate", "find", "get_new_documents", "insert_many", "update_many"]
TXT = "the SRV record's TXT (Atlas: admin)"


def _effective(explicit, value, database):
    """The authentication database a driver ends up with (None: no authentication)."""
    if not v_has_credential(value):
        return None
    if explicit is not None:
        return explicit
    if value.get("srv"):
        return TXT
    cred = value.get("credential") or {}
    return default_source(cred.get("mechanism"), database or None)


def v_has_credential(value):
    cred = value.get("credential") or {}
    return cred.get("username") is not None or bool(cred.get("mechanism"))


class _Recorder:
    """Stands for MongoClient: keeps what the script would have connected with."""

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs


@pytest.mark.parametrize("text", MONGODB)
def test_auth_source_agrees_everywhere(text, monkeypatch):
    resource = connectors.parse(text, type="mongodb")
    v = resource.value
    string = connectors.to_connection_string(resource)
    query = parse_qs(urlsplit(string).query)
    in_string = _effective(query.get("authSource", [None])[0], v, v.get("db"))

    conn = json.loads(render(resource, "airflow", show_secrets=True))
    in_airflow = _effective(conn.get("extra", {}).get("authSource"), v, conn.get("schema"))
    assert in_airflow == in_string

    for name in SCRIPTS:
        module = load_script("mongodb", name)
        monkeypatch.setattr(module, "MongoClient", _Recorder)
        client = module._client(v)
        # the scripts put no database in the URI: the driver's default is then admin/$external
        in_script = _effective(client.kwargs.get("authSource"), v, None)
        assert in_script == in_string, (name, client.kwargs.get("authSource"))
    if resource.provider == "atlas" and "authSource" not in text:
        assert in_string == TXT  # Atlas users live in admin, which the TXT record names


@pytest.mark.parametrize(("name", "text"), EXAMPLES)
def test_masked_formats_hide_every_secret_and_keep_the_rest(name, text):
    from connectors.redact import MASK, public_strings, redact_value, secrets_of

    resource = connectors.parse(text, type=name)
    wmill = yaml.safe_load(render(resource, "wmill"))
    assert wmill["value"] == redact_value(name, resource.value)
    public = " ".join(public_strings(name, resource.value))
    secrets = [s for s in secrets_of(name, resource.value) if s not in public]
    for fmt in ("airflow", "dlt", "env", "wmill"):
        try:
            masked = render(resource, fmt)
        except FormatError:
            continue
        assert all(secret not in masked for secret in secrets), fmt
        if secrets:
            assert MASK in masked, fmt
