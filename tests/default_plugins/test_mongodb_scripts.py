"""The mongodb hub scripts, run against the live server through load_script."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

import connectors
from connectors.hub.loader import load_script
from connectors.resource import Resource

pytestmark = pytest.mark.live


def _collection(resource: Resource, name: str) -> Any:
    client = connectors.connect(resource)
    return client, client[resource.value["db"]][name]


def test_insert_many_then_find_is_json_safe(fresh_mongodb: Resource) -> None:
    inserted = load_script("mongodb", "insert_many").main(
        fresh_mongodb.value,
        "orders",
        [
            {"n": 1, "at": {"$date": "2024-05-01T10:00:00Z"}, "price": {"$numberDecimal": "9.99"}},
            {"n": 2, "at": {"$date": "2024-05-02T10:00:00Z"}, "price": {"$numberDecimal": "1.10"}},
            {"n": 3, "tag": "x"},
        ],
    )
    assert inserted["inserted_count"] == 3
    assert all(isinstance(i, str) and len(i) == 24 for i in inserted["inserted_ids"])

    find = load_script("mongodb", "find").main
    rows = find(fresh_mongodb.value, "orders", filter={"n": {"$lte": 2}}, sort={"n": -1})
    assert [row["n"] for row in rows] == [2, 1]
    assert rows[0]["_id"] == inserted["inserted_ids"][1]
    assert rows[0]["at"].startswith("2024-05-02T10:00:00")
    assert rows[0]["price"] == "1.10"

    projected = find(fresh_mongodb.value, "orders", projection={"_id": 0, "n": 1}, limit=2)
    assert projected == [{"n": 1}, {"n": 2}]
    by_id = find(
        fresh_mongodb.value, "orders", filter={"_id": {"$oid": inserted["inserted_ids"][2]}}
    )
    assert by_id == [{"_id": inserted["inserted_ids"][2], "n": 3, "tag": "x"}]

    client, orders = _collection(fresh_mongodb, "orders")
    try:
        stored = orders.find_one({"n": 1})
        assert stored["at"] == datetime.datetime(2024, 5, 1, 10, 0)
        assert stored["price"].to_decimal() == Decimal("9.99")
    finally:
        client.close()


def test_update_many_and_aggregate(fresh_mongodb: Resource) -> None:
    load_script("mongodb", "insert_many").main(
        fresh_mongodb.value,
        "stock",
        [{"sku": "a", "qty": 1}, {"sku": "b", "qty": 5}, {"sku": "a", "qty": 2}],
    )
    updated = load_script("mongodb", "update_many").main(
        fresh_mongodb.value, "stock", {"sku": "a"}, {"$inc": {"qty": 10}}
    )
    assert updated == {"matched_count": 2, "modified_count": 2, "upserted_id": None}
    upserted = load_script("mongodb", "update_many").main(
        fresh_mongodb.value, "stock", {"sku": "c"}, {"$set": {"qty": 0}}, upsert=True
    )
    assert upserted["matched_count"] == 0 and isinstance(upserted["upserted_id"], str)

    totals = load_script("mongodb", "aggregate").main(
        fresh_mongodb.value,
        "stock",
        [{"$group": {"_id": "$sku", "total": {"$sum": "$qty"}}}, {"$sort": {"_id": 1}}],
    )
    assert totals == [
        {"_id": "a", "total": 23},
        {"_id": "b", "total": 5},
        {"_id": "c", "total": 0},
    ]


def test_get_new_documents_returns_only_what_arrived(
    fresh_mongodb: Resource, monkeypatch: pytest.MonkeyPatch
) -> None:
    # as in a Windmill worker, the state path is given; get_state()/set_state() use it
    monkeypatch.setenv("WM_STATE_PATH_NEW", "u/test/new_events_trigger")
    insert = load_script("mongodb", "insert_many").main
    insert(fresh_mongodb.value, "events", [{"n": 1}, {"n": 2}])
    trigger = load_script("mongodb", "get_new_documents").main

    # first run: the baseline (the newest _id is recorded, nothing is returned)
    assert trigger(fresh_mongodb.value, "events") == []
    state = connectors.get_state("u/test/new_events_trigger")
    assert state["collection"] == "events" and state["field"] == "_id"
    assert state["last"].startswith('{"$oid"')

    # nothing new: nothing returned
    assert trigger(fresh_mongodb.value, "events") == []

    new_ids = insert(fresh_mongodb.value, "events", [{"n": 3}, {"n": 4}])["inserted_ids"]
    arrived = trigger(fresh_mongodb.value, "events")
    assert [doc["_id"] for doc in arrived] == new_ids
    assert [doc["n"] for doc in arrived] == [3, 4]

    # the position moved: a third run sees nothing again
    assert trigger(fresh_mongodb.value, "events") == []


def test_get_new_documents_by_a_timestamp_field_pages_with_limit(fresh_mongodb: Resource) -> None:
    insert = load_script("mongodb", "insert_many").main
    trigger = load_script("mongodb", "get_new_documents").main
    assert trigger(fresh_mongodb.value, "log", field="at") == []  # empty collection: baseline
    insert(
        fresh_mongodb.value,
        "log",
        [{"at": {"$date": f"2024-01-0{day}T00:00:00Z"}, "day": day} for day in (1, 2, 3)],
    )
    first = trigger(fresh_mongodb.value, "log", field="at", limit=2)
    assert [doc["day"] for doc in first] == [1, 2]
    second = trigger(fresh_mongodb.value, "log", field="at", limit=2)
    assert [doc["day"] for doc in second] == [3]
