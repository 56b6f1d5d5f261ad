"""/api/3/contactTags and /api/3/contacts/{id}/contactTags (ac-api-facts-breadth.md §2.1)."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from fakecampaign.api import docs
from fakecampaign.api import examples as ex
from fakecampaign.api.deps import caller_of
from fakecampaign.api.v3 import linked, params
from fakecampaign.resources.contact_tags import service as contact_tags
from fakecampaign.resources.contact_tags.schemas import (
    ContactTagBody,
    ContactTagEnvelope,
    ContactTagOut,
    ContactTagsEnvelope,
    ContactTagsOfContact,
    many,
    sideload_of,
    state_of,
)
from fakecampaign.resources.tags import service as tags
from fakecampaign.resources.tags.routes import EXAMPLE as TAG_EXAMPLE
from fakecampaign.resources.tags.schemas import TagEnvelope, TagOut
from fakecampaign.schemas.common import StringTotal, ref_id
from fakecampaign.schemas.contacts import ContactOnlyEnvelope
from fakecampaign.schemas.tracking import EmptyObject

router = APIRouter(tags=["Tags"])
__all__ = ["router", "sideload_of", "state_of"]

EXAMPLE = {
    "cdate": "2026-01-31T12:00:00+00:00",
    "contact": "1",
    "tag": "20",
    "created_timestamp": "2026-01-31 12:00:00",
    "updated_timestamp": "2026-01-31 12:00:00",
    "created_by": None,
    "updated_by": None,
    "links": {
        "contact": "http://127.0.0.1:8000/api/3/contactTags/1/contact",
        "tag": "http://127.0.0.1:8000/api/3/contactTags/1/tag",
    },
    "id": "1",
}


def _id(raw: str) -> int:
    return params.path_id(raw, resource=contact_tags.MODEL)


@router.post(
    "/contactTags",
    name="contactTags.create",
    status_code=status.HTTP_201_CREATED,
    response_model=ContactTagEnvelope,
    responses=docs.example({"contactTag": EXAMPLE}, 201, shaped=(404, 422)),
)
async def create(body: ContactTagBody, request: Request) -> ContactTagEnvelope:
    """Add a tag to a contact; adding one it already has answers the existing association (G41)."""
    caller = caller_of(request)
    given = body.contactTag
    record = contact_tags.create(
        caller.store, account=caller.account, contact_id=ref_id(given.contact), tag_id=ref_id(given.tag)
    )
    return ContactTagEnvelope(contactTag=ContactTagOut.of(record, caller.base_url))


@router.get(
    "/contactTags",
    name="contactTags.list",
    response_model=ContactTagsEnvelope,
    responses=docs.example({"contactTags": [EXAMPLE], "meta": {"total": "1"}}),
    openapi_extra=docs.list_params(("filters[contact]", "A contact id"), ("filters[tag]", "A tag id")),
)
async def list_(request: Request) -> ContactTagsEnvelope:
    """Every tag on every contact of the account, paged (undocumented; tap-activecampaign syncs it)."""
    caller = caller_of(request)
    found, total = contact_tags.list_(caller.store, account=caller.account, query=docs.list_query(request.query_params))
    return ContactTagsEnvelope(contactTags=many(found, caller.base_url), meta=StringTotal(total=str(total)))


@router.get(
    "/contactTags/{contact_tag_id}",
    name="contactTags.get",
    response_model=ContactTagEnvelope,
    responses=docs.example({"contactTag": EXAMPLE}),
)
async def get(contact_tag_id: str, request: Request) -> ContactTagEnvelope:
    """Retrieve one association."""
    caller = caller_of(request)
    record = contact_tags.get(caller.store, account=caller.account, contact_tag_id=_id(contact_tag_id))
    return ContactTagEnvelope(contactTag=ContactTagOut.of(record, caller.base_url))


@router.delete(
    "/contactTags/{contact_tag_id}", name="contactTags.delete", response_model=EmptyObject, responses=docs.example({})
)
async def delete(contact_tag_id: str, request: Request) -> EmptyObject:
    """Remove a tag from a contact: the id is the association's (from POST /contactTags), not the tag's."""
    caller = caller_of(request)
    contact_tags.delete_(caller.store, account=caller.account, contact_tag_id=_id(contact_tag_id))
    return EmptyObject()


@router.get(
    "/contactTags/{contact_tag_id}/contact",
    name="contactTags.contact",
    response_model=ContactOnlyEnvelope,
    responses=docs.example(ex.CONTACT_ONLY),
)
async def contact_of(contact_tag_id: str, request: Request) -> ContactOnlyEnvelope:
    """The association's contact (its ``links.contact``)."""
    caller = caller_of(request)
    record = contact_tags.get(caller.store, account=caller.account, contact_tag_id=_id(contact_tag_id))
    return linked.contact(caller, record.contact_id)


@router.get(
    "/contactTags/{contact_tag_id}/tag",
    name="contactTags.tag",
    response_model=TagEnvelope,
    responses=docs.example({"tag": TAG_EXAMPLE}),
)
async def tag_of(contact_tag_id: str, request: Request) -> TagEnvelope:
    """The association's tag (its ``links.tag``)."""
    caller = caller_of(request)
    record = contact_tags.get(caller.store, account=caller.account, contact_tag_id=_id(contact_tag_id))
    tag = tags.get(caller.store, account=caller.account, tag_id=record.tag_id)
    return TagEnvelope(tag=TagOut.of(tag, caller.base_url))


@router.get(
    "/contacts/{contact_id}/contactTags",
    name="contactTags.of_contact",
    response_model=ContactTagsOfContact,
    responses=docs.example({"contactTags": [EXAMPLE]}),
)
async def of_contact(contact_id: str, request: Request) -> ContactTagsOfContact:
    """A contact's tags; 404 for an unknown contact."""
    caller = caller_of(request)
    found = contact_tags.of_contact(caller.store, account=caller.account, contact_id=params.path_id(contact_id))
    return ContactTagsOfContact(contactTags=many(found, caller.base_url))
