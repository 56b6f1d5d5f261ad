"""AC's list parameters, parsed once, and the one paginate every list endpoint uses.

AC's collections share ``limit`` (default 20, at most 100), ``offset``, ``search``, ``filters[name]`` or
``filters[name][operator]`` and ``orders[name]=ASC|DESC|weight`` (../shared/reference/ac-api-facts.md
"Pagination", ac-api-facts-breadth.md §1.2, §2.1, §3.1). A resource declares what it can be filtered and
ordered by in a ``Listing``; ``paginate`` turns the parsed query into one count and one page.

Domain-level: the API layer hands over ``request.query_params.multi_items()``, never a request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, Table, case, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from fakecampaign.db import Row, Transaction
from fakecampaign.errors import BadRequest

DEFAULT_LIMIT = 20  # AC: "limit" defaults to 20 ...
MAX_LIMIT = 100  # ... and is capped at 100 ([PAGINATION]; breadth §9.2)
INTEGER = re.compile(r"-?[0-9]{1,18}")
OPERATORS = ("eq", "neq", "lt", "lte", "gt", "gte", "contains", "starts_with")  # breadth §2.1 (tags)
WEIGHT = "weight"  # orders[x]=weight: exact matches, then prefix matches, then the rest (breadth §2.1)
MAX_TEXT = 1000  # a filter longer than any stored text matches nothing; refuse it rather than scan with it


@dataclass(frozen=True, slots=True)
class ListQuery:
    """The parsed list parameters of one call. ``filters`` maps a name to (operator or "", value)."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    search: str | None = None
    filters: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    orders: tuple[tuple[str, str], ...] = ()  # (name, "ASC" | "DESC" | "WEIGHT"), in query-string order

    def filter(self, name: str) -> str | None:
        """A filter's value whatever its operator, or None."""
        found = self.filters.get(name)
        return None if found is None or found[1] == "" else found[1]


def parse(items: Iterable[tuple[str, str]], *, default_limit: int = DEFAULT_LIMIT) -> ListQuery:
    """AC's list parameters from a query string's (key, value) pairs; malformed numbers are AC's 400 {}."""
    limit: int | None = None
    offset = 0
    search: str | None = None
    filters: dict[str, tuple[str, str]] = {}
    orders: list[tuple[str, str]] = []
    for key, value in items:
        if key == "limit":
            limit = _int("limit", value)
        elif key == "offset":
            offset = max(_int("offset", value) or 0, 0)
        elif key == "search":
            search = _text("search", value) or None
        elif key.startswith("filters[") and key.endswith("]"):
            name, _, operator = key[8:-1].partition("][")
            filters[name] = (operator.lower(), _text(key, value))
        elif key.startswith("orders[") and key.endswith("]"):
            orders.append((key[7:-1], value.strip().upper()))
    if limit is None or limit <= 0:
        limit = default_limit
    return ListQuery(min(limit, MAX_LIMIT), offset, search, filters, tuple(orders))


def _int(name: str, raw: str) -> int | None:
    if raw == "":
        return None
    if not INTEGER.fullmatch(raw):
        raise BadRequest(hint=f"{name} must be an integer, got {raw[:40]!r}")
    return int(raw)


def _text(name: str, raw: str) -> str:
    # A NUL would cut SQLite's LIKE pattern short.
    if "\x00" in raw:
        raise BadRequest(hint=f"{name} must not contain a NUL character")
    if len(raw) > MAX_TEXT:
        raise BadRequest(hint=f"{name} is longer than {MAX_TEXT} characters")
    return raw


@dataclass(frozen=True, slots=True)
class Listing:
    """What one collection can be searched, filtered and ordered by (names are AC's, values are columns).

    ``filters`` maps a filter name to (column, the operator a bare ``filters[name]=v`` means).
    ``search`` names the columns plain ``search=`` matches (contained, case-insensitively)."""

    table: Table
    search: tuple[str, ...] = ()
    filters: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    orders: Mapping[str, str] = field(default_factory=dict)


def conditions(listing: Listing, query: ListQuery) -> list[ColumnElement[bool]]:
    """The WHERE terms the query's ``search`` and known filters ask for; unknown filters are ignored, as AC
    ignores unknown parameters."""
    c = listing.table.c
    where: list[ColumnElement[bool]] = []
    if query.search and listing.search:
        needle = query.search.lower()
        terms = [func.lower(c[name]).contains(needle, autoescape=True) for name in listing.search]
        where.append(terms[0] if len(terms) == 1 else or_(*terms))
    for name, (operator, value) in query.filters.items():
        known = listing.filters.get(name)
        if known is None or value == "":
            continue
        column, default = known
        where.append(_compare(c[column], operator or default, value, name))
    return where


def _compare(column: Any, operator: str, value: str, name: str) -> ColumnElement[bool]:
    lowered = func.lower(column)
    needle = value.lower()
    comparisons: dict[str, Any] = {
        "eq": lambda: lowered == needle,
        "neq": lambda: lowered != needle,
        "lt": lambda: column < value,
        "lte": lambda: column <= value,
        "gt": lambda: column > value,
        "gte": lambda: column >= value,
        "contains": lambda: lowered.contains(needle, autoescape=True),
        "starts_with": lambda: lowered.startswith(needle, autoescape=True),
    }
    build = comparisons.get(operator)
    if build is None:
        raise BadRequest(hint=f"filters[{name}][{operator}]: the operator must be one of {', '.join(OPERATORS)}")
    result: ColumnElement[bool] = build()
    return result


def ordered(stmt: Select[Any], listing: Listing, query: ListQuery) -> Select[Any]:
    """The query's known ``orders[...]`` in query-string order, then id: pages stay stable."""
    c = listing.table.c
    for name, direction in query.orders:
        column_name = listing.orders.get(name)
        if column_name is None:
            continue
        column = c[column_name]
        if direction == WEIGHT.upper():
            stmt = stmt.order_by(*_weight(column, query.search or query.filter(name)))
        else:
            stmt = stmt.order_by(column.desc() if direction == "DESC" else column.asc())
    return stmt.order_by(c.id.asc())


def _weight(column: Any, term: str | None) -> tuple[Any, ...]:
    if not term:
        return (func.lower(column).asc(),)
    needle = term.lower()
    lowered = func.lower(column)
    rank = case((lowered == needle, 0), (lowered.startswith(needle, autoescape=True), 1), else_=2)
    return (rank, lowered.asc())


def paginate(tx: Transaction, listing: Listing, query: ListQuery, *where: ColumnElement[bool]) -> tuple[list[Row], int]:
    """One page of the rows matching ``where`` plus the query's search and filters, and how many match."""
    terms = [*where, *conditions(listing, query)]
    count = select(func.count()).select_from(listing.table).where(*terms)
    page = ordered(select(listing.table).where(*terms), listing, query).limit(query.limit).offset(query.offset)
    total = int(tx.scalar(count) or 0)
    return tx.all(page), total
