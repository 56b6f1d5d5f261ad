"""/api/3/fieldValues and /api/3/contacts/{id}/fieldValues (ac-api-facts-breadth.md §4.1)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from fakecampaign.api import docs
from fakecampaign.api import examples as ex
from fakecampaign.api.deps import caller_of
from fakecampaign.api.v3 import linked, params
from fakecampaign.errors import NoResultFoundForbidden
from fakecampaign.resources.field_values import service as field_values
from fakecampaign.resources.field_values.schemas import (
    FieldValueBody,
    FieldValueEnvelope,
    FieldValueOut,
    FieldValueReply,
    FieldValuesEnvelope,
    FieldValuesOfContact,
    many,
    sideload_of,
    state_of,
)
from fakecampaign.resources.fields import service as fields
from fakecampaign.resources.fields.routes import EXAMPLE as FIELD_EXAMPLE
from fakecampaign.resources.fields.schemas import FieldEnvelope
from fakecampaign.schemas.common import StringTotal, ref_id
from fakecampaign.schemas.contacts import ContactOnlyEnvelope, ContactOut

router = APIRouter(tags=["Custom fields"])
__all__ = ["router", "sideload_of", "state_of"]

EXAMPLE: dict[str, Any] = {
    "contact": "2", "field": "3", "value": "Blue", "cdate": "2026-01-31T12:00:00+00:00",
    "udate": "2026-01-31T12:00:00+00:00", "created_by": "0", "updated_by": "0",
    "links": {"owner": "http://127.0.0.1:8000/api/3/fieldValues/15/owner",
              "field": "http://127.0.0.1:8000/api/3/fieldValues/15/field"},
    "owner": "2", "id": "15",
}  # fmt: skip


def _id(raw: str) -> int:
    return params.path_id(raw, missing=lambda r: NoResultFoundForbidden(resource=field_values.MODEL, id=r))


@router.post(
    "/fieldValues",
    name="fieldValues.create",
    response_model=FieldValueReply,
    responses=docs.example({"contacts": [], "fieldValue": {**EXAMPLE, "contact": 2, "field": 3, "owner": 2}}),
)
async def create(body: FieldValueBody, request: Request) -> FieldValueReply:
    """Set a contact's value for a field; a value the contact already has for it is updated."""
    caller = caller_of(request)
    given = body.fieldValue
    record, contact = field_values.create(
        caller.store,
        account=caller.account,
        contact_id=ref_id(given.contact),
        given=field_values.Given(ref_id(given.field), given.value),
    )
    out = FieldValueOut.of(record, caller.base_url, given)
    return FieldValueReply(contacts=[ContactOut.of(contact, caller.base_url)], fieldValue=out)


@router.get(
    "/fieldValues",
    name="fieldValues.list",
    response_model=FieldValuesEnvelope,
    responses=docs.example({"fieldValues": [EXAMPLE], "meta": {"total": "1"}}),
    openapi_extra=docs.list_params(
        ("filters[fieldid]", "A field id"), ("filters[val]", "An exact value"), ("filters[contactid]", "A contact id")
    ),
)
async def list_(request: Request) -> FieldValuesEnvelope:
    """List field values."""
    caller = caller_of(request)
    found, total = field_values.list_(caller.store, account=caller.account, query=docs.list_query(request.query_params))
    return FieldValuesEnvelope(fieldValues=many(found, caller.base_url), meta=StringTotal(total=str(total)))


@router.get(
    "/fieldValues/{value_id}",
    name="fieldValues.get",
    response_model=FieldValueEnvelope,
    responses=docs.example({"fieldValue": EXAMPLE}),
)
async def get(value_id: str, request: Request) -> FieldValueEnvelope:
    """Retrieve a field value; an unknown id is AC's documented 403."""
    caller = caller_of(request)
    record = field_values.get(caller.store, account=caller.account, value_id=_id(value_id))
    return FieldValueEnvelope(fieldValue=FieldValueOut.of(record, caller.base_url))


@router.put(
    "/fieldValues/{value_id}",
    name="fieldValues.update",
    response_model=FieldValueReply,
    responses=docs.example({"contacts": [], "fieldValue": EXAMPLE}),
)
async def update(value_id: str, body: FieldValueBody, request: Request) -> FieldValueReply:
    """Change a field value (only ``value`` is needed)."""
    caller = caller_of(request)
    record, contact = field_values.update(
        caller.store, account=caller.account, value_id=_id(value_id), value=body.fieldValue.value
    )
    out = FieldValueOut.of(record, caller.base_url, body.fieldValue)
    return FieldValueReply(contacts=[ContactOut.of(contact, caller.base_url)], fieldValue=out)


@router.delete(
    "/fieldValues/{value_id}", name="fieldValues.delete", response_model=dict[str, Any], responses=docs.example({})
)
async def delete(value_id: str, request: Request) -> dict[str, Any]:
    """Delete a field value."""
    caller = caller_of(request)
    field_values.delete_(caller.store, account=caller.account, value_id=_id(value_id))
    return {}


@router.get(
    "/fieldValues/{value_id}/owner",
    name="fieldValues.owner",
    response_model=ContactOnlyEnvelope,
    responses=docs.example(ex.CONTACT_ONLY),
)
async def owner(value_id: str, request: Request) -> ContactOnlyEnvelope:
    """The contact the value belongs to (its ``links.owner``)."""
    caller = caller_of(request)
    record = field_values.get(caller.store, account=caller.account, value_id=_id(value_id))
    return linked.contact(caller, record.contact_id)


@router.get(
    "/fieldValues/{value_id}/field",
    name="fieldValues.field",
    response_model=FieldEnvelope,
    responses=docs.example({"field": FIELD_EXAMPLE}),
)
async def field(value_id: str, request: Request) -> FieldEnvelope:
    """The value's field (its ``links.field``)."""
    caller = caller_of(request)
    record = field_values.get(caller.store, account=caller.account, value_id=_id(value_id))
    return FieldEnvelope.of(fields.get(caller.store, account=caller.account, field_id=record.field_id), caller.base_url)


@router.get(
    "/contacts/{contact_id}/fieldValues",
    name="fieldValues.of_contact",
    response_model=FieldValuesOfContact,
    responses=docs.example({"fieldValues": [EXAMPLE]}),
)
async def of_contact(contact_id: str, request: Request) -> FieldValuesOfContact:
    """A contact's field values; 404 for an unknown contact."""
    caller = caller_of(request)
    found = field_values.of_contact(caller.store, account=caller.account, contact_id=params.path_id(contact_id))
    return FieldValuesOfContact(fieldValues=many(found, caller.base_url))
