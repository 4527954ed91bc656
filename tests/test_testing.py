"""The live-server harness: a real round trip per fixture, and the plugin's opt-in behaviour."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from connectors.testing import ServerFactory, secrets

pytestmark = pytest.mark.live


def test_postgresql_round_trip(live_postgresql):
    import psycopg

    value = live_postgresql.value
    assert live_postgresql.resource_type == "postgresql"
    assert value["host"] == "127.0.0.1" or value["host"]
    with psycopg.connect(
        host=value["host"], port=value["port"], user=value["user"],
        password=value["password"], dbname=value["dbname"], sslmode=value["sslmode"],
    ) as conn:  # fmt: skip
        row = conn.execute("select current_user, current_database(), %s::text", ["é"]).fetchone()
    assert row == ("connectors", "postgres", "é")


def test_postgresql_rejects_a_wrong_password(live_postgresql):
    import psycopg

    value = live_postgresql.value
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(
            host=value["host"], port=value["port"], user=value["user"],
            password="wrong", dbname="postgres", connect_timeout=5,
        )  # fmt: skip


def test_postgresql_tls_verify_full(live_postgresql_tls):
    import psycopg

    value = live_postgresql_tls.value
    assert value["sslmode"] == "verify-full"
    assert value["root_certificate_pem"].startswith("-----BEGIN CERTIFICATE-----")
    with tempfile.NamedTemporaryFile("w", suffix=".pem") as ca:
        ca.write(value["root_certificate_pem"])
        ca.flush()
        with psycopg.connect(
            host=value["host"], port=value["port"], user=value["user"], password=value["password"],
            dbname=value["dbname"], sslmode="verify-full", sslrootcert=ca.name,
        ) as conn:  # fmt: skip
            ssl = conn.execute(
                "select ssl from pg_stat_ssl where pid = pg_backend_pid()"
            ).fetchone()
    assert ssl == (True,)


def test_fresh_postgresql_is_a_new_database(fresh_postgresql, live_postgresql):
    import psycopg

    value = fresh_postgresql.value
    assert value["dbname"] != live_postgresql.value["dbname"]
    params = {k: value[k] for k in ("host", "port", "user", "password", "dbname")}
    with psycopg.connect(**params) as conn:
        conn.execute("create table t (id int primary key, name text)")
        conn.execute("insert into t values (1, 'one')")
        assert conn.execute("select current_database(), name from t").fetchall() == [
            (value["dbname"], "one")
        ]


def test_postgresql_plain_offers_no_tls(live_postgresql_plain, live_postgresql):
    import psycopg

    value = live_postgresql_plain.value
    assert value["port"] != live_postgresql.value["port"]
    assert {k: v for k, v in value.items() if k != "port"} == {
        k: v for k, v in live_postgresql.value.items() if k != "port"
    }
    params = {k: value[k] for k in ("host", "port", "user", "password", "dbname")}
    with psycopg.connect(**params, sslmode="prefer") as conn:
        assert not conn.pgconn.ssl_in_use
        assert conn.execute("show ssl").fetchone() == ("off",)
    with pytest.raises(psycopg.OperationalError, match="server does not support SSL"):
        psycopg.connect(**params, sslmode="require", connect_timeout=5)


def test_fresh_postgresql_works_on_the_plain_server(connectors_servers, request):
    fresh = connectors_servers.fresh("postgresql_plain", request)
    import psycopg

    value = fresh.value
    assert value["dbname"].startswith("test_")
    params = {k: value[k] for k in ("host", "port", "user", "password", "dbname")}
    with psycopg.connect(**params) as conn:
        assert conn.execute("select current_database()").fetchone() == (value["dbname"],)
    assert connectors_servers.sources["postgresql_plain"] in ("local", "env")


def _redis(value):
    import redis

    return redis.Redis(
        host=value["host"], port=value["port"], db=value["db"],
        username=value["username"] or None, password=value["password"],
    )  # fmt: skip


def test_redis_round_trip(live_redis):
    import redis

    value = live_redis.value
    assert value["password"] == secrets.PASSWORD and value["tls"] is False
    client = _redis(value)
    client.set("harness:key", "välue", ex=60)
    assert client.get("harness:key") == "välue".encode()
    with pytest.raises(redis.AuthenticationError):
        # redis-py retries a failed AUTH for ~3.5 s unless retry=None
        redis.Redis(host=value["host"], port=value["port"], password="wrong", retry=None).ping()


def test_fresh_redis_is_empty(fresh_redis):
    client = _redis(fresh_redis.value)
    assert client.dbsize() == 0
    client.set("left", "behind")


def test_fresh_redis_is_flushed_again(fresh_redis):
    assert _redis(fresh_redis.value).get("left") is None


def _s3(value):
    import boto3

    return boto3.client(
        "s3", endpoint_url=value["endPoint"], region_name=value["region"],
        aws_access_key_id=value["accessKey"], aws_secret_access_key=value["secretKey"],
    )  # fmt: skip


def test_s3_round_trip(live_s3):
    value = live_s3.value
    client = _s3(value)
    client.put_object(Bucket=value["bucket"], Key="dir/hello.txt", Body=b"hello")
    assert client.get_object(Bucket=value["bucket"], Key="dir/hello.txt")["Body"].read() == b"hello"
    listed = client.list_objects_v2(Bucket=value["bucket"], Prefix="dir/")
    assert [o["Key"] for o in listed["Contents"]] == ["dir/hello.txt"]


def test_fresh_s3_is_a_new_empty_bucket(fresh_s3, live_s3):
    value = fresh_s3.value
    assert value["bucket"] != live_s3.value["bucket"]
    client = _s3(value)
    assert client.list_objects_v2(Bucket=value["bucket"]).get("KeyCount") == 0
    client.put_object(Bucket=value["bucket"], Key="k", Body=b"v")


def test_s3_strict_rejects_an_unknown_access_key(live_s3_strict):
    from botocore.exceptions import ClientError

    value = live_s3_strict.value
    key = f"strict-{uuid.uuid4().hex}"
    _s3(value).put_object(Bucket=value["bucket"], Key=key, Body=b"ok")
    assert _s3(value).get_object(Bucket=value["bucket"], Key=key)["Body"].read() == b"ok"
    with pytest.raises(ClientError, match="InvalidAccessKeyId"):
        _s3({**value, "accessKey": "WRONG"}).get_object(Bucket=value["bucket"], Key=key)


def test_mongodb_round_trip(live_mongodb):
    import pymongo

    value = live_mongodb.value
    credential = value["credential"]
    assert credential == {
        "username": "connectors", "password": secrets.PASSWORD, "db": "admin",
        "mechanism": "SCRAM-SHA-256",
    }  # fmt: skip
    server = value["servers"][0]
    with pymongo.MongoClient(
        server["host"], server["port"], username=credential["username"],
        password=credential["password"], authSource=credential["db"],
        authMechanism=credential["mechanism"], serverSelectionTimeoutMS=5000,
    ) as client:  # fmt: skip
        collection = client[value["db"]][f"harness_{uuid.uuid4().hex[:8]}"]
        collection.insert_one({"name": "één", "n": 1})
        assert collection.find_one({"n": 1}, {"_id": 0}) == {"name": "één", "n": 1}
        collection.drop()


def test_mongodb_requires_authentication(live_mongodb):
    import pymongo
    from pymongo.errors import OperationFailure

    server = live_mongodb.value["servers"][0]
    anon = pymongo.MongoClient(server["host"], server["port"], serverSelectionTimeoutMS=5000)
    with anon, pytest.raises(OperationFailure) as failure:
        anon.test.items.insert_one({"a": 1})
    assert failure.value.code == 13  # Unauthorized


def test_fresh_mongodb_is_a_new_database(fresh_mongodb, live_mongodb):
    import pymongo

    value, credential = fresh_mongodb.value, fresh_mongodb.value["credential"]
    assert value["db"] != live_mongodb.value["db"]
    server = value["servers"][0]
    with pymongo.MongoClient(
        server["host"], server["port"], username=credential["username"],
        password=credential["password"], authSource="admin", serverSelectionTimeoutMS=5000,
    ) as client:  # fmt: skip
        assert client[value["db"]].list_collection_names() == []
        client[value["db"]].items.insert_one({"a": 1})
        assert value["db"] in client.list_database_names()


def test_mongodb_tls_round_trip(live_mongodb_tls):
    import pymongo
    from pymongo.errors import ServerSelectionTimeoutError

    value = live_mongodb_tls.value
    ca_file = Path(value["options"]["tlsCAFile"])
    assert value["tls"] is True and ca_file.read_text().startswith("-----BEGIN CERTIFICATE-----")
    server, credential = value["servers"][0], value["credential"]
    login = {
        "username": credential["username"], "password": credential["password"],
        "authSource": "admin", "authMechanism": "SCRAM-SHA-256",
    }  # fmt: skip
    with pymongo.MongoClient(
        server["host"], server["port"], tls=True, tlsCAFile=str(ca_file),
        serverSelectionTimeoutMS=5000, **login,
    ) as client:  # fmt: skip
        collection = client[value["db"]][f"harness_{uuid.uuid4().hex[:8]}"]
        collection.insert_one({"name": "één"})
        assert collection.find_one({}, {"_id": 0}) == {"name": "één"}
        collection.drop()
    plain = pymongo.MongoClient(server["host"], server["port"], serverSelectionTimeoutMS=800)
    with plain, pytest.raises(ServerSelectionTimeoutError):
        plain.admin.command("ping")  # the server speaks TLS only


def _upstash(value):
    import upstash_redis

    return upstash_redis.Redis(value["url"], value["token"], rest_retries=0, allow_telemetry=False)


def test_upstash_round_trip(live_upstash_redis):
    value = live_upstash_redis.value
    assert value["url"].startswith("http://127.0.0.1:") and not value["url"].endswith("/")
    client = _upstash(value)
    client.set("harness:key", "välue", ex=60)
    assert client.get("harness:key") == "välue"
    transaction = client.multi()
    transaction.incr("harness:n")
    transaction.incr("harness:n")
    assert transaction.exec() == [1, 2]


def test_upstash_rejects_a_wrong_token(live_upstash_redis):
    from upstash_redis.errors import UpstashError

    with pytest.raises(UpstashError, match="Unauthorized"):
        _upstash({**live_upstash_redis.value, "token": "wrong"}).get("k")


def test_fresh_upstash_redis_is_empty(fresh_upstash_redis):
    client = _upstash(fresh_upstash_redis.value)
    assert client.dbsize() == 0


def _container(value):
    from azure.storage.blob import BlobServiceClient

    service = BlobServiceClient(
        account_url=value["endpoint"],
        credential={"account_name": value["accountName"], "account_key": value["accessKey"]},
    )
    return service.get_container_client(value["containerName"])


def test_azure_blob_round_trip(live_azure_blob):
    value = live_azure_blob.value
    assert value["endpoint"].endswith("/devstoreaccount1") and value["useSSL"] is False
    container = _container(value)
    name = f"harness/{uuid.uuid4().hex}.txt"
    container.upload_blob(name, b"hello azure")
    assert container.download_blob(name).readall() == b"hello azure"
    assert name in [b.name for b in container.list_blobs(name_starts_with="harness/")]


def test_fresh_azure_blob_is_a_new_container(fresh_azure_blob, live_azure_blob):
    value = fresh_azure_blob.value
    assert value["containerName"] != live_azure_blob.value["containerName"]
    container = _container(value)
    assert list(container.list_blobs()) == []
    container.upload_blob("k", b"v")


# The plugin itself, run in a nested pytest session.

pytest_plugins = ["pytester"]

_USES_AZURE = """
def test_uses(live_azure_blob):
    assert live_azure_blob.value["accountName"] == "devstoreaccount1"
"""


@pytest.fixture
def nested(pytester, monkeypatch):
    for name in ("CONNECTORS_REQUIRE_LIVE", "CONNECTORS_TEST_AZURE_BLOB_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CONNECTORS_TEST_DOCKER", "0")
    monkeypatch.setenv("AZURITE_BIN", str(pytester.path / "no-azurite"))
    pytester.makepyfile(_USES_AZURE)
    return pytester


def test_plugin_is_opt_in(nested):
    result = nested.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'live_azure_blob' not found*"])


def test_plugin_loads_from_a_conftest(nested):
    nested.makeconftest('pytest_plugins = ["connectors.testing"]')
    nested.runpytest().assert_outcomes(skipped=1)


def test_unavailable_backend_skips(nested):
    result = nested.runpytest("-p", "connectors.testing", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*live azure_blob server unavailable: Azurite not found*"])


def test_require_live_turns_unavailable_into_failure(nested, monkeypatch):
    monkeypatch.setenv("CONNECTORS_REQUIRE_LIVE", "1")
    result = nested.runpytest("-p", "connectors.testing")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*Azurite not found*CONNECTORS_REQUIRE_LIVE=1*"])


_OWN_SERVER = """
import pytest
from connectors.testing import own_server
from connectors.redis.testing import executable

@pytest.fixture(scope="module")
def server():
    with own_server("redis (tls)"):
        yield executable()

def test_a(server):
    pass

def test_b(server):
    pass
"""


@pytest.mark.parametrize("variable", ["REDIS_SERVER_BIN", "PG_BIN"])
def test_a_binary_variable_pointing_at_nothing_skips(nested, monkeypatch, variable):
    """A machine without the server: the harness's fixtures skip, with the reason."""
    monkeypatch.setenv(variable, str(nested.path / "nowhere"))
    name = "live_redis" if variable == "REDIS_SERVER_BIN" else "live_postgresql"
    nested.makepyfile(f"def test_uses({name}):\n    pass\n")
    result = nested.runpytest("-p", "connectors.testing", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines([f"*server unavailable*({variable})*"])


def test_a_fixture_with_its_own_server_skips_or_fails(nested, monkeypatch):
    monkeypatch.setenv("REDIS_SERVER_BIN", str(nested.path / "nowhere"))
    nested.makepyfile(_OWN_SERVER)
    result = nested.runpytest("-p", "connectors.testing", "-rs")
    result.assert_outcomes(skipped=2)
    result.stdout.fnmatch_lines(["*live redis (tls) server unavailable: redis-server not found*"])
    monkeypatch.setenv("CONNECTORS_REQUIRE_LIVE", "1")
    nested.runpytest("-p", "connectors.testing").assert_outcomes(errors=2)


def test_environment_url_comes_first(nested, monkeypatch, live_redis):
    from urllib.parse import quote

    import connectors

    value = live_redis.value
    url = f"redis://:{quote(value['password'], safe='')}@{value['host']}:{value['port']}/0"
    try:
        expected = connectors.parse(url, type="redis")
    except (NotImplementedError, connectors.ParseError) as exc:
        pytest.skip(f"the redis parser is not ready: {exc}")
    monkeypatch.setenv("CONNECTORS_TEST_REDIS_URL", url)
    nested.makepyfile(
        test_env=f"""
def test_env(live_redis):
    assert live_redis.value == {expected.value!r}
"""
    )
    result = nested.runpytest("-p", "connectors.testing", "test_env.py")
    result.assert_outcomes(passed=1)


# Process hygiene: no orphans, no files left behind, useful failure messages.


def test_servers_die_with_the_test_process(tmp_path):
    script = (
        "import sys; from pathlib import Path; from connectors.testing.process import spawn; "
        f"p = spawn(['sleep', '60'], Path({str(tmp_path / 'log')!r})); print(p.pid, flush=True); "
        "sys.stdin.read()"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    child = int(parent.stdout.readline())
    parent.kill()  # SIGKILL: no finalizer runs, only PR_SET_PDEATHSIG can stop the child
    parent.wait()
    for _ in range(100):
        if not _alive(child):
            break
        time.sleep(0.02)
    assert not _alive(child)


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize(
    ("service", "prefix"),
    [("redis", "connectors-redis-"), ("postgresql_plain", "connectors-pg-plain-")],
)
def test_a_stopped_server_leaves_no_files(tmp_path, monkeypatch, service, prefix):
    monkeypatch.delenv(f"CONNECTORS_TEST_{service.upper()}_URL", raising=False)
    monkeypatch.setenv("CONNECTORS_TEST_DOCKER", "0")
    before = set(Path(tempfile.gettempdir()).glob(f"{prefix}*")) | set(
        Path("/tmp").glob(f"{prefix}*")
    )
    factory = ServerFactory(tmp_path)  # no server here: skipped (failed under REQUIRE_LIVE)
    value = factory.resource(service).value
    assert value["host"] == "127.0.0.1"
    after = set(Path(tempfile.gettempdir()).glob(f"{prefix}*")) | set(
        Path("/tmp").glob(f"{prefix}*")
    )
    started = after - before
    assert len(started) == 1
    factory.close()
    assert not any(path.exists() for path in started)
    with pytest.raises(OSError):
        socket.create_connection((value["host"], value["port"]), 1).close()


def test_a_server_that_exits_reports_its_log(tmp_path, monkeypatch):
    fake = tmp_path / "redis-server"
    fake.write_text("#!/bin/sh\necho 'FATAL: cannot bind, disk on fire'\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("REDIS_SERVER_BIN", str(fake))
    monkeypatch.setenv("CONNECTORS_TEST_DOCKER", "0")
    monkeypatch.delenv("CONNECTORS_TEST_REDIS_URL", raising=False)
    factory = ServerFactory(tmp_path, require_live=True)
    with pytest.raises(pytest.fail.Exception) as failure:
        factory.resource("redis")
    message = str(failure.value)
    assert "redis-server exited with 3" in message
    assert "disk on fire" in message
    assert secrets.PASSWORD not in message
    with pytest.raises(pytest.fail.Exception):  # remembered: not started a second time
        factory.resource("redis")
    factory.close()


def test_a_container_that_cannot_start_falls_back_to_a_local_process(tmp_path, monkeypatch):
    from connectors.testing import factory as factory_module

    monkeypatch.delenv("CONNECTORS_TEST_REDIS_URL", raising=False)
    monkeypatch.setattr(factory_module, "docker_available", lambda: True)
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-docker.sock")
    factory = ServerFactory(tmp_path)  # no redis-server here: skipped (failed under REQUIRE_LIVE)
    try:
        with pytest.warns(UserWarning, match="redis container did not start"):
            value = factory.resource("redis").value
        assert factory.sources["redis"] == "local"
        assert _redis(value).ping() is True
    finally:
        factory.close()
