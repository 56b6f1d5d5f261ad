"""Pieces every envelope shares: timestamps, string totals, links."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class Wire(BaseModel):
    """Base of response shapes, serialized with AC's exact keys."""

    model_config = ConfigDict(from_attributes=False, populate_by_name=True)

    @classmethod
    def build(cls: type[W], **values: Any) -> W:
        """An instance from trusted values (stored records), without validation: what ``model_construct``
        does, minus its per-field default resolution, which alone cost a tenth of a contact GET.

        Static defaults are computed once per class and every list default is a new empty list;
        tests/test_schemas.py checks the result is the same as ``model_construct``'s.
        """
        given = {**_defaults(cls), **_fresh_lists(cls), **values}
        fields = {name: given[name] for name in cls.model_fields}  # serialized in this order: keep AC's
        instance = cls.__new__(cls)
        object.__setattr__(instance, "__dict__", fields)
        object.__setattr__(instance, "__pydantic_fields_set__", set(values))
        object.__setattr__(instance, "__pydantic_extra__", None)
        object.__setattr__(instance, "__pydantic_private__", None)
        return instance


W = TypeVar("W", bound=Wire)


@cache
def _defaults(model: type[BaseModel]) -> dict[str, Any]:
    fields = model.model_fields.items()
    return {name: f.default for name, f in fields if not f.is_required() and f.default_factory is None}


@cache
def _list_fields(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(name for name, f in model.model_fields.items() if f.default_factory is list)


def _fresh_lists(model: type[BaseModel]) -> dict[str, list[Any]]:
    return {name: [] for name in _list_fields(model)}


class Body(BaseModel):
    """Base of request shapes: unknown keys are ignored, as AC ignores them."""

    model_config = ConfigDict(extra="ignore")


class StringTotal(Wire):
    """``meta`` where AC sends ``total`` as a string (contacts, activities, most lists)."""

    total: str


class IntTotal(Wire):
    """``meta`` where AC sends ``total`` as an integer (eventTrackingEvents)."""

    total: int


def iso(timestamp: int) -> str:
    """AC's ISO-8601 with offset, e.g. 2026-11-27T04:04:46+00:00. G15: always UTC, not an account timezone."""
    return datetime.fromtimestamp(timestamp, UTC).isoformat()


def plain(timestamp: int) -> str:
    """AC's ``created_timestamp`` form: "YYYY-MM-DD HH:MM:SS"."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S")


def api_url(base_url: str, path: str) -> str:
    """An absolute /api/3 URL on the host the request came to."""
    return f"{base_url.rstrip('/')}/api/3/{path}"


# A whole number as a request may give one: bounded to a 32-bit column, so a huge JSON number is a 422, not an
# overflow in the database driver.
SmallInt = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]


def ref_id(value: str | int | None) -> int | None:
    """An id given in a body as "12" or 12; None when absent, -1 (found nowhere) when not a number."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if isinstance(value, bool) or not (text.isascii() and text.isdigit() and len(text) < 19):
        return -1
    return int(text)


def relation_links(base_url: str, plural: str, record_id: int, names: tuple[str, ...]) -> dict[str, str]:
    """AC's ``links``: absolute URLs of a record's relations (breadth §1.1.6)."""
    prefix = api_url(base_url, f"{plural}/{record_id}/")
    return {name: prefix + name for name in names}
