"""Update every MongoDB document that matches a filter."""

import base64
import datetime
import json
import uuid
from typing import Any, TypedDict

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
    filter: dict,
    update: dict,
    upsert: bool = False,
    database: str = "",
) -> dict:
    """Apply an update to every matching document.

    Args:
        mongodb (mongodb): the MongoDB resource.
        collection (str): the collection to update.
        filter (dict): which documents ({} for all); MongoDB Extended JSON is understood.
        update (dict): an update document ({"$set": {...}}, {"$inc": {...}}, ...).
        upsert (bool): insert a document when none matches.
        database (str): the database, when not the resource's db.

    Returns {"matched_count", "modified_count", "upserted_id"}.
    """
    client = _client(mongodb)
    try:
        target = _database(client, mongodb, database)[collection]
        result = target.update_many(_extended(filter), _extended(update), upsert=upsert)
        return {
            "matched_count": result.matched_count,
            "modified_count": result.modified_count,
            "upserted_id": _json_safe(result.upserted_id),
        }
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
