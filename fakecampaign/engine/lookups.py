"""What the engine reads about a contact beyond the contact row: its tags and custom-field values.

Tags and fields belong to their own resources; app.py plugs their readers in here once they exist, so the
engine never duplicates their queries. Until then a contact has no tags and no field values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from fakecampaign.db import Transaction
from fakecampaign.services.records import ContactRecord


def _none(tx: Transaction, contact: ContactRecord) -> list[tuple[str, str]]:
    return []


def _no_tags(tx: Transaction, contact: ContactRecord) -> list[str]:
    return []


def _no_name(tx: Transaction, account_id: int, list_id: int) -> str | None:
    return None


def _deal_id_only(tx: Transaction, account_id: int, deal_id: int) -> list[tuple[str, str]]:
    return [("deal[id]", str(deal_id))]


@dataclass(slots=True)
class Lookups:
    """``tags(tx, contact)``: tag names; ``fields(tx, contact)``: (perstag, value) pairs;
    ``list_name(tx, account_id, list_id)``: a list's name; ``deal(tx, account_id, deal_id)``: a deal's
    ``deal[...]`` webhook keys (the deals resource plugs its own in; until then only ``deal[id]``)."""

    tags: Callable[[Transaction, ContactRecord], list[str]] = _no_tags
    fields: Callable[[Transaction, ContactRecord], list[tuple[str, str]]] = field(default=_none)
    list_name: Callable[[Transaction, int, int], str | None] = _no_name
    deal: Callable[[Transaction, int, int], list[tuple[str, str]]] = _deal_id_only
