"""/api/3/contactLists and /api/3/contacts/{id}/contactLists (ac-api-facts-breadth.md §3.1)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from fakecampaign.api import docs
from fakecampaign.api import examples as ex
from fakecampaign.api.deps import caller_of
from fakecampaign.api.v3 import linked, params
from fakecampaign.resources.contact_lists import service as contact_lists
from fakecampaign.resources.contact_lists.schemas import (
    ContactListBody,
    ContactListEnvelope,
    ContactListOut,
    ContactListReply,
    ContactListsEnvelope,
    ContactListsOfContact,
    many,
    sideload_of,
    state_of,
)
from fakecampaign.resources.lists import service as lists
from fakecampaign.resources.lists.routes import EXAMPLE as LIST_EXAMPLE
from fakecampaign.resources.lists.schemas import ListEnvelope, ListOut
from fakecampaign.schemas.common import StringTotal, ref_id
from fakecampaign.schemas.contacts import ContactOnlyEnvelope, ContactOut

router = APIRouter(tags=["Lists"])
__all__ = ["router", "sideload_of", "state_of"]

EXAMPLE: dict[str, Any] = {
    "contact": "1", "list": "2", "form": None, "seriesid": "0", "sdate": "2026-01-31T12:00:00+00:00",
    "udate": "2026-01-31T12:00:00+00:00", "status": "1", "first_name": "Ada", "last_name": "Lovelace",
    "sourceid": "0", "created_timestamp": "2026-01-31 12:00:00", "updated_timestamp": "2026-01-31 12:00:00",
    "links": {"list": "http://127.0.0.1:8000/api/3/contactLists/1/list"}, "id": "1",
}  # fmt: skip


def _id(raw: str) -> int:
    return params.path_id(raw, resource=contact_lists.MODEL)


@router.post(
    "/contactLists",
    name="contactLists.create",
    response_model=ContactListReply,
    responses=docs.example({"contacts": [], "contactList": {**EXAMPLE, "status": 1}}),
)
async def create(body: ContactListBody, request: Request) -> ContactListReply:
    """Subscribe (status 1) or unsubscribe (status 2) a contact: upserts the membership and keeps it when
    unsubscribing. AC answers 200."""
    caller = caller_of(request)
    given = body.contactList
    record, contact = contact_lists.create(
        caller.store,
        account=caller.account,
        contact_id=ref_id(given.contact),
        list_id=ref_id(given.list),
        status=ref_id(given.status),
        sourceid=ref_id(given.sourceid),
    )
    out = ContactListOut.of(record, caller.base_url, status_as_int=True)
    return ContactListReply(contacts=[ContactOut.of(contact, caller.base_url)], contactList=out)


@router.get(
    "/contactLists",
    name="contactLists.list",
    response_model=ContactListsEnvelope,
    responses=docs.example({"contactLists": [EXAMPLE], "meta": {"total": "1"}}),
    openapi_extra=docs.list_params(
        ("filters[list]", "A list id"), ("filters[contact]", "A contact id"), ("filters[status]", "0, 1, 2 or 3")
    ),
)
async def list_(request: Request) -> ContactListsEnvelope:
    """Every membership of the account, paged (undocumented; tap-activecampaign syncs it)."""
    caller = caller_of(request)
    found, total = contact_lists.list_(
        caller.store, account=caller.account, query=docs.list_query(request.query_params)
    )
    return ContactListsEnvelope(contactLists=many(found, caller.base_url), meta=StringTotal(total=str(total)))


@router.get(
    "/contactLists/{contact_list_id}",
    name="contactLists.get",
    response_model=ContactListEnvelope,
    responses=docs.example({"contactList": EXAMPLE}),
)
async def get(contact_list_id: str, request: Request) -> ContactListEnvelope:
    """Retrieve one membership."""
    caller = caller_of(request)
    record = contact_lists.get(caller.store, account=caller.account, contact_list_id=_id(contact_list_id))
    return ContactListEnvelope(contactList=ContactListOut.of(record, caller.base_url))


@router.get(
    "/contactLists/{contact_list_id}/list",
    name="contactLists.list_of",
    response_model=ListEnvelope,
    responses=docs.example({"list": LIST_EXAMPLE}),
)
async def list_of(contact_list_id: str, request: Request) -> ListEnvelope:
    """The membership's list (its ``links.list``)."""
    caller = caller_of(request)
    record = contact_lists.get(caller.store, account=caller.account, contact_list_id=_id(contact_list_id))
    return ListEnvelope(
        list=ListOut.of(lists.get(caller.store, account=caller.account, list_id=record.list_id), caller.base_url)
    )


@router.get(
    "/contactLists/{contact_list_id}/contact",
    name="contactLists.contact",
    response_model=ContactOnlyEnvelope,
    responses=docs.example(ex.CONTACT_ONLY),
)
async def contact_of(contact_list_id: str, request: Request) -> ContactOnlyEnvelope:
    """The membership's contact (its ``links.contact``)."""
    caller = caller_of(request)
    record = contact_lists.get(caller.store, account=caller.account, contact_list_id=_id(contact_list_id))
    return linked.contact(caller, record.contact_id)


@router.get(
    "/contacts/{contact_id}/contactLists",
    name="contactLists.of_contact",
    response_model=ContactListsOfContact,
    responses=docs.example({"contactLists": [EXAMPLE]}),
)
async def of_contact(contact_id: str, request: Request) -> ContactListsOfContact:
    """A contact's list memberships; 404 for an unknown contact."""
    caller = caller_of(request)
    found = contact_lists.of_contact(caller.store, account=caller.account, contact_id=params.path_id(contact_id))
    return ContactListsOfContact(contactLists=many(found, caller.base_url))
