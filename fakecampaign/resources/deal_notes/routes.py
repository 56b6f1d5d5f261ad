"""/api/3/deals/{id}/notes: create and read a deal's notes (G132 for the reply's shape)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, status

from fakecampaign.api import docs
from fakecampaign.api.deps import caller_of
from fakecampaign.api.v3 import params
from fakecampaign.resources.deal_notes import service as deal_notes
from fakecampaign.resources.deal_notes.schemas import NoteBody, NoteEnvelope, NoteOut, NotesEnvelope
from fakecampaign.resources.deals import service as deals

router = APIRouter(tags=["Deals"])
__all__ = ["router"]

EXAMPLE: dict[str, Any] = {
    "cdate": "2026-01-31T12:00:00+00:00", "mdate": "2026-01-31T12:00:00+00:00", "note": "Note for the deal",
    "relid": "46", "reltype": "Deal", "userid": "1",
    "links": {"deal": "/api/3/deals/46", "user": "/api/3/deals/46/owner"}, "id": "2",
}  # fmt: skip


def _deal_id(raw: str) -> int:
    return params.path_id(raw, resource=deals.MODEL)


@router.post(
    "/deals/{deal_id}/notes",
    name="dealNotes.create",
    status_code=status.HTTP_201_CREATED,
    response_model=NoteEnvelope,
    responses=docs.example({"note": EXAMPLE}, 201),
)
async def create(deal_id: str, body: NoteBody, request: Request) -> NoteEnvelope:
    """Create a note for a deal."""
    caller = caller_of(request)
    record = deal_notes.create(caller.store, account=caller.account, deal_id=_deal_id(deal_id), note=body.note.note)
    return NoteEnvelope(note=NoteOut.of(record))


@router.get(
    "/deals/{deal_id}/notes",
    name="dealNotes.list",
    response_model=NotesEnvelope,
    responses=docs.example({"notes": [EXAMPLE]}),
)
async def list_(deal_id: str, request: Request) -> NotesEnvelope:
    """A deal's notes, oldest first."""
    caller = caller_of(request)
    found = deal_notes.of_deal(caller.store, account=caller.account, deal_id=_deal_id(deal_id))
    return NotesEnvelope(notes=[NoteOut.of(r) for r in found])
