"""Trigger: the documents inserted into a MongoDB collection since the last run."""

import base64
import datetime
import json
import uuid
from typing import Any, TypedDict

import wmill
from bson import json_util
from bson.binary import Binary
from bson.decimal128 import Decimal128
from bson.objectid import ObjectId
from pymongo import MongoClient


class mongodb(TypedDict):
    db: str
    tls: bool
    servers: list
    credential: dict


def main(
    mongodb: mongodb,
    collection: str,
    field: str = "_id",
    filter: dict | None = None,
    limit: int = 1000,
    database: str = "",
) -> list:
    """Return the documents whose `field` is above the last position seen, oldest first.

    Args:
        mongodb (mongodb): the MongoDB resource.
        collection (str): the collection to watch.
        field (str): an increasing field: "_id" with ObjectIds (the default), or a creation
            timestamp or sequence number.
        filter (dict): only documents matching this query (MongoDB Extended JSON understood).
        limit (int): at most this many per run; the rest come on the next runs.
        database (str): the database, when not the resource's db.

    The state (wmill.get_state/set_state) keeps the collection, the field and the last value
    seen. The first run (no state, or a different collection or field) returns [] and records
    the newest value as the baseline, so a new schedule does not replay the whole collection.
    """
    client = _client(mongodb)
    try:
        target = _database(client, mongodb, database)[collection]
        query = _extended(filter or {})
        state = wmill.get_state()
        watched = {"collection": collection, "field": field}
        if not isinstance(state, dict) or {k: state.get(k) for k in watched} != watched:
            newest = list(target.find(query, {field: 1}).sort(field, -1).limit(1))
            last = newest[0].get(field) if newest else None
            wmill.set_state({**watched, "last": json_util.dumps(last)})
            return []
        last = json_util.loads(state["last"])
        if last is not None:
            query = {"$and": [query, {field: {"$gt": last}}]} if query else {field: {"$gt": last}}
        documents = list(target.find(query).sort(field, 1).limit(limit))
        if documents:
            wmill.set_state({**watched, "last": json_util.dumps(documents[-1].get(field))})
        return [_json_safe(document) for document in documents]
    finally:
        client.close()


def _extended(document: dict) -> dict:
    """Turn MongoDB Extended JSON ($oid, $date, $numberDecimal, ...) into BSON types."""
    return json_util.loads(json.dumps(document))


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    if isinstance(value, ObjectId | Decimal128 | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Binary | bytes):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _database(client: MongoClient, resource: mongodb, database: str) -> Any:
    name = database or resource.get("db") or ""
    if not name:
        raise ValueError("no database: set the resource's db or the database argument")
    return client[name]


def _client(resource: mongodb) -> MongoClient:
    """A MongoClient for a Windmill mongodb value (plus the srv/options extension fields)."""
    servers = resource.get("servers") or []
    if resource.get("srv"):
        hosts: Any = f"mongodb+srv://{servers[0]['host']}/"
    else:
        hosts = [_host(server) for server in servers]
    kwargs: dict[str, Any] = dict(resource.get("options") or {})
    if "readPreferenceTags" in kwargs:
        tag_sets = kwargs["readPreferenceTags"]
        kwargs["readPreferenceTags"] = [
            ",".join(f"{k}:{v}" for k, v in t.items()) for t in tag_sets
        ]
    credential = resource.get("credential") or {}
    if credential.get("username") is not None:
        kwargs["username"] = credential["username"]
    if credential.get("password") is not None:
        kwargs["password"] = credential["password"]
    # authSource = credential.db, except an SRV string's spec default: the cluster's TXT record
    # replaces it (Atlas: admin), as in connectors.to_connection_string.
    mechanism, db = credential.get("mechanism"), resource.get("db") or ""
    external = mechanism in ("GSSAPI", "MONGODB-X509", "MONGODB-AWS", "MONGODB-OIDC")
    default = "$external" if external or (mechanism == "PLAIN" and not db) else db or "admin"
    if credential.get("db") and not (resource.get("srv") and credential["db"] == default):
        kwargs["authSource"] = credential["db"]
    if credential.get("mechanism"):
        kwargs["authMechanism"] = credential["mechanism"]
    kwargs["tls"] = bool(resource.get("tls", bool(resource.get("srv"))))  # SRV implies TLS
    kwargs.setdefault("connectTimeoutMS", 10_000)  # unless the resource's options set them
    kwargs.setdefault("serverSelectionTimeoutMS", 10_000)
    return MongoClient(hosts, **kwargs)


def _host(server: dict) -> str:
    host = str(server["host"])
    if "/" in host:
        return host
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{server.get('port') or 27017}"
