"""Contacts: /api/3/contacts, /api/3/contact/sync (../shared/reference/ac-api-facts.md §2)."""

from __future__ import annotations

from fastapi import Request, Response, status

from fakecampaign.api import examples as ex
from fakecampaign.api.deps import caller_of, wire
from fakecampaign.api.docs import PAGE, Param, documented
from fakecampaign.api.errors import answers_bare_400
from fakecampaign.api.lazy_router import LazyRouter
from fakecampaign.api.resources import sideloads_of
from fakecampaign.api.v3 import params
from fakecampaign.errors import BadRequest, ContactDeleteNotFound, UnprocessableEntity
from fakecampaign.schemas.common import ref_id
from fakecampaign.schemas.contacts import (
    ContactBody,
    ContactDetailEnvelope,
    ContactEnvelope,
    ContactIn,
    ContactsEnvelope,
    PageInput,
)
from fakecampaign.schemas.tracking import EmptyObject
from fakecampaign.services import contacts
from fakecampaign.services.contacts import ORDER_COLUMNS, ContactChanges, ContactQuery

router = LazyRouter(tags=["Contacts"])  # its FastAPI routes are built late: a fast lane serves get_contact first
CREATED = ContactEnvelope.of(ex.CONTACT, ex.BASE_URL, created=True)
_DATE_FILTERS = ("created_after", "created_before", "updated_after", "updated_before")
LIST_PARAMS = (
    Param("email", "The contact with exactly this email (case-insensitive)"),
    Param("email_like", "Emails containing this text"),
    Param("search", "Email, first or last name, or phone containing this text"),
    Param("phone", "Phones starting with this text"),
    Param("ids", "Comma-separated contact ids (also ids[]=1&ids[]=2)"),
    Param("id_greater", "Ids greater than this (with orders[id]=ASC, AC's way to page large accounts)", "integer"),
    Param("id_less", "Ids less than this", "integer"),
    Param("exclude", "Leave out this contact id", "integer"),
    Param("tagid", "Only contacts with this tag", "integer"),
    Param("listid", "Only contacts on this list", "integer"),
    Param("status", "With listid: -1 any (default), 0 unconfirmed, 1 active, 2 unsubscribed, 3 bounced", "integer"),
    *(Param(f"filters[{name}]", "A date or date-time", format="date-time") for name in _DATE_FILTERS),
    *(Param(f"orders[{name}]", "ASC or DESC") for name in ("id", "cdate", "email", "first_name", "last_name")),
    *PAGE,
)


def _changes(body: ContactIn) -> ContactChanges:
    values = tuple((ref_id(v.field), v.value) for v in body.fieldValues)
    return ContactChanges(
        email=body.email, first_name=body.firstName, last_name=body.lastName, phone=body.phone, field_values=values
    )


@router.post(
    "/contacts",
    status_code=status.HTTP_201_CREATED,
    response_model=ContactEnvelope,
    openapi_extra=documented(CREATED, status=201, request=ex.CONTACT_BODY),
)
async def create_contact(body: ContactBody, request: Request) -> ContactEnvelope:
    """Create a contact; an email the account already has is 422 duplicate."""
    caller = caller_of(request)
    contact = contacts.create(caller.store, account=caller.account, changes=_changes(body.contact))
    return ContactEnvelope.of(contact, caller.base_url, created=True)


@router.post(
    "/contact/sync",
    status_code=status.HTTP_201_CREATED,
    response_model=ContactEnvelope,
    openapi_extra=documented(CREATED, status=201, request=ex.CONTACT_BODY),
)
@answers_bare_400
async def sync_contact(body: ContactBody, request: Request) -> ContactEnvelope:
    """Create or update a contact by email. G12: 201 for both, the only status AC documents; a missing or
    invalid field is its only documented error, 400 {}."""
    caller = caller_of(request)
    try:
        contact, _created = contacts.sync(caller.store, account=caller.account, changes=_changes(body.contact))
    except UnprocessableEntity as error:
        raise BadRequest(hint=error.hint) from None
    return ContactEnvelope.of(contact, caller.base_url, created=True)


@router.get(
    "/contacts",
    response_model=ContactsEnvelope,
    openapi_extra=documented(
        ContactsEnvelope.of([ex.CONTACT], 1, PageInput(limit=20, offset=0), ex.BASE_URL), params=LIST_PARAMS
    ),
)
async def list_contacts(request: Request) -> ContactsEnvelope:
    """List, search and filter contacts (email, email_like, search, ids, id_greater, filters[...], orders[...])."""
    caller = caller_of(request)
    query = _contact_query(request)
    found, total = contacts.search(caller.store, account=caller.account, query=query)
    page_input = PageInput(
        limit=query.limit,
        offset=query.offset,
        search=query.search,
        tagid=query.tag_id or 0,
        listid=query.list_id or 0,
        status=-1 if query.status is None else query.status,
    )
    return ContactsEnvelope.of(found, total, page_input, caller.base_url)


def _contact_query(request: Request) -> ContactQuery:
    q = request.query_params
    limit, offset = params.page(q)
    return ContactQuery(
        email=params.text(q, "email"),
        email_like=params.text(q, "email_like"),
        search=params.text(q, "search"),
        phone=params.text(q, "phone"),
        id_greater=params.int_param(q, "id_greater"),
        id_less=params.int_param(q, "id_less"),
        exclude=params.int_param(q, "exclude"),
        ids=params.ids_param(q),
        tag_id=_positive(params.int_param(q, "tagid")),
        list_id=_positive(params.int_param(q, "listid")),
        status=_status(params.int_param(q, "status")),
        **{name: params.date_param(q, f"filters[{name}]") for name in _DATE_FILTERS},
        orders=params.orders(q, ORDER_COLUMNS),
        limit=limit,
        offset=offset,
    )


def _positive(value: int | None) -> int | None:
    """AC echoes 0 for "no filter" in page_input, so 0 (or less) filters nothing."""
    return value if value is not None and value > 0 else None


def _status(value: int | None) -> int | None:
    """``status``: -1 (AC's default) or absent means any status."""
    return value if value is not None and value >= 0 else None


@router.get(
    "/contacts/{contact_id}",
    response_model=ContactDetailEnvelope,
    openapi_extra=documented(ContactDetailEnvelope.of(ex.CONTACT, ex.BASE_URL)),
)
async def get_contact(contact_id: str, request: Request) -> Response:
    """Retrieve a contact."""
    caller = caller_of(request)
    cid = params.path_id(contact_id)
    contact, related = contacts.get_with_relations(caller.store, account=caller.account, contact_id=cid)
    return wire(ContactDetailEnvelope.of(contact, caller.base_url, sideloads_of(related, caller.base_url)))


@router.put(
    "/contacts/{contact_id}",
    response_model=ContactEnvelope,
    openapi_extra=documented(ContactEnvelope.of(ex.CONTACT, ex.BASE_URL), request=ex.CONTACT_BODY),
)
async def update_contact(contact_id: str, body: ContactBody, request: Request) -> ContactEnvelope:
    """Update a contact's email, names or phone."""
    caller = caller_of(request)
    cid = params.path_id(contact_id)
    contact = contacts.update_contact(
        caller.store, account=caller.account, contact_id=cid, changes=_changes(body.contact)
    )
    return ContactEnvelope.of(contact, caller.base_url)


@router.delete("/contacts/{contact_id}", response_model=EmptyObject, openapi_extra=documented({}))
async def delete_contact(contact_id: str, request: Request) -> EmptyObject:
    """Delete a contact (and with it, its tracking logs and activities)."""
    caller = caller_of(request)
    cid = params.path_id(contact_id, missing=lambda raw: ContactDeleteNotFound(id=raw))
    contacts.delete_contact(caller.store, account=caller.account, contact_id=cid)
    return EmptyObject()
