"""Deal note shapes. G132: AC's reply to "Create a deal note" is not in the facts; the note object follows AC's
note resource as clients read it: ``note``, ``relid`` (the deal), ``reltype`` "Deal", ``userid``, ``cdate``,
``mdate``, ``links``, a string ``id``; ids and dates as AC prints them on its other deal objects (breadth §7.2).
"""

from __future__ import annotations

from fakecampaign.resources.deal_notes.service import DealNoteRecord
from fakecampaign.schemas.common import Body, Wire, iso


class NoteIn(Body):
    note: str | None = None


class NoteBody(Body):
    """``{"note": {"note": "Note for the deal"}}``."""

    note: NoteIn


class NoteOut(Wire):
    cdate: str
    mdate: str
    note: str
    relid: str
    reltype: str
    userid: str
    links: dict[str, str]
    id: str

    @classmethod
    def of(cls, record: DealNoteRecord) -> NoteOut:
        # Relative links, as AC prints a deal's (breadth §1.1.6); both answer.
        links = {"deal": f"/api/3/deals/{record.deal_id}", "user": f"/api/3/deals/{record.deal_id}/owner"}
        return cls(
            cdate=iso(record.cdate),
            mdate=iso(record.mdate),
            note=record.note,
            relid=str(record.deal_id),
            reltype="Deal",
            userid="1",  # G65: the account's one user writes every note
            links=links,
            id=str(record.id),
        )


class NoteEnvelope(Wire):
    note: NoteOut


class NotesEnvelope(Wire):
    notes: list[NoteOut]
