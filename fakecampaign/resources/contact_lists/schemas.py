"""contactList shapes (ac-api-facts-breadth.md §3.2). GET gives strings; the POST reply echoes an int status."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from fakecampaign.resources.contact_lists.service import ContactListRecord
from fakecampaign.schemas.common import Body, StringTotal, Wire, iso, plain, relation_links
from fakecampaign.schemas.contacts import ContactOut

LINKS = ("automation", "list", "contact", "form", "autosyncLog", "campaign", "unsubscribeAutomation", "message")


class ContactListIn(Body):
    list: str | int | None = None
    contact: str | int | None = None
    status: str | int | None = None
    sourceid: str | int | None = None


class ContactListBody(Body):
    """``{"contactList": {"list": "2", "contact": "1", "status": 1}}``."""

    contactList: ContactListIn


class ContactListOut(Wire):
    contact: str
    list: str
    form: str | None = None
    seriesid: str = "0"
    sdate: str
    udate: str
    status: Any  # "1" on GET, 1 in the POST reply (breadth Summary 2)
    responder: str = "1"
    sync: str = "0"
    unsubreason: str | None = None
    campaign: str | None = None
    message: str | None = None
    first_name: str
    last_name: str
    # "0", not the docs' "XXXXXXXXXX": tap-activecampaign reads it as an integer and aborts on text ([SINGER]).
    ip4Sub: str = "0"
    sourceid: str
    autosyncLog: str | None = None
    ip4_last: str = "0"
    ip4Unsub: str = "0"
    created_timestamp: str
    updated_timestamp: str
    created_by: str | None = None
    updated_by: str | None = None
    unsubscribeAutomation: str | None = None
    channel: str = "email"
    links: dict[str, str]
    id: str
    automation: str | None = None

    @classmethod
    def of(cls, r: ContactListRecord, base_url: str, *, status_as_int: bool = False) -> ContactListOut:
        return cls.build(
            contact=str(r.contact_id),
            list=str(r.list_id),
            sdate=iso(r.sdate),
            udate=iso(r.udate),
            status=r.status if status_as_int else str(r.status),
            first_name=r.first_name,
            last_name=r.last_name,
            sourceid=str(r.sourceid),
            created_timestamp=plain(r.cdate),
            updated_timestamp=plain(r.udate),
            links=relation_links(base_url, "contactLists", r.id, LINKS),
            id=str(r.id),
        )


class ContactListReply(Wire):
    """POST /contactLists: 200 ``{"contacts": [...], "contactList": {...}}``."""

    contacts: list[ContactOut]
    contactList: ContactListOut


class ContactListEnvelope(Wire):
    contactList: ContactListOut


class ContactListsOfContact(Wire):
    """GET /contacts/{id}/contactLists: no ``meta`` (breadth §1.2)."""

    contactLists: list[ContactListOut] = Field(default_factory=list)


class ContactListsEnvelope(Wire):
    contactLists: list[ContactListOut] = Field(default_factory=list)
    meta: StringTotal


def many(records: list[ContactListRecord], base_url: str) -> list[ContactListOut]:
    return [ContactListOut.of(r, base_url) for r in records]


def sideload_of(records: list[ContactListRecord], base_url: str) -> list[ContactListOut]:
    """GET /contacts/{id}'s sideload (here, not in routes.py: that GET must not wait for the routes' imports)."""
    return many(records, base_url)


def state_of(records: list[ContactListRecord], base_url: str) -> dict[str, list[ContactListOut]]:
    return {"contactLists": many(records, base_url)}
