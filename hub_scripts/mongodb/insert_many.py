"""Insert documents into a MongoDB collection."""

import base64
import datetime
import json
import uuid
from typing import Any, List, TypedDict

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
    documents: List[dict],
    ordered: bool = True,
    database: str = "",
) -> dict:
    """Insert documents and return their ids.

    Args:
        mongodb (mongodb): the MongoDB resource.
        collection (str): the collection to write.
        documents (list): the documents (dicts); MongoDB Extended JSON such as
            {"$date": "..."} or {"$numberDecimal": "1.10"} is turned into BSON types.
        ordered (bool): stop at the first error (true) or insert all the others (false).
        database (str): the database, when not the resource's db.

    Returns {"inserted_count": n, "inserted_ids": [...]} with ids as strings.
    """
    if not documents:
        return {"inserted_count": 0, "inserted_ids": []}
    client = _client(mongodb)
    try:
        target = _database(client, mongodb, database)[collection]
        result = target.insert_many([_extended(d) for d in documents], ordered=ordered)
        ids = _json_safe(list(result.inserted_ids))
        return {"inserted_count": len(ids), "inserted_ids": ids}
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
