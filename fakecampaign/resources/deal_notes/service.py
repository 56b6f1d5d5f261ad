"""Deal notes: ``POST /deals/{id}/notes`` with ``{"note": {"note": "..."}}`` (AC's "Create a deal note"), and
the notes back on ``GET /deals/{id}/notes``. activecampaign-python's ``create_a_deal_note`` and activecampaign3's
``Deal.add_note`` call it; activecampaign3 reads ``["notes"]`` on every ``Deal.get`` (breadth §8 [AC3]).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select

from fakecampaign.db import statement
from fakecampaign.errors import BadRequest
from fakecampaign.resources.deal_notes.table import DEAL_NOTES
from fakecampaign.resources.deals import service as deals
from fakecampaign.services.records import AccountRecord
from fakecampaign.services.store import Store

T = DEAL_NOTES
OF_DEAL = statement(select(T).where(T.c.deal_id == bindparam("did")).order_by(T.c.id))
MAX_NOTE_CHARS = 65_535  # a MySQL TEXT column, AC's store (bounded so one caller cannot fill the database)


@dataclass(frozen=True, slots=True)
class DealNoteRecord:
    id: int
    account_id: int
    deal_id: int
    note: str
    cdate: int
    mdate: int


def create(store: Store, *, account: AccountRecord, deal_id: int, note: str | None) -> DealNoteRecord:
    """A note on a deal of this account; the text is required (AC's bare 400 ``{}`` otherwise)."""
    if note is None or not note.strip():
        raise BadRequest(hint="note.note (the note's text) is required")
    if len(note) > MAX_NOTE_CHARS:
        raise BadRequest(hint=f"note.note is longer than {MAX_NOTE_CHARS} characters")
    now = store.clock.timestamp()
    with store.db.transaction() as tx:
        deals.require(tx, account.id, deal_id)
        note_id = tx.insert(T, account_id=account.id, deal_id=deal_id, note=note, cdate=now, mdate=now)
        return DealNoteRecord(note_id, account.id, deal_id, note, now, now)


def of_deal(store: Store, *, account: AccountRecord, deal_id: int) -> list[DealNoteRecord]:
    """GET /deals/{id}/notes: oldest first."""
    with store.db.transaction() as tx:
        deals.require(tx, account.id, deal_id)
        return [DealNoteRecord(**row) for row in tx.all(OF_DEAL, did=deal_id)]
