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

        The fields dict starts as a copy of the class's template (every field in declaration order, which is
        the order they are serialized in: AC's), so the given values land in their places without a pass over
        the fields; every list default is a new empty list. tests/test_schemas.py checks the result is the same
        as ``model_construct``'s (README "Performance").
        """
        template, lists, required = _plan(cls)
        if not values.keys() >= required:
            raise KeyError(f"{cls.__name__}.build() is missing {sorted(required - values.keys())}")
        fields = template.copy()
        fields.update(values)
        for name in lists:
            if name not in values:
                fields[name] = []
        if len(fields) != len(template):  # names the shape does not have: dropped, as model_construct drops them
            fields = {name: fields[name] for name in template}
        instance = cls.__new__(cls)
        object.__setattr__(instance, "__dict__", fields)
        object.__setattr__(instance, "__pydantic_fields_set__", set(values))
        object.__setattr__(instance, "__pydantic_extra__", None)
        object.__setattr__(instance, "__pydantic_private__", None)
        return instance


W = TypeVar("W", bound=Wire)


@cache
def _plan(model: type[BaseModel]) -> tuple[dict[str, Any], tuple[str, ...], frozenset[str]]:
    """(every field with its static default, None where a value must be given or a fresh list is made, in
    declaration order; the list fields; the fields a value must be given for), computed once per class.
    A default factory other than ``list`` is not run: such a field must be given."""
    fields = model.model_fields.items()
    template = {name: None if f.is_required() or f.default_factory is not None else f.default for name, f in fields}
    lists = tuple(name for name, f in fields if f.default_factory is list)
    given = frozenset(name for name, f in fields if f.is_required() or f.default_factory not in (None, list))
    return template, lists, given


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
    return datetime.fromtimestamp(timestamp, UTC).strftime(PLAIN)


def both(timestamp: int) -> tuple[str, str]:
    """``(iso(timestamp), plain(timestamp))`` from one datetime, for shapes that show a time both ways."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.isoformat(), moment.strftime(PLAIN)


PLAIN = "%Y-%m-%d %H:%M:%S"


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
