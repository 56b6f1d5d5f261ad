"""Pieces every envelope shares: timestamps, string totals, links."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict


class Wire(BaseModel):
    """Base of response shapes, serialized with AC's exact keys.

    Shapes built from stored records use ``model_construct``: the values were checked on the way in, and
    validating them again on every response costs more than the rest of a GET.
    """

    model_config = ConfigDict(from_attributes=False, populate_by_name=True)


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
