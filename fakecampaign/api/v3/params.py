"""Parsing AC's query-string conventions into typed values: ids, dates, ``filters[...]``, ``orders[...]``."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from starlette.datastructures import QueryParams

from fakecampaign.errors import ACError, BadRequest, NoResultFound
from fakecampaign.services.contacts import SUBSCRIBER

INTEGER = re.compile(r"-?[0-9]{1,18}")
MAX_IDS = 1000  # SQLite binds at most 32766 values in one statement; no client sends more ids than a page
DEFAULT_LIMIT = 20
MAX_LIMIT = 100  # AC: "limit" defaults to 20, at most 100 ([PAGINATION])


def path_id(raw: str, *, missing: Callable[[str], ACError] | None = None, resource: str = SUBSCRIBER) -> int:
    """A numeric path id; anything else is the same 404 an unknown id gets."""
    if raw.isascii() and raw.isdigit() and len(raw) < 19:
        return int(raw)
    raise missing(raw) if missing else NoResultFound(resource=resource, id=raw)


def text(params: QueryParams, name: str) -> str | None:
    """A text filter; None when absent or empty. A NUL would cut SQLite's LIKE pattern short, so it is refused."""
    raw = params.get(name)
    if not raw:
        return None
    if "\x00" in raw:
        raise BadRequest(hint=f"{name} must not contain a NUL character")
    return raw


def int_param(params: QueryParams, name: str) -> int | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    if not INTEGER.fullmatch(raw):
        raise BadRequest(hint=f"{name} must be an integer, got {raw[:40]!r}")
    return int(raw)


def page(params: QueryParams) -> tuple[int, int]:
    """(limit, offset): limit defaults to 20 and is capped at 100; offset is zero-based."""
    limit = int_param(params, "limit")
    offset = int_param(params, "offset") or 0
    if limit is None or limit <= 0:
        limit = DEFAULT_LIMIT
    return min(limit, MAX_LIMIT), max(offset, 0)


def ids_param(params: QueryParams) -> tuple[int, ...] | None:
    """``ids[]=1&ids[]=2``, ``ids=1,2`` or both."""
    raw = [*params.getlist("ids[]"), *params.getlist("ids")]
    if not raw:
        return None
    parts = [p.strip() for value in raw for p in value.split(",") if p.strip()]
    if not all(p.isascii() and p.isdigit() and len(p) < 19 for p in parts):
        raise BadRequest(hint="ids must be a list of contact ids")
    unique = tuple(dict.fromkeys(int(p) for p in parts))
    if len(unique) > MAX_IDS:
        raise BadRequest(hint=f"ids may list at most {MAX_IDS} contacts")
    return unique


def date_param(params: QueryParams, name: str) -> int | None:
    """A date or date-time filter as epoch seconds; a date without a zone is taken as UTC."""
    raw = params.get(name)
    if not raw:
        return None
    try:
        parsed = datetime.fromisoformat(raw.strip().replace(" ", "T", 1))
    except ValueError:
        raise BadRequest(hint=f"{name} must be a date like 2026-01-31 or 2026-01-31T12:00:00-05:00") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp())


def orders(params: QueryParams, allowed: dict[str, str]) -> tuple[tuple[str, bool], ...]:
    """``orders[field]=ASC|DESC`` in query-string order; unknown fields are ignored like unknown params."""
    result = []
    for key, value in params.multi_items():
        if key.startswith("orders[") and key.endswith("]") and key[7:-1] in allowed:
            result.append((key[7:-1], value.strip().upper() == "DESC"))
    return tuple(result)
