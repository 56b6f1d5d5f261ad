"""The one parser for AC's list parameters and the one paginate (fakecampaign/query.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert

from fakecampaign import query
from fakecampaign.db import Database
from fakecampaign.errors import BadRequest
from fakecampaign.query import Listing, ListQuery, paginate, parse

META = MetaData()
THINGS = Table("things", META, Column("id", Integer, primary_key=True), Column("name", String), Column("n", Integer))
LISTING = Listing(
    THINGS,
    search=("name",),
    filters={"name": ("name", "contains"), "n": ("n", "eq")},
    orders={"name": "name", "n": "n"},
)


def test_defaults_are_acs() -> None:
    assert parse([]) == ListQuery(limit=20, offset=0)


def test_limit_is_capped_and_zero_means_default() -> None:
    assert parse([("limit", "500")]).limit == query.MAX_LIMIT == 100
    assert parse([("limit", "0")]).limit == 20
    assert parse([("limit", "")], default_limit=100).limit == 100
    assert parse([("offset", "-3")]).offset == 0


@pytest.mark.parametrize("key", ["limit", "offset"])
def test_a_malformed_number_is_acs_400(key: str) -> None:
    with pytest.raises(BadRequest):
        parse([(key, "ten")])


def test_filters_with_and_without_operator_and_orders_in_query_order() -> None:
    q = parse([("filters[name]", "a"), ("filters[n][GTE]", "3"), ("orders[n]", "desc"), ("orders[name]", "weight")])
    assert q.filters == {"name": ("", "a"), "n": ("gte", "3")}
    assert q.orders == (("n", "DESC"), ("name", "WEIGHT"))
    assert q.filter("n") == "3"
    assert q.filter("missing") is None


def test_a_nul_in_a_filter_is_refused() -> None:
    with pytest.raises(BadRequest):
        parse([("filters[name]", "a\x00")])
    with pytest.raises(BadRequest):
        parse([("search", "x" * 2000)])


@pytest.fixture
def db() -> Iterator[Database]:
    database = Database("sqlite://")
    META.create_all(database.engine)
    with database.transaction() as tx:
        for i, name in enumerate(["Beta", "alpha", "Alphabet", "gamma", "AL"], start=1):
            tx.execute(insert(THINGS).values(id=i, name=name, n=i))
    yield database
    database.dispose()


def names(db: Database, items: list[tuple[str, str]]) -> tuple[list[str], int]:
    with db.transaction() as tx:
        rows, total = paginate(tx, LISTING, parse(items))
    return [r["name"] for r in rows], total


def test_paginate_pages_and_counts(db: Database) -> None:
    assert names(db, [("limit", "2"), ("offset", "1")]) == (["alpha", "Alphabet"], 5)


def test_search_and_filters_are_case_insensitive(db: Database) -> None:
    assert names(db, [("search", "ALPHA")]) == (["alpha", "Alphabet"], 2)
    assert names(db, [("filters[name]", "al")]) == (["alpha", "Alphabet", "AL"], 3)
    assert names(db, [("filters[name][eq]", "al")]) == (["AL"], 1)
    assert names(db, [("filters[name][starts_with]", "a")]) == (["alpha", "Alphabet", "AL"], 3)
    assert names(db, [("filters[n][gt]", "3")]) == (["gamma", "AL"], 2)
    assert names(db, [("filters[unknown]", "x")])[1] == 5


def test_an_unknown_operator_is_a_400(db: Database) -> None:
    with pytest.raises(BadRequest):
        names(db, [("filters[name][like]", "a")])


def test_orders_and_weight(db: Database) -> None:
    assert names(db, [("orders[n]", "DESC")])[0] == ["AL", "gamma", "Alphabet", "alpha", "Beta"]
    # weight: exact match first, then those starting with the term, then the rest
    assert names(db, [("filters[name]", "al"), ("orders[name]", "weight")])[0] == ["AL", "alpha", "Alphabet"]
    assert names(db, [("orders[unknown]", "DESC")])[0] == ["Beta", "alpha", "Alphabet", "gamma", "AL"]
